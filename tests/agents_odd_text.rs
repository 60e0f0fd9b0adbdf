//! A string another tool got slightly wrong costs no call and no project: each tool's real files with
//! half of a UTF-16 pair (what JavaScript writes for a string cut inside an emoji) or bytes that are
//! not UTF-8 (a folder named in another encoding) where a folder's name or an id goes give the
//! totals of the same files without them, and each project under its name with U+FFFD in place of
//! what could not be read. (Claude Code's lines and status-line payloads: `src/provider/claude/line`
//! and `tests/statusline.rs`.)
// These drive the Linux binary through Unix files; the Windows binary reads with the same code.
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::Value;

/// Each tool, its folder in the repository, where it lives under a home, the keys whose string
/// values are spoiled (a folder's name where the tool's files name one, else the message's id), and
/// files left out (Kimi names a session's folder twice: its `state.json`, and its log's
/// `config.update` lines; each is read here alone).
type Case = (&'static str, &'static str, &'static str, &'static [&'static str], &'static [&'static str]);
const TOOLS: [Case; 7] = [
    ("copilot", "agents/copilot", ".copilot", &["cwd"], &[]),
    ("opencode", "agents/opencode", ".local/share/opencode", &["cwd"], &[]),
    ("kimi", "agents/kimi-code", ".kimi-code", &["cwd", "workDir"], &[]),
    ("kimi", "agents/kimi-code", ".kimi-code", &["cwd"], &["state.json"]),
    ("gemini", "agents/gemini", ".gemini", &["id"], &[]),
    ("gemini", "agents-runs/gemini-0.61.0/.gemini", ".gemini", &["id"], &[]),
    ("codex", "codex-real", "", &["cwd"], &[]),
];

/// A sandbox with the tool's folder copied from `from`, without the files named `without`.
fn home_of(from: &str, home_dir: &str, without: &[&str]) -> Sandbox {
    fn remove(dir: &Path, without: &[&str]) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                remove(&p, without);
            } else if without.iter().any(|w| p.file_name().unwrap() == *w) {
                std::fs::remove_file(&p).unwrap();
            }
        }
    }
    let s = Sandbox::empty();
    copy_tree(&fixtures().join(from), &place(&s, home_dir));
    remove(&place(&s, home_dir), without);
    s
}

/// `odd` put at the start of every string value of `key` in the files under `dir`; the values.
fn spoil(dir: &Path, key: &str, odd: &[u8]) -> BTreeSet<String> {
    let needle = format!("\"{key}\":").into_bytes();
    let mut values = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            values.extend(spoil(&p, key, odd));
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            out.push(bytes[i]);
            i += 1;
            if !out.ends_with(&needle) {
                continue;
            }
            // Written compact or pretty: `"cwd":"…"` or `"cwd": "…"`.
            while bytes.get(i) == Some(&b' ') {
                out.push(b' ');
                i += 1;
            }
            if bytes.get(i) == Some(&b'"') {
                out.push(b'"');
                out.extend_from_slice(odd);
                i += 1;
                let end = bytes[i..].iter().position(|b| *b == b'"').unwrap();
                values.insert(String::from_utf8_lossy(&bytes[i..i + end]).into_owned());
            }
        }
        std::fs::write(&p, out).unwrap();
    }
    values
}

/// Where the tool's folder goes in `s` (Codex's is the sandbox's `CODEX_HOME`).
fn place(s: &Sandbox, home_dir: &str) -> std::path::PathBuf {
    if home_dir.is_empty() { s.codex_home() } else { s.home().join(home_dir) }
}

fn report(s: &Sandbox, tool: &str, by: &str) -> Value {
    let now = "2026-12-31T00:00:00Z";
    let args = ["--providers", tool, "--timezone", "UTC", "--now", now, "report", "--by", by, "--json"];
    json_of(&s.cmd().args(args).output().unwrap())
}

/// The project rows as (name, calls, total cost), by name.
fn projects(v: &Value) -> Vec<(String, u64, String)> {
    let mut rows: Vec<_> = v["project"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = r["period"].as_str().unwrap().to_owned();
            (name, r["runway"]["calls"].as_u64().unwrap(), format!("{:.6}", r["totalCost"].as_f64().unwrap()))
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_half_pair_or_bytes_not_utf8_cost_no_call_and_no_project() {
    for (tool, from, home_dir, keys, without) in TOOLS {
        let plain = home_of(from, home_dir, without);
        let want = report(&plain, tool, "session");
        let want_projects = projects(&report(&plain, tool, "project"));
        assert!(want["totals"]["totalTokens"].as_u64().unwrap() > 0, "{from}: {want}");
        for (odd, shown) in [(&br"\ud83d"[..], "\u{FFFD}"), (&b"\xff"[..], "\u{FFFD}")] {
            let s = home_of(from, home_dir, without);
            let spoiled: BTreeSet<String> = keys.iter().flat_map(|k| spoil(&place(&s, home_dir), k, odd)).collect();
            assert!(!spoiled.is_empty(), "{from}: no {keys:?} to spoil");
            let got = report(&s, tool, "session");
            let odd = String::from_utf8_lossy(odd);
            let what = format!("{from} without {without:?}, with {odd:?} in each of {keys:?}");
            assert_eq!(got["totals"], want["totals"], "{what}");
            assert_eq!(got["session"].as_array().unwrap().len(), want["session"].as_array().unwrap().len(), "{what}");
            if keys[0] == "cwd" {
                // A project named by a spoiled value is named so; one named by its folder is not.
                assert!(want_projects.iter().any(|(n, ..)| spoiled.contains(n)), "{what}: {want_projects:?}");
                let name = |n: &String| if spoiled.contains(n) { format!("{shown}{n}") } else { n.clone() };
                let mut named: Vec<_> = want_projects.iter().map(|(n, c, d)| (name(n), *c, d.clone())).collect();
                named.sort();
                assert_eq!(projects(&report(&s, tool, "project")), named, "{what}");
            }
        }
    }
}

/// OpenCode's database keeps each message's JSON in a column: one spoiled there is read as mended
/// too. (The project is the session's folder, another column, so only the calls are compared.)
#[test]
fn an_opencode_database_message_with_a_half_pair_keeps_its_call() {
    let from = "agents-runs/opencode-1.18.33/.local/share/opencode";
    let home_dir = ".local/share/opencode";
    let plain = home_of(from, home_dir, &[]);
    let want = report(&plain, "opencode", "session");
    assert!(want["totals"]["totalTokens"].as_u64().unwrap() > 0, "{want}");
    for odd in [&br"\ud83d"[..], b"\xff"] {
        let s = home_of(from, home_dir, &[]);
        let db = rusqlite::Connection::open(place(&s, home_dir).join("opencode.db")).unwrap();
        let rows: Vec<(String, Vec<u8>)> = {
            let mut q = db.prepare("SELECT id, CAST(data AS BLOB) FROM message").unwrap();
            q.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        let mut spoiled = 0;
        for (id, data) in rows {
            let text = String::from_utf8(data).unwrap();
            if !text.contains("\"cwd\":\"") {
                continue;
            }
            let mut bytes = Vec::new();
            for (i, part) in text.split("\"cwd\":\"").enumerate() {
                if i > 0 {
                    bytes.extend_from_slice(b"\"cwd\":\"");
                    bytes.extend_from_slice(odd);
                }
                bytes.extend_from_slice(part.as_bytes());
            }
            // Bytes that are not UTF-8 can only be a blob; SQLite gives them back as they are.
            db.execute("UPDATE message SET data = ?1 WHERE id = ?2", rusqlite::params![bytes, id]).unwrap();
            spoiled += 1;
        }
        drop(db);
        assert!(spoiled > 10, "{spoiled} messages spoiled");
        let got = report(&s, "opencode", "session");
        let what = format!("{from} with {:?} in each \"cwd\"", String::from_utf8_lossy(odd));
        assert_eq!(got["totals"], want["totals"], "{what}");
        assert_eq!(got["session"], want["session"], "{what}");
    }
}
