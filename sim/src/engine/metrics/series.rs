//! A bounded time series for charts: an hour-long run fits in a fixed number of points.

use crate::ConfigError;

/// Default number of points kept by [`TimeSeries::default`].
const DEFAULT_CAPACITY: usize = 512;
/// Largest capacity accepted.
const MAX_CAPACITY: usize = 1_000_000;
/// Smallest capacity accepted (the first point plus at least two to merge).
const MIN_CAPACITY: usize = 4;

/// `(time in seconds, value)` points for a line chart, with memory bounded by a fixed capacity.
///
/// While there is room every push is its own point. When the series is full it halves itself:
/// the first point is kept as is (so the chart always starts at the run's first sample), and the
/// following points are merged in adjacent pairs (weighted-average value, later time). The
/// *stride*, the number of raw pushes one point stands for, then doubles: later pushes are averaged
/// into the last point until it holds a full stride. The last point always carries the latest
/// pushed time, so the chart always ends at "now". The shape is kept; only resolution is lost.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeSeries {
    capacity: usize,
    points: Vec<(f64, f64)>,
    /// How many raw pushes each point holds (parallel to `points`).
    weights: Vec<u64>,
    stride: u64,
}

impl TimeSeries {
    /// An empty series keeping at most `capacity` points (`4..=1_000_000`; default 512).
    pub fn new(capacity: usize) -> Result<Self, ConfigError> {
        if !(MIN_CAPACITY..=MAX_CAPACITY).contains(&capacity) {
            return Err(ConfigError::new(
                "capacity",
                format!("must be between {MIN_CAPACITY} and {MAX_CAPACITY}"),
            ));
        }
        Ok(Self {
            capacity,
            points: Vec::with_capacity(capacity),
            weights: Vec::with_capacity(capacity),
            stride: 1,
        })
    }

    /// Appends a value observed at `t_secs` (simulated seconds; pushes are expected in time order).
    /// A point with a NaN or infinite time or value is ignored.
    pub fn push(&mut self, t_secs: f64, value: f64) {
        if !t_secs.is_finite() || !value.is_finite() {
            return;
        }
        // The first point stays alone; later pushes fill the last point up to a full stride.
        if self.points.len() > 1 {
            let last = self.points.len() - 1;
            let w = self.weights[last];
            if w < self.stride {
                let (_, old) = self.points[last];
                let merged = (old * w as f64 + value) / (w + 1) as f64;
                self.points[last] = (t_secs, merged);
                self.weights[last] = w + 1;
                return;
            }
        }
        if self.points.len() >= self.capacity {
            self.halve();
        }
        self.points.push((t_secs, value));
        self.weights.push(1);
    }

    /// Merges the points after the first in adjacent pairs and doubles the stride.
    fn halve(&mut self) {
        let mut write = 1;
        let mut read = 1;
        while read < self.points.len() {
            if read + 1 < self.points.len() {
                let (_, va) = self.points[read];
                let (tb, vb) = self.points[read + 1];
                let (wa, wb) = (self.weights[read], self.weights[read + 1]);
                let w = wa.saturating_add(wb);
                let v = (va * wa as f64 + vb * wb as f64) / w as f64;
                self.points[write] = (tb, v);
                self.weights[write] = w;
                read += 2;
            } else {
                self.points[write] = self.points[read];
                self.weights[write] = self.weights[read];
                read += 1;
            }
            write += 1;
        }
        self.points.truncate(write);
        self.weights.truncate(write);
        self.stride = self.stride.saturating_mul(2);
    }

    /// The points, `(time in seconds, value)`, in push order.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// The last point (its time is the latest pushed time), if any.
    pub fn last(&self) -> Option<(f64, f64)> {
        self.points.last().copied()
    }

    /// The number of points (at most the capacity).
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether no point has been pushed.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The most points kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many raw pushes a (full) point now stands for: 1, then doubling with each halving.
    pub fn stride(&self) -> u64 {
        self.stride
    }

    /// Removes every point and resets the stride to 1; the capacity stays.
    pub fn clear(&mut self) {
        self.points.clear();
        self.weights.clear();
        self.stride = 1;
    }
}

impl Default for TimeSeries {
    /// An empty series of capacity 512.
    fn default() -> Self {
        Self {
            capacity: DEFAULT_CAPACITY,
            points: Vec::new(),
            weights: Vec::new(),
            stride: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_capacity() {
        assert!(TimeSeries::new(0).is_err());
        assert!(TimeSeries::new(3).is_err());
        assert!(TimeSeries::new(MAX_CAPACITY + 1).is_err());
        assert!(TimeSeries::new(4).is_ok());
    }

    #[test]
    fn keeps_raw_points_until_full_then_halves() {
        let mut s = TimeSeries::new(8).unwrap();
        for i in 0..8 {
            s.push(i as f64, i as f64 * 10.0);
        }
        assert_eq!(s.len(), 8);
        assert_eq!(s.stride(), 1);
        s.push(8.0, 80.0);
        // First kept; (1,2) (3,4) (5,6) merged; 7 alone; then 8 appended.
        assert_eq!(s.stride(), 2);
        assert_eq!(
            s.points(),
            &[
                (0.0, 0.0),
                (2.0, 15.0),
                (4.0, 35.0),
                (6.0, 55.0),
                (7.0, 70.0),
                (8.0, 80.0)
            ]
        );
        // 7 has weight 1 < stride 2 but is no longer last; 8 absorbs the next push.
        s.push(9.0, 90.0);
        assert_eq!(s.last(), Some((9.0, 85.0)));
        assert_eq!(s.len(), 6);
    }

    #[test]
    fn ignores_non_finite_and_clears() {
        let mut s = TimeSeries::default();
        assert_eq!(s.capacity(), 512);
        s.push(f64::NAN, 1.0);
        s.push(1.0, f64::INFINITY);
        assert!(s.is_empty());
        s.push(1.0, 2.0);
        assert_eq!(s.len(), 1);
        s.clear();
        assert!(s.is_empty());
        assert_eq!(s.last(), None);
    }

    #[test]
    fn average_of_all_pushes_is_preserved() {
        let mut s = TimeSeries::new(16).unwrap();
        let n = 10_000;
        for i in 0..n {
            s.push(i as f64, (i % 7) as f64);
        }
        let total: f64 = s
            .points()
            .iter()
            .zip(&s.weights)
            .map(|(&(_, v), &w)| v * w as f64)
            .sum();
        let raw: f64 = (0..n).map(|i| (i % 7) as f64).sum();
        assert!((total - raw).abs() < 1e-6 * raw, "{total} vs {raw}");
        assert_eq!(s.weights.iter().sum::<u64>(), n as u64);
    }
}
