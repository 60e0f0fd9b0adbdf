//! Synthetic histories for runway's benchmark, tests and demo: Claude Code transcripts and Codex CLI
//! rollouts shaped like the real ones, over days of working hours, with the duplication, resumes,
//! subagents, forks and rate-limit snapshots real files have. Not part of the shipped binary.

pub mod claude;
pub mod codex;
pub mod demo;
pub mod out;
pub mod rng;
pub mod text;

pub use claude::{append_call, claude_history, tiny_files};
pub use codex::codex_history;

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// Parses `40M`, `1G`, `500K`, `123`.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()?.to_ascii_uppercase() {
        'K' => (&s[..s.len() - 1], 1u64 << 10),
        'M' => (&s[..s.len() - 1], 1 << 20),
        'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.trim().parse::<f64>().ok().map(|n| (n * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::{Path, PathBuf};

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("40M"), Some(40 << 20));
        assert_eq!(parse_size("1.5k"), Some(1536));
        assert_eq!(parse_size("77"), Some(77));
        assert_eq!(parse_size("x"), None);
    }

    #[test]
    fn generated_rollouts_are_json_with_snapshots() {
        let d = tempfile::tempdir().unwrap();
        let end = 1_770_930_000_000;
        let n = codex_history(d.path(), 1 << 20, 3, end, 3).unwrap();
        assert!(n >= 1 << 20);
        let mut counts = 0;
        for e in walk(&d.path().join("sessions")) {
            assert!(e.file_name().unwrap().to_string_lossy().starts_with("rollout-"));
            for line in fs::read_to_string(&e).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}"));
                if v["payload"]["type"] == "token_count" {
                    counts += 1;
                    assert!(v["payload"]["rate_limits"]["primary"]["window_minutes"] == 300);
                }
            }
        }
        assert!(counts > 20, "{counts}");
    }

    #[test]
    fn generated_lines_are_json_and_carry_usage() {
        let d = tempfile::tempdir().unwrap();
        let end = 1_770_930_000_000;
        let n = claude_history(d.path(), 3 << 20, 3, end, 7).unwrap();
        assert!(n >= 3 << 20);
        let mut files = 0;
        let mut usage = 0;
        let mut newest = 0i64;
        for e in walk(&d.path().join("projects")) {
            files += 1;
            for line in fs::read_to_string(&e).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}"));
                if line.contains(r#""usage":{"#) {
                    usage += 1;
                }
                if let Some(ts) = v["timestamp"].as_str() {
                    newest = newest.max(ts.parse::<jiff::Timestamp>().unwrap().as_millisecond());
                }
            }
            let m = fs::metadata(&e).unwrap().modified().unwrap();
            assert!(m <= std::time::UNIX_EPOCH + std::time::Duration::from_millis(end as u64));
        }
        assert!(files > 3 && usage > 50, "{files} files, {usage} usage lines");
        assert!(newest <= end && newest > end - HOUR_MS, "the last call is shortly before the end");
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
        out
    }
}
