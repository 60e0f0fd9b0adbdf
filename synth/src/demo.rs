//! The compact history `runway demo` embeds: a small generated history read back into one line per
//! API call (the calls that count, after de-duplication), with times relative to its end.
//!
//! Columns, tab-separated: `c` or `x` (Claude Code, Codex CLI), seconds before the end, project,
//! session, model, input, output, 5-minute cache writes, 1-hour cache writes, cache reads; Codex rows
//! add the 5-hour and weekly shares and their resets in seconds after the end.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        if e.path().is_dir() {
            walk(&e.path(), out);
        } else {
            out.push(e.path());
        }
    }
    out.sort();
}

fn ms(v: &Value) -> i64 {
    v.as_str().and_then(|t| t.parse::<jiff::Timestamp>().ok()).map_or(0, |t| t.as_millisecond())
}

/// The table for the history under `dir` (as `claude_history` and `codex_history` wrote it).
pub fn table(dir: &Path, end: i64) -> io::Result<String> {
    let mut rows: Vec<(i64, String)> = Vec::new();
    let mut files = Vec::new();
    walk(&dir.join("claude/projects"), &mut files);
    let (mut projects, mut sessions): (HashMap<String, usize>, HashMap<String, usize>) = Default::default();
    // (message id, request id) -> the line with the largest output, as runway counts them.
    let mut calls: BTreeMap<(String, String), (i64, String, String, Value)> = BTreeMap::new();
    for f in &files {
        let project = f.iter().rev().nth(1).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let n = projects.len();
        let project = *projects.entry(project).or_insert(n);
        for line in fs::read_to_string(f)?.lines() {
            let v: Value = serde_json::from_str(line).map_err(io::Error::other)?;
            if v["type"] != "assistant" || v["message"]["usage"].is_null() {
                continue;
            }
            let session = v["sessionId"].as_str().unwrap_or("").to_owned();
            let n = sessions.len();
            let s = *sessions.entry(session).or_insert(n);
            let key = (
                v["message"]["id"].as_str().unwrap_or("").to_owned(),
                v["requestId"].as_str().unwrap_or("").to_owned(),
            );
            let u = v["message"]["usage"].clone();
            let better = calls
                .get(&key)
                .is_none_or(|(_, _, _, old)| u["output_tokens"].as_u64() > old["output_tokens"].as_u64());
            if better {
                let model = v["message"]["model"].as_str().unwrap_or("").to_owned();
                calls.insert(key, (ms(&v["timestamp"]), format!("{project}\t{s}"), model, u));
            }
        }
    }
    for (ts, where_, model, u) in calls.into_values() {
        let n = |k: &str| u[k].as_u64().unwrap_or(0);
        let cc = &u["cache_creation"];
        let (w5, w1) = (
            cc["ephemeral_5m_input_tokens"].as_u64().unwrap_or(0),
            cc["ephemeral_1h_input_tokens"].as_u64().unwrap_or(0),
        );
        let t = (end - ts) / 1000;
        let row = format!(
            "c\t{t}\t{where_}\t{model}\t{}\t{}\t{w5}\t{w1}\t{}",
            n("input_tokens"),
            n("output_tokens"),
            n("cache_read_input_tokens")
        );
        rows.push((ts, row));
    }
    let mut files = Vec::new();
    walk(&dir.join("codex/sessions"), &mut files);
    for (s, f) in files.iter().enumerate() {
        let mut model = String::from("gpt-5.5");
        for line in fs::read_to_string(f)?.lines() {
            let v: Value = serde_json::from_str(line).map_err(io::Error::other)?;
            let p = &v["payload"];
            if v["type"] == "turn_context" {
                model = p["model"].as_str().unwrap_or("gpt-5.5").to_owned();
            }
            if p["type"] != "token_count" || p["info"].is_null() || v["timestamp"].as_str().is_none() {
                continue;
            }
            let last = &p["info"]["last_token_usage"];
            let n = |k: &str| last[k].as_u64().unwrap_or(0);
            let ts = ms(&v["timestamp"]);
            let rl = &p["rate_limits"];
            let w = |k: &str| {
                let used = rl[k]["used_percent"].as_f64().unwrap_or(0.0);
                let reset = rl[k]["resets_at"].as_i64().unwrap_or(0) - end / 1000;
                format!("{used:.1}\t{reset}")
            };
            let (input, cached) = (n("input_tokens"), n("cached_input_tokens"));
            let row = format!(
                "x\t{}\t0\t{s}\t{model}\t{}\t{}\t0\t0\t{cached}\t{}\t{}",
                (end - ts) / 1000,
                input - cached.min(input),
                n("output_tokens"),
                w("primary"),
                w("secondary")
            );
            rows.push((ts, row));
        }
    }
    rows.sort_by_key(|(ts, _)| *ts);
    Ok(rows.into_iter().map(|(_, r)| r + "\n").collect())
}
