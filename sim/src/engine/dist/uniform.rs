//! The continuous uniform distribution.

use super::{check_range, MAX_PARAM};
use crate::engine::SimRng;
use crate::ConfigError;

/// Uniform on `[lo, hi)` (just `lo` when `lo == hi`). Consumes one generator output per sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uniform {
    lo: f64,
    hi: f64,
}

impl Uniform {
    /// Uniform between `lo` and `hi` (same unit as the samples). Both must be finite, within
    /// `±`[`MAX_PARAM`], and `lo <= hi`.
    pub fn new(lo: f64, hi: f64) -> Result<Self, ConfigError> {
        let lo = check_range("lo", lo, -MAX_PARAM, MAX_PARAM)?;
        let hi = check_range("hi", hi, -MAX_PARAM, MAX_PARAM)?;
        if lo > hi {
            return Err(ConfigError::new("hi", "must not be less than lo"));
        }
        Ok(Self { lo, hi })
    }

    /// The lower bound (inclusive).
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// The upper bound (exclusive unless equal to `lo`).
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// Draws one value: `lo + (hi - lo) * u`.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        let x = self.lo + (self.hi - self.lo) * rng.next_f64();
        // Rounding can reach `hi` when the width is tiny relative to `lo`; keep the bound honest.
        if x >= self.hi {
            self.lo.max(prev_toward(self.hi, self.lo))
        } else {
            x
        }
    }
}

/// The largest float below `x`, unless that passes `floor`.
fn prev_toward(x: f64, floor: f64) -> f64 {
    if x <= floor {
        return floor;
    }
    let bits = x.to_bits();
    let prev = if x > 0.0 {
        f64::from_bits(bits - 1)
    } else if x == 0.0 {
        -f64::from_bits(1)
    } else {
        f64::from_bits(bits + 1)
    };
    prev.max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        assert!(Uniform::new(0.0, 1.0).is_ok());
        assert!(Uniform::new(2.0, 2.0).is_ok());
        assert!(Uniform::new(1.0, 0.0).is_err());
        assert!(Uniform::new(f64::NAN, 1.0).is_err());
        assert!(Uniform::new(0.0, f64::INFINITY).is_err());
        assert!(Uniform::new(-1e300, 0.0).is_err());
    }

    #[test]
    fn samples_stay_in_range_with_right_mean() {
        let d = Uniform::new(-3.0, 5.0).unwrap();
        let mut rng = SimRng::new(1);
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let x = d.sample(&mut rng);
            assert!((-3.0..5.0).contains(&x), "{x}");
            sum += x;
        }
        let mean = sum / n as f64;
        assert!((mean - 1.0).abs() < 0.03, "mean {mean}");
        let point = Uniform::new(2.0, 2.0).unwrap();
        assert_eq!(point.sample(&mut rng), 2.0);
    }

    #[test]
    fn tiny_width_never_reaches_hi() {
        let hi = 1e15;
        let lo = prev_toward(hi, 0.0);
        let d = Uniform::new(lo, hi).unwrap();
        let mut rng = SimRng::new(2);
        for _ in 0..10_000 {
            let x = d.sample(&mut rng);
            assert!(x >= lo && x < hi, "{x}");
        }
    }
}
