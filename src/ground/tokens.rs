//! Token counts of one call, and the sums windows are made of.

use std::ops::{Add, AddAssign, Sub};

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

/// Flags of a counted call.
pub const SIDECHAIN: u8 = 1;
pub const UNPRICED: u8 = 2;
/// Priced as the newest known model of its family (see `read::family`).
pub const ASSUMED: u8 = 4;

/// Sums over a set of calls; also the prefix sums stored per row in the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub input: u64,
    pub output: u64,
    pub cache_creation: u64,
    pub cache_read: u64,
    /// Pico-dollars.
    pub cost: u64,
    /// Tokens of calls whose model has no price.
    pub unpriced: u64,
}

impl Sums {
    pub const SIZE: usize = 48;

    /// The sums of one call.
    pub fn of(t: &Tokens, cost: u64, flags: u8) -> Sums {
        Sums {
            input: t.input,
            output: t.output,
            cache_creation: t.cache_creation(),
            cache_read: t.cache_read,
            cost,
            unpriced: if flags & UNPRICED != 0 { t.total() } else { 0 },
        }
    }

    pub fn total(&self) -> u64 {
        self.input.wrapping_add(self.output).wrapping_add(self.cache_creation).wrapping_add(self.cache_read)
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

    /// `b` holds at least `SIZE` bytes.
    pub fn decode(b: &[u8]) -> Sums {
        Sums::from_fields(std::array::from_fn(|i| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap())))
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
/// from panicking (its checksum catches it instead).
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
    fn sums_of_a_call() {
        let t = Tokens { input: 3, output: 9, write_5m: 15_005, write_1h: 5, cache_read: 11_442 };
        let s = Sums::of(&t, 0, UNPRICED);
        assert_eq!(s.cache_creation, 15_010);
        assert_eq!(s.total(), 26_464);
        assert_eq!(s.unpriced, 26_464);
        let mut b = Vec::new();
        s.encode(&mut b);
        assert_eq!(b.len(), Sums::SIZE);
        assert_eq!(Sums::decode(&b), s);
        assert_eq!((s + s) - s, s);
        assert_eq!(Sums::of(&t, 7, 0).unpriced, 0);
    }
}
