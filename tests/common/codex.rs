//! Codex calls priced by hand, and what runway says of Codex, for the Codex tests.

use serde_json::Value;

use super::{Sandbox, assert_quiet, stdout};

/// gpt-5.5 per MTok: $5 input, $0.50 cached input, $30 output.
/// 100k input + 10k output = $0.50 + $0.30 = $0.80.
pub const CALL: [u64; 5] = [100_000, 0, 10_000, 0, 110_000];
/// 200k input of which 100k cached, no output = $0.50 + $0.05 = $0.55.
pub const CACHED: [u64; 5] = [200_000, 100_000, 0, 0, 200_000];

pub fn add(a: [u64; 5], b: [u64; 5]) -> [u64; 5] {
    std::array::from_fn(|i| a[i] + b[i])
}

/// Unix seconds of an RFC 3339 time.
pub fn unix(ts: &str) -> i64 {
    ts.parse::<jiff::Timestamp>().unwrap().as_second()
}

pub fn codex_status(s: &Sandbox, now: &str) -> Value {
    s.status(now)["codex"].clone()
}

pub fn segment(s: &Sandbox, now: &str, extra: &[&str]) -> String {
    let mut args = vec!["--color", "never", "--now", now];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["prompt", "--shell", "plain"]);
    let o = s.run(&args);
    assert_quiet(&o);
    stdout(&o)
}
