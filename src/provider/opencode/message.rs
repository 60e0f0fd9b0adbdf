//! An OpenCode message, as its database's `message.data` or an older version's
//! `storage/message/<session>/<message>.json` holds it: an assistant's turn has `modelID`,
//! `providerID`, `time.created` (ms), `tokens{input, output, reasoning, cache{read, write}}` and
//! OpenCode's own `cost` (USD, by the price table it had then; 0 for subscriptions).
//!
//! `input` is the fresh input in every version. What `output` holds changed: up to 1.3 it was the
//! API's completion count, which includes reasoning for OpenAI and Anthropic models and leaves it
//! out for Google's; from 1.14 every count is apart, and `tokens.total` (when written) is their
//! sum. So: a message whose `total` is the sum of the five counts, or a Google model's, bills
//! `output + reasoning`; any other bills `output`, which holds its reasoning.

use std::borrow::Cow;

use crate::ground::hash::key;
use crate::ground::json::{Count, Num, Str, object};
use crate::ground::tokens::Tokens;
use crate::provider::found::{Call, Found, mended};

object! { pub struct Cache { read: Count = "read", write: Count = "write" } }

object! { pub struct Counts {
    total: Count = "total",
    input: Count = "input",
    output: Count = "output",
    reasoning: Count = "reasoning",
    cache: Option<Cache> = "cache",
} }

object! { pub struct Time { created: Num = "created" } }

object! { pub struct Path<'a> { cwd: Option<Str<'a>> = "cwd" } }

object! { pub struct Message<'a> {
    id: Option<Str<'a>> = "id",
    session: Option<Str<'a>> = "sessionID",
    role: Option<Str<'a>> = "role",
    model: Option<Str<'a>> = "modelID",
    provider: Option<Str<'a>> = "providerID",
    time: Option<Time> = "time",
    tokens: Option<Counts> = "tokens",
    cost: Num = "cost",
    path: Option<Path<'a>> = "path",
} }

/// The key of a message: the same message read from the database and from an old JSON copy (which
/// OpenCode leaves behind when it moves to the database) is one call.
pub fn message_key(id: &str) -> u64 {
    key("opencode-message", &[id.as_bytes()])
}

/// The call an assistant message records (`id` when the message does not carry its own), with the
/// working directory it names.
pub fn call(m: Message<'_>, id: &str, out: &mut Vec<Found<'static>>) -> Option<String> {
    let cwd = m.path.as_ref().and_then(|p| p.cwd.as_ref()).map(|c| c.0.to_string()).filter(|c| !c.is_empty());
    if m.role.as_ref().map(Str::as_str) != Some("assistant") {
        return cwd;
    }
    let Some(t) = m.tokens else { return cwd };
    let ts = m.time.and_then(|t| t.created.get()).filter(|t| *t > 0.0 && *t < 1e15);
    let (read, write) = t.cache.map_or((Count::Absent, Count::Absent), |c| (c.read, c.write));
    let counts = (ts, t.input.get(), t.output.get(), t.reasoning.get(), read.get(), write.get(), t.total.get());
    let (Some(ts), Some(input), Some(output), Some(reasoning), Some(read), Some(write), Some(total)) = counts else {
        out.push(Found::Malformed);
        return cwd;
    };
    if input == 0 && output == 0 && reasoning == 0 && read == 0 && write == 0 {
        return cwd; // created, not answered yet
    }
    let google = m.provider.as_ref().is_some_and(|p| p.as_str() == "google")
        || m.model.as_ref().is_some_and(|x| x.as_str().contains("gemini"));
    let apart = total > 0 && total == input + output + reasoning + read + write;
    let (output, reasoning) = if apart || google { (output + reasoning, reasoning) } else { (output, reasoning.min(output)) };
    let tokens = Tokens { input, output, cache_read: read, write_5m: write, reasoning, ..Tokens::default() };
    let own = m.cost.get().filter(|c| c.is_finite() && *c > 0.0 && *c < 1e6).map(|c| (c * 1e12) as u64);
    let id = m.id.as_ref().map_or(id, Str::as_str);
    let model = m.model.map_or(Cow::Borrowed("opencode (unnamed)"), |x| x.0).into_owned();
    out.push(Found::Call(Call { cost: own, model: model.into(), ..Call::new(ts as i64, message_key(id), "", tokens) }));
    cwd
}

/// An older version's message file: one message, one call at most, in its session's folder.
pub fn file<'a>(bytes: &'a [u8], path: &[u8], out: &mut Vec<Found<'a>>) -> bool {
    let Ok(m) = serde_json::from_slice::<Message>(bytes) else {
        return mended(bytes, out, |fixed, found| file(fixed, path, found)).unwrap_or(false);
    };
    let mut one = Vec::new();
    if let Some(cwd) = call(m, &String::from_utf8_lossy(path), &mut one) {
        out.push(Found::Project(cwd));
    }
    out.extend(one);
    true
}
