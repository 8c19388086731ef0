//! What the M/M/c simulation reports: plain data for the metrics panel and charts.

use serde::Serialize;

use crate::engine::Histogram;

/// Most bins in the response-time histogram chart (few enough that every bar gets a label).
pub const HISTOGRAM_BINS: usize = 16;

/// One bar of the response-time histogram.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct HistogramBin {
    /// Lower edge, ms.
    pub lower_ms: f64,
    /// Upper edge, ms.
    pub upper_ms: f64,
    /// Requests whose response time fell in `[lower, upper)`.
    pub count: u64,
}

/// The simulation's state and statistics. Statistics cover the time since the start or the last
/// [`reset_statistics`](super::QueueSim::reset_statistics).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimSnapshot {
    /// Simulated time since the simulation started, seconds.
    pub time_s: f64,
    /// Simulated time the statistics cover, seconds.
    pub measured_s: f64,
    /// Request slots `c` (servers × concurrent requests per server).
    pub slots: u32,
    /// Utilisation the arrivals offer, `λ·S / c`.
    pub offered_utilization: f64,
    /// Whether the offered utilisation is at least 1: arrivals outpace service, the queue only
    /// stops growing at its capacity.
    pub unstable: bool,
    /// Requests arrived.
    pub arrivals: u64,
    /// Requests completed.
    pub completed: u64,
    /// Requests dropped because the queue was full.
    pub dropped: u64,
    /// Slots busy now (requests in service).
    pub in_service: u32,
    /// Requests waiting now.
    pub queue_length: u64,
    /// Most requests waiting at once.
    pub max_queue_length: u64,
    /// Most requests that may wait at once.
    pub queue_capacity: u32,
    /// Measured utilisation: busy slot time over `c ×` elapsed time.
    pub utilization: f64,
    /// Share of completed requests that waited for a slot.
    pub wait_probability: f64,
    /// Mean wait in the queue of completed requests, ms.
    pub mean_wait_ms: f64,
    /// Mean response time (wait plus service) of completed requests, ms.
    pub mean_response_ms: f64,
    /// Median response time, ms (`None` before the first completion).
    pub p50_ms: Option<f64>,
    /// 99th-percentile response time, ms (`None` before the first completion).
    pub p99_ms: Option<f64>,
    /// Response-time histogram from 0 to a little above the 99.9th percentile.
    pub response_histogram: Vec<HistogramBin>,
    /// Completed requests slower than the histogram's last bin.
    pub response_overflow: u64,
    /// Requests waiting over time: `(simulated seconds, queue length)`, bounded in length.
    pub queue_length_series: Vec<(f64, f64)>,
    /// Utilisation over time, averaged over each sampling interval: `(simulated seconds, fraction)`.
    pub utilization_series: Vec<(f64, f64)>,
}

/// Re-bins `histogram` (values in units of the service time) into at most [`HISTOGRAM_BINS`] equal
/// bins in ms whose width is a round number (1, 2, 2.5 or 5 × a power of ten ms), up to 5% above its
/// 99.9th percentile; returns the bins and the count beyond them.
pub(super) fn response_bins(histogram: &Histogram, service_ms: f64) -> (Vec<HistogramBin>, u64) {
    if histogram.count() == 0 || !(service_ms.is_finite() && service_ms > 0.0) {
        return (Vec::new(), 0);
    }
    let top = histogram.percentile(99.9).max(histogram.min()) * 1.05;
    let top_ms = if top > 0.0 { top * service_ms } else { service_ms };
    let width_ms = round_width(top_ms / HISTOGRAM_BINS as f64);
    let bins = (libm::ceil(top_ms / width_ms) as usize).clamp(1, HISTOGRAM_BINS);
    let mut counts = [0u64; HISTOGRAM_BINS];
    let mut overflow = 0u64;
    for (lower, upper, count) in histogram.buckets() {
        let mid = if lower == 0.0 {
            0.0
        } else {
            lower + (upper - lower) / 2.0
        };
        let index = (mid * service_ms / width_ms) as usize;
        match counts.get_mut(index).filter(|_| index < bins) {
            Some(slot) => *slot = slot.saturating_add(count),
            None => overflow = overflow.saturating_add(count),
        }
    }
    let bins = counts
        .iter()
        .take(bins)
        .enumerate()
        .map(|(i, &count)| HistogramBin {
            lower_ms: i as f64 * width_ms,
            upper_ms: (i + 1) as f64 * width_ms,
            count,
        })
        .collect();
    (bins, overflow)
}

/// The smallest round width (1, 2, 2.5 or 5 × a power of ten) at least `raw` (> 0).
fn round_width(raw: f64) -> f64 {
    let power = libm::pow(10.0, libm::floor(libm::log10(raw)));
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|w| *w >= raw)
        .unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::round_width;

    #[test]
    fn widths_are_round() {
        assert_eq!(round_width(22.6), 25.0);
        assert_eq!(round_width(3.0), 5.0);
        assert_eq!(round_width(0.7), 1.0);
        assert_eq!(round_width(100.0), 100.0);
    }
}
