//! Arrival streams on generators of their own: the producers' requests (shaped, with bursts by
//! hand) and the read model's reads.
//!
//! A stream is a Poisson process whose rate follows the shape. Piecewise-constant rates (`steady`,
//! `bursts`, a burst by hand) draw exponential gaps at the current rate and restart at every
//! change of rate (exact, since the process is memoryless); the `daily` cycle is drawn by thinning
//! (Lewis and Shedler): candidates at the cycle's peak rate, each kept with probability
//! rate(t) / peak. Per arrival: one draw, plus one for `daily`.

use super::choices::Shape;
use crate::engine::time::{from_secs, MICROS_PER_SEC};
use crate::engine::{Exponential, SimRng, SimTime};
use crate::ConfigError;

/// A burst multiplies the rate by this (the "burst of 10x traffic"; also the `bursts`
/// shape's factor).
pub const BURST_FACTOR: f64 = 10.0;
/// How long a burst by hand lasts, simulated seconds.
pub const BURST_SECS: f64 = 10.0;
/// The `bursts` shape: one burst every this many seconds...
pub const SHAPE_BURST_EVERY_SECS: f64 = 60.0;
/// ... lasting this long, at the start of each period.
pub const SHAPE_BURST_SECS: f64 = 5.0;
/// The `daily` shape's "day", simulated seconds (a day compressed into 10 minutes).
pub const DAY_SECS: f64 = 600.0;
/// The `daily` shape's swing: the rate goes from (1 − swing) to (1 + swing) times `rate`.
const DAILY_SWING: f64 = 0.8;

/// One arrival stream. See the module docs.
#[derive(Clone, Debug)]
pub(super) struct Arrivals {
    rng: SimRng,
    unit: Exponential,
    rate: f64,
    shape: Shape,
    /// A burst by hand runs until then (µs).
    burst_until: SimTime,
    next: Option<SimTime>,
}

impl Arrivals {
    /// A stream at `rate` per second shaped by `shape`, its first arrival after `now`.
    pub(super) fn new(rng: SimRng, rate: f64, shape: Shape, now: SimTime) -> Result<Self, ConfigError> {
        let mut s = Self {
            rng,
            unit: Exponential::new(1.0)?,
            rate,
            shape,
            burst_until: 0,
            next: None,
        };
        s.next = s.draw(now);
        Ok(s)
    }

    /// The next arrival (µs), if any.
    pub(super) fn peek(&self) -> Option<SimTime> {
        self.next
    }

    /// Takes the next arrival and draws the one after.
    pub(super) fn advance(&mut self) -> Option<SimTime> {
        let at = self.next?;
        self.next = self.draw(at);
        Some(at)
    }

    /// New rate and shape from `now` (the next arrival is drawn afresh).
    pub(super) fn restart(&mut self, rate: f64, shape: Shape, now: SimTime) {
        self.rate = rate;
        self.shape = shape;
        self.next = self.draw(now);
    }

    /// A burst of [`BURST_FACTOR`] times the rate from `now` until `until`.
    pub(super) fn burst(&mut self, now: SimTime, until: SimTime) {
        self.burst_until = until;
        self.next = self.draw(now);
    }

    /// When a burst by hand ends, while one runs at `now`.
    pub(super) fn burst_until(&self, now: SimTime) -> Option<SimTime> {
        (self.burst_until > now).then_some(self.burst_until)
    }

    /// The rate (per second) at `t`.
    pub(super) fn rate_at(&self, t: SimTime) -> f64 {
        let burst = if t < self.burst_until { BURST_FACTOR } else { 1.0 };
        let shape = match self.shape {
            Shape::Steady => 1.0,
            Shape::Bursts => {
                if in_shape_burst(t) {
                    BURST_FACTOR
                } else {
                    1.0
                }
            }
            Shape::Daily => {
                let phase = (t % from_secs(DAY_SECS).max(1)) as f64 / (DAY_SECS * MICROS_PER_SEC as f64);
                1.0 - DAILY_SWING * libm::cos(2.0 * core::f64::consts::PI * phase)
            }
        };
        self.rate * shape * burst
    }

    /// The rate candidates are drawn at from `t` until the next boundary.
    fn envelope(&self, t: SimTime) -> f64 {
        match self.shape {
            Shape::Daily => {
                let burst = if t < self.burst_until { BURST_FACTOR } else { 1.0 };
                self.rate * (1.0 + DAILY_SWING) * burst
            }
            _ => self.rate_at(t),
        }
    }

    /// The next time after `t` at which the envelope changes, if any.
    fn boundary(&self, t: SimTime) -> Option<SimTime> {
        let burst_end = (self.burst_until > t).then_some(self.burst_until);
        let shape_edge = match self.shape {
            Shape::Bursts => {
                let period = from_secs(SHAPE_BURST_EVERY_SECS).max(1);
                let start = t - t % period;
                let burst_end = start.saturating_add(from_secs(SHAPE_BURST_SECS));
                Some(if t < burst_end {
                    burst_end
                } else {
                    start.saturating_add(period)
                })
            }
            _ => None,
        };
        match (burst_end, shape_edge) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The first arrival after `from`, or `None` if the rate stays 0.
    fn draw(&mut self, from: SimTime) -> Option<SimTime> {
        if self.rate.is_nan() || self.rate <= 0.0 {
            return None;
        }
        let mut t = from;
        // Each pass either returns or moves `t` forward (to a boundary or a rejected candidate);
        // a rate of 0 with no boundary ahead ends the stream. The cap only guards against a
        // pathological loop and is never reached (a day has at most two boundaries per minute).
        for _ in 0..1_000_000 {
            let envelope = self.envelope(t);
            let boundary = self.boundary(t);
            if envelope.is_nan() || envelope <= 0.0 {
                t = boundary?;
                continue;
            }
            let gap = libm::round(self.unit.sample(&mut self.rng) * MICROS_PER_SEC as f64 / envelope);
            // Finite and non-negative; `as` saturates.
            let candidate = t.saturating_add(gap as SimTime);
            if let Some(b) = boundary.filter(|&b| candidate >= b) {
                t = b;
                continue;
            }
            if self.shape == Shape::Daily && !self.rng.chance(self.rate_at(candidate) / envelope) {
                t = candidate;
                continue;
            }
            return Some(candidate);
        }
        None
    }
}

/// Whether `t` falls in one of the `bursts` shape's bursts.
fn in_shape_burst(t: SimTime) -> bool {
    t % from_secs(SHAPE_BURST_EVERY_SECS).max(1) < from_secs(SHAPE_BURST_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(stream: &mut Arrivals, until: SimTime) -> u64 {
        let mut n = 0;
        while stream.peek().is_some_and(|t| t <= until) {
            stream.advance();
            n += 1;
        }
        n
    }

    #[test]
    fn steady_rate() {
        let mut s = Arrivals::new(SimRng::new(1), 1_000.0, Shape::Steady, 0).unwrap();
        let n = count(&mut s, from_secs(100.0));
        assert!((n as f64 - 100_000.0).abs() < 1_500.0, "{n}");
    }

    #[test]
    fn zero_rate_never_arrives() {
        let s = Arrivals::new(SimRng::new(1), 0.0, Shape::Steady, 0).unwrap();
        assert_eq!(s.peek(), None);
        let s = Arrivals::new(SimRng::new(1), 0.0, Shape::Daily, 0).unwrap();
        assert_eq!(s.peek(), None);
    }

    #[test]
    fn shapes_average_as_documented() {
        // bursts: 55 s at the rate and 5 s at ten times it per minute = 1.75 x on average.
        let mut b = Arrivals::new(SimRng::new(2), 100.0, Shape::Bursts, 0).unwrap();
        let n = count(&mut b, from_secs(600.0)) as f64;
        assert!((n / 600.0 / 100.0 - 1.75).abs() < 0.03, "{n}");
        // daily: the rate on average over whole days, 0.2 x at night and 1.8 x at midday.
        let mut d = Arrivals::new(SimRng::new(3), 100.0, Shape::Daily, 0).unwrap();
        let night = count(&mut d, from_secs(30.0)) as f64 / 30.0;
        let n = night * 30.0 + count(&mut d, from_secs(1_200.0)) as f64;
        assert!((n / 1_200.0 / 100.0 - 1.0).abs() < 0.02, "{n}");
        assert!(night < 40.0, "{night}");
        assert!((d.rate_at(from_secs(300.0)) - 180.0).abs() < 1e-9);
    }

    #[test]
    fn a_burst_by_hand_multiplies_the_rate() {
        let mut s = Arrivals::new(SimRng::new(4), 100.0, Shape::Steady, 0).unwrap();
        count(&mut s, from_secs(10.0));
        s.burst(from_secs(10.0), from_secs(20.0));
        let during = count(&mut s, from_secs(20.0)) as f64;
        assert!((during - 10_000.0).abs() < 400.0, "{during}");
        let after = count(&mut s, from_secs(30.0)) as f64;
        assert!((after - 1_000.0).abs() < 120.0, "{after}");
        assert_eq!(s.burst_until(from_secs(30.0)), None);
    }
}
