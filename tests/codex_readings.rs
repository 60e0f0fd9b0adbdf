//! Codex CLI's readings: its `rate_limits` snapshots, built from its own lines in real shapes, sorted
//! by window, carried forward with local use, refused when implausible, and replayed at their moment
//! (its counting is codex.rs). Expected figures are computed by hand in comments.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::codex::*;
use common::*;
use serde_json::{Value, json};

#[test]
fn snapshots_are_classified_by_window_length() {
    let s = Sandbox::empty();
    // A heartbeat (info: null) at 21:00 carrying limits; here the primary window is the weekly one,
    // and the 5-hour one gives resets_in_seconds (9,000 s after 21:00: 23:30).
    let weekly = unix("2026-02-15T00:00:00Z");
    Rollout::new("2026-02-12T20:59:00Z", "s1", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count(
            "2026-02-12T21:00:00Z",
            None,
            Some(rate_limits(
                Some(limit_window(31.0, 10080, Some(weekly), None)),
                Some(limit_window(12.0, 300, None, Some(9000))),
            )),
        )
        .write(&s.codex_home(), "s1");
    let now = "2026-02-12T21:30:00Z";
    let c = codex_status(&s, now);
    assert_eq!(c["week"]["entries"], 0, "a heartbeat is not a call");
    assert_eq!(c["rate_limits"]["five_hour"]["used_percent"], 12.0);
    assert_eq!(c["rate_limits"]["five_hour"]["resets_at"], "2026-02-12T23:30:00Z");
    assert_eq!(c["rate_limits"]["five_hour"]["observed_at"], "2026-02-12T21:00:00Z");
    assert_eq!(c["rate_limits"]["seven_day"]["used_percent"], 31.0);
    assert_eq!(c["rate_limits"]["seven_day"]["resets_at"], "2026-02-15T00:00:00Z");
    assert_eq!(c["limit"]["source"], "server");
    assert_eq!(c["limit"]["used_percent"], 12.0);
    // 12% used and nothing burning (a heartbeat is no call): pace 0, nothing runs out.
    assert_eq!(c["limit"]["pace"], 0.0);
    assert_eq!(c["limit"]["minutes_to_empty"], Value::Null);
    assert_eq!(c["seven_day"]["source"], "server");
    // Nothing burning and nothing past the warning share: the 5 hours show. The long form shows the
    // week beside them, as it is closer to its limit.
    assert_eq!(segment(&s, now, &[]), "5h 12% ↻2h00m");
    assert_eq!(segment(&s, now, &["--set", "windows=all"]), "5h 12% ↻2h00m · 7d 31% ↻2d02h");
}

#[test]
fn a_placeholder_does_not_erase_a_real_reading() {
    let s = Sandbox::empty();
    // 35% at 21:00 (resets 23:00); at 21:05 a 0% snapshot with a fresh 5-hour reset (02:05).
    Rollout::new("2026-02-12T20:59:00Z", "s1", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count(
            "2026-02-12T21:00:00Z",
            None,
            Some(rate_limits(Some(limit_window(35.0, 300, Some(unix("2026-02-12T23:00:00Z")), None)), None)),
        )
        .count(
            "2026-02-12T21:05:00Z",
            None,
            Some(rate_limits(Some(limit_window(0.0, 300, Some(unix("2026-02-13T02:05:00Z")), None)), None)),
        )
        .write(&s.codex_home(), "s1");
    let c = codex_status(&s, "2026-02-12T21:30:00Z");
    assert_eq!(c["rate_limits"]["five_hour"]["used_percent"], 35.0);
    assert_eq!(c["limit"]["source"], "server");
    assert_eq!(segment(&s, "2026-02-12T21:30:00Z", &[]), "5h 35% ↻1h30m");
}

#[test]
fn a_reading_is_carried_forward_with_local_use() {
    let s = Sandbox::empty();
    // Calls at 20:00, 20:15, 20:30 and 20:45 ($0.80 each), each with a snapshot of the window that
    // resets at 00:00 (began 19:00): 20%, 28%, 36%, 44% (12 points were used elsewhere before 20:00).
    // Three rises of 8 points, each after $0.80 of local use: one percent costs $0.10. A fifth call at
    // 21:10 ($0.80, no snapshot) adds 8%: at 21:30 the window is at about 52%.
    let reset = unix("2026-02-13T00:00:00Z");
    let mut total = [0u64; 5];
    let mut r = Rollout::new("2026-02-12T19:59:00Z", "s1", None).turn("2026-02-12T19:59:01Z", "gpt-5.5");
    for (i, ts) in ["20:00", "20:15", "20:30", "20:45"].iter().enumerate() {
        total = add(total, CALL);
        let limits = rate_limits(Some(limit_window(20.0 + 8.0 * i as f64, 300, Some(reset), None)), None);
        r = r.count(&format!("2026-02-12T{ts}:00Z"), Some((total, Some(CALL))), Some(limits));
    }
    r.count("2026-02-12T21:10:00Z", Some((add(total, CALL), Some(CALL))), None).write(&s.codex_home(), "s1");
    let now = "2026-02-12T21:30:00Z";
    let c = codex_status(&s, now);
    let l = &c["limit"];
    assert_eq!(l["source"], "extrapolated");
    assert_eq!(l["used_percent"], 52.0);
    assert_eq!(l["observed_at"], "2026-02-12T20:45:00Z");
    // The learned limit is 100 percent at $0.10: $10.
    assert_eq!(l["cost_usd"], 10.0);
    assert_eq!(l["learned_from"], "server readings");
    // Local use explains 32 of the newest reading's 44 points ($3.20 at $0.10): 0.727.
    assert_eq!(c["rate_limits"]["five_hour"]["coverage"], 0.727);
    assert_eq!(l["coverage"], 0.727);
    // The present rate at 21:30, in percent: the three rises spread over their quarter hours weigh
    // 8/15 x 20 (e^-2.25 - e^-4.5) = 1.00576 (they telescope); the calls no reading covers (20:00,
    // whose effect is in the first level, and 21:10) 8 e^-4.5 + 8 e^-1 = 3.03190; over 20 (1 - e^-7.5)
    // minutes of a window that began at 19:00: 0.20200% a minute (12.12% an hour). The other 48% last
    // 237.6 minutes, past the 00:00 reset, so no warning; pace 0.20200 x 150 / 48 = 0.63.
    let rate =
        (8.0 / 15.0 * 20.0 * ((-2.25f64).exp() - (-4.5f64).exp()) + 8.0 * (-4.5f64).exp() + 8.0 * (-1.0f64).exp())
            / (20.0 * (1.0 - (-7.5f64).exp()));
    assert!((l["minutes_to_empty"].as_f64().unwrap() - 48.0 / rate).abs() < 0.01, "{l} vs {}", 48.0 / rate);
    assert_eq!((&l["percent_per_hour"], &l["pace"]), (&Value::from(12.12), &Value::from(0.63)));
    assert_eq!(l["minutes_to_limit"], Value::Null);
    assert_eq!(segment(&s, now, &[]), "5h ≈52% ↻2h30m");
    // Right after the last reading nothing was used since: the service's figure as it is.
    assert_eq!(codex_status(&s, "2026-02-12T20:50:00Z")["limit"]["source"], "server");
    assert_eq!(segment(&s, "2026-02-12T20:50:00Z", &[]), "5h 44% ↻3h10m");
}

#[test]
fn after_a_reset_the_window_restarts_with_the_next_call() {
    let s = Sandbox::empty();
    // Five calls ($0.80 each) between 12:00 and 14:00, each with a snapshot of the window 11:00-16:00
    // (10%, 20%, ... 50%): four rises of 10 points after $0.80 each, one percent is $0.08. The window
    // resets at 16:00. The next calls come at 20:00, 20:30 ($0.80 each) and 21:10 ($0.55): the new
    // window began at 20:00 and resets at 01:00; $2.15 is 2.15 / 0.08 = 26.875%, an estimate (`~`):
    // local use against the limit the readings' rises showed, no reading of this window under it.
    let mut total = [0u64; 5];
    let mut r = Rollout::new("2026-02-12T11:59:00Z", "s1", None).turn("2026-02-12T11:59:01Z", "gpt-5.5");
    for (i, ts) in ["12:00", "12:30", "13:00", "13:30", "14:00"].iter().enumerate() {
        total = add(total, CALL);
        let used = 10.0 * (i + 1) as f64;
        let limits = rate_limits(Some(limit_window(used, 300, Some(unix("2026-02-12T16:00:00Z")), None)), None);
        r = r.count(&format!("2026-02-12T{ts}:00Z"), Some((total, Some(CALL))), Some(limits));
    }
    for (ts, call) in [("20:00", CALL), ("20:30", CALL), ("21:10", CACHED)] {
        total = add(total, call);
        r = r.count(&format!("2026-02-12T{ts}:00Z"), Some((total, Some(call))), None);
    }
    r.write(&s.codex_home(), "s1");
    let now = "2026-02-12T21:30:00Z";
    let l = &codex_status(&s, now)["limit"];
    assert_eq!(
        (&l["source"], &l["learned_from"], &l["observed_at"]),
        (&json!("history"), &json!("server readings"), &json!(null))
    );
    assert_eq!(l["used_percent"], 26.88);
    assert_eq!(l["resets_at"], "2026-02-13T01:00:00Z");
    // The present rate, ($0.80 e^-4.5 + $0.80 e^-3 + $0.55 e^-1) / (20 (1 - e^-4.5)) = $0.012693 a
    // minute, 0.15867% at $0.08 a percent, takes 460.9 minutes to fill the other 73.125%: no warning.
    assert!((l["minutes_to_empty"].as_f64().unwrap() - 460.86).abs() < 0.02, "{l}");
    assert_eq!(segment(&s, now, &[]), "5h ~27% ↻3h30m");
}

#[test]
fn other_allowances_never_stand_in_for_the_main_pool() {
    let s = Sandbox::empty();
    // The main pool and the Spark allowance interleave in one rollout; the Spark snapshot is newer.
    let reset = Some(unix("2026-02-12T23:30:00Z"));
    Rollout::new("2026-02-12T20:59:00Z", "s1", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count("2026-02-12T21:00:00Z", None, Some(rate_limits(Some(limit_window(12.0, 300, reset, None)), None)))
        .count(
            "2026-02-12T21:05:00Z",
            None,
            Some(rate_limits_of(
                "codex_bengalfox",
                "GPT-5.3-Codex-Spark",
                Some(limit_window(64.0, 300, reset, None)),
                None,
            )),
        )
        .write(&s.codex_home(), "s1");
    let now = "2026-02-12T21:30:00Z";
    assert_eq!(segment(&s, now, &[]), "5h 12% ↻2h00m", "the main pool, not the newer Spark figure");
    let c = codex_status(&s, now);
    let other = &c["other_limits"][0];
    assert_eq!((other["name"].as_str(), other["id"].as_str()), (Some("GPT-5.3-Codex-Spark"), Some("codex_bengalfox")));
    assert_eq!((other["used_percent"].as_f64(), other["window"].as_str()), (Some(64.0), Some("five_hour")));
    let human = stdout(&s.run(&["--now", now, "status"]));
    assert!(human.contains("GPT-5.3-Codex-Spark: 64% of its 5h window"), "{human}");
}

#[test]
fn a_weekly_only_account_has_no_five_hour_gauge() {
    let s = Sandbox::empty();
    // Yesterday the account still had a 5-hour window; today its snapshots carry the week alone.
    Rollout::new("2026-02-11T09:59:00Z", "s0", None)
        .turn("2026-02-11T09:59:01Z", "gpt-5.5")
        .count(
            "2026-02-11T10:00:00Z",
            Some((CALL, Some(CALL))),
            Some(rate_limits(
                Some(limit_window(40.0, 300, Some(unix("2026-02-11T14:00:00Z")), None)),
                Some(limit_window(10.0, 10080, Some(unix("2026-02-16T00:00:00Z")), None)),
            )),
        )
        .write(&s.codex_home(), "s0");
    Rollout::new("2026-02-12T20:59:00Z", "s1", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count(
            "2026-02-12T21:00:00Z",
            Some((CALL, Some(CALL))),
            Some(rate_limits(Some(limit_window(14.0, 10080, Some(unix("2026-02-16T00:00:00Z")), None)), None)),
        )
        .write(&s.codex_home(), "s1");
    let now = "2026-02-12T21:30:00Z";
    let c = codex_status(&s, now);
    assert_eq!(c["weekly_only"], true);
    assert_eq!(c["limit"]["used_percent"], Value::Null, "no 5-hour gauge from yesterday's reading: {}", c["limit"]);
    assert_eq!(segment(&s, now, &[]), "7d 14% ↻3d02h");
}

#[test]
fn a_replay_sees_the_reading_of_its_moment() {
    let s = Sandbox::empty();
    // Last week's window (reset 02-09 00:00) and this week's, read with every call: 20%, 25%, 30%.
    let mut r = Rollout::new("2026-02-02T09:59:00Z", "s1", None).turn("2026-02-02T09:59:01Z", "gpt-5.5");
    let mut total = [0u64; 5];
    let mut call = |r: Rollout, ts: &str, used: f64, reset: &str| {
        total = add(total, CALL);
        r.count(
            ts,
            Some((total, Some(CALL))),
            Some(rate_limits(Some(limit_window(used, 10080, Some(unix(reset)), None)), None)),
        )
    };
    r = call(r, "2026-02-02T10:00:00Z", 55.0, "2026-02-09T00:00:00Z");
    for (ts, used) in [("2026-02-10T10:00:00Z", 20.0), ("2026-02-11T10:00:00Z", 25.0), ("2026-02-12T10:00:00Z", 30.0)] {
        r = call(r, ts, used, "2026-02-16T00:00:00Z");
    }
    r.write(&s.codex_home(), "s1");
    // On the 11th at noon the newest reading so far is the 25% of the 11th: not the 30% of the 12th
    // (which does not exist yet), and not last week's window, long over.
    let c = codex_status(&s, "2026-02-11T12:00:00Z");
    let w = &c["rate_limits"]["seven_day"];
    assert_eq!(
        (w["used_percent"].as_f64(), w["resets_at"].as_str()),
        (Some(25.0), Some("2026-02-16T00:00:00Z")),
        "{w}"
    );
}

#[test]
fn implausible_figures_are_refused_and_counted() {
    let s = Sandbox::empty();
    let ms_reset = unix("2026-02-12T23:00:00Z") * 1000; // milliseconds where seconds belong
    Rollout::new("2026-02-12T20:59:00Z", "s1", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count(
            "2026-02-12T21:00:00Z",
            None,
            Some(rate_limits(Some(limit_window(1e300, 300, Some(unix("2026-02-12T23:00:00Z")), None)), None)),
        )
        .count(
            "2026-02-12T21:01:00Z",
            None,
            Some(rate_limits(Some(limit_window(-3.0, 300, Some(unix("2026-02-12T23:00:00Z")), None)), None)),
        )
        .count(
            "2026-02-12T21:02:00Z",
            None,
            Some(rate_limits(Some(limit_window(30.0, 300, Some(unix("2026-02-12T20:00:00Z")), None)), None)),
        )
        .count(
            "2026-02-12T21:03:00Z",
            None,
            Some(rate_limits(Some(limit_window(30.0, 300, Some(unix("2026-02-14T00:00:00Z")), None)), None)),
        )
        .count(
            "2026-02-12T21:04:00Z",
            None,
            Some(rate_limits(Some(limit_window(17.0, 300, Some(ms_reset), None)), None)),
        )
        .write(&s.codex_home(), "s1");
    let now = "2026-02-12T21:30:00Z";
    // Only the last, its millisecond reset recognised, is shown.
    assert_eq!(segment(&s, now, &[]), "5h 17% ↻1h30m");
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(doctor.contains("4 in transcripts"), "{doctor}");
}

#[test]
fn a_replay_shows_the_reading_of_its_moment() {
    let s = Sandbox::empty();
    // Forty calls a minute apart from 20:00, each with a snapshot of the window resetting at 00:00;
    // the share moves a point every third call (runs of one figure), and one snapshot's reset is a
    // second off. Read once at the end, then replayed at every half minute: the 5-hour reading that
    // counts is the newest snapshot at or before that moment, never an older or newer one.
    let reset = unix("2026-02-13T00:00:00Z");
    let mut total = [0u64; 5];
    let mut r = Rollout::new("2026-02-12T19:59:00Z", "s1", None).turn("2026-02-12T19:59:01Z", "gpt-5.5");
    let mut raw = Vec::new();
    for k in 0..40i64 {
        total = add(total, CACHED);
        let used = 10.0 + (k / 3) as f64;
        let at = unix("2026-02-12T20:00:00Z") + 60 * k;
        let limits = rate_limits(Some(limit_window(used, 300, Some(reset + i64::from(k == 17)), None)), None);
        let ts = jiff::Timestamp::from_second(at).unwrap().to_string();
        r = r.count(&ts, Some((total, Some(CACHED))), Some(limits));
        raw.push((at, used));
    }
    r.write(&s.codex_home(), "s1");
    codex_status(&s, "2026-02-12T21:00:00Z");
    for k in 0..40i64 {
        let t = unix("2026-02-12T20:00:30Z") + 60 * k;
        let now = jiff::Timestamp::from_second(t).unwrap().to_string();
        let want = raw.iter().rev().find(|(at, _)| *at <= t).unwrap().1;
        let got = &codex_status(&s, &now)["rate_limits"]["five_hour"]["used_percent"];
        assert_eq!(got.as_f64(), Some(want), "at {now}");
    }
}
