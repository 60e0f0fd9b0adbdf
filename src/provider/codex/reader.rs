//! Codex CLI rollouts (`$CODEX_HOME/{sessions,archived_sessions}/**/rollout-*.jsonl`) to usage.
//!
//! Each `event_msg` of type `token_count` carries the call's usage in `info.last_token_usage` (else
//! the difference of successive `info.total_token_usage`; `info: null` lines are heartbeats), and may
//! carry `rate_limits`. The model is the latest `turn_context`'s. Cached input is part of input and
//! reasoning part of output; runway stores input as uncached input plus cached input as a cache read.
//!
//! Forks and sub-agents start by replaying their parent's history, token counts included. A call is
//! keyed by its model, its cumulative totals and its own usage, which a replayed copy repeats exactly,
//! so it merges with the original (whose earlier time wins). In a file whose `session_meta` names a
//! parent, the burst of `token_count` events written with the `session_meta` (within 2 s) is the
//! replay itself: it seeds the running totals but is not counted, so a fork whose parent file is gone
//! does not claim the parent's calls either.

use memchr::memmem;

use std::borrow::Cow;

use super::line::{Info, LimitWindow, Line, RateLimits, Raw};
use crate::ground::codec::{Reader as Bytes, Writer};
use crate::ground::evidence::{Reading, check, reset_ms};
use crate::ground::hash::{Hasher, key as hash_key};
use crate::ground::time::parse_rfc3339;
use crate::ground::tokens::Tokens;
use crate::ground::window::Window;
use crate::ground::json::Str;
use crate::provider::found::{Call, Found, mended};
use crate::provider::spec::Lines;

/// A replayed event is written within this long of its file's `session_meta`.
const REPLAY_MS: i64 = 2_000;
/// The model assumed when a rollout never names one (early 2025 builds).
pub const ASSUMED_MODEL: &str = "gpt-5 (assumed)";

/// Reads a rollout line by line, carrying what later lines need: the model in force, the running
/// totals, and whether this file is a fork replaying its parent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reader {
    model: Option<String>,
    prev_total: Option<Raw>,
    /// `session_meta` time of a file that names a parent.
    child_of_at: Option<i64>,
}

struct Finders {
    token_count: memmem::Finder<'static>,
    turn_context: memmem::Finder<'static>,
    session_meta: memmem::Finder<'static>,
}

thread_local! {
    static FINDERS: Finders = Finders {
        token_count: memmem::Finder::new(br#""token_count""#),
        turn_context: memmem::Finder::new(br#""turn_context""#),
        session_meta: memmem::Finder::new(br#""session_meta""#),
    };
}

/// Before 2026-04-23 and so on: what `codex-auto-review` ran on (docs/counting.md, Codex CLI).
fn auto_review_model(ts: i64) -> &'static str {
    const DATES: [(&str, &str); 6] = [
        ("2026-04-23T00:00:00Z", "gpt-5.5"),
        ("2026-03-05T00:00:00Z", "gpt-5.4"),
        ("2026-02-05T00:00:00Z", "gpt-5.3-codex"),
        ("2025-12-11T00:00:00Z", "gpt-5.2-codex"),
        ("2025-11-13T00:00:00Z", "gpt-5.1-codex"),
        ("2025-09-15T00:00:00Z", "gpt-5-codex"),
    ];
    DATES.iter().find(|(d, _)| parse_rfc3339(d).is_some_and(|d| ts >= d)).map_or("gpt-5", |(_, m)| m)
}

impl Reader {
    pub fn resume(aux: &[u8]) -> Reader {
        let mut r = Bytes::new(aux);
        let mut load = || -> crate::ground::codec::R<Reader> {
            let model = Some(r.bytes()?).filter(|b| !b.is_empty()).map(|b| String::from_utf8_lossy(b).into_owned());
            let prev_total = match r.u8()? {
                0 => None,
                _ => Some([r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?]),
            };
            let child_of_at = match r.u8()? {
                0 => None,
                _ => Some(r.i64()?),
            };
            Ok(Reader { model, prev_total, child_of_at })
        };
        if aux.is_empty() { Reader::default() } else { load().unwrap_or_default() }
    }

    pub fn save(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(self.model.as_deref().unwrap_or("").as_bytes());
        match self.prev_total {
            Some(t) => {
                w.u8(1);
                for v in t {
                    w.u64(v);
                }
            }
            None => {
                w.u8(0);
            }
        }
        match self.child_of_at {
            Some(t) => w.u8(1).i64(t),
            None => w.u8(0),
        };
        w.buf
    }

    /// Adds what `line` reports to `out`; returns true when the line is malformed usage.
    fn read(&mut self, line: &[u8], path: &[u8], at: u64, out: &mut Vec<Found<'_>>) -> bool {
        let (tc, ctx, meta) = FINDERS.with(|f| {
            (
                f.token_count.find(line).is_some(),
                f.turn_context.find(line).is_some(),
                f.session_meta.find(line).is_some(),
            )
        });
        if !(tc || ctx || meta) {
            return false;
        }
        let Ok(l) = serde_json::from_slice::<Line>(line) else {
            return mended(line, out, |fixed, found| self.read(fixed, path, at, found)).unwrap_or(tc);
        };
        let Some(p) = l.payload else { return false };
        let ts = l.timestamp.as_ref().and_then(|t| parse_rfc3339(t.as_str()));
        match l.kind.as_ref().map(Str::as_str) {
            Some("session_meta") => {
                if let Some(cwd) = p.cwd.as_ref().filter(|c| !c.0.is_empty()) {
                    out.push(Found::Project(cwd.0.to_string()));
                }
                let spawned = p
                    .source
                    .and_then(|s| s.0)
                    .and_then(|o| o.subagent)
                    .and_then(|s| s.thread_spawn)
                    .and_then(|t| t.parent_thread_id)
                    .is_some_and(|id| !id.0.is_empty());
                if p.forked_from_id.as_ref().is_some_and(|f| !f.0.is_empty()) || spawned {
                    self.child_of_at = ts;
                }
                false
            }
            Some("turn_context") => {
                if let Some(m) = p.model.filter(|m| !m.0.is_empty()) {
                    self.model = Some(m.0.into_owned());
                }
                false
            }
            Some("event_msg") if p.kind.as_ref().map(Str::as_str) == Some("token_count") => {
                let Some(ts) = ts else { return true };
                if let Some(rl) = &p.rate_limits {
                    self.readings(rl, ts, out);
                }
                let Some(info) = p.info else { return false };
                self.usage(ts, info, p.model, path, at, out)
            }
            _ => false,
        }
    }

    /// The windows of a `rate_limits` snapshot. `limit_id` `codex` (or none, in older files) is the
    /// main pool; another id is a separate allowance, kept under its own name.
    fn readings(&self, rl: &RateLimits, ts: i64, out: &mut Vec<Found<'_>>) {
        let bucket = rl.limit_id.as_ref().map(Str::as_str).filter(|id| *id != "codex").unwrap_or("");
        let label = rl.limit_name.as_ref().map_or("", Str::as_str);
        let windows: Vec<&LimitWindow> = [&rl.primary, &rl.secondary].into_iter().flatten().collect();
        for w in &windows {
            // A window length that is no whole number of minutes names no window runway knows.
            let minutes = w.window_minutes.get().filter(|m| m.fract() == 0.0 && m.abs() < 1e9).map(|m| m as i64);
            let (Some(used), Some(window)) = (w.used_percent.get(), minutes.and_then(Window::from_minutes)) else {
                continue;
            };
            let resets = match (w.resets_at.get(), w.resets_in_seconds.get()) {
                (Some(at), _) => reset_ms(at),
                (None, Some(secs)) if secs.is_finite() && (0.0..1e9).contains(&secs) => {
                    Some(ts + (secs * 1000.0) as i64)
                }
                _ => None,
            };
            let Some(resets_at) = resets else {
                out.push(Found::Implausible("no usable reset time"));
                continue;
            };
            if let Err(why) = check(used, resets_at, ts, window) {
                out.push(Found::Implausible(why));
                continue;
            }
            out.push(Found::Reading(Reading {
                bucket: bucket.to_owned(),
                label: label.to_owned(),
                alone: windows.len() == 1,
                ..Reading::new(crate::provider::codex::SPEC.provider, window, used, resets_at, ts)
            }));
        }
    }

    fn usage(&mut self, ts: i64, info: Info, model: Option<Str>, path: &[u8], at: u64, out: &mut Vec<Found<'_>>) -> bool {
        let total = match info.total_token_usage.map(|t| t.raw()) {
            Some(None) => return true,
            Some(Some(t)) => Some(t),
            None => None,
        };
        let last = match info.last_token_usage.map(|t| t.raw()) {
            Some(None) => return true,
            Some(Some(l)) => Some(l),
            None => None,
        };
        let prev = self.prev_total;
        if let Some(t) = total {
            self.prev_total = Some(t);
        }
        let Some(delta) =
            last.or_else(|| total.map(|t| std::array::from_fn(|i| t[i].saturating_sub(prev.map_or(0, |p| p[i])))))
        else {
            return false;
        };
        if delta[..4].iter().all(|&v| v == 0) {
            return false;
        }
        if self.child_of_at.is_some_and(|meta| ts - meta <= REPLAY_MS) {
            return false; // the replay of the parent's history
        }
        let model = match model.or(info.model).map(|m| m.0.into_owned()).or_else(|| self.model.clone()) {
            Some(m) if m == "codex-auto-review" => auto_review_model(ts).to_owned(),
            Some(m) => m,
            None => ASSUMED_MODEL.to_owned(),
        };
        let [input, cached, output, reasoning, _] = delta;
        let cached = cached.min(input);
        let key = match total {
            Some(t) => {
                let mut h = Hasher::new("codex-call");
                h.part(model.as_bytes());
                for v in t.iter().chain(delta.iter()) {
                    h.u64(*v);
                }
                h.finish()
            }
            None => hash_key("codex-line", &[path, &at.to_le_bytes()]),
        };
        // Cached input is part of input, reasoning part of output (docs/counting.md, Codex CLI).
        let reasoning = reasoning.min(output);
        let tokens =
            Tokens { input: input - cached, output, write_5m: 0, write_1h: 0, cache_read: cached, reasoning };
        out.push(Found::Call(Call { model: Cow::Owned(model), ..Call::new(ts, key, "", tokens) }));
        false
    }
}

impl Lines for Reader {
    fn line<'a>(&mut self, line: &'a [u8], at: u64, path: &[u8], out: &mut Vec<Found<'a>>) {
        if self.read(line, path, at, out) {
            out.push(Found::Malformed);
        }
    }

    fn save(&self) -> Vec<u8> {
        Reader::save(self)
    }
}

#[cfg(test)]
mod tests;
