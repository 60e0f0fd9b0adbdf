//! What used the window, figured by hand on a small history: two sessions in two projects with two
//! models, one reading its cache, one with a cold cache. The lines are real assistant lines of the
//! fixture with their ids, times, models, counts and working directories set; a project is named
//! by the directory its lines record, not by its folder's encoded name.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;

use common::*;
use serde_json::{Value, json};

const NOW: &str = "2026-02-12T21:25:00Z";

/// A real assistant line of the fixture, made into one call.
fn call(id: &str, at: &str, model: &str, input: u64, write: u64, read: u64, output: u64) -> String {
    let cwd = if id.starts_with('a') { "/home/u/src/a" } else { "/home/u/src/b" };
    let text = std::fs::read_to_string(
        fixtures().join("claude-real/projects/-home-USER-projects-spotter/4d5611e5-241a-462a-8d15-5122611a9569.jsonl"),
    )
    .unwrap();
    let line = text.lines().find(|l| l.contains(r#""type":"assistant""#) && l.contains(r#""usage""#)).unwrap();
    let mut v: Value = serde_json::from_str(line).unwrap();
    v["timestamp"] = json!(at);
    v["cwd"] = json!(cwd);
    v["requestId"] = json!(format!("req_{id}"));
    v["isSidechain"] = json!(false);
    v["message"]["id"] = json!(format!("msg_{id}"));
    v["message"]["model"] = json!(model);
    v["message"]["usage"] = json!({
        "input_tokens": input, "output_tokens": output,
        "cache_creation_input_tokens": write, "cache_read_input_tokens": read,
        "cache_creation": { "ephemeral_5m_input_tokens": write, "ephemeral_1h_input_tokens": 0 },
    });
    format!("{v}\n")
}

fn write(dir: &Path, project: &str, session: &str, lines: &[String]) {
    let d = dir.join(project);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join(format!("{session}.jsonl")), lines.concat()).unwrap();
}

fn small() -> Sandbox {
    let s = Sandbox::empty();
    // Session A (opus 4.6, $5/$25 per million, reads 0.1x): warm cache.
    //   20:10  1 000 in, 9 000 read, 100 out:  5 000 + 4 500 + 2 500   = $0.012
    //   21:20    500 in, 49 500 read, 200 out: 2 500 + 24 750 + 5 000  = $0.03225
    // Session B (haiku 4.5, $1/$5, 5-minute writes 1.25x): a cold cache, nothing read.
    //   20:05    100 in, 20 000 written, 400 out: 100 + 25 000 + 2 000 = $0.0271
    write(
        &s.projects(),
        "-home-u-src-a",
        "aaaaaaaa-0000-4000-8000-000000000001",
        &[
            call("a1", "2026-02-12T20:10:00.000Z", "claude-opus-4-6", 1_000, 0, 9_000, 100),
            call("a2", "2026-02-12T21:20:00.000Z", "claude-opus-4-6", 500, 0, 49_500, 200),
        ],
    );
    write(
        &s.projects(),
        "-home-u-src-b",
        "bbbbbbbb-0000-4000-8000-000000000002",
        &[call("b1", "2026-02-12T20:05:00.000Z", "claude-haiku-4-5-20251001", 100, 20_000, 0, 400)],
    );
    s
}

#[test]
fn shares_cache_hits_and_context_by_hand() {
    let s = small();
    let v = s.status(NOW);
    let five = &v["claude"]["attribution"]["five_hour"];
    // The block began at 20:00 (its first call, 20:05, floored to the hour); $0.07135 in all.
    assert_eq!(five["entries"], 3);
    assert_eq!(five["cost_usd"], 0.07135);
    let a = &five["sessions"][0];
    assert_eq!(a["name"], "aaaaaaaa-0000-4000-8000-000000000001");
    assert_eq!(a["project"], "/home/u/src/a");
    // $0.04425 of $0.07135; 58 500 read of 60 000 input-side; context 500 + 49 500 five minutes ago.
    assert_eq!(a["share_percent"], 62.02);
    assert_eq!(a["cost_usd"], 0.04425);
    assert_eq!(a["cache_hit_percent"], 97.5);
    assert_eq!((a["context_tokens"].as_u64(), a["context_level"].as_str()), (Some(50_000), Some("ok")));
    assert_eq!(a["started"], "2026-02-12T20:10:00Z");
    let b = &five["sessions"][1];
    // $0.0271 of $0.07135; nothing read of 20 100; its last call 80 minutes ago: not live.
    assert_eq!((b["share_percent"].as_f64(), b["cache_hit_percent"].as_f64()), (Some(37.98), Some(0.0)));
    assert_eq!(b["context_tokens"], Value::Null);
    let names = |k: &str| {
        five[k].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(names("projects"), ["/home/u/src/a", "/home/u/src/b"]);
    assert_eq!(names("models"), ["claude-opus-4-6", "claude-haiku-4-5-20251001"]);
    assert_eq!(v["claude"]["attribution"]["seven_day"]["entries"], 3);
}

#[test]
fn the_context_thresholds_are_a_setting() {
    let s = small();
    let level = |preset: &str| {
        let v = json_of(
            &s.cmd()
                .args(["--now", NOW, "--set", &format!("context_health={preset}"), "status", "--json"])
                .output()
                .unwrap(),
        );
        v["claude"]["attribution"]["five_hour"]["sessions"][0]["context_level"].as_str().unwrap().to_owned()
    };
    // 50 000 tokens: amber from 50k (economical), green under 80k (standard), red from 40k.
    assert_eq!(level("economical"), "warn");
    assert_eq!(level("standard"), "ok");
    assert_eq!(level("20k,40k"), "danger");
}

#[test]
fn status_shows_them_under_each_window_in_colour() {
    let s = small();
    let o = s.cmd().args(["--now", NOW, "--timezone", "UTC", "--color", "always", "status"]).output().unwrap();
    assert_quiet(&o);
    let text = stdout(&o);
    let line = |start: &str| {
        text.lines().map(str::trim_start).find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("{text}"))
    };
    let a = line("sessions");
    assert!(a.contains("aaaaaaaa (a, since Thu 20:10 UTC): 62% · $0.04 · 2 calls"), "{a}");
    assert!(a.contains("\x1b[32mcache 98%\x1b[0m") && a.contains("\x1b[32mcontext 50.0k\x1b[0m"), "{a:?}");
    let b = text.lines().find(|l| l.contains("bbbbbbbb")).unwrap();
    assert!(b.contains("\x1b[31mcache 0%\x1b[0m") && !b.contains("context"), "a cold cache is red: {b:?}");
    assert!(line("models").starts_with("models    claude-opus-4-6 62%"), "{text}");
}

#[test]
fn the_demo_sessions_have_ids_of_their_own() {
    // Under each window, one line per session, named by the first 8 characters of its id.
    let s = Sandbox::empty();
    let out = stdout(&s.run(&["demo"]));
    let mut ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  sessions  ").or_else(|| l.strip_prefix("            ")))
        .filter_map(|l| l.split(" (").next().filter(|id| id.len() == 8))
        .collect();
    let n = ids.len();
    assert!(n >= 6, "{out}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{out}");
}

#[test]
fn a_session_a_week_old_shows_its_date_not_a_weekday() {
    // A Wednesday a week after the fixture's Wednesday: its sessions of that day began on a day a
    // weekday would name as today; the one of Thursday, six days back, keeps its weekday.
    let s = Sandbox::claude_fixture();
    let out = stdout(&s.run(&["--now", "2026-02-18T20:00:00Z", "--timezone", "UTC", "status"]));
    assert!(out.contains("258c7280 (spotter-gqc, since 2026-02-11 20:36 UTC)"), "{out}");
    assert!(out.contains("4d5611e5 (spotter-dov, since Thu 16:02 UTC)"), "{out}");
    assert!(!out.contains("since Wed"), "{out}");
}

#[test]
fn a_project_reads_alike_under_every_window() {
    // Two folders named `a` in two places: one worked in now, the other two days ago. Under the 5
    // hours only the first is named, under the week both; it is `src/a` under both, not `a` under one.
    let s = small();
    write(
        &s.projects(),
        "-home-u-old-a",
        "cccccccc-0000-4000-8000-000000000003",
        &[call("c1", "2026-02-10T20:05:00.000Z", "claude-haiku-4-5-20251001", 100, 0, 0, 400)
            .replace("/home/u/src/b", "/home/u/old/a")],
    );
    let text = stdout(&s.run(&["--now", NOW, "--timezone", "UTC", "status"]));
    let a = text.lines().filter(|l| l.contains("aaaaaaaa")).collect::<Vec<_>>();
    assert_eq!(a.len(), 2, "{text}");
    assert!(a.iter().all(|l| l.contains("(src/a, since")), "{text}");
    assert!(text.contains("(old/a, since"), "{text}");
}

#[test]
fn a_call_at_the_window_start_is_the_window_s() {
    // The block began on the hour with a call stamped on it: its window counts it, so the breakdown
    // of that window must too (it left it out: 2 calls under a block of 3).
    let s = Sandbox::empty();
    let at = ["2026-02-12T20:00:00.000Z", "2026-02-12T20:01:00.000Z", "2026-02-12T20:02:00.000Z"];
    let lines: Vec<String> =
        at.iter().enumerate().map(|(i, t)| call(&format!("a{i}"), t, "claude-opus-4-6", 1_000, 0, 0, 100)).collect();
    write(&s.projects(), "-home-u-src-a", "aaaaaaaa-0000-4000-8000-000000000009", &lines);
    let v = s.status(NOW);
    assert_eq!(v["claude"]["block"]["entries"], 3, "{v}");
    assert_eq!(v["claude"]["attribution"]["five_hour"]["entries"], 3, "{}", v["claude"]["attribution"]);
    assert_eq!(v["claude"]["attribution"]["seven_day"]["entries"], 3);
}

#[test]
fn a_list_that_leaves_some_out_says_how_much() {
    // The fixture's week: three sessions in four project folders (one call of a session ran in its
    // folder's `assets`). The three projects listed hold 464 of the 465 calls; the fourth is said.
    let s = Sandbox::claude_fixture();
    let now = "2026-02-12T21:30:00Z";
    let v = s.status(now);
    let week = &v["claude"]["attribution"]["seven_day"];
    let sum = |k: &str| week["projects"].as_array().unwrap().iter().map(|c| c[k].as_f64().unwrap()).sum::<f64>();
    let more = &week["more"]["projects"];
    assert_eq!(
        (sum("entries"), more["count"].as_u64(), more["entries"].as_f64()),
        (464.0, Some(1), Some(1.0)),
        "{week}"
    );
    let whole = week["cost_usd"].as_f64().unwrap();
    assert!((more["cost_usd"].as_f64().unwrap() - (whole - sum("cost_usd"))).abs() < 1e-5, "{week}");
    assert_eq!((&week["more"]["sessions"], &week["more"]["models"]), (&Value::Null, &Value::Null));
    assert_eq!(v["claude"]["attribution"]["five_hour"]["more"]["projects"], Value::Null);
    let text = stdout(&s.run(&["--now", now, "--timezone", "UTC", "--color", "never", "status"]));
    let line = text.lines().find(|l| l.contains("spotter-gqc 36%")).unwrap();
    assert!(line.ends_with("; and 1 more: 0% · $0.11 · 1 call · 169.9k tokens"), "{line}");
}
