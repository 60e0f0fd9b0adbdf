//! `runway status` for people: each provider's windows, where the present rate takes them, the block
//! and the week, in words. The figures are the forecast's, the same the segment shows.

use super::clean::{clean, short_id};
use super::escape::{Target, paint};
use super::style::Style;
use super::words::{self, count, duration, requests, usd};
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;
use crate::forecast::limit::{ENOUGH_BLOCKS, Learned, Measure, Source};
use crate::ground::evidence::Reading;
use crate::ground::time::{HOUR_MS, WEEK_MS};
use crate::ground::tokens::{Pico, Totals};
use crate::ground::window::Window;
use crate::report::attribution::Attribution;
use crate::store::prompt_cache::Kept;

fn totals(t: &Totals) -> String {
    let calls = if t.entries == 1 { "call" } else { "calls" };
    let unpriced = match t.sums.unpriced {
        0 => String::new(),
        n => format!(" + {} tokens without a price", count(n)),
    };
    format!("{} {calls} · {} tokens · ${:.2}{unpriced}", t.entries, count(t.sums.total()), usd(t.sums.cost))
}

pub(super) fn window_name(w: Window) -> &'static str {
    match w {
        Window::FiveHour => "5 hours",
        Window::SevenDay => "7 days",
        Window::Spend => "spend",
        Window::Month => "month",
    }
}

/// A time in the local zone, with the zone's abbreviation: `02:00 CET`, `Thu 23:00 CET`, and the
/// date (`2026-02-05 23:00 CET`) for a day a week or more from today's, where a weekday would name
/// today's or a day in the wrong week.
fn local(ms: i64, now: i64, style: &Style, with_day: bool) -> String {
    let (Ok(t), Ok(n)) = (jiff::Timestamp::from_millisecond(ms), jiff::Timestamp::from_millisecond(now)) else {
        return String::new();
    };
    let zone = style.zone.get();
    let z = t.to_zoned_datetime(zone.clone());
    let days = (z.date() - n.to_zoned_datetime(zone.clone()).date()).get_days();
    let format = match with_day {
        true if days.abs() >= 7 => "%Y-%m-%d %H:%M %Z",
        true => "%a %H:%M %Z",
        false => "%H:%M %Z",
    };
    z.strftime(format).to_string()
}

/// The share and where it comes from.
fn share(r: &Runway, g: &Gauge) -> String {
    if g.window == Window::Month {
        return match g.used_percent.map(words::whole) {
            Some(p) => format!(
                "~{p}% of the month's premium requests ({} used; the allowance is configured)",
                requests(g.premium)
            ),
            None => format!(
                "{} premium requests so far this month (set premium_requests to your plan's allowance for a share)",
                requests(g.premium)
            ),
        };
    }
    let Some(p) = g.used_percent.map(words::whole) else {
        if g.unpriced_tokens > 0 {
            let why = match (r.limit.cost, r.limit.measure) {
                (Some(c), Measure::Cost) => format!("so no share of the ${:.2} limit can be told", usd(c)),
                _ => no_limit(r),
            };
            return format!("{} tokens so far, some from models without a price; {why}", count(g.tokens));
        }
        return format!("${:.2} so far; {}", usd(g.cost), no_limit(r));
    };
    let limit = amount(r.limit.cost, r.limit.tokens, r.limit.measure);
    let ago = |t: Option<i64>| t.map(|t| format!(" {}", words::ago(r.now - t))).unwrap_or_default();
    let over = if g.over() { ", past the limit" } else { "" };
    match g.source {
        // Stale, with use since that no known cost of a percent counts in: the least the window holds.
        // Its rate may still count this machine's calls against the largest block's guess: said.
        Source::Server if g.partial => {
            let guess = match r.limit.learned {
                Some(Learned::LargestBlock) if g.window == Window::FiveHour => {
                    format!("; its pace takes the largest earlier block, {limit}, for the limit")
                }
                _ => String::new(),
            };
            format!(
                "{p}%+{over} (at least: reported by the service{}, and used since, with no known cost of a percent to count that in{guess})",
                ago(g.observed_at)
            )
        }
        Source::Server => format!("{p}%{over} (reported by the service{})", ago(g.observed_at)),
        Source::Extrapolated => {
            format!("≈{p}%{over} (the service's reading{} plus local use since)", ago(g.observed_at))
        }
        // The week has no limit of its own: a share after its reading's reset is its use since,
        // over the cost of a percent the readings' rises showed.
        Source::History if g.window == Window::SevenDay => format!(
            "~{p}%{over} (an estimate: the use since the last reading's window reset, at the cost of a percent the readings showed)"
        ),
        Source::History if r.limit.learned == Some(Learned::ReadingFloor) => format!(
            "~{p}% of {limit}{over} (an estimate: the limit is at least this, the local use under a reading over the share it reported)"
        ),
        Source::History => format!(
            "~{p}% of {limit}{over} (an estimate: the limit is learned from the {})",
            r.limit.learned.map_or("history", |l| l.as_str())
        ),
        Source::Configured => format!("~{p}% of {limit}{over} (configured)"),
        Source::None => String::new(),
    }
}

/// A limit as it reads: dollars when it is in dollars, else tokens.
fn amount(cost: Option<Pico>, tokens: Option<u64>, measure: Measure) -> String {
    match (cost, tokens, measure) {
        (Some(c), _, Measure::Cost) => format!("${:.2}", usd(c)),
        (_, Some(t), _) => format!("{} tokens", count(t)),
        _ => String::new(),
    }
}

/// Why no share is shown: no limit is known yet, and what would give one.
fn no_limit(r: &Runway) -> String {
    if !r.limit.learnable {
        return "no limit: its 5-hour window is runway's own block of its calls, not a quota the service \
                counts in dollars; limit_cost gives it a share"
            .to_owned();
    }
    if let Some(p) = r.limit.passed {
        let guess = amount(p.cost, p.tokens, r.limit.measure);
        let from = match p.learned {
            Learned::ReadingFloor => "the least a reading showed it could be",
            _ => "the largest earlier block",
        };
        return format!(
            "no limit known: this window went past {guess}, {from}, with no \"usage limit reached\", so that \
             was not the limit (a reading from the service, a limit notice or limit_cost gives one)"
        );
    }
    let n = r.limit.blocks;
    let seen = match n {
        0 => "no finished 5-hour block of ten calls or more yet".to_owned(),
        1 => "1 finished 5-hour block of ten calls or more".to_owned(),
        n => format!("{n} finished 5-hour blocks of ten calls or more"),
    };
    format!(
        "no limit known yet ({seen}; {ENOUGH_BLOCKS} such blocks are needed to learn one, or the service's readings rising while this machine works, or limit_cost)"
    )
}

/// How much of a reported share this machine's calls explain, in words.
fn explained(r: &Runway, g: &Gauge) -> Option<String> {
    let reading = r.reading(g.window).filter(|x| Some(x.observed_at) == g.observed_at)?;
    let reported = reading.used_percent;
    Some(match g.coverage {
        Some(c) => {
            // As the figures read: 10.7 of 11 points is "11% of the 11%", and no rest to speak of.
            let (mine, all) = (words::whole(c * reported), words::whole(reported));
            let rest = if mine < all { "; the rest was used elsewhere (another machine, a browser, CI)" } else { "" };
            format!("this machine explains {mine}% of the {all}% reported{rest}")
        }
        None => format!(
            "how much of the {}% reported is this machine's is not known yet (it is learned as readings rise while this machine works)",
            words::whole(reported)
        ),
    })
}

fn gauge(r: &Runway, g: &Gauge, style: &Style) -> String {
    let reset = g
        .resets_at
        .map(|t| {
            // The day too where the reset may be another day than today's (the week's, the month's).
            format!(" · resets in {} ({})", duration(t - r.now), local(t, r.now, style, g.window != Window::FiveHour))
        })
        .unwrap_or_default();
    let level = style.level_of(g);
    let mut s = format!("  {:<9} {}{reset}\n", window_name(g.window), paint(&share(r, g), level, Target::Ansi, style));
    if let Some(e) = explained(r, g) {
        s += &format!("  {:<9} {e}\n", "");
    }
    if let Some(o) = super::outlook::outlook(g, r.now, style) {
        s += &format!("  {:<9} {o}\n", "now");
    }
    s
}

/// The prompt cache of the session the status line last drew, while it is recent (an hour).
pub fn prompt_cache(k: &Kept, now: i64) -> String {
    if now - k.seen_at > HOUR_MS || k.seen_at > now {
        return String::new();
    }
    let c = &k.cache;
    let state = match c.expires_at {
        _ if c.warm == Some(false) => "cold".to_owned(),
        Some(t) if t <= now => "cold (expired)".to_owned(),
        Some(t) => format!("{} left", duration(t - now)),
        None if c.warm == Some(true) => "warm".to_owned(),
        None => return String::new(),
    };
    let hit = c.hit_percent.map(|h| format!(", {}% of input read from it", words::whole(h))).unwrap_or_default();
    let id = short_id(&k.session);
    format!("  {:<9} session {id}: {state}{hit} (the status line saw it {})\n", "cache", words::ago(now - k.seen_at))
}

/// Every figure the service reported that counts now, where it came from and how old it is.
pub fn limits(list: &[(Reading, &str)], now: i64) -> String {
    if list.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|(r, from)| {
            let name = if r.main() { String::new() } else { format!("{} ", clean(r.name())) };
            format!(
                "{name}{} {}% ({from}, {})",
                r.window.label(),
                words::whole(r.used_percent),
                words::ago(now - r.observed_at)
            )
        })
        .collect();
    format!("  {:<9} {}\n", "reported", parts.join(" · "))
}

/// A provider's windows, each followed by what used it (`used`, one per window that has calls).
/// With other devices in the sync folder (`shared`), the windows are the account's and the lines
/// under them this device's calls, and say so (they read as the window's total, beside it).
pub fn human(r: &Runway, used: &[Attribution], style: &Style, shared: bool) -> String {
    let here = if shared { " on this device" } else { "" };
    let all = super::attribution::projects(used);
    let by = |w: Window| {
        let local = |t: i64| local(t, r.now, style, true);
        used.iter()
            .find(|a| a.window == w)
            .map(|a| super::attribution::lines(a, &all, style, &local))
            .unwrap_or_default()
    };
    let mut out = format!("{}\n", r.provider.title());
    let windows = r.provider.spec().windows;
    match r.five() {
        Some(g) => out += &gauge(r, g, style),
        None if r.weekly_only => out += "  5 hours   none: the service reports only a weekly window for this account\n",
        None if windows.contains(&Window::FiveHour) => out += "  5 hours   no window running\n",
        None => {}
    }
    if let Some(g) = r.gauge(Window::Month) {
        out += &gauge(r, g, style);
    }
    // With other devices the window may have begun before this device's own block (another device
    // opened it): this device's calls in the window first, as the lines under it add up, then its
    // block, said to be its own (the block alone read as the window's, beside sessions worth more).
    let five_used = used.iter().find(|a| a.window == Window::FiveHour);
    let own_block = match (five_used, &r.block) {
        (Some(a), Some(b)) if shared && b.active && a.from < b.block.start => {
            let since = local(a.from, r.now, style, false);
            out += &format!("  {:<9} {} since {since}{here}\n", "window", totals(&a.total));
            ", its own block"
        }
        _ => "",
    };
    match &r.block {
        Some(b) if b.active => {
            out += &format!(
                "  block     {} since {}{here}{own_block}\n",
                totals(&b.block.totals),
                local(b.block.start, r.now, style, false)
            )
        }
        Some(b) => {
            out += &format!("  block     none active (the last began {})\n", local(b.block.start, r.now, style, true))
        }
        None => {}
    }
    out += &by(Window::FiveHour);
    if let Some(g) = r.seven() {
        out += &gauge(r, g, style);
    }
    // Under the service's 7-day window, its calls, as the lines below it add up; else the last 7 days.
    match used.iter().find(|a| a.window == Window::SevenDay).filter(|a| a.from != r.now - WEEK_MS) {
        Some(a) => {
            out += &format!("  {:<9} {} in its first {}{here}\n", "window", totals(&a.total), duration(r.now - a.from))
        }
        // The gauge's own name for the same span: `week` beside `7 days` read as two things.
        None => out += &format!("  {:<9} {}{here}\n", window_name(Window::SevenDay), totals(&r.week)),
    }
    out += &by(Window::SevenDay);
    for g in r.others() {
        let reset = g.resets_at.map(|t| format!(", resets in {}", duration(t - r.now))).unwrap_or_default();
        let ago = g.observed_at.map(|t| format!(" {}", words::ago(r.now - t))).unwrap_or_default();
        let of = match g.window {
            Window::Spend => "used".to_owned(),
            w => format!("of its {} window", w.label()),
        };
        out += &format!(
            "  {:<9} {}: {}% {of} (reported by the service{ago}{reset})\n",
            "also",
            clean(&g.label),
            words::whole(g.used_percent.unwrap_or(0.0)),
        );
    }
    for m in &r.assumed {
        let like = crate::read::pricing::assumed(m).map_or("?", |p| p.key);
        out += &format!(
            "  {:<9} {} priced as {like} (a newer model than runway's price table: an assumption)\n",
            "assumed",
            clean(m)
        );
    }
    if !r.unpriced.is_empty() {
        out += &format!("  unpriced  {} (counted in tokens, not in cost)\n", clean(&r.unpriced.join(", ")));
    }
    out
}

/// Sessions whose input and cache tokens the tool writes only when they end (Copilot CLI's): not
/// counted yet, said rather than shown low in silence.
pub fn awaiting(open: usize) -> String {
    match open {
        0 => String::new(),
        1 => "  open      1 session of the last week has no end written (still running, or stopped without one): its input and cache tokens and premium requests are written at its end, and are not counted (a prompt shows `+` while one written in the last hour is open)\n".into(),
        n => format!("  open      {n} sessions of the last week have no end written (still running, or stopped without one): their input and cache tokens and premium requests are written at their end, and are not counted (a prompt shows `+` while one written in the last hour is open)\n"),
    }
}
