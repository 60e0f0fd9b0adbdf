//! `runway statusline`: Claude Code's status-line command.
//!
//! Claude Code pipes a JSON object on stdin (model, context window, session cost and, for Pro/Max
//! subscribers after the first response, `rate_limits`) and shows the first line printed. runway reads
//! at most 1 MiB of it, tolerates missing, null and unexpected fields and invalid JSON (the runway from
//! the cache is still printed), stores `rate_limits` for the shell and tmux segments, and prints e.g.
//!
//! ```text
//! Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻2h10m · 7d 41%
//! ```
//!
//! each field left out when unknown, and the least important dropped first when `COLUMNS` is small.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::readings::{Reading, Window};
use crate::render::{Style, Target, paint, segment};
use crate::runway::Runway;

/// The most stdin that is read; a larger payload is not Claude Code's and is ignored.
pub const MAX_STDIN: usize = 1 << 20;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Payload {
    pub model: Option<String>,
    pub context_percent: Option<f64>,
    pub context_size: Option<u64>,
    pub cost_usd: Option<f64>,
    pub transcript: Option<PathBuf>,
    /// (used percentage, resets at in ms)
    pub five: Option<(f64, i64)>,
    pub seven: Option<(f64, i64)>,
}

/// Reads stdin: nothing from a terminal, at most `MAX_STDIN` bytes, and gives up waiting after a
/// moment, so that a host that never closes the pipe cannot hang the status line.
pub fn read_stdin() -> Option<Vec<u8>> {
    if std::io::stdin().is_terminal() {
        return None;
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let r = std::io::stdin().lock().take(MAX_STDIN as u64 + 1).read_to_end(&mut buf);
        let _ = tx.send(r.map(|_| buf));
    });
    match rx.recv_timeout(Duration::from_millis(500)) {
        Ok(Ok(buf)) if buf.len() <= MAX_STDIN => Some(buf),
        Ok(Ok(_)) => {
            crate::log::warn("statusline: more than 1 MiB on stdin; ignored");
            None
        }
        Ok(Err(e)) => {
            crate::log::warn(&format!("statusline: cannot read stdin: {e}"));
            None
        }
        Err(_) => {
            crate::log::warn("statusline: nothing arrived on stdin");
            None
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite())
}

fn window(v: &Value) -> Option<(f64, i64)> {
    let used = number(&v["used_percentage"]).filter(|u| *u >= 0.0)?;
    let resets = number(&v["resets_at"]).filter(|r| *r > 0.0)?;
    Some((used, (resets * 1000.0) as i64))
}

/// Reads what it can from the payload; anything missing, null or of another type is simply absent.
pub fn parse(bytes: &[u8]) -> Payload {
    let v: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            if !bytes.iter().all(u8::is_ascii_whitespace) {
                crate::log::warn(&format!("statusline: stdin is not JSON ({e})"));
            }
            return Payload::default();
        }
    };
    let s = |x: &Value| x.as_str().filter(|t| !t.trim().is_empty()).map(str::to_owned);
    let cw = &v["context_window"];
    let size = cw["context_window_size"].as_u64().filter(|n| *n > 0);
    let from_usage = || {
        let u = &cw["current_usage"];
        let n = ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
            .iter()
            .map(|k| u[*k].as_u64())
            .collect::<Option<Vec<u64>>>()?;
        Some(n.iter().sum::<u64>() as f64 / size? as f64 * 100.0)
    };
    Payload {
        model: s(&v["model"]["display_name"]).or_else(|| s(&v["model"]["id"])),
        context_percent: number(&cw["used_percentage"]).or_else(from_usage),
        context_size: size,
        cost_usd: number(&v["cost"]["total_cost_usd"]).filter(|c| *c >= 0.0),
        transcript: s(&v["transcript_path"]).map(PathBuf::from),
        five: window(&v["rate_limits"]["five_hour"]),
        seven: window(&v["rate_limits"]["seven_day"]),
    }
}

/// The readings a payload carries, observed `now`.
pub fn readings(p: &Payload, now: i64) -> Vec<Reading> {
    let root = p.transcript.as_deref().and_then(crate::readings::root_of).map(|r| r.display().to_string());
    let mk = |w: Window, (used, resets): (f64, i64)| Reading {
        provider: "claude".into(),
        window: w,
        used_percent: used,
        resets_at: resets,
        observed_at: now,
        root: root.clone().unwrap_or_default(),
    };
    p.five.map(|x| mk(Window::FiveHour, x)).into_iter().chain(p.seven.map(|x| mk(Window::SevenDay, x))).collect()
}

/// Context used, from the last main-thread usage line of the transcript: its prompt (input and cache)
/// over the window size (200k unless told otherwise).
pub fn context_from_transcript(path: &Path, size: u64) -> Option<f64> {
    use std::os::unix::fs::FileExt;
    let (f, md) = crate::tail::open(path).ok()?;
    let len = md.len();
    let mut tail = 256 * 1024u64;
    loop {
        let start = len.saturating_sub(tail);
        let mut buf = vec![0u8; (len - start) as usize];
        f.read_exact_at(&mut buf, start).ok()?;
        let finder = crate::claude::Finder::default();
        for line in buf.split(|&b| b == b'\n').rev() {
            if !finder.may_carry_usage(line) {
                continue;
            }
            if let crate::claude::Parsed::Usage(u) = crate::claude::parse(line)
                && !u.sidechain
            {
                let t = u.tokens;
                return Some((t.input + t.cache_creation() + t.cache_read) as f64 / size.max(1) as f64 * 100.0);
            }
        }
        if start == 0 || tail >= 8 << 20 {
            return None;
        }
        tail *= 4;
    }
}

/// Visible width: characters outside escape sequences.
fn width(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

/// The line. Fields come from the settings (`statusline_fields`), in order; when the line is wider than
/// `columns`, the model goes first, then Codex, the session cost, the context and the 7-day figure.
pub fn line(
    r: &Runway,
    codex: Option<&Runway>,
    p: &Payload,
    context: Option<f64>,
    fields: &[String],
    style: &Style,
    columns: Option<usize>,
) -> String {
    let ctx_level = |pct: f64| crate::render::level(Some(pct), false, style);
    let mut parts: Vec<(&str, String)> = Vec::new();
    for f in fields {
        let part = match f.as_str() {
            "model" => p.model.clone(),
            "context" => {
                context.map(|c| paint(&format!("ctx {}%", c.round() as i64), ctx_level(c), Target::Ansi, style))
            }
            "cost" => p.cost_usd.map(|c| format!("${c:.2}")),
            "5h" => r.five.as_ref().map(|g| segment(&[("5h".into(), g)], r.now, Target::Ansi, style)),
            "7d" => r.seven.as_ref().map(|g| segment(&[("7d".into(), g)], r.now, Target::Ansi, style)),
            // Codex's binding windows, when it has any running.
            "codex" => codex.map(|x| {
                let windows: Vec<(String, &crate::runway::Gauge)> =
                    crate::runway::labelled(std::slice::from_ref(x), style.warn_at)
                        .into_iter()
                        .map(|(label, g)| (format!("X {label}"), g))
                        .collect();
                segment(&windows, x.now, Target::Ansi, style)
            }),
            _ => None,
        };
        if let Some(text) = part.filter(|t| !t.is_empty()) {
            parts.push((f.as_str(), text));
        }
    }
    let join =
        |parts: &[(&str, String)]| parts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(&style.separator);
    if let Some(cols) = columns.filter(|c| *c > 0) {
        for drop in ["model", "codex", "cost", "context", "7d"] {
            if width(&join(&parts)) <= cols {
                break;
            }
            parts.retain(|(k, _)| *k != drop);
        }
    }
    join(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"{"session_id":"0b6e","transcript_path":"/home/u/.claude/projects/-home-u-proj/0b6e.jsonl","cwd":"/home/u/proj","model":{"id":"claude-opus-4-6","display_name":"Opus 4.6"},"workspace":{"current_dir":"/home/u/proj","project_dir":"/home/u/proj","added_dirs":[]},"version":"2.1.120","output_style":{"name":"default"},"cost":{"total_cost_usd":1.84,"total_duration_ms":905000,"total_api_duration_ms":211000,"total_lines_added":120,"total_lines_removed":8},"context_window":{"total_input_tokens":64200,"total_output_tokens":380,"context_window_size":200000,"used_percentage":32,"remaining_percentage":68,"current_usage":{"input_tokens":4,"output_tokens":380,"cache_creation_input_tokens":1200,"cache_read_input_tokens":62996}},"exceeds_200k_tokens":false,"fast_mode":false,"effort":{"level":"high"},"thinking":{"enabled":true},"rate_limits":{"five_hour":{"used_percentage":23.5,"resets_at":1781290000},"seven_day":{"used_percentage":41.2,"resets_at":1781730000}}}"#;

    #[test]
    fn full_payload() {
        let p = parse(FULL.as_bytes());
        assert_eq!(p.model.as_deref(), Some("Opus 4.6"));
        assert_eq!(p.context_percent, Some(32.0));
        assert_eq!(p.cost_usd, Some(1.84));
        assert_eq!(p.five, Some((23.5, 1_781_290_000_000)));
        assert_eq!(p.seven, Some((41.2, 1_781_730_000_000)));
        let rs = readings(&p, 5);
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[0].root, "/home/u/.claude/projects");
    }

    #[test]
    fn nulls_and_strangers() {
        let start = r#"{"session_id":"x","model":{"id":"claude-opus-4-6","display_name":null},"context_window":{"context_window_size":200000,"used_percentage":null,"current_usage":null},"cost":{"total_cost_usd":"lots"},"rate_limits":{"five_hour":{"used_percentage":null,"resets_at":1781290000}},"new_field":[1,2,{"x":null}]}"#;
        let p = parse(start.as_bytes());
        assert_eq!(p.model.as_deref(), Some("claude-opus-4-6"));
        assert_eq!((p.context_percent, p.cost_usd, p.five), (None, None, None));
        assert_eq!(parse(b""), Payload::default());
        assert_eq!(parse(b"\x00garbage{"), Payload::default());
        assert_eq!(parse(b"[1,2]"), Payload::default());
        // Context from current_usage when the percentage is missing: 64,200 of 200,000.
        let p = parse(br#"{"context_window":{"context_window_size":200000,"current_usage":{"input_tokens":4,"cache_creation_input_tokens":1200,"cache_read_input_tokens":62996}}}"#);
        assert_eq!(p.context_percent, Some(32.1));
    }

    #[test]
    fn widths_ignore_escapes() {
        assert_eq!(width("\x1b[31m5h 62%\x1b[0m · x"), 10);
    }
}
