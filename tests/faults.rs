//! Faults of the files read (the run's own are in run_faults.rs): each ends with the same totals as
//! a fresh full read of the same files, and prompt mode prints a segment or nothing, exits 0 and
//! keeps stderr empty.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

const NOW: &str = "2026-02-12T21:30:00Z";
const LAST: &str = "8463c716-a2ea-4c14-9efa-87158ebd9f20";

#[test]
fn appended_in_pieces_equals_a_fresh_read() {
    // Every file grows from empty in uneven pieces, cut anywhere (mid-line, mid-UTF-8), with a run
    // after each piece: streaming lines whose output_tokens grow land in different invocations,
    // subagent copies arrive before or after the parent's, and compaction happens many times.
    let full = Sandbox::claude_fixture();
    let s = Sandbox::empty();
    let files: Vec<_> = walk(&full.projects());
    let mut contents = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(full.projects()).unwrap();
        let dest = s.projects().join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, b"").unwrap();
        contents.push((dest, std::fs::read(f).unwrap(), 0usize));
    }
    let mut step = 0u64;
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    loop {
        let mut progressed = false;
        for (dest, bytes, at) in contents.iter_mut() {
            if *at >= bytes.len() {
                continue;
            }
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let n = 1 + (rng % 400_000) as usize;
            let end = (*at + n).min(bytes.len());
            append(dest, &bytes[*at..end]);
            *at = end;
            progressed = true;
        }
        if !progressed {
            break;
        }
        step += 1;
        let o = s.cmd().env("RUNWAY_MAX_DELTA", "150").args(["--now", NOW, "prompt"]).output().unwrap();
        assert_quiet(&o);
        if step.is_multiple_of(4) {
            s.assert_same_as_fresh(NOW);
        }
    }
    assert!(step > 5, "the files were fed in {step} steps");
    s.assert_same_as_fresh(NOW);
    assert_eq!(figures(&s.status(NOW)), figures(&full.status(NOW)));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn half_written_last_line() {
    let s = Sandbox::claude_fixture();
    let path = s.session(LAST);
    let bytes = std::fs::read(&path).unwrap();
    let cut = bytes.len() - 700; // inside the last line
    std::fs::write(&path, &bytes[..cut]).unwrap();
    s.quiet_prompt(NOW);
    s.assert_same_as_fresh(NOW);
    append(&path, &bytes[cut..]);
    s.quiet_prompt(NOW);
    s.assert_same_as_fresh(NOW);
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 465);
}

/// A folder renamed (a project's after its repository moved, a month of Codex rollouts) is read under
/// its new name at once: its calls vanished until the next full walk, a minute later, because its
/// identity was known by the old name.
#[test]
fn a_renamed_folder_is_read_under_its_new_name() {
    let s = Sandbox::claude_fixture();
    copy_tree(&fixtures().join("codex-real/sessions"), &s.codex_home().join("sessions"));
    let codex_now = "2026-05-11T23:00:00Z";
    s.quiet_prompt(NOW);
    s.run(&["--now", codex_now, "report"]);
    let project = std::fs::read_dir(s.projects()).unwrap().next().unwrap().unwrap().path();
    std::fs::rename(&project, s.projects().join("-home-USER-projects-moved")).unwrap();
    s.quiet_prompt(NOW);
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 465);
    s.assert_same_as_fresh(NOW);
    let year = s.codex_home().join("sessions/2026");
    std::fs::rename(year.join("05"), year.join("06")).unwrap();
    let calls = |v: serde_json::Value| v["totals"]["totalTokens"].clone();
    let report = |cache: Option<&Path>| {
        let mut c = cache.map_or_else(|| s.cmd(), |d| s.cmd_with_cache(d));
        json_of(&c.args(["--now", codex_now, "report", "--json"]).output().unwrap())
    };
    let fresh = tempfile::tempdir().unwrap();
    let want = calls(report(Some(fresh.path())));
    assert!(want.as_u64().unwrap() > 0, "{want}");
    assert_eq!(calls(report(None)), want);
}

#[test]
fn truncated_replaced_rewritten_and_deleted_files() {
    let s = Sandbox::claude_fixture();
    s.quiet_prompt(NOW);
    let path = s.session(LAST);
    let bytes = std::fs::read(&path).unwrap();

    // Truncated to its first half (at a line end).
    let half = bytes[..bytes.len() / 2].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    std::fs::write(&path, &bytes[..half]).unwrap();
    s.quiet_prompt(NOW);
    s.assert_same_as_fresh(NOW);

    // Replaced by a new file (new inode) through a rename, as editors and sync tools do.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, &bytes).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    s.quiet_prompt(NOW);
    s.assert_same_as_fresh(NOW);
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 465);

    // Rewritten in place to the same size: same inode, same length, other bytes before the offset.
    let mut other = bytes.clone();
    let at = other.len() - 300;
    let pos = other[..at].iter().rposition(|&b| b == b'"').unwrap();
    other[pos - 1] = if other[pos - 1] == b'a' { b'b' } else { b'a' };
    std::fs::write(&path, &other).unwrap();
    s.quiet_prompt(NOW);
    s.assert_same_as_fresh(NOW);

    // Deleted: what it contributed is gone, and the subagent copies it shadowed count again.
    std::fs::remove_file(&path).unwrap();
    s.quiet_prompt(NOW);
    s.assert_same_as_fresh(NOW);
    assert!(s.status(NOW)["claude"]["week"]["entries"].as_u64().unwrap() < 465);
}

#[test]
fn malformed_lines_are_skipped_and_counted() {
    let s = Sandbox::claude_fixture();
    let want = figures(&s.fresh_status(NOW));
    let line = std::fs::read_to_string(s.session(LAST))
        .unwrap()
        .lines()
        .find(|l| l.contains(r#""type":"assistant""#))
        .unwrap()
        .to_owned();
    let bad = [
        line.replacen(r#""output_tokens":"#, r#""output_tokens":-"#, 1),
        line.replacen(r#""input_tokens":"#, r#""input_tokens":1.5e0,"x":"#, 1),
        line.replacen(r#""cache_read_input_tokens":"#, r#""cache_read_input_tokens":"7","y":"#, 1),
        line.replacen(r#""timestamp":"2"#, r#""timestamp":"not a time","z":"2"#, 1),
        // Cut just after the usage marker, as an unclean shutdown leaves a line.
        line[..line.find(r#""usage":{"#).unwrap() + 12].to_owned(),
        r#"{"type":"assistant","message":{"usage":{"input_tokens":null}},"timestamp":"2026-02-12T21:01:00Z"}"#
            .to_owned(),
    ];
    let mut text = String::new();
    for b in &bad {
        text.push_str(b);
        text.push('\n');
    }
    text.push_str("not json at all\n\n");
    append(&s.session(LAST), text.as_bytes());
    s.quiet_prompt(NOW);
    assert_eq!(figures(&s.status(NOW)), want);
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(doctor.contains("6 malformed usage lines"), "{doctor}");
}

#[test]
fn thirty_megabyte_lines() {
    let s = Sandbox::claude_fixture();
    let big = "x".repeat(30 << 20);
    let user = format!(
        r#"{{"type":"user","message":{{"role":"user","content":"{big}"}},"timestamp":"2026-02-12T21:20:00Z"}}"#
    );
    let assistant = format!(
        r#"{{"type":"assistant","sessionId":"s","requestId":"req_big","timestamp":"2026-02-12T21:20:01Z","message":{{"id":"msg_big","model":"claude-opus-4-6","content":[{{"type":"text","text":"{big}"}}],"usage":{{"input_tokens":10,"output_tokens":1000,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}}}}"#
    );
    append(&s.session(LAST), format!("{user}\n{assistant}\n").as_bytes());
    let started = Instant::now();
    s.quiet_prompt(NOW);
    assert!(started.elapsed() < Duration::from_secs(20));
    let v = s.status(NOW);
    // The big call counts: 465 + 1 calls, 1,010 more tokens, $0.02505 more (10 x $5 + 1,000 x $25 per MTok).
    assert_eq!(v["claude"]["week"]["entries"], 466);
    assert_eq!(v["claude"]["week"]["tokens"]["total"], 44908834 + 1010);
    assert!((v["claude"]["week"]["cost_usd"].as_f64().unwrap() - (34.003789 + 0.02505)).abs() < 1e-6);
    s.assert_same_as_fresh(NOW);
}

#[test]
fn things_named_jsonl_that_are_not_files() {
    let s = Sandbox::claude_fixture();
    let want = figures(&s.fresh_status(NOW));
    let dir = s.projects().join("-home-USER-projects-spotter");
    std::fs::create_dir(dir.join("a-directory.jsonl")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling.jsonl")).unwrap();
    let fifo = dir.join("fifo.jsonl");
    let have_fifo = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|st| st.success());
    let locked = dir.join("locked.jsonl");
    std::fs::write(&locked, b"{}\n").unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let started = Instant::now();
    s.quiet_prompt(NOW);
    assert!(started.elapsed() < Duration::from_secs(10), "something blocked");
    assert_eq!(figures(&s.status(NOW)), want);
    let doctor = stdout(&s.run(&["doctor"]));
    if std::fs::read(&locked).is_err() {
        assert!(doctor.contains(" 1 unreadable file,") || doctor.contains(" 1 unreadable file\n"), "{doctor}");
    }
    assert!(have_fifo || cfg!(not(unix)));
}

#[test]
fn new_sessions_and_subagents_appear_at_once() {
    let s = Sandbox::claude_fixture();
    s.quiet_prompt(NOW);
    let proj = s.projects().join("-home-USER-projects-spotter");
    let line = |id: &str| {
        format!(
            "{{\"type\":\"assistant\",\"sessionId\":\"n\",\"requestId\":\"req_{id}\",\"timestamp\":\"2026-02-12T21:10:00Z\",\"message\":{{\"id\":\"msg_{id}\",\"model\":\"claude-haiku-4-5\",\"usage\":{{\"input_tokens\":1000000,\"output_tokens\":0}}}}}}\n"
        )
    };
    // A new session in a known project, a new subagent of a known session, a new project.
    std::fs::write(proj.join("new-session.jsonl"), line("a")).unwrap();
    std::fs::write(proj.join(LAST).join("subagents/agent-new.jsonl"), line("b")).unwrap();
    std::fs::create_dir_all(s.projects().join("-home-USER-other/s/subagents")).unwrap();
    std::fs::write(s.projects().join("-home-USER-other/s/subagents/agent-x.jsonl"), line("c")).unwrap();
    let v = s.status(NOW);
    assert_eq!(v["claude"]["week"]["entries"], 468);
    assert!((v["claude"]["week"]["cost_usd"].as_f64().unwrap() - (34.003789 + 3.0)).abs() < 1e-6);
    s.assert_same_as_fresh(NOW);
}

#[test]
fn idle_files_are_rechecked_within_the_rescan_interval() {
    let s = Sandbox::claude_fixture();
    // An old session, idle for two days, that someone resumes.
    let path = s.session("258c7280-ae70-4798-800f-63464d01a85d");
    let old = std::time::SystemTime::now() - Duration::from_secs(2 * 86_400);
    std::fs::File::options().append(true).open(&path).unwrap().set_modified(old).unwrap();
    let slow = |args: &[&str]| s.cmd().env("RUNWAY_RESCAN_SECS", "3600").args(args).output().unwrap();
    assert_quiet(&slow(&["--now", NOW, "prompt"]));
    let line = "{\"type\":\"assistant\",\"sessionId\":\"n\",\"requestId\":\"req_r\",\"timestamp\":\"2026-02-12T21:10:00Z\",\"message\":{\"id\":\"msg_r\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":1000000,\"output_tokens\":0}}}\n";
    append(&path, line.as_bytes());
    // Within the interval the quick check does not look at it...
    let v = json_of(&slow(&["--now", NOW, "status", "--json"]));
    assert_eq!(v["claude"]["week"]["entries"], 465);
    // ...and the next full walk finds it.
    let v = json_of(&s.cmd().env("RUNWAY_RESCAN_SECS", "0").args(["--now", NOW, "status", "--json"]).output().unwrap());
    assert_eq!(v["claude"]["week"]["entries"], 466);
    s.assert_same_as_fresh(NOW);
}

#[test]
fn idle_files_live_in_the_cold_file_and_come_back() {
    // Most of a real history is idle: those files are kept out of the state rewritten on every prompt.
    let s = Sandbox::claude_fixture();
    let two_days = std::time::SystemTime::now() - Duration::from_secs(2 * 86_400);
    for f in walk(&s.projects()) {
        if !f.to_string_lossy().contains(LAST) {
            std::fs::File::options().append(true).open(&f).unwrap().set_modified(two_days).unwrap();
        }
    }
    s.quiet_prompt(NOW);
    let db = s.db();
    let cold = |db: &Path| {
        std::fs::read_dir(db)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("cold-"))
            .count()
    };
    assert_eq!(cold(&db), 1, "idle files went to a cold file");
    // A full rescan that finds nothing new leaves the cold file alone.
    let cold_name = |db: &Path| {
        std::fs::read_dir(db)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("cold-"))
    };
    // (The walks are the helper's: a prompt that finds one due starts it.)
    let walk =
        || assert_quiet(&s.cmd().env("RUNWAY_RESCAN_SECS", "0").args(["--now", NOW, "catch-up"]).output().unwrap());
    let before = cold_name(&db);
    for _ in 0..2 {
        walk();
    }
    assert_eq!(cold_name(&db), before);
    // Appends to the live session update the state alone.
    let line = "{\"type\":\"assistant\",\"sessionId\":\"n\",\"requestId\":\"req_z\",\"timestamp\":\"2026-02-12T21:10:00Z\",\"message\":{\"id\":\"msg_z\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":1000000,\"output_tokens\":0}}}\n";
    append(&s.session(LAST), line.as_bytes());
    s.quiet_prompt(NOW);
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 466);
    s.assert_same_as_fresh(NOW);
    // A full walk reads the cold file again and finds an idle file that grew.
    let idle = s.session("258c7280-ae70-4798-800f-63464d01a85d");
    append(&idle, line.replace("req_z", "req_y").replace("msg_z", "msg_y").as_bytes());
    walk();
    assert_eq!(s.status(NOW)["claude"]["week"]["entries"], 467);
    s.assert_same_as_fresh(NOW);
    assert_eq!(cold(&db), 1, "the old cold file was replaced, not kept");
    // A lost cold file is a corrupt cache: rebuilt, same figures.
    for e in std::fs::read_dir(&db).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with("cold-") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    walk();
    s.assert_same_as_fresh(NOW);
}
