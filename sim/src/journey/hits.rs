//! The cache's hit ratio for its size, from the cache lab's theory: the app's hot data is
//! [`CATALOGUE_KEYS`] objects of [`OBJECT_KB`] each (10 GB: rendered pages and the rows behind
//! them) read with Zipf popularity of
//! exponent [`ZIPF_ALPHA`] ([`crate::cache::theory::zipf_popularities`]); an LRU cache of
//! `cache_gb` holds `cache_gb × 10⁶ / OBJECT_KB` of them and hits with Che's approximation
//! ([`crate::cache::theory::lru_hit_ratio`]). The catalogue is an assumption of the model, the
//! same for every stage: hot data that grows with the users would need the cache to grow too.
//! 20,000 objects keep the computation to a few milliseconds (the popularities and Che's fixed
//! point are passes over every object), done once per cache size.

use crate::cache::theory::{lru_hit_ratio, zipf_popularities};

/// Objects the app reads (profiles, posts, product pages).
pub const CATALOGUE_KEYS: usize = 20_000;
/// Size of one cached object, KB.
pub const OBJECT_KB: f64 = 500.0;
/// Zipf exponent of their popularity.
pub const ZIPF_ALPHA: f64 = 0.99;

/// Objects a cache of `cache_gb` holds.
pub fn cache_entries(cache_gb: f64) -> usize {
    if !(cache_gb.is_finite() && cache_gb > 0.0) {
        return 0;
    }
    let entries = libm::floor(cache_gb * 1_000_000.0 / OBJECT_KB);
    (entries as usize).min(CATALOGUE_KEYS)
}

/// The LRU hit ratio of a cache of `cache_gb` over the catalogue (0 without a cache, 1 when it
/// all fits).
pub fn hit_ratio(cache_gb: f64) -> f64 {
    let entries = cache_entries(cache_gb);
    if entries == 0 {
        return 0.0;
    }
    if entries >= CATALOGUE_KEYS {
        return 1.0;
    }
    match zipf_popularities(CATALOGUE_KEYS, ZIPF_ALPHA) {
        Ok(p) => lru_hit_ratio(&p, entries),
        Err(_) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_cache_hits_more_and_everything_fits_at_ten_gb() {
        assert_eq!(hit_ratio(0.0), 0.0);
        assert_eq!(hit_ratio(f64::NAN), 0.0);
        assert_eq!(cache_entries(1.0), 2_000);
        let sizes = [0.5, 1.0, 2.0, 4.0, 8.0];
        let hits: Vec<f64> = sizes.iter().map(|gb| hit_ratio(*gb)).collect();
        assert!(hits.windows(2).all(|w| w[0] < w[1]), "{hits:?}");
        assert!(hits[0] > 0.5, "Zipf: a small cache already hits often: {hits:?}");
        assert_eq!(hit_ratio(10.0), 1.0);
        assert_eq!(hit_ratio(64.0), 1.0);
    }
}
