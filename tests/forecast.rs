//! The forecast on the real Claude Code fixture with a fixed clock: which evidence wins, the figure it
//! gives, and its label. Expected figures come from `tests/oracle/claude_count.py` (its dedup and
//! prices), combined by hand in the comments.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::*;
use serde_json::{Value, json};

const NOW: &str = "2026-02-12T21:30:00Z";
const LAST: &str = "8463c716-a2ea-4c14-9efa-87158ebd9f20";

fn plain(s: &Sandbox, now: &str, extra: &[&str]) -> String {
    let mut args = vec!["--color", "never", "--now", now];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["prompt", "--shell", "plain"]);
    stdout(&s.run(&args))
}

/// The status line, at `now`, fed Claude Code's payload with only a 5-hour reading.
fn statusline_reading(s: &Sandbox, now: &str, used: f64, resets_at: i64) {
    let p = json!({
        "session_id": LAST,
        "transcript_path": s.session(LAST),
        "model": { "id": "claude-opus-4-6", "display_name": "Opus 4.6" },
        "rate_limits": { "five_hour": { "used_percentage": used, "resets_at": resets_at } }
    });
    let mut child =
        s.cmd().args(["--now", now, "statusline"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(p.to_string().as_bytes()).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
}

#[test]
fn a_usage_limit_notice_tells_where_the_limit_was() {
    let s = Sandbox::claude_fixture();
    // Claude Code's notice, written into the first session at 22:30 on the 11th (inside the block
    // that began at 20:00). A real assistant line of the fixture, made into the synthetic notice.
    let text = std::fs::read_to_string(s.session(LAST)).unwrap();
    let mut v: Value =
        serde_json::from_str(text.lines().find(|l| l.contains(r#""type":"assistant""#)).unwrap()).unwrap();
    v["timestamp"] = json!("2026-02-11T22:30:00.000Z");
    v["isApiErrorMessage"] = json!(true);
    v["requestId"] = Value::Null;
    v["message"]["model"] = json!("<synthetic>");
    v["message"]["id"] = json!("synthetic-limit");
    v["message"]["content"] = json!([{ "type": "text", "text": "Claude AI usage limit reached|1770858000" }]);
    v["message"]["usage"] = json!({ "input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0 });
    append(&s.session("258c7280-ae70-4798-800f-63464d01a85d"), format!("{v}\n").as_bytes());
    // The block had cost $18.535582 by 22:30 (225 calls; the oracle at --now 2026-02-11T22:30:00Z):
    // that is the limit, not the block's final $23.89. $1.535243 of it is 8.28%, and the burn of
    // $0.441680 a minute reaches it in (18.535582 - 1.535243) / 0.441680 = 38.5 minutes.
    let l = &s.status(NOW)["claude"]["limit"];
    assert_eq!(l["source"], "history");
    assert_eq!(l["learned_from"], "usage limit reached");
    assert_eq!(l["cost_usd"], 18.535582);
    assert_eq!(l["used_percent"], 8.28);
    // Against that limit the last block's burst, 21:00-21:03, was heading for it: at 21:03:40 the
    // present rate, $0.429986 a minute (the oracle's), fills the other $17.000339 in 39.5 minutes.
    assert_eq!(plain(&s, "2026-02-12T21:03:40Z", &[]), "5h ~8% ⚠ 40m");
    // At 21:30 work has stopped for 26 minutes: no warning.
    assert_eq!(plain(&s, NOW, &[]), "5h ~8% ↻4h30m");
    // The notice is not a call: nothing else changed.
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 465);
}

#[test]
fn a_reading_then_local_use() {
    let s = Sandbox::claude_fixture();
    // At 21:02 the status line reports 10% of the window 20:00-01:00 (resets 01:00 = 1770944400).
    statusline_reading(&s, "2026-02-12T21:02:00Z", 10.0, 1_770_944_400);

    // Right then nothing was used since: the service's figure, as it is.
    let v = s.status("2026-02-12T21:02:00Z");
    assert_eq!(v["claude"]["limit"]["source"], "server");
    assert_eq!(v["claude"]["limit"]["used_percent"], 10.0);

    // At 21:30: local use from 20:00 to 21:02 was $7.669658 (114 calls), so one percent costs
    // $0.7669658; since 21:02, $0.895093 more (8 calls): 10 + 0.895093 / 0.7669658 = 11.167%.
    let l = &s.status(NOW)["claude"]["limit"];
    assert_eq!(l["source"], "extrapolated");
    assert_eq!(l["used_percent"], 11.17);
    assert_eq!(l["observed_at"], "2026-02-12T21:02:00Z");
    assert_eq!(l["learned_from"], "server readings");
    assert!((l["cost_usd"].as_f64().unwrap() - 76.69658).abs() < 1e-5, "{l}");
    // Work stopped at 21:03: no warning. Whatever the present rate, the figures agree with one
    // another: pace is the rate against the even rate that lasts to the 01:00 reset, 210 minutes away.
    assert_eq!(l["minutes_to_limit"], Value::Null);
    let (empty, pace) = (l["minutes_to_empty"].as_f64().unwrap(), l["pace"].as_f64().unwrap());
    assert!(empty > 45.0 && (pace - 210.0 / empty).abs() < 0.01, "{l}");
    assert_eq!(plain(&s, NOW, &[]), "5h ≈11% ↻3h30m");

    // At 23:30 the reading is 2h28m old, and nothing was used since 21:04: the share stays where the
    // reading and the use since put it, and the reset stays the service's 01:00.
    let later = "2026-02-12T23:30:00Z";
    let l = &s.status(later)["claude"]["limit"];
    assert_eq!((l["source"].as_str(), l["used_percent"].as_f64()), (Some("extrapolated"), Some(11.17)));
    assert_eq!(l["resets_at"], "2026-02-13T01:00:00Z");
    assert_eq!(plain(&s, later, &[]), "5h ≈11% ↻1h30m");
    // After the reset, with no call since, no window is running.
    assert_eq!(plain(&s, "2026-02-13T01:30:00Z", &[]), "");
}

#[test]
fn every_source_is_labelled() {
    let s = Sandbox::claude_fixture();
    // history: the largest completed block.
    assert_eq!(s.status(NOW)["claude"]["limit"]["source"], "history");
    // configured: the user's limit.
    let v = json_of(&s.run(&["--limit-tokens", "100000000", "--now", NOW, "status", "--json"]));
    assert_eq!(v["claude"]["limit"]["source"], "configured");
    assert_eq!(plain(&s, NOW, &["--limit-cost", "100"]), "5h ~2% ↻4h30m");
    // none: no completed block yet, nothing configured.
    assert_eq!(s.status("2026-02-11T21:00:00Z")["claude"]["limit"]["source"], "none");
    // server, then extrapolated: a_reading_then_local_use. The server's figure beats a configured
    // limit: the service knows its own quota.
    statusline_reading(&s, NOW, 30.0, 1_770_944_400);
    let v = json_of(&s.run(&["--limit-cost", "100", "--now", NOW, "status", "--json"]));
    assert_eq!(v["claude"]["limit"]["source"], "server");
    assert_eq!(v["claude"]["limit"]["estimated"], false);
}
