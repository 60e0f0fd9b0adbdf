//! The compacted cache file: written once per compaction, then only read, by offset.
//!
//! It holds every stored record sorted by (msg, key, file) so that a new line finds its duplicates by
//! binary search; the calls that count ("rows"), per provider, sorted by time with running sums, so any
//! time range is summed from two rows; and the 5-hour blocks over those rows. A warm invocation reads
//! the header and block table and a handful of rows; it never reads the file whole.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::codec::{Corrupt, Reader, Writer};
use crate::dedup;
use crate::event::{Entry, Provider, Rec, Sums, Totals, UNPRICED};
use crate::hash::Hasher;
use crate::window::{self, Block};

const MAGIC: &[u8; 8] = b"RWYBASE1";
pub const VERSION: u32 = 3;
pub const NONE: u32 = u32::MAX;
const NP: usize = Provider::ALL.len();

const HEADER: usize = 8 + 4 + 8 + 8 + 8 + 4 + 4 + NP * 8 + 4;
const REC: usize = Rec::SIZE + 4;
const ROW: usize = 64;
const BLOCK: usize = 104;
const UNPRICED_SIZE: usize = 1 + 2 + 8 + 8;
const FILE_IDX: usize = 8;

/// A counted call, with the running sums of every row up to and including it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub ts: i64,
    pub model: u16,
    pub flags: u8,
    pub rec: u32,
    pub cum: Sums,
}

impl Row {
    fn encode(&self, w: &mut Writer) {
        w.i64(self.ts).u16(self.model).u8(self.flags).u8(0).u32(self.rec);
        self.cum.encode(&mut w.buf);
    }
    fn decode(b: &[u8]) -> Row {
        let mut r = Reader::new(b);
        let ts = r.i64().unwrap_or(0);
        let model = r.u16().unwrap_or(0);
        let flags = r.u8().unwrap_or(0);
        let _ = r.u8();
        let rec = r.u32().unwrap_or(NONE);
        Row { ts, model, flags, rec, cum: Sums::decode(&b[16..ROW]) }
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
    pub max_cost: u64,
}

/// An unpriced model and when it was used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unpriced {
    pub provider: Provider,
    pub model: u16,
    pub first: i64,
    pub last: i64,
}

/// Everything a base file holds, in memory: what compaction produces before writing it.
#[derive(Debug, Default)]
pub struct Built {
    pub records: Vec<Rec>,
    pub winner_row: Vec<u32>,
    pub rows: [Vec<Row>; NP],
    pub blocks: [Vec<BaseBlock>; NP],
    pub unpriced: Vec<Unpriced>,
}

/// Resolves duplicates over all records and lays out rows and blocks.
pub fn build(mut records: Vec<Rec>) -> Built {
    records.sort_unstable_by_key(|r| (r.msg, r.key, r.file, r.ts));
    let mut winner_row = vec![NONE; records.len()];
    let mut winners: [Vec<u32>; NP] = Default::default();
    let mut start = 0;
    while start < records.len() {
        let msg = records[start].msg;
        let end = start + records[start..].iter().take_while(|r| r.msg == msg).count();
        for i in dedup::resolve(&records[start..end]) {
            let idx = start + i;
            let p = (records[idx].provider as usize).min(NP - 1);
            winners[p].push(idx as u32);
        }
        start = end;
    }
    let mut b = Built { records, winner_row: Vec::new(), ..Built::default() };
    for (p, w) in winners.iter_mut().enumerate() {
        let recs = &b.records;
        w.sort_unstable_by_key(|&i| {
            let r = &recs[i as usize];
            (r.ts, r.msg, r.key, r.file)
        });
        let mut cum = Sums::default();
        let mut blocks = window::Blocks::default();
        let mut unpriced: Vec<Unpriced> = Vec::new();
        for (row, &i) in w.iter().enumerate() {
            let r = &recs[i as usize];
            winner_row[i as usize] = row as u32;
            let e = r.entry();
            cum += e.sums;
            b.rows[p].push(Row { ts: r.ts, model: r.model, flags: r.flags, rec: i, cum });
            blocks.push(&e);
            if r.flags & UNPRICED != 0 {
                match unpriced.iter_mut().find(|u| u.model == r.model) {
                    Some(u) => u.last = r.ts,
                    None => unpriced.push(Unpriced {
                        provider: Provider::from_u8(p as u8).unwrap_or(Provider::Claude),
                        model: r.model,
                        first: r.ts,
                        last: r.ts,
                    }),
                }
            }
        }
        b.blocks[p] = with_rows(&blocks.blocks);
        b.unpriced.extend(unpriced);
    }
    b.winner_row = winner_row;
    b
}

/// Adds row ranges and running maxima to blocks computed over consecutive rows.
fn with_rows(blocks: &[Block]) -> Vec<BaseBlock> {
    let mut out = Vec::with_capacity(blocks.len());
    let (mut row, mut max_tokens, mut max_cost) = (0u64, 0u64, 0u64);
    for b in blocks {
        max_tokens = max_tokens.max(b.totals.sums.total());
        max_cost = max_cost.max(b.totals.sums.cost);
        let first_row = row as u32;
        row += b.totals.entries;
        out.push(BaseBlock { block: *b, first_row, last_row: (row - 1) as u32, max_tokens, max_cost });
    }
    out
}

fn put_block(w: &mut Writer, b: &BaseBlock) {
    w.i64(b.block.start).u32(b.first_row).u32(b.last_row).i64(b.block.first).i64(b.block.last);
    w.u64(b.block.totals.entries);
    b.block.totals.sums.encode(&mut w.buf);
    w.u64(b.max_tokens).u64(b.max_cost);
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
        max_cost: r.u64()?,
    })
}

/// Serialises a built base. Layout: header, block tables, unpriced list, checksum of all that (the
/// part read on open), then records, the file index, and the rows of each provider.
pub fn encode(b: &Built, gen_: u64, price_hash: u64) -> Vec<u8> {
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    w.u32(VERSION).u64(gen_).u64(price_hash);
    let total = HEADER
        + b.blocks.iter().map(|v| v.len() * BLOCK).sum::<usize>()
        + b.unpriced.len() * UNPRICED_SIZE
        + 8
        + b.records.len() * (REC + FILE_IDX)
        + b.rows.iter().map(|v| v.len() * ROW).sum::<usize>();
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
        w.u8(u.provider as u8).u16(u.model).i64(u.first).i64(u.last);
    }
    let sum = Hasher::new("base-head").write(&w.buf).finish();
    w.u64(sum);
    for (r, row) in b.records.iter().zip(&b.winner_row) {
        r.encode(&mut w.buf);
        w.u32(*row);
    }
    let mut by_file: Vec<(u32, u32)> = b.records.iter().enumerate().map(|(i, r)| (r.file, i as u32)).collect();
    by_file.sort_unstable();
    for (f, i) in by_file {
        w.u32(f).u32(i);
    }
    for rows in &b.rows {
        for row in rows {
            row.encode(&mut w);
        }
    }
    debug_assert_eq!(w.len(), total);
    w.buf
}

/// A base file opened for reading by offset.
pub struct Base {
    file: File,
    pub gen_: u64,
    pub records: u32,
    records_at: u64,
    file_idx_at: u64,
    rows_at: [u64; NP],
    pub rows: [u32; NP],
    pub blocks: [Vec<BaseBlock>; NP],
    pub unpriced: Vec<Unpriced>,
}

fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "corrupt cache base")
}

impl Base {
    pub fn open(path: &Path, gen_: u64, price_hash: u64) -> io::Result<Base> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
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
        let mut h = Hasher::new("base-head");
        h.write(&[&head[..], body].concat());
        if h.finish() != u64::from_le_bytes(sum.try_into().unwrap()) {
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
                    provider: Provider::from_u8(r.u8()?).ok_or(Corrupt)?,
                    model: r.u16()?,
                    first: r.i64()?,
                    last: r.i64()?,
                })
            };
            unpriced.push(one().map_err(|_| corrupt())?);
        }
        let records_at = HEADER as u64 + table + 8;
        let file_idx_at = records_at + records as u64 * REC as u64;
        let mut rows_at = [0u64; NP];
        let mut at = file_idx_at + records as u64 * FILE_IDX as u64;
        for p in 0..NP {
            rows_at[p] = at;
            at += rows[p] as u64 * ROW as u64;
        }
        if at != len {
            return Err(corrupt());
        }
        Ok(Base { file, gen_, records, records_at, file_idx_at, rows_at, rows, blocks, unpriced })
    }

    fn read(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut b = vec![0u8; len];
        self.file.read_exact_at(&mut b, at)?;
        Ok(b)
    }

    pub fn row(&self, p: Provider, i: u32) -> io::Result<Row> {
        if i >= self.rows[p as usize] {
            return Err(corrupt());
        }
        Ok(Row::decode(&self.read(self.rows_at[p as usize] + i as u64 * ROW as u64, ROW)?))
    }

    pub fn read_rows(&self, p: Provider, from: u32, to: u32) -> io::Result<Vec<Row>> {
        if from > to || to > self.rows[p as usize] {
            return Err(corrupt());
        }
        let b = self.read(self.rows_at[p as usize] + from as u64 * ROW as u64, (to - from) as usize * ROW)?;
        Ok(b.chunks_exact(ROW).map(Row::decode).collect())
    }

    /// The number of rows with `ts <= t`.
    pub fn rows_upto(&self, p: Provider, t: i64) -> io::Result<u32> {
        let (mut lo, mut hi) = (0u32, self.rows[p as usize]);
        // Narrow with the block table first: it is in memory, and it leaves one block to search.
        let blocks = &self.blocks[p as usize];
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

    pub fn record(&self, i: u32) -> io::Result<(Rec, u32)> {
        if i >= self.records {
            return Err(corrupt());
        }
        let b = self.read(self.records_at + i as u64 * REC as u64, REC)?;
        Ok((Rec::decode(&b[..Rec::SIZE]), u32::from_le_bytes(b[Rec::SIZE..].try_into().unwrap())))
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
        let mut i = lo;
        while i < self.records {
            let (r, row) = self.record(i)?;
            if r.msg != msg {
                break;
            }
            out.push((i, r, row));
            i += 1;
        }
        Ok(out)
    }

    /// Indices of the records read from one file.
    pub fn records_of_file(&self, file: u32) -> io::Result<Vec<u32>> {
        let entry = |i: u32| -> io::Result<(u32, u32)> {
            let b = self.read(self.file_idx_at + i as u64 * FILE_IDX as u64, FILE_IDX)?;
            Ok((u32::from_le_bytes(b[..4].try_into().unwrap()), u32::from_le_bytes(b[4..].try_into().unwrap())))
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
        let mut i = lo;
        while i < self.records {
            let (f, idx) = entry(i)?;
            if f != file {
                break;
            }
            out.push(idx);
            i += 1;
        }
        Ok(out)
    }

    /// Every record, for compaction.
    pub fn all_records(&self) -> io::Result<Vec<Rec>> {
        let b = self.read(self.records_at, self.records as usize * REC)?;
        Ok(b.chunks_exact(REC).map(|c| Rec::decode(&c[..Rec::SIZE])).collect())
    }
}

/// A row as an entry, given the row before it (running sums difference).
pub fn entry_of(row: &Row, prev_cum: Sums) -> Entry {
    Entry { ts: row.ts, model: row.model, flags: row.flags, sums: row.cum - prev_cum }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{SIDECHAIN, Tokens};
    use crate::window::HOUR_MS;

    fn rec(msg: u64, key: u64, file: u32, ts: i64, output: u64) -> Rec {
        Rec {
            ts,
            msg,
            key,
            tok: Tokens { input: 1, output, ..Tokens::default() },
            cost: output * 10,
            file,
            model: 0,
            flags: 0,
            provider: 0,
        }
    }

    #[test]
    fn build_write_open_and_query() {
        let h = HOUR_MS;
        let mut side = rec(1, 9, 2, 3 * h, 500);
        side.flags = SIDECHAIN;
        side.tok.output = 5; // a sidechain replay with the same message.id: merges into msg 1
        let recs = vec![
            rec(1, 10, 1, 3 * h, 5),
            rec(1, 10, 2, 3 * h + 1, 7), // same key in another file: the larger one counts
            side,
            rec(2, 20, 1, h, 3),
            rec(3, 30, 1, 10 * h, 4), // more than 5 h later: a second block
        ];
        let b = build(recs);
        assert_eq!(b.rows[0].len(), 3);
        assert_eq!(b.rows[0].iter().map(|r| r.ts).collect::<Vec<_>>(), vec![h, 3 * h + 1, 10 * h]);
        assert_eq!(b.rows[0][2].cum.output, 3 + 7 + 4);
        assert_eq!(b.blocks[0].len(), 2);
        assert_eq!((b.blocks[0][0].first_row, b.blocks[0][0].last_row), (0, 1));
        // Largest block so far: the first, (1 + 3) + (1 + 7) tokens.
        assert_eq!(b.blocks[0][1].max_tokens, 12);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("base");
        std::fs::write(&path, encode(&b, 7, 99)).unwrap();
        let base = Base::open(&path, 7, 99).unwrap();
        let p = Provider::Claude;
        assert_eq!(base.rows_upto(p, 3 * h).unwrap(), 1);
        assert_eq!(base.rows_upto(p, 3 * h + 1).unwrap(), 2);
        assert_eq!(base.rows_upto(p, 100 * h).unwrap(), 3);
        assert_eq!(base.rows_upto(p, 0).unwrap(), 0);
        assert_eq!(base.cum(p, 2).unwrap().output, 10);
        let m1 = base.records_of_msg(1).unwrap();
        assert_eq!(m1.len(), 3);
        assert_eq!(m1.iter().filter(|(_, _, row)| *row != NONE).count(), 1);
        assert!(base.records_of_msg(4).unwrap().is_empty());
        assert_eq!(base.records_of_file(2).unwrap().len(), 2);
        assert_eq!(base.all_records().unwrap().len(), 5);
        let rows = base.read_rows(p, 1, 3).unwrap();
        assert_eq!(entry_of(&rows[1], rows[0].cum).sums.output, 4);

        assert!(Base::open(&path, 8, 99).is_err(), "another generation");
        assert!(Base::open(&path, 7, 98).is_err(), "another price table");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(Base::open(&path, 7, 99).is_err(), "truncated");
    }
}
