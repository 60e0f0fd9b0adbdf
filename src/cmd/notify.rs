//! Notices, delivered once per window and level on each channel the settings name: the shell's
//! lines are handed back to the prompt (its hook prints them above the next prompt), a tmux message
//! and a desktop notification are sent from here, detached. Nothing is read or written while no
//! window has crossed a threshold.

use std::process::{Command, Stdio};

use crate::app::App;
use crate::forecast::Runway;
use crate::forecast::notice::{self, Due, Level};
use crate::ground::log;
use crate::render::notice::text;
use crate::store::notices::{self, Claim};

/// Shell lines to print, each with its claim, to be marked given once printed.
pub struct ForShell {
    pub lines: Vec<String>,
    claims: Vec<(Claim, String, Level)>,
}

impl ForShell {
    /// After the lines reached the hook.
    pub fn given(self, app: &App) {
        for (c, key, level) in self.claims {
            let _ = c.done();
            settle_below(app, "shell", &key, level);
        }
    }
}

/// The lower levels of a window just announced are not announced after it.
fn settle_below(app: &App, channel: &str, key: &str, level: Level) {
    let base = key.rsplit_once('-').map_or(key, |(b, _)| b);
    for l in Level::ALL.iter().filter(|l| **l < level) {
        notices::settle(&app.cfg.cache_dir, channel, &format!("{base}-{}", l.name()));
    }
}

fn spawn(program: &str, args: &[&str]) -> bool {
    let mut c = Command::new(program);
    c.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut c, 0);
    match c.spawn() {
        Ok(_) => true,
        Err(e) => {
            log::warn(&format!("notice: cannot run {program}: {e}"));
            false
        }
    }
}

fn desktop(line: &str) -> bool {
    if cfg!(target_os = "macos") {
        let script = format!("display notification {:?} with title \"runway\"", line.trim_start_matches("runway: "));
        spawn("osascript", &["-e", &script])
    } else {
        spawn("notify-send", &["--app-name=runway", "runway", line.trim_start_matches("runway: ")])
    }
}

/// Claims and delivers what is due. `shell`: the prompt's hook prints lines (`--notices`).
pub fn deliver(app: &App, runways: &[Runway], shell: bool) -> ForShell {
    let mut out = ForShell { lines: Vec::new(), claims: Vec::new() };
    let cfg = &app.cfg;
    if cfg.notify.is_empty() {
        return out;
    }
    let due: Vec<Due> = notice::due(runways, cfg.style.warn_at, cfg.style.danger_at, cfg.notify_at);
    for d in &due {
        let key = d.key(d.level);
        let line = text(d, cfg.now, &cfg.style);
        for channel in &cfg.notify {
            let here = match channel.as_str() {
                "shell" => shell,
                // The client of the tmux this prompt runs in.
                "tmux" => std::env::var_os("TMUX").is_some_and(|t| !t.is_empty()),
                _ => true,
            };
            if !here {
                continue;
            }
            let Some(claim) = notices::claim(&cfg.cache_dir, channel, &key) else { continue };
            if std::env::var_os("RUNWAY_FAULT").is_some_and(|v| v == "after-claim") {
                // Fault injection for the tests: dies holding the claim, before delivering.
                std::process::abort();
            }
            match channel.as_str() {
                "shell" => {
                    out.lines.push(line.clone());
                    out.claims.push((claim, key.clone(), d.level));
                    continue;
                }
                "tmux" => {
                    // Waited for (a few milliseconds, once): with no client attached tmux has nowhere
                    // to show it, and the notice stays due for a prompt that has one.
                    let shown = Command::new("tmux")
                        .args(["display-message", "-d", "10000", &line])
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status();
                    if !shown.is_ok_and(|s| s.success()) {
                        continue;
                    }
                }
                _ => {
                    desktop(&line);
                }
            }
            // Sent (or logged as impossible: not tried again at every prompt).
            let _ = claim.done();
            settle_below(app, channel, &key, d.level);
        }
    }
    out
}
