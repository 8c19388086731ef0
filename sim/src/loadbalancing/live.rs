//! Live changes: parameters set while the lab runs, and restarting the counters.

use super::algorithm::Algorithm;
use super::config::Config;
use super::lab::{shared_view, LoadBalancingLab};
use super::workload::CostSampler;
use crate::params::Params;
use crate::ConfigError;

impl LoadBalancingLab {
    /// Applies a new configuration. On error nothing changes.
    ///
    /// - Restart from time 0 (a new fleet; faults, counters, charts and logs start over): a change
    ///   of `seed`, `servers`, `speeds`, `workers`, `balancers`, `clients`, `sessions` or
    ///   `static_requests`, and any change in static mode.
    /// - Live, from now on: `algorithm` (the balancers' routing state starts fresh), `rate` (the
    ///   next arrival is redrawn), `cost`, `mean_ms`, `variability` (requests arriving from now),
    ///   `queue_limit` (longer queues drain), `refresh_ms` (every balancer starts from the true
    ///   load), `store_ms`, `check_interval_ms` (the next check at the next multiple),
    ///   `unhealthy_after`, `healthy_after`.
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        let old = &self.config;
        let restart = config.seed != old.seed
            || config.servers != old.servers
            || config.speeds != old.speeds
            || config.workers != old.workers
            || config.balancers != old.balancers
            || config.clients != old.clients
            || config.sessions != old.sessions
            || config.static_requests != old.static_requests
            || (config.is_static() && config != *old);
        if restart {
            *self = Self::new(config)?;
            return Ok(());
        }
        let cost = CostSampler::new(config.cost, config.mean_ms, config.variability)?;
        if config.rate != self.config.rate {
            self.stream.set_rate(config.rate, self.now)?;
        }
        self.stream.set_cost(cost);
        let algorithm_changed = config.algorithm != self.config.algorithm;
        let refresh_changed = config.refresh_ms != self.config.refresh_ms;
        let check_changed = config.check_interval_ms != self.config.check_interval_ms;
        self.config = config;
        if algorithm_changed {
            for balancer in &mut self.balancers {
                balancer.reset_routing();
            }
            self.loads
                .set_indexed(self.config.algorithm == Algorithm::LeastConnections);
        }
        if refresh_changed {
            self.loads.set_shared(shared_view(&self.config));
            for b in 0..self.balancers.len() {
                self.loads.refresh(b);
            }
            self.schedule_refreshes();
        }
        if check_changed {
            self.schedule_check();
        }
        Ok(())
    }

    /// Sets one parameter from its raw text (URL or text field), `speeds` included; on error
    /// nothing changes. See [`LoadBalancingLab::set_config`] for what restarts the run.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        if key == "speeds" {
            config.set_speeds(raw)?;
        } else {
            config.set_str(key, raw)?;
        }
        self.set_config(config)
    }

    /// Sets the servers' speeds from their text (see [`Config::speeds`]); a change restarts the
    /// run. On error nothing changes.
    pub fn set_speeds(&mut self, raw: &str) -> Result<(), ConfigError> {
        self.set_param("speeds", raw)
    }

    /// Restarts the counters now: requests and their fates, latency, served and busy time per
    /// server, the longest queue (from the longest now), sessions lost, the balancers' counts.
    /// Requests in flight are not counted when they finish. The fleet, the charts, the logs and
    /// the clock carry on; static mode's placements stay.
    pub fn reset_stats(&mut self) {
        let now = self.now;
        let mut waiting = 0usize;
        for server in &mut self.servers {
            server.restart_counters(now);
            if server.member {
                waiting = waiting.max(server.queue.len());
            }
        }
        for balancer in &mut self.balancers {
            balancer.sent = 0;
        }
        self.stats.restart(now, u32::try_from(waiting).unwrap_or(u32::MAX));
    }
}
