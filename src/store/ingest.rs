//! Bringing the cache up to date: find what changed, read only the new bytes, fold them in.
//!
//! The warm path (nothing changed) stats a few files and returns without taking the lock. When
//! something changed, the lock is tried; if another invocation holds it, a prompt serves the last good
//! state rather than wait, and `status` waits a moment, then reads into memory itself. When the cache
//! cannot be written at all, the run reads into memory and answers from that.
//!
//! A prompt's work is bounded (`Pace::Prompt`): it reads at most `PROMPT_BYTES` and stops reading at
//! `PROMPT_TIME`, at a line boundary, keeps what it read, and leaves compaction and the rest to a
//! helper in the background (`runway catch-up`), which works in rounds and keeps each one.

use std::io;
use std::time::{Duration, Instant};

use super::db::Db;
use super::merge::Update;
use super::outcome::{self, Folded, ids_of};
use super::state::Depth;
use crate::ground::cache::{Cache, Locked};
use crate::ground::{log, platform};
use crate::read::batch::{self, Job};
use crate::read::pricing;
use crate::read::scan::{self, Change, Scan};
use crate::read::sources::Root;

/// How much one run may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// A prompt, a tmux job, the status line: a few milliseconds of work, the rest in the background.
    Prompt,
    /// `status`, `doctor`: everything, however long it takes.
    Full,
    /// The background helper: a round of `HELPER_BYTES` at a time, each kept.
    Helper,
}

/// A prompt reads at most this much in one run. 16 MiB of transcript lines are read, parsed and
/// merged in about 25 ms on this project's 2-core machine (the cold benchmark's rate).
const PROMPT_BYTES: u64 = 16 << 20;
/// ...and stops reading this long after it started, on a slow disk.
const PROMPT_TIME: Duration = Duration::from_millis(40);
/// One round of the helper: what a kill can lose at most.
const HELPER_BYTES: u64 = 256 << 20;
/// How long a prompt waits for the helper to walk (ten rescan periods, or this, whichever is
/// longer) before walking itself.
const OVERDUE: i64 = 10 * 60_000;
/// How long `status` waits for a busy cache before reading on its own.
const WAIT_FOR_LOCK: Duration = Duration::from_secs(2);

/// What a prompt may read: `PROMPT_BYTES` in `PROMPT_TIME`, unless a test says otherwise (a test
/// lowers the bytes to see a history read over many runs, and raises the time: a debug build on a
/// busy 2-core runner can take longer than 40 ms over a fixture, and a test about figures must not
/// depend on the machine's load). Not user settings.
#[derive(Clone, Copy, Debug)]
pub struct PromptBudget {
    pub bytes: u64,
    pub time: Duration,
    /// Records read before a compaction is due (see `Db::needs_compaction`).
    pub max_delta: usize,
}

impl Default for PromptBudget {
    fn default() -> Self {
        PromptBudget { bytes: PROMPT_BYTES, time: PROMPT_TIME, max_delta: super::db::MAX_DELTA }
    }
}

pub struct Options {
    pub cache: Cache,
    /// Which of its folders: the one of this set of roots (see `Item::Db`).
    pub db: u64,
    pub roots: Vec<Root>,
    /// Longest time between full walks, in milliseconds.
    pub rescan_ms: i64,
    /// Wall-clock time (not `--now`): file ages and rescans are about the real clock.
    pub wall_ms: i64,
    /// The instant the answer is for (`--now`): a warm read leaves out the readings a forecast then
    /// does not look at.
    pub now: i64,
    pub pace: Pace,
    pub budget: PromptBudget,
    /// Told the MiB about to be read when a full read has more than its bytes to do: what to say
    /// of the wait, and from when, is the command's, not the store's.
    pub before_long_read: Option<(u64, fn(u64))>,
}

#[derive(Default)]
pub struct RunInfo {
    /// Microseconds by stage.
    pub timings: Vec<(&'static str, u64)>,
    /// Another invocation was updating: this one served the last good state.
    pub busy: bool,
    pub updated: bool,
    pub full_scan: bool,
    pub stats: u64,
    pub bytes_read: u64,
    pub files_read: u64,
    pub error: Option<String>,
    /// Some file is not read to its end yet: the totals are not whole.
    pub behind: bool,
    /// Work was left for the background helper (reading beyond the budget, a compaction, a walk).
    pub deferred: bool,
    /// Another run has held the cache's lock for this long (ms), past the rescan period: it does not
    /// finish, and what this run serves is not brought up to date.
    pub stale: Option<i64>,
}

pub struct Run {
    pub db: Db,
    pub info: RunInfo,
}

struct Clock(Instant);

impl Clock {
    /// Stages timed apart (interleaved in rounds), each by its total; the clock goes on from now.
    fn skip(&mut self, info: &mut RunInfo, stages: &[(&'static str, u64)]) {
        info.timings.extend_from_slice(stages);
        self.0 = Instant::now();
    }

    fn lap(&mut self, info: &mut RunInfo, stage: &'static str) {
        let now = Instant::now();
        info.timings.push((stage, now.duration_since(self.0).as_micros() as u64));
        self.0 = now;
    }
}

/// Updates the cache as needed and returns it ready to query. Errors are logged and reported in
/// `info.error`; the cache returned is then the last good one. But a part of the cache that fails its
/// check on the way (a flipped byte in a page of records the update reads) leaves no good one: every
/// later update failed on it, and the ledger, whose reads never touch that page, kept serving the
/// figures of the last good update, for good. The cache is dropped and read again, once.
pub fn refresh(opts: &Options) -> Run {
    match refresh_once(opts) {
        // Said in the log; the rebuilt run is no error (the helper goes on with its rounds).
        (first, true) => {
            drop(first);
            refresh_once(opts).0
        }
        (run, false) => run,
    }
}

/// `refresh`, and whether an update found the cache corrupt (it is then dropped).
fn refresh_once(opts: &Options) -> (Run, bool) {
    let mut clock = Clock(Instant::now());
    let mut info = RunInfo::default();
    let wall_ns = opts.wall_ms.saturating_mul(1_000_000);
    let depth = if opts.pace == Pace::Full { Depth::Full } else { Depth::Warm { now: opts.now } };
    let mut db = Db::open(&opts.cache, opts.db, pricing::table_hash(), depth);
    db.max_delta = opts.budget.max_delta;
    clock.lap(&mut info, "load");
    if opts.cache.refused().is_some() && opts.pace != Pace::Full {
        // Without a cache a prompt would read all history at every run: it shows nothing instead
        // (`doctor` says why), and `status` reads into memory.
        info.behind = true;
        return (Run { db, info }, false);
    }
    let sweep = walk_now(&db, opts);
    // A walk due that a prompt leaves to the helper.
    info.deferred = sweep_due(&db, opts) && !sweep;
    // A full walk is only worth doing under the lock; until then it is enough to know one is due.
    let first = if sweep {
        Scan { dirty: true, ..Scan::default() }
    } else {
        scan::quick(&opts.roots, db.state.table(), wall_ns)
    };
    info.stats = first.stats;
    clock.lap(&mut info, "scan");
    // The helper also comes for a compaction a prompt left, with nothing new to read.
    let compaction = opts.pace == Pace::Helper && db.base.is_some() && db.needs_compaction();
    if first.is_empty() && !sweep && !compaction {
        info.behind = db.state.files.iter().any(|f| f.pending);
        return (Run { db, info }, false);
    }
    let lock = match lock(&db, opts.pace) {
        // A refused cache directory: nothing to lock, nothing to write.
        _ if db.memory_only.is_some() => None,
        Ok(Some(l)) => Some(l),
        Ok(None) if opts.pace == Pace::Full => {
            // Another run has held it a while (a first read, a helper's round): read on our own.
            info.stale = stuck(&db, opts);
            db.keep_in_memory("another runway is updating the cache; this run read on its own".into());
            None
        }
        Ok(None) => {
            info.busy = true;
            info.stale = stuck(&db, opts);
            info.behind = db.state.files.iter().any(|f| f.pending);
            return (Run { db, info }, false);
        }
        // No lock to take means no cache to write: read into memory, so the answer is still whole.
        Err(e) => {
            db.cannot_write(&e);
            None
        }
    };
    // Another invocation may have updated the cache between our read and the lock. Appended lines
    // need only the recent part of the state; a full walk or a changed directory needs all of it.
    let mut sweep = walk_now(&db, opts);
    // The helper loads the whole table: files it finishes go back to the cold file as it commits,
    // instead of weighing on every prompt's read of the state until the next full walk. `status`
    // and `report` keep it too: they name every file's session.
    db.reload(if sweep || opts.pace != Pace::Prompt { Depth::Full } else { Depth::Update });
    if !sweep && walk_now(&db, opts) {
        sweep = true;
        db.reload(Depth::Full);
    }
    info.deferred |= sweep_due(&db, opts) && !sweep;
    let mut scanned = if sweep {
        scan::full(&opts.roots, db.state.table())
    } else {
        scan::quick(&opts.roots, db.state.table(), wall_ns)
    };
    if scanned.dirty && !db.state.complete {
        db.reload(Depth::Full);
        scanned = scan::quick(&opts.roots, db.state.table(), wall_ns);
    }
    info.full_scan = scanned.full;
    info.stats += scanned.stats;
    clock.lap(&mut info, "lock+rescan");
    if let Err(e) = update(&mut db, scanned, sweep, opts, &mut info, &mut clock) {
        let msg = format!("cache update failed: {e}");
        log::warn(&msg);
        if super::pages::is_corrupt(&e) {
            db.invalidate(&msg);
            drop(lock);
            return (Run { db, info }, true);
        }
        info.error = Some(msg);
        db.reload(Depth::Full);
    }
    if info.updated {
        let roots: Vec<Vec<u8>> = opts.roots.iter().map(|r| platform::bytes(r.path.as_os_str()).to_vec()).collect();
        db.note_roots(&roots);
    }
    drop(lock);
    info.behind = db.state.files.iter().any(|f| f.pending);
    (Run { db, info }, false)
}

/// How long another run has held the lock, when longer than a run ever should: the rescan period, and
/// at least a minute (a helper's round of 256 MiB takes seconds).
fn stuck(db: &Db, opts: &Options) -> Option<i64> {
    db.lock_held_for(opts.wall_ms).filter(|&held| held > opts.rescan_ms.max(60_000))
}

/// The writer's lock: tried once by a prompt or the helper; waited for a moment by `status`.
fn lock(db: &Db, pace: Pace) -> io::Result<Option<Locked>> {
    let until = Instant::now() + WAIT_FOR_LOCK;
    loop {
        match db.try_lock()? {
            None if pace == Pace::Full && Instant::now() < until => std::thread::sleep(Duration::from_millis(10)),
            got => return Ok(got),
        }
    }
}

fn sweep_due(db: &Db, opts: &Options) -> bool {
    db.base.is_none() || opts.wall_ms - db.state.last_sweep >= opts.rescan_ms || opts.wall_ms < db.state.last_sweep
}

/// Whether this run walks every root now. A prompt leaves a walk that is due to the helper (over a
/// hundred thousand files it takes longer than a prompt may): it walks only when there is no cache
/// yet, or when the helper has not walked for `OVERDUE` (it cannot start, or keeps dying).
fn walk_now(db: &Db, opts: &Options) -> bool {
    let overdue = opts.wall_ms - db.state.last_sweep >= opts.rescan_ms.saturating_mul(10).max(OVERDUE);
    sweep_due(db, opts) && (opts.pace != Pace::Prompt || db.base.is_none() || overdue)
}

fn update(
    db: &mut Db,
    mut scanned: Scan,
    sweep: bool,
    opts: &Options,
    info: &mut RunInfo,
    clock: &mut Clock,
) -> io::Result<()> {
    if sweep && scanned.is_empty() && db.base.is_some() {
        // A full walk that found nothing new: only the time of the walk changes. Writing the head
        // alone keeps the cold file as it is, instead of rewriting it every minute. `status` and
        // `report` keep the whole table: they name every file's session.
        db.reload(if opts.pace == Pace::Full { Depth::Full } else { Depth::Update });
        if db.base.is_some() {
            db.state.last_sweep = opts.wall_ms;
            db.commit(None, opts.wall_ms)?;
            clock.lap(info, "write");
            info.updated = true;
            return Ok(());
        }
        // The state failed its check on this second read and was discarded: rebuild from a walk
        // against the empty state, as a first run would, rather than commit nothing.
        scanned = scan::full(&opts.roots, db.state.table());
    }
    let mut jobs = Vec::new();
    let mut gone = Vec::new();
    let mut new = Vec::new();
    for c in scanned.changes {
        match c {
            Change::New { path, provider, size, born_ns } => new.push((born_ns, path, provider, size)),
            Change::Changed { idx, size } => {
                let f = db.state.files[idx].clone();
                let path = f.path.clone();
                jobs.push(Job { path, provider: f.provider, prev: Some(f), idx: Some(idx), size, limit: 0 });
            }
            Change::Gone { idx } => gone.push(idx),
        }
    }
    // New files get their ids oldest first, by when each was made (not by its last write: the
    // parent may be written to after the copy, and a copy may keep its parent's mtime): a call
    // repeated whole in several files (a resumed or forked session repeats its parent's) counts in
    // the one with the lowest id (`dedup::better`), so a rebuilt cache gives it to the older file, as
    // an incremental read did when the copy came.
    new.sort();
    for (_, path, provider, size) in new {
        jobs.push(Job { path, provider, prev: None, idx: None, size, limit: 0 });
    }
    let (budget, until) = match opts.pace {
        Pace::Prompt => (opts.budget.bytes, Some(Instant::now() + opts.budget.time)),
        Pace::Helper => (HELPER_BYTES, None),
        Pace::Full => (u64::MAX, None),
    };
    // Each file in turn gets what is left of the budget; those after it is spent are only noted.
    let mut left = budget;
    for j in &mut jobs {
        j.limit = left;
        left = left.saturating_sub(j.pending());
    }
    let planned: u64 = jobs.iter().map(|j| j.pending().min(j.limit)).sum();
    if let Some((_, say)) = opts.before_long_read.filter(|(from, _)| opts.pace == Pace::Full && planned > *from) {
        say(planned >> 20);
    }
    let run = batch::Run { until, wall_ns: opts.wall_ms.saturating_mul(1_000_000) };
    let mut f = Folded { remove_idx: gone.clone(), ..Folded::default() };
    f.updates = gone.iter().flat_map(|&i| ids_of(&db.state.files[i])).map(Update::gone).collect();
    // In rounds: each round's records are folded in before the next is read, so that what the files
    // gave is never all held twice (a cold read of 1 GB held 35 MB of it, in the reading threads'
    // memory, through the compaction).
    let (mut read_us, mut merge_us) = (0u64, 0u64);
    for round in batch::rounds(jobs) {
        let t = Instant::now();
        let results = batch::read_all(round, run);
        read_us += t.elapsed().as_micros() as u64;
        let t = Instant::now();
        for (job, res) in results {
            if let Some(bytes) = outcome::take(db, job, res, &mut f) {
                info.bytes_read += bytes;
                info.files_read += 1;
            }
        }
        db.apply(&std::mem::take(&mut f.updates))?;
        merge_us += t.elapsed().as_micros() as u64;
    }
    if !f.updates.is_empty() {
        db.apply(&std::mem::take(&mut f.updates))?;
    }
    let Folded { mut remove_idx, new_files, .. } = f;
    remove_idx.sort_unstable();
    remove_idx.dedup();
    for i in remove_idx.into_iter().rev() {
        db.state.files.remove(i);
    }
    db.state.files.extend(new_files);
    if let Some(dirs) = scanned.dirs {
        db.state.dirs = dirs;
    }
    if sweep {
        db.state.last_sweep = opts.wall_ms;
    }
    clock.skip(info, &[("read", read_us), ("merge", merge_us)]);
    // Compaction rewrites the whole base (about 170 ms on the benchmark's history): a prompt leaves
    // it to the helper, unless there is no base yet or the helper has not come for a long while.
    let may_compact = opts.pace != Pace::Prompt || db.base.is_none() || db.overdue();
    let built = match db.needs_compaction() {
        true if may_compact => Some(db.compact()?),
        true => {
            info.deferred = true;
            None
        }
        false => None,
    };
    clock.lap(info, "compact");
    db.state.timings = info.timings.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
    db.commit(built, opts.wall_ms)?;
    clock.lap(info, "write");
    info.updated = true;
    Ok(())
}
