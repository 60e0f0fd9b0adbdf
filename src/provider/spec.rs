//! What runway knows about one tool, as its folder declares it (`SPEC` in each `provider/<tool>/`):
//! its names, where its files are and which matter, how they read, the prices of its vendor's
//! models, and where the service's own figures come from.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::found::Found;
use super::price::Price;
use crate::ground::env::Env;
use crate::ground::evidence::{Follow, Reading};
use crate::ground::provider::Provider;
use crate::ground::window::Window;

pub struct Spec {
    pub provider: Provider,
    /// In settings and `--providers`.
    pub name: &'static str,
    /// For people.
    pub title: &'static str,
    /// In a segment that shows several providers.
    pub letter: &'static str,
    /// The environment variables that move its files (read once, see `ground::env`).
    pub env: &'static [&'static str],
    /// The directories its files are found under.
    pub roots: fn(&Env) -> Vec<PathBuf>,
    /// Whether a file (by name) under a root is one of its own.
    pub wanted: fn(&[u8]) -> bool,
    /// Whether a directory (by its depth below the root and its name) may hold any: a tool whose
    /// folder also holds much else (snapshots, logs) is walked only where its history is.
    pub descend: fn(u8, &[u8]) -> bool,
    /// How a file (by name) reads.
    pub shape: fn(&[u8]) -> Shape,
    /// (project, session) of a file, by its path.
    pub origin: fn(&str) -> (String, String),
    /// The working directory of a file's session, from a small file beside it (Kimi Code's
    /// `state.json`, Gemini CLI's `.project_root`), for a file that does not name it itself.
    pub project_beside: fn(&Path) -> Option<String>,
    /// Its vendor's models, and the family a newer one is priced as.
    pub prices: &'static [Price],
    pub family: fn(&str) -> Option<Family>,
    /// The quota windows of its main pool, in the order they are shown: a rolling 5-hour block of
    /// local use (against a limit learned or configured, or the service's readings), the week, a
    /// calendar month of premium requests.
    pub windows: &'static [Window],
    /// Whether its 5-hour window is the service's quota (Claude Code's, Codex's), so that the
    /// history's blocks can show the limit; else the window is runway's own block of local use, and
    /// only a limit the user sets (`limit_cost`) gives it a share.
    pub learns_limit: bool,
    /// Files outside the history that hold the service's readings (Claude Code's `.claude.json`,
    /// Claude Desktop's usage history), each with how to read it.
    pub reading_files: fn(&Env) -> Vec<ReadingFile>,
    /// Whether a history file's last bytes hold calls whose input side the tool writes only later (a
    /// Copilot CLI session not shut down yet), as of an instant: `status` says so rather than show a
    /// low figure silently. `None` for a tool that writes each call whole: its files' tails are not
    /// read at all (a week of Claude Code's files read for nothing made `status` 13 ms slower on the
    /// bench's history).
    pub awaiting: Option<Awaits>,
}

/// A file of the service's readings, how it reads, its name as `status` gives it, and the most of it
/// read (a larger file is not read at all).
#[derive(Clone, Debug)]
pub struct ReadingFile {
    pub path: PathBuf,
    /// The readings in the file's bytes, and the organisation it names (0 for none); told what the
    /// files before it named and the moment of a replay: a file of several organisations keeps the
    /// one followed then.
    pub read: fn(&[u8], Follow) -> (Vec<Reading>, u64),
    pub name: &'static str,
    pub max: u64,
    /// Whether what it reads hangs on what it is told (Claude Desktop's history: the organisation, a
    /// replay's moment); `.claude.json`'s does not, and keeps one copy whatever it is told.
    pub follows: bool,
}

/// A model's family and version (`claude-opus`, [4, 9]): a newer model of a known family is priced
/// as the newest one the tables know.
pub type Family = (String, Vec<u32>);

/// Whether a file's last bytes end in a session still open, as of an instant, and when its last
/// call or end was (see `Spec::awaiting`): `None` when those bytes hold neither.
pub type Awaits = fn(&[u8], i64) -> Option<(bool, i64)>;

/// A database's read: its path, where the last read left, whether this run has the room to read it
/// whole (the database and its log within its budget), when this run stops reading (a prompt's
/// deadline), what it finds. A read that must take every row, without that room, or that is still
/// going at the deadline, is left to a run with it (`WouldBlock`, as when the tool holds it).
pub type Query = fn(&Path, &[u8], bool, Option<Instant>, &mut Vec<Found<'static>>) -> io::Result<Queried>;

/// What a database's read says of itself.
pub struct Queried {
    /// Where the next read starts.
    pub next: Vec<u8>,
    /// It read every row, because where the last read left was no longer there: what the file gave
    /// before is replaced (rows deleted since are gone), not added to.
    pub whole: bool,
}

/// How a provider's files read.
#[derive(Clone, Copy)]
pub enum Shape {
    /// Append-only lines, read from where the last read stopped; the reader starts from what the
    /// last read left (empty for a file read from its start).
    Lines(fn(&[u8]) -> Box<dyn Lines>),
    /// One document rewritten whole by the tool (or one file a record): read again whole whenever
    /// it changes, into what it holds now (`path`, `bytes`); false when it is no document (cut short
    /// while being written, or damaged).
    Whole(for<'a> fn(&'a [u8], &[u8], &mut Vec<Found<'a>>) -> bool),
    /// A database the tool writes (SQLite, with its write-ahead log beside it as `<name>-wal`): read
    /// through the database engine from where the last read left (`aux`), never by its bytes.
    /// Gives what the next read starts from.
    Database(Query),
}

impl Shape {
    /// The file beside it whose changes are its changes too (a database's write-ahead log).
    pub fn companion(&self) -> Option<&'static str> {
        matches!(self, Shape::Database(_)).then_some("-wal")
    }
}

/// Reads one file line by line, carrying what later lines need.
pub trait Lines {
    /// One complete line, starting at byte `at` of the file at `path`.
    fn line<'a>(&mut self, line: &'a [u8], at: u64, path: &[u8], out: &mut Vec<Found<'a>>);
    /// The end of a read: what the reader held back until it knew what it was.
    fn finish(&mut self, _out: &mut Vec<Found<'static>>) {}
    /// What the next read of this file starts from.
    fn save(&self) -> Vec<u8>;
}

/// For a provider whose every directory under its roots may hold history.
pub fn everywhere(_: u8, _: &[u8]) -> bool {
    true
}

/// For a provider whose files name their project themselves, or nothing does.
pub fn nothing_beside(_: &Path) -> Option<String> {
    None
}

/// A small file beside a history file (a few KiB; larger is not the file the tool writes).
pub fn small_file(path: &Path) -> Option<Vec<u8>> {
    crate::ground::files::read_bounded(path, 64 << 10).ok()
}

/// For a provider with no files of readings.
pub fn no_files(_: &Env) -> Vec<ReadingFile> {
    Vec::new()
}

/// One entry of a path list a tool's variable holds (`CLAUDE_CONFIG_DIR=~/a,~/b`): trimmed, `~`
/// expanded; `None` for an empty one.
pub fn expand(env: &Env, entry: &str) -> Option<PathBuf> {
    let e = entry.trim();
    if e.is_empty() {
        return None;
    }
    match e.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            Some(crate::ground::dirs::home(env)?.join(rest.trim_start_matches('/')))
        }
        _ => Some(PathBuf::from(e)),
    }
}
