//! The small cache file rewritten on every change: what runway knows about each transcript file, the
//! records read since the last compaction, and how they change the compacted base.

use crate::codec::{Corrupt, R, Reader, Writer};
use crate::event::{Entry, Provider, Rec, Sums};
use crate::hash::Hasher;

const MAGIC: &[u8; 8] = b"RWYSTATE";
/// Bump whenever the layout or the meaning of anything stored changes: an older cache is rebuilt.
pub const VERSION: u32 = 3;

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

/// Timings of the last run that updated the cache, in microseconds, by stage.
pub type Timings = Vec<(String, u64)>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// Generation of the base file this state extends; 0 when there is none yet.
    pub base_gen: u64,
    pub written_at: i64,
    pub last_sweep: i64,
    pub next_file_id: u32,
    pub models: Vec<String>,
    pub files: Vec<FileEntry>,
    pub dirs: Vec<DirEntry>,
    /// Records read since the base was compacted.
    pub delta: Vec<Rec>,
    /// Base record indices that no longer exist (file re-read, or superseded by a later line).
    pub dead: Vec<u32>,
    /// Sorted by `msg`.
    pub adj: Vec<Adj>,
    pub timings: Timings,
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
    Ok(Entry {
        ts,
        model,
        flags,
        sums,
    })
}

fn provider(v: u8) -> R<Provider> {
    Provider::from_u8(v).ok_or(Corrupt)
}

impl State {
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

    pub fn malformed(&self) -> u64 {
        self.files.iter().map(|f| u64::from(f.malformed)).sum()
    }

    pub fn encode(&self, price_hash: u64) -> Vec<u8> {
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.u32(VERSION).u64(price_hash);
        w.u64(self.base_gen)
            .i64(self.written_at)
            .i64(self.last_sweep)
            .u32(self.next_file_id);
        w.u32(self.models.len() as u32);
        for m in &self.models {
            w.bytes(m.as_bytes());
        }
        w.u32(self.files.len() as u32);
        for f in &self.files {
            w.bytes(&f.path)
                .u8(f.provider as u8)
                .u32(f.id)
                .u64(f.dev)
                .u64(f.ino);
            w.u64(f.size).i64(f.mtime_ns).u64(f.offset).u64(f.fp);
            w.u32(f.malformed)
                .u32(f.oversized)
                .u8(u8::from(f.unreadable))
                .bytes(&f.aux);
        }
        w.u32(self.dirs.len() as u32);
        for d in &self.dirs {
            w.bytes(&d.path)
                .u8(d.provider as u8)
                .u8(d.depth)
                .i64(d.mtime_ns);
        }
        w.u32(self.delta.len() as u32);
        for r in &self.delta {
            r.encode(&mut w.buf);
        }
        w.u32(self.dead.len() as u32);
        for d in &self.dead {
            w.u32(*d);
        }
        w.u32(self.adj.len() as u32);
        for a in &self.adj {
            w.u64(a.msg)
                .u8(a.provider as u8)
                .u32(a.removed.len() as u32);
            for (row, e) in &a.removed {
                w.u32(*row);
                put_entry(&mut w, e);
            }
            w.u32(a.added.len() as u32);
            for e in &a.added {
                put_entry(&mut w, e);
            }
        }
        w.u32(self.timings.len() as u32);
        for (k, v) in &self.timings {
            w.bytes(k.as_bytes()).u64(*v);
        }
        let sum = Hasher::new("state").write(&w.buf).finish();
        w.u64(sum);
        w.buf
    }

    /// Decodes a state file; any mismatch (magic, version, price table, checksum, bounds) is `Corrupt`.
    pub fn decode(b: &[u8], price_hash: u64) -> R<State> {
        if b.len() < MAGIC.len() + 12 || &b[..8] != MAGIC || b[8..12] != VERSION.to_le_bytes() {
            return Err(Corrupt);
        }
        let (body, sum) = b.split_at(b.len() - 8);
        if Hasher::new("state").write(body).finish() != u64::from_le_bytes(sum.try_into().unwrap())
        {
            return Err(Corrupt);
        }
        let mut r = Reader::new(body);
        if r.take(8)? != MAGIC || r.u32()? != VERSION || r.u64()? != price_hash {
            return Err(Corrupt);
        }
        let mut s = State {
            base_gen: r.u64()?,
            written_at: r.i64()?,
            last_sweep: r.i64()?,
            ..State::default()
        };
        s.next_file_id = r.u32()?;
        for _ in 0..r.count(4)? {
            s.models
                .push(String::from_utf8(r.bytes()?.to_vec()).map_err(|_| Corrupt)?);
        }
        for _ in 0..r.count(60)? {
            s.files.push(FileEntry {
                path: r.bytes()?.to_vec(),
                provider: provider(r.u8()?)?,
                id: r.u32()?,
                dev: r.u64()?,
                ino: r.u64()?,
                size: r.u64()?,
                mtime_ns: r.i64()?,
                offset: r.u64()?,
                fp: r.u64()?,
                malformed: r.u32()?,
                oversized: r.u32()?,
                unreadable: r.u8()? != 0,
                aux: r.bytes()?.to_vec(),
            });
        }
        for _ in 0..r.count(14)? {
            s.dirs.push(DirEntry {
                path: r.bytes()?.to_vec(),
                provider: provider(r.u8()?)?,
                depth: r.u8()?,
                mtime_ns: r.i64()?,
            });
        }
        for _ in 0..r.count(Rec::SIZE)? {
            s.delta.push(Rec::decode(r.take(Rec::SIZE)?));
        }
        for _ in 0..r.count(4)? {
            s.dead.push(r.u32()?);
        }
        for _ in 0..r.count(17)? {
            let msg = r.u64()?;
            let provider = provider(r.u8()?)?;
            let mut a = Adj {
                msg,
                provider,
                removed: Vec::new(),
                added: Vec::new(),
            };
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
        if !r.done() {
            return Err(Corrupt);
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Tokens;

    fn sample() -> State {
        let rec = Rec {
            ts: 5,
            msg: 6,
            key: 7,
            tok: Tokens {
                input: 1,
                ..Tokens::default()
            },
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
            files: vec![FileEntry {
                path: b"/p/a.jsonl".to_vec(),
                provider: Provider::Claude,
                id: 1,
                dev: 2,
                ino: 3,
                size: 100,
                mtime_ns: 5,
                offset: 90,
                fp: 8,
                malformed: 1,
                oversized: 0,
                unreadable: false,
                aux: vec![1, 2],
            }],
            dirs: vec![DirEntry {
                path: b"/p".to_vec(),
                provider: Provider::Codex,
                depth: 0,
                mtime_ns: 3,
            }],
            delta: vec![rec],
            dead: vec![3, 9],
            adj: vec![Adj {
                msg: 6,
                provider: Provider::Claude,
                removed: vec![(2, rec.entry())],
                added: vec![rec.entry()],
            }],
            timings: vec![("read".into(), 12)],
        }
    }

    #[test]
    fn round_trip() {
        let s = sample();
        assert_eq!(State::decode(&s.encode(1), 1).unwrap(), s);
    }

    #[test]
    fn refuses_damage_and_other_versions() {
        let b = sample().encode(1);
        assert!(State::decode(&b, 2).is_err(), "another price table");
        assert!(State::decode(&b[..b.len() - 3], 1).is_err(), "truncated");
        let mut flipped = b.clone();
        flipped[40] ^= 1;
        assert!(State::decode(&flipped, 1).is_err(), "a flipped bit");
        // An older version with an intact checksum is still refused.
        let mut old = b[..b.len() - 8].to_vec();
        old[8..12].copy_from_slice(&(VERSION - 1).to_le_bytes());
        let sum = Hasher::new("state").write(&old).finish();
        old.extend_from_slice(&sum.to_le_bytes());
        assert!(State::decode(&old, 1).is_err(), "an older version");
        assert!(State::decode(b"", 1).is_err());
        assert!(State::decode(&[0xff; 64], 1).is_err());
    }
}
