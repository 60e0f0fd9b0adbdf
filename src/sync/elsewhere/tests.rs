use super::*;
use crate::ground::time::HOUR_MS;
use crate::ground::tokens::Sums;
use crate::ground::window::Window;
use crate::sync::file::{self, DeviceFile, Hour, ToolUse};

fn device(id: &str, tools: Vec<ToolUse>) -> DeviceFile {
    DeviceFile { id: id.into(), name: id.into(), written_at: 0, machine: 0, host: 0, tools, projects: Vec::new() }
}

fn hour(start: i64, calls: u64, cost: u128) -> Hour {
    Hour { start, model: "m".into(), calls, sums: Sums { output: calls, cost, ..Sums::default() } }
}

/// A sync folder and a cache directory of their own, this device, and another device `b`.
fn two_devices() -> (tempfile::TempDir, tempfile::TempDir, Cache, Identity, Identity) {
    let (d, cache_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let cache = Cache::new(cache_dir.path().to_path_buf());
    let me = Identity { id: "0123456789abcdef".into(), name: "desk".into(), machine: 1, host: 0 };
    let b = Identity { id: "1111111111111111".into(), name: "b".into(), machine: 2, host: 0 };
    (d, cache_dir, cache, me, b)
}

#[test]
fn the_devices_hours_add_up_per_tool_and_hour() {
    let (c, x) = (Provider::CLAUDE, Provider::CODEX);
    let r = Reading::new(x, Window::FiveHour, 40.0, 5 * HOUR_MS, HOUR_MS);
    let a = device(
        "a",
        vec![
            ToolUse { provider: c, hours: vec![hour(HOUR_MS, 2, 7), hour(0, 1, 5)], readings: Vec::new() },
            ToolUse { provider: x, hours: vec![hour(0, 4, 11)], readings: vec![r.clone()] },
        ],
    );
    // b saw the same reading as a, and an hour of its own.
    let b = device(
        "b",
        vec![
            ToolUse { provider: c, hours: vec![hour(0, 3, 13)], readings: Vec::new() },
            ToolUse { provider: x, hours: Vec::new(), readings: vec![r.clone()] },
        ],
    );
    let tools = sum(&Seen { devices: vec![a, b], ..Seen::default() });
    let figures = |t: &Elsewhere| t.hours.iter().map(|h| (h.0, h.1, h.2.cost)).collect::<Vec<_>>();
    assert_eq!(tools.len(), 2);
    // Hour 0: a's 1 call ($5) and b's 3 ($13) are 4 calls, 18; hour 1 is a's alone.
    assert_eq!((tools[0].provider, figures(&tools[0])), (c, vec![(0, 4, 18), (HOUR_MS, 2, 7)]));
    assert_eq!(tools[0].hours[0].2.output, 4);
    // Codex: the reading both saw, once.
    assert_eq!((tools[1].provider, figures(&tools[1]), tools[1].readings.clone()), (x, vec![(0, 4, 11)], vec![r]));
}

#[test]
fn the_kept_copy_reads_back_what_was_kept() {
    let d = tempfile::tempdir().unwrap();
    let cache = Cache::new(d.path().to_path_buf());
    let r = Reading::new(Provider::CLAUDE, Window::SevenDay, 12.5, 7 * 24 * HOUR_MS, HOUR_MS);
    let tools = vec![ToolUse {
        provider: Provider::CLAUDE,
        hours: vec![hour(0, 1, 5), hour(HOUR_MS, 2, 9)],
        readings: vec![r],
    }];
    let tools = sum(&Seen { devices: vec![device("a", tools)], ..Seen::default() });
    for own in [None, Some(123)] {
        let (settled, by_own) = (own.is_some(), own.is_none());
        let head = Head { key: 7, stamp: 8, listed_at: 9, own, settled, recheck: 10, by_own };
        keep(&cache, &head, &tools);
        assert_eq!(kept(&cache), Some((head, tools.clone())));
    }
}

#[test]
fn a_prompt_lists_the_folder_when_it_changed_or_once_a_period() {
    let (d, _c, cache, me, b) = two_devices();
    // Ten minutes into an hour, so that the hour does not turn within the test's minute.
    let t = 500_000 * HOUR_MS + 10 * 60_000;
    let other = |id: &str, calls: u64| {
        let f = device(
            id,
            vec![ToolUse {
                provider: Provider::CLAUDE,
                hours: vec![hour(500_000 * HOUR_MS - HOUR_MS, calls, 5)],
                readings: Vec::new(),
            }],
        );
        DeviceFile { written_at: t, machine: 2, ..f }
    };
    folder::write(d.path(), &b, &file::encode(&other(&b.id, 3))).unwrap();
    let calls = |wall: i64, list: bool| -> Vec<u64> {
        let (tools, _, _) = read(d.path(), &me, (wall, wall), &cache, 60_000, list, None);
        tools.iter().flat_map(|t| t.hours.iter().map(|h| h.1)).collect()
    };
    assert_eq!(calls(t, false), vec![3]);
    // Rewritten in place: the folder's stat is as it was, so a prompt reads the copy...
    std::fs::write(folder::own_file(d.path(), &b), crate::sync::file::encode(&other(&b.id, 4))).unwrap();
    assert_eq!(calls(t + 1_000, false), vec![3], "listed again before its time");
    assert_eq!(calls(t + 2_000, true), vec![4], "`status` lists every time");
    std::fs::write(folder::own_file(d.path(), &b), crate::sync::file::encode(&other(&b.id, 5))).unwrap();
    // ...until a period after the last look.
    assert_eq!(calls(t + 61_000, false), vec![4]);
    assert_eq!(calls(t + 62_001, false), vec![5]);
    // A device's file renamed into the folder (every sync tool's way): seen at once.
    let c = Identity { id: "2222222222222222".into(), name: "c".into(), machine: 3, host: 0 };
    folder::write(d.path(), &c, &file::encode(&other(&c.id, 6))).unwrap();
    assert_eq!(calls(t + 63_000, false), vec![11]);
}

#[test]
fn a_prompt_reads_a_budgets_worth_of_files_and_keeps_them_for_the_next() {
    // Three devices' files of one size, a budget of one and a half: each prompt reads one more, and
    // says the rest is unread (the helper's work) until the third has them all.
    let (d, _c, cache, me, _) = two_devices();
    let t = 500_000 * HOUR_MS + 10 * 60_000;
    let ids = ["1111111111111111", "2222222222222222", "3333333333333333"];
    for (i, id) in ids.iter().enumerate() {
        let hours = vec![hour(500_000 * HOUR_MS - HOUR_MS, 1 + i as u64, 5)];
        let f = device(id, vec![ToolUse { provider: Provider::CLAUDE, hours, readings: Vec::new() }]);
        let who = Identity { id: (*id).into(), name: "x".into(), machine: 10 + i as u64, host: 0 };
        folder::write(d.path(), &who, &file::encode(&DeviceFile { written_at: t, machine: who.machine, ..f })).unwrap();
    }
    let size = std::fs::metadata(folder::folder(d.path()).join(format!("{}.device", ids[0]))).unwrap().len();
    let look = |wall: i64| {
        let (tools, _, behind) = read(d.path(), &me, (wall, wall), &cache, 60_000, false, Some(size * 3 / 2));
        (tools.iter().flat_map(|t| t.hours.iter().map(|h| h.1)).sum::<u64>(), behind)
    };
    assert_eq!(look(t), (0, true), "one file read, nothing known yet");
    assert_eq!(look(t + 1_000), (0, true), "the first taken, the second read");
    assert_eq!(look(t + 2_000), (6, false), "1 + 2 + 3 calls, two files taken, the last read");
    assert_eq!(look(t + 3_000), (6, false), "then the copy");
}

#[test]
fn a_copy_that_hangs_on_this_devices_own_file_goes_when_it_is_written() {
    // Another cache directory of this machine (its host) wrote the same hours; this device's own
    // file is not there yet, then it is. The folder's listing, which leaves it out, is the same:
    // the copy made before was kept, and counted the other's hours as well.
    let (d, _c, cache, me, _) = two_devices();
    let me = Identity { host: 9, ..me };
    let other = Identity { id: "2222222222222222".into(), name: "desk".into(), machine: 3, host: 9 };
    let t = 500_000 * HOUR_MS + 10 * 60_000;
    let file_of = |who: &Identity| {
        let hours = vec![hour(500_000 * HOUR_MS - 2 * HOUR_MS, 3, 5)];
        let f = device(&who.id, vec![ToolUse { provider: Provider::CLAUDE, hours, readings: Vec::new() }]);
        file::encode(&DeviceFile { written_at: t - 20 * 60_000, machine: who.machine, host: who.host, ..f })
    };
    folder::write(d.path(), &other, &file_of(&other)).unwrap();
    let calls = |wall: i64| -> Vec<u64> {
        let (tools, _, _) = read(d.path(), &me, (wall, wall), &cache, 60_000, false, None);
        tools.iter().flat_map(|t| t.hours.iter().map(|h| h.1)).collect()
    };
    assert_eq!(calls(t), vec![3], "until this device's own file is written, the other counts");
    folder::write(d.path(), &me, &file_of(&me)).unwrap();
    assert_eq!(calls(t + 1_000), Vec::<u64>::new());
    assert!(kept(&cache).unwrap().0.by_own);
}

#[test]
fn a_look_soon_after_a_change_spares_no_later_one() {
    // On a file system of one-second times, a file renamed in within the second of a look leaves
    // the folder's stat as the look saw it: a look that close to a change is made again.
    let (d, _c, cache, me, b) = two_devices();
    let hour_ms = crate::ground::time::wall_ms() / HOUR_MS * HOUR_MS;
    let f = device(
        &b.id,
        vec![ToolUse { provider: Provider::CLAUDE, hours: vec![hour(hour_ms, 3, 5)], readings: Vec::new() }],
    );
    folder::write(d.path(), &b, &file::encode(&DeviceFile { written_at: hour_ms, machine: 2, ..f })).unwrap();
    let md = std::fs::metadata(folder::folder(d.path())).unwrap();
    let changed = crate::ground::platform::ctime_ns(&md).max(crate::ground::platform::mtime_ns(&md)) / 1_000_000;
    let head = |wall: i64| {
        read(d.path(), &me, (wall, wall), &cache, 60_000, false, None);
        let (h, _) = kept(&cache).unwrap();
        (h.listed_at, h.settled)
    };
    assert_eq!(head(changed + 100), (changed + 100, false));
    assert_eq!(head(changed + 200), (changed + 200, false), "an unsettled look spares none");
    assert_eq!(head(changed + 2_500), (changed + 2_500, true));
    assert_eq!(head(changed + 3_500), (changed + 2_500, true), "a settled one does");
    assert!(folder::settled(10_000_000_000, 12_000) && !folder::settled(10_000_000_000, 11_999));
    assert!(!folder::settled(13_000_000_000, 12_000), "a second ahead: this clock's, maybe");
    // A time a fast peer's sync tool copied: a change after the look is stamped by this clock.
    assert!(folder::settled(14_001_000_000, 12_000));
    let far = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(4_102_444_800);
    let file = folder::folder(d.path()).join(format!("{}.device", b.id));
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(far).unwrap();
    read(d.path(), &me, (changed + 4_500, changed + 4_500), &cache, 60_000, true, None);
    assert_eq!(head(changed + 5_500), (changed + 4_500, true), "a file's time in 2100 spares the next look");
}

#[test]
fn a_file_written_ahead_of_this_clock_is_looked_at_again() {
    // Refused while it is more than two hours ahead (another machine's clock), counted once it is
    // not: the refusal is kept until then, not until the hour turns nor for one prompt only.
    let (d, _c, cache, me, b) = two_devices();
    let t = 500_000 * HOUR_MS + 10 * 60_000;
    let f = device(
        &b.id,
        vec![ToolUse {
            provider: Provider::CLAUDE,
            hours: vec![hour(500_000 * HOUR_MS - HOUR_MS, 3, 5)],
            readings: Vec::new(),
        }],
    );
    folder::write(d.path(), &b, &file::encode(&DeviceFile { written_at: t + 2 * HOUR_MS + 20_000, machine: 2, ..f }))
        .unwrap();
    let calls = |wall: i64| -> Vec<u64> {
        let (tools, _, _) = read(d.path(), &me, (wall, wall), &cache, 60_000, false, None);
        tools.iter().flat_map(|t| t.hours.iter().map(|h| h.1)).collect()
    };
    assert_eq!(calls(t), Vec::<u64>::new(), "written in the future");
    // Kept until then, not read again at every prompt.
    assert_eq!(kept(&cache).unwrap().0.recheck, t + 20_000);
    assert_eq!(calls(t + 10_000), Vec::<u64>::new());
    assert_eq!(kept(&cache).unwrap().0.listed_at, t, "the copy spared the look");
    assert_eq!(calls(t + 30_000), vec![3], "within the skew now");
}

#[test]
fn a_file_rewritten_in_place_with_its_time_put_back_is_read_again() {
    // Same size, same modification time (put back): only the change time, which no one can set,
    // tells it.
    let (d, _c, cache, me, b) = two_devices();
    let hour_ms = crate::ground::time::wall_ms() / HOUR_MS * HOUR_MS;
    let file = |calls: u64| {
        let f = device(
            &b.id,
            vec![ToolUse { provider: Provider::CLAUDE, hours: vec![hour(hour_ms, calls, 5)], readings: Vec::new() }],
        );
        crate::sync::file::encode(&DeviceFile { written_at: hour_ms, machine: 2, ..f })
    };
    let path = folder::own_file(d.path(), &b);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, file(3)).unwrap();
    let calls = || -> Vec<u64> {
        let wall = crate::ground::time::wall_ms() + 10_000;
        let (tools, _, _) = read(d.path(), &me, (wall, wall), &cache, 60_000, true, None);
        tools.iter().flat_map(|t| t.hours.iter().map(|h| h.1)).collect()
    };
    assert_eq!(calls(), vec![3]);
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, file(4)).unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(before).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before);
    assert_eq!(calls(), vec![4]);
}
