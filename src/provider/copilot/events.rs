//! A Copilot CLI session's `events.jsonl`: one event a line, appended to (the session's own record
//! of itself; the per-call usage events Copilot sends its UI are never written).
//!
//! What the file holds of usage, by version:
//!
//! - a call's output: `assistant.message`'s `outputTokens` (1.0.40 on), one API request being one or
//!   more messages that share an `apiCallId` (the largest count is the call's);
//! - every count of a call: `session.usage_record` (newer builds), keyed by the same `apiCallId`;
//! - the input side, per session and model: `session.shutdown`'s `modelMetrics` (inside
//!   `accountingSnapshot` in newer builds), where `inputTokens` includes the cache's reads and
//!   writes and `outputTokens` the reasoning. Up to 1.0.65 a shutdown counts the process that wrote
//!   it; from 1.0.66 the whole session, resumes included (`session.start.copilotVersion` tells);
//! - premium requests: the shutdown's `totalPremiumRequests` (`totalPremiumRequestCost`), and the
//!   running total `session.usage_checkpoint` writes (1.0.80 on), counted the same way.
//!
//! So each call is counted as its own lines say, and what a shutdown or checkpoint reports beyond
//! what this file's calls of that model already counted is added to that model's last call (its
//! time is the nearest a call has): input and cache while a session is open are known at its end.

use crate::ground::codec::{R, Reader as Bytes, Writer};
use crate::ground::hash::key;
use crate::ground::json::{Count, Num, Str, object};
use crate::ground::time::parse_rfc3339;
use crate::ground::tokens::Tokens;
use crate::provider::found::{Call, Found, mended};
use crate::provider::spec::Lines;

object! { struct Usage {
    input: Count = "inputTokens",
    output: Count = "outputTokens",
    read: Count = "cacheReadTokens",
    write: Count = "cacheWriteTokens",
    reasoning: Count = "reasoningTokens",
} }

object! { struct Metric { usage: Option<Usage> = "usage" } }

object! { struct Record<'a> {
    model: Option<Str<'a>> = "model",
    api_call: Option<Str<'a>> = "apiCallId",
    input: Count = "inputTokens",
    output: Count = "outputTokens",
    read: Count = "cacheReadTokens",
    write: Count = "cacheWriteTokens",
    reasoning: Count = "reasoningTokens",
} }

object! { struct Context<'a> { cwd: Option<Str<'a>> = "cwd" } }

object! { struct Snapshot {
    metrics: Option<Metrics> = "modelMetrics",
    premium: Num = "totalPremiumRequestCost",
} }

object! { struct Data<'a> {
    session: Option<Str<'a>> = "sessionId",
    version: Option<Str<'a>> = "copilotVersion",
    selected: Option<Str<'a>> = "selectedModel",
    new_model: Option<Str<'a>> = "newModel",
    context: Option<Context<'a>> = "context",
    model: Option<Str<'a>> = "model",
    output: Count = "outputTokens",
    api_call: Option<Str<'a>> = "apiCallId",
    message: Option<Str<'a>> = "messageId",
    usage: Option<Record<'a>> = "usage",
    metrics: Option<Metrics> = "modelMetrics",
    premium: Num = "totalPremiumRequests",
    snapshot: Option<Snapshot> = "accountingSnapshot",
} }

object! { struct Event<'a> {
    kind: Option<Str<'a>> = "type",
    timestamp: Option<Str<'a>> = "timestamp",
    data: Option<Data<'a>> = "data",
} }

/// `modelMetrics`: an object keyed by model name.
#[derive(Default)]
struct Metrics(Vec<(String, Metric)>);

impl<'de> serde::Deserialize<'de> for Metrics {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Metrics, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Metrics;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("metrics by model")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Metrics, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = a.next_key::<Str<'de>>()? {
                    out.push((k.0.into_owned(), a.next_value::<Metric>()?));
                }
                Ok(Metrics(out))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Metrics, E> {
                Ok(Metrics::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Metrics, A::Error> {
                crate::ground::json::odd();
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Metrics::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// Counts as this file's accounting keeps them: fresh input, output (reasoning included), cache
/// reads and writes, reasoning.
type Five = [u64; 5];

fn tokens(f: Five) -> Tokens {
    Tokens { input: f[0], output: f[1], cache_read: f[2], write_5m: f[3], reasoning: f[4].min(f[1]), ..Tokens::default() }
}

fn five(input: Count, output: Count, read: Count, write: Count, reasoning: Count) -> Option<Five> {
    let (read, write) = (read.get()?, write.get()?);
    // Copilot's input includes the cache's reads and writes.
    Some([input.get()?.saturating_sub(read).saturating_sub(write), output.get()?, read, write, reasoning.get()?])
}

fn over(a: Five, b: Five) -> Five {
    std::array::from_fn(|i| a[i].saturating_sub(b[i]))
}

fn add(a: Five, b: Five) -> Five {
    std::array::from_fn(|i| a[i].saturating_add(b[i]))
}

/// One model's part of the file: what its calls counted, and its last call.
#[derive(Clone, Debug, Default, PartialEq)]
struct Model {
    name: String,
    /// Everything counted for it in this file.
    counted: Five,
    /// Counted since the last shutdown (a process's own, for versions whose shutdown counts one).
    since: Five,
    /// Its last call: key, time, counts, premium requests (thousandths) added to it.
    last: Option<(u64, i64, Five, u64)>,
}

/// What later lines need: the session, how its shutdowns count, each model's part, the premium
/// requests counted, the model in force, and the model of the last call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reader {
    session: String,
    /// Shutdowns count the whole session (1.0.66 on), not the process that wrote them.
    cumulative: bool,
    models: Vec<Model>,
    premium: u64,
    premium_since: u64,
    current: String,
    last_model: String,
}

/// Whether a `copilotVersion` (`1.0.64-1`) writes shutdowns that count the whole session.
fn cumulative(version: &str) -> bool {
    let parts: Vec<u32> =
        version.split(['.', '-']).take(3).map(|p| p.parse().unwrap_or(0)).collect::<Vec<_>>();
    match parts[..] {
        [a, b, c] => (a, b, c) >= (1, 0, 66),
        _ => true,
    }
}

impl Reader {
    pub fn resume(aux: &[u8], session: &str) -> Reader {
        let load = || -> R<Reader> {
            let mut r = Bytes::new(aux);
            let text = |r: &mut Bytes| -> R<String> { Ok(String::from_utf8_lossy(r.bytes()?).into_owned()) };
            let five = |r: &mut Bytes| -> R<Five> { Ok([r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?]) };
            let mut out = Reader { session: text(&mut r)?, cumulative: r.u8()? != 0, ..Reader::default() };
            (out.premium, out.premium_since) = (r.u64()?, r.u64()?);
            (out.current, out.last_model) = (text(&mut r)?, text(&mut r)?);
            for _ in 0..r.count(48)? {
                let mut m = Model { name: text(&mut r)?, counted: five(&mut r)?, since: five(&mut r)?, last: None };
                if r.u8()? != 0 {
                    m.last = Some((r.u64()?, r.i64()?, five(&mut r)?, r.u64()?));
                }
                out.models.push(m);
            }
            Ok(out)
        };
        if aux.is_empty() {
            return Reader { session: session.to_owned(), cumulative: true, ..Reader::default() };
        }
        load().unwrap_or_else(|_| Reader { session: session.to_owned(), cumulative: true, ..Reader::default() })
    }

    fn model(&mut self, name: &str) -> &mut Model {
        let i = match self.models.iter().position(|m| m.name == name) {
            Some(i) => i,
            None => {
                self.models.push(Model { name: name.to_owned(), ..Model::default() });
                self.models.len() - 1
            }
        };
        &mut self.models[i]
    }

    /// A call's counts as a line gives them: the same call again (another chunk, or its usage
    /// record) keeps the larger of each count.
    fn call<'a>(&mut self, model: &str, id: &str, ts: i64, counts: Five, out: &mut Vec<Found<'a>>) {
        let k = key("copilot-call", &[self.session.as_bytes(), id.as_bytes()]);
        self.last_model = model.to_owned();
        let m = self.model(model);
        let (counts, premium, ts) = match m.last {
            Some((lk, lts, old, p)) if lk == k => {
                let merged: Five = std::array::from_fn(|i| old[i].max(counts[i]));
                let grew = over(merged, old);
                m.counted = add(m.counted, grew);
                m.since = add(m.since, grew);
                (merged, p, lts)
            }
            _ => {
                m.counted = add(m.counted, counts);
                m.since = add(m.since, counts);
                (counts, 0, ts)
            }
        };
        m.last = Some((k, ts, counts, premium));
        out.push(emit(model, m.last.unwrap_or_default()));
    }

    /// What a shutdown or checkpoint reports for `model` beyond what was counted: added to its last
    /// call, or a call of its own at `ts` when the file has none of it.
    fn settle<'a>(&mut self, model: &str, total: Five, ts: i64, out: &mut Vec<Found<'a>>) {
        let cumulative = self.cumulative;
        let session = self.session.clone();
        let m = self.model(model);
        let extra = over(total, if cumulative { m.counted } else { m.since });
        if extra.iter().all(|&v| v == 0) {
            return;
        }
        m.counted = add(m.counted, extra);
        m.since = add(m.since, extra);
        let last = match m.last {
            Some((k, t, c, p)) => (k, t, add(c, extra), p),
            None => (key("copilot-total", &[session.as_bytes(), model.as_bytes()]), ts, extra, 0),
        };
        m.last = Some(last);
        out.push(emit(model, last));
    }

    /// Premium requests reported (a running or a process's total), beyond those counted: added to
    /// the last call.
    fn premium<'a>(&mut self, total: f64, ts: i64, out: &mut Vec<Found<'a>>) {
        if !total.is_finite() || !(0.0..1e9).contains(&total) {
            out.push(Found::Implausible("premium requests outside 0-1e9"));
            return;
        }
        let milli = (total * 1000.0).round() as u64;
        let extra = milli.saturating_sub(if self.cumulative { self.premium } else { self.premium_since });
        if extra == 0 {
            return;
        }
        (self.premium, self.premium_since) = (self.premium + extra, self.premium_since + extra);
        let name = if self.last_model.is_empty() { self.current.clone() } else { self.last_model.clone() };
        let session = self.session.clone();
        let m = self.model(&name);
        let last = match m.last {
            Some((k, t, c, p)) => (k, t, c, p + extra),
            None => (key("copilot-total", &[session.as_bytes(), name.as_bytes()]), ts, [0; 5], extra),
        };
        m.last = Some(last);
        out.push(emit(&name, last));
    }

    /// A shutdown closes what its process counted.
    fn closed(&mut self) {
        for m in &mut self.models {
            m.since = [0; 5];
        }
        self.premium_since = 0;
    }

    pub fn save(&self) -> Vec<u8> {
        let mut w = Writer::default();
        let five = |w: &mut Writer, f: &Five| {
            for v in f {
                w.u64(*v);
            }
        };
        w.bytes(self.session.as_bytes()).u8(u8::from(self.cumulative)).u64(self.premium).u64(self.premium_since);
        w.bytes(self.current.as_bytes()).bytes(self.last_model.as_bytes());
        w.u32(self.models.len() as u32);
        for m in &self.models {
            w.bytes(m.name.as_bytes());
            five(&mut w, &m.counted);
            five(&mut w, &m.since);
            match &m.last {
                Some((k, t, c, p)) => {
                    w.u8(1).u64(*k).i64(*t);
                    five(&mut w, c);
                    w.u64(*p);
                }
                None => {
                    w.u8(0);
                }
            }
        }
        w.buf
    }
}

fn emit(model: &str, (k, ts, counts, premium): (u64, i64, Five, u64)) -> Found<'static> {
    Found::Call(Call { premium, model: model.to_owned().into(), ..Call::new(ts, k, "", tokens(counts)) })
}

fn text(s: &Option<Str>) -> Option<String> {
    s.as_ref().map(|v| v.0.trim().to_owned()).filter(|v| !v.is_empty())
}

impl Lines for Reader {
    fn line<'a>(&mut self, line: &'a [u8], _at: u64, path: &[u8], out: &mut Vec<Found<'a>>) {
        if self.session.is_empty() {
            // Until `session.start` names it (a file that lacks one): its path's.
            self.session = super::origin::of(&String::from_utf8_lossy(path)).1;
        }
        // Most lines are tool calls, hooks and messages without counts.
        let wanted = [&b"\"session."[..], b"\"assistant.message\""];
        if !wanted.iter().any(|w| memchr::memmem::find(line, w).is_some()) {
            return;
        }
        let Ok(e) = serde_json::from_slice::<Event>(line) else {
            if mended(line, out, |fixed, found| self.line(fixed, _at, path, found)).is_none() {
                out.push(Found::Malformed);
            }
            return;
        };
        let (Some(kind), Some(d)) = (e.kind.as_ref().map(Str::as_str), e.data) else { return };
        let ts = e.timestamp.as_ref().and_then(|t| parse_rfc3339(t.as_str()));
        match kind {
            "session.start" | "session.resume" => {
                if kind == "session.start" {
                    if let Some(s) = text(&d.session) {
                        self.session = s;
                    }
                    self.cumulative = text(&d.version).is_none_or(|v| cumulative(&v));
                }
                if let Some(m) = text(&d.selected) {
                    self.current = m;
                }
                if let Some(cwd) = d.context.as_ref().and_then(|c| text(&c.cwd)) {
                    out.push(Found::Project(cwd));
                }
            }
            "session.model_change" => {
                if let Some(m) = text(&d.new_model) {
                    self.current = m;
                }
            }
            "assistant.message" => {
                // Without a count it tells nothing (early builds, or a chunk of a call counted
                // elsewhere).
                if matches!(d.output, Count::Absent) {
                    return;
                }
                let (Some(ts), Some(output)) = (ts, d.output.get()) else { return out.push(Found::Malformed) };
                let Some(id) = text(&d.api_call).or_else(|| text(&d.message)) else { return };
                let model = text(&d.model).unwrap_or_else(|| self.current.clone());
                self.call(&model, &id, ts, [0, output, 0, 0, 0], out);
            }
            "session.usage_record" => {
                let (Some(ts), Some(u)) = (ts, d.usage) else { return out.push(Found::Malformed) };
                let Some(counts) = five(u.input, u.output, u.read, u.write, u.reasoning) else {
                    return out.push(Found::Malformed);
                };
                let Some(id) = text(&u.api_call) else { return };
                let model = text(&u.model).unwrap_or_else(|| self.current.clone());
                self.call(&model, &id, ts, counts, out);
            }
            "session.shutdown" | "session.usage_checkpoint" => {
                let Some(ts) = ts else { return out.push(Found::Malformed) };
                let premium = d.premium.get().or_else(|| d.snapshot.as_ref().and_then(|s| s.premium.get()));
                let metrics = d.metrics.or(d.snapshot.and_then(|s| s.metrics));
                for (model, m) in metrics.map(|m| m.0).unwrap_or_default() {
                    let Some(u) = m.usage else { continue };
                    match five(u.input, u.output, u.read, u.write, u.reasoning) {
                        Some(total) => self.settle(&model, total, ts, out),
                        None => out.push(Found::Malformed),
                    }
                }
                if let Some(p) = premium {
                    self.premium(p, ts, out);
                }
                if kind == "session.shutdown" {
                    self.closed();
                }
            }
            _ => {}
        }
    }

    fn save(&self) -> Vec<u8> {
        Reader::save(self)
    }
}
