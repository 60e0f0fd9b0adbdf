//! A file's new lines to priced records: the best line per key within the read, the service's
//! readings and limit notices it carried, and the model names it used.

use std::collections::HashMap;

use super::claude::{self, Parsed};
use super::codex;
use super::dedup;
use super::family;
use super::pricing::{self, Modifiers, Price};
use super::record::Rec;
use crate::ground::block::BLOCK_MS;
use crate::ground::evidence::{LimitHit, Reading};
use crate::ground::provider::Provider;
use crate::ground::tokens::{ASSUMED, MAX_PER_CALL, SIDECHAIN, Tokens, UNPRICED};
use crate::ground::window::Window;

/// What one read of one file found. Record models index `models`; `file` is left 0 for the store.
#[derive(Debug, Default)]
pub struct Found {
    pub recs: Vec<Rec>,
    pub readings: Vec<Reading>,
    pub hits: Vec<LimitHit>,
    pub models: Vec<String>,
    pub malformed: u32,
    /// Reported figures refused as implausible (see `ground::evidence::check`).
    pub implausible: u32,
    /// Parser state to resume from at the next read.
    pub aux: Vec<u8>,
}

pub struct Extractor<'p> {
    path: &'p [u8],
    finder: claude::Finder,
    codex: Option<codex::Reader>,
    by_key: HashMap<u64, usize>,
    prices: Vec<(Option<&'static Price>, bool)>,
    found: Found,
}

impl<'p> Extractor<'p> {
    /// `aux`: what the previous read of this file left (empty when reading from the start).
    pub fn new(provider: Provider, path: &'p [u8], aux: &[u8]) -> Self {
        let codex = (provider == Provider::Codex).then(|| codex::Reader::resume(aux));
        Extractor {
            path,
            finder: claude::Finder::default(),
            codex,
            by_key: HashMap::new(),
            prices: Vec::new(),
            found: Found::default(),
        }
    }

    /// The model's id in this read, its price, and whether that price is assumed from its family.
    fn model(&mut self, name: &str) -> (u16, (Option<&'static Price>, bool)) {
        if let Some(i) = self.found.models.iter().position(|m| m == name) {
            return (i as u16, self.prices[i]);
        }
        let price = match pricing::lookup(name) {
            Some(p) => (Some(p), false),
            None => (family::assumed(name), true),
        };
        self.found.models.push(name.to_owned());
        self.prices.push(price);
        ((self.found.models.len() - 1) as u16, price)
    }

    /// Whether a call's counts could be real (see `Tokens::plausible`); one that could not is counted
    /// and logged, never summed.
    fn plausible(&mut self, t: &Tokens, m: &Modifiers) -> bool {
        if t.plausible() && m.web_searches < MAX_PER_CALL {
            return true;
        }
        self.found.implausible += 1;
        crate::ground::log::warn(&format!(
            "{}: a call with implausible counts ({t:?}); not counted",
            String::from_utf8_lossy(self.path)
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

    /// One complete line, starting at byte `at` of the file.
    pub fn line(&mut self, line: &[u8], at: u64) {
        if let Some(c) = self.codex.as_mut() {
            let mut found = Vec::new();
            if c.line(line, self.path, at, &mut found) {
                self.found.malformed += 1;
            }
            for f in found {
                match f {
                    codex::Found::Usage(u) => {
                        if !self.plausible(&u.tokens, &u.mods) {
                            continue;
                        }
                        let (model, price) = self.model(&u.model);
                        let call =
                            Call { ts: u.ts, msg: u.key, key: u.key, tok: u.tokens, mods: u.mods, model, flags: 0 };
                        self.push(call.rec(price, Provider::Codex));
                    }
                    codex::Found::Reading(r) => self.found.readings.push(r),
                    codex::Found::Implausible(why) => {
                        self.found.implausible += 1;
                        crate::ground::log::warn(&format!(
                            "{}: implausible rate_limits ({why}); not used",
                            String::from_utf8_lossy(self.path)
                        ));
                    }
                }
            }
            return;
        }
        if !self.finder.may_carry_usage(line) {
            return;
        }
        match claude::parse(line) {
            Parsed::Nothing => {}
            Parsed::Malformed => self.found.malformed += 1,
            Parsed::LimitHit { ts, resets_at } => {
                // A reset more than five hours away was the weekly limit.
                let weekly = resets_at.is_some_and(|r| r - ts > BLOCK_MS);
                let window = if weekly { Window::SevenDay } else { Window::FiveHour };
                self.found.hits.push(LimitHit { provider: Provider::Claude, window, at: ts, resets_at });
            }
            Parsed::Usage(u) if !self.plausible(&u.tokens, &u.mods) => {}
            Parsed::Usage(u) => {
                let (msg, key) = claude::keys(&u, self.path, at);
                let (model, price) = self.model(&u.model);
                let flags = if u.sidechain { SIDECHAIN } else { 0 };
                let call = Call { ts: u.ts, msg, key, tok: u.tokens, mods: u.mods, model, flags };
                self.push(call.rec(price, Provider::Claude));
            }
        }
    }

    pub fn finish(mut self) -> Found {
        self.found.aux = self.codex.map_or_else(Vec::new, |c| c.save());
        self.found
    }
}

/// One call as a line describes it, before it is priced.
struct Call {
    ts: i64,
    msg: u64,
    key: u64,
    tok: Tokens,
    mods: Modifiers,
    model: u16,
    flags: u8,
}

impl Call {
    fn rec(self, (price, assumed): (Option<&Price>, bool), provider: Provider) -> Rec {
        let (cost, unpriced) = match price {
            Some(p) => (pricing::cost(p, &self.tok, self.mods), if assumed { ASSUMED } else { 0 }),
            None => (0, UNPRICED),
        };
        Rec {
            ts: self.ts,
            msg: self.msg,
            key: self.key,
            tok: self.tok,
            cost,
            file: 0,
            model: self.model,
            flags: self.flags | unpriced,
            provider: provider as u8,
        }
    }
}
