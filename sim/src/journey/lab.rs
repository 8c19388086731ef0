//! [`JourneyLab`]: the clock (one tick per simulated second, `tick.rs`), the region stacks, the
//! faults as actions, and the level's verdict at the end of its hour.

use std::collections::VecDeque;

use super::assumptions::{BREAKER_FAILURES, BREAKER_WAIT_S, NOISE};
use super::choices::Regions;
use super::config::Config;
use super::faults::{EventKind, EventLog, Fault, Faults};
use super::hits::hit_ratio;
use super::network::Region;
use super::serve::Stations;
use super::stages::{Traffic, LEVEL_S};
use super::stats::Stats;
use super::tick::Second;
use crate::autoscaling::fleet::Fleet;
use crate::autoscaling::{Behavior, Hpa};
use crate::breaker::{Breaker, BreakerSettings, Permit, Policy};
use crate::engine::time::{MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{Normal, SimRng, SimTime};
use crate::ConfigError;

/// Third-party calls fed to a region's breaker per second (each stands for its share of the
/// second's calls, so the breaker's state follows the calls without one step per request).
pub const BREAKER_CALLS_PER_S: u32 = 20;

/// One region's deployment: its app servers (and their autoscaler), its stations, its breaker.
#[derive(Clone, Debug)]
pub struct Stack {
    /// Whether the architecture has a stack in this region.
    pub deployed: bool,
    /// App servers, ready and starting.
    pub fleet: Fleet,
    pub(super) hpa: Hpa,
    /// CPU percent summed over the seconds since the last HPA sync, and their count.
    pub(super) cpu_window: (f64, u32),
    pub(super) stations: Stations,
    pub(super) breaker: Breaker,
    /// Calls let through and still hanging: when their failure is known (µs), and their permit.
    pub(super) pending: VecDeque<(SimTime, Permit)>,
    /// Share of this second's third-party calls the breaker let through.
    pub(super) passed: f64,
}

impl Stack {
    fn new(deployed: bool, config: &Config) -> Self {
        let settings = BreakerSettings {
            policy: Policy::Consecutive,
            failure_threshold: BREAKER_FAILURES,
            wait: u64::from(BREAKER_WAIT_S) * MICROS_PER_SEC,
            ..BreakerSettings::default()
        };
        Self {
            deployed,
            fleet: Fleet::new(config.app_servers),
            hpa: Hpa::new(Behavior::kubernetes_default(), 0, config.app_servers),
            cpu_window: (0.0, 0),
            stations: Stations::default(),
            breaker: Breaker::new(settings),
            pending: VecDeque::new(),
            passed: 1.0,
        }
    }
}

/// Which regions have a stack.
pub fn deployed(regions: Regions) -> [bool; 3] {
    match regions {
        Regions::Single => [true, false, false],
        Regions::ActivePassive => [true, true, false],
        Regions::ActiveActive => [true, true, true],
    }
}

/// The level's verdict once its hour is over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// Whether it was won.
    pub passed: bool,
    /// Every region with users kept its p99 under the SLO (at most 1% of its requests slower).
    pub latency_ok: bool,
    /// Under 1% of the requests failed.
    pub errors_ok: bool,
    /// The cost per month (the hour's spend as a monthly rate) was within the budget.
    pub budget_ok: bool,
    /// That cost per month, dollars.
    pub cost_per_month: f64,
}

/// The scaling journey lab. See the module docs.
#[derive(Clone, Debug)]
pub struct JourneyLab {
    pub(super) config: Config,
    pub(super) traffic: Traffic,
    pub(super) hit_ratio: f64,
    pub(super) now: SimTime,
    pub(super) done_s: u64,
    pub(super) rng: SimRng,
    pub(super) noise: Normal,
    pub(super) faults: Faults,
    pub(super) stacks: [Stack; 3],
    pub(super) last: Second,
    pub(super) stats: Stats,
    pub(super) events: EventLog,
    pub(super) verdict: Option<Verdict>,
    /// Whether the database was refusing connections last second (for the log).
    pub(super) refusing: bool,
}

impl JourneyLab {
    /// Simulated seconds per animation frame that stay well inside a frame: a second costs
    /// ~2.5 µs at level 1 and ~5.5 µs at level 4 natively (three regions, ten request classes,
    /// five stations each, their M/M/c queues mostly from the cache), so an hour takes ~20 ms.
    pub const SECONDS_PER_FRAME: u64 = 300;

    /// A lab at time 0. A level schedules its fault.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let h = hit_ratio(config.cache_gb);
        Self::build(config, h)
    }

    /// A lab at time 0 whose cache hits `hit` (the hit ratio of its `cache_gb`, already known:
    /// the computation takes milliseconds, so a restart with the same cache reuses it).
    fn build(config: Config, hit: f64) -> Result<Self, ConfigError> {
        config.validate()?;
        let there = deployed(config.regions);
        let stacks = [0, 1, 2].map(|i| Stack::new(there[i], &config));
        let mut faults = Faults::default();
        if let Some(level) = config.level() {
            faults.start(level.fault, super::stages::FAULT_AT_S);
        }
        let mut lab = Self {
            traffic: config.traffic(),
            hit_ratio: hit,
            now: 0,
            done_s: 0,
            rng: SimRng::new(config.seed),
            noise: Normal::new(0.0, NOISE)?,
            faults,
            stacks,
            last: Second::default(),
            stats: Stats::default(),
            events: EventLog::default(),
            verdict: None,
            refusing: false,
            config,
        };
        lab.last = lab.measure();
        Ok(lab)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The traffic of the run (the level's, or the sandbox's keys).
    pub fn traffic(&self) -> &Traffic {
        &self.traffic
    }

    /// The clock, µs.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Whole simulated seconds done.
    pub fn seconds_done(&self) -> u64 {
        self.done_s
    }

    /// The cache's hit ratio (0 without a cache).
    pub fn hit_ratio(&self) -> f64 {
        self.hit_ratio
    }

    /// The last second simulated (at time 0: the architecture's state before any traffic).
    pub fn second(&self) -> &Second {
        &self.last
    }

    /// The totals and histories.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The event log.
    pub fn events(&self) -> &EventLog {
        &self.events
    }

    /// The faults' windows.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The region stacks (US, EU, Asia).
    pub fn stacks(&self) -> &[Stack; 3] {
        &self.stacks
    }

    /// The level's verdict, once its hour is over (`None` before, and in the sandbox).
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdict
    }

    /// Applies a new configuration (validated; on error nothing changes). A new `stage`, `seed`
    /// or `regions`, or in the sandbox new traffic, restarts the run from time 0; anything else
    /// applies from the next second (a new `app_servers` or `autoscale` resets each fleet to
    /// `app_servers` at once).
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        let restart = config.stage != self.config.stage
            || config.seed != self.config.seed
            || config.regions != self.config.regions
            || (config.level().is_none() && config.traffic() != self.traffic);
        if restart {
            *self = self.restarted(config)?;
            return Ok(());
        }
        let servers_changed =
            config.app_servers != self.config.app_servers || config.autoscale != self.config.autoscale;
        if config.cache_gb != self.config.cache_gb {
            self.hit_ratio = hit_ratio(config.cache_gb);
        }
        if servers_changed {
            for stack in &mut self.stacks {
                stack.fleet = Fleet::new(config.app_servers);
                stack.hpa = Hpa::new(Behavior::kubernetes_default(), self.done_s, config.app_servers);
                stack.cpu_window = (0.0, 0);
            }
        }
        self.config = config;
        self.last = self.measure();
        Ok(())
    }

    /// Sets one parameter from its raw text (URL or field; `region_mix` included), validated; on
    /// error nothing changes.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        config.set_field(key, raw)?;
        self.set_config(config)
    }

    /// Restarts from time 0 with the same configuration.
    pub fn reset(&mut self) {
        if let Ok(fresh) = self.restarted(self.config.clone()) {
            *self = fresh;
        }
    }

    /// A fresh lab for `config`, reusing this one's hit ratio when the cache is the same size.
    pub fn restarted(&self, config: Config) -> Result<Self, ConfigError> {
        let hit = if config.cache_gb == self.config.cache_gb {
            self.hit_ratio
        } else {
            hit_ratio(config.cache_gb)
        };
        Self::build(config, hit)
    }

    /// Runs every whole second that ends by `until` (µs), then sets the clock to `until` (never
    /// backwards). The result does not depend on the slicing.
    pub fn step_until(&mut self, until: SimTime) {
        self.now = self.now.max(until);
        while (self.done_s + 1).saturating_mul(MICROS_PER_SEC) <= self.now {
            self.tick();
        }
    }

    /// Like [`JourneyLab::step_until`] but runs at most `max_seconds` seconds; returns true once
    /// the clock has reached `until`.
    pub fn work_until(&mut self, until: SimTime, max_seconds: u64) -> bool {
        let mut left = max_seconds;
        while left > 0 && (self.done_s + 1).saturating_mul(MICROS_PER_SEC) <= until {
            self.tick();
            left -= 1;
        }
        if (self.done_s + 1).saturating_mul(MICROS_PER_SEC) > until {
            self.now = self.now.max(until);
            true
        } else {
            self.now = self.now.max(self.done_s.saturating_mul(MICROS_PER_SEC));
            false
        }
    }

    /// Causes `fault` now (from the next second) for [`FAULT_S`](super::FAULT_S). Returns false
    /// when it was already on (it then lasts [`FAULT_S`](super::FAULT_S) from now).
    pub fn fault(&mut self, fault: Fault) -> bool {
        let at = self.done_s;
        let started = self.faults.start(fault, at);
        if started {
            self.events
                .push(at, EventKind::FaultStarted, format!("{}.", fault.label()));
        }
        started
    }

    /// Runs an action by name (`fail-region`, `fail-primary`, `spike`, `fail-third-party`);
    /// `None` for an unknown name, else whether it started a fault.
    pub fn act(&mut self, name: &str) -> Option<bool> {
        Fault::parse(name).map(|f| self.fault(f))
    }

    /// Time of `ms` after the start of second `s`, µs.
    pub(super) fn at(s: u64, ms: u64) -> SimTime {
        s.saturating_mul(MICROS_PER_SEC)
            .saturating_add(ms.saturating_mul(MICROS_PER_MILLI))
    }

    /// The level's hour is over: judge it.
    pub(super) fn judge(&mut self) {
        let Some(level) = self.config.level() else {
            return;
        };
        let latency_ok = self
            .stats
            .regions
            .iter()
            .all(|r| r.requests <= 0.0 || r.slow_share() <= super::stages::ERROR_BUDGET);
        let errors_ok = self.stats.overall().error_rate() < super::stages::ERROR_BUDGET;
        let cost_per_month = self.stats.spent / LEVEL_S as f64 * super::prices::SECONDS_PER_MONTH;
        let budget_ok = cost_per_month <= level.budget_per_month;
        let passed = latency_ok && errors_ok && budget_ok;
        self.verdict = Some(Verdict {
            passed,
            latency_ok,
            errors_ok,
            budget_ok,
            cost_per_month,
        });
        let text = if passed {
            format!(
                "Stage {} won: the SLO held for the hour within the budget.",
                level.number
            )
        } else {
            let mut missed = Vec::new();
            if !latency_ok {
                missed.push("p99 over 200 ms in a region");
            }
            if !errors_ok {
                missed.push("1% or more errors");
            }
            if !budget_ok {
                missed.push("over budget");
            }
            format!("Stage {} lost: {}.", level.number, missed.join(", "))
        };
        self.events.push(self.done_s, EventKind::LevelEnded, text);
    }

    /// The region that serves users of `user` now.
    pub fn serving(&self, user: Region) -> Option<Region> {
        super::tick::route(&self.config, &self.faults, self.done_s, user)
    }
}

impl crate::engine::SlicedRun for JourneyLab {
    fn now(&self) -> crate::engine::SimTime {
        JourneyLab::now(self)
    }

    fn work_until(&mut self, until: crate::engine::SimTime, max_seconds: u64) -> bool {
        JourneyLab::work_until(self, until, max_seconds)
    }
}
