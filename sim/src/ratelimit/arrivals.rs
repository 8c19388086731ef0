//! Where requests come from: one source per client (and one for a flood started by hand), each
//! with its own random stream, so the arrivals never depend on what the limiter decides.
//!
//! A source's next arrival is kept as a fractional microsecond (`f64`) and reported rounded down,
//! so rates stay exact even at one request per microsecond.

use super::choices::Burstiness;
use crate::engine::time::{MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{Exponential, SimRng, SimTime};

/// Periodic bursts: each burst is spread over this much time (or a tenth of the window if that is
/// shorter), µs: 100 ms.
pub const BURST_SPREAD: SimTime = 100 * MICROS_PER_MILLI;
/// Fastest any source sends: one request per µs. Periodic bursts too large for their spread are
/// spread over longer.
const MAX_SOURCE_RPS: f64 = 1_000_000.0;

/// The shape of a stream of requests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Pattern {
    /// Sends nothing.
    Off,
    /// Poisson arrivals: exponential gaps (µs).
    Poisson(Exponential),
    /// Evenly spaced, `gap` µs apart.
    Even { gap: f64 },
    /// `size` requests every `period` µs, `gap` µs apart, centred on multiples of the period.
    Bursts { period: f64, size: u64, gap: f64 },
}

impl Pattern {
    /// Poisson arrivals at `rps` (off when not positive).
    pub(super) fn poisson(rps: f64) -> Pattern {
        if rps.is_nan() || rps <= 0.0 {
            return Pattern::Off;
        }
        Exponential::new(MICROS_PER_SEC as f64 / rps).map_or(Pattern::Off, Pattern::Poisson)
    }

    /// Evenly spaced arrivals at `rps` (off when not positive).
    pub(super) fn even(rps: f64) -> Pattern {
        if rps.is_nan() || rps <= 0.0 {
            return Pattern::Off;
        }
        Pattern::Even {
            gap: MICROS_PER_SEC as f64 / rps.min(MAX_SOURCE_RPS),
        }
    }

    /// The abuser's stream: `rps` shaped by `burstiness`, bursts once per `window` µs.
    pub(super) fn abuser(rps: f64, burstiness: Burstiness, window: SimTime) -> Pattern {
        match burstiness {
            Burstiness::Poisson => Pattern::poisson(rps),
            Burstiness::Flood => Pattern::even(rps),
            Burstiness::PeriodicBursts => {
                let period = window.max(1) as f64;
                let size = libm::round(rps.max(0.0) * period / MICROS_PER_SEC as f64);
                if size.is_nan() || size < 1.0 {
                    return Pattern::Off;
                }
                let spread = (BURST_SPREAD as f64)
                    .min(period / 10.0)
                    .max(size * MICROS_PER_SEC as f64 / MAX_SOURCE_RPS)
                    .min(period);
                Pattern::Bursts {
                    period,
                    size: size as u64,
                    gap: spread / size,
                }
            }
        }
    }
}

/// One stream of requests. See the module docs.
#[derive(Clone, Debug)]
pub(super) struct Source {
    pattern: Pattern,
    rng: SimRng,
    /// The next arrival, µs (fractional).
    next: f64,
    /// Periodic bursts: the burst under way (the k-th is centred on `k × period`, k >= 1) and
    /// requests of it already sent.
    burst: u64,
    sent: u64,
    /// No arrivals after this time (µs); `None`: for ever.
    until: Option<SimTime>,
}

impl Source {
    /// A source that sends nothing, on its own random stream.
    pub(super) fn new(rng: SimRng) -> Self {
        Self {
            pattern: Pattern::Off,
            rng,
            next: f64::INFINITY,
            burst: 0,
            sent: 0,
            until: None,
        }
    }

    /// Starts `pattern` from `now` (µs), up to `until` if given. Its random stream carries on.
    pub(super) fn start(&mut self, pattern: Pattern, now: SimTime, until: Option<SimTime>) {
        self.pattern = pattern;
        self.until = until;
        let now_f = now as f64;
        self.next = match pattern {
            Pattern::Off => f64::INFINITY,
            Pattern::Poisson(gaps) => now_f + gaps.sample(&mut self.rng),
            Pattern::Even { gap } => now_f + gap,
            Pattern::Bursts { period, size, gap } => {
                // The first burst that starts at or after now.
                let half = gap * size as f64 / 2.0;
                self.burst = (libm::ceil((now_f + half) / period) as u64).max(1);
                self.sent = 0;
                self.burst as f64 * period - half
            }
        };
    }

    /// When the next request arrives (µs), if one is due.
    pub(super) fn peek(&self) -> Option<SimTime> {
        if !self.next.is_finite() {
            return None;
        }
        let at = self.next as SimTime;
        match self.until {
            Some(end) if at > end => None,
            _ => Some(at),
        }
    }

    /// Moves on to the arrival after the one [`Source::peek`] showed.
    pub(super) fn advance(&mut self) {
        match self.pattern {
            Pattern::Off => self.next = f64::INFINITY,
            Pattern::Poisson(gaps) => self.next += gaps.sample(&mut self.rng),
            Pattern::Even { gap } => self.next += gap,
            Pattern::Bursts { period, size, gap } => {
                self.sent += 1;
                if self.sent >= size {
                    self.burst += 1;
                    self.sent = 0;
                }
                let half = gap * size as f64 / 2.0;
                self.next = self.burst as f64 * period - half + self.sent as f64 * gap;
            }
        }
    }

    /// Whether the source is sending (a flood not yet over).
    pub(super) fn active(&self) -> bool {
        self.peek().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(pattern: Pattern, until: SimTime) -> Vec<SimTime> {
        let mut s = Source::new(SimRng::new(1));
        s.start(pattern, 0, None);
        let mut out = Vec::new();
        while let Some(at) = s.peek() {
            if at > until {
                break;
            }
            out.push(at);
            s.advance();
        }
        out
    }

    #[test]
    fn rates_are_kept() {
        let poisson = count(Pattern::poisson(1_000.0), 10 * MICROS_PER_SEC);
        assert!((9_700..10_300).contains(&poisson.len()), "{}", poisson.len());
        assert!(poisson.windows(2).all(|w| w[0] <= w[1]));
        let fast = count(Pattern::poisson(1_000_000.0), MICROS_PER_SEC);
        assert!((997_000..1_003_000).contains(&fast.len()), "{}", fast.len());
        assert_eq!(count(Pattern::even(3.0), 10 * MICROS_PER_SEC).len(), 30);
        assert!(count(Pattern::poisson(0.0), MICROS_PER_SEC).is_empty());
    }

    #[test]
    fn bursts_are_centred_on_the_boundaries() {
        // 50 req/s in 10 s windows: 500 per burst over 100 ms, centred on 10 s, 20 s...
        let times = count(
            Pattern::abuser(50.0, Burstiness::PeriodicBursts, 10 * MICROS_PER_SEC),
            25 * MICROS_PER_SEC,
        );
        assert_eq!(times.len(), 1_000);
        assert_eq!(times[0], 9_950_000);
        assert_eq!(times[499], 9_950_000 + 499 * 200);
        assert_eq!(times[500], 19_950_000);
        let before = times.iter().filter(|&&t| t < 10 * MICROS_PER_SEC).count();
        assert_eq!(before, 250);
    }

    #[test]
    fn a_source_can_end() {
        let mut s = Source::new(SimRng::new(1));
        s.start(Pattern::even(10.0), 0, Some(MICROS_PER_SEC));
        let mut n = 0;
        while s.peek().is_some() {
            n += 1;
            s.advance();
        }
        assert_eq!(n, 10);
        assert!(!s.active());
    }
}
