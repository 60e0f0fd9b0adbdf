//! `runway status --json`. The names are a contract: `now`; per provider `block`, `week`, `limit`,
//! `unpriced_models`. Fields may be added; none is renamed or removed without a deprecation (docs/json.md).

use serde_json::{Value, json};

use super::style::Style;
use super::words::{dollars, round2};
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;
use crate::forecast::limit::Source;
use crate::ground::evidence::Reading;
use crate::ground::time::{HOUR_MS, rfc3339};
use crate::ground::tokens::{Pico, Sums, Totals};
use crate::ground::window::Window;
use crate::report::attribution::Attribution;
use crate::store::prompt_cache::Kept;

fn tokens(s: &Sums) -> Value {
    json!({
        "input": s.input,
        "output": s.output,
        "cache_creation": s.cache_creation,
        "cache_read": s.cache_read,
        "total": s.total(),
        "reasoning": s.reasoning,
        "premium_requests": crate::ground::tokens::requests(s.premium),
    })
}

fn totals(t: &Totals) -> Value {
    json!({ "entries": t.entries, "tokens": tokens(&t.sums), "cost_usd": dollars(t.sums.cost), "unpriced_tokens": t.sums.unpriced })
}

fn gauge(g: &Gauge) -> Value {
    json!({
        "source": g.source.as_str(),
        "estimated": g.estimated(),
        "used_percent": g.used_percent.map(round2),
        "resets_at": g.resets_at.map(rfc3339),
        "observed_at": g.observed_at.map(rfc3339),
        "minutes_to_limit": g.minutes_to_limit.map(round2),
        "minutes_to_empty": g.minutes_to_empty.map(round2),
        "pace": g.pace.map(round2),
        "percent_per_hour": g.percent_per_hour.map(round2),
        "rate_floor": g.rate_floor,
        "over": g.over(),
        "coverage": g.coverage.map(round3),
        "partial": g.partial,
    })
}

/// A share of 0-1 to three places.
fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0 + 0.0
}

/// A reading, with how much of it local use explains (`null` until that is known).
fn reading(x: Option<&Reading>, g: Option<&Gauge>) -> Value {
    x.map_or(Value::Null, |r| {
        json!({
            "used_percent": r.used_percent,
            "resets_at": rfc3339(r.resets_at),
            "observed_at": rfc3339(r.observed_at),
            "coverage": g.and_then(|g| g.coverage).map(round3),
        })
    })
}

/// One provider's figures; `used`: what used each window (see `report::attribution`).
pub fn provider(r: &Runway, used: &[Attribution], style: &Style) -> Value {
    let block = r.block.as_ref().map(|b| {
        let mut v = totals(&b.block.totals);
        v["start"] = json!(rfc3339(b.block.start));
        v["end"] = json!(rfc3339(b.block.end()));
        v["active"] = json!(b.active);
        v["first_entry"] = json!(rfc3339(b.block.first));
        v["last_entry"] = json!(rfc3339(b.block.last));
        v["burn"] = b.burn.map_or(Value::Null, |r| {
            json!({ "tokens_per_minute": round2(r.tokens_per_minute), "cost_per_hour": dollars(r.cost_per_hour as Pico) })
        });
        v["projection"] = b.projection.map_or(Value::Null, |p| {
            json!({ "tokens": p.tokens.round() as u64, "cost_usd": dollars(p.cost as Pico) })
        });
        v
    });
    // With no window running, a gauge of nothing used, in the one shape (its fields were a list of
    // their own, which lacked the rate's). An account without a 5-hour window has no share at all.
    let idle = || Gauge {
        used_percent: (r.limit.source != Source::None && !r.weekly_only).then_some(0.0),
        partial: r.gauges.iter().any(|g| g.partial),
        ..Gauge::new(Window::FiveHour, r.limit.source, None)
    };
    let mut limit = gauge(r.five().unwrap_or(&idle()));
    limit["tokens"] = json!(r.limit.tokens);
    limit["cost_usd"] = json!(r.limit.cost.map(dollars));
    limit["learned_from"] = json!(r.limit.learned.map(|l| l.as_str()));
    // A guess the window reached with the calls still let through: why there is no limit now.
    limit["passed"] = r.limit.passed.map_or(
        Value::Null,
        |p| json!({ "tokens": p.tokens, "cost_usd": p.cost.map(dollars), "learned_from": p.learned.as_str() }),
    );
    json!({
        "block": block,
        "week": totals(&r.week),
        "limit": limit,
        "seven_day": r.seven().map(gauge),
        // The calendar month's premium requests (GitHub Copilot): the count, and the share of the
        // allowance when one is configured.
        "month": r.gauge(Window::Month).map(|g| {
            let mut v = gauge(g);
            // As `tokens.premium_requests` has it, to the thousandth (rounded to two places, 0.333
            // read 0.33 here beside 0.333 there).
            v["premium_requests"] = json!(crate::ground::tokens::requests(g.premium));
            v
        }),
        "rate_limits": {
            "five_hour": reading(r.reading(Window::FiveHour), r.five()),
            "seven_day": reading(r.reading(Window::SevenDay), r.seven()),
        },
        "weekly_only": r.weekly_only,
        "other_limits": r.others().map(|g| {
            let mut v = gauge(g);
            v["id"] = json!(g.bucket);
            v["name"] = json!(g.label);
            v["window"] = json!(g.window.key());
            v
        }).collect::<Vec<_>>(),
        "attribution": {
            "five_hour": used.iter().find(|a| a.window == Window::FiveHour).map(|a| super::attribution::json(a, style)),
            "seven_day": used.iter().find(|a| a.window == Window::SevenDay).map(|a| super::attribution::json(a, style)),
        },
        "unpriced_models": r.unpriced,
        "assumed_prices": r.assumed.iter().map(|m| json!({
            "model": m, "priced_as": crate::read::pricing::assumed(m).map(|p| p.key)
        })).collect::<Vec<_>>(),
    })
}

/// `prompt_cache`: the status line's last session's cache, while it was seen in the last hour.
pub fn prompt_cache(k: Option<&Kept>, now: i64) -> Value {
    match k {
        Some(k) if (0..=HOUR_MS).contains(&(now - k.seen_at)) => json!({
            "session": k.session,
            "seen_at": rfc3339(k.seen_at),
            "expires_at": k.cache.expires_at.map(rfc3339),
            "warm": k.cache.warm,
            "hit_percent": k.cache.hit_percent,
        }),
        _ => Value::Null,
    }
}

/// `limits`: every figure the service reported that counts now, with where it came from.
pub fn limits(list: &[(Reading, &str)]) -> Value {
    list.iter()
        .map(|(r, from)| {
            json!({
                "window": r.window.key(),
                "id": r.bucket,
                "name": r.name(),
                "used_percent": r.used_percent,
                "resets_at": rfc3339(r.resets_at),
                "observed_at": rfc3339(r.observed_at),
                "reported_by": from,
            })
        })
        .collect()
}

pub fn status(now: i64, runways: &[(Runway, Vec<Attribution>)], style: &Style) -> Value {
    let mut v = json!({ "now": rfc3339(now) });
    for (r, used) in runways {
        v[r.provider.name()] = provider(r, used, style);
    }
    v
}

/// `devices`: each device the sync folder shows (this one first), and its part of each running
/// window of each tool.
pub fn devices(uses: &[crate::report::devices::DeviceUse], now: i64) -> Value {
    uses.iter()
        .map(|d| {
            let mut windows = serde_json::Map::new();
            for (p, w, t) in &d.windows {
                let tool = windows.entry(p.name()).or_insert_with(|| json!({}));
                tool[w.key()] = totals(t);
            }
            json!({
                "id": d.id,
                "name": d.name,
                "this_device": d.this,
                "written_at": rfc3339(d.written_at),
                "age_seconds": (now - d.written_at).max(0) / 1000,
                "windows": windows,
            })
        })
        .collect()
}
