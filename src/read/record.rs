//! One usage line as stored: the best line of its key within one file, priced.

use crate::ground::provider::Provider;
use crate::ground::tokens::{Entry, SIDECHAIN, Sums, Tokens};

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
    /// Premium requests, in thousandths (see `Sums::premium`).
    pub premium: u64,
    pub file: u32,
    pub model: u16,
    pub flags: u8,
    pub provider: Provider,
}

impl Rec {
    pub const SIZE: usize = 96;

    pub fn sidechain(&self) -> bool {
        self.flags & SIDECHAIN != 0
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ts.to_le_bytes());
        out.extend_from_slice(&self.msg.to_le_bytes());
        out.extend_from_slice(&self.key.to_le_bytes());
        let t = &self.tok;
        for v in [t.input, t.output, t.write_5m, t.write_1h, t.cache_read, t.reasoning, self.cost, self.premium] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.file.to_le_bytes());
        out.extend_from_slice(&self.model.to_le_bytes());
        out.push(self.flags);
        out.push(self.provider.code());
    }

    /// `b` holds at least `SIZE` bytes; `None` when they name no provider (damage, not a record).
    pub fn decode(b: &[u8]) -> Option<Rec> {
        let u = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        Some(Rec {
            ts: u(0) as i64,
            msg: u(8),
            key: u(16),
            tok: Tokens {
                input: u(24),
                output: u(32),
                write_5m: u(40),
                write_1h: u(48),
                cache_read: u(56),
                reasoning: u(64),
            },
            cost: u(72),
            premium: u(80),
            file: u32::from_le_bytes(b[88..92].try_into().unwrap()),
            model: u16::from_le_bytes(b[92..94].try_into().unwrap()),
            flags: b[94],
            provider: Provider::from_code(b[95])?,
        })
    }

    pub fn entry(&self) -> Entry {
        Entry {
            ts: self.ts,
            file: self.file,
            model: self.model,
            flags: self.flags,
            sums: Sums::of(&self.tok, self.cost, self.flags, self.premium),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let r = Rec {
            ts: 1_770_930_005_557,
            msg: 7,
            key: u64::MAX,
            tok: Tokens { input: 1, output: 2, write_5m: 3, write_1h: 4, cache_read: (1 << 53) - 1, reasoning: 2 },
            cost: 99,
            premium: 1_500,
            file: 12,
            model: 3,
            flags: SIDECHAIN,
            provider: Provider::CODEX,
        };
        let mut b = Vec::new();
        r.encode(&mut b);
        assert_eq!(b.len(), Rec::SIZE);
        assert_eq!(Rec::decode(&b), Some(r));
        b[Rec::SIZE - 1] = 200;
        assert_eq!(Rec::decode(&b), None, "an unknown provider is damage, not Claude");
    }
}
