//! The compacted cache file, `base-<gen>`: written once per compaction, then only read, by offset.
//!
//! It holds every stored record sorted by (msg, key, file) so that a new line finds its duplicates by
//! binary search; the calls that count ("rows"), per provider, sorted by time with running sums, so any
//! time range is summed from two rows; and the 5-hour blocks over those rows. Opening reads the header
//! and the block table; rows and records are read a page at a time, each page at most once per run.

use std::fs::File;
use std::io;

use super::blob::Blob;
use super::pages::{self, Pages, Section, corrupt};

use crate::ground::block::Block;
use crate::ground::codec::{Corrupt, Reader, Writer};
use crate::ground::hash::{checksum, checksum_of};
use crate::ground::provider::Provider;
use crate::ground::tokens::{Entry, Pico, Sums, Totals};
use crate::read::record::Rec;

const MAGIC: &[u8; 8] = b"RWYBASE1";
pub const VERSION: u32 = 8;
pub const NONE: u32 = u32::MAX;
pub const NP: usize = Provider::ALL.len();

const HEADER: usize = 8 + 4 + 8 + 8 + 8 + 4 + 4 + NP * 8 + 4;
const REC: usize = Rec::SIZE + 4;
const ROW: usize = 16 + Sums::SIZE;
const BLOCK: usize = 8 + 4 + 4 + 8 + 8 + 8 + Sums::SIZE + 8 + 16;
const UNPRICED_SIZE: usize = 1 + 1 + 2 + 8 + 8;
const FILE_IDX: usize = 8;

/// A counted call, with the running sums of every row up to and including it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub ts: i64,
    pub model: u16,
    pub flags: u8,
    /// The transcript file the call was read from.
    pub file: u32,
    pub cum: Sums,
}

impl Row {
    fn encode(&self, w: &mut Writer) {
        w.i64(self.ts).u16(self.model).u8(self.flags).u8(0).u32(self.file);
        self.cum.encode(&mut w.buf);
    }

    /// `b` holds `ROW` bytes.
    fn decode(b: &[u8]) -> Row {
        Row {
            ts: i64::from_le_bytes(b[..8].try_into().unwrap()),
            model: u16::from_le_bytes(b[8..10].try_into().unwrap()),
            flags: b[10],
            file: u32::from_le_bytes(b[12..16].try_into().unwrap()),
            cum: Sums::decode(&b[16..ROW]),
        }
    }

    /// This row as a call, given the running sums of the row before it.
    pub fn entry(&self, prev_cum: Sums) -> Entry {
        Entry { ts: self.ts, file: self.file, model: self.model, flags: self.flags, sums: self.cum - prev_cum }
    }
}

/// A block over rows `first_row..=last_row`, with the largest completed block up to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseBlock {
    pub block: Block,
    pub first_row: u32,
    pub last_row: u32,
    /// Largest token total and cost among blocks up to and including this one.
    pub max_tokens: u64,
    pub max_cost: Pico,
}

/// A model without a price of its own and when it was used: unpriced, or priced as its family's
/// newest (`assumed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unpriced {
    pub provider: Provider,
    pub assumed: bool,
    pub model: u16,
    pub first: i64,
    pub last: i64,
}

/// Everything a base file holds, in memory: what compaction produces before writing it.
#[derive(Debug, Default)]
pub struct Built {
    pub records: Vec<Rec>,
    /// For each record, its row in its provider's rows, or `NONE` when it does not count.
    pub winner_row: Vec<u32>,
    pub rows: [Vec<Row>; NP],
    pub blocks: [Vec<BaseBlock>; NP],
    pub unpriced: Vec<Unpriced>,
}

fn put_block(w: &mut Writer, b: &BaseBlock) {
    w.i64(b.block.start).u32(b.first_row).u32(b.last_row).i64(b.block.first).i64(b.block.last);
    w.u64(b.block.totals.entries);
    b.block.totals.sums.encode(&mut w.buf);
    w.u64(b.max_tokens).u128(b.max_cost);
}

fn get_block(r: &mut Reader) -> Result<BaseBlock, Corrupt> {
    let start = r.i64()?;
    let first_row = r.u32()?;
    let last_row = r.u32()?;
    let first = r.i64()?;
    let last = r.i64()?;
    let entries = r.u64()?;
    let sums = Sums::decode(r.take(Sums::SIZE)?);
    Ok(BaseBlock {
        block: Block { start, first, last, totals: Totals { entries, sums } },
        first_row,
        last_row,
        max_tokens: r.u64()?,
        max_cost: r.u128()?,
    })
}

/// Serialises a built base. Layout: header, block tables, unpriced list, checksum of all that (the
/// part read on open), then records, the file index, and the rows of each provider, each section in
/// checksummed pages (see `pages`).
pub fn encode(b: &Built, gen_: u64, price_hash: u64) -> Vec<u8> {
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    w.u32(VERSION).u64(gen_).u64(price_hash);
    let sections = layout(
        b.records.len() as u32,
        b.blocks.iter().map(|v| v.len()).sum::<usize>() as u64 * BLOCK as u64
            + b.unpriced.len() as u64 * UNPRICED_SIZE as u64,
        std::array::from_fn(|p| b.rows[p].len() as u32),
    );
    let total = sections.last().map_or(0, |s| s.at + s.len()) as usize;
    // Its size is known: one allocation, not a buffer doubled (and copied) up to twice its size.
    w.buf.reserve_exact(total.saturating_sub(w.buf.len()));
    w.u64(total as u64);
    w.u32(b.records.len() as u32);
    w.u32(b.unpriced.len() as u32);
    for p in 0..NP {
        w.u32(b.rows[p].len() as u32).u32(b.blocks[p].len() as u32);
    }
    w.u32(0); // reserved
    debug_assert_eq!(w.len(), HEADER);
    for blocks in &b.blocks {
        for blk in blocks {
            put_block(&mut w, blk);
        }
    }
    for u in &b.unpriced {
        w.u8(u.provider.code()).u8(u8::from(u.assumed)).u16(u.model).i64(u.first).i64(u.last);
    }
    let sum = checksum("base-head", &w.buf);
    w.u64(sum);
    pages::write(&mut w.buf, gen_, 0, REC, b.records.len(), |i, page| {
        b.records[i].encode(page);
        page.extend_from_slice(&b.winner_row[i].to_le_bytes());
    });
    let mut by_file: Vec<(u32, u32)> = b.records.iter().enumerate().map(|(i, r)| (r.file, i as u32)).collect();
    by_file.sort_unstable();
    pages::write(&mut w.buf, gen_, 1, FILE_IDX, by_file.len(), |i, page| {
        page.extend_from_slice(&by_file[i].0.to_le_bytes());
        page.extend_from_slice(&by_file[i].1.to_le_bytes());
    });
    for (p, rows) in b.rows.iter().enumerate() {
        pages::write(&mut w.buf, gen_, 2 + p as u8, ROW, rows.len(), |i, page| {
            let mut item = Writer { buf: std::mem::take(page) };
            rows[i].encode(&mut item);
            *page = item.buf;
        });
    }
    debug_assert_eq!(w.len(), total);
    w.buf
}

/// The item sections after the head (whose size is `table` bytes past the header): records, the
/// file index, and each provider's rows.
fn layout(records: u32, table: u64, rows: [u32; NP]) -> Vec<Section> {
    let records_sec = Section { id: 0, at: HEADER as u64 + table + 8, item: REC, count: records };
    let mut out = vec![records_sec, records_sec.next(1, FILE_IDX, records)];
    for (p, &n) in rows.iter().enumerate() {
        let last = out[out.len() - 1];
        out.push(last.next(2 + p as u8, ROW, n));
    }
    out
}

/// A base file opened for reading by offset.
pub struct Base {
    pages: Pages,
    pub gen_: u64,
    pub records: u32,
    record_sec: Section,
    file_idx_sec: Section,
    row_secs: [Section; NP],
    pub rows: [u32; NP],
    pub blocks: [Vec<BaseBlock>; NP],
    pub unpriced: Vec<Unpriced>,
}

impl Base {
    /// The base in `file` of `len` bytes (opened by `Cache`, which checked what it is).
    pub fn from_file(file: File, len: u64, gen_: u64, price_hash: u64) -> io::Result<Base> {
        Base::read(Blob::File(file, len), gen_, price_hash)
    }

    #[cfg(test)]
    pub fn open(path: &std::path::Path, gen_: u64, price_hash: u64) -> io::Result<Base> {
        Base::from_file(File::open(path)?, std::fs::metadata(path)?.len(), gen_, price_hash)
    }

    /// A base from the bytes `encode` made, never written (the cache cannot be).
    pub fn in_memory(bytes: Vec<u8>, gen_: u64, price_hash: u64) -> io::Result<Base> {
        Base::read(Blob::Memory(bytes), gen_, price_hash)
    }

    fn read(file: Blob, gen_: u64, price_hash: u64) -> io::Result<Base> {
        let len = file.len();
        let mut head = [0u8; HEADER];
        file.read_exact_at(&mut head, 0)?;
        let mut r = Reader::new(&head);
        let parse = |r: &mut Reader| -> Result<_, Corrupt> {
            if r.take(8)? != MAGIC || r.u32()? != VERSION || r.u64()? != gen_ || r.u64()? != price_hash {
                return Err(Corrupt);
            }
            let total = r.u64()?;
            let records = r.u32()?;
            let unpriced = r.u32()?;
            let mut rows = [0u32; NP];
            let mut nblocks = [0u32; NP];
            for p in 0..NP {
                rows[p] = r.u32()?;
                nblocks[p] = r.u32()?;
            }
            Ok((total, records, unpriced, rows, nblocks))
        };
        let (total, records, nunpriced, rows, nblocks) = parse(&mut r).map_err(|_| corrupt())?;
        if total != len {
            return Err(corrupt());
        }
        let table =
            nblocks.iter().map(|&n| n as u64 * BLOCK as u64).sum::<u64>() + nunpriced as u64 * UNPRICED_SIZE as u64;
        if HEADER as u64 + table + 8 > len {
            return Err(corrupt());
        }
        let mut rest = vec![0u8; table as usize + 8];
        file.read_exact_at(&mut rest, HEADER as u64)?;
        let (body, sum) = rest.split_at(table as usize);
        if checksum_of("base-head", &[&head[..], body]) != u64::from_le_bytes(sum.try_into().unwrap()) {
            return Err(corrupt());
        }
        let mut r = Reader::new(body);
        let mut blocks: [Vec<BaseBlock>; NP] = Default::default();
        for p in 0..NP {
            for _ in 0..nblocks[p] {
                blocks[p].push(get_block(&mut r).map_err(|_| corrupt())?);
            }
        }
        let mut unpriced = Vec::new();
        for _ in 0..nunpriced {
            let mut one = || -> Result<Unpriced, Corrupt> {
                Ok(Unpriced {
                    provider: Provider::from_code(r.u8()?).ok_or(Corrupt)?,
                    assumed: r.u8()? != 0,
                    model: r.u16()?,
                    first: r.i64()?,
                    last: r.i64()?,
                })
            };
            unpriced.push(one().map_err(|_| corrupt())?);
        }
        let secs = layout(records, table, rows);
        if secs.last().map(|s| s.at + s.len()) != Some(len) {
            return Err(corrupt());
        }
        Ok(Base {
            pages: Pages::new(file, gen_),
            gen_,
            records,
            record_sec: secs[0],
            file_idx_sec: secs[1],
            row_secs: std::array::from_fn(|p| secs[2 + p]),
            rows,
            blocks,
            unpriced,
        })
    }

    fn item<T>(&self, sec: &Section, i: u32, f: impl FnOnce(&[u8]) -> T) -> io::Result<T> {
        let (p, at) = self.pages.item(sec, i)?;
        Ok(f(&p[at..at + sec.item]))
    }

    pub fn row(&self, p: Provider, i: u32) -> io::Result<Row> {
        self.item(&self.row_secs[p.index()], i, Row::decode)
    }

    /// Rows `from..to` of a provider.
    pub fn read_rows(&self, p: Provider, from: u32, to: u32) -> io::Result<Vec<Row>> {
        let mut rows = Vec::with_capacity(to.saturating_sub(from) as usize);
        self.each_row(p, from, to, |r| rows.push(r))?;
        Ok(rows)
    }

    /// Calls `f` with rows `from..to` of a provider, in order, none of them held.
    pub fn each_row(&self, p: Provider, from: u32, to: u32, mut f: impl FnMut(Row)) -> io::Result<()> {
        if from > to || to > self.rows[p.index()] {
            return Err(corrupt());
        }
        let sec = &self.row_secs[p.index()];
        self.pages.each_in(sec, from, to, |items| items.chunks_exact(sec.item).for_each(|b| f(Row::decode(b))))
    }

    /// The number of rows with `ts <= t`.
    pub fn rows_upto(&self, p: Provider, t: i64) -> io::Result<u32> {
        let (mut lo, mut hi) = (0u32, self.rows[p.index()]);
        // Narrow with the block table first: it is in memory, and it leaves one block to search.
        let blocks = &self.blocks[p.index()];
        let k = blocks.partition_point(|b| b.block.first <= t);
        if k > 0 {
            lo = blocks[k - 1].first_row;
        }
        if k < blocks.len() {
            hi = blocks[k].first_row;
        }
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.row(p, mid)?.ts <= t {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(lo)
    }

    /// Running sums of rows `0..n`.
    pub fn cum(&self, p: Provider, n: u32) -> io::Result<Sums> {
        if n == 0 { Ok(Sums::default()) } else { Ok(self.row(p, n - 1)?.cum) }
    }

    /// Record `i` and its row (or `NONE`).
    pub fn record(&self, i: u32) -> io::Result<(Rec, u32)> {
        let (rec, row) = self.item(&self.record_sec, i, |b| {
            (Rec::decode(&b[..Rec::SIZE]), u32::from_le_bytes(b[Rec::SIZE..].try_into().unwrap()))
        })?;
        Ok((rec.ok_or_else(corrupt)?, row))
    }

    /// Every record of response `msg`: (record index, record, its row or `NONE`).
    pub fn records_of_msg(&self, msg: u64) -> io::Result<Vec<(u32, Rec, u32)>> {
        let (mut lo, mut hi) = (0u32, self.records);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.record(mid)?.0.msg < msg {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut out = Vec::new();
        for i in lo..self.records {
            let (r, row) = self.record(i)?;
            if r.msg != msg {
                break;
            }
            out.push((i, r, row));
        }
        Ok(out)
    }

    /// Indices of the records read from one file.
    pub fn records_of_file(&self, file: u32) -> io::Result<Vec<u32>> {
        let entry = |i: u32| {
            self.item(&self.file_idx_sec, i, |b| {
                (u32::from_le_bytes(b[..4].try_into().unwrap()), u32::from_le_bytes(b[4..].try_into().unwrap()))
            })
        };
        let (mut lo, mut hi) = (0u32, self.records);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if entry(mid)?.0 < file {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut out = Vec::new();
        for i in lo..self.records {
            let (f, idx) = entry(i)?;
            if f != file {
                break;
            }
            out.push(idx);
        }
        Ok(out)
    }

    /// Every record, for compaction: one read, not through the page cache.
    pub fn all_records(&self) -> io::Result<Vec<Rec>> {
        let b = self.pages.all(&self.record_sec)?;
        b.chunks_exact(REC).map(|c| Rec::decode(&c[..Rec::SIZE]).ok_or_else(corrupt)).collect()
    }
}
