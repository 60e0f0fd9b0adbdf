//! What sync tools leave in the folder, and what a writer to it can put there: conflict copies of a
//! device's file (counted once), temporary and half-arrived files, a newer runway's, garbage, a file
//! too large, a FIFO and a link out of the folder: each left out, blocking nothing, raising no figure,
//! and listed by `doctor` with why.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::devices::Device;
use common::*;
use serde_json::Value;

const NOW: &str = "2026-02-12T21:30:00Z";

#[test]
fn what_sync_tools_leave_in_the_folder() {
    let shared = tempfile::tempdir().unwrap();
    let (a, b) = (Device::claude(shared.path()), Device::codex(shared.path()));
    a.reading(NOW);
    a.status(NOW);
    let good = std::fs::read(a.file()).unwrap();
    let name = a.file().file_name().unwrap().to_string_lossy().into_owned();
    let id = name.trim_end_matches(".device").to_owned();
    let dir = shared.path().join("runway");
    let before = b.status(NOW);
    // A conflict copy of A's file, as Syncthing and Dropbox name them, holding the same figures: A
    // counts once.
    std::fs::write(dir.join(format!("{id}.sync-conflict-20260212-213000-ABCDEFG.device")), &good).unwrap();
    std::fs::write(dir.join(format!("{id} (laptop's conflicted copy 2026-02-12).device")), &good).unwrap();
    std::fs::write(dir.join(format!("{id}-1.device")), &good).unwrap();
    // A sync tool's temporary files, a file still arriving (cut short), one from a newer runway,
    // garbage, 100 MB, a FIFO, a link out of the folder.
    std::fs::write(dir.join(format!(".syncthing.{id}.device.tmp")), &good[..good.len() / 2]).unwrap();
    std::fs::write(dir.join(format!("~syncthing~{id}.device.tmp")), b"x").unwrap();
    std::fs::write(dir.join(format!("{}0.device", &id[..15])), &good[..good.len() - 10]).unwrap();
    let body = String::from_utf8(good.clone()).unwrap();
    let (_, body) = body.split_once('\n').unwrap();
    let newer = body.replace("\"runway_device\":1", "\"runway_device\":9").replace(&id, "9999999999999999");
    std::fs::write(dir.join("9999999999999999.device"), format!("0000000000000000\n{newer}")).unwrap();
    std::fs::write(dir.join("aaaaaaaaaaaaaaaa.device"), b"\x00\xffgarbage").unwrap();
    let big = std::fs::File::create(dir.join("bbbbbbbbbbbbbbbb.device")).unwrap();
    big.set_len(100 << 20).unwrap();
    mkfifo(&dir.join("cccccccccccccccc.device"));
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), &good).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.join("dddddddddddddddd.device")).unwrap();
    // None of it blocks a prompt, none of it raises a figure.
    let o = output_within(b.cmd().args(["--now", NOW, "prompt"]), 20);
    assert_quiet(&o);
    let after = b.status(NOW);
    let windows = |v: &Value| {
        v["devices"].as_array().unwrap().iter().map(|d| (d["name"].clone(), d["windows"].clone())).collect::<Vec<_>>()
    };
    assert_eq!(windows(&after), windows(&before), "the same two devices, the same figures");
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("devices");
        figures(&v)
    };
    assert_eq!(strip(after.clone()), strip(before.clone()));
    // doctor lists each with why.
    let doctor = stdout(&output_within(b.cmd().args(["--now", NOW, "doctor"]), 30));
    for why in [
        "a sync tool's temporary file",
        "an older copy",
        "not a device file runway wrote, or cut short, or damaged",
        "larger than 1024 KiB",
        "FIFO",
        "link",
    ] {
        assert!(doctor.contains(why), "{why}: {doctor}");
    }
    // A clock far ahead on another machine: its file is refused, until the clocks agree.
    let skewed = String::from_utf8(good).unwrap();
    let written = skewed.split("\"written_at\":").nth(1).unwrap().split(',').next().unwrap().to_owned();
    let ahead: i64 = written.parse::<i64>().unwrap() + 3 * 3_600_000;
    let (_, body) = skewed.split_once('\n').unwrap();
    let body = body
        .replace(&format!("\"written_at\":{written}"), &format!("\"written_at\":{ahead}"))
        .replace(&id, "eeeeeeeeeeeeeeee");
    std::fs::write(dir.join("eeeeeeeeeeeeeeee.device"), body).unwrap();
    let doctor = stdout(&output_within(b.cmd().args(["--now", NOW, "doctor"]), 30));
    assert!(doctor.contains("eeeeeeeeeeeeeeee.device"), "{doctor}");
}

/// A folder crowded with files (junk, or a writer to it bent on slowing every prompt: 100,000 empty
/// ones cost a prompt after each change 0.4 s of stats) is not read past 4,096 entries, and `doctor`
/// says why; at 4,096 it is read as before.
#[test]
fn a_folder_of_more_than_4096_entries_is_not_read() {
    let shared = tempfile::tempdir().unwrap();
    let (a, b) = (Device::claude(shared.path()), Device::codex(shared.path()));
    a.status(NOW);
    b.status(NOW);
    let dir = shared.path().join("runway");
    let there = std::fs::read_dir(&dir).unwrap().count();
    for i in there..4096 {
        std::fs::write(dir.join(format!("{i:016x}.device")), b"").unwrap();
    }
    let devices = |v: &Value| v["devices"].as_array().map_or(0, Vec::len);
    let read = b.status(NOW);
    assert_eq!(devices(&read), 2, "{}", read["devices"]);
    std::fs::write(dir.join(format!("{:016x}.device", 4096)), b"").unwrap();
    let crowded = b.status(NOW);
    assert_eq!(devices(&crowded), 1, "this device alone: {}", crowded["devices"]);
    // Said where the figures are shown, not only by `doctor`.
    for args in [&["status"][..], &["report", "--by", "device"]] {
        let o = output_within(b.cmd().args(["--now", NOW]).args(args), 30);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("holds more than 4096 entries, so none of it is read"), "{args:?}: {err}");
    }
    assert_quiet(&output_within(b.cmd().args(["--now", NOW, "prompt"]), 20));
    let doctor = stdout(&output_within(b.cmd().args(["--now", NOW, "doctor"]), 30));
    assert!(doctor.contains("runway/: more than 4096 entries: none of them read"), "{doctor}");
}
