//! What Claude Code hands its status-line command on stdin: model, context window, session cost and,
//! for Pro/Max subscribers after the first response, `rate_limits`. Read tolerantly: at most 1 MiB,
//! never from a terminal, never waiting long; anything missing, null or of another type is absent.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use super::line as claude;
use crate::ground::evidence::{Reading, check, reset_ms};
use crate::ground::files::open_regular;
use crate::ground::log;
use crate::ground::repair;
use crate::ground::window::Window;

/// The most stdin that is read; a larger payload is not Claude Code's and is ignored.
pub const MAX_STDIN: usize = 1 << 20;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Payload {
    /// The session's id, when it is a plain one (letters, digits, dashes; at most 64).
    pub session_id: Option<String>,
    pub model: Option<String>,
    pub context_percent: Option<f64>,
    /// The prompt's tokens (`current_usage`: input and cache), when the payload gives them: the count
    /// itself, not one worked back from a whole percent (83% of 200k is 166.0k for 166,972).
    pub context_tokens: Option<u64>,
    pub context_size: Option<u64>,
    pub cost_usd: Option<f64>,
    pub transcript: Option<PathBuf>,
    /// The service's own figures (`rate_limits`), observed now.
    pub readings: Vec<Reading>,
    /// The prompt cache's state, when the payload has one.
    pub prompt_cache: Option<PromptCache>,
    /// Figures refused as implausible, and why.
    pub rejected: Vec<String>,
}

/// `prompt_cache`: when the session's prompt cache expires (`expires_at`, else `ttl` seconds from
/// now), whether it is warm, and the share of input read from it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PromptCache {
    pub expires_at: Option<i64>,
    pub warm: Option<bool>,
    /// 0-100.
    pub hit_percent: Option<f64>,
}

/// The longest prompt cache Claude offers is an hour; a payload's expiry further off is not shown.
/// Two minutes over it: the expiry is stamped by the service's clock, which may run ahead of this one.
const MAX_CACHE_MS: i64 = 3_600_000 + 120_000;

fn prompt_cache(v: &Value, now: i64, rejected: &mut Vec<String>) -> Option<PromptCache> {
    if !v.is_object() {
        return None;
    }
    let at = match &v["expires_at"] {
        Value::String(t) => crate::ground::time::parse_rfc3339(t),
        x => number(x).and_then(reset_ms),
    }
    .or_else(|| number(&v["ttl"]).filter(|t| *t >= 0.0).map(|t| now.saturating_add((t * 1000.0) as i64)));
    let at = checked("prompt_cache.expires_at", at, |t| t - now <= MAX_CACHE_MS && now - t <= MAX_CACHE_MS, rejected);
    // A ratio from 0 to 1, or a percentage.
    let hit = number(&v["hit_ratio"]).map(|h| if h <= 1.0 { h * 100.0 } else { h });
    let hit = checked("prompt_cache.hit_ratio", hit, |h| (0.0..=100.0).contains(&h), rejected);
    Some(PromptCache { expires_at: at, warm: v["warm"].as_bool(), hit_percent: hit })
}

/// Reads stdin: nothing from a terminal, at most `MAX_STDIN` bytes, and gives up waiting after a
/// moment, so that a host that never closes the pipe cannot hang the status line. A whole JSON value
/// is the payload as soon as it has arrived, closed or not (a host that kept the pipe open once had
/// its payload dropped after the wait).
pub fn read_stdin() -> Option<Vec<u8>> {
    if std::io::stdin().is_terminal() {
        return None;
    }
    let (tx, rx) = mpsc::channel::<std::io::Result<Vec<u8>>>();
    std::thread::spawn(move || {
        // Through stdin's own buffer, which is never zeroed: a chunk of 64 KiB made zeroed for each
        // status line touched 16 pages for a payload of two or three KiB (15 of its 221 page faults).
        let mut stdin = std::io::stdin().lock();
        loop {
            match stdin.fill_buf() {
                Ok(bytes) => {
                    let (chunk, n) = (bytes.to_vec(), bytes.len());
                    stdin.consume(n);
                    // An empty chunk is the end.
                    if tx.send(Ok(chunk)).is_err() || n == 0 {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
    });
    let until = std::time::Instant::now() + Duration::from_millis(500);
    let mut buf = Vec::new();
    loop {
        let left = until.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(Ok(c)) if c.is_empty() => return Some(buf),
            Ok(Ok(c)) => {
                buf.extend_from_slice(&c);
                if buf.len() > MAX_STDIN {
                    log::warn("statusline: more than 1 MiB on stdin; ignored");
                    return None;
                }
                // A payload is an object: whole only when it ends in `}` (parsing at every chunk made
                // a megabyte sent in 4 KiB writes cost 0.4 s, 256 parses of a growing buffer).
                let ends = buf.iter().rev().find(|b| !b.is_ascii_whitespace()) == Some(&b'}');
                if ends && serde_json::from_slice::<serde::de::IgnoredAny>(&buf).is_ok() {
                    return Some(buf);
                }
            }
            Ok(Err(e)) => {
                log::warn(&format!("statusline: cannot read stdin: {e}"));
                return None;
            }
            Err(_) if !buf.is_empty() => {
                log::warn("statusline: stdin still open after an unfinished payload");
                return Some(buf);
            }
            Err(_) => {
                log::warn("statusline: nothing arrived on stdin");
                return None;
            }
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite())
}

/// A share of the context window that can be shown: 0 to 100%.
fn share(x: f64) -> Option<f64> {
    (x.is_finite() && (0.0..=100.0).contains(&x)).then_some(x)
}

/// The largest context window a payload may claim (the largest today is a million tokens), and the
/// largest session cost it may: beyond them the figure is not shown.
const MAX_CONTEXT: u64 = 100_000_000;
const MAX_SESSION_USD: f64 = 1_000_000.0;

/// A figure from the payload: as given when it is within `ok`, else absent and the reason noted.
fn checked<T: std::fmt::Display + Copy>(
    name: &str,
    v: Option<T>,
    ok: impl Fn(T) -> bool,
    rejected: &mut Vec<String>,
) -> Option<T> {
    match v {
        Some(x) if !ok(x) => {
            rejected.push(format!("{name}: {x} is out of range"));
            None
        }
        v => v,
    }
}

/// A window of `rate_limits`: `None` when absent (Claude Code leaves out what it does not know),
/// `Some(Err(why))` when present but not a figure that can be shown.
fn reading(v: &Value, window: Window, now: i64) -> Option<Result<Reading, String>> {
    if v.is_null() {
        return None;
    }
    let (used, resets) = (v["used_percentage"].as_f64(), v["resets_at"].as_f64());
    let (Some(used), Some(resets)) = (used, resets) else {
        return (!v["used_percentage"].is_null() || !v["resets_at"].is_null())
            .then(|| Err(format!("rate_limits.{}: not a share and a reset time", window.key())));
    };
    let checked = reset_ms(resets)
        .ok_or("unusable reset time")
        .and_then(|at| check(used, at, now, window).map(|_| at))
        .map_err(|why| format!("rate_limits.{}: {why} (used_percentage {used}, resets_at {resets})", window.key()));
    Some(checked.map(|at| match window {
        Window::Spend => Reading::spend(crate::provider::claude::SPEC.provider, used, at, now),
        w => Reading::new(crate::provider::claude::SPEC.provider, w, used, at, now),
    }))
}

/// A session id runway keeps and shows: letters, digits and dashes, at most 64 (Claude Code's are
/// UUIDs).
pub fn plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Reads what it can from the payload, observed at `now`.
pub fn parse(bytes: &[u8], now: i64) -> Payload {
    let v: Value = match repair::parsed(bytes) {
        Ok(v) => v,
        Err(e) => {
            if !bytes.iter().all(u8::is_ascii_whitespace) {
                log::warn(&format!("statusline: stdin is not JSON ({e})"));
            }
            return Payload::default();
        }
    };
    let s = |x: &Value| x.as_str().filter(|t| !t.trim().is_empty()).map(str::to_owned);
    let (mut readings, mut rejected) = (Vec::new(), Vec::new());
    let cw = &v["context_window"];
    let size = checked(
        "context_window_size",
        cw["context_window_size"].as_u64(),
        |n| (1..=MAX_CONTEXT).contains(&n),
        &mut rejected,
    );
    let tokens = {
        let u = &cw["current_usage"];
        ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
            .iter()
            .map(|k| u[*k].as_u64())
            .collect::<Option<Vec<u64>>>()
            .map(|n| n.iter().fold(0u64, |a, b| a.saturating_add(*b)))
            .filter(|n| *n <= size.unwrap_or(MAX_CONTEXT))
    };
    let from_usage = || share(tokens? as f64 / size? as f64 * 100.0);
    let given = checked(
        "context_window.used_percentage",
        number(&cw["used_percentage"]),
        |x| share(x).is_some(),
        &mut rejected,
    );
    let cost = checked(
        "cost.total_cost_usd",
        number(&v["cost"]["total_cost_usd"]),
        |c| (0.0..=MAX_SESSION_USD).contains(&c),
        &mut rejected,
    );
    let cache = prompt_cache(&v["prompt_cache"], now, &mut rejected);
    let limits = &v["rate_limits"];
    for (w, k) in [(Window::FiveHour, "five_hour"), (Window::SevenDay, "seven_day"), (Window::Spend, "spend_limit")] {
        match reading(&limits[k], w, now) {
            Some(Ok(r)) => readings.push(r),
            Some(Err(why)) => rejected.push(why),
            None => {}
        }
    }
    let session_id = s(&v["session_id"]).filter(|id| plain_id(id));
    Payload {
        session_id,
        model: s(&v["model"]["display_name"]).or_else(|| s(&v["model"]["id"])),
        context_percent: given.or_else(from_usage),
        context_tokens: tokens,
        context_size: size,
        cost_usd: cost,
        transcript: s(&v["transcript_path"]).map(PathBuf::from),
        readings,
        prompt_cache: cache,
        rejected,
    }
}

impl Payload {
    /// The context window's size: as the payload says, else 1M for a model named so, else 200k.
    pub fn context_size(&self) -> u64 {
        self.context_size.unwrap_or(if self.model.as_deref().is_some_and(|m| m.contains("1M")) {
            1_000_000
        } else {
            200_000
        })
    }

    /// The `projects/` root the session's transcript lives under: whose readings these are.
    pub fn root(&self) -> Option<PathBuf> {
        root_of(self.transcript.as_deref()?)
    }
}

/// The `projects/` root a transcript lives under, from its path.
pub fn root_of(transcript: &Path) -> Option<PathBuf> {
    transcript.ancestors().find(|a| a.file_name().is_some_and(|n| n == "projects")).map(Path::to_path_buf)
}

/// Context used, from the last main-thread usage line of the transcript at or before `until` (a
/// replay's instant: a line after it did not exist yet): its prompt (input and cache), as a share of
/// the window's size and in tokens.
pub fn context_from_transcript(path: &Path, size: u64, until: i64) -> Option<(f64, u64)> {
    let (f, md) = open_regular(path).ok()?;
    let len = md.len();
    let mut tail = 256 * 1024u64;
    let finder = claude::Finder::default();
    loop {
        let start = len.saturating_sub(tail);
        let mut buf = vec![0u8; (len - start) as usize];
        crate::ground::platform::read_exact_at(&f, &mut buf, start).ok()?;
        for line in buf.split(|&b| b == b'\n').rev() {
            if !finder.may_carry_usage(line) {
                continue;
            }
            if let claude::Parsed::Usage(u) = claude::parse(line)
                && !u.sidechain
                && u.ts <= until
            {
                let t = u.tokens;
                let used = t.input.saturating_add(t.cache_creation()).saturating_add(t.cache_read);
                return share(used as f64 / size.max(1) as f64 * 100.0).map(|p| (p, used));
            }
        }
        if start == 0 || tail >= 8 << 20 {
            return None;
        }
        tail *= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"{"session_id":"0b6e","transcript_path":"/home/u/.claude/projects/-home-u-proj/0b6e.jsonl","cwd":"/home/u/proj","model":{"id":"claude-opus-4-6","display_name":"Opus 4.6"},"workspace":{"current_dir":"/home/u/proj","project_dir":"/home/u/proj","added_dirs":[]},"version":"2.1.120","output_style":{"name":"default"},"cost":{"total_cost_usd":1.84,"total_duration_ms":905000,"total_api_duration_ms":211000,"total_lines_added":120,"total_lines_removed":8},"context_window":{"total_input_tokens":64200,"total_output_tokens":380,"context_window_size":200000,"used_percentage":32,"remaining_percentage":68,"current_usage":{"input_tokens":4,"output_tokens":380,"cache_creation_input_tokens":1200,"cache_read_input_tokens":62996}},"exceeds_200k_tokens":false,"fast_mode":false,"effort":{"level":"high"},"thinking":{"enabled":true},"rate_limits":{"five_hour":{"used_percentage":23.5,"resets_at":1781290000},"seven_day":{"used_percentage":41.2,"resets_at":1781730000}}}"#;

    #[test]
    fn full_payload() {
        let p = parse(FULL.as_bytes(), 1_781_280_000_000);
        assert_eq!(p.model.as_deref(), Some("Opus 4.6"));
        assert_eq!((p.context_percent, p.context_tokens), (Some(32.0), Some(64_200)));
        assert_eq!(p.cost_usd, Some(1.84));
        let r = |w: Window, used: f64, resets_at: i64| {
            Reading::new(crate::provider::claude::SPEC.provider, w, used, resets_at, 1_781_280_000_000)
        };
        assert_eq!(
            p.readings,
            vec![r(Window::FiveHour, 23.5, 1_781_290_000_000), r(Window::SevenDay, 41.2, 1_781_730_000_000)]
        );
        assert_eq!(p.root(), Some(PathBuf::from("/home/u/.claude/projects")));
    }

    #[test]
    fn figures_out_of_range_are_not_shown() {
        let huge = r#"{"context_window":{"context_window_size":200000,"used_percentage":1e300,"current_usage":{"input_tokens":18446744073709551615,"cache_creation_input_tokens":18446744073709551615,"cache_read_input_tokens":1}},"cost":{"total_cost_usd":1e300}}"#;
        let p = parse(huge.as_bytes(), 0);
        assert_eq!((p.context_percent, p.cost_usd), (None, None), "neither 1e300 nor a count that wraps");
        assert_eq!(p.rejected.len(), 2, "{:?}", p.rejected);
        let fine =
            r#"{"context_window":{"context_window_size":200000,"used_percentage":100},"cost":{"total_cost_usd":0}}"#;
        let p = parse(fine.as_bytes(), 0);
        assert_eq!((p.context_percent, p.cost_usd, p.rejected.len()), (Some(100.0), Some(0.0), 0));
        let p = parse(br#"{"context_window":{"context_window_size":0,"used_percentage":-1}}"#, 0);
        assert_eq!((p.context_percent, p.context_size, p.rejected.len()), (None, None, 2));
    }

    #[test]
    fn nulls_and_strangers() {
        let start = r#"{"session_id":"x","model":{"id":"claude-opus-4-6","display_name":null},"context_window":{"context_window_size":200000,"used_percentage":null,"current_usage":null},"cost":{"total_cost_usd":"lots"},"rate_limits":{"five_hour":{"used_percentage":null,"resets_at":1781290000}},"new_field":[1,2,{"x":null}]}"#;
        let p = parse(start.as_bytes(), 0);
        assert_eq!(p.model.as_deref(), Some("claude-opus-4-6"));
        assert_eq!((p.context_percent, p.cost_usd, p.readings.len()), (None, None, 0));
        assert_eq!(p.rejected, vec!["rate_limits.five_hour: not a share and a reset time"]);
        assert_eq!(parse(b"", 0), Payload::default());
        assert_eq!(parse(b"\x00garbage{", 0), Payload::default());
        assert_eq!(parse(b"[1,2]", 0), Payload::default());
        // Context from current_usage when the percentage is missing: 64,200 of 200,000.
        let p = parse(br#"{"context_window":{"context_window_size":200000,"current_usage":{"input_tokens":4,"cache_creation_input_tokens":1200,"cache_read_input_tokens":62996}}}"#, 0);
        assert_eq!(p.context_percent, Some(32.1));
    }

    #[test]
    fn the_prompt_cache_as_given_or_refused() {
        let now = 1_781_280_000_000;
        let p = |pc: &str| parse(format!(r#"{{"prompt_cache":{pc}}}"#).as_bytes(), now);
        // Seconds since the epoch, a ratio: four and a half minutes left, 82% read from it.
        let c = p(r#"{"ttl":300,"expires_at":1781280270,"warm":true,"hit_ratio":0.82}"#).prompt_cache.unwrap();
        assert_eq!((c.expires_at, c.warm), (Some(now + 270_000), Some(true)));
        assert!((c.hit_percent.unwrap() - 82.0).abs() < 1e-9);
        assert_eq!(p(r#"{"ttl":3600}"#).prompt_cache.unwrap().expires_at, Some(now + 3_600_000), "from the ttl");
        // An expiry a day away, a ratio of 3 (300%): not shown, and said why.
        let odd = p(r#"{"expires_at":1781366400,"hit_ratio":300}"#);
        assert_eq!(odd.prompt_cache, Some(PromptCache::default()));
        assert_eq!(odd.rejected.len(), 2, "{:?}", odd.rejected);
        assert_eq!(p("7").prompt_cache, None);
        // A ttl past any clock is refused, not wrapped round to a time long past.
        let far = p(r#"{"ttl":1e300}"#);
        assert_eq!((far.prompt_cache.unwrap().expires_at, far.rejected.len()), (None, 1));
    }

    #[test]
    fn roots_from_transcripts() {
        assert_eq!(root_of(Path::new("/h/.claude/projects/-h-p/s.jsonl")), Some(PathBuf::from("/h/.claude/projects")));
        assert_eq!(root_of(Path::new("/h/x/s.jsonl")), None);
    }
}
