//! Probability distributions for workloads and latencies.
//!
//! Each distribution is a small immutable struct: `new(..)` (or a named constructor) validates the
//! parameters and returns [`ConfigError`] instead of panicking, and `sample(&self, rng)` draws one
//! value from a [`SimRng`](super::SimRng). Samplers are stateless (no cached values), consume a
//! fixed number of generator outputs per sample where stated, and use `libm` for every
//! transcendental function so results are bit-identical on native and wasm32.
//!
//! Location and scale parameters (means, standard deviations, bounds) must be finite and at most
//! [`MAX_PARAM`] in magnitude, so every sample is finite.

mod bernoulli;
mod exponential;
mod lognormal;
mod normal;
mod uniform;
mod zipf;

pub use bernoulli::Bernoulli;
pub use exponential::Exponential;
pub use lognormal::LogNormal;
pub use normal::Normal;
pub use uniform::Uniform;
pub use zipf::{Zipf, ZipfBuilder};

use crate::ConfigError;

/// Largest magnitude accepted for a location or scale parameter (`1e15`, e.g. 31 years in µs).
pub const MAX_PARAM: f64 = 1e15;

/// Checks that `value` is a number in `[min, max]`; NaN and infinities are rejected.
fn check_range(field: &str, value: f64, min: f64, max: f64) -> Result<f64, ConfigError> {
    if !value.is_finite() {
        return Err(ConfigError::new(field, "must be a finite number"));
    }
    if value < min || value > max {
        return Err(ConfigError::new(field, format!("must be between {min} and {max}")));
    }
    Ok(value)
}

/// A standard normal deviate by the Box–Muller transform, from exactly two generator outputs:
/// `sqrt(-2 ln u1) * cos(2 pi u2)` with `u1` in `(0, 1]`. The magnitude is at most about 8.57.
fn standard_normal(rng: &mut super::SimRng) -> f64 {
    let u1 = 1.0 - rng.next_f64();
    let u2 = rng.next_f64();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}
