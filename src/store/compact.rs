//! Compaction: every live record resolved into the calls that count, laid out as a base file's
//! contents (records sorted for duplicate lookups, rows sorted by time with running sums, blocks).

use super::base::{BaseBlock, Built, NONE, NP, Row, Unpriced};
use crate::ground::block::{Block, Blocks};
use crate::ground::provider::Provider;
use crate::ground::tokens::{ASSUMED, Sums, UNPRICED};
use crate::read::dedup;
use crate::read::record::Rec;

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
            let p = records[idx].provider.index();
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
        b.rows[p].reserve_exact(w.len());
        let mut blocks = Blocks::default();
        let mut unpriced: Vec<Unpriced> = Vec::new();
        for (row, &i) in w.iter().enumerate() {
            let r = &recs[i as usize];
            winner_row[i as usize] = row as u32;
            let e = r.entry();
            cum += e.sums;
            b.rows[p].push(Row { ts: r.ts, model: r.model, flags: r.flags, file: r.file, cum });
            blocks.push(&e);
            if r.flags & (UNPRICED | ASSUMED) != 0 {
                let assumed = r.flags & ASSUMED != 0;
                match unpriced.iter_mut().find(|u| u.model == r.model && u.assumed == assumed) {
                    Some(u) => u.last = r.ts,
                    None => unpriced.push(Unpriced {
                        provider: Provider::ALL[p],
                        assumed,
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
    let (mut row, mut max_tokens, mut max_cost) = (0u64, 0u64, 0u128);
    for b in blocks {
        max_tokens = max_tokens.max(b.totals.sums.total());
        max_cost = max_cost.max(b.totals.sums.cost);
        let first_row = row as u32;
        row += b.totals.entries;
        out.push(BaseBlock { block: *b, first_row, last_row: (row - 1) as u32, max_tokens, max_cost });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::{SIDECHAIN, Tokens};
    use crate::store::base::{self, Base};

    fn rec(msg: u64, key: u64, file: u32, ts: i64, output: u64) -> Rec {
        Rec {
            ts,
            msg,
            key,
            tok: Tokens { input: 1, output, ..Tokens::default() },
            cost: output * 10,
            premium: 0,
            file,
            model: 0,
            flags: 0,
            provider: Provider::CLAUDE,
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
        let files: Vec<u32> = vec![1, 2, 1];
        let b = build(recs);
        assert_eq!(b.rows[0].len(), 3);
        assert_eq!(b.rows[0].iter().map(|r| r.ts).collect::<Vec<_>>(), vec![h, 3 * h + 1, 10 * h]);
        assert_eq!(b.rows[0][2].cum.output, 3 + 7 + 4);
        assert_eq!(b.rows[0].iter().map(|r| r.file).collect::<Vec<_>>(), files, "each row knows its file");
        assert_eq!(b.blocks[0].len(), 2);
        assert_eq!((b.blocks[0][0].first_row, b.blocks[0][0].last_row), (0, 1));
        // Largest block so far: the first, (1 + 3) + (1 + 7) tokens.
        assert_eq!(b.blocks[0][1].max_tokens, 12);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("base");
        std::fs::write(&path, base::encode(&b, 7, 99)).unwrap();
        let base = Base::open(&path, 7, 99).unwrap();
        let p = Provider::CLAUDE;
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
        assert_eq!(rows[1].entry(rows[0].cum).sums.output, 4);

        assert!(Base::open(&path, 8, 99).is_err(), "another generation");
        assert!(Base::open(&path, 7, 98).is_err(), "another price table");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(Base::open(&path, 7, 99).is_err(), "truncated");
    }
}
