//! The 5-hour block rule, as ccusage computes it (docs/counting.md, Claude Code, 5): a block starts
//! at its first call floored to the UTC hour and lasts five hours; the next call starts a new block when it is more
//! than five hours after the block start or after the previous call. A block is active when `now` is
//! before its end and less than five hours after its last call.

use super::time::floor_hour;
use super::tokens::{Entry, Totals};
use super::window::Window;

pub const BLOCK_MS: i64 = 5 * super::time::HOUR_MS;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub start: i64,
    pub first: i64,
    pub last: i64,
    pub totals: Totals,
}

impl Block {
    pub fn end(&self) -> i64 {
        self.start + Window::FiveHour.len_ms()
    }

    pub fn active(&self, now: i64) -> bool {
        now < self.end() && now - self.last < BLOCK_MS
    }

    /// Where the rule stands after this block, to resume it on later calls.
    pub fn chain(&self) -> Chain {
        Chain { start: self.start, last: self.last }
    }
}

/// What the rule needs from everything before: the current block's start and last call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chain {
    pub start: i64,
    pub last: i64,
}

impl Chain {
    /// Whether a call at `ts` opens a new block.
    pub fn breaks_at(&self, ts: i64) -> bool {
        ts - self.start > BLOCK_MS || ts - self.last > BLOCK_MS
    }

    /// The chain a call at `ts` is in after `prev`: `prev`'s block, or one opened at its hour.
    pub fn after(prev: Option<Chain>, ts: i64) -> Chain {
        match prev {
            Some(c) if !c.breaks_at(ts) => Chain { start: c.start, last: ts },
            _ => Chain { start: floor_hour(ts), last: ts },
        }
    }
}

/// Folds time-ordered calls into blocks, optionally continuing a chain that ended before them.
#[derive(Debug, Default)]
pub struct Blocks {
    pub blocks: Vec<Block>,
    prior: Option<Chain>,
    /// The first block continues the prior chain's block: its totals cover only the new calls.
    pub continues_prior: bool,
}

impl Blocks {
    pub fn after(prior: Option<Chain>) -> Blocks {
        Blocks { blocks: Vec::new(), prior, continues_prior: false }
    }

    pub fn push(&mut self, e: &Entry) {
        let chain = self.blocks.last().map(Block::chain).or(self.prior);
        let continues = chain.is_some_and(|c| !c.breaks_at(e.ts));
        let mut totals = Totals::default();
        totals.add_entry(e);
        match (self.blocks.last_mut(), chain) {
            (Some(b), _) if continues => {
                b.last = e.ts;
                b.totals.add_entry(e);
            }
            // The first call here continues a block that began before the calls we were given; the
            // caller owns that block's earlier part.
            (None, Some(c)) if continues => {
                self.blocks.push(Block { start: c.start, first: e.ts, last: e.ts, totals });
                self.continues_prior = true;
            }
            _ => self.blocks.push(Block { start: Chain::after(None, e.ts).start, first: e.ts, last: e.ts, totals }),
        }
    }
}

/// The blocks of time-ordered calls.
#[cfg(test)]
pub fn blocks(entries: &[Entry]) -> Vec<Block> {
    let mut b = Blocks::default();
    for e in entries {
        b.push(e);
    }
    b.blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::{HOUR_MS, MINUTE_MS};
    use crate::ground::tokens::Sums;

    const T0: i64 = 1_770_912_147_718; // 2026-02-12T16:02:27.718Z

    #[test]
    fn a_call_continues_the_chain_or_opens_a_block_at_its_hour() {
        let h16 = T0 - 2 * MINUTE_MS - 27_718; // 16:00
        let first = Chain::after(None, T0);
        assert_eq!(first, Chain { start: h16, last: T0 });
        // 4h58m later, within five hours of the start and of the last call: the same block.
        let next = Chain::after(Some(first), h16 + 4 * HOUR_MS + 58 * MINUTE_MS);
        assert_eq!(next.start, h16);
        // At 21:00:01, five hours and a second after the start: a block from 21:00.
        assert_eq!(Chain::after(Some(next), h16 + 5 * HOUR_MS + 1_000).start, h16 + 5 * HOUR_MS);
    }

    fn e(ts: i64) -> Entry {
        Entry { ts, file: 0, model: 0, flags: 0, sums: Sums { input: 1, ..Sums::default() } }
    }

    #[test]
    fn block_breaks_after_five_hours_from_start_or_last_entry() {
        // 16:02, 20:59:53 (same block), 21:00:05 (more than 5 h after the 16:00 start: new block).
        let h = HOUR_MS;
        let es = [e(T0), e(T0 + 4 * h + 57 * MINUTE_MS + 26_084), e(T0 + 4 * h + 57 * MINUTE_MS + 37_839)];
        let b = blocks(&es);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].start, 1_770_912_000_000);
        assert_eq!(b[0].totals.entries, 2);
        assert_eq!(b[1].start, 1_770_930_000_000); // 21:00
        assert_eq!(blocks(&[e(0), e(5 * h + 1)]).len(), 2, "a gap of more than 5 h");
        assert_eq!(blocks(&[e(0), e(5 * h)]).len(), 1, "exactly five hours still belongs");
    }

    #[test]
    fn activity() {
        let b = blocks(&[e(HOUR_MS + 10)])[0];
        assert!(b.active(HOUR_MS + 10));
        assert!(b.active(6 * HOUR_MS - 1));
        assert!(!b.active(6 * HOUR_MS), "ends at start + 5 h");
    }

    #[test]
    fn resumed_chain_continues_a_block() {
        let prior = blocks(&[e(HOUR_MS)])[0].chain();
        let mut b = Blocks::after(Some(prior));
        b.push(&e(2 * HOUR_MS));
        b.push(&e(7 * HOUR_MS));
        assert_eq!(b.blocks[0].start, HOUR_MS, "continues the earlier block");
        assert!(b.continues_prior);
        assert_eq!(b.blocks[1].start, 7 * HOUR_MS);
    }
}
