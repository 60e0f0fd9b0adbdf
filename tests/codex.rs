//! Codex CLI's counting: the real rollout (its `rate_limits` are null: the estimate path) against an
//! independent count, a fork that replays its parent, a rollout that grows, both providers in one
//! segment, a rollout's project (its readings are codex_readings.rs). Expected figures are computed
//! by hand in comments, or by `tests/oracle/codex_count.py`.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::codex::*;
use common::*;
use serde_json::Value;

#[test]
fn the_real_rollout_equals_an_independent_count() {
    let s = Sandbox::empty();
    copy_tree(&fixtures().join("codex-real"), &s.codex_home());
    let now = "2026-05-11T10:00:00Z";
    let c = codex_status(&s, now);
    // tests/oracle/codex_count.py tests/fixtures/codex-real 2026-05-11T10:00:00Z
    let b = &c["block"];
    assert_eq!(b["entries"], 66);
    assert_eq!(
        (
            &b["tokens"]["input"],
            &b["tokens"]["output"],
            &b["tokens"]["cache_creation"],
            &b["tokens"]["cache_read"],
            &b["tokens"]["total"]
        ),
        (&Value::from(1126300), &Value::from(9118), &Value::from(0), &Value::from(4929536), &Value::from(6064954))
    );
    assert!((b["cost_usd"].as_f64().unwrap() - 8.369808).abs() < 1e-6);
    assert_eq!(b["start"], "2026-05-11T08:00:00Z");
    assert_eq!(c["week"]["entries"], 66);
    // No readings, no completed block: no limit to measure against, the block's cost is shown.
    assert_eq!(c["limit"]["source"], "none");
    assert_eq!(c["rate_limits"]["five_hour"], Value::Null);
    assert_eq!(c["unpriced_models"], serde_json::json!([]));
    assert_eq!(segment(&s, now, &[]), "5h $8.37 ↻3h00m");
    let home = fixtures().join("codex-real");
    if let Some(v) = oracle("codex_count.py", &[home.as_os_str(), now.as_ref()]) {
        assert_eq!(v["blocks"][0]["total"], 6064954);
        assert_eq!(v["blocks"][0]["cost_usd"], 8.369808);
    }
}

#[test]
fn a_fork_replaying_its_parent_is_not_counted_twice() {
    let s = Sandbox::empty();
    // The parent: $0.80 at 20:10 and $0.55 at 20:20.
    let parent = Rollout::new("2026-02-12T20:00:00Z", "parent-id", None)
        .turn("2026-02-12T20:00:01Z", "gpt-5.5")
        .count("2026-02-12T20:10:00Z", Some((CALL, Some(CALL))), None)
        .count("2026-02-12T20:20:00Z", Some((add(CALL, CACHED), Some(CACHED))), None);
    let parent_path = parent.write(&s.codex_home(), "parent");
    // The fork, at 21:00: the parent's history replayed in one burst, then a call of its own ($0.80).
    Rollout::new("2026-02-12T21:00:00Z", "fork-id", Some("parent-id"))
        .replay(&parent, "2026-02-12T21:00:00.400Z")
        .count("2026-02-12T21:05:00Z", Some((add(add(CALL, CACHED), CALL), Some(CALL))), None)
        .write(&s.codex_home(), "fork");
    let now = "2026-02-12T21:30:00Z";
    let w = &codex_status(&s, now)["week"];
    assert_eq!(w["entries"], 3);
    assert_eq!(w["cost_usd"], 2.15);
    // The parent's calls keep their own times: the block began at 20:00.
    assert_eq!(codex_status(&s, now)["block"]["start"], "2026-02-12T20:00:00Z");
    // Without the parent, the replay still does not count: only the fork's own call.
    std::fs::remove_file(parent_path).unwrap();
    let w = &codex_status(&s, now)["week"];
    assert_eq!((w["entries"].as_u64(), w["cost_usd"].as_f64()), (Some(1), Some(0.8)));
    assert_same_as_fresh_codex(&s, now);
}

fn assert_same_as_fresh_codex(s: &Sandbox, now: &str) {
    assert_eq!(figures(&s.status(now)), figures(&s.fresh_status(now)));
}

#[test]
fn rollouts_grow_like_any_transcript() {
    // Appended in pieces across invocations, with a half-written last line: the same as a fresh read.
    let s = Sandbox::empty();
    let full = fixtures().join("codex-real/sessions/2026/05/11");
    let src = std::fs::read_dir(&full).unwrap().next().unwrap().unwrap().path();
    let bytes = std::fs::read(&src).unwrap();
    let dest_dir = s.codex_home().join("sessions/2026/05/11");
    std::fs::create_dir_all(&dest_dir).unwrap();
    let dest = dest_dir.join(src.file_name().unwrap());
    std::fs::write(&dest, b"").unwrap();
    let now = "2026-05-11T10:00:00Z";
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + 50_000).min(bytes.len());
        append(&dest, &bytes[at..end]);
        at = end;
        assert_quiet(&s.cmd().args(["--now", now, "prompt"]).output().unwrap());
    }
    assert_eq!(codex_status(&s, now)["week"]["entries"], 66);
    assert_same_as_fresh_codex(&s, now);
}

#[test]
fn both_providers_in_one_segment() {
    let s = Sandbox::claude_fixture();
    // Codex: 8% of a 5-hour window that resets at 00:31, reported at 21:00.
    Rollout::new("2026-02-12T20:59:00Z", "s1", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count(
            "2026-02-12T21:00:00Z",
            None,
            Some(rate_limits(Some(limit_window(8.0, 300, Some(unix("2026-02-13T00:31:00Z")), None)), None)),
        )
        .write(&s.codex_home(), "s1");
    let now = "2026-02-12T21:30:00Z";
    // Two tools: each its binding window, the times short (4h30m's first unit, 4h; 3h01m is 3h). Claude's
    // history is too short to learn a limit from: its block's cost.
    assert_eq!(segment(&s, now, &[]), "C $1.54 ↻4h · X 8% ↻3h");
    assert_eq!(segment(&s, now, &["--providers", "codex,claude"]), "X 8% ↻3h · C $1.54 ↻4h");
    let o =
        s.cmd().env("RUNWAY_PROVIDERS", "claude").args(["--color", "never", "--now", now, "prompt"]).output().unwrap();
    assert_eq!(stdout(&o), "5h $1.54 ↻4h30m");
    // In tmux: each window its own colour (Claude's red with a warning at 21:05 against $10: see
    // tests/engine.rs; Codex's in the bar's own colours).
    let o = s.run(&["--limit-cost", "10", "--now", "2026-02-12T21:05:00Z", "prompt", "--shell", "tmux"]);
    assert_eq!(stdout(&o), "#[fg=white,bg=red,bold]C ~15% ⚠28m#[default] · X 8% ↻3h");
    // A provider with nothing running takes no space: after Codex's window reset (00:31) with no
    // call since, only Claude shows, labelled as a single provider is.
    assert_eq!(segment(&s, "2026-02-13T00:40:00Z", &[]), "5h $1.54 ↻1h20m");
}

#[test]
fn a_rollouts_project_is_the_directory_it_ran_in() {
    // The real rollout's `session_meta.cwd`, not the date folders it is kept in.
    let s = Sandbox::empty();
    copy_tree(&fixtures().join("codex-real"), &s.codex_home());
    let o = s
        .cmd()
        .args(["--providers", "codex", "--now", "2026-05-12T00:00:00Z", "report", "--by", "project", "--json"])
        .output()
        .unwrap();
    let v = json_of(&o);
    let names: Vec<&str> = v["project"].as_array().unwrap().iter().filter_map(|r| r["period"].as_str()).collect();
    assert_eq!(names, vec!["/Users/Sample_User/repos/codemie-ai/codemie-code"], "{v}");
}
