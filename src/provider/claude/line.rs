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

/// Parses one line that passed the prefilter.
pub fn parse(line: &[u8]) -> Parsed<'_> {
    let Ok(l) = serde_json::from_slice::<Line>(line) else {
        return Parsed::Malformed;
    };
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
mod tests {
    use super::*;

    // Lines below are copied from the real fixtures (content shortened), not written from memory.
    const ASSISTANT: &str = r#"{"parentUuid":"daa5a4bb","isSidechain":false,"userType":"external","cwd":"/home/USER/projects/x","sessionId":"4d5611e5-241a-462a-8d15-5122611a9569","version":"2.1.39","gitBranch":"spotter-dov","message":{"model":"claude-opus-4-6","id":"msg_01PdWvcjJ6E9BgscDveYt9YV","type":"message","role":"assistant","content":[{"type":"text","text":"\n\n"}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":15005,"cache_read_input_tokens":11442,"cache_creation":{"ephemeral_5m_input_tokens":15005,"ephemeral_1h_input_tokens":0},"output_tokens":9,"service_tier":"standard","inference_geo":"global"}},"requestId":"req_011CY4TRHLYkp2wmETF8ujUf","type":"assistant","uuid":"cb6290e9","timestamp":"2026-02-12T16:02:27.718Z"}"#;

    #[test]
    fn any_spelling_of_the_usage_member_passes_the_filter() {
        let f = Finder::default();
        let pretty = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(ASSISTANT).unwrap())
            .unwrap()
            .replace('\n', " ");
        let escaped = ASSISTANT.replace(r#""usage":"#, r#""\u0075sage":"#);
        for line in [ASSISTANT, &pretty, &escaped, &ASSISTANT.replace(r#""usage":{"#, "\"usage\"\t:\t{")] {
            assert!(f.may_carry_usage(line.as_bytes()), "{line}");
            assert!(matches!(parse(line.as_bytes()), Parsed::Usage(_)), "{line}");
        }
        // A line that only mentions usage, and one with an escape that spells no letter of it.
        let user = r#"{"type":"user","message":{"content":"the \"usage\": {} field, and \u001b[31m"}}"#;
        assert!(!f.may_carry_usage(user.as_bytes()));
        assert!(!f.may_carry_usage(br#"{"usage": 3}"#));
    }

    #[test]
    fn assistant_line() {
        let Parsed::Usage(u) = parse(ASSISTANT.as_bytes()) else { panic!() };
        assert_eq!(u.ts, 1_770_912_147_718);
        assert_eq!(u.message_id.as_deref(), Some("msg_01PdWvcjJ6E9BgscDveYt9YV"));
        assert_eq!(u.request_id.as_deref(), Some("req_011CY4TRHLYkp2wmETF8ujUf"));
        assert_eq!(u.model, "claude-opus-4-6");
        assert_eq!(u.tokens, Tokens { input: 3, output: 9, write_5m: 15005, write_1h: 0, cache_read: 11442, reasoning: 0 });
        assert!(!u.sidechain);
    }

    #[test]
    fn progress_line_nests_a_subagent_call() {
        let line = r#"{"isSidechain":false,"sessionId":"258c","type":"progress","timestamp":"2026-02-11T21:24:23.000Z","data":{"type":"agent_progress","agentId":"a881341","message":{"type":"assistant","timestamp":"2026-02-11T21:24:22.960Z","requestId":"req_sub","uuid":"u","message":{"model":"claude-haiku-4-5-20251001","id":"msg_sub","type":"message","role":"assistant","content":[],"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":9000,"output_tokens":1}}}}}"#;
        let Parsed::Usage(u) = parse(line.as_bytes()) else { panic!() };
        assert_eq!(u.ts, 1_770_845_062_960, "the nested call's own time");
        assert_eq!(u.request_id.as_deref(), Some("req_sub"));
        assert_eq!(u.tokens.cache_read, 9000);
        let hook = r#"{"type":"progress","data":{"type":"hook_progress","message":{"usage":{"input_tokens":1}}}}"#;
        assert_eq!(parse(hook.as_bytes()), Parsed::Nothing);
    }

    #[test]
    fn bad_counts_and_times_are_malformed() {
        for bad in ["-1", "1.5", "\"12\"", "null", "9007199254740992", "[1]"] {
            let line = ASSISTANT.replace("\"output_tokens\":9", &format!("\"output_tokens\":{bad}"));
            assert_eq!(parse(line.as_bytes()), Parsed::Malformed, "{bad}");
        }
        let ok = ASSISTANT.replace("\"output_tokens\":9", "\"output_tokens\":9007199254740991");
        assert!(matches!(parse(ok.as_bytes()), Parsed::Usage(_)));
        let whole = ASSISTANT.replace("\"output_tokens\":9", "\"output_tokens\":9.0");
        assert!(matches!(parse(whole.as_bytes()), Parsed::Usage(_)));
        let t = ASSISTANT.replace("2026-02-12T16:02:27.718Z", "yesterday");
        assert_eq!(parse(t.as_bytes()), Parsed::Malformed);
        assert_eq!(parse(&ASSISTANT.as_bytes()[..200]), Parsed::Malformed, "a cut line");
    }

    #[test]
    fn other_lines_carry_nothing() {
        let user = r#"{"type":"user","message":{"role":"user","content":"{\"usage\":{\"input_tokens\":5}}"},"timestamp":"2026-02-12T16:02:27.718Z"}"#;
        assert_eq!(parse(user.as_bytes()), Parsed::Nothing);
        let synthetic = ASSISTANT.replace("claude-opus-4-6", "<synthetic>");
        assert_eq!(parse(synthetic.as_bytes()), Parsed::Nothing);
    }

    #[test]
    fn usage_limit_notices() {
        let line = r#"{"type":"assistant","isApiErrorMessage":true,"timestamp":"2025-07-01T10:00:00Z","sessionId":"s","version":"1.0.40","message":{"id":"x","model":"<synthetic>","content":[{"type":"text","text":"Claude AI usage limit reached|1751378400"}],"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}"#;
        assert_eq!(
            parse(line.as_bytes()),
            Parsed::LimitHit { ts: 1_751_364_000_000, resets_at: Some(1_751_378_400_000) }
        );
        let newer = line.replace("Claude AI usage limit reached|1751378400", "5-hour limit reached ∙ resets 3pm");
        assert_eq!(parse(newer.as_bytes()), Parsed::LimitHit { ts: 1_751_364_000_000, resets_at: None });
        let other = line.replace("Claude AI usage limit reached|1751378400", "API Error: 529 overloaded");
        assert_eq!(parse(other.as_bytes()), Parsed::Nothing);
    }

    #[test]
    fn one_hour_writes_and_modifiers() {
        let line = ASSISTANT
            .replace(
                r#""ephemeral_5m_input_tokens":15005,"ephemeral_1h_input_tokens":0"#,
                r#""ephemeral_5m_input_tokens":5,"ephemeral_1h_input_tokens":15000"#,
            )
            .replace(
                r#""inference_geo":"global""#,
                r#""inference_geo":"us","speed":"fast","server_tool_use":{"web_search_requests":2}"#,
            );
        let Parsed::Usage(u) = parse(line.as_bytes()) else { panic!() };
        assert_eq!((u.tokens.write_5m, u.tokens.write_1h), (5, 15000));
        assert!(u.mods.fast && u.mods.us_geo);
        assert_eq!(u.mods.web_searches, 2);
    }
}
