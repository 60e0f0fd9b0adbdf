//! `runway report --json`, in ccusage's shape where ccusage has the report, so scripts written for
//! it keep working: `daily[]`, `weekly[]`, `monthly[]`, `session[]` rows with `period`,
//! `inputTokens`, `outputTokens`, `cacheCreationTokens`, `cacheReadTokens`, `totalTokens`,
//! `totalCost`, `modelsUsed`, `modelBreakdowns[]`, and `totals`; `blocks[]` as `ccusage blocks`
//! prints them (with its gaps). `project[]` and `model[]`, which ccusage does not have, use the same
//! row. What runway adds is under each row's `runway` key. Keys in ccusage's (alphabetical) order.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::words::{dollars, round2};
use crate::ground::block::BLOCK_MS;
use crate::ground::provider::Provider;
use crate::ground::tokens::{Sums, Totals};
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
            By::Session => r.providers.first().map_or("all", |p| p.name()),
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

struct Rows<'a>(&'a Report, &'a dyn Fn(u16) -> String);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.rows.iter().map(|row| RowOut { by: self.0.by, row, model: self.1 }))
    }
}

/// Premium requests from thousandths.
fn premium(milli: u64) -> f64 {
    milli as f64 / 1000.0
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

fn blocks(rep: &Report, model: &dyn Fn(u16) -> String) -> Value {
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
    json!({ "blocks": out.into_iter().map(|(_, v)| v).collect::<Vec<_>>() })
}

/// The report as pretty-printed JSON.
pub fn report(rep: &Report, model: &dyn Fn(u16) -> String) -> String {
    let name = match rep.by {
        By::Block => return serde_json::to_string_pretty(&blocks(rep, model)).unwrap_or_default(),
        By::Day => "daily",
        By::Week => "weekly",
        By::Month => "monthly",
        By::Session => "session",
        By::Project => "project",
        By::Model => "model",
        By::Device => "device",
    };
    let rows = Rows(rep, model);
    let totals = sums(&rep.total.totals.sums);
    // ccusage's keys are in alphabetical order: `daily` before `totals`, `totals` before `weekly`.
    // About 1.2 KB a pretty-printed row: one allocation instead of a growing buffer.
    let mut out = Vec::with_capacity(1024 + rep.rows.len() * 1280);
    let mut w = serde_json::Serializer::pretty(&mut out);
    let r = (|| {
        let mut m = w.serialize_map(Some(2))?;
        if name < "totals" {
            m.serialize_entry(name, &rows)?;
            m.serialize_entry("totals", &totals)?;
        } else {
            m.serialize_entry("totals", &totals)?;
            m.serialize_entry(name, &rows)?;
        }
        m.end()
    })();
    match r {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}
