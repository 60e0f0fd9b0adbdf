//! Claude Desktop's usage history (`plan-usage-history.json`) as one more source of the service's
//! readings: its samples join the windows `.claude.json` or the status line gave the resets of, only
//! the organisation Claude Code is signed in to counts, a failed read (`u: {}`) is no figure, and the
//! newest figure wins wherever it came from. The two samples at 14:00 and 14:05 are a real file's, as
//! a public reader of it quotes them (wus-technik/win_systray-claude-usage, MIT; its org redacted).
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::*;
use serde_json::Value;

const NOW: &str = "2026-07-28T14:06:00Z";
const T: i64 = 1_785_247_200_000; // 2026-07-28T14:00:00Z

/// `.claude.json` signed in to `org`, its cached answer fetched at 12:00 (the 5 hours resetting at
/// 16:00, the week on 2026-08-01 at 09:00).
fn claude_json(org: &str) -> String {
    format!(
        r#"{{
  "numStartups": 3,
  "oauthAccount": {{ "accountUuid": "u-1", "organizationUuid": "{org}" }},
  "cachedUsageUtilization": {{
    "fetchedAtMs": {},
    "utilization": {{
      "five_hour": {{ "utilization": 41, "resets_at": "2026-07-28T16:00:00.000Z" }},
      "seven_day": {{ "utilization": 22, "resets_at": "2026-08-01T09:00:00.000Z" }}
    }}
  }}
}}"#,
        T - 2 * 3_600_000
    )
}

fn history(samples: &[(i64, &str, &str)]) -> String {
    let s: Vec<String> = samples.iter().map(|(t, org, u)| format!(r#"{{"t":{t},"org":"{org}","u":{u}}}"#)).collect();
    format!(r#"{{"version":2,"samples":[{}]}}"#, s.join(","))
}

fn status(s: &Sandbox, file: &std::path::Path) -> Value {
    json_of(
        &s.cmd().env("RUNWAY_CLAUDE_DESKTOP_HISTORY", file).args(["--now", NOW, "status", "--json"]).output().unwrap(),
    )
}

#[test]
fn samples_of_the_signed_in_organisation_are_readings() {
    let s = Sandbox::empty();
    std::fs::create_dir_all(s.claude_dir()).unwrap();
    std::fs::write(s.claude_dir().join(".claude.json"), claude_json("org-a")).unwrap();
    let file = s.dir.path().join("plan-usage-history.json");
    // The real pair (63% then 64%, the week at 29%), another organisation's 90% in between, and
    // five more organisations after it (a bound of four organisations by their newest sample once
    // left the one signed in out).
    let mut samples = vec![
        (T, "org-a", r#"{"fh":63,"sd":29,"xu":66.68333333333332}"#),
        (T + 150_000, "org-b", r#"{"fh":90,"sd":95}"#),
        (T + 300_144, "org-a", r#"{"fh":64,"sd":29}"#),
    ];
    samples.extend(["org-c", "org-d", "org-e", "org-f", "org-g"].map(|o| (T + 310_000, o, r#"{"fh":90,"sd":95}"#)));
    std::fs::write(&file, history(&samples)).unwrap();
    let v = status(&s, &file);
    let five = &v["claude"]["rate_limits"]["five_hour"];
    // The newest of org a's figures, in the 5-hour window `.claude.json` gave the reset of.
    assert_eq!(
        (five["used_percent"].as_f64(), five["resets_at"].as_str(), five["observed_at"].as_str()),
        (Some(64.0), Some("2026-07-28T16:00:00Z"), Some("2026-07-28T14:05:00.144Z"))
    );
    assert_eq!(v["claude"]["rate_limits"]["seven_day"]["used_percent"], 29.0);
    let limits = &v["claude"]["limits"];
    let from: Vec<(&str, &str)> = limits
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| (l["window"].as_str().unwrap_or(""), l["reported_by"].as_str().unwrap_or("")))
        .collect();
    assert!(from.contains(&("five_hour", "Claude Desktop")), "{limits}");
    // The segment: the service's 64%, not org b's 90%.
    let o = s
        .cmd()
        .env("RUNWAY_CLAUDE_DESKTOP_HISTORY", &file)
        .args(["--now", NOW, "--color", "never", "--set", "windows=all", "prompt", "--shell", "plain"])
        .output()
        .unwrap();
    assert!(stdout(&o).starts_with("5h 64% ↻1h54m"), "{}", stdout(&o));
}

#[test]
fn a_failed_read_is_no_figure_and_the_newest_organisation_is_followed_when_none_is_named() {
    let s = Sandbox::empty();
    let file = s.dir.path().join("history.json");
    // No `.claude.json`: nothing names the organisation, nor a reset. Org b's samples are the newest;
    // its 5-hour share rises from 0 between 13:00 and 13:10 (the window began at 13:05), and the last
    // sample is a failed read.
    let m = 60_000;
    std::fs::write(
        &file,
        history(&[
            (T - 60 * m, "org-b", r#"{"fh":0,"sd":40}"#),
            (T - 50 * m, "org-b", r#"{"fh":7,"sd":41}"#),
            (T - 30 * m, "org-a", r#"{"fh":0,"sd":99}"#),
            (T - 20 * m, "org-a", r#"{"fh":99,"sd":99}"#),
            (T, "org-b", r#"{"fh":12,"sd":42}"#),
            (T + 5 * m, "org-b", r#"{}"#),
        ]),
    )
    .unwrap();
    let v = status(&s, &file);
    let five = &v["claude"]["rate_limits"]["five_hour"];
    assert_eq!(
        (five["used_percent"].as_f64(), five["resets_at"].as_str()),
        (Some(12.0), Some("2026-07-28T18:05:00Z")),
        "{v}"
    );
    // The week's samples have no reset to join: no weekly figure is made up.
    assert_eq!(v["claude"]["rate_limits"]["seven_day"], Value::Null);
    // A replay before org b's last samples: org a's was the newest then, and is followed (the
    // newest of the whole file once left org a out, and the replay showed nothing).
    let mut replay = s.cmd();
    replay.env("RUNWAY_CLAUDE_DESKTOP_HISTORY", &file).args(["--now", "2026-07-28T13:45:00Z", "status", "--json"]);
    let five = json_of(&replay.output().unwrap())["claude"]["rate_limits"]["five_hour"].clone();
    assert_eq!((five["used_percent"].as_f64(), five["resets_at"].as_str()), (Some(99.0), Some("2026-07-28T18:35:00Z")));
}

#[test]
fn the_organisation_named_is_followed_with_no_answer_in_its_file() {
    // `.claude.json` signed in to org a, with no usage answer cached: org a's samples all the same,
    // not the newer ones of org b (its 90% is another organisation's quota).
    let s = Sandbox::empty();
    std::fs::create_dir_all(s.claude_dir()).unwrap();
    std::fs::write(s.claude_dir().join(".claude.json"), r#"{"oauthAccount": {"organizationUuid": "org-a"}}"#).unwrap();
    let file = s.dir.path().join("history.json");
    let m = 60_000;
    let samples = [
        (T - 10 * m, "org-a", r#"{"fh":0,"sd":30}"#),
        (T - 5 * m, "org-a", r#"{"fh":25,"sd":31}"#),
        (T, "org-b", r#"{"fh":0,"sd":95}"#),
        (T + 5 * m, "org-b", r#"{"fh":90,"sd":95}"#),
    ];
    std::fs::write(&file, history(&samples)).unwrap();
    let five = status(&s, &file)["claude"]["rate_limits"]["five_hour"].clone();
    assert_eq!(five["used_percent"].as_f64(), Some(25.0), "{five}");
    // Past its bound (4 MiB; the app's month is some 200 KB) the file is not read, and doctor says so.
    std::fs::write(&file, history(&samples) + &" ".repeat(4 << 20)).unwrap();
    assert_eq!(status(&s, &file)["claude"]["rate_limits"]["five_hour"], Value::Null);
    let doctor = stdout(&s.cmd().env("RUNWAY_CLAUDE_DESKTOP_HISTORY", &file).arg("doctor").output().unwrap());
    assert!(doctor.contains("Claude Desktop ") && doctor.contains("larger than 4.0 MiB: not read"), "{doctor}");
}

#[test]
fn a_refused_path_is_not_read() {
    // A relative path is refused (it would be a file of its own in every shell's directory): the
    // prompt says so with its marker, and reads no file by that name where it happens to run.
    let s = Sandbox::empty();
    std::fs::create_dir_all(s.claude_dir()).unwrap();
    std::fs::write(s.claude_dir().join(".claude.json"), claude_json("org-a")).unwrap();
    std::fs::write(s.dir.path().join("plan.json"), history(&[(T, "org-a", r#"{"fh":63,"sd":29}"#)])).unwrap();
    let prompt = |value: &str| {
        let o = s
            .cmd()
            .current_dir(s.dir.path())
            .env("RUNWAY_CLAUDE_DESKTOP_HISTORY", value)
            .args(["--now", NOW, "--color", "never", "prompt", "--shell", "plain"])
            .output()
            .unwrap();
        stdout(&o)
    };
    let whole = s.dir.path().join("plan.json").display().to_string();
    assert!(prompt(&whole).starts_with("5h 63% "), "given whole, read: {}", prompt(&whole));
    assert_eq!(prompt("plan.json"), "5h 41% ↻1h54m · runway: see doctor", ".claude.json's 41% alone");
}

/// A sample stamped ahead of the clock is none: one dated nine days ahead (a clock set wrong for a
/// while, then put right) hid every real sample, more than eight days before it, and the service's
/// figure with them. On the present clock, as a prompt runs, whatever the file's own time.
#[test]
fn a_sample_from_the_future_hides_no_real_one() {
    let s = Sandbox::empty();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let (m, h) = (60_000, 3_600_000);
    let iso = |ms: i64| jiff::Timestamp::from_millisecond(ms).unwrap().to_string();
    std::fs::create_dir_all(s.claude_dir()).unwrap();
    let answer = format!(
        r#"{{"oauthAccount": {{ "organizationUuid": "org-a" }}, "cachedUsageUtilization": {{ "fetchedAtMs": {},
        "utilization": {{ "five_hour": {{ "utilization": 41, "resets_at": "{}" }} }} }} }}"#,
        now - h,
        iso(now + 2 * h)
    );
    std::fs::write(s.claude_dir().join(".claude.json"), answer).unwrap();
    let file = s.dir.path().join("plan-usage-history.json");
    let samples = [
        (now - 10 * m, "org-a", r#"{"fh":35,"sd":20}"#),
        (now - 5 * m, "org-a", r#"{"fh":36,"sd":20}"#),
        (now + 9 * 24 * h, "org-a", r#"{"fh":1,"sd":1}"#),
    ];
    std::fs::write(&file, history(&samples)).unwrap();
    let five = || {
        let v =
            json_of(&s.cmd().env("RUNWAY_CLAUDE_DESKTOP_HISTORY", &file).args(["status", "--json"]).output().unwrap());
        v["claude"]["rate_limits"]["five_hour"].clone()
    };
    assert_eq!(five()["used_percent"].as_f64(), Some(36.0), "{}", five());
    // Written by the clock that was wrong (its time nine days ahead), or touched twenty minutes back
    // (a share whose clock lags): the same.
    let at = |ms: i64| std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms as u64);
    for t in [now + 9 * 24 * h, now - 20 * m] {
        std::fs::File::options().append(true).open(&file).unwrap().set_modified(at(t)).unwrap();
        assert_eq!(five()["used_percent"].as_f64(), Some(36.0), "{}", five());
    }
}
