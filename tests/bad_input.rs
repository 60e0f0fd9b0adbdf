//! Bad input gets a clear answer: outside prompts, the reason on stderr and exit 2; in prompt modes,
//! the segment from the remaining settings, nothing on stderr, the reason in the log and at the top
//! of `doctor`.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::fs;

use common::host::{HOST_NOW, SEG, have, sandboxed};
use common::*;

#[test]
fn every_bad_value_is_refused_with_its_reason() {
    let s = Sandbox::claude_fixture();
    for (args, says) in [
        (&["--warn-at", "150"][..], "--warn-at 150: expected a percentage from 0 to 100"),
        (&["--warn-at", "-5"], "--warn-at -5: expected a percentage from 0 to 100"),
        (&["--danger-at", "80", "--warn-at", "95"], "warn_at (95) is above danger_at (80)"),
        (&["--limit-cost", "0"], "--limit-cost 0: expected an amount of dollars above 0"),
        (&["--limit-cost", "NaN"], "--limit-cost NaN"),
        (&["--now", "yesterday"], "--now yesterday: not an RFC 3339 instant"),
        (&["--set", "nosuchkey=1"], "nosuchkey"),
        (&["--set", "colr_danger=red"], "unknown setting `colr_danger` (did you mean `color_danger`?"),
        (&["--set", "warn_at"], "--set \"warn_at\": expected KEY=VALUE"),
    ] {
        let o = s.cmd().args(args).arg("status").output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}: no answer for the wrong question");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with("runway: ") && err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn config_shows_a_rejected_value_as_a_problem_never_in_effect() {
    let s = Sandbox::claude_fixture();
    let o = s.run(&["config", "--set", "color_ok=chartreuse"]);
    assert_eq!(o.status.code(), Some(2));
    let text = stdout(&o);
    assert!(text.contains("# problem: --set color_ok=chartreuse: not a colour"), "{text}");
    let line = text.lines().find(|l| l.starts_with("color_ok = ")).unwrap();
    assert!(line.ends_with("# default") && !line.contains("chartreuse"), "{line}");
}

#[test]
fn a_bad_config_line_leaves_the_shells_hooks_in() {
    // `eval "$(runway init zsh)"` at every shell's start: a typo in the file gave it nothing to
    // evaluate, and every new shell had no hook. The prompt it installs says the problem (marker).
    let s = Sandbox::claude_fixture();
    let file = s.dir.path().join("config.toml");
    fs::write(&file, "limit_cost = 10\nwarnat = 5\n").unwrap();
    let run = |args: &[&str]| s.cmd().env("RUNWAY_CONFIG", &file).args(args).output().unwrap();
    for args in
        [&["init", "zsh"][..], &["init", "bash"], &["init", "fish", "--print-only"], &["completions", "zsh"], &["man"]]
    {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(!o.stdout.is_empty() && o.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let o = run(&["demo"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown setting `warnat`"), "said at a terminal");
    assert_eq!(run(&["status"]).status.code(), Some(2), "a reading command still stops");
    // An empty `--timezone` is the system's zone: a bad `TZ` is the environment's, not init's own.
    let o = s.cmd().env("RUNWAY_CONFIG", &file).env("TZ", "Bogus/Zone").args(["init", "zsh", "--timezone="]).output();
    assert_eq!(o.unwrap().status.code(), Some(0));
    // `init`'s own arguments go into the hook: a bad one stops it and is said, the file's aside.
    for bad in
        [&["--warn-at=abc"][..], &["--set=bogus_key=1"], &["--timezone=Mars/Base"], &["--set", "timezone=Mars/Base"]]
    {
        for host in ["zsh", "claude"] {
            let o = run(&[&["init", host][..], bad].concat());
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{host} {bad:?}");
            assert!(o.stdout.is_empty() && !err.contains("warnat") && err.starts_with("runway: "), "{bad:?}: {err}");
        }
    }
    assert_eq!(stdout(&run(&["--now", HOST_NOW, "prompt"])), "5h ~15% ⚠ 28m · runway: see doctor");
}

#[test]
fn arguments_that_cannot_be_read_are_kept_where_the_config_files_cache_dir_says() {
    // `doctor` reads the cache the settings name; the marker's reason went to the environment's.
    let s = Sandbox::claude_fixture();
    let (file, cache) = (s.dir.path().join("config.toml"), s.dir.path().join("named-cache"));
    fs::write(&file, format!("cache_dir = {:?}\n", cache.display().to_string())).unwrap();
    let run = |args: &[&str]| s.cmd().env_remove("RUNWAY_CACHE_DIR").env("RUNWAY_CONFIG", &file).args(args).output();
    assert_eq!(stdout(&run(&["prompt", "--shell", "tmuxx"]).unwrap()), "runway: see doctor");
    let doctor = stdout(&run(&["doctor"]).unwrap());
    assert!(doctor.contains("--shell tmuxx"), "{doctor}");
}

#[test]
fn a_variable_named_like_runways_that_it_does_not_read_is_named() {
    // The sandbox sets a test knob (read, not a setting): never listed, never offered for another.
    let s = Sandbox::claude_fixture();
    let mut o = s.cmd();
    o.env("RUNWAY_WARNAT", "60").env("RUNWAY_PROMT_BYTES", "9").env("RUNWAY_CONFIG", "/nonexistent").arg("config");
    let text = stdout(&o.output().unwrap());
    let said: Vec<&str> = text.lines().filter(|l| l.starts_with("# environment: ")).collect();
    assert_eq!(said.len(), 2, "the knob the sandbox sets is not listed: {said:?}");
    assert_eq!(
        said[0], "# environment: RUNWAY_PROMT_BYTES is not read (see `runway config`)",
        "no knob, no far setting"
    );
    assert_eq!(said[1], "# environment: RUNWAY_WARNAT is not read (did you mean RUNWAY_WARN_AT?)");
}

#[test]
fn config_says_which_folder_an_empty_cache_dir_means() {
    let s = Sandbox::claude_fixture();
    let xdg = s.dir.path().join("xdg-cache");
    let o = s.cmd().env_remove("RUNWAY_CACHE_DIR").env("XDG_CACHE_HOME", &xdg).arg("config").output().unwrap();
    let text = stdout(&o);
    let line = text.lines().find(|l| l.starts_with("cache_dir = ")).unwrap();
    assert_eq!(line, format!("cache_dir = \"\"    # default: {}", xdg.join("runway").display()));
    // A blank name in the file is the host's too, and said so.
    let file = s.dir.path().join("config.toml");
    fs::write(&file, "device_name = \"  \"\n").unwrap();
    let text = stdout(&s.cmd().env("RUNWAY_CONFIG", &file).arg("config").output().unwrap());
    let line = text.lines().find(|l| l.starts_with("device_name = ")).unwrap();
    assert!(line.starts_with("device_name = \"  \"    # config file: the host name, "), "{line}");
    // Given, it is the value shown, and no default is spoken of.
    let line = stdout(&s.run(&["config"])).lines().find(|l| l.starts_with("cache_dir = ")).unwrap().to_owned();
    assert!(line.ends_with("# environment") && line.contains(&s.cache().display().to_string()), "{line}");
}

#[test]
fn config_file_problems_name_the_file_and_line() {
    let s = Sandbox::claude_fixture();
    // A folder whose name holds " line 9": the file's own lines still give the order.
    let dir = s.dir.path().join("my line 9");
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
    fs::write(&file, "color = \"never\"\nwarn_at = 150\nnokey = 1\n").unwrap();
    let o = s.cmd().env("RUNWAY_CONFIG", &file).arg("status").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let f = file.display();
    assert!(err.contains(&format!("{f} line 2, `warn_at`: expected a percentage")), "{err}");
    assert!(err.contains(&format!("{f} line 3: unknown setting `nokey`")), "{err}");
    // In the file's order (its values are checked after its lines are read, and were said after).
    let at = |what: &str| err.find(&format!("{f} line {what}")).unwrap();
    assert!(at("2,") < at("3:"), "{err}");

    let gone = s.dir.path().join("no-such.toml");
    let o = s.cmd().env("RUNWAY_CONFIG", &gone).arg("status").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    // The null device is the usual way to say "no settings": an empty file, no problem, no marker.
    #[cfg(unix)]
    {
        let null = |args: &[&str]| s.cmd().env("RUNWAY_CONFIG", "/dev/null").args(args).output().unwrap();
        let o = null(&["status", "--json"]);
        assert_eq!((o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned()), (Some(0), String::new()));
        let seg = stdout(&null(&["--now", "2026-02-12T21:30:00Z", "prompt", "--shell", "plain"]));
        assert!(!seg.is_empty() && !seg.contains("doctor"), "{seg}");
    }
    // `config` names the file it reads, and says so when the usual place holds none yet.
    let first = |o: std::process::Output| stdout(&o).lines().next().unwrap_or_default().to_owned();
    assert_eq!(
        first(s.cmd().env("RUNWAY_CONFIG", &file).arg("config").output().unwrap()),
        format!("# config file: {f}")
    );
    let usual = s.home().join(".config/runway/config.toml");
    assert_eq!(first(s.run(&["config"])), format!("# config file: {} (none there yet)", usual.display()));
    // One named that is not there is a problem, said as one (not a file to come).
    let o = s.cmd().env("RUNWAY_CONFIG", &gone).arg("config").output().unwrap();
    assert_eq!(first(o), format!("# config file: {}", gone.display()));
}

#[test]
fn a_prompt_keeps_quiet_and_doctor_says_why() {
    let s = Sandbox::claude_fixture();
    let o = s
        .cmd()
        .args(["--warn-at", "150", "--limit-cost", "10", "--now", HOST_NOW, "prompt", "--shell", "plain"])
        .output()
        .unwrap();
    assert_quiet(&o);
    assert_eq!(
        stdout(&o),
        format!("{SEG} · runway: see doctor"),
        "the segment from the other settings, and the marker"
    );
    let doctor = stdout(&s.run(&["doctor"]));
    let top: Vec<&str> = doctor.lines().take(3).collect();
    assert!(top.iter().any(|l| l.contains("problem") && l.contains("--warn-at 150")), "{doctor}");
    let log = fs::read_to_string(s.cache().join("runway.log")).unwrap();
    assert_eq!(log.matches("--warn-at 150").count(), 1, "{log}");

    // Said once in the log, not at every prompt; gone from doctor once fixed.
    s.cmd().args(["--warn-at", "150", "prompt"]).output().unwrap();
    let log = fs::read_to_string(s.cache().join("runway.log")).unwrap();
    assert_eq!(log.matches("--warn-at 150").count(), 1, "{log}");
    s.cmd().args(["prompt"]).output().unwrap();
    assert!(!stdout(&s.run(&["doctor"])).contains("--warn-at 150"));
}

#[test]
fn flags_given_to_init_reach_every_prompt() {
    if !have("zsh") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let o = s.run(&["init", "zsh", "--limit-cost", "10", "--set", "format={label}={used}"]);
    assert_quiet(&o);
    let script = stdout(&o);
    let file = s.dir.path().join("init.zsh");
    fs::write(&file, script).unwrap();
    let o = sandboxed(s.dir.path(), "zsh")
        .args(["-f", "-c", "source \"$0\"; _runway_precmd; print -rn -- \"$_runway_segment\""])
        .arg(&file)
        .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("RUNWAY_NOW", HOST_NOW)
        .output()
        .unwrap();
    assert_quiet(&o);
    assert_eq!(strip_zsh(&stdout(&o)), "5h=15%", "both flags in effect: the format, and 15% of $10");
}

/// The segment as zsh prints it, without its `%{…%}` colour wrappers.
fn strip_zsh(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("%{") {
        out += &rest[..i];
        rest = rest[i..].split_once("%}").map_or("", |(_, r)| r);
    }
    (out + rest).replace("%%", "%")
}

#[test]
fn a_mistyped_flag_in_a_prompt_shows_a_marker_and_doctor_names_it_first() {
    let s = Sandbox::claude_fixture();
    // An older problem, in a shell prompt.
    let o = s.run(&["--warn-at", "150", "--now", HOST_NOW, "prompt", "--shell", "zsh"]);
    assert_quiet(&o);
    std::thread::sleep(std::time::Duration::from_millis(20));
    // Then a typo in tmux's @runway-args: the segment without the words runway does not know, and
    // the marker.
    let o = s.run(&["--now", HOST_NOW, "--color", "never", "prompt", "--shell", "tmux", "--limt-cost", "40"]);
    assert_quiet(&o);
    assert_eq!(stdout(&o), "5h $1.54 ↻4h55m · runway: see doctor");
    let doctor = stdout(&s.run(&["doctor"]));
    let problems: Vec<&str> = doctor.lines().filter(|l| l.starts_with("problem")).collect();
    assert_eq!(problems.len(), 2, "{doctor}");
    assert!(
        problems[0]
            .contains("--limt-cost 40`: `--limt-cost` `40` left out, not runway's (a similar one: `--limit-cost`)")
            && problems[0].contains("@runway-args"),
        "the newest first: {doctor}"
    );
    // What cannot be read even so: the marker alone.
    let o = s.run(&["prompt", "--shell", "tmuxx"]);
    assert_eq!(stdout(&o), "runway: see doctor");
    assert!(problems[1].contains("--warn-at 150") && problems[1].contains("prompt --shell zsh"), "{doctor}");
    // The status line too, for its own settings.
    let o = s.cmd().args(["statusline", "--color", "never", "--limt-cost", "40"]).output().unwrap();
    assert_quiet(&o);
    assert_eq!(stdout(&o), "runway: see doctor\n", "no payload: nothing else to show");
    assert!(
        stdout(&s.run(&["doctor"])).contains("statusline --color never --limt-cost 40`: `--limt-cost` `40` left out")
    );
    // The helper a prompt starts, with the prompt's settings: their problems are the prompt's, not
    // kept again under `catch-up` (where they outlived the prompt's mend).
    assert_quiet(&s.run(&["catch-up", "--left", "--warn-at=abc"]));
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(!doctor.contains("seen by `catch-up`"), "{doctor}");
    // Fixed in tmux: the shell's problem stays, tmux's goes.
    assert_quiet(&s.run(&["prompt", "--shell", "tmux", "--limit-cost", "40"]));
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(!doctor.contains("tmux --limt") && doctor.contains("--warn-at 150"), "{doctor}");
}

#[test]
fn one_bad_line_in_the_config_file_leaves_the_rest_and_is_named() {
    let s = Sandbox::claude_fixture();
    let file = s.dir.path().join("config.toml");
    fs::write(&file, "limit_cost = 10\nwarn_at = 60 percent\nformat = \"{label}={used}\"\nnokey = 1\n").unwrap();
    let o = s.cmd().env("RUNWAY_CONFIG", &file).args(["--now", HOST_NOW, "prompt"]).output().unwrap();
    assert_quiet(&o);
    // Lines 1 and 3 count: 15% of $10, in the file's format; the marker says there is more.
    assert_eq!(stdout(&o), "5h=15% · runway: see doctor");
    let doctor = stdout(&s.cmd().env("RUNWAY_CONFIG", &file).arg("doctor").output().unwrap());
    let f = file.display();
    assert!(doctor.contains(&format!("{f} line 2: not valid TOML")), "{doctor}");
    assert!(doctor.contains(&format!("{f} line 4: unknown setting `nokey`")), "{doctor}");
    let o = s.cmd().env("RUNWAY_CONFIG", &file).arg("config").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("format = \"{label}={used}\"    # config file"), "{}", stdout(&o));
    // Mended: doctor reads the same file and says nothing of it, before the prompt that saw the
    // problems runs again (it said them all, as the prompt's, with the shell's flags to blame).
    fs::write(&file, "limit_cost = 10\n").unwrap();
    let doctor = stdout(&s.cmd().env("RUNWAY_CONFIG", &file).arg("doctor").output().unwrap());
    assert!(!doctor.contains("problem"), "{doctor}");
    // Another file whose name begins with this one's, read by another host: its problem stays.
    let other = s.dir.path().join("config.toml.tmux");
    fs::write(&other, "warn_at = \"lots\"\n").unwrap();
    assert_quiet(
        &s.cmd().env("RUNWAY_CONFIG", &other).args(["--now", HOST_NOW, "prompt", "--shell", "tmux"]).output().unwrap(),
    );
    let doctor = stdout(&s.cmd().env("RUNWAY_CONFIG", &file).arg("doctor").output().unwrap());
    assert!(doctor.contains("config.toml.tmux line 1") && doctor.contains("seen by `prompt --shell tmux`"), "{doctor}");
}

#[test]
fn a_folder_from_the_home_is_the_same_from_every_directory() {
    // TOML keeps `~` as it is, and so does a shell within quotes: it is the home, wherever the shell is.
    // (At the real time: a replay writes no device file.)
    let s = Sandbox::claude_fixture();
    let file = s.dir.path().join("config.toml");
    fs::write(&file, "sync_dir = \"~/Sync/runway\"\n").unwrap();
    fs::create_dir_all(s.home().join("Sync/runway")).unwrap(); // the sync tool's folder
    let elsewhere = s.dir.path().join("a project");
    fs::create_dir_all(&elsewhere).unwrap();
    let o = s.cmd().env("RUNWAY_CONFIG", &file).current_dir(&elsewhere).arg("status").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let devices = s.home().join("Sync/runway/runway");
    let written: Vec<_> = fs::read_dir(&devices).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0, "nothing made where the shell stood");
    // A relative folder would be one of its own in every shell's directory: refused, and said.
    fs::write(&file, "sync_dir = \"Sync/runway\"\n").unwrap();
    let o = s.cmd().env("RUNWAY_CONFIG", &file).current_dir(&elsewhere).arg("status").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is relative"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_glyph_or_separator_a_terminal_would_act_on_is_refused() {
    // An escape in a glyph (the file), a bell in the separator (the environment), a CSI in the format
    // (a flag): each would reach every prompt as it is. Refused and named; the defaults are drawn.
    let s = Sandbox::claude_fixture();
    let file = s.dir.path().join("config.toml");
    fs::write(&file, "glyph_reset = \"\\u001b[2J\"\n").unwrap();
    let run = |cmd: &[&str]| {
        s.cmd()
            .env("RUNWAY_CONFIG", &file)
            .env("RUNWAY_SEPARATOR", "|\x07|")
            .args(["--now", HOST_NOW, "--set", "format={label} {used} {reset}\u{9b}1m", "--set", "windows=all"])
            .args(cmd)
            .output()
            .unwrap()
    };
    for shell in ["plain", "zsh", "bash", "fish", "tmux"] {
        let o = run(&["--color", "never", "prompt", "--shell", shell]);
        assert_quiet(&o);
        let seg = stdout(&o);
        assert!(!seg.chars().any(|c| c.is_control() || c == '\u{9b}'), "{shell}: {seg:?}");
        assert!(seg.contains("1.54 ↻") && seg.ends_with("runway: see doctor"), "{shell}: {seg:?}");
    }
    let doctor = stdout(&run(&["doctor"]));
    for (name, char) in [("glyph_reset", "U+001B"), ("RUNWAY_SEPARATOR", "U+0007"), ("format", "U+009B")] {
        let line = doctor.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name}: {doctor}"));
        assert!(line.contains(char) && !line.contains('\x1b') && !line.contains('\r'), "{line:?}");
    }
}

#[test]
fn a_zone_that_is_none_marks_the_prompt_that_shows_a_clock_time() {
    // Shown in UTC as the stand-in, with the marker; doctor names it as the prompt saw it.
    let s = Sandbox::claude_fixture();
    let args = ["--now", HOST_NOW, "--limit-cost", "10", "--timezone", "Mars/Base"];
    let clock = ["--set", "format={label} {used} {reset_at}"];
    for shell in ["plain", "tmux"] {
        let o = s.cmd().args(args).args(clock).args(["prompt", "--shell", shell]).output().unwrap();
        assert_quiet(&o);
        let seg = stdout(&o);
        assert!(seg.contains("↻02:00") && seg.contains("runway: see doctor"), "{shell}: {seg:?}");
    }
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(doctor.contains("unknown time zone \"Mars/Base\"") && doctor.contains("seen by `prompt"), "{doctor}");
}
