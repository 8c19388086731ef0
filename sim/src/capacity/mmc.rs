//! The M/M/c queue: Poisson arrivals, exponential service, `c` identical servers, one FIFO queue.
//!
//! With arrival rate `λ`, service rate `μ` per server and offered load `A = λ/μ`, utilisation is
//! `ρ = A/c` and the queue is stable only for `ρ < 1`. A request waits with the Erlang C
//! probability `P_w`; when it waits, its wait is exponential with rate `γ = cμ − λ`, so the mean
//! wait is `Wq = P_w / (cμ − λ)` and the mean response time is `Wq + 1/μ`.
//!
//! The response time `W = Wq + S` (wait plus service, `S ~ Exp(μ)`) has the exact survival
//! function `P(W > t) = (1 − P_w)·e^(−μt) + P_w·P(Exp(γ) + Exp(μ) > t)`. The sum of two
//! exponentials with rates `a <= b` (it is symmetric in them) survives with
//! `e^(−at)·(1 + a·t·g((b − a)·t))`, `g(x) = (1 − e^(−x)) / x`, `g(0) = 1`. Computed with `expm1`
//! this is stable as `γ` approaches `μ` and gives the special case `γ = μ`, `(1 + μt)·e^(−μt)`,
//! exactly; every term stays in `[0, 1]`, so no overflow or NaN for any `t`. Percentiles invert it
//! by bisection to a relative 1e-9.

use super::erlang::{c_from_b, erlang_b};
use super::queue_error::QueueError;
use super::specs::MAX_QUEUE_SLOTS;

/// Bisection stops when the bracket is this small relative to its upper end.
const PERCENTILE_RELATIVE_TOLERANCE: f64 = 1e-9;
/// Safety bound on bracket doublings and bisection steps (never reached for `p <= 1 − 1e-12`).
const MAX_ITERATIONS: u32 = 400;

/// A stable M/M/c queue with its Erlang C wait probability computed once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcQueue {
    arrival_rate: f64,
    service_rate: f64,
    servers: u32,
    wait_probability: f64,
}

impl MmcQueue {
    /// The queue for `arrival_rate` requests per second (`>= 0`), `service_rate` completions per
    /// second per server (`> 0`) and `servers` servers (`1..=`[`MAX_QUEUE_SLOTS`]; in the lab a "server" of the queue is one request
    /// slot, so this is servers × concurrent requests per server).
    ///
    /// Errors, never NaN: no servers, too many servers, a negative, zero (service) or non-finite
    /// rate, or utilisation `>= 1` ([`QueueError::Unstable`]).
    pub fn new(arrival_rate: f64, service_rate: f64, servers: u32) -> Result<Self, QueueError> {
        if servers == 0 {
            return Err(QueueError::NoServers);
        }
        if servers > MAX_QUEUE_SLOTS {
            return Err(QueueError::TooManyServers {
                servers: u64::from(servers),
                slots: u64::from(servers),
            });
        }
        if !arrival_rate.is_finite() || arrival_rate < 0.0 {
            return Err(QueueError::InvalidRate { what: "arrival rate" });
        }
        if !service_rate.is_finite() || service_rate <= 0.0 {
            return Err(QueueError::InvalidRate { what: "service rate" });
        }
        let offered_load = arrival_rate / service_rate;
        let utilization = offered_load / f64::from(servers);
        if !offered_load.is_finite() {
            return Err(QueueError::InvalidRate { what: "arrival rate" });
        }
        if utilization >= 1.0 {
            return Err(QueueError::Unstable { utilization });
        }
        let blocking = erlang_b(servers, offered_load).ok_or(QueueError::InvalidRate { what: "arrival rate" })?;
        Ok(Self::with_blocking(arrival_rate, service_rate, servers, blocking))
    }

    /// Builds the queue from an Erlang B value already known (for searches over `c` that update B
    /// incrementally). Requires the checks of [`MmcQueue::new`] to hold.
    pub(super) fn with_blocking(arrival_rate: f64, service_rate: f64, servers: u32, blocking: f64) -> Self {
        let offered_load = arrival_rate / service_rate;
        Self {
            arrival_rate,
            service_rate,
            servers,
            wait_probability: c_from_b(servers, offered_load, blocking),
        }
    }

    /// Arrival rate `λ`, requests per second.
    pub fn arrival_rate(&self) -> f64 {
        self.arrival_rate
    }

    /// Service rate `μ` of one server, requests per second.
    pub fn service_rate(&self) -> f64 {
        self.service_rate
    }

    /// Number of servers `c`.
    pub fn servers(&self) -> u32 {
        self.servers
    }

    /// Offered load `A = λ/μ`, in erlangs (the average number of busy servers).
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate / self.service_rate
    }

    /// Utilisation `ρ = A/c`, in `[0, 1)`.
    pub fn utilization(&self) -> f64 {
        self.offered_load() / f64::from(self.servers)
    }

    /// Erlang C: the probability that an arriving request waits, `P_w`.
    pub fn wait_probability(&self) -> f64 {
        self.wait_probability
    }

    /// Rate of the exponential wait of a request that waits: `γ = cμ − λ = μ(c − A)`, per second.
    pub fn drain_rate(&self) -> f64 {
        self.service_rate * (f64::from(self.servers) - self.offered_load())
    }

    /// Mean wait in the queue, `Wq = P_w / (cμ − λ)`, in seconds.
    pub fn mean_wait_s(&self) -> f64 {
        self.wait_probability / self.drain_rate()
    }

    /// Mean service time `1/μ`, in seconds.
    pub fn service_time_s(&self) -> f64 {
        1.0 / self.service_rate
    }

    /// Mean response time (wait plus service), `Wq + 1/μ`, in seconds.
    pub fn mean_response_s(&self) -> f64 {
        self.mean_wait_s() + self.service_time_s()
    }

    /// Mean number of requests waiting, `Lq = λ·Wq` (Little's law on the queue).
    pub fn mean_queue_length(&self) -> f64 {
        self.arrival_rate * self.mean_wait_s()
    }

    /// `P(W > t)`: the probability that a request's response time (wait plus service) exceeds
    /// `t_s` seconds. 1 for `t_s <= 0` or NaN.
    pub fn response_survival(&self, t_s: f64) -> f64 {
        if t_s.is_nan() || t_s <= 0.0 {
            return 1.0;
        }
        let mu = self.service_rate;
        let served_at_once = (1.0 - self.wait_probability) * libm::exp(-mu * t_s);
        let gamma = self.drain_rate();
        let (slow, fast) = if gamma < mu { (gamma, mu) } else { (mu, gamma) };
        let x = (fast - slow) * t_s;
        let g = if x > 0.0 { -libm::expm1(-x) / x } else { 1.0 };
        let waited = libm::exp(-slow * t_s) * (1.0 + slow * t_s * g);
        (served_at_once + self.wait_probability * waited).clamp(0.0, 1.0)
    }

    /// The `p`-quantile of the response time (wait plus service), in seconds, for `p` in `(0, 1)`
    /// (e.g. 0.99 for p99): the `t` with `P(W > t) = 1 − p`, by bisection to a relative 1e-9.
    /// `None` for `p` outside `(0, 1)` or NaN.
    pub fn response_percentile_s(&self, p: f64) -> Option<f64> {
        if p.is_nan() || p <= 0.0 || p >= 1.0 {
            return None;
        }
        let tail = 1.0 - p;
        let slowest = self.service_rate.min(self.drain_rate());
        let mut hi = 1.0 / slowest;
        let mut lo = 0.0;
        let mut steps = 0;
        while self.response_survival(hi) > tail && steps < MAX_ITERATIONS {
            lo = hi;
            hi *= 2.0;
            steps += 1;
        }
        steps = 0;
        while hi - lo > PERCENTILE_RELATIVE_TOLERANCE * hi && steps < MAX_ITERATIONS {
            let mid = lo + (hi - lo) / 2.0;
            if self.response_survival(mid) > tail {
                lo = mid;
            } else {
                hi = mid;
            }
            steps += 1;
        }
        let t = lo + (hi - lo) / 2.0;
        t.is_finite().then_some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survival_is_continuous_through_gamma_equal_mu() {
        // c = 2, μ = 1: γ = 2 − λ equals μ at λ = 1.
        let at = |lambda: f64| MmcQueue::new(lambda, 1.0, 2).unwrap().response_survival(1.7);
        let exact = at(1.0);
        let near = at(1.0 + 1e-7);
        assert!((exact - near).abs() < 1e-6, "{exact} vs {near}");
        // Direct check of the γ = μ formula: (1 − P_w) e^{−t} + P_w (1 + t) e^{−t}.
        let q = MmcQueue::new(1.0, 1.0, 2).unwrap();
        let pw = q.wait_probability();
        let t: f64 = 1.7;
        let expected = (1.0 - pw) * (-t).exp() + pw * (1.0 + t) * (-t).exp();
        assert!((exact - expected).abs() < 1e-15);
    }

    #[test]
    fn rejects_nonsense() {
        assert_eq!(MmcQueue::new(1.0, 1.0, 0), Err(QueueError::NoServers));
        assert!(matches!(MmcQueue::new(3.0, 1.0, 3), Err(QueueError::Unstable { .. })));
        assert!(matches!(
            MmcQueue::new(-1.0, 1.0, 3),
            Err(QueueError::InvalidRate { .. })
        ));
        assert!(matches!(
            MmcQueue::new(1.0, 0.0, 3),
            Err(QueueError::InvalidRate { .. })
        ));
        assert!(matches!(
            MmcQueue::new(f64::NAN, 1.0, 3),
            Err(QueueError::InvalidRate { .. })
        ));
        let q = MmcQueue::new(0.5, 1.0, 1).unwrap();
        assert_eq!(q.response_percentile_s(1.0), None);
        assert_eq!(q.response_percentile_s(f64::NAN), None);
        assert_eq!(q.response_survival(f64::NAN), 1.0);
    }
}
