//! The cache directory of one set of roots: opening what is there, the writer's lock, compaction and
//! committing a new state.
//!
//! Writes go to a temporary file and are renamed into place, under an exclusive lock that is only
//! ever tried, never waited for: an invocation that finds it held serves the last good state. A
//! missing, truncated, corrupt or older-version cache is discarded and rebuilt from the transcripts,
//! which are the only source of truth.

use std::collections::HashSet;
use std::io;
use std::path::PathBuf;

use super::base::Built;
use super::base::{self, Base};
use super::compact;
use super::state::{Depth, State};
use super::state_file;
use crate::ground::cache::{Cache, Item, Locked};
use crate::ground::provider::Provider;
use crate::ground::{log, platform};
use crate::read::table::{HOT_DIR_NS, HOT_FILE_NS};

/// Compact once this many records were read since the last compaction (tests lower it to cross many
/// compactions)...
pub const MAX_DELTA: usize = 1024;
/// ...or when a query would have to re-walk more rows than this.
const MAX_REGION: u32 = 8192;

/// A generation number unique across rebuilds, so a reader holding an old state can never open a new
/// file by the old name and take it for the one it expects.
fn new_gen() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static BUMP: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    (t.wrapping_add(BUMP.fetch_add(2, Ordering::Relaxed))) | 1
}

pub struct Db {
    pub cache: Cache,
    /// Which set of roots (see `Item::Db`).
    pub id: u64,
    /// Its folder, to name it.
    pub dir: PathBuf,
    pub state: State,
    pub base: Option<Base>,
    pub price_hash: u64,
    /// Why an existing cache was discarded, if it was.
    pub discarded: Option<String>,
    /// Why this run keeps what it read in memory instead of writing it (the cache cannot be written,
    /// or another run holds it); the answer is the same, only the next run reads again.
    pub memory_only: Option<String>,
    /// See `MAX_DELTA`.
    pub max_delta: usize,
}

impl Db {
    /// Loads the cache in `dir`. Never fails: whatever cannot be trusted is replaced by an empty state,
    /// which the next update rebuilds.
    pub fn open(cache: &Cache, id: u64, price_hash: u64, depth: Depth) -> Db {
        let mut db = Db {
            cache: cache.clone(),
            id,
            dir: cache.path(Item::Db(id)),
            state: State::empty(),
            base: None,
            price_hash,
            discarded: None,
            memory_only: None,
            max_delta: MAX_DELTA,
        };
        if let Some(why) = cache.refused() {
            // Nothing in it is read or written: a run that answers at all reads into memory.
            db.memory_only = Some(format!("the cache directory is refused: {why}"));
            return db;
        }
        db.reload(depth);
        db
    }

    pub fn reload(&mut self, depth: Depth) {
        self.discarded = None;
        // A concurrent compaction may delete the base our state names between the two reads; the new
        // state then names a new base, so read both again.
        for _ in 0..3 {
            let st = match state_file::read(&self.cache, self.id, self.price_hash, depth) {
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
            match self
                .cache
                .open(Item::Base(self.id, st.base_gen))
                .and_then(|(f, md)| Base::from_file(f, md.len(), st.base_gen, self.price_hash))
            {
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
        log::warn(&format!("cache {}: {why}; rebuilding", self.dir.display()));
        self.discarded = Some(why);
        self.state = State::empty();
        self.base = None;
    }

    /// Drops the state, so that the next run rebuilds the cache from the transcripts: a query found
    /// a part of it that failed its check.
    pub fn invalidate(&self, why: &str) {
        log::warn(&format!("cache {}: {why}; rebuilding", self.dir.display()));
        let _ = self.cache.remove(Item::State(self.id));
    }

    /// Tries to take the writer's lock without waiting. `None` means another invocation holds it.
    /// The lock file's mtime says since when it is held (a change of the inode alone: a full disk
    /// takes it).
    pub fn try_lock(&self) -> io::Result<Option<Locked>> {
        let l = self.cache.lock(Item::Lock(self.id))?;
        if let Some(l) = &l {
            let _ = l.file.set_modified(std::time::SystemTime::now());
        }
        Ok(l)
    }

    /// How long the writer's lock has been held, in ms, as its holder marked it (for a run that found
    /// it busy).
    pub fn lock_held_for(&self, wall_ms: i64) -> Option<i64> {
        let (_, md) = self.cache.open(Item::Lock(self.id)).ok()?;
        let at = md.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as i64;
        Some(wall_ms - at)
    }

    /// Writes which roots this folder is for, once.
    pub fn note_roots(&self, roots: &[Vec<u8>]) {
        if self.memory_only.is_none() && !self.cache.exists(Item::Roots(self.id)) {
            let _ = self.cache.write_checked(Item::Roots(self.id), &roots.join(&b'\n'));
        }
    }

    /// Whether the records read since the last compaction should be folded into a new base.
    pub fn needs_compaction(&self) -> bool {
        let Some(base) = &self.base else { return true };
        if self.state.delta.len() > self.max_delta || self.state.dead.len() > self.max_delta {
            return true;
        }
        Provider::ALL.iter().any(|&p| {
            let adjusted = self.state.adj.iter().filter(|a| a.provider == p);
            let earliest =
                adjusted.flat_map(|a| a.removed.iter().map(|(_, e)| e.ts).chain(a.added.iter().map(|e| e.ts))).min();
            earliest.is_some_and(|t| {
                let blocks = &base.blocks[p.index()];
                let k = blocks.partition_point(|b| b.block.start < t);
                let from = if k == 0 { 0 } else { blocks[k - 1].first_row };
                base.rows[p.index()] - from > MAX_REGION
            })
        })
    }

    /// Compaction has waited for the helper far longer than it should have (it could not start, or
    /// keeps dying): a prompt then compacts itself.
    pub fn overdue(&self) -> bool {
        self.state.delta.len() > 8 * self.max_delta
    }

    /// Builds a new base from every live record. The records pending compaction move into it (the
    /// commit that follows clears them anyway): a cold read of 1 GB held three copies of each.
    pub fn compact(&mut self) -> io::Result<Built> {
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
        let delta = std::mem::take(&mut self.state.delta);
        if recs.is_empty() {
            recs = delta;
        } else {
            recs.extend_from_slice(&delta);
        }
        Ok(compact::build(recs))
    }

    /// Writes the state, and first a new base or cold file when there is one. Call with the lock held
    /// (or without one when the cache is unwritable). A write that fails leaves the run in memory: its
    /// answer still counts everything read.
    pub fn commit(&mut self, built: Option<Built>, wall_ms: i64) -> io::Result<()> {
        if !self.state.writable() {
            return Err(io::Error::other("refusing to write a partially read state"));
        }
        let mut written = None;
        if let Some(b) = built {
            let gen_ = new_gen();
            let bytes = base::encode(&b, gen_, self.price_hash);
            let item = Item::Base(self.id, gen_);
            let on_disk = match self.memory_only {
                Some(_) => None,
                None => match self.cache.write(item, &bytes) {
                    Ok(()) => {
                        written = Some(gen_);
                        let (f, md) = self.cache.open(item)?;
                        Some(Base::from_file(f, md.len(), gen_, self.price_hash)?)
                    }
                    Err(e) => {
                        self.cannot_write(&e);
                        None
                    }
                },
            };
            let base = match on_disk {
                Some(b) => b,
                None => Base::in_memory(bytes, gen_, self.price_hash)?,
            };
            self.state.base_gen = gen_;
            self.state.delta.clear();
            self.state.dead.clear();
            self.state.adj.clear();
            self.base = Some(base);
        }
        if self.memory_only.is_some() {
            return Ok(());
        }
        let before = self.state.written_at;
        if let Err(e) = self.write_state(wall_ms) {
            self.state.written_at = before;
            self.cannot_write(&e);
            // No state names it: it would stay behind at every run. This run reads it by its open handle.
            if let Some(g) = written {
                let _ = self.cache.remove(Item::Base(self.id, g));
            }
        }
        Ok(())
    }

    fn write_state(&mut self, wall_ms: i64) -> io::Result<()> {
        self.state.written_at = wall_ms;
        let wall_ns = wall_ms.saturating_mul(1_000_000);
        let enc = state_file::encode(
            &mut self.state,
            self.price_hash,
            wall_ns - HOT_FILE_NS,
            wall_ns - HOT_DIR_NS,
            new_gen(),
        );
        if let Some((g, bytes)) = &enc.cold {
            self.cache.write(Item::Cold(self.id, *g), bytes)?;
        }
        self.cache.write(Item::State(self.id), &enc.state)?;
        self.remove_stale();
        Ok(())
    }

    /// From now on this run keeps what it read in memory.
    pub fn cannot_write(&mut self, e: &io::Error) {
        self.keep_in_memory(format!("cannot write the cache in {}: {e}", self.dir.display()));
    }

    pub fn keep_in_memory(&mut self, why: String) {
        log::warn(&why);
        self.memory_only = Some(why);
    }

    /// Deletes bases and cold files the state no longer names. Readers without the lock never open a
    /// cold file, and a reader whose base vanishes reads the state again.
    fn remove_stale(&self) {
        let name_of = |item: Item| self.cache.path(item).file_name().map(|n| n.to_string_lossy().into_owned());
        let keep_base = name_of(Item::Base(self.id, self.state.base_gen));
        let keep_cold = name_of(Item::Cold(self.id, self.state.cold.gen_));
        let folder = Item::Db(self.id);
        for (name, md) in self.cache.list(Some(folder)) {
            let stale_tmp = name.ends_with(".tmp")
                && md.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|a| a.as_secs() > 600);
            let stale_base = name.starts_with("base-") && Some(&name) != keep_base.as_ref();
            let stale_cold = name.starts_with("cold-") && Some(&name) != keep_cold.as_ref();
            if stale_base || stale_cold || stale_tmp {
                let _ = self.cache.remove_in(folder, &name);
            }
        }
    }
}

/// Days after which a folder that names no roots (made by an earlier version) and was not written is
/// taken for one whose roots are gone.
const UNNAMED_DAYS: u64 = 30;

/// Removes the folders of sets of roots that are all gone (a config dir deleted, a temporary one), but
/// `keep`'s: the cache would otherwise keep every set of roots it ever saw.
pub fn prune(cache: &Cache, keep: u64) {
    for (name, md) in cache.list(None) {
        let Some(id) = name.strip_prefix("db-").and_then(|h| u64::from_str_radix(h, 16).ok()) else { continue };
        if id == keep || !md.is_dir() {
            continue;
        }
        let gone = match cache.read_checked(Item::Roots(id)) {
            Ok(roots) => roots
                .split(|&b| b == b'\n')
                .filter(|r| !r.is_empty())
                .all(|r| std::fs::symlink_metadata(platform::os_str(r)).is_err()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => cache
                .open(Item::State(id))
                .ok()
                .and_then(|(_, m)| m.modified().ok()?.elapsed().ok())
                .is_none_or(|age| age.as_secs() > UNNAMED_DAYS * 86_400),
            Err(_) => false,
        };
        if gone {
            log::warn(&format!("removing the cache of roots that are gone: {}", cache.path(Item::Db(id)).display()));
            let _ = cache.remove_dir(Item::Db(id));
        }
    }
}
