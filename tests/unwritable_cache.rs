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
