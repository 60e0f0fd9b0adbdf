//! What runway knows about the transcripts between invocations: the file table, the records read since
//! the last compaction and how they change the compacted base, and the readings and notices the files
//! carried. Its byte layout is `state_file`.

use super::cold::ColdRef;
use crate::ground::evidence::{LimitHit, Reading};
use crate::ground::provider::Provider;
use crate::ground::tokens::Entry;
use crate::read::record::Rec;
use crate::read::table::{DirEntry, FileEntry, Table};

/// How the records read since compaction change one response's counted calls in the base.
#[derive(Clone, Debug, PartialEq)]
pub struct Adj {
    pub msg: u64,
    pub provider: Provider,
    /// Base rows that no longer count, with what they contributed.
    pub removed: Vec<(u32, Entry)>,
    /// Calls that count now and are not base rows.
    pub added: Vec<Entry>,
}

/// Something a transcript file said besides usage; it goes when the file's contribution is dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct FromFile<T> {
    pub file: u32,
    pub value: T,
}

/// Readings and notices kept per provider and window: the newest.
pub const KEEP_OBS: usize = 64;

/// Timings of the last run that updated the cache, in microseconds, by stage.
pub type Timings = Vec<(String, u64)>;

/// How much of the state to read.
///
/// - `Warm`: the head only, and of its readings those a forecast at `now` looks at
///   (`Reading::recent`): all a prompt needs when nothing changed. Never written back.
/// - `Update`: the head and the records pending compaction; the cold file stays unread and is kept
///   as it is: enough to fold in lines appended to recently modified files.
/// - `Full`: everything, for a full walk or a directory that changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    Full,
    Update,
    Warm { now: i64 },
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// Generation of the base file this state extends; 0 when there is none yet.
    pub base_gen: u64,
    pub written_at: i64,
    pub last_sweep: i64,
    pub next_file_id: u32,
    pub models: Vec<String>,
    /// All files (`complete`), or only the recently modified ones.
    pub files: Vec<FileEntry>,
    /// All directories (`complete`), or only the watched ones.
    pub dirs: Vec<DirEntry>,
    /// Records read since the base was compacted (empty after a warm read).
    pub delta: Vec<Rec>,
    /// Base record indices that no longer exist (file re-read, or superseded by a later line).
    pub dead: Vec<u32>,
    /// Sorted by `msg`.
    pub adj: Vec<Adj>,
    pub timings: Timings,
    /// Oldest first.
    pub readings: Vec<FromFile<Reading>>,
    pub hits: Vec<FromFile<LimitHit>>,
    /// The idle files and directories not in `files` and `dirs`, when not `complete`.
    pub cold: ColdRef,
    /// Whether the cold file was read into `files` and `dirs`.
    pub complete: bool,
    /// Whether the records pending compaction were read (`Update` or `Full`).
    pub has_delta: bool,
}

impl State {
    pub fn empty() -> State {
        State { complete: true, has_delta: true, ..State::default() }
    }

    /// Whether this state may be changed and written back.
    pub fn writable(&self) -> bool {
        self.has_delta
    }

    pub fn file_count(&self) -> usize {
        self.files.len() + if self.complete { 0 } else { self.cold.files as usize }
    }

    pub fn table(&self) -> Table<'_> {
        Table { files: &self.files, dirs: &self.dirs, complete: self.complete }
    }

    pub fn model_id(&mut self, name: &str) -> u16 {
        if let Some(i) = self.models.iter().position(|m| m == name) {
            return i as u16;
        }
        if self.models.len() >= u16::MAX as usize {
            return u16::MAX; // absurdly many names: share the last id rather than fail
        }
        self.models.push(name.to_owned());
        (self.models.len() - 1) as u16
    }
}
