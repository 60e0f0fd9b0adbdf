//! Codex rollouts written the way Codex writes them, for the tests of what runway reads of Codex.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::fixtures;

/// Rollouts in the real Codex shape: each line is a line of the real fixture, parsed, with only its
/// time, usage, ids or `rate_limits` changed.
pub struct Rollout {
    lines: Vec<String>,
}

fn real_codex_line(kind: &str) -> Value {
    let dir = fixtures().join("codex-real/sessions/2026/05/11");
    let file = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| match kind {
            "token_count" => {
                v["type"] == "event_msg" && v["payload"]["type"] == "token_count" && !v["payload"]["info"].is_null()
            }
            k => v["type"] == k,
        })
        .unwrap()
}

/// [input, cached, output, reasoning, total] as Codex's TokenUsage.
pub fn token_usage(v: [u64; 5]) -> Value {
    serde_json::json!({
        "input_tokens": v[0], "cached_input_tokens": v[1], "output_tokens": v[2],
        "reasoning_output_tokens": v[3], "total_tokens": v[4]
    })
}

/// A rate-limit window as Codex writes it.
pub fn limit_window(used: f64, minutes: i64, resets_at: Option<i64>, resets_in: Option<i64>) -> Value {
    let mut w = serde_json::json!({ "used_percent": used, "window_minutes": minutes });
    if let Some(r) = resets_at {
        w["resets_at"] = serde_json::json!(r);
    }
    if let Some(r) = resets_in {
        w["resets_in_seconds"] = serde_json::json!(r);
    }
    w
}

pub fn rate_limits(primary: Option<Value>, secondary: Option<Value>) -> Value {
    serde_json::json!({ "limit_id": "codex", "primary": primary, "secondary": secondary, "credits": null, "plan_type": "plus" })
}

/// A snapshot of another allowance, as Codex writes them interleaved with the main pool's.
pub fn rate_limits_of(id: &str, name: &str, primary: Option<Value>, secondary: Option<Value>) -> Value {
    let mut v = rate_limits(primary, secondary);
    v["limit_id"] = Value::from(id);
    v["limit_name"] = Value::from(name);
    v
}

impl Rollout {
    pub fn new(ts: &str, id: &str, forked_from: Option<&str>) -> Rollout {
        let mut v = real_codex_line("session_meta");
        v["timestamp"] = Value::from(ts);
        v["payload"]["id"] = Value::from(id);
        v["payload"]["timestamp"] = Value::from(ts);
        if let Some(f) = forked_from {
            v["payload"]["forked_from_id"] = Value::from(f);
        }
        Rollout { lines: vec![v.to_string()] }
    }

    pub fn turn(mut self, ts: &str, model: &str) -> Rollout {
        let mut v = real_codex_line("turn_context");
        v["timestamp"] = Value::from(ts);
        v["payload"]["model"] = Value::from(model);
        self.lines.push(v.to_string());
        self
    }

    /// A token_count event: `info` from (total, last), or a heartbeat (`info: null`) without them.
    pub fn count(mut self, ts: &str, usage: Option<([u64; 5], Option<[u64; 5]>)>, limits: Option<Value>) -> Rollout {
        let mut v = real_codex_line("token_count");
        v["timestamp"] = Value::from(ts);
        match usage {
            Some((total, last)) => {
                v["payload"]["info"]["total_token_usage"] = token_usage(total);
                v["payload"]["info"]["last_token_usage"] = last.map_or(Value::Null, token_usage);
            }
            None => v["payload"]["info"] = Value::Null,
        }
        v["payload"]["rate_limits"] = limits.unwrap_or(Value::Null);
        self.lines.push(v.to_string());
        self
    }

    /// Lines of another rollout, as a fork replays them.
    pub fn replay(mut self, other: &Rollout, ts: &str) -> Rollout {
        for l in other.lines.iter().skip(1) {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["timestamp"] = Value::from(ts);
            self.lines.push(v.to_string());
        }
        self
    }

    pub fn write(&self, codex_home: &Path, name: &str) -> PathBuf {
        let dir = codex_home.join("sessions/2026/02/12");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("rollout-2026-02-12T00-00-00-{name}.jsonl"));
        std::fs::write(&path, self.lines.join("\n") + "\n").unwrap();
        path
    }
}
