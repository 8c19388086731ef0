//! The request stream: Poisson arrivals, Zipf-popular keys, a read/write mix.
//!
//! The stream owns its random generator, forked from the run's seed and used for nothing else, so
//! every variant of a comparison (other strategy, eviction, protection, capacity, latency) sees
//! exactly the same requests. Each request consumes exactly three outputs (gap, key, read or
//! write), so changing `read_ratio` or `rate` mid-run does not shift later keys.

use serde::Serialize;

use crate::engine::time::MICROS_PER_SEC;
use crate::engine::{Exponential, SimRng, SimTime, Zipf};
use crate::ConfigError;

/// A read or a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Read the key's value.
    Read,
    /// Write a new value of the key.
    Write,
}

/// One client request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Request {
    /// Arrival time (µs of simulated time).
    pub at: SimTime,
    /// The key, `0..keys`; key `k` has popularity rank `k` (key 0 is the hottest).
    pub key: u32,
    /// Read or write.
    pub op: Op,
}

/// An endless, seeded stream of requests. Arrival times are rounded to whole microseconds; a
/// stream whose clock would pass `SimTime::MAX` ends.
#[derive(Clone, Debug)]
pub struct RequestStream {
    rng: SimRng,
    zipf: Zipf,
    gaps: Exponential,
    read_ratio: f64,
    next: Option<Request>,
    issued: u64,
}

impl RequestStream {
    /// A stream over `keys` keys (`1..=10,000,000`) with Zipf exponent `alpha` (`0..=5`), `rate`
    /// requests per second (`> 0`, finite) of which a fraction `read_ratio` (`0..=1`) are reads,
    /// drawing from `rng`. The first request arrives one random gap after time 0.
    pub fn new(keys: usize, alpha: f64, rate: f64, read_ratio: f64, rng: SimRng) -> Result<Self, ConfigError> {
        let zipf = Zipf::new(keys, alpha)?;
        let gaps = gaps_for(rate)?;
        let read_ratio = check_ratio(read_ratio)?;
        let mut stream = Self {
            rng,
            zipf,
            gaps,
            read_ratio,
            next: None,
            issued: 0,
        };
        stream.next = stream.draw(0);
        Ok(stream)
    }

    fn draw(&mut self, after: SimTime) -> Option<Request> {
        let gap = libm::round(self.gaps.sample(&mut self.rng));
        let key = self.zipf.sample(&mut self.rng) as u32;
        let op = if self.rng.chance(self.read_ratio) {
            Op::Read
        } else {
            Op::Write
        };
        let at = after.checked_add(gap as SimTime)?;
        Some(Request { at, key, op })
    }

    /// The next request, without taking it.
    pub fn peek(&self) -> Option<&Request> {
        self.next.as_ref()
    }

    /// Takes the next request and draws the one after it.
    pub fn take(&mut self) -> Option<Request> {
        let current = self.next.take()?;
        self.next = self.draw(current.at);
        self.issued += 1;
        Some(current)
    }

    /// Requests taken so far.
    pub fn issued(&self) -> u64 {
        self.issued
    }

    /// The popularity distribution of keys.
    pub fn popularity(&self) -> &Zipf {
        &self.zipf
    }

    /// Changes the arrival rate (req/s) from the request after the pending one.
    pub fn set_rate(&mut self, rate: f64) -> Result<(), ConfigError> {
        self.gaps = gaps_for(rate)?;
        Ok(())
    }

    /// Changes the read fraction from the request after the pending one.
    pub fn set_read_ratio(&mut self, read_ratio: f64) -> Result<(), ConfigError> {
        self.read_ratio = check_ratio(read_ratio)?;
        Ok(())
    }

    /// Changes the Zipf exponent (same number of keys) from the request after the pending one.
    /// Costs O(keys).
    pub fn set_alpha(&mut self, alpha: f64) -> Result<(), ConfigError> {
        self.zipf = Zipf::new(self.zipf.n(), alpha)?;
        Ok(())
    }
}

fn gaps_for(rate: f64) -> Result<Exponential, ConfigError> {
    if !rate.is_finite() || rate <= 0.0 {
        return Err(ConfigError::new("rate", "must be a positive number"));
    }
    Exponential::new(MICROS_PER_SEC as f64 / rate).map_err(|_| ConfigError::new("rate", "is too small"))
}

fn check_ratio(read_ratio: f64) -> Result<f64, ConfigError> {
    if !(0.0..=1.0).contains(&read_ratio) {
        return Err(ConfigError::new("read_ratio", "must be between 0 and 1"));
    }
    Ok(read_ratio)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_mix_and_determinism() {
        let mut s = RequestStream::new(100, 0.9, 1_000.0, 0.75, SimRng::new(3)).unwrap();
        let n = 100_000;
        let mut reads = 0;
        let mut last = None;
        for _ in 0..n {
            let r = s.take().unwrap();
            assert!(r.key < 100);
            reads += usize::from(r.op == Op::Read);
            last = Some(r.at);
        }
        let secs = last.unwrap() as f64 / 1e6;
        assert!((secs - 100.0).abs() < 1.5, "{secs}");
        assert!((reads as f64 / n as f64 - 0.75).abs() < 0.01);
        assert_eq!(s.issued(), n as u64);
        let a: Vec<Request> = {
            let mut x = RequestStream::new(50, 1.0, 10.0, 0.5, SimRng::new(9)).unwrap();
            (0..20).filter_map(|_| x.take()).collect()
        };
        let b: Vec<Request> = {
            let mut x = RequestStream::new(50, 1.0, 10.0, 0.5, SimRng::new(9)).unwrap();
            (0..20).filter_map(|_| x.take()).collect()
        };
        assert_eq!(a, b);
    }

    #[test]
    fn rejects_bad_values() {
        assert!(RequestStream::new(10, 1.0, 0.0, 0.5, SimRng::new(1)).is_err());
        assert!(RequestStream::new(10, 1.0, f64::NAN, 0.5, SimRng::new(1)).is_err());
        assert!(RequestStream::new(10, 1.0, 1.0, 1.5, SimRng::new(1)).is_err());
        assert!(RequestStream::new(0, 1.0, 1.0, 0.5, SimRng::new(1)).is_err());
    }
}
