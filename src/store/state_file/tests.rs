use super::*;
use crate::ground::provider::Provider;
use crate::ground::time::DAY_MS;
use crate::ground::tokens::Tokens;

fn file(path: &str, mtime_ns: i64) -> FileEntry {
    FileEntry {
        path: path.as_bytes().to_vec(),
        provider: Provider::CLAUDE,
        id: 1,
        dev: 2,
        ino: 3,
        size: 100,
        mtime_ns,
        ctime_ns: mtime_ns + 1,
        mark: crate::read::tail::Mark { offset: 90, scanned: 95, skipping: false, unterminated: true },
        fp: 8,
        head: 9,
        malformed: 1,
        oversized: 0,
        implausible: 2,
        odd: 3,
        unreadable: false,
        pending: false,
        aux: vec![1, 2],
        project: "/home/u/p".into(),
        subs: vec![crate::read::table::Sub { id: 9, session: "ses_1".into(), project: "/w".into() }],
    }
}

fn dir(path: &str, depth: u8, mtime_ns: i64) -> DirEntry {
    DirEntry {
        path: path.as_bytes().to_vec(),
        provider: Provider::CLAUDE,
        depth,
        mtime_ns,
        dev: 1,
        ino: mtime_ns as u64,
    }
}

fn sample() -> State {
    let rec = Rec {
        ts: 5,
        msg: 6,
        key: 7,
        tok: Tokens { input: 1, ..Tokens::default() },
        cost: 2,
        premium: 0,
        file: 1,
        model: 0,
        flags: 0,
        provider: Provider::CLAUDE,
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
            provider: Provider::CLAUDE,
            removed: vec![(2, rec.entry())],
            added: vec![rec.entry()],
        }],
        timings: vec![("read".into(), 12)],
        readings: vec![FromFile {
            file: 1,
            value: Reading {
                bucket: "codex_bengalfox".into(),
                label: "GPT-5.3-Codex-Spark".into(),
                alone: true,
                ..Reading::new(Provider::CODEX, Window::SevenDay, 31.5, 99, 7)
            },
        }],
        hits: vec![FromFile {
            file: 1,
            value: LimitHit { provider: Provider::CLAUDE, window: Window::FiveHour, at: 5, resets_at: Some(9) },
        }],
        ..State::empty()
    }
}

fn write(c: &Cache, e: &Encoded) {
    c.write(Item::State(0), &e.state).unwrap();
    if let Some((g, b)) = &e.cold {
        c.write(Item::Cold(0, *g), b).unwrap();
    }
}

#[test]
fn round_trip_through_state_and_cold_files() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    let mut s = sample();
    let e = encode(&mut s, 1, 50, 50, 77);
    assert!(e.cold.is_some(), "the idle file and dir go to a cold file");
    write(&c, &e);
    let full = read(&c, 0, 1, Depth::Full).unwrap().unwrap();
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
    assert_eq!((&full.readings, &full.hits), (&s.readings, &s.hits));
    assert_eq!(full.file_count(), 2);
}

#[test]
fn warm_and_update_reads_stay_out_of_the_cold_file() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    let mut s = sample();
    write(&c, &encode(&mut s, 1, 50, 50, 77));
    let w = read(&c, 0, 1, Depth::Warm { now: 99 }).unwrap().unwrap();
    assert!(!w.complete && !w.writable());
    assert_eq!(w.readings, s.readings, "the week's reading whose window ends now is looked at");
    // Eight days and a moment after its window ended a forecast looks at it no more: a warm read
    // leaves it out, an update (which is written back) keeps it.
    let later = read(&c, 0, 1, Depth::Warm { now: 99 + 8 * DAY_MS + 1 }).unwrap().unwrap();
    assert!(later.readings.is_empty() && later.hits == s.hits);
    assert_eq!(w.files.len(), 1);
    let dirs: Vec<&[u8]> = w.dirs.iter().map(|d| d.path.as_slice()).collect();
    assert_eq!(dirs, vec![&b"/p"[..], b"/p/a/c"]);
    assert!(w.delta.is_empty());
    assert_eq!(w.adj, s.adj);
    assert_eq!(w.file_count(), 2);

    // An update changes a hot file and writes the state alone, still naming the same cold file.
    let mut u = read(&c, 0, 1, Depth::Update).unwrap().unwrap();
    assert!(u.writable() && !u.complete);
    assert_eq!((u.delta.len(), u.dead.len(), &u.readings), (1, 2, &s.readings));
    u.files[0].mark.offset = 99;
    u.delta.clear();
    let e = encode(&mut u, 1, 50, 50, 78);
    assert!(e.cold.is_none());
    write(&c, &e);
    let again = read(&c, 0, 1, Depth::Full).unwrap().unwrap();
    assert_eq!(again.files.len(), 2);
    assert!(again.files.iter().any(|f| f.mark.offset == 99));
    assert!(again.delta.is_empty());

    // A missing or damaged cold file spoils only full reads.
    c.remove(Item::Cold(0, 77)).unwrap();
    assert!(read(&c, 0, 1, Depth::Warm { now: 99 }).unwrap().is_ok());
    assert!(read(&c, 0, 1, Depth::Full).unwrap().is_err());
}

#[test]
fn refuses_damage_and_other_versions() {
    let b = encode(&mut sample(), 1, 0, 0, 5).state;
    let dec = |b: &[u8]| decode(b, 1, Depth::Update);
    assert!(dec(&b).is_ok());
    assert!(decode(&b, 2, Depth::Update).is_err(), "another price table");
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
