//! The limits Claude Code keeps on disk (`.claude.json`'s `cachedUsageUtilization`): read as the
//! service's readings at `fetchedAtMs`, only while their window is open; a weekly per-model limit in
//! the segment when it is the one closest to its wall; a torn or odd file gives nothing, quietly.
//! No real `.claude.json` can be kept in the repository (it holds account ids); these are shaped
//! like one, with unrelated keys around the member runway reads.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::Value;

const NOW: &str = "2026-02-12T21:30:00Z";

fn claude_json(fetched: &str, five: f64, fable: f64) -> String {
    format!(
        r#"{{
  "numStartups": 212,
  "installMethod": "native",
  "userID": "0000aaaa",
  "oauthAccount": {{ "accountUuid": "1111-2222", "emailAddress": "someone@example.com" }},
  "projects": {{ "/home/USER/projects/spotter": {{ "allowedTools": [], "history": [{{ "display": "fix {{the}} \"bug\"" }}] }} }},
  "cachedUsageUtilization": {{
    "fetchedAtMs": {fetched},
    "utilization": {{
      "five_hour": {{ "utilization": {five}, "resets_at": "2026-02-13T01:00:00.000Z" }},
      "seven_day": {{ "utilization": 41, "resets_at": "2026-02-16T09:00:00.000Z" }},
      "limits": [
        {{ "kind": "session", "percent": {five}, "resets_at": "2026-02-13T01:00:00.000Z" }},
        {{ "kind": "weekly_all", "percent": 41, "resets_at": "2026-02-16T09:00:00.000Z" }},
        {{ "kind": "weekly_scoped", "percent": {fable}, "resets_at": "2026-02-15T09:00:00.000Z",
           "scope": {{ "model": {{ "display_name": "Fable" }} }} }},
        {{ "kind": "daily_experimental", "percent": 99, "resets_at": "2026-02-13T00:00:00.000Z" }}
      ]
    }},
    "extra_usage": {{ "is_enabled": false }}
  }},
  "tipsHistory": {{ "new-user-warmup": 7 }}
}}"#
    )
}

fn file(s: &Sandbox) -> PathBuf {
    s.claude_dir().join(".claude.json")
}

/// 2026-02-12T21:00:00Z, half an hour before `NOW`.
const FETCHED: &str = "1770930000000";

#[test]
fn its_windows_are_the_services_readings_while_open() {
    let s = Sandbox::claude_fixture();
    std::fs::write(file(&s), claude_json(FETCHED, 62.0, 91.0)).unwrap();
    let v = s.status(NOW);
    let five = &v["claude"]["rate_limits"]["five_hour"];
    assert_eq!(
        (five["used_percent"].as_f64(), five["observed_at"].as_str()),
        (Some(62.0), Some("2026-02-12T21:00:00Z"))
    );
    assert_eq!(v["claude"]["rate_limits"]["seven_day"]["used_percent"], 41.0);
    let others = v["claude"]["other_limits"].as_array().unwrap();
    assert_eq!(others.len(), 1, "the unknown kind is left out: {others:?}");
    assert_eq!((others[0]["name"].as_str(), others[0]["used_percent"].as_f64()), (Some("Fable"), Some(91.0)));
    assert_eq!(others[0]["window"], "seven_day");
    // Every figure that counts, with where it came from and its age.
    let listed: Vec<(String, String, String)> = v["claude"]["limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["window"].as_str().unwrap().into(),
                l["name"].as_str().unwrap().into(),
                l["reported_by"].as_str().unwrap().into(),
            )
        })
        .collect();
    let cj = || ".claude.json".to_owned();
    assert_eq!(
        listed,
        [
            ("five_hour".into(), "".into(), cj()),
            ("seven_day".into(), "".into(), cj()),
            ("seven_day".into(), "Fable".into(), cj())
        ]
    );
    assert_eq!(v["claude"]["limits"][2]["observed_at"], "2026-02-12T21:00:00Z");
    let text = stdout(&s.run(&["--now", NOW, "--timezone", "UTC", "status"]));
    assert!(
        text.contains("reported  5h 62% (.claude.json, 30m ago) · 7d 41% (.claude.json, 30m ago) · Fable 7d 91% (.claude.json, 30m ago)"),
        "{text}"
    );
    assert!(text.contains("Fable: 91% of its 7d window (reported by the service 30m ago, resets in 2d11h"), "{text}");
    // Nothing of the rest of the file reaches an answer.
    for o in [stdout(&s.run(&["--now", NOW, "status", "--json"])), text, stdout(&s.run(&["doctor"]))] {
        assert!(!o.contains("someone@example.com") && !o.contains("1111-2222") && !o.contains("0000aaaa"));
    }
}

#[test]
fn a_weekly_model_limit_shows_when_it_binds() {
    let s = Sandbox::claude_fixture();
    let seg = |s: &Sandbox| stdout(&s.run(&["--now", NOW, "--color", "never", "prompt"]));
    std::fs::write(file(&s), claude_json(FETCHED, 62.0, 91.0)).unwrap();
    let shown = seg(&s);
    assert_eq!(shown, "F 7d 91% ↻2d11h", "the fullest window past the warning share is Fable's, and binds");
    // The long form shows it beside the 5 hours.
    let all = stdout(&s.run(&["--now", NOW, "--color", "never", "--set", "windows=all", "prompt"]));
    assert!(all.starts_with("5h") && all.contains(" · F 7d 91% ↻2d11h"), "{all}");
    // Below the 5 hours and the warning share, it stays out.
    std::fs::write(file(&s), claude_json(FETCHED, 62.0, 45.0)).unwrap();
    let shown = seg(&s);
    assert!(shown.starts_with("5h") && !shown.contains("F 7d"), "{shown}");
}

#[test]
fn a_stale_torn_or_odd_file_gives_nothing_and_never_an_error() {
    let s = Sandbox::claude_fixture();
    let none = |s: &Sandbox| {
        let v = s.status(NOW);
        assert_eq!(v["claude"]["rate_limits"]["five_hour"], Value::Null, "{v}");
        assert_eq!(v["claude"]["other_limits"].as_array().unwrap().len(), 0);
        let o = s.run(&["--now", NOW, "prompt", "--shell", "zsh"]);
        assert_quiet(&o);
    };
    // Fetched ten days before: its windows reset long ago.
    let stale = claude_json("1770066000000", 62.0, 91.0)
        .replace("2026-02-13T01", "2026-02-03T01")
        .replace("2026-02-16T09", "2026-02-06T09")
        .replace("2026-02-15T09", "2026-02-05T09");
    std::fs::write(file(&s), stale).unwrap();
    none(&s);
    // Cut short while Claude Code rewrites it.
    let whole = claude_json(FETCHED, 62.0, 91.0);
    std::fs::write(file(&s), &whole[..whole.find("weekly_scoped").unwrap()]).unwrap();
    none(&s);
    // Not what runway expects at all.
    for odd in
        ["", "[]", "{\"cachedUsageUtilization\": 7}", "{\"cachedUsageUtilization\": {\"fetchedAtMs\": \"soon\"}}"]
    {
        std::fs::write(file(&s), odd).unwrap();
        none(&s);
    }
}

#[test]
fn the_newest_reading_wins_wherever_it_came_from() {
    let s = Sandbox::claude_fixture();
    // `.claude.json` last refreshed two days ago (when `/usage` last ran): the week at 90%, and a
    // 5-hour figure of a window long over. The status line, drawn now, reports the week at 20%.
    let two_days_ago =
        (jiff::Timestamp::from_second(1_770_931_800).unwrap().as_millisecond() - 2 * 86_400_000).to_string();
    let stale = claude_json(&two_days_ago, 62.0, 10.0).replace(r#""utilization": 41"#, r#""utilization": 90"#);
    std::fs::write(file(&s), stale).unwrap();
    assert_eq!(s.status(NOW)["claude"]["seven_day"]["used_percent"], 90.0, "alone, the old figure is all there is");
    let mut p = payload(&s, None);
    p["rate_limits"] = serde_json::json!({
        "seven_day": { "used_percentage": 20, "resets_at": 1_771_232_400 } // 2026-02-16T09:00:00Z
    });
    let mut c = s.cmd().args(["--now", NOW, "statusline"]).stdin(std::process::Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut c.stdin.take().unwrap(), p.to_string().as_bytes()).unwrap();
    assert!(c.wait().unwrap().success());
    let v = s.status(NOW);
    let week = &v["claude"]["rate_limits"]["seven_day"];
    assert_eq!((week["used_percent"].as_f64(), week["observed_at"].as_str()), (Some(20.0), Some(NOW)));
    assert_eq!(v["claude"]["seven_day"]["used_percent"], 20.0);
}
