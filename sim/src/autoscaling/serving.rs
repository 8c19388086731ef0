//! One second of the servers' work: a fluid backlog for overload plus the capacity lab's M/M/c
//! queue for the random waits (see the module docs of [`super`] for why).
//!
//! With `c` ready instances of capacity `μ` requests/s each, `C = c μ`:
//!
//! - **Backlog (fluid).** `q₁ = q₀ + arrivals − served`, `served = min(q₀ + arrivals, C)`.
//!   A request finding `q` ahead of it waits `q / C`; a request that would wait longer than
//!   [`TIMEOUT_S`] times out, so the backlog holds at most `C × TIMEOUT_S` and the rest are errors
//!   (with no ready instance everything is).
//! - **Random waits (M/M/c).** Arrivals are Poisson and service exponential with mean `1/μ`, so
//!   below saturation each second's p99 is the M/M/c response-time p99
//!   ([`MmcQueue::response_percentile_s`]) at `λ = min(arrivals, ρ_max C)` with
//!   `ρ_max` = [`RHO_CAP`]: the steady state is not reached within a second near saturation, where
//!   the fluid backlog takes over.
//! - **p99 of the second** = `max(q₀, q₁) / C` + the M/M/c p99, or [`TIMEOUT_S`] when 1% or more
//!   of the second's requests time out. **Waiting** = `q₁` + the M/M/c mean queue `Lq`.
//!   **Utilisation** = `served / C`.

use crate::capacity::MmcQueue;

/// A request waiting longer than this times out, seconds.
pub const TIMEOUT_S: f64 = 10.0;
/// The highest utilisation the M/M/c term is evaluated at (beyond it the fluid backlog models the
/// wait).
pub const RHO_CAP: f64 = 0.98;

/// What one second of serving did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Served {
    /// Requests that arrived.
    pub arrivals: f64,
    /// Requests completed.
    pub served: f64,
    /// Requests that timed out (errors).
    pub errors: f64,
    /// Busy share of the ready capacity, 0..=1.
    pub utilization: f64,
    /// p99 response time of the second, seconds.
    pub p99_s: f64,
    /// Requests waiting at the end of the second (backlog plus the M/M/c mean queue).
    pub waiting: f64,
    /// Ready instances that served.
    pub ready: u32,
}

/// The servers' queue: the fluid backlog carried from second to second, and the last M/M/c
/// result (reused while the load and fleet stay the same).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerQueue {
    backlog: f64,
    cached: Option<(u32, u64, f64, f64)>,
}

impl ServerQueue {
    /// Requests in the fluid backlog.
    pub fn backlog(&self) -> f64 {
        self.backlog
    }

    /// M/M/c p99 (s) and mean queue for `c` servers at `lambda`, cached for a repeated input.
    fn random_part(&mut self, lambda: f64, mu: f64, c: u32) -> (f64, f64) {
        let key = (c, lambda.to_bits());
        if let Some((kc, kl, p99, lq)) = self.cached {
            if (kc, kl) == key {
                return (p99, lq);
            }
        }
        let (p99, lq) = match MmcQueue::new(lambda, mu, c) {
            Ok(q) => (
                q.response_percentile_s(0.99).unwrap_or(TIMEOUT_S),
                q.mean_queue_length(),
            ),
            Err(_) => (TIMEOUT_S, 0.0),
        };
        self.cached = Some((key.0, key.1, p99, lq));
        (p99, lq)
    }

    /// Serves one second: `arrivals` requests reach `ready` instances of `instance_rps` each.
    pub fn serve(&mut self, arrivals: f64, ready: u32, instance_rps: f64) -> Served {
        let capacity = f64::from(ready) * instance_rps;
        let q0 = self.backlog;
        let total = q0 + arrivals;
        let served = total.min(capacity);
        let mut q1 = total - served;
        let cap = capacity * TIMEOUT_S;
        let errors = (q1 - cap).max(0.0);
        q1 = q1.min(cap);
        self.backlog = q1;
        if ready == 0 || capacity <= 0.0 {
            return Served {
                arrivals,
                served: 0.0,
                errors,
                utilization: 0.0,
                p99_s: TIMEOUT_S,
                waiting: 0.0,
                ready,
            };
        }
        let lambda = arrivals.min(RHO_CAP * capacity);
        let (random_p99, lq) = self.random_part(lambda, instance_rps, ready);
        let finished = served + errors;
        let p99_s = if finished > 0.0 && errors / finished >= 0.01 {
            TIMEOUT_S
        } else {
            (q0.max(q1) / capacity + random_p99).min(TIMEOUT_S)
        };
        Served {
            arrivals,
            served,
            errors,
            utilization: (served / capacity).clamp(0.0, 1.0),
            p99_s,
            waiting: q1 + lq,
            ready,
        }
    }

    /// Drops the backlog (a restart).
    pub fn clear(&mut self) {
        self.backlog = 0.0;
        self.cached = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_capacity_is_mmc() {
        let mut q = ServerQueue::default();
        let s = q.serve(70.0, 1, 100.0);
        // M/M/1 at ρ = 0.7: p99 = ln(100) / (μ − λ) = 4.605 / 30 s.
        assert!((s.p99_s - libm::log(100.0) / 30.0).abs() < 1e-6, "{}", s.p99_s);
        assert!((s.utilization - 0.7).abs() < 1e-12);
        assert_eq!(s.errors, 0.0);
    }

    #[test]
    fn overload_queues_then_times_out() {
        let mut q = ServerQueue::default();
        let first = q.serve(300.0, 1, 100.0);
        assert_eq!(first.served, 100.0);
        assert!((q.backlog() - 200.0).abs() < 1e-9);
        assert!(first.p99_s > 2.0);
        for _ in 0..10 {
            q.serve(300.0, 1, 100.0);
        }
        assert!((q.backlog() - 1_000.0).abs() < 1e-9, "capped at C × timeout");
        let s = q.serve(300.0, 1, 100.0);
        assert!((s.errors - 200.0).abs() < 1e-9);
        assert_eq!(s.p99_s, TIMEOUT_S);
    }
}
