//! The readings Claude Code hands its status line, remembered between invocations so the shell and
//! tmux segments show the same figure.
//!
//! Each reading belongs to the history root (the `projects/` dir of the session's transcript,
//! resolved) it came from, so that two accounts with two config dirs do not mix; one without a known
//! root applies to every root. Each root has its own small file (`Item::Readings`), so a run reads
//! only the files of its own roots however many roots there ever were; a file whose root is gone is
//! deleted when a new root's file is made, and readings of windows that ended more than `KEEP_DAYS`
//! ago are dropped. A file is a checksum line, then a line a reading (`readings_file`): a flipped
//! bit makes it ignored (and logged), never a different figure.
//!
//! A root's file is replaced whole under a lock. Forty status lines drawn at once each wait their turn
//! (a millisecond or two each); one that cannot get it within `WAIT` (a holder stuck or stopped)
//! leaves its readings in a file of their own beside it (`Item::ReadingsPending`), read with the
//! root's file and folded into it by the next run that holds the lock. No reading is dropped for a
//! busy lock.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::ground::cache::{Cache, Item};
use crate::ground::evidence::{Reading, telling};
use crate::ground::hash::key;
use crate::ground::log;
use crate::ground::provider::Provider;
use crate::ground::time::DAY_MS;
use crate::ground::window::Window;

use super::readings_file::{RootFile, add};

/// Readings kept per provider and window of a root, the newest, once thinned: enough for the newest
/// twelve rises of 3 points the forecast learns from (`forecast::evidence`), and a 5-hour window whole.
/// (A full file, 160 five-hour and 85 weekly readings, is 12 KB; it costs a warm prompt 0.09 ms over
/// no readings at all, measured with benches/paired.py, 400 runs.)
const KEEP: usize = 160;
/// A window that ended this long ago teaches nothing more (calibration looks at the last four).
const KEEP_DAYS: i64 = 35;
/// How long a status line waits for the lock before leaving its readings beside the root's file.
const WAIT: Duration = Duration::from_millis(250);

/// A reading and the root it belongs to ("" when unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct Rooted {
    pub reading: Reading,
    pub root: String,
}

#[derive(Debug, Default, PartialEq)]
pub struct Readings {
    pub list: Vec<Rooted>,
    /// Figures the status line handed over that were refused as implausible, and the last reason.
    pub refused: u64,
    pub last_refused: String,
}

/// A root as readings name it: resolved, so that two spellings of one directory match.
pub fn root_key(p: &Path) -> String {
    crate::ground::platform::canonical(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()
}

/// The keys of a set of root paths.
pub fn root_keys(paths: &[PathBuf]) -> HashSet<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

/// Which file holds one root's readings ("" for readings of no known root).
fn hash_of(root: &str) -> u64 {
    key("readings-root", &[root.as_bytes()])
}

/// The names of the readings left beside the file `h` (see the module comment). Rare: one stat
/// tells there are none.
fn pending_of(cache: &Cache, h: u64) -> Vec<String> {
    if !cache.exists(Item::ReadingsPendingDir) {
        return Vec::new();
    }
    let prefix = format!("{h:016x}.");
    let mut names: Vec<String> = cache
        .list(Some(Item::ReadingsPendingDir))
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with(&prefix) && !n.ends_with(".tmp"))
        .collect();
    // In the order they were written (`<pid>-<ms>`, by the time): of two readings of one moment the
    // last written is kept, and by their names' text pid 10000 came before 9999.
    names.sort_by_key(|n| (written_at(n), n.clone()));
    names
}

/// When a pending file's run wrote it, from its tag (`<pid>-<ms>`); 0 for a name of another shape.
fn written_at(name: &str) -> u64 {
    name.rsplit_once('-').and_then(|(_, ms)| ms.parse().ok()).unwrap_or(0)
}

fn pending_item(h: u64, name: &str) -> Option<Item<'_>> {
    Some(Item::ReadingsPending(h, name.strip_prefix(&format!("{h:016x}."))?))
}

/// Folds the readings left beside `f`'s file into it; the names folded.
fn fold_pending(cache: &Cache, h: u64, f: &mut RootFile) -> Vec<String> {
    let names = pending_of(cache, h);
    for name in &names {
        if let Some(p) = pending_item(h, name).and_then(|i| RootFile::load(cache, i)).filter(|p| p.root == f.root) {
            f.fold(p);
        }
    }
    names
}

impl Readings {
    /// The readings of these roots (as `root_key` names them) and of no known root; a missing file is
    /// no readings, a damaged one is logged and ignored.
    pub fn load(cache: &Cache, roots: &HashSet<String>) -> Readings {
        let mut out = Readings::default();
        // One listing, not a stat of each root's name: of many roots few have readings.
        let Some(names) = cache.names(Item::ReadingsDir) else { return out };
        let any_pending = cache.named(&names, Item::ReadingsPendingDir);
        for root in std::iter::once("").chain(roots.iter().map(String::as_str)) {
            let (h, empty) = (hash_of(root), || RootFile { root: root.to_owned(), ..RootFile::default() });
            let mut f = match cache.named(&names, Item::Readings(h)) {
                true => RootFile::load(cache, Item::Readings(h)).filter(|f| f.root == root).unwrap_or_else(empty),
                false if any_pending => empty(),
                false => continue,
            };
            fold_pending(cache, h, &mut f);
            out.list.extend(f.readings.into_iter().map(|reading| Rooted { reading, root: f.root.clone() }));
            out.refused += f.refused;
            if !f.last_refused.is_empty() {
                out.last_refused = f.last_refused;
            }
        }
        out.list.sort_by_key(|x| x.reading.observed_at);
        out
    }

    /// Adds readings of `root` (thinned as `thin` says, none of windows long over), counts the refused
    /// ones, and writes that root's file.
    pub fn record(cache: &Cache, new: &[Reading], refused: &[String], root: Option<&Path>) -> io::Result<()> {
        if new.is_empty() && refused.is_empty() {
            return Ok(());
        }
        let root = root.map(root_key).unwrap_or_default();
        let h = hash_of(&root);
        let mut mine = RootFile { root: root.clone(), ..RootFile::default() };
        mine.refused = refused.len() as u64;
        mine.last_refused = refused.last().cloned().unwrap_or_default();
        for n in new {
            add(&mut mine.readings, n);
        }
        let Some(_lock) = cache.lock_within(Item::ReadingsLock, WAIT)? else {
            // A holder stuck past any status line's patience: the next run folds these in.
            log::warn("readings are locked by a run that does not finish: kept beside for the next");
            let tag = format!("{}-{}", std::process::id(), crate::ground::time::wall_ms());
            // The folder may be removed, emptied, between its making and the write: once more.
            return mine
                .save(cache, Item::ReadingsPending(h, &tag))
                .or_else(|_| mine.save(cache, Item::ReadingsPending(h, &tag)));
        };
        let item = Item::Readings(h);
        let existed = cache.exists(item);
        let mut f = RootFile::load(cache, item).filter(|f| f.root == root).unwrap_or_default();
        f.root = root.clone();
        let folded = fold_pending(cache, h, &mut f);
        f.fold(mine);
        // What is over is told by the newest reading of the present: one taken ahead of the clock (a
        // replay's `--now` 36 days on or more) would make every present reading, each new one too, a
        // window long over, and drop it as it is written. Nor do such readings count among the
        // present's newest `KEEP`: they are thinned apart, and wait for their time.
        let wall = crate::ground::time::wall_ms();
        let newest = f.readings.iter().map(|r| r.observed_at).filter(|&t| t <= wall).max().unwrap_or(0);
        f.readings.retain(|r| r.resets_at >= newest - KEEP_DAYS * DAY_MS);
        f.readings.sort_by_key(|r| r.observed_at);
        let mut ahead = f.readings.split_off(f.readings.partition_point(|r| r.observed_at <= wall));
        thin(&mut f.readings);
        thin(&mut ahead);
        f.readings.append(&mut ahead);
        f.save(cache, item)?;
        if !folded.is_empty() {
            for name in &folded {
                let _ = cache.remove_in(Item::ReadingsPendingDir, name);
            }
            let _ = cache.remove_empty_dir(Item::ReadingsPendingDir);
        }
        // The `readings.json` of earlier versions holds every root at once: it is read no more.
        let _ = cache.remove(Item::OldReadings);
        if !existed {
            forget_gone_roots(cache);
        }
        Ok(())
    }

    /// Readings this run has but could not store (the cache cannot be written), for its own answer.
    pub fn keep_in_memory(&mut self, new: &[Reading], root: Option<&Path>) {
        let root = root.map(root_key).unwrap_or_default();
        self.list.extend(new.iter().map(|r| Rooted { reading: r.clone(), root: root.clone() }));
        self.list.sort_by_key(|x| x.reading.observed_at);
    }

    /// Readings of a provider that apply to these roots, observed at or before `now`, oldest first.
    pub fn of(&self, p: Provider, roots: &HashSet<String>, now: i64) -> Vec<Reading> {
        self.list
            .iter()
            .filter(|r| r.reading.provider == p && r.reading.observed_at <= now)
            .filter(|r| r.root.is_empty() || roots.contains(&r.root))
            .map(|r| r.reading.clone())
            .collect()
    }
}

/// Thins a root's readings (oldest first) as the store thins a file's (`telling`: of each window the
/// first reading of each whole point and the window's last, so the same figure seen again only moves
/// the window's last forward), and keeps the newest `KEEP` of each provider and window.
fn thin(list: &mut Vec<Reading>) {
    let keep = telling(&list.iter().collect::<Vec<_>>());
    let mut keep = keep.into_iter();
    list.retain(|_| keep.next().unwrap_or(true));
    let mut count: std::collections::HashMap<(Provider, Window), usize> = Default::default();
    let mut newest_first: Vec<bool> = list
        .iter()
        .rev()
        .map(|r| {
            let n = count.entry((r.provider, r.window)).or_default();
            *n += 1;
            *n <= KEEP
        })
        .collect();
    newest_first.reverse();
    let mut keep = newest_first.into_iter();
    list.retain(|_| keep.next().unwrap_or(true));
}

/// Deletes the files of roots that no longer exist (a config dir removed, a temporary one).
fn forget_gone_roots(cache: &Cache) {
    for (name, md) in cache.list(Some(Item::ReadingsDir)) {
        if md.is_dir() || name.ends_with(".tmp") {
            continue;
        }
        let Ok(h) = u64::from_str_radix(&name, 16) else {
            let _ = cache.remove_in(Item::ReadingsDir, &name);
            continue;
        };
        let gone =
            RootFile::load(cache, Item::Readings(h)).is_none_or(|f| !f.root.is_empty() && !Path::new(&f.root).exists());
        if gone {
            let _ = cache.remove(Item::Readings(h));
        }
    }
}

#[cfg(test)]
mod tests;
