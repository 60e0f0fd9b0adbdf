//! A Gemini CLI session: one JSON document, `chats/session-<time>-<id>.json`, rewritten whole as the
//! session grows (docs/providers.md, Gemini CLI). A model's turn is a message of type `gemini` with `model` and
//! `tokens`: `input` (the prompt, cached part included), `cached`, `output` (the answer), `thoughts`
//! (reasoning, billed as output), `tool` (the prompt of tool use, billed as input), `total` (all of
//! them). Each message has an `id`: a call's key, so the same message read again is the same call.
//! Newer builds append the session to `session-*.jsonl` instead, one message a line; a message
//! written again later (`$set`, a growing answer) supersedes the earlier copy by its id.

use std::borrow::Cow;

use crate::ground::hash::key;
use crate::ground::json::{Count, List, Str, object};
use crate::ground::time::parse_rfc3339;
use crate::ground::tokens::Tokens;
use crate::provider::found::{Call, Found, mended};
use crate::provider::spec::Lines;

object! { struct Counts {
    input: Count = "input",
    output: Count = "output",
    cached: Count = "cached",
    thoughts: Count = "thoughts",
    tool: Count = "tool",
} }

object! { struct Message<'a> {
    id: Option<Str<'a>> = "id",
    kind: Option<Str<'a>> = "type",
    timestamp: Option<Str<'a>> = "timestamp",
    model: Option<Str<'a>> = "model",
    tokens: Option<Counts> = "tokens",
} }

object! { struct Session<'a> {
    session: Option<Str<'a>> = "sessionId",
    messages: List<Message<'a>> = "messages",
} }

/// The call a message records, if it is a model's turn with counts.
fn call<'a>(m: Message<'a>, session: &str, out: &mut Vec<Found<'a>>) {
    if m.kind.as_ref().map(Str::as_str) != Some("gemini") {
        return;
    }
    let Some(t) = m.tokens else { return };
    let (Some(ts), Some(id)) = (m.timestamp.as_ref().and_then(|t| parse_rfc3339(t.as_str())), m.id) else {
        out.push(Found::Malformed);
        return;
    };
    let counts = (t.input.get(), t.output.get(), t.cached.get(), t.thoughts.get(), t.tool.get());
    let (Some(input), Some(output), Some(cached), Some(thoughts), Some(tool)) = counts else {
        out.push(Found::Malformed);
        return;
    };
    if input == 0 && output == 0 && thoughts == 0 && tool == 0 {
        return; // a turn cancelled before the model answered
    }
    let tokens = Tokens {
        input: input.saturating_sub(cached).saturating_add(tool),
        output: output.saturating_add(thoughts),
        cache_read: cached.min(input),
        reasoning: thoughts,
        ..Tokens::default()
    };
    let k = key("gemini-message", &[session.as_bytes(), id.as_str().as_bytes()]);
    let model = m.model.map_or(Cow::Borrowed("gemini (unnamed)"), |m| m.0);
    // The session's own id, not its file's name: the same session copied into a `.jsonl` when
    // resumed, or into a second project folder, is one session.
    let within = Some((session.to_owned(), String::new()));
    out.push(Found::Call(Call { model, within, ..Call::new(ts, k, "", tokens) }));
}

/// A whole `session-*.json`: false when it is no document (cut short while being written).
pub fn document<'a>(bytes: &'a [u8], _path: &[u8], out: &mut Vec<Found<'a>>) -> bool {
    let Ok(s) = serde_json::from_slice::<Session>(bytes) else {
        return mended(bytes, out, |fixed, found| document(fixed, _path, found)).unwrap_or(false);
    };
    let session = s.session.as_ref().map_or("", Str::as_str).to_owned();
    for m in s.messages.0 {
        call(m, &session, out);
    }
    true
}

/// `session-*.jsonl`: a first line naming the session, then a message (or an update of one) a line.
#[derive(Default)]
pub struct Appended {
    session: String,
}

object! { struct Head<'a> { session: Option<Str<'a>> = "sessionId" } }

impl Lines for Appended {
    fn line<'a>(&mut self, line: &'a [u8], _at: u64, path: &[u8], out: &mut Vec<Found<'a>>) {
        if self.session.is_empty() {
            // The session's id, from its first line or else its file's name.
            self.session = serde_json::from_slice::<Head>(line)
                .ok()
                .and_then(|h| h.session.map(|s| s.0.into_owned()))
                .unwrap_or_else(|| String::from_utf8_lossy(path).into_owned());
        }
        if memchr::memmem::find(line, b"\"tokens\"").is_none() {
            return;
        }
        match serde_json::from_slice::<Message>(line) {
            Ok(m) => {
                let session = self.session.clone();
                call(m, &session, out)
            }
            Err(_) => {
                if mended(line, out, |fixed, found| self.line(fixed, _at, path, found)).is_none() {
                    out.push(Found::Malformed);
                }
            }
        }
    }

    fn save(&self) -> Vec<u8> {
        self.session.as_bytes().to_vec()
    }
}

impl Appended {
    pub fn resume(aux: &[u8]) -> Appended {
        Appended { session: String::from_utf8_lossy(aux).into_owned() }
    }
}
