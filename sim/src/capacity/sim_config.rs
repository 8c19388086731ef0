//! What the M/M/c simulation runs, and the resolution of its clock.

use super::specs::MAX_SIM_SLOTS;
use crate::engine::MAX_PARAM;
use crate::ConfigError;

/// Default most requests that may wait at once; arrivals beyond are dropped and counted.
pub const DEFAULT_QUEUE_CAPACITY: u32 = 100_000;
/// Largest queue capacity accepted.
pub const MAX_QUEUE_CAPACITY: u32 = 1_000_000;
/// Largest arrival rate simulated, requests per second.
pub const MAX_SIM_ARRIVAL_RATE: f64 = 1e12;

/// Parameters of the M/M/c simulation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueueSimConfig {
    /// Poisson arrival rate `λ`, requests per second (0..=1e12).
    pub arrival_rate_per_s: f64,
    /// Mean exponential service time `S` per request (how long it holds its slot), milliseconds
    /// (above 0, at most 1e9).
    pub service_ms: f64,
    /// Request slots `c`, each serving one request at a time: servers × concurrent requests per
    /// server (1..=[`MAX_SIM_SLOTS`], 250,000).
    pub slots: u32,
    /// Most requests waiting at once (1..=1,000,000; default 100,000): bounds memory when
    /// arrivals outpace service. Arrivals finding the queue full are dropped and counted.
    pub queue_capacity: u32,
}

impl QueueSimConfig {
    /// A config for `slots` request slots with the default queue capacity.
    pub fn new(arrival_rate_per_s: f64, service_ms: f64, slots: u32) -> Self {
        Self {
            arrival_rate_per_s,
            service_ms,
            slots,
            queue_capacity: DEFAULT_QUEUE_CAPACITY,
        }
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let rate = self.arrival_rate_per_s;
        if !rate.is_finite() || !(0.0..=MAX_SIM_ARRIVAL_RATE).contains(&rate) {
            return Err(ConfigError::new(
                "rps",
                "must be a finite rate between 0 and 1e12 per second",
            ));
        }
        if !self.service_ms.is_finite() || self.service_ms <= 0.0 || self.service_ms > 1e9 {
            return Err(ConfigError::new("service_ms", "must be above 0 and at most 1e9 ms"));
        }
        if !(1..=MAX_SIM_SLOTS).contains(&self.slots) {
            return Err(ConfigError::new(
                "servers",
                format!("the simulation runs 1 to {MAX_SIM_SLOTS} request slots (servers × concurrent requests)"),
            ));
        }
        if !(1..=MAX_QUEUE_CAPACITY).contains(&self.queue_capacity) {
            return Err(ConfigError::new(
                "queue_capacity",
                format!("must be between 1 and {MAX_QUEUE_CAPACITY}"),
            ));
        }
        Ok(())
    }

    /// Utilisation the arrivals offer, `λ·S / c` (at least 1: unstable).
    pub fn offered_utilization(&self) -> f64 {
        self.arrival_rate_per_s * self.service_ms / 1_000.0 / f64::from(self.slots)
    }
}

/// The simulation counts time in ticks of `1 / ticks_per_second` s, a power of ten from 10^6
/// (microseconds) to 10^15, the coarsest that gives a mean service time of at least 10^4 ticks and
/// a mean gap between arrivals of at least 100 ticks, so rounding to whole ticks changes no figure
/// noticeably. Errors when no such scale keeps both means within the samplers' range.
pub(super) fn ticks_per_second(config: &QueueSimConfig) -> Result<u64, ConfigError> {
    let service_s = config.service_ms / 1_000.0;
    let rate = config.arrival_rate_per_s;
    let mut tps: u64 = 1_000_000;
    for _ in 6..15 {
        let fine_enough = service_s * tps as f64 >= 1e4 && (rate == 0.0 || tps as f64 / rate >= 100.0);
        if fine_enough {
            break;
        }
        tps *= 10;
    }
    let service_ticks = service_s * tps as f64;
    let gap_ticks = if rate > 0.0 { tps as f64 / rate } else { 0.0 };
    if service_ticks > MAX_PARAM || gap_ticks > MAX_PARAM {
        return Err(ConfigError::new(
            "rps",
            "arrivals are too rare for this service time to simulate",
        ));
    }
    Ok(tps)
}
