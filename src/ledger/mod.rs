//! The ledger: a read-only view of one provider's counted calls, as the base holds them with the
//! pending adjustments folded in once. It answers what the forecast and the reports ask (sums over a
//! time range, the blocks up to an instant, the first call after an instant, the unpriced models) and
//! nothing else; it never writes.
//!
//! Its answers are plain values. A read that fails (an I/O error, a damaged page) is recorded as the
//! ledger's fault and answered with nothing; whoever asked must check `fault()` before showing a
//! figure, so that a damaged cache means a rebuild, never a different number.

use std::cell::RefCell;
use std::io;

use crate::ground::block::{Block, Blocks};
use crate::ground::provider::Provider;
use crate::ground::time::WEEK_MS;
use crate::ground::tokens::{ASSUMED, Entry, Pico, Totals, UNPRICED};
use crate::store::base::Base;
use crate::store::state::State;

pub struct Ledger<'a> {
    p: Provider,
    base: Option<&'a Base>,
    /// Base rows that no longer count, and what they contributed.
    removed: Vec<(u32, Entry)>,
    /// Sorted: looked up by binary search (a hash per row cost a report over the whole history
    /// more than reading it).
    removed_rows: Vec<u32>,
    /// Calls that count and are not base rows, by time.
    added: Vec<Entry>,
    models: &'a [String],
    fault: RefCell<Option<String>>,
}

/// Blocks up to an instant: those kept from the base as they were (summarised) and those recomputed.
#[derive(Debug, Default)]
pub struct BlockView {
    /// The last block kept from the base; every kept block is completed.
    pub before: Option<Block>,
    /// The blocks recomputed from the first one later records can touch, oldest first.
    pub fresh: Vec<Block>,
    /// Largest (tokens, cost) among the kept blocks.
    pub max_kept: Option<(u64, Pico)>,
    /// Kept blocks of `MEANINGFUL_CALLS` calls or more.
    pub meaningful_kept: usize,
}

/// A block with fewer calls than this (a few calls before a gap) says nothing about a limit.
pub const MEANINGFUL_CALLS: u64 = 10;

impl BlockView {
    /// The latest block with calls at or before the instant.
    pub fn current(&self) -> Option<&Block> {
        self.fresh.last().or(self.before.as_ref())
    }

    /// Largest (tokens, cost) of any block completed at `now`.
    pub fn largest_completed(&self, now: i64) -> Option<(u64, Pico)> {
        let mut best = self.max_kept;
        let n = self.fresh.len();
        for (i, b) in self.fresh.iter().enumerate() {
            if i + 1 == n && b.active(now) {
                continue;
            }
            let v = (b.totals.sums.total(), b.totals.sums.cost);
            best = Some(best.map_or(v, |(t, c)| (t.max(v.0), c.max(v.1))));
        }
        best
    }

    /// Completed blocks at `now` of `MEANINGFUL_CALLS` calls or more: how much a learned limit stands on.
    pub fn meaningful_completed(&self, now: i64) -> usize {
        let n = self.fresh.len();
        let fresh = self
            .fresh
            .iter()
            .enumerate()
            .filter(|(i, b)| !(i + 1 == n && b.active(now)) && b.totals.entries >= MEANINGFUL_CALLS);
        self.meaningful_kept + fresh.count()
    }
}

impl<'a> Ledger<'a> {
    /// The ledger of `p` over a base and the state that extends it.
    pub fn new(p: Provider, base: Option<&'a Base>, state: &'a State) -> Ledger<'a> {
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        for a in state.adj.iter().filter(|a| a.provider == p) {
            removed.extend_from_slice(&a.removed);
            added.extend_from_slice(&a.added);
        }
        added.sort_by_key(|e| e.ts);
        let mut removed_rows: Vec<u32> = removed.iter().map(|(row, _)| *row).collect();
        removed_rows.sort_unstable();
        Ledger { p, base, removed, removed_rows, added, models: &state.models, fault: RefCell::new(None) }
    }

    fn removed(&self, row: u32) -> bool {
        !self.removed_rows.is_empty() && self.removed_rows.binary_search(&row).is_ok()
    }

    pub fn provider(&self) -> Provider {
        self.p
    }

    /// Why a read failed, if one did: every figure since is suspect.
    pub fn fault(&self) -> Option<String> {
        self.fault.borrow().clone()
    }

    fn ok<T: Default>(&self, r: io::Result<T>) -> T {
        r.unwrap_or_else(|e| {
            self.fault.borrow_mut().get_or_insert_with(|| format!("cache read failed: {e}"));
            T::default()
        })
    }

    pub fn model_name(&self, id: u16) -> &str {
        self.models.get(id as usize).map_or("?", String::as_str)
    }

    /// The counted calls with `from < ts <= to`.
    pub fn sum_between(&self, from: i64, to: i64) -> Totals {
        let mut t = Totals::default();
        if let Some(base) = self.base {
            let r = (|| -> io::Result<Totals> {
                let (hi, lo) = (base.rows_upto(self.p, to)?, base.rows_upto(self.p, from)?);
                Ok(Totals {
                    entries: u64::from(hi.saturating_sub(lo)),
                    sums: base.cum(self.p, hi)? - base.cum(self.p, lo)?,
                })
            })();
            t = self.ok(r);
        }
        for (_, e) in self.removed.iter().filter(|(_, e)| e.ts > from && e.ts <= to) {
            t = t - Totals { entries: 1, sums: e.sums };
        }
        for e in self.added.iter().filter(|e| e.ts > from && e.ts <= to) {
            t.add_entry(e);
        }
        t
    }

    /// Every counted call up to `now`.
    pub fn counted(&self, now: i64) -> u64 {
        self.sum_between(i64::MIN, now).entries
    }

    /// The rolling seven days ending at `now`.
    pub fn week(&self, now: i64) -> Totals {
        self.sum_between(now - WEEK_MS, now)
    }

    /// The block picture at `now`: blocks are taken from the base up to the first one the pending
    /// adjustments can touch, and recomputed from there on.
    pub fn blocks_at(&self, now: i64) -> BlockView {
        let Some(base) = self.base else {
            let mut b = Blocks::default();
            for e in self.added.iter().filter(|e| e.ts <= now) {
                b.push(e);
            }
            return BlockView { before: None, fresh: b.blocks, max_kept: None, meaningful_kept: 0 };
        };
        let r = self.blocks_in(base, now);
        self.ok(r)
    }

    fn blocks_in(&self, base: &Base, now: i64) -> io::Result<BlockView> {
        let p = self.p;
        let n = base.rows_upto(p, now)?;
        let removed: Vec<&(u32, Entry)> = self.removed.iter().filter(|(row, _)| *row < n).collect();
        let added: Vec<Entry> = self.added.iter().filter(|e| e.ts <= now).copied().collect();
        let earliest = added.iter().chain(removed.iter().map(|(_, e)| e)).map(|e| e.ts).min().unwrap_or(i64::MAX);
        let cut = earliest.min(now.saturating_add(1));
        let blocks = &base.blocks[p.index()];
        // Blocks before `k - 1` end before anything that changed; block `k - 1` and later are redone.
        let k = blocks.partition_point(|b| b.block.start < cut);
        let (kept, from) = if k == 0 { (0, 0) } else { (k - 1, blocks[k - 1].first_row.min(n)) };
        // Unless nothing the base holds changed and `now` is past its last call: then its last block
        // is as the base has it, and the pending calls can only continue it or follow it. No row is
        // read (a block of 100k calls was 25 ms of every prompt).
        let whole = blocks.partition_point(|b| b.block.start <= now);
        let (mut kept, from, last) = match whole.checked_sub(1).map(|i| &blocks[i]) {
            Some(last)
                if removed.is_empty()
                    && last.last_row.checked_add(1) == Some(n)
                    && added.iter().all(|e| e.ts > last.block.last) =>
            {
                (whole - 1, n, Some(last.block))
            }
            _ => (kept, from, None),
        };
        let rows = base.read_rows(p, from, n)?;
        let mut prev = base.cum(p, from)?;
        let mut entries: Vec<Entry> = Vec::with_capacity(rows.len() + added.len());
        for (i, row) in rows.iter().enumerate() {
            if !self.removed(from + i as u32) {
                entries.push(row.entry(prev));
            }
            prev = row.cum;
        }
        entries.extend(added);
        entries.sort_by_key(|e| e.ts);
        let prior = if kept == 0 { None } else { Some(blocks[kept - 1].block.chain()) };
        let mut tail = Blocks::after(prior);
        tail.blocks.extend(last);
        for e in &entries {
            tail.push(e);
        }
        let mut fresh = tail.blocks;
        if tail.continues_prior && kept > 0 {
            // Cannot happen with the block rule (a kept block ends before the first changed call), but
            // stays correct if it did: the last kept block and the first fresh one are one block.
            kept -= 1;
            let last = blocks[kept].block;
            if let Some(first) = fresh.first_mut() {
                first.start = last.start;
                first.first = last.first;
                first.totals = last.totals + first.totals;
            }
        }
        let max_kept = kept.checked_sub(1).map(|i| (blocks[i].max_tokens, blocks[i].max_cost));
        let meaningful_kept = blocks[..kept].iter().filter(|b| b.block.totals.entries >= MEANINGFUL_CALLS).count();
        Ok(BlockView { before: kept.checked_sub(1).map(|i| blocks[i].block), fresh, max_kept, meaningful_kept })
    }

    /// The time of the first counted call after `t` (and at or before `until`).
    pub fn first_after(&self, t: i64, until: i64) -> Option<i64> {
        let mut best = self.added.iter().map(|e| e.ts).find(|&ts| ts > t && ts <= until);
        if let Some(base) = self.base {
            // `t` between two of the base's blocks (where the account's window walk asks, at the end
            // of a window): the next call is the next block's first, known without reading a row.
            // With five devices' hours that walk asked five times, 153k instructions of the 295k the
            // sync folder cost a warm prompt (callgrind), each a search through pages of rows.
            let blocks = &base.blocks[self.p.index()];
            let k = blocks.partition_point(|b| b.block.first <= t);
            if let Some(next) = blocks.get(k).filter(|n| !self.removed(n.first_row))
                && (k == 0 || blocks[k - 1].block.last <= t)
            {
                let ts = Some(next.block.first).filter(|&ts| ts <= until);
                return [best, ts].into_iter().flatten().min();
            }
            let r = (|| -> io::Result<Option<i64>> {
                let mut i = base.rows_upto(self.p, t)?;
                while i < base.rows[self.p.index()] {
                    let row = base.row(self.p, i)?;
                    if row.ts > until || best.is_some_and(|b| row.ts >= b) {
                        break;
                    }
                    if !self.removed(i) {
                        return Ok(Some(row.ts));
                    }
                    i += 1;
                }
                Ok(best)
            })();
            best = self.ok(r);
        }
        best
    }

    /// The counted calls with `from < ts <= to`, oldest first.
    pub fn entries_between(&self, from: i64, to: i64) -> Vec<Entry> {
        let mut out = Vec::new();
        self.each_between(from, to, |e| out.push(*e));
        out
    }

    /// Calls `f` with each counted call with `from < ts <= to`, oldest first, reading the base a
    /// chunk at a time: a report over the whole history never holds it all (97k calls held were
    /// 16 MB of rows and entries, and their page faults most of the time).
    pub fn each_between(&self, from: i64, to: i64, mut f: impl FnMut(&Entry)) {
        // 1024 rows (72 KiB) a read: the buffer is reused, and stays in the CPU's cache.
        const CHUNK: u32 = 1024;
        let added: Vec<&Entry> = self.added.iter().filter(|e| e.ts > from && e.ts <= to).collect();
        let mut next = 0;
        if let Some(base) = self.base {
            let r = (|| -> io::Result<()> {
                let (lo, hi) = (base.rows_upto(self.p, from)?, base.rows_upto(self.p, to)?);
                let mut prev = base.cum(self.p, lo)?;
                let mut at = lo;
                while at < hi {
                    let end = hi.min(at.saturating_add(CHUNK));
                    let mut i = at;
                    base.each_row(self.p, at, end, |row| {
                        let e = row.entry(prev);
                        prev = row.cum;
                        i += 1;
                        if self.removed(i - 1) {
                            return;
                        }
                        // Added calls at the same instant come after the base's (a stable order).
                        while next < added.len() && added[next].ts < e.ts {
                            f(added[next]);
                            next += 1;
                        }
                        f(&e);
                    })?;
                    at = end;
                }
                Ok(())
            })();
            self.ok(r);
        }
        for e in &added[next..] {
            f(e);
        }
    }

    /// Names of the models without a price used in `from < ts <= to`.
    pub fn unpriced_between(&self, from: i64, to: i64) -> Vec<String> {
        self.flagged_between(from, to, false)
    }

    /// Names of the models priced as their family's newest, used in `from < ts <= to`.
    pub fn assumed_between(&self, from: i64, to: i64) -> Vec<String> {
        self.flagged_between(from, to, true)
    }

    fn flagged_between(&self, from: i64, to: i64, assumed: bool) -> Vec<String> {
        let flag = if assumed { ASSUMED } else { UNPRICED };
        let mut ids: Vec<u16> = Vec::new();
        if let Some(base) = self.base {
            let used = base
                .unpriced
                .iter()
                .filter(|u| u.provider == self.p && u.assumed == assumed && u.last > from && u.first <= to);
            ids.extend(used.map(|u| u.model));
        }
        let added = self.added.iter().filter(|e| e.flags & flag != 0 && e.ts > from && e.ts <= to);
        ids.extend(added.map(|e| e.model));
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|m| self.model_name(m).to_owned()).collect()
    }
}

#[cfg(test)]
mod tests;
