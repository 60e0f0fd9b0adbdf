//! The 5-hour blocks and the 7-day window, computed the way ccusage computes them (formats.md §1.7).
//!
//! A block starts at its first entry floored to the UTC hour and lasts five hours. The next entry
//! starts a new block when it is more than five hours after the block start or after the previous
//! entry. A block is active when `now` is before its end and less than five hours after its last
//! entry. Burn rate is measured over the first to the last entry; the projection runs it to the end.

use crate::event::{Entry, Totals};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const BLOCK_MS: i64 = 5 * HOUR_MS;
pub const WEEK_MS: i64 = 7 * 24 * HOUR_MS;

pub fn floor_hour(ts: i64) -> i64 {
    ts.div_euclid(HOUR_MS) * HOUR_MS
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub start: i64,
    pub first: i64,
    pub last: i64,
    pub totals: Totals,
}

impl Block {
    pub fn end(&self) -> i64 {
        self.start + BLOCK_MS
    }

    pub fn active(&self, now: i64) -> bool {
        now < self.end() && now - self.last < BLOCK_MS
    }

    /// Where the rule stands after this block, to resume it on later entries.
    pub fn chain(&self) -> Chain {
        Chain { start: self.start, last: self.last }
    }
}

/// The state the block rule needs from everything before: the current block's start and last entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chain {
    pub start: i64,
    pub last: i64,
}

impl Chain {
    /// Whether an entry at `ts` opens a new block.
    pub fn breaks_at(&self, ts: i64) -> bool {
        ts - self.start > BLOCK_MS || ts - self.last > BLOCK_MS
    }
}

/// Folds time-ordered entries into blocks, optionally continuing a chain that ended before them.
#[derive(Debug, Default)]
pub struct Blocks {
    pub blocks: Vec<Block>,
    prior: Option<Chain>,
    /// The first block continues the prior chain's block: its totals cover only the new entries.
    pub continues_prior: bool,
}

impl Blocks {
    pub fn after(prior: Option<Chain>) -> Blocks {
        Blocks { blocks: Vec::new(), prior, continues_prior: false }
    }

    pub fn push(&mut self, e: &Entry) {
        let chain = self.blocks.last().map(Block::chain).or(self.prior);
        let continues = chain.is_some_and(|c| !c.breaks_at(e.ts));
        match self.blocks.last_mut() {
            Some(b) if continues => {
                b.last = e.ts;
                b.totals.add_entry(e);
            }
            _ if continues => {
                // The first entry here continues a block that began before the entries we were given;
                // the caller owns that block's earlier part.
                let c = chain.unwrap();
                let mut totals = Totals::default();
                totals.add_entry(e);
                self.blocks.push(Block { start: c.start, first: e.ts, last: e.ts, totals });
                self.continues_prior = true;
            }
            _ => {
                let mut totals = Totals::default();
                totals.add_entry(e);
                self.blocks.push(Block { start: floor_hour(e.ts), first: e.ts, last: e.ts, totals });
            }
        }
    }
}

#[cfg(test)]
pub fn blocks(entries: &[Entry]) -> Vec<Block> {
    let mut b = Blocks::default();
    for e in entries {
        b.push(e);
    }
    b.blocks
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Burn {
    pub tokens_per_minute: f64,
    /// Pico-dollars per hour.
    pub cost_per_hour: f64,
}

/// Burn rate over the first to the last entry; none when they coincide.
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

/// Sums the entries in (from, to].
#[cfg(test)]
pub fn sum_between(entries: &[Entry], from: i64, to: i64) -> Totals {
    let mut t = Totals::default();
    for e in entries.iter().filter(|e| e.ts > from && e.ts <= to) {
        t.add_entry(e);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Sums;

    const T0: i64 = 1_770_912_147_718; // 2026-02-12T16:02:27.718Z

    fn e(ts: i64, tokens: u64, cost: u64) -> Entry {
        Entry { ts, model: 0, flags: 0, sums: Sums { input: tokens, cost, ..Sums::default() } }
    }

    #[test]
    fn floors_to_the_utc_hour() {
        assert_eq!(floor_hour(T0), 1_770_912_000_000); // 16:00:00Z
        assert_eq!(floor_hour(-1), -HOUR_MS);
    }

    #[test]
    fn block_breaks_after_five_hours_from_start_or_last_entry() {
        // 16:02, 20:59:53 (same block), 21:00:05 (more than 5 h after the 16:00 start: new block).
        let h = HOUR_MS;
        let es =
            [e(T0, 1, 0), e(T0 + 4 * h + 57 * MINUTE_MS + 26_084, 1, 0), e(T0 + 4 * h + 57 * MINUTE_MS + 37_839, 1, 0)];
        let b = blocks(&es);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].start, 1_770_912_000_000);
        assert_eq!(b[0].totals.entries, 2);
        assert_eq!(b[1].start, 1_770_930_000_000); // 21:00
        // A gap of more than 5 h after the last entry opens a block even inside 5 h of... the rule:
        let es = [e(0, 1, 0), e(5 * h + 1, 1, 0)];
        assert_eq!(blocks(&es).len(), 2);
        let es = [e(0, 1, 0), e(5 * h, 1, 0)];
        assert_eq!(blocks(&es).len(), 1, "exactly five hours still belongs");
    }

    #[test]
    fn activity() {
        let b = blocks(&[e(HOUR_MS + 10, 1, 0)])[0];
        assert!(b.active(HOUR_MS + 10));
        assert!(b.active(6 * HOUR_MS - 1));
        assert!(!b.active(6 * HOUR_MS), "ends at start + 5 h");
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
        // A single entry has no rate; the projection is what was used.
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

    #[test]
    fn week_is_half_open() {
        let now = WEEK_MS * 3;
        let es = [e(now - WEEK_MS, 1, 0), e(now - WEEK_MS + 1, 2, 0), e(now, 4, 0), e(now + 1, 8, 0)];
        let t = sum_between(&es, now - WEEK_MS, now);
        assert_eq!((t.entries, t.sums.input), (2, 6));
    }

    #[test]
    fn resumed_chain_continues_a_block() {
        let prior = blocks(&[e(HOUR_MS, 1, 0)])[0].chain();
        let mut b = Blocks::after(Some(prior));
        b.push(&e(2 * HOUR_MS, 2, 0));
        b.push(&e(7 * HOUR_MS, 4, 0));
        assert_eq!(b.blocks[0].start, HOUR_MS, "continues the earlier block");
        assert!(b.continues_prior);
        assert_eq!(b.blocks[1].start, 7 * HOUR_MS);
    }
}
