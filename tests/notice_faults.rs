//! Notices when something around them fails: a tmux server that stopped answering does not hold the
//! prompt.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::host::*;
use common::*;

fn prompt_args() -> Vec<&'static str> {
    vec!["--now", HOST_NOW, "--limit-cost", "10", "prompt", "--shell", "zsh", "--notices"]
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
