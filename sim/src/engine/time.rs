//! Simulated time: an integer count of microseconds since the run started. Never the wall clock.

/// A point in simulated time, in microseconds since the start of the run.
pub type SimTime = u64;

/// Microseconds in one millisecond.
pub const MICROS_PER_MILLI: u64 = 1_000;
/// Microseconds in one second.
pub const MICROS_PER_SEC: u64 = 1_000_000;

/// Converts seconds to [`SimTime`], rounding to the nearest microsecond; negative or NaN gives 0,
/// huge values saturate.
pub fn from_secs(secs: f64) -> SimTime {
    from_micros_f64(secs * MICROS_PER_SEC as f64)
}

/// Converts milliseconds to [`SimTime`], rounding to the nearest microsecond (same saturation as
/// [`from_secs`]).
pub fn from_millis(ms: f64) -> SimTime {
    from_micros_f64(ms * MICROS_PER_MILLI as f64)
}

fn from_micros_f64(us: f64) -> SimTime {
    if us.is_nan() || us <= 0.0 {
        0
    } else if us >= u64::MAX as f64 {
        u64::MAX
    } else {
        libm::round(us) as u64
    }
}

/// Converts a [`SimTime`] to seconds.
pub fn to_secs(t: SimTime) -> f64 {
    t as f64 / MICROS_PER_SEC as f64
}

/// Converts a [`SimTime`] to milliseconds.
pub fn to_millis(t: SimTime) -> f64 {
    t as f64 / MICROS_PER_MILLI as f64
}
