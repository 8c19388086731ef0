//! Where the load falls: operations per unit (logical shard, directory entry, range) and per
//! slice of the keyspace, counted since the layout last changed. What `split_hot_range` and the
//! directory's load-aware rebalancing read. Memory is fixed: [`ACCESS_BINS`] bins plus one
//! counter per unit.

use super::layout::NO_UNIT;

/// Equal slices of the ids `0..keys` the access counts are kept in (32 KB).
pub const ACCESS_BINS: usize = 4_096;

/// Operations per unit and per keyspace slice. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct LoadMap {
    keys: u64,
    bins: Vec<u64>,
    /// Operations on inserted keys (ids at or above `keys`).
    tail: u64,
    units: Vec<u64>,
}

impl LoadMap {
    /// Empty counts for a keyspace of `keys` ids and `units` units.
    pub(super) fn new(keys: u64, units: usize) -> Self {
        Self {
            keys: keys.max(1),
            bins: vec![0; ACCESS_BINS],
            tail: 0,
            units: vec![0; units],
        }
    }

    /// Starts counting afresh for a layout of `units` units.
    pub(super) fn restart(&mut self, units: usize) {
        self.bins.iter_mut().for_each(|b| *b = 0);
        self.tail = 0;
        self.units.clear();
        self.units.resize(units, 0);
    }

    fn bin_width(&self) -> f64 {
        self.keys as f64 / ACCESS_BINS as f64
    }

    /// Counts one operation on key `id` in `unit`.
    pub(super) fn record(&mut self, id: u64, unit: u32) {
        if id >= self.keys {
            self.tail += 1;
        } else {
            let bin = ((id as f64 / self.bin_width()) as usize).min(ACCESS_BINS - 1);
            if let Some(b) = self.bins.get_mut(bin) {
                *b += 1;
            }
        }
        if unit != NO_UNIT {
            if let Some(u) = self.units.get_mut(unit as usize) {
                *u += 1;
            }
        }
    }

    /// Operations per unit.
    pub(super) fn units(&self) -> &[u64] {
        &self.units
    }

    /// The id that splits the operations on ids `from..to` in half (ids beyond the first `keys`
    /// count as one point, `insert_at`, where the next inserted key will go); `None` when none
    /// were counted there.
    pub(super) fn median(&self, from: u64, to: u64, insert_at: u64) -> Option<u64> {
        let width = self.bin_width();
        let regular_end = to.min(self.keys);
        let mut parts: Vec<(f64, f64, f64)> = Vec::new();
        if from < regular_end {
            let first = ((from as f64 / width) as usize).min(ACCESS_BINS - 1);
            let last = (((regular_end - 1) as f64 / width) as usize).min(ACCESS_BINS - 1);
            for (i, &count) in self.bins.iter().enumerate().take(last + 1).skip(first) {
                let lo = (i as f64 * width).max(from as f64);
                let hi = ((i + 1) as f64 * width).min(regular_end as f64);
                if hi > lo && count > 0 {
                    parts.push((lo, hi, count as f64 * (hi - lo) / width));
                }
            }
        }
        let tail = if to > self.keys && insert_at >= from.max(self.keys) {
            self.tail as f64
        } else {
            0.0
        };
        let total: f64 = parts.iter().map(|p| p.2).sum::<f64>() + tail;
        if total <= 0.0 {
            return None;
        }
        let half = total / 2.0;
        let mut running = 0.0;
        for (lo, hi, w) in parts {
            if running + w >= half {
                let at = lo + (half - running) / w * (hi - lo);
                return Some(libm::ceil(at) as u64);
            }
            running += w;
        }
        Some(insert_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_splits_the_counted_load() {
        let mut m = LoadMap::new(4_096 * 10, 2);
        for id in 0..40_960u64 {
            if id % 2 == 0 {
                m.record(id, 0);
            }
        }
        let mid = m.median(0, 40_960, 40_960).unwrap();
        assert!((mid as i64 - 20_480).abs() <= 10, "{mid}");
        // Inserts dominate: split where the next insert goes.
        for _ in 0..100_000 {
            m.record(50_000, NO_UNIT);
        }
        assert_eq!(m.median(30_000, u64::MAX, 50_001), Some(50_001));
        assert_eq!(m.units(), &[20_480, 0]);
        assert_eq!(LoadMap::new(100, 0).median(0, 100, 100), None);
    }
}
