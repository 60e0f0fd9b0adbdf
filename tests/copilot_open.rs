//! A GitHub Copilot CLI session still open: its shutdown (which carries the input side) not yet
//! written. `status` says so, a prompt marks its figures a floor (`+`), and the shutdown arriving
//! later adds the input side and ends the mark; the figures then equal a fresh read.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;

use common::agents::*;
use common::*;

const NOW: &str = "2026-12-01T00:00:00Z";

#[test]
fn a_copilot_shutdown_appended_later_adds_the_input_side() {
    let s = home_with(".copilot", &fixtures().join("agents/copilot"));
    let events = s.home().join(".copilot/session-state/2426852d-6cf5-4e90-be9f-e45fc6c7d5e4/events.jsonl");
    let text = std::fs::read_to_string(&events).unwrap();
    let cut = text.find("\"session.shutdown\"").map(|i| text[..i].rfind('\n').map_or(0, |n| n + 1)).unwrap();
    std::fs::write(&events, &text[..cut]).unwrap();
    let open = month_totals(&s, "copilot", NOW);
    // The shutdown (and anything after it) arrives.
    append(&events, &text.as_bytes()[cut..]);
    let closed = month_totals(&s, "copilot", NOW);
    assert!(closed["inputTokens"].as_u64() > open["inputTokens"].as_u64(), "{closed} vs {open}");
    assert_eq!(closed["outputTokens"], open["outputTokens"], "the calls were there already");
    same_as_fresh_at(&s, "copilot", NOW);
}

#[test]
fn status_says_a_copilot_session_is_still_open() {
    // Two of the fixture's sessions never wrote a shutdown (their input side never came): their last
    // calls, on 24 and 25 June, are in the week before 25 June 03:00, not in the week before 3 July.
    let s = home_with(".copilot", &fixtures().join("agents/copilot"));
    let status = |s: &Sandbox, now: &str| {
        let args = ["--now", now, "--providers", "copilot", "status"];
        stdout(&s.cmd().args(args).output().unwrap())
    };
    let line = |n: usize| match n {
        1 => "1 session of the last week has no end written (still running, or stopped without one)".to_owned(),
        n => format!("{n} sessions of the last week have no end written (still running, or stopped without one)"),
    };
    let (june, july) = ("2026-06-25T03:00:00Z", "2026-07-03T09:00:00Z");
    assert!(status(&s, june).contains(&line(2)), "{}", status(&s, june));
    // A replay before any of them: none (the files are there, their calls are not yet).
    assert!(!status(&s, "2026-06-01T00:00:00Z").contains("no end written"));
    assert!(!status(&s, july).contains("no end written"), "{}", status(&s, july));
    // A session of 3 July cut before its shutdown is open on 3 July; the shutdown arriving ends it.
    let events = s.home().join(".copilot/session-state/2426852d-6cf5-4e90-be9f-e45fc6c7d5e4/events.jsonl");
    let text = std::fs::read_to_string(&events).unwrap();
    let cut = text.find("\"session.shutdown\"").map(|i| text[..i].rfind('\n').map_or(0, |n| n + 1)).unwrap();
    std::fs::write(&events, &text[..cut]).unwrap();
    assert!(status(&s, july).contains(&line(1)), "{}", status(&s, july));
    append(&events, &text.as_bytes()[cut..]);
    assert!(!status(&s, july).contains("no end written"), "{}", status(&s, july));
}

/// A Copilot session still open (no shutdown yet) in the newest file, written in the last hour: the
/// prompt's figures are a floor (`+`), and `status --json` says `partial`; its shutdown arriving
/// makes them whole. Another session written since, complete, changes nothing; a session left open
/// in a file last written longer ago does not mark a prompt; one whose last call lies 84 KiB back
/// does. (Replayed at the sessions' time; the files' times are the clock's, and the hour is the
/// session's own, by its last event.)
#[test]
fn a_prompt_marks_a_copilot_session_still_open() {
    let july = "2026-07-03T09:00:00Z";
    let s = home_with(".copilot", &fixtures().join("agents/copilot"));
    let sessions = s.home().join(".copilot/session-state");
    let ago = |mins: u64| std::time::SystemTime::now() - std::time::Duration::from_secs(mins * 60);
    let set_mtime = |p: &Path, t| std::fs::File::options().append(true).open(p).unwrap().set_modified(t).unwrap();
    for dir in std::fs::read_dir(&sessions).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            set_mtime(&f.unwrap().path(), ago(2 * 24 * 60));
        }
    }
    let events = sessions.join("2426852d-6cf5-4e90-be9f-e45fc6c7d5e4/events.jsonl");
    let text = std::fs::read_to_string(&events).unwrap();
    let cut = text.find("\"session.shutdown\"").map(|i| text[..i].rfind('\n').map_or(0, |n| n + 1)).unwrap();
    std::fs::write(&events, &text[..cut]).unwrap();
    set_mtime(&events, ago(10));
    let prompt = |s: &Sandbox| {
        stdout(&s.cmd().args(["--now", july, "--providers", "copilot", "prompt", "--shell", "plain"]).output().unwrap())
    };
    let partial = |s: &Sandbox| {
        let v = json_of(&s.cmd().args(["--now", july, "--providers", "copilot", "status", "--json"]).output().unwrap());
        // The month's gauge, and the 5-hour window's place, which has no gauge of Copilot's.
        assert_eq!(v["copilot"]["limit"]["partial"], v["copilot"]["month"]["partial"]);
        v["copilot"]["month"]["partial"].clone()
    };
    s.cmd().args(["--now", july, "--providers", "copilot", "catch-up"]).output().unwrap();
    assert!(prompt(&s).contains("+ req"), "{}", prompt(&s));
    assert_eq!(partial(&s), true);
    // Another session, complete, written since: the open one still counts.
    let other = sessions.join("c3f091b3-1a1f-435f-8acb-6c7520106212/events.jsonl");
    set_mtime(&other, ago(5));
    // (A file set back in time is taken in by the next walk, within a minute; catch-up walks now.)
    s.cmd().args(["--now", july, "--providers", "copilot", "catch-up"]).output().unwrap();
    assert!(prompt(&s).contains("+ req"), "{}", prompt(&s));
    append(&events, &text.as_bytes()[cut..]);
    set_mtime(&events, ago(5));
    assert!(prompt(&s).contains(" req") && !prompt(&s).contains('+'), "{}", prompt(&s));
    assert_eq!(partial(&s), false);
    // Open again, its last event more than an hour before the prompt: not this prompt's business,
    // whatever the file's time (a file copied in is written now: the hour is the session's own).
    std::fs::write(&events, &text[..cut]).unwrap();
    set_mtime(&events, ago(5));
    let later = "2026-07-03T09:40:00Z";
    let o = s.cmd().args(["--now", later, "--providers", "copilot", "prompt", "--shell", "plain"]).output().unwrap();
    assert!(!stdout(&o).contains('+'), "{}", stdout(&o));
    assert!(prompt(&s).contains("+ req"), "at 09:00 it was open: {}", prompt(&s));
    // Open, with 84 KiB of tool results and hooks after its last call (the real session cut after
    // its 19th event): found beyond the first 64 KiB of its tail.
    let whole = std::fs::read_to_string(&other).unwrap();
    let first: String = whole.split_inclusive('\n').take(19).collect();
    std::fs::write(&other, &first).unwrap();
    let june = "2026-06-24T00:00:00Z";
    s.cmd().args(["--now", june, "--providers", "copilot", "catch-up"]).output().unwrap();
    let o = s.cmd().args(["--now", june, "--providers", "copilot", "prompt", "--shell", "plain"]).output().unwrap();
    assert!(stdout(&o).contains("+ req"), "{}", stdout(&o));
    // A prompt looks at the eight newest files of the last hour, no more: eight complete sessions
    // written since hide it (a history copied in must not cost a read of every file).
    let complete: Vec<_> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|d| d.unwrap().path().join("events.jsonl"))
        .filter(|f| f.exists() && *f != other && *f != events)
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("\"session.shutdown\""))
        .take(8)
        .collect();
    assert_eq!(complete.len(), 8);
    complete.iter().for_each(|f| set_mtime(f, ago(1)));
    set_mtime(&other, ago(10));
    s.cmd().args(["--now", june, "--providers", "copilot", "catch-up"]).output().unwrap();
    let o = s.cmd().args(["--now", june, "--providers", "copilot", "prompt", "--shell", "plain"]).output().unwrap();
    assert!(!stdout(&o).contains('+'), "{}", stdout(&o));
    let v = json_of(&s.cmd().args(["--now", june, "--providers", "copilot", "status", "--json"]).output().unwrap());
    assert_eq!(v["copilot"]["month"]["partial"], true, "status looks at every file of the hour");
}
