//! A transcript rewritten in place (the same inode, the same size) is noticed: its mtime moved, or,
//! put back, its ctime did, and at the full walk its head and tail are compared too; and a directory reached twice
//! through a link loop is walked once, so a rewrite there does not count a project twice.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use common::host::HOST_NOW;
use common::*;

const LIVE: &str = "4d5611e5-241a-462a-8d15-5122611a9569";

/// Rewrites `path` in place, every `"output_tokens":N` of its calls made another number of the same
/// width, and puts its mtime back: the same inode, size and mtime, other figures.
fn rewrite_keeping_size_and_mtime(path: &Path) {
    let md = fs::metadata(path).unwrap();
    let text = fs::read_to_string(path).unwrap();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let key = "\"output_tokens\":";
    while let Some(i) = rest.find(key) {
        let (head, tail) = rest.split_at(i + key.len());
        out += head;
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        out += &"9".repeat(digits);
        rest = &tail[digits..];
    }
    out += rest;
    assert_eq!(out.len(), text.len());
    assert_ne!(out, text);
    let mut f = fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    f.write_all(out.as_bytes()).unwrap();
    f.set_modified(md.modified().unwrap()).unwrap();
    drop(f);
    let after = fs::metadata(path).unwrap();
    assert_eq!((after.len(), after.modified().unwrap()), (md.len(), md.modified().unwrap()));
}

fn report_by_project(s: &Sandbox, cache: Option<&Path>) -> serde_json::Value {
    let mut c = match cache {
        Some(c) => s.cmd_with_cache(c),
        None => s.cmd(),
    };
    json_of(
        &c.args(["--now", HOST_NOW, "report", "--by", "project", "--json", "--since", "2026-02-01"]).output().unwrap(),
    )
}

#[test]
fn a_same_size_rewrite_with_its_mtime_kept_is_read_again() {
    let s = Sandbox::claude_fixture();
    let before = s.status(HOST_NOW);
    rewrite_keeping_size_and_mtime(&s.session(LIVE));
    let fresh = s.fresh_status(HOST_NOW);
    assert_ne!(figures(&fresh), figures(&before), "the rewrite changed the figures");
    // The next run (a full walk or not) answers with the rewritten file's figures.
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&fresh));
    let o = s.cmd().env("RUNWAY_RESCAN_SECS", "0").args(["--now", HOST_NOW, "status", "--json"]).output().unwrap();
    assert_eq!(figures(&json_of(&o)), figures(&fresh));
}

#[test]
fn an_idle_file_rewritten_the_same_way_is_read_again_at_the_full_walk() {
    let s = Sandbox::claude_fixture();
    // Idle for a day: the quick check no longer looks at it, only the full walk does.
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    for f in walk(&s.projects()) {
        fs::File::options().write(true).open(&f).unwrap().set_modified(day_ago).unwrap();
    }
    s.status(HOST_NOW);
    rewrite_keeping_size_and_mtime(&s.session(LIVE));
    let fresh = s.fresh_status(HOST_NOW);
    let o = s.cmd().env("RUNWAY_RESCAN_SECS", "0").args(["--now", HOST_NOW, "status", "--json"]).output().unwrap();
    assert_eq!(figures(&json_of(&o)), figures(&fresh));
}

/// One call's `"output_tokens":N` in the middle of the file (past its first 4 KiB, before its last
/// line) made another number of the same width, written in place with a new mtime: the same inode
/// and size, one figure changed where neither the head nor the tail the cache compares is.
fn rewrite_one_in_the_middle(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let key = b"\"output_tokens\":";
    let last_line = bytes[..bytes.len() - 1].iter().rposition(|b| *b == b'\n').unwrap();
    let at = (4096..last_line).find(|&i| bytes[i..].starts_with(key)).unwrap() + key.len();
    let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    let new = if bytes[at] == b'9' { b'8' } else { b'9' };
    bytes[at..at + digits].fill(new);
    let mut f = fs::OpenOptions::new().write(true).open(path).unwrap();
    f.write_all(&bytes).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(2)).unwrap();
}

#[test]
fn a_same_size_rewrite_in_the_middle_with_a_new_mtime_is_read_again() {
    let s = Sandbox::claude_fixture();
    let before = s.status(HOST_NOW);
    rewrite_one_in_the_middle(&s.session(LIVE));
    let fresh = s.fresh_status(HOST_NOW);
    assert_ne!(figures(&fresh), figures(&before), "the rewrite changed the figures");
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&fresh));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let t = e.file_type().unwrap();
        if t.is_dir() {
            out.extend(walk(&e.path()));
        } else if t.is_file() {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn a_link_loop_and_a_rewrite_count_each_project_once() {
    let s = Sandbox::claude_fixture();
    let project = s.projects().join("-home-USER-projects-spotter");
    // A loop back to the root inside a project, and a second name for the project.
    std::os::unix::fs::symlink(s.projects(), project.join("loop")).unwrap();
    std::os::unix::fs::symlink(&project, s.projects().join("-home-USER-projects-alias")).unwrap();
    let first = report_by_project(&s, None);
    rewrite_keeping_size_and_mtime(&s.session(LIVE));
    // A new session in the project: its directory changed, so the next run lists it again (and
    // meets the loop there).
    let text = fs::read_to_string(s.session(LIVE)).unwrap();
    fs::write(project.join("new-session.jsonl"), text.lines().take(3).collect::<Vec<_>>().join("\n") + "\n").unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let want = report_by_project(&s, Some(fresh.path()));
    assert_ne!(want, first);
    assert_eq!(report_by_project(&s, None), want, "the next run");
    // Each file once: the fixture's nine and the new one, not again under the loop or the alias.
    let tracked = |s: &Sandbox| {
        let doctor = stdout(&s.run(&["--now", HOST_NOW, "doctor"]));
        doctor.lines().find(|l| l.trim_start().starts_with("claude ") && l.contains(" files, ")).unwrap().to_owned()
    };
    assert!(tracked(&s).contains("claude   10 files"), "{}", tracked(&s));
    // A new project (the root changed: listed again, with the alias in it).
    fs::create_dir(s.projects().join("-home-USER-projects-new")).unwrap();
    assert!(tracked(&s).contains("claude   10 files"), "{}", tracked(&s));
    let o = s
        .cmd()
        .env("RUNWAY_RESCAN_SECS", "0")
        .args(["--now", HOST_NOW, "report", "--by", "project", "--json", "--since", "2026-02-01"])
        .output()
        .unwrap();
    assert_eq!(json_of(&o), want, "after a full walk");
}
