//! The Bernoulli distribution: a biased coin.

use super::check_range;
use crate::engine::SimRng;
use crate::ConfigError;

/// `true` with probability `p`. Consumes exactly one generator output per sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bernoulli {
    p: f64,
}

impl Bernoulli {
    /// A coin that comes up `true` with probability `p` in `[0, 1]`.
    pub fn new(p: f64) -> Result<Self, ConfigError> {
        let p = check_range("p", p, 0.0, 1.0)?;
        Ok(Self { p })
    }

    /// The probability of `true`.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// Flips the coin.
    pub fn sample_bool(&self, rng: &mut SimRng) -> bool {
        rng.chance(self.p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_and_hits_rate() {
        assert!(Bernoulli::new(-0.1).is_err());
        assert!(Bernoulli::new(1.1).is_err());
        assert!(Bernoulli::new(f64::NAN).is_err());
        let d = Bernoulli::new(0.1).unwrap();
        let mut rng = SimRng::new(4);
        let hits = (0..100_000).filter(|_| d.sample_bool(&mut rng)).count();
        assert!((9_500..10_500).contains(&hits), "{hits}");
        let never = Bernoulli::new(0.0).unwrap();
        assert!((0..1_000).all(|_| !never.sample_bool(&mut rng)));
        let always = Bernoulli::new(1.0).unwrap();
        assert!((0..1_000).all(|_| always.sample_bool(&mut rng)));
    }
}
