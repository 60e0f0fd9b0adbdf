//! Stable 64-bit hashes for what the cache stores: keys other invocations must find again, and
//! checksums of what they read back.
//!
//! `std`'s hasher is seeded per process, so it cannot name a stored key. xxh3 is, and it runs at
//! memory speed, which the checksums of every prompt's reads need. Every part is prefixed with its
//! length, so that no two different lists of parts feed the same bytes (`("a\xff", "b")` and
//! `("a", "\xffb")` differ), and the domain names what is hashed so two uses never collide by design.

use xxhash_rust::xxh3::{Xxh3, xxh3_64_with_seed};

#[derive(Clone)]
pub struct Hasher(Xxh3);

impl Hasher {
    pub fn new(domain: &str) -> Self {
        let mut h = Hasher(Xxh3::new());
        h.part(domain.as_bytes());
        h
    }

    /// Adds one part, length first.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.part(&v.to_le_bytes())
    }

    pub fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// The hash of a list of parts under a domain.
pub fn key(domain: &str, parts: &[&[u8]]) -> u64 {
    let mut h = Hasher::new(domain);
    for p in parts {
        h.part(p);
    }
    h.finish()
}

/// A checksum of one buffer: xxh3 seeded with the domain's hash.
pub fn checksum(domain: &str, b: &[u8]) -> u64 {
    xxh3_64_with_seed(b, key("checksum", &[domain.as_bytes()]))
}

/// `checksum` of the parts laid end to end, without laying them: a copy of a 50 KB state head was
/// 13 fresh pages, 25 µs of a warm prompt on a virtual machine.
pub fn checksum_of(domain: &str, parts: &[&[u8]]) -> u64 {
    let mut h = Xxh3::with_seed(key("checksum", &[domain.as_bytes()]));
    for p in parts {
        h.update(p);
    }
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_values() {
        // Stored on disk: a build that changes these must bump the cache versions. Both equal an
        // independent count: Python's `xxhash.xxh3_64_intdigest` over the length-prefixed parts
        // (u64 little-endian length, then the bytes), the checksum seeded with key("checksum", "x").
        assert_eq!(key("t", &[b"a"]), PIN_KEY);
        assert_eq!(checksum("x", b"runway"), PIN_SUM);
    }

    #[test]
    fn parts_cannot_run_into_each_other() {
        assert_ne!(key("t", &[b"a\xff", b"b"]), key("t", &[b"a", b"\xffb"]));
        assert_ne!(key("t", &[b"ab", b"c"]), key("t", &[b"a", b"bc"]));
        assert_ne!(key("t", &[b"a", b""]), key("t", &[b"a"]));
        assert_ne!(key("t", &[b"a"]), key("u", &[b"a"]));
    }

    #[test]
    fn checksum_sees_every_byte() {
        let b: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let c = checksum("x", &b);
        assert_ne!(c, checksum("y", &b));
        for i in [0, 31, 32, 500, 999] {
            let mut d = b.clone();
            d[i] ^= 1;
            assert_ne!(c, checksum("x", &d), "byte {i}");
        }
        assert_ne!(checksum("x", &b[..999]), c);
        // In parts, cut anywhere (inside xxh3's 64-byte stripes and 1 KiB blocks and across them),
        // the same as whole.
        for cut in [0, 1, 63, 64, 240, 241, 999, 1000] {
            assert_eq!(checksum_of("x", &[&b[..cut], &b[cut..]]), c, "cut at {cut}");
        }
        assert_eq!(checksum_of("x", &[&b[..10], &b[10..500], &[], &b[500..]]), c);
        assert_ne!(checksum_of("y", &[&b[..10], &b[10..]]), c);
    }

    const PIN_KEY: u64 = 10_504_443_361_706_151_666;
    const PIN_SUM: u64 = 4_003_273_385_533_661_755;
}
