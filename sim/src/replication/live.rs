//! Settings changed while the lab runs, and restarting the counters.

use super::commit::CommitMode;
use super::config::Config;
use super::lab::ReplicationLab;
use crate::params::Params;
use crate::ConfigError;

/// Keys that shape the run itself: changing one rebuilds the lab from time zero.
pub const RESTART_KEYS: &[&str] = &["replicas", "sessions"];

/// What a settings change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Applied to the running lab.
    Live,
    /// The lab restarted from time zero with the new settings.
    Restarted,
}

impl ReplicationLab {
    /// Sets one parameter from raw text through the config's validated setter. Most keys apply
    /// live; [`RESTART_KEYS`] and the seed restart the run. On error nothing changes.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<Applied, ConfigError> {
        let mut config = self.config.clone();
        config.set_str(key, raw)?;
        self.set_config(config)
    }

    /// Replaces the whole config (validated first; on error nothing changes).
    pub fn set_config(&mut self, config: Config) -> Result<Applied, ConfigError> {
        config.validate()?;
        let old = &self.config;
        if old.replicas != config.replicas || old.sessions != config.sessions || old.seed != config.seed {
            *self = Self::new(config)?;
            return Ok(Applied::Restarted);
        }
        let previous = std::mem::replace(&mut self.config, config);
        if let Err(e) = self.rebuild_distributions() {
            self.config = previous;
            let _ = self.rebuild_distributions();
            return Err(e);
        }
        self.arm_arrivals();
        if previous.slow_factor != self.config.slow_factor {
            if let Some(last) = self.replicas.last_mut() {
                last.slow = self.config.slow_factor;
            }
        }
        if previous.commit != self.config.commit {
            self.fallback = false;
            if self.config.commit == CommitMode::Async {
                for p in self.pending.iter_mut() {
                    p.waits = false;
                }
            }
        }
        self.try_ack();
        Ok(Applied::Live)
    }

    /// Restarts the counters and distributions (reads, violations, latencies, lag), so they
    /// describe what happens from now on. The charts, the session events, the incident log and
    /// the last failover's loss stay.
    pub fn reset_stats(&mut self) {
        self.stats.restart();
        for r in self.replicas.iter_mut() {
            r.reads = 0;
        }
    }
}
