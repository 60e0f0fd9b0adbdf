//! Bounds that hold however large the history: a prompt stats a bounded number of files however many
//! were written in the last hours, and leaves a full walk that falls due to the helper; a writer that
//! holds the cache and never finishes leaves figures marked stale, not passed off as current; the
//! caches of roots that are gone are removed. Costs here are counted in system calls, never timed
//! (the times are the benchmark's: benches/bench.sh).
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::host::{HOST_NOW, SEG, have};
use common::*;
use serde_json::{Value, json};

/// `n` one-call session files in ten projects, each a real assistant line with its own ids, all
/// written now (recent: the prompt's quick check would stat every one).
fn one_call_files(s: &Sandbox, n: usize) {
    let text = fs::read_to_string(s.session("4d5611e5-241a-462a-8d15-5122611a9569")).unwrap();
    let base: Value = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["type"] == "assistant" && v["message"]["usage"].is_object())
        .unwrap();
    for i in 0..n {
        let dir = s.projects().join(format!("-home-USER-many-{}", i % 10));
        fs::create_dir_all(&dir).unwrap();
        let mut v = base.clone();
        v["message"]["id"] = json!(format!("msg_many_{i}"));
        v["requestId"] = json!(format!("req_many_{i}"));
        v["timestamp"] = json!("2026-02-12T20:30:00.000Z");
        fs::write(dir.join(format!("{i:08}-many.jsonl")), format!("{v}\n")).unwrap();
    }
}

/// The system calls a run makes, by name (`strace -f -c`), or `None` without strace.
fn syscalls(s: &Sandbox, env: &[(&str, &str)], args: &[&str]) -> Option<Vec<(String, u64)>> {
    if !have("strace") {
        return None;
    }
    let out = s.dir.path().join("strace.txt");
    let o = Command::new("strace")
        .args(["-f", "-c", "-U", "name,calls", "-o"])
        .arg(&out)
        .arg(BIN)
        .args(args)
        .env_clear()
        .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = fs::read_to_string(&out).unwrap();
    Some(
        text.lines()
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                let (name, calls) = (w.next()?, w.next()?.parse().ok()?);
                Some((name.to_owned(), calls))
            })
            .collect(),
    )
}

fn count(calls: &[(String, u64)], names: &[&str]) -> u64 {
    calls.iter().filter(|(n, _)| names.contains(&n.as_str())).map(|(_, c)| c).sum()
}

const STATS: &[&str] = &["stat", "lstat", "fstat", "newfstatat", "statx"];

#[test]
fn a_prompt_stats_a_bounded_number_of_files_however_many_are_recent() {
    let s = Sandbox::claude_fixture();
    one_call_files(&s, 1500);
    assert_quiet(&s.run(&["--now", HOST_NOW, "catch-up"]));
    let want = s.fresh_status(HOST_NOW);
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&want));
    let Some(calls) = syscalls(&s, &[], &["--now", HOST_NOW, "prompt"]) else { return };
    let stats = count(&calls, STATS);
    // The 256 most recently written files, the roots and project folders, and runway's own files.
    assert!(stats < 256 + 100, "{stats} stats for 1,509 recent files: {calls:?}");
    // A file past the 256 that grows is found by the next walk (the helper's).
    let grown = s.projects().join("-home-USER-many-3/00000003-many.jsonl");
    let line =
        fs::read_to_string(&grown).unwrap().replace("msg_many_3", "msg_grown").replace("req_many_3", "req_grown");
    append(&grown, line.as_bytes());
    assert_quiet(&s.cmd().env("RUNWAY_RESCAN_SECS", "0").args(["--now", HOST_NOW, "catch-up"]).output().unwrap());
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

#[test]
fn a_walk_that_falls_due_is_left_to_the_helper() {
    let s = Sandbox::claude_fixture();
    one_call_files(&s, 300);
    assert_quiet(&s.run(&["--now", HOST_NOW, "catch-up"]));
    let due = [("RUNWAY_RESCAN_SECS", "0"), ("RUNWAY_NO_HELPER", "1")];
    let Some(calls) = syscalls(&s, &due, &["--now", HOST_NOW, "--limit-cost", "10", "prompt"]) else { return };
    assert_eq!(count(&calls, &["getdents64", "getdents"]), 0, "no folder listed: {calls:?}");
    // The prompt still answers (from the cache), and the helper walks.
    let o = s.cmd().envs(due).args(["--now", HOST_NOW, "--limit-cost", "10", "prompt"]).output().unwrap();
    assert_quiet(&o);
    assert!(!stdout(&o).is_empty());
    let walked = syscalls(&s, &due, &["--now", HOST_NOW, "catch-up"]).unwrap();
    assert!(count(&walked, &["getdents64", "getdents"]) > 10, "{walked:?}");
}

#[test]
fn a_lock_held_by_a_stuck_process_marks_the_figure_stale() {
    use std::os::fd::AsRawFd;
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    let prompt = || stdout(&s.run(&["--now", HOST_NOW, "--limit-cost", "10", "prompt"]));
    assert_eq!(prompt(), SEG);
    // A writer that took the lock two minutes ago and never let go.
    let lock = fs::OpenOptions::new().write(true).open(s.db().join("lock")).unwrap();
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    lock.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(120)).unwrap();
    // A new call the cache cannot take in.
    let session = s.session("4d5611e5-241a-462a-8d15-5122611a9569");
    let last =
        fs::read_to_string(&session).unwrap().lines().rev().find(|l| l.contains("\"usage\"")).unwrap().to_owned();
    append(&session, (last.replace("msg_", "msg_stuck_").replace("req_", "req_stuck_") + "\n").as_bytes());
    assert_eq!(prompt(), format!("{SEG} (stale)"));
    let doctor = stdout(&s.run(&["--now", HOST_NOW, "doctor"]));
    assert!(doctor.contains("has held the cache's lock for "), "{doctor}");
    // Held for a moment only (a helper's round): no mark.
    lock.set_modified(std::time::SystemTime::now()).unwrap();
    assert_eq!(prompt(), SEG);
    drop(lock);
}

#[test]
fn the_caches_of_roots_that_are_gone_are_removed() {
    let s = Sandbox::claude_fixture();
    let other = s.dir.path().join("other-claude");
    copy_tree(&s.claude_dir(), &other);
    let with = |dir: &Path, args: &[&str]| s.cmd().env("CLAUDE_CONFIG_DIR", dir).args(args).output().unwrap();
    assert_quiet(&with(&other, &["--now", HOST_NOW, "catch-up"]));
    assert_quiet(&with(&s.claude_dir(), &["--now", HOST_NOW, "catch-up"]));
    let dbs = || {
        let mut v: Vec<String> = fs::read_dir(s.cache())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("db-"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(dbs().len(), 2);
    // A folder an earlier version left, naming no roots: idle for 40 days, and for one.
    for (name, days) in [("db-00000000000000aa", 40), ("db-00000000000000bb", 1)] {
        let dir = s.cache().join(name);
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("state"), "old").unwrap();
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(days * 86_400);
        fs::File::options().write(true).open(dir.join("state")).unwrap().set_modified(then).unwrap();
    }
    fs::remove_dir_all(&other).unwrap();
    assert_quiet(&with(&s.claude_dir(), &["--now", HOST_NOW, "catch-up"]));
    let left = dbs();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.contains(&"db-00000000000000bb".to_owned()), "{left:?}");
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

/// A session idle for days that grows (resumed): a prompt's quick look does not stat it, but
/// `catch-up` run by hand walks every folder, so the figures after it are a fresh read's. Started by a
/// prompt (`--left`) it does not walk: the prompt's own rescans find it within `rescan_secs`.
#[test]
fn catch_up_by_hand_reads_an_idle_session_that_grew() {
    let s = Sandbox::claude_fixture();
    one_call_files(&s, 3);
    let two_days = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    let idle = s.projects().join("-home-USER-many-1/00000001-many.jsonl");
    fs::File::options().append(true).open(&idle).unwrap().set_modified(two_days).unwrap();
    assert_quiet(&s.run(&["--now", HOST_NOW, "catch-up"]));
    let line =
        fs::read_to_string(&idle).unwrap().replace("msg_many_1", "msg_resumed").replace("req_many_1", "req_resumed");
    append(&idle, line.as_bytes());
    let fresh = s.fresh_status(HOST_NOW);
    assert_quiet(&s.run(&["--now", HOST_NOW, "catch-up", "--left"]));
    assert_ne!(figures(&s.status(HOST_NOW)), figures(&fresh), "a prompt's catch-up has not walked yet");
    assert_quiet(&s.run(&["--now", HOST_NOW, "catch-up"]));
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&fresh));
}
