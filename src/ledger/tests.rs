//! The ledger over a real base: sums half open on the left, adjustments folded in once, calls streamed
//! in time order across chunks, blocks kept whole.

use super::*;
use crate::ground::time::HOUR_MS;
use crate::ground::tokens::Tokens;
use crate::read::record::Rec;
use crate::store::base;
use crate::store::compact::build;

fn rec(msg: u64, ts: i64, output: u64) -> Rec {
    let tok = Tokens { output, ..Tokens::default() };
    Rec { ts, msg, key: msg, tok, cost: output, premium: 0, file: 1, model: 0, flags: 0, provider: Provider::CLAUDE }
}

fn base_of(recs: Vec<Rec>, dir: &std::path::Path) -> Base {
    let path = dir.join("base");
    std::fs::write(&path, base::encode(&build(recs), 1, 1)).unwrap();
    Base::open(&path, 1, 1).unwrap()
}

#[test]
fn sums_are_half_open_on_the_left() {
    // Calls at exactly 1 h, 2 h and 3 h: (1 h, 3 h] holds the second and third, not the first.
    let d = tempfile::tempdir().unwrap();
    let h = HOUR_MS;
    let b = base_of(vec![rec(1, h, 1), rec(2, 2 * h, 2), rec(3, 3 * h, 4)], d.path());
    let st = State::empty();
    let l = Ledger::new(Provider::CLAUDE, Some(&b), &st);
    let t = l.sum_between(h, 3 * h);
    assert_eq!((t.entries, t.sums.output), (2, 6));
    assert_eq!(l.sum_between(h - 1, 3 * h - 1).sums.output, 3);
    assert_eq!(l.counted(3 * h), 3);
    assert_eq!(l.first_after(h, 10 * h), Some(2 * h), "strictly after");
    assert_eq!(l.first_after(3 * h, 10 * h), None);
    assert!(l.fault().is_none());
}

#[test]
fn adjustments_fold_in_once() {
    use crate::store::state::Adj;
    let d = tempfile::tempdir().unwrap();
    let h = HOUR_MS;
    let b = base_of(vec![rec(1, h, 1), rec(2, 2 * h, 2)], d.path());
    // Row 1 (the 2 h call) was superseded by a larger line; a new call came at 4 h.
    let bigger = rec(2, 2 * h, 20).entry();
    let st = State {
        adj: vec![
            Adj {
                msg: 2,
                provider: Provider::CLAUDE,
                removed: vec![(1, rec(2, 2 * h, 2).entry())],
                added: vec![bigger],
            },
            Adj { msg: 3, provider: Provider::CLAUDE, removed: vec![], added: vec![rec(3, 4 * h, 5).entry()] },
        ],
        ..State::empty()
    };
    let l = Ledger::new(Provider::CLAUDE, Some(&b), &st);
    assert_eq!(l.sum_between(0, 10 * h).sums.output, 1 + 20 + 5);
    // The boundaries hold for adjustments as for base rows: (from, to].
    assert_eq!(l.sum_between(4 * h, 10 * h).entries, 0, "a call exactly at `from` is outside");
    assert_eq!(l.sum_between(2 * h, 4 * h).sums.output, 5, "the superseded 2 h call is not subtracted again");
    assert_eq!(l.sum_between(h, 2 * h).sums.output, 20, "the replacement at exactly `to` is inside");
    assert_eq!(l.counted(10 * h), 3);
    let v = l.blocks_at(10 * h);
    assert_eq!(v.current().unwrap().totals.sums.output, 26, "one block from 1 h to 4 h");
    assert_eq!(l.first_after(h, 10 * h), Some(2 * h));
    let calls: Vec<(i64, u64)> = l.entries_between(h, 10 * h).iter().map(|e| (e.ts, e.sums.output)).collect();
    assert_eq!(calls, vec![(2 * h, 20), (4 * h, 5)], "the superseded row is gone, the added calls are in");
    assert!(Ledger::new(Provider::CODEX, Some(&b), &st).sum_between(0, 10 * h).entries == 0);
}

#[test]
fn calls_stream_in_time_order_across_chunks() {
    use crate::store::state::Adj;
    // 10 000 calls a second apart (more than two chunks); row 5 000 superseded by a bigger line at
    // the same time; a new call between rows 4 999 and 5 000... that is, at 5 000.5 s.
    let d = tempfile::tempdir().unwrap();
    let b = base_of((0..10_000).map(|i| rec(i + 1, 1_000 * i as i64, 1)).collect(), d.path());
    let st = State {
        adj: vec![
            Adj {
                msg: 5_001,
                provider: Provider::CLAUDE,
                removed: vec![(5_000, rec(5_001, 5_000_000, 1).entry())],
                added: vec![rec(5_001, 5_000_000, 7).entry()],
            },
            Adj {
                msg: 20_000,
                provider: Provider::CLAUDE,
                removed: vec![],
                added: vec![rec(20_000, 5_000_500, 3).entry()],
            },
        ],
        ..State::empty()
    };
    let l = Ledger::new(Provider::CLAUDE, Some(&b), &st);
    let got: Vec<(i64, u64)> = l.entries_between(3_999_000, 6_000_000).iter().map(|e| (e.ts, e.sums.output)).collect();
    let mut want: Vec<(i64, u64)> = (4_000..=6_000).map(|i| (1_000 * i as i64, 1)).collect();
    want[1_000] = (5_000_000, 7);
    want.insert(1_001, (5_000_500, 3));
    assert_eq!(got, want);
    assert!(l.fault().is_none());
}

#[test]
fn blocks_kept_whole_when_only_later_calls_came() {
    use crate::store::state::Adj;
    // Two blocks in the base (0 h to 2 h, 8 h to 9 h); calls added at 10 h (continues the second)
    // and at 20 h (a block of its own). Taken from the base's blocks without reading a row, the
    // picture equals the blocks of every call counted from scratch.
    let d = tempfile::tempdir().unwrap();
    let h = HOUR_MS;
    let recs = vec![rec(1, 0, 1), rec(2, 2 * h, 2), rec(3, 8 * h, 4), rec(4, 9 * h, 8)];
    let b = base_of(recs.clone(), d.path());
    let later = [rec(5, 10 * h, 16), rec(6, 20 * h, 32)];
    let adj = |r: &Rec| Adj { msg: r.msg, provider: Provider::CLAUDE, removed: vec![], added: vec![r.entry()] };
    let st = State { adj: later.iter().map(adj).collect(), ..State::empty() };
    let l = Ledger::new(Provider::CLAUDE, Some(&b), &st);
    for now in [9 * h, 15 * h, 30 * h] {
        let all: Vec<Entry> = recs.iter().chain(&later).filter(|r| r.ts <= now).map(Rec::entry).collect();
        let want = crate::ground::block::blocks(&all);
        let v = l.blocks_at(now);
        let got: Vec<Block> = v.before.into_iter().chain(v.fresh.iter().copied()).collect();
        assert_eq!(got.last(), want.last(), "at {now}");
        assert_eq!(v.current().map(|b| b.totals), want.last().map(|b| b.totals), "at {now}");
        // A block still active is no completed block to learn a limit from.
        let done = want.iter().filter(|b| !b.active(now)).map(|b| (b.totals.sums.total(), b.totals.sums.cost));
        let largest = done.reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)));
        assert_eq!(v.largest_completed(now), largest, "at {now}");
    }
}

#[test]
fn the_first_call_after_an_instant_is_the_one_a_scan_finds() {
    // Three blocks, the gaps between them longer than a window: 1-3 h, 10-11 h, 20 h. The 10 h call
    // is superseded by an adjustment, so the second block's first row does not count.
    use crate::store::state::Adj;
    let d = tempfile::tempdir().unwrap();
    let h = HOUR_MS;
    let hours = [1, 2, 3, 10, 11, 20];
    let b = base_of(hours.iter().map(|&x| rec(x as u64, x * h, 1)).collect(), d.path());
    assert_eq!(b.blocks[Provider::CLAUDE.index()].len(), 3);
    let plain = State::empty();
    let adjusted = State {
        adj: vec![Adj {
            msg: 10,
            provider: Provider::CLAUDE,
            removed: vec![(3, rec(10, 10 * h, 1).entry())],
            added: vec![rec(10, 10 * h + h / 2, 2).entry()],
        }],
        ..State::empty()
    };
    for st in [&plain, &adjusted] {
        let l = Ledger::new(Provider::CLAUDE, Some(&b), st);
        for t in (0..50).map(|i| i * h / 2) {
            for until in [t + h, t + 5 * h, 30 * h] {
                let scan = l.entries_between(t, until).first().map(|e| e.ts);
                assert_eq!(l.first_after(t, until), scan, "after {t}, until {until}");
            }
        }
    }
    // By hand: after 5 h (a gap), the 10 h call; after 5 h with it superseded, its replacement at 10.5 h.
    assert_eq!(Ledger::new(Provider::CLAUDE, Some(&b), &plain).first_after(5 * h, 30 * h), Some(10 * h));
    assert_eq!(Ledger::new(Provider::CLAUDE, Some(&b), &adjusted).first_after(5 * h, 30 * h), Some(10 * h + h / 2));
}
