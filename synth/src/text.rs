//! Pseudo text to fill transcripts with, and times written the way the tools write them.

use crate::rng::Rng;

const WORDS: &[&str] = &[
    "the",
    "cache",
    "session",
    "function",
    "returns",
    "error",
    "value",
    "module",
    "test",
    "config",
    "parse",
    "line",
    "file",
    "window",
    "result",
    "struct",
    "impl",
    "let",
    "match",
    "Some",
    "None",
    "async",
    "await",
    "request",
    "response",
    "token",
    "model",
    "limit",
    "block",
    "reset",
    "update",
    "index",
    "offset",
    "buffer",
    "write",
    "read",
    "path",
    "String",
    "Vec<u8>",
    "u64",
    "assert_eq!",
    "fn",
    "pub",
    "mod",
    "use",
    "crate::",
    "self",
    "Ok(())",
    "=>",
    "{",
    "}",
    "(",
    ")",
    "//",
    "0x1f",
];

/// A pool of JSON-escaped pseudo text to slice from (never a raw quote, backslash or control char
/// except as the escapes `\n` and `\"`).
pub struct Pool(String);

impl Pool {
    pub fn new(rng: &mut Rng) -> Pool {
        let mut s = String::with_capacity(1 << 20);
        while s.len() < (1 << 20) {
            let w = WORDS[rng.below(WORDS.len() as u64) as usize];
            s.push_str(w);
            match rng.below(20) {
                0 => s.push_str("\\n"),
                1 => s.push_str("\\n    "),
                2 => s.push_str(" \\\"x\\\" "),
                _ => s.push(' '),
            }
        }
        Pool(s)
    }
    pub fn text(&self, rng: &mut Rng, len: usize) -> &str {
        let b = self.0.as_bytes();
        let len = len.min(b.len() - 2);
        let mut start = rng.below((b.len() - len - 1) as u64) as usize;
        if start > 0 && b[start - 1] == b'\\' {
            start += 1;
        }
        let mut end = start + len;
        while end > start && b[end - 1] == b'\\' {
            end -= 1;
        }
        &self.0[start..end]
    }
}

/// Times as Claude Code and Codex write them: always three digits of milliseconds.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default()
}
