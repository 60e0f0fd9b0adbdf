//! The replication a synced directory stands on, for real: two Syncthing instances on loopback share a
//! folder, and what one device writes the other reads whole and byte for byte, also when the file is
//! replaced by a rename. How long that takes is printed, never asserted: performance is measured by
//! benchmarks, not by timed tests.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::host::have;
use common::syncthing::{Device, Pair, Scanning};

const WITHIN: Duration = Duration::from_secs(60);

/// A line `cargo test` shows even when the test passes (it captures only what `eprintln!` prints).
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Every path under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
            if e.file_type().unwrap().is_dir() {
                todo.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Writes `bytes` to `rel` on `from` (replacing it whole when `replace`), asks for a scan when
/// `rescan`, and returns how long until `to` holds them.
fn send(from: &Device, to: &Device, rel: &str, bytes: &[u8], replace: bool, rescan: bool) -> Duration {
    let start = Instant::now();
    if replace {
        from.replace(rel, bytes);
    } else {
        from.write(rel, bytes);
    }
    if rescan {
        from.rescan();
    }
    to.wait_for_file(rel, bytes, WITHIN);
    start.elapsed()
}

#[test]
fn what_a_writes_b_reads_whole() {
    if !have("syncthing") {
        return;
    }
    let p = Pair::start();
    let rel = "state/a.json";
    let new = send(&p.a, &p.b, rel, b"{\"device\":\"a\",\"n\":1}\n", false, false);
    let replaced = send(&p.a, &p.b, rel, b"{\"device\":\"a\",\"n\":2,\"longer\":true}\n", true, false);
    // The size of the first: only its time and its bytes tell it apart.
    let rescanned = send(&p.a, &p.b, rel, b"{\"device\":\"a\",\"n\":3}\n", true, true);
    // Both ways: B's own file reaches A.
    let back = send(&p.b, &p.a, "state/b.json", b"{\"device\":\"b\"}\n", true, true);

    // Once all is scanned and in sync, both folders hold the two files and nothing else: no temporary
    // file of a replacement, no conflict copy.
    p.a.rescan();
    p.b.rescan();
    p.wait_in_sync(WITHIN);
    let expected = [".stfolder", "state", "state/a.json", "state/b.json"];
    assert_eq!(listing(&p.a.folder), expected);
    assert_eq!(listing(&p.b.folder), expected);
    say(&format!(
        "sync_engine: A to B: new file {new:.2?}, replaced {replaced:.2?} (watcher); replaced and rescanned \
         {rescanned:.2?}; B to A, rescanned {back:.2?}"
    ));
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2 }
}

/// Median latency over ten replacements each: left to the watcher; with a rescan asked for at once,
/// back to back; and with a rescan after two idle seconds, as runway's writes would come. Only the
/// watcher and explicit rescans act here: the periodic scan is an hour away.
#[test]
#[ignore = "a measurement, run by hand: cargo test --test sync_engine -- --ignored"]
fn latency() {
    if !have("syncthing") {
        return;
    }
    let p = Pair::start_with(Scanning { watcher: true, interval_s: 3600 });
    let series = |label: &str, rescan: bool, idle: Duration| {
        let took: Vec<Duration> = (0..10)
            .map(|i| {
                std::thread::sleep(idle);
                send(&p.a, &p.b, "a.json", format!("{{\"{label}\":{i}}}\n").as_bytes(), true, rescan)
            })
            .collect();
        say(&format!("sync_engine latency, {label}: median {:.2?} of {took:.2?}", median(took.clone())));
    };
    series("watcher only", false, Duration::ZERO);
    series("rescan, back to back", true, Duration::ZERO);
    series("rescan after 2 s idle", true, Duration::from_secs(2));
}
