//! What runway knows about each transcript file, the records read since the last compaction, and how
//! they change the compacted base.
//!
//! Two files, so that the common write stays small:
//!
//! - `state`, rewritten on every change: a header, the head (recently modified files, watched
//!   directories, adjustments to the base, model names) and the middle (records pending compaction);
//! - `cold-<gen>`, immutable: the idle files and directories, rewritten only by a full walk or a
//!   changed directory, and named by the state.
//!
//! A prompt that finds nothing changed reads the header and head only; appended lines need the middle
//! too; only a full walk reads the cold file.

use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::codec::{Corrupt, R, Reader, Writer};
use crate::event::{Entry, Provider, Rec, Sums};
use crate::hash::checksum;

const MAGIC: &[u8; 8] = b"RWYSTATE";
const COLD_MAGIC: &[u8; 8] = b"RWYCOLD1";
/// Bump whenever the layout or the meaning of anything stored changes: an older cache is rebuilt.
pub const VERSION: u32 = 4;

/// One transcript file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: Vec<u8>,
    pub provider: Provider,
    pub id: u32,
    pub dev: u64,
    pub ino: u64,
    /// Size and mtime when last looked at; a change means there may be something to read.
    pub size: u64,
    pub mtime_ns: i64,
    /// Just past the last complete line read.
    pub offset: u64,
    /// Fingerprint of the bytes before `offset` (see `tail`).
    pub fp: u64,
    pub malformed: u32,
    pub oversized: u32,
    pub unreadable: bool,
    /// Parser state that must survive between reads (Codex: model, running totals).
    pub aux: Vec<u8>,
}

/// A directory inside a root; a change of its mtime means entries were added or removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub path: Vec<u8>,
    pub provider: Provider,
    /// 0 for a root, 1 for its children, and so on.
    pub depth: u8,
    pub mtime_ns: i64,
}

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

/// What a transcript reported besides usage: the service's own share of a window, or a limit reached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    /// The file it came from: it goes when the file's contribution is dropped.
    pub file: u32,
    pub provider: Provider,
    pub kind: ObsKind,
    pub window: crate::readings::Window,
    pub used_percent: f64,
    /// Milliseconds; 0 when unknown.
    pub resets_at: i64,
    pub at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObsKind {
    /// A `rate_limits` snapshot (Codex).
    Reading = 0,
    /// "Usage limit reached" (Claude's synthetic error line).
    LimitHit = 1,
}

/// Observations kept per provider, kind and window: the newest.
pub const KEEP_OBS: usize = 64;

/// Timings of the last run that updated the cache, in microseconds, by stage.
pub type Timings = Vec<(String, u64)>;

/// How much of the state to read.
///
/// - `Warm`: the head only: all a prompt needs when nothing changed.
/// - `Update`: the head and the records pending compaction; the cold file stays unread and is kept
///   as it is: enough to fold in lines appended to recently modified files.
/// - `Full`: everything, for a full walk or a directory that changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    Full,
    Update,
    Warm,
}

/// The cold file a state names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColdRef {
    /// 0: none.
    pub gen_: u64,
    pub sum: u64,
    pub dirs: u32,
    pub files: u32,
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
    pub observations: Vec<Observation>,
    /// The idle files and directories not in `files` and `dirs`, when not `complete`.
    pub cold: ColdRef,
    /// Whether the cold file was read into `files` and `dirs`.
    pub complete: bool,
    /// Whether the records pending compaction were read (`Update` or `Full`).
    pub has_delta: bool,
}

fn put_entry(w: &mut Writer, e: &Entry) {
    w.i64(e.ts).u16(e.model).u8(e.flags);
    e.sums.encode(&mut w.buf);
}

fn get_entry(r: &mut Reader) -> R<Entry> {
    let ts = r.i64()?;
    let model = r.u16()?;
    let flags = r.u8()?;
    let sums = Sums::decode(r.take(Sums::SIZE)?);
    Ok(Entry { ts, model, flags, sums })
}

fn provider(v: u8) -> R<Provider> {
    Provider::from_u8(v).ok_or(Corrupt)
}

/// Directories the quick check stats on every run: a root, its children, and recently changed ones.
pub fn watched(d: &DirEntry, dirs_since: i64) -> bool {
    d.depth <= 1 || d.mtime_ns >= dirs_since
}

pub fn cold_name(gen_: u64) -> String {
    format!("cold-{gen_:016x}")
}

const HEADER: usize = 8 + 4 + 8 * 6;

/// The fixed header: section lengths and checksums.
struct Header {
    price_hash: u64,
    head: u64,
    mid: u64,
    mid_sum: u64,
    head_sum: u64,
}

impl Header {
    fn of(b: &[u8]) -> R<Header> {
        let mut r = Reader::new(b);
        if r.take(8)? != MAGIC || r.u32()? != VERSION {
            return Err(Corrupt);
        }
        let h = Header { price_hash: r.u64()?, head: r.u64()?, mid: r.u64()?, mid_sum: r.u64()?, head_sum: 0 };
        r.u64()?; // reserved
        Ok(Header { head_sum: r.u64()?, ..h })
    }

    fn total(&self) -> Option<u64> {
        (HEADER as u64).checked_add(self.head)?.checked_add(self.mid)
    }
}

fn put_dirs_and_files<'a>(
    w: &mut Writer,
    dirs: impl ExactSizeIterator<Item = &'a DirEntry>,
    files: impl ExactSizeIterator<Item = &'a FileEntry>,
) {
    w.u32(dirs.len() as u32);
    for d in dirs {
        w.bytes(&d.path).u8(d.provider as u8).u8(d.depth).i64(d.mtime_ns);
    }
    w.u32(files.len() as u32);
    for f in files {
        w.i64(f.mtime_ns).bytes(&f.path).u8(f.provider as u8).u32(f.id).u64(f.dev).u64(f.ino);
        w.u64(f.size).u64(f.offset).u64(f.fp);
        w.u32(f.malformed).u32(f.oversized).u8(u8::from(f.unreadable)).bytes(&f.aux);
    }
}

fn dirs_and_files(r: &mut Reader, dirs: &mut Vec<DirEntry>, files: &mut Vec<FileEntry>) -> R<(u32, u32)> {
    let nd = r.count(14)?;
    for _ in 0..nd {
        dirs.push(DirEntry {
            path: r.bytes()?.to_vec(),
            provider: provider(r.u8()?)?,
            depth: r.u8()?,
            mtime_ns: r.i64()?,
        });
    }
    let nf = r.count(70)?;
    for _ in 0..nf {
        files.push(FileEntry {
            mtime_ns: r.i64()?,
            path: r.bytes()?.to_vec(),
            provider: provider(r.u8()?)?,
            id: r.u32()?,
            dev: r.u64()?,
            ino: r.u64()?,
            size: r.u64()?,
            offset: r.u64()?,
            fp: r.u64()?,
            malformed: r.u32()?,
            oversized: r.u32()?,
            unreadable: r.u8()? != 0,
            aux: r.bytes()?.to_vec(),
        });
    }
    Ok((nd as u32, nf as u32))
}

/// What to write: the state file, and a new cold file when the state was complete.
pub struct Encoded {
    pub state: Vec<u8>,
    pub cold: Option<(u64, Vec<u8>)>,
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

    pub fn model_name(&self, id: u16) -> &str {
        self.models.get(id as usize).map_or("?", String::as_str)
    }

    /// Encodes a writable state. A complete state is split again: files modified at or after
    /// `files_since` and watched directories stay in the state, the rest goes to a new cold file
    /// (generation `new_cold`); an incomplete one keeps naming the cold file it was read with.
    pub fn encode(&mut self, price_hash: u64, files_since: i64, dirs_since: i64, new_cold: u64) -> Encoded {
        debug_assert!(self.writable(), "only a writable state is written");
        let mut cold_out = None;
        let (hot_d, hot_f): (Vec<&DirEntry>, Vec<&FileEntry>) = if self.complete {
            let (hot_d, cold_d): (Vec<&DirEntry>, Vec<&DirEntry>) =
                self.dirs.iter().partition(|d| watched(d, dirs_since));
            let (hot_f, cold_f): (Vec<&FileEntry>, Vec<&FileEntry>) =
                self.files.iter().partition(|f| f.mtime_ns >= files_since);
            if cold_d.is_empty() && cold_f.is_empty() {
                self.cold = ColdRef::default();
            } else {
                let mut w = Writer::default();
                w.buf.extend_from_slice(COLD_MAGIC);
                w.u32(VERSION).u64(new_cold);
                put_dirs_and_files(&mut w, cold_d.iter().copied(), cold_f.iter().copied());
                let sum = checksum("cold", &w.buf);
                self.cold = ColdRef { gen_: new_cold, sum, dirs: cold_d.len() as u32, files: cold_f.len() as u32 };
                cold_out = Some((new_cold, w.buf));
            }
            (hot_d, hot_f)
        } else {
            (self.dirs.iter().collect(), self.files.iter().collect())
        };
        let mut head = Writer::default();
        head.u64(self.base_gen).i64(self.written_at).i64(self.last_sweep).u32(self.next_file_id);
        head.u64(self.cold.gen_).u64(self.cold.sum).u32(self.cold.dirs).u32(self.cold.files);
        head.u32(self.models.len() as u32);
        for m in &self.models {
            head.bytes(m.as_bytes());
        }
        head.u32(self.adj.len() as u32);
        for a in &self.adj {
            head.u64(a.msg).u8(a.provider as u8).u32(a.removed.len() as u32);
            for (row, e) in &a.removed {
                head.u32(*row);
                put_entry(&mut head, e);
            }
            head.u32(a.added.len() as u32);
            for e in &a.added {
                put_entry(&mut head, e);
            }
        }
        head.u32(self.timings.len() as u32);
        for (k, v) in &self.timings {
            head.bytes(k.as_bytes()).u64(*v);
        }
        head.u32(self.observations.len() as u32);
        for o in &self.observations {
            let w = match o.window {
                crate::readings::Window::FiveHour => 0,
                crate::readings::Window::SevenDay => 1,
            };
            head.u32(o.file)
                .u8(o.provider as u8)
                .u8(o.kind as u8)
                .u8(w)
                .u64(o.used_percent.to_bits())
                .i64(o.resets_at)
                .i64(o.at);
        }
        put_dirs_and_files(&mut head, hot_d.into_iter(), hot_f.into_iter());
        let mut mid = Writer::default();
        mid.u32(self.delta.len() as u32);
        for r in &self.delta {
            r.encode(&mut mid.buf);
        }
        mid.u32(self.dead.len() as u32);
        for d in &self.dead {
            mid.u32(*d);
        }
        let mut out = Writer::default();
        out.buf.extend_from_slice(MAGIC);
        out.u32(VERSION).u64(price_hash).u64(head.len() as u64).u64(mid.len() as u64);
        out.u64(checksum("state-mid", &mid.buf)).u64(0);
        let sum = checksum("state-head", &[&out.buf[..], &head.buf[..]].concat());
        out.u64(sum);
        debug_assert_eq!(out.len(), HEADER);
        out.buf.reserve(head.len() + mid.len());
        out.buf.extend_from_slice(&head.buf);
        out.buf.extend_from_slice(&mid.buf);
        Encoded { state: out.buf, cold: cold_out }
    }

    /// Reads the state in `dir`, as much of it as `depth` asks for. `Ok(Err(Corrupt))` means the
    /// files are there but cannot be trusted.
    pub fn read(dir: &Path, price_hash: u64, depth: Depth) -> io::Result<R<State>> {
        let f = std::fs::File::open(dir.join("state"))?;
        let mut header = [0u8; HEADER];
        match f.read_exact_at(&mut header, 0) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(Err(Corrupt)),
            Err(e) => return Err(e),
        }
        let Ok(h) = Header::of(&header) else { return Ok(Err(Corrupt)) };
        if Some(f.metadata()?.len()) != h.total() {
            return Ok(Err(Corrupt));
        }
        let want = match depth {
            Depth::Warm => HEADER as u64 + h.head,
            Depth::Update | Depth::Full => h.total().unwrap_or(0),
        };
        let mut b = vec![0u8; want as usize];
        f.read_exact_at(&mut b, 0)?;
        let mut s = match State::decode(&b, price_hash, depth) {
            Ok(s) => s,
            Err(c) => return Ok(Err(c)),
        };
        if depth == Depth::Full && s.cold.gen_ != 0 {
            let cold = match std::fs::read(dir.join(cold_name(s.cold.gen_))) {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Err(Corrupt)),
                Err(e) => return Err(e),
            };
            if let Err(c) = s.absorb_cold(&cold) {
                return Ok(Err(c));
            }
        }
        Ok(Ok(s))
    }

    fn absorb_cold(&mut self, b: &[u8]) -> R<()> {
        if checksum("cold", b) != self.cold.sum {
            return Err(Corrupt);
        }
        let mut r = Reader::new(b);
        if r.take(8)? != COLD_MAGIC || r.u32()? != VERSION || r.u64()? != self.cold.gen_ {
            return Err(Corrupt);
        }
        let (d, f) = dirs_and_files(&mut r, &mut self.dirs, &mut self.files)?;
        if !r.done() || (d, f) != (self.cold.dirs, self.cold.files) {
            return Err(Corrupt);
        }
        self.complete = true;
        Ok(())
    }

    /// Decodes the state file (or the part of it `depth` needs); any mismatch (magic, version, price
    /// table, checksum, bounds) is `Corrupt`. The cold file is not part of it.
    pub fn decode(b: &[u8], price_hash: u64, depth: Depth) -> R<State> {
        let header = b.get(..HEADER).ok_or(Corrupt)?;
        let h = Header::of(header)?;
        if h.price_hash != price_hash {
            return Err(Corrupt);
        }
        let head_end = HEADER.checked_add(usize::try_from(h.head).map_err(|_| Corrupt)?).ok_or(Corrupt)?;
        let head = b.get(HEADER..head_end).ok_or(Corrupt)?;
        if checksum("state-head", &[&header[..HEADER - 8], head].concat()) != h.head_sum {
            return Err(Corrupt);
        }
        let mut r = Reader::new(head);
        let mut s = State { base_gen: r.u64()?, written_at: r.i64()?, last_sweep: r.i64()?, ..State::default() };
        s.next_file_id = r.u32()?;
        s.cold = ColdRef { gen_: r.u64()?, sum: r.u64()?, dirs: r.u32()?, files: r.u32()? };
        for _ in 0..r.count(4)? {
            s.models.push(String::from_utf8(r.bytes()?.to_vec()).map_err(|_| Corrupt)?);
        }
        for _ in 0..r.count(17)? {
            let msg = r.u64()?;
            let provider = provider(r.u8()?)?;
            let mut a = Adj { msg, provider, removed: Vec::new(), added: Vec::new() };
            for _ in 0..r.count(63)? {
                let row = r.u32()?;
                a.removed.push((row, get_entry(&mut r)?));
            }
            for _ in 0..r.count(59)? {
                a.added.push(get_entry(&mut r)?);
            }
            s.adj.push(a);
        }
        for _ in 0..r.count(12)? {
            let k = String::from_utf8(r.bytes()?.to_vec()).map_err(|_| Corrupt)?;
            s.timings.push((k, r.u64()?));
        }
        for _ in 0..r.count(31)? {
            let file = r.u32()?;
            let provider = provider(r.u8()?)?;
            let kind = match r.u8()? {
                0 => ObsKind::Reading,
                1 => ObsKind::LimitHit,
                _ => return Err(Corrupt),
            };
            let window = match r.u8()? {
                0 => crate::readings::Window::FiveHour,
                1 => crate::readings::Window::SevenDay,
                _ => return Err(Corrupt),
            };
            let used_percent = f64::from_bits(r.u64()?);
            s.observations.push(Observation {
                file,
                provider,
                kind,
                window,
                used_percent,
                resets_at: r.i64()?,
                at: r.i64()?,
            });
        }
        dirs_and_files(&mut r, &mut s.dirs, &mut s.files)?;
        if !r.done() {
            return Err(Corrupt);
        }
        s.complete = s.cold.gen_ == 0;
        if depth == Depth::Warm {
            return Ok(s);
        }
        let mid = b.get(head_end..).filter(|m| m.len() as u64 == h.mid).ok_or(Corrupt)?;
        if checksum("state-mid", mid) != h.mid_sum {
            return Err(Corrupt);
        }
        let mut r = Reader::new(mid);
        for _ in 0..r.count(Rec::SIZE)? {
            s.delta.push(Rec::decode(r.take(Rec::SIZE)?));
        }
        for _ in 0..r.count(4)? {
            s.dead.push(r.u32()?);
        }
        if !r.done() {
            return Err(Corrupt);
        }
        s.has_delta = true;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Tokens;

    fn file(path: &str, mtime_ns: i64) -> FileEntry {
        FileEntry {
            path: path.as_bytes().to_vec(),
            provider: Provider::Claude,
            id: 1,
            dev: 2,
            ino: 3,
            size: 100,
            mtime_ns,
            offset: 90,
            fp: 8,
            malformed: 1,
            oversized: 0,
            unreadable: false,
            aux: vec![1, 2],
        }
    }

    fn dir(path: &str, depth: u8, mtime_ns: i64) -> DirEntry {
        DirEntry { path: path.as_bytes().to_vec(), provider: Provider::Claude, depth, mtime_ns }
    }

    fn sample() -> State {
        let rec = Rec {
            ts: 5,
            msg: 6,
            key: 7,
            tok: Tokens { input: 1, ..Tokens::default() },
            cost: 2,
            file: 1,
            model: 0,
            flags: 0,
            provider: 0,
        };
        State {
            base_gen: 4,
            written_at: 10,
            last_sweep: 9,
            next_file_id: 2,
            models: vec!["claude-opus-4-6".into()],
            files: vec![file("/p/a.jsonl", 100), file("/p/old.jsonl", 1)],
            dirs: vec![dir("/p", 0, 3), dir("/p/a/b", 2, 1), dir("/p/a/c", 2, 100)],
            delta: vec![rec],
            dead: vec![3, 9],
            adj: vec![Adj {
                msg: 6,
                provider: Provider::Claude,
                removed: vec![(2, rec.entry())],
                added: vec![rec.entry()],
            }],
            timings: vec![("read".into(), 12)],
            observations: vec![Observation {
                file: 1,
                provider: Provider::Codex,
                kind: ObsKind::Reading,
                window: crate::readings::Window::SevenDay,
                used_percent: 31.5,
                resets_at: 99,
                at: 7,
            }],
            ..State::empty()
        }
    }

    fn write(dir: &Path, e: &Encoded) {
        std::fs::write(dir.join("state"), &e.state).unwrap();
        if let Some((g, b)) = &e.cold {
            std::fs::write(dir.join(cold_name(*g)), b).unwrap();
        }
    }

    #[test]
    fn round_trip_through_state_and_cold_files() {
        let d = tempfile::tempdir().unwrap();
        let mut s = sample();
        let e = s.encode(1, 50, 50, 77);
        assert!(e.cold.is_some(), "the idle file and dir go to a cold file");
        write(d.path(), &e);
        let full = State::read(d.path(), 1, Depth::Full).unwrap().unwrap();
        assert!(full.complete && full.has_delta);
        let mut paths: Vec<&[u8]> = full.files.iter().map(|f| f.path.as_slice()).collect();
        paths.sort();
        assert_eq!(paths, vec![&b"/p/a.jsonl"[..], b"/p/old.jsonl"]);
        assert_eq!(full.dirs.len(), 3);
        assert_eq!(
            (full.delta.clone(), full.dead.clone(), full.adj.clone()),
            (s.delta.clone(), s.dead.clone(), s.adj.clone())
        );
        assert_eq!(full.models, s.models);
        assert_eq!(full.observations, s.observations);
        assert_eq!(full.file_count(), 2);
    }

    #[test]
    fn warm_and_update_reads_stay_out_of_the_cold_file() {
        let d = tempfile::tempdir().unwrap();
        let mut s = sample();
        write(d.path(), &s.encode(1, 50, 50, 77));
        let w = State::read(d.path(), 1, Depth::Warm).unwrap().unwrap();
        assert!(!w.complete && !w.writable());
        assert_eq!(w.files.len(), 1);
        let dirs: Vec<&[u8]> = w.dirs.iter().map(|d| d.path.as_slice()).collect();
        assert_eq!(dirs, vec![&b"/p"[..], b"/p/a/c"]);
        assert!(w.delta.is_empty());
        assert_eq!(w.adj, s.adj);
        assert_eq!(w.file_count(), 2);

        // An update changes a hot file and writes the state alone, still naming the same cold file.
        let mut u = State::read(d.path(), 1, Depth::Update).unwrap().unwrap();
        assert!(u.writable() && !u.complete);
        assert_eq!((u.delta.len(), u.dead.len()), (1, 2));
        u.files[0].offset = 99;
        u.delta.clear();
        let e = u.encode(1, 50, 50, 78);
        assert!(e.cold.is_none());
        write(d.path(), &e);
        let again = State::read(d.path(), 1, Depth::Full).unwrap().unwrap();
        assert_eq!(again.files.len(), 2);
        assert!(again.files.iter().any(|f| f.offset == 99));
        assert!(again.delta.is_empty());

        // A missing or damaged cold file spoils only full reads.
        std::fs::remove_file(d.path().join(cold_name(77))).unwrap();
        assert!(State::read(d.path(), 1, Depth::Warm).unwrap().is_ok());
        assert!(State::read(d.path(), 1, Depth::Full).unwrap().is_err());
    }

    #[test]
    fn refuses_damage_and_other_versions() {
        let b = sample().encode(1, 0, 0, 5).state;
        let dec = |b: &[u8]| State::decode(b, 1, Depth::Update);
        assert!(dec(&b).is_ok());
        assert!(State::decode(&b, 2, Depth::Update).is_err(), "another price table");
        assert!(dec(&b[..b.len() - 3]).is_err(), "truncated");
        for i in [20, HEADER + 3, b.len() - 2] {
            let mut flipped = b.clone();
            flipped[i] ^= 1;
            assert!(dec(&flipped).is_err(), "a flipped bit at {i}");
        }
        let mut old = b.clone();
        old[8..12].copy_from_slice(&(VERSION - 1).to_le_bytes());
        assert!(dec(&old).is_err(), "an older version");
        assert!(dec(b"").is_err());
        assert!(dec(&[0xff; 64]).is_err());
    }
}
