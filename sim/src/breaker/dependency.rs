//! The dependency the caller calls, and its timeline: healthy, failing (or slow) from
//! `outage_start_s`, recovered at `outage_end_s`.

use serde::Serialize;

use super::config::Config;
use super::outcome::Call;
use crate::engine::time::{from_millis, from_secs, MICROS_PER_MILLI};
use crate::engine::{LogNormal, SimRng, SimTime};
use crate::ConfigError;

/// Mean latency of a healthy dependency call, in ms (log-normal); outside the outage every call takes this.
pub const HEALTHY_LATENCY_MS: f64 = 50.0;
/// Standard deviation of that latency, in ms (half the mean).
pub const HEALTHY_LATENCY_SD_MS: f64 = 25.0;

/// Where the dependency is on its timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the outage (or there is none): every call succeeds unless it is slower than the timeout.
    Healthy,
    /// During the outage: each call fails with probability `dep_failure`, hanging until the timeout;
    /// the others take `dep_latency_ms` on average.
    Outage,
    /// After the outage: healthy again.
    Recovered,
}

/// The random part of one client request's fate, drawn when it arrives, whether or not it reaches
/// the dependency: so two runs on the same seed (with and without a breaker) give every request
/// the same fate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fate {
    /// Uniform in `[0, 1)`: the call fails in the outage when this is below `dep_failure`.
    roll: f64,
    /// The call's latency if it does not hang (µs).
    latency: SimTime,
}

/// The dependency: its timeline, failure probability and latency in the outage, healthy latency
/// and the caller's timeout.
#[derive(Clone, Debug, PartialEq)]
pub struct Dependency {
    failure: f64,
    /// Outage latency over healthy latency: a call's drawn latency is scaled by this during the
    /// outage (the same log-normal shape, a different mean), so the fates stay the same draws.
    outage_slowdown: f64,
    outage_start: SimTime,
    outage_end: SimTime,
    timeout: SimTime,
    latency: LogNormal,
}

impl Dependency {
    /// The dependency of `config` (assumed validated; bad values are still rejected, not panicked on).
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        Ok(Self {
            failure: config.dep_failure,
            outage_slowdown: f64::from(config.dep_latency_ms.max(1)) / HEALTHY_LATENCY_MS,
            outage_start: from_secs(config.outage_start_s),
            outage_end: from_secs(config.outage_end_s),
            timeout: u64::from(config.timeout_ms).max(1) * MICROS_PER_MILLI,
            latency: LogNormal::from_mean_sd(HEALTHY_LATENCY_MS, HEALTHY_LATENCY_SD_MS)?,
        })
    }

    /// Draws the fate of one request (exactly three generator outputs).
    pub fn draw(&self, rng: &mut SimRng) -> Fate {
        let roll = rng.next_f64();
        let latency = from_millis(self.latency.sample(rng));
        Fate { roll, latency }
    }

    /// The outage as `[start, end)` in µs, if there is one.
    pub fn outage(&self) -> Option<(SimTime, SimTime)> {
        (self.outage_end > self.outage_start).then_some((self.outage_start, self.outage_end))
    }

    /// The phase at `t` (µs).
    pub fn phase(&self, t: SimTime) -> Phase {
        match self.outage() {
            Some((start, end)) if t >= start && t < end => Phase::Outage,
            Some((_, end)) if t >= end => Phase::Recovered,
            _ => Phase::Healthy,
        }
    }

    /// Whether `t` (µs) is in the outage.
    pub fn in_outage(&self, t: SimTime) -> bool {
        self.phase(t) == Phase::Outage
    }

    /// What a call started at `t` with `fate` does: in the outage it fails with probability
    /// `dep_failure` after hanging for the whole timeout, and otherwise takes its latency scaled to
    /// the outage's mean (`dep_latency_ms`); outside it takes its healthy latency. A latency longer
    /// than the timeout fails at the timeout.
    pub fn call(&self, t: SimTime, fate: Fate) -> Call {
        let in_outage = self.in_outage(t);
        let hangs = in_outage && fate.roll < self.failure;
        let latency = if in_outage && self.outage_slowdown != 1.0 {
            // Saturating float-to-int conversion: a huge product just means "past the timeout".
            (fate.latency as f64 * self.outage_slowdown) as SimTime
        } else {
            fate.latency
        };
        if hangs || latency > self.timeout {
            Call {
                failed: true,
                duration: self.timeout,
            }
        } else {
            Call {
                failed: false,
                duration: latency,
            }
        }
    }

    /// The caller's timeout (µs).
    pub fn timeout(&self) -> SimTime {
        self.timeout
    }
}
