//! `runway init claude` on real files: a settings file as people keep them (linked from a dotfiles
//! directory, private, with numbers and duplicate keys a re-serialiser would change, another tool's
//! status line), written, kept beside, replaced and taken out again.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;
use std::io::Write;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::host::have;
use common::*;
use serde_json::Value;

/// Tabs, a number past u64, an exponent, a duplicate key and an escape: each would come back changed
/// from a parse and re-serialise.
const ODD: &str = "{\n\t\"model\": \"opus\",\n\t\"big\": 99999999999999999999,\n\t\"small\": 1e2,\n\t\"dup\": 1,\n\t\"dup\": 2,\n\t\"env\": {\"NAME\": \"caf\\u00e9\"}\n}\n";

fn init(s: &Sandbox, args: &[&str]) -> Output {
    s.cmd().args(["init", "claude"]).args(args).output().unwrap()
}

fn put(path: &Path, text: &str, mode: u32) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut b: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains("runway-backup"))
        .collect();
    b.sort();
    b
}

fn status_line(path: &Path) -> Value {
    let v: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    v["statusLine"].clone()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stderr.is_empty(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(o)
}

#[test]
fn prints_the_setting_without_writing() {
    let s = Sandbox::claude_fixture();
    let v: Value = serde_json::from_str(&ok(&init(&s, &[]))).unwrap();
    assert_eq!(v["statusLine"]["type"], "command");
    assert!(v["statusLine"]["command"].as_str().unwrap().ends_with("runway statusline"));
    assert!(!s.claude_dir().join("settings.json").exists());
}

#[test]
fn every_byte_it_does_not_change_stays_and_remove_puts_them_back() {
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    put(&settings, ODD, 0o640);
    ok(&init(&s, &["--write"]));
    let written = fs::read_to_string(&settings).unwrap();
    let body = &ODD[..ODD.rfind("\n}").unwrap()];
    assert!(written.starts_with(body), "{written}");
    assert!(written[body.len()..].starts_with(",\n\t\"statusLine\": "), "indented like the rest: {written}");
    assert!(status_line(&settings)["command"].as_str().unwrap().ends_with("runway statusline"));
    assert_eq!(mode(&settings), 0o640);
    let saved = backups(&s.claude_dir());
    assert_eq!(saved.len(), 1);
    assert_eq!(fs::read_to_string(&saved[0]).unwrap(), ODD);
    assert_eq!(mode(&saved[0]), 0o600, "a backup is private");

    // Again: nothing to do, no second backup.
    assert!(ok(&init(&s, &["--write"])).contains("nothing changed"));
    assert_eq!(backups(&s.claude_dir()).len(), 1);

    // ODD had no status line: there is none to put back, and it says so.
    let said = ok(&init(&s, &["--remove"]));
    assert!(said.contains("it had none before") && !said.contains("put back"), "{said}");
    assert_eq!(fs::read_to_string(&settings).unwrap(), ODD);
    assert_eq!(mode(&settings), 0o640);

    // A file it cannot parse is left alone, and said so.
    let commented = "{ \"model\": \"opus\", // a comment\n}";
    fs::write(&settings, commented).unwrap();
    let o = init(&s, &["--write"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not touching it"));
    assert_eq!(fs::read_to_string(&settings).unwrap(), commented);
}

/// A file that begins with a byte-order mark (Windows PowerShell 5.1's `Set-Content -Encoding UTF8`
/// writes one; Claude Code reads it) is read past it and written back with it: it was refused as
/// "cannot parse … line 1 column 1", the mark unnamed.
#[test]
fn a_settings_file_with_a_byte_order_mark_keeps_it() {
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    let marked = format!("\u{feff}{ODD}");
    put(&settings, &marked, 0o600);
    ok(&init(&s, &["--write"]));
    let written = fs::read_to_string(&settings).unwrap();
    assert!(written.starts_with(&marked[..marked.rfind("\n}").unwrap()]), "{written}");
    let command = serde_json::from_str::<Value>(&written[3..]).unwrap()["statusLine"]["command"].clone();
    assert!(command.as_str().unwrap().ends_with("runway statusline"), "{command}");
    assert_eq!(fs::read_to_string(&backups(&s.claude_dir())[0]).unwrap(), marked);
    ok(&init(&s, &["--remove"]));
    assert_eq!(fs::read_to_string(&settings).unwrap(), marked);
}

#[test]
fn a_linked_settings_file_is_written_through_to_its_target() {
    let s = Sandbox::claude_fixture();
    let target = s.home().join("dotfiles/claude/settings.json");
    put(&target, ODD, 0o600);
    fs::create_dir_all(s.claude_dir()).unwrap();
    let link = s.claude_dir().join("settings.json");
    symlink("../home/dotfiles/claude/settings.json", &link).unwrap();

    let said = ok(&init(&s, &["--write"]));
    assert!(said.contains("through the link"), "{said}");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("../home/dotfiles/claude/settings.json"));
    assert!(status_line(&target)["command"].as_str().unwrap().ends_with("runway statusline"));
    assert!(backups(target.parent().unwrap()).is_empty(), "nothing stray in the dotfiles repository");
    assert_eq!(backups(&s.claude_dir()).len(), 1);

    ok(&init(&s, &["--remove"]));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(&target).unwrap(), ODD);
}

#[test]
fn the_file_is_never_more_open_than_it_was() {
    if !have("strace") {
        return;
    }
    // Every file created beside the settings, seen as the kernel saw it: the new settings created with
    // the original's mode (not 0644 and chmod-ed later), even under a umask that would take bits
    // away; the backup private from its first byte.
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    put(&settings, ODD, 0o640);
    let trace = s.dir.path().join("trace");
    let o = in_sandbox(&s, "strace")
        .args(["-f", "-e", "trace=openat,creat,chmod,fchmod,fchmodat", "-o"])
        .arg(&trace)
        .args(["sh", "-c", "umask 077; exec \"$0\" init claude --write", BIN])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = fs::read_to_string(&trace).unwrap();
    let dir = s.claude_dir().display().to_string();
    let created: Vec<&str> = log.lines().filter(|l| l.contains(&dir) && l.contains("O_CREAT")).collect();
    assert_eq!(created.len(), 2, "a backup and a temporary copy: {log}");
    let (backup, copy) = (created[0], created[1]);
    assert!(backup.contains("runway-backup") && backup.contains("O_EXCL") && backup.contains(", 0600)"), "{backup}");
    assert!(copy.contains(".tmp") && copy.contains("O_EXCL") && copy.contains(", 0640)"), "{copy}");
    for l in log.lines().filter(|l| l.contains("chmod(")) {
        assert!(l.contains("0640"), "{l}");
    }
    assert_eq!(mode(&settings), 0o640);
    assert_eq!(mode(&backups(&s.claude_dir())[0]), 0o600);
}

/// Another status-line tool that answers from the payload on its stdin.
const OTHER: &str = "grep -o '\"display_name\":\"[^\"]*\"'";

/// `program` with the sandbox's environment.
fn in_sandbox(s: &Sandbox, program: &str) -> Command {
    let mut c = Command::new(program);
    c.env_clear().envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))));
    c
}

/// The rows Claude Code would show: `command` run by a shell with a payload on its stdin.
fn run_line(s: &Sandbox, command: &str) -> Vec<String> {
    let mut child = in_sandbox(s, "sh")
        .args(["-c", command])
        .env("RUNWAY_NOW", "2026-02-12T21:30:00Z")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let p = serde_json::to_vec(&payload(s, None)).unwrap();
    child.stdin.take().unwrap().write_all(&p).unwrap();
    let o = child.wait_with_output().unwrap();
    String::from_utf8(o.stdout).unwrap().lines().map(str::to_owned).collect()
}

#[test]
fn another_tools_status_line_is_left_kept_or_replaced_only_when_asked() {
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    let theirs = format!(
        "{{\n  \"statusLine\": {{\"type\": \"command\", \"command\": {}, \"padding\": 1, \"refreshInterval\": 5}},\n  \"model\": \"opus\"\n}}\n",
        serde_json::to_string(OTHER).unwrap()
    );
    put(&settings, &theirs, 0o600);

    let o = init(&s, &["--write"]);
    assert_eq!(o.status.code(), Some(1));
    let why = String::from_utf8_lossy(&o.stderr);
    assert!(why.contains("another tool's") && why.contains(OTHER) && why.contains("--replace"), "{why}");
    assert_eq!(fs::read_to_string(&settings).unwrap(), theirs);
    assert!(backups(&s.claude_dir()).is_empty());

    // Both: runway's line, then theirs, from the same payload.
    ok(&init(&s, &["--write", "--keep"]));
    let command = status_line(&settings)["command"].as_str().unwrap().to_owned();
    assert!(command.contains(" statusline --then "), "{command}");
    let rows = run_line(&s, &command);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("5h"), "{rows:?}");
    assert_eq!(rows[1], "\"display_name\":\"Opus 4.6\"");
    assert_eq!(status_line(&settings)["refreshInterval"], 5, "kept beside it: their timer stays");

    ok(&init(&s, &["--remove"]));
    assert_eq!(fs::read_to_string(&settings).unwrap(), theirs, "theirs back, as written");

    ok(&init(&s, &["--write", "--replace"]));
    let command = status_line(&settings)["command"].as_str().unwrap().to_owned();
    assert!(command.ends_with("runway statusline"), "{command}");
    assert_eq!(run_line(&s, &command).len(), 1);
    assert_eq!(status_line(&settings)["refreshInterval"], 60, "replaced: their timer goes with it");
    ok(&init(&s, &["--remove"]));
    assert_eq!(fs::read_to_string(&settings).unwrap(), theirs);
}

#[test]
fn backups_made_in_the_same_second_keep_their_own_names() {
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    put(&settings, ODD, 0o600);
    // Every name the write could pick in the next few seconds is taken already.
    let now: i64 =
        String::from_utf8(Command::new("date").arg("+%s").output().unwrap().stdout).unwrap().trim().parse().unwrap();
    let mut taken = Vec::new();
    for t in now - 1..now + 5 {
        let stamp = Command::new("date").args(["-u", "-d", &format!("@{t}"), "+%Y%m%dT%H%M%S"]).output().unwrap();
        let name = format!("settings.json.runway-backup-{}", String::from_utf8(stamp.stdout).unwrap().trim());
        let path = s.claude_dir().join(name);
        fs::write(&path, format!("earlier {t}")).unwrap();
        taken.push(path);
    }
    ok(&init(&s, &["--write"]));
    ok(&init(&s, &["--remove"]));
    let all = backups(&s.claude_dir());
    assert_eq!(all.len(), taken.len() + 2, "{all:?}");
    for (t, path) in (now - 1..).zip(&taken) {
        assert_eq!(fs::read_to_string(path).unwrap(), format!("earlier {t}"), "an earlier backup overwritten");
    }
    assert_eq!(fs::read_to_string(&settings).unwrap(), ODD);
}

#[test]
fn every_config_dir_is_written_and_none_is_made_up() {
    let s = Sandbox::claude_fixture();
    let (a, b) = (s.claude_dir(), s.dir.path().join("work-claude"));
    put(&a.join("settings.json"), ODD, 0o600);
    fs::create_dir_all(&b).unwrap();
    let both = format!("{},{}", a.display(), b.display());
    ok(&s.cmd().env("CLAUDE_CONFIG_DIR", &both).args(["init", "claude", "--write"]).output().unwrap());
    for dir in [&a, &b] {
        assert!(status_line(&dir.join("settings.json"))["command"].as_str().unwrap().ends_with("runway statusline"));
    }

    let typo = s.dir.path().join("claudee");
    let o = s.cmd().env("CLAUDE_CONFIG_DIR", &typo).args(["init", "claude", "--write"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    assert!(!typo.exists(), "a mistyped directory is not created");
}

#[test]
fn flags_given_to_init_reach_the_status_line() {
    let s = Sandbox::claude_fixture();
    let v: Value = serde_json::from_str(&ok(&init(&s, &["--limit-cost", "40"]))).unwrap();
    let command = v["statusLine"]["command"].as_str().unwrap().to_owned();
    assert!(command.ends_with("runway statusline --limit-cost=40"), "{command}");
    // Written, and run as Claude Code runs it: the line a --limit-cost 40 status line draws.
    fs::create_dir_all(s.claude_dir()).unwrap();
    ok(&init(&s, &["--write", "--limit-cost", "40"]));
    let command = status_line(&s.claude_dir().join("settings.json"))["command"].as_str().unwrap().to_owned();
    let direct = run_line(&s, &format!("'{BIN}' --limit-cost 40 statusline"));
    assert_eq!(run_line(&s, &command), direct);
    assert_ne!(direct, run_line(&s, &format!("'{BIN}' statusline")), "the flag changes the line");
}

#[test]
fn a_pretty_printed_status_line_stays_pretty() {
    // Written by hand (or by an older runway at another path): only the command changes, in place,
    // and the timer a newer runway sets comes after what was there.
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    let before = "{\n  \"model\": \"opus\",\n  \"statusLine\": {\n    \"type\": \"command\",\n    \"command\": \"/old/place/runway statusline\",\n    \"padding\": 0\n  }\n}\n";
    put(&settings, before, 0o600);
    ok(&init(&s, &["--write"]));
    let after = fs::read_to_string(&settings).unwrap();
    let command = status_line(&settings)["command"].as_str().unwrap().to_owned();
    assert_ne!(command, "/old/place/runway statusline");
    let quoted = serde_json::to_string(&command).unwrap();
    let want = before
        .replace("\"/old/place/runway statusline\"", &quoted)
        .replace("\"padding\": 0\n", "\"padding\": 0,\n    \"refreshInterval\": 60\n");
    assert_eq!(after, want, "{after}");
    // Claude Code runs it once a minute besides its events (the countdown moves while idle); a timer
    // the user set stays theirs.
    assert_eq!(status_line(&settings)["refreshInterval"], 60);
    put(&settings, &after.replace("\"refreshInterval\": 60", "\"refreshInterval\": 5"), 0o600);
    let o = init(&s, &["--write"]);
    ok(&o);
    assert!(stdout(&o).contains("already runs runway; nothing changed"), "{}", stdout(&o));
    assert_eq!(status_line(&settings)["refreshInterval"], 5);
}
