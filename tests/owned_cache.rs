//! Every file runway keeps is its own: a FIFO, a device or a link under a cache file's name blocks
//! nothing and is never read (the log and `doctor` say what was there); a cache directory another user
//! made, or anyone may write to, is not used at all; a kept copy that was edited is not believed.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::host::{HOST_NOW, SEG};
use common::*;

/// A `.claude.json` with Claude Code's cached answer: 76% of the 5 hours, fetched at 21:00.
fn claude_json(five: u32) -> String {
    format!(
        r#"{{"userID": "0000aaaa", "cachedUsageUtilization": {{"fetchedAtMs": 1770930000000, "utilization": {{
            "five_hour": {{"utilization": {five}, "resets_at": "2026-02-13T01:00:00.000Z"}},
            "seven_day": {{"utilization": 41, "resets_at": "2026-02-16T09:00:00.000Z"}}}}}}}}"#
    )
}

/// The figures `status --json` gives, as the checks compare them.
fn status(s: &Sandbox) -> serde_json::Value {
    json_of(&output_within(s.cmd().args(["--now", HOST_NOW, "status", "--json"]), 30))
}

/// Every surface once, each bounded in time: the prompt, the status line (with a payload), `status`,
/// `report` and `doctor`.
fn every_surface(s: &Sandbox) -> Vec<Output> {
    let file = s.dir.path().join("payload.json");
    let limits = serde_json::json!({ "five_hour": { "used_percentage": 20, "resets_at": 1_770_944_400 } });
    let mut p = payload(s, Some(limits));
    p["prompt_cache"] = serde_json::json!({ "ttl": 300, "warm": true, "hit_ratio": 82 });
    fs::write(&file, p.to_string()).unwrap();
    let mut out = Vec::new();
    // With a settings problem, so that the prompt keeps one for doctor.
    let prompt = ["--now", HOST_NOW, "--limit-cost", "10", "--warn-at", "150", "prompt", "--notices"];
    out.push(output_within(s.cmd().args(prompt), 30));
    let mut sl = s.cmd();
    sl.args(["--now", HOST_NOW, "--warn-at", "150", "statusline"]).stdin(fs::File::open(&file).unwrap());
    out.push(output_within(&mut sl, 30));
    out.push(output_within(s.cmd().args(["--now", HOST_NOW, "status"]), 30));
    out.push(output_within(s.cmd().args(["--now", HOST_NOW, "report", "--json"]), 30));
    out.push(output_within(s.cmd().args(["--now", HOST_NOW, "doctor"]), 30));
    out
}

/// Every regular file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let md = fs::symlink_metadata(e.path()).unwrap();
        if md.is_dir() {
            out.extend(files(&e.path()));
        } else if md.is_file() {
            out.push(e.path());
        }
    }
    out.sort();
    out
}

#[test]
fn a_fifo_in_place_of_any_cache_file_blocks_nothing() {
    let s = Sandbox::claude_fixture();
    fs::write(s.claude_dir().join(".claude.json"), claude_json(76)).unwrap();
    every_surface(&s);
    // What the status line handed over is part of the answer; the transcripts' figures are a fresh
    // read's.
    let whole = figures(&status(&s));
    assert_eq!(whole["claude"]["week"], s.fresh_status(HOST_NOW)["claude"]["week"]);
    assert_eq!(whole["claude"]["prompt_cache"]["hit_percent"], 82.0);
    let all = files(&s.cache());
    let names: Vec<String> = all.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for want in ["runway.log", "problems", "prompt-cache", "readings.lock", "lock", "state"] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    for prefix in ["claude-json-", "base-", "notices"] {
        assert!(all.iter().any(|p| p.to_string_lossy().contains(&format!("/{prefix}"))), "{prefix}… in {names:?}");
    }
    for f in all.iter().filter(|f| !f.to_string_lossy().ends_with(".tmp")) {
        fs::remove_file(f).unwrap();
        mkfifo(f);
        for o in every_surface(&s) {
            assert!(o.status.success(), "{}: {}", f.display(), String::from_utf8_lossy(&o.stderr));
        }
        assert_eq!(figures(&status(&s)), whole, "with {} a FIFO", f.display());
    }
}

#[test]
fn what_was_in_the_way_is_said_in_the_log_and_doctor() {
    let s = Sandbox::claude_fixture();
    every_surface(&s);
    let state = s.db().join("state");
    fs::remove_file(&state).unwrap();
    mkfifo(&state);
    let doctor = stdout(&output_within(s.cmd().args(["--now", HOST_NOW, "doctor"]), 30));
    assert!(doctor.contains("state is a FIFO, not a file runway wrote"), "{doctor}");
    let log = fs::read_to_string(s.cache().join("runway.log")).unwrap();
    assert!(log.contains("state is a FIFO"), "{log}");
    // One that nothing replaces on its own is listed by doctor until it goes.
    let stray = s.db().join("base-00000000000000ff");
    mkfifo(&stray);
    let doctor = stdout(&output_within(s.cmd().args(["--now", HOST_NOW, "doctor"]), 30));
    assert!(doctor.contains("base-00000000000000ff is a FIFO"), "{doctor}");
}

#[test]
fn a_kept_file_linked_to_dev_zero_is_not_read() {
    let s = Sandbox::claude_fixture();
    fs::write(s.claude_dir().join(".claude.json"), claude_json(76)).unwrap();
    let before = status(&s);
    assert_eq!(before["claude"]["rate_limits"]["five_hour"]["used_percent"], 76.0);
    for f in files(&s.cache()) {
        fs::remove_file(&f).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &f).unwrap();
    }
    // A process that read /dev/zero to its end would take all memory: under a 2 GB limit it would be
    // killed, and the time limit catches the rest.
    let o = output_within(
        Command::new("sh")
            .args(["-c", &format!("ulimit -v 2000000; exec \"$0\" --now {HOST_NOW} status --json"), BIN])
            .env_clear()
            .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?)))),
        30,
    );
    assert_eq!(figures(&json_of(&o)), figures(&before));
    let log = fs::read_to_string(s.cache().join("runway.log")).unwrap();
    assert!(log.contains("is a link, not a file runway wrote"), "{log}");
}

#[test]
fn init_claude_refuses_a_settings_file_that_is_a_fifo_or_a_device() {
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    mkfifo(&settings);
    let o = output_within(s.cmd().args(["init", "claude", "--write"]), 10);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file (a FIFO)"), "{o:?}");
    fs::remove_file(&settings).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &settings).unwrap();
    let o = output_within(s.cmd().args(["init", "claude", "--write"]), 10);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file (a device)"), "{o:?}");
    assert!(fs::symlink_metadata(&settings).unwrap().file_type().is_symlink(), "left as it was");
}

/// A cache directory someone else prepared: open to everyone, its log a link to a file of the
/// user's, a FIFO under the state's name.
fn planted(cache: &Path, victim: &Path) {
    fs::create_dir_all(cache).unwrap();
    fs::set_permissions(cache, fs::Permissions::from_mode(0o777)).unwrap();
    std::os::unix::fs::symlink(victim, cache.join("runway.log")).unwrap();
    mkfifo(&cache.join("problems"));
}

fn refused_everywhere(s: &Sandbox, cmd: impl Fn() -> Command, cache: &Path, victim: &Path) {
    // The prompt shows no figure, quickly and quietly: only the marker that sends to doctor.
    let o = output_within(cmd().args(["--now", HOST_NOW, "--limit-cost", "10", "--warn-at", "150", "prompt"]), 20);
    assert_quiet(&o);
    assert_eq!(stdout(&o), "runway: see doctor");
    // status reads on its own and says why; doctor says it too.
    let o = output_within(cmd().args(["--now", HOST_NOW, "status", "--json"]), 30);
    assert_eq!(figures(&json_of(&o)), figures(&s.fresh_status(HOST_NOW)));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the cache directory is refused"), "{o:?}");
    let doctor = stdout(&output_within(cmd().args(["--now", HOST_NOW, "doctor"]), 30));
    assert!(doctor.contains("PROBLEM   the cache directory is refused"), "{doctor}");
    assert_eq!(fs::read_to_string(victim).unwrap(), "the user's own\n", "nothing appended through the link");
    let mut left: Vec<String> =
        fs::read_dir(cache).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["problems", "runway.log"], "nothing made there");
}

#[test]
fn a_cache_directory_anyone_may_write_is_not_used() {
    let s = Sandbox::claude_fixture();
    let victim = s.dir.path().join("victim.txt");
    fs::write(&victim, "the user's own\n").unwrap();
    // HOME unset: the cache is the per-user folder in the temporary directory, made first by another.
    let tmp = s.dir.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let cache = tmp.join(format!("runway-{}", my_uid(s.dir.path())));
    planted(&cache, &victim);
    let cmd = || {
        let mut c = s.cmd();
        c.env_remove("HOME").env_remove("RUNWAY_CACHE_DIR").env("TMPDIR", &tmp);
        c
    };
    refused_everywhere(&s, cmd, &cache, &victim);
    // Once it is the user's own again (here: no longer open to everyone), it is used.
    fs::remove_file(cache.join("runway.log")).unwrap();
    fs::remove_file(cache.join("problems")).unwrap();
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o700)).unwrap();
    let o = output_within(cmd().args(["--now", HOST_NOW, "--limit-cost", "10", "prompt"]), 30);
    assert_eq!(stdout(&o), SEG);
}

#[test]
fn a_cache_directory_of_another_user_is_not_used() {
    let s = Sandbox::claude_fixture();
    let victim = s.dir.path().join("victim.txt");
    fs::write(&victim, "the user's own\n").unwrap();
    let cache = s.dir.path().join("theirs");
    planted(&cache, &victim);
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o755)).unwrap();
    // Only root can give a directory away; as anyone else the directory stays the user's, and what
    // is checked is the link alone.
    let other = my_uid(s.dir.path()) + 4242;
    let lchown = |p: &Path| Command::new("chown").args(["-h", &other.to_string()]).arg(p).status().unwrap().success();
    if !lchown(&cache) {
        eprintln!("skipping: not allowed to give a directory to another user");
        return;
    }
    let cmd = || s.cmd_with_cache(&cache);
    refused_everywhere(&s, cmd, &cache, &victim);
    // A link to the user's own directory, made by another user, is refused the same way.
    let mine = s.dir.path().join("mine");
    fs::create_dir(&mine).unwrap();
    let link = s.dir.path().join("link");
    std::os::unix::fs::symlink(&mine, &link).unwrap();
    assert!(lchown(&link));
    let o = output_within(s.cmd_with_cache(&link).args(["--now", HOST_NOW, "doctor"]), 30);
    assert!(stdout(&o).contains("is a link made by user"), "{}", stdout(&o));
    assert_eq!(fs::read_dir(&mine).unwrap().count(), 0);
}

#[test]
fn an_edited_kept_copy_of_claude_json_is_not_believed() {
    let s = Sandbox::claude_fixture();
    fs::write(s.claude_dir().join(".claude.json"), claude_json(76)).unwrap();
    assert_eq!(status(&s)["claude"]["rate_limits"]["five_hour"]["used_percent"], 76.0);
    let kept = files(&s.cache()).into_iter().find(|p| p.to_string_lossy().contains("claude-json-")).unwrap();
    let text = fs::read_to_string(&kept).unwrap();
    assert!(text.contains("\t76\t"), "{text}");
    // The same length, another figure: 4% for 76%.
    fs::write(&kept, text.replace("\t76\t", "\t04\t")).unwrap();
    assert_eq!(status(&s)["claude"]["rate_limits"]["five_hour"]["used_percent"], 76.0);
}
