//! docs/json.md is what scripts are written from: its `status --json` example is the binary's answer
//! to the command it names, and every key the binary prints is named in it.
#![cfg(unix)]

mod common;

use common::*;
use serde_json::Value;

fn doc() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md")).unwrap()
}

/// The first ```json block of the page.
fn example(doc: &str) -> Value {
    let start = doc.find("```json\n").unwrap() + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    serde_json::from_str(&doc[start..end]).unwrap()
}

/// Every leaf of `want` (but what a `…` key stands for) is in `got`, the same.
fn same_leaves(want: &Value, got: &Value, path: &str) {
    match want {
        Value::Object(m) if !m.contains_key("…") => {
            for (k, v) in m {
                // A key gone from the answer reads as `null`: a `null` in the example must be there.
                assert!(got.get(k).is_some(), "{path}.{k} is not in the answer");
                same_leaves(v, &got[k], &format!("{path}.{k}"));
            }
        }
        Value::Object(_) => assert!(got.is_object(), "{path}: {got}"),
        _ => assert_eq!(got, want, "{path}"),
    }
}

/// Every object key in `v`, with where it is.
fn keys(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push((k.clone(), path.to_owned()));
                keys(x, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keys(x, &format!("{path}[]"), out)),
        _ => {}
    }
}

#[test]
fn the_status_example_is_the_binarys_answer() {
    let s = Sandbox::claude_fixture();
    let got = json_of(&s.run(&["--now", "2026-02-12T21:30:00Z", "--limit-cost", "40", "status", "--json"]));
    same_leaves(&example(&doc()), &got, "");
}

#[test]
fn every_key_the_binary_prints_is_named_in_the_doc() {
    // A status line's payload with a prompt cache and both windows: the keys that appear only then
    // are printed too. (A sync folder's `devices` and `assumed_prices`' entries are not made here.)
    let s = Sandbox::claude_fixture();
    let doc = doc();
    let limits = statusline::limits(23.0, statusline::NOW_S + 3600, 41.0, statusline::NOW_S + 3 * 86_400);
    let mut p = payload(&s, Some(limits));
    p["prompt_cache"] = serde_json::json!({ "ttl": 300, "warm": true, "hit_ratio": 82 });
    statusline::feed(&s, p.to_string().as_bytes(), &[]);
    let mut all = Vec::new();
    for args in [
        &["--now", "2026-02-12T21:30:00Z", "status", "--json"][..],
        &["--now", "2026-02-12T21:30:00Z", "--limit-cost", "40", "status", "--json"],
    ] {
        keys(&json_of(&s.run(args)), "status", &mut all);
    }
    for by in ["day", "week", "month", "session", "block", "project", "model", "device", "tool"] {
        keys(&json_of(&s.run(&["report", "--by", by, "--json"])), &format!("report --by {by}"), &mut all);
    }
    // As the page writes a key: quoted in a shape, in backticks, or in a backticked path (`limit.over`).
    let named = |k: &str| {
        [format!("\"{k}\""), format!("`{k}`"), format!("`{k}[]`"), format!(".{k}`"), format!("`{k}."), format!(".{k}.")]
            .iter()
            .any(|f| doc.contains(f.as_str()))
    };
    let mut missing: Vec<_> = all.iter().filter(|(k, _)| !named(k)).collect();
    missing.dedup_by(|a, b| a.0 == b.0);
    assert!(missing.is_empty(), "keys docs/json.md does not name: {missing:?}");
}

#[test]
fn a_block_row_carries_what_every_row_carries_under_runway() {
    // The keys docs/json.md promises every row's `runway` (a day's, say), and a block's agent.
    let s = Sandbox::claude_fixture();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let day = json_of(&s.run(&["report", "--by", "day", "--json"]));
    let want = keys(&day["daily"][0]["runway"]);
    let v = json_of(&s.run(&["report", "--by", "block", "--json"]));
    for b in v["blocks"].as_array().unwrap().iter().filter(|b| b["isGap"] != true) {
        let r = &b["runway"];
        for k in &want {
            assert!(r.get(k).is_some(), "{k} missing from {r}");
        }
        assert_eq!((r["calls"].as_u64(), r["agent"].as_str()), (b["entries"].as_u64(), Some("claude")));
        assert!(r["firstActivity"].as_str().unwrap() >= b["startTime"].as_str().unwrap(), "{b}");
    }
}
