//! GitHub Copilot CLI, OpenCode, Gemini CLI and Kimi Code: every figure `report --json` gives for the
//! real files each tool wrote (and files the tools wrote against a mock model, where no real file of
//! a layout could be found) equals an independent count of the same files
//! (`tests/oracle/agents_report.py`, written from `docs/providers.md`, not from runway's code), by
//! day in two zones and by session; then what happens when each kind of file changes.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Where each tool keeps its folder under a home directory.
fn folder(tool: &str) -> &'static str {
    match tool {
        "copilot" => ".copilot",
        "opencode" => ".local/share/opencode",
        "gemini" => ".gemini",
        _ => ".kimi-code",
    }
}

/// A home holding `from` as the tool's folder.
fn home_with(tool: &str, from: &Path) -> Sandbox {
    let s = Sandbox::empty();
    copy_tree(from, &s.home().join(folder(tool)));
    s
}

fn agents() -> PathBuf {
    fixtures().join("agents")
}

fn runs() -> PathBuf {
    fixtures().join("agents-runs")
}

/// The fixtures of each tool, as (tool, the tool's folder in the repository).
fn all() -> Vec<(&'static str, PathBuf)> {
    vec![
        ("copilot", agents().join("copilot")),
        ("copilot", runs().join("copilot-1.0.64/.copilot")),
        ("copilot", runs().join("copilot-1.0.66/.copilot")),
        ("copilot", runs().join("copilot-1.0.102/.copilot")),
        ("opencode", agents().join("opencode")),
        ("opencode", runs().join("opencode-1.2.1/.local/share/opencode")),
        ("opencode", runs().join("opencode-1.18.33/.local/share/opencode")),
        ("gemini", agents().join("gemini")),
        ("gemini", fixtures().join("agents-extra/gemini")),
        ("gemini", runs().join("gemini-0.61.0/.gemini")),
        ("kimi", agents().join("kimi-code")),
        ("kimi", runs().join("kimi-code-2.1.0/.kimi-code")),
    ]
}

fn report(s: &Sandbox, tool: &str, by: &str, tz: &str) -> Value {
    json_of(
        &s.cmd()
            .args([
                "--providers",
                tool,
                "--timezone",
                tz,
                "--now",
                "2026-12-31T00:00:00Z",
                "report",
                "--by",
                by,
                "--json",
            ])
            .output()
            .unwrap(),
    )
}

/// runway's rows as the oracle keys them.
fn rows(v: &Value, name: &str) -> Vec<(String, Value)> {
    v[name]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let key = r["period"].as_str().unwrap().to_owned();
            let row = serde_json::json!({
                "calls": r["runway"]["calls"],
                "input": r["inputTokens"],
                "output": r["outputTokens"],
                "cache_creation": r["cacheCreationTokens"],
                "cache_read": r["cacheReadTokens"],
                "reasoning": r["runway"]["reasoningTokens"],
                "premium": r["runway"]["premiumRequests"],
                "cost": r["totalCost"],
            });
            (key, row)
        })
        .collect()
}

/// Every row equal to the oracle's; the number of rows compared (0 without python3).
fn equal_to_the_oracle(tool: &str, from: &Path) -> usize {
    let s = home_with(tool, from);
    let mut compared = 0;
    for tz in ["UTC", "Asia/Tokyo"] {
        let dir = s.home().join(folder(tool));
        let Some(o) = oracle("agents_report.py", &[tool.as_ref(), dir.as_os_str(), tz.as_ref()]) else { return 0 };
        for (by, name, key) in [("day", "daily", "day"), ("session", "session", "session")] {
            let mine = rows(&report(&s, tool, by, tz), name);
            let want = o[key].as_object().unwrap();
            assert_eq!(mine.len(), want.len(), "{tool} {} by {by} in {tz}: {mine:?} vs {want:?}", from.display());
            for (k, row) in &mine {
                let w = want
                    .get(k)
                    .unwrap_or_else(|| panic!("{tool} {} by {by}: {k} is no row of {want:?}", from.display()));
                for field in ["calls", "input", "output", "cache_creation", "cache_read", "reasoning"] {
                    assert_eq!(row[field], w[field], "{tool} {} {by} {k} {field} in {tz}", from.display());
                }
                for field in ["premium", "cost"] {
                    let (a, b) = (row[field].as_f64().unwrap(), w[field].as_f64().unwrap());
                    assert!((a - b).abs() < 1e-6, "{tool} {} {by} {k} {field}: {a} vs {b}", from.display());
                }
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn every_row_of_every_agents_files_equals_the_independent_count() {
    let mut n = 0;
    for (tool, from) in all() {
        n += equal_to_the_oracle(tool, &from);
    }
    assert!(n == 0 || n > 40, "{n} rows compared");
}

/// Premium requests a Copilot session's shutdowns report (3, then 2 in a resumed process) are
/// counted on its calls, as the independent count counts them: the real 1.0.64 session, whose
/// shutdowns reported 0, with those two figures written in.
#[test]
fn premium_requests_a_session_reports_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let from = runs().join("copilot-1.0.64/.copilot");
    copy_tree(&from, dir.path());
    let events = dir.path().join("session-state/0c1d273f-4a47-44e5-925d-abf8e1f14c2e/events.jsonl");
    let text = std::fs::read_to_string(&events).unwrap();
    let mut shutdowns = text.split("\"totalPremiumRequests\":0");
    let mut out = shutdowns.next().unwrap().to_owned();
    for (n, rest) in shutdowns.enumerate() {
        // The second a fraction, as a model that counts a third of a request leaves it.
        out += &format!("\"totalPremiumRequests\":{}", ["3", "2.333"][n]);
        out += rest;
    }
    assert_ne!(out, text);
    std::fs::write(&events, out).unwrap();
    let s = home_with("copilot", dir.path());
    let v = report(&s, "copilot", "session", "UTC");
    let premium: f64 =
        v["session"].as_array().unwrap().iter().map(|r| r["runway"]["premiumRequests"].as_f64().unwrap()).sum();
    assert_eq!(premium, 5.333, "{v}");
    assert!(equal_to_the_oracle("copilot", dir.path()) > 0);
    // The month's gauge in `status --json`: the count, as exact as the session's, and against an
    // allowance of 300, 5.333/300.
    let month = |extra: &[&str]| {
        let args =
            [&["--providers", "copilot", "--now", "2026-12-20T00:00:00Z"][..], extra, &["status", "--json"]].concat();
        json_of(&s.cmd().args(args).output().unwrap())["copilot"]["month"].clone()
    };
    let m = month(&[]);
    assert_eq!((m["premium_requests"].as_f64(), &m["used_percent"]), (Some(5.333), &Value::Null), "{m}");
    assert_eq!(m["resets_at"], "2027-01-01T00:00:00Z", "{m}");
    let m = month(&["--set", "premium_requests=300"]);
    assert_eq!((m["source"].as_str(), m["used_percent"].as_f64()), (Some("configured"), Some(1.78)), "{m}");
}

/// The independent count checks itself against what is known of the fixtures without it (the mock
/// runs' answers, copies counted once, rows that add up in two zones): a count that drifted would
/// pass every comparison above with runway drifting the same way.
#[test]
fn the_independent_count_passes_its_own_check() {
    let script = fixtures().join("../oracle/agents_check.py");
    let Ok(o) = std::process::Command::new("python3").arg(script).output() else {
        assert!(std::env::var_os("RUNWAY_REQUIRE_HOSTS").is_none(), "python3 is required here but missing");
        return host::skipped("python3 not found");
    };
    assert!(o.status.success() && stdout(&o).contains("self-check passed"), "{}", String::from_utf8_lossy(&o.stderr));
}
