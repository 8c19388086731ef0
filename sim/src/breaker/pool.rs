//! The caller's pool of threads: how many calls it has in flight, its peak, and how busy it was
//! during the outage.

use crate::engine::SimTime;

/// The caller's bounded pool of concurrent calls. Busy time is integrated exactly (thread·µs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pool {
    size: u32,
    busy: u32,
    peak: u32,
    /// Most busy at once since the last chart sample.
    interval_peak: u32,
    /// When `busy` last changed or the areas were last brought up to date (µs).
    last_change: SimTime,
    /// Busy thread·µs during the outage so far (since `measured_from`).
    outage_area: u128,
    /// When the peak and the outage usage started counting (µs): 0, or the last restart.
    measured_from: SimTime,
}

impl Pool {
    /// An idle pool of `size` threads.
    pub(crate) fn new(size: u32) -> Self {
        Self {
            size,
            busy: 0,
            peak: 0,
            interval_peak: 0,
            last_change: 0,
            outage_area: 0,
            measured_from: 0,
        }
    }

    /// Brings the busy-time integral up to `now`, counting the part inside `outage` (`[start, end)`).
    pub(crate) fn advance(&mut self, now: SimTime, outage: Option<(SimTime, SimTime)>) {
        let from = self.last_change;
        let to = now.max(from);
        if let Some((start, end)) = outage {
            let (a, b) = (from.max(start), to.min(end));
            if b > a {
                self.outage_area = self
                    .outage_area
                    .saturating_add(u128::from(self.busy) * u128::from(b - a));
            }
        }
        self.last_change = to;
    }

    /// Whether every thread is busy.
    pub(crate) fn is_full(&self) -> bool {
        self.busy >= self.size
    }

    /// One more call in flight from `now`.
    pub(crate) fn take(&mut self, now: SimTime, outage: Option<(SimTime, SimTime)>) {
        self.advance(now, outage);
        self.busy = self.busy.saturating_add(1);
        self.peak = self.peak.max(self.busy);
        self.interval_peak = self.interval_peak.max(self.busy);
    }

    /// One call fewer in flight from `now`.
    pub(crate) fn release(&mut self, now: SimTime, outage: Option<(SimTime, SimTime)>) {
        self.advance(now, outage);
        self.busy = self.busy.saturating_sub(1);
    }

    /// Resizes the pool (calls in flight carry on; new ones wait for room).
    pub(crate) fn resize(&mut self, size: u32) {
        self.size = size;
    }

    /// The most calls in flight since the last call, then restarts the interval at the current
    /// level.
    pub(crate) fn take_interval_peak(&mut self) -> u32 {
        let peak = self.interval_peak;
        self.interval_peak = self.busy;
        peak
    }

    /// Restarts the peak (at the calls in flight now) and the outage usage from `now`.
    pub(crate) fn restart(&mut self, now: SimTime, outage: Option<(SimTime, SimTime)>) {
        self.advance(now, outage);
        self.peak = self.busy;
        self.interval_peak = self.busy;
        self.outage_area = 0;
        self.measured_from = self.last_change;
    }

    /// Threads in the pool.
    pub(crate) fn size(&self) -> u32 {
        self.size
    }

    /// Calls in flight now.
    pub(crate) fn busy(&self) -> u32 {
        self.busy
    }

    /// Most calls in flight at once since the start (or the last restart).
    pub(crate) fn peak(&self) -> u32 {
        self.peak
    }

    /// Mean share of the pool busy during the outage so far (as of the last advance, and since
    /// the last restart), or `None` before it starts.
    pub(crate) fn outage_usage(&self, outage: Option<(SimTime, SimTime)>) -> Option<f64> {
        let (start, end) = outage?;
        let elapsed = self.last_change.min(end).checked_sub(start.max(self.measured_from))?;
        if elapsed == 0 || self.size == 0 {
            return None;
        }
        Some(self.outage_area as f64 / (f64::from(self.size) * elapsed as f64))
    }
}
