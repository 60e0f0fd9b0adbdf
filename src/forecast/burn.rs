//! How fast a block burns, and where that rate takes it by its end (as ccusage computes them).

use crate::ground::block::Block;
use crate::ground::time::MINUTE_MS;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Burn {
    pub tokens_per_minute: f64,
    /// Pico-dollars per hour.
    pub cost_per_hour: f64,
}

/// Burn rate over the first to the last call; none when they coincide.
pub fn burn(b: &Block) -> Option<Burn> {
    let minutes = (b.last - b.first) as f64 / MINUTE_MS as f64;
    if minutes <= 0.0 {
        return None;
    }
    Some(Burn {
        tokens_per_minute: b.totals.sums.total() as f64 / minutes,
        cost_per_hour: b.totals.sums.cost as f64 / minutes * 60.0,
    })
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    pub tokens: f64,
    /// Pico-dollars.
    pub cost: f64,
}

/// What the block will have used by its end at the current burn rate (whole minutes, as ccusage).
pub fn project(b: &Block, burn: Option<Burn>, now: i64) -> Projection {
    let used = Projection { tokens: b.totals.sums.total() as f64, cost: b.totals.sums.cost as f64 };
    let Some(r) = burn else { return used };
    let remaining = ((b.end() - now) as f64 / MINUTE_MS as f64).round().max(0.0);
    Projection {
        tokens: used.tokens + r.tokens_per_minute * remaining,
        cost: used.cost + r.cost_per_hour / 60.0 * remaining,
    }
}

/// Minutes from now until `used` reaches `limit` at `per_minute`; `None` when it never does.
pub fn minutes_to(used: f64, limit: f64, per_minute: f64) -> Option<f64> {
    if used >= limit {
        return Some(0.0);
    }
    if per_minute <= 0.0 {
        return None;
    }
    Some((limit - used) / per_minute)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::block::blocks;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::{Entry, Sums};

    fn e(ts: i64, tokens: u64, cost: u64) -> Entry {
        Entry { ts, model: 0, flags: 0, sums: Sums { input: tokens, cost, ..Sums::default() } }
    }

    #[test]
    fn burn_and_projection_by_hand() {
        // Block 10:00-15:00; 600 tokens and 6e12 pico ($6) between 10:00 and 11:00 -> 10 tok/min, $6/h.
        let s = 10 * HOUR_MS;
        let b = blocks(&[e(s, 300, 3_000_000_000_000), e(s + HOUR_MS, 300, 3_000_000_000_000)])[0];
        let r = burn(&b).unwrap();
        assert_eq!(r.tokens_per_minute, 10.0);
        assert_eq!(r.cost_per_hour, 6e12);
        // At 12:00, 180 minutes remain: 600 + 1,800 tokens, $6 + $18.
        let p = project(&b, Some(r), s + 2 * HOUR_MS);
        assert_eq!(p.tokens, 2_400.0);
        assert_eq!(p.cost, 24e12);
        // A single call has no rate; the projection is what was used.
        let one = blocks(&[e(s, 300, 7)])[0];
        assert_eq!(burn(&one), None);
        assert_eq!(project(&one, None, s).tokens, 300.0);
    }

    #[test]
    fn minutes_to_limit() {
        assert_eq!(minutes_to(60.0, 100.0, 2.0), Some(20.0));
        assert_eq!(minutes_to(120.0, 100.0, 2.0), Some(0.0));
        assert_eq!(minutes_to(60.0, 100.0, 0.0), None);
    }
}
