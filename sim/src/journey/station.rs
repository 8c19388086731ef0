//! One component's queue for one second: `c` identical servers of service rate `μ` (a core of an
//! app server, a database core, a worker slot), a fluid backlog for overload, and the capacity
//! lab's M/M/c queue ([`MmcQueue`]) for the random waits below saturation.
//!
//! The same split as the autoscaling lab's servers (`autoscaling/serving.rs`): with capacity
//! `C = c μ`, `served = min(backlog + arrivals, C)`; the rest waits in the backlog, a request
//! behind `q` waits `q / C`, and one that would wait longer than [`TIMEOUT_S`] fails (a queue of
//! tasks, the workers', has no timeout). Below saturation the response time is the M/M/c one,
//! evaluated at the utilisation rounded to 1/[`RHO_STEPS`] and at most [`RHO_CAP`] (beyond it
//! the backlog carries the wait), and kept in a small cache: a result depends only on its key, so
//! the cache changes the speed, never the numbers.

use crate::autoscaling::{RHO_CAP, TIMEOUT_S};
use crate::capacity::MmcQueue;

/// Utilisation steps of the M/M/c evaluation.
pub const RHO_STEPS: f64 = 1_024.0;
/// Entries of each station's M/M/c cache (direct-mapped).
const CACHE_SLOTS: usize = 64;

/// One second of a station.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StationSecond {
    /// Requests that arrived, per second.
    pub arrivals: f64,
    /// Requests served.
    pub served: f64,
    /// Requests that waited too long and failed.
    pub timeouts: f64,
    /// What it can serve, requests per second (`c μ`).
    pub capacity: f64,
    /// Offered utilisation, `arrivals / capacity` (above 1 when overloaded; 0 without capacity and
    /// arrivals, infinite with arrivals and no capacity).
    pub utilization: f64,
    /// The backlog's wait for a request arriving now, seconds.
    pub backlog_wait_s: f64,
    /// The M/M/c queue of the random waits (`None` without servers).
    pub queue: Option<MmcQueue>,
}

impl StationSecond {
    /// A station that served nothing (not deployed).
    pub fn idle() -> Self {
        Self {
            arrivals: 0.0,
            served: 0.0,
            timeouts: 0.0,
            capacity: 0.0,
            utilization: 0.0,
            backlog_wait_s: 0.0,
            queue: None,
        }
    }

    /// Share of the arrivals that failed by waiting too long, 0..=1.
    pub fn timeout_share(&self) -> f64 {
        if self.arrivals > 0.0 {
            (self.timeouts / self.arrivals).clamp(0.0, 1.0)
        } else if self.capacity > 0.0 {
            0.0
        } else {
            1.0
        }
    }

    /// Mean response time of a request served, seconds: the backlog's wait plus the M/M/c mean.
    pub fn mean_response_s(&self) -> f64 {
        self.backlog_wait_s + self.queue.map_or(TIMEOUT_S, |q| q.mean_response_s())
    }

    /// `P(response > t)` of the random part (the M/M/c response), `t` in seconds after the
    /// backlog's wait.
    pub fn random_survival(&self, t_s: f64) -> f64 {
        self.queue.map_or(1.0, |q| q.response_survival(t_s))
    }
}

/// A station: its backlog and its cache of M/M/c queues.
#[derive(Clone, Debug, PartialEq)]
pub struct Station {
    backlog: f64,
    timeout: bool,
    cache: [Option<(u32, u32, u64, MmcQueue)>; CACHE_SLOTS],
}

impl Station {
    /// A station whose waiting requests fail after [`TIMEOUT_S`] (`timeout`), or a queue of tasks
    /// that wait as long as it takes.
    pub fn new(timeout: bool) -> Self {
        Self {
            backlog: 0.0,
            timeout,
            cache: [None; CACHE_SLOTS],
        }
    }

    /// Requests (or tasks) waiting in the backlog.
    pub fn backlog(&self) -> f64 {
        self.backlog
    }

    /// Drops the backlog (the station went away).
    pub fn clear(&mut self) {
        self.backlog = 0.0;
    }

    /// The M/M/c queue at utilisation `rho` (rounded, capped).
    fn queue(&mut self, rho: f64, service_rate: f64, servers: u32) -> Option<MmcQueue> {
        if servers == 0 || !(service_rate > 0.0 && service_rate.is_finite()) {
            return None;
        }
        let step = libm::round(rho.clamp(0.0, RHO_CAP) * RHO_STEPS) as u32;
        let bits = service_rate.to_bits();
        let hash = servers.wrapping_mul(0x9E37_79B1) ^ step.wrapping_mul(0x85EB_CA6B) ^ (bits as u32);
        let slot = hash as usize % CACHE_SLOTS;
        if let Some(Some((c, s, b, q))) = self.cache.get(slot) {
            if *c == servers && *s == step && *b == bits {
                return Some(*q);
            }
        }
        let lambda = f64::from(step) / RHO_STEPS * f64::from(servers) * service_rate;
        let q = MmcQueue::new(lambda, service_rate, servers).ok()?;
        if let Some(entry) = self.cache.get_mut(slot) {
            *entry = Some((servers, step, bits, q));
        }
        Some(q)
    }

    /// One second: `arrivals` requests reach `servers` servers of `service_rate` each.
    pub fn serve(&mut self, arrivals: f64, servers: u32, service_rate: f64) -> StationSecond {
        let arrivals = if arrivals.is_finite() { arrivals.max(0.0) } else { 0.0 };
        let rate = if service_rate.is_finite() {
            service_rate.max(0.0)
        } else {
            0.0
        };
        let capacity = f64::from(servers) * rate;
        let q0 = self.backlog;
        let total = q0 + arrivals;
        let served = total.min(capacity);
        let mut q1 = total - served;
        let mut timeouts = 0.0;
        if self.timeout {
            let cap = capacity * TIMEOUT_S;
            timeouts = (q1 - cap).max(0.0);
            q1 = q1.min(cap);
        } else {
            q1 = q1.min(1e15);
        }
        self.backlog = q1;
        let utilization = if capacity > 0.0 {
            arrivals / capacity
        } else if arrivals > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
        let backlog_wait_s = if capacity > 0.0 {
            let wait = q0.max(q1) / capacity;
            if self.timeout {
                wait.min(TIMEOUT_S)
            } else {
                wait
            }
        } else {
            0.0
        };
        StationSecond {
            arrivals,
            served,
            timeouts: if capacity > 0.0 { timeouts } else { arrivals },
            capacity,
            utilization,
            backlog_wait_s,
            queue: self.queue(utilization, rate, servers),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_capacity_is_the_capacity_labs_queue() {
        let mut s = Station::new(true);
        let second = s.serve(70.0, 1, 100.0);
        assert_eq!(second.served, 70.0);
        assert!((second.utilization - 0.7).abs() < 1e-12);
        // M/M/1 at ρ = 0.7 (rounded to 1/1,024): mean response 1 / (μ − λ) = 1/30 s.
        assert!((second.mean_response_s() - 1.0 / 30.0).abs() < 1e-4);
        assert_eq!(second.timeout_share(), 0.0);
    }

    #[test]
    fn overload_backs_up_then_times_out_and_a_task_queue_waits() {
        let mut s = Station::new(true);
        let first = s.serve(300.0, 1, 100.0);
        assert!((s.backlog() - 200.0).abs() < 1e-9);
        assert!((first.backlog_wait_s - 2.0).abs() < 1e-9);
        assert!((first.utilization - 3.0).abs() < 1e-12);
        for _ in 0..10 {
            s.serve(300.0, 1, 100.0);
        }
        let later = s.serve(300.0, 1, 100.0);
        assert!((later.timeouts - 200.0).abs() < 1e-9);
        assert!((later.backlog_wait_s - TIMEOUT_S).abs() < 1e-9);
        let mut tasks = Station::new(false);
        for _ in 0..20 {
            tasks.serve(300.0, 1, 100.0);
        }
        assert!((tasks.backlog() - 4_000.0).abs() < 1e-9, "a queue of tasks keeps them");
        // No servers: everything offered fails.
        let none = Station::new(true).serve(5.0, 0, 100.0);
        assert_eq!(none.timeouts, 5.0);
        assert_eq!(none.timeout_share(), 1.0);
    }
}
