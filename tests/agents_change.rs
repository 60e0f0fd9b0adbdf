//! What happens when each new tool's files change between runs: a Gemini CLI session rewritten whole
//! costs the read of that file alone; rows inserted into, updated in and deleted from OpenCode's
//! database are taken once, at their newest. After each change the figures equal a fresh read of the
//! same files. (A Copilot CLI session's end arriving later: `copilot_open.rs`.)
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::agents::*;
use common::*;
use serde_json::Value;

const NOW: &str = "2026-12-01T00:00:00Z";
/// After every message of OpenCode 1.18.33's database.
const LATER: &str = "2026-12-31T00:00:00Z";

#[test]
fn a_gemini_session_rewritten_whole_costs_its_own_read() {
    let s = home_with(".gemini", &fixtures().join("agents/gemini"));
    s.cmd().args(["--providers", "gemini", "catch-up"]).output().unwrap();
    assert_eq!(read_bytes(&s, "gemini"), 0, "warm: nothing read");
    let before = month_totals(&s, "gemini", NOW);
    // The session grows to 1 MB, rewritten whole as the tool writes it (a member the count ignores
    // holds the bulk).
    let chats = s.home().join(".gemini/tmp/7e8989f71805c3147f6be9b7a71de2a156f8face69f9380beeeb8a777414f21c/chats");
    let path = chats.join("session-2026-01-10T02-08-faff42ab.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["summary"] = Value::String("x".repeat(1 << 20));
    let bytes = serde_json::to_vec(&v).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    // One prompt reads that file and no other.
    assert_eq!(read_bytes(&s, "gemini"), bytes.len() as u64);
    assert_eq!(read_bytes(&s, "gemini"), 0);
    assert_eq!(month_totals(&s, "gemini", NOW), before, "the same calls, counted once");
    same_as_fresh_at(&s, "gemini", NOW);
}

#[test]
fn opencode_rows_inserted_and_updated_are_taken_once() {
    let folder = ".local/share/opencode";
    let s = home_with(folder, &fixtures().join("agents-runs/opencode-1.2.1/.local/share/opencode"));
    let db = s.home().join(folder).join("opencode.db");
    let before = month_totals(&s, "opencode", NOW);
    let c = rusqlite::Connection::open(&db).unwrap();
    // A new assistant message streams in: inserted with its first tokens, then updated in place.
    c.execute(
        "INSERT INTO message (id, session_id, time_created, time_updated, data)
         SELECT 'msg_zzzz_test', session_id, time_created + 60000, time_updated + 60000, data FROM message
         WHERE data LIKE '%\"tokens\"%' ORDER BY time_created DESC LIMIT 1",
        [],
    )
    .unwrap();
    let inserted = month_totals(&s, "opencode", NOW);
    assert!(inserted["totalTokens"].as_u64() > before["totalTokens"].as_u64(), "{inserted} vs {before}");
    same_as_fresh_at(&s, "opencode", NOW);
    c.execute(
        "UPDATE message SET data = replace(data, '\"output\":240', '\"output\":2400'), time_updated = time_updated + 1000
         WHERE id = 'msg_zzzz_test'",
        [],
    )
    .unwrap();
    let updated = month_totals(&s, "opencode", NOW);
    assert_eq!(
        updated["outputTokens"].as_u64().unwrap(),
        inserted["outputTokens"].as_u64().unwrap() + 2160,
        "the update replaces the row's tokens, never adds them twice"
    );
    same_as_fresh_at(&s, "opencode", NOW);
}

/// OpenCode's message ids are 48 bits of (milliseconds × 4096 + a counter): they wrapped on
/// 2026-08-14, and a message written since sorts before every older one. The real database of
/// 1.18.33 holds both (January's `msg_baf…`, December's `msg_24a…`): with December's taken out, read,
/// then written again row by row through one connection (its log never checkpointed, as while
/// OpenCode runs), each prompt's figures equal a fresh read. Then the newest rows are deleted and
/// others written in their place (a session reverted), which SQLite gives the same rowids.
#[test]
fn opencode_messages_written_after_the_ids_wrapped_are_read() {
    let folder = ".local/share/opencode";
    let s = home_with(folder, &fixtures().join("agents-runs/opencode-1.18.33/.local/share/opencode"));
    let c = rusqlite::Connection::open(s.home().join(folder).join("opencode.db")).unwrap();
    let cols = "id, session_id, time_created, time_updated, data";
    type Row = (String, String, i64, i64, String);
    let later: Vec<Row> = {
        let mut q = c.prepare(&format!("SELECT {cols} FROM message WHERE id < 'msg_b' ORDER BY rowid")).unwrap();
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(later.len(), 4, "December's four messages");
    c.execute("DELETE FROM message WHERE id < 'msg_b'", []).unwrap();
    let before = month_totals(&s, "opencode", LATER);
    same_as_fresh_at(&s, "opencode", LATER);
    let insert = |r: &Row| {
        c.execute(
            &format!("INSERT INTO message ({cols}) VALUES (?1, ?2, ?3, ?4, ?5)"),
            rusqlite::params![r.0, r.1, r.2, r.3, r.4],
        )
        .unwrap()
    };
    for r in &later {
        insert(r);
        // The first run after the write: a run with nothing written since may read the whole
        // database again (its log's ctime moved), which would hide a row the first one missed.
        same_as_fresh_at(&s, "opencode", LATER);
    }
    let after = month_totals(&s, "opencode", LATER);
    assert!(after["totalTokens"].as_u64() > before["totalTokens"].as_u64(), "{after} vs {before}");
    // Reverted: the two newest go, and two new messages take their rowids.
    c.execute("DELETE FROM message WHERE id IN (?1, ?2)", [&later[2].0, &later[3].0]).unwrap();
    for (r, id) in [(&later[2], "msg_24a800000001aaaaaaaaaaaaaa"), (&later[3], "msg_24a800000002aaaaaaaaaaaaaa")] {
        insert(&(id.to_owned(), r.1.clone(), r.2 + 600_000, r.3 + 600_000, r.4.clone()));
    }
    // Read whole again, then: not by a prompt whose budget is smaller than the database (it leaves
    // it to a run with the room), by the report after it.
    assert_eq!(read_bytes_within(&s, "opencode", Some("4096"), &["--now", LATER]), 0);
    same_as_fresh_at(&s, "opencode", LATER);
}

/// Nothing written, nothing read: a prompt after a prompt reads none of OpenCode's database, though
/// SQLite (run as root, as in a container) touches its log's ctime at every connection.
#[test]
fn a_quiet_opencode_database_is_not_read_again() {
    let folder = ".local/share/opencode";
    let s = home_with(folder, &fixtures().join("agents-runs/opencode-1.2.1/.local/share/opencode"));
    assert!(read_bytes(&s, "opencode") > 100_000, "the first prompt reads it");
    for _ in 0..2 {
        assert_eq!(read_bytes(&s, "opencode"), 0);
    }
}

/// A session copied with its mtime kept (`cp -p`, rsync, a sync tool) into a folder whose path sorts
/// first: its calls stay with the original, read as they came or by a fresh cache, which numbers
/// files by when each was made, not by when each was last written.
#[test]
fn a_copy_that_kept_its_mtime_leaves_the_calls_with_the_original() {
    let s = Sandbox::empty();
    let chats =
        fixtures().join("agents/gemini/tmp/7e8989f71805c3147f6be9b7a71de2a156f8face69f9380beeeb8a777414f21c/chats");
    let name = "session-2026-01-15T20-51-f7633853.json";
    let folder = |p: &str| {
        let d = s.home().join(".gemini/tmp").join(p);
        std::fs::create_dir_all(d.join("chats")).unwrap();
        std::fs::write(d.join(".project_root"), format!("/home/u/{p}\n")).unwrap();
        d.join("chats").join(name)
    };
    let original = folder("zproj");
    std::fs::copy(chats.join(name), &original).unwrap();
    s.cmd().args(["--providers", "gemini", "prompt"]).output().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let copy = folder("aproj");
    std::fs::copy(&original, &copy).unwrap();
    let mtime = std::fs::metadata(&original).unwrap().modified().unwrap();
    std::fs::File::options().write(true).open(&copy).unwrap().set_modified(mtime).unwrap();
    s.cmd().args(["--providers", "gemini", "prompt"]).output().unwrap();
    let args = ["--now", NOW, "--providers", "gemini", "report", "--by", "project", "--json"];
    let kept = json_of(&s.cmd().args(args).output().unwrap());
    let fresh = tempfile::tempdir().unwrap();
    let rebuilt = json_of(&s.cmd_with_cache(fresh.path()).args(args).output().unwrap());
    let names = |v: &Value| v["project"].as_array().unwrap().iter().map(|r| r["period"].clone()).collect::<Vec<_>>();
    assert_eq!(names(&kept), ["/home/u/zproj"], "{kept}");
    assert_eq!(kept, rebuilt);
}

/// A database whose rows sit in its log (OpenCode 1.2.1's: a 4 KiB file and a 185 KiB log), read whole
/// again after its newest row was replaced: a prompt whose budget is smaller than the file and its
/// log together leaves that to a run with the room, though the file alone would fit.
#[test]
fn a_whole_read_counts_the_log_against_the_budget() {
    let folder = ".local/share/opencode";
    let s = home_with(folder, &fixtures().join("agents-runs/opencode-1.2.1/.local/share/opencode"));
    let dir = s.home().join(folder);
    s.cmd().args(["--providers", "opencode", "catch-up"]).output().unwrap();
    let c = rusqlite::Connection::open(dir.join("opencode.db")).unwrap();
    c.execute_batch(
        "INSERT INTO message (id, session_id, time_created, time_updated, data)
           SELECT 'msg_zzzz_new', session_id, time_created + 1, time_updated + 1, data FROM message
           WHERE rowid = (SELECT max(rowid) FROM message);
         DELETE FROM message WHERE rowid = (SELECT max(rowid) - 1 FROM message);",
    )
    .unwrap();
    let (db, log) = (
        std::fs::metadata(dir.join("opencode.db")).unwrap().len(),
        std::fs::metadata(dir.join("opencode.db-wal")).unwrap().len(),
    );
    assert!(db < 8192 && db + log > 8192, "{db} + {log}");
    assert_eq!(read_bytes_within(&s, "opencode", Some("8192"), &[]), 0);
    same_as_fresh_at(&s, "opencode", NOW);
}

/// The real 1.18.33 database in a home of its own, read once: the home, its totals as of `LATER`,
/// and a connection to the database.
fn opencode_read() -> (Sandbox, Value, rusqlite::Connection) {
    let folder = ".local/share/opencode";
    let s = home_with(folder, &fixtures().join("agents-runs/opencode-1.18.33/.local/share/opencode"));
    let before = month_totals(&s, "opencode", LATER);
    let c = rusqlite::Connection::open(s.home().join(folder).join("opencode.db")).unwrap();
    (s, before, c)
}

/// A session deleted in OpenCode: its messages were read before the row the next read starts at, so
/// that read finds fewer rows before it than it left, reads the database whole again, and the
/// session's calls go. The real 1.18.33 database, January's second session taken out.
#[test]
fn a_session_deleted_in_opencode_is_no_longer_counted() {
    let (s, before, c) = opencode_read();
    let gone = "ses_4134312deffeWMYdSt1q5bAW7z";
    let n = c.execute("DELETE FROM message WHERE session_id = ?1", [gone]).unwrap();
    assert_eq!(n, 16, "the middle session's 16 messages");
    c.execute("DELETE FROM session WHERE id = ?1", [gone]).unwrap();
    let after = month_totals(&s, "opencode", LATER);
    assert!(after["totalTokens"].as_u64() < before["totalTokens"].as_u64(), "{after} vs {before}");
    same_as_fresh_at(&s, "opencode", LATER);
}

/// Rows written in a burst (an import of 1,001 messages): a prompt whose budget is smaller than the
/// database leaves them to a run with the room, rather than read them all past its budget; that
/// run's figures then equal a fresh read's.
#[test]
fn a_burst_of_opencode_rows_is_left_to_a_run_with_the_room() {
    let (s, before, c) = opencode_read();
    for i in 0..1001 {
        c.execute(
            "INSERT INTO message (id, session_id, time_created, time_updated, data)
               SELECT 'msg_zz_' || ?1, session_id, time_created + ?1, time_updated + ?1, data FROM message
               WHERE rowid = (SELECT max(rowid) FROM message WHERE data LIKE '%\"completed\"%' AND data LIKE '%\"assistant\"%')",
            [i],
        )
        .unwrap();
    }
    assert_eq!(read_bytes_within(&s, "opencode", Some("4096"), &["--now", LATER]), 0);
    let after = month_totals(&s, "opencode", LATER);
    assert!(after["totalTokens"].as_u64() > before["totalTokens"].as_u64(), "{after} vs {before}");
    same_as_fresh_at(&s, "opencode", LATER);
}
