//! `runway statusline`: Claude Code's status-line command. Stores the payload's `rate_limits` for the
//! shell and tmux segments, then prints one line (see `render::line`); with invalid JSON on stdin it
//! still prints the runway from the cache.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::config::Config;
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;
use crate::ground::evidence::Reading;
use crate::ground::provider::Provider;
use crate::ground::{log, platform};
use crate::provider::claude::payload::{self, Payload};
use crate::render::clean::clean_keep_colour;
use crate::render::escape::Target;
use crate::render::line::{Session, line};
use crate::store::ingest::Pace;
use crate::store::prompt_cache;
use crate::store::readings::Readings;

/// `troubled`: the settings had a problem (kept for `doctor`); the line ends with a marker.
pub fn run(cfg: Config, stdin: Option<&[u8]>, then: Option<&str>, troubled: bool) -> io::Result<ExitCode> {
    let p = stdin.map(|b| payload::parse(b, cfg.now)).unwrap_or_default();
    for why in &p.rejected {
        log::warn(&format!("statusline: refused {why}"));
    }
    let stored = Readings::record(&cfg.cache, &p.readings, &p.rejected, p.root().as_deref());
    if let Err(e) = &stored {
        log::warn(&format!("statusline: cannot store rate_limits: {e}"));
    }
    if let (Some(session), Some(cache)) = (&p.session_id, p.prompt_cache) {
        let kept = prompt_cache::Kept { session: session.clone(), seen_at: cfg.now, cache };
        prompt_cache::save(&cfg.cache, &kept);
    }
    let mut app = App::load(cfg, Pace::Prompt);
    if stored.is_err() {
        // This answer has them still: the service's figures are not lost with the cache.
        app.readings.keep_in_memory(&p.readings, p.root().as_deref());
    }
    let started = Instant::now();
    let mut claude = app.runway(Provider::CLAUDE).map_err(io::Error::other)?;
    // The other tools the settings name, for the line's `codex` and `tools` fields.
    let mut others: Vec<Runway> = Vec::new();
    for &p in app.cfg.providers.iter().filter(|p| **p != Provider::CLAUDE) {
        others.push(app.runway(p).map_err(io::Error::other)?);
    }
    // Until every file is read to its end the totals are partial: the session's own fields, and the
    // service's figures as it gave them, whatever is read yet: the payload's, or the newest fresh one
    // kept (a payload without `rate_limits`, a session's first turns, showed no gauge at all).
    if app.run.info.behind {
        for r in std::iter::once(&mut claude).chain(others.iter_mut()) {
            r.gauges.clear();
        }
        let (now, fresh) = (app.cfg.now, app.cfg.forecast.trust.fresh_ms);
        let mut reported: Vec<Reading> = app.limits(Provider::CLAUDE).into_iter().map(|(r, _)| r).collect();
        reported.retain(|r| r.main() && r.resets_at > now && now - r.observed_at <= fresh);
        reported.sort_by_key(|r| r.window as u8);
        claude.gauges = reported.iter().map(Gauge::reported).collect();
    }
    let (context, context_tokens) = context(&p, app.cfg.now).unzip();
    // The session's context past its health thresholds: said once (tmux, desktop).
    if let (Some(id), Some(tokens)) = (p.session_id.as_deref(), context_tokens) {
        crate::notice::deliver::context(&super::post(&app.cfg), id, tokens);
    }
    let session = Session {
        model: p.model.as_deref(),
        context_percent: context,
        context_tokens,
        cost_usd: p.cost_usd,
        prompt_cache: p.prompt_cache,
    };
    let columns = app.cfg.env.number("COLUMNS").map(|c| c as usize);
    let cfg = &app.cfg;
    let mut text =
        super::prompt::stale(line(&claude, &others, &session, &cfg.statusline_fields, &cfg.style, columns), &app);
    if troubled {
        text = super::prompt::with_marker(text, Target::Ansi, &cfg.style);
    }
    let mut out = format!("{}\n", cfg.style.text(&text));
    if let Some(cmd) = then {
        for l in other_line(cmd, stdin.unwrap_or_default()) {
            out += &format!("{l}\n");
        }
    }
    let r = emit(&out);
    super::timings(&app, started);
    super::catch_up::start_if_needed(&app);
    r.map(|_| ExitCode::SUCCESS)
}

/// The rows another status-line command prints for the same payload (at most three, its colours kept,
/// other escapes cleaned), if it answers within a second; Claude Code cancels slow ones anyway.
fn other_line(cmd: &str, stdin: &[u8]) -> Vec<String> {
    use std::io::{Read, Write};
    use std::process::Stdio;
    // A group of its own, so a slow command's children (which would hold its output open) go with it.
    let Ok(mut child) = platform::own_group(&mut platform::shell(cmd))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        log::warn(&format!("statusline: cannot run {cmd:?}"));
        return Vec::new();
    };
    if let Some(mut input) = child.stdin.take() {
        let bytes = stdin.to_vec();
        std::thread::spawn(move || input.write_all(&bytes));
    }
    // Read as it comes, so that what was written counts even if the pipe never closes.
    let mut stdout = child.stdout.take();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = got.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Some(n) = stdout.as_mut().and_then(|s| s.read(&mut chunk).ok()).filter(|&n| n > 0) {
            let Ok(mut b) = sink.lock() else { break };
            if b.len() >= 64 << 10 {
                break;
            }
            b.extend_from_slice(&chunk[..n]);
        }
        let _ = tx.send(());
    });
    if !matches!(platform::wait_within(&mut child, std::time::Duration::from_secs(1)), Ok(Some(_))) {
        log::warn(&format!("statusline: {cmd:?} took more than a second; left out"));
        return Vec::new();
    }
    // A grandchild that left the group may still hold the pipe: what the command wrote before it
    // ended is its answer, after a moment for the last of it to be read.
    let _ = rx.recv_timeout(std::time::Duration::from_millis(100));
    let out = got.lock().map(|b| b.clone()).unwrap_or_default();
    let text = String::from_utf8_lossy(&out).into_owned();
    text.lines().filter(|l| !l.trim().is_empty()).take(3).map(clean_keep_colour).collect()
}

/// The context used, as a share and in tokens: as the payload says (its tokens, else worked back from
/// its share), else from the session's transcript as of `now`.
fn context(p: &Payload, now: i64) -> Option<(f64, u64)> {
    match p.context_percent {
        Some(c) => Some((c, p.context_tokens.unwrap_or_else(|| (c / 100.0 * p.context_size() as f64).round() as u64))),
        None => payload::context_from_transcript(p.transcript.as_deref()?, p.context_size(), now),
    }
}
