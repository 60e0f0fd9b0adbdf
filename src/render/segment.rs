//! The segment: each window as text from the format string, escaped and painted for its host.

use super::escape::{Target, escape_text, paint};
use super::style::{Level, Style};
use super::words::{self, count, requests, usd};
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;
use crate::ground::time::MINUTE_MS;
use crate::ground::window::Window;

/// One window as plain text, from the format string, and its level. Placeholders: `{label}`, `{mark}`
/// (estimate or extrapolation glyph), `{used}` (the share; without a limit the cost, or the tokens when
/// some calls have no price), `{pct}`, `{cost}`, `{reset}` (the time to it), `{reset_at}` (its clock
/// time, with the weekday for the week), `{warning}` (the time to the limit, or the over mark once
/// past it), `{next}` (the warning if there is one, else the reset). Empty parts and the spaces around
/// them drop out.
///
/// With `short` the times are short (`↻2h`, `↻3d`, `⚠45m`), so that two tools fit in 28 columns,
/// and a window past its limit shows the mark and its reset, not its share.
pub fn window_text(label: &str, g: &Gauge, now: i64, style: &Style, short: bool) -> (String, Level) {
    let gl = &style.glyphs;
    let duration = |ms: i64| if short { words::short(ms) } else { words::duration(ms) };
    let mark = gl.of_source(g.source);
    let cost = format!("${:.2}", usd(g.cost));
    // A floor (a session still open, a stale reading with use since) reads "at least": `12+ req`,
    // `$4.12+`, `40%+`; `{pct}` alone too.
    let floor = if g.partial { "+" } else { "" };
    let pct = g.used_percent.map(|p| format!("{}{floor}", percent(p))).unwrap_or_default();
    let used = match g.used_percent {
        Some(_) => pct.clone(),
        None if g.window == Window::Month => format!("{}{floor} req", requests(g.premium)),
        // A cost that leaves out unpriced calls would read as if they were free.
        None if g.unpriced_tokens > 0 => format!("{}{floor} tok", count(g.tokens)),
        None => format!("{cost}{floor}"),
    };
    let reset = g.resets_at.map(|r| format!("{}{}", gl.reset, duration(r - now))).unwrap_or_default();
    // Only when asked for: the zone is found on first use (see `Zone`).
    let reset_at = match g.resets_at {
        Some(r) if style.format.contains("{reset_at}") => {
            format!("{}{}", gl.reset, clock(r, g.window, style.zone.get()))
        }
        _ => String::new(),
    };
    // Past the limit is a state, not a countdown: the over mark instead of a time.
    let warning = match g.minutes_to_limit {
        _ if g.over() => gl.over.clone(),
        Some(m) => format!("{}{}", gl.warning, duration((m * MINUTE_MS as f64) as i64)),
        None => String::new(),
    };
    let mark = if g.used_percent.is_some() { mark } else { "" };
    // The warning takes the reset's place; past the limit the reset is what matters, with the mark.
    let next = match g.minutes_to_limit {
        _ if g.over() => format!("{reset} {warning}"),
        Some(_) => warning.clone(),
        None => reset.clone(),
    };
    let level = style.level_of(g);
    if short && g.over() {
        return (format!("{label} {} {reset}", gl.over), level);
    }
    let warning = if short { warning.replace(' ', "") } else { warning };
    let next = if short { next.replace(&gl.warning, &gl.warning.replace(' ', "")) } else { next };
    let text = style
        .format
        .replace("{label}", label)
        .replace("{mark}", mark)
        .replace("{used}", &used)
        .replace("{pct}", &pct)
        .replace("{cost}", &cost)
        .replace("{reset_at}", &reset_at)
        .replace("{reset}", &reset)
        .replace("{warning}", &warning)
        .replace("{next}", &next);
    let text = text.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    (text, level)
}

/// What a segment shows: each window with its label, and whether they are of more than one tool
/// (then the times are short).
pub struct Shown<'r> {
    pub windows: Vec<(String, &'r Gauge)>,
    pub many: bool,
}

/// The segment: each window escaped and painted for the target, joined by the separator; the times
/// short when it shows more than one tool.
pub fn segment(shown: &Shown, now: i64, t: Target, style: &Style) -> String {
    let (windows, short) = (&shown.windows, shown.many);
    let parts: Vec<String> = windows
        .iter()
        .map(|(label, g)| {
            let (text, lvl) = window_text(label, g, now, style, short);
            paint(&escape_text(&text, t), lvl, t, style)
        })
        .collect();
    parts.join(&escape_text(&style.separator, t))
}

/// A reset as a clock time in `zone`: `14:30`, and `Thu 23:00` for the week.
pub fn clock(ms: i64, w: Window, zone: &jiff::tz::TimeZone) -> String {
    let Ok(t) = jiff::Timestamp::from_millisecond(ms) else { return String::new() };
    let z = t.to_zoned_datetime(zone.clone());
    match w {
        Window::FiveHour => z.strftime("%H:%M").to_string(),
        Window::SevenDay => z.strftime("%a %H:%M").to_string(),
        Window::Spend | Window::Month => z.strftime("%b %d").to_string(),
    }
}

/// Whether a window has anything to say: a month of premium requests with none used is silent.
fn used(g: &Gauge) -> bool {
    g.window != Window::Month || g.premium > 0 || g.tokens > 0
}

/// Labels for the windows the segment shows: each tool's binding window (`Style::all_windows`:
/// each window that matters); `5h`/`7d` for one tool, `C`, `C7d`, `X`… for more. A tool with no
/// window running stays silent.
pub fn labelled<'r>(runways: &'r [Runway], style: &Style) -> Shown<'r> {
    let pick = |r: &'r Runway| -> Vec<&'r Gauge> {
        let gauges =
            if style.all_windows { r.shown(style.warn_at) } else { r.binding(style.warn_at).into_iter().collect() };
        gauges.into_iter().filter(|g| used(g)).collect()
    };
    let shown: Vec<(&Runway, Vec<&Gauge>)> =
        runways.iter().map(|r| (r, pick(r))).filter(|(_, g)| !g.is_empty()).collect();
    let many = shown.len() > 1;
    let mut out = Vec::new();
    for (r, gauges) in shown {
        for g in gauges {
            let label = match (many, g.window) {
                // A separate allowance (a weekly per-model limit): its initial, `F 7d`. The name is the
                // service's, from a file: its first letter or digit only, never whatever came first
                // (an escape sequence there reached the prompt whole).
                _ if !g.label.is_empty() => format!("{} {}", initial(&g.label), g.window.label()),
                (false, w) => w.label().to_owned(),
                (true, Window::FiveHour) => r.provider.letter().to_owned(),
                (true, w) => format!("{}{}", r.provider.letter(), w.label()),
            };
            out.push((label, g));
        }
    }
    Shown { windows: out, many }
}

/// A share as a segment shows it: whole percents, at most five characters. Past 999% the figure says
/// nothing more than that (a tiny `--limit-cost` made one `1535243000%`), and the over mark is beside it.
fn percent(p: f64) -> String {
    if p >= 999.5 { ">999%".into() } else { format!("{}%", super::words::whole(p)) }
}

/// A separate allowance's initial in a segment: the name's first ASCII letter or digit, upper case.
fn initial(name: &str) -> char {
    name.chars().find(char::is_ascii_alphanumeric).map_or('?', |c| c.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::limit::Source;

    #[test]
    fn a_share_is_at_most_five_characters() {
        assert_eq!((percent(0.4), percent(62.5), percent(999.4)), ("0%".into(), "63%".into(), "999%".into()));
        assert_eq!((percent(999.5), percent(1.5e9)), (">999%".into(), ">999%".into()));
    }

    #[test]
    fn an_allowance_initial_is_a_letter_or_digit() {
        assert_eq!(initial("fast-model"), 'F');
        assert_eq!(initial("\u{1b}[31mpwned"), '3');
        assert_eq!(initial("\u{1b}pwned"), 'P');
        assert_eq!(initial("\u{9b}\u{202e}"), '?');
        assert_eq!(initial("4o"), '4');
    }

    #[test]
    fn every_placeholder_the_settings_take_is_filled() {
        let all = crate::config::format::PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ");
        let style = Style { format: all, ..Style::default() };
        let (text, _) = window_text("5h", &gauge(Some(40.0), Some(30.0)), 0, &style, false);
        assert!(!text.contains('{'), "{text}");
    }

    fn gauge(used: Option<f64>, warn: Option<f64>) -> Gauge {
        Gauge {
            used_percent: used,
            cost: 4_120_000_000_000,
            tokens: 2_500_000,
            minutes_to_limit: warn,
            minutes_to_empty: warn,
            ..Gauge::new(Window::FiveHour, Source::History, Some(83 * MINUTE_MS))
        }
    }

    #[test]
    fn format_strings() {
        let st = Style::default();
        assert_eq!(window_text("5h", &gauge(Some(62.4), None), 0, &st, false).0, "5h ~62% ↻1h23m");
        // The warning takes the reset's place: the segment stays short.
        assert_eq!(window_text("5h", &gauge(Some(93.0), Some(40.0)), 0, &st, false).0, "5h ~93% ⚠ 40m");
        let long = Style { format: "{label} {mark}{used} {reset} {warning}".into(), ..Style::default() };
        assert_eq!(window_text("5h", &gauge(Some(93.0), Some(40.0)), 0, &long, false).0, "5h ~93% ↻1h23m ⚠ 40m");
        let clock = Style { format: "{label} {used} {reset_at}".into(), ..Style::default() };
        assert_eq!(
            window_text("5h", &gauge(Some(9.0), None), 0, &clock, false).0,
            "5h 9% ↻01:23",
            "a clock time, in UTC here"
        );
        let unpriced = Gauge { source: Source::None, unpriced_tokens: 9, ..gauge(None, None) };
        assert_eq!(
            window_text("5h", &unpriced, 0, &st, false).0,
            "5h 2.50M tok ↻1h23m",
            "never $0.00 for unpriced calls"
        );
        let none = Gauge { source: Source::None, ..gauge(None, None) };
        assert_eq!(window_text("5h", &none, 0, &st, false).0, "5h $4.12 ↻1h23m");
        // A session still open: each figure a floor.
        let floor = Gauge { partial: true, ..none.clone() };
        assert_eq!(window_text("5h", &floor, 0, &st, false).0, "5h $4.12+ ↻1h23m");
        assert_eq!(
            window_text("5h", &Gauge { partial: true, ..gauge(Some(7.0), None) }, 0, &st, false).0,
            "5h ~7%+ ↻1h23m"
        );
        let custom = Style { format: "[{label}] {pct} left:{reset} {cost}".into(), ..Style::default() };
        assert_eq!(window_text("C", &gauge(Some(7.0), None), 0, &custom, false).0, "[C] 7% left:↻1h23m $4.12");
        // A floor reads as one in a format of `{pct}` too.
        let floor = Gauge { partial: true, ..gauge(Some(7.0), None) };
        assert_eq!(window_text("C", &floor, 0, &custom, false).0, "[C] 7%+ left:↻1h23m $4.12");
        let server = Gauge { source: Source::Server, ..gauge(Some(23.0), None) };
        assert_eq!(window_text("5h", &server, 0, &st, false).0, "5h 23% ↻1h23m", "no mark on the service's own figure");
        let over = Gauge { source: Source::Server, ..gauge(Some(104.4), None) };
        assert_eq!(
            window_text("5h", &over, 0, &st, false),
            ("5h 104% ↻1h23m ✕".into(), Level::Danger),
            "over: no countdown"
        );
    }

    #[test]
    fn segments_join_windows() {
        let st = Style { color: false, ..Style::default() };
        let (a, b) = (gauge(Some(62.0), None), gauge(Some(8.0), None));
        let one = Shown { windows: vec![("5h".into(), &a)], many: false };
        assert_eq!(segment(&one, 0, Target::Plain, &st), "5h ~62% ↻1h23m");
        // Two tools: the times short, 23 columns.
        let two = Shown { windows: vec![("C".into(), &a), ("X".into(), &b)], many: true };
        assert_eq!(segment(&two, 0, Target::Plain, &st), "C ~62% ↻1h · X ~8% ↻1h");
    }

    #[test]
    fn two_tools_fit_in_28_columns_in_every_state() {
        let st = Style { color: false, ..Style::default() };
        let week = |g: Gauge| Gauge { window: Window::SevenDay, resets_at: Some(3 * 86_400_000 + 3_600_000), ..g };
        let extrapolated = |g: Gauge| Gauge { source: Source::Extrapolated, ..g };
        let cases = [
            (gauge(Some(41.0), None), gauge(Some(4.0), None), "C ~41% ↻1h · X ~4% ↻1h"),
            (week(extrapolated(gauge(Some(78.0), None))), gauge(Some(99.0), None), "C7d ≈78% ↻3d · X ~99% ↻1h"),
            (
                week(extrapolated(gauge(Some(93.0), Some(36.0)))),
                gauge(Some(92.0), Some(44.0)),
                "C7d ≈93% ⚠36m · X ~92% ⚠44m",
            ),
            (week(gauge(Some(104.0), None)), week(gauge(Some(100.0), None)), "C7d ✕ ↻3d · X7d ✕ ↻3d"),
            (Gauge { source: Source::None, ..gauge(None, None) }, gauge(Some(99.0), None), "C $4.12 ↻1h · X ~99% ↻1h"),
        ];
        for (a, b, want) in cases {
            let (la, lb) = (
                if a.window == Window::SevenDay { "C7d" } else { "C" },
                if b.window == Window::SevenDay { "X7d" } else { "X" },
            );
            let two = Shown { windows: vec![(la.into(), &a), (lb.into(), &b)], many: true };
            let s = segment(&two, 0, Target::Plain, &st);
            assert_eq!(s, want);
            assert!(s.chars().count() <= 28, "{s}: {} columns", s.chars().count());
            // Outside UTF-8 (LANG=C) the glyphs are spelled in ASCII, and it still fits.
            let ascii = Style { ascii: true, ..st.clone() }.text(&s).into_owned();
            assert!(ascii.is_ascii() && ascii.len() <= 28, "{ascii}: {} columns", ascii.len());
        }
    }
}
