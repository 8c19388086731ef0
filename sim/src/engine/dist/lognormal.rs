//! The log-normal distribution, described by its own mean and standard deviation.

use super::{check_range, standard_normal, MAX_PARAM};
use crate::engine::SimRng;
use crate::ConfigError;

/// Largest accepted coefficient of variation `sd / mean` (1000), which keeps samples finite.
const MAX_CV: f64 = 1_000.0;

/// Log-normal: `exp(mu + sigma * z)` with `z` standard normal (Box–Muller, two generator outputs
/// per sample). Built from the mean and standard deviation of the samples themselves, which is
/// what a learner sets (e.g. "service time 20 ms ± 10 ms"); `mu` and `sigma` follow:
/// `sigma^2 = ln(1 + sd^2 / mean^2)`, `mu = ln(mean) - sigma^2 / 2`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogNormal {
    mean: f64,
    sd: f64,
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    /// Log-normal whose samples have mean `mean` (in `(0, `[`MAX_PARAM`]`]`) and standard deviation
    /// `sd` (in `[0, `[`MAX_PARAM`]`]`, and at most `1000 * mean`), both in the samples' unit.
    /// `sd == 0` always samples `mean` exactly.
    pub fn from_mean_sd(mean: f64, sd: f64) -> Result<Self, ConfigError> {
        let mean = check_range("mean", mean, 0.0, MAX_PARAM)?;
        if mean <= 0.0 {
            return Err(ConfigError::new("mean", "must be greater than 0"));
        }
        let sd = check_range("sd", sd, 0.0, MAX_PARAM)?;
        let cv = sd / mean;
        if cv > MAX_CV {
            return Err(ConfigError::new("sd", "must be at most 1000 times the mean"));
        }
        let sigma2 = libm::log1p(cv * cv);
        let mu = libm::log(mean) - sigma2 / 2.0;
        Ok(Self {
            mean,
            sd,
            mu,
            sigma: libm::sqrt(sigma2),
        })
    }

    /// The mean of the samples.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation of the samples.
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// The mean of the underlying normal, `ln` of the median.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// The standard deviation of the underlying normal.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// Draws one value, `> 0`.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        let z = standard_normal(rng);
        if self.sigma == 0.0 {
            return self.mean;
        }
        libm::exp(self.mu + self.sigma * z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        assert!(LogNormal::from_mean_sd(10.0, 5.0).is_ok());
        assert!(LogNormal::from_mean_sd(0.0, 1.0).is_err());
        assert!(LogNormal::from_mean_sd(-1.0, 1.0).is_err());
        assert!(LogNormal::from_mean_sd(1.0, -1.0).is_err());
        assert!(LogNormal::from_mean_sd(f64::NAN, 1.0).is_err());
        assert!(LogNormal::from_mean_sd(1.0, f64::NAN).is_err());
        assert!(LogNormal::from_mean_sd(1e-300, 1.0).is_err());
        assert!(LogNormal::from_mean_sd(1e300, 1.0).is_err());
    }

    #[test]
    fn zero_sd_is_constant_and_extremes_stay_finite() {
        let mut rng = SimRng::new(1);
        let d = LogNormal::from_mean_sd(3.0, 0.0).unwrap();
        assert_eq!(d.sample(&mut rng), 3.0);
        let wide = LogNormal::from_mean_sd(MAX_PARAM, MAX_PARAM).unwrap();
        let skewed = LogNormal::from_mean_sd(1.0, 1_000.0).unwrap();
        for _ in 0..10_000 {
            let (a, b) = (wide.sample(&mut rng), skewed.sample(&mut rng));
            assert!(a.is_finite() && a > 0.0 && b.is_finite() && b >= 0.0, "{a} {b}");
        }
    }

    #[test]
    fn median_is_exp_mu() {
        let d = LogNormal::from_mean_sd(20.0, 10.0).unwrap();
        // sigma^2 = ln(1.25), median = mean / sqrt(1 + cv^2)
        let median = libm::exp(d.mu());
        assert!((median - 20.0 / libm::sqrt(1.25)).abs() < 1e-9, "{median}");
    }
}
