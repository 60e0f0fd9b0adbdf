//! `runway status` for people: each provider's block, limit, warning and week, in words.

use super::words::{count, duration, usd, utc_minute};
use crate::forecast::Runway;
use crate::forecast::limit::{Measure, Source};
use crate::ground::tokens::Totals;

fn line(t: &Totals) -> String {
    format!("{} calls · {} tokens · ${:.2}", t.entries, count(t.sums.total()), usd(t.sums.cost))
}

pub fn human(r: &Runway) -> String {
    let mut out = format!("{}\n", r.provider.title());
    match &r.block {
        Some(b) if b.active => {
            out += &format!(
                "  5h block  {} → {} UTC, resets in {}\n            {}\n",
                utc_minute(b.block.start),
                &utc_minute(b.block.end())[11..],
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
        Some(b) => out += &format!("  5h block  none active (last block {} UTC)\n", utc_minute(b.block.start)),
        None => out += "  5h block  none\n",
    }
    let limit = match &r.five {
        Some(g) if g.used_percent.is_some() => {
            let p = g.used_percent.unwrap_or(0.0);
            let what = match (r.limit.cost, r.limit.tokens, r.limit.measure) {
                (Some(c), _, Measure::Cost) => format!("${:.2}", usd(c)),
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
