//! The dataset's keys: ids, popularity ranks, hashes and regions.
//!
//! Keys are ids `0..keys` (users); monotonic writes insert new ids after them. Each key is named
//! `key-<id>` and hashed with the hash ring's portable XXH3 ([`key_hash`]), which every hash-based
//! placement uses. Popularity ranks (0 = the most popular, Zipf) are spread over the ids by a fixed
//! bijection, `id = (rank × P + Q) mod keys` with `P` coprime to `keys` near `0.618 × keys` and `Q`
//! from the seed: an id says nothing about how popular a user is, and the celebrities are spread
//! over the keyspace (so range shards all get some). A key's region comes from its hash and the
//! regional mix; the order in which a migration copies keys too, so neither needs memory per key.

use crate::hashring::hash::{circle_fraction, key_hash, mix64};

/// Mixed into a key's hash to draw its region (independent of the placement's bits).
const REGION_SALT: u64 = 0x7265_6769_6f6e_0001;
/// Mixed into a key's hash to draw its place in a migration's copy order.
const COPY_SALT: u64 = 0x636f_7079_6f72_6465;

/// One key, as placements and the workload see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Key {
    /// Its id: its position in the ordered keyspace (what range sharding splits).
    pub(super) id: u64,
    /// The hash of `key-<id>` (what hash-based placements use).
    pub(super) hash: u64,
    /// Its region (index into the regional mix): where its user is.
    pub(super) region: u8,
}

/// The keyspace of a run: the popularity bijection and the regional mix.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Keyspace {
    /// Keys at the start (`config.keys`).
    pub(super) keys: u64,
    multiplier: u64,
    offset: u64,
    /// Cumulative region shares; the last is 1.
    region_edges: Vec<f64>,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Keyspace {
    /// The keyspace of `keys` keys (at least 1) with region `shares` (at least one), for `seed`.
    pub(super) fn new(keys: u64, shares: &[f64], seed: u64) -> Self {
        let keys = keys.max(1);
        let mut multiplier = ((keys as f64 * 0.618_033_988_749_895) as u64).clamp(1, keys);
        while gcd(multiplier, keys) != 1 {
            multiplier = if multiplier + 1 >= keys { 1 } else { multiplier + 1 };
        }
        let offset = mix64(seed ^ 0x6b65_7973) % keys;
        let total: f64 = shares.iter().sum();
        let mut running = 0.0;
        let mut region_edges: Vec<f64> = shares
            .iter()
            .map(|s| {
                running += s / total.max(f64::MIN_POSITIVE);
                running
            })
            .collect();
        match region_edges.last_mut() {
            Some(last) => *last = 1.0,
            None => region_edges.push(1.0),
        }
        Self {
            keys,
            multiplier,
            offset,
            region_edges,
        }
    }

    /// The id of the key of popularity rank `rank` (`rank < keys`).
    pub(super) fn id_of_rank(&self, rank: u64) -> u64 {
        // keys <= 10,000,000, so rank × multiplier + offset < 2^47: no overflow in u64.
        (rank % self.keys)
            .wrapping_mul(self.multiplier)
            .wrapping_add(self.offset)
            % self.keys
    }

    /// The key with id `id`.
    pub(super) fn key(&self, id: u64) -> Key {
        let hash = key_hash(id);
        Key {
            id,
            hash,
            region: self.region_of(hash),
        }
    }

    /// The region of a key with hash `hash`.
    pub(super) fn region_of(&self, hash: u64) -> u8 {
        let u = circle_fraction(mix64(hash ^ REGION_SALT));
        let r = self.region_edges.partition_point(|&edge| edge <= u);
        r.min(self.region_edges.len().saturating_sub(1)) as u8
    }

    /// The region a fraction `u` in `[0, 1)` falls in (to draw a client's region).
    pub(super) fn region_at(&self, u: f64) -> u8 {
        let r = self.region_edges.partition_point(|&edge| edge <= u);
        r.min(self.region_edges.len().saturating_sub(1)) as u8
    }

    /// The id of sub-key `j` of `salt` sub-keys of key `id`: spread evenly over the keyspace (a
    /// salt prefix), `j = 0` being the key itself.
    pub(super) fn sub_key(&self, id: u64, j: u32, salt: u32) -> u64 {
        let salt = u64::from(salt.max(1)).min(self.keys);
        let step = self.keys / salt;
        (id + u64::from(j) % salt * step) % self.keys
    }
}

/// Where a key with hash `hash` falls in a migration's copy order, in `[0, 1)`: it is copied once
/// the migration's progress passes it.
pub(super) fn copy_order(hash: u64) -> f64 {
    circle_fraction(mix64(hash ^ COPY_SALT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_map_to_every_id_once() {
        for keys in [1u64, 2, 10, 97, 1_000, 1_024] {
            let ks = Keyspace::new(keys, &[1.0], 3);
            let mut seen = vec![false; keys as usize];
            for r in 0..keys {
                let id = ks.id_of_rank(r) as usize;
                assert!(!seen[id], "{keys}: {id} twice");
                seen[id] = true;
            }
        }
    }

    #[test]
    fn regions_follow_the_mix() {
        let ks = Keyspace::new(100_000, &[50.0, 30.0, 20.0], 1);
        let mut counts = [0u32; 3];
        for id in 0..100_000 {
            counts[ks.key(id).region as usize] += 1;
        }
        assert!((f64::from(counts[0]) / 1e5 - 0.5).abs() < 0.01, "{counts:?}");
        assert!((f64::from(counts[2]) / 1e5 - 0.2).abs() < 0.01, "{counts:?}");
        assert_eq!(ks.sub_key(5, 0, 4), 5);
        assert_eq!(ks.sub_key(5, 1, 4), 25_005);
    }
}
