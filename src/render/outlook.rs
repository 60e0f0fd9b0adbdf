//! Where the present rate takes a window, in words (`status`'s `now` line): the rate, and the
//! warning's time by the rule that gave it, or why there is none.

use super::escape::{Target, paint};
use super::style::{Level, Style};
use super::words::duration;
use crate::forecast::gauge::Gauge;
use crate::forecast::rate::{HORIZON_MS, IDLE_MS, STEADY_FROM, STEADY_HORIZON_MS};
use crate::ground::time::MINUTE_MS;

fn minutes(m: f64) -> String {
    duration((m * MINUTE_MS as f64) as i64)
}

/// Where the present rate takes a window, in words.
pub fn outlook(g: &Gauge, now: i64, style: &Style) -> Option<String> {
    let red = |t: String| paint(&t, Level::Danger, Target::Ansi, style);
    if g.over() {
        return Some(red("the limit is reached; it resets as shown".into()));
    }
    let rate = g.percent_per_hour?;
    let mut s = match g.rate_floor {
        true => format!(
            "burning at least {rate:.1}% of the window an hour (the readings' rises; this machine's calls since the \
             newest reading count in once a percent's cost is learned)"
        ),
        false => {
            format!("burning {rate:.1}% of the window an hour (recent calls weigh more; idle time brings it down)")
        }
    };
    let indent = "\n            ";
    match (g.minutes_to_limit, g.minutes_to_empty, g.pace) {
        // The time the warning shows is the present rate's, unless the steady rule's (the slower of
        // the last 10 and 30 minutes' averages) comes sooner: then say that rate.
        (Some(m), _, _) if g.warned_at_steady() => {
            let left = 100.0 - g.used_percent.unwrap_or(0.0);
            s += &format!(
                "{indent}{}",
                red(format!(
                    "at the pace of the last half hour ({:.1}% an hour, the slower of its last 10 and 30 minutes) \
                     the limit is reached in {}, before the reset",
                    left / m * 60.0,
                    minutes(m)
                ))
            )
        }
        (Some(m), _, _) => {
            s += &format!(
                "{indent}{}",
                red(format!("at this rate the limit is reached in {}, before the reset", minutes(m)))
            )
        }
        (None, Some(m), Some(p)) if p > 1.0 && g.idle => {
            s += &format!(
                "{indent}at this rate it would fill in {}, before the reset (pace {p:.1}); no warning while work has \
                 stopped (no call in the last {})",
                minutes(m),
                duration(IDLE_MS)
            )
        }
        (None, Some(m), Some(p)) if p > 1.0 => {
            let steady = duration(STEADY_HORIZON_MS);
            let steady = match g.minutes_at_steady {
                // The steady rule looks, and says why it does not warn: its slower rate.
                // Within the horizon, but the reset comes first: that is why.
                Some(at)
                    if at * MINUTE_MS as f64 <= STEADY_HORIZON_MS as f64
                        && g.resets_at.is_some_and(|t| (t - now) as f64 <= at * MINUTE_MS as f64) =>
                {
                    format!(
                        ", or once the slower of the last 10 and 30 minutes' average paces fills it within {steady} \
                     and before the reset (at that pace, {}: the reset, in {}, comes first)",
                        minutes(at),
                        duration(g.resets_at.unwrap_or(now) - now)
                    )
                }
                Some(at) => format!(
                    ", or once the slower of the last 10 and 30 minutes' average paces fills it within {steady} \
                     (at that pace, {})",
                    minutes(at)
                ),
                None => format!(" ({steady} at a steady pace once {STEADY_FROM:.0}% is used)"),
            };
            s += &format!(
                "{indent}at this rate it fills in {}, before the reset (pace {p:.1}); runway warns once that is {} \
                 away{steady}",
                minutes(m),
                duration(HORIZON_MS),
            )
        }
        // A floor says nothing of lasting.
        (None, _, Some(p)) if rate > 0.0 && !g.rate_floor => {
            s +=
                &format!("{indent}at this rate it lasts until the reset (pace {p:.2}: below 1 lasts, above 1 runs out)")
        }
        (None, _, _) if rate == 0.0 && !g.rate_floor => s = "nothing burning".into(),
        _ => {}
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::limit::Source;
    use crate::ground::time::HOUR_MS;
    use crate::ground::window::Window;

    fn words(g: Gauge) -> String {
        outlook(&g, 0, &Style { color: false, ..Style::default() }).unwrap()
    }

    #[test]
    fn the_warnings_time_is_said_with_the_rate_it_comes_from() {
        // 62.9% used, 47.3% an hour at present: 47 minutes. The steady rule's slower rate warned
        // first; the time shown is the present rate's, and said so.
        let g = Gauge {
            used_percent: Some(62.87),
            percent_per_hour: Some(47.29),
            minutes_to_empty: Some(47.0),
            minutes_to_limit: Some(47.0),
            pace: Some(4.7),
            ..Gauge::new(Window::FiveHour, Source::Configured, Some(0))
        };
        assert!(
            words(g.clone()).ends_with("at this rate the limit is reached in 47m, before the reset"),
            "{}",
            words(g)
        );
        // The steady rule's time sooner: its rate, 37.13 points in 35 minutes, 63.7% an hour.
        let steady = Gauge { minutes_to_limit: Some(35.0), ..g.clone() };
        let w = words(steady);
        assert!(w.contains("at the pace of the last half hour (63.7% an hour"), "{w}");
        assert!(w.ends_with("the limit is reached in 35m, before the reset"), "{w}");
        // No warning: idle, or the steady rule's slower pace too far off (said with its time).
        let idle = Gauge { minutes_to_limit: None, idle: true, ..g.clone() };
        assert!(words(idle).ends_with("no warning while work has stopped (no call in the last 10m)"));
        let far = Gauge { minutes_to_limit: None, minutes_at_steady: Some(108.0), resets_at: Some(4 * HOUR_MS), ..g };
        let w = words(far.clone());
        assert!(w.ends_with("fills it within 1h30m (at that pace, 1h48m)"), "{w}");
        // Within 1h30m, but after the reset an hour away: the reset is why.
        let w = words(Gauge { minutes_at_steady: Some(75.0), resets_at: Some(HOUR_MS), ..far.clone() });
        assert!(w.ends_with("and before the reset (at that pace, 1h15m: the reset, in 1h00m, comes first)"), "{w}");
        // Past 1h30m, that is why, whenever the reset comes.
        let w = words(Gauge { minutes_at_steady: Some(1318.0), resets_at: Some(3 * HOUR_MS), ..far });
        assert!(w.ends_with("fills it within 1h30m (at that pace, 21h58m)"), "{w}");
    }
}
