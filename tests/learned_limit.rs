//! A limit learned from history, and where there is too little of it to learn one: a new user's one
//! session, and a tool whose window is runway's own block.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::*;
use serde_json::Value;

const LAST: &str = "8463c716-a2ea-4c14-9efa-87158ebd9f20";

/// Every ten minutes from a history's first call to an hour after its last, as RFC 3339.
fn every_ten_minutes(projects: &std::path::Path) -> Vec<String> {
    let mut times: Vec<i64> = Vec::new();
    for dir in std::fs::read_dir(projects).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "jsonl") {
                for line in std::fs::read_to_string(&p).unwrap().lines() {
                    let v: Value = serde_json::from_str(line).unwrap_or(Value::Null);
                    if let Some(t) = v["timestamp"].as_str() {
                        times.push(t.parse::<jiff::Timestamp>().unwrap().as_millisecond());
                    }
                }
            }
        }
    }
    let (first, last) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());
    (0..).map(|k| first + k * 600_000).take_while(|t| *t <= last + 3_600_000).map(rfc3339).collect()
}

#[test]
fn a_single_session_is_no_alarm() {
    // Each real session of the fixture alone, as a new user's whole history, with no reading: at every
    // ten minutes of it, no limit is made up from the little there is. The segment shows the block's
    // cost and reset in the ok colour; nothing warns, nothing is past 100%.
    for id in [LAST, "258c7280-ae70-4798-800f-63464d01a85d", "4d5611e5-241a-462a-8d15-5122611a9569"] {
        let s = Sandbox::empty();
        let from = fixtures().join("claude-real/projects/-home-USER-projects-spotter");
        let to = s.projects().join("-home-USER-projects-spotter");
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(from.join(format!("{id}.jsonl")), to.join(format!("{id}.jsonl"))).unwrap();
        copy_tree(&from.join(id), &to.join(id));
        for now in every_ten_minutes(&s.projects()) {
            let o = s.run(&["--now", &now, "prompt", "--shell", "zsh"]);
            assert_quiet(&o);
            let seg = stdout(&o);
            for alarm in ["\x1b[31m", "\x1b[33m", "⚠", "✕", "%%"] {
                assert!(!seg.contains(alarm), "{id} at {now}: {seg:?}");
            }
            assert!(seg.is_empty() || seg.contains("\x1b[32m"), "{id} at {now}: {seg:?}");
            let l = &s.status(&now)["claude"]["limit"];
            assert_eq!((l["source"].as_str(), &l["used_percent"]), (Some("none"), &Value::Null), "{id} at {now}");
        }
    }
}

/// Gemini CLI's quota is not a 5-hour window of dollars: its `5h` is runway's own block, a share only
/// against a limit the user sets. A real session worked again on eleven days (blocks enough for
/// Claude Code's history to learn a limit from) learns none: no share, the block's cost, and `status`
/// says why; with `--limit-cost` the share is against it.
#[test]
fn a_tool_whose_window_is_runways_own_block_learns_no_limit() {
    let s = Sandbox::empty();
    let name = "session-2026-01-15T20-51-f7633853.json";
    let from = fixtures()
        .join("agents/gemini/tmp/7e8989f71805c3147f6be9b7a71de2a156f8face69f9380beeeb8a777414f21c/chats")
        .join(name);
    let text = std::fs::read_to_string(from).unwrap();
    let chats = s.home().join(".gemini/tmp/7e8989f71805c3147f6be9b7a71de2a156f8face69f9380beeeb8a777414f21c/chats");
    std::fs::create_dir_all(&chats).unwrap();
    for day in 10..21 {
        let again = text
            .replace("2026-01-15T", &format!("2026-11-{day}T"))
            .replace("f7633853-6663-4dbb-bbf4-6159afa29df8", &format!("f7633853-6663-4dbb-bbf4-61590000{day:04}"));
        std::fs::write(chats.join(name.replace("01-15", &format!("11-{day}"))), again).unwrap();
    }
    let now = "2026-11-20T21:00:00Z";
    let status = |extra: &[&str]| {
        let args = [&["--providers", "gemini", "--now", now][..], extra, &["status", "--json"]].concat();
        json_of(&s.cmd().args(args).output().unwrap())
    };
    let l = &status(&[])["gemini"]["limit"];
    assert_eq!((l["source"].as_str(), &l["used_percent"]), (Some("none"), &Value::Null), "{l}");
    let words = stdout(&s.cmd().args(["--providers", "gemini", "--now", now, "status"]).output().unwrap());
    assert!(words.contains("runway's own block"), "{words}");
    let seg =
        stdout(&s.cmd().args(["--providers", "gemini", "--now", now, "prompt", "--shell", "plain"]).output().unwrap());
    assert!(seg.starts_with("5h $") && !seg.contains('%'), "{seg}");
    let set = &status(&["--limit-cost", "1"])["gemini"]["limit"];
    assert_eq!(set["source"].as_str(), Some("configured"), "{set}");
    assert!(set["used_percent"].as_f64().unwrap() > 0.0, "{set}");
}
