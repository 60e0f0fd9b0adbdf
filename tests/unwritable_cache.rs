//! A cache that cannot be written is not "no history": every surface still answers with the totals of
//! a fresh full read, and says what is wrong where a person can see it (status's stderr, doctor), never
//! on a prompt.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;

use common::host::{HOST_NOW, SEG};
use common::*;

fn check_answers(s: &Sandbox, cache: &std::path::Path) {
    let fresh = s.fresh_status(HOST_NOW);
    for _ in 0..2 {
        let o = s.cmd_with_cache(cache).args(["--now", HOST_NOW, "status", "--json"]).output().unwrap();
        assert!(o.status.success());
        assert_eq!(figures(&json_of(&o)), figures(&fresh));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with("runway: cannot write the cache in ") && err.contains("every run"), "{err}");

        let o = s
            .cmd_with_cache(cache)
            .args(["--now", HOST_NOW, "--limit-cost", "10", "prompt", "--shell", "plain"])
            .output()
            .unwrap();
        assert_quiet(&o);
        assert_eq!(stdout(&o), SEG);
    }
    let doctor = stdout(&s.cmd_with_cache(cache).arg("doctor").output().unwrap());
    assert!(doctor.contains("PROBLEM   cannot write the cache"), "{doctor}");
    assert!(doctor.contains("9 files"), "{doctor}");
}

#[test]
fn a_cache_dir_that_cannot_be_made() {
    // A file where the directory should be: refused even to root, unlike a read-only mode.
    let s = Sandbox::claude_fixture();
    let blocker = s.dir.path().join("not-a-dir");
    fs::write(&blocker, "").unwrap();
    check_answers(&s, &blocker.join("runway"));
}

#[test]
fn a_state_that_cannot_be_replaced() {
    // The directory is fine but the state's name is taken by a directory: the base is written, the
    // state is not, and the answer is still whole.
    let s = Sandbox::claude_fixture();
    let cache = s.dir.path().join("cache-x");
    s.cmd_with_cache(&cache).args(["--now", HOST_NOW, "status"]).output().unwrap();
    let db = fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("db-"))
        .unwrap()
        .path();
    fs::remove_file(db.join("state")).unwrap();
    fs::create_dir_all(db.join("state/blocked")).unwrap();
    let names = || -> Vec<_> {
        let mut n: Vec<_> = fs::read_dir(&db).unwrap().flatten().map(|e| e.file_name()).collect();
        n.sort();
        n
    };
    let before = names();
    check_answers(&s, &cache);
    assert_eq!(names(), before, "no base named by no state left behind at each run");
}

#[test]
fn the_status_lines_readings_hold_without_a_cache() {
    // The status line hands over the service's figures on stdin: they are its answer's even when the
    // cache cannot keep them (they were dropped, and the line showed no window at all).
    let s = Sandbox::claude_fixture();
    let blocker = s.dir.path().join("not-a-dir");
    fs::write(&blocker, "").unwrap();
    let now_s = 1_770_931_800; // 2026-02-12T21:30:00Z
    let limits = serde_json::json!({
        "five_hour": { "used_percentage": 23.4, "resets_at": now_s + 6000 },
        "seven_day": { "used_percentage": 41.2, "resets_at": now_s + 3 * 86400 + 3600 }
    });
    let p = payload(&s, Some(limits)).to_string();
    let line = |budget: &str| {
        let mut c = s.cmd_with_cache(&blocker.join("runway"));
        c.env("RUNWAY_PROMPT_BYTES", budget).args(["--color", "never", "--now", "2026-02-12T21:30:00Z", "statusline"]);
        let o = output_with_input(&mut c, p.as_bytes());
        assert_quiet(&o);
        stdout(&o)
    };
    // The whole history read in the budget: the service's figures, as with a cache.
    assert_eq!(line("100000000"), "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
    // More history than the budget reads (and no cache to carry the rest over): the payload's
    // figures as the service gave them, nothing of the partial totals.
    assert_eq!(line("1000"), "Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻1h40m · 7d 41% ↻3d01h\n");
    // A prompt in that state says where to look rather than nothing at all.
    let o = s
        .cmd_with_cache(&blocker.join("runway"))
        .env("RUNWAY_PROMPT_BYTES", "1000")
        .args(["--color", "never", "--now", HOST_NOW, "prompt", "--shell", "plain"])
        .output()
        .unwrap();
    assert_quiet(&o);
    assert_eq!(stdout(&o), "runway: see doctor");
}
