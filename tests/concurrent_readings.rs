//! Forty status lines drawn at once, their readings a second apart: every reading is kept, and the
//! newest is the one every surface shows (a busy lock is waited for, or the reading left beside it).
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::process::Stdio;

use common::*;
use serde_json::json;

/// 2026-02-12T21:30:00Z.
const NOW_S: i64 = 1_770_931_800;

#[test]
fn forty_status_lines_at_once_keep_every_reading() {
    let s = Sandbox::claude_fixture();
    let n = 40;
    let payloads: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let limits = json!({ "five_hour": { "used_percentage": 10 + i, "resets_at": NOW_S + 6000 } });
            payload(&s, Some(limits)).to_string().into_bytes()
        })
        .collect();
    // A root's file as a long session leaves it (50 readings of each window; 96 are kept), so that
    // each status line holds the lock as long as a real one does; and a warm cache, so that the
    // forty race over the readings, not over a first read.
    for i in 0..50 {
        let limits = json!({
            "five_hour": { "used_percentage": i % 7, "resets_at": NOW_S + 6000 },
            "seven_day": { "used_percentage": i, "resets_at": NOW_S + 86_400 }
        });
        let now = jiff::Timestamp::from_second(NOW_S - 7200 + 60 * i).unwrap().to_string();
        let mut c =
            s.cmd().args(["--now", &now, "statusline"]).stdin(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
        std::io::Write::write_all(c.stdin.as_mut().unwrap(), payload(&s, Some(limits)).to_string().as_bytes()).unwrap();
        drop(c.stdin.take());
        assert!(c.wait().unwrap().success());
    }
    let mut children = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let now = jiff::Timestamp::from_second(NOW_S + i as i64).unwrap().to_string();
        let mut c = s
            .cmd()
            .args(["--now", &now, "statusline"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        children.push((c.stdin.take().unwrap(), c, p));
    }
    // Every payload handed over (and closed) once all forty are running.
    let running: Vec<_> = children
        .into_iter()
        .map(|(mut input, c, p)| {
            std::io::Write::write_all(&mut input, p).unwrap();
            c
        })
        .collect();
    for c in running {
        assert_quiet(&c.wait_with_output().unwrap());
    }
    let last = jiff::Timestamp::from_second(NOW_S + n - 1).unwrap().to_string();
    let v = s.status(&last);
    assert_eq!(v["claude"]["rate_limits"]["five_hour"]["used_percent"], 10.0 + (n - 1) as f64, "the newest");
    let doctor = stdout(&s.run(&["--now", &last, "doctor"]));
    assert!(doctor.contains(&format!("claude   {} 5-hour", 50 + n)), "every one kept: {doctor}");
}
