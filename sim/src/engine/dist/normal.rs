//! The normal (Gaussian) distribution.

use super::{check_range, standard_normal, MAX_PARAM};
use crate::engine::SimRng;
use crate::ConfigError;

/// Normal with mean `mean` and standard deviation `sd`, sampled by the Box–Muller transform
/// (stateless: the second deviate is not cached). Consumes exactly two generator outputs per
/// sample. Samples lie within about `mean ± 8.6 sd`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Normal {
    mean: f64,
    sd: f64,
}

impl Normal {
    /// Normal with `mean` in `±`[`MAX_PARAM`] and `sd` in `[0, `[`MAX_PARAM`]`]` (same unit as the
    /// samples). `sd == 0` always samples `mean`.
    pub fn new(mean: f64, sd: f64) -> Result<Self, ConfigError> {
        let mean = check_range("mean", mean, -MAX_PARAM, MAX_PARAM)?;
        let sd = check_range("sd", sd, 0.0, MAX_PARAM)?;
        Ok(Self { mean, sd })
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation.
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// Draws one value.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        self.mean + self.sd * standard_normal(rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        assert!(Normal::new(0.0, 0.0).is_ok());
        assert!(Normal::new(0.0, -1.0).is_err());
        assert!(Normal::new(f64::NAN, 1.0).is_err());
        assert!(Normal::new(0.0, f64::INFINITY).is_err());
        assert!(Normal::new(-1e16, 1.0).is_err());
    }

    #[test]
    fn zero_sd_is_constant() {
        let d = Normal::new(4.5, 0.0).unwrap();
        let mut rng = SimRng::new(1);
        for _ in 0..100 {
            assert_eq!(d.sample(&mut rng), 4.5);
        }
    }
}
