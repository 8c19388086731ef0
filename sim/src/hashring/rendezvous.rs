//! Rendezvous hashing, a.k.a. highest random weight (Thaler & Ravishankar, 1998).
//!
//! Every node scores every key; the key goes to the highest score. Removing a node moves only the
//! keys it had won (each goes to its runner-up); adding one takes from every node a share in
//! proportion. A lookup costs one score per node.
//!
//! The score of (key, node) is [`mix64`]`(key_hash ^ node_hash)` over the two precomputed xxh3
//! hashes: one cheap mix per pair instead of hashing a string per pair, which keeps 1,000 nodes x
//! 1,000,000 keys (10^9 scores) affordable. Ties (astronomically rare) go to the earlier node.
//!
//! Weighted nodes use the logarithmic method (Schindelhauer & Schomaker, 2005, as in "weighted
//! rendezvous hashing"): the score becomes `-weight / ln(u)` with `u` the mixed score mapped into
//! `(0, 1)`, so a node wins a share of keys proportional to its weight. When all weights are equal
//! that order is the order of the raw scores, so the fast integer comparison is used.

use super::hash::mix64;

/// Scores of one key against each node: which node wins.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendezvous {
    node_hashes: Vec<u64>,
    /// `None` when all weights are equal (integer fast path).
    weights: Option<Vec<f64>>,
}

/// The raw score of a (key, node) pair: higher wins.
pub fn score(key_hash: u64, node_hash: u64) -> u64 {
    mix64(key_hash ^ node_hash)
}

/// The weighted score `-weight / ln(u)`, with `u = (top 53 bits of score + 0.5) / 2^53` in `(0, 1)`.
pub fn weighted_score(key_hash: u64, node_hash: u64, weight: f64) -> f64 {
    let u = ((score(key_hash, node_hash) >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    -weight / libm::log(u)
}

impl Rendezvous {
    /// A scorer over nodes with these hashes and weights (same length; extra weights are ignored,
    /// missing ones count as 1).
    pub fn new(node_hashes: Vec<u64>, weights: &[f64]) -> Self {
        let weight_of = |i: usize| weights.get(i).copied().unwrap_or(1.0);
        let first = weight_of(0);
        let all_equal = (0..node_hashes.len()).all(|i| weight_of(i) == first);
        let weights = if all_equal {
            None
        } else {
            Some((0..node_hashes.len()).map(weight_of).collect())
        };
        Self { node_hashes, weights }
    }

    /// How many nodes compete.
    pub fn len(&self) -> usize {
        self.node_hashes.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.node_hashes.is_empty()
    }

    /// The index of the winning node for `key_hash`, or `None` with no nodes.
    pub fn pick(&self, key_hash: u64) -> Option<usize> {
        match &self.weights {
            None => {
                let mut best: Option<(usize, u64)> = None;
                for (i, &h) in self.node_hashes.iter().enumerate() {
                    let s = score(key_hash, h);
                    if best.is_none_or(|(_, b)| s > b) {
                        best = Some((i, s));
                    }
                }
                best.map(|(i, _)| i)
            }
            Some(weights) => {
                let mut best: Option<(usize, f64)> = None;
                for (i, (&h, &w)) in self.node_hashes.iter().zip(weights).enumerate() {
                    let s = weighted_score(key_hash, h, w);
                    if best.is_none_or(|(_, b)| s > b) {
                        best = Some((i, s));
                    }
                }
                best.map(|(i, _)| i)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_highest_score_and_handles_no_nodes() {
        let r = Rendezvous::new(vec![1, 2, 3], &[]);
        let k = 12345;
        let best = (0..3).max_by_key(|&i| score(k, [1, 2, 3][i])).unwrap();
        assert_eq!(r.pick(k), Some(best));
        assert_eq!(Rendezvous::new(vec![], &[]).pick(k), None);
    }

    #[test]
    fn weighted_scores_are_finite_and_positive() {
        for k in [0u64, 1, u64::MAX] {
            let s = weighted_score(k, 7, 2.0);
            assert!(s.is_finite() && s > 0.0);
        }
    }
}
