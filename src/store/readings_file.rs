//! A root's file of status-line readings (see `readings`): its layout, a line a reading, and the
//! JSON layout of earlier versions, read still.

use std::io;

use serde_json::Value;

use crate::ground::cache::{Cache, Item};
use crate::ground::evidence::Reading;
use crate::ground::log;
use crate::ground::provider::Provider;
use crate::ground::window::Window;

/// The first line of a root's file in this layout. Earlier versions wrote one JSON document (read
/// still, `from_json`); a line a reading is read by every prompt without building a JSON tree (192
/// readings as JSON cost a warm prompt 0.38 ms, 245 as lines 0.09 ms: benches/paired.py, 300 runs).
pub const HEADER: &str = "runway-readings 2";

fn reading(p: Provider, window: &str, used: f64, reset: i64, seen: i64) -> Option<Reading> {
    let window = [Window::FiveHour, Window::SevenDay, Window::Spend].into_iter().find(|w| w.key() == window)?;
    Some(match window {
        Window::Spend => Reading::spend(p, used, reset, seen),
        w => Reading::new(p, w, used, reset, seen),
    })
}

fn from_json(v: &Value) -> Option<Reading> {
    let (p, used) = (Provider::from_name(v["provider"].as_str()?)?, v["used_percent"].as_f64()?);
    reading(p, v["window"].as_str()?, used, v["resets_at"].as_i64()?, v["observed_at"].as_i64()?)
}

/// One reading's line: provider, window, share, reset, seen, tab-separated (the share as Rust writes
/// an f64, which reads back to the same bits).
fn to_line(r: &Reading, out: &mut String) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}",
        r.provider.name(),
        r.window.key(),
        r.used_percent,
        r.resets_at,
        r.observed_at
    );
}

fn from_line(line: &str) -> Option<Reading> {
    let mut f = line.split('\t');
    let p = Provider::from_name(f.next()?)?;
    let window = f.next()?;
    let (used, reset, seen) = (f.next()?.parse().ok()?, f.next()?.parse().ok()?, f.next()?.parse().ok()?);
    if f.next().is_some() {
        return None;
    }
    reading(p, window, used, reset, seen)
}

/// One root's file (or readings left beside it): its readings, refused count and last reason.
#[derive(Debug, Default)]
pub struct RootFile {
    pub root: String,
    pub readings: Vec<Reading>,
    pub refused: u64,
    pub last_refused: String,
}

impl RootFile {
    pub fn load(cache: &Cache, item: Item) -> Option<RootFile> {
        let b = match cache.read_checked(item) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            Err(e) => {
                log::warn(&format!("ignoring damaged readings: {e}"));
                return None;
            }
        };
        let parsed = if b.first() == Some(&b'{') { RootFile::from_json(&b) } else { RootFile::parse(&b) };
        if parsed.is_none() {
            log::warn(&format!("ignoring damaged {}", cache.path(item).display()));
        }
        parsed
    }

    /// The layout of earlier versions: one JSON document.
    fn from_json(b: &[u8]) -> Option<RootFile> {
        let v: Value = serde_json::from_slice(b).ok()?;
        Some(RootFile {
            root: v["root"].as_str()?.to_owned(),
            readings: v["readings"].as_array()?.iter().filter_map(from_json).collect(),
            refused: v["refused"].as_u64().unwrap_or(0),
            last_refused: v["last_refused"].as_str().unwrap_or("").to_owned(),
        })
    }

    /// The header, a line of root, refused count and last reason (the two texts as JSON strings, which
    /// hold any tab or newline), then a line a reading. A line not understood makes the file damaged.
    fn parse(b: &[u8]) -> Option<RootFile> {
        let mut lines = std::str::from_utf8(b).ok()?.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut head = lines.next()?.split('\t');
        let root: String = serde_json::from_str(head.next()?).ok()?;
        let refused = head.next()?.parse().ok()?;
        let last_refused: String = serde_json::from_str(head.next()?).ok()?;
        let readings = lines.map(from_line).collect::<Option<Vec<_>>>()?;
        Some(RootFile { root, readings, refused, last_refused })
    }

    pub fn save(&self, cache: &Cache, item: Item) -> io::Result<()> {
        let text = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        let mut out = format!("{HEADER}\n{}\t{}\t{}\n", text(&self.root), self.refused, text(&self.last_refused));
        for r in &self.readings {
            to_line(r, &mut out);
        }
        cache.write_checked(item, out.as_bytes())
    }

    /// Takes in what another file of the same root holds.
    pub fn fold(&mut self, other: RootFile) {
        self.refused += other.refused;
        if !other.last_refused.is_empty() {
            self.last_refused = other.last_refused;
        }
        for n in &other.readings {
            add(&mut self.readings, n);
        }
    }
}

/// Adds one reading to a root's list; of two of one moment, the one added last: a replay's second
/// payload at the same `--now` said 50% and was shown as the first's 24%.
pub fn add(list: &mut Vec<Reading>, n: &Reading) {
    match list.iter_mut().find(|o| o.provider == n.provider && o.window == n.window && o.observed_at == n.observed_at) {
        Some(o) => *o = n.clone(),
        None => list.push(n.clone()),
    }
}
