//! XFetch: probabilistic early expiration (Vattani, Chierichetti and Lowenstein, "Optimal
//! Probabilistic Cache Stampede Prevention", VLDB 2015).
//!
//! On every hit, recompute the value early when `now - delta * beta * ln(u) >= expiry`, with `u`
//! uniform in `(0, 1]`, `delta` the time the last recompute took and `beta` a tuning knob (1 is
//! the paper's optimum; larger recomputes earlier). With `x = expiry - now`, that happens exactly
//! when `u <= exp(-x / (delta * beta))`, so a hit at time-to-expiry `x` recomputes with
//! probability `exp(-x / (delta * beta))`: almost never far from expiry, almost surely at it.

use crate::engine::SimTime;

/// Whether a hit at `now` on an entry expiring at `expiry`, last recomputed in `delta_us`
/// microseconds, recomputes early, given the uniform draw `u` in `(0, 1]` (values outside are
/// clamped; `u = 0` counts as the smallest positive float). Always true at or after expiry; never
/// before it when `delta_us * beta` is 0.
pub fn should_recompute(now: SimTime, expiry: SimTime, delta_us: f64, beta: f64, u: f64) -> bool {
    if now >= expiry {
        return true;
    }
    let scale = delta_us * beta;
    if !(scale > 0.0 && scale.is_finite()) {
        return false;
    }
    let u = if u.is_nan() {
        1.0
    } else {
        u.clamp(f64::MIN_POSITIVE, 1.0)
    };
    let head_start = -scale * libm::log(u);
    now as f64 + head_start >= expiry as f64
}

/// The probability that a hit recomputes early at `time_to_expiry_us` before expiry:
/// `exp(-x / (delta * beta))` (1 at or after expiry, 0 when `delta * beta` is 0).
pub fn early_probability(time_to_expiry_us: f64, delta_us: f64, beta: f64) -> f64 {
    if time_to_expiry_us <= 0.0 {
        return 1.0;
    }
    let scale = delta_us * beta;
    if !(scale > 0.0 && scale.is_finite()) {
        return 0.0;
    }
    libm::exp(-time_to_expiry_us / scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert!(should_recompute(10, 10, 0.0, 1.0, 0.5));
        assert!(!should_recompute(0, 10, 0.0, 1.0, 1e-300));
        assert!(!should_recompute(0, 10, 5.0, 1.0, 1.0));
        assert!(should_recompute(0, 10, 5.0, 1.0, 0.0));
        assert!(!should_recompute(0, 10, 5.0, 1.0, f64::NAN));
        assert_eq!(early_probability(0.0, 1.0, 1.0), 1.0);
        assert_eq!(early_probability(5.0, 0.0, 1.0), 0.0);
        assert!((early_probability(10.0, 10.0, 1.0) - libm::exp(-1.0)).abs() < 1e-15);
    }
}
