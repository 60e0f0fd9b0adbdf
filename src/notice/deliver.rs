//! Handing notices to their channels, once per window and level on each: the shell's lines are handed
//! back to the prompt (its hook prints them above the next prompt), a tmux message and a desktop
//! notification are sent from here. Nothing is read or written while no window has crossed a
//! threshold. Each program gets the text escaped for what it reads, at the one place it is written.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::due::{self, Due};
use super::record::{self, Claim, State};
use super::text::text;
use super::{About, Channel, Key, Level, Settings};
use crate::forecast::Runway;
use crate::ground::cache::Cache;
use crate::ground::env::Env;
use crate::ground::{log, platform};
use crate::render::escape::{applescript, desktop_body, osc_text, powershell_encoded, powershell_text, tmux_message};
use crate::render::style::{self, Style};

/// How long a tmux message may take: a few milliseconds when the server answers. One that stopped
/// (suspended, wedged) would otherwise hold the prompt for good.
const TMUX_WAIT: Duration = Duration::from_millis(250);

/// What a run needs to give notices.
pub struct Post<'a> {
    pub cache: &'a Cache,
    pub env: &'a Env,
    pub settings: &'a Settings,
    pub now: i64,
    pub style: &'a Style,
    /// Fault injection for the tests: die holding a claim, before delivering.
    pub die_after_claim: bool,
    /// A `--now` replay: its notices are given once among replays, apart from the present's (a
    /// replay of the last ten minutes took the live notice of the same crossing).
    pub replay: bool,
}

/// Shell lines to print, each with its claim, to be marked given once printed.
pub struct ForShell {
    pub lines: Vec<String>,
    claims: Vec<(Claim, Key, Channel)>,
}

impl ForShell {
    /// After the lines reached the hook.
    pub fn given(self, post: &Post) {
        for (c, key, channel) in self.claims {
            let _ = c.done();
            settle_below(post, channel, &key);
        }
    }
}

/// The lower levels of a window just announced are not announced after it.
fn settle_below(post: &Post, channel: Channel, key: &Key) {
    for l in Level::ALL.into_iter().filter(|l| *l < key.level) {
        record::settle(post.cache, channel, &key.at(l), post.replay);
    }
}

fn spawn(program: &str, args: &[&str]) -> bool {
    let mut c = Command::new(program);
    c.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    match platform::own_group(&mut c).spawn() {
        Ok(_) => true,
        Err(e) => {
            log::warn(&format!("notice: cannot run {program}: {e}"));
            false
        }
    }
}

/// The terminal's own notification escape, when it has one and the line reaches it directly (a
/// prompt's hook prints it; inside tmux it would need a passthrough the user may not allow): OSC 9
/// for iTerm2, OSC 777 for WezTerm, foot and urxvt.
fn osc(line: &str, env: &Env) -> Option<String> {
    if env.is_set("TMUX") {
        return None;
    }
    let program = env.text("TERM_PROGRAM").unwrap_or_default();
    let term = env.text("TERM").unwrap_or_default();
    let text = osc_text(line.trim_start_matches("runway: "));
    match () {
        _ if program == "iTerm.app" => Some(format!("\x1b]9;runway: {text}\x07")),
        _ if program == "WezTerm" || term.starts_with("foot") || term.starts_with("rxvt") => {
            Some(format!("\x1b]777;notify;runway;{text}\x07"))
        }
        _ => None,
    }
}

/// AppleScript's string syntax, a toast through Windows PowerShell, or the notification server's
/// markup (after `--`, so no text is taken for an option).
fn desktop(line: &str) -> bool {
    let text = line.trim_start_matches("runway: ");
    match platform::SYSTEM {
        platform::System::MacOs => {
            let script = format!("display notification \"{}\" with title \"runway\"", applescript(text));
            spawn("osascript", &["-e", &script])
        }
        platform::System::Windows => {
            let args = ["-NoProfile", "-NonInteractive", "-EncodedCommand", &powershell_encoded(&toast(text))];
            spawn("powershell.exe", &args)
        }
        platform::System::Xdg => spawn("notify-send", &["--app-name=runway", "--", "runway", &desktop_body(text)]),
    }
}

/// A toast's script (`shell/toast.ps1`), kept as a real file. Untested: no Windows runs here.
const TOAST: &str = include_str!("../../shell/toast.ps1");

/// The toast script with `text` in its place, quoted for PowerShell's single quotes.
fn toast(text: &str) -> String {
    TOAST.replacen("RUNWAY_TEXT", &powershell_text(text), 1)
}

/// A message on the tmux client: `Some(shown)`, or `None` when tmux did not answer in time.
fn tmux(line: &str) -> Option<bool> {
    let mut c = Command::new("tmux");
    c.args(["display-message", "-d", "10000", "--", &tmux_message(line)])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let Ok(mut child) = platform::own_group(&mut c).spawn() else { return Some(false) };
    match platform::wait_within(&mut child, TMUX_WAIT) {
        Ok(Some(st)) => Some(st.success()),
        Ok(None) => None,
        Err(_) => Some(false),
    }
}

/// One notice, in words.
struct Said {
    key: Key,
    line: String,
}

fn said(post: &Post, runways: &[Runway]) -> Vec<Said> {
    let s = post.style;
    let due: Vec<Due> = due::due(runways, s.warn_at, s.danger_at, post.settings.least);
    due.iter().map(|d| Said { key: d.key(), line: text(d, post.now, s) }).collect()
}

/// Claims and delivers what is due. `shell`: the prompt's hook prints lines (`--notices`).
pub fn deliver(post: &Post, runways: &[Runway], shell: bool) -> ForShell {
    if post.settings.channels.is_empty() {
        return ForShell { lines: Vec::new(), claims: Vec::new() };
    }
    send(post, said(post, runways), shell)
}

/// A live session's context past its health thresholds (from the status line, which knows it): on
/// the tmux and desktop channels, once per session and level.
pub fn context(post: &Post, session: &str, tokens: u64) {
    let st = post.style;
    let level = match st.context_level(tokens) {
        style::Level::Danger => Level::Danger,
        style::Level::Warn => Level::Warn,
        _ => return,
    };
    if post.settings.channels.is_empty() || !post.settings.least.admits(level) {
        return;
    }
    let (warn, danger) = st.context_at;
    let line = format!(
        "runway: Claude Code session {} context at {} tokens ({} from {}k)",
        crate::render::clean::short_id(session),
        crate::render::words::count(tokens),
        if level == Level::Danger { "red" } else { "amber" },
        if level == Level::Danger { danger } else { warn } / 1000
    );
    let key = Key { about: About::Context { session: session.to_owned() }, level };
    send(post, vec![Said { key, line }], false);
}

fn send(post: &Post, items: Vec<Said>, shell: bool) -> ForShell {
    let mut out = ForShell { lines: Vec::new(), claims: Vec::new() };
    for Said { key, line } in items {
        for &channel in &post.settings.channels {
            let here = match channel {
                Channel::Shell => shell,
                // The client of the tmux this prompt runs in.
                Channel::Tmux => post.env.is_set("TMUX"),
                Channel::Desktop => true,
            };
            if !here {
                continue;
            }
            let State::Mine(claim) = record::claim(post.cache, channel, &key, post.replay) else { continue };
            if post.die_after_claim {
                std::process::abort();
            }
            match channel {
                Channel::Shell => {
                    out.lines.push(line.clone());
                    out.claims.push((claim, key.clone(), channel));
                    continue;
                }
                Channel::Tmux => match tmux(&line) {
                    // With no client attached tmux has nowhere to show it: it stays due for a prompt
                    // that has one.
                    Some(false) => continue,
                    Some(true) => {}
                    None => log::warn(&format!(
                        "notice: tmux did not answer within {} ms (a stopped server?); not tried again",
                        TMUX_WAIT.as_millis()
                    )),
                },
                Channel::Desktop => match osc(&line, post.env).filter(|_| shell) {
                    // Printed by the hook, with the shell's lines: marked given with them.
                    Some(esc) => {
                        out.lines.push(esc);
                        out.claims.push((claim, key.clone(), channel));
                        continue;
                    }
                    None => {
                        desktop(&line);
                    }
                },
            }
            // Sent (or logged as impossible: not tried again at every prompt).
            let _ = claim.done();
            settle_below(post, channel, &key);
        }
    }
    out
}

/// The notices due that cannot be given, each with its channel and why (for `doctor`).
pub fn blocked(post: &Post, runways: &[Runway]) -> Vec<String> {
    let mut out = Vec::new();
    for s in said(post, runways) {
        for &channel in &post.settings.channels {
            if let Err(e) = record::probe(post.cache, channel, &s.key, post.replay) {
                out.push(format!(
                    "\"{}\" cannot be given on {}: its record cannot be made ({e})",
                    s.line.trim_start_matches("runway: "),
                    channel.name()
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toast_takes_the_text_as_one_literal() {
        let s = toast("Claude's 5h at 80% ' + $(Remove-Item x) + '\x1b]0;t");
        assert!(s.contains("CreateTextNode('Claude''s 5h at 80% '' + $(Remove-Item x) + ''\u{FFFD}]0;t')"), "{s}");
        assert!(s.contains("ToastText02") && s.contains(".Show("), "{s}");
        assert!(!s.contains("RUNWAY_TEXT"), "the one placeholder filled: {s}");
    }
}
