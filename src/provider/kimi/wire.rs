//! A Kimi Code agent's `wire.jsonl`: everything the agent did, one event a line, appended to. A
//! model call is a `usage.record` line: `model`, `time` (ms), and `usage` with `inputOther` (fresh
//! input), `inputCacheRead`, `inputCacheCreation` and `output`, for what it names (`usageScope`:
//! `turn`, or `session` for the call that compacts the session: a call all the
//! same). A `config.update` line may name the working directory (`cwd`). Records carry no id:
//! a call is named by its model, time and counts, which a forked session's copy of its parent's
//! records repeats byte for byte (so the copy is the same call, counted once).

use std::borrow::Cow;

use crate::ground::hash::Hasher;
use crate::ground::json::{Count, Num, Str, object};
use crate::ground::tokens::Tokens;
use crate::provider::found::{Call, Found, mended};
use crate::provider::spec::Lines;

object! { struct Usage {
    input: Count = "inputOther",
    output: Count = "output",
    read: Count = "inputCacheRead",
    write: Count = "inputCacheCreation",
} }

object! { struct Line<'a> {
    kind: Option<Str<'a>> = "type",
    model: Option<Str<'a>> = "model",
    usage: Option<Usage> = "usage",
    time: Num = "time",
    cwd: Option<Str<'a>> = "cwd",
} }

/// Holds a read's calls until its end: a `forked` line (a fork's file begins with a verbatim copy of
/// its parent's, then says so) makes the calls before it copies, which count for the parent's file
/// when it is there (`sidechain`: the copy of a call that another file holds; see `read::dedup`).
#[derive(Default)]
pub struct Reader {
    held: Vec<Call<'static>>,
}

impl Lines for Reader {
    fn finish(&mut self, out: &mut Vec<Found<'static>>) {
        out.extend(self.held.drain(..).map(Found::Call));
    }

    fn line<'a>(&mut self, line: &'a [u8], _at: u64, _path: &[u8], out: &mut Vec<Found<'a>>) {
        let usage = memchr::memmem::find(line, b"usage.record").is_some();
        let other = [&b"\"cwd\""[..], b"\"forked\""].iter().any(|w| memchr::memmem::find(line, w).is_some());
        if !usage && !other {
            return;
        }
        let Ok(l) = serde_json::from_slice::<Line>(line) else {
            if mended(line, out, |fixed, found| self.line(fixed, _at, _path, found)).is_none() && usage {
                out.push(Found::Malformed);
            }
            return;
        };
        match l.kind.as_ref().map(Str::as_str) {
            Some("forked") => {
                for c in &mut self.held {
                    c.sidechain = true;
                }
            }
            Some("config.update") => {
                if let Some(cwd) = l.cwd.filter(|c| !c.0.is_empty()) {
                    out.push(Found::Project(cwd.0.into_owned()));
                }
            }
            // Every scope is a call of its own: a turn's, or a compaction's (`session`), each after
            // its `llm.request`.
            Some("usage.record") => {
                let (Some(u), Some(ts)) = (l.usage, l.time.get().filter(|t| *t > 0.0 && *t < 1e15)) else {
                    out.push(Found::Malformed);
                    return;
                };
                let (Some(input), Some(output), Some(read), Some(write)) =
                    (u.input.get(), u.output.get(), u.read.get(), u.write.get())
                else {
                    out.push(Found::Malformed);
                    return;
                };
                let tokens = Tokens { input, output, cache_read: read, write_5m: write, ..Tokens::default() };
                let model = l.model.as_ref().map_or("", Str::as_str);
                let mut h = Hasher::new("kimi-usage");
                h.part(model.as_bytes()).u64(ts.to_bits());
                for v in [input, output, read, write] {
                    h.u64(v);
                }
                let k = h.finish();
                let model = l.model.map_or_else(|| "kimi (unnamed)".to_owned(), |m| m.0.into_owned());
                self.held.push(Call { model: Cow::Owned(model), ..Call::new(ts as i64, k, "", tokens) });
            }
            _ => {}
        }
    }

    fn save(&self) -> Vec<u8> {
        Vec::new()
    }
}
