//! What the status-line tests share: their moment, a payload's limits, feeding a payload, and the
//! line without its colours.

use std::process::Output;

use serde_json::{Value, json};

use super::*;

pub const NOW: &str = "2026-02-12T21:30:00Z";
/// 2026-02-12T21:30:00Z in Unix seconds.
pub const NOW_S: i64 = 1_770_931_800;

pub fn limits(five: f64, five_reset: i64, seven: f64, seven_reset: i64) -> Value {
    json!({ "five_hour": { "used_percentage": five, "resets_at": five_reset }, "seven_day": { "used_percentage": seven, "resets_at": seven_reset } })
}

pub fn feed(s: &Sandbox, stdin: &[u8], extra: &[(&str, &str)]) -> Output {
    let mut c = s.cmd();
    for (k, v) in extra {
        c.env(k, v);
    }
    let o = output_with_input(c.args(["--now", NOW, "statusline"]), stdin);
    assert_quiet(&o);
    o
}

pub fn plain(o: &Output) -> String {
    uncoloured(&stdout(o))
}
