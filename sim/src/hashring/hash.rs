//! The one portable 64-bit hash every strategy uses, the names it hashes, and a 64-bit mixer.
//!
//! Keys are named `key-<i>` (i = 0..keys), nodes `node-<id>`, and a node's virtual points
//! `node-<id>#<replica>`. Each name's UTF-8 bytes go through XXH3-64 (seed 0), which gives the same
//! value on every machine and in wasm.

use xxhash_rust::xxh3::xxh3_64;

use super::membership::NodeId;

/// 2^64 as an `f64`: the circumference of the ring in hash units.
pub const CIRCLE: f64 = 18_446_744_073_709_551_616.0;

/// XXH3-64 of `bytes`: the portable hash behind every placement.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// The name of key `index`: `key-<index>`.
pub fn key_name(index: u64) -> String {
    format!("key-{index}")
}

/// The name of node `id`: `node-<id>`.
pub fn node_name(id: NodeId) -> String {
    format!("node-{id}")
}

/// The hash of key `index`, i.e. of the bytes of `key-<index>` (no allocation).
pub fn key_hash(index: u64) -> u64 {
    let mut name = NameBuf::default();
    name.push_str("key-");
    name.push_u64(index);
    xxh3_64(name.as_bytes())
}

/// The hash of node `id`, i.e. of `node-<id>` (rendezvous hashing scores against it).
pub fn node_hash(id: NodeId) -> u64 {
    let mut name = NameBuf::default();
    name.push_str("node-");
    name.push_u64(u64::from(id));
    xxh3_64(name.as_bytes())
}

/// The ring position of virtual point `replica` of node `id`, i.e. the hash of `node-<id>#<replica>`.
pub fn point_hash(id: NodeId, replica: u32) -> u64 {
    let mut name = NameBuf::default();
    name.push_str("node-");
    name.push_u64(u64::from(id));
    name.push_str("#");
    name.push_u64(u64::from(replica));
    xxh3_64(name.as_bytes())
}

/// Mixes 64 bits into 64 well-spread bits: the SplitMix64 finalizer (Steele, Lea & Flood, 2014;
/// multipliers from David Stafford's "Mix13"). A bijection, so distinct inputs never collide, and
/// every input bit affects every output bit. Used by rendezvous hashing to score (key, node) pairs
/// from their precomputed hashes without hashing strings again.
pub fn mix64(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Where a hash sits on the ring, as a fraction of the circle in `[0, 1)` (53-bit precision).
pub fn circle_fraction(position: u64) -> f64 {
    (position >> 11) as f64 / (1u64 << 53) as f64
}

/// A small stack buffer for names like `node-12#345`, so hashing a million of them allocates nothing.
/// Writes past its capacity are dropped rather than panicking (no name here comes close).
#[derive(Clone, Copy)]
struct NameBuf {
    bytes: [u8; 48],
    len: usize,
}

impl Default for NameBuf {
    fn default() -> Self {
        Self { bytes: [0; 48], len: 0 }
    }
}

impl NameBuf {
    fn push_byte(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    fn push_str(&mut self, s: &str) {
        for &b in s.as_bytes() {
            self.push_byte(b);
        }
    }

    fn push_u64(&mut self, mut v: u64) {
        let mut digits = [0u8; 20];
        let mut n = 0;
        loop {
            if let Some(d) = digits.get_mut(n) {
                *d = b'0' + (v % 10) as u8;
            }
            n += 1;
            v /= 10;
            if v == 0 || n >= digits.len() {
                break;
            }
        }
        for i in (0..n).rev() {
            if let Some(&d) = digits.get(i) {
                self.push_byte(d);
            }
        }
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names_hash_like_strings() {
        for i in [0u64, 7, 10, 12345, u64::MAX] {
            assert_eq!(key_hash(i), hash_bytes(key_name(i).as_bytes()));
        }
        for id in [0u32, 9, 1000, u32::MAX] {
            assert_eq!(node_hash(id), hash_bytes(node_name(id).as_bytes()));
            assert_eq!(point_hash(id, 999), hash_bytes(format!("node-{id}#999").as_bytes()));
        }
    }

    #[test]
    fn circle_fraction_stays_below_one() {
        assert_eq!(circle_fraction(0), 0.0);
        assert!(circle_fraction(u64::MAX) < 1.0);
        assert_eq!(circle_fraction(1 << 63), 0.5);
    }
}
