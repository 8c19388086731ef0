//! Two configurations side by side on the same workload and seed, run to the same time.

use super::config::Config;
use super::lab::ReplicationLab;
use super::snapshot::Snapshot;
use crate::engine::time::{from_secs, to_secs};
use crate::engine::SimTime;
use crate::params::Params;
use crate::ConfigError;

/// Longest comparison run, in simulated seconds.
pub const MAX_COMPARE_SECS: f64 = 600.0;

/// Two labs that differ in one setting, fed the same writes and reads (same seed, rates and
/// sessions), advanced together to the same time; optionally both primaries fail at the end.
#[derive(Clone, Debug)]
pub struct Comparison {
    labs: [ReplicationLab; 2],
    until: SimTime,
    fail_at_end: bool,
    done: bool,
}

impl Comparison {
    /// `base` with `key` set to `a` on one side and to `b` on the other (both validated), run
    /// for `secs` simulated seconds (0 < secs <= [`MAX_COMPARE_SECS`]). With `fail_at_end`
    /// both primaries fail at the end, so their failover losses can be compared.
    pub fn varying(
        base: &Config,
        key: &str,
        a: &str,
        b: &str,
        secs: f64,
        fail_at_end: bool,
    ) -> Result<Self, ConfigError> {
        let mut left = base.clone();
        left.set_str(key, a)?;
        let mut right = base.clone();
        right.set_str(key, b)?;
        Self::new(left, right, secs, fail_at_end)
    }

    /// Two configs with the same workload (seed, write and read rates, sessions), run for
    /// `secs` simulated seconds (0 < secs <= [`MAX_COMPARE_SECS`]).
    pub fn new(a: Config, b: Config, secs: f64, fail_at_end: bool) -> Result<Self, ConfigError> {
        let same =
            a.seed == b.seed && a.write_rate == b.write_rate && a.read_rate == b.read_rate && a.sessions == b.sessions;
        if !same {
            return Err(ConfigError::new(
                "compare",
                "both sides need the same seed, write rate, read rate and sessions",
            ));
        }
        if !(secs > 0.0 && secs <= MAX_COMPARE_SECS) {
            return Err(ConfigError::new(
                "compare",
                format!("run for more than 0 and at most {MAX_COMPARE_SECS} simulated seconds"),
            ));
        }
        Ok(Self {
            labs: [ReplicationLab::new(a)?, ReplicationLab::new(b)?],
            until: from_secs(secs),
            fail_at_end,
            done: false,
        })
    }

    /// Advances both labs to `t` (µs), at most to the end; fails both primaries on arriving
    /// there if asked. Slice freely: the result does not depend on the slices.
    pub fn advance(&mut self, t: SimTime) {
        if self.done {
            return;
        }
        let target = t.min(self.until);
        for lab in self.labs.iter_mut() {
            lab.step_until(target);
        }
        if target >= self.until {
            if self.fail_at_end {
                for lab in self.labs.iter_mut() {
                    lab.fail_primary();
                }
            }
            self.done = true;
        }
    }

    /// Runs both to the end at once.
    pub fn run_to_end(&mut self) {
        self.advance(self.until);
    }

    /// Simulated time both have reached, in µs.
    pub fn now(&self) -> SimTime {
        self.labs[0].now().min(self.labs[1].now())
    }

    /// The end of the run, in µs.
    pub fn until(&self) -> SimTime {
        self.until
    }

    /// Share of the run done (0..=1).
    pub fn progress(&self) -> f64 {
        if self.done {
            1.0
        } else {
            (to_secs(self.now()) / to_secs(self.until).max(1e-9)).clamp(0.0, 1.0)
        }
    }

    /// Whether both reached the end.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Both configs.
    pub fn configs(&self) -> [&Config; 2] {
        [self.labs[0].config(), self.labs[1].config()]
    }

    /// Both snapshots, left then right.
    pub fn snapshots(&self) -> [Snapshot; 2] {
        [self.labs[0].snapshot(), self.labs[1].snapshot()]
    }
}
