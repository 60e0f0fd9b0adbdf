//! Inputs at and past the edge of sense, each answered plainly: a config file that is no file, counts
//! that would overflow, thousands of history roots, absurd status-line figures, a last line without
//! its newline, JSON with spaces, an idle file that shrinks or becomes a directory.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use common::host::{HOST_NOW, SEG, have, skipped};
use common::*;
use serde_json::{Value, json};

const LIVE: &str = "8463c716-a2ea-4c14-9efa-87158ebd9f20";

/// An assistant line of the real fixture, made into a new call: its id, time and output tokens.
fn call(s: &Sandbox, id: &str, ts: &str, output: u64) -> Value {
    let text = fs::read_to_string(s.session(LIVE)).unwrap();
    let mut v: Value = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["type"] == "assistant" && v["message"]["usage"].is_object())
        .unwrap();
    v["message"]["id"] = json!(format!("msg_{id}"));
    v["requestId"] = json!(format!("req_{id}"));
    v["timestamp"] = json!(ts);
    v["message"]["model"] = json!("claude-opus-4-6");
    v["message"]["usage"] = json!({ "input_tokens": 0, "output_tokens": output, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0 });
    v
}

fn week(s: &Sandbox) -> Value {
    s.status(HOST_NOW)["claude"]["week"].clone()
}

#[test]
fn a_config_file_that_is_no_file() {
    let s = Sandbox::claude_fixture();
    let dir = s.home().join(".config/runway");
    fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("config.toml");
    let fifo = Command::new("mkfifo").arg(&cfg).status().is_ok_and(|st| st.success());
    let links = [Some("/dev/zero"), Some("/dev/urandom"), None];
    for target in links {
        match target {
            Some(t) => {
                let _ = fs::remove_file(&cfg);
                std::os::unix::fs::symlink(t, &cfg).unwrap();
            }
            None if !fifo => continue,
            None => {
                let _ = fs::remove_file(&cfg);
                Command::new("mkfifo").arg(&cfg).status().unwrap();
            }
        }
        // A timeout around it: a hang would otherwise be this test's too.
        let o = Command::new("timeout")
            .args(["10", BIN, "--now", HOST_NOW, "--limit-cost", "10", "prompt"])
            .env_clear()
            .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
            .output()
            .unwrap();
        assert_quiet(&o);
        // The segment from the other settings, and the marker: the file is a problem doctor names.
        assert_eq!(stdout(&o), format!("{SEG} · runway: see doctor"), "{target:?}");
        let o = s.run(&["status"]);
        assert_eq!(o.status.code(), Some(2), "{target:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"), "{target:?}");
    }
}

#[test]
fn counts_that_would_overflow_are_refused_or_summed_whole() {
    let s = Sandbox::claude_fixture();
    let before = week(&s);
    // Four calls of 10^11 output tokens: no call has that many; refused and counted, not summed.
    let absurd: String = (0..4)
        .map(|i| format!("{}\n", call(&s, &format!("absurd{i}"), "2026-02-12T21:04:00Z", 100_000_000_000)))
        .collect();
    append(&s.session(LIVE), absurd.as_bytes());
    assert_eq!(week(&s), before);
    assert!(stdout(&s.run(&["doctor"])).contains("4 in transcripts"));
    // A thousand calls just under the bound: $26,843.545575 each, $26.8M in all, more than a u64 of
    // pico-dollars holds ($18.4M): summed exactly.
    let big: String = (0..1000)
        .map(|i| format!("{}\n", call(&s, &format!("big{i}"), "2026-02-12T21:04:30Z", (1 << 30) - 1)))
        .collect();
    append(&s.session(LIVE), big.as_bytes());
    let w = week(&s);
    assert_eq!(w["entries"], before["entries"].as_u64().unwrap() + 1000);
    let added = w["cost_usd"].as_f64().unwrap() - before["cost_usd"].as_f64().unwrap();
    assert!((added - 26_843_545.575).abs() < 1e-3, "{added}");
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

fn statusline(s: &Sandbox, p: &Value) -> String {
    let mut c = s
        .cmd()
        .args(["--now", HOST_NOW, "--color", "never", "statusline"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(&serde_json::to_vec(p).unwrap()).unwrap();
    let o = c.wait_with_output().unwrap();
    assert_quiet(&o);
    stdout(&o)
}

#[test]
fn absurd_status_line_figures_are_not_shown() {
    let s = Sandbox::claude_fixture();
    let mut p = payload(&s, None);
    p["context_window"]["used_percentage"] = json!(1e300);
    p["context_window"]["current_usage"] =
        json!({ "input_tokens": u64::MAX, "cache_creation_input_tokens": u64::MAX, "cache_read_input_tokens": 3 });
    p["cost"]["total_cost_usd"] = json!(1e300);
    // The share refused, and the counts that would wrap: the context comes from the transcript, as
    // when the payload has none; no cost.
    assert_eq!(statusline(&s, &p), "Opus 4.6 · ctx 66% (132.6k) · 5h $1.54 ↻4h55m\n");
    assert!(stdout(&s.run(&["doctor"])).contains("refused  2 implausible status-line figures"));
}

#[test]
fn a_share_past_any_sense_stays_short() {
    // A limit of a millionth of a dollar: the block's $1.54 is 154 million percent of it.
    let s = Sandbox::claude_fixture();
    let args = ["--now", HOST_NOW, "--limit-cost", "0.000001", "--set", "format={label} {used}"];
    let o = s.run(&[&args[..], &["--color", "never", "prompt", "--shell", "plain"]].concat());
    assert_eq!(stdout(&o), "5h >999%");
}

#[test]
fn a_binary_whose_path_is_not_text_says_so_rather_than_install_a_broken_hook() {
    use std::os::unix::ffi::OsStrExt;
    let s = Sandbox::claude_fixture();
    let dir = s.dir.path().join(std::ffi::OsStr::from_bytes(b"bin-\xff"));
    fs::create_dir_all(&dir).unwrap();
    fs::copy(BIN, dir.join("runway")).unwrap();
    for host in ["zsh", "bash", "fish", "claude"] {
        let o = Command::new(dir.join("runway")).args(["init", host]).env("HOME", s.home()).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{host}");
        assert!(o.stdout.is_empty() && String::from_utf8_lossy(&o.stderr).contains("is not text"), "{host}: {o:?}");
    }
}

#[test]
fn a_folder_that_cannot_be_listed_is_named_by_doctor() {
    // Twenty folders of 250 characters: past the system's longest path (4096 bytes), so the deepest
    // cannot be listed by its name (as root, a folder without permissions still can).
    let s = Sandbox::claude_fixture();
    let name = "d".repeat(250);
    let script = format!(
        "cd '{}' && for i in $(seq 20); do mkdir {name} && cd -P {name} || exit 1; done",
        s.projects().display()
    );
    assert!(Command::new("sh").args(["-c", &script]).status().unwrap().success());
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(
        doctor.contains("1 folder that cannot be listed (its files are counted as last read, new ones not seen): "),
        "{doctor}"
    );
}

#[test]
fn many_history_roots_cost_a_run_nothing() {
    // Readings of 300 other roots: a run opens only its own roots' files, and a root that is gone
    // is forgotten when the next new one comes.
    let s = Sandbox::claude_fixture();
    let reading = json!({ "five_hour": { "used_percentage": 20, "resets_at": 1_770_944_400 } });
    let mut p = payload(&s, Some(reading));
    for i in 0..300 {
        let t = s.dir.path().join(format!("other/r{i}/projects/p/s.jsonl"));
        fs::create_dir_all(t.parent().unwrap()).unwrap();
        fs::write(&t, "").unwrap();
        p["transcript_path"] = json!(t);
        statusline(&s, &p);
    }
    let files = || fs::read_dir(s.cache().join("readings")).unwrap().count();
    assert_eq!(files(), 300);
    if have("strace") {
        let trace = s.dir.path().join("trace");
        let o = Command::new("strace")
            .args(["-f", "-e", "trace=openat", "-o"])
            .arg(&trace)
            .args([BIN, "--now", HOST_NOW, "prompt"])
            .env_clear()
            .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
            .output()
            .unwrap();
        assert!(o.status.success());
        let log = fs::read_to_string(&trace).unwrap();
        assert!(log.lines().filter(|l| l.contains("/readings/")).count() <= 2, "{log}");
    }
    fs::remove_dir_all(s.dir.path().join("other")).unwrap();
    statusline(&s, &payload(&s, Some(json!({ "five_hour": { "used_percentage": 20, "resets_at": 1_770_944_400 } }))));
    assert_eq!(files(), 1, "only the fixture's root is left");
}

#[test]
fn a_last_line_without_its_newline_counts_once_when_its_file_rests() {
    let s = Sandbox::claude_fixture();
    let before = week(&s)["entries"].as_u64().unwrap();
    let live = s.session(LIVE);
    append(&live, call(&s, "last", "2026-02-12T21:04:00Z", 100).to_string().as_bytes());
    assert_eq!(week(&s)["entries"], before, "it may still be being written");
    // A minute later, untouched: a writer that ended without a newline.
    assert!(Command::new("touch").args(["-d", "2 minutes ago"]).arg(&live).status().unwrap().success());
    assert_eq!(week(&s)["entries"], before + 1);
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
    // The newline comes after all, and another call: each counted once.
    append(&live, format!("\n{}\n", call(&s, "after", "2026-02-12T21:04:10Z", 100)).as_bytes());
    assert_eq!(week(&s)["entries"], before + 2);
    assert_eq!(figures(&s.status(HOST_NOW)), figures(&s.fresh_status(HOST_NOW)));
}

#[test]
fn json_with_spaces_is_read() {
    let s = Sandbox::claude_fixture();
    let before = week(&s)["entries"].as_u64().unwrap();
    // As a pretty-printing writer spells it, on one line.
    let v = call(&s, "spaced", "2026-02-12T21:04:00Z", 100);
    let spaced = serde_json::to_string_pretty(&v).unwrap().replace('\n', " ");
    assert!(spaced.contains(r#""usage": {"#));
    append(&s.session(LIVE), format!("{spaced}\n").as_bytes());
    assert_eq!(week(&s)["entries"], before + 1);
}

#[test]
fn an_idle_file_that_shrinks_or_becomes_a_directory() {
    let s = Sandbox::claude_fixture();
    let idle = s.projects().join("-home-USER-projects-spotter/258c7280-ae70-4798-800f-63464d01a85d.jsonl");
    let rest = |p: &std::path::Path| {
        assert!(Command::new("touch").args(["-d", "2 days ago"]).arg(p).status().unwrap().success())
    };
    rest(&idle);
    s.run(&["status"]);
    let rescan = |args: &[&str]| s.cmd().env("RUNWAY_RESCAN_SECS", "0").args(args).output().unwrap();
    // Cut to half, its mtime kept old: seen at the next full walk, like growth.
    let text = fs::read(&idle).unwrap();
    fs::write(&idle, &text[..text.len() / 2]).unwrap();
    rest(&idle);
    assert_quiet(&rescan(&["--now", HOST_NOW, "prompt"]));
    assert_eq!(
        figures(&json_of(&rescan(&["--now", HOST_NOW, "status", "--json"]))),
        figures(&s.fresh_status(HOST_NOW))
    );
    // Replaced by a directory of the same name.
    fs::remove_file(&idle).unwrap();
    fs::create_dir(&idle).unwrap();
    assert_quiet(&rescan(&["--now", HOST_NOW, "prompt"]));
    assert_eq!(
        figures(&json_of(&rescan(&["--now", HOST_NOW, "status", "--json"]))),
        figures(&s.fresh_status(HOST_NOW))
    );
}

#[test]
fn a_folder_closed_to_runway_keeps_its_files_as_last_read() {
    // Its permissions taken away after a first read: its calls are not known to be gone, as a file
    // that cannot be opened is not (they were dropped, and the week's figures fell in silence). As
    // root, permissions stop nothing: runway runs as nobody then.
    let s = Sandbox::claude_fixture();
    let root = my_uid(s.dir.path()) == 0;
    if root && !have("setpriv") {
        return skipped("setpriv");
    }
    let run = |args: &[&str]| -> Value {
        let c = s.cmd();
        let mut p = if root { Command::new("setpriv") } else { Command::new(BIN) };
        if root {
            p.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", BIN]);
        }
        p.env_clear().envs(c.get_envs().filter_map(|(k, v)| Some((k, v?)))).args(args);
        json_of(&p.output().unwrap())
    };
    if root {
        let chown = Command::new("chown").args(["-R", "65534:65534"]).arg(s.dir.path()).status().unwrap();
        assert!(chown.success());
    }
    // Written just now, as a live session's files are: each run looks at them (a stat each).
    let folder = s.projects().join("-home-USER-projects-spotter");
    for f in fs::read_dir(&folder).unwrap().flatten() {
        fs::File::options().write(true).open(f.path()).and_then(|f| f.set_modified(std::time::SystemTime::now())).ok();
    }
    let want = figures(&run(&["--now", HOST_NOW, "status", "--json"]));
    fs::set_permissions(&folder, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // The look at the files it watches, then the full walk, as at every rescan.
    let looked = run(&["--now", HOST_NOW, "status", "--json"]);
    let walked = run(&["--now", HOST_NOW, "--set", "rescan_secs=0", "status", "--json"]);
    // Listed, but its entries' stats refused (readable, not searchable).
    fs::set_permissions(&folder, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let listed = run(&["--now", HOST_NOW, "--set", "rescan_secs=0", "status", "--json"]);
    fs::set_permissions(&folder, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    // The folder above the root closed (`chmod 000 ~/.claude`): the root itself cannot be looked at.
    let above = s.claude_dir();
    fs::set_permissions(&above, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let above_looked = run(&["--now", HOST_NOW, "status", "--json"]);
    let above_walked = run(&["--now", HOST_NOW, "--set", "rescan_secs=0", "status", "--json"]);
    let doctor = {
        let c = s.cmd();
        let mut p = if root { Command::new("setpriv") } else { Command::new(BIN) };
        if root {
            p.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", BIN]);
        }
        p.env_clear().envs(c.get_envs().filter_map(|(k, v)| Some((k, v?)))).arg("doctor");
        stdout(&p.output().unwrap())
    };
    fs::set_permissions(&above, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    assert!(figures(&above_looked) == want, "a folder above the root, looked at");
    assert!(figures(&above_walked) == want, "a folder above the root, walked");
    assert!(doctor.contains("claude   closed") && !doctor.contains("nothing to show"), "{doctor}");
    assert!(figures(&listed) == want, "a folder listed but not searchable");
    assert!(
        figures(&looked) == want,
        "the files it watches: {} vs {}",
        figures(&looked)["claude"]["week"],
        want["claude"]["week"]
    );
    assert!(figures(&walked) == want, "the full walk");
}

#[test]
fn a_link_to_a_folder_above_the_history_is_left_alone() {
    // `ln -s / ~/.claude/projects/root`: following it walked the machine (every `.jsonl` on it
    // taken for a session, the changing folders of `/proc` listed again at every prompt). The
    // history's own figures stand, and doctor names the link.
    let s = Sandbox::claude_fixture();
    let want = figures(&s.status(HOST_NOW));
    std::os::unix::fs::symlink("/", s.projects().join("root")).unwrap();
    std::os::unix::fs::symlink(s.dir.path(), s.projects().join("-home-USER-projects-spotter/up")).unwrap();
    // Nor into `/proc`, whose changing folders were listed again at every prompt (30 ms each).
    std::os::unix::fs::symlink("/proc", s.projects().join("proc")).unwrap();
    let fresh = figures(&s.fresh_status(HOST_NOW));
    assert!(fresh == want, "a fresh read: {} vs {}", fresh["claude"]["week"], want["claude"]["week"]);
    // Through this cache too, where the links appeared after a first read (found by a listing).
    assert!(figures(&s.status(HOST_NOW)) == want, "the same cache");
    let doctor = stdout(&s.run(&["doctor"]));
    let said = "3 links to a folder above the history (it holds everything else too) or in /proc or /sys, not followed";
    assert!(doctor.contains(said), "{doctor}");
}

#[test]
fn an_entry_named_as_history_that_is_no_file_is_named_by_doctor() {
    // A FIFO, a link to a device and a link to nowhere, each under a session's name: never opened
    // (a FIFO would hang the read), the figures the fixture's, and doctor says what it passed over.
    let s = Sandbox::claude_fixture();
    let want = figures(&s.status(HOST_NOW));
    let dir = s.projects().join("-home-USER-projects-spotter");
    assert!(Command::new("mkfifo").arg(dir.join("fifo.jsonl")).status().unwrap().success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.jsonl")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("gone.jsonl")).unwrap();
    assert!(figures(&s.fresh_status(HOST_NOW)) == want);
    let doctor = stdout(&s.run(&["doctor"]));
    let said = "3 paths named as history but no regular file (a FIFO, a device, a broken link), not read: ";
    assert!(doctor.contains(said), "{doctor}");
}
