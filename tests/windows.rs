//! The Windows binary, run under Wine: over the real fixtures (Claude Code, Codex, and the other
//! agents' files) its `status --json`, `report --by day --json`, status line and plain prompt equal
//! the Linux binary's on the same files; two of it at once on one cache end as one fresh read; a
//! history that grows between runs is read on from where it was; a prompt's leftover work is finished
//! by the catch-up it starts detached; its folders are where Windows keeps them; and the Claude Code
//! command it writes reads as one path in bash.
//!
//! The Windows binary is `RUNWAY_WINDOWS_EXE` (.ci/run builds it with `cargo build --release --target
//! x86_64-pc-windows-gnu`), else the release build in the target directory. Wine 8 lacks
//! `bcryptprimitives.dll`: a shim (tests/windows/bcryptprimitives.c) is built with mingw and put
//! beside a copy of the binary. Without the binary, Wine or mingw each test says so and passes, unless
//! RUNWAY_REQUIRE_WINDOWS is set (.ci/run sets it).
//!
//! Fields left out of a comparison, because they differ for a reason: none in `report --json` and
//! `status --json` (both are figures only); the paths `doctor` shows.
// Run from Linux (Wine is a Unix program).
#![cfg(unix)]

mod common;
#[path = "windows/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use harness::*;
use serde_json::Value;

/// The Claude fixture's last block is live at this time; the Codex rollout's day is 2026-05-11.
const CLAUDE_NOW: &str = "2026-02-11T23:00:00Z";
const CODEX_NOW: &str = "2026-05-11T23:00:00Z";
const LATE: &str = "2026-12-31T00:00:00Z";

#[test]
fn claude_and_codex_figures_equal_the_linux_binarys() {
    let Some(w) = wine() else { return };
    for (name, h, now) in [("claude", claude(), CLAUDE_NOW), ("codex", codex(), CODEX_NOW)] {
        let r = same_json(w, &h, name, &day_report(now));
        assert!(total_tokens(&r) > 0, "{name}: {r}");
        let s = same_json(w, &h, name, &status(now));
        assert!(s.as_object().is_some_and(|o| o.len() > 2), "{name}: {s}");
        // The plain prompt and the tmux segment, with a spend limit so that the Claude gauge shows.
        for shell in ["plain", "tmux"] {
            let args = ["--limit-cost", "10", "--now", now, "prompt", "--shell", shell];
            let (l, x) = both(w, &h, &args);
            assert_eq!(stdout(&x), stdout(&l), "{name} {shell}");
            // (Codex's rollout carries no limits, and $10 is not its plan: its gauge stays empty.)
            assert!(name == "codex" || !stdout(&l).is_empty(), "{name} {shell}: a segment to compare");
        }
        // What a person reads, too.
        let (l, x) = both(w, &h, &["--color", "never", "--timezone", "UTC", "--now", now, "status"]);
        assert_eq!(stdout(&x), stdout(&l), "{name} status");
    }
}

#[test]
fn the_other_agents_figures_equal_the_linux_binarys() {
    let Some(w) = wine() else { return };
    for (name, h) in agents() {
        let r = same_json(w, &h, &name, &day_report(LATE));
        assert!(total_tokens(&r) > 0, "{name}: {r}");
        same_json(w, &h, &name, &status(LATE));
        let (l, x) = both(w, &h, &["--now", LATE, "prompt"]);
        assert_eq!(stdout(&x), stdout(&l), "{name}");
    }
}

/// A status-line payload for the Claude fixture's last session, its transcript named as `windows`
/// or Linux names it.
fn payload_for(h: &History, windows: bool) -> Vec<u8> {
    let s = Sandbox::empty();
    let mut p = payload(&s, None);
    let t = h.path("claude/projects/-home-USER-projects-spotter/8463c716-a2ea-4c14-9efa-87158ebd9f20.jsonl");
    assert!(t.is_file());
    p["transcript_path"] = Value::from(if windows { win(&t) } else { t.display().to_string() });
    // 01:00 and five days on, after the payload's time (CLAUDE_NOW).
    p["rate_limits"] = serde_json::json!({
        "five_hour": { "used_percentage": 62, "resets_at": 1770858000 },
        "seven_day": { "used_percentage": 20, "resets_at": 1771200000 },
    });
    serde_json::to_vec(&p).unwrap()
}

#[test]
fn the_status_line_prints_the_same_segment_for_the_same_payload() {
    let Some(w) = wine() else { return };
    let h = claude();
    let (lc, wc) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let args = ["--now", CLAUDE_NOW, "statusline"];
    let l = linux(&h.env(lc.path(), false), &args, Some(&payload_for(&h, false)));
    let x = windows(w, &h.env(wc.path(), true), &args, Some(&payload_for(&h, true)));
    assert!(stdout(&l).contains("62%"), "{}", stdout(&l));
    assert_eq!(stdout(&x), stdout(&l));
    // The payload's figures are kept as readings: status says the same of them on both.
    let l = linux(&h.env(lc.path(), false), &status(CLAUDE_NOW), None);
    let x = windows(w, &h.env(wc.path(), true), &status(CLAUDE_NOW), None);
    assert_eq!(json(&x), json(&l));
}

#[test]
fn two_at_once_on_one_cache_end_as_one_fresh_read() {
    let Some(w) = wine() else { return };
    let h = claude();
    let cache = tempfile::tempdir().unwrap();
    let env = h.env(cache.path(), true);
    let args = status(CLAUDE_NOW);
    let mut a = w.cmd(&env, &args);
    let mut b = w.cmd(&env, &args);
    let (a, b) = (a.stdout(Stdio::piped()).spawn().unwrap(), b.stdout(Stdio::piped()).spawn().unwrap());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let fresh = json(&linux(&h.env(tempfile::tempdir().unwrap().path(), false), &args, None));
    assert_eq!(json(&a), fresh);
    assert_eq!(json(&b), fresh);
    // And what they left in the cache reads the same again.
    assert_eq!(json(&w.run(&env, &args)), fresh);
}

#[test]
fn a_history_that_grows_between_runs_is_read_on() {
    let Some(w) = wine() else { return };
    let h = claude();
    let session = h.path("claude/projects/-home-USER-projects-spotter/8463c716-a2ea-4c14-9efa-87158ebd9f20.jsonl");
    let whole = std::fs::read(&session).unwrap();
    // The file as it stood a third of the way through, cut at a line's end; then the rest in two steps.
    let cut = |at: usize| whole[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let (first, second) = (cut(whole.len() / 3), cut(whole.len() * 2 / 3));
    std::fs::write(&session, &whole[..first]).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let env = h.env(cache.path(), true);
    let mut seen = Vec::new();
    for upto in [second, whole.len()] {
        seen.push(json(&w.run(&env, &day_report(CLAUDE_NOW))));
        append(&session, &whole[std::fs::metadata(&session).unwrap().len() as usize..upto]);
        let fresh = json(&linux(&h.env(tempfile::tempdir().unwrap().path(), false), &day_report(CLAUDE_NOW), None));
        assert_eq!(json(&w.run(&env, &day_report(CLAUDE_NOW))), fresh, "after growing to {upto} bytes");
    }
    assert!(total_tokens(&seen[0]) < total_tokens(&seen[1]), "each step added calls");
}

#[test]
fn the_catch_up_started_detached_finishes_what_a_prompt_left() {
    let Some(w) = wine() else { return };
    let h = claude();
    let cache = tempfile::tempdir().unwrap();
    let mut env = h.env_with_helper(cache.path());
    let want = stdout(&linux(
        &h.env(tempfile::tempdir().unwrap().path(), false),
        &["--limit-cost", "10", "--now", CLAUDE_NOW, "prompt"],
        None,
    ));
    env.push(("RUNWAY_PROMPT_BYTES", "1048576".into()));
    let first = w.run(&env, &["--limit-cost", "10", "--now", CLAUDE_NOW, "prompt"]);
    assert_eq!(stdout(&first), "", "9 MiB is more than one prompt reads");
    // From here a prompt reads a line at most and starts nothing: only the helper can finish.
    env.push(("RUNWAY_NO_HELPER", "1".into()));
    env.retain(|(k, _)| *k != "RUNWAY_PROMPT_BYTES");
    env.push(("RUNWAY_PROMPT_BYTES", "1".into()));
    let start = Instant::now();
    loop {
        let got = stdout(&w.run(&env, &["--limit-cost", "10", "--now", CLAUDE_NOW, "prompt"]));
        if got == want {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "still {got:?}, want {want:?}");
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// A copy of the binary (and the shim) in a folder of its own under `d`, at `rel`.
fn exe_copy(w: &Wine, d: &Path, rel: &str) -> PathBuf {
    let dir = d.join(rel);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["runway.exe", "bcryptprimitives.dll"] {
        std::fs::copy(w.exe.with_file_name(f), dir.join(f)).unwrap();
    }
    dir.join("runway.exe")
}

/// The processes running a `catch-up` of this very binary (Wine shows a process's Windows command
/// line).
fn catching_up(exe: &Path) -> Vec<u32> {
    let me = format!("{} catch-up", win(exe));
    let cmdline = |p: &Path| std::fs::read(p.join("cmdline")).map(|c| String::from_utf8_lossy(&c).replace('\0', " "));
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|p| cmdline(&p.path()).is_ok_and(|c| c.contains(&me)))
        .filter_map(|p| p.file_name().to_str()?.parse().ok())
        .collect()
}

#[test]
fn a_prompts_output_ends_before_the_catch_up_it_started() {
    let Some(w) = wine() else { return };
    // A history the catch-up takes seconds over: the Claude fixture eight times (73 MiB).
    let h = History::new();
    for i in 0..8 {
        copy_tree(
            &fixtures().join("claude-real/projects/-home-USER-projects-spotter"),
            &h.path(&format!("claude/projects/p{i}")),
        );
    }
    let d = tempfile::tempdir().unwrap();
    let exe = exe_copy(w, d.path(), "own");
    let cache = tempfile::tempdir().unwrap();
    let mut env = h.env_with_helper(cache.path());
    env.push(("RUNWAY_PROMPT_BYTES", "1048576".into()));
    let mut c = w.base("wine");
    c.arg(&exe).args(["--now", CLAUDE_NOW, "prompt"]).env("LANG", "C.UTF-8");
    c.envs(env.iter().map(|(k, v)| (*k, v)));
    // The shell reads the prompt's output to its end: that end must come while the helper still
    // works, not when it is done (Windows would hand it the pipe). Only stdout is read: under Wine a
    // process always keeps its parent's Unix stderr, whatever its Windows handles say.
    let o = c.stdout(Stdio::piped()).stderr(Stdio::null()).output().unwrap();
    assert_eq!(stdout(&o), "", "73 MiB is more than one prompt reads");
    let helpers = catching_up(&exe);
    assert!(!helpers.is_empty(), "the prompt's output stayed open until its catch-up ended");
    for pid in helpers {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
}

#[test]
fn its_folders_are_where_windows_keeps_them() {
    let Some(w) = wine() else { return };
    // Wine sets the profile's variables itself: the history in %USERPROFILE%\.claude, the cache in
    // %LOCALAPPDATA%\runway, the config in %APPDATA%\runway\config.toml.
    let profile = w.profile();
    let cache = profile.join("AppData/Local/runway");
    let _ = std::fs::remove_dir_all(&cache);
    let claude_dir = profile.join(".claude");
    let _ = std::fs::remove_dir_all(&claude_dir);
    copy_tree(&fixtures().join("claude-real/projects"), &claude_dir.join("projects"));
    let config = profile.join("AppData/Roaming/runway/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    // The config file is read: it leaves Claude out, and a flag (stronger) puts it back.
    std::fs::write(&config, "providers = \"codex\"\n").unwrap();
    let by_config = json(&w.run(&[], &day_report(CLAUDE_NOW)));
    let mut flagged = vec!["--providers", "claude"];
    flagged.extend(day_report(CLAUDE_NOW));
    let o = w.run(&[], &flagged);
    let doctor = stdout(&w.run(&[], &["doctor"]));
    let _ = std::fs::remove_dir_all(&claude_dir);
    let _ = std::fs::remove_file(&config);
    assert_eq!(total_tokens(&by_config), 0, "{by_config}");
    let h = claude();
    let l = linux(&h.env(tempfile::tempdir().unwrap().path(), false), &day_report(CLAUDE_NOW), None);
    assert_eq!(json(&o), json(&l));
    assert!(
        std::fs::read_dir(&cache)
            .is_ok_and(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("db-")))
    );
    assert!(doctor.contains(r"\AppData\Local\runway"), "{doctor}");
    assert!(doctor.contains(r"\.claude\projects"), "{doctor}");
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn the_claude_code_command_reads_as_one_path_in_bash() {
    let Some(w) = wine() else { return };
    // The binary in a folder with a space and a quote, as C:\Program Files would be.
    let d = tempfile::tempdir().unwrap();
    let exe = exe_copy(w, d.path(), "Program Files/Jo's runway");
    let mut c = w.base("wine");
    c.arg(&exe).args(["--warn-at", "50", "init", "claude"]);
    let v: Value = serde_json::from_slice(&output_within(&mut c, 60).stdout).unwrap();
    let command = v["statusLine"]["command"].as_str().unwrap().to_owned();
    let want = win(&exe).replace('\\', "/");
    assert!(command.starts_with("Z:/"), "a bare word first, so PowerShell runs it: {command}");
    assert!(!command.contains('\\'), "no backslash for bash to take as an escape: {command}");
    // bash (Git Bash is bash) reads the command's words: the whole path first, then the settings.
    let o = Command::new("bash").arg("-c").arg(format!("printf '%s\\n' {command}")).output().unwrap();
    let words: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(words, [want.as_str(), "statusline", "--warn-at=50"], "{command}");
}
