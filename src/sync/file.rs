//! One device's figures, as it writes them into the folder the user's own replication keeps in step
//! between machines (`sync_dir`), and as the other devices read them. Numbers only: per tool and per
//! hour, calls, tokens by kind, cost and premium requests, per model; the tool's newest service
//! readings with when they were observed; when the file was written. Project names only when the
//! user says so (`sync_projects`); never transcript text, paths or ids.
//!
//! A file is a checksum line, then one JSON object:
//! `{"runway_device": 1, "id", "name", "written_at", "machine", "tools": [{"tool", "models",
//! "hours": [[hour, model, calls, input, output, cache_creation, cache_read, reasoning, cost, premium,
//! unpriced]], "readings": [[window, used, resets_at, observed_at]]}], "projects": [[name, calls,
//! cost]]}`; `hour` is the hour's start in seconds, `cost` pico-dollars. Whatever another machine
//! wrote is outside text: a file that does not check out is refused whole, every figure is
//! range-checked, every name cleaned and cut to a sane width.

use serde_json::{Value, json};

use crate::ground::evidence::{Reading, check};
use crate::ground::hash::checksum;
use crate::ground::provider::Provider;
use crate::ground::time::{DAY_MS, HOUR_MS};
use crate::ground::tokens::Sums;
use crate::ground::window::Window;

/// The layout's version: a file of a newer one is left alone (and doctor says so).
pub const FORMAT: u64 = 1;
/// A device file larger than this is not one runway wrote: a real month is a few kilobytes, the
/// bench's heaviest generated month 107 KB, and a writer gives up detail to stay within it (`fit`).
pub const MAX_BYTES: u64 = 1 << 20;
/// Hours kept in a file, and how long a silent device counts.
pub const RETENTION_MS: i64 = 35 * DAY_MS;
/// How far another machine's clock may run ahead of this one's.
pub const SKEW_MS: i64 = 2 * HOUR_MS;

/// One hour of one model's calls on a device.
#[derive(Clone, Debug, PartialEq)]
pub struct Hour {
    /// The hour's start, milliseconds.
    pub start: i64,
    pub model: String,
    pub calls: u64,
    pub sums: Sums,
}

/// One tool's figures on a device.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolUse {
    pub provider: Provider,
    pub hours: Vec<Hour>,
    pub readings: Vec<Reading>,
}

/// A device's file, as written or as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceFile {
    /// Chosen once per device (see `sync::identity`), 16 hex digits.
    pub id: String,
    pub name: String,
    pub written_at: i64,
    /// A hash that tells this machine apart (see `sync::identity`): a file of this machine under
    /// another id (a cache dir made anew) is not another device.
    pub machine: u64,
    /// A hash of the machine alone, without the cache directory (0: not said, an older runway's): a
    /// file of the same machine under another cache directory may be the same history read twice
    /// (see `superseded`).
    pub host: u64,
    pub tools: Vec<ToolUse>,
    /// Project names with their calls and cost over the retention period, when shared at all.
    pub projects: Vec<(String, u64, u64)>,
}

/// Why another device's file is not taken.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// Not runway's, cut short, or a bit flipped.
    Damaged,
    /// Written by a newer runway.
    Newer(u64),
    /// Silent for longer than the retention period.
    Silent,
    /// Figures no device could have written (the reason).
    Implausible(&'static str),
    /// Written further ahead of this clock than another machine's may be (when it says it was
    /// written): taken once this clock is within `SKEW_MS` of it.
    Ahead(i64),
}

impl Refused {
    /// When a file refused now may be taken: at this clock's `SKEW_MS` before it was written, for
    /// one written ahead; never, for the others (they change only when the file does).
    pub fn taken_from(&self) -> i64 {
        match self {
            Refused::Ahead(written_at) => written_at.saturating_sub(SKEW_MS),
            _ => i64::MAX,
        }
    }

    pub fn words(&self) -> String {
        match self {
            Refused::Damaged => "not a device file runway wrote, or cut short, or damaged".into(),
            Refused::Newer(v) => format!("written by a newer runway (layout {v})"),
            Refused::Silent => "silent for longer than 35 days".into(),
            Refused::Implausible(why) => format!("implausible figures ({why})"),
            Refused::Ahead(_) => "implausible figures (written in the future)".into(),
        }
    }
}

/// Text from another machine, as runway keeps it: no control characters, at most `max` of them.
pub fn clean(s: &str, max: usize) -> String {
    // Invisible ones too: a bidirectional override in a device's name read through `--json`.
    s.chars().filter(|&c| !crate::ground::text::unsafe_char(c)).take(max).collect::<String>().trim().to_owned()
}

fn window_key(w: Window) -> &'static str {
    w.key()
}

fn window_of(s: &str) -> Option<Window> {
    [Window::FiveHour, Window::SevenDay].into_iter().find(|w| w.key() == s)
}

/// The file's bytes.
pub fn encode(f: &DeviceFile) -> Vec<u8> {
    let tools: Vec<Value> = f
        .tools
        .iter()
        .map(|t| {
            let mut models: Vec<&str> = t.hours.iter().map(|h| h.model.as_str()).collect();
            models.sort_unstable();
            models.dedup();
            let hours: Vec<Value> = t
                .hours
                .iter()
                .map(|h| {
                    let m = models.binary_search(&h.model.as_str()).unwrap_or(0);
                    let s = &h.sums;
                    json!([
                        h.start / 1000,
                        m,
                        h.calls,
                        s.input,
                        s.output,
                        s.cache_creation,
                        s.cache_read,
                        s.reasoning,
                        u64::try_from(s.cost).unwrap_or(u64::MAX),
                        s.premium,
                        s.unpriced
                    ])
                })
                .collect();
            let readings: Vec<Value> = t
                .readings
                .iter()
                .map(|r| json!([window_key(r.window), r.used_percent, r.resets_at, r.observed_at]))
                .collect();
            json!({ "tool": t.provider.name(), "models": models, "hours": hours, "readings": readings })
        })
        .collect();
    let projects: Vec<Value> = f.projects.iter().map(|(n, c, cost)| json!([n, c, cost])).collect();
    let doc = json!({
        "runway_device": FORMAT, "id": f.id, "name": f.name, "written_at": f.written_at,
        "machine": format!("{:016x}", f.machine), "host": format!("{:016x}", f.host), "tools": tools,
        "projects": projects,
    });
    let body = serde_json::to_vec(&doc).unwrap_or_default();
    let mut out = format!("{:016x}\n", checksum("device", &body)).into_bytes();
    out.extend_from_slice(&body);
    out
}

/// Another device's file, read back and checked as outside text, as of `now`.
pub fn decode(bytes: &[u8], now: i64) -> Result<DeviceFile, Refused> {
    let nl = bytes.iter().position(|&c| c == b'\n').ok_or(Refused::Damaged)?;
    let (sum, body) = (std::str::from_utf8(&bytes[..nl]).map_err(|_| Refused::Damaged)?, &bytes[nl + 1..]);
    if u64::from_str_radix(sum.trim(), 16).ok() != Some(checksum("device", body)) {
        return Err(Refused::Damaged);
    }
    let v: Value = serde_json::from_slice(body).map_err(|_| Refused::Damaged)?;
    let format = v["runway_device"].as_u64().ok_or(Refused::Damaged)?;
    if format > FORMAT {
        return Err(Refused::Newer(format));
    }
    let id = v["id"].as_str().filter(|s| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit()));
    let id = id.ok_or(Refused::Implausible("device id"))?.to_owned();
    let written_at = v["written_at"].as_i64().ok_or(Refused::Damaged)?;
    if written_at > now + SKEW_MS {
        return Err(Refused::Ahead(written_at));
    }
    if written_at < now - RETENTION_MS {
        return Err(Refused::Silent);
    }
    let machine = v["machine"].as_str().and_then(|m| u64::from_str_radix(m, 16).ok()).unwrap_or(0);
    let host = v["host"].as_str().and_then(|m| u64::from_str_radix(m, 16).ok()).unwrap_or(0);
    let name = clean(v["name"].as_str().unwrap_or(""), 64);
    let mut tools = Vec::new();
    for t in v["tools"].as_array().into_iter().flatten() {
        // A tool this runway does not know is left out, not an error: a newer one may read more.
        let Some(provider) = t["tool"].as_str().and_then(Provider::from_name) else { continue };
        let models: Vec<String> =
            t["models"].as_array().into_iter().flatten().map(|m| clean(m.as_str().unwrap_or("?"), 96)).collect();
        let mut hours = Vec::new();
        for h in t["hours"].as_array().into_iter().flatten() {
            let n: Vec<u64> = h.as_array().into_iter().flatten().map(|x| x.as_u64().unwrap_or(u64::MAX)).collect();
            let [start, model, calls, input, output, cc, cr, reasoning, cost, premium, unpriced] = n[..] else {
                return Err(Refused::Implausible("an hour's row"));
            };
            let start = i64::try_from(start).ok().and_then(|s| s.checked_mul(1000)).ok_or(Refused::Damaged)?;
            let model = models.get(model as usize).cloned().ok_or(Refused::Implausible("a model"))?;
            let tokens = [input, output, cc, cr, reasoning, unpriced];
            if start % HOUR_MS != 0
                || start > written_at + HOUR_MS
                || !within_hours(1, calls, &tokens, u128::from(cost), premium)
                || reasoning > output
            {
                return Err(Refused::Implausible("an hour's figures"));
            }
            let sums = Sums {
                input,
                output,
                cache_creation: cc,
                cache_read: cr,
                reasoning,
                cost: u128::from(cost),
                unpriced,
                premium,
            };
            hours.push(Hour { start, model, calls, sums });
        }
        let mut readings = Vec::new();
        for r in t["readings"].as_array().into_iter().flatten() {
            let (Some(w), Some(used), Some(reset), Some(seen)) =
                (r[0].as_str().and_then(window_of), r[1].as_f64(), r[2].as_i64(), r[3].as_i64())
            else {
                return Err(Refused::Implausible("a reading"));
            };
            if check(used, reset, seen, w).is_err() || seen > written_at + SKEW_MS {
                return Err(Refused::Implausible("a reading"));
            }
            readings.push(Reading::new(provider, w, used, reset, seen));
        }
        tools.push(ToolUse { provider, hours, readings });
    }
    // The same bounds over each hour whole: an hour's row repeated (or a tool given twice) adds up
    // to what no single row may say.
    let mut each_hour: Vec<&Hour> = tools.iter().flat_map(|t| &t.hours).collect();
    each_hour.sort_by_key(|h| h.start);
    for hour in each_hour.chunk_by(|a, b| a.start == b.start) {
        let (mut calls, mut total) = (0u64, Sums::default());
        for h in hour {
            calls = calls.saturating_add(h.calls);
            total += h.sums;
        }
        let t = &total;
        let tokens = [t.input, t.output, t.cache_creation, t.cache_read, t.reasoning, t.unpriced];
        if !within_hours(1, calls, &tokens, t.cost, t.premium) {
            return Err(Refused::Implausible("an hour's figures"));
        }
    }
    let projects: Vec<(String, u64, u64)> = v["projects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((clean(p[0].as_str()?, 96), p[1].as_u64()?, p[2].as_u64()?)))
        .collect();
    let hours_kept = (RETENTION_MS / HOUR_MS) as u64;
    if projects.iter().any(|(_, calls, cost)| !within_hours(hours_kept, *calls, &[], u128::from(*cost), 0)) {
        return Err(Refused::Implausible("a project's figures"));
    }
    Ok(DeviceFile { id, name, written_at, machine, host, tools, projects })
}

/// Whether figures fit `hours` hours of one device: a million calls, a trillion tokens of one
/// kind, $100,000 or a hundred million premium requests in an hour, no device does.
fn within_hours(hours: u64, calls: u64, tokens: &[u64], cost: u128, premium: u64) -> bool {
    calls <= hours * 1_000_000
        && tokens.iter().all(|t| *t <= hours * 1_000_000_000_000)
        && cost <= u128::from(hours) * 100_000_000_000_000_000
        && premium <= hours * 100_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_770_931_800_000; // 2026-02-12T21:30:00Z

    fn file() -> DeviceFile {
        let sums = Sums {
            input: 10,
            output: 200,
            cache_creation: 3_000,
            cache_read: 90_000,
            reasoning: 50,
            cost: 1_534_000_000_000,
            unpriced: 0,
            premium: 0,
        };
        DeviceFile {
            id: "00112233aabbccdd".into(),
            name: "laptop".into(),
            written_at: NOW - 60_000,
            machine: 42,
            host: 43,
            tools: vec![ToolUse {
                provider: Provider::CLAUDE,
                hours: vec![Hour { start: NOW - NOW % HOUR_MS, model: "claude-opus-4-6".into(), calls: 20, sums }],
                readings: vec![Reading::new(
                    Provider::CLAUDE,
                    Window::FiveHour,
                    23.5,
                    NOW + 3 * HOUR_MS,
                    NOW - 120_000,
                )],
            }],
            projects: vec![],
        }
    }

    #[test]
    fn written_and_read_back() {
        let f = file();
        let bytes = encode(&f);
        assert!(bytes.len() < 1024, "{} bytes", bytes.len());
        assert_eq!(decode(&bytes, NOW), Ok(f.clone()));
        // A flipped digit, a file cut short: refused whole.
        let mut bad = bytes.clone();
        let at = bytes.windows(4).position(|w| w == b"1534").unwrap();
        bad[at] = b'9';
        assert_eq!(decode(&bad, NOW), Err(Refused::Damaged));
        assert_eq!(decode(&bytes[..bytes.len() - 3], NOW), Err(Refused::Damaged));
        // A newer layout, a device silent for too long, a clock far ahead.
        let newer = String::from_utf8(bytes.clone()).unwrap();
        let body = newer.split_once('\n').unwrap().1.replace("\"runway_device\":1", "\"runway_device\":2");
        let resigned = format!("{:016x}\n{body}", checksum("device", body.as_bytes()));
        assert_eq!(decode(resigned.as_bytes(), NOW), Err(Refused::Newer(2)));
        assert_eq!(decode(&bytes, NOW + 40 * DAY_MS), Err(Refused::Silent));
        let ahead = decode(&bytes, NOW - 3 * HOUR_MS).unwrap_err();
        assert_eq!(ahead, Refused::Ahead(NOW - 60_000));
        assert_eq!(ahead.taken_from(), NOW - 60_000 - 2 * HOUR_MS, "taken once this clock is two hours before it");
        assert_eq!(Refused::Silent.taken_from(), i64::MAX);
    }

    #[test]
    fn outside_figures_are_checked() {
        let mut f = file();
        f.name = "lap\x1b]0;owned\x07t\u{202E}o\u{200B}p".into();
        f.tools[0].hours[0].model = format!("m{}", "x".repeat(500));
        let back = decode(&encode(&f), NOW).unwrap();
        assert_eq!(back.name, "lap]0;ownedtop", "control and invisible characters gone");
        assert_eq!(back.tools[0].hours[0].model.chars().count(), 96);
        let mut absurd = f.clone();
        absurd.tools[0].hours[0].sums.cost = u128::from(u64::MAX);
        assert_eq!(decode(&encode(&absurd), NOW), Err(Refused::Implausible("an hour's figures")));
        let mut off = f.clone();
        off.tools[0].hours[0].start += 1_000;
        assert_eq!(decode(&encode(&off), NOW), Err(Refused::Implausible("an hour's figures")));
        let mut reading = f.clone();
        reading.tools[0].readings[0].used_percent = f64::INFINITY;
        assert!(decode(&encode(&reading), NOW).is_err());
        // A row each within bounds, 2,000 of them in one hour: $100,000 an hour, two billion calls.
        let mut repeated = f.clone();
        let mut row = repeated.tools[0].hours[0].clone();
        (row.calls, row.sums.cost) = (1_000_000, 100_000_000_000_000_000);
        repeated.tools[0].hours = vec![row; 2_000];
        assert_eq!(decode(&encode(&repeated), NOW).err(), Some(Refused::Implausible("an hour's figures")));
        let mut twice = f.clone();
        twice.tools[0].hours[0].calls = 600_000;
        twice.tools.push(twice.tools[0].clone());
        assert_eq!(decode(&encode(&twice), NOW), Err(Refused::Implausible("an hour's figures")), "a tool given twice");
        twice.tools[1].hours[0].calls = 400_000;
        assert!(decode(&encode(&twice), NOW).is_ok(), "a million calls in the hour, together");
        let mut project = f;
        project.projects = vec![("p".into(), 900_000_000, 5)];
        assert_eq!(decode(&encode(&project), NOW), Err(Refused::Implausible("a project's figures")));
    }
}
