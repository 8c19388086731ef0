//! Consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam, 2018; HAProxy's
//! `hash-balance-factor`).
//!
//! Every node has a capacity of `ceil((1 + eps) * keys * weight / total_weight)` keys, which is
//! `ceil((1 + eps) * keys / nodes)` when weights are equal. A key goes to the owner of its ring point
//! unless that node is full; then it walks clockwise, point by point, to the first point of a node
//! that is not full.
//!
//! The result depends on the order keys arrive: keys are placed in key index order
//! (`key-0`, `key-1`, ...), always, so the result is the same however the work is sliced.
//!
//! Skipping full nodes is a union-find over point indices: a point whose node is full links to its
//! clockwise successor, and lookups follow and compress the links. Every key costs amortised
//! near-constant time even when most nodes are full.

use super::ring::Ring;

/// The capacity of each of `nodes` equal nodes for `keys` keys: `ceil((1 + eps) * keys / nodes)`.
pub fn capacity(keys: u64, nodes: u64, epsilon: f64) -> u64 {
    if nodes == 0 {
        return 0;
    }
    let c = libm::ceil((1.0 + epsilon) * keys as f64 / nodes as f64);
    if c.is_finite() && c > 0.0 {
        c as u64
    } else {
        0
    }
}

/// Per-node capacities for `keys` keys and these weights: `ceil((1 + eps) * keys * w / sum(w))`.
/// Equal weights give exactly [`capacity`]. If rounding ever left the total below `keys`, the
/// shortfall is added one by one from the first node, so every key always finds room.
pub fn capacities(keys: u64, weights: &[f64], epsilon: f64) -> Vec<u64> {
    let total: f64 = weights.iter().sum();
    let mut caps: Vec<u64> = weights
        .iter()
        .map(|&w| {
            let c = libm::ceil((1.0 + epsilon) * keys as f64 * w / total);
            if c.is_finite() && c > 0.0 {
                c as u64
            } else {
                0
            }
        })
        .collect();
    let n = caps.len();
    let mut sum: u64 = caps.iter().sum();
    let mut i = 0;
    while sum < keys && n > 0 {
        if let Some(c) = caps.get_mut(i % n) {
            *c += 1;
            sum += 1;
        }
        i += 1;
    }
    caps
}

/// The running state of a bounded-load assignment over one ring.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundedLoads {
    capacities: Vec<u64>,
    loads: Vec<u64>,
    full_members: usize,
    /// Union-find links over point indices (a point links to itself while its node has room).
    next: Vec<u32>,
    /// Total points walked past the first choice, over all keys placed.
    walked: u64,
    placed: u64,
}

impl BoundedLoads {
    /// Starts an assignment over `ring` with one capacity per ring member (see [`capacities`]).
    pub fn new(ring: &Ring, capacities: Vec<u64>) -> Self {
        let n = ring.members().len();
        let mut capacities = capacities;
        capacities.resize(n, 0);
        let full_members = capacities.iter().filter(|&&c| c == 0).count();
        Self {
            capacities,
            loads: vec![0; n],
            full_members,
            next: (0..ring.len() as u32).collect(),
            walked: 0,
            placed: 0,
        }
    }

    /// Places a key with hash `key_hash` and returns its member index, or `None` if the ring is
    /// empty or every node is full.
    pub fn place(&mut self, ring: &Ring, key_hash: u64) -> Option<usize> {
        let first = ring.point_index(key_hash)?;
        let point = self.find_open(ring, first)?;
        let member = ring.member_at(point)?;
        let points = ring.len();
        self.walked += ((point + points - first) % points) as u64;
        self.placed += 1;
        let load = self.loads.get_mut(member)?;
        *load += 1;
        if *load == self.capacities.get(member).copied().unwrap_or(0) {
            self.full_members += 1;
        }
        Some(member)
    }

    fn is_full(&self, member: usize) -> bool {
        self.loads.get(member).copied().unwrap_or(0) >= self.capacities.get(member).copied().unwrap_or(0)
    }

    /// The first point at or clockwise after `start` whose node has room.
    fn find_open(&mut self, ring: &Ring, start: usize) -> Option<usize> {
        if self.full_members >= self.capacities.len() || ring.is_empty() {
            return None;
        }
        let points = ring.len();
        let mut at = start;
        loop {
            let root = self.root(at)?;
            let member = ring.member_at(root)?;
            if !self.is_full(member) {
                return Some(root);
            }
            let successor = ((root + 1) % points) as u32;
            *self.next.get_mut(root)? = successor;
            at = successor as usize;
        }
    }

    /// Follows links from `at` to a point linked to itself, compressing the path.
    fn root(&mut self, at: usize) -> Option<usize> {
        let mut root = at;
        loop {
            let next = *self.next.get(root)? as usize;
            if next == root {
                break;
            }
            root = next;
        }
        let mut node = at;
        while node != root {
            let slot = self.next.get_mut(node)?;
            node = *slot as usize;
            *slot = root as u32;
        }
        Some(root)
    }

    /// Keys placed on each member so far.
    pub fn loads(&self) -> &[u64] {
        &self.loads
    }

    /// Each member's capacity.
    pub fn capacities(&self) -> &[u64] {
        &self.capacities
    }

    /// Mean number of points a key walked past its first choice.
    pub fn mean_walk(&self) -> f64 {
        if self.placed == 0 {
            0.0
        } else {
            self.walked as f64 / self.placed as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities_cover_all_keys() {
        assert_eq!(capacity(10, 3, 0.0), 4);
        assert_eq!(capacity(10, 0, 0.5), 0);
        assert_eq!(capacities(10, &[1.0, 1.0, 1.0], 0.0), vec![4, 4, 4]);
        let caps = capacities(1000, &[0.1, 0.2, 0.7], 0.0);
        assert!(caps.iter().sum::<u64>() >= 1000);
    }
}
