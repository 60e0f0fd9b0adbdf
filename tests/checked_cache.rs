//! The cache is checked, private and never a source of zeros: a flipped bit anywhere in the base means
//! a rebuild, not another figure; a busy or unwritable cache still gives the figures of a fresh read;
//! what runway creates is readable by its owner only, whoever made the directory above it.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::host::{HOST_NOW, SEG, have};
use common::*;

fn base_of(db: &Path) -> PathBuf {
    fs::read_dir(db).unwrap().flatten().map(|e| e.path()).find(|p| p.to_string_lossy().contains("base-")).unwrap()
}

fn prompt(s: &Sandbox) -> String {
    let o = s
        .cmd()
        .args(["--now", HOST_NOW, "--limit-cost", "10", "prompt"])
        .env("RUNWAY_NO_HELPER", "1")
        .output()
        .unwrap();
    assert_quiet(&o);
    stdout(&o)
}

#[test]
fn a_flipped_bit_anywhere_in_the_base_is_a_rebuild_never_a_figure() {
    let s = Sandbox::claude_fixture();
    let want = figures(&s.fresh_status(HOST_NOW));
    assert_eq!(prompt(&s), SEG);
    let len = fs::metadata(base_of(&s.db())).unwrap().len() as usize;
    // The header and block table, the head's checksum, the first record page, the file index, the
    // middle of the rows, the last row (whose running sums every window reads) and the last checksum.
    let spots = [0, 9, 60, 200, len / 8, len / 3, len / 2, 2 * len / 3, len - 60, len - 20, len - 1];
    for at in spots {
        let path = base_of(&s.db());
        let mut b = fs::read(&path).unwrap();
        assert_eq!(b.len(), len);
        b[at] ^= 0x10;
        fs::write(&path, &b).unwrap();
        // The prompt shows the right figure or nothing, however many runs it takes to rebuild.
        for run in 0..3 {
            let shown = prompt(&s);
            assert!(shown.is_empty() || shown == SEG, "byte {at}, run {run}: {shown:?}");
        }
        assert_eq!(prompt(&s), SEG, "byte {at}: rebuilt");
        assert_eq!(figures(&s.status(HOST_NOW)), want, "byte {at}");
    }
}

#[test]
fn a_flipped_bit_the_next_update_reads_is_a_rebuild_too() {
    // A byte flipped in a page the ledger's reads never touch but the next update's merge does (the
    // records): every update failed on it, and the figures stayed the last good update's, for good,
    // with no word but the log's. A new session after each flip must be counted as a fresh read does.
    let s = Sandbox::claude_fixture();
    assert_eq!(prompt(&s), SEG);
    let proj = s.projects().join("-home-USER-projects-spotter");
    let len = fs::metadata(base_of(&s.db())).unwrap().len() as usize;
    for (k, at) in (0..len).step_by(len / 16).enumerate() {
        let path = base_of(&s.db());
        let mut b = fs::read(&path).unwrap();
        let n = b.len();
        b[at % n] ^= 0x01;
        fs::write(&path, &b).unwrap();
        let line = format!(
            "{{\"type\":\"assistant\",\"sessionId\":\"n{k}\",\"requestId\":\"req_n{k}\",\"timestamp\":\"2026-02-12T20:{:02}:00Z\",\"message\":{{\"id\":\"msg_n{k}\",\"model\":\"claude-haiku-4-5\",\"usage\":{{\"input_tokens\":1000,\"output_tokens\":10}}}}}}\n",
            k % 60
        );
        fs::write(proj.join(format!("new-{k}.jsonl")), line).unwrap();
        let fresh = figures(&s.fresh_status(HOST_NOW));
        assert_eq!(figures(&s.status(HOST_NOW)), fresh, "byte {at}");
    }
}

#[test]
fn a_flipped_bit_under_a_session_report_a_chunk_at_a_time_is_a_rebuild() {
    // The report over many sessions (here two a chunk, by the test knob) finds a failed page in its
    // first pass, before a row is written, and answers from the rebuild: the same rows.
    let s = Sandbox::claude_fixture();
    let report = || {
        let mut c = s.cmd();
        c.env("RUNWAY_REPORT_CHUNK", "2").env("RUNWAY_NO_HELPER", "1");
        let o = c.args(["--now", HOST_NOW, "report", "--by", "session", "--json"]).output().unwrap();
        assert!(o.status.success(), "{o:?}");
        stdout(&o)
    };
    let want = report();
    assert!(want.matches("\"period\"").count() >= 3, "{want}");
    let len = fs::metadata(base_of(&s.db())).unwrap().len() as usize;
    for at in [len / 3, len / 2, len - 20] {
        let path = base_of(&s.db());
        let mut b = fs::read(&path).unwrap();
        b[at] ^= 0x10;
        fs::write(&path, &b).unwrap();
        assert_eq!(report(), want, "byte {at}");
    }
}

#[test]
fn status_answers_from_its_own_read_while_another_run_holds_the_cache() {
    if !have("flock") {
        return;
    }
    let s = Sandbox::claude_fixture();
    s.run(&["status"]);
    let db = s.db();
    for f in fs::read_dir(&db).unwrap().flatten().filter(|e| e.file_name() != "lock") {
        fs::remove_file(f.path()).unwrap();
    }
    // Another run building the cache from nothing, holding the lock all the while.
    let mut holder = Command::new("flock")
        .args(["-x", &db.join("lock").display().to_string(), "-c", "echo held; sleep 8"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = [0u8; 5];
    std::io::Read::read_exact(holder.stdout.as_mut().unwrap(), &mut line).unwrap();
    let o = s.cmd().args(["--now", HOST_NOW, "status", "--json"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("another runway is updating the cache"), "{err}");
    assert_eq!(figures(&json_of(&o)), figures(&s.fresh_status(HOST_NOW)), "the figures, not zeros");
    // A prompt does not wait: nothing, never a zero.
    assert_eq!(prompt(&s), "");
    let _ = holder.kill();
    let _ = holder.wait();
}

#[test]
fn a_file_system_too_small_for_the_cache() {
    // Writes past 64 KiB fail (ulimit -f, SIGXFSZ ignored), as on a tiny or full file system: each
    // run answers from what it read, and says why the cache is not kept.
    let s = Sandbox::claude_fixture();
    let run = |args: &str| {
        Command::new("sh")
            .args(["-c", &format!("ulimit -f 64; trap '' XFSZ; exec \"$0\" --now {HOST_NOW} {args}"), BIN])
            .env_clear()
            .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
            .output()
            .unwrap()
    };
    for _ in 0..2 {
        let o = run("--limit-cost 10 prompt");
        assert_quiet(&o);
        assert_eq!(stdout(&o), SEG);
        let o = run("status --json");
        assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write the cache"));
        assert_eq!(figures(&json_of(&o)), figures(&s.fresh_status(HOST_NOW)));
    }
    let doctor = stdout(&run("doctor"));
    assert!(doctor.contains("PROBLEM   cannot write the cache"), "{doctor}");
}

fn modes(dir: &Path, out: &mut Vec<(PathBuf, u32)>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let md = fs::symlink_metadata(e.path()).unwrap();
        out.push((e.path(), md.permissions().mode() & 0o777));
        if md.is_dir() {
            modes(&e.path(), out);
        }
    }
}

#[test]
fn everything_runway_makes_is_private() {
    let s = Sandbox::claude_fixture();
    // The cache directory exists already, made 0755 by someone else, under a permissive umask.
    fs::create_dir_all(s.cache()).unwrap();
    fs::set_permissions(s.cache(), fs::Permissions::from_mode(0o755)).unwrap();
    let umask = |args: &str, stdin: &[u8]| {
        let mut c = Command::new("sh")
            .args(["-c", &format!("umask 022; exec \"$0\" {args}"), BIN])
            .env_clear()
            .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(c.stdin.as_mut().unwrap(), stdin).unwrap();
        drop(c.stdin.take());
        c.wait_with_output().unwrap()
    };
    let p =
        payload(&s, Some(serde_json::json!({ "five_hour": { "used_percentage": 20, "resets_at": 1_770_944_400 } })));
    umask(&format!("--now {HOST_NOW} statusline"), &serde_json::to_vec(&p).unwrap());
    umask(&format!("--now {HOST_NOW} status"), b"");
    // Last: a prompt that keeps a problem for doctor (one without would delete that file again).
    umask(&format!("--now {HOST_NOW} --warn-at 150 prompt"), b"");
    let mut all = Vec::new();
    modes(&s.cache(), &mut all);
    let names: Vec<String> = all.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for want in ["runway.log", "problems", "lock", "state", "readings.lock", "readings"] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    for (path, mode) in all {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{}", path.display());
    }
}
