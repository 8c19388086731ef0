//! The capacity lab model the page drives: the config, its plan, and the M/M/c simulation that
//! checks the plan's queueing figures by experiment.

use super::build::plan;
use super::config::Config;
use super::mmc::MmcQueue;
use super::plan::Plan;
use super::queue_sim::QueueSim;
use super::sim_config::QueueSimConfig;
use super::sim_snapshot::SimSnapshot;
use crate::engine::SimTime;
use crate::params::Params;
use crate::ConfigError;

/// The capacity lab: a validated [`Config`], its [`Plan`], and a [`QueueSim`] of the plan's
/// fleet (`slots` request slots at `peak_rps` with `service_ms` per request).
///
/// The simulation restarts, empty, whenever a change alters what it simulates (rate, service time
/// or fleet); the lab clock keeps running, so the page's clock never jumps back. Other changes
/// (prices, cache, USL) leave it running. Without a simulation (more than 250,000 request slots, or
/// arrivals too rare to simulate) [`CapacityLab::sim_unavailable`] says why.
#[derive(Clone, Debug)]
pub struct CapacityLab {
    config: Config,
    seed: u64,
    plan: Plan,
    sim: Option<QueueSim>,
    sim_unavailable: Option<String>,
    /// Lab time at which the current simulation started, µs.
    epoch: SimTime,
    /// Lab time, µs.
    clock: SimTime,
}

impl CapacityLab {
    /// A lab for `config` (validated) with the simulation seeded by `seed`, at time 0.
    pub fn new(config: Config, seed: u64) -> Result<Self, ConfigError> {
        let plan = plan(&config)?;
        let mut lab = Self {
            config,
            seed,
            plan,
            sim: None,
            sim_unavailable: None,
            epoch: 0,
            clock: 0,
        };
        lab.restart_sim();
        Ok(lab)
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The simulation's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The plan for the current configuration.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Replaces the configuration. On error nothing changes (the last good state stays).
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        let plan = plan(&config)?;
        let before = self.sim_config();
        self.config = config;
        self.plan = plan;
        if self.sim_config() != before {
            self.restart_sim();
        }
        Ok(())
    }

    /// Parses and applies one parameter (as from a URL or a text field). On error nothing changes.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        config.set_str(key, raw)?;
        self.set_config(config)
    }

    /// Restarts the simulation from empty at time 0 with the same seed.
    pub fn reset(&mut self) {
        self.clock = 0;
        self.restart_sim();
    }

    /// Lab time, µs.
    pub fn now(&self) -> SimTime {
        self.clock
    }

    /// Advances the simulation to lab time `t` (µs).
    pub fn step_until(&mut self, t: SimTime) {
        self.step_until_budget(t, u64::MAX);
    }

    /// Advances towards lab time `t` (µs) running at most `max_events` simulation events; returns
    /// whether `t` was reached (see [`QueueSim::step_until_budget`]).
    pub fn step_until_budget(&mut self, t: SimTime, max_events: u64) -> bool {
        if t <= self.clock {
            return true;
        }
        match self.sim.as_mut() {
            Some(sim) => {
                let reached = sim.step_until_budget(t - self.epoch, max_events);
                self.clock = if reached {
                    t
                } else {
                    self.epoch.saturating_add(sim.now())
                };
                reached
            }
            None => {
                self.clock = t;
                true
            }
        }
    }

    /// Forgets the simulation's statistics (keeping its requests), e.g. after a warm-up.
    pub fn reset_statistics(&mut self) {
        if let Some(sim) = self.sim.as_mut() {
            sim.reset_statistics();
        }
    }

    /// The simulation's snapshot, if it runs.
    pub fn sim_snapshot(&self) -> Option<SimSnapshot> {
        self.sim.as_ref().map(QueueSim::snapshot)
    }

    /// How many of the simulated requests the M/M/c formulas expect in each bin of the simulation's
    /// response-time histogram: `n × (P(W > lower) − P(W > upper))`, with `n` the requests counted
    /// in the histogram (its bins plus overflow). For drawing the formula over the simulation.
    /// `None` without a simulation or when the queue has no steady state.
    pub fn expected_histogram(&self) -> Option<Vec<f64>> {
        let snap = self.sim_snapshot()?;
        let plan = self.plan();
        let queue = MmcQueue::new(plan.peak_rps, 1_000.0 / plan.service_ms, snap.slots).ok()?;
        let n = snap.response_histogram.iter().map(|b| b.count).sum::<u64>() + snap.response_overflow;
        let n = n as f64;
        Some(
            snap.response_histogram
                .iter()
                .map(|b| {
                    let inside =
                        queue.response_survival(b.lower_ms / 1000.0) - queue.response_survival(b.upper_ms / 1000.0);
                    n * inside.max(0.0)
                })
                .collect(),
        )
    }

    /// Why there is no simulation, if there is none.
    pub fn sim_unavailable(&self) -> Option<&str> {
        self.sim_unavailable.as_deref()
    }

    /// What the simulation should run for the current plan, or why it cannot.
    fn sim_config(&self) -> Result<QueueSimConfig, ConfigError> {
        let slots = u32::try_from(self.plan.slots).unwrap_or(u32::MAX);
        let config = QueueSimConfig::new(self.plan.peak_rps, self.plan.service_ms, slots);
        config.validate().map(|()| config)
    }

    fn restart_sim(&mut self) {
        self.epoch = self.clock;
        match self.sim_config().and_then(|config| QueueSim::new(config, self.seed)) {
            Ok(sim) => {
                self.sim = Some(sim);
                self.sim_unavailable = None;
            }
            Err(e) => {
                self.sim = None;
                self.sim_unavailable = Some(format!("no simulation: {}", e.message));
            }
        }
    }
}
