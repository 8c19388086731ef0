//! The Universal Scalability Law (Gunther): throughput of `N` nodes relative to one,
//! `X(N) = N / (1 + σ(N − 1) + κN(N − 1))`.
//!
//! `σ` (contention) is the serialised share of work, which caps speed-up at `1/σ` (Amdahl);
//! `κ` (coherency) is the cost of nodes keeping each other up to date, which grows with the number
//! of pairs and eventually makes throughput *fall* as nodes are added. With `κ > 0` the peak is at
//! `N* = √((1 − σ)/κ)`; with `κ = 0` there is no peak (throughput keeps rising towards `1/σ`).

use serde::Serialize;

/// At most this many points in a USL curve (longer ranges are sampled with a stride).
pub const MAX_USL_POINTS: usize = 200;
/// The longest curve drawn, in nodes.
pub const MAX_USL_NODES: u64 = 1_000_000;

/// One point of the USL curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct UslPoint {
    /// Number of nodes `N`.
    pub nodes: u64,
    /// Throughput relative to one node, `X(N)`.
    pub throughput: f64,
    /// Throughput per node relative to one node alone, `X(N)/N`.
    pub efficiency: f64,
}

/// `X(N)`, throughput of `nodes` nodes relative to one node. `σ`, `κ` in `[0, 1]` and `N >= 1`
/// give a finite, positive value; 0 for `N <= 0` or NaN.
pub fn usl_throughput(nodes: f64, sigma: f64, kappa: f64) -> f64 {
    if nodes.is_nan() || nodes <= 0.0 {
        return 0.0;
    }
    let denominator = 1.0 + sigma * (nodes - 1.0) + kappa * nodes * (nodes - 1.0);
    if denominator > 0.0 && denominator.is_finite() {
        nodes / denominator
    } else {
        0.0
    }
}

/// The number of nodes with the highest throughput, `N* = √((1 − σ)/κ)`, not less than 1.
/// `None` when `κ = 0` (no peak) or the inputs are not finite.
pub fn usl_peak_nodes(sigma: f64, kappa: f64) -> Option<f64> {
    if !(sigma.is_finite() && kappa.is_finite()) || kappa <= 0.0 {
        return None;
    }
    let peak = libm::sqrt((1.0 - sigma).max(0.0) / kappa);
    Some(peak.max(1.0))
}

/// The curve `N = 1..=max_nodes` (at most [`MAX_USL_POINTS`] points, evenly strided, always
/// including 1 and `max_nodes`; `max_nodes` is clamped to `1..=`[`MAX_USL_NODES`]).
pub fn usl_curve(sigma: f64, kappa: f64, max_nodes: u64) -> Vec<UslPoint> {
    let max_nodes = max_nodes.clamp(1, MAX_USL_NODES);
    let stride = max_nodes.div_ceil(MAX_USL_POINTS as u64).max(1);
    let mut nodes: Vec<u64> = (1..=max_nodes).step_by(stride as usize).collect();
    if nodes.last() != Some(&max_nodes) {
        nodes.push(max_nodes);
    }
    nodes
        .into_iter()
        .map(|n| {
            let throughput = usl_throughput(n as f64, sigma, kappa);
            UslPoint {
                nodes: n,
                throughput,
                efficiency: throughput / n as f64,
            }
        })
        .collect()
}
