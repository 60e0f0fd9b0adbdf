//! The run's own faults: a corrupt, truncated or missing cache, a closed stdout, a panic, bad
//! arguments, many runs at once on one cache. Each ends with the totals of a fresh full read, and
//! prompt mode prints a segment or nothing, exits 0 and keeps stderr empty.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::host::sandboxed;
use common::*;

const NOW: &str = "2026-02-12T21:30:00Z";
const LAST: &str = "8463c716-a2ea-4c14-9efa-87158ebd9f20";

#[test]
fn corrupt_truncated_and_missing_cache_files_are_rebuilt() {
    let s = Sandbox::claude_fixture();
    let want = figures(&s.fresh_status(NOW));
    let db = || s.db();
    let base = || {
        std::fs::read_dir(db())
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with("base-"))
            .unwrap()
            .path()
    };
    s.quiet_prompt(NOW);
    type Damage<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let damages: Vec<Damage> = vec![
        ("garbage state", Box::new(|| std::fs::write(db().join("state"), b"\x00garbage\xff").unwrap())),
        ("empty state", Box::new(|| std::fs::write(db().join("state"), b"").unwrap())),
        (
            "truncated state",
            Box::new(|| {
                let b = std::fs::read(db().join("state")).unwrap();
                std::fs::write(db().join("state"), &b[..b.len() / 2]).unwrap();
            }),
        ),
        (
            "older-version state",
            Box::new(|| {
                let mut b = std::fs::read(db().join("state")).unwrap();
                b[8] = b[8].wrapping_sub(1);
                std::fs::write(db().join("state"), &b).unwrap();
            }),
        ),
        (
            "truncated base",
            Box::new(|| {
                let p = base();
                let b = std::fs::read(&p).unwrap();
                std::fs::write(&p, &b[..b.len() - 100]).unwrap();
            }),
        ),
        ("garbage base", Box::new(|| std::fs::write(base(), vec![7u8; 5000]).unwrap())),
        ("missing base", Box::new(|| std::fs::remove_file(base()).unwrap())),
        (
            "a directory where the state was",
            Box::new(|| {
                std::fs::remove_file(db().join("state")).unwrap();
                std::fs::create_dir(db().join("state")).unwrap();
            }),
        ),
    ];
    for (what, damage) in damages {
        damage();
        let out = s.quiet_prompt(NOW);
        assert!(out.is_empty() || out.contains("5h"), "{what}: {out}");
        if what.starts_with("a directory") {
            // Cannot be replaced by a rename; the figures still come out right, uncached.
            std::fs::remove_dir(db().join("state")).unwrap();
        }
        assert_eq!(figures(&s.status(NOW)), want, "after {what}");
    }
}

#[test]
fn closed_stdout_is_not_an_error() {
    let s = Sandbox::claude_fixture();
    s.quiet_prompt(NOW);
    // The reader has gone by the time runway writes: EPIPE.
    let script = format!(
        "(sleep 0.3; exec '{BIN}' --now {NOW} prompt --shell zsh) 2>'{err}' | true; echo ${{PIPESTATUS[0]}}",
        err = s.dir.path().join("err").display()
    );
    let o = s.cmd().args(["--version"]).output().unwrap();
    assert!(o.status.success());
    let mut c = sandboxed(s.dir.path(), "bash");
    c.arg("-c")
        .arg(&script)
        .env("RUNWAY_CACHE_DIR", s.cache())
        .env(PROMPT_MS.0, PROMPT_MS.1)
        .env("CLAUDE_CONFIG_DIR", s.claude_dir())
        .env("HOME", s.home());
    let o = c.output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "0");
    assert_eq!(std::fs::read(s.dir.path().join("err")).unwrap(), b"");
    // No stdout at all.
    let o = s.cmd().args(["--now", NOW, "prompt"]).stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap();
    assert_quiet(&o);
    let script = format!("exec '{BIN}' --now {NOW} prompt >&- 2>'{err}'; ", err = s.dir.path().join("err2").display());
    let st = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("RUNWAY_CACHE_DIR", s.cache())
        .env(PROMPT_MS.0, PROMPT_MS.1)
        .env("CLAUDE_CONFIG_DIR", s.claude_dir())
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(std::fs::read(s.dir.path().join("err2")).unwrap(), b"");
}

#[test]
fn a_panic_never_reaches_the_prompt() {
    let s = Sandbox::claude_fixture();
    let o = s
        .cmd()
        .env("RUNWAY_FAULT", "panic")
        .env("RUST_BACKTRACE", "1")
        .args(["--now", NOW, "prompt", "--shell", "zsh"])
        .output()
        .unwrap();
    assert_quiet(&o);
    assert_eq!(stdout(&o), "");
    let log = std::fs::read_to_string(s.cache().join("runway.log")).unwrap();
    assert!(log.contains("panic") && log.contains("injected fault"), "{log}");
}

#[test]
fn bad_arguments_in_a_prompt_stay_quiet() {
    let s = Sandbox::claude_fixture();
    let o = s.run(&["prompt", "--shell", "powershell"]);
    assert_quiet(&o);
    // Exit 0 and nothing on stderr; the segment's place says where to look, in plain words any host takes.
    assert_eq!(stdout(&o), "runway: see doctor");
    let o = s.cmd().env("RUNWAY_NOW", "yesterday").env("RUNWAY_LIMIT_COST", "lots").args(["prompt"]).output().unwrap();
    assert_quiet(&o);
    // Outside prompt mode the same mistakes are reported.
    let o = s.run(&["status", "--shell"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!o.stderr.is_empty());
}

#[test]
fn many_invocations_at_once() {
    let s = Sandbox::claude_fixture();
    let path = s.session(LAST);
    let bytes = std::fs::read(&path).unwrap();
    let cut = bytes.len() / 3;
    std::fs::write(&path, &bytes[..cut]).unwrap();
    // Sixteen shells and panes at once, from a cold cache, while the session keeps growing.
    let mut children = Vec::new();
    let mut at = cut;
    for round in 0..4 {
        for i in 0..16 {
            let shell = ["zsh", "bash", "tmux", "fish"][i % 4];
            children.push(
                s.cmd()
                    .args(["--now", NOW, "prompt", "--shell", shell])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            );
        }
        let next = if round == 3 { bytes.len() } else { at + (bytes.len() - cut) / 4 };
        append(&path, &bytes[at..next]);
        at = next;
        std::thread::sleep(Duration::from_millis(30));
    }
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_quiet(&o);
    }
    s.quiet_prompt(NOW);
    s.assert_same_as_fresh(NOW);
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 465);
    // Nothing is left behind but the cache files.
    let db = s.db();
    let names: Vec<String> =
        std::fs::read_dir(db).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert!(
        names.iter().all(|n| ["state", "lock", "roots", "calibration"].contains(&n.as_str())
            || n.starts_with("base-")
            || n.starts_with("cold-")),
        "{names:?}"
    );
    assert_eq!(names.iter().filter(|n| n.starts_with("base-")).count(), 1, "{names:?}");
}
