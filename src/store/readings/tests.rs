//! The readings kept between runs, by hand.

use super::super::readings_file::HEADER;
use super::*;
use std::fs;

fn r(window: Window, used: f64, observed_at: i64) -> Reading {
    Reading::new(Provider::CLAUDE, window, used, observed_at + 1000, observed_at)
}

#[test]
fn record_load_and_select() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    let a = d.path().join("a/projects");
    fs::create_dir_all(&a).unwrap();
    Readings::record(&c, &[r(Window::FiveHour, 10.0, 5), r(Window::SevenDay, 40.0, 5)], &[], Some(&a)).unwrap();
    Readings::record(&c, &[r(Window::FiveHour, 12.0, 7), r(Window::FiveHour, 12.0, 7)], &[], Some(&a)).unwrap();
    // The same figure again later: the window's last reading, beside the first of that point.
    Readings::record(&c, &[Reading { observed_at: 9, ..r(Window::FiveHour, 12.0, 7) }], &[], Some(&a)).unwrap();
    let elsewhere = d.path().join("b/projects");
    fs::create_dir_all(&elsewhere).unwrap();
    Readings::record(&c, &[r(Window::FiveHour, 99.0, 6)], &["five_hour: bad".into()], Some(&elsewhere)).unwrap();
    let mine = root_keys(&[fs::canonicalize(&a).unwrap()]);
    let all = Readings::load(&c, &mine);
    assert_eq!(all.list.len(), 4, "a duplicate of one moment is kept once; the other root's not read");
    let five: Vec<(f64, i64)> = all
        .of(Provider::CLAUDE, &mine, 100)
        .iter()
        .filter(|x| x.window == Window::FiveHour)
        .map(|x| (x.used_percent, x.observed_at))
        .collect();
    assert_eq!(five, vec![(10.0, 5), (12.0, 7), (12.0, 9)]);
    assert_eq!(all.of(Provider::CLAUDE, &mine, 6).len(), 2, "not after now");
    // Once the figure moves on, the middle of a point goes: its first and the window's last stay.
    let later = |used: f64, at: i64| Reading { observed_at: at, ..r(Window::FiveHour, used, 7) };
    Readings::record(&c, &[later(12.5, 10), later(13.0, 11)], &[], Some(&a)).unwrap();
    let five: Vec<(f64, i64)> = Readings::load(&c, &mine)
        .of(Provider::CLAUDE, &mine, 100)
        .iter()
        .filter(|x| x.window == Window::FiveHour)
        .map(|x| (x.used_percent, x.observed_at))
        .collect();
    assert_eq!(five, vec![(10.0, 5), (12.0, 7), (13.0, 11)]);
    assert!(all.of(Provider::CODEX, &mine, 100).is_empty());
    let theirs = Readings::load(&c, &root_keys(&[fs::canonicalize(&elsewhere).unwrap()]));
    assert_eq!((theirs.refused, theirs.last_refused.as_str(), theirs.list.len()), (1, "five_hour: bad", 1));
}

#[test]
fn pending_files_fold_in_the_order_they_were_written() {
    // By the time in their tags, not their text: pid 10000's came after pid 9999's, and of two
    // readings of one moment the later written stands.
    assert_eq!(written_at("9999-1700000000100"), 1_700_000_000_100);
    assert_eq!(written_at("odd"), 0);
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    let h = hash_of("");
    for (tag, used) in [("9999-1700000000100", 20.0), ("10000-1700000000500", 10.0)] {
        let f = RootFile { readings: vec![r(Window::FiveHour, used, 7)], ..RootFile::default() };
        f.save(&c, Item::ReadingsPending(h, tag)).unwrap();
    }
    let mut f = RootFile::default();
    fold_pending(&c, h, &mut f);
    assert_eq!(f.readings.iter().map(|x| x.used_percent).collect::<Vec<_>>(), [10.0], "pid 10000's, written last");
}

#[test]
fn a_damaged_file_is_ignored_not_misread() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    Readings::record(&c, &[r(Window::FiveHour, 12.0, 7)], &[], None).unwrap();
    let path = c.path(Item::Readings(hash_of("")));
    let good = fs::read(&path).unwrap();
    let at = good.windows(4).position(|w| w == b"\t12\t").unwrap() + 2;
    let mut bad = good.clone();
    bad[at] = b'9'; // 12% would read as 19%
    fs::write(&path, &bad).unwrap();
    assert_eq!(Readings::load(&c, &HashSet::new()), Readings::default());
    fs::write(&path, &good).unwrap();
    assert_eq!(Readings::load(&c, &HashSet::new()).list.len(), 1);
}

#[test]
fn a_file_of_the_earlier_layout_is_read_and_rewritten() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    let old = serde_json::json!({ "root": "", "refused": 2, "last_refused": "seven_day: bad", "readings": [
        { "provider": "claude", "window": "five_hour", "used_percent": 12.5, "resets_at": 1007, "observed_at": 7 },
    ]});
    c.write_checked(Item::Readings(hash_of("")), old.to_string().as_bytes()).unwrap();
    let got = Readings::load(&c, &HashSet::new());
    assert_eq!((got.list.len(), got.refused, got.last_refused.as_str()), (1, 2, "seven_day: bad"));
    assert_eq!(got.list[0].reading, r(Window::FiveHour, 12.5, 7));
    Readings::record(&c, &[r(Window::FiveHour, 14.0, 8)], &[], None).unwrap();
    let body = c.read_checked(Item::Readings(hash_of(""))).unwrap();
    assert!(body.starts_with(HEADER.as_bytes()), "{}", String::from_utf8_lossy(&body));
    let used: Vec<f64> = Readings::load(&c, &HashSet::new()).list.iter().map(|x| x.reading.used_percent).collect();
    assert_eq!(used, vec![12.5, 14.0]);
}

#[test]
fn keeps_the_newest_and_forgets_what_is_over_or_gone() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    for i in 0..(KEEP as i64 + 10) {
        Readings::record(&c, &[r(Window::FiveHour, i as f64, i)], &[], None).unwrap();
    }
    let all = Readings::load(&c, &HashSet::new());
    assert_eq!(all.list.len(), KEEP);
    assert_eq!(all.list[0].reading.observed_at, 10);
    // A reading of a window long over goes once a newer one comes.
    Readings::record(&c, &[r(Window::SevenDay, 5.0, 40 * DAY_MS)], &[], None).unwrap();
    assert_eq!(Readings::load(&c, &HashSet::new()).list.len(), 1);
    // A root that is gone: its file goes when a new root's file is made.
    let (gone, next) = (d.path().join("gone/projects"), d.path().join("next/projects"));
    fs::create_dir_all(&gone).unwrap();
    fs::create_dir_all(&next).unwrap();
    Readings::record(&c, &[r(Window::FiveHour, 1.0, 1)], &[], Some(&gone)).unwrap();
    let gone_file = c.path(Item::Readings(hash_of(&root_key(&gone))));
    fs::remove_dir_all(d.path().join("gone")).unwrap();
    Readings::record(&c, &[r(Window::FiveHour, 1.0, 1)], &[], Some(&next)).unwrap();
    assert!(!gone_file.exists());
    assert!(c.path(Item::Readings(hash_of(&root_key(&next)))).exists() && c.path(Item::Readings(hash_of(""))).exists());
}

#[test]
fn a_reading_from_the_future_does_not_put_the_present_out() {
    // A replay's status line forty days ahead, then today's readings: today's are the present's,
    // not windows over for 35 days, and stay.
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    let now = crate::ground::time::wall_ms();
    Readings::record(&c, &[r(Window::FiveHour, 40.0, now)], &[], None).unwrap();
    Readings::record(&c, &[r(Window::FiveHour, 70.0, now + 40 * DAY_MS)], &[], None).unwrap();
    Readings::record(&c, &[r(Window::FiveHour, 55.0, now + 1)], &[], None).unwrap();
    let used = |at: i64| -> Vec<f64> {
        let all = Readings::load(&c, &HashSet::new());
        all.of(Provider::CLAUDE, &HashSet::new(), at).iter().map(|x| x.used_percent).collect()
    };
    assert_eq!(used(now + 1), vec![40.0, 55.0]);
    // More windows ahead than are kept of a window kind: the present's are kept all the same.
    for i in 0..(KEEP as i64 + 10) {
        let at = now + 40 * DAY_MS + i * 6 * 3_600_000;
        Readings::record(&c, &[r(Window::FiveHour, 1.0, at)], &[], None).unwrap();
    }
    assert_eq!(used(now + 1), vec![40.0, 55.0]);
}

#[test]
fn a_reading_that_finds_the_lock_held_is_kept_beside_and_folded_in() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    Readings::record(&c, &[r(Window::FiveHour, 10.0, 5)], &[], None).unwrap();
    let held = c.lock(Item::ReadingsLock).unwrap().expect("the lock");
    Readings::record(&c, &[r(Window::FiveHour, 11.0, 6)], &[], None).unwrap();
    let used = |c: &Cache| -> Vec<f64> {
        Readings::load(c, &HashSet::new()).list.iter().map(|x| x.reading.used_percent).collect()
    };
    assert_eq!(used(&c), vec![10.0, 11.0], "seen while the lock is still held");
    assert_eq!(pending_of(&c, hash_of("")).len(), 1);
    drop(held);
    Readings::record(&c, &[r(Window::FiveHour, 12.0, 7)], &[], None).unwrap();
    assert_eq!(used(&c), vec![10.0, 11.0, 12.0]);
    assert!(pending_of(&c, hash_of("")).is_empty(), "folded in and removed");
}
