//! Token counts of one call, and the sums windows are made of.

use std::ops::{Add, AddAssign, Sub};

/// Token counts of one call, by how they are billed: `input` is the input read fresh (not from a
/// cache, not written to one), `output` everything generated, reasoning ("thinking") included, as
/// every vendor bills it at the output rate; `reasoning` says how much of `output` was reasoning
/// where the tool writes it down (Codex, OpenCode, Gemini CLI, Copilot), and is never added again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub write_5m: u64,
    pub write_1h: u64,
    pub cache_read: u64,
    /// Of `output`.
    pub reasoning: u64,
}

impl Tokens {
    pub fn cache_creation(&self) -> u64 {
        self.write_5m.saturating_add(self.write_1h)
    }

    pub fn total(&self) -> u64 {
        self.input.saturating_add(self.output).saturating_add(self.cache_creation()).saturating_add(self.cache_read)
    }

    /// Whether one call could have these counts. The largest context window is a million tokens, so
    /// a count of 2^30 or more is no real call; refusing it also bounds one call's cost: at most
    /// 5 x 2^30 tokens at the dearest rate with every multiplier (about $165 per million), under
    /// $1M, so a call's pico-dollars fit a u64 with room to spare, and sums (u128) never overflow.
    pub fn plausible(&self) -> bool {
        [self.input, self.output, self.write_5m, self.write_1h, self.cache_read, self.reasoning]
            .iter()
            .all(|&c| c < MAX_PER_CALL)
    }
}

/// Pico-dollars (10^-12 $): per call a u64 would do; sums need more (see `Sums::cost`).
pub type Pico = u128;

/// One call's largest plausible count of any kind (see `Tokens::plausible`).
pub const MAX_PER_CALL: u64 = 1 << 30;

/// Flags of a counted call.
pub const SIDECHAIN: u8 = 1;
pub const UNPRICED: u8 = 2;
/// Priced as the newest known model of its family (see `read::family`).
pub const ASSUMED: u8 = 4;

/// Sums over a set of calls; also the prefix sums stored per row in the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub input: u64,
    /// Reasoning included (see `Tokens`).
    pub output: u64,
    pub cache_creation: u64,
    pub cache_read: u64,
    /// Of `output`.
    pub reasoning: u64,
    /// Pico-dollars: a u64 holds $18M, which four absurd calls could pass.
    pub cost: u128,
    /// Tokens of calls whose model has no price.
    pub unpriced: u64,
    /// Premium requests, in thousandths (GitHub Copilot's allowance counts them, not tokens).
    pub premium: u64,
}

impl Sums {
    pub const SIZE: usize = 72;

    /// The sums of one call.
    pub fn of(t: &Tokens, cost: u64, flags: u8, premium: u64) -> Sums {
        Sums {
            input: t.input,
            output: t.output,
            cache_creation: t.cache_creation(),
            cache_read: t.cache_read,
            reasoning: t.reasoning,
            cost: u128::from(cost),
            unpriced: if flags & UNPRICED != 0 { t.total() } else { 0 },
            premium,
        }
    }

    pub fn total(&self) -> u64 {
        self.input.wrapping_add(self.output).wrapping_add(self.cache_creation).wrapping_add(self.cache_read)
    }

    /// What the model read: new input, cache writes and cache reads (a call's context size).
    pub fn input_side(&self) -> u64 {
        self.input.saturating_add(self.cache_creation).saturating_add(self.cache_read)
    }

    /// Cache reads over all input-side tokens, in percent: the single best lever on cost (a read
    /// costs a tenth of new input). `None` without input.
    pub fn cache_hit(&self) -> Option<f64> {
        let side = self.input_side();
        (side > 0).then(|| self.cache_read as f64 * 100.0 / side as f64)
    }

    fn counts(&self) -> [u64; 7] {
        [self.input, self.output, self.cache_creation, self.cache_read, self.unpriced, self.reasoning, self.premium]
    }

    fn from_parts(c: [u64; 7], cost: u128) -> Sums {
        Sums {
            input: c[0],
            output: c[1],
            cache_creation: c[2],
            cache_read: c[3],
            unpriced: c[4],
            reasoning: c[5],
            premium: c[6],
            cost,
        }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        for v in self.counts() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.cost.to_le_bytes());
    }

    /// `b` holds at least `SIZE` bytes.
    pub fn decode(b: &[u8]) -> Sums {
        let counts = std::array::from_fn(|i| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap()));
        Sums::from_parts(counts, u128::from_le_bytes(b[56..72].try_into().unwrap()))
    }
}

impl Add for Sums {
    type Output = Sums;
    fn add(self, o: Sums) -> Sums {
        let (a, b) = (self.counts(), o.counts());
        Sums::from_parts(std::array::from_fn(|i| a[i].wrapping_add(b[i])), self.cost.wrapping_add(o.cost))
    }
}

impl AddAssign for Sums {
    fn add_assign(&mut self, o: Sums) {
        *self = *self + o;
    }
}

/// Prefix sums subtract exactly because every field only ever grew; wrapping keeps a corrupt cache
/// from panicking (its checksum catches it instead).
impl Sub for Sums {
    type Output = Sums;
    fn sub(self, o: Sums) -> Sums {
        let (a, b) = (self.counts(), o.counts());
        Sums::from_parts(std::array::from_fn(|i| a[i].wrapping_sub(b[i])), self.cost.wrapping_sub(o.cost))
    }
}

/// A de-duplicated API call, the unit windows are made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub ts: i64,
    /// The transcript file it was read from: its session and project.
    pub file: u32,
    pub model: u16,
    pub flags: u8,
    pub sums: Sums,
}

/// One hour of the other devices' use of a tool: its start (ms), calls, and sums, models added up
/// (the sync folder's, as a prompt's forecast takes them).
pub type Hourly = (i64, u64, Sums);

/// Premium requests from the thousandths they are kept in (a request a model counts as 0.33 is 330).
pub fn requests(milli: u64) -> f64 {
    milli as f64 / 1000.0
}

/// Totals of a window: de-duplicated calls and their sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub entries: u64,
    pub sums: Sums,
}

impl Totals {
    pub fn add_entry(&mut self, e: &Entry) {
        self.entries += 1;
        self.sums += e.sums;
    }
}

impl Add for Totals {
    type Output = Totals;
    fn add(self, o: Totals) -> Totals {
        Totals { entries: self.entries + o.entries, sums: self.sums + o.sums }
    }
}

impl Sub for Totals {
    type Output = Totals;
    fn sub(self, o: Totals) -> Totals {
        Totals { entries: self.entries.wrapping_sub(o.entries), sums: self.sums - o.sums }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_a_call() {
        let t = Tokens { input: 3, output: 9, write_5m: 15_005, write_1h: 5, cache_read: 11_442, reasoning: 4 };
        let s = Sums::of(&t, 0, UNPRICED, 2_500);
        assert_eq!((s.reasoning, s.premium), (4, 2_500), "reasoning is kept apart, not added to the total");
        assert_eq!(s.cache_creation, 15_010);
        assert_eq!(s.total(), 26_464);
        assert_eq!(s.unpriced, 26_464);
        let mut b = Vec::new();
        s.encode(&mut b);
        assert_eq!(b.len(), Sums::SIZE);
        assert_eq!(Sums::decode(&b), s);
        assert_eq!((s + s) - s, s);
        assert_eq!(Sums::of(&t, 7, 0, 0).unpriced, 0);
        // 11 442 read of 3 + 15 010 + 11 442 = 26 455 input-side: 43.25%.
        assert_eq!(s.input_side(), 26_455);
        assert_eq!(format!("{:.2}", s.cache_hit().unwrap()), "43.25");
        assert_eq!(Sums::default().cache_hit(), None);
    }
}
