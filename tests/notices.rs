//! Notices come to the user once per window and level on each channel: above the next prompt of one
//! shell (never inside the prompt string), as a message on the tmux client, on the desktop. The
//! fixture's last block at the hosts' clock, against a $10 limit, is heading for its limit before
//! the reset (`5h ~15% ⚠ 28m`): that is the notice due.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::host::*;
use common::*;

const NOTICE: &str = "runway: Claude Code 5h at ~15%: at this rate the limit comes in 28m, before it resets in 4h55m";

fn prompt(s: &Sandbox, env: &[(&str, &str)]) -> Output {
    let mut c = s.cmd();
    c.envs(env.iter().copied()).args([
        "--now",
        HOST_NOW,
        "--limit-cost",
        "10",
        "prompt",
        "--shell",
        "zsh",
        "--notices",
    ]);
    c.output().unwrap()
}

/// The notice lines a prompt handed its hook (before the 0x1e byte), and the segment after it.
fn split(o: &Output) -> (Vec<String>, String) {
    let text = stdout(o);
    match text.split_once('\x1e') {
        Some((n, seg)) => (n.lines().map(str::to_owned).collect(), seg.to_owned()),
        None => (Vec::new(), text),
    }
}

/// A directory with stand-ins that record their arguments, one line per call, to `<name>.log`.
fn stand_ins(dir: &Path, names: &[&str]) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for n in names {
        let script = format!("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}/{n}.log'\n", dir.display());
        let p = bin.join(n);
        std::fs::write(&p, script).unwrap();
        Command::new("chmod").arg("755").arg(&p).status().unwrap();
    }
    bin
}

fn path_with(bin: &Path) -> String {
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// The lines a stand-in recorded, once its detached calls had time to land.
fn recorded(dir: &Path, name: &str, want: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let lines: Vec<String> = std::fs::read_to_string(dir.join(format!("{name}.log")))
            .map(|t| t.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        if lines.len() >= want || start.elapsed() > Duration::from_secs(5) {
            // A moment more: a second call, if there were one, would have landed too.
            std::thread::sleep(Duration::from_millis(300));
            return std::fs::read_to_string(dir.join(format!("{name}.log")))
                .map(|t| t.lines().map(str::to_owned).collect())
                .unwrap_or_default();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn prompts_drawn_at_the_same_moment_say_it_once() {
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW); // the cache built first: every prompt below answers
    let runs: Vec<Output> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..5).map(|_| sc.spawn(|| prompt(&s, &[]))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let said: Vec<Vec<String>> = runs.iter().map(|o| split(o).0).collect();
    assert_eq!(said.iter().filter(|n| !n.is_empty()).count(), 1, "{said:?}");
    assert_eq!(said.iter().flatten().collect::<Vec<_>>(), [NOTICE]);
    for o in &runs {
        assert_quiet(o);
        assert!(split(o).1.contains("5h ~15%"), "the segment after the notice: {:?}", stdout(o));
    }
    let (later, seg) = split(&prompt(&s, &[]));
    assert!(later.is_empty() && seg.contains("5h ~15%"), "once per window and level");
    // Without --notices (a prompt framework calling runway itself) nothing but the segment.
    let o = s.cmd().args(["--now", HOST_NOW, "--limit-cost", "10", "prompt"]).output().unwrap();
    assert!(!stdout(&o).contains('\x1e'));
}

#[test]
fn a_prompt_killed_between_claim_and_print_does_not_lose_it() {
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    let o = prompt(&s, &[("RUNWAY_FAULT", "after-claim")]);
    assert!(!o.status.success() && split(&o).0.is_empty(), "died holding the claim");
    let (said, _) = split(&prompt(&s, &[]));
    assert_eq!(said, [NOTICE], "the next prompt gives it");
    assert!(split(&prompt(&s, &[])).0.is_empty());
}

#[test]
fn nothing_when_nothing_crossed_or_notices_are_off() {
    let s = Sandbox::claude_fixture();
    // A $1000 limit: 0.15%, nothing to say, and nothing written.
    let o = s.cmd().args(["--now", HOST_NOW, "--limit-cost", "1000", "prompt", "--notices"]).output().unwrap();
    assert_quiet(&o);
    assert!(!stdout(&o).contains('\x1e') && !stdout(&o).is_empty(), "{:?}", stdout(&o));
    assert!(!s.cache().join("notices").exists());
    let (said, _) = split(&prompt(&s, &[("RUNWAY_NOTIFY", "off")]));
    assert!(said.is_empty());
    assert!(!s.cache().join("notices").exists());
}

#[test]
fn desktop_and_tmux_messages_once_each() {
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    let bin = stand_ins(s.dir.path(), &["notify-send", "tmux"]);
    let path = path_with(&bin);
    let env = [("PATH", path.as_str()), ("RUNWAY_NOTIFY", "desktop,tmux"), ("TMUX", "/tmp/runway-test-sock,1,0")];
    std::thread::scope(|sc| {
        for _ in 0..5 {
            sc.spawn(|| assert_quiet(&prompt(&s, &env)));
        }
    });
    for _ in 0..3 {
        let (said, _) = split(&prompt(&s, &env));
        assert!(said.is_empty(), "the shell is not a channel here");
    }
    let desktop = recorded(s.dir.path(), "notify-send", 1);
    assert_eq!(desktop, [format!("--app-name=runway -- runway {}", NOTICE.trim_start_matches("runway: "))]);
    let tmux = recorded(s.dir.path(), "tmux", 1);
    assert_eq!(tmux, [format!("display-message -d 10000 -- {}", NOTICE.replace('%', "%%"))]);
    // Outside tmux the tmux channel waits for a prompt inside it.
    let s2 = Sandbox::claude_fixture();
    let bin2 = stand_ins(s2.dir.path(), &["tmux"]);
    let path2 = path_with(&bin2);
    prompt(&s2, &[("PATH", path2.as_str()), ("RUNWAY_NOTIFY", "tmux")]);
    assert!(recorded(s2.dir.path(), "tmux", 1).is_empty());
}

/// One call of $30 at 21:04 in the last block's session: a real assistant line with its ids, time and
/// counts set (1.2M output tokens of opus 4.6 at $25 a million).
fn a_big_call(s: &Sandbox) {
    let file = s.session("4d5611e5-241a-462a-8d15-5122611a9569");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().find(|l| l.contains(r#""type":"assistant""#) && l.contains(r#""usage""#)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["timestamp"] = serde_json::json!("2026-02-12T21:04:00.000Z");
    v["requestId"] = serde_json::json!("req_crossing");
    v["isSidechain"] = serde_json::json!(false);
    v["message"]["id"] = serde_json::json!("msg_crossing");
    v["message"]["usage"] = serde_json::json!({ "input_tokens": 10, "output_tokens": 1_200_000,
        "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0 });
    append(&file, format!("{v}\n").as_bytes());
}

#[test]
fn five_shells_in_tmux_panes_see_a_crossing_once_per_channel() {
    if !have("zsh") || !have("bash") || !have("fish") || !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
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
    let bin = stand_ins(s.dir.path(), &["notify-send"]);
    let mut env = env_of(&s);
    env.push(("ZDOTDIR", zdot.display().to_string()));
    env.push(("XDG_CONFIG_HOME", s.dir.path().join("xdg").display().to_string()));
    env.push(("XDG_DATA_HOME", s.dir.path().join("data").display().to_string()));
    env.push(("PATH", path_with(&bin)));
    env.push(("RUNWAY_NOTIFY", "shell,tmux,desktop".into()));
    // $1.54 of $40 so far: nothing to say until the big call.
    env.push(("RUNWAY_LIMIT_COST", "40".into()));
    // The cache built once in the shells' own environment (their roots are its key).
    let warm = s.cmd().envs(env.iter().map(|(k, v)| (*k, v.as_str()))).args(["status"]).output().unwrap();
    assert!(warm.status.success());
    // The person's server: five shells in five panes, and a real client attached to it.
    let inner = Tmux::start(s.dir.path(), "inner", &env, "zsh -i", 160, 50);
    let bash = format!("bash --noprofile --rcfile {} -i", rc.display());
    for shell in [bash.as_str(), "fish", "zsh -i", bash.as_str()] {
        // A new pane takes PATH from the tmux client that makes it (tmux 3.3): the stand-in's.
        let st = inner.cmd().env("PATH", path_with(&bin)).args(["split-window", "-t", "t", shell]).status().unwrap();
        assert!(st.success());
        inner.run(&["select-layout", "-t", "t", "tiled"]);
    }
    let outer =
        Tmux::start(s.dir.path(), "outer", &env, &format!("tmux -S {} attach -t t", inner.sock.display()), 170, 56);
    let panes: Vec<String> = (0..5).map(|i| format!("t.{i}")).collect();
    let all = || panes.iter().map(|p| inner.run(&["capture-pane", "-p", "-J", "-S", "-", "-t", p])).collect::<Vec<_>>();
    let start = Instant::now();
    while !all().iter().all(|sc| sc.contains("5h ~")) {
        assert!(start.elapsed() < Duration::from_secs(20), "prompts not drawn: {:?}", all());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(all().iter().all(|sc| !sc.contains("runway: ")), "nothing crossed yet: {:?}", all());
    a_big_call(&s);
    // Every shell draws its next prompt at about the same moment, twice.
    for _ in 0..2 {
        for p in &panes {
            inner.run(&["send-keys", "-t", p, "Enter"]);
        }
        std::thread::sleep(Duration::from_millis(1500));
    }
    let screens = all();
    let said: Vec<usize> = screens.iter().map(|sc| sc.matches("runway: Claude Code 5h at ~").count()).collect();
    assert_eq!(
        said.iter().sum::<usize>(),
        1,
        "once, above one prompt of one shell: {said:?}\n{}",
        screens.join("\n---\n")
    );
    assert!(
        !screens.iter().any(|sc| sc.lines().any(|l| l.contains("runway: ") && l.contains("↻"))),
        "never in a prompt"
    );
    outer.wait("the message on the client", |sc| sc.contains("runway: Claude Code 5h at ~"));
    assert_eq!(recorded(s.dir.path(), "notify-send", 1).len(), 1, "once on the desktop");
}

#[test]
fn fish_prints_it_above_the_prompt_once() {
    if !have("fish") || !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    let conf = s.dir.path().join("xdg/fish");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("config.fish"),
        format!("set -g fish_greeting ''\nfunction fish_prompt; echo -n '> '; end\n'{BIN}' init fish | source\n"),
    )
    .unwrap();
    let mut env = env_of(&s);
    env.push(("XDG_CONFIG_HOME", s.dir.path().join("xdg").display().to_string()));
    env.push(("XDG_DATA_HOME", s.dir.path().join("data").display().to_string()));
    env.push(("RUNWAY_NOTIFY", "shell".into()));
    let t = Tmux::start(s.dir.path(), "fish", &env, "fish", 120, 20);
    t.wait("the segment", |sc| sc.contains("5h ~15%"));
    t.type_line("false");
    t.type_line("echo rc=$status");
    let sc = t.wait("rc=1", |sc| sc.contains("rc=1"));
    assert_eq!(sc.matches(NOTICE).count(), 1, "{sc}");
    let first = sc.lines().position(|l| l.contains(NOTICE)).unwrap();
    assert!(
        sc.lines().nth(first + 1).is_some_and(|l| l.starts_with("> ") && l.contains("5h ~15%")),
        "above the prompt:\n{sc}"
    );
}

#[test]
fn a_sessions_context_past_its_threshold_is_said_once_from_the_status_line() {
    let s = Sandbox::claude_fixture();
    let bin = stand_ins(s.dir.path(), &["notify-send"]);
    let path = path_with(&bin);
    // 32% of 200k is 64k: under the standard 80k. 41% is 82k: amber.
    for used in [32, 41, 41, 41] {
        let mut p = payload(&s, None);
        p["context_window"]["used_percentage"] = serde_json::json!(used);
        // The share alone: the tokens are worked back from it.
        p["context_window"]["current_usage"] = serde_json::Value::Null;
        let mut c = s.cmd();
        c.env("PATH", &path).env("RUNWAY_NOTIFY", "desktop").args(["--now", HOST_NOW, "statusline"]);
        c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), p.to_string().as_bytes()).unwrap();
        assert_quiet(&child.wait_with_output().unwrap());
    }
    let said = recorded(s.dir.path(), "notify-send", 1);
    assert_eq!(
        said,
        ["--app-name=runway -- runway Claude Code session 8463c716 context at 82.0k tokens (amber from 80k)"]
    );
    // Amber is below `notify_at = danger`: nothing.
    let s = Sandbox::claude_fixture();
    let bin = stand_ins(s.dir.path(), &["notify-send"]);
    let mut p = payload(&s, None);
    p["context_window"]["used_percentage"] = serde_json::json!(41);
    p["context_window"]["current_usage"] = serde_json::Value::Null;
    let mut c = s.cmd();
    c.env("PATH", path_with(&bin)).env("RUNWAY_NOTIFY", "desktop").env("RUNWAY_NOTIFY_AT", "danger");
    c.args(["--now", HOST_NOW, "statusline"]).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), p.to_string().as_bytes()).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    assert!(recorded(s.dir.path(), "notify-send", 0).is_empty());
}

#[test]
fn a_terminal_with_its_own_notifications_gets_the_escape_from_the_hook() {
    let s = Sandbox::claude_fixture();
    s.status(HOST_NOW);
    let bin = stand_ins(s.dir.path(), &["notify-send"]);
    let path = path_with(&bin);
    let env = [("PATH", path.as_str()), ("RUNWAY_NOTIFY", "desktop"), ("TERM_PROGRAM", "WezTerm")];
    let (said, seg) = split(&prompt(&s, &env));
    let text = NOTICE.trim_start_matches("runway: ");
    assert_eq!(said, [format!("\x1b]777;notify;runway;{text}\x07")], "OSC 777, printed by the hook");
    assert!(seg.contains("5h ~15%"));
    assert!(split(&prompt(&s, &env)).0.is_empty(), "once");
    assert!(recorded(s.dir.path(), "notify-send", 0).is_empty(), "not twice on the desktop");
    // Without a hook to print it (a tmux job, a prompt framework): notify-send.
    let s2 = Sandbox::claude_fixture();
    let bin2 = stand_ins(s2.dir.path(), &["notify-send"]);
    let path2 = path_with(&bin2);
    let o = s2
        .cmd()
        .envs([("PATH", path2.as_str()), ("RUNWAY_NOTIFY", "desktop"), ("TERM_PROGRAM", "WezTerm")])
        .args(["--now", HOST_NOW, "--limit-cost", "10", "prompt", "--shell", "tmux"])
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
    assert_eq!(recorded(s2.dir.path(), "notify-send", 1).len(), 1);
}

#[test]
fn a_replay_leaves_the_present_its_notice() {
    // A $30 call three minutes ago against a $10 limit: past it, now and a minute and a half ago.
    let s = Sandbox::claude_fixture();
    let file = s.session("4d5611e5-241a-462a-8d15-5122611a9569");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().find(|l| l.contains(r#""type":"assistant""#) && l.contains(r#""usage""#)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
    let ago = |mins: i64| (jiff::Timestamp::now() - jiff::SignedDuration::from_secs(mins * 60 / 2)).to_string();
    v["timestamp"] = serde_json::json!(ago(6));
    v["requestId"] = serde_json::json!("req_now");
    v["message"]["id"] = serde_json::json!("msg_now");
    v["message"]["usage"] = serde_json::json!({ "input_tokens": 10, "output_tokens": 1_200_000,
        "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0 });
    append(&file, format!("{v}\n").as_bytes());
    let said = |now: Option<String>| {
        let mut c = s.cmd();
        c.env_remove("RUNWAY_NOW");
        if let Some(t) = now {
            c.args(["--now", &t]);
        }
        split(&c.args(["--limit-cost", "10", "prompt", "--shell", "zsh", "--notices"]).output().unwrap()).0
    };
    s.cmd().env_remove("RUNWAY_NOW").arg("status").output().unwrap();
    let replayed = said(Some(ago(3)));
    assert!(replayed.len() == 1 && replayed[0].contains("limit reached"), "a replay says it: {replayed:?}");
    let now = said(None);
    assert!(now.len() == 1 && now[0].contains("limit reached"), "and the present's prompt still does: {now:?}");
    assert!(said(None).is_empty(), "once");
}
