//! What runway knows about each transcript file and directory: enough to tell, by a stat, whether
//! there is anything new to read, and where to start reading it.

use super::tail::Mark;
use crate::ground::platform::{bytes, ctime_ns, identity, mtime_ns};
use crate::ground::provider::Provider;

const HOUR_NS: i64 = 3_600_000_000_000;
/// Files modified this recently are stat-ed on every run.
pub const HOT_FILE_NS: i64 = 6 * HOUR_NS;
/// Directories modified this recently are stat-ed on every run.
pub const HOT_DIR_NS: i64 = 48 * HOUR_NS;

/// One transcript file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: Vec<u8>,
    pub provider: Provider,
    pub id: u32,
    pub dev: u64,
    pub ino: u64,
    /// Size, mtime and ctime when last looked at; a change means there may be something to read. The
    /// ctime moves on every write, even one that keeps the size and puts the mtime back.
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    /// Where the next read starts (see `tail::Mark`).
    pub mark: Mark,
    /// Fingerprint of the bytes before `mark.offset` (see `tail`).
    pub fp: u64,
    /// Fingerprint of the file's first bytes (see `tail::head_fingerprint`).
    pub head: u64,
    pub malformed: u32,
    pub oversized: u32,
    /// Reported figures (rate limits) refused as implausible.
    pub implausible: u32,
    /// Fields of an unexpected type, ignored.
    pub odd: u32,
    pub unreadable: bool,
    /// Not read to its end yet (a read's budget ran out): looked at on every run until it is.
    pub pending: bool,
    /// Parser state that must survive between reads (Codex: model, running totals).
    pub aux: Vec<u8>,
    /// The working directory the file says its session ran in (empty until it says).
    pub project: String,
    /// For a file of many sessions, each session's own id for the calls (see `Sub`).
    pub subs: Vec<Sub>,
}

/// A session inside a file of many (OpenCode's database): its calls carry this id instead of the
/// file's, so reports and attribution see the session, and they go with the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sub {
    pub id: u32,
    pub session: String,
    pub project: String,
}

impl FileEntry {
    /// A file that could not be read: kept, so that it is retried when it changes.
    pub fn unreadable(path: Vec<u8>, provider: Provider, id: u32) -> FileEntry {
        FileEntry {
            path,
            provider,
            id,
            dev: 0,
            ino: 0,
            size: 0,
            mtime_ns: 0,
            ctime_ns: 0,
            mark: Mark::default(),
            fp: 0,
            head: 0,
            malformed: 0,
            oversized: 0,
            implausible: 0,
            odd: 0,
            unreadable: true,
            pending: false,
            aux: Vec::new(),
            project: String::new(),
            subs: Vec::new(),
        }
    }
}

/// A directory inside a root; a change of its mtime means entries were added or removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub path: Vec<u8>,
    pub provider: Provider,
    /// 0 for a root, 1 for its children, and so on.
    pub depth: u8,
    pub mtime_ns: i64,
    /// (device, inode): a directory reached again under another name (a link) is walked once.
    pub dev: u64,
    pub ino: u64,
}

/// What a stat says of a file, as the table keeps it. A database's write-ahead log holds its latest
/// writes (often all of them, until a checkpoint): its changes are the database's changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
}

pub fn stamp(provider: Provider, path: &std::path::Path, md: &std::fs::Metadata) -> Stamp {
    let (dev, ino) = identity(path, md);
    let mut s = Stamp { dev, ino, size: md.len(), mtime_ns: mtime_ns(md), ctime_ns: ctime_ns(md) };
    let name = path.file_name().map_or(&b""[..], bytes);
    if let Some(suffix) = (provider.spec().shape)(name).companion() {
        let mut log = path.as_os_str().to_owned();
        log.push(suffix);
        if let Ok(l) = std::fs::metadata(&log) {
            s.size = s.size.saturating_add(l.len());
            s.mtime_ns = s.mtime_ns.max(mtime_ns(&l));
            // Not its ctime: SQLite, run as root, gives the log the database's owner at every
            // connection, a read-only one too, so every run would have read the database again
            // (whole: a change of ctime alone is a rewrite in place). A write moves its mtime.
        }
    }
    s
}

/// Directories the quick check stats on every run: a root, its children (where new sessions appear),
/// and recently changed ones.
pub fn watched(d: &DirEntry, dirs_since_ns: i64) -> bool {
    d.depth <= 1 || d.mtime_ns >= dirs_since_ns
}

/// Files the quick check stats on every run: recently modified ones, and ones not read to the end.
pub fn hot(f: &FileEntry, files_since_ns: i64) -> bool {
    f.mtime_ns >= files_since_ns || f.pending
}

/// The file table, whole or in part.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    pub files: &'a [FileEntry],
    pub dirs: &'a [DirEntry],
    /// Whether `files` and `dirs` hold every entry, or only the hot ones.
    pub complete: bool,
}
