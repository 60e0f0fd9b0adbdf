use super::*;
use crate::ground::tokens::Sums;

#[test]
fn a_prompt_keeps_each_recent_hour_once_its_models_added_up() {
    let now = 100 * DAY_MS;
    let hour = |start: i64, model: &str, calls: u64, cost: u128| Hour {
        start,
        model: model.into(),
        calls,
        sums: Sums { output: calls * 10, cost, ..Sums::default() },
    };
    let hours = vec![
        hour(now - HOUR_MS, "b", 2, 7),
        hour(now - 9 * DAY_MS, "a", 5, 1), // older than eight days: not a prompt's
        hour(now - HOUR_MS, "a", 3, 5),
        hour(now - 2 * HOUR_MS, "a", 1, 4),
    ];
    let got: Vec<(i64, u64, u64, u128)> =
        hours_of(hours, now).iter().map(|h| (h.start, h.calls, h.sums.output, h.sums.cost)).collect();
    assert_eq!(got, vec![(now - 2 * HOUR_MS, 1, 10, 4), (now - HOUR_MS, 5, 50, 12)]);
}

#[test]
fn a_new_file_leaves_the_files_read_before_as_they_were_read() {
    let (d, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let cache = Cache::new(c.path().to_path_buf());
    let me = Identity { id: "0123456789abcdef".into(), name: "desk".into(), machine: 1, host: 0 };
    // Ten seconds ahead of the files' times: settled looks, both in the same hours.
    let w = crate::ground::time::wall_ms() + 10_000;
    let put = |id: &str, machine: u64, calls: u64| {
        let tools = vec![super::file::ToolUse {
            provider: crate::ground::provider::Provider::CLAUDE,
            hours: vec![Hour { start: w / HOUR_MS * HOUR_MS, model: "m".into(), calls, sums: Sums::default() }],
            readings: Vec::new(),
        }];
        let f =
            DeviceFile { id: id.into(), name: id.into(), written_at: w, machine, host: 0, tools, projects: Vec::new() };
        let who = Identity { id: id.into(), name: id.into(), machine, host: 0 };
        write(d.path(), &who, &file::encode(&f)).unwrap();
    };
    let calls = || -> Vec<u64> {
        let seen = read(d.path(), &me, (w, w), &cache, true);
        seen.devices.iter().map(|f| f.tools[0].hours[0].calls).collect()
    };
    put("1111111111111111", 2, 3);
    // A look within two seconds of a change keeps a stamp no file has: the next reads it again;
    // also when a sync tool set the file's time to a fast peer's (the change time tells).
    let path = folder(d.path()).join("1111111111111111.device");
    let far = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(4_102_444_800);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(far).unwrap();
    let md = std::fs::metadata(&path).unwrap();
    let soon = platform::ctime_ns(&md) / 1_000_000 + 100;
    read(d.path(), &me, (soon, soon), &cache, true);
    assert_eq!(kept(&cache).unwrap().entries[0].stamp.3, i64::MIN);
    assert_eq!(calls(), vec![3]);
    // The copy says 7 for that file, as if it had been read so: a look that reads it again says 3.
    let mut k = kept(&cache).unwrap();
    k.entries[0].held.as_mut().unwrap().tools[0].hours[0].calls = 7;
    keep(&cache, &k);
    put("2222222222222222", 3, 5);
    assert_eq!(calls(), vec![7, 5], "the first file was taken from the copy");
}

#[test]
fn a_file_of_this_machine_under_another_id_gives_way_hour_by_hour_to_its_own() {
    // An id this cache had before, or a clone's sharing its path: the same mark. Without this
    // device's own file, left out whole; with it, only the hours the own file shows as the same.
    let d = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let cache = Cache::new(c.path().to_path_buf());
    let w = crate::ground::time::wall_ms() + 10_000;
    let h = w / HOUR_MS * HOUR_MS;
    let me = Identity { id: "0123456789abcdef".into(), name: "desk".into(), machine: 1, host: 0 };
    let put = |who: &Identity, hours: &[(i64, u64)]| {
        let hours = hours
            .iter()
            .map(|&(start, calls)| Hour {
                start,
                model: "m".into(),
                calls,
                sums: Sums { output: calls * 10, cost: u128::from(calls), ..Sums::default() },
            })
            .collect();
        let tools = vec![super::file::ToolUse {
            provider: crate::ground::provider::Provider::CLAUDE,
            hours,
            readings: Vec::new(),
        }];
        let f = DeviceFile {
            id: who.id.clone(),
            name: who.name.clone(),
            written_at: w,
            machine: who.machine,
            host: 0,
            tools,
            projects: Vec::new(),
        };
        write(d.path(), who, &file::encode(&f)).unwrap();
    };
    let other = Identity { id: "1111111111111111".into(), ..me.clone() };
    put(&other, &[(h - 3 * HOUR_MS, 3), (h - 2 * HOUR_MS, 4)]);
    let seen = read(d.path(), &me, (w, w), &cache, false);
    assert!(seen.devices.is_empty() && seen.own_used, "{seen:?}");
    assert!(seen.ignored.iter().any(|(_, why)| why == "this machine, under an id its cache had before"));
    // Its own file has the first hour alike; the second is the other's own work (a clone's).
    put(&me, &[(h - 3 * HOUR_MS, 3)]);
    let seen = read(d.path(), &me, (w, w), &cache, false);
    let hours: Vec<(i64, u64)> =
        seen.devices.iter().flat_map(|f| f.tools[0].hours.iter().map(|x| (x.start, x.calls))).collect();
    assert_eq!(hours, vec![(h - 2 * HOUR_MS, 4)]);
    // A sync tool's copy of it beside it: one copy counts (both went, cut by each other, by name).
    let copy = folder(d.path()).join("1111111111111111.sync-conflict-20261201-101010-ABCDEFG.device");
    std::fs::copy(folder(d.path()).join("1111111111111111.device"), copy).unwrap();
    let seen = read(d.path(), &me, (w, w), &cache, false);
    let again: Vec<(i64, u64)> =
        seen.devices.iter().flat_map(|f| f.tools[0].hours.iter().map(|x| (x.start, x.calls))).collect();
    assert_eq!(again, hours);
}

#[test]
fn the_listing_sees_when_this_device_wrote_and_keys_the_others() {
    // `publish` takes the own file's time from the listing: a prompt stats it there, once.
    let d = tempfile::tempdir().unwrap();
    let dir = folder(d.path());
    std::fs::create_dir_all(&dir).unwrap();
    let me = Identity { id: "0123456789abcdef".into(), name: "desk".into(), machine: 7, host: 0 };
    // Ten seconds ahead of the files' times: a settled look, whose key is the files' alone.
    let w = crate::ground::time::wall_ms() + 10_000;
    let at = (w, w);
    let (key, own, _) = super::key(d.path(), &me, at).unwrap();
    assert_eq!(own, None, "no file yet");
    std::fs::write(own_file(d.path(), &me), b"x").unwrap();
    let written = Some(platform::mtime_ns(&std::fs::metadata(own_file(d.path(), &me)).unwrap()) / 1_000_000);
    let (same, own, _) = super::key(d.path(), &me, at).unwrap();
    assert_eq!((same, own), (key, written), "its own file is not part of the key");
    std::fs::write(dir.join("fedcba9876543210.device"), b"y").unwrap();
    assert_ne!(super::key(d.path(), &me, at).unwrap().0, key, "another device's is");
}

#[test]
fn damaged_files_read_once_are_not_read_again_at_every_change() {
    // Damaged copies past a prompt's budget, read whole by a look without one (the helper's); then
    // another device writes its file: a prompt's look reads that file alone, within its budget.
    let (d, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let cache = Cache::new(c.path().to_path_buf());
    let me = Identity { id: "0123456789abcdef".into(), name: "desk".into(), machine: 1, host: 0 };
    let w = crate::ground::time::wall_ms() + 10_000;
    let put = |calls: u64| {
        let tools = vec![super::file::ToolUse {
            provider: crate::ground::provider::Provider::CLAUDE,
            hours: vec![Hour { start: w / HOUR_MS * HOUR_MS, model: "m".into(), calls, sums: Sums::default() }],
            readings: Vec::new(),
        }];
        let id = "1111111111111111";
        let f =
            DeviceFile { id: id.into(), name: id.into(), written_at: w, machine: 2, host: 0, tools, projects: vec![] };
        let who = Identity { id: id.into(), name: id.into(), machine: 2, host: 0 };
        write(d.path(), &who, &file::encode(&f)).unwrap();
    };
    put(3);
    for i in 1..=3 {
        std::fs::write(folder(d.path()).join(format!("2222222222222222-{i}.device")), vec![b'x'; 100_000]).unwrap();
    }
    let look = |budget: Option<u64>| {
        read_keyed(d.path(), &me, (w, w), &cache, true, budget).map(|(s, _, _)| s.devices[0].tools[0].hours[0].calls)
    };
    assert_eq!(look(None), Some(3));
    put(4);
    assert_eq!(look(Some(50_000)), Some(4), "the damaged ones taken as they were refused");
}

#[test]
fn a_file_that_could_not_be_opened_is_looked_at_again() {
    // Held for a moment (a sync tool, a scanner) with its stat as it was: refused for that, it is not
    // taken as refused at the next look, as a file refused for what it holds is.
    let (d, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let cache = Cache::new(c.path().to_path_buf());
    let me = Identity { id: "0123456789abcdef".into(), name: "desk".into(), machine: 1, host: 0 };
    let w = crate::ground::time::wall_ms() + 10_000;
    let tools = vec![super::file::ToolUse {
        provider: crate::ground::provider::Provider::CLAUDE,
        hours: vec![Hour { start: w / HOUR_MS * HOUR_MS, model: "m".into(), calls: 3, sums: Sums::default() }],
        readings: Vec::new(),
    }];
    let id = "1111111111111111";
    let f = DeviceFile { id: id.into(), name: id.into(), written_at: w, machine: 2, host: 0, tools, projects: vec![] };
    write(d.path(), &Identity { id: id.into(), name: id.into(), machine: 2, host: 0 }, &file::encode(&f)).unwrap();
    let look = || read(d.path(), &me, (w, w), &cache, true).devices.len();
    assert_eq!(look(), 1);
    // The copy says it could not be opened, under a key no listing has (as another file's change
    // would leave it): the next look opens it.
    let mut k = kept(&cache).unwrap();
    k.entries[0].held = Err(format!("{UNREADABLE}held by another process"));
    k.key = 0;
    keep(&cache, &k);
    assert_eq!(look(), 1);
}
