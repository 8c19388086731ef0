//! The other autoscalers' rules: step scaling's thresholds, the scheduled scaler's capacity by
//! hour, and the predictive scaler's memory of yesterday ([`DemandHistory`]).

use super::config::Config;
use super::traffic::{shape_rps, DAY_S};

/// Minutes in a day: the predictive scaler's history holds one rate per minute.
pub const MINUTES_PER_DAY: usize = 1_440;

/// The step scaler's down threshold as a share of the target: below half of it, scale in.
pub const STEP_DOWN_SHARE: f64 = 0.5;

/// Step scaling: `+max(up_pods, 1)` above `target`, −1 below `target ×`
/// [`STEP_DOWN_SHARE`], else no change; the result is kept within `[min, max]`.
pub fn step_count(config: &Config, current: u32, metric: f64) -> u32 {
    let next = if metric > config.target {
        current.saturating_add(config.up_pods.max(1))
    } else if metric < config.target * STEP_DOWN_SHARE {
        current.saturating_sub(1)
    } else {
        current
    };
    next.clamp(config.min_servers(), config.max_servers())
}

/// `ceil(rps / per_instance)` as a count within `[min, max]`.
pub fn replicas_for(config: &Config, rps: f64) -> u32 {
    let n = libm::ceil(rps / config.planned_rps_per_instance() - 1e-9);
    let n = if n.is_nan() || n <= 0.0 {
        0
    } else if n >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        n as u32
    };
    n.clamp(config.min_servers(), config.max_servers())
}

/// The scheduled scaler's table: for each hour of the day, the highest rate of the traffic
/// shape in that hour on the first day (sampled each minute and at the hour's end), the
/// "known daily curve" an operator schedules capacity for. Spikes added by hand are not in it.
pub fn schedule(config: &Config) -> [f64; 24] {
    let mut table = [0.0; 24];
    for (hour, slot) in table.iter_mut().enumerate() {
        let start = hour as f64 * 3_600.0;
        let mut peak: f64 = 0.0;
        for minute in 0..=60 {
            peak = peak.max(shape_rps(config, start + f64::from(minute) * 60.0));
        }
        // The spike or step edge may fall between samples.
        let at = f64::from(config.spike_at_s);
        if at >= start && at < start + 3_600.0 {
            peak = peak.max(shape_rps(config, at));
        }
        *slot = peak;
    }
    table
}

/// The hour of day (0..=23) of simulated second `t_s`.
pub fn hour_of(t_s: u64) -> u32 {
    ((t_s % DAY_S) / 3_600) as u32
}

/// The observed traffic of the last two days, one mean rate per minute of the day, each tagged
/// with the day it was seen: the minute being filled today and, once a new day starts filling
/// it, the same minute of the day before. Allocated once (2 × 1,440 slots).
#[derive(Clone, Debug, PartialEq)]
pub struct DemandHistory {
    current: Vec<(u64, f64, u32)>,
    previous: Vec<(u64, f64, u32)>,
}

impl Default for DemandHistory {
    fn default() -> Self {
        Self {
            current: vec![(u64::MAX, 0.0, 0); MINUTES_PER_DAY],
            previous: vec![(u64::MAX, 0.0, 0); MINUTES_PER_DAY],
        }
    }
}

impl DemandHistory {
    /// Records second `t_s`'s arrivals.
    pub fn record(&mut self, t_s: u64, arrivals: f64) {
        let day = t_s / DAY_S;
        let minute = ((t_s % DAY_S) / 60) as usize;
        if let (Some(slot), Some(old)) = (self.current.get_mut(minute), self.previous.get_mut(minute)) {
            if slot.0 != day {
                *old = *slot;
                *slot = (day, 0.0, 0);
            }
            slot.1 += arrivals;
            slot.2 += 1;
        }
    }

    /// Yesterday's mean rate in the minute of second `t_s` (the same minute one day earlier);
    /// `None` when that minute was not observed (the first day).
    pub fn yesterday(&self, t_s: u64) -> Option<f64> {
        let day = (t_s / DAY_S).checked_sub(1)?;
        let minute = ((t_s % DAY_S) / 60) as usize;
        [self.current.get(minute)?, self.previous.get(minute)?]
            .into_iter()
            .find(|&&(seen, _, count)| seen == day && count > 0)
            .map(|&(_, sum, count)| sum / f64::from(count))
    }

    /// The forecast for `[from_s, to_s)`: yesterday's highest per-minute mean rate in it; `None`
    /// while any minute of it has no history.
    pub fn forecast(&self, from_s: u64, to_s: u64) -> Option<f64> {
        let mut peak: Option<f64> = None;
        let mut t = from_s - from_s % 60;
        while t < to_s.max(from_s + 1) {
            let v = self.yesterday(t.max(from_s))?;
            peak = Some(peak.map_or(v, |p: f64| p.max(v)));
            t += 60;
        }
        peak
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_yesterday_only() {
        let mut h = DemandHistory::default();
        for t in 0..120 {
            h.record(t, 10.0);
        }
        assert_eq!(h.yesterday(DAY_S + 30), Some(10.0));
        assert_eq!(h.yesterday(30), None);
        assert_eq!(h.yesterday(2 * DAY_S + 30), None, "two days ago is not yesterday");
        assert_eq!(h.forecast(DAY_S, DAY_S + 90), Some(10.0));
        assert_eq!(h.forecast(DAY_S + 60, DAY_S + 200), None);
        // Today's seconds of the minute do not hide yesterday's.
        for t in DAY_S..DAY_S + 30 {
            h.record(t, 99.0);
        }
        assert_eq!(h.yesterday(DAY_S + 10), Some(10.0));
        assert_eq!(h.yesterday(2 * DAY_S + 10), Some(99.0));
    }
}
