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
//!   the fluid backlog takes over. `ρ` is rounded to a step of 1/[`RHO_STEPS`] (so a noisy but
//!   steady load reuses a handful of Erlang C results from a cache; p99 moves by well under 1%).
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

/// Steps of utilisation the M/M/c term is evaluated at: `ρ` is rounded to the nearest
/// 1/[`RHO_STEPS`] (0.024%) so repeated loads reuse one Erlang C computation.
pub const RHO_STEPS: f64 = 4_096.0;
/// Entries of the M/M/c cache (direct-mapped, allocated once).
const CACHE_SLOTS: usize = 1_024;

/// One cached M/M/c result: `(servers, ρ step, p99 s, mean queue)`.
type CacheEntry = (u32, u32, f64, f64);

/// The servers' queue: the fluid backlog carried from second to second, and a cache of M/M/c
/// results keyed by (servers, utilisation step). A result depends only on its key, so the cache
/// changes the speed, never the numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerQueue {
    backlog: f64,
    cache: Vec<CacheEntry>,
}

impl Default for ServerQueue {
    fn default() -> Self {
        Self {
            backlog: 0.0,
            cache: vec![(0, 0, 0.0, 0.0); CACHE_SLOTS],
        }
    }
}

impl ServerQueue {
    /// Requests in the fluid backlog.
    pub fn backlog(&self) -> f64 {
        self.backlog
    }

    /// M/M/c p99 (s) and mean queue for `c` servers of `mu` at utilisation `rho` (rounded to a
    /// step of 1/[`RHO_STEPS`], at most [`RHO_CAP`]).
    fn random_part(&mut self, rho: f64, mu: f64, c: u32) -> (f64, f64) {
        let step = libm::round(rho.clamp(0.0, RHO_CAP) * RHO_STEPS) as u32;
        let slot = (c.wrapping_mul(0x9E37_79B1) ^ step.wrapping_mul(0x85EB_CA6B)) as usize % CACHE_SLOTS;
        if let Some(&(kc, ks, p99, lq)) = self.cache.get(slot) {
            if kc == c && ks == step && c > 0 {
                return (p99, lq);
            }
        }
        let lambda = f64::from(step) / RHO_STEPS * f64::from(c) * mu;
        let (p99, lq) = match MmcQueue::new(lambda, mu, c) {
            Ok(q) => (
                q.response_percentile_s(0.99).unwrap_or(TIMEOUT_S),
                q.mean_queue_length(),
            ),
            Err(_) => (TIMEOUT_S, 0.0),
        };
        if let Some(entry) = self.cache.get_mut(slot) {
            *entry = (c, step, p99, lq);
        }
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
        let (random_p99, lq) = self.random_part(arrivals / capacity, instance_rps, ready);
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_capacity_is_mmc() {
        let mut q = ServerQueue::default();
        let s = q.serve(70.0, 1, 100.0);
        // M/M/1 at ρ = 0.7: p99 = ln(100) / (μ − λ) = 4.605 / 30 s; ρ is rounded to 1/4096, so
        // within 0.1%.
        let exact = libm::log(100.0) / 30.0;
        assert!((s.p99_s - exact).abs() < 1e-3 * exact, "{}", s.p99_s);
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
