//! A region's response times in one second: a mixture of request classes (static files, reads
//! that hit or miss the cache, writes; plain, with a slow task, or with the third-party call),
//! each a fixed part plus a random part.
//!
//! A class's fixed part is its network round trip, the load balancer, cache and third-party
//! times, the slow task or its enqueueing, and the backlogs' waits. Its random part is the
//! response time of the stations it visits, each an M/M/c queue
//! ([`crate::capacity::MmcQueue::response_survival`], exact); for a class that visits two (the
//! app servers, then a database node) the one with the larger mean keeps its distribution and the
//! other counts at its mean (an approximation: the sum of two such times has a slightly longer
//! tail). The region's response time survives `t` with `Σ w_c P(T_c > t) / Σ w_c` over the
//! requests that succeed, and its p99 is found by bisection.

use crate::capacity::MmcQueue;

/// Classes per user region: static, then read hit, read miss and write, each plain, with a slow
/// task or with the third-party call.
pub const CLASSES: usize = 10;
/// Bisection steps for a percentile (60 s / 2^26 ≈ 1 µs).
const BISECTION_STEPS: u32 = 26;
/// The longest response time searched, seconds.
const MAX_RESPONSE_S: f64 = 60.0;

/// One class of requests in one second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClassLatency {
    /// Requests per second of this class that succeed.
    pub rate: f64,
    /// Its fixed part, seconds.
    pub fixed_s: f64,
    /// The station whose full distribution counts (`None`: no random part).
    pub random: Option<MmcQueue>,
}

impl ClassLatency {
    /// `P(T > t)`.
    pub fn survival(&self, t_s: f64) -> f64 {
        let after = t_s - self.fixed_s;
        if after < 0.0 {
            return 1.0;
        }
        match self.random {
            Some(q) => q.response_survival(after),
            None => 0.0,
        }
    }
}

/// The classes of one user region in one second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RegionLatency {
    /// The classes (unused ones have rate 0).
    pub classes: [ClassLatency; CLASSES],
}

impl RegionLatency {
    /// Requests per second that succeed.
    pub fn rate(&self) -> f64 {
        self.classes.iter().map(|c| c.rate).sum()
    }

    /// Share of the successful requests slower than `t_s` seconds (0 without requests).
    pub fn share_slower(&self, t_s: f64) -> f64 {
        let total = self.rate();
        if total <= 0.0 {
            return 0.0;
        }
        let slow: f64 = self
            .classes
            .iter()
            .filter(|c| c.rate > 0.0)
            .map(|c| c.rate * c.survival(t_s))
            .sum();
        (slow / total).clamp(0.0, 1.0)
    }

    /// The `p` quantile of the response time, seconds (0 without requests; at most 60 s).
    pub fn percentile_s(&self, p: f64) -> f64 {
        if self.rate() <= 0.0 || !(0.0..1.0).contains(&p) {
            return 0.0;
        }
        let tail = 1.0 - p;
        let (mut lo, mut hi) = (0.0, MAX_RESPONSE_S);
        if self.share_slower(hi) > tail {
            return hi;
        }
        for _ in 0..BISECTION_STEPS {
            let mid = 0.5 * (lo + hi);
            if self.share_slower(mid) > tail {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }
}

/// The fixed part a second station adds at its mean, and the station that keeps its
/// distribution: of the app's and the database's response, the one with the larger mean is
/// random, the other is added as a constant.
pub fn combine(first: Option<(MmcQueue, f64)>, second: Option<(MmcQueue, f64)>) -> (Option<MmcQueue>, f64) {
    match (first, second) {
        (None, None) => (None, 0.0),
        (Some((q, _)), None) | (None, Some((q, _))) => (Some(q), 0.0),
        (Some((a, ma)), Some((b, mb))) => {
            if ma >= mb {
                (Some(a), mb)
            } else {
                (Some(b), ma)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_fixed_and_queueing_classes() {
        let mut r = RegionLatency::default();
        assert_eq!(r.percentile_s(0.99), 0.0);
        // 99% at 50 ms, 1% at 2 s: the p99 sits at the edge, the p98 at 50 ms.
        r.classes[0] = ClassLatency {
            rate: 98.0,
            fixed_s: 0.05,
            random: None,
        };
        r.classes[1] = ClassLatency {
            rate: 2.0,
            fixed_s: 2.0,
            random: None,
        };
        assert!((r.percentile_s(0.97) - 0.05).abs() < 1e-6);
        assert!((r.percentile_s(0.99) - 2.0).abs() < 1e-6);
        assert!((r.share_slower(0.2) - 0.02).abs() < 1e-12);
        // One M/M/1 class: its p99 is the capacity lab's, shifted by the fixed part.
        let q = MmcQueue::new(70.0, 100.0, 1).expect("stable");
        let one = RegionLatency {
            classes: [ClassLatency {
                rate: 70.0,
                fixed_s: 0.05,
                random: Some(q),
            }; CLASSES],
        };
        let want = 0.05 + q.response_percentile_s(0.99).expect("a percentile");
        assert!(
            (one.percentile_s(0.99) - want).abs() < 1e-6,
            "{}",
            one.percentile_s(0.99)
        );
    }

    #[test]
    fn the_slower_station_keeps_its_distribution() {
        let fast = MmcQueue::new(10.0, 1_000.0, 4).expect("stable");
        let slow = MmcQueue::new(10.0, 100.0, 1).expect("stable");
        let (q, add) = combine(
            Some((fast, fast.mean_response_s())),
            Some((slow, slow.mean_response_s())),
        );
        assert_eq!(q, Some(slow));
        assert!((add - fast.mean_response_s()).abs() < 1e-15);
        assert_eq!(combine(None, None), (None, 0.0));
    }
}
