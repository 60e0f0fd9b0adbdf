//! Notices when something around them fails: a tmux server that stopped answering does not hold the
//! prompt; a notice that cannot be marked given (a full disk) is not given again at every prompt; one
//! that cannot be given at all (its record cannot be written) is said by `doctor`, not dropped in
//! silence.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::host::*;
use common::*;

const NOTICE: &str = "runway: Claude Code 5h at ~15%: at this rate the limit comes in 28m, before it resets in 4h55m";

fn prompt_args() -> Vec<&'static str> {
    vec!["--now", HOST_NOW, "--limit-cost", "10", "prompt", "--shell", "zsh", "--notices"]
}

/// The notice lines a prompt handed its hook (before the 0x1e byte).
fn said(o: &Output) -> Vec<String> {
    let text = stdout(o);
    text.split_once('\x1e').map(|(n, _)| n.lines().map(str::to_owned).collect()).unwrap_or_default()
}

/// `tmux` and `notify-send` stand-ins that record their arguments, one line per call.
fn stand_ins(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in ["tmux", "notify-send"] {
        let p = bin.join(name);
        // (Its own writes are not under the prompt's limit.)
        let script =
            format!("#!/bin/sh\nulimit -S -f unlimited\nprintf '%s\\n' \"$*\" >> '{}/{name}.log'\n", dir.display());
        std::fs::write(&p, script).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

fn calls(dir: &Path, name: &str) -> usize {
    // The desktop notice is sent detached: a moment for it to land.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::read_to_string(dir.join(format!("{name}.log"))).map_or(0, |t| t.lines().count())
}

#[test]
fn a_stopped_tmux_server_does_not_hold_the_prompt() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    let t = Tmux::start(s.dir.path(), "stopped", &[], "sleep 600", 80, 24);
    let pid: i32 = t.run(&["display-message", "-p", "#{pid}"]).trim().parse().unwrap();
    let tmux_env = format!("{},{pid},0", t.sock.display());
    /// Resumes the server however the test ends (a stopped server would hang its own teardown).
    struct Resume(i32);
    impl Drop for Resume {
        fn drop(&mut self) {
            let _ = Command::new("kill").args(["-CONT", &self.0.to_string()]).status();
        }
    }
    assert!(Command::new("kill").args(["-STOP", &pid.to_string()]).status().unwrap().success());
    let resume = Resume(pid);
    let started = Instant::now();
    let o = output_within(s.cmd().env("TMUX", &tmux_env).env("RUNWAY_NOTIFY", "tmux").args(prompt_args()), 30);
    let took = started.elapsed();
    drop(resume);
    assert_quiet(&o);
    assert!(stdout(&o).contains("5h ~15%"), "{}", stdout(&o));
    assert!(took < Duration::from_secs(3), "the prompt waited {took:?} for a stopped tmux");
    let log = std::fs::read_to_string(s.cache().join("runway.log")).unwrap_or_default();
    assert!(log.contains("tmux did not answer"), "{log}");
}

/// A prompt whose writes of more than 0 bytes fail, as on a full disk (`ulimit -S -f 0`, SIGXFSZ
/// ignored).
fn full_disk_prompt(s: &Sandbox, bin: &Path) -> Output {
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let args = prompt_args().join(" ");
    output_within(
        Command::new("sh")
            .args(["-c", &format!("ulimit -S -f 0; trap '' XFSZ; exec \"$0\" {args}"), BIN])
            .env_clear()
            .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env("PATH", path)
            .env("TMUX", "/tmp/runway-test-sock,1,0")
            .env("RUNWAY_NOTIFY", "shell,tmux,desktop"),
        30,
    )
}

#[test]
fn a_full_disk_gives_a_notice_once() {
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    let bin = stand_ins(s.dir.path());
    let runs: Vec<Output> = (0..4).map(|_| full_disk_prompt(&s, &bin)).collect();
    for o in &runs {
        assert_quiet(o);
    }
    let shell: Vec<Vec<String>> = runs.iter().map(said).collect();
    assert_eq!(shell.concat(), [NOTICE], "said above one prompt: {shell:?}");
    assert_eq!(calls(s.dir.path(), "tmux"), 1);
    assert_eq!(calls(s.dir.path(), "notify-send"), 1);
}

#[test]
fn a_notice_that_cannot_be_recorded_is_said_by_doctor() {
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    // Where notices are recorded cannot be written (a file in the way: refused even to root).
    std::fs::write(s.cache().join("notices"), "").unwrap();
    for _ in 0..3 {
        let o = output_within(s.cmd().args(prompt_args()), 30);
        assert_quiet(&o);
        assert!(said(&o).is_empty(), "not given, so not given again at every prompt");
    }
    let doctor = stdout(&output_within(s.cmd().args(["--now", HOST_NOW, "--limit-cost", "10", "doctor"]), 30));
    assert!(
        doctor.contains("cannot be given on shell") && doctor.contains("5h at ~15%"),
        "doctor names the notice and why: {doctor}"
    );
    // Once it can be written, the notice comes, once.
    std::fs::remove_file(s.cache().join("notices")).unwrap();
    assert_eq!(said(&output_within(s.cmd().args(prompt_args()), 30)), [NOTICE]);
    assert!(said(&output_within(s.cmd().args(prompt_args()), 30)).is_empty());
    let doctor = stdout(&output_within(s.cmd().args(["--now", HOST_NOW, "--limit-cost", "10", "doctor"]), 30));
    assert!(!doctor.contains("cannot be given"), "{doctor}");
}
