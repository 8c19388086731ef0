//! The demand: a shape over simulated time ([`shape_rps`]), spikes added by hand
//! ([`Traffic::spike_now`]) and per-second noise.

use std::collections::VecDeque;

use super::choices::Traffic as Shape;
use super::config::Config;
use crate::engine::{Normal, SimRng};

/// Seconds in a day.
pub const DAY_S: u64 = 86_400;
/// The daily wave's lowest hour, midnight (its peak is 12 hours later, at noon), so a run starts
/// at the quiet time of the day.
pub const DAILY_TROUGH_HOUR: f64 = 0.0;
/// Most spikes pending or running at once; a spike asked for beyond it is refused.
pub const MAX_SPIKES: usize = 16;

/// The shape's requests per second at `t_s` simulated seconds (before noise and hand spikes).
pub fn shape_rps(config: &Config, t_s: f64) -> f64 {
    let (base, peak) = (config.base_rps, config.peak_rps);
    let at = f64::from(config.spike_at_s);
    let len = f64::from(config.spike_s.max(1));
    match config.traffic {
        Shape::Steady => base,
        Shape::Step => {
            if t_s >= at {
                peak
            } else {
                base
            }
        }
        Shape::Spike => {
            if t_s >= at && t_s < at + len {
                peak
            } else {
                base
            }
        }
        Shape::Ramp => {
            if t_s < at {
                base
            } else if t_s >= at + len {
                peak
            } else {
                base + (peak - base) * (t_s - at) / len
            }
        }
        Shape::Daily => {
            let phase = (t_s / 3_600.0 - DAILY_TROUGH_HOUR) / 24.0;
            let wave = (1.0 - libm::cos(2.0 * core::f64::consts::PI * phase)) / 2.0;
            base + (peak - base) * wave
        }
    }
}

/// A spike added by hand: `extra_rps` more from `start_s` (inclusive) to `end_s` (exclusive).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct HandSpike {
    /// First second, simulated seconds.
    pub start_s: u64,
    /// First second after it.
    pub end_s: u64,
    /// Requests per second added.
    pub extra_rps: f64,
}

/// The traffic generator: the shape, hand spikes and the noise stream.
#[derive(Clone, Debug)]
pub struct Traffic {
    rng: SimRng,
    spikes: VecDeque<HandSpike>,
}

impl Traffic {
    /// A generator whose noise comes from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: SimRng::new(seed).fork(0x7261_6666), // "raff"
            spikes: VecDeque::new(),
        }
    }

    /// Adds a spike of `peak_rps − base_rps` (at least 0) for `spike_s` seconds from `now_s`.
    /// Returns false (and adds nothing) when [`MAX_SPIKES`] are already pending.
    pub fn spike_now(&mut self, config: &Config, now_s: u64) -> bool {
        if self.spikes.len() >= MAX_SPIKES {
            return false;
        }
        self.spikes.push_back(HandSpike {
            start_s: now_s,
            end_s: now_s + u64::from(config.spike_s.max(1)),
            extra_rps: (config.peak_rps - config.base_rps).max(0.0),
        });
        true
    }

    /// Hand spikes pending or running.
    pub fn spikes(&self) -> impl Iterator<Item = &HandSpike> {
        self.spikes.iter()
    }

    /// The expected rate of second `t_s` (shape plus hand spikes, no noise).
    pub fn expected_rps(&self, config: &Config, t_s: u64) -> f64 {
        let hand: f64 = self
            .spikes
            .iter()
            .filter(|s| s.start_s <= t_s && t_s < s.end_s)
            .map(|s| s.extra_rps)
            .sum();
        shape_rps(config, t_s as f64) + hand
    }

    /// The requests arriving in second `t_s`: the expected rate times `1 + noise × z` (z a
    /// standard normal draw, one per second; at least 0). With `noise` = 0 no draw is made and the
    /// traffic is exactly the expected rate (a fluid, possibly fractional count). Forgets spikes
    /// that have ended.
    pub fn arrivals(&mut self, config: &Config, t_s: u64) -> (f64, f64) {
        while self.spikes.front().is_some_and(|s| s.end_s <= t_s) {
            self.spikes.pop_front();
        }
        let expected = self.expected_rps(config, t_s);
        if config.noise <= 0.0 {
            return (expected, expected);
        }
        let z = Normal::new(0.0, 1.0).map_or(0.0, |n| n.sample(&mut self.rng));
        (expected, (expected * (1.0 + config.noise * z)).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_wave_low_at_midnight_high_at_noon() {
        let c = Config::default();
        assert!((shape_rps(&c, 0.0) - c.base_rps).abs() < 1e-9);
        assert!((shape_rps(&c, 12.0 * 3_600.0) - c.peak_rps).abs() < 1e-9);
        assert!((shape_rps(&c, 86_400.0) - c.base_rps).abs() < 1e-9);
    }

    #[test]
    fn ramp_climbs_linearly() {
        let c = Config {
            traffic: Shape::Ramp,
            spike_at_s: 100,
            spike_s: 100,
            ..Config::default()
        };
        assert_eq!(shape_rps(&c, 50.0), 200.0);
        assert_eq!(shape_rps(&c, 150.0), 600.0);
        assert_eq!(shape_rps(&c, 250.0), 1_000.0);
    }
}
