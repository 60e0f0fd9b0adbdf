//! The JSON shapes of a Codex CLI rollout line, as far as runway reads them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::ground::json::{Count, Num, Str, object};

object! { pub struct TokenUsage {
    input_tokens: Count = "input_tokens",
    cached_input_tokens: Count = "cached_input_tokens",
    output_tokens: Count = "output_tokens",
    reasoning_output_tokens: Count = "reasoning_output_tokens",
    total_tokens: Count = "total_tokens",
} }

pub type Raw = [u64; 5];

impl TokenUsage {
    pub fn raw(&self) -> Option<Raw> {
        Some([
            self.input_tokens.get()?,
            self.cached_input_tokens.get()?,
            self.output_tokens.get()?,
            self.reasoning_output_tokens.get()?,
            self.total_tokens.get()?,
        ])
    }
}

object! { pub struct Info<'a> {
    total_token_usage: Option<TokenUsage> = "total_token_usage",
    last_token_usage: Option<TokenUsage> = "last_token_usage",
    model: Option<Str<'a>> = "model",
} }

object! { pub struct LimitWindow {
    used_percent: Num = "used_percent",
    window_minutes: Num = "window_minutes",
    resets_at: Num = "resets_at",
    resets_in_seconds: Num = "resets_in_seconds",
} }

object! { pub struct RateLimits<'a> {
    limit_id: Option<Str<'a>> = "limit_id",
    limit_name: Option<Str<'a>> = "limit_name",
    primary: Option<LimitWindow> = "primary",
    secondary: Option<LimitWindow> = "secondary",
} }

object! { pub struct ThreadSpawn<'a> { parent_thread_id: Option<Str<'a>> = "parent_thread_id" } }
object! { pub struct SubagentSource<'a> { thread_spawn: Option<ThreadSpawn<'a>> = "thread_spawn" } }
object! { pub struct SourceObject<'a> { subagent: Option<SubagentSource<'a>> = "subagent" } }

/// `"cli"`, `"exec"`… or, for a sub-agent, an object naming its parent.
#[derive(Default)]
pub struct Source<'a>(pub Option<SourceObject<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for Source<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Source<'a>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Source<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a session source")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<Source<'de>, A::Error> {
                SourceObject::deserialize(de::value::MapAccessDeserializer::new(a)).map(|o| Source(Some(o)))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Source<'de>, E> {
                Ok(Source(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Source<'de>, A::Error> {
                while a.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Source(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Source<'de>, E> {
                Ok(Source(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Source<'de>, E> {
                Ok(Source(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Source<'de>, E> {
                Ok(Source(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Source<'de>, E> {
                Ok(Source(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Source<'de>, E> {
                Ok(Source(None))
            }
        }
        d.deserialize_any(V)
    }
}

object! { pub struct Payload<'a> {
    kind: Option<Str<'a>> = "type",
    info: Option<Info<'a>> = "info",
    rate_limits: Option<RateLimits<'a>> = "rate_limits",
    model: Option<Str<'a>> = "model",
    forked_from_id: Option<Str<'a>> = "forked_from_id",
    cwd: Option<Str<'a>> = "cwd",
    source: Option<Source<'a>> = "source",
} }

object! { pub struct Line<'a> {
    timestamp: Option<Str<'a>> = "timestamp",
    kind: Option<Str<'a>> = "type",
    payload: Option<Payload<'a>> = "payload",
} }
