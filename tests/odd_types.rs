//! A field of an unexpected type never costs a line its usage: the cases one by one, a Codex
//! `token_count` with odd `rate_limits` and a Claude Code line with odd ids, flags and usage members,
//! each counted with the rest of its file, the odd field ignored and counted for `doctor`.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::host::HOST_NOW;
use common::*;
use serde_json::{Value, json};

/// 1,000 input and 100 output tokens (and `i` more input, so that no two calls are one call).
fn usage(i: u64) -> [u64; 5] {
    [1000 + i, 0, 100, 0, 1100 + i]
}

#[test]
fn odd_types_in_codex_rate_limits_keep_the_lines_usage() {
    let s = Sandbox::empty();
    let window = |used: Value, minutes: Value, resets: Value| json!({ "used_percent": used, "window_minutes": minutes, "resets_at": resets });
    let reset = json!(1_770_944_400);
    let mut cases: Vec<Value> = Vec::new();
    // A string used_percent, a string resets_at, a float window_minutes, an array primary, a numeric
    // limit_id.
    cases.push(rate_limits(Some(window(json!("40"), json!(300), reset.clone())), None));
    cases.push(rate_limits(Some(window(json!(40), json!(300), json!("soon"))), None));
    cases.push(rate_limits(Some(window(json!(40), json!(300.5), reset.clone())), None));
    let mut array = rate_limits(None, None);
    array["primary"] = json!([40, 300]);
    cases.push(array);
    let mut numeric = rate_limits(Some(window(json!(40), json!(300), reset.clone())), None);
    numeric["limit_id"] = json!(7);
    cases.push(numeric);
    for (i, limits) in cases.into_iter().enumerate() {
        let ts = format!("2026-02-12T20:0{i}:00Z");
        Rollout::new(&ts, &format!("odd-{i}"), None)
            .turn(&ts, "gpt-5.5")
            .count(&ts, Some((usage(i as u64), Some(usage(i as u64)))), Some(limits))
            .write(&s.codex_home(), &format!("odd-{i}"));
    }
    let v = s.status(HOST_NOW);
    let week = &v["codex"]["week"];
    assert_eq!(week["entries"], 5, "{week}");
    assert_eq!(week["tokens"]["total"], 5 * 1100 + (1 + 2 + 3 + 4));
    let doctor = stdout(&s.run(&["--now", HOST_NOW, "doctor"]));
    let line = doctor.lines().find(|l| l.trim_start().starts_with("codex ") && l.contains(" files, ")).unwrap();
    let odd: u64 = line.split(", ").last().unwrap().split(' ').next().unwrap().parse().unwrap();
    // The numeric limit_id is taken as its digits (an id written as a number), not as odd.
    assert_eq!(odd, 4, "each odd field counted: {line}");
}

#[test]
fn odd_types_in_claude_lines_keep_the_line() {
    let s = Sandbox::claude_fixture();
    let before = s.status(HOST_NOW)["claude"]["week"].clone();
    let text = std::fs::read_to_string(s.session("4d5611e5-241a-462a-8d15-5122611a9569")).unwrap();
    let base: Value = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["type"] == "assistant" && v["message"]["usage"].is_object())
        .unwrap();
    let mut lines = String::new();
    // isSidechain, requestId, message.id, sessionId, usage.speed, usage.server_tool_use.
    let odd: [fn(&mut Value); 6] = [
        |v| v["isSidechain"] = json!("false"),
        |v| v["requestId"] = json!(123),
        |v| v["message"]["id"] = json!(456),
        |v| v["sessionId"] = json!(789),
        |v| v["message"]["usage"]["speed"] = json!(5),
        |v| v["message"]["usage"]["server_tool_use"] = json!("x"),
    ];
    for (i, make_odd) in odd.iter().enumerate() {
        let mut v = base.clone();
        v["message"]["id"] = json!(format!("msg_odd_{i}"));
        v["requestId"] = json!(format!("req_odd_{i}"));
        v["timestamp"] = json!(format!("2026-02-12T21:04:0{i}.000Z"));
        v["message"]["model"] = json!("claude-opus-4-6");
        v["message"]["usage"] = json!({ "input_tokens": 1000, "output_tokens": 100,
            "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0 });
        make_odd(&mut v);
        lines += &format!("{v}\n");
    }
    let file = s.projects().join("-home-USER-projects-odd").join("odd.jsonl");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, lines).unwrap();
    let week = s.status(HOST_NOW)["claude"]["week"].clone();
    let n = |w: &Value, k: &str| w["tokens"][k].as_u64().unwrap();
    assert_eq!(week["entries"].as_u64().unwrap(), before["entries"].as_u64().unwrap() + 6, "{week}");
    assert_eq!(n(&week, "input"), n(&before, "input") + 6 * 1000);
    assert_eq!(n(&week, "output"), n(&before, "output") + 6 * 100);
    let doctor = stdout(&s.run(&["--now", HOST_NOW, "doctor"]));
    // The tool's line, with the lines it wraps onto (under its text, past its name).
    let mut lines = doctor.lines().skip_while(|l| !(l.starts_with("  claude ") && l.contains(" files, ")));
    let first = lines.next().unwrap().to_owned();
    let line = lines.take_while(|l| l.starts_with("           ")).fold(first, |a, l| a + " " + l.trim());
    assert!(line.ends_with("6 fields of an unexpected type ignored"), "{line}");
}
