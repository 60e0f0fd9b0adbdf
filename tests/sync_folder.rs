//! Two devices through a plain shared folder (what a cloud drive or a network share amounts to):
//! what each reads of the other, and how the devices add up. Device A reads the real Claude Code
//! fixture, device B the real Codex CLI one; figures are checked against the independent counts of
//! each history. What sync tools leave in the folder is `sync_folder_left.rs`.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::devices::Device;
use common::*;
use serde_json::Value;

const NOW: &str = "2026-02-12T21:30:00Z";
const CODEX_NOW: &str = "2026-05-12T00:00:00Z";

/// Totals of a report row: calls, tokens of each kind, cost.
fn row(v: &Value) -> (u64, u64, u64, u64, u64, f64) {
    let n = |k: &str| v[k].as_u64().unwrap();
    (
        v["runway"]["calls"].as_u64().unwrap(),
        n("inputTokens"),
        n("outputTokens"),
        n("cacheCreationTokens"),
        n("cacheReadTokens"),
        v["totalCost"].as_f64().unwrap(),
    )
}

#[test]
fn two_devices_meet_in_a_folder() {
    let shared = tempfile::tempdir().unwrap();
    let (a, b) = (Device::claude(shared.path()), Device::codex(shared.path()));
    a.reading(NOW);
    // A writes its file (status does, when due); B has not written yet.
    a.status(NOW);
    assert!(a.file().exists());
    // B's status at A's moment: A's window and A's reading, as if B had seen them itself.
    let v = b.status(NOW);
    let five = &v["claude"]["rate_limits"]["five_hour"];
    assert_eq!((five["used_percent"].as_f64(), five["resets_at"].as_str()), (Some(23.4), Some("2026-02-12T23:10:00Z")));
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "{v}");
    assert_eq!((devices[0]["name"].as_str(), devices[0]["this_device"].as_bool()), (Some("desk"), Some(true)));
    assert_eq!((devices[1]["name"].as_str(), devices[1]["this_device"].as_bool()), (Some("laptop"), Some(false)));
    // A's part of the running 5 hours (the window 18:10-23:10): its calls from 18:00 on, as A's own
    // status counts them (hours count whole: the 18:00 hour's calls before 18:10 are in).
    let laptop = &devices[1]["windows"]["claude"]["five_hour"];
    assert!(laptop["entries"].as_u64().unwrap() > 0, "{laptop}");
    assert_eq!(b.prompt(NOW), "5h 23% ↻1h40m", "B's prompt shows A's reading");
    // And says where it came from, in the list of what the service reported.
    let from = v["claude"]["limits"].as_array().unwrap().iter().find(|l| l["window"] == "five_hour").unwrap().clone();
    assert_eq!((from["used_percent"].as_f64(), from["reported_by"].as_str()), (Some(23.4), Some("another device")));
    let text = stdout(&b.cmd().args(["--now", NOW, "status"]).output().unwrap());
    assert!(text.contains("reported  5h 23% (another device, "), "{text}");
    // None of it is B's: coverage is what this machine's calls explain (with a limit that converts
    // them, B's none explain 0%; A's, counted in, made it all of it).
    let limited = json_of(&b.cmd().args(["--now", NOW, "--limit-cost", "10", "status", "--json"]).output().unwrap());
    assert_eq!(limited["claude"]["rate_limits"]["five_hour"]["coverage"], 0.0, "{}", limited["claude"]);
    let text = stdout(&b.cmd().args(["--now", NOW, "status"]).output().unwrap());
    assert!(
        text.contains("devices") && text.contains("laptop $") && text.contains("desk (this device) $0.00"),
        "{text}"
    );
    // The window is the account's; the block and the week under it are this device's, and say so.
    let a_text = stdout(&a.cmd().args(["--now", NOW, "status"]).output().unwrap());
    let week = a_text.lines().find(|l| {
        let l = l.trim_start();
        (l.starts_with("7 days") && l.contains(" calls")) || l.starts_with("window")
    });
    assert!(week.is_some_and(|l| l.ends_with("on this device")), "{a_text}");
    let block = a_text.lines().find(|l| l.trim_start().starts_with("block"));
    assert!(block.is_some_and(|l| l.ends_with("on this device, its own block")), "{a_text}");

    // report --by device on B: a row a device, each equal to the independent count of its history,
    // and the rows add up to the totals.
    b.status(CODEX_NOW);
    let rep = b.report("device");
    let rows = rep["device"].as_array().unwrap();
    let by_name = |n: &str| rows.iter().find(|r| r["period"] == n).unwrap_or_else(|| panic!("{n}: {rep}"));
    if let Some(o) = oracle("codex_count.py", &[fixtures().join("codex-real").as_os_str(), CODEX_NOW.as_ref()]) {
        let w = &o["week"];
        let n = |k: &str| w[k].as_u64().unwrap();
        let want = (
            n("entries"),
            n("input"),
            n("output"),
            n("cache_creation"),
            n("cache_read"),
            w["cost_usd"].as_f64().unwrap(),
        );
        let got = row(by_name("desk"));
        assert_eq!((got.0, got.1, got.2, got.3, got.4), (want.0, want.1, want.2, want.3, want.4));
        assert!((got.5 - want.5).abs() < 1e-6, "{got:?} {want:?}");
    }
    let projects = fixtures().join("claude-real/projects");
    if let Some(o) = oracle("claude_report.py", &[projects.as_os_str(), NOW.as_ref(), "UTC".as_ref()]) {
        let models = o["model"].as_object().unwrap();
        let sum = |k: &str| models.values().map(|m| m[k].as_u64().unwrap()).sum::<u64>();
        let cost: f64 = models.values().map(|m| m["cost_usd"].as_f64().unwrap()).sum();
        let got = row(by_name("laptop"));
        assert_eq!(
            (got.0, got.1, got.2, got.3, got.4),
            (sum("entries"), sum("input"), sum("output"), sum("cache_creation"), sum("cache_read"))
        );
        assert!((got.5 - cost).abs() < 1e-5, "{got:?} {cost}");
    }
    let t = &rep["totals"];
    let n = |k: &str| t[k].as_u64().unwrap();
    let (d, l) = (row(by_name("desk")), row(by_name("laptop")));
    let tokens = (n("inputTokens"), n("outputTokens"), n("cacheCreationTokens"), n("cacheReadTokens"));
    assert_eq!(tokens, (d.1 + l.1, d.2 + l.2, d.3 + l.3, d.4 + l.4));
    assert!((t["totalCost"].as_f64().unwrap() - d.5 - l.5).abs() < 1e-6);
    assert_eq!(rep["runway"]["otherDevices"]["devices"], 0, "every device is in these rows");
    // Any other grouping is this device's calls alone, and says what it leaves out: the laptop's cost.
    let by_day = b.report("day");
    assert!((by_day["totals"]["totalCost"].as_f64().unwrap() - d.5).abs() < 1e-6, "{by_day}");
    let left = &by_day["runway"]["otherDevices"];
    assert_eq!(left["devices"], 1, "{left}");
    assert!((left["totalCost"].as_f64().unwrap() - l.5).abs() < 1e-6, "{left} vs {}", l.5);
    let text = stdout(&b.cmd().args(["--now", CODEX_NOW, "report"]).output().unwrap());
    let said = format!("(this device's use alone: 1 other device in the sync folder spent ${:.2} in this range;", l.5);
    assert!(text.contains(&said), "{text}");
}

#[test]
fn a_prompt_sees_another_devices_file_change() {
    // A prompt reads the other devices through a copy kept while the folder looks the same: a file
    // rewritten with a newer reading is read again at the next prompt, not the kept figure.
    let shared = tempfile::tempdir().unwrap();
    let (a, b) = (Device::claude(shared.path()), Device::codex(shared.path()));
    a.reading(NOW);
    a.status(NOW);
    assert_eq!(b.prompt(NOW), "5h 23% ↻1h40m");
    assert_eq!(b.prompt(NOW), "5h 23% ↻1h40m", "from the kept copy");
    // A sees 31% five minutes later and writes its file again (due: its file is over a minute old).
    const LATER: &str = "2026-02-12T21:35:00Z";
    a.reading_of(LATER, 31.0);
    a.age_file();
    a.status(LATER);
    assert_eq!(b.prompt(LATER), "5h 31% ↻1h35m");
}

#[test]
fn an_idle_device_starts_no_helper_at_every_prompt() {
    // The device's file is over a minute old and nothing new was read since it was last looked at:
    // a prompt has nothing to give the helper. (It once started one at every prompt, to find the
    // figures unchanged and leave the file as it was: 21 ms a prompt instead of 2.)
    let shared = tempfile::tempdir().unwrap();
    let a = Device::claude(shared.path());
    a.status(NOW);
    let file = a.file();
    let old = a.age_file();
    for _ in 0..2 {
        let o = a.cmd().env_remove("RUNWAY_NO_HELPER").args(["prompt", "--shell", "plain"]).output().unwrap();
        assert_quiet(&o);
    }
    // A helper, had one started, would have written the file as of now within this time.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert_eq!(mtime, old, "the file was written again");
}

#[test]
fn a_sync_folder_that_is_missing_or_no_folder_is_said_and_never_made() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    for (sync, says) in [(d.path().join("Sycn"), "does not exist"), (file, "is not a folder")] {
        let a = Device::claude(&sync);
        let o = a.cmd().args(["--now", NOW, "status"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "the figures still come");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("cannot write this device's file") && err.contains(says), "{err}");
        // A replay writes no file: it leaves what the last write found.
        a.s.cmd().env("RUNWAY_SYNC_DIR", &sync).args(["--now", NOW, "status"]).output().unwrap();
        let doctor = String::from_utf8_lossy(&a.cmd().arg("doctor").output().unwrap().stdout).into_owned();
        assert!(doctor.contains(&format!("PROBLEM   sync_dir {}", sync.display())), "{doctor}");
        assert!(doctor.contains("seen by `sync folder`"), "{doctor}");
    }
    assert!(!d.path().join("Sycn").exists(), "a misspelt folder is not made");
}

#[test]
fn a_device_learns_the_accounts_limit_from_every_devices_windows() {
    // The generated month on one device, and the same calls again on another (its own copy: another
    // device's use, counted apart) that shares the folder: the account's windows of the last eight
    // days, whose use the other device's file carries, cost twice this device's blocks. Then the
    // limit learned is twice the largest of those, where alone it was its own largest block (older).
    let (now, end) = ("2026-03-22T12:00:00Z", "2026-03-31T12:00:00Z");
    let d = tempfile::tempdir().unwrap();
    let a = Device { s: Sandbox::empty(), sync: d.path().to_path_buf(), name: "laptop" };
    runway_synth::claude_history(
        &a.s.claude_dir(),
        3 << 20,
        30,
        end.parse::<jiff::Timestamp>().unwrap().as_millisecond(),
        7,
    )
    .unwrap();
    let b = Device { s: Sandbox::empty(), sync: d.path().to_path_buf(), name: "desk" };
    copy_tree(&a.s.projects(), &b.s.projects());
    let Some(v) = oracle("claude_count.py", &[a.s.projects().as_os_str(), now.as_ref()]) else { return };
    let t = now.parse::<jiff::Timestamp>().unwrap().as_millisecond();
    let (h5, day) = (5 * 3_600_000, 24 * 3_600_000);
    let blocks: Vec<(i64, f64)> = v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["first_ms"].as_i64().unwrap() / 3_600_000 * 3_600_000, b["cost_usd"].as_f64().unwrap()))
        .filter(|(start, _)| start + h5 <= t)
        .collect();
    let largest = |from: i64| blocks.iter().filter(|b| b.0 >= from).map(|b| b.1).fold(0.0, f64::max);
    let (own, recent) = (largest(i64::MIN), largest(t - 8 * day + h5));
    assert!(2.0 * recent > own, "the history does not show it: ${own} against twice ${recent}");
    let limit = |v: &Value| {
        let l = &v["claude"]["limit"];
        assert_eq!(l["learned_from"], "largest completed block", "{l}");
        l["cost_usd"].as_f64().unwrap()
    };
    assert!((limit(&a.s.status(now)) - own).abs() < 1e-6, "alone: its own largest block");
    b.status(now);
    let first = a.status(now);
    let with_b = limit(&first);
    assert!(
        (with_b - 2.0 * recent).abs() < 1e-6,
        "with the other device ${with_b}, the account's largest ${}",
        2.0 * recent
    );
    // The account's walks (its completed windows, the end of the one running) are kept for the next
    // run over the same use in the same minute, which answers the same from them.
    let kept = std::fs::read_to_string(a.s.db().join("calibration")).unwrap();
    assert!(["account claude ", "window-end claude "].iter().all(|k| kept.contains(k)), "{kept}");
    let again = a.status(now);
    assert!((limit(&again) - with_b).abs() < 1e-6);
    assert_eq!(again["claude"], first["claude"]);
}

#[test]
fn a_device_whose_cache_was_made_anew_counts_once() {
    // The laptop's cache directory is lost and made anew: a new id, and a second file beside the
    // first, which no one deletes. The desk counts the laptop's calls once, not twice.
    let shared = tempfile::tempdir().unwrap();
    let (a, b) = (Device::claude(shared.path()), Device::codex(shared.path()));
    a.status(NOW);
    let laptop = |v: &Value| -> Vec<u64> {
        let devices = v["devices"].as_array().unwrap();
        let of_laptop = devices.iter().filter(|d| d["name"] == "laptop");
        of_laptop.map(|d| d["windows"]["claude"]["five_hour"]["entries"].as_u64().unwrap()).collect()
    };
    let once = laptop(&b.status(NOW));
    let report_once = b.report("device")["totals"]["totalCost"].as_f64().unwrap();
    assert!(once.len() == 1 && once[0] > 0, "{once:?}");
    std::fs::remove_dir_all(a.s.cache()).unwrap();
    a.status(NOW);
    assert_eq!(
        std::fs::read_dir(shared.path().join("runway")).unwrap().count(),
        3,
        "the desk's and two of the laptop's"
    );
    assert_eq!(laptop(&b.status(NOW)), once);
    assert_eq!(b.report("device")["totals"]["totalCost"].as_f64().unwrap(), report_once);
    let doctor = stdout(&b.cmd().args(["--now", NOW, "doctor"]).output().unwrap());
    assert!(doctor.contains("an id its cache had before"), "{doctor}");
}

#[test]
fn two_devices_of_one_name_read_apart() {
    // Two hosts both called `laptop` (a default host name): each row and each line says which is
    // which by its id's first digits, and the report says which one is this device.
    let shared = tempfile::tempdir().unwrap();
    let a = Device::claude(shared.path());
    let b = Device { name: "laptop", ..Device::codex(shared.path()) };
    a.reading(NOW);
    a.status(NOW);
    b.status(CODEX_NOW);
    let id = |d: &Device| {
        let text = std::fs::read_to_string(d.s.cache().join("device-id")).unwrap();
        text.lines().last().unwrap()[..6].to_owned()
    };
    let (ida, idb) = (id(&a), id(&b));
    let text = stdout(&b.cmd().args(["report", "--by", "device"]).output().unwrap());
    assert!(text.contains(&format!("laptop {idb} (this device)")), "{text}");
    assert!(text.contains(&format!("laptop {ida} ")), "{text}");
    let text = stdout(&b.cmd().args(["--now", NOW, "status"]).output().unwrap());
    assert!(text.contains(&format!("laptop {idb} (this device) $")), "{text}");
    assert!(text.contains(&format!("laptop {ida} $")), "{text}");
}

#[test]
fn a_window_another_device_opened_says_this_devices_part_and_its_own_block() {
    // The desk did the laptop's sessions again an hour earlier (its own calls), so it opened the
    // account's window an hour before the laptop's own block began. The laptop's `status` gives its
    // calls in the window (what its sessions add up to), then its block, said to be its own: the
    // block alone under the window read as the window's, beside sessions worth more than it.
    let shared = tempfile::tempdir().unwrap();
    let a = Device::claude(shared.path());
    let b = Device { s: Sandbox::empty(), sync: shared.path().to_path_buf(), name: "desk" };
    for f in walk(&a.s.projects()) {
        let to = b.s.projects().join(f.strip_prefix(a.s.projects()).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let text: String = std::fs::read_to_string(&f)
            .unwrap()
            .lines()
            .map(|l| match serde_json::from_str::<Value>(l) {
                Ok(mut v) if v["timestamp"].is_string() => {
                    let t = v["timestamp"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap();
                    v["timestamp"] = Value::from((t - jiff::SignedDuration::from_hours(1)).to_string());
                    v.to_string() + "\n"
                }
                _ => format!("{l}\n"),
            })
            .collect();
        std::fs::write(to, text).unwrap();
    }
    b.status(NOW);
    let text = stdout(&a.cmd().args(["--now", NOW, "status", "--color", "never"]).output().unwrap());
    let line =
        |k: &str| text.lines().find(|l| l.trim_start().starts_with(k)).unwrap_or_else(|| panic!("{text}")).to_owned();
    let (window, block) = (line("window"), line("block"));
    assert!(window.ends_with("on this device"), "{text}");
    assert!(block.ends_with("on this device, its own block"), "{text}");
    let since = |l: &str| l.split(" since ").nth(1).unwrap()[..5].to_owned();
    assert!(since(&window) < since(&block), "the window began first: {text}");
    // A service's reading whose window began after the block did (21:01, its reset at 02:01): the
    // block came first, nothing to tell apart (a reading's window is rarely on the hour, a block always).
    let rl = serde_json::json!({ "five_hour": { "used_percentage": 30.0, "resets_at": 1_770_948_060 } });
    let o =
        output_with_input(a.cmd().args(["--now", NOW, "statusline"]), payload(&a.s, Some(rl)).to_string().as_bytes());
    assert!(o.status.success());
    let text = stdout(&a.cmd().args(["--now", NOW, "status", "--color", "never"]).output().unwrap());
    assert!(!text.lines().any(|l| l.trim_start().starts_with("window")), "{text}");
    assert!(text.lines().any(|l| l.trim_start().starts_with("block") && l.ends_with("on this device")), "{text}");
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}
