//! Claude Code transcript lines (`~/.claude/projects/**.jsonl`) to usage.
//!
//! Only `assistant` lines and `progress` lines that nest a subagent's assistant record
//! (`data.message.message.usage`) carry usage; a byte search for a `"usage"` member holding an object
//! skips every other line before any JSON is parsed.

use std::borrow::Cow;

use memchr::memmem;

use crate::ground::json::{Count, Flag, Str, object};
use crate::ground::block::BLOCK_MS;
use crate::ground::evidence::LimitHit;
use crate::ground::hash::key as hash_key;
use crate::ground::repair;
use crate::ground::time::parse_rfc3339;
use crate::ground::tokens::Tokens;
use crate::ground::window::Window;
use crate::provider::found::{Call, Found};
use crate::provider::price::Modifiers;
use crate::provider::spec::Lines;

object! { struct CacheCreation {
    ephemeral_5m_input_tokens: Count = "ephemeral_5m_input_tokens",
    ephemeral_1h_input_tokens: Count = "ephemeral_1h_input_tokens",
} }

object! { struct ServerToolUse { web_search_requests: Count = "web_search_requests" } }

object! { struct Usage<'a> {
    input_tokens: Count = "input_tokens",
    output_tokens: Count = "output_tokens",
    cache_creation_input_tokens: Count = "cache_creation_input_tokens",
    cache_read_input_tokens: Count = "cache_read_input_tokens",
    cache_creation: Option<CacheCreation> = "cache_creation",
    server_tool_use: Option<ServerToolUse> = "server_tool_use",
    speed: Option<Str<'a>> = "speed",
    inference_geo: Option<Str<'a>> = "inference_geo",
} }

object! { struct Message<'a> {
    id: Option<Str<'a>> = "id",
    model: Option<Str<'a>> = "model",
    usage: Option<Usage<'a>> = "usage",
} }

object! { struct Nested<'a> {
    timestamp: Option<Str<'a>> = "timestamp",
    request_id: Option<Str<'a>> = "requestId",
    sidechain: Flag = "isSidechain",
    message: Option<Message<'a>> = "message",
} }

object! { struct Data<'a> {
    kind: Option<Str<'a>> = "type",
    message: Option<Nested<'a>> = "message",
} }

object! { struct Line<'a> {
    kind: Option<Str<'a>> = "type",
    timestamp: Option<Str<'a>> = "timestamp",
    request_id: Option<Str<'a>> = "requestId",
    session_id: Option<Str<'a>> = "sessionId",
    cwd: Option<Str<'a>> = "cwd",
    sidechain: Flag = "isSidechain",
    api_error: Flag = "isApiErrorMessage",
    message: Option<Message<'a>> = "message",
    data: Option<Data<'a>> = "data",
} }

/// Usage found on one line, with the ids that decide which lines are the same call.
#[derive(Debug, PartialEq)]
pub struct Usage1<'a> {
    pub ts: i64,
    pub message_id: Option<Cow<'a, str>>,
    pub request_id: Option<Cow<'a, str>>,
    pub session_id: Option<Cow<'a, str>>,
    /// The working directory of the session, as the line records it.
    pub cwd: Option<Cow<'a, str>>,
    pub sidechain: bool,
    pub model: Cow<'a, str>,
    pub tokens: Tokens,
    pub mods: Modifiers,
}

#[derive(Debug, PartialEq)]
pub enum Parsed<'a> {
    /// The line carries no usage (most lines).
    Nothing,
    Usage(Usage1<'a>),
    /// The line looked like usage but its counts or timestamp cannot be trusted.
    Malformed,
    /// Claude Code's notice that a usage limit was reached, with the reset time when it says one.
    LimitHit {
        ts: i64,
        resets_at: Option<i64>,
    },
}

/// The pre-filter: whether a line may hold a `usage` object, by bytes, before any JSON is parsed.
/// Any valid spelling of the member passes: with spaces around the colon (a pretty-printing writer),
/// or with the key's letters escaped (`"\u0075sage"`, hence any `\u006`/`\u007`).
pub struct Finder {
    key: memmem::Finder<'static>,
    escape: memmem::Finder<'static>,
}

impl Default for Finder {
    fn default() -> Self {
        Finder { key: memmem::Finder::new(br#""usage""#), escape: memmem::Finder::new(br"\u00") }
    }
}

impl Finder {
    pub fn may_carry_usage(&self, line: &[u8]) -> bool {
        let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let object_follows = |at: usize| {
            let mut rest = line[at..].iter().skip_while(|b| ws(b));
            rest.next() == Some(&b':') && rest.find(|b| !ws(b)) == Some(&b'{')
        };
        self.key.find_iter(line).any(|i| object_follows(i + 7))
            || self.escape.find_iter(line).any(|i| matches!(line.get(i + 4), Some(b'6' | b'7')))
    }
}

fn nonempty(s: Option<Str<'_>>) -> Option<Cow<'_, str>> {
    s.map(|v| v.0).filter(|v| !v.is_empty())
}

/// Parses one line that passed the prefilter; one that is not quite JSON (see `ground::repair`) as
/// repaired.
pub fn parse(line: &[u8]) -> Parsed<'_> {
    match serde_json::from_slice::<Line>(line) {
        Ok(l) => read(l, line),
        Err(_) => match repair::repaired(line) {
            Some(fixed) => serde_json::from_slice::<Line>(&fixed).map_or(Parsed::Malformed, |l| read(l, &fixed).owned()),
            None => Parsed::Malformed,
        },
    }
}

impl Parsed<'_> {
    fn owned(self) -> Parsed<'static> {
        let own = |c: Option<Cow<'_, str>>| c.map(|v| Cow::Owned(v.into_owned()));
        match self {
            Parsed::Usage(u) => Parsed::Usage(Usage1 {
                message_id: own(u.message_id),
                request_id: own(u.request_id),
                session_id: own(u.session_id),
                cwd: own(u.cwd),
                model: Cow::Owned(u.model.into_owned()),
                ..u
            }),
            Parsed::Nothing => Parsed::Nothing,
            Parsed::Malformed => Parsed::Malformed,
            Parsed::LimitHit { ts, resets_at } => Parsed::LimitHit { ts, resets_at },
        }
    }
}

fn read<'a>(l: Line<'a>, line: &[u8]) -> Parsed<'a> {
    let (ts, request_id, sidechain, message) = match l.kind.as_ref().map(Str::as_str) {
        Some("assistant") => (l.timestamp, l.request_id, l.sidechain.or(false), l.message),
        Some("progress") => {
            let Some(n) =
                l.data.filter(|d| d.kind.as_ref().map(Str::as_str) == Some("agent_progress")).and_then(|d| d.message)
            else {
                return Parsed::Nothing;
            };
            (n.timestamp.or(l.timestamp), n.request_id, n.sidechain.or(false), n.message)
        }
        _ => return Parsed::Nothing,
    };
    let Some(msg) = message else {
        return Parsed::Nothing;
    };
    let Some(u) = msg.usage else {
        return Parsed::Nothing;
    };
    let model = msg.model.map_or(Cow::Borrowed(""), |m| m.0);
    let ts = ts.as_ref().and_then(|t| parse_rfc3339(t.as_str()));
    if model == "<synthetic>" {
        // Locally generated notices: not API calls, no cost; but "usage limit reached" is worth
        // knowing, it tells where the limit really was.
        return match (l.api_error.0, ts) {
            (Some(true), Some(ts)) => {
                limit_notice(line).map_or(Parsed::Nothing, |resets_at| Parsed::LimitHit { ts, resets_at })
            }
            _ => Parsed::Nothing,
        };
    }
    let Some(ts) = ts else {
        return Parsed::Malformed;
    };
    let Some(tokens) = tokens(&u) else {
        return Parsed::Malformed;
    };
    let Some(searches) = u.server_tool_use.map_or(Some(0), |s| s.web_search_requests.get()) else {
        return Parsed::Malformed;
    };
    let mods = Modifiers {
        fast: u.speed.as_ref().map(Str::as_str) == Some("fast"),
        us_geo: u.inference_geo.as_ref().map(Str::as_str) == Some("us"),
        web_searches: searches,
    };
    Parsed::Usage(Usage1 {
        ts,
        message_id: nonempty(msg.id),
        request_id: nonempty(request_id),
        session_id: nonempty(l.session_id),
        cwd: nonempty(l.cwd),
        sidechain,
        model,
        tokens,
        mods,
    })
}

/// Cache writes split into their 5-minute and 1-hour parts when the breakdown exists; before
/// 2.1.152 the total could be 0 while the breakdown was not, so the breakdown is preferred.
fn tokens(u: &Usage) -> Option<Tokens> {
    let (write_5m, write_1h) = match &u.cache_creation {
        Some(c) => (c.ephemeral_5m_input_tokens.get()?, c.ephemeral_1h_input_tokens.get()?),
        None => (u.cache_creation_input_tokens.get()?, 0),
    };
    u.cache_creation_input_tokens.get()?;
    Some(Tokens {
        input: u.input_tokens.get()?,
        output: u.output_tokens.get()?,
        write_5m,
        write_1h,
        cache_read: u.cache_read_input_tokens.get()?,
        // Claude Code does not write thinking apart from the rest of the output.
        reasoning: 0,
    })
}

/// The text of a synthetic error line, if it says a usage limit was reached: `Some(reset)` where
/// `reset` is the time it names (`Claude AI usage limit reached|1751378400`), when it names one.
fn limit_notice(line: &[u8]) -> Option<Option<i64>> {
    let v: serde_json::Value = serde_json::from_slice(line).ok()?;
    let content = &v["message"]["content"];
    let text: String = match content {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().filter_map(|i| i["text"].as_str()).collect::<Vec<_>>().join(" ")
        }
        _ => return None,
    };
    let lower = text.to_ascii_lowercase();
    if !(lower.contains("limit reached") || lower.contains("usage limit") || lower.contains("reached your limit")) {
        return None;
    }
    let reset =
        text.split('|').nth(1).and_then(|t| t.trim().get(..10)).and_then(|d| d.parse::<i64>().ok()).map(|s| s * 1000);
    Some(reset)
}

/// The two keys that decide which lines are one call: `msg` groups the lines that may be one response
/// (same `message.id`), `key` is the exact duplicate key. Without `requestId` the session stands in for
/// it; without `message.id` the line is its own entry, named by where it stands in its file.
pub fn keys(u: &Usage1, path: &[u8], line_offset: u64) -> (u64, u64) {
    match &u.message_id {
        Some(id) => {
            let msg = hash_key("claude-msg", &[id.as_bytes()]);
            let key = match (&u.request_id, &u.session_id) {
                (Some(r), _) => hash_key("claude-key", &[id.as_bytes(), b"req", r.as_bytes()]),
                (None, Some(s)) => hash_key("claude-key", &[id.as_bytes(), b"session", s.as_bytes()]),
                (None, None) => hash_key("claude-key", &[id.as_bytes(), b"file", path]),
            };
            (msg, key)
        }
        None => {
            let key = hash_key("claude-line", &[path, &line_offset.to_le_bytes()]);
            (key, key)
        }
    }
}

/// Reads a transcript line by line; nothing carries over from one line to the next but whether
/// this read has named the session's working directory yet.
#[derive(Default)]
pub struct Reader {
    finder: Finder,
    named: bool,
}

impl Lines for Reader {
    fn line<'a>(&mut self, line: &'a [u8], at: u64, path: &[u8], out: &mut Vec<Found<'a>>) {
        if !self.finder.may_carry_usage(line) {
            return;
        }
        match parse(line) {
            Parsed::Nothing => {}
            Parsed::Malformed => out.push(Found::Malformed),
            Parsed::LimitHit { ts, resets_at } => {
                // A reset more than five hours away was the weekly limit.
                let weekly = resets_at.is_some_and(|r| r - ts > BLOCK_MS);
                let window = if weekly { Window::SevenDay } else { Window::FiveHour };
                out.push(Found::Hit(LimitHit { provider: crate::provider::claude::SPEC.provider, window, at: ts, resets_at }));
            }
            Parsed::Usage(u) => {
                if let (false, Some(cwd)) = (self.named, &u.cwd) {
                    self.named = true;
                    out.push(Found::Project(cwd.to_string()));
                }
                let (msg, key) = keys(&u, path, at);
                out.push(Found::Call(Call {
                    msg,
                    sidechain: u.sidechain,
                    mods: u.mods,
                    model: u.model,
                    ..Call::new(u.ts, key, "", u.tokens)
                }));
            }
        }
    }

    fn save(&self) -> Vec<u8> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests;
