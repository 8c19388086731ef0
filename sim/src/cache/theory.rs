//! What the hit ratio should be, by formula, for independent requests (the "independent reference
//! model": each request picks key `i` with probability `p_i`, whatever came before).
//!
//! - **LRU, Che's approximation** (Che, Tung and Wang 2002): an entry stays cached for a
//!   *characteristic time* `T` after its last request. Solve `sum_i (1 - exp(-p_i T)) = C` for
//!   `T`; then `hit = sum_i p_i (1 - exp(-p_i T))`.
//! - **FIFO and random eviction**: solve `sum_i p_i T / (1 + p_i T) = C`; then
//!   `hit = sum_i p_i * p_i T / (1 + p_i T)` (both policies share it).
//! - **Perfect LFU**: the popularity mass of the `C` most popular keys.
//!
//! Worked example (REFERENCES.md): 1000 keys, Zipf 0.8, cache of 100: LRU 0.378, FIFO 0.334,
//! LFU 0.526. The approximations are excellent for many keys; for tiny cases use
//! [`crate::cache::exact`].
//!
//! `T` is found by a bracketing root search: the bracket `[C, 2^k C]` is found by doubling, then
//! narrowed by bisection, with Newton steps taken whenever they stay inside the bracket (the sums
//! are increasing and concave in `T`, so the steps converge from below). Each step is one pass over
//! the keys; about ten passes reach 1e-12.

use super::eviction::Eviction;
use crate::engine::Zipf;
use crate::ConfigError;

/// The popularities `p_0 >= p_1 >= ...` of `keys` keys under Zipf with exponent `alpha`
/// (`keys` in `1..=10,000,000`, `alpha` in `0..=5`).
pub fn zipf_popularities(keys: usize, alpha: f64) -> Result<Vec<f64>, ConfigError> {
    let zipf = Zipf::new(keys, alpha)?;
    Ok((0..keys).map(|k| zipf.pmf(k)).collect())
}

/// Popularities cleaned for the formulas: NaN, negative and infinite values count as 0, and the
/// rest is scaled to sum to 1. `None` when nothing positive is left.
fn normalised(popularity: &[f64]) -> Option<Vec<f64>> {
    let clean: Vec<f64> = popularity
        .iter()
        .map(|&p| if p.is_finite() && p > 0.0 { p } else { 0.0 })
        .collect();
    let total: f64 = clean.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    Some(clean.into_iter().map(|p| p / total).collect())
}

/// The occupancy of a key with `x = p T` and its derivative in `x`, for LRU.
fn lru_occupancy(x: f64) -> (f64, f64) {
    (-libm::expm1(-x), libm::exp(-x))
}

/// The occupancy of a key with `x = p T` and its derivative in `x`, for FIFO and random.
fn fifo_occupancy(x: f64) -> (f64, f64) {
    let d = 1.0 + x;
    (x / d, 1.0 / (d * d))
}

/// Solves `sum_i occupancy(p_i T) = capacity` for `T`. `None` when every key with positive
/// popularity fits (then `T` is infinite).
fn characteristic_time(p: &[f64], capacity: usize, occupancy: fn(f64) -> (f64, f64)) -> Option<f64> {
    let c = capacity as f64;
    let positive = p.iter().filter(|&&x| x > 0.0).count();
    if capacity == 0 || positive <= capacity {
        return None;
    }
    let eval = |t: f64| {
        let mut f = -c;
        let mut d = 0.0;
        for &pi in p {
            let (o, od) = occupancy(pi * t);
            f += o;
            d += pi * od;
        }
        (f, d)
    };
    // occupancy(x) <= x and sum p = 1, so the sum at T = C is at most C.
    let mut lo = c;
    let mut hi = 2.0 * c;
    for _ in 0..2_000 {
        if eval(hi).0 >= 0.0 || !hi.is_finite() {
            break;
        }
        lo = hi;
        hi *= 2.0;
    }
    let mut t = lo;
    for _ in 0..300 {
        let (f, d) = eval(t);
        if f < 0.0 {
            lo = lo.max(t);
        } else {
            hi = hi.min(t);
        }
        if f.abs() <= 1e-12 * c || hi - lo <= 1e-14 * hi {
            break;
        }
        let newton = t - f / d;
        if d > 0.0 && newton > lo && newton < hi {
            // Steps this small are below the sums' rounding noise.
            if (newton - t).abs() <= 1e-13 * t {
                t = newton;
                break;
            }
            t = newton;
        } else {
            t = 0.5 * (lo + hi);
        }
    }
    Some(t)
}

/// Che's characteristic time `T` of an LRU cache of `capacity` entries (in requests: an entry
/// survives about `T` requests after its last hit); `None` when everything fits.
pub fn lru_characteristic_time(popularity: &[f64], capacity: usize) -> Option<f64> {
    characteristic_time(&normalised(popularity)?, capacity, lru_occupancy)
}

/// The LRU hit ratio by Che's approximation, for a cache of `capacity` entries and keys of the
/// given popularities (normalised to sum to 1). 0 without capacity or popularity; 1 when every
/// key fits.
pub fn lru_hit_ratio(popularity: &[f64], capacity: usize) -> f64 {
    hit_ratio_with(popularity, capacity, lru_occupancy)
}

/// The FIFO hit ratio (also random eviction's) by the characteristic-time approximation.
pub fn fifo_hit_ratio(popularity: &[f64], capacity: usize) -> f64 {
    hit_ratio_with(popularity, capacity, fifo_occupancy)
}

/// Random eviction's hit ratio: the same formula as FIFO.
pub fn random_hit_ratio(popularity: &[f64], capacity: usize) -> f64 {
    fifo_hit_ratio(popularity, capacity)
}

fn hit_ratio_with(popularity: &[f64], capacity: usize, occupancy: fn(f64) -> (f64, f64)) -> f64 {
    let Some(p) = normalised(popularity) else {
        return 0.0;
    };
    if capacity == 0 {
        return 0.0;
    }
    match characteristic_time(&p, capacity, occupancy) {
        None => 1.0,
        Some(t) => p.iter().map(|&pi| pi * occupancy(pi * t).0).sum(),
    }
}

/// Perfect LFU's hit ratio: the popularity mass of the `capacity` most popular keys.
pub fn lfu_hit_ratio(popularity: &[f64], capacity: usize) -> f64 {
    let Some(mut p) = normalised(popularity) else {
        return 0.0;
    };
    if !p.is_sorted_by(|a, b| a >= b) {
        p.sort_by(|a, b| b.total_cmp(a));
    }
    p.iter().take(capacity).sum::<f64>().min(1.0)
}

/// The theoretical hit ratio of `eviction` (LRU, FIFO, random, LFU; `None` for the others) for a
/// read-only stream without TTL.
pub fn hit_ratio(eviction: Eviction, popularity: &[f64], capacity: usize) -> Option<f64> {
    match eviction {
        Eviction::Lru => Some(lru_hit_ratio(popularity, capacity)),
        Eviction::Fifo => Some(fifo_hit_ratio(popularity, capacity)),
        Eviction::Random => Some(random_hit_ratio(popularity, capacity)),
        Eviction::Lfu => Some(lfu_hit_ratio(popularity, capacity)),
        Eviction::Sieve | Eviction::S3fifo => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_cases() {
        assert_eq!(lru_hit_ratio(&[], 3), 0.0);
        assert_eq!(lru_hit_ratio(&[0.5, 0.5], 0), 0.0);
        assert_eq!(lru_hit_ratio(&[0.5, 0.5], 2), 1.0);
        assert_eq!(fifo_hit_ratio(&[f64::NAN, -1.0, 1.0], 1), 1.0);
        assert_eq!(lfu_hit_ratio(&[0.2, 0.5, 0.3], 1), 0.5);
        assert!(lru_characteristic_time(&[0.5, 0.5], 5).is_none());
    }

    #[test]
    fn uniform_popularity_gives_c_over_n() {
        let p = vec![0.01; 100];
        for c in [1, 10, 50, 99] {
            let want = c as f64 / 100.0;
            assert!((lru_hit_ratio(&p, c) - want).abs() < 1e-9);
            assert!((fifo_hit_ratio(&p, c) - want).abs() < 1e-9);
        }
    }
}
