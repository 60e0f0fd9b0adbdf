//! runway's cache directory, and the one type that names every file in it and opens each.
//!
//! The directory is refused when it is not the user's own (`/tmp/runway-<uid>` made first by someone
//! else) or anyone may write to it: then nothing in it is read or written, the log included, and
//! `doctor` says why. Inside an accepted directory every file is opened without following a link,
//! without waiting (a FIFO under a cache file's name would hang the prompt), only when it is a regular
//! file and only up to its size's bound. Files opened in place (the log, the locks) that turn out to be
//! something else are removed and made again; files replaced whole by a rename (everything else) are
//! refused and, at the next write, replaced. Kept files that are read back whole carry a checksum line:
//! a damaged or edited copy is ignored, never taken for another figure.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod item;
mod owner;

pub use item::Item;
use owner::{Found, refusal};

use super::hash::checksum;
use super::platform;

/// The cache directory, checked once per run.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    /// What the run's look at it found. `Own`: the log, opened a moment later for the run's stderr,
    /// needs no folder made nor the owner looked at again (a `mkdir`, two stats and a `geteuid` off
    /// every prompt); every other write looks again, for the directory may have changed since.
    found: Found,
}

fn not_a_file(path: &Path, md: &Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{} is {}, not a file runway wrote", path.display(), platform::kind(md)),
    )
}

fn describe(path: &Path, e: io::Error) -> io::Error {
    if platform::is_link_refused(&e) {
        return io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is a link, not a file runway wrote", path.display()),
        );
    }
    e
}

/// A lock held until dropped.
pub struct Locked {
    pub file: File,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        let found = owner::look(&dir);
        Cache { dir, found }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Why the directory is refused (then no file in it is read or written).
    pub fn refused(&self) -> Option<&str> {
        match &self.found {
            Found::Refused(why) => Some(why),
            Found::Own | Found::Absent => None,
        }
    }

    pub fn path(&self, item: Item) -> PathBuf {
        self.dir.join(item.rel())
    }

    fn usable(&self) -> io::Result<()> {
        match self.refused() {
            Some(why) => Err(io::Error::new(io::ErrorKind::PermissionDenied, why)),
            None => Ok(()),
        }
    }

    /// Makes the folder `item` goes in (0700), and checks the directory is still the user's own.
    fn ready(&self, item: Item) -> io::Result<()> {
        self.usable()?;
        let path = self.path(item);
        let parent = if item.is_dir() { path.as_path() } else { path.parent().unwrap_or(&self.dir) };
        platform::create_private_dir(parent)?;
        if let Some(why) = refusal(&self.dir) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, why));
        }
        if parent != self.dir {
            let md = fs::symlink_metadata(parent)?;
            if !md.is_dir() {
                return Err(not_a_file(parent, &md));
            }
        }
        Ok(())
    }

    /// Whether something is there (one stat, no open: a run asks this of many names that are not).
    pub fn exists(&self, item: Item) -> bool {
        self.usable().is_ok() && fs::symlink_metadata(self.path(item)).is_ok()
    }

    /// The names in a folder of the cache, each entry as it is, with no stat of each (`None` when the
    /// folder is not there): one listing where a run would stat many names most of which are not.
    pub fn names(&self, dir: Item) -> Option<HashSet<OsString>> {
        self.usable().ok()?;
        Some(fs::read_dir(self.path(dir)).ok()?.flatten().map(|e| e.file_name()).collect())
    }

    /// Whether `names` (of `item`'s folder, from `names`) hold `item`.
    pub fn named(&self, names: &HashSet<OsString>, item: Item) -> bool {
        self.path(item).file_name().is_some_and(|n| names.contains(n))
    }

    /// Opens a regular file of the cache for reading, within its bound.
    pub fn open(&self, item: Item) -> io::Result<(File, Metadata)> {
        self.usable()?;
        let path = self.path(item);
        let f = platform::open_read(&path, true).map_err(|e| describe(&path, e))?;
        let md = f.metadata()?;
        if !md.is_file() {
            return Err(not_a_file(&path, &md));
        }
        if md.len() > item.max() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is larger than runway makes it ({} bytes)", path.display(), md.len()),
            ));
        }
        Ok((f, md))
    }

    pub fn read(&self, item: Item) -> io::Result<Vec<u8>> {
        let (f, md) = self.open(item)?;
        // It may grow between the stat and the read: never more than its bound.
        let buf = crate::ground::files::read_whole(f, md.len(), item.max())?;
        if buf.len() as u64 > item.max() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "grew past its bound while read"));
        }
        Ok(buf)
    }

    /// A file written by `write_checked`: its body, or `InvalidData` when the checksum does not match
    /// (a damaged or edited copy).
    pub fn read_checked(&self, item: Item) -> io::Result<Vec<u8>> {
        let mut b = self.read(item)?;
        let bad =
            || io::Error::new(io::ErrorKind::InvalidData, format!("{} fails its checksum", self.path(item).display()));
        let nl = b.iter().position(|&c| c == b'\n').ok_or_else(bad)?;
        let sum = std::str::from_utf8(&b[..nl]).ok().and_then(|s| u64::from_str_radix(s, 16).ok()).ok_or_else(bad)?;
        if nl != 16 || sum != checksum(item.domain(), &b[nl + 1..]) {
            return Err(bad());
        }
        // In place: a copy of a 100 KB file was a third of reading it (fresh pages to fault in).
        b.drain(..nl + 1);
        Ok(b)
    }

    /// Writes the file whole, through a temporary file and a rename, 0600: a reader sees the old file
    /// or the new one, never half of one. No fsync: a file damaged by a crash fails its check. Never
    /// larger than `open` reads back: every run would refuse it and do its work again.
    pub fn write(&self, item: Item, bytes: &[u8]) -> io::Result<()> {
        if bytes.len() as u64 > item.max() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} bytes: larger than runway reads back", bytes.len()),
            ));
        }
        self.ready(item)?;
        super::files::write_atomic(&self.path(item), bytes)
    }

    pub fn write_checked(&self, item: Item, body: &[u8]) -> io::Result<()> {
        let mut bytes = format!("{:016x}\n", checksum(item.domain(), body)).into_bytes();
        bytes.extend_from_slice(body);
        self.write(item, &bytes)
    }

    pub fn remove(&self, item: Item) -> io::Result<()> {
        self.usable()?;
        fs::remove_file(self.path(item))
    }

    /// Removes the entry `name` of the folder `dir` (as `list` gave it).
    pub fn remove_in(&self, dir: Item, name: &str) -> io::Result<()> {
        self.usable()?;
        if name.contains('/') || name == ".." {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a name"));
        }
        fs::remove_file(self.path(dir).join(name))
    }

    /// Removes a folder of the cache if it is empty.
    pub fn remove_empty_dir(&self, item: Item) -> io::Result<()> {
        self.usable()?;
        fs::remove_dir(self.path(item))
    }

    /// Removes a folder of the cache and everything in it (links inside are removed, not followed).
    pub fn remove_dir(&self, item: Item) -> io::Result<()> {
        self.usable()?;
        fs::remove_dir_all(self.path(item))
    }

    /// Opens a file kept in place (created empty, 0600): one that is something else (a FIFO, a
    /// device, a link) is removed and made again, and the log says so.
    pub fn open_in_place(&self, item: Item) -> io::Result<File> {
        self.ready(item)?;
        let path = self.path(item);
        for attempt in 0..2 {
            let f = match platform::open_update(&path) {
                Ok(f) => f,
                Err(e) if attempt == 0 && self.heal(&path) => {
                    let _ = e;
                    continue;
                }
                Err(e) => return Err(describe(&path, e)),
            };
            let md = f.metadata()?;
            if md.is_file() {
                return Ok(f);
            }
            drop(f);
            if attempt == 1 || !self.heal(&path) {
                return Err(not_a_file(&path, &md));
            }
        }
        Err(io::Error::other("unreachable"))
    }

    /// Removes what sits under a cache file's name when it is neither a regular file nor a folder.
    fn heal(&self, path: &Path) -> bool {
        let Ok(md) = fs::symlink_metadata(path) else { return false };
        if md.is_file() || md.is_dir() {
            return false;
        }
        let what = platform::kind(&md);
        let removed = fs::remove_file(path).is_ok();
        if removed && path != self.path(Item::Log) {
            self.log(&format!("{} was {what}, not a file runway wrote: replaced", path.display()));
        }
        removed
    }

    /// Takes the lock `item` without waiting: `None` when another run holds it.
    pub fn lock(&self, item: Item) -> io::Result<Option<Locked>> {
        let file = self.open_in_place(item)?;
        Ok(platform::try_lock(&file)?.then_some(Locked { file }))
    }

    /// Takes the lock `item`, waiting for it at most `wait`.
    pub fn lock_within(&self, item: Item, wait: Duration) -> io::Result<Option<Locked>> {
        let file = self.open_in_place(item)?;
        let until = Instant::now() + wait;
        loop {
            if platform::try_lock(&file)? {
                return Ok(Some(Locked { file }));
            }
            if Instant::now() >= until {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Appends one line to the log (the time, this process, `msg` on one line), rotating it past its
    /// bound. Errors are dropped: there is nowhere left to report them.
    pub fn log(&self, msg: &str) {
        let now = super::time::rfc3339(super::time::wall_ms() / 1000 * 1000);
        self.append_log(&format!("{now} [{}] {}\n", std::process::id(), msg.replace('\n', " | ")));
    }

    fn append_log(&self, line: &str) {
        if self.usable().is_err() {
            return;
        }
        let path = self.path(Item::Log);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() > Item::Log.max() / 4) {
            let _ = fs::rename(&path, self.path(Item::OldLog));
        }
        if let Ok(mut f) = self.ready(Item::Log).and_then(|_| self.open_log()) {
            let _ = f.write_all(line.as_bytes());
        }
    }

    /// The log opened for appending, for this process's stderr, right after the run looked at the
    /// directory: one found the user's own is not looked at again, unless it has gone since.
    pub fn log_file(&self) -> io::Result<File> {
        self.usable()?;
        if self.found == Found::Own {
            match self.open_log() {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                r => return r,
            }
        }
        self.ready(Item::Log)?;
        self.open_log()
    }

    fn open_log(&self) -> io::Result<File> {
        let path = self.path(Item::Log);
        let open = || -> io::Result<File> {
            let f = platform::open_append(&path)?;
            let md = f.metadata()?;
            if md.is_file() { Ok(f) } else { Err(not_a_file(&path, &md)) }
        };
        open().or_else(|e| if self.heal(&path) { open() } else { Err(e) })
    }

    /// The entries of a folder of the cache (the cache itself for `None`), by name, as they are (a link
    /// is a link).
    pub fn list(&self, dir: Option<Item>) -> Vec<(String, Metadata)> {
        if self.usable().is_err() {
            return Vec::new();
        }
        let path = dir.map_or_else(|| self.dir.clone(), |d| self.path(d));
        let Ok(rd) = fs::read_dir(path) else { return Vec::new() };
        rd.flatten()
            .filter_map(|e| Some((e.file_name().to_string_lossy().into_owned(), fs::symlink_metadata(e.path()).ok()?)))
            .collect()
    }

    /// Whatever in the cache is not what runway makes there (a link, a FIFO, a device): for `doctor`.
    pub fn survey(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut look = |dir: &Path, entries: Vec<(String, Metadata)>, dirs_ok: bool| {
            for (name, md) in entries {
                if !(md.is_file() || (dirs_ok && md.is_dir())) {
                    out.push(format!(
                        "{} is {}, not a file runway wrote",
                        dir.join(name).display(),
                        platform::kind(&md)
                    ));
                }
            }
        };
        let top = self.list(None);
        let subdirs: Vec<String> = top.iter().filter(|(_, m)| m.is_dir()).map(|(n, _)| n.clone()).collect();
        look(&self.dir, top, true);
        for name in subdirs {
            let path = self.dir.join(&name);
            let entries = fs::read_dir(&path)
                .map(|rd| {
                    rd.flatten()
                        .filter_map(|e| {
                            Some((e.file_name().to_string_lossy().into_owned(), fs::symlink_metadata(e.path()).ok()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            look(&path, entries, false);
        }
        out
    }
}

#[cfg(all(test, unix))]
mod tests;
