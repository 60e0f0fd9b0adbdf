use super::*;
use crate::ground::files::open_regular as open;
use std::io::Write;
use std::path::Path;

fn read(path: &Path, from: Mark, budget: &Budget) -> (Vec<(String, u64)>, Read) {
    let (f, md) = open(path).unwrap();
    let mut got = Vec::new();
    let r = read_lines(&f, from, md.len(), budget, |l, at| got.push((String::from_utf8_lossy(l).into_owned(), at)))
        .unwrap();
    (got, r)
}

fn all(path: &Path, from: Mark) -> (Vec<(String, u64)>, Read) {
    read(path, from, &Budget::unlimited(false))
}

#[test]
fn half_written_line_waits_for_its_newline() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.jsonl");
    let mut f = File::create(&p).unwrap();
    f.write_all(b"one\ntwo\nthr").unwrap();
    let (got, r) = all(&p, Mark::default());
    assert_eq!(got, vec![("one".into(), 0), ("two".into(), 4)]);
    assert_eq!(r.mark, Mark { offset: 8, scanned: 11, ..Mark::default() });
    f.write_all(b"ee\n").unwrap();
    let (got, r2) = all(&p, r.mark);
    assert_eq!(got, vec![("three".into(), 8)]);
    assert_eq!(r2.mark, Mark::at(14));
    let (f2, _) = open(&p).unwrap();
    assert_eq!(fingerprint_at(&f2, 8).unwrap(), r.fingerprint);
}

#[test]
fn an_unfinished_line_is_not_read_again_from_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.jsonl");
    let mut f = File::create(&p).unwrap();
    f.write_all(b"a\n").unwrap();
    f.write_all(&vec![b'x'; 3 * CHUNK]).unwrap();
    let (_, r) = all(&p, Mark::default());
    assert_eq!(r.mark, Mark { offset: 2, scanned: 2 + 3 * CHUNK as u64, ..Mark::default() });
    f.write_all(b"yy").unwrap();
    // Only the two new bytes are looked at.
    let (got, r2) = all(&p, r.mark);
    assert_eq!((got.len(), r2.bytes), (0, 2));
    f.write_all(b"\nb\n").unwrap();
    let (got, r3) = all(&p, r2.mark);
    assert_eq!(got.iter().map(|(l, _)| l.len()).collect::<Vec<_>>(), vec![3 * CHUNK + 2, 1]);
    assert_eq!(r3.mark, Mark::at(2 + 3 * CHUNK as u64 + 5));
}

#[test]
fn long_lines_span_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.jsonl");
    let long = "x".repeat(3 * CHUNK + 17);
    std::fs::write(&p, format!("a\n{long}\nb\n")).unwrap();
    let (got, r) = all(&p, Mark::default());
    assert_eq!(got.len(), 3);
    assert_eq!(got[1].0.len(), long.len());
    assert_eq!(got[2], ("b".into(), 2 + long.len() as u64 + 1));
    assert_eq!(r.mark.offset, std::fs::metadata(&p).unwrap().len());
}

#[test]
fn a_budget_stops_at_a_line_boundary_and_the_mark_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.jsonl");
    let text: String = (0..3000).map(|i| format!("line {i:04} {}\n", "z".repeat(1000))).collect();
    std::fs::write(&p, &text).unwrap();
    let small = Budget { bytes: CHUNK as u64, until: None, idle: false };
    let (mut seen, mut mark, mut runs) = (Vec::new(), Mark::default(), 0);
    loop {
        let (got, r) = read(&p, mark, &small);
        runs += 1;
        seen.extend(got);
        assert!(r.bytes <= 2 * CHUNK as u64, "{}", r.bytes);
        mark = r.mark;
        if !r.pending {
            break;
        }
    }
    assert_eq!(runs, 3);
    assert_eq!(seen.len(), 3000);
    assert!(seen.iter().enumerate().all(|(i, (l, _))| l.starts_with(&format!("line {i:04} "))));
}

#[test]
fn an_oversized_line_is_skipped_across_runs_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.jsonl");
    let mut f = File::create(&p).unwrap();
    f.write_all(b"a\n").unwrap();
    f.write_all(&vec![b'x'; MAX_LINE + 2 * CHUNK]).unwrap();
    let (_, r) = all(&p, Mark::default());
    assert!(r.mark.skipping && r.mark.offset == r.mark.scanned, "{:?}", r.mark);
    f.write_all(&vec![b'x'; CHUNK]).unwrap();
    let (_, r) = all(&p, r.mark);
    assert_eq!(r.bytes, CHUNK as u64, "only the new bytes");
    f.write_all(b"x\nb\n").unwrap();
    let (got, r) = all(&p, r.mark);
    assert_eq!((got, r.oversized, r.mark.skipping), (vec![("b".into(), (MAX_LINE + 3 * CHUNK + 4) as u64)], 1, false));
}

#[test]
#[cfg(unix)]
fn holes_are_jumped_not_read() {
    use std::os::unix::fs::FileExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.jsonl");
    let f = File::create(&p).unwrap();
    f.write_all_at(b"a\n", 0).unwrap();
    // A gigabyte of hole, then a line.
    f.write_all_at(b"x\nb\n", 1 << 30).unwrap();
    let (got, r) = all(&p, Mark::default());
    assert_eq!(got.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    assert_eq!(r.oversized, 1);
    assert!(r.bytes < 64 << 20, "read {} bytes", r.bytes);
}

#[test]
fn a_complete_last_line_without_newline_counts_once_when_idle() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.jsonl");
    let mut f = File::create(&p).unwrap();
    f.write_all(b"{\"a\":1}\n{\"b\":2}").unwrap();
    let (got, r) = all(&p, Mark::default());
    assert_eq!(got.len(), 1, "not yet: it may still be written");
    let idle = Budget::unlimited(true);
    let (got, r) = read(&p, r.mark, &idle);
    assert_eq!(got, vec![("{\"b\":2}".into(), 8)]);
    assert!(r.mark.unterminated);
    // The newline comes after all, then another line: each counts once.
    f.write_all(b"\n{\"c\":3}\n").unwrap();
    let (got, r) = read(&p, r.mark, &idle);
    assert_eq!(got, vec![("{\"c\":3}".into(), 16)]);
    assert_eq!(r.mark, Mark::at(24));
    // An unfinished one is not taken, however long it waits.
    f.write_all(b"{\"d\":").unwrap();
    let (got, _) = read(&p, r.mark, &idle);
    assert!(got.is_empty());
}
