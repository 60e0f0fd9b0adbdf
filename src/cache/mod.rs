//! The persistent cache: one directory per set of roots, holding
//!
//! - `state`: the small file rewritten on every change (file table, records read since compaction, and
//!   how they change the base), and
//! - `base-<gen>`: the compacted, read-only file of records, counted calls and blocks.
//!
//! Writes go to a temporary file and are renamed into place, under an exclusive lock that is only
//! ever tried, never waited for: an invocation that finds it held serves the last good state.
//!
//! Every read of either file is checked; a missing, truncated, corrupt or older-version cache is
//! discarded and rebuilt from the transcripts, which are the only source of truth.

pub mod base;
pub mod state;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base::{Base, Built, NONE};
use state::{Adj, Depth, State};

use crate::dedup;
use crate::event::{Entry, Provider, Rec, Totals};
use crate::window::{self, Block, WEEK_MS};

const STATE: &str = "state";
const LOCK: &str = "lock";

/// Compact once this many records were read since the last compaction...
const MAX_DELTA: usize = 1024;

/// `RUNWAY_MAX_DELTA` lowers the threshold so tests cross many compactions; not a user setting.
fn max_delta() -> usize {
    std::env::var("RUNWAY_MAX_DELTA").ok().and_then(|v| v.parse().ok()).unwrap_or(MAX_DELTA)
}
/// ...or when a query would have to re-walk more rows than this.
const MAX_REGION: u32 = 8192;

fn base_name(gen_: u64) -> String {
    format!("base-{gen_:016x}")
}

/// A generation number unique across rebuilds, so a reader holding an old state can never open a new
/// file by the old name and take it for the one it expects.
fn new_gen() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static BUMP: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    (t.wrapping_add(BUMP.fetch_add(2, Ordering::Relaxed))) | 1
}

pub struct Db {
    pub dir: PathBuf,
    pub state: State,
    pub base: Option<Base>,
    pub price_hash: u64,
    /// Why an existing cache was discarded, if it was.
    pub discarded: Option<String>,
}

/// New records from one file.
pub struct Update {
    pub file: u32,
    /// Drop everything this file contributed before (it was truncated, replaced, or is gone).
    pub drop_old: bool,
    pub recs: Vec<Rec>,
    pub obs: Vec<state::Observation>,
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader sees the old file or the new one, never half of one. No fsync: this is a cache, and a file
/// damaged by a crash fails its checksum and is rebuilt.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(".{name}.{}.{nanos}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

impl Db {
    /// Loads the cache in `dir`. Never fails: whatever cannot be trusted is replaced by an empty state,
    /// which the next update rebuilds.
    pub fn open(dir: &Path, price_hash: u64, depth: Depth) -> Db {
        let mut db = Db { dir: dir.to_path_buf(), state: State::empty(), base: None, price_hash, discarded: None };
        db.reload(depth);
        db
    }

    pub fn reload(&mut self, depth: Depth) {
        self.discarded = None;
        // A concurrent compaction may delete the base our state names between the two reads; the new
        // state then names a new base, so read both again.
        for _ in 0..3 {
            let st = match State::read(&self.dir, self.price_hash, depth) {
                Ok(Ok(st)) => st,
                Ok(Err(_)) => {
                    self.discard("state is corrupt, truncated, incomplete, or from another version".into());
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    self.state = State::empty();
                    self.base = None;
                    return;
                }
                Err(e) => {
                    self.discard(format!("cannot read the state file: {e}"));
                    return;
                }
            };
            if st.base_gen == 0 {
                self.discard("state file names no base".into());
                return;
            }
            if self.base.as_ref().is_some_and(|b| b.gen_ == st.base_gen) {
                self.state = st;
                return;
            }
            match Base::open(&self.dir.join(base_name(st.base_gen)), st.base_gen, self.price_hash) {
                Ok(b) => {
                    self.state = st;
                    self.base = Some(b);
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => {
                    self.discard(format!("base file is unusable: {e}"));
                    return;
                }
            }
        }
        self.discard("base file keeps disappearing".into());
    }

    fn discard(&mut self, why: String) {
        crate::log::warn(&format!("cache {}: {why}; rebuilding", self.dir.display()));
        self.discarded = Some(why);
        self.state = State::empty();
        self.base = None;
    }

    /// Tries to take the writer's lock without waiting. `None` means another invocation holds it.
    pub fn try_lock(&self) -> io::Result<Option<File>> {
        create_private_dir(&self.dir)?;
        let f = OpenOptions::new().create(true).truncate(false).write(true).open(self.dir.join(LOCK))?;
        match f.try_lock() {
            Ok(()) => Ok(Some(f)),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }

    /// Applies new records: drops what re-read or vanished files contributed, keeps the best line per
    /// key within each file, and re-decides which lines count for every response touched.
    pub fn apply(&mut self, updates: &[Update]) -> io::Result<()> {
        let dropped: HashSet<u32> = updates.iter().filter(|u| u.drop_old).map(|u| u.file).collect();
        let mut affected: BTreeSet<u64> = BTreeSet::new();
        let mut dead: BTreeSet<u32> = self.state.dead.iter().copied().collect();
        let mut members: HashMap<u64, Vec<(u32, Rec, u32)>> = HashMap::new();

        self.state.delta.retain(|r| {
            let keep = !dropped.contains(&r.file);
            if !keep {
                affected.insert(r.msg);
            }
            keep
        });
        if let Some(base) = &self.base {
            for &f in &dropped {
                for idx in base.records_of_file(f)? {
                    if dead.insert(idx) {
                        let (r, _) = base.record(idx)?;
                        affected.insert(r.msg);
                    }
                }
            }
        }

        let mut by_file_key: HashMap<(u32, u64), usize> =
            self.state.delta.iter().enumerate().map(|(i, r)| ((r.file, r.key), i)).collect();
        for u in updates {
            for r in &u.recs {
                affected.insert(r.msg);
                if let Some(&i) = by_file_key.get(&(r.file, r.key)) {
                    if dedup::better(r, &self.state.delta[i]).is_gt() {
                        self.state.delta[i] = *r;
                    }
                    continue;
                }
                if let (false, Some(base)) = (u.drop_old, &self.base) {
                    if let std::collections::hash_map::Entry::Vacant(v) = members.entry(r.msg) {
                        v.insert(base.records_of_msg(r.msg)?);
                    }
                    let m = &members[&r.msg];
                    let same =
                        m.iter().find(|(idx, old, _)| old.file == r.file && old.key == r.key && !dead.contains(idx));
                    if let Some((idx, old, _)) = same {
                        if dedup::better(r, old).is_le() {
                            continue;
                        }
                        dead.insert(*idx);
                    }
                }
                by_file_key.insert((r.file, r.key), self.state.delta.len());
                self.state.delta.push(*r);
            }
        }

        if self.base.is_none() {
            // Nothing to adjust: the first compaction builds the base from these records whole.
            self.state.dead = dead.into_iter().collect();
            self.observe(&dropped, updates);
            return Ok(());
        }
        let mut delta_by_msg: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, r) in self.state.delta.iter().enumerate() {
            if affected.contains(&r.msg) {
                delta_by_msg.entry(r.msg).or_default().push(i);
            }
        }
        for &m in &affected {
            let base_all = match (&self.base, members.remove(&m)) {
                (_, Some(v)) => v,
                (Some(b), None) => b.records_of_msg(m)?,
                (None, None) => Vec::new(),
            };
            let adj = self.resolve(m, &base_all, &dead, delta_by_msg.get(&m).map_or(&[][..], Vec::as_slice));
            match self.state.adj.binary_search_by_key(&m, |a| a.msg) {
                Ok(i) => match adj {
                    Some(a) => self.state.adj[i] = a,
                    None => {
                        self.state.adj.remove(i);
                    }
                },
                Err(i) => {
                    if let Some(a) = adj {
                        self.state.adj.insert(i, a);
                    }
                }
            }
        }
        self.state.dead = dead.into_iter().collect();
        self.observe(&dropped, updates);
        Ok(())
    }

    /// Observations follow their files: dropped with them, added once, the newest kept.
    fn observe(&mut self, dropped: &HashSet<u32>, updates: &[Update]) {
        let obs = &mut self.state.observations;
        obs.retain(|o| !dropped.contains(&o.file));
        let id = |o: &state::Observation| {
            (o.file, o.provider, o.kind as u8, o.window as u8, o.used_percent.to_bits(), o.resets_at, o.at)
        };
        let mut have: HashSet<_> = obs.iter().map(id).collect();
        for u in updates {
            for o in &u.obs {
                if have.insert(id(o)) {
                    obs.push(*o);
                }
            }
        }
        obs.sort_by(|a, b| a.at.cmp(&b.at).then(a.file.cmp(&b.file)).then(a.resets_at.cmp(&b.resets_at)));
        // Of the readings of one window (one reset time) only the newest is worth keeping: Codex
        // writes one with every call. Then at most KEEP_OBS windows or notices each.
        let mut newest_of_window: HashSet<(Provider, u8, i64)> = HashSet::new();
        let mut seen: HashMap<(Provider, u8, u8), usize> = HashMap::new();
        let mut keep = vec![true; obs.len()];
        for (i, o) in obs.iter().enumerate().rev() {
            if o.kind == state::ObsKind::Reading && !newest_of_window.insert((o.provider, o.window as u8, o.resets_at))
            {
                keep[i] = false;
                continue;
            }
            let n = seen.entry((o.provider, o.kind as u8, o.window as u8)).or_default();
            *n += 1;
            keep[i] = *n <= state::KEEP_OBS;
        }
        let mut i = 0;
        obs.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }

    /// How response `m` counts now, against how the base counted it.
    fn resolve(&self, m: u64, base_all: &[(u32, Rec, u32)], dead: &BTreeSet<u32>, delta_idx: &[usize]) -> Option<Adj> {
        let live: Vec<&(u32, Rec, u32)> = base_all.iter().filter(|(i, _, _)| !dead.contains(i)).collect();
        let mut recs: Vec<Rec> = live.iter().map(|(_, r, _)| *r).collect();
        recs.extend(delta_idx.iter().map(|&i| self.state.delta[i]));
        let winners = dedup::resolve(&recs);
        let provider = recs.first().or(base_all.first().map(|(_, r, _)| r)).map(|r| r.provider)?;
        let mut kept_rows = HashSet::new();
        let mut added = Vec::new();
        for w in winners {
            if w < live.len() && live[w].2 != NONE {
                kept_rows.insert(live[w].2);
            } else {
                added.push(recs[w].entry());
            }
        }
        let removed: Vec<(u32, Entry)> = base_all
            .iter()
            .filter(|(_, _, row)| *row != NONE && !kept_rows.contains(row))
            .map(|(_, r, row)| (*row, r.entry()))
            .collect();
        if removed.is_empty() && added.is_empty() {
            return None;
        }
        Some(Adj { msg: m, provider: Provider::from_u8(provider).unwrap_or(Provider::Claude), removed, added })
    }

    /// Whether the records read since the last compaction should be folded into a new base.
    pub fn needs_compaction(&self) -> bool {
        let Some(base) = &self.base else { return true };
        if self.state.delta.len() > max_delta() || self.state.dead.len() > max_delta() {
            return true;
        }
        Provider::ALL.iter().any(|&p| {
            let (removed, added) = self.adjustments(p);
            let earliest = removed.iter().map(|(_, e)| e.ts).chain(added.iter().map(|e| e.ts)).min();
            earliest.is_some_and(|t| {
                let blocks = &base.blocks[p as usize];
                let k = blocks.partition_point(|b| b.block.start < t);
                let from = if k == 0 { 0 } else { blocks[k - 1].first_row };
                base.rows[p as usize] - from > MAX_REGION
            })
        })
    }

    /// Builds a new base from every live record.
    pub fn compact(&self) -> io::Result<Built> {
        let mut recs = match &self.base {
            Some(b) => {
                let dead: HashSet<u32> = self.state.dead.iter().copied().collect();
                let mut all = b.all_records()?;
                let mut i = 0u32;
                all.retain(|_| {
                    let keep = !dead.contains(&i);
                    i += 1;
                    keep
                });
                all
            }
            None => Vec::new(),
        };
        recs.extend_from_slice(&self.state.delta);
        Ok(base::build(recs))
    }

    /// Writes the state, and first a new base or cold file when there is one. Call with the lock held.
    pub fn commit(&mut self, built: Option<Built>, wall_ms: i64) -> io::Result<()> {
        if !self.state.writable() {
            return Err(io::Error::other("refusing to write a partially read state"));
        }
        create_private_dir(&self.dir)?;
        if let Some(b) = built {
            let gen_ = new_gen();
            let path = self.dir.join(base_name(gen_));
            write_atomic(&path, &base::encode(&b, gen_, self.price_hash))?;
            self.state.base_gen = gen_;
            self.state.delta.clear();
            self.state.dead.clear();
            self.state.adj.clear();
            self.base = Some(Base::open(&path, gen_, self.price_hash)?);
        }
        self.state.written_at = wall_ms;
        let wall_ns = wall_ms.saturating_mul(1_000_000);
        let (files_since, dirs_since) = (wall_ns - crate::scan::HOT_FILE_NS, wall_ns - crate::scan::HOT_DIR_NS);
        let enc = self.state.encode(self.price_hash, files_since, dirs_since, new_gen());
        if let Some((g, bytes)) = &enc.cold {
            write_atomic(&self.dir.join(state::cold_name(*g)), bytes)?;
        }
        write_atomic(&self.dir.join(STATE), &enc.state)?;
        self.remove_stale();
        Ok(())
    }

    /// Deletes bases and cold files the state no longer names. Readers without the lock never open a
    /// cold file, and a reader whose base vanishes reads the state again.
    fn remove_stale(&self) {
        let keep_base = base_name(self.state.base_gen);
        let keep_cold = state::cold_name(self.state.cold.gen_);
        let Ok(rd) = fs::read_dir(&self.dir) else { return };
        for e in rd.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let stale_tmp = name.ends_with(".tmp")
                && e.metadata()
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|a| a.as_secs() > 600);
            let stale_base = name.starts_with("base-") && *name != keep_base;
            let stale_cold = name.starts_with("cold-") && *name != keep_cold;
            if stale_base || stale_cold || stale_tmp {
                let _ = fs::remove_file(e.path());
            }
        }
    }

    /// The adjustments of one provider: base rows that no longer count, and calls that count now.
    pub fn adjustments(&self, p: Provider) -> (Vec<(u32, Entry)>, Vec<Entry>) {
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        for a in self.state.adj.iter().filter(|a| a.provider == p) {
            removed.extend_from_slice(&a.removed);
            added.extend_from_slice(&a.added);
        }
        (removed, added)
    }

    /// Sums the counted calls with `from < ts <= to`.
    pub fn sum_between(&self, p: Provider, from: i64, to: i64) -> io::Result<Totals> {
        let Some(base) = &self.base else {
            return Ok(Totals::default());
        };
        let (hi, lo) = (base.rows_upto(p, to)?, base.rows_upto(p, from)?);
        let mut t = Totals { entries: u64::from(hi.saturating_sub(lo)), sums: base.cum(p, hi)? - base.cum(p, lo)? };
        let (removed, added) = self.adjustments(p);
        for (_, e) in removed.iter().filter(|(_, e)| e.ts > from && e.ts <= to) {
            t = t - Totals { entries: 1, sums: e.sums };
        }
        for e in added.iter().filter(|e| e.ts > from && e.ts <= to) {
            t.add_entry(e);
        }
        Ok(t)
    }

    /// The block picture at `now`: blocks are taken from the base up to the first one the records read
    /// since compaction can touch, and recomputed from there on.
    pub fn blocks_at(&self, p: Provider, now: i64) -> io::Result<BlockView> {
        let Some(base) = &self.base else {
            return Ok(BlockView::default());
        };
        let (removed, added) = self.adjustments(p);
        let n = base.rows_upto(p, now)?;
        let removed: Vec<(u32, Entry)> = removed.into_iter().filter(|(row, _)| *row < n).collect();
        let added: Vec<Entry> = added.into_iter().filter(|e| e.ts <= now).collect();
        let earliest = added.iter().chain(removed.iter().map(|(_, e)| e)).map(|e| e.ts).min().unwrap_or(i64::MAX);
        let removed: HashSet<u32> = removed.into_iter().map(|(row, _)| row).collect();
        let cut = earliest.min(now.saturating_add(1));
        let blocks = &base.blocks[p as usize];
        // Blocks before `k - 1` end before anything that changed; block `k - 1` and later are redone.
        let k = blocks.partition_point(|b| b.block.start < cut);
        let (kept, from) = if k == 0 { (0, 0) } else { (k - 1, blocks[k - 1].first_row.min(n)) };
        let rows = base.read_rows(p, from, n)?;
        let mut prev = base.cum(p, from)?;
        let mut entries: Vec<Entry> = Vec::with_capacity(rows.len() + added.len());
        for (i, row) in rows.iter().enumerate() {
            if !removed.contains(&(from + i as u32)) {
                entries.push(base::entry_of(row, prev));
            }
            prev = row.cum;
        }
        entries.extend(added);
        entries.sort_by_key(|e| e.ts);
        let prior = if kept == 0 { None } else { Some(blocks[kept - 1].block.chain()) };
        let mut tail = window::Blocks::after(prior);
        for e in &entries {
            tail.push(e);
        }
        let mut kept = kept;
        let mut fresh = tail.blocks;
        if tail.continues_prior && kept > 0 {
            // Cannot happen with the block rule (see window.rs), but stays correct if it did: the
            // last kept block and the first fresh one are one block.
            kept -= 1;
            let last = blocks[kept].block;
            if let Some(first) = fresh.first_mut() {
                first.start = last.start;
                first.first = last.first;
                first.totals = last.totals + first.totals;
            }
        }
        let max_kept = kept.checked_sub(1).map(|i| (blocks[i].max_tokens, blocks[i].max_cost));
        Ok(BlockView { before: kept.checked_sub(1).map(|i| blocks[i].block), fresh, max_kept })
    }

    /// The time of the first counted call after `t` (and at or before `until`).
    pub fn first_after(&self, p: Provider, t: i64, until: i64) -> io::Result<Option<i64>> {
        let Some(base) = &self.base else { return Ok(None) };
        let (removed, added) = self.adjustments(p);
        let removed: HashSet<u32> = removed.into_iter().map(|(row, _)| row).collect();
        let mut best = added.iter().map(|e| e.ts).filter(|&ts| ts > t && ts <= until).min();
        let mut i = base.rows_upto(p, t)?;
        while i < base.rows[p as usize] {
            let row = base.row(p, i)?;
            if row.ts > until || best.is_some_and(|b| row.ts >= b) {
                break;
            }
            if !removed.contains(&i) {
                best = Some(row.ts);
                break;
            }
            i += 1;
        }
        Ok(best)
    }

    /// Model ids without a price used in `from < ts <= to`.
    pub fn unpriced_between(&self, p: Provider, from: i64, to: i64) -> Vec<u16> {
        let mut out: Vec<u16> = Vec::new();
        if let Some(base) = &self.base {
            for u in base.unpriced.iter().filter(|u| u.provider == p && u.last > from && u.first <= to) {
                out.push(u.model);
            }
        }
        let (_, added) = self.adjustments(p);
        for e in added.iter().filter(|e| e.flags & crate::event::UNPRICED != 0 && e.ts > from && e.ts <= to) {
            out.push(e.model);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every counted call of a provider up to `now`, for checks and the naive comparison in tests.
    pub fn counted(&self, p: Provider, now: i64) -> io::Result<u64> {
        Ok(self.sum_between(p, i64::MIN, now)?.entries)
    }

    /// Week totals ending at `now`.
    pub fn week(&self, p: Provider, now: i64) -> io::Result<Totals> {
        self.sum_between(p, now - WEEK_MS, now)
    }
}

/// Blocks up to `now`: those kept from the base as they were (summarised) and those recomputed.
#[derive(Debug, Default)]
pub struct BlockView {
    /// The last block kept from the base; every kept block is completed.
    pub before: Option<Block>,
    /// The blocks recomputed from the first one later records can touch, oldest first.
    pub fresh: Vec<Block>,
    /// Largest (tokens, cost) among the kept blocks.
    pub max_kept: Option<(u64, u64)>,
}

impl BlockView {
    /// The latest block with entries at or before `now`.
    pub fn current(&self) -> Option<&Block> {
        self.fresh.last().or(self.before.as_ref())
    }

    /// Largest (tokens, cost) of any block completed at `now`.
    pub fn largest_completed(&self, now: i64) -> Option<(u64, u64)> {
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
}
