//! Times for people are local: `status` in the local zone with its name, `{reset_at}` as a clock time,
//! `--json` in UTC. The zone database is read only when a clock time is shown, never by a plain prompt.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::host::{HOST_NOW, have};
use common::*;

#[test]
fn reset_at_is_a_local_clock_time() {
    let s = Sandbox::claude_fixture();
    // The fixture's block ends at 02:00 UTC: 03:00 in Paris in February.
    let o = s.run(&[
        "--now",
        HOST_NOW,
        "--timezone",
        "Europe/Paris",
        "--set",
        "format={label} {used} {reset_at}",
        "prompt",
    ]);
    assert_quiet(&o);
    assert_eq!(stdout(&o), "5h $1.54 ↻03:00");
}

#[test]
fn status_speaks_local_time_and_json_stays_utc() {
    let s = Sandbox::claude_fixture();
    let o =
        s.cmd().env("TZ", "America/New_York").args(["--now", HOST_NOW, "status", "--color", "never"]).output().unwrap();
    let text = stdout(&o);
    assert!(text.contains("resets in 4h55m (21:00 EST)"), "{text}");
    assert!(text.contains("(times in America/New_York)"), "{text}");
    let v =
        json_of(&s.cmd().env("TZ", "America/New_York").args(["--now", HOST_NOW, "status", "--json"]).output().unwrap());
    assert_eq!(v["claude"]["limit"]["resets_at"], "2026-02-13T02:00:00Z");
}

#[test]
fn an_unknown_zone_is_refused_outside_prompts() {
    let s = Sandbox::claude_fixture();
    let o = s.run(&["--timezone", "Mars/Olympus", "status"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("timezone: unknown time zone \"Mars/Olympus\""));
    // A prompt shows the clock in UTC rather than nothing, and the marker that sends to doctor.
    let o = s.run(&["--now", HOST_NOW, "--timezone", "Mars/Olympus", "--set", "format={label} {reset_at}", "prompt"]);
    assert_quiet(&o);
    assert_eq!(stdout(&o), "5h ↻02:00 · runway: see doctor");
}

#[test]
fn a_tz_that_names_no_zone_file_holds_no_prompt() {
    // The zone library reads the file `TZ` names to its end: a FIFO held every prompt that shows a
    // clock time (and `status`), `/dev/zero` filled memory. Such a `TZ` is said, as a bad `timezone`
    // is: the prompt shows UTC and the marker, `status` stops.
    let s = Sandbox::claude_fixture();
    let fifo = s.dir.path().join("tz");
    mkfifo(&fifo);
    // Relative to the folder the run starts in too, and a regular file whose size says 0.
    std::os::unix::fs::symlink("/dev/zero", s.dir.path().join("zero")).unwrap();
    let args = ["--now", HOST_NOW, "--set", "format={label} {reset_at}", "prompt"];
    let fifo = fifo.to_str().unwrap();
    for tz in
        [fifo, "/dev/zero", ":/dev/zero", "../../../../dev/zero", "tz", ":tz", "./tz", "zero", "/proc/self/pagemap"]
    {
        let o = output_within(s.cmd().current_dir(s.dir.path()).env("TZ", tz).args(args), 10);
        assert_quiet(&o);
        assert_eq!(stdout(&o), "5h ↻02:00 · runway: see doctor", "{tz}");
        let o = output_within(s.cmd().current_dir(s.dir.path()).env("TZ", tz).arg("status"), 10);
        assert_eq!(o.status.code(), Some(2), "{tz}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("is no zone"), "{o:?}");
    }
    // A zone file, a zone name and a POSIX rule are zones.
    let paris = "/usr/share/zoneinfo/Europe/Paris";
    for tz in [paris, &format!(":{paris}"), "Europe/Paris", "CET-1CEST,M3.5.0,M10.5.0/3"] {
        if tz.contains('/') && tz.contains("zoneinfo") && !std::path::Path::new(paris).exists() {
            continue;
        }
        let o = s.cmd().env("TZ", tz).args(args).output().unwrap();
        assert_quiet(&o);
        assert_eq!(stdout(&o), "5h ↻03:00", "{tz}");
    }
}

#[test]
fn a_zone_folder_is_read_no_further_than_the_zone_named() {
    // `TZDIR` reached the zone library, which indexed the whole folder and read the file a name
    // found there to its end: a FIFO named like the zone held every prompt that shows a clock time
    // (the `timezone` setting's too), and `TZDIR=/` walked the whole disk. A name is one file under
    // the folder, read bounded.
    let s = Sandbox::claude_fixture();
    let zones = s.dir.path().join("zones");
    std::fs::create_dir_all(zones.join("Europe")).unwrap();
    mkfifo(&zones.join("Home"));
    let args = ["--now", HOST_NOW, "--set", "format={label} {reset_at}", "prompt"];
    for (k, v) in [("TZ", "Home"), ("RUNWAY_TIMEZONE", "Home")] {
        let o = output_within(s.cmd().env("TZDIR", &zones).env(k, v).args(args), 10);
        assert_quiet(&o);
        assert_eq!(stdout(&o), "5h ↻02:00 · runway: see doctor", "{k}");
    }
    // A zone file there, named in any case, as the library took names; `status` spells it as the
    // folder does.
    let paris = std::path::Path::new("/usr/share/zoneinfo/Europe/Paris");
    if paris.exists() {
        std::fs::copy(paris, zones.join("Europe/Paris")).unwrap();
        for (k, v) in [("TZ", "europe/PARIS"), ("RUNWAY_TIMEZONE", "europe/paris")] {
            let o = output_within(s.cmd().env("TZDIR", &zones).env(k, v).args(args), 10);
            assert_eq!(stdout(&o), "5h ↻03:00", "{k}");
            let o = s.cmd().env("TZDIR", &zones).env(k, v).args(["--now", HOST_NOW, "status"]).output().unwrap();
            assert!(stdout(&o).ends_with("(times in Europe/Paris)\n"), "{}", stdout(&o));
        }
    }
}

#[test]
fn a_plain_prompt_never_reads_the_zone_database() {
    if !have("strace") {
        return;
    }
    let s = Sandbox::claude_fixture();
    s.run(&["--now", HOST_NOW, "prompt"]);
    let trace = s.dir.path().join("trace");
    let o = std::process::Command::new("strace")
        .args(["-f", "-e", "trace=openat,open,stat,statx,newfstatat", "-o"])
        .arg(&trace)
        .arg(BIN)
        .args(["--now", HOST_NOW, "prompt", "--shell", "zsh"])
        .env_clear()
        .envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
        .output()
        .unwrap();
    assert!(o.status.success());
    let log = std::fs::read_to_string(&trace).unwrap();
    assert!(!log.contains("zoneinfo") && !log.contains("/etc/localtime"), "{log}");
}
