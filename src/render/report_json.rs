//! `runway report --json`, in ccusage's shape where ccusage has the report, so scripts written for
//! it keep working: `daily[]`, `weekly[]`, `monthly[]`, `session[]` rows with `period`,
//! `inputTokens`, `outputTokens`, `cacheCreationTokens`, `cacheReadTokens`, `totalTokens`,
//! `totalCost`, `modelsUsed`, `modelBreakdowns[]`, and `totals`; `blocks[]` as `ccusage blocks`
//! prints them (with its gaps). `project[]` and `model[]`, which ccusage does not have, use the same
//! row. What runway adds is under each row's `runway` key. Keys in ccusage's (alphabetical) order.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::{Value, json};

use super::words::{dollars, round2};
use crate::ground::block::BLOCK_MS;
use crate::ground::provider::Provider;
use crate::ground::tokens::{Sums, Totals, requests as premium};
use crate::report::group::Acc;
use crate::report::{By, Report, Row};

/// ccusage's instants: always with milliseconds (`strftime` took a sixth of a session report's
/// JSON; the fixed-precision display is a few times cheaper).
fn iso(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map_or_else(|_| String::new(), |t| format!("{t:.3}"))
}

/// A row as ccusage writes it, serialized field by field: building a `Value` per row (a map per
/// object) took 25 ms of a 45 ms session report over 831 sessions; this takes (see the benchmark).
struct RowOut<'a> {
    by: By,
    row: &'a Row,
    model: &'a dyn Fn(u16) -> String,
}

struct Breakdown<'a>(String, &'a Totals);

impl Serialize for Breakdown<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = &self.1.sums;
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("cacheCreationTokens", &t.cache_creation)?;
        m.serialize_entry("cacheReadTokens", &t.cache_read)?;
        m.serialize_entry("cost", &dollars(t.cost))?;
        m.serialize_entry("inputTokens", &t.input)?;
        m.serialize_entry("modelName", &self.0)?;
        m.serialize_entry("outputTokens", &t.output)?;
        m.end()
    }
}

struct Metadata<'a>(By, &'a Row);

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.1;
        let mut m = s.serialize_map(None)?;
        if self.0 == By::Session {
            m.serialize_entry("lastActivity", &iso(r.acc.last))?;
            m.serialize_entry("project", &r.project)?;
        } else {
            m.serialize_entry("agents", &r.providers.iter().map(|p| p.name()).collect::<Vec<_>>())?;
        }
        if let Some((id, this, written)) = &r.device {
            m.serialize_entry("deviceId", id)?;
            m.serialize_entry("thisDevice", this)?;
            m.serialize_entry("written", &iso(*written))?;
        }
        m.end()
    }
}

struct Extra<'a>(&'a Acc);

impl Serialize for Extra<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("calls", &a.totals.entries)?;
        m.serialize_entry("cacheHitPercent", &a.totals.sums.cache_hit().map(round2))?;
        m.serialize_entry("unpricedTokens", &a.totals.sums.unpriced)?;
        m.serialize_entry("firstActivity", &iso(a.first))?;
        // Of `outputTokens` (which includes them, as every vendor bills them): see README.
        m.serialize_entry("reasoningTokens", &a.totals.sums.reasoning)?;
        m.serialize_entry("premiumRequests", &premium(a.totals.sums.premium))?;
        m.end()
    }
}

impl Serialize for RowOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, model) = (self.row, self.model);
        let t = &r.acc.totals.sums;
        // ccusage lists a session's models in the order they were first used, a period's by name.
        let mut used: Vec<String> = r.acc.models_by_first_use().into_iter().map(model).collect();
        if self.by != By::Session {
            used.sort();
        }
        let models = r.acc.models_by_cost();
        let breakdowns: Vec<Breakdown> = models.iter().map(|(m, t)| Breakdown(model(*m), t)).collect();
        let agent = match self.by {
            By::Session | By::Tool => r.providers.first().map_or("all", |p| p.name()),
            _ => "all",
        };
        let mut m = s.serialize_map(Some(12))?;
        m.serialize_entry("agent", agent)?;
        m.serialize_entry("cacheCreationTokens", &t.cache_creation)?;
        m.serialize_entry("cacheReadTokens", &t.cache_read)?;
        m.serialize_entry("inputTokens", &t.input)?;
        m.serialize_entry("metadata", &Metadata(self.by, r))?;
        m.serialize_entry("modelBreakdowns", &breakdowns)?;
        m.serialize_entry("modelsUsed", &used)?;
        m.serialize_entry("outputTokens", &t.output)?;
        m.serialize_entry("period", &r.key)?;
        m.serialize_entry("runway", &Extra(&r.acc))?;
        m.serialize_entry("totalCost", &dollars(t.cost))?;
        m.serialize_entry("totalTokens", &t.total())?;
        m.end()
    }
}

/// The rows as they come (a report's, or a chunk at a time, see `report::sessions`): serialized
/// once, as they are taken.
struct Rows<'a, I>(std::cell::RefCell<I>, By, &'a dyn Fn(u16) -> String);

impl<I: Iterator<Item = R>, R: std::borrow::Borrow<Row>> Serialize for Rows<'_, I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(None)?;
        for row in self.0.borrow_mut().by_ref() {
            seq.serialize_element(&RowOut { by: self.1, row: row.borrow(), model: self.2 })?;
        }
        seq.end()
    }
}

fn sums(s: &Sums) -> Value {
    json!({
        "cacheCreationTokens": s.cache_creation,
        "cacheReadTokens": s.cache_read,
        "inputTokens": s.input,
        "outputTokens": s.output,
        "totalCost": dollars(s.cost),
        "totalTokens": s.total(),
    })
}

fn block(r: &Row, model: &dyn Fn(u16) -> String) -> Value {
    let (start, active) = r.block.unwrap_or((r.acc.first, false));
    let s = &r.acc.totals.sums;
    json!({
        "actualEndTime": iso(r.acc.last),
        "burnRate": Value::Null,
        "costUSD": dollars(s.cost),
        "endTime": iso(start + BLOCK_MS),
        "entries": r.acc.totals.entries,
        "id": iso(start),
        "isActive": active,
        "isGap": false,
        "models": r.acc.models_by_cost().iter().map(|(m, _)| model(*m)).collect::<Vec<_>>(),
        "projection": Value::Null,
        "runway": {
            "agent": r.providers.first().map(|p| p.name()),
            "calls": r.acc.totals.entries,
            "firstActivity": iso(r.acc.first),
            "cacheHitPercent": s.cache_hit().map(round2),
            "unpricedTokens": s.unpriced,
            "reasoningTokens": s.reasoning,
            "premiumRequests": premium(s.premium),
        },
        "startTime": iso(start),
        "tokenCounts": {
            "cacheCreationInputTokens": s.cache_creation,
            "cacheReadInputTokens": s.cache_read,
            "inputTokens": s.input,
            "outputTokens": s.output,
        },
        "totalTokens": s.total(),
    })
}

/// A stretch of more than five hours without a call, as ccusage marks it: from five hours after the
/// last call to the next call.
fn gap(from: i64, to: i64) -> Value {
    json!({
        "actualEndTime": Value::Null,
        "burnRate": Value::Null,
        "costUSD": 0,
        "endTime": iso(to),
        "entries": 0,
        "id": format!("gap-{}", iso(from)),
        "isActive": false,
        "isGap": true,
        "models": [],
        "projection": Value::Null,
        "startTime": iso(from),
        "tokenCounts": { "cacheCreationInputTokens": 0, "cacheReadInputTokens": 0, "inputTokens": 0, "outputTokens": 0 },
        "totalTokens": 0,
    })
}

fn blocks(rep: &Report, model: &dyn Fn(u16) -> String, notes: &Notes) -> Value {
    let mut out = Vec::new();
    for &p in Provider::ALL {
        let mut last: Option<i64> = None;
        for r in rep.rows.iter().filter(|r| r.providers.first() == Some(&p)) {
            if let Some(l) = last
                && r.acc.first - l > BLOCK_MS
            {
                out.push((l + BLOCK_MS, gap(l + BLOCK_MS, r.acc.first)));
            }
            out.push((r.block.map_or(r.acc.first, |b| b.0), block(r, model)));
            last = Some(r.acc.last);
        }
    }
    out.sort_by_key(|(t, _)| *t);
    json!({ "blocks": out.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), "runway": notes.json() })
}

/// What runway says of a report beside ccusage's keys (its `runway` key).
#[derive(Debug, Default)]
pub struct Notes {
    /// Per tool that has any, its sessions of the range that have no end written (GitHub Copilot's
    /// input and cache tokens come at a session's end: their rows are short of them).
    pub open: Vec<(Provider, usize)>,
    /// The other devices of the sync folder with use in the range that the rows leave out (every
    /// grouping but `device`), and their cost.
    pub left_out: (usize, crate::ground::tokens::Pico),
}

impl Notes {
    fn json(&self) -> Value {
        let open: serde_json::Map<String, Value> =
            self.open.iter().map(|(p, n)| (p.name().to_owned(), json!(n))).collect();
        json!({
            "openSessions": open,
            "otherDevices": { "devices": self.left_out.0, "totalCost": dollars(self.left_out.1) },
        })
    }
}

/// The report as pretty-printed JSON, written as it is made: over 100k sessions the text is 95 MB,
/// and held whole it was two fifths of the report's memory. In ASCII mode every character outside
/// ASCII is a `\u` escape (see `Ascii`).
pub fn write(
    rep: &Report,
    model: &dyn Fn(u16) -> String,
    ascii: bool,
    notes: &Notes,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if rep.by == By::Block {
        let mut ser = serde_json::Serializer::with_formatter(out, Pretty { inner: PrettyFormatter::new(), ascii });
        return blocks(rep, model, notes).serialize(&mut ser).map_err(std::io::Error::from);
    }
    write_rows(rep.by, rep.rows.iter(), &rep.total, model, ascii, notes, out)
}

/// `write` of rows that come one at a time (not blocks), with their totals.
pub fn write_rows<R: std::borrow::Borrow<Row>>(
    by: By,
    rows: impl Iterator<Item = R>,
    total: &Acc,
    model: &dyn Fn(u16) -> String,
    ascii: bool,
    notes: &Notes,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Pretty { inner: PrettyFormatter::new(), ascii });
    let name = match by {
        By::Block => "blocks",
        By::Day => "daily",
        By::Week => "weekly",
        By::Month => "monthly",
        By::Session => "session",
        By::Project => "project",
        By::Model => "model",
        By::Device => "device",
        By::Tool => "tool",
    };
    let rows = Rows(std::cell::RefCell::new(rows), by, model);
    let totals = sums(&total.totals.sums);
    // ccusage's keys are in alphabetical order (`daily` before `totals`, `totals` before `weekly`),
    // and runway's own beside them.
    let extra = notes.json();
    let mut keys = [name, "runway", "totals"];
    keys.sort_unstable();
    let mut m = ser.serialize_map(Some(3)).map_err(std::io::Error::from)?;
    for k in keys {
        match k {
            "runway" => m.serialize_entry(k, &extra)?,
            "totals" => m.serialize_entry(k, &totals)?,
            _ => m.serialize_entry(k, &rows)?,
        }
    }
    SerializeMap::end(m).map_err(std::io::Error::from)
}

/// serde_json's pretty layout; in ASCII mode a string's characters outside ASCII as `\u` escapes
/// (a UTF-16 pair beyond the BMP), so the document is the same, byte for byte ASCII.
struct Pretty {
    inner: PrettyFormatter<'static>,
    ascii: bool,
}

impl Formatter for Pretty {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        if !self.ascii || fragment.is_ascii() {
            return w.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if c.is_ascii() {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
            }
        }
        Ok(())
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.inner.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.inner.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Row;

    #[test]
    fn ascii_json_is_the_same_document_escaped() {
        let row = |key: &str| Row {
            key: key.into(),
            project: Some("café".into()),
            providers: vec![Provider::CLAUDE],
            block: None,
            device: None,
            acc: Acc::default(),
        };
        let rep = Report {
            by: By::Session,
            rows: vec![row("naïve ☕"), row("𝄞 clef")],
            total: Acc::default(),
            names: vec![],
        };
        let text = |ascii: bool| {
            let mut out = Vec::new();
            write(&rep, &|_| "model".into(), ascii, &Notes::default(), &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let (plain, ascii) = (text(false), text(true));
        assert!(plain.contains("naïve ☕") && ascii.is_ascii(), "{ascii}");
        assert!(ascii.contains(r"na\u00efve \u2615") && ascii.contains(r"\ud834\udd1e clef"), "{ascii}");
        let back: Value = serde_json::from_str(&ascii).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(&plain).unwrap(), "the same document");
    }
}
