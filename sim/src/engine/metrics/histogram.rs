//! A streaming log-linear histogram (HdrHistogram-like) for latencies and other non-negative
//! values.

/// Linear sub-buckets per power of two, as a bit count (`2^7 = 128`).
const SUB_BITS: u32 = 7;
/// Linear sub-buckets per power of two.
const SUB_BUCKETS: usize = 1 << SUB_BITS;
/// Exponent of the smallest tracked power of two: `2^-10`.
const MIN_EXP: i32 = -10;
/// Exponent of the first power of two beyond the tracked range: `2^40`.
const MAX_EXP: i32 = 40;

/// A streaming histogram of non-negative values (e.g. latencies in ms or µs) with bounded memory.
///
/// **Layout.** Each power of two in `[FLOOR, CEILING) = [2^-10, 2^40)` (about `0.000977` to
/// `1.1e12`) is split into 128 equal-width buckets, so a bucket is at most `1/128` of its lower
/// bound wide. Values below [`Histogram::FLOOR`] (including 0) fall into one zero bucket. Values at
/// or above [`Histogram::CEILING`] saturate into the top bucket and are counted in
/// [`Histogram::saturated`]. That is `1 + 50 * 128 =` [`Histogram::BUCKET_COUNT`] buckets of 8
/// bytes at most (about 51 KB), allocated lazily up to the highest bucket used, independent of how
/// many values are recorded.
///
/// **Accuracy.** [`Histogram::percentile`] reports the midpoint of the bucket holding the sample of
/// the requested rank, which is within `1/256 ≈ 0.39%` of that sample's true value: inside the
/// promised maximum relative error [`Histogram::MAX_RELATIVE_ERROR`] of 1%. Below the floor the
/// error is absolute, less than `FLOOR ≈ 0.001`. [`Histogram::count`], [`Histogram::min`],
/// [`Histogram::max`] are exact; [`Histogram::mean`] comes from a compensated running sum.
///
/// NaN, infinite and negative values are not recorded; they are counted in
/// [`Histogram::rejected`].
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// Counts per bucket; index 0 is the zero bucket. Grows up to `BUCKET_COUNT` entries.
    counts: Vec<u64>,
    count: u64,
    rejected: u64,
    saturated: u64,
    /// Neumaier-compensated sum of recorded values: `sum + sum_compensation`.
    sum: f64,
    sum_compensation: f64,
    min: f64,
    max: f64,
}

impl Histogram {
    /// Values below this (`2^-10 ≈ 0.000977`) are recorded in the zero bucket.
    pub const FLOOR: f64 = 1.0 / 1024.0;
    /// Values at or above this (`2^40 ≈ 1.1e12`) saturate into the top bucket.
    pub const CEILING: f64 = (1u64 << 40) as f64;
    /// The most buckets a histogram ever holds: one zero bucket plus 128 per power of two.
    pub const BUCKET_COUNT: usize = 1 + (MAX_EXP - MIN_EXP) as usize * SUB_BUCKETS;
    /// The promised bound on the relative error of [`Histogram::percentile`] for values in
    /// `[FLOOR, CEILING)` (1%; the layout actually guarantees `1/256`).
    pub const MAX_RELATIVE_ERROR: f64 = 0.01;

    /// An empty histogram.
    pub fn new() -> Self {
        Self {
            counts: Vec::new(),
            count: 0,
            rejected: 0,
            saturated: 0,
            sum: 0.0,
            sum_compensation: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// Records one value. NaN, infinite and negative values are ignored and counted in
    /// [`Histogram::rejected`]; `-0.0` counts as 0.
    pub fn record(&mut self, value: f64) {
        self.record_n(value, 1);
    }

    /// Records `value` `times` times (for pre-aggregated data). `times == 0` does nothing. Invalid
    /// values add `times` to [`Histogram::rejected`].
    pub fn record_n(&mut self, value: f64, times: u64) {
        if times == 0 {
            return;
        }
        if !value.is_finite() || value < 0.0 {
            self.rejected = self.rejected.saturating_add(times);
            return;
        }
        let value = value + 0.0; // -0.0 becomes 0.0
        let index = bucket_index(value);
        if value >= Self::CEILING {
            self.saturated = self.saturated.saturating_add(times);
        }
        if self.counts.len() <= index {
            self.counts.resize(index + 1, 0);
        }
        self.counts[index] = self.counts[index].saturating_add(times);
        self.count = self.count.saturating_add(times);
        self.add_to_sum(value * times as f64);
        self.min = self.min.min(value);
        self.max = self.max.max(value);
    }

    fn add_to_sum(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.sum_compensation += (self.sum - t) + x;
        } else {
            self.sum_compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// The number of values recorded (rejected ones excluded).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The number of values ignored because they were NaN, infinite or negative.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// The number of recorded values at or above [`Histogram::CEILING`] (their percentiles are not
    /// accurate; `max` still is).
    pub fn saturated(&self) -> u64 {
        self.saturated
    }

    /// The mean of the recorded values; 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            (self.sum + self.sum_compensation) / self.count as f64
        }
    }

    /// The smallest recorded value (exact); 0 when empty.
    pub fn min(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.min
        }
    }

    /// The largest recorded value (exact); 0 when empty.
    pub fn max(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.max
        }
    }

    /// The value below which `p` percent of the recorded values fall, `p` in `[0, 100]`.
    ///
    /// Returns the sample of rank `round(p / 100 * count)` (at least 1), as HdrHistogram does:
    /// exactly [`Histogram::min`] for rank 1 and [`Histogram::max`] for the last rank, otherwise
    /// the midpoint of that sample's bucket (clamped to `[min, max]`), within the stated relative
    /// error.
    /// `p` outside `[0, 100]` is clamped. Returns 0 when the histogram is empty or `p` is NaN.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.count == 0 || p.is_nan() {
            return 0.0;
        }
        let p = p.clamp(0.0, 100.0);
        let wanted = libm::floor(p / 100.0 * self.count as f64 + 0.5);
        // `as` saturates; the clamp makes the rank valid.
        let rank = (wanted as u64).clamp(1, self.count);
        if rank == 1 {
            return self.min;
        }
        if rank == self.count {
            return self.max;
        }
        let mut seen = 0u64;
        for (index, &c) in self.counts.iter().enumerate() {
            seen = seen.saturating_add(c);
            if seen >= rank {
                let (lower, upper) = bucket_bounds(index);
                let mid = if index == 0 { 0.0 } else { lower + (upper - lower) / 2.0 };
                return mid.clamp(self.min, self.max);
            }
        }
        self.max
    }

    /// Adds every value recorded in `other` to `self`, as if they had been recorded here.
    pub fn merge(&mut self, other: &Histogram) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, &theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine = mine.saturating_add(theirs);
        }
        self.count = self.count.saturating_add(other.count);
        self.rejected = self.rejected.saturating_add(other.rejected);
        self.saturated = self.saturated.saturating_add(other.saturated);
        self.add_to_sum(other.sum);
        self.add_to_sum(other.sum_compensation);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Forgets everything recorded (and releases the bucket memory).
    pub fn clear(&mut self) {
        *self = Self::new();
    }

    /// The non-empty buckets in increasing order, as `(lower, upper, count)`: values `v` with
    /// `lower <= v < upper`. The zero bucket is `(0, FLOOR)`; the top bucket also holds the
    /// saturated values. For drawing a histogram chart (re-bin as needed).
    pub fn buckets(&self) -> impl Iterator<Item = (f64, f64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0)
            .map(|(index, &c)| {
                let (lower, upper) = bucket_bounds(index);
                (lower, upper, c)
            })
    }

    /// How many bucket counters are currently allocated (never more than
    /// [`Histogram::BUCKET_COUNT`]); memory is 8 bytes per bucket.
    pub fn allocated_buckets(&self) -> usize {
        self.counts.len()
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

/// The bucket of a finite, non-negative `value`, computed from its bits (exact, platform-free).
fn bucket_index(value: f64) -> usize {
    if value < Histogram::FLOOR {
        return 0;
    }
    if value >= Histogram::CEILING {
        return Histogram::BUCKET_COUNT - 1;
    }
    let bits = value.to_bits();
    // In range, the value is a normal float: exponent field minus bias is floor(log2(value)).
    let exponent = ((bits >> 52) & 0x7ff) as i32 - 1023;
    let sub = ((bits >> (52 - SUB_BITS)) & (SUB_BUCKETS as u64 - 1)) as usize;
    1 + (exponent - MIN_EXP) as usize * SUB_BUCKETS + sub
}

/// The `[lower, upper)` range of bucket `index` (exact powers-of-two arithmetic).
fn bucket_bounds(index: usize) -> (f64, f64) {
    if index == 0 {
        return (0.0, Histogram::FLOOR);
    }
    let j = index - 1;
    let exponent = MIN_EXP + (j / SUB_BUCKETS) as i32;
    let sub = (j % SUB_BUCKETS) as f64;
    let width = SUB_BUCKETS as f64;
    let lower = libm::ldexp(1.0 + sub / width, exponent);
    let upper = libm::ldexp(1.0 + (sub + 1.0) / width, exponent);
    (lower, upper)
}

/// One bin of a coarse re-binning, see [`Histogram::rebin`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoarseBin {
    /// Lower edge (inclusive), in the recorded unit.
    pub lower: f64,
    /// Upper edge (exclusive); `None` for the last, open-ended bin.
    pub upper: Option<f64>,
    /// Values counted in the bin.
    pub count: u64,
}

impl Histogram {
    /// Re-bins the fine buckets into coarse bins starting at `edges` (ascending; the last bin is
    /// open-ended). Each fine bucket goes by its lower bound, so a coarse edge that falls inside a
    /// fine bucket is off by at most the histogram's relative error. Values below `edges[0]` go to
    /// the first bin.
    pub fn rebin(&self, edges: &[f64]) -> Vec<CoarseBin> {
        let mut bins: Vec<CoarseBin> = edges
            .iter()
            .enumerate()
            .map(|(i, &lower)| CoarseBin {
                lower,
                upper: edges.get(i + 1).copied(),
                count: 0,
            })
            .collect();
        for (lower, _, count) in self.buckets() {
            let index = edges.partition_point(|&edge| edge <= lower).saturating_sub(1);
            if let Some(bin) = bins.get_mut(index) {
                bin.count = bin.count.saturating_add(count);
            }
        }
        bins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_lands_in_its_bucket() {
        let mut v = Histogram::FLOOR;
        while v < Histogram::CEILING {
            for x in [v, v * 1.003, v * 1.5, v * 1.999_999] {
                let (lo, hi) = bucket_bounds(bucket_index(x));
                assert!(lo <= x && x < hi, "{x} not in [{lo}, {hi})");
                assert!((hi - lo) / lo <= 1.0 / 128.0 + 1e-15);
            }
            v *= 2.0;
        }
        assert_eq!(bucket_index(0.0), 0);
        assert_eq!(bucket_index(Histogram::FLOOR * 0.999), 0);
        assert_eq!(bucket_index(Histogram::FLOOR), 1);
        assert_eq!(bucket_index(Histogram::CEILING), Histogram::BUCKET_COUNT - 1);
        assert_eq!(bucket_index(f64::MAX), Histogram::BUCKET_COUNT - 1);
        let (_, top) = bucket_bounds(Histogram::BUCKET_COUNT - 1);
        assert_eq!(top, Histogram::CEILING);
    }

    #[test]
    fn min_max_mean_exact() {
        let mut h = Histogram::new();
        for v in [3.0, 1.5, 7.25, 0.0] {
            h.record(v);
        }
        assert_eq!(h.count(), 4);
        assert_eq!(h.min(), 0.0);
        assert_eq!(h.max(), 7.25);
        assert_eq!(h.mean(), 11.75 / 4.0);
        assert_eq!(h.percentile(0.0), 0.0);
        assert_eq!(h.percentile(100.0), 7.25);
    }

    #[test]
    fn merge_equals_recording_together() {
        let (mut a, mut b, mut both) = (Histogram::new(), Histogram::new(), Histogram::new());
        for i in 0..1_000 {
            let v = i as f64 * 0.37;
            if i % 3 == 0 {
                a.record(v);
            } else {
                b.record(v);
            }
            both.record(v);
        }
        b.record(f64::NAN);
        both.record(f64::NAN);
        a.merge(&b);
        assert_eq!(a.count(), both.count());
        assert_eq!(a.rejected(), 1);
        assert_eq!(a.min(), both.min());
        assert_eq!(a.max(), both.max());
        assert!((a.mean() - both.mean()).abs() < 1e-12);
        for p in [1.0, 25.0, 50.0, 90.0, 99.0] {
            assert_eq!(a.percentile(p), both.percentile(p));
        }
        assert!(a.buckets().eq(both.buckets()));
    }

    #[test]
    fn saturation_and_record_n() {
        let mut h = Histogram::new();
        h.record(1e15);
        h.record_n(2.0, 9);
        h.record_n(-1.0, 4);
        h.record_n(5.0, 0);
        assert_eq!(h.count(), 10);
        assert_eq!(h.saturated(), 1);
        assert_eq!(h.rejected(), 4);
        assert_eq!(h.max(), 1e15);
        assert_eq!(h.allocated_buckets(), Histogram::BUCKET_COUNT);
        let p50 = h.percentile(50.0);
        assert!((p50 - 2.0).abs() / 2.0 <= 1.0 / 256.0, "{p50}");
        h.clear();
        assert_eq!(h.count(), 0);
        assert_eq!(h.allocated_buckets(), 0);
        assert_eq!(h.buckets().count(), 0);
    }

    #[test]
    fn rebin_sums_fine_buckets_into_coarse_bins() {
        let mut h = Histogram::new();
        for v in [0.5, 1.5, 1.7, 3.0, 50.0, 1e6] {
            h.record(v);
        }
        let bins = h.rebin(&[0.0, 1.0, 2.0, 10.0]);
        let counts: Vec<u64> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 2, 1, 2]);
        assert_eq!(bins.last().and_then(|b| b.upper), None);
        assert_eq!(bins.first().and_then(|b| b.upper), Some(1.0));
        assert!(h.rebin(&[]).is_empty());
    }
}
