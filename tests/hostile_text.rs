//! Text from a file is shown as text on every channel a notice takes: a Codex rollout whose allowance
//! is named like a tmux format, a shell command substitution and notification markup runs nothing,
//! reads nothing of the server's, and shows literally on a real tmux client, in real zsh, bash and
//! fish prompts, in a desktop notification's body and in a terminal's notification escape.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::host::*;
use common::*;

/// The name of the allowance, as a hostile rollout writes it: every marker file it names is one a
/// command would create if anything ran it.
fn hostile(dir: &Path) -> String {
    let d = dir.display();
    // Short enough (under 96 characters) to reach the notice whole: longer names are cut where they
    // enter.
    format!("#(touch {d}/t)#[fg=1]%F$(touch {d}/s)`touch {d}/b`<i>&")
}

fn ran(dir: &Path) -> Vec<String> {
    ["t", "s", "b"].iter().filter(|m| dir.join(m).exists()).map(|m| m.to_string()).collect()
}

/// A Codex session at 21:00 whose snapshot reports the hostile allowance 95% used (red, a notice due),
/// resetting at 23:00.
fn hostile_history(s: &Sandbox) -> String {
    let name = hostile(s.dir.path());
    let reset = "2026-02-12T23:00:00Z".parse::<jiff::Timestamp>().unwrap().as_second();
    let limits = rate_limits_of(&name, &name, Some(limit_window(95.0, 300, Some(reset), None)), None);
    Rollout::new("2026-02-12T20:59:00Z", "hostile", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count("2026-02-12T21:00:00Z", Some(([100, 0, 10, 0, 110], Some([100, 0, 10, 0, 110]))), Some(limits))
        .write(&s.codex_home(), "hostile");
    name
}

fn stand_in(dir: &Path, name: &str) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    // One argument a line, so what the program was given is seen exactly.
    let script =
        format!("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '{}/{name}.log'\n", dir.display());
    std::fs::write(bin.join(name), script).unwrap();
    Command::new("chmod").arg("755").arg(bin.join(name)).status().unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

fn prompt(s: &Sandbox, env: &[(&str, &str)], shell: &str) -> Output {
    let mut c = s.cmd();
    c.envs(env.iter().copied()).args(["--now", HOST_NOW, "prompt", "--shell", shell, "--notices"]);
    c.output().unwrap()
}

#[test]
fn a_desktop_notification_gets_the_name_as_text() {
    let s = Sandbox::empty();
    hostile_history(&s);
    let path = stand_in(s.dir.path(), "notify-send");
    assert_quiet(&prompt(&s, &[("PATH", &path), ("RUNWAY_NOTIFY", "desktop")], "zsh"));
    let log = s.dir.path().join("notify-send.log");
    let start = Instant::now();
    while !log.exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let args: Vec<String> = std::fs::read_to_string(&log).unwrap().lines().map(str::to_owned).collect();
    assert_eq!(&args[..3], ["--app-name=runway", "--", "runway"], "{args:?}");
    let body = &args[3];
    assert!(body.contains("#(touch") && body.contains("%F"), "{body}");
    assert!(body.contains("&lt;i&gt;&amp;") && !body.contains('<'), "markup is escaped: {body}");
    assert_eq!(ran(s.dir.path()), Vec::<String>::new());
}

#[test]
fn a_terminal_notification_escape_ends_where_runway_ends_it() {
    let s = Sandbox::empty();
    let name = hostile_history(&s);
    // A BEL and an ESC in the name would end the escape early and reach the terminal raw.
    let file = std::fs::read_dir(s.codex_home().join("sessions/2026/02/12")).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("<i>", r"\u0007\u001b]0;pwned\u0007<i>")).unwrap();
    let o = prompt(&s, &[("RUNWAY_NOTIFY", "desktop"), ("TERM_PROGRAM", "WezTerm")], "zsh");
    assert_quiet(&o);
    let out = stdout(&o);
    let (notice, _) = out.split_once('\x1e').unwrap();
    assert!(notice.starts_with("\x1b]777;notify;runway;") && notice.ends_with('\x07'), "{notice:?}");
    let inner = &notice[1..notice.len() - 1];
    assert!(!inner.contains(['\x07', '\x1b']), "{notice:?}");
    assert!(inner.contains(&name[..20]), "{notice:?}");
}

/// Waits for `ok` over a few seconds, then a moment more (for a job tmux would have started).
fn settle(what: &str, ok: impl Fn() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500));
}

#[test]
fn the_tmux_status_job_shows_the_message_literally_and_runs_nothing() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::empty();
    hostile_history(&s);
    let mut env = env_of(&s);
    env.push(("RUNWAY_NOTIFY", "tmux".into()));
    let t = Tmux::start(s.dir.path(), "job", &env, "sh", 250, 10);
    t.run(&["set", "-g", "status-interval", "1"]);
    t.run(&["set", "-g", "status-right-length", "100"]);
    t.run(&["set", "-g", "status-right", &format!("[#('{BIN}' prompt --shell tmux </dev/null 2>/dev/null)]")]);
    let outer =
        Tmux::start(s.dir.path(), "job-client", &env, &format!("tmux -S {} attach -t t", t.sock.display()), 250, 12);
    // The message the job's prompt sent, on the client's status line, as written.
    let shown = outer.wait("the notice on the client", |sc| sc.contains("runway: Codex CLI #(touch"));
    let line = shown.lines().find(|l| l.contains("runway: Codex CLI")).unwrap();
    assert!(line.contains("#[fg=1]%F$(touch"), "{line}");
    settle("jobs", || true);
    assert_eq!(ran(s.dir.path()), Vec::<String>::new(), "{line}");
}

#[test]
fn shells_in_tmux_print_the_notice_literally_and_run_nothing() {
    if !have("zsh") || !have("bash") || !have("fish") || !have("tmux") {
        return;
    }
    let s = Sandbox::empty();
    hostile_history(&s);
    let zdot = s.dir.path().join("zdot");
    std::fs::create_dir_all(&zdot).unwrap();
    std::fs::write(zdot.join(".zshrc"), format!("PROMPT='%# '\n{}\n", init_line("zsh", ""))).unwrap();
    let rc = s.dir.path().join("bashrc");
    std::fs::write(&rc, format!("PS1='$ '\n{}\n", init_line("bash", ""))).unwrap();
    let conf = s.dir.path().join("xdg/fish");
    std::fs::create_dir_all(&conf).unwrap();
    let fish_rc =
        format!("set -g fish_greeting ''\nfunction fish_prompt; echo -n '> '; end\n'{BIN}' init fish | source\n");
    std::fs::write(conf.join("config.fish"), fish_rc).unwrap();
    for (i, shell) in ["zsh -i", &format!("bash --noprofile --rcfile {} -i", rc.display()), "fish"].iter().enumerate() {
        // Each shell its own cache: each gives the notice on both channels.
        let mut env = env_of(&s);
        env.retain(|(k, _)| *k != "RUNWAY_CACHE_DIR");
        env.push(("RUNWAY_CACHE_DIR", s.dir.path().join(format!("cache-{i}")).display().to_string()));
        env.push(("ZDOTDIR", zdot.display().to_string()));
        env.push(("XDG_CONFIG_HOME", s.dir.path().join("xdg").display().to_string()));
        env.push(("XDG_DATA_HOME", s.dir.path().join("data").display().to_string()));
        env.push(("RUNWAY_NOTIFY", "shell,tmux".into()));
        let t = Tmux::start(s.dir.path(), &format!("sh{i}"), &env, shell, 250, 20);
        let outer = Tmux::start(
            s.dir.path(),
            &format!("sh{i}-client"),
            &env,
            &format!("tmux -S {} attach -t t", t.sock.display()),
            250,
            24,
        );
        let sc = t.wait("the notice above the prompt", |sc| sc.contains("runway: Codex CLI #(touch"));
        let line = sc.lines().find(|l| l.contains("runway: Codex CLI")).unwrap();
        assert!(line.contains("#[fg=1]%F$(touch") && line.contains("`<i>&"), "{shell}: {line}");
        // Draw a few more prompts: nothing in them runs either.
        t.type_line("true");
        t.type_line("true");
        outer.wait("the tmux message", |sc| sc.contains("runway: Codex CLI #(touch"));
        settle("jobs", || true);
        assert_eq!(ran(s.dir.path()), Vec::<String>::new(), "{shell}:\n{sc}");
    }
}
