//! Text runway did not write (model names from transcripts and payloads, paths) reaches a terminal,
//! tmux or Claude Code's status line without its control and bidi characters: a name cannot clear the
//! screen, set the window title, start a second line or turn the rest of the line around.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::Stdio;

use common::host::HOST_NOW;
use common::*;

/// Nothing that moves the cursor, starts an escape or reorders text. Colour escapes runway draws
/// itself are not asked for here (no terminal, `--color never`).
fn assert_inert(text: &str) {
    for c in text.chars() {
        assert!(
            c == '\n'
                || !(c.is_control()
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
                    || ['\u{2028}', '\u{2029}', '\u{200b}', '\u{feff}', '\u{ad}'].contains(&c)),
            "{c:?} in {text:?}"
        );
    }
}

#[test]
fn a_model_name_from_a_transcript() {
    // Written in the transcript as JSON escapes, as a hostile or broken writer would.
    let s = renamed(&[("claude-sonnet-4-5-20250929", "claude-zeta\\u001b[2J\\u001b]0;title\\u0007\\u202e-9\\nx")]);
    let text = stdout(&s.run(&["--now", HOST_NOW, "status", "--color", "never"]));
    assert!(text.contains("unpriced  claude-zeta"), "{text}");
    assert_inert(&text);
}

#[test]
fn a_model_name_from_a_payload() {
    let s = Sandbox::claude_fixture();
    let mut p = payload(&s, None);
    p["model"]["display_name"] = "Opus\u{1b}]0;title\u{7}\n4.6\u{202e}\u{2028}x\u{200b}\u{feff}".into();
    let mut child = s
        .cmd()
        .args(["--now", HOST_NOW, "--color", "never", "statusline"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&serde_json::to_vec(&p).unwrap()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_quiet(&o);
    let line = stdout(&o);
    assert_eq!(line.lines().count(), 1, "{line:?}");
    assert!(line.contains("Opus"), "{line:?}");
    assert_inert(&line);
}

#[test]
fn an_allowance_name_from_a_rollout_in_every_prompt() {
    // The name a Codex snapshot gives a weekly per-model allowance, 95% used: the segment shows it,
    // by its initial.
    let s = Sandbox::empty();
    let reset = "2026-02-15T23:00:00Z".parse::<jiff::Timestamp>().unwrap().as_second();
    let name = "\u{1b}]0;pwned\u{7}\u{9b}\u{202e}x";
    let limits = rate_limits_of("weekly:x", name, Some(limit_window(95.0, 10080, Some(reset), None)), None);
    Rollout::new("2026-02-12T20:59:00Z", "named", None)
        .turn("2026-02-12T20:59:01Z", "gpt-5.5")
        .count("2026-02-12T21:00:00Z", Some(([100, 0, 10, 0, 110], Some([100, 0, 10, 0, 110]))), Some(limits))
        .write(&s.codex_home(), "named");
    for shell in ["zsh", "bash", "fish", "tmux", "plain"] {
        let o = s.run(&["--now", HOST_NOW, "--color", "never", "prompt", "--shell", shell]);
        assert_quiet(&o);
        let text = stdout(&o);
        assert!(text.starts_with("0 7d 95%"), "{shell}: {text:?}");
        assert_inert(&text);
    }
}

#[test]
fn a_path_in_doctor_and_status() {
    // Named in doctor's roots, and in status when nothing is found there.
    let s = Sandbox::empty();
    let odd = s.dir.path().join("claude\u{1b}[31m\u{202e}dir");
    std::fs::create_dir_all(odd.join("projects")).unwrap();
    for args in [&["doctor"][..], &["status", "--color", "never"]] {
        let o = s.cmd().env("CLAUDE_CONFIG_DIR", &odd).args(args).output().unwrap();
        let text = stdout(&o);
        assert!(text.contains("claude") && text.contains("dir"), "{args:?}: {text}");
        assert_inert(&text);
    }
    // A zone file's path in `TZ`, which status names as its zone (inside a `zoneinfo/` folder, by
    // what follows it).
    let paris = std::path::Path::new("/usr/share/zoneinfo/Europe/Paris");
    if paris.exists() {
        let s = Sandbox::claude_fixture();
        for dir in ["zoneinfo/", "zones/"] {
            let zone = s.dir.path().join(format!("{dir}\u{1b}]0;title\u{7}\u{1b}[31mred\u{202e}"));
            std::fs::create_dir_all(zone.parent().unwrap()).unwrap();
            std::fs::copy(paris, &zone).unwrap();
            let o = s.cmd().env("TZ", &zone).args(["--now", HOST_NOW, "status", "--color", "never"]).output().unwrap();
            let text = stdout(&o);
            assert!(text.contains("(times in ") && text.contains("red"), "{dir}: {text}");
            assert_inert(&text);
        }
    }
}

/// The longest line of `text`, in characters.
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn names_of_900_kb_are_shown_as_their_first_characters() {
    let huge = "x".repeat(900_000);
    // A Claude Code model and a Codex allowance, each named by 900 KB.
    let s = renamed(&[("claude-sonnet-4-5-20250929", &format!("claude-{huge}"))]);
    let reset = 1_770_944_400;
    let limits = rate_limits_of("codex_huge", &huge, Some(limit_window(95.0, 300, Some(reset), None)), None);
    Rollout::new("2026-02-12T20:59:00Z", "huge", None)
        .turn("2026-02-12T20:59:01Z", &format!("gpt-{huge}"))
        .count("2026-02-12T21:00:00Z", Some(([1000, 0, 100, 0, 1100], Some([1000, 0, 100, 0, 1100]))), Some(limits))
        .write(&s.codex_home(), "huge");
    let runs: [&[&str]; 7] = [
        &["status", "--color", "never"],
        &["status", "--json"],
        &["report", "--by", "model", "--since", "2026-02-01"],
        &["report", "--by", "model", "--json", "--since", "2026-02-01"],
        &["report", "--by", "session", "--since", "2026-02-01"],
        &["doctor"],
        &["--set", "windows=all", "prompt", "--shell", "plain"],
    ];
    for args in runs {
        let o = s.cmd().args(["--now", HOST_NOW]).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}");
        let text = stdout(&o);
        assert!(widest(&text) <= 400, "{args:?}: a line of {} characters", widest(&text));
    }
    let json = stdout(
        &s.cmd()
            .args(["--now", HOST_NOW, "report", "--by", "model", "--json", "--since", "2026-02-01"])
            .output()
            .unwrap(),
    );
    // Kept as its first 255 characters and the mark.
    assert!(json.contains(&format!("\"claude-{}…\"", "x".repeat(255 - 7))), "cut where it was kept");
    let cache: u64 = walk_size(&s.cache());
    assert!(cache < 4 << 20, "the cache keeps the cut names: {cache} bytes");
}

fn walk_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let md = e.metadata().unwrap();
            if md.is_dir() { walk_size(&e.path()) } else { md.len() }
        })
        .sum()
}

#[test]
fn a_session_named_by_its_file_in_the_report() {
    // A session is named by its file; a name whose eighth byte falls inside a character was printed
    // whole, escapes and all.
    let s = Sandbox::claude_fixture();
    let real = s.projects().join("-home-USER-projects-spotter").join("8463c716-a2ea-4c14-9efa-87158ebd9f20.jsonl");
    std::fs::rename(&real, real.with_file_name("abcdefgé\u{1b}[2J\u{1b}]0;t\u{7}.jsonl")).unwrap();
    let o = s.run(&["--now", HOST_NOW, "report", "--by", "session", "--since", "2026-02-01", "--color", "never"]);
    assert_quiet(&o);
    let text = stdout(&o);
    assert!(text.contains("abcdefgé"), "{text}");
    assert_inert(&text);
}

#[test]
fn another_tools_status_line_is_shown_inert_when_init_claude_declines() {
    // `init claude --write` names the line it will not replace: that tool's text, which may set the
    // window's title, clear the screen or turn the line around.
    let s = Sandbox::claude_fixture();
    let settings = s.claude_dir().join("settings.json");
    let theirs = r#"{"statusLine": {"type": "command", "command": "echo hi\u001b]0;TITLE\u0007\u001b[2J\u202eevil"}}"#;
    std::fs::write(&settings, theirs).unwrap();
    let o = s.cmd().args(["init", "claude", "--write"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let why = String::from_utf8_lossy(&o.stderr);
    assert!(why.contains("another tool's") && why.contains("echo hi"), "{why}");
    assert_inert(&why);
}
