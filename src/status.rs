//! `runway status`: the whole state, for people and (`--json`) for other tools.
//!
//! The JSON names are a contract: `now`; per provider `block`, `week`, `limit`, `unpriced_models`.
//! Fields may be added; none is renamed or removed without a major version.

use serde_json::{Value, json};

use crate::event::{Provider, Sums, Totals};
use crate::pricing::usd;
use crate::render::duration;
use crate::runway::{Runway, Source};

pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_default()
}

/// Dollars rounded to the micro-dollar: enough for any sum, without float noise in the output.
fn dollars(pico: u64) -> f64 {
    (pico as f64 / 1e6).round() / 1e6
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn tokens(s: &Sums) -> Value {
    json!({
        "input": s.input,
        "output": s.output,
        "cache_creation": s.cache_creation,
        "cache_read": s.cache_read,
        "total": s.total(),
    })
}

fn totals(t: &Totals) -> Value {
    json!({ "entries": t.entries, "tokens": tokens(&t.sums), "cost_usd": dollars(t.sums.cost), "unpriced_tokens": t.sums.unpriced })
}

pub fn provider_json(r: &Runway) -> Value {
    let block = r.block.as_ref().map(|b| {
        let mut v = totals(&b.block.totals);
        let o = v.as_object_mut().unwrap();
        o.insert("start".into(), json!(rfc3339(b.block.start)));
        o.insert("end".into(), json!(rfc3339(b.block.end())));
        o.insert("active".into(), json!(b.active));
        o.insert("first_entry".into(), json!(rfc3339(b.block.first)));
        o.insert("last_entry".into(), json!(rfc3339(b.block.last)));
        o.insert(
            "burn".into(),
            b.burn.map_or(Value::Null, |r| json!({ "tokens_per_minute": round2(r.tokens_per_minute), "cost_per_hour": dollars(r.cost_per_hour as u64) })),
        );
        o.insert(
            "projection".into(),
            b.projection.map_or(Value::Null, |p| json!({ "tokens": p.tokens.round() as u64, "cost_usd": dollars(p.cost as u64) })),
        );
        v
    });
    let mut limit = match &r.five {
        Some(g) => gauge_json(g),
        None => json!({
            "source": r.limit.source.as_str(),
            "estimated": matches!(r.limit.source, Source::Configured | Source::History),
            "used_percent": if r.limit.source == Source::None { Value::Null } else { json!(0.0) },
            "resets_at": Value::Null,
            "observed_at": Value::Null,
            "minutes_to_limit": Value::Null,
            "minutes_to_empty": Value::Null,
            "pace": Value::Null,
        }),
    };
    limit["tokens"] = json!(r.limit.tokens);
    limit["cost_usd"] = json!(r.limit.cost.map(dollars));
    limit["learned_from"] = json!(r.limit.learned.map(|l| l.as_str()));
    let reading = |x: &Option<crate::readings::Reading>| {
        x.as_ref().map(|r| {
            json!({ "used_percent": r.used_percent, "resets_at": rfc3339(r.resets_at), "observed_at": rfc3339(r.observed_at) })
        })
    };
    json!({
        "block": block,
        "week": totals(&r.week),
        "limit": limit,
        "seven_day": r.seven.as_ref().map(gauge_json),
        "rate_limits": { "five_hour": reading(&r.reading_five), "seven_day": reading(&r.reading_seven) },
        "unpriced_models": r.unpriced,
    })
}

fn gauge_json(g: &crate::runway::Gauge) -> Value {
    json!({
        "source": g.source.as_str(),
        "estimated": g.estimated(),
        "used_percent": g.used_percent.map(round2),
        "resets_at": g.resets_at.map(rfc3339),
        "observed_at": g.observed_at.map(rfc3339),
        "minutes_to_limit": g.minutes_to_limit.map(round2),
        "minutes_to_empty": g.minutes_to_empty.map(round2),
        "pace": g.pace.map(round2),
    })
}

pub fn json(now: i64, runways: &[&Runway]) -> Value {
    let mut v = json!({ "now": rfc3339(now) });
    for r in runways {
        v[r.provider.name()] = provider_json(r);
    }
    v
}

fn provider_title(p: Provider) -> &'static str {
    match p {
        Provider::Claude => "Claude Code",
        Provider::Codex => "Codex CLI",
    }
}

/// `1.92M`, `44.9k`, `812`.
pub fn count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.2}M", n as f64 / 1e6),
        _ => format!("{:.2}B", n as f64 / 1e9),
    }
}

fn hm(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

fn line(t: &Totals) -> String {
    format!("{} calls · {} tokens · ${:.2}", t.entries, count(t.sums.total()), usd(t.sums.cost))
}

pub fn human(r: &Runway) -> String {
    let mut out = format!("{}\n", provider_title(r.provider));
    match &r.block {
        Some(b) if b.active => {
            out += &format!(
                "  5h block  {} → {} UTC, resets in {}\n            {}\n",
                hm(b.block.start),
                &hm(b.block.end())[11..],
                duration(b.block.end() - r.now),
                line(&b.block.totals)
            );
            if let (Some(burn), Some(p)) = (b.burn, b.projection) {
                out += &format!(
                    "  burn      ${:.2}/h · {} tokens/min → ${:.2} by the reset\n",
                    burn.cost_per_hour / 1e12,
                    count(burn.tokens_per_minute as u64),
                    p.cost / 1e12
                );
            }
        }
        Some(b) => out += &format!("  5h block  none active (last block {} UTC)\n", hm(b.block.start)),
        None => out += "  5h block  none\n",
    }
    let limit = match &r.five {
        Some(g) if g.used_percent.is_some() => {
            let p = g.used_percent.unwrap_or(0.0);
            let what = match (r.limit.cost, r.limit.tokens, r.limit.measure) {
                (Some(c), _, crate::runway::Measure::Cost) => format!("${:.2}", usd(c)),
                (_, Some(t), _) => format!("{} tokens", count(t)),
                _ => String::new(),
            };
            let learned = r.limit.learned.map_or("", |l| l.as_str());
            let pace = g.pace.map(|x| format!(", pace {x:.2}")).unwrap_or_default();
            match g.source {
                Source::Server => format!("{p:.0}% (reported by the service{pace})"),
                Source::Extrapolated => format!("≈{p:.0}% (the service's reading plus local use since{pace})"),
                Source::History => format!("~{p:.0}% of {what} (estimate, learned from the {learned}{pace})"),
                Source::Configured => format!("~{p:.0}% of {what} (configured{pace})"),
                Source::None => String::new(),
            }
        }
        _ => match r.limit.source {
            Source::None => "none known yet (no completed block): showing cost".to_owned(),
            _ => "no window running".to_owned(),
        },
    };
    out += &format!("  limit     {limit}\n");
    if let Some(m) = r.five.as_ref().and_then(|g| g.minutes_to_limit) {
        out += &format!(
            "  warning   at this rate the limit is reached in {}, before the reset\n",
            duration((m * 60_000.0) as i64)
        );
    }
    out += &format!("  7 days    {}\n", line(&r.week));
    if let Some(g) = &r.seven {
        let (mark, how) = match g.source {
            Source::Server => ("", "reported by the service"),
            _ => ("≈", "the service's reading plus local use since"),
        };
        let reset = g.resets_at.map(|t| format!(", resets in {}", duration(t - r.now))).unwrap_or_default();
        let pct = g.used_percent.unwrap_or(0.0);
        out += &format!("            {mark}{pct:.0}% of the weekly limit ({how}{reset})\n");
    }
    if !r.unpriced.is_empty() {
        out += &format!("  unpriced  {} (counted in tokens, not in cost)\n", r.unpriced.join(", "));
    }
    out
}
