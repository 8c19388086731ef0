//! Target mode: the smallest fleet that meets a utilisation or p99 target at peak.

use serde::Serialize;

use super::mmc::MmcQueue;
use super::queue_error::QueueError;
use super::sizing::ceil_whole;
use super::specs::{MAX_QUEUE_SERVERS, MAX_QUEUE_SLOTS};

/// The p99 of the service time alone, `ln(100) × S`, over the mean service time `S`: the lowest
/// p99 stretch any fleet can reach.
pub const SERVICE_P99_STRETCH: f64 = 4.605_170_185_988_092;

/// The smallest fleets that meet the targets, before redundancy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetFleet {
    /// The utilisation target (fraction).
    pub target_utilization: f64,
    /// Smallest number of servers with utilisation at or below the target:
    /// `⌈A / (slots per server × target)⌉`.
    pub servers_for_utilization: u64,
    /// The p99 target in ms, when set.
    pub target_p99_ms: Option<f64>,
    /// Smallest number of servers whose M/M/c p99 response time (wait plus service) is at or below
    /// the target, when the target is set and reachable.
    pub servers_for_p99: Option<u32>,
    /// Why no fleet meets the p99 target, when it is set and not met.
    pub p99_unreachable: Option<QueueError>,
    /// The lowest p99 any fleet reaches (the service time alone, `ln(100) × S`), in ms.
    pub p99_floor_ms: f64,
}

/// Smallest `c >= 1` with `offered_load / c <= target`, by a closed-form guess corrected by a
/// search over neighbouring `c` (so rounding never gives an off-by-one). `target` in `(0, 1]`;
/// a non-finite or non-positive target or load gives 1.
pub fn servers_for_utilization(offered_load: f64, target: f64) -> u64 {
    if target.is_nan() || target <= 0.0 || !offered_load.is_finite() || offered_load <= 0.0 {
        return 1;
    }
    let meets = |c: u64| offered_load / c as f64 <= target;
    let mut c = ceil_whole(offered_load / target).max(1);
    while c > 1 && meets(c - 1) {
        c -= 1;
    }
    while !meets(c) && c < u64::MAX {
        c += 1;
    }
    c
}

/// Smallest number of servers, each with `slots_per_server` request slots, whose M/M/c p99
/// response time (wait plus service) is at most `target_p99_s`: the first stable fleet `n` with
/// `P(W > target) <= 1%` for `c = n × slots_per_server` slots. More slots never make a response
/// slower, so this is a binary search over `n` (`O(log n)` Erlang B evaluations).
///
/// Errors: a rate that is not positive and finite, or no slots per server; a target at or below the
/// service time's own p99 ([`QueueError::TargetBelowServiceTime`]); no fleet up to
/// [`MAX_QUEUE_SERVERS`] servers (and [`MAX_QUEUE_SLOTS`] slots).
pub fn servers_for_p99(
    arrival_rate: f64,
    service_rate: f64,
    slots_per_server: u32,
    target_p99_s: f64,
) -> Result<u32, QueueError> {
    if !arrival_rate.is_finite() || arrival_rate < 0.0 {
        return Err(QueueError::InvalidRate { what: "arrival rate" });
    }
    if !service_rate.is_finite() || service_rate <= 0.0 {
        return Err(QueueError::InvalidRate { what: "service rate" });
    }
    if slots_per_server == 0 {
        return Err(QueueError::NoServers);
    }
    let floor_s = SERVICE_P99_STRETCH / service_rate;
    if !target_p99_s.is_finite() || target_p99_s <= floor_s {
        return Err(QueueError::TargetBelowServiceTime {
            floor_ms: floor_s * 1_000.0,
        });
    }
    let per_server = f64::from(slots_per_server);
    let offered_load = arrival_rate / service_rate;
    let most = MAX_QUEUE_SERVERS.min(MAX_QUEUE_SLOTS / slots_per_server);
    // The fewest servers with a steady state: n × slots > A.
    let fewest = libm::floor(offered_load / per_server) + 1.0;
    if !fewest.is_finite() || fewest > f64::from(most) {
        return Err(QueueError::TargetNeedsTooManyServers);
    }
    let meets = |n: u32| {
        MmcQueue::new(arrival_rate, service_rate, n * slots_per_server)
            .is_ok_and(|q| q.response_survival(target_p99_s) <= 0.01)
    };
    let (mut lo, mut hi) = (fewest as u32, most);
    if !meets(hi) {
        return Err(QueueError::TargetNeedsTooManyServers);
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utilization_target_is_exact_at_the_boundary() {
        assert_eq!(servers_for_utilization(2.0, 0.5), 4);
        assert_eq!(servers_for_utilization(2.0, 0.7), 3);
        assert_eq!(servers_for_utilization(0.0, 0.7), 1);
        assert_eq!(servers_for_utilization(2.0, f64::NAN), 1);
        assert!((SERVICE_P99_STRETCH - libm::log(100.0)).abs() < 1e-15);
    }
}
