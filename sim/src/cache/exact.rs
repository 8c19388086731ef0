//! Exact hit ratios for tiny caches, by solving the Markov chain of the cache's state.
//!
//! Under independent requests (key `i` with probability `p_i`) a cache's contents form a Markov
//! chain; its stationary distribution `pi` gives the exact hit ratio
//! `sum over states s of pi(s) * sum_{i in s} p_i`. The chains here start full (the states with
//! fewer entries are transient):
//!
//! - **LRU**: a state is the ordered list of cached keys, most recent first. A request for a
//!   cached key moves it to the front; any other key enters at the front and the last one leaves.
//! - **FIFO**: the same ordered list, by insertion; a hit changes nothing.
//! - **Random**: the unordered set; a miss replaces each cached key with probability `1 / C`.
//!
//! The stationary distribution is found by power iteration (hits are self-loops, so the chain is
//! aperiodic) to 1e-15. Only small cases are allowed: at most 12 keys and 20,000 states.
//!
//! Example (REFERENCES.md): popularities (0.5, 0.3, 0.2), a cache of 2: LRU 0.7193, FIFO 0.7097
//! (Che's approximation gives 0.7154 and 0.6966 here: it is meant for many keys).

use crate::ConfigError;

/// Most keys accepted.
pub const MAX_KEYS: usize = 12;
/// Most chain states accepted.
pub const MAX_STATES: usize = 20_000;
const MAX_ITERATIONS: usize = 1_000_000;
const TOLERANCE: f64 = 1e-15;

/// The exact LRU hit ratio for keys of popularity `popularity` (normalised) and a cache of
/// `capacity` entries.
pub fn lru_hit_ratio(popularity: &[f64], capacity: usize) -> Result<f64, ConfigError> {
    solve(popularity, capacity, Kind::Lru)
}

/// The exact FIFO hit ratio.
pub fn fifo_hit_ratio(popularity: &[f64], capacity: usize) -> Result<f64, ConfigError> {
    solve(popularity, capacity, Kind::Fifo)
}

/// The exact hit ratio of random eviction (equal to FIFO's: a classic result, checked by tests).
pub fn random_hit_ratio(popularity: &[f64], capacity: usize) -> Result<f64, ConfigError> {
    solve(popularity, capacity, Kind::Random)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Lru,
    Fifo,
    Random,
}

fn solve(popularity: &[f64], capacity: usize, kind: Kind) -> Result<f64, ConfigError> {
    let n = popularity.len();
    if n == 0 || n > MAX_KEYS {
        return Err(ConfigError::new(
            "keys",
            format!("must be between 1 and {MAX_KEYS} for the exact solver"),
        ));
    }
    if popularity.iter().any(|p| !p.is_finite() || *p < 0.0) {
        return Err(ConfigError::new("popularity", "must be finite and non-negative"));
    }
    let total: f64 = popularity.iter().sum();
    if total <= 0.0 {
        return Err(ConfigError::new("popularity", "must not be all zero"));
    }
    let p: Vec<f64> = popularity.iter().map(|x| x / total).collect();
    if capacity == 0 {
        return Ok(0.0);
    }
    if capacity >= n {
        return Ok(1.0);
    }
    let states = enumerate(n, capacity, kind == Kind::Random)?;
    let index = |s: &[u8]| states.binary_search_by(|x| x.as_slice().cmp(s)).ok();

    // Transitions: for each state, (next state, probability).
    let mut transitions: Vec<Vec<(usize, f64)>> = Vec::with_capacity(states.len());
    for s in &states {
        let mut out = Vec::new();
        for (key, &pk) in p.iter().enumerate() {
            let key = key as u8;
            if pk == 0.0 {
                continue;
            }
            let position = s.iter().position(|&x| x == key);
            match (kind, position) {
                (Kind::Lru, Some(at)) => {
                    let mut next = s.clone();
                    next.remove(at);
                    next.insert(0, key);
                    out.push((index(&next), pk));
                }
                (Kind::Fifo | Kind::Random, Some(_)) => out.push((index(s), pk)),
                (Kind::Lru | Kind::Fifo, None) => {
                    let mut next = s.clone();
                    next.pop();
                    next.insert(0, key);
                    out.push((index(&next), pk));
                }
                (Kind::Random, None) => {
                    let share = pk / capacity as f64;
                    for leaving in 0..s.len() {
                        let mut next = s.clone();
                        next[leaving] = key;
                        next.sort_unstable();
                        out.push((index(&next), share));
                    }
                }
            }
        }
        let mut resolved = Vec::with_capacity(out.len());
        for (to, prob) in out {
            let to = to.ok_or_else(|| ConfigError::new("state", "internal error: unknown state"))?;
            resolved.push((to, prob));
        }
        transitions.push(resolved);
    }

    let m = states.len();
    let mut pi = vec![1.0 / m as f64; m];
    let mut next = vec![0.0; m];
    for _ in 0..MAX_ITERATIONS {
        next.iter_mut().for_each(|x| *x = 0.0);
        for (from, outs) in transitions.iter().enumerate() {
            for &(to, prob) in outs {
                next[to] += pi[from] * prob;
            }
        }
        let change: f64 = pi.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut pi, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    let hit = states
        .iter()
        .zip(&pi)
        .map(|(s, w)| w * s.iter().map(|&k| p[k as usize]).sum::<f64>())
        .sum();
    Ok(hit)
}

/// Every full state in lexicographic order: ordered `capacity`-tuples of distinct keys, or sorted
/// subsets when `unordered`.
fn enumerate(n: usize, capacity: usize, unordered: bool) -> Result<Vec<Vec<u8>>, ConfigError> {
    let mut out = Vec::new();
    let mut current = Vec::with_capacity(capacity);
    let mut used = vec![false; n];
    fn walk(
        n: usize,
        capacity: usize,
        unordered: bool,
        current: &mut Vec<u8>,
        used: &mut [bool],
        out: &mut Vec<Vec<u8>>,
    ) -> bool {
        if current.len() == capacity {
            out.push(current.clone());
            return out.len() <= MAX_STATES;
        }
        let start = if unordered {
            current.last().map_or(0, |&k| k as usize + 1)
        } else {
            0
        };
        for k in start..n {
            if used[k] {
                continue;
            }
            used[k] = true;
            current.push(k as u8);
            let ok = walk(n, capacity, unordered, current, used, out);
            current.pop();
            used[k] = false;
            if !ok {
                return false;
            }
        }
        true
    }
    if !walk(n, capacity, unordered, &mut current, &mut used, &mut out) {
        return Err(ConfigError::new(
            "capacity",
            format!("gives more than {MAX_STATES} states for the exact solver"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_and_edges() {
        let p = [0.25; 4];
        for c in 1..4 {
            let want = c as f64 / 4.0;
            assert!((lru_hit_ratio(&p, c).unwrap() - want).abs() < 1e-12);
            assert!((fifo_hit_ratio(&p, c).unwrap() - want).abs() < 1e-12);
        }
        assert_eq!(lru_hit_ratio(&p, 0).unwrap(), 0.0);
        assert_eq!(lru_hit_ratio(&p, 9).unwrap(), 1.0);
        assert!(lru_hit_ratio(&[], 1).is_err());
        assert!(lru_hit_ratio(&[0.1; 13], 1).is_err());
        assert!(lru_hit_ratio(&[f64::NAN, 1.0], 1).is_err());
        assert!(lru_hit_ratio(&[0.0, 0.0], 1).is_err());
        assert!(lru_hit_ratio(&[0.1; 12], 6).is_err());
    }
}
