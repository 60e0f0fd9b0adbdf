//! Two devices through two real Syncthing instances on loopback (see `common::syncthing`): A's calls
//! and A's reading reach B's status and prompt, with A's figures equal to the independent count of
//! A's history. How long that takes is printed, never asserted.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::time::{Duration, Instant};

use common::devices::Device;
use common::host::have;
use common::syncthing::Pair;

const NOW: &str = "2026-02-12T21:30:00Z";
const WITHIN: Duration = Duration::from_secs(60);

#[test]
fn a_syncthing_folder_carries_the_files() {
    if !have("syncthing") {
        return;
    }
    let pair = Pair::start();
    let (a, b) = (Device::claude(&pair.a.folder), Device::codex(&pair.b.folder));
    a.reading(NOW);
    // From A's write to B's prompt showing it, Syncthing's watcher noticing the change by itself.
    let started = Instant::now();
    a.status(NOW);
    let file = a.file();
    let rel = format!("runway/{}", file.file_name().unwrap().to_string_lossy());
    let bytes = std::fs::read(&file).unwrap();
    pair.b.wait_for_file(&rel, &bytes, WITHIN);
    let mut shown = String::new();
    while started.elapsed() < WITHIN {
        shown = b.prompt(NOW);
        if shown == "5h 23% ↻1h40m" {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = started.elapsed();
    assert_eq!(shown, "5h 23% ↻1h40m", "B's prompt shows A's reading");
    {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "A's file to B's prompt through Syncthing: {} ms", took.as_millis());
    }
    let v = b.status(NOW);
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.iter().map(|d| d["name"].as_str().unwrap()).collect::<Vec<_>>(), ["desk", "laptop"]);
    // A's week as the independent count finds it (tests/oracle/claude_count.py on the fixture at
    // 21:30): 465 calls, $34.003789.
    let week = &devices[1]["windows"]["claude"]["seven_day"];
    assert_eq!((week["entries"].as_u64(), week["cost_usd"].as_f64()), (Some(465), Some(34.003789)), "{week}");
    // Nothing but the two devices' files travelled: no temporary file, no conflict copy.
    b.status(NOW);
    pair.b.rescan();
    pair.wait_in_sync(WITHIN);
    let names: Vec<String> = std::fs::read_dir(pair.a.folder.join("runway"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".device") && n.len() == 23), "{names:?}");
}
