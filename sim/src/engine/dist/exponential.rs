//! The exponential distribution: gaps between events of a Poisson process.

use super::{check_range, MAX_PARAM};
use crate::engine::SimRng;
use crate::ConfigError;

/// Exponential with the given mean (rate `1 / mean`), sampled by inverse transform:
/// `-mean * ln(1 - u)`. Consumes one generator output per sample. Samples are at most about
/// `36.7 * mean` (the largest value `-ln(2^-53)` allows).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exponential {
    mean: f64,
}

impl Exponential {
    /// Exponential with mean `mean` (same unit as the samples, e.g. µs between arrivals), in
    /// `[0, `[`MAX_PARAM`]`]`. A mean of 0 always samples 0.
    pub fn new(mean: f64) -> Result<Self, ConfigError> {
        let mean = check_range("mean", mean, 0.0, MAX_PARAM)?;
        Ok(Self { mean })
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Draws one value, `>= 0`.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        let u = rng.next_f64();
        let e = -libm::log(1.0 - u);
        // `-ln(1)` is `-0.0`; report a plain zero.
        if e > 0.0 {
            self.mean * e
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        assert!(Exponential::new(0.0).is_ok());
        assert!(Exponential::new(-1.0).is_err());
        assert!(Exponential::new(f64::NAN).is_err());
        assert!(Exponential::new(f64::INFINITY).is_err());
        assert!(Exponential::new(1e300).is_err());
    }

    #[test]
    fn zero_mean_gives_zero() {
        let d = Exponential::new(0.0).unwrap();
        let mut rng = SimRng::new(1);
        for _ in 0..100 {
            assert_eq!(d.sample(&mut rng).to_bits(), 0.0f64.to_bits());
        }
    }
}
