//! Numbers that summarise a placement: balance, keys moved and its ideal, lookup cost.

use serde::Serialize;

use super::jump::expected_steps;
use super::membership::{Member, NodeId};
use super::strategy::Strategy;

/// Each member's ideal share of the keys: its weight over the total weight when the strategy honours
/// weights, otherwise an equal share. Sums to 1 (empty for no members).
pub fn ideal_shares(strategy: Strategy, members: &[Member]) -> Vec<f64> {
    let weight = |m: &Member| if strategy.uses_weights() { m.weight } else { 1.0 };
    let total: f64 = members.iter().map(weight).sum();
    members
        .iter()
        .map(|m| if total > 0.0 { weight(m) / total } else { 0.0 })
        .collect()
}

/// `(node id, ideal share)` for each member (see [`ideal_shares`]).
pub fn id_shares(strategy: Strategy, members: &[Member]) -> Vec<(NodeId, f64)> {
    members
        .iter()
        .map(|m| m.id)
        .zip(ideal_shares(strategy, members))
        .collect()
}

/// How evenly keys are spread, relative to each node's ideal share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Balance {
    /// Coefficient of variation of load: population standard deviation over mean of
    /// `keys_i / ideal_keys_i` (with equal weights, exactly sd/mean of keys per node). 0 is perfect.
    pub cv: f64,
    /// The most loaded node's `keys_i / ideal_keys_i` (with equal weights, max over mean). 1 is
    /// perfect.
    pub peak_to_mean: f64,
}

/// Balance of `loads` (keys per member) against `shares` (ideal share per member) of `keys` keys.
pub fn balance(loads: &[u64], shares: &[f64], keys: u64) -> Balance {
    let ratios: Vec<f64> = loads
        .iter()
        .zip(shares)
        .filter(|(_, &s)| s > 0.0)
        .map(|(&load, &share)| load as f64 / (share * keys as f64))
        .collect();
    if ratios.is_empty() || keys == 0 {
        return Balance::default();
    }
    let n = ratios.len() as f64;
    let mean = ratios.iter().sum::<f64>() / n;
    let variance = ratios.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / n;
    let peak = ratios.iter().copied().fold(0.0, f64::max);
    Balance {
        cv: if mean > 0.0 { libm::sqrt(variance) / mean } else { 0.0 },
        peak_to_mean: if mean > 0.0 { peak / mean } else { 0.0 },
    }
}

/// How many keys have a different owner in `after` than in `before` (same key indices; extra keys on
/// either side are ignored).
pub fn keys_moved(before: &[NodeId], after: &[NodeId]) -> u64 {
    before.iter().zip(after).filter(|(a, b)| a != b).count() as u64
}

/// The fewest keys (as a fraction) any placement must move to go from the ideal shares `before` to
/// `after`, each a list of `(node id, share)`: the total gain of the nodes that grow,
/// `sum max(0, after_i - before_i)`. Adding one of `N + 1` equal nodes gives `1/(N+1)`; removing a
/// node gives its share.
pub fn ideal_moved(before: &[(NodeId, f64)], after: &[(NodeId, f64)]) -> f64 {
    let mut before: Vec<(NodeId, f64)> = before.to_vec();
    before.sort_by_key(|&(id, _)| id);
    let mut gain = 0.0;
    for &(id, share) in after {
        let old = before
            .binary_search_by_key(&id, |&(i, _)| i)
            .ok()
            .and_then(|i| before.get(i))
            .map_or(0.0, |p| p.1);
        if share > old {
            gain += share - old;
        }
    }
    gain
}

/// What one lookup costs with a strategy.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LookupCost {
    /// Rough operation count per lookup (hashes, comparisons or loop iterations).
    pub operations: f64,
    /// A short human label, e.g. `"1 hash + 17 comparisons"`.
    pub label: String,
}

/// The lookup cost of `strategy` with `nodes` nodes and `points` ring points. For bounded,
/// `mean_walk` (points walked past the first choice, on average) is added.
pub fn lookup_cost(strategy: Strategy, nodes: usize, points: usize, mean_walk: f64) -> LookupCost {
    let search = if points > 1 {
        libm::ceil(libm::log2(points as f64))
    } else {
        0.0
    };
    match strategy {
        Strategy::Modulo => LookupCost {
            operations: 1.0,
            label: "1 hash".into(),
        },
        Strategy::Ring => LookupCost {
            operations: 1.0 + search,
            label: format!("1 hash + {search:.0} comparisons (binary search over {points} points)"),
        },
        Strategy::Bounded => LookupCost {
            operations: 1.0 + search + mean_walk,
            label: format!("1 hash + {search:.0} comparisons + {mean_walk:.2} points walked past full nodes"),
        },
        Strategy::Jump => {
            let steps = expected_steps(u32::try_from(nodes).unwrap_or(u32::MAX));
            LookupCost {
                operations: steps,
                label: format!("1 hash + about {steps:.1} loop iterations"),
            }
        }
        Strategy::Rendezvous => LookupCost {
            operations: nodes as f64,
            label: format!("{nodes} scores (one per node)"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_of_equal_loads_is_perfect() {
        let b = balance(&[10, 10, 10, 10], &[0.25; 4], 40);
        assert_eq!(b.cv, 0.0);
        assert_eq!(b.peak_to_mean, 1.0);
        let b = balance(&[0, 20], &[0.5, 0.5], 20);
        assert!((b.cv - 1.0).abs() < 1e-12);
        assert!((b.peak_to_mean - 2.0).abs() < 1e-12);
    }

    #[test]
    fn ideal_moved_for_add_and_remove() {
        let ten: Vec<(NodeId, f64)> = (0..10).map(|i| (i, 0.1)).collect();
        let eleven: Vec<(NodeId, f64)> = (0..11).map(|i| (i, 1.0 / 11.0)).collect();
        assert!((ideal_moved(&ten, &eleven) - 1.0 / 11.0).abs() < 1e-12);
        assert!((ideal_moved(&eleven, &ten) - 1.0 / 11.0).abs() < 1e-12);
    }
}
