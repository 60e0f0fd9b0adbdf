//! What a provider's reader found in one read of one file, priced: the best line per key within the
//! read, the service's readings and limit notices it carried, the model names it used, and the
//! project the file names.

use std::borrow::Cow;
use std::collections::HashMap;

use super::dedup;
use super::pricing;
use super::record::Rec;
use crate::ground::evidence::{LimitHit, Reading, telling};
use crate::ground::provider::Provider;
use crate::ground::text;
use crate::ground::tokens::{ASSUMED, MAX_PER_CALL, SIDECHAIN, UNPRICED};
use crate::provider::found::{Call, Found as Seen};
use crate::provider::price::{self, Price};

/// What one read of one file found. Record models index `models`; `file` is left 0 for the store.
#[derive(Debug, Default)]
pub struct Found {
    pub recs: Vec<Rec>,
    pub readings: Vec<Reading>,
    pub hits: Vec<LimitHit>,
    pub models: Vec<String>,
    /// The working directory the file says its session ran in.
    pub project: Option<String>,
    /// The sessions of a file of many (session, project): a record's `file` is 0 for the file
    /// itself, else one more than its session's place here (the store gives each its id).
    pub subs: Vec<(String, String)>,
    pub malformed: u32,
    /// Reported figures refused as implausible (see `ground::evidence::check`).
    pub implausible: u32,
    /// Fields of an unexpected type, ignored (see `ground::json`).
    pub odd: u32,
    /// Parser state to resume from at the next read.
    pub aux: Vec<u8>,
}

/// A directory name from a file, kept short and plain: it is shown in reports and prompts.
fn clean_path(p: &str) -> String {
    p.chars().filter(|c| !c.is_control()).take(512).collect()
}

pub struct Extractor<'p> {
    provider: Provider,
    path: &'p [u8],
    by_key: HashMap<u64, usize>,
    prices: Vec<(Option<&'static Price>, bool)>,
    found: Found,
}

impl<'p> Extractor<'p> {
    pub fn new(provider: Provider, path: &'p [u8]) -> Self {
        Extractor { provider, path, by_key: HashMap::new(), prices: Vec::new(), found: Found::default() }
    }

    /// The model's id in this read, its price, and whether that price is assumed from its family.
    fn model(&mut self, name: &str) -> (u16, (Option<&'static Price>, bool)) {
        // Kept by a name of sane width (no byte more than it: no character more either).
        let kept = if name.len() > text::NAME { Cow::Owned(text::cap(name, text::NAME)) } else { Cow::Borrowed(name) };
        if let Some(i) = self.found.models.iter().position(|m| *m == *kept) {
            return (i as u16, self.prices[i]);
        }
        let price = pricing::price_of(name);
        self.found.models.push(kept.into_owned());
        self.prices.push(price);
        ((self.found.models.len() - 1) as u16, price)
    }

    /// Whether a call's counts could be real (see `Tokens::plausible`); one that could not is counted
    /// and logged, never summed.
    fn plausible(&mut self, c: &Call) -> bool {
        if c.tokens.plausible() && c.mods.web_searches < MAX_PER_CALL && c.premium < MAX_PER_CALL {
            return true;
        }
        self.found.implausible += 1;
        crate::ground::log::warn(&format!(
            "{}: a call with implausible counts ({:?}); not counted",
            String::from_utf8_lossy(self.path),
            c.tokens
        ));
        false
    }

    fn push(&mut self, r: Rec) {
        match self.by_key.get(&r.key) {
            Some(&i) => {
                if dedup::better(&r, &self.found.recs[i]).is_gt() {
                    self.found.recs[i] = r;
                }
            }
            None => {
                self.by_key.insert(r.key, self.found.recs.len());
                self.found.recs.push(r);
            }
        }
    }

    /// Takes in what a reader found in one line or document.
    pub fn take(&mut self, seen: &mut Vec<Seen<'_>>) {
        self.found.odd = self.found.odd.saturating_add(crate::ground::json::take_odd());
        for s in seen.drain(..) {
            match s {
                Seen::Call(c) => {
                    if self.plausible(&c) {
                        let r = self.rec(&c);
                        self.push(r);
                    }
                }
                Seen::Reading(r) => self.found.readings.push(r.bounded()),
                Seen::Hit(h) => self.found.hits.push(h),
                Seen::Project(p) => {
                    if self.found.project.is_none() {
                        self.found.project = Some(clean_path(&p));
                    }
                }
                Seen::Malformed => self.found.malformed += 1,
                Seen::Implausible(why) => {
                    self.found.implausible += 1;
                    crate::ground::log::warn(&format!(
                        "{}: implausible figure ({why}); not used",
                        String::from_utf8_lossy(self.path)
                    ));
                }
            }
        }
    }

    fn rec(&mut self, c: &Call) -> Rec {
        let (model, (price, assumed)) = self.model(&c.model);
        // The same API-equivalent list prices for every tool; the tool's own figure (OpenCode's) for a
        // model no table knows, rather than none.
        let (cost, flag) = match (price, c.cost) {
            (Some(p), _) => (price::cost(p, &c.tokens, c.mods), if assumed { ASSUMED } else { 0 }),
            (None, Some(own)) => (own, 0),
            (None, None) => (0, UNPRICED),
        };
        let file = match &c.within {
            None => 0,
            Some(w) => {
                let kept = (text::cap(&w.0, text::SESSION), clean_path(&w.1));
                match self.found.subs.iter().position(|s| *s == kept) {
                    Some(i) => i as u32 + 1,
                    None => {
                        self.found.subs.push(kept);
                        self.found.subs.len() as u32
                    }
                }
            }
        };
        Rec {
            ts: c.ts,
            msg: c.msg,
            key: c.key,
            tok: c.tokens,
            cost,
            premium: c.premium,
            file,
            model,
            flags: flag | if c.sidechain { SIDECHAIN } else { 0 },
            provider: self.provider,
        }
    }

    /// What the read found; of its readings only those the store would keep (see `telling`): a
    /// long rollout carries thousands.
    pub fn finish(mut self, aux: Vec<u8>) -> Found {
        let r = &mut self.found.readings;
        if r.len() > 1 {
            r.sort_by_key(|x| (x.observed_at, x.resets_at));
            let keep = telling(&r.iter().collect::<Vec<_>>());
            let mut keep = keep.into_iter();
            r.retain(|_| keep.next().unwrap_or(true));
        }
        Found { aux, ..self.found }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::window::Window;

    #[test]
    fn a_file_keeps_the_readings_the_store_would() {
        // A rollout's snapshot at every one of 1,000 calls, its share rising 0.1% a call: of the
        // window the first of each whole point (a hundred) and the last are all that say anything.
        let mut x = Extractor::new(Provider::CODEX, b"r.jsonl");
        let mut seen: Vec<Seen> = (0..1000)
            .map(|i| Seen::Reading(Reading::new(Provider::CODEX, Window::FiveHour, i as f64 / 10.0, 9_000_000, i)))
            .collect();
        x.take(&mut seen);
        let found = x.finish(Vec::new());
        let kept: Vec<i64> = found.readings.iter().map(|r| r.observed_at).collect();
        let want: Vec<i64> = (0..100).map(|p| p * 10).chain([999]).collect();
        assert_eq!(kept, want);
    }
}
