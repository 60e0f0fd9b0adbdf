//! `runway report`: every row equal to an independent count of the same files
//! (`tests/oracle/claude_report.py`), by local day, week, month, session, project, model and block, in
//! two time zones; and the ccusage-shaped JSON equal, field by field, to what ccusage 20 printed for
//! the same fixture (`tests/oracle/ccusage/`, made by `tests/oracle/ccusage.sh`).
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Tokyo has no daylight saving; New York moved its clocks on 8 March 2026, inside the generated
/// history's range.
const ZONES: [&str; 2] = ["Asia/Tokyo", "America/New_York"];
const BY: [(&str, &str); 7] = [
    ("day", "daily"),
    ("week", "weekly"),
    ("month", "monthly"),
    ("session", "session"),
    ("project", "project"),
    ("model", "model"),
    ("block", "blocks"),
];

fn report(s: &Sandbox, by: &str, tz: &str, now: &str) -> Value {
    json_of(
        &s.cmd()
            .args(["--providers", "claude", "--timezone", tz, "--now", now, "report", "--by", by, "--json"])
            .output()
            .unwrap(),
    )
}

/// runway's rows as the oracle keys them: (calls, input, output, cache writes, cache reads, cost).
fn rows(v: &Value, name: &str) -> Vec<(String, [u64; 5], f64)> {
    let mut out = Vec::new();
    for r in v[name].as_array().unwrap() {
        if r["isGap"] == true {
            continue;
        }
        let (key, calls, t, cost) = if name == "blocks" {
            (&r["id"], r["entries"].as_u64(), &r["tokenCounts"], &r["costUSD"])
        } else {
            (&r["period"], r["runway"]["calls"].as_u64(), r, &r["totalCost"])
        };
        let n = |k: &str| t[k].as_u64().unwrap();
        let counts = if name == "blocks" {
            [
                calls.unwrap(),
                n("inputTokens"),
                n("outputTokens"),
                n("cacheCreationInputTokens"),
                n("cacheReadInputTokens"),
            ]
        } else {
            [calls.unwrap(), n("inputTokens"), n("outputTokens"), n("cacheCreationTokens"), n("cacheReadTokens")]
        };
        out.push((key.as_str().unwrap().to_owned(), counts, cost.as_f64().unwrap()));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn oracle_rows(o: &Value, by: &str) -> Vec<(String, [u64; 5], f64)> {
    let mut out: Vec<_> = o[by]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, s)| {
            let n = |f: &str| s[f].as_u64().unwrap();
            (
                k.clone(),
                [n("entries"), n("input"), n("output"), n("cache_creation"), n("cache_read")],
                s["cost_usd"].as_f64().unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every report of `s` in both zones equals the oracle's; returns how many rows were compared.
fn equal_to_the_oracle(s: &Sandbox, now: &str) -> usize {
    let mut compared = 0;
    for tz in ZONES {
        let Some(o) = oracle("claude_report.py", &[s.projects().as_os_str(), now.as_ref(), tz.as_ref()]) else {
            return 0;
        };
        for (by, name) in BY {
            let (mine, theirs) = (rows(&report(s, by, tz, now), name), oracle_rows(&o, by));
            assert_eq!(mine.len(), theirs.len(), "{by} in {tz}: rows");
            for (m, t) in mine.iter().zip(&theirs) {
                assert_eq!((&m.0, m.1), (&t.0, t.1), "{by} in {tz}");
                // The oracle rounds each row's float sum to the micro-dollar; runway sums exactly.
                assert!((m.2 - t.2).abs() < 2e-6, "{by} in {tz}, {}: cost {} vs {}", m.0, m.2, t.2);
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn every_row_of_the_real_fixture_equals_the_independent_count() {
    let s = Sandbox::claude_fixture();
    let n = equal_to_the_oracle(&s, "2026-02-13T00:00:00Z");
    // 3 blocks, 2 days, 1 week, 1 month, 3 sessions, 4 projects (three worktrees, and one compaction
    // agent that ran in a subdirectory of one: the directories the files record), 3 models; in two
    // zones.
    assert!(n == 0 || n == 34, "{n} rows");
}

#[test]
fn every_row_of_a_generated_month_across_a_clock_change_equals_the_independent_count() {
    let s = Sandbox::empty();
    let end = jiff::Timestamp::from_second(1_774_958_400).unwrap(); // 2026-03-31T12:00:00Z
    runway_synth::claude_history(&s.claude_dir(), 3 << 20, 30, end.as_millisecond(), 7).unwrap();
    let n = equal_to_the_oracle(&s, "2026-03-31T12:00:00Z");
    assert!(n == 0 || n >= 100, "{n} rows");
}

#[test]
fn sessions_a_chunk_at_a_time_are_the_same_report() {
    // Past 8192 files `report --by session` adds up a chunk of sessions at a time, a pass each
    // (report::sessions); the knob takes that path over a generated month's sessions, three a
    // chunk: the same bytes, JSON and table, as the builder's one pass.
    let s = Sandbox::empty();
    let end = jiff::Timestamp::from_second(1_774_958_400).unwrap(); // 2026-03-31T12:00:00Z
    runway_synth::claude_history(&s.claude_dir(), 3 << 20, 30, end.as_millisecond(), 7).unwrap();
    for json in [true, false] {
        let run = |chunk: Option<&str>| {
            let mut c = s.cmd();
            c.args(["--providers", "claude", "--now", "2026-03-31T12:00:00Z", "report", "--by", "session"]);
            if json {
                c.arg("--json");
            }
            if let Some(n) = chunk {
                c.env("RUNWAY_REPORT_CHUNK", n);
            }
            let o = c.output().unwrap();
            assert!(o.status.success(), "{o:?}");
            stdout(&o)
        };
        let whole = run(None);
        assert_eq!(run(Some("3")), whole, "json: {json}");
        if json {
            let v: Value = serde_json::from_str(&whole).unwrap();
            assert!(v["session"].as_array().unwrap().len() > 20, "{whole}");
        }
    }
}

/// Three people's real month, when the shared fixtures are beside the repository (73 MB: not copied
/// into it).
#[test]
fn every_row_of_three_peoples_month_equals_the_independent_count() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/claude-history/projects");
    if !shared.is_dir() {
        eprintln!("{} is not here: skipped", shared.display());
        return;
    }
    let s = Sandbox::empty();
    std::os::unix::fs::symlink(&shared, s.projects()).unwrap_or_else(|_| {
        std::fs::create_dir_all(s.claude_dir()).unwrap();
        std::os::unix::fs::symlink(&shared, s.projects()).unwrap()
    });
    let n = equal_to_the_oracle(&s, "2026-02-14T00:00:00Z");
    assert!(n == 0 || n >= 100, "{n} rows");
}

fn ccusage(name: &str) -> Value {
    let p: PathBuf = fixtures().join("../oracle/ccusage").join(format!("{name}.json"));
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// Equal field by field: numbers within a micro-dollar, everything else exactly; runway's own
/// additions (`runway`, `metadata.project`) are not ccusage's to judge.
fn same(mine: &Value, theirs: &Value, at: &str) {
    match (mine, theirs) {
        (Value::Object(m), Value::Object(t)) => {
            for (k, tv) in t {
                let mv = m.get(k).unwrap_or_else(|| panic!("{at}.{k}: missing"));
                same(mv, tv, &format!("{at}.{k}"));
            }
        }
        (Value::Array(m), Value::Array(t)) => {
            assert_eq!(m.len(), t.len(), "{at}: length");
            for (i, (mv, tv)) in m.iter().zip(t).enumerate() {
                same(mv, tv, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(m), Value::Number(t)) => {
            assert!((m.as_f64().unwrap() - t.as_f64().unwrap()).abs() < 1e-6, "{at}: {m} vs {t}")
        }
        _ => assert_eq!(mine, theirs, "{at}"),
    }
}

#[test]
fn the_json_is_ccusages_field_by_field() {
    let s = Sandbox::claude_fixture();
    // ccusage ran long after the fixture: no block active.
    let now = "2026-03-01T00:00:00Z";
    for (by, name, file, tz) in [
        ("day", "daily", "daily", "UTC"),
        ("day", "daily", "daily-tokyo", "Asia/Tokyo"),
        ("week", "weekly", "weekly", "UTC"),
        ("month", "monthly", "monthly", "UTC"),
        ("session", "session", "session", "UTC"),
        ("block", "blocks", "blocks", "UTC"),
    ] {
        let mine = report(&s, by, tz, now);
        same(&mine, &ccusage(file), file);
        // The keys in ccusage's order, so a diff of the two prints shows only values.
        let order =
            |v: &Value| v[name][0].as_object().unwrap().keys().filter(|k| *k != "runway").cloned().collect::<Vec<_>>();
        assert_eq!(order(&mine), order(&ccusage(file)), "{file}: key order");
    }
}

#[test]
fn a_terminal_table_with_the_total_and_the_cache_hit_in_colour() {
    let s = Sandbox::claude_fixture();
    let o = s.cmd().args(["--timezone", "UTC", "--color", "always", "report", "--by", "session"]).output().unwrap();
    assert_quiet(&o);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "a heading, three sessions, the total:\n{text}");
    assert!(lines[1].contains("spotter-gqc 258c7280"), "the directory the session ran in: {text}");
    assert!(lines[4].starts_with("total") && lines[4].contains("$34.00"), "{text}");
    // 97% of input-side tokens read from the cache: green.
    assert!(lines[4].contains("\x1b[32m 97%\x1b[0m") || lines[4].contains("\x1b[32m97%\x1b[0m"), "{text:?}");
    // The last day there is: its end cannot be written as a time, and it once read as no --since.
    for since in ["2030-01-01", "9999-12-31"] {
        let o = s.cmd().args(["report", "--since", since]).output().unwrap();
        assert_eq!(stdout(&o), "no calls in this range\n", "--since {since}");
    }
    let o = s.cmd().args(["report", "--by", "fortnight"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn since_and_until_are_local_dates_inclusive() {
    let s = Sandbox::claude_fixture();
    let days = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--timezone", "UTC", "report", "--json"];
        a.extend(args);
        let v = json_of(&s.cmd().args(&a).output().unwrap());
        v["daily"].as_array().unwrap().iter().map(|r| r["period"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(days(&[]), ["2026-02-11", "2026-02-12"]);
    assert_eq!(days(&["--since", "20260212"]), ["2026-02-12"]);
    assert_eq!(days(&["--until", "2026-02-11"]), ["2026-02-11"]);
    assert_eq!(days(&["--since", "2026-02-12", "--until", "2026-02-12"]), ["2026-02-12"]);
    // The wrong way round is a mistake, said as one, not an empty report.
    let o = s.cmd().args(["report", "--since", "2026-02-12", "--until", "2026-02-11"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--since 2026-02-12 is after --until 2026-02-11"), "{err}");
    assert!(err.contains("Usage: runway report"), "the report's usage: {err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_resumed_session_leaves_the_calls_it_repeats_with_the_session_that_made_them() {
    let s = Sandbox::claude_fixture();
    let sessions = |v: &Value| -> Vec<(String, u64)> {
        let mut r: Vec<(String, u64)> = v["session"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["period"].as_str().unwrap().to_owned(), r["runway"]["calls"].as_u64().unwrap()))
            .collect();
        r.sort();
        r
    };
    let args = ["--timezone", "UTC", "report", "--by", "session", "--json"];
    let before = sessions(&json_of(&s.cmd().args(args).output().unwrap()));
    // `claude --resume` into a new file: the session's lines repeated verbatim (same ids, same times).
    let original = std::fs::read_to_string(s.session("4d5611e5-241a-462a-8d15-5122611a9569")).unwrap();
    let copy: String = original.lines().take(120).map(|l| format!("{l}\n")).collect();
    std::fs::write(s.session("eeeeeeee-0000-4000-8000-00000000000e"), copy).unwrap();
    let incremental = sessions(&json_of(&s.cmd().args(args).output().unwrap()));
    assert_eq!(incremental, before, "the copy adds nothing and takes nothing");
    let fresh = tempfile::tempdir().unwrap();
    let rebuilt = sessions(&json_of(&s.cmd_with_cache(fresh.path()).args(args).output().unwrap()));
    assert_eq!(rebuilt, before, "a rebuilt cache gives the calls to the same session");
}

#[test]
fn a_report_after_a_rescan_still_knows_every_session() {
    // A full walk that finds nothing new writes the head of the state alone; the report after it
    // must still have the whole file table (it once named every session `?`).
    let s = Sandbox::claude_fixture();
    // Idle for ten days, as a real history mostly is: the files live in the cold part of the table.
    age(&s.claude_dir(), std::time::SystemTime::now() - std::time::Duration::from_secs(10 * 86_400));
    let args = ["--timezone", "UTC", "report", "--by", "session", "--json"];
    let first = json_of(&s.cmd().args(args).output().unwrap());
    let after = json_of(&s.cmd().env("RUNWAY_RESCAN_SECS", "0").args(args).output().unwrap());
    assert_eq!(after, first);
    assert_eq!(after["session"].as_array().unwrap().len(), 3);
}

/// Sets the modification time of everything under `dir` (files first, then their folders).
fn age(dir: &Path, to: std::time::SystemTime) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            age(&e.path(), to);
        } else {
            std::fs::File::options().write(true).open(e.path()).unwrap().set_modified(to).unwrap();
        }
    }
    std::fs::File::open(dir).unwrap().set_modified(to).unwrap();
}

#[test]
fn since_after_until_is_an_error() {
    let s = Sandbox::claude_fixture();
    let o = s.run(&["report", "--since", "2026-02-13", "--until", "2026-02-12"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--since 2026-02-13 is after --until 2026-02-12"));
    let o = s.run(&["report", "--since", "2026-02-12", "--until", "2026-02-12"]);
    assert!(o.status.success() && stdout(&o).contains("2026-02-12"), "one day is a range");
}

#[test]
fn a_row_a_tool_dearest_first_each_the_total_of_its_own_report() {
    let s = Sandbox::claude_fixture();
    copy_tree(&fixtures().join("codex-real"), &s.codex_home());
    let report = |tools: &str, by: &str| {
        json_of(
            &s.cmd()
                .args(["--now", "2026-12-31T00:00:00Z", "--providers", tools, "report", "--by", by, "--json"])
                .output()
                .unwrap(),
        )
    };
    let v = report("codex,claude", "tool");
    let rows = v["tool"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(names, ["claude", "codex"], "dearest first: {v}");
    for r in rows {
        let own = report(r["period"].as_str().unwrap(), "month");
        assert_eq!((&r["totalCost"], &r["totalTokens"]), (&own["totals"]["totalCost"], &own["totals"]["totalTokens"]));
        assert_eq!(r["agent"], r["period"]);
    }
    assert_eq!(v["totals"], report("claude,codex", "month")["totals"]);
    // Kimi's $0.20 before Gemini's $0.02, whose name comes first.
    copy_tree(&fixtures().join("agents/gemini"), &s.home().join(".gemini"));
    copy_tree(&fixtures().join("agents/kimi-code"), &s.home().join(".kimi-code"));
    let v = report("gemini,kimi", "tool");
    let names: Vec<&str> = v["tool"].as_array().unwrap().iter().map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(names, ["kimi", "gemini"], "{v}");
}

#[test]
fn by_device_with_no_sync_folder_names_this_device() {
    // The name it would write to a sync folder: `device_name`, else the host name (it read "this
    // device (this device)", and the setting was not looked at).
    let s = Sandbox::claude_fixture();
    let o =
        s.run(&["--timezone", "UTC", "--color", "never", "--set", "device_name=laptop", "report", "--by", "device"]);
    let text = stdout(&o);
    assert!(text.lines().any(|l| l.starts_with("laptop (this device)")), "{text}");
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let text = stdout(&s.run(&["--color", "never", "report", "--by", "device"]));
    assert!(text.lines().any(|l| l.starts_with(&format!("{} (this device)", host.trim()))), "{text}");
}

#[test]
fn a_block_across_a_range_edge_keeps_its_own_start() {
    // The fixture's block of 20:00 UTC on the 11th crosses midnight in Moscow (21:00 UTC). With
    // `--since` the 12th, its row began at the hour of its first call inside (22:00 UTC) and ran to
    // 03:00, where it could take in the next block's calls; it is the block it was, with the calls
    // inside the range. Each side of the edge, a row of its calls; together, the block.
    let s = Sandbox::claude_fixture();
    let blocks = |extra: &[&str]| -> Vec<(String, String, u64)> {
        let mut args = vec!["--timezone", "Europe/Moscow", "report", "--by", "block", "--json"];
        args.extend_from_slice(extra);
        let v = json_of(&s.run(&args));
        let rows = v["blocks"].as_array().unwrap().iter().filter(|b| b["isGap"] != true);
        rows.map(|b| {
            (
                b["startTime"].as_str().unwrap().into(),
                b["endTime"].as_str().unwrap().into(),
                b["entries"].as_u64().unwrap(),
            )
        })
        .collect()
    };
    let whole = blocks(&[]);
    let (after, before) = (blocks(&["--since", "2026-02-12"]), blocks(&["--until", "2026-02-11"]));
    assert_eq!(whole[0].0, "2026-02-11T20:00:00.000Z");
    assert_eq!((&after[0].0, &after[0].1), (&whole[0].0, &whole[0].1), "{after:?}");
    assert_eq!((&before[0].0, &before[0].1), (&whole[0].0, &whole[0].1), "{before:?}");
    assert_eq!(after[0].2 + before[0].2, whole[0].2);
    assert!(after[0].2 > 0 && before[0].2 > 0);
}
