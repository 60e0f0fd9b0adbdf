//! One machine is one device in the sync folder, whatever else changes: the histories it reads by
//! turns (a tmux server without the shell's `CLAUDE_CONFIG_DIR`), its cache directory moved, or a
//! second cache directory in use beside the first. Device A reads the real Claude Code fixture, B the
//! real Codex CLI one.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::devices::Device;
use common::*;

const NOW: &str = "2026-02-12T21:30:00Z";

#[test]
fn a_device_whose_histories_change_is_still_one_device() {
    // The tmux server runs runway without the shell's CLAUDE_CONFIG_DIR, so the two read different
    // histories, by turns: still one device, one file, never a second device made of the first.
    let shared = tempfile::tempdir().unwrap();
    let a = Device::claude(shared.path());
    a.status(NOW);
    let first = a.file();
    for _ in 0..2 {
        let o = a.cmd().env_remove("CLAUDE_CONFIG_DIR").args(["--now", NOW, "status", "--json"]).output().unwrap();
        let v = json_of(&o);
        assert_eq!(v["devices"].as_array().map(Vec::len), Some(1), "{v}");
        let v = a.status(NOW);
        assert_eq!(v["devices"].as_array().map(Vec::len), Some(1), "{v}");
    }
    assert_eq!(a.file(), first);
    let files = std::fs::read_dir(shared.path().join("runway")).unwrap().count();
    assert_eq!(files, 1, "one file for one device");
}

/// A's cache directory moved (`XDG_CACHE_HOME` set since) and, from then on, the old one still in
/// use beside it (a tmux server's environment names it): two ids of one machine reading the same
/// transcripts, whose files the folder keeps both. Neither A nor B counts A's use twice; it did on
/// both (A's $1.54 in the window read $3.07 on A, and B saw two laptops).
#[test]
fn a_cache_directory_moved_or_a_second_in_use_is_still_one_device() {
    let shared = tempfile::tempdir().unwrap();
    let (a, b) = (Device::claude(shared.path()), Device::codex(shared.path()));
    let window = |v: &serde_json::Value| v["devices"][0]["windows"]["claude"]["five_hour"]["cost_usd"].clone();
    let before = a.status(NOW);
    assert!(window(&before).as_f64().unwrap() > 1.0, "{before}");
    let moved = tempfile::tempdir().unwrap();
    let status_in = |cache: &std::path::Path| {
        json_of(&a.cmd().env("RUNWAY_CACHE_DIR", cache).args(["--now", NOW, "status", "--json"]).output().unwrap())
    };
    let prompt_in = |cache: &std::path::Path| {
        let o = a.cmd().env("RUNWAY_CACHE_DIR", cache).args(["--now", NOW, "--color", "never", "prompt"]).output();
        stdout(&o.unwrap())
    };
    // Until its first file is written, the new cache counts the old one's too (said in docs/sync.md);
    // its first status writes it, and from then on the old file is this device's, read again, the
    // copy of the other devices' use its prompt made before included.
    let alone = a.prompt(NOW);
    assert_ne!(prompt_in(moved.path()), alone, "the old file counts until the new one is written");
    status_in(moved.path());
    assert_eq!(prompt_in(moved.path()), alone);
    for v in [status_in(moved.path()), a.status(NOW), status_in(moved.path())] {
        assert_eq!(v["devices"].as_array().map(Vec::len), Some(1), "{v}");
        assert_eq!(window(&v), window(&before));
        assert_eq!(v["claude"]["week"]["cost_usd"], before["claude"]["week"]["cost_usd"]);
    }
    assert_eq!(std::fs::read_dir(shared.path().join("runway")).unwrap().count(), 2, "both files stay");
    assert_eq!((prompt_in(moved.path()), a.prompt(NOW)), (alone.clone(), alone));
    // B sees one laptop, with A's figures.
    let v = b.status(NOW);
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "{v}");
    assert_eq!(devices[1]["windows"]["claude"]["five_hour"]["cost_usd"], window(&before));
    // A reads its own file back as other devices read it: one laptop's use, by day, in its report.
    let by_device = a.report("device");
    assert_eq!(by_device["runway"]["otherDevices"]["devices"], 0, "{by_device}");
}
