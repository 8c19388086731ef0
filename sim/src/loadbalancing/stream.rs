//! The request stream: arrival times, client ids, balancers and costs, on a generator of its own.
//!
//! The stream never reads anything the routing does, so runs that differ only in the algorithm
//! (or the faults) see exactly the same requests. Per request it draws, in this order: the gap to
//! the next arrival (running mode only), the client, the balancer (only with several) and the cost
//! (running mode; none for `constant`, two for `heavy_tail`).

use super::workload::CostSampler;
use crate::engine::time::MICROS_PER_SEC;
use crate::engine::{Exponential, SimRng, SimTime};
use crate::ConfigError;

/// Simulated time over which static mode places its requests: the first second.
pub const STATIC_SPAN: SimTime = MICROS_PER_SEC;

/// One request as it arrives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Arrival {
    /// When (µs).
    pub(super) at: SimTime,
    /// Which client sent it (`0..clients`).
    pub(super) client: u32,
    /// Which balancer receives it (`0..balancers`).
    pub(super) balancer: u32,
    /// Its cost: service time on a server of speed 1, in ms (0 in static mode).
    pub(super) cost_ms: f64,
}

/// How arrival times are produced.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Timing {
    /// Poisson arrivals: exponential gaps (µs).
    Poisson(Exponential),
    /// Static mode: request `i` of `total` at `i × 1 s / total`.
    Even { total: u64 },
}

/// The request stream. See the module docs.
#[derive(Clone, Debug)]
pub(super) struct Stream {
    rng: SimRng,
    timing: Timing,
    cost: CostSampler,
    clients: u64,
    balancers: u64,
    next: Option<Arrival>,
    issued: u64,
    fingerprint: u64,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(hash: u64, word: u64) -> u64 {
    (hash ^ word).wrapping_mul(FNV_PRIME)
}

/// Exponential gaps in µs for `rate` requests per second.
fn gaps(rate: f64) -> Result<Exponential, ConfigError> {
    if !(rate.is_finite() && rate > 0.0) {
        return Err(ConfigError::new("rate", "must be greater than 0"));
    }
    Exponential::new(MICROS_PER_SEC as f64 / rate)
}

/// One exponential gap, rounded to the microsecond.
fn gap_us(gap: &Exponential, rng: &mut SimRng) -> SimTime {
    // Samples are finite and below 37 × the mean (at most 3.7e8 µs here): the cast is exact.
    libm::round(gap.sample(rng)) as SimTime
}

impl Stream {
    /// A Poisson stream at `rate` requests per second from time 0.
    pub(super) fn poisson(
        rng: SimRng,
        rate: f64,
        cost: CostSampler,
        clients: u32,
        balancers: u32,
    ) -> Result<Self, ConfigError> {
        let mut s = Self::with(rng, Timing::Poisson(gaps(rate)?), cost, clients, balancers);
        s.next = s.draw(0);
        Ok(s)
    }

    /// Static mode: `total` requests spread evenly over [`STATIC_SPAN`].
    pub(super) fn even(rng: SimRng, total: u64, clients: u32, balancers: u32) -> Self {
        let mut s = Self::with(
            rng,
            Timing::Even { total },
            CostSampler::Constant(0.0),
            clients,
            balancers,
        );
        s.next = s.draw(0);
        s
    }

    fn with(rng: SimRng, timing: Timing, cost: CostSampler, clients: u32, balancers: u32) -> Self {
        Self {
            rng,
            timing,
            cost,
            clients: u64::from(clients.max(1)),
            balancers: u64::from(balancers.max(1)),
            next: None,
            issued: 0,
            fingerprint: FNV_OFFSET,
        }
    }

    /// The arrival after one at `previous` (µs); `None` once static mode has placed everything.
    fn draw(&mut self, previous: SimTime) -> Option<Arrival> {
        let at = match self.timing {
            Timing::Poisson(gap) => previous.saturating_add(gap_us(&gap, &mut self.rng)),
            Timing::Even { total } => {
                if self.issued >= total {
                    return None;
                }
                (u128::from(self.issued) * u128::from(STATIC_SPAN) / u128::from(total.max(1))) as SimTime
            }
        };
        let client = self.rng.below(self.clients) as u32;
        let balancer = if self.balancers > 1 {
            self.rng.below(self.balancers) as u32
        } else {
            0
        };
        let cost_ms = self.cost.sample(&mut self.rng);
        Some(Arrival {
            at,
            client,
            balancer,
            cost_ms,
        })
    }

    /// When the next request arrives (µs), if any.
    pub(super) fn peek_time(&self) -> Option<SimTime> {
        self.next.map(|a| a.at)
    }

    /// Takes the next request and draws the one after.
    pub(super) fn take(&mut self) -> Option<Arrival> {
        let arrival = self.next?;
        self.issued += 1;
        self.fingerprint = fnv(
            fnv(
                fnv(self.fingerprint, arrival.at),
                u64::from(arrival.client) << 8 | u64::from(arrival.balancer),
            ),
            arrival.cost_ms.to_bits(),
        );
        self.next = self.draw(arrival.at);
        Some(arrival)
    }

    /// Requests taken so far.
    pub(super) fn issued(&self) -> u64 {
        self.issued
    }

    /// A digest of every request taken (time, client, balancer, cost): equal digests mean the
    /// same requests.
    pub(super) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Running mode: the rate changes now; the next arrival is redrawn from `now`.
    pub(super) fn set_rate(&mut self, rate: f64, now: SimTime) -> Result<(), ConfigError> {
        let gap = gaps(rate)?;
        if let Timing::Poisson(_) = self.timing {
            self.timing = Timing::Poisson(gap);
            if let Some(next) = self.next.as_mut() {
                next.at = now.saturating_add(gap_us(&gap, &mut self.rng));
            }
        }
        Ok(())
    }

    /// Running mode: costs drawn from now on follow `cost`.
    pub(super) fn set_cost(&mut self, cost: CostSampler) {
        if let Timing::Poisson(_) = self.timing {
            self.cost = cost;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loadbalancing::workload::CostKind;

    #[test]
    fn static_mode_spreads_requests_over_the_first_second() {
        let mut s = Stream::even(SimRng::new(1), 4, 10, 1);
        let times: Vec<SimTime> = std::iter::from_fn(|| s.take().map(|a| a.at)).collect();
        assert_eq!(times, vec![0, 250_000, 500_000, 750_000]);
        assert_eq!(s.peek_time(), None);
    }

    #[test]
    fn poisson_rate_and_ranges() {
        let cost = CostSampler::new(CostKind::Exponential, 10.0, 1.0).unwrap();
        let mut s = Stream::poisson(SimRng::new(2), 1_000.0, cost, 7, 3).unwrap();
        let mut last = None;
        for _ in 0..100_000 {
            let a = s.take().unwrap();
            assert!(a.client < 7 && a.balancer < 3 && a.cost_ms >= 0.0);
            last = Some(a.at);
        }
        let secs = last.unwrap() as f64 / 1e6;
        assert!((secs - 100.0).abs() < 2.0, "{secs}");
        assert_eq!(s.issued(), 100_000);
    }
}
