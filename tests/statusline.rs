//! `runway statusline` fed payloads shaped like Claude Code's (its documentation of 2.1.x; see
//! docs/counting.md, the services' own figures), and the server figure it stores reaching the shell
//! and tmux segments.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::Stdio;

use common::statusline::*;
use common::*;
use serde_json::{Value, json};

#[test]
fn with_rate_limits_the_service_is_the_truth() {
    let s = Sandbox::claude_fixture();
    // Resets in 1h40m (the 5 h window) and 3 days (the 7 d window).
    let p = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600)));
    let o = feed(&s, p.to_string().as_bytes(), &[]);
    // The window began at 18:10; local use since then is $8.564751 (the oracle), so one percent is
    // $0.366015. Work stopped at 21:03: no warning, green.
    assert_eq!(plain(&o), "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
    assert!(stdout(&o).contains("\x1b[32m5h 23%"), "coloured: {:?}", stdout(&o));
    // The shell and tmux segments now show the same figures, without `~`: the window that binds, the
    // 5 hours (burning, while nothing is known to burn the week; neither past the warning share).
    let zsh = "5h 23%% ↻1h40m";
    assert_eq!(stdout(&s.run(&["--now", NOW, "--color", "never", "prompt", "--shell", "zsh"])), zsh);
    let tmux = "5h 23% ↻1h40m";
    assert_eq!(stdout(&s.prompt(NOW, "tmux")), tmux);
    let all = stdout(&s.run(&["--now", NOW, "--set", "windows=all", "prompt", "--shell", "tmux"]));
    assert_eq!(all, "5h 23% ↻1h40m · 7d 41% ↻3d01h", "the long form: the week too, closer to its limit");
    let v = s.status(NOW);
    let l = &v["claude"]["limit"];
    assert_eq!(l["source"], "server");
    assert_eq!(l["used_percent"], 23.4);
    assert_eq!(l["resets_at"], "2026-02-12T23:10:00Z");
    assert_eq!(l["observed_at"], NOW);
    // One reading is a level, not a rate: how fast it moves is not known until readings change (or a
    // percent's cost is learned), so no time to empty and no pace are made up.
    assert_eq!(l["minutes_to_limit"], Value::Null);
    assert_eq!((&l["minutes_to_empty"], &l["pace"]), (&Value::Null, &Value::Null), "{l}");
    assert_eq!(v["claude"]["rate_limits"]["five_hour"]["coverage"], Value::Null);
    assert_eq!(v["claude"]["seven_day"]["used_percent"], 41.2);
    assert_eq!(v["claude"]["rate_limits"]["five_hour"]["used_percent"], 23.4);
    // Nothing was used locally since: 45 minutes later the figure is still the service's.
    assert_eq!(s.status("2026-02-12T22:15:00Z")["claude"]["limit"]["source"], "server");
    // A second payload at the same instant (a replay's `--now`) is the figure shown, and kept.
    let again = payload(&s, Some(limits(50.0, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600)));
    assert!(plain(&feed(&s, again.to_string().as_bytes(), &[])).contains("5h 50% ↻1h40m"));
    assert_eq!(s.status(NOW)["claude"]["limit"]["used_percent"], 50.0);
}

#[test]
fn while_history_is_read_the_service_figures_stand_alone() {
    // A budget of one byte and no helper: the history is never read to its end, and the line has the
    // session's fields and the service's figures alone. A payload without `rate_limits` (a session's
    // first turns) shows those kept from the one before, while fresh; none, with no gauge at all.
    let s = Sandbox::claude_fixture();
    let slow = [("RUNWAY_PROMPT_BYTES", "1"), ("RUNWAY_NO_HELPER", "1")];
    let with = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600)));
    assert_eq!(
        plain(&feed(&s, with.to_string().as_bytes(), &slow)),
        "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n"
    );
    let without = payload(&s, None);
    assert_eq!(
        plain(&feed(&s, without.to_string().as_bytes(), &slow)),
        "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n"
    );
    // Past `server_fresh_mins` (30) the kept ones are no figure of now.
    let o = output_with_input(
        s.cmd().envs(slow).args(["--now", "2026-02-12T22:01:00Z", "statusline"]),
        without.to_string().as_bytes(),
    );
    assert!(!plain(&o).contains("5h"), "{}", plain(&o));
}

#[test]
fn without_rate_limits_the_estimate_is_marked() {
    let s = Sandbox::claude_fixture();
    let o = feed(&s, payload(&s, None).to_string().as_bytes(), &[]);
    // Two finished blocks are too few to learn a limit from: the block's cost, not a made-up share.
    assert_eq!(plain(&o), "Opus 4.6 · ctx 32% · $1.84 · 5h $1.54 ↻4h30m\n");
    assert_eq!(s.status(NOW)["claude"]["limit"]["source"], "none");
}

#[test]
fn half_an_emoji_in_a_folder_name_loses_nothing() {
    // Node writes a string cut between the halves of an emoji as a lone `\ud83d` escape.
    let s = Sandbox::claude_fixture();
    let mut p = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600)));
    p["workspace"]["current_dir"] = "/home/USER/projects/CUT".into();
    let text = p.to_string().replace("CUT", r"spotter\ud83d");
    let o = feed(&s, text.as_bytes(), &[]);
    assert_eq!(plain(&o), "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
}

#[test]
fn a_reset_that_has_passed_is_not_the_truth() {
    let s = Sandbox::claude_fixture();
    // At 19:00 the status line saw 2% of the window that resets at 20:30 (too little to learn what a
    // percent costs from).
    let early = payload(&s, Some(limits(2.0, NOW_S - 3600, 41.0, NOW_S + 86400)));
    let mut c = s.cmd().args(["--now", "2026-02-12T19:00:00Z", "statusline"]).stdin(Stdio::piped()).spawn().unwrap();
    c.stdin.take().unwrap().write_all(early.to_string().as_bytes()).unwrap();
    assert!(c.wait().unwrap().success());
    // At 21:30 that window is over and its 2% says nothing about this one. The next window began
    // with the first call after 20:30 (20:30:28: a reset not on the hour, so windows that start at
    // their first call) and resets at 01:30:28, in 4h00m28s. Since then $4.716728 was used; no limit
    // is known (two finished blocks), so that cost is what shows.
    let o = feed(&s, payload(&s, None).to_string().as_bytes(), &[]);
    assert!(plain(&o).contains("5h $4.72 ↻4h01m ·"), "{}", plain(&o));
    // The week's reading is still running, and nothing converts local use to a share of it: the
    // service's 41%, two and a half hours old with use since, so at least that (`+`).
    assert!(plain(&o).contains("7d 41%+"), "{}", plain(&o));
    let l = &s.status(NOW)["claude"]["limit"];
    assert_eq!(l["source"], "none");
    assert_eq!(l["resets_at"], "2026-02-13T01:30:28.082Z");
    assert_eq!(l["used_percent"], Value::Null);
    // A payload whose reset is already behind it when it arrives is refused, logged and counted, never
    // shown: the figures stay as they were.
    let stale = payload(&s, Some(limits(99.0, NOW_S - 60, 41.0, NOW_S + 86400)));
    assert!(plain(&feed(&s, stale.to_string().as_bytes(), &[])).contains("5h $4.72 ↻4h01m ·"));
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(
        doctor.contains("refused  1 implausible status-line figure (last: rate_limits.five_hour: reset not after"),
        "{doctor}"
    );
}

#[test]
fn nulls_garbage_and_nothing() {
    let s = Sandbox::claude_fixture();
    let runway = "5h $1.54 ↻4h30m\n";
    // Session start: nulls everywhere, no rate_limits yet.
    let start = json!({
        "session_id": "x", "transcript_path": null, "model": { "id": "claude-opus-4-6", "display_name": null },
        "cost": null, "context_window": { "context_window_size": 200000, "used_percentage": null, "current_usage": null },
        "rate_limits": { "five_hour": null, "seven_day": { "used_percentage": null, "resets_at": null } }
    });
    assert_eq!(plain(&feed(&s, start.to_string().as_bytes(), &[])), format!("claude-opus-4-6 · {runway}"));
    // Unexpected types and fields.
    let odd = json!({ "model": [1, 2], "cost": { "total_cost_usd": "a lot" }, "rate_limits": "soon", "new": { "deep": [null] } });
    assert_eq!(plain(&feed(&s, odd.to_string().as_bytes(), &[])), runway);
    for junk in [&b"not json"[..], b"", b"{\"model\":", b"\xff\xfe\x00", b"[]", b"null"] {
        assert_eq!(plain(&feed(&s, junk, &[])), runway, "{junk:?}");
    }
    // More than 1 MiB is not Claude Code's: ignored, and the runway still printed.
    let mut big = payload(&s, Some(limits(50.0, NOW_S + 600, 1.0, NOW_S + 600)));
    big["padding"] = json!("x".repeat(2 << 20));
    assert_eq!(plain(&feed(&s, big.to_string().as_bytes(), &[])), runway);
    assert_eq!(
        s.status(NOW)["claude"]["limit"]["source"],
        "none",
        "the oversized payload's rate_limits were not stored"
    );
}

#[test]
fn narrow_terminals_drop_the_least_important_first() {
    let s = Sandbox::claude_fixture();
    let p = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600))).to_string();
    let at = |cols: &str| plain(&feed(&s, p.as_bytes(), &[("COLUMNS", cols)]));
    // Widths: model 8, ctx 7, cost 5, 5h 13, 7d 13, separators 3: 58 in all.
    assert_eq!(at("58"), "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
    assert_eq!(at("57"), "ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
    assert_eq!(at("46"), "ctx 32% · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
    assert_eq!(at("38"), "ctx 32% · 5h 23% ↻1h40m\n");
    assert_eq!(at("22"), "5h 23% ↻1h40m\n");
    assert_eq!(at("10"), "5h 23% ↻1h40m\n");
}

#[test]
fn fields_and_format_are_configurable() {
    let s = Sandbox::claude_fixture();
    let p = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600))).to_string();
    let o = feed(
        &s,
        p.as_bytes(),
        &[("RUNWAY_STATUSLINE_FIELDS", "5h,model"), ("RUNWAY_FORMAT", "{label}:{pct}"), ("RUNWAY_SEPARATOR", " | ")],
    );
    assert_eq!(plain(&o), "5h:23% | Opus 4.6\n");
    let cfg = s.dir.path().join("config.toml");
    std::fs::write(&cfg, "statusline_fields = \"7d\"\ncolor = \"never\"\nglyph_reset = \"in \"\n").unwrap();
    let o = feed(&s, p.as_bytes(), &[("RUNWAY_CONFIG", cfg.to_str().unwrap())]);
    assert_eq!(stdout(&o), "7d 41% in 3d01h\n");
}

/// A reading on a half is one figure wherever it shows: `status` once took 62.5 to the even 62% beside
/// the segment's 63%, and said "explains 63% of the 63%" under its own "62%".
#[test]
fn a_reading_on_a_half_reads_the_same_everywhere() {
    let s = Sandbox::claude_fixture();
    let p = payload(&s, Some(limits(62.5, NOW_S + 6000, 40.5, NOW_S + 3 * 86400 + 3600))).to_string();
    let fields = [("RUNWAY_STATUSLINE_FIELDS", "5h,7d")];
    assert_eq!(plain(&feed(&s, p.as_bytes(), &fields)), "5h 63% ↻1h40m · 7d 41% ↻3d01h\n");
    let prompt = s.run(&["--now", NOW, "--color", "never", "prompt", "--shell", "plain"]);
    assert_eq!(stdout(&prompt), "5h 63% ↻1h40m");
    let text = stdout(&s.run(&["--now", NOW, "status"]));
    for want in ["63% (reported by the service just now)", "41% (reported by the service just now)"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(!text.contains("62%") && !text.contains("40%"), "{text}");
}

#[test]
fn a_spend_limit_is_stored_and_shown_like_the_others() {
    let s = Sandbox::claude_fixture();
    let mut limits = limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600);
    // Past 100% is a state a spend limit can be in; a reset in 18 days is its period's.
    limits["spend_limit"] = json!({ "used_percentage": 140.0, "resets_at": NOW_S + 18 * 86400 });
    feed(&s, payload(&s, Some(limits.clone())).to_string().as_bytes(), &[]);
    let v = s.status(NOW);
    let spend = v["claude"]["other_limits"].as_array().unwrap().iter().find(|l| l["id"] == "spend_limit").cloned();
    let spend = spend.unwrap_or_else(|| panic!("{v}"));
    assert_eq!(
        (spend["used_percent"].as_f64(), spend["window"].as_str(), spend["over"].as_bool()),
        (Some(140.0), Some("spend_limit"), Some(true))
    );
    let text = stdout(&s.run(&["--now", NOW, "status"]));
    assert!(text.contains("spend limit: 140% used (reported by the service just now, resets in 18d00h)"), "{text}");
    // Out of range: refused, and said so in doctor, never shown.
    let s2 = Sandbox::claude_fixture();
    let mut odd = limits;
    odd["spend_limit"] = json!({ "used_percentage": 1e9, "resets_at": NOW_S + 86400 });
    feed(&s2, payload(&s2, Some(odd)).to_string().as_bytes(), &[]);
    assert!(s2.status(NOW)["claude"]["other_limits"].as_array().unwrap().is_empty());
}

#[test]
fn another_tools_line_counts_when_a_process_it_left_keeps_its_pipe() {
    // The other status-line command prints its line, then leaves a process behind that holds its
    // output open: the line is shown, and the status line does not wait for that process.
    let s = Sandbox::claude_fixture();
    let p = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600)));
    let started = std::time::Instant::now();
    let o = output_with_input(
        s.cmd().args(["--now", NOW, "statusline", "--then", "echo other-tool; sleep 5 &"]),
        p.to_string().as_bytes(),
    );
    assert_quiet(&o);
    let lines: Vec<String> = plain(&o).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1], "other-tool");
    assert!(started.elapsed() < std::time::Duration::from_secs(4), "waited for the process left behind");
}

#[test]
fn a_whole_payload_is_taken_with_the_pipe_still_open() {
    // A host that writes the payload and keeps the pipe open: it was waited for, then dropped
    // (a blank line and "nothing arrived on stdin"). The line is drawn from what came.
    use std::io::Write;
    let s = Sandbox::claude_fixture();
    let p = payload(&s, Some(limits(23.4, NOW_S + 6000, 41.2, NOW_S + 3 * 86400 + 3600)));
    let mut c = s.cmd();
    c.args(["--now", NOW, "--color", "never", "statusline"]);
    let mut child = c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(p.to_string().as_bytes()).unwrap();
    stdin.flush().unwrap();
    let o = child.wait_with_output().unwrap();
    drop(stdin);
    assert_quiet(&o);
    assert_eq!(stdout(&o), "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
}

#[test]
fn a_stale_reading_with_use_since_is_a_floor() {
    // 40% at 21:00, then the fixture's calls of 21:00-21:03 here, and no known cost of a percent (no
    // rises, no limit): the reading as it is while fresh; past `server_fresh_mins` (30), at least it
    // (`+`), with `status` saying why, and `--json`'s `partial`.
    let s = Sandbox::claude_fixture();
    let at_nine = payload(&s, Some(limits(40.0, NOW_S + 7200, 20.0, NOW_S + 3 * 86400)));
    output_with_input(s.cmd().args(["--now", "2026-02-12T21:00:00Z", "statusline"]), at_nine.to_string().as_bytes());
    let prompt = |t: &str| stdout(&s.run(&["--now", t, "--color", "never", "prompt", "--shell", "plain"]));
    assert!(prompt("2026-02-12T21:20:00Z").starts_with("5h 40% "), "{}", prompt("2026-02-12T21:20:00Z"));
    assert!(prompt("2026-02-12T21:35:00Z").starts_with("5h 40%+ "), "{}", prompt("2026-02-12T21:35:00Z"));
    let status = stdout(&s.run(&["--now", "2026-02-12T21:35:00Z", "status"]));
    assert!(status.contains("40%+ (at least: reported by the service 35m ago"), "{status}");
    let json = json_of(&s.run(&["--now", "2026-02-12T21:35:00Z", "status", "--json"]));
    assert_eq!(
        (&json["claude"]["limit"]["partial"], &json["claude"]["limit"]["used_percent"]),
        (&json!(true), &json!(40.0))
    );
}
