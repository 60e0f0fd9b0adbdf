//! The forecast by hand: small histories whose figures are worked out in the comments.

use super::limit::{Learned, Source};
use super::*;
use crate::ground::time::{HOUR_MS, MINUTE_MS};
use crate::ground::tokens::Tokens;
use crate::read::record::Rec;
use crate::store::base::{self, Base};
use crate::store::compact::build;
use crate::store::state::State;

const D: f64 = 1e12; // a dollar in pico-dollars
const M: i64 = MINUTE_MS;
/// 2026-02-12T10:00:00Z, a whole hour: blocks start here.
const T0: i64 = 1_770_890_400_000;

/// A history of (time, dollars) calls, as a base file and an empty state.
struct History {
    _dir: tempfile::TempDir,
    base: Base,
    state: State,
}

fn history(calls: &[(i64, f64)]) -> History {
    let recs: Vec<Rec> = calls
        .iter()
        .enumerate()
        .map(|(i, &(ts, usd))| Rec {
            ts,
            msg: i as u64 + 1,
            key: i as u64 + 1,
            tok: Tokens { output: 1000, ..Tokens::default() },
            cost: (usd * D) as u64,
            premium: 0,
            file: 1,
            model: 0,
            flags: 0,
            provider: Provider::CLAUDE,
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base");
    std::fs::write(&path, base::encode(&build(recs), 1, 1)).unwrap();
    History { base: Base::open(&path, 1, 1).unwrap(), _dir: dir, state: State::empty() }
}

fn runway(h: &History, ev: &Evidence, now: i64, limit_usd: Option<f64>) -> Runway {
    let l = Ledger::new(Provider::CLAUDE, Some(&h.base), &h.state);
    let s = Settings {
        limits: Configured { cost_usd: limit_usd, tokens: None },
        trust: Trust { fresh_ms: 30 * M },
        premium_allowance: None,
        learn_limit: true,
    };
    let r = compute(&l, ev, now, &s);
    assert!(l.fault().is_none());
    r
}

fn near(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6 * b.abs().max(1.0))
}

/// Σ_{k=0}^{n-1} e^{-k/20}: n calls a minute apart, the newest now.
fn geometric(n: i64) -> f64 {
    (1.0 - (-(n as f64) / 20.0).exp()) / (1.0 - (-1.0f64 / 20.0).exp())
}

#[test]
fn steady_work_warns_when_the_limit_is_45_minutes_away() {
    // $0.10 a minute from 10:00 against a $10 limit: 1% a minute.
    let calls: Vec<(i64, f64)> = (0..=60).map(|k| (T0 + k * M, 0.10)).collect();
    let h = history(&calls);
    let ev = Evidence::default();
    // 10:50: 51 calls, 51%. Present rate Σ_{0..50} e^{-k/20} / (20 (1 - e^{-50/20})) = 18.9030 /
    // 18.3583 = 1.02966%/min; 49% left lasts 47.6 minutes: past the 45-minute horizon. But past 40%
    // the steady rule looks too: the last 10 and 30 minutes averaged 1%/min, the other 49% go in 49
    // minutes, within its 90: a warning, shown as the present rate's 47.6 minutes, the sooner.
    let g = runway(&h, &ev, T0 + 50 * M, Some(10.0)).five().cloned().unwrap();
    assert!(near(g.used_percent, 51.0));
    let rate = geometric(51) / (20.0 * (1.0 - (-2.5f64).exp()));
    assert!(near(g.percent_per_hour, rate * 60.0), "{:?}", g.percent_per_hour);
    assert!(near(g.minutes_to_empty, 49.0 / rate));
    assert!(near(g.minutes_to_limit, 49.0 / rate), "{:?}", g.minutes_to_limit);
    // At 10:30 (31%, under 40%) only the present rate counts: 69% in 67 minutes, no warning.
    assert_eq!(runway(&h, &ev, T0 + 30 * M, Some(10.0)).five().unwrap().minutes_to_limit, None);
    // 10:55: 56%, 1.02862%/min: 44% left in 42.8 minutes. A warning, counting down.
    let g = runway(&h, &ev, T0 + 55 * M, Some(10.0)).five().cloned().unwrap();
    let rate = geometric(56) / (20.0 * (1.0 - (-2.75f64).exp()));
    assert!(near(g.minutes_to_limit, 44.0 / rate), "{:?}", g.minutes_to_limit);
    assert_eq!(g.resets_at, Some(T0 + 5 * HOUR_MS));
    // Pace: 1.02862%/min against the 44% / 245 min that would last until 15:00: 5.73.
    assert!(near(g.pace, rate * 245.0 / 44.0));
}

#[test]
fn a_burst_then_silence_warns_then_lets_go() {
    // $3 at 10:05 against $10: 30%.
    let h = history(&[(T0 + 5 * M, 3.0)]);
    let ev = Evidence::default();
    // 10:06: 30 e^{-1/20} / (20 (1 - e^{-6/20})) = 28.537 / 5.1836 = 5.5052%/min; 70% in 12.7 min.
    let g = runway(&h, &ev, T0 + 6 * M, Some(10.0)).five().cloned().unwrap();
    let rate = 30.0 * (-0.05f64).exp() / (20.0 * (1.0 - (-0.3f64).exp()));
    assert!(near(g.minutes_to_limit, 70.0 / rate));
    // 10:16: eleven minutes without a call: work stopped, no warning (the rate alone, 1.5716%/min,
    // would still reach the limit in 44.5 minutes).
    let g = runway(&h, &ev, T0 + 16 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!(g.minutes_to_limit, None);
    let rate = 30.0 * (-0.55f64).exp() / (20.0 * (1.0 - (-0.8f64).exp()));
    assert!(near(g.minutes_to_empty, 70.0 / rate));
    // An hour later the rate has all but faded: e^{-61/20} = 4.7%.
    let later = runway(&h, &ev, T0 + 66 * M, Some(10.0)).five().cloned().unwrap();
    assert!(later.percent_per_hour.unwrap() < g.percent_per_hour.unwrap() / 10.0);
}

#[test]
fn work_that_speeds_up_is_seen_at_once() {
    // $0.02 a minute for an hour (0.2%/min of $10), then $0.20 a minute (2%/min).
    let mut calls: Vec<(i64, f64)> = (0..60).map(|k| (T0 + k * M, 0.02)).collect();
    calls.extend((60..=80).map(|k| (T0 + k * M, 0.20)));
    let h = history(&calls);
    // 11:10: 12% + 22% = 34% used. The average so far, 34% / 70 min, is 0.49%/min; the present rate,
    // (Σ_{0..10} 2 e^{-k/20} + Σ_{11..70} 0.2 e^{-k/20}) / (20 (1 - e^{-3.5})), is 1.0103%/min: 66%
    // left in 65.3 minutes, not yet within the horizon.
    let g = runway(&h, &Evidence::default(), T0 + 70 * M, Some(10.0)).five().cloned().unwrap();
    let rate = (2.0 * geometric(11) + 0.2 * (geometric(71) - geometric(11))) / (20.0 * (1.0 - (-3.5f64).exp()));
    assert!(near(g.percent_per_hour, rate * 60.0), "{:?} vs {}", g.percent_per_hour, rate * 60.0);
    assert!(near(g.minutes_to_empty, 66.0 / rate) && g.minutes_to_limit.is_none());
    // 11:20: 54% used, 1.4272%/min: 46% left in 32.2 minutes. A warning. The steady rule sees the
    // slower of the last 10 minutes (20% in 10: 2%/min) and the last 30 (9 × 0.2% + 21 × 2% = 43.8%
    // in 30: 1.46%/min): 46% in 31.5 minutes, the sooner of the two.
    let g = runway(&h, &Evidence::default(), T0 + 80 * M, Some(10.0)).five().cloned().unwrap();
    let rate = (2.0 * geometric(21) + 0.2 * (geometric(81) - geometric(21))) / (20.0 * (1.0 - (-4.0f64).exp()));
    assert!(46.0 / rate > 46.0 / 1.46);
    assert!(near(g.minutes_to_limit, 46.0 / 1.46), "{:?} vs {}", g.minutes_to_limit, 46.0 / 1.46);
}

#[test]
fn over_the_limit_is_a_state() {
    let h = history(&[(T0, 6.0), (T0 + 20 * M, 4.5)]);
    let g = runway(&h, &Evidence::default(), T0 + 21 * M, Some(10.0)).five().cloned().unwrap();
    assert!(near(g.used_percent, 105.0) && g.over());
    assert_eq!(g.minutes_to_limit, None, "never a countdown to a limit already passed");
}

fn reading(window: Window, used: f64, resets_at: i64, observed_at: i64) -> Reading {
    Reading::new(Provider::CLAUDE, window, used, resets_at, observed_at)
}

#[test]
fn a_reading_is_carried_forward_with_local_use() {
    // The window 08:00-13:00. Readings every half hour from 08:30 (2%, 6%, 10%, 14%, 20%) rise with the
    // local calls between them ($0.80, $0.80, $0.80, $1.20): four pairs at $0.20 a percent. Then $1
    // at 10:40: 20% + 1 / 0.20 = 25% at 10:45, extrapolated, resetting at 13:00.
    let at = |m: i64| T0 - 2 * HOUR_MS + m * M;
    let h = history(&[(at(45), 0.8), (at(75), 0.8), (at(105), 0.8), (at(135), 1.2), (at(160), 1.0)]);
    let readings = [(30, 2.0), (60, 6.0), (90, 10.0), (120, 14.0), (150, 20.0)]
        .iter()
        .map(|&(m, used)| reading(Window::FiveHour, used, T0 + 3 * HOUR_MS, at(m)))
        .collect();
    let ev = Evidence { readings, ..Evidence::default() };
    let g = runway(&h, &ev, at(165), None).five().cloned().unwrap();
    assert_eq!(g.source, Source::Extrapolated);
    assert!(near(g.used_percent, 25.0), "{:?}", g.used_percent);
    assert_eq!(g.resets_at, Some(T0 + 3 * HOUR_MS));
    // Local use up to the 10:30 reading, $3.60, is 18 of its 20 points.
    assert!(near(g.coverage, 0.9), "{:?}", g.coverage);
    // Before the $1 call nothing was used since the reading: the service's own figure, unmarked.
    let g = runway(&h, &ev, at(155), None).five().cloned().unwrap();
    assert_eq!((g.source, g.used_percent), (Source::Server, Some(20.0)));
}

#[test]
fn a_level_is_not_a_rate() {
    // $7 of local use this week, then one reading: the week 63.5% full, the 5 hours 20%. Nothing says
    // how much of the 63.5% is this machine's: no percent's cost, no coverage, and 20 more minutes of
    // work at $0.10 a minute do not move the week (no warning, no pace to speak of).
    let mut calls: Vec<(i64, f64)> = (0..70).map(|k| (T0 - 2 * 24 * HOUR_MS + k * 10 * M, 0.1)).collect();
    calls.extend((0..20).map(|k| (T0 + k * M, 0.1)));
    let h = history(&calls);
    let week_reset = T0 + 3 * 24 * HOUR_MS;
    let first = vec![
        reading(Window::SevenDay, 63.5, week_reset, T0 - M),
        reading(Window::FiveHour, 20.0, T0 + 4 * HOUR_MS, T0 - M),
    ];
    let ev = Evidence { readings: first.clone(), ..Evidence::default() };
    let r = runway(&h, &ev, T0 + 20 * M, None);
    let week = r.seven().unwrap();
    assert_eq!((week.source, week.used_percent, week.coverage), (Source::Server, Some(63.5), None));
    assert_eq!(week.minutes_to_limit, None);
    assert!(week.pace.is_none_or(|p| p < 2.0), "{:?}", week.pace);
    assert_eq!(r.five().and_then(|g| g.used_percent), Some(20.0));
    // An hour after the first, a reading 10 points higher with little local use: the readings' own
    // trend, 10 points over the hour: 10/60 × (1 - e^{-3}) × e^{-1/20} %/min a minute after it, 9.04%/h.
    let mut rs = first;
    rs.push(reading(Window::SevenDay, 73.5, week_reset, T0 + 59 * M));
    let ev = Evidence { readings: rs, ..Evidence::default() };
    let r = runway(&h, &ev, T0 + 60 * M, None);
    let week = r.seven().unwrap();
    assert_eq!(week.used_percent, Some(73.5));
    let expect = 10.0 / 60.0 * (1.0 - (-3.0f64).exp()) * (-0.05f64).exp() * 60.0;
    assert!(near(week.percent_per_hour, expect), "{:?} vs {expect}", week.percent_per_hour);
}

#[test]
fn readings_from_after_now_do_not_exist_yet() {
    let h = history(&[(T0, 1.0)]);
    let ev = Evidence {
        readings: vec![reading(Window::FiveHour, 80.0, T0 + 4 * HOUR_MS, T0 + HOUR_MS)],
        ..Evidence::default()
    };
    let g = runway(&h, &ev, T0 + 30 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!((g.source, g.used_percent), (Source::Configured, Some(10.0)));
}

#[test]
fn another_allowance_never_stands_in_for_the_main_pool() {
    let h = history(&[(T0, 1.0)]);
    let main = Reading { provider: Provider::CODEX, ..reading(Window::FiveHour, 30.0, T0 + 4 * HOUR_MS, T0 + 10 * M) };
    let spark = Reading {
        provider: Provider::CODEX,
        bucket: "codex_bengalfox".into(),
        label: "GPT-5.3-Codex-Spark".into(),
        ..reading(Window::FiveHour, 80.0, T0 + 4 * HOUR_MS, T0 + 20 * M)
    };
    let ev = Evidence { readings: vec![main, spark], ..Evidence::default() };
    let r = runway(&h, &ev, T0 + 30 * M, None);
    assert_eq!(r.five().and_then(|g| g.used_percent), Some(30.0), "the main pool, not the newer spark reading");
    assert_eq!(r.others().count(), 1);
    let spark = r.others().next().unwrap();
    assert_eq!((spark.label.as_str(), spark.used_percent), ("GPT-5.3-Codex-Spark", Some(80.0)));
}

#[test]
fn a_week_alone_means_no_five_hour_window() {
    let h = history(&[(T0, 1.0), (T0 + 2 * 24 * HOUR_MS, 1.0)]);
    let now = T0 + 2 * 24 * HOUR_MS + 10 * M;
    // An old 5-hour reading from two days before, then snapshots that carry the week alone.
    let old5 = Reading { provider: Provider::CODEX, ..reading(Window::FiveHour, 40.0, T0 + 3 * HOUR_MS, T0 + HOUR_MS) };
    let week = Reading {
        provider: Provider::CODEX,
        alone: true,
        ..reading(Window::SevenDay, 12.0, T0 + 6 * 24 * HOUR_MS, now - 5 * M)
    };
    let ev = Evidence { readings: vec![old5, week], ..Evidence::default() };
    let r = runway(&h, &ev, now, Some(10.0));
    assert!(r.weekly_only && r.five().is_none(), "no 5-hour gauge invented from the old reading");
    assert_eq!(r.seven().and_then(|g| g.used_percent), Some(12.0));
}

#[test]
fn use_on_other_devices_adds_up_per_window() {
    // $1 here at 10:05 against $10; another device used $3 in the 10:00 hour and $2 in the 11:00
    // hour. At 11:30 the window (10:00-15:00) holds $6: 60%, its cost all devices' $6.
    let h = history(&[(T0 + 5 * M, 1.0)]);
    let hour =
        |at: i64, usd: f64| (at, 10, crate::ground::tokens::Sums { cost: (usd * D) as u128, ..Default::default() });
    let ev = Evidence { elsewhere: vec![hour(T0, 3.0), hour(T0 + HOUR_MS, 2.0)].into(), ..Evidence::default() };
    let g = runway(&h, &ev, T0 + 90 * M, Some(10.0)).five().cloned().unwrap();
    assert!(near(g.used_percent, 60.0), "{:?}", g.used_percent);
    assert_eq!(g.cost, (6.0 * D) as u128);
    // Idle here for six hours, the other device busy since 16:00: its window shows, 16:00-21:00.
    let busy = Evidence { elsewhere: vec![hour(T0 + 6 * HOUR_MS, 4.0)].into(), ..Evidence::default() };
    let g = runway(&h, &busy, T0 + 6 * HOUR_MS + 20 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!((g.used_percent, g.resets_at), (Some(40.0), Some(T0 + 11 * HOUR_MS)));
}

#[test]
fn the_window_is_the_accounts_whichever_device_opened_it() {
    let hour =
        |at: i64, usd: f64| (at, 10, crate::ground::tokens::Sums { cost: (usd * D) as u128, ..Default::default() });
    // Another device worked at 10:00, 11:00 and 12:00 ($1 each); this machine's first call, $1 at
    // 12:10. The account's window is 10:00-15:00 ($4 of $10 at 12:30), not this machine's 12:00-17:00.
    let other = Evidence {
        elsewhere: vec![hour(T0, 1.0), hour(T0 + HOUR_MS, 1.0), hour(T0 + 2 * HOUR_MS, 1.0)].into(),
        ..Evidence::default()
    };
    let h = history(&[(T0 + 2 * HOUR_MS + 10 * M, 1.0)]);
    let g = runway(&h, &other, T0 + 2 * HOUR_MS + 30 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!((g.used_percent, g.resets_at), (Some(40.0), Some(T0 + 5 * HOUR_MS)));
    // At 16:48, idle everywhere since 12:10: that window ended at 15:00 and none runs, here or there.
    let idle = history(&[(T0 - 20 * HOUR_MS, 1.0)]);
    assert!(runway(&idle, &other, T0 + 6 * HOUR_MS + 48 * M, Some(10.0)).five().is_none());
}

#[test]
fn the_accounts_window_end_worked_out_before_is_taken_as_given() {
    let hour =
        |at: i64, usd: f64| (at, 10, crate::ground::tokens::Sums { cost: (usd * D) as u128, ..Default::default() });
    let elsewhere: std::rc::Rc<Vec<_>> = vec![hour(T0, 1.0), hour(T0 + HOUR_MS, 1.0)].into();
    let h = history(&[(T0 + HOUR_MS + 10 * M, 1.0)]);
    let now = T0 + HOUR_MS + 30 * M;
    // Walked: the account's window is 10:00-15:00, and the answer says what it walked.
    let walked = runway(&h, &Evidence { elsewhere: elsewhere.clone(), ..Evidence::default() }, now, Some(10.0));
    assert_eq!(walked.window_end, Some(Some(T0 + 5 * HOUR_MS)));
    // Given (the memo of a run in the same minute over the same use): no walk, the given end.
    let given = Evidence { elsewhere, window_end: Some(Some(T0 + 6 * HOUR_MS)), ..Evidence::default() };
    let r = runway(&h, &given, now, Some(10.0));
    assert_eq!(r.five().and_then(|g| g.resets_at), Some(T0 + 6 * HOUR_MS));
    assert_eq!(r.window_end, Some(Some(T0 + 6 * HOUR_MS)));
}

mod beside_a_reading;
