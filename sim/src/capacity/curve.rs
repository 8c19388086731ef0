//! The utilisation-to-latency curve of an M/M/c fleet, and its knee.
//!
//! Response times are given as multiples of the mean service time ("stretch"), so the curve
//! depends only on the number of servers `c`: at utilisation `ρ`, the mean stretch is
//! `1 + C(c, cρ) / (c(1 − ρ))`.
//!
//! **The knee** (Millsap, "Thinking Clearly About Performance", 2010; Kleinrock's "power"): the
//! utilisation at which the ratio of response time to utilisation, `R(ρ)/ρ`, is smallest,
//! i.e. where a line from the origin touches the response-time curve. Below it, extra load costs
//! little latency; above it, each extra percent of load costs more latency than it buys in
//! throughput. It is 50% for one server (`R/ρ = 1/(ρ(1−ρ))`), `1/√3 ≈ 57.7%` for two, and moves
//! right as the fleet grows, because a large pool of servers absorbs bursts. Found by
//! golden-section search (`R/ρ` has a single minimum: `R` is increasing and convex).

use serde::Serialize;

use super::mmc::MmcQueue;

/// Points on the curve: utilisation 0, 0.01, ..., 0.99.
pub const CURVE_POINTS: usize = 100;
/// Golden-section iterations for the knee (the bracket shrinks by 0.618 each time: below 1e-12
/// after 60).
const KNEE_ITERATIONS: u32 = 60;

/// One point of the utilisation-to-latency curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Utilisation `ρ`, a fraction in `[0, 1)`.
    pub utilization: f64,
    /// Mean response time (wait plus service) over the mean service time.
    pub mean_stretch: f64,
    /// 99th-percentile response time over the mean service time.
    pub p99_stretch: f64,
}

/// The curve's point at utilisation `rho` for `servers` servers, or `None` outside `[0, 1)` or for
/// an unsupported fleet.
pub fn curve_point(servers: u32, rho: f64) -> Option<CurvePoint> {
    // Service rate 1: times come out in units of the service time.
    let queue = MmcQueue::new(rho * f64::from(servers), 1.0, servers).ok()?;
    Some(CurvePoint {
        utilization: rho,
        mean_stretch: queue.mean_response_s(),
        p99_stretch: queue.response_percentile_s(0.99)?,
    })
}

/// The curve for `servers` servers at utilisation `0, 0.01, ..., 0.99` ([`CURVE_POINTS`] points);
/// empty for an unsupported fleet (0 or more than [`MAX_QUEUE_SLOTS`](super::MAX_QUEUE_SLOTS)).
pub fn latency_curve(servers: u32) -> Vec<CurvePoint> {
    (0..CURVE_POINTS)
        .filter_map(|k| curve_point(servers, k as f64 / CURVE_POINTS as f64))
        .collect()
}

/// The knee of the curve for `servers` servers (see the module docs), or `None` for an
/// unsupported fleet. May lie above 0.99 (the last curve point) for very large fleets.
pub fn knee(servers: u32) -> Option<CurvePoint> {
    let cost = |rho: f64| MmcQueue::new(rho * f64::from(servers), 1.0, servers).map(|q| q.mean_response_s() / rho);
    cost(0.5).ok()?;
    let ratio = (libm::sqrt(5.0) - 1.0) / 2.0;
    let (mut lo, mut hi) = (1e-9, 1.0 - 1e-12);
    let mut left = hi - ratio * (hi - lo);
    let mut right = lo + ratio * (hi - lo);
    let mut cost_left = cost(left).ok()?;
    let mut cost_right = cost(right).ok()?;
    for _ in 0..KNEE_ITERATIONS {
        if cost_left <= cost_right {
            hi = right;
            right = left;
            cost_right = cost_left;
            left = hi - ratio * (hi - lo);
            cost_left = cost(left).ok()?;
        } else {
            lo = left;
            left = right;
            cost_left = cost_right;
            right = lo + ratio * (hi - lo);
            cost_right = cost(right).ok()?;
        }
    }
    curve_point(servers, lo + (hi - lo) / 2.0)
}
