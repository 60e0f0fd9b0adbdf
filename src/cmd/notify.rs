//! Notices, delivered once per window and level on each channel the settings name: the shell's
//! lines are handed back to the prompt (its hook prints them above the next prompt), a tmux message
//! and a desktop notification are sent from here, detached. Nothing is read or written while no
//! window has crossed a threshold.

use std::process::{Command, Stdio};

use crate::app::App;
use crate::forecast::Runway;
use crate::forecast::notice::{self, Due, Level};
use crate::ground::env::Env;
use crate::ground::log;
use crate::render::escape::{applescript, desktop_body, osc_text, tmux_message};
use crate::render::notice::text;
use crate::store::notices::{self, Claim};

/// Shell lines to print, each with its claim, to be marked given once printed.
pub struct ForShell {
    pub lines: Vec<String>,
    /// Each with its key, level and channel.
    claims: Vec<(Claim, String, Level, String)>,
}

impl ForShell {
    /// After the lines reached the hook.
    pub fn given(self, app: &App) {
        for (c, key, level, channel) in self.claims {
            let _ = c.done();
            settle_below(app, &channel, &key, level);
        }
    }
}

/// The lower levels of a window just announced are not announced after it.
fn settle_below(app: &App, channel: &str, key: &str, level: Level) {
    let base = key.rsplit_once('-').map_or(key, |(b, _)| b);
    for l in Level::ALL.iter().filter(|l| **l < level) {
        notices::settle(&app.cfg.cache, channel, &format!("{base}-{}", l.name()));
    }
}

fn spawn(program: &str, args: &[&str]) -> bool {
    let mut c = Command::new(program);
    c.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    crate::ground::platform::own_group(&mut c);
    match c.spawn() {
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

/// Each program gets the text escaped for what it reads: AppleScript's string syntax, the
/// notification server's markup (after `--`, so no text is taken for an option).
fn desktop(line: &str) -> bool {
    let text = line.trim_start_matches("runway: ");
    if cfg!(target_os = "macos") {
        let script = format!("display notification \"{}\" with title \"runway\"", applescript(text));
        spawn("osascript", &["-e", &script])
    } else {
        spawn("notify-send", &["--app-name=runway", "--", "runway", &desktop_body(text)])
    }
}

/// One notice: the same `key` in every process that would give it.
struct Item {
    key: String,
    line: String,
    level: Level,
}

/// Claims and delivers what is due. `shell`: the prompt's hook prints lines (`--notices`).
pub fn deliver(app: &App, runways: &[Runway], shell: bool) -> ForShell {
    let cfg = &app.cfg;
    if cfg.notify.is_empty() {
        return ForShell { lines: Vec::new(), claims: Vec::new() };
    }
    let due: Vec<Due> = notice::due(runways, cfg.style.warn_at, cfg.style.danger_at, cfg.notify_at);
    let items = due.iter().map(|d| Item { key: d.key(d.level), line: text(d, cfg.now, &cfg.style), level: d.level });
    send(app, items.collect(), shell)
}

/// A live session's context past its health thresholds (from the status line, which knows it):
/// on the tmux and desktop channels, once per session and level.
pub fn context(app: &App, session: &str, tokens: u64) {
    let style = &app.cfg.style;
    let level = match style.context_level(tokens) {
        crate::render::style::Level::Danger => Level::Danger,
        crate::render::style::Level::Warn => Level::Warn,
        _ => return,
    };
    let rank = if level == Level::Danger { 1 } else { 0 };
    if app.cfg.notify.is_empty() || rank < app.cfg.notify_at {
        return;
    }
    let (warn, danger) = style.context_at;
    let line = format!(
        "runway: Claude Code session {} context at {} tokens ({} from {}k)",
        session.get(..8).unwrap_or(session),
        crate::render::words::count(tokens),
        if level == Level::Danger { "red" } else { "amber" },
        if level == Level::Danger { danger } else { warn } / 1000
    );
    let key = format!("context-{session}-{}", level.name());
    send(app, vec![Item { key, line, level }], false);
}

fn send(app: &App, items: Vec<Item>, shell: bool) -> ForShell {
    let mut out = ForShell { lines: Vec::new(), claims: Vec::new() };
    let cfg = &app.cfg;
    for Item { key, line, level } in items {
        for channel in &cfg.notify {
            let here = match channel.as_str() {
                "shell" => shell,
                // The client of the tmux this prompt runs in.
                "tmux" => cfg.env.is_set("TMUX"),
                _ => true,
            };
            if !here {
                continue;
            }
            let Some(claim) = notices::claim(&cfg.cache, channel, &key) else { continue };
            if cfg.knobs.fault("after-claim") {
                // Fault injection for the tests: dies holding the claim, before delivering.
                std::process::abort();
            }
            match channel.as_str() {
                "shell" => {
                    out.lines.push(line.clone());
                    out.claims.push((claim, key.clone(), level, channel.clone()));
                    continue;
                }
                "tmux" => {
                    // Waited for (a few milliseconds, once): with no client attached tmux has nowhere
                    // to show it, and the notice stays due for a prompt that has one.
                    let shown = Command::new("tmux")
                        .args(["display-message", "-d", "10000", "--", &tmux_message(&line)])
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status();
                    if !shown.is_ok_and(|s| s.success()) {
                        continue;
                    }
                }
                _ => match osc(&line, &cfg.env).filter(|_| shell) {
                    // Printed by the hook, with the shell's lines: marked given with them.
                    Some(esc) => {
                        out.lines.push(esc);
                        out.claims.push((claim, key.clone(), level, channel.clone()));
                        continue;
                    }
                    None => {
                        desktop(&line);
                    }
                },
            }
            // Sent (or logged as impossible: not tried again at every prompt).
            let _ = claim.done();
            settle_below(app, channel, &key, level);
        }
    }
    out
}
