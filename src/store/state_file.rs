//! The state's byte layout.
//!
//! Two files, so that the common write stays small:
//!
//! - `state`, rewritten on every change: a header, the head (recently modified files, watched
//!   directories, adjustments to the base, model names, the readings and notices transcripts carried)
//!   and the middle (records pending compaction);
//! - `cold-<gen>` (see `cold`), immutable: the idle files and directories.
//!
//! A prompt that finds nothing changed reads the header and head only; appended lines need the middle
//! too; only a full walk reads the cold file.

use std::io;

use super::cold::{self, ColdRef, get_dirs_and_files, provider, put_dirs_and_files};
use super::state::{Adj, Depth, FromFile, State};
use crate::ground::cache::{Cache, Item};
use crate::ground::codec::{Corrupt, R, Reader, Writer};
use crate::ground::evidence::{LimitHit, Reading};
use crate::ground::hash::{checksum, checksum_of};
use crate::ground::platform::read_exact_at;
use crate::ground::tokens::{Entry, Sums};
use crate::ground::window::Window;
use crate::read::record::Rec;
use crate::read::table::{DirEntry, FileEntry, hot, watched};

const MAGIC: &[u8; 8] = b"RWYSTATE";
/// At most this many recently written files stay in the state, stat-ed by every prompt (files not
/// read to their end stay too, however many): over a hundred thousand files written in the last hours
/// would cost a prompt 200 ms in stats and reading the state alone. The others are looked at by the
/// helper's walk, every `rescan` seconds.
pub const HOT_MAX: usize = 256;
/// Bump whenever the layout or the meaning of anything stored changes: an older cache is rebuilt.
pub const VERSION: u32 = 12;

fn put_entry(w: &mut Writer, e: &Entry) {
    w.i64(e.ts).u32(e.file).u16(e.model).u8(e.flags);
    e.sums.encode(&mut w.buf);
}

fn get_entry(r: &mut Reader) -> R<Entry> {
    let ts = r.i64()?;
    let file = r.u32()?;
    let model = r.u16()?;
    let flags = r.u8()?;
    let sums = Sums::decode(r.take(Sums::SIZE)?);
    Ok(Entry { ts, file, model, flags, sums })
}

fn window(v: u8) -> R<Window> {
    Window::from_u8(v).ok_or(Corrupt)
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

/// What to write: the state file, and a new cold file when the state was complete.
pub struct Encoded {
    pub state: Vec<u8>,
    pub cold: Option<(u64, Vec<u8>)>,
}

/// Encodes a writable state. A complete state is split again: files modified at or after
/// `files_since` and watched directories stay in the state, the rest goes to a new cold file
/// (generation `new_cold`); an incomplete one keeps naming the cold file it was read with.
pub fn encode(st: &mut State, price_hash: u64, files_since: i64, dirs_since: i64, new_cold: u64) -> Encoded {
    debug_assert!(st.writable(), "only a writable state is written");
    let mut cold_out = None;
    let (hot_d, hot_f): (Vec<&DirEntry>, Vec<&FileEntry>) = if st.complete {
        let (hot_d, cold_d): (Vec<&DirEntry>, Vec<&DirEntry>) = st.dirs.iter().partition(|d| watched(d, dirs_since));
        let (mut hot_f, mut cold_f): (Vec<&FileEntry>, Vec<&FileEntry>) =
            st.files.iter().partition(|f| hot(f, files_since));
        if hot_f.len() > HOT_MAX {
            // The most recently written stay; the rest wait for the helper's walk, like idle files.
            hot_f.sort_by_key(|f| (!f.pending, std::cmp::Reverse(f.mtime_ns)));
            let keep = hot_f.iter().take_while(|f| f.pending).count().max(HOT_MAX);
            cold_f.extend(hot_f.drain(keep..));
        }
        if cold_d.is_empty() && cold_f.is_empty() {
            st.cold = ColdRef::default();
        } else {
            let (r, bytes) = cold::encode(new_cold, VERSION, &cold_d, &cold_f);
            st.cold = r;
            cold_out = Some((new_cold, bytes));
        }
        (hot_d, hot_f)
    } else {
        (st.dirs.iter().collect(), st.files.iter().collect())
    };
    let mut head = Writer::default();
    head.u64(st.base_gen).i64(st.written_at).i64(st.last_sweep).u32(st.next_file_id);
    head.u64(st.cold.gen_).u64(st.cold.sum).u32(st.cold.dirs).u32(st.cold.files);
    head.u32(st.models.len() as u32);
    for m in &st.models {
        head.bytes(m.as_bytes());
    }
    head.u32(st.adj.len() as u32);
    for a in &st.adj {
        head.u64(a.msg).u8(a.provider.code()).u32(a.removed.len() as u32);
        for (row, e) in &a.removed {
            head.u32(*row);
            put_entry(&mut head, e);
        }
        head.u32(a.added.len() as u32);
        for e in &a.added {
            put_entry(&mut head, e);
        }
    }
    head.u32(st.timings.len() as u32);
    for (k, v) in &st.timings {
        head.bytes(k.as_bytes()).u64(*v);
    }
    head.u32(st.readings.len() as u32);
    for FromFile { file, value: r } in &st.readings {
        head.u32(*file).u8(r.provider.code()).u8(r.window as u8).u8(u8::from(r.alone));
        head.u64(r.used_percent.to_bits()).i64(r.resets_at).i64(r.observed_at);
        head.bytes(r.bucket.as_bytes()).bytes(r.label.as_bytes());
    }
    head.u32(st.hits.len() as u32);
    for FromFile { file, value: h } in &st.hits {
        head.u32(*file).u8(h.provider.code()).u8(h.window as u8).i64(h.at);
        match h.resets_at {
            Some(t) => head.u8(1).i64(t),
            None => head.u8(0),
        };
    }
    put_dirs_and_files(&mut head, hot_d.into_iter(), hot_f.into_iter());
    let mut mid = Writer::default();
    mid.u32(st.delta.len() as u32);
    for r in &st.delta {
        r.encode(&mut mid.buf);
    }
    mid.u32(st.dead.len() as u32);
    for d in &st.dead {
        mid.u32(*d);
    }
    let mut out = Writer::default();
    out.buf.extend_from_slice(MAGIC);
    out.u32(VERSION).u64(price_hash).u64(head.len() as u64).u64(mid.len() as u64);
    out.u64(checksum("state-mid", &mid.buf)).u64(0);
    let sum = checksum_of("state-head", &[&out.buf[..], &head.buf[..]]);
    out.u64(sum);
    debug_assert_eq!(out.len(), HEADER);
    out.buf.reserve(head.len() + mid.len());
    out.buf.extend_from_slice(&head.buf);
    out.buf.extend_from_slice(&mid.buf);
    Encoded { state: out.buf, cold: cold_out }
}

/// Reads the state of the cache `db`, as much of it as `depth` asks for. `Ok(Err(Corrupt))` means
/// the files are there but cannot be trusted.
pub fn read(cache: &Cache, db: u64, price_hash: u64, depth: Depth) -> io::Result<R<State>> {
    let (f, md) = cache.open(Item::State(db))?;
    let mut header = [0u8; HEADER];
    match read_exact_at(&f, &mut header, 0) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(Err(Corrupt)),
        Err(e) => return Err(e),
    }
    let Ok(h) = Header::of(&header) else { return Ok(Err(Corrupt)) };
    if Some(md.len()) != h.total() {
        return Ok(Err(Corrupt));
    }
    let want = match depth {
        Depth::Warm { .. } => HEADER as u64 + h.head,
        Depth::Update | Depth::Full => h.total().unwrap_or(0),
    };
    let mut b = vec![0u8; want as usize];
    read_exact_at(&f, &mut b, 0)?;
    let mut s = match decode(&b, price_hash, depth) {
        Ok(s) => s,
        Err(c) => return Ok(Err(c)),
    };
    if depth == Depth::Full && s.cold.gen_ != 0 {
        let bytes = match cache.read(Item::Cold(db, s.cold.gen_)) {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Err(Corrupt)),
            Err(e) => return Err(e),
        };
        if let Err(c) = cold::decode(&bytes, &s.cold, VERSION, &mut s.dirs, &mut s.files) {
            return Ok(Err(c));
        }
        s.complete = true;
    }
    Ok(Ok(s))
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
    if checksum_of("state-head", &[&header[..HEADER - 8], head]) != h.head_sum {
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
    // Room for all at once (what a warm read leaves out is never touched): growing by doubling cost
    // a warm prompt 3 more page faults, about 2 µs each on the bench's machine.
    let n = r.count(39)?;
    s.readings.reserve_exact(n);
    for _ in 0..n {
        let file = r.u32()?;
        let (provider, window, alone) = (provider(r.u8()?)?, window(r.u8()?)?, r.u8()? != 0);
        let used_percent = f64::from_bits(r.u64()?);
        let (resets_at, observed_at) = (r.i64()?, r.i64()?);
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| Corrupt);
        let (bucket, label) = (text(r.bytes()?)?, text(r.bytes()?)?);
        let value =
            Reading { provider, window, used_percent, resets_at, observed_at, bucket, label, alone, account: 0 };
        // A month of Codex keeps a thousand readings: decoding them all was half of a warm prompt's
        // load (a page fault per 40 of them, about 2 µs each on the bench's machine).
        if let Depth::Warm { now } = depth
            && !value.recent(now)
        {
            continue;
        }
        s.readings.push(FromFile { file, value });
    }
    for _ in 0..r.count(15)? {
        let file = r.u32()?;
        let (provider, window, at) = (provider(r.u8()?)?, window(r.u8()?)?, r.i64()?);
        let resets_at = match r.u8()? {
            0 => None,
            1 => Some(r.i64()?),
            _ => return Err(Corrupt),
        };
        s.hits.push(FromFile { file, value: LimitHit { provider, window, at, resets_at } });
    }
    get_dirs_and_files(&mut r, &mut s.dirs, &mut s.files)?;
    if !r.done() {
        return Err(Corrupt);
    }
    s.complete = s.cold.gen_ == 0;
    if matches!(depth, Depth::Warm { .. }) {
        return Ok(s);
    }
    let mid = b.get(head_end..).filter(|m| m.len() as u64 == h.mid).ok_or(Corrupt)?;
    if checksum("state-mid", mid) != h.mid_sum {
        return Err(Corrupt);
    }
    let mut r = Reader::new(mid);
    for _ in 0..r.count(Rec::SIZE)? {
        s.delta.push(Rec::decode(r.take(Rec::SIZE)?).ok_or(Corrupt)?);
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

#[cfg(test)]
mod tests;
