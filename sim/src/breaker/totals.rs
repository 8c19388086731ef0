//! Counts of recorded calls and the rates the breaker decides on.

use super::outcome::CallKind;

/// Recorded calls, failures and slow calls (a slow failure counts in both).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Calls recorded.
    pub calls: u64,
    /// Of which failed.
    pub failures: u64,
    /// Of which slow (strictly over the slow-call threshold).
    pub slow: u64,
}

impl Totals {
    /// Counts one call.
    pub fn add(&mut self, kind: CallKind) {
        self.calls = self.calls.saturating_add(1);
        self.failures = self.failures.saturating_add(u64::from(kind.is_failure()));
        self.slow = self.slow.saturating_add(u64::from(kind.is_slow()));
    }

    /// Forgets one call counted before.
    pub fn remove(&mut self, kind: CallKind) {
        self.calls = self.calls.saturating_sub(1);
        self.failures = self.failures.saturating_sub(u64::from(kind.is_failure()));
        self.slow = self.slow.saturating_sub(u64::from(kind.is_slow()));
    }

    /// Forgets every call of `other` (a subset counted before).
    pub fn remove_all(&mut self, other: Totals) {
        self.calls = self.calls.saturating_sub(other.calls);
        self.failures = self.failures.saturating_sub(other.failures);
        self.slow = self.slow.saturating_sub(other.slow);
    }

    /// Failures as a percentage of the calls (0 without calls).
    pub fn failure_rate(&self) -> f64 {
        percent(self.failures, self.calls)
    }

    /// Slow calls as a percentage of the calls (0 without calls).
    pub fn slow_rate(&self) -> f64 {
        percent(self.slow, self.calls)
    }

    /// Whether the failure rate is at least `threshold` percent, compared exactly in integers
    /// (`failures * 100 >= threshold * calls`). False without calls.
    pub fn failure_rate_reaches(&self, threshold: u32) -> bool {
        reaches(self.failures, self.calls, threshold)
    }

    /// Whether the slow-call rate is at least `threshold` percent (exact, as above).
    pub fn slow_rate_reaches(&self, threshold: u32) -> bool {
        reaches(self.slow, self.calls, threshold)
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn reaches(part: u64, whole: u64, threshold: u32) -> bool {
    whole > 0 && u128::from(part) * 100 >= u128::from(threshold) * u128::from(whole)
}
