//! Serverless: one instance per concurrent request, each new one a cold start, idle ones
//! reclaimed after [`KEEP_WARM_S`], billed per busy request-second.
//!
//! Each second the concurrency is `N = ceil(arrivals / instance_rps)` (Little's law: requests in
//! flight = rate × service time, rounded up; capped at `max_replicas`, the concurrency limit,
//! beyond which requests are throttled, errors). The pool holds warm instances and instances
//! still starting; when `N` exceeds it, the `N − pool` missing ones start cold and take
//! `startup_s` to start. So the cold starts of a run add up to the new peaks of concurrency above
//! what is still in the pool.
//!
//! While instances start, the share of the traffic they are for, `(N − ready) / N`, waits for
//! them: until the newest started one is ready (its requests fail if that is longer than
//! [`TIMEOUT_S`]); the rest is served at once by the ready instances. The second's p99 is that of
//! the mixture (service `Exp(instance_rps)`, plus the wait for the waiting share). Simplification:
//! requests waiting for a start do not pile up; each starting instance takes its share once up.
//!
//! Instance `k` (counting from 0) was last busy in the last second with `N > k`; as those times
//! fall with `k`, the pool is a short list of `(top level, last busy)` segments and reclaiming
//! the idle top costs O(1) amortised per second. Starting instances sit at the top and are
//! grouped by the second they are ready. `min_replicas` instances are provisioned: always warm,
//! billed by the hour.

use std::collections::VecDeque;

use super::serving::TIMEOUT_S;

/// An idle serverless instance is reclaimed after this many seconds.
pub const KEEP_WARM_S: u64 = 300;

/// What one second of the serverless platform did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ServerlessSecond {
    /// Requests that arrived.
    pub arrivals: f64,
    /// Requests completed.
    pub served: f64,
    /// Requests throttled (over the concurrency limit) or timed out in a cold start.
    pub errors: f64,
    /// Concurrency needed this second (before the limit).
    pub concurrency: u32,
    /// Instances started cold this second.
    pub cold_starts: u32,
    /// Instances in the pool after the second, warm or starting.
    pub warm: u32,
    /// Of those, the ones ready (warm).
    pub ready: u32,
    /// Busy share of the warm instances, 0..=1.
    pub utilization: f64,
    /// p99 response time, seconds.
    pub p99_s: f64,
    /// Busy request-seconds (what is billed).
    pub busy_s: f64,
}

/// The pool of warm serverless instances.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WarmPool {
    /// `(top level, last busy second)`: levels below `top` and at or above the previous segment's
    /// top were last busy then; tops rise and times fall from front to back.
    segments: VecDeque<(u32, u64)>,
    /// Instances still starting, `(second they are ready, how many)`, in time order (the top
    /// levels of the pool).
    starting: VecDeque<(u64, u32)>,
    starting_total: u32,
}

impl WarmPool {
    /// Instances in the pool, warm or starting (on demand, not counting provisioned ones).
    pub fn size(&self) -> u32 {
        self.segments.back().map_or(0, |&(top, _)| top)
    }

    /// Instances still starting.
    pub fn starting(&self) -> u32 {
        self.starting_total
    }

    /// Ends the starts due by `now_s`; drops starts whose instances were reclaimed or killed (the
    /// starting ones are the top of the pool).
    fn settle_starts(&mut self, now_s: u64) {
        while self.starting.front().is_some_and(|&(at, _)| at <= now_s) {
            if let Some((_, n)) = self.starting.pop_front() {
                self.starting_total -= n;
            }
        }
        let mut excess = self.starting_total.saturating_sub(self.size());
        while excess > 0 {
            let Some(back) = self.starting.back_mut() else {
                break;
            };
            let n = back.1.min(excess);
            back.1 -= n;
            self.starting_total -= n;
            excess -= n;
            if back.1 == 0 {
                self.starting.pop_back();
            }
        }
    }

    /// Segments held (bounded by the distinct concurrency peaks of [`KEEP_WARM_S`]).
    pub fn segments(&self) -> usize {
        self.segments.len()
    }

    /// Reclaims instances idle for [`KEEP_WARM_S`] or more at `now_s`.
    fn reclaim(&mut self, now_s: u64) {
        while self.segments.back().is_some_and(|&(_, t)| t + KEEP_WARM_S <= now_s) {
            self.segments.pop_back();
        }
    }

    /// Marks the lowest `n` instances busy at `now_s`.
    fn use_lowest(&mut self, n: u32, now_s: u64) {
        if n == 0 {
            return;
        }
        while self.segments.front().is_some_and(|&(top, _)| top <= n) {
            self.segments.pop_front();
        }
        self.segments.push_front((n, now_s));
    }

    /// Drops the pool's top instance (killed; a starting one if any); the next request over the
    /// pool starts cold.
    pub fn kill(&mut self) -> bool {
        let len = self.segments.len();
        let below = len.checked_sub(2).and_then(|i| self.segments.get(i)).map_or(0, |s| s.0);
        let Some(back) = self.segments.back_mut() else {
            return false;
        };
        back.0 -= 1;
        if back.0 <= below {
            self.segments.pop_back();
        }
        true
    }

    /// One second at `now_s`: `arrivals` requests of `1 / instance_rps` s each, `provisioned`
    /// instances always warm, at most `limit` concurrent, cold starts of `startup_s`.
    pub fn serve(
        &mut self,
        now_s: u64,
        arrivals: f64,
        instance_rps: f64,
        provisioned: u32,
        limit: u32,
        startup_s: u32,
    ) -> ServerlessSecond {
        self.reclaim(now_s);
        self.settle_starts(now_s);
        let offered = arrivals / instance_rps;
        let needed = libm::ceil(offered - 1e-9).max(0.0);
        let concurrency = if needed >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            needed as u32
        };
        let running = concurrency.min(limit);
        let throttled = if concurrency > limit && offered > 0.0 {
            arrivals * (1.0 - f64::from(limit) / offered).max(0.0)
        } else {
            0.0
        };
        let pool_before = self.size().max(provisioned);
        let cold = running.saturating_sub(pool_before);
        self.use_lowest(running, now_s);
        if cold > 0 {
            let at = now_s + u64::from(startup_s);
            match self.starting.back_mut() {
                Some((t, n)) if *t == at => *n += cold,
                _ => self.starting.push_back((at, cold)),
            }
            self.starting_total += cold;
        }
        self.settle_starts(now_s);
        let pool = self.size().max(provisioned);
        let ready = pool - self.starting_total.min(pool);
        let accepted = arrivals - throttled;
        let waiting_share = if running > ready && running > 0 {
            f64::from(running - ready) / f64::from(running)
        } else {
            0.0
        };
        let wait = self.starting.back().map_or(0.0, |&(at, _)| (at - now_s) as f64);
        let waiting = accepted * waiting_share;
        let timed_out = if wait >= TIMEOUT_S { waiting } else { 0.0 };
        let served = accepted - timed_out;
        let errors = throttled + timed_out;
        let p99_s = if arrivals > 0.0 && errors / arrivals >= 0.01 {
            TIMEOUT_S
        } else {
            cold_mixture_p99(waiting_share, instance_rps, wait).min(TIMEOUT_S)
        };
        ServerlessSecond {
            arrivals,
            served,
            errors,
            concurrency,
            cold_starts: cold,
            warm: pool,
            ready,
            utilization: if ready > 0 {
                (offered.min(f64::from(limit)) / f64::from(ready)).min(1.0)
            } else {
                0.0
            },
            p99_s,
            busy_s: served / instance_rps,
        }
    }
}

/// p99 of a response time that is `Exp(μ)` service, plus `startup` s for a share `f` of the
/// requests (the cold ones): the `t` with `(1 − f) e^(−μt) + f P(startup + Exp(μ) > t) = 0.01`.
fn cold_mixture_p99(f: f64, mu: f64, startup: f64) -> f64 {
    let tail = 0.01;
    let f = f.clamp(0.0, 1.0);
    if f < tail {
        // Is it reached before the cold ones finish starting?
        let t = libm::log((1.0 - f) / (tail - f)) / mu;
        if t < startup {
            return t;
        }
    }
    // t >= startup: e^(−μt) ((1 − f) + f e^(μ startup)) = 0.01, in log space.
    startup + (libm::log(f + (1.0 - f) * libm::exp(-mu * startup)) - libm::log(tail)) / mu
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cold_starts_are_new_peaks_within_keep_warm() {
        let mut pool = WarmPool::default();
        let a = pool.serve(0, 300.0, 100.0, 0, 1_000, 1);
        assert_eq!((a.concurrency, a.cold_starts, a.warm), (3, 3, 3));
        let b = pool.serve(1, 100.0, 100.0, 0, 1_000, 1);
        assert_eq!((b.cold_starts, b.warm), (0, 3));
        let c = pool.serve(2, 500.0, 100.0, 0, 1_000, 1);
        assert_eq!((c.cold_starts, c.warm), (2, 5));
        // Levels 1..5 idle since second 2; level 0 busy until 1,000.
        for t in 3..1_000 {
            pool.serve(t, 100.0, 100.0, 0, 1_000, 1);
        }
        assert_eq!(pool.size(), 1);
        assert!(pool.segments() <= 2);
    }

    #[test]
    fn mixture_p99() {
        // No cold start: Exp(100) p99 = ln(100) / 100.
        assert!((cold_mixture_p99(0.0, 100.0, 1.0) - libm::log(100.0) / 100.0).abs() < 1e-12);
        // All cold: startup + ln(100)/μ.
        assert!((cold_mixture_p99(1.0, 100.0, 1.0) - (1.0 + libm::log(100.0) / 100.0)).abs() < 1e-9);
    }

    #[test]
    fn throttles_over_the_limit() {
        let mut pool = WarmPool::default();
        let s = pool.serve(0, 1_000.0, 100.0, 0, 5, 0);
        assert_eq!(s.warm, 5);
        assert!((s.errors - 500.0).abs() < 1e-9);
    }
}
