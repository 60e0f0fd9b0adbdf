//! Bringing the cache up to date: find what changed, read only the new bytes, fold them in.
//!
//! The warm path (nothing changed) stats a few files and returns without taking the lock. When
//! something changed, the lock is tried; if another invocation holds it, this one serves the last good
//! state rather than wait.

use std::collections::HashMap;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cache::state::{Depth, FileEntry, ObsKind, Observation};
use crate::cache::{Db, Update};
use crate::claude::{self, Parsed};
use crate::codex;
use crate::event::{Provider, Rec, SIDECHAIN, UNPRICED};
use crate::pricing::{self, Price};
use crate::readings::Window;
use crate::scan::{self, Change, Root};
use crate::tail;

pub struct Options {
    pub db_dir: PathBuf,
    pub roots: Vec<Root>,
    /// Longest time between full walks, in milliseconds.
    pub rescan_ms: i64,
    /// Wall-clock time (not `--now`): file ages and rescans are about the real clock.
    pub wall_ms: i64,
    /// Read only what the quick check needs when nothing changed (prompt modes); `doctor` wants all.
    pub lazy: bool,
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
}

pub struct Run {
    pub db: Db,
    pub info: RunInfo,
}

struct Clock(Instant);

impl Clock {
    fn lap(&mut self, info: &mut RunInfo, stage: &'static str) {
        let now = Instant::now();
        info.timings.push((stage, now.duration_since(self.0).as_micros() as u64));
        self.0 = now;
    }
}

/// Updates the cache as needed and returns it ready to query. Errors are logged and reported in
/// `info.error`; the cache returned is then the last good one.
pub fn refresh(opts: &Options) -> Run {
    let mut clock = Clock(Instant::now());
    let mut info = RunInfo::default();
    let wall_ns = opts.wall_ms.saturating_mul(1_000_000);
    let depth = if opts.lazy { Depth::Warm } else { Depth::Full };
    let mut db = Db::open(&opts.db_dir, pricing::table_hash(), depth);
    clock.lap(&mut info, "load");
    let sweep = sweep_due(&db, opts);
    // A full walk is only worth doing under the lock; until then it is enough to know one is due.
    let first = if sweep {
        scan::Scan { dirty: true, ..scan::Scan::default() }
    } else {
        scan::quick(&opts.roots, &db.state, wall_ns)
    };
    info.stats = first.stats;
    clock.lap(&mut info, "scan");
    if first.is_empty() && !sweep {
        return Run { db, info };
    }
    let lock = match db.try_lock() {
        Ok(Some(l)) => l,
        Ok(None) => {
            info.busy = true;
            return Run { db, info };
        }
        Err(e) => {
            let msg = format!("cannot lock the cache in {}: {e}", opts.db_dir.display());
            crate::log::warn(&msg);
            info.error = Some(msg);
            return Run { db, info };
        }
    };
    // Another invocation may have updated the cache between our read and the lock. Appended lines
    // need only the recent part of the state; a full walk or a changed directory needs all of it.
    let mut sweep = sweep_due(&db, opts);
    db.reload(if sweep { Depth::Full } else { Depth::Update });
    if !sweep && sweep_due(&db, opts) {
        sweep = true;
        db.reload(Depth::Full);
    }
    let mut scanned =
        if sweep { scan::full(&opts.roots, &db.state) } else { scan::quick(&opts.roots, &db.state, wall_ns) };
    if scanned.dirty && !db.state.complete {
        db.reload(Depth::Full);
        scanned = scan::quick(&opts.roots, &db.state, wall_ns);
    }
    info.full_scan = scanned.full;
    info.stats += scanned.stats;
    clock.lap(&mut info, "lock+rescan");
    if let Err(e) = update(&mut db, scanned, sweep, opts, &mut info, &mut clock) {
        let msg = format!("cache update failed: {e}");
        crate::log::warn(&msg);
        info.error = Some(msg);
        db.reload(Depth::Full);
    }
    drop(lock);
    Run { db, info }
}

fn sweep_due(db: &Db, opts: &Options) -> bool {
    db.base.is_none() || opts.wall_ms - db.state.last_sweep >= opts.rescan_ms || opts.wall_ms < db.state.last_sweep
}

/// One file to read.
struct Job {
    slot: usize,
    path: Vec<u8>,
    provider: Provider,
    prev: Option<FileEntry>,
    /// Where `prev` sits in `state.files`; the list keeps its order until every result is merged.
    idx: Option<usize>,
    /// The size the scan saw: how much there may be to read.
    size: u64,
}

struct Out {
    restarted: bool,
    md: std::fs::Metadata,
    read: tail::Read,
    recs: Vec<Rec>,
    obs: Vec<Observation>,
    models: Vec<String>,
    malformed: u32,
    aux: Vec<u8>,
}

fn update(
    db: &mut Db,
    mut scanned: scan::Scan,
    sweep: bool,
    opts: &Options,
    info: &mut RunInfo,
    clock: &mut Clock,
) -> io::Result<()> {
    if sweep && scanned.is_empty() && db.base.is_some() {
        // A full walk that found nothing new: only the time of the walk changes. Writing the head
        // alone keeps the cold file as it is, instead of rewriting it every minute.
        db.reload(Depth::Update);
        if db.base.is_some() {
            db.state.last_sweep = opts.wall_ms;
            db.commit(None, opts.wall_ms)?;
            clock.lap(info, "write");
            info.updated = true;
            return Ok(());
        }
        // The state failed its check on this second read and was discarded: rebuild from a walk
        // against the empty state, as a first run would, rather than commit nothing.
        scanned = scan::full(&opts.roots, &db.state);
    }
    let mut jobs = Vec::new();
    let mut gone = Vec::new();
    let mut slots: Vec<Option<FileEntry>> = Vec::new();
    for c in scanned.changes {
        match c {
            Change::New { path, provider, size } => {
                jobs.push(Job { slot: slots.len(), path, provider, prev: None, idx: None, size });
                slots.push(None);
            }
            Change::Changed { idx, size } => {
                let f = db.state.files[idx].clone();
                let (path, provider) = (f.path.clone(), f.provider);
                jobs.push(Job { slot: slots.len(), path, provider, prev: Some(f), idx: Some(idx), size });
                slots.push(None);
            }
            Change::Gone { idx } => gone.push(idx),
        }
    }
    let results = read_all(jobs);
    clock.lap(info, "read");

    let mut updates = Vec::new();
    let mut remove_idx: Vec<usize> = gone.clone();
    for idx in &gone {
        updates.push(Update { file: db.state.files[*idx].id, drop_old: true, recs: Vec::new(), obs: Vec::new() });
    }
    let mut new_files = Vec::new();
    for (job, res) in results {
        let prev_idx = job.idx;
        match res {
            Ok(out) => {
                info.bytes_read += out.read.bytes;
                info.files_read += 1;
                let id = match &job.prev {
                    Some(p) => p.id,
                    None => {
                        db.state.next_file_id += 1;
                        db.state.next_file_id
                    }
                };
                let map: Vec<u16> = out.models.iter().map(|m| db.state.model_id(m)).collect();
                let recs = out
                    .recs
                    .into_iter()
                    .map(|mut r| {
                        r.file = id;
                        r.model = map[r.model as usize];
                        r
                    })
                    .collect();
                let drop_old = job.prev.is_some() && out.restarted;
                let obs = out.obs.into_iter().map(|o| Observation { file: id, ..o }).collect();
                updates.push(Update { file: id, drop_old, recs, obs });
                let keep_counts = !out.restarted && job.prev.is_some();
                let prev = job.prev.as_ref();
                let (dev, ino) = tail::identity(&out.md);
                let entry = FileEntry {
                    path: job.path,
                    provider: job.provider,
                    id,
                    dev,
                    ino,
                    size: out.md.len(),
                    mtime_ns: tail::mtime_ns(&out.md),
                    offset: out.read.offset,
                    fp: out.read.fingerprint,
                    malformed: if keep_counts { prev.map_or(0, |p| p.malformed) } else { 0 } + out.malformed,
                    oversized: if keep_counts { prev.map_or(0, |p| p.oversized) } else { 0 }
                        + out.read.oversized as u32,
                    unreadable: false,
                    aux: out.aux,
                };
                match prev_idx {
                    Some(i) => db.state.files[i] = entry,
                    None => new_files.push(entry),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(i) = prev_idx {
                    updates.push(Update {
                        file: db.state.files[i].id,
                        drop_old: true,
                        recs: Vec::new(),
                        obs: Vec::new(),
                    });
                    remove_idx.push(i);
                }
            }
            Err(e) => {
                // Unreadable (permissions, a FIFO, an I/O error): keep what it gave before, retry when
                // it changes or at the next full walk.
                crate::log::warn(&format!("skipping {}: {e}", String::from_utf8_lossy(&job.path)));
                match prev_idx {
                    Some(i) => db.state.files[i].unreadable = true,
                    None => {
                        db.state.next_file_id += 1;
                        new_files.push(FileEntry {
                            path: job.path,
                            provider: job.provider,
                            id: db.state.next_file_id,
                            dev: 0,
                            ino: 0,
                            size: 0,
                            mtime_ns: 0,
                            offset: 0,
                            fp: 0,
                            malformed: 0,
                            oversized: 0,
                            unreadable: true,
                            aux: Vec::new(),
                        });
                    }
                }
            }
        }
    }
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
    db.apply(&updates)?;
    clock.lap(info, "merge");
    let built = if db.needs_compaction() { Some(db.compact()?) } else { None };
    clock.lap(info, "compact");
    db.state.timings = info.timings.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
    db.commit(built, opts.wall_ms)?;
    clock.lap(info, "write");
    info.updated = true;
    Ok(())
}

/// Reads every job, on up to four threads when there is much to read (a cold start); an appended
/// line or two is read on this thread.
fn read_all(jobs: Vec<Job>) -> Vec<(Job, io::Result<Out>)> {
    let pending: u64 = jobs.iter().map(|j| j.size.saturating_sub(j.prev.as_ref().map_or(0, |p| p.offset))).sum();
    // Only a large read is worth threads (and asking how many cores there are costs syscalls).
    let threads = if pending < (8 << 20) || jobs.len() < 2 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(4)
    };
    if threads < 2 {
        return jobs
            .into_iter()
            .map(|j| {
                let r = read_one(&j);
                (j, r)
            })
            .collect();
    }
    let mut buckets: Vec<Vec<Job>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, j) in jobs.into_iter().enumerate() {
        buckets[i % threads].push(j);
    }
    let mut out: Vec<(Job, io::Result<Out>)> = std::thread::scope(|s| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|b| {
                s.spawn(move || {
                    b.into_iter()
                        .map(|j| {
                            let r = read_one(&j);
                            (j, r)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    out.sort_by_key(|(j, _)| j.slot);
    out
}

fn read_one(job: &Job) -> io::Result<Out> {
    let path = Path::new(std::ffi::OsStr::from_bytes(&job.path));
    let (f, md) = tail::open(path)?;
    let (dev, ino) = tail::identity(&md);
    let restarted = match &job.prev {
        None => true,
        Some(p) => {
            (dev, ino) != (p.dev, p.ino)
                || md.len() < p.offset
                || (p.offset > 0 && tail::fingerprint_at(&f, p.offset)? != p.fp)
        }
    };
    let from = if restarted { 0 } else { job.prev.as_ref().map_or(0, |p| p.offset) };
    let aux = if restarted { Vec::new() } else { job.prev.as_ref().map_or_else(Vec::new, |p| p.aux.clone()) };
    let mut x = Extractor::new(job.provider, &job.path, aux);
    let read = tail::read_lines(&f, from, md.len(), |line, at| x.line(line, at))?;
    let (recs, obs, models, malformed, aux) = x.finish();
    Ok(Out { restarted, md, read, recs, obs, models, malformed, aux })
}

/// Turns lines into records, keeping the best line per key within this read.
pub struct Extractor<'p> {
    path: &'p [u8],
    finder: claude::Finder,
    codex: Option<codex::Reader>,
    recs: Vec<Rec>,
    obs: Vec<Observation>,
    by_key: HashMap<u64, usize>,
    models: Vec<(String, Option<&'static Price>)>,
    malformed: u32,
}

impl<'p> Extractor<'p> {
    pub fn new(provider: Provider, path: &'p [u8], aux: Vec<u8>) -> Self {
        let codex = (provider == Provider::Codex).then(|| codex::Reader::resume(&aux));
        Extractor {
            path,
            finder: claude::Finder::default(),
            codex,
            recs: Vec::new(),
            obs: Vec::new(),
            by_key: HashMap::new(),
            models: Vec::new(),
            malformed: 0,
        }
    }

    fn model(&mut self, name: &str) -> (u16, Option<&'static Price>) {
        if let Some(i) = self.models.iter().position(|(m, _)| m == name) {
            return (i as u16, self.models[i].1);
        }
        let price = pricing::lookup(name);
        self.models.push((name.to_owned(), price));
        ((self.models.len() - 1) as u16, price)
    }

    fn push(&mut self, r: Rec) {
        match self.by_key.get(&r.key) {
            Some(&i) => {
                if crate::dedup::better(&r, &self.recs[i]).is_gt() {
                    self.recs[i] = r;
                }
            }
            None => {
                self.by_key.insert(r.key, self.recs.len());
                self.recs.push(r);
            }
        }
    }

    pub fn line(&mut self, line: &[u8], at: u64) {
        if let Some(c) = self.codex.as_mut() {
            let mut found = Vec::new();
            if c.line(line, self.path, at, &mut found) {
                self.malformed += 1;
            }
            for f in found {
                match f {
                    codex::Found::Usage(u) => {
                        let (model, price) = self.model(&u.model);
                        self.push(usage_rec(u.ts, u.key, u.key, u.tokens, u.mods, model, price, 0, Provider::Codex));
                    }
                    codex::Found::Limit(l) => self.obs.push(Observation {
                        file: 0,
                        provider: Provider::Codex,
                        kind: ObsKind::Reading,
                        window: l.window,
                        used_percent: l.used_percent,
                        resets_at: l.resets_at,
                        at: l.observed_at,
                    }),
                }
            }
            return;
        }
        if !self.finder.may_carry_usage(line) {
            return;
        }
        match claude::parse(line) {
            Parsed::Nothing => {}
            Parsed::Malformed => self.malformed += 1,
            Parsed::LimitHit { ts, resets_at } => {
                // A reset more than five hours away was the weekly limit.
                let weekly = resets_at.is_some_and(|r| r - ts > crate::window::BLOCK_MS);
                self.obs.push(Observation {
                    file: 0,
                    provider: Provider::Claude,
                    kind: ObsKind::LimitHit,
                    window: if weekly { Window::SevenDay } else { Window::FiveHour },
                    used_percent: 100.0,
                    resets_at: resets_at.unwrap_or(0),
                    at: ts,
                });
            }
            Parsed::Usage(u) => {
                let (msg, key) = claude::keys(&u, self.path, at);
                let (model, price) = self.model(&u.model);
                let side = if u.sidechain { SIDECHAIN } else { 0 };
                self.push(usage_rec(u.ts, msg, key, u.tokens, u.mods, model, price, side, Provider::Claude));
            }
        }
    }

    pub fn finish(self) -> (Vec<Rec>, Vec<Observation>, Vec<String>, u32, Vec<u8>) {
        let aux = self.codex.map_or_else(Vec::new, |c| c.save());
        (self.recs, self.obs, self.models.into_iter().map(|(m, _)| m).collect(), self.malformed, aux)
    }
}

#[allow(clippy::too_many_arguments)]
fn usage_rec(
    ts: i64,
    msg: u64,
    key: u64,
    tok: crate::event::Tokens,
    mods: pricing::Modifiers,
    model: u16,
    price: Option<&'static Price>,
    flags: u8,
    provider: Provider,
) -> Rec {
    let (cost, unpriced) = match price {
        Some(p) => (pricing::cost(p, &tok, mods), 0),
        None => (0, UNPRICED),
    };
    Rec { ts, msg, key, tok, cost, file: 0, model, flags: flags | unpriced, provider: provider as u8 }
}
