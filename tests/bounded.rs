//! A prompt's work is bounded whatever the history holds: it reads a budget's worth, keeps it, shows
//! nothing rather than a partial total, and leaves the rest to `runway catch-up` in the background.
//! Sizes here are checked by what runway says it read (`--timings`), never by a clock.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::process::Output;
use std::time::{Duration, Instant};

use common::host::{HOST_NOW, SEG};
use common::*;

const MIB: u64 = 1 << 20;

fn prompt(s: &Sandbox, env: &[(&str, &str)]) -> (String, u64) {
    let mut c = s.cmd();
    c.envs(env.iter().copied()).args(["--now", HOST_NOW, "--limit-cost", "10", "--timings", "prompt"]);
    let o: Output = c.output().unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let read = err.split("read-bytes ").nth(1).and_then(|t| t.split(',').next()).unwrap().trim().parse().unwrap();
    (stdout(&o), read)
}

/// Polls the prompt until it shows `want` (the helper finishing in the background).
fn eventually(s: &Sandbox, want: &str) {
    let start = Instant::now();
    loop {
        let (got, _) = prompt(s, &[]);
        if got == want {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "still {got:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_history_read_over_many_prompts_shows_nothing_until_whole() {
    let s = Sandbox::claude_fixture();
    let small = [("RUNWAY_PROMPT_BYTES", "1048576"), ("RUNWAY_NO_HELPER", "1")];
    let mut runs = 0;
    loop {
        let (shown, read) = prompt(&s, &small);
        runs += 1;
        // One line past the budget at most: the fixture's longest is 213 KiB.
        assert!(read <= MIB + 256 * 1024, "run {runs} read {read}");
        if !shown.is_empty() {
            assert_eq!(shown, SEG);
            break;
        }
        assert!(runs < 40);
    }
    // 9.1 MiB in 1 MiB steps, nothing shown before the last.
    assert!(runs >= 9, "{runs} runs");
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

#[test]
fn the_helper_finishes_what_a_prompt_left() {
    let s = Sandbox::claude_fixture();
    let (shown, read) = prompt(&s, &[("RUNWAY_PROMPT_BYTES", "1048576")]);
    assert!(shown.is_empty() && read < 2 * MIB, "{shown:?} after {read} bytes");
    eventually(&s, SEG);
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

#[test]
fn a_twenty_gigabyte_sparse_file_costs_nothing() {
    let s = Sandbox::claude_fixture();
    let big = s.projects().join("-home-USER-projects-spotter/big.jsonl");
    OpenOptions::new().create(true).truncate(true).write(true).open(&big).unwrap().set_len(20 << 30).unwrap();
    // The holes are jumped, not read: the first prompt reads the history and no more.
    let (_, read) = prompt(&s, &[]);
    assert!(read < 16 * MIB, "read {read}");
    eventually(&s, SEG);
    // A line after the hole: the hole's line is skipped and counted, the new one read.
    let mut f = OpenOptions::new().append(true).open(&big).unwrap();
    f.write_all(b"\n{\"type\":\"user\"}\n").unwrap();
    let (_, read) = prompt(&s, &[]);
    assert!(read < MIB, "read {read}");
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(doctor.contains(" 1 oversized line,") || doctor.contains(" 1 oversized line\n"), "{doctor}");
}

#[test]
fn a_line_still_being_written_is_not_read_again_from_its_start() {
    let s = Sandbox::claude_fixture();
    prompt(&s, &[]);
    let live = s.session("8463c716-a2ea-4c14-9efa-87158ebd9f20");
    append(&live, format!("{{\"type\":\"user\",\"message\":{{\"content\":\"{}", "x".repeat(20 << 20)).as_bytes());
    let (_, first) = prompt(&s, &[("RUNWAY_NO_HELPER", "1")]);
    assert!(first >= 20 * MIB, "{first}");
    for _ in 0..3 {
        append(&live, b"yyyyyyyyyy");
        let (shown, read) = prompt(&s, &[("RUNWAY_NO_HELPER", "1")]);
        assert_eq!((shown.as_str(), read), (SEG, 10), "only the ten new bytes");
    }
    append(&live, b"\"}}\n");
    prompt(&s, &[]);
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

#[test]
fn a_two_hundred_megabyte_line_under_a_memory_limit() {
    // With 150 MB of address space a line is never held whole: skipped, counted, and the prompt
    // (and the helper it starts, under the same limit) still ends with the right answer and exit 0.
    let s = Sandbox::claude_fixture();
    let live = s.session("8463c716-a2ea-4c14-9efa-87158ebd9f20");
    let mut f = OpenOptions::new().append(true).open(&live).unwrap();
    f.write_all(b"{\"type\":\"user\",\"message\":{\"content\":\"").unwrap();
    let chunk = vec![b'x'; MIB as usize];
    for _ in 0..200 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"}}\n").unwrap();
    let start = Instant::now();
    loop {
        let o = std::process::Command::new("sh")
            .args(["-c", &format!("ulimit -v 150000; exec \"$0\" --now {HOST_NOW} --limit-cost 10 prompt"), BIN])
            .env_clear()
            .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
            .output()
            .unwrap();
        assert_quiet(&o);
        if stdout(&o) == SEG {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{:?}", stdout(&o));
        std::thread::sleep(Duration::from_millis(100));
    }
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(doctor.contains(" 1 oversized line,") || doctor.contains(" 1 oversized line\n"), "{doctor}");
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

#[test]
fn a_prompt_stops_reading_when_its_time_is_up() {
    // With no time at all (a slow disk, a busy machine), a prompt reads nothing, shows nothing, and
    // leaves the reading to the helper, which finishes it.
    let s = Sandbox::claude_fixture();
    let (shown, read) = prompt(&s, &[("RUNWAY_PROMPT_MS", "0")]);
    assert_eq!((shown.as_str(), read), ("", 0));
    eventually(&s, SEG);
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

#[test]
fn an_opencode_database_made_to_hold_a_reader_holds_no_prompt() {
    // A few kilobytes, so within a prompt's budget, whose `message` is a view over a query that
    // never ends: SQLite is stopped at the prompt's deadline (it ran until killed). The wait below is
    // no measure of speed, only of an end.
    let s = Sandbox::empty();
    let dir = s.home().join(".local/share/opencode");
    std::fs::create_dir_all(&dir).unwrap();
    let db = rusqlite::Connection::open(dir.join("opencode.db")).unwrap();
    db.execute_batch(
        "CREATE TABLE session(id TEXT, directory TEXT);
         CREATE VIEW message AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
         SELECT 'msg' || x AS id, 'ses' AS session_id, '{}' AS data, 0 AS time_created FROM c;",
    )
    .unwrap();
    drop(db);
    for shell in ["zsh", "tmux"] {
        // A prompt's own deadline (the tests raise it: a debug build reads slower).
        let mut c = s.cmd();
        c.env("RUNWAY_PROMPT_MS", "200").env("RUNWAY_NO_HELPER", "1").args(["prompt", "--shell", shell]);
        let mut child = c.stdout(std::process::Stdio::piped()).spawn().unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(30) {
                child.kill().unwrap();
                panic!("a prompt in {shell} still running after 30 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_quiet(&child.wait_with_output().unwrap());
    }
}

/// The sync folder's moment: device A's reading and file, then `mib` MiB of conflict copies of it
/// (and the file itself): device B, in that folder, reads them.
const SYNC_NOW: &str = "2026-02-12T21:30:00Z";

fn copies_past(shared: &std::path::Path, mib: u64) -> common::devices::Device {
    let (a, b) = (common::devices::Device::claude(shared), common::devices::Device::codex(shared));
    a.reading(SYNC_NOW);
    a.status(SYNC_NOW);
    let good = std::fs::read(a.file()).unwrap();
    let name = a.file().file_name().unwrap().to_string_lossy().into_owned();
    let id = name.trim_end_matches(".device");
    for i in 0..MIB / good.len() as u64 * mib {
        std::fs::write(shared.join("runway").join(format!("{id}.sync-conflict-{i:05}.device")), &good).unwrap();
    }
    // Looked at within two seconds of its change, a file is read again once settled (its times may
    // yet hide a second change: `sync/folder.rs::RACY_MS`): on a busy machine the prompts crossed
    // that moment and read some copies twice (seven prompts, not four).
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    b
}

#[test]
fn a_prompt_reads_a_budgets_worth_of_the_other_devices_files() {
    // Another device's file and its conflict copies past a MiB together (50 files of a MiB held
    // every prompt 0.7 s): a prompt reads a MiB of them, keeps what it read, and shows nothing rather
    // than a total without them; the next prompts read on from there (the helper would, at once).
    let shared = tempfile::tempdir().unwrap();
    let b = copies_past(shared.path(), 3);
    let mut shown = Vec::new();
    while shown.last().is_none_or(String::is_empty) && shown.len() < 10 {
        shown.push(b.prompt(SYNC_NOW));
    }
    // Three MiB and a file: three prompts read a MiB each, the fourth the rest.
    assert_eq!(shown, ["", "", "", "5h 23% ↻1h40m"]);
}

#[test]
fn the_helper_reads_the_sync_folder_a_hooks_arguments_name() {
    // A hook installed with `init zsh --set sync_dir=…` names the folder on the prompt's command line
    // alone: the helper the prompt starts for the folder's rest must be given it too (it was not, and
    // every prompt stayed blank).
    let shared = tempfile::tempdir().unwrap();
    let b = copies_past(shared.path(), 2);
    let sync = format!("sync_dir={}", shared.path().display());
    let prompt = || {
        let mut c = b.cmd();
        c.env_remove("RUNWAY_SYNC_DIR").env_remove("RUNWAY_NO_HELPER");
        stdout(&c.args(["--now", SYNC_NOW, "--color", "never", "prompt", "--set", &sync]).output().unwrap())
    };
    // Two MiB and a file: prompts alone would show it at the third.
    assert_eq!(prompt(), "", "a MiB read, the rest the helper's");
    // The helper's copy of the other devices, once it has read them.
    let copy = b.s.cache().join("elsewhere");
    let start = Instant::now();
    while !copy.exists() {
        assert!(start.elapsed() < Duration::from_secs(30), "the helper read no sync folder");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(prompt(), "5h 23% ↻1h40m", "the second prompt: the helper's");
}
