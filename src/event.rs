//! Usage events: what one API call cost, as read from a transcript line, and the sums windows are made of.

use std::ops::{Add, AddAssign, Sub};

/// Which tool wrote the transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    Claude = 0,
    Codex = 1,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Claude, Provider::Codex];

    pub fn from_u8(v: u8) -> Option<Provider> {
        match v {
            0 => Some(Provider::Claude),
            1 => Some(Provider::Codex),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Provider::Claude => "claude",
            Provider::Codex => "codex",
        }
    }
}

/// Token counts of one call. For Codex, `input` is the uncached part and `cache_read` the cached part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub write_5m: u64,
    pub write_1h: u64,
    pub cache_read: u64,
}

impl Tokens {
    pub fn cache_creation(&self) -> u64 {
        self.write_5m.saturating_add(self.write_1h)
    }

    pub fn total(&self) -> u64 {
        self.input.saturating_add(self.output).saturating_add(self.cache_creation()).saturating_add(self.cache_read)
    }
}

pub const SIDECHAIN: u8 = 1;
pub const UNPRICED: u8 = 2;

/// One usage line as stored in the cache: the best line of its key within one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rec {
    /// Milliseconds since the Unix epoch, UTC.
    pub ts: i64,
    /// The response this line may belong to (a hash of `message.id`); lines without an id get their
    /// own value, equal to `key`, so they are never merged.
    pub msg: u64,
    /// The exact duplicate key: (`message.id`, `requestId`), or (`message.id`, session) without one.
    pub key: u64,
    pub tok: Tokens,
    /// Pico-dollars; 0 when the model has no price (and then `UNPRICED` is set).
    pub cost: u64,
    pub file: u32,
    pub model: u16,
    pub flags: u8,
    pub provider: u8,
}

impl Rec {
    pub const SIZE: usize = 80;

    pub fn sidechain(&self) -> bool {
        self.flags & SIDECHAIN != 0
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ts.to_le_bytes());
        out.extend_from_slice(&self.msg.to_le_bytes());
        out.extend_from_slice(&self.key.to_le_bytes());
        for v in [self.tok.input, self.tok.output, self.tok.write_5m, self.tok.write_1h, self.tok.cache_read] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.cost.to_le_bytes());
        out.extend_from_slice(&self.file.to_le_bytes());
        out.extend_from_slice(&self.model.to_le_bytes());
        out.push(self.flags);
        out.push(self.provider);
    }

    pub fn decode(b: &[u8]) -> Rec {
        let u = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        Rec {
            ts: u(0) as i64,
            msg: u(8),
            key: u(16),
            tok: Tokens { input: u(24), output: u(32), write_5m: u(40), write_1h: u(48), cache_read: u(56) },
            cost: u(64),
            file: u32::from_le_bytes(b[72..76].try_into().unwrap()),
            model: u16::from_le_bytes(b[76..78].try_into().unwrap()),
            flags: b[78],
            provider: b[79],
        }
    }

    pub fn entry(&self) -> Entry {
        Entry { ts: self.ts, model: self.model, flags: self.flags, sums: Sums::of(self) }
    }
}

/// Sums over a set of calls; also the prefix sums stored per row in the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub input: u64,
    pub output: u64,
    pub cache_creation: u64,
    pub cache_read: u64,
    pub cost: u64,
    /// Tokens of calls whose model has no price.
    pub unpriced: u64,
}

impl Sums {
    pub const SIZE: usize = 48;

    pub fn of(r: &Rec) -> Sums {
        Sums {
            input: r.tok.input,
            output: r.tok.output,
            cache_creation: r.tok.cache_creation(),
            cache_read: r.tok.cache_read,
            cost: r.cost,
            unpriced: if r.flags & UNPRICED != 0 { r.tok.total() } else { 0 },
        }
    }

    pub fn total(&self) -> u64 {
        self.input + self.output + self.cache_creation + self.cache_read
    }

    fn fields(&self) -> [u64; 6] {
        [self.input, self.output, self.cache_creation, self.cache_read, self.cost, self.unpriced]
    }

    fn from_fields(f: [u64; 6]) -> Sums {
        Sums { input: f[0], output: f[1], cache_creation: f[2], cache_read: f[3], cost: f[4], unpriced: f[5] }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        for v in self.fields() {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    pub fn decode(b: &[u8]) -> Sums {
        let mut f = [0u64; 6];
        for (i, v) in f.iter_mut().enumerate() {
            *v = u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap());
        }
        Sums::from_fields(f)
    }
}

impl Add for Sums {
    type Output = Sums;
    fn add(self, o: Sums) -> Sums {
        let (a, b) = (self.fields(), o.fields());
        Sums::from_fields(std::array::from_fn(|i| a[i].wrapping_add(b[i])))
    }
}

impl AddAssign for Sums {
    fn add_assign(&mut self, o: Sums) {
        *self = *self + o;
    }
}

/// Prefix sums subtract exactly because every field only ever grew; wrapping keeps a corrupt cache
/// from panicking (it is caught by the plausibility checks instead).
impl Sub for Sums {
    type Output = Sums;
    fn sub(self, o: Sums) -> Sums {
        let (a, b) = (self.fields(), o.fields());
        Sums::from_fields(std::array::from_fn(|i| a[i].wrapping_sub(b[i])))
    }
}

/// A de-duplicated API call, the unit windows are made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub ts: i64,
    pub model: u16,
    pub flags: u8,
    pub sums: Sums,
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
    fn rec_round_trips() {
        let r = Rec {
            ts: 1_770_930_005_557,
            msg: 7,
            key: u64::MAX,
            tok: Tokens { input: 1, output: 2, write_5m: 3, write_1h: 4, cache_read: (1 << 53) - 1 },
            cost: 99,
            file: 12,
            model: 3,
            flags: SIDECHAIN,
            provider: 1,
        };
        let mut b = Vec::new();
        r.encode(&mut b);
        assert_eq!(b.len(), Rec::SIZE);
        assert_eq!(Rec::decode(&b), r);
    }

    #[test]
    fn sums_of_a_record() {
        let r = Rec {
            ts: 0,
            msg: 0,
            key: 0,
            tok: Tokens { input: 3, output: 9, write_5m: 15_005, write_1h: 5, cache_read: 11_442 },
            cost: 0,
            file: 0,
            model: 0,
            flags: UNPRICED,
            provider: 0,
        };
        let s = Sums::of(&r);
        assert_eq!(s.cache_creation, 15_010);
        assert_eq!(s.total(), 26_464);
        assert_eq!(s.unpriced, 26_464);
        let mut b = Vec::new();
        s.encode(&mut b);
        assert_eq!(Sums::decode(&b), s);
        assert_eq!((s + s) - s, s);
    }
}
