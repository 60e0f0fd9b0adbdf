//! The forecast on the real Claude Code fixture with a fixed clock: which evidence wins, the figure it
//! gives, and its label. Expected figures come from `tests/oracle/claude_count.py` (its dedup and
//! prices), combined by hand in the comments.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::Stdio;

use common::*;
use serde_json::{Value, json};

const NOW: &str = "2026-02-12T21:30:00Z";
const LAST: &str = "8463c716-a2ea-4c14-9efa-87158ebd9f20";

fn plain(s: &Sandbox, now: &str, extra: &[&str]) -> String {
    let mut args = vec!["--color", "never", "--now", now];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["prompt", "--shell", "plain"]);
    stdout(&s.run(&args))
}

/// The status line, at `now`, fed Claude Code's payload with only a 5-hour reading.
fn statusline_reading(s: &Sandbox, now: &str, used: f64, resets_at: i64) {
    let p = json!({
        "session_id": LAST,
        "transcript_path": s.session(LAST),
        "model": { "id": "claude-opus-4-6", "display_name": "Opus 4.6" },
        "rate_limits": { "five_hour": { "used_percentage": used, "resets_at": resets_at } }
    });
    let mut child =
        s.cmd().args(["--now", now, "statusline"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(p.to_string().as_bytes()).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
}

#[test]
fn a_usage_limit_notice_tells_where_the_limit_was() {
    let s = Sandbox::claude_fixture();
    // Claude Code's notice, written into the first session at 22:30 on the 11th (inside the block
    // that began at 20:00). A real assistant line of the fixture, made into the synthetic notice.
    let text = std::fs::read_to_string(s.session(LAST)).unwrap();
    let mut v: Value =
        serde_json::from_str(text.lines().find(|l| l.contains(r#""type":"assistant""#)).unwrap()).unwrap();
    v["timestamp"] = json!("2026-02-11T22:30:00.000Z");
    v["isApiErrorMessage"] = json!(true);
    v["requestId"] = Value::Null;
    v["message"]["model"] = json!("<synthetic>");
    v["message"]["id"] = json!("synthetic-limit");
    v["message"]["content"] = json!([{ "type": "text", "text": "Claude AI usage limit reached|1770858000" }]);
    v["message"]["usage"] = json!({ "input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0 });
    append(&s.session("258c7280-ae70-4798-800f-63464d01a85d"), format!("{v}\n").as_bytes());
    // The block had cost $18.535582 by 22:30 (225 calls; the oracle at --now 2026-02-11T22:30:00Z):
    // that is the limit, not the block's final $23.89. $1.535243 of it is 8.28%, and the burn of
    // $0.441680 a minute reaches it in (18.535582 - 1.535243) / 0.441680 = 38.5 minutes.
    let l = &s.status(NOW)["claude"]["limit"];
    assert_eq!(l["source"], "history");
    assert_eq!(l["learned_from"], "usage limit reached");
    assert_eq!(l["cost_usd"], 18.535582);
    assert_eq!(l["used_percent"], 8.28);
    // Against that limit the last block's burst, 21:00-21:03, was heading for it: at 21:03:40 the
    // present rate, $0.429986 a minute (the oracle's), fills the other $17.000339 in 39.5 minutes.
    assert_eq!(plain(&s, "2026-02-12T21:03:40Z", &[]), "5h ~8% ⚠ 40m");
    // At 21:30 work has stopped for 26 minutes: no warning.
    assert_eq!(plain(&s, NOW, &[]), "5h ~8% ↻4h30m");
    // The notice is not a call: nothing else changed.
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 465);
}

#[test]
fn a_reading_then_local_use() {
    let s = Sandbox::claude_fixture();
    // The status line reports the window 20:00-01:00 (resets 01:00 = 1770944400) as the burst of
    // 21:00-21:03 goes on: 40% at 21:00, 43% at 21:01, 46% at 21:02, 49% at 21:03.
    for (at, used) in [("21:00", 40.0), ("21:01", 43.0), ("21:02", 46.0), ("21:03", 49.0)] {
        statusline_reading(&s, &format!("2026-02-12T{at}:00Z"), used, 1_770_944_400);
    }

    // Right after the last one nothing was used since: the service's figure, as it is.
    let v = s.status("2026-02-12T21:03:00Z");
    assert_eq!(v["claude"]["limit"]["source"], "server");
    assert_eq!(v["claude"]["limit"]["used_percent"], 49.0);

    // Local use between the readings (the oracle's block at each minute): $0.300064, $0.340086 and
    // $0.100095, three points each: $0.100021, $0.113362 and $0.033365 a percent. The 75th percentile
    // of the three (the largest: use elsewhere only ever lowers a pair) is $0.113362, a $11.3362
    // limit. Since 21:03, $0.794998 more (6 calls): 49 + 0.794998 / 0.113362 = 56.013%.
    let v = s.status(NOW);
    let l = &v["claude"]["limit"];
    assert_eq!(l["source"], "extrapolated");
    assert_eq!(l["used_percent"], 56.01);
    assert_eq!(l["observed_at"], "2026-02-12T21:03:00Z");
    assert_eq!(l["learned_from"], "server readings");
    assert!((l["cost_usd"].as_f64().unwrap() - 11.3362).abs() < 1e-4, "{l}");
    // Local use in the window up to 21:03, $7.769753, is 68.5 points at that price: more than the
    // 49 reported, so all of it is explained.
    assert_eq!(v["claude"]["rate_limits"]["five_hour"]["coverage"], 1.0);
    // Work stopped at 21:03: no warning. Whatever the present rate, the figures agree with one
    // another: pace is the rate against the even rate that lasts to the 01:00 reset, 210 minutes away.
    assert_eq!(l["minutes_to_limit"], Value::Null);
    let (empty, pace) = (l["minutes_to_empty"].as_f64().unwrap(), l["pace"].as_f64().unwrap());
    assert!(empty > 45.0 && (pace - 210.0 / empty).abs() < 0.01, "{l}");
    assert_eq!(plain(&s, NOW, &[]), "5h ≈56% ↻3h30m");

    // At 23:30 the reading is 2h27m old, and nothing was used since 21:04: the share stays where the
    // reading and the use since put it, and the reset stays the service's 01:00.
    let later = "2026-02-12T23:30:00Z";
    let l = &s.status(later)["claude"]["limit"];
    assert_eq!((l["source"].as_str(), l["used_percent"].as_f64()), (Some("extrapolated"), Some(56.01)));
    assert_eq!(l["resets_at"], "2026-02-13T01:00:00Z");
    assert_eq!(plain(&s, later, &[]), "5h ≈56% ↻1h30m");
    // After the reset, with no call since, no window is running.
    assert_eq!(plain(&s, "2026-02-13T01:30:00Z", &[]), "");
}

#[test]
fn every_source_is_labelled() {
    let s = Sandbox::claude_fixture();
    // none: two finished blocks of ten calls or more are too few to learn a limit from.
    assert_eq!(s.status(NOW)["claude"]["limit"]["source"], "none");
    // configured: the user's limit.
    let v = json_of(&s.run(&["--limit-tokens", "100000000", "--now", NOW, "status", "--json"]));
    assert_eq!(v["claude"]["limit"]["source"], "configured");
    assert_eq!(plain(&s, NOW, &["--limit-cost", "100"]), "5h ~2% ↻4h30m");
    // history: the block that ended at a usage limit notice, a_usage_limit_notice_tells_where_the_limit_was;
    // the largest finished block, once there are ten: a_month_learns_its_limit_from_its_largest_block.
    // server, then extrapolated: a_reading_then_local_use. The server's figure beats a configured
    // limit: the service knows its own quota.
    statusline_reading(&s, NOW, 30.0, 1_770_944_400);
    let v = json_of(&s.run(&["--limit-cost", "100", "--now", NOW, "status", "--json"]));
    assert_eq!(v["claude"]["limit"]["source"], "server");
    assert_eq!(v["claude"]["limit"]["estimated"], false);
}

#[test]
fn a_month_learns_its_limit_from_its_largest_block_until_a_block_goes_past_it() {
    // The generated month has blocks enough (ten or more of ten calls or more) for the largest
    // finished one to stand for a limit: its cost, as the independent count finds it. Then the first
    // block that goes past it: at its last call the old largest was a guess the calls went through:
    // no limit, no share, no alarm, and status --json says which guess was passed; but amber, not
    // green: red a moment before as it neared that guess, green read as all clear at the fastest
    // spending (more than any block before, and where the limit is nobody knows).
    let s = Sandbox::empty();
    let Some((blocks, past, largest)) = the_block_past_the_largest(&s) else { return };
    let b = &blocks[past];
    let before = rfc3339(b["first_ms"].as_i64().unwrap() - 60_000);
    let l = &s.status(&before)["claude"]["limit"];
    assert_eq!((l["source"].as_str(), l["learned_from"].as_str()), (Some("history"), Some("largest completed block")));
    assert!((l["cost_usd"].as_f64().unwrap() - largest).abs() < 1e-6, "{l} vs {largest}");
    assert_eq!(l["passed"], Value::Null);

    let at = rfc3339(b["last_ms"].as_i64().unwrap());
    let l = &s.status(&at)["claude"]["limit"];
    assert_eq!((l["source"].as_str(), &l["used_percent"], &l["cost_usd"]), (Some("none"), &Value::Null, &Value::Null));
    assert!((l["passed"]["cost_usd"].as_f64().unwrap() - largest).abs() < 1e-6, "{l} vs {largest}");
    assert_eq!(l["passed"]["learned_from"], "largest completed block");
    let seg = stdout(&s.run(&["--now", &at, "prompt", "--shell", "zsh"]));
    for alarm in ["\x1b[31m", "⚠", "✕", "%%"] {
        assert!(!seg.contains(alarm), "at {at}: {seg:?}");
    }
    assert!(seg.starts_with("%{\x1b[33m%}5h $"), "amber, its cost: {seg:?}");
    // The same after a status-line reading of the day before, its windows long reset (anyone with the
    // status line has one): the window is then found after that reset, and is as far past the guess.
    let first = b["first_ms"].as_i64().unwrap();
    let gone = (first - 20 * 3_600_000) / 1000;
    statusline_both(&s, &rfc3339(first - 24 * 3_600_000), (90.0, gone), (10.0, gone));
    let seg = stdout(&s.run(&["--now", &at, "prompt", "--shell", "zsh"]));
    assert!(seg.starts_with("%{\x1b[33m%}5h $"), "amber after a reading too: {seg:?}");
    let words = stdout(&s.run(&["--now", &at, "status"]));
    assert!(words.contains(&format!("went past ${largest:.2}, the largest earlier block")), "{words}");
}

/// A generated month in `s` (blocks enough for the largest finished one to stand for a limit), its
/// blocks by the independent count, the index of the first that goes past the largest before it, and
/// that largest's cost (`None` without python3).
fn the_block_past_the_largest(s: &Sandbox) -> Option<(Vec<Value>, usize, f64)> {
    let now = "2026-03-31T12:00:00Z";
    let end = now.parse::<jiff::Timestamp>().unwrap().as_millisecond();
    runway_synth::claude_history(&s.claude_dir(), 3 << 20, 30, end, 7).unwrap();
    let v = oracle("claude_count.py", &[s.projects().as_os_str(), now.as_ref()])?;
    let blocks = v["blocks"].as_array().unwrap().clone();
    let cost = |b: &Value| b["cost_usd"].as_f64().unwrap();
    let (mut largest, mut meaningful) = (0.0, 0);
    for (i, b) in blocks.iter().enumerate() {
        if meaningful >= 10 && cost(b) > largest {
            return Some((blocks, i, largest));
        }
        largest = f64::max(largest, cost(b));
        meaningful += usize::from(b["entries"].as_u64().unwrap() >= 10);
    }
    panic!("no block past the largest before it")
}

#[test]
fn a_stale_reading_beside_a_guessed_limit_says_what_its_pace_counts_against() {
    // In that month, the last block before the one past the largest that lasts 7 minutes or more
    // (its blocks are short: `server_fresh_mins` is 5 here): a reading of 98% 6 minutes before its
    // last call. At that call the window holds no more than the largest block (the guess stands, and
    // says less than the reading): a floor (`98%+`), whose words say the pace takes the largest block.
    let s = Sandbox::empty();
    let Some((blocks, past, largest)) = the_block_past_the_largest(&s) else { return };
    let ms = |b: &Value, k: &str| b[k].as_i64().unwrap();
    let b = blocks[..past].iter().rev().find(|b| ms(b, "last_ms") - ms(b, "first_ms") >= 7 * 60_000).unwrap();
    let (first, last) = (ms(b, "first_ms"), ms(b, "last_ms"));
    let reset = (first / 3_600_000 * 3_600_000 + 5 * 3_600_000) / 1000;
    statusline_reading(&s, &rfc3339(last - 6 * 60_000), 98.0, reset);
    let words = stdout(&s.run(&["--now", &rfc3339(last), "--set", "server_fresh_mins=5", "status"]));
    let said = format!(
        "98%+ (at least: reported by the service 6m ago, and used since, with no known cost of a percent to count that in; its pace takes the largest earlier block, ${largest:.2}, for the limit)"
    );
    assert!(words.contains(&said), "{words}");
}

/// The status line, at `now`, fed Claude Code's payload with both windows' readings.
fn statusline_both(s: &Sandbox, now: &str, five: (f64, i64), seven: (f64, i64)) {
    let p = json!({
        "session_id": LAST,
        "transcript_path": s.session(LAST),
        "model": { "id": "claude-opus-4-6", "display_name": "Opus 4.6" },
        "rate_limits": {
            "five_hour": { "used_percentage": five.0, "resets_at": five.1 },
            "seven_day": { "used_percentage": seven.0, "resets_at": seven.1 }
        }
    });
    let mut child =
        s.cmd().args(["--now", now, "statusline"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(p.to_string().as_bytes()).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
}

#[test]
fn a_week_used_elsewhere_is_not_put_down_to_this_machine() {
    // The real fixture's week ($34 of local calls) and its live session: at 21:00, as the burst of
    // 21:00-21:03 begins, the status line reports the week 63.5% full (resetting in three days) and
    // the 5 hours 20% (resetting at 01:00). Most of the week was used elsewhere; nothing yet says how
    // much of it this machine's calls are.
    let s = Sandbox::claude_fixture();
    let week_reset = 1_770_930_000 + 3 * 86_400; // 2026-02-15T21:00:00Z
    statusline_both(&s, "2026-02-12T21:00:00Z", (20.0, 1_770_944_400), (63.5, week_reset));
    // Twenty minutes of the real session's work after it: no amber, no red, no warning, no notice;
    // the week's figure stands as reported, its pace below 2; the 5 hours keep the service's figure.
    for minute in 1..=20 {
        let now = format!("2026-02-12T21:{minute:02}:00Z");
        let o = s.run(&["--now", &now, "--set", "windows=all", "prompt", "--shell", "zsh", "--notices"]);
        let out = stdout(&o);
        assert!(!out.contains('\x1e'), "a notice at {now}: {out:?}");
        for alarm in ["\x1b[31m", "\x1b[33m", "⚠"] {
            assert!(!out.contains(alarm), "{now}: {out:?}");
        }
        let v = s.status(&now);
        let week = &v["claude"]["seven_day"];
        assert_eq!((&week["used_percent"], &week["minutes_to_limit"]), (&json!(63.5), &Value::Null), "{now}: {week}");
        assert!(week["pace"].as_f64().is_none_or(|p| p < 2.0), "{now}: {week}");
        assert_eq!(week["coverage"], Value::Null, "not known from one reading");
        assert_eq!(v["claude"]["limit"]["used_percent"], 20.0);
    }
    // An hour after the first, a reading 10 points higher with little local use since (nothing after
    // 21:04): the readings' own trend, and 73.5% is past the warning share: amber.
    statusline_both(&s, "2026-02-12T22:00:00Z", (21.0, 1_770_944_400), (73.5, week_reset));
    let o = s.run(&["--now", "2026-02-12T22:00:00Z", "prompt", "--shell", "zsh"]);
    assert_eq!(stdout(&o), "%{\x1b[33m%}7d 74%% ↻2d23h%{\x1b[0m%}");
    let week = &s.status("2026-02-12T22:00:00Z")["claude"]["seven_day"];
    assert!(week["percent_per_hour"].as_f64().is_some_and(|r| r > 5.0), "{week}");
    assert_eq!(week["minutes_to_limit"], Value::Null, "26.5 points at 9% an hour are hours away");
    assert_eq!(week["rate_floor"], false, "every local call lies between the two readings");
}

#[test]
fn a_rate_from_the_readings_alone_with_local_calls_since_is_a_floor() {
    // The week read 60% at 20:30 and 63.5% at 21:00; the live session's burn of 21:00-21:03 comes
    // after, and one rise teaches no cost of a percent to count it in. At 21:30 the rate is the rise
    // alone, faded by half an hour: at least that, and said so, not a rate that lasts.
    let s = Sandbox::claude_fixture();
    let week_reset = 1_770_930_000 + 3 * 86_400;
    statusline_both(&s, "2026-02-12T20:30:00Z", (5.0, 1_770_944_400), (60.0, week_reset));
    statusline_both(&s, "2026-02-12T21:00:00Z", (20.0, 1_770_944_400), (63.5, week_reset));
    let week = &s.status("2026-02-12T21:30:00Z")["claude"]["seven_day"];
    assert_eq!((&week["rate_floor"], &week["coverage"]), (&json!(true), &Value::Null), "{week}");
    let words = stdout(&s.run(&["--now", "2026-02-12T21:30:00Z", "status"]));
    let line = words.lines().skip_while(|l| !l.contains("7 days")).find(|l| l.contains("burning")).unwrap_or_default();
    assert!(line.contains("burning at least") && !words.contains("it lasts until the reset"), "{words}");
}

#[test]
fn a_reading_raises_a_learned_limit_it_shows_too_low() {
    // A generated month learns its limit from its largest finished block. Inside a later block, the
    // status line reports the 5 hours at 10% when the block's local calls alone cost more than 11% of
    // that limit: the limit is more than was learned (use elsewhere only adds to a reading), and the
    // gauge must not call the window full early. The limit becomes the local cost under the reading
    // over 11% (a point above the reported share, which a status line may round down).
    let s = Sandbox::empty();
    let end = "2026-03-31T12:00:00Z".parse::<jiff::Timestamp>().unwrap().as_millisecond();
    runway_synth::claude_history(&s.claude_dir(), 3 << 20, 30, end, 7).unwrap();
    let iso = |ms: i64| jiff::Timestamp::from_millisecond(ms).unwrap().to_string();
    let count = |ms: i64| oracle("claude_count.py", &[s.projects().as_os_str(), iso(ms).as_ref()]);
    let Some(all) = count(end) else { return };
    let done: Vec<&Value> = all["blocks"].as_array().unwrap().iter().filter(|b| b["active"] == false).collect();
    let largest_before = |ms: i64| {
        done.iter()
            .filter(|b| b["last_ms"].as_i64().unwrap() + 5 * 3_600_000 <= ms && b["entries"].as_u64().unwrap() >= 10)
            .map(|b| b["cost_usd"].as_f64().unwrap())
            .fold(0.0, f64::max)
    };
    // The last block whose cost at its last call is over a fifth of the limit learned before it.
    let (now, cost) = done
        .iter()
        .rev()
        .map(|b| b["last_ms"].as_i64().unwrap() + 1_000)
        .find_map(|t| {
            let at = count(t)?;
            let c = at["blocks"].as_array()?.iter().find(|b| b["active"] == true)?["cost_usd"].as_f64()?;
            (c > 0.2 * largest_before(t)).then_some((t, c))
        })
        .unwrap();
    let v = count(now).unwrap();
    let start = v["blocks"].as_array().unwrap().iter().find(|b| b["active"] == true).unwrap()["start"]
        .as_str()
        .unwrap()
        .to_owned();
    let resets_at = start.parse::<jiff::Timestamp>().unwrap().as_second() + 5 * 3600;
    statusline_reading(&s, &iso(now), 10.0, resets_at);
    let l = &s.status(&iso(now))["claude"]["limit"];
    assert_eq!(l["learned_from"].as_str(), Some("reading floor"), "{l}");
    let floor = cost * 100.0 / 11.0;
    assert!((l["cost_usd"].as_f64().unwrap() - floor).abs() < 1e-5, "{l} vs {floor}");
    assert!(floor > largest_before(now), "the floor is above the learned limit: the case is the one meant");
    // The reading, fresh and with nothing used since, is shown as it is.
    assert_eq!((l["source"].as_str(), l["used_percent"].as_f64()), (Some("server"), Some(10.0)));
    // A floor worked out from the reading explains all of it by its making: no coverage from it (it
    // said "this machine explains 10% of the 10%" whatever was used elsewhere).
    assert_eq!(l["coverage"], Value::Null, "{l}");
    let text = stdout(&s.run(&["--now", &iso(now), "status"]));
    assert!(text.contains("how much of the 10% reported is this machine's is not known yet"), "{text}");
}

#[test]
fn the_weeks_calls_in_words_are_those_its_lines_add_up_to() {
    // With the service's 7-day window (from 21:00 on the 8th), `status` gives that window's calls
    // above the sessions, projects and models in it; the rolling seven days are the same only when
    // the window began exactly a week ago.
    let s = Sandbox::claude_fixture();
    statusline_both(&s, "2026-02-12T21:00:00Z", (20.0, 1_770_944_400), (63.5, 1_770_930_000 + 3 * 86_400));
    let text = stdout(&s.run(&["--color", "never", "--now", NOW, "status"]));
    let calls = |l: &str| -> Vec<u64> {
        l.split(['·', ';']).filter_map(|p| p.trim().strip_suffix(" calls")?.rsplit(' ').next()?.parse().ok()).collect()
    };
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("  window ")).unwrap_or_else(|| panic!("{text}"));
    assert!(lines[at].ends_with("in its first 4d00h"), "{}", lines[at]);
    let models = lines[at..].iter().position(|l| l.starts_with("  models ")).unwrap() + at;
    let mut in_models: Vec<u64> = calls(lines[models]);
    in_models.extend(lines[models + 1..].iter().take_while(|l| l.starts_with("    ")).flat_map(|l| calls(l)));
    assert_eq!(calls(lines[at]), vec![in_models.iter().sum::<u64>()], "{text}");
}
