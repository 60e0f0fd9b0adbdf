//! A reading with use since it, a guessed limit beside it, and the windows after its reset, by hand.

use super::*;

#[test]
fn a_reset_the_service_gave_stays_the_reset() {
    // 31% at 09:00, resetting at 11:00; $1 at 10:00 against a configured $10, where 100% is: the
    // reading carried forward by 10 points, ≈41% at 10:45 (however old the reading), resetting at
    // 11:00, not at the 15:00 end of the block the 10:00 call opened.
    let h = history(&[(T0, 1.0)]);
    let ev =
        Evidence { readings: vec![reading(Window::FiveHour, 31.0, T0 + HOUR_MS, T0 - HOUR_MS)], ..Evidence::default() };
    let g = runway(&h, &ev, T0 + 45 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!((g.source, g.resets_at), (Source::Extrapolated, Some(T0 + HOUR_MS)));
    assert!(near(g.used_percent, 41.0), "{:?}", g.used_percent);
    // Without local use since the reading its figure stands until the reset, however old.
    let quiet = history(&[(T0 - 2 * HOUR_MS, 1.0)]);
    let g = runway(&quiet, &ev, T0 + 50 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!((g.source, g.used_percent, g.resets_at), (Source::Server, Some(31.0), Some(T0 + HOUR_MS)));
}

/// Ten finished blocks of ten calls, $0.20 each, every six hours from 66 hours before 10:00: a limit
/// guessed from the largest block, $2.
fn ten_blocks() -> Vec<(i64, f64)> {
    (2..=11).flat_map(|k| (0..10).map(move |c| (T0 - k * 6 * HOUR_MS + c * M, 0.2))).collect()
}

#[test]
fn a_stale_reading_is_a_floor_or_the_higher_local_estimate() {
    // 31% at 09:00, resetting at 11:00, and $0.50 at 10:00; the limit is a guess ($2, the largest
    // block), no known cost of a percent. At 10:45 the reading is older than 30 minutes, with use
    // since: the window holds at least 31% (`+`); the local estimate of its window (06:00-11:00),
    // $0.50 of $2, 25%, says less, and does not stand for it.
    let mut calls = ten_blocks();
    calls.push((T0, 0.5));
    let h = history(&calls);
    let ev =
        Evidence { readings: vec![reading(Window::FiveHour, 31.0, T0 + HOUR_MS, T0 - HOUR_MS)], ..Evidence::default() };
    let r = runway(&h, &ev, T0 + 45 * M, None);
    assert_eq!(r.limit.learned, Some(Learned::LargestBlock));
    let g = r.five().cloned().unwrap();
    assert_eq!((g.source, g.used_percent, g.partial), (Source::Server, Some(31.0), true));
    // $1 more at 10:30: $1.50 of $2 is 75%, above the reading: that estimate, `~`, resetting at 11:00.
    calls.push((T0 + 30 * M, 1.0));
    let h = history(&calls);
    let g = runway(&h, &ev, T0 + 45 * M, None).five().cloned().unwrap();
    assert_eq!((g.source, g.resets_at, g.partial), (Source::History, Some(T0 + HOUR_MS), false));
    assert!(near(g.used_percent, 75.0), "{:?}", g.used_percent);
    // The same 31% taken at 09:55 is fresh at 10:20: shown as it is, not a floor. The rate turns
    // the $0.50 call into 25 points by the guess, as the estimate with no reading would: weighted
    // e^{-20/20} over the 260 minutes of the window so far, 25 e^{-1} / (20 (1 - e^{-13})) %/min.
    let fresh = reading(Window::FiveHour, 31.0, T0 + HOUR_MS, T0 - 5 * M);
    let ev = Evidence { readings: vec![fresh], ..Evidence::default() };
    let h = history(&calls[..calls.len() - 1]);
    let g = runway(&h, &ev, T0 + 20 * M, None).five().cloned().unwrap();
    assert_eq!((g.source, g.used_percent, g.coverage, g.partial), (Source::Server, Some(31.0), None, false));
    let rate = 25.0 * (-1.0f64).exp() / (20.0 * (1.0 - (-13.0f64).exp())) * 60.0;
    assert!(near(g.percent_per_hour, rate), "{:?} vs {rate}", g.percent_per_hour);
}

#[test]
fn a_guessed_limit_never_turns_local_calls_into_a_warning_beside_a_reading() {
    // The window 08:00-13:00. $1 at 09:30, then one reading, 40% at 10:00: the limit is at least
    // $1 × 100 / 41 = $2.44 (a reading's floor, above the largest block's $2), worked out from that
    // reading. Then $0.10 a minute from 10:01 to 10:10. That floor would make each call 4.1 points and
    // warn within 15 minutes; but it says nothing of what a percent costs (a third of the 40% may be
    // another machine's): no rate, no warning, the reading as it is.
    let mut calls = ten_blocks();
    calls.push((T0 - 30 * M, 1.0));
    calls.extend((1..=10).map(|k| (T0 + k * M, 0.1)));
    let h = history(&calls);
    let ev = Evidence { readings: vec![reading(Window::FiveHour, 40.0, T0 + 3 * HOUR_MS, T0)], ..Evidence::default() };
    let r = runway(&h, &ev, T0 + 10 * M, None);
    assert_eq!(r.limit.learned, Some(Learned::ReadingFloor));
    let g = r.five().cloned().unwrap();
    assert_eq!((g.source, g.used_percent), (Source::Server, Some(40.0)));
    assert_eq!((g.minutes_to_limit, g.percent_per_hour), (None, None));
    // Nor half an hour on, the calls still coming: at least 40% (`+`), still no rate, no warning.
    let mut more = calls.clone();
    more.extend((11..=31).map(|k| (T0 + k * M, 0.1)));
    let g = runway(&history(&more), &ev, T0 + 31 * M, None).five().cloned().unwrap();
    assert_eq!((g.source, g.used_percent, g.partial), (Source::Server, Some(40.0), true));
    assert_eq!((g.minutes_to_limit, g.percent_per_hour), (None, None));
    // The same limit configured is where 100% is: the calls count, 40% + $1 / $0.0244, and warn.
    let floor = 100.0 / 41.0;
    let g = runway(&h, &ev, T0 + 10 * M, Some(floor)).five().cloned().unwrap();
    assert_eq!(g.source, Source::Extrapolated);
    assert!(near(g.used_percent, 40.0 + 1.0 / (floor / 100.0)), "{:?}", g.used_percent);
    assert!(g.minutes_to_limit.is_some());
}

#[test]
fn after_a_readings_reset_the_next_window_is_the_local_estimate() {
    // 26% at 09:00 for the window that reset at 10:00. $1 exactly at 10:00 (the new window's first
    // instant) and $0.50 at 10:10. At 10:25 against a configured $10: the new window, 10:00-15:00,
    // holds $1.50, 15%, an estimate (`~`) standing on no reading.
    let h = history(&[(T0, 1.0), (T0 + 10 * M, 0.5)]);
    let ev = Evidence { readings: vec![reading(Window::FiveHour, 26.0, T0, T0 - HOUR_MS)], ..Evidence::default() };
    let g = runway(&h, &ev, T0 + 25 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!((g.source, g.resets_at, g.observed_at), (Source::Configured, Some(T0 + 5 * HOUR_MS), None));
    assert!(near(g.used_percent, 15.0), "{:?}", g.used_percent);
}

#[test]
fn after_a_readings_reset_a_guess_is_judged_on_the_window_shown() {
    // A block from 07:00: $0.50 at 07:00, 07:10, 07:20, 07:30 and 07:40, and a reading of 95% at
    // 07:50 of the window that reset at 09:00: the limit is at least $2.50 / 96% = $2.60 (above the
    // largest block's $2). Then $0.20 at 10:05. The window after the reset began at 10:00 (the hour of
    // its first call) and holds $0.20: 7.7% of $2.60, resetting at 15:00. The block of 07:00-12:00
    // holds $2.70, past $2.60, but it is not the window shown: the guess stands.
    let mut calls = ten_blocks();
    calls.extend((0..5).map(|k| (T0 - 3 * HOUR_MS + k * 10 * M, 0.5)));
    calls.push((T0 + 5 * M, 0.2));
    let h = history(&calls);
    let old = reading(Window::FiveHour, 95.0, T0 - HOUR_MS, T0 - 130 * M);
    let r = runway(&h, &Evidence { readings: vec![old], ..Evidence::default() }, T0 + 10 * M, None);
    assert_eq!((r.limit.learned, r.limit.passed.is_none()), (Some(Learned::ReadingFloor), true));
    let g = r.five().cloned().unwrap();
    assert_eq!((g.source, g.resets_at), (Source::History, Some(T0 + 5 * HOUR_MS)));
    assert!(near(g.used_percent, 0.2 / (2.5 / 96.0)), "{:?}", g.used_percent);
}

#[test]
fn after_the_weeks_reset_its_share_is_an_estimate() {
    // Week readings at 06:00, 07:00, 08:00 and 09:00 (10%, 13%, 16%, 19%), $0.30 of local use between
    // each two: $0.10 a percent. The week resets at 09:30; $1 at 10:00 opens the next one: 10% at
    // 10:10, an estimate from local use (`~`), on no reading, resetting seven days after 10:00.
    let h = history(&[(T0 - 210 * M, 0.3), (T0 - 150 * M, 0.3), (T0 - 90 * M, 0.3), (T0, 1.0)]);
    let readings = [(4, 10.0), (3, 13.0), (2, 16.0), (1, 19.0)]
        .iter()
        .map(|&(h, used)| reading(Window::SevenDay, used, T0 - 30 * M, T0 - h * HOUR_MS))
        .collect();
    let ev = Evidence { readings, ..Evidence::default() };
    let g = runway(&h, &ev, T0 + 10 * M, None).seven().cloned().unwrap();
    assert_eq!((g.source, g.observed_at), (Source::History, None));
    assert_eq!(g.resets_at, Some(T0 + 7 * 24 * HOUR_MS));
    assert!(near(g.used_percent, 10.0), "{:?}", g.used_percent);
}

#[test]
fn a_rise_counts_over_the_whole_time_between_its_readings() {
    // The week 55% at 10:00 one day, 93% at 10:00 the next (it resets three days on); a call at 10:04.
    // At 10:05 the 38 points count spread over the day: 38/1440 × e^{-5/20} %/min (the weight over a
    // window days old is τ), 1.23%/h; the 62% left lasts two days, no warning.
    let h = history(&[(T0 + 4 * M, 0.1)]);
    let reset = T0 + 3 * 24 * HOUR_MS;
    let ev = Evidence {
        readings: vec![
            reading(Window::SevenDay, 55.0, reset, T0 - 24 * HOUR_MS),
            reading(Window::SevenDay, 93.0, reset, T0),
        ],
        ..Evidence::default()
    };
    let g = runway(&h, &ev, T0 + 5 * M, None).seven().cloned().unwrap();
    let rate = 38.0 / 1440.0 * (-0.25f64).exp() * 60.0;
    assert!(near(g.percent_per_hour, rate), "{:?} vs {rate}", g.percent_per_hour);
    assert_eq!(g.minutes_to_limit, None);
}

#[test]
fn after_a_readings_reset_another_devices_use_opens_the_next_window() {
    // The window of a 09:00 reading reset at 10:00 (26% of it). Another device used $1 in the 10:00
    // hour; this machine's first call since is $0.50 at 11:20. The next window began at 10:00, with the
    // other device's hour, and resets at 15:00; at 11:30 it holds $1.50 of a configured $10, 15%.
    let h = history(&[(T0 + 80 * M, 0.5)]);
    let hour = (T0, 10, crate::ground::tokens::Sums { cost: D as u128, ..Default::default() });
    let ev = Evidence {
        readings: vec![reading(Window::FiveHour, 26.0, T0, T0 - HOUR_MS)],
        elsewhere: vec![hour].into(),
        ..Evidence::default()
    };
    let g = runway(&h, &ev, T0 + 90 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!((g.source, g.resets_at), (Source::Configured, Some(T0 + 5 * HOUR_MS)));
    assert!(near(g.used_percent, 15.0), "{:?}", g.used_percent);
}

#[test]
fn a_reset_off_the_hour_starts_the_next_window_at_its_first_call() {
    // A window that reset at 10:23 (a service that starts windows at their first request). $1 at 10:40:
    // the next window is 10:40-15:40, not 10:23 or 10:00 on; at 10:50, 10% of a configured $10.
    let h = history(&[(T0 + 40 * M, 1.0)]);
    let ev =
        Evidence { readings: vec![reading(Window::FiveHour, 26.0, T0 + 23 * M, T0 - HOUR_MS)], ..Evidence::default() };
    let g = runway(&h, &ev, T0 + 50 * M, Some(10.0)).five().cloned().unwrap();
    assert_eq!(g.resets_at, Some(T0 + 40 * M + 5 * HOUR_MS));
    assert!(near(g.used_percent, 10.0), "{:?}", g.used_percent);
}
