//! Where a rate takes a block by its end.

use crate::ground::block::Block;
use crate::ground::time::MINUTE_MS;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Burn {
    pub tokens_per_minute: f64,
    /// Pico-dollars per hour.
    pub cost_per_hour: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    pub tokens: f64,
    /// Pico-dollars.
    pub cost: f64,
}

/// What the block will have used by its end if the rate held (whole minutes, as ccusage counts them).
pub fn project(b: &Block, burn: Option<Burn>, now: i64) -> Projection {
    let used = Projection { tokens: b.totals.sums.total() as f64, cost: b.totals.sums.cost as f64 };
    let Some(r) = burn else { return used };
    let remaining = ((b.end() - now) as f64 / MINUTE_MS as f64).round().max(0.0);
    Projection {
        tokens: used.tokens + r.tokens_per_minute * remaining,
        cost: used.cost + r.cost_per_hour / 60.0 * remaining,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::block::blocks;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::{Entry, Sums};

    fn e(ts: i64, tokens: u64, cost: u128) -> Entry {
        Entry { ts, file: 0, model: 0, flags: 0, sums: Sums { input: tokens, cost, ..Sums::default() } }
    }

    #[test]
    fn burn_and_projection_by_hand() {
        // Block 10:00-15:00 with 600 tokens and $6 used, burning 10 tokens a minute and $6 an hour.
        let s = 10 * HOUR_MS;
        let b = blocks(&[e(s, 300, 3_000_000_000_000), e(s + HOUR_MS, 300, 3_000_000_000_000)])[0];
        let r = Burn { tokens_per_minute: 10.0, cost_per_hour: 6e12 };
        // At 12:00, 180 minutes remain: 600 + 1,800 tokens, $6 + $18.
        let p = project(&b, Some(r), s + 2 * HOUR_MS);
        assert_eq!(p.tokens, 2_400.0);
        assert_eq!(p.cost, 24e12);
        // Without a rate the projection is what was used.
        let one = blocks(&[e(s, 300, 7)])[0];
        assert_eq!(project(&one, None, s).tokens, 300.0);
    }
}
