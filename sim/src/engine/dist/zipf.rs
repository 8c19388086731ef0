//! The Zipf distribution over key ranks: a few hot keys, a long tail.

use super::check_range;
use crate::engine::SimRng;
use crate::ConfigError;

/// Largest number of ranks accepted (10 million, i.e. 80 MB of table).
const MAX_N: usize = 10_000_000;
/// Largest exponent accepted.
const MAX_ALPHA: f64 = 5.0;

/// Zipf over ranks `0..n`: `P(rank k) = (k + 1)^-alpha / H`, where `H = sum_{i=1..n} i^-alpha`.
/// Rank 0 is the hottest key; `alpha = 0` is uniform, `alpha ≈ 1` is the classic web/cache skew.
///
/// Sampling is exact (inverse transform on the precomputed cumulative table, by binary search):
/// `O(log n)` per sample, one generator output per sample. Building costs `O(n)` time and the table
/// costs **8 bytes per key** (`n * 8` bytes: 8 MB for a million keys).
#[derive(Clone, Debug, PartialEq)]
pub struct Zipf {
    alpha: f64,
    /// `H`, the normalising sum of weights.
    total_weight: f64,
    /// `cumulative[k] = P(rank <= k)`; increasing, last entry exactly 1.
    cumulative: Vec<f64>,
}

impl Zipf {
    /// Zipf over `n` ranks (`1..=10_000_000`) with exponent `alpha` (`0..=5`, unitless).
    pub fn new(n: usize, alpha: f64) -> Result<Self, ConfigError> {
        Ok(ZipfBuilder::new(n, alpha)?.finish())
    }

    /// The number of ranks.
    pub fn n(&self) -> usize {
        self.cumulative.len()
    }

    /// The exponent.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// The probability of rank `k` (0 for `k >= n`).
    pub fn pmf(&self, k: usize) -> f64 {
        if k >= self.n() {
            return 0.0;
        }
        weight(k, self.alpha) / self.total_weight
    }

    /// The total probability of the `c` most likely ranks (ranks `0..c`), i.e. the share of
    /// requests that hit the `c` hottest keys. `c >= n` gives 1, `c == 0` gives 0.
    pub fn top_mass(&self, c: usize) -> f64 {
        match c {
            0 => 0.0,
            c => self.cumulative[c.min(self.n()) - 1],
        }
    }

    /// Draws one rank in `0..n`.
    pub fn sample(&self, rng: &mut SimRng) -> usize {
        let u = rng.next_f64();
        // The first rank whose cumulative probability exceeds u; it exists since the last is 1.
        let k = self.cumulative.partition_point(|&c| c <= u);
        k.min(self.n() - 1)
    }
}

/// Builds a [`Zipf`] table a slice of ranks at a time, for callers that must not spend a whole
/// table's `O(n)` work at once (a million keys is a million `pow` calls: too much for one animation
/// frame). The result is bit for bit [`Zipf::new`]'s, however the work is sliced: first the
/// Neumaier-compensated running sum of the weights, then the normalisation.
#[derive(Clone, Debug)]
pub struct ZipfBuilder {
    n: usize,
    alpha: f64,
    sum: f64,
    compensation: f64,
    /// Running sums so far (then normalised in place).
    cumulative: Vec<f64>,
    /// The normalising total, once every weight is summed.
    total_weight: Option<f64>,
    /// Entries normalised so far.
    normalised: usize,
}

/// Entries one [`ZipfBuilder::advance`] step normalises (about the time of one `pow`).
pub const NORMALISED_PER_STEP: usize = 128;

impl ZipfBuilder {
    /// Starts a table over `n` ranks (`1..=10_000_000`) with exponent `alpha` (`0..=5`).
    pub fn new(n: usize, alpha: f64) -> Result<Self, ConfigError> {
        if !(1..=MAX_N).contains(&n) {
            return Err(ConfigError::new("n", format!("must be between 1 and {MAX_N}")));
        }
        let alpha = check_range("alpha", alpha, 0.0, MAX_ALPHA)?;
        Ok(Self {
            n,
            alpha,
            sum: 0.0,
            compensation: 0.0,
            cumulative: Vec::with_capacity(n),
            total_weight: None,
            normalised: 0,
        })
    }

    /// The number of ranks.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The exponent.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Does up to `steps` steps (at least one while unfinished) and returns how many it did. A step
    /// adds one weight to the running sum (a `pow`) or, once every weight is summed, normalises
    /// [`NORMALISED_PER_STEP`] entries (a division each, far cheaper).
    pub fn advance(&mut self, steps: usize) -> usize {
        let steps = steps.max(1);
        match self.total_weight {
            None => {
                let start = self.cumulative.len();
                let end = self.n.min(start.saturating_add(steps));
                // Neumaier-compensated running sum, so ten million small terms add up accurately.
                for k in start..end {
                    let w = weight(k, self.alpha);
                    let t = self.sum + w;
                    if self.sum.abs() >= w.abs() {
                        self.compensation += (self.sum - t) + w;
                    } else {
                        self.compensation += (w - t) + self.sum;
                    }
                    self.sum = t;
                    self.cumulative.push(self.sum + self.compensation);
                }
                if self.cumulative.len() >= self.n {
                    self.total_weight = Some(self.sum + self.compensation);
                }
                end - start
            }
            Some(total) => {
                let start = self.normalised;
                let end = self
                    .n
                    .min(start.saturating_add(steps.saturating_mul(NORMALISED_PER_STEP)));
                for c in self.cumulative.get_mut(start..end).unwrap_or(&mut []) {
                    *c /= total;
                }
                self.normalised = end;
                (end - start).div_ceil(NORMALISED_PER_STEP)
            }
        }
    }

    /// Whether the table is complete.
    pub fn is_done(&self) -> bool {
        self.total_weight.is_some() && self.normalised >= self.n
    }

    /// The distribution; an unfinished table is completed first.
    pub fn finish(mut self) -> Zipf {
        while !self.is_done() {
            self.advance(usize::MAX);
        }
        if let Some(last) = self.cumulative.last_mut() {
            *last = 1.0;
        }
        Zipf {
            alpha: self.alpha,
            total_weight: self.total_weight.unwrap_or(1.0),
            cumulative: self.cumulative,
        }
    }
}

/// The unnormalised weight of rank `k`: `(k + 1)^-alpha`.
fn weight(k: usize, alpha: f64) -> f64 {
    if alpha == 0.0 {
        1.0
    } else {
        libm::pow((k + 1) as f64, -alpha)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sliced_build_is_bit_for_bit_the_whole_one() {
        for (n, alpha) in [
            (1, 0.9),
            (2, 0.0),
            (1_000, 0.0),
            (12_345, 0.9),
            (5_000, 1.5),
            (777, 2.0),
        ] {
            let whole = Zipf::new(n, alpha).unwrap();
            let mut builder = ZipfBuilder::new(n, alpha).unwrap();
            let mut calls = 0;
            while !builder.is_done() {
                assert!(builder.advance(7) <= 7);
                calls += 1;
            }
            assert!(calls >= n / 7, "{n} {alpha}");
            assert_eq!(builder.finish(), whole, "{n} {alpha}");
        }
        assert!(ZipfBuilder::new(0, 1.0).is_err() && ZipfBuilder::new(10, f64::NAN).is_err());
    }

    #[test]
    fn validates() {
        assert!(Zipf::new(0, 1.0).is_err());
        assert!(Zipf::new(MAX_N + 1, 1.0).is_err());
        assert!(Zipf::new(10, -0.5).is_err());
        assert!(Zipf::new(10, 5.5).is_err());
        assert!(Zipf::new(10, f64::NAN).is_err());
        assert!(Zipf::new(10, f64::INFINITY).is_err());
        assert!(Zipf::new(1, 5.0).is_ok());
    }

    #[test]
    fn pmf_sums_to_one_and_top_mass_matches() {
        let z = Zipf::new(1_000, 1.2).unwrap();
        let total: f64 = (0..1_000).map(|k| z.pmf(k)).sum();
        assert!((total - 1.0).abs() < 1e-12, "{total}");
        let top10: f64 = (0..10).map(|k| z.pmf(k)).sum();
        assert!((z.top_mass(10) - top10).abs() < 1e-12);
        assert_eq!(z.top_mass(0), 0.0);
        assert_eq!(z.top_mass(5_000), 1.0);
        assert_eq!(z.pmf(1_000), 0.0);
        // P(0) / P(1) = 2^alpha.
        assert!((z.pmf(0) / z.pmf(1) - libm::pow(2.0, 1.2)).abs() < 1e-12);
    }

    #[test]
    fn single_rank_always_zero() {
        let z = Zipf::new(1, 2.0).unwrap();
        let mut rng = SimRng::new(1);
        assert!((0..1_000).all(|_| z.sample(&mut rng) == 0));
        assert_eq!(z.pmf(0), 1.0);
    }

    #[test]
    fn steep_alpha_concentrates_on_rank_zero() {
        let z = Zipf::new(100, 5.0).unwrap();
        // 1 / zeta(5) ≈ 0.9644
        assert!((z.pmf(0) - 0.964_387_7).abs() < 1e-6, "{}", z.pmf(0));
    }
}
