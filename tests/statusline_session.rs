//! The status line's session fields, from the payload Claude Code sends (its documentation of 2.1.x)
//! or the session's transcript: how full its context is, in share and tokens and coloured by size,
//! and its prompt cache's time left, which `status` shows too.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::statusline::*;
use common::*;
use serde_json::{Value, json};

/// The session's last main-thread call at or before `at` (RFC 3339, as the lines write it): its input,
/// cache writes and reads, in whole percents of 200k and in tokens.
fn context_at(s: &Sandbox, at: &str) -> (i64, u64) {
    let text = std::fs::read_to_string(s.session("8463c716-a2ea-4c14-9efa-87158ebd9f20")).unwrap();
    let last: Value = text
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["type"] == "assistant" && v["isSidechain"] == false && v["timestamp"].as_str().unwrap() <= at)
        .unwrap();
    let u = &last["message"]["usage"];
    let tokens = u["input_tokens"].as_u64().unwrap()
        + u["cache_creation_input_tokens"].as_u64().unwrap()
        + u["cache_read_input_tokens"].as_u64().unwrap();
    ((tokens as f64 / 2000.0).round() as i64, tokens)
}

#[test]
fn context_from_the_transcript_when_the_payload_has_none() {
    let s = Sandbox::claude_fixture();
    let mut p = payload(&s, None);
    p["context_window"] = Value::Null;
    let (want, _) = context_at(&s, NOW);
    let o = feed(&s, p.to_string().as_bytes(), &[]);
    assert!(plain(&o).contains(&format!("ctx {want}%")), "{} vs {want}", plain(&o));
    // A replay takes the call of its moment: at 22:30 on the 11th the context was 82% (164.0k), before
    // the compaction at 22:32 and the session's last call at 66% (it showed the last).
    let at = "2026-02-11T22:30:00Z";
    let (then, tokens) = context_at(&s, at);
    assert_ne!(then, want, "the moment must tell the two apart");
    let o = output_with_input(s.cmd().args(["--now", at, "--color", "never", "statusline"]), p.to_string().as_bytes());
    let shown = format!("ctx {then}% ({:.1}k)", tokens as f64 / 1000.0);
    assert!(stdout(&o).contains(&shown), "{} vs {shown}", stdout(&o));
}

#[test]
fn the_context_in_tokens_is_the_payloads_count() {
    // Claude Code gives whole percents and the prompt's tokens: 166,972 is 83% of 200k, and shown as
    // 167.0k, not the 166.0k that 83% of 200k works back to.
    let s = Sandbox::claude_fixture();
    let mut p = payload(&s, None);
    p["context_window"]["used_percentage"] = json!(83);
    p["context_window"]["current_usage"] = json!({ "input_tokens": 4, "output_tokens": 380, "cache_creation_input_tokens": 1200, "cache_read_input_tokens": 165_768 });
    assert_eq!(
        plain(&feed(&s, p.to_string().as_bytes(), &[])),
        "Opus 4.6 · ctx 83% (167.0k) · $1.84 · 5h $1.54 ↻4h30m\n"
    );
}

#[test]
fn the_context_is_coloured_by_its_size_in_tokens_as_status_colours_it() {
    // `context_health` (standard: amber from 80k, red from 150k), not the quota's 70% and 90%: 67% of
    // 200k is 134k, amber; 20% of a 1M window is 200k, red; 30% of 200k is 60k, green. Amber and red
    // give the size that made them (a red 20% read as a mistake).
    let s = Sandbox::claude_fixture();
    for (size, used, colour, tokens) in
        [(200_000, 67, "33", " (134.0k)"), (1_000_000, 20, "31", " (200.0k)"), (200_000, 30, "32", "")]
    {
        let mut p = payload(&s, None);
        p["context_window"]["context_window_size"] = json!(size);
        p["context_window"]["used_percentage"] = json!(used);
        // The share alone: the tokens are worked back from it.
        p["context_window"]["current_usage"] = Value::Null;
        let o = feed(&s, p.to_string().as_bytes(), &[("RUNWAY_COLOR", "always")]);
        let want = format!("\x1b[{colour}mctx {used}%{tokens}\x1b[0m");
        assert!(stdout(&o).contains(&want), "{size} at {used}%: {:?}", stdout(&o));
    }
    // The thresholds are the setting's.
    let mut p = payload(&s, None);
    p["context_window"]["used_percentage"] = json!(67);
    p["context_window"]["current_usage"] = Value::Null;
    let o = feed(&s, p.to_string().as_bytes(), &[("RUNWAY_COLOR", "always"), ("RUNWAY_CONTEXT_HEALTH", "economical")]);
    assert!(stdout(&o).contains("\x1b[31mctx 67%"), "{:?}", stdout(&o));
}

#[test]
fn the_prompt_caches_time_left_is_a_field() {
    let s = Sandbox::claude_fixture();
    let mut p = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600)));
    let fields = [("RUNWAY_STATUSLINE_FIELDS", "5h,cache")];
    // Four and a half minutes left of a five-minute cache (fields Claude Code may add: unknown ones
    // are ignored, every value checked).
    p["prompt_cache"] = json!({ "ttl": 300, "expires_at": NOW_S + 270, "warm": true, "hit_ratio": 0.82, "tier": "x" });
    assert_eq!(plain(&feed(&s, p.to_string().as_bytes(), &fields)), "5h 23% ↻1h40m · cache 5m\n");
    p["prompt_cache"] = json!({ "expires_at": NOW_S - 10, "warm": false });
    assert_eq!(plain(&feed(&s, p.to_string().as_bytes(), &fields)), "5h 23% ↻1h40m · cache cold\n");
    // An expiry a day away is no prompt cache's: left out.
    p["prompt_cache"] = json!({ "expires_at": NOW_S + 86_400 });
    assert_eq!(plain(&feed(&s, p.to_string().as_bytes(), &fields)), "5h 23% ↻1h40m\n");
}

#[test]
fn status_shows_the_prompt_cache_the_status_line_saw() {
    let s = Sandbox::claude_fixture();
    let mut p = payload(&s, None);
    p["prompt_cache"] = json!({ "expires_at": NOW_S + 270, "warm": true, "hit_ratio": 0.82 });
    feed(&s, p.to_string().as_bytes(), &[]);
    let text = stdout(&s.run(&["--now", NOW, "status"]));
    assert!(
        text.contains(
            "cache     session 8463c716: 5m left, 82% of input read from it (the status line saw it just now)"
        ),
        "{text}"
    );
    let v = s.status(NOW);
    assert_eq!(v["claude"]["prompt_cache"]["expires_at"], "2026-02-12T21:34:30Z");
    // An hour later it is another story: not shown.
    let later = s.status("2026-02-12T22:45:00Z");
    assert_eq!(later["claude"]["prompt_cache"], Value::Null);
    assert!(!stdout(&s.run(&["--now", "2026-02-12T22:45:00Z", "status"])).contains("cache     session"));
}
