//! [`AutoscalingLab`]: the clock, one tick per simulated second (traffic, serving, accounting),
//! and the autoscaler's decision every [`SYNC_S`] seconds (`decide.rs`).

use std::collections::VecDeque;

use super::choices::{Autoscaler, ScaleMetric};
use super::config::Config;
use super::decision::Decision;
use super::fleet::Fleet;
use super::hpa::Hpa;
use super::scalers::{schedule, DemandHistory};
use super::serverless::WarmPool;
use super::serving::ServerQueue;
use super::stats::{Second, Stats};
use super::traffic::Traffic;
use crate::engine::time::MICROS_PER_SEC;
use crate::engine::SimTime;
use crate::params::Params;
use crate::ConfigError;

/// The autoscalers' sync period, seconds (the Kubernetes HPA's default
/// `--horizontal-pod-autoscaler-sync-period`); every autoscaler but serverless decides this often.
pub const SYNC_S: u64 = 15;
/// Decisions kept in the log (the oldest are forgotten).
pub const DECISIONS_KEPT: usize = 200;
/// Serverless pays this many times the instance's price per busy second (an assumption of the
/// model, not a published number: on-demand functions cost more per compute-second than a server
/// that is kept busy).
pub const SERVERLESS_PRICE_FACTOR: f64 = 2.0;

/// The metric averages since the last decision, over seconds with a ready instance.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Window {
    seconds: u32,
    cpu: f64,
    rps: f64,
    queue: f64,
    p99_ms: f64,
}

impl Window {
    fn add(&mut self, s: &Second) {
        if s.ready == 0 {
            return;
        }
        let ready = f64::from(s.ready);
        self.seconds += 1;
        self.cpu += s.utilization * 100.0;
        self.rps += s.arrivals / ready;
        self.queue += s.waiting / ready;
        self.p99_ms += s.p99_ms;
    }

    pub(super) fn average(&self, metric: ScaleMetric) -> Option<f64> {
        if self.seconds == 0 {
            return None;
        }
        let sum = match metric {
            ScaleMetric::Cpu => self.cpu,
            ScaleMetric::Rps => self.rps,
            ScaleMetric::Queue => self.queue,
            ScaleMetric::P99 => self.p99_ms,
        };
        Some(sum / f64::from(self.seconds))
    }
}

/// The autoscaling lab. See the module docs.
#[derive(Clone, Debug)]
pub struct AutoscalingLab {
    pub(super) config: Config,
    now: SimTime,
    /// Whole seconds simulated.
    done_s: u64,
    traffic: Traffic,
    pub(super) fleet: Fleet,
    queue: ServerQueue,
    pool: WarmPool,
    pub(super) hpa: Hpa,
    pub(super) cooldown_until_s: u64,
    pub(super) schedule: [f64; 24],
    pub(super) history: DemandHistory,
    pub(super) window: Window,
    pub(super) desired: u32,
    pub(super) last_metric: Option<f64>,
    pub(super) decisions: VecDeque<Decision>,
    pub(super) decisions_made: u64,
    pub(super) stats: Stats,
}

impl AutoscalingLab {
    /// Simulated seconds per animation frame that stay well inside a frame: half an hour (a
    /// second costs 1-3 µs on average natively, up to ~20 µs when a new fleet size or load needs
    /// a fresh Erlang C over 1,000 servers).
    pub const SECONDS_PER_FRAME: u64 = 1_800;

    /// A lab at time 0 with `min_replicas` instances ready (serverless: `min_replicas`
    /// provisioned, nothing else warm).
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let servers = config.min_servers();
        let serverless = config.autoscaler == Autoscaler::Serverless;
        let fleet = Fleet::new(if serverless { 0 } else { servers });
        Ok(Self {
            traffic: Traffic::new(config.seed),
            hpa: Hpa::new(config.behavior(), 0, servers),
            schedule: schedule(&config),
            desired: if serverless { config.min_replicas } else { servers },
            config,
            now: 0,
            done_s: 0,
            fleet,
            queue: ServerQueue::default(),
            pool: WarmPool::default(),
            cooldown_until_s: 0,
            history: DemandHistory::default(),
            window: Window::default(),
            last_metric: None,
            decisions: VecDeque::with_capacity(DECISIONS_KEPT),
            decisions_made: 0,
            stats: Stats::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The clock, µs.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Whole simulated seconds done.
    pub fn seconds_done(&self) -> u64 {
        self.done_s
    }

    /// The totals and histories.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The fleet of servers (empty under serverless).
    pub fn fleet(&self) -> &Fleet {
        &self.fleet
    }

    /// The decision log, oldest first (the last [`DECISIONS_KEPT`]).
    pub fn decisions(&self) -> impl DoubleEndedIterator<Item = &Decision> + ExactSizeIterator {
        self.decisions.iter()
    }

    /// Decisions made since the start (including those no longer kept).
    pub fn decisions_made(&self) -> u64 {
        self.decisions_made
    }

    /// The scheduled scaler's table: the planned requests per second of each hour of the day.
    pub fn schedule(&self) -> &[f64; 24] {
        &self.schedule
    }

    /// What the HPA remembers (recommendations and scale events; bounded).
    pub fn hpa_memory(&self) -> usize {
        self.hpa.remembered()
    }

    /// Applies a new configuration (validated; on error nothing changes). A new `seed` or
    /// `autoscaler` restarts the run from time 0; everything else applies from the next second
    /// (the HPA keeps its memory with the new behaviour; the fleet moves into the new bounds at
    /// the next decision).
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        if config.seed != self.config.seed || config.autoscaler != self.config.autoscaler {
            *self = Self::new(config)?;
            return Ok(());
        }
        self.hpa.set_behavior(config.behavior());
        self.schedule = schedule(&config);
        self.config = config;
        Ok(())
    }

    /// Sets one parameter from its raw text (URL or field), validated; on error nothing changes.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        config.set_str(key, raw)?;
        self.set_config(config)
    }

    /// Restarts from time 0 with the same configuration.
    pub fn reset(&mut self) {
        if let Ok(fresh) = Self::new(self.config.clone()) {
            *self = fresh;
        }
    }

    /// Runs every whole second that ends by `until` (µs), then sets the clock to `until` (never
    /// backwards). The page calls it once per frame; the result does not depend on the slicing.
    pub fn step_until(&mut self, until: SimTime) {
        self.now = self.now.max(until);
        while (self.done_s + 1).saturating_mul(MICROS_PER_SEC) <= self.now {
            self.tick();
        }
    }

    /// Like [`AutoscalingLab::step_until`] but runs at most `max_seconds` seconds; returns true
    /// once the clock has reached `until`.
    pub fn work_until(&mut self, until: SimTime, max_seconds: u64) -> bool {
        let mut left = max_seconds;
        while left > 0 && (self.done_s + 1).saturating_mul(MICROS_PER_SEC) <= until {
            self.tick();
            left -= 1;
        }
        let whole = self.done_s.saturating_mul(MICROS_PER_SEC);
        if (self.done_s + 1).saturating_mul(MICROS_PER_SEC) > until {
            self.now = self.now.max(until);
            true
        } else {
            self.now = self.now.max(whole);
            false
        }
    }

    /// A spike of `peak_rps − base_rps` for `spike_s` seconds from now. Returns false when too
    /// many are pending ([`MAX_SPIKES`](super::MAX_SPIKES)).
    pub fn spike_now(&mut self) -> bool {
        self.traffic.spike_now(&self.config, self.done_s)
    }

    /// An instance dies now: a ready server (its replacement starts at once and pays the
    /// startup), or a warm serverless instance. Returns false when there was none.
    pub fn kill_instance(&mut self) -> bool {
        if self.config.autoscaler == Autoscaler::Serverless {
            return self.pool.kill();
        }
        self.fleet.kill(self.done_s, self.config.startup_s)
    }

    /// One simulated second.
    fn tick(&mut self) {
        let t = self.done_s;
        let c = &self.config;
        let (expected, arrivals) = self.traffic.arrivals(c, t);
        self.history.record(t, arrivals);
        let price_per_s = c.cost_per_hour / 3_600.0;
        let mut second = if c.autoscaler == Autoscaler::Serverless {
            let limit = c.max_replicas.max(1);
            let s = self
                .pool
                .serve(t, arrivals, c.instance_rps, c.min_replicas, limit, c.startup_s);
            self.desired = s.concurrency;
            let provisioned = f64::from(c.min_replicas);
            Second {
                served: s.served,
                errors: s.errors,
                busy: s.utilization,
                p99_ms: s.p99_s * 1_000.0,
                replicas: s.warm,
                ready: s.ready,
                cost: (s.busy_s * SERVERLESS_PRICE_FACTOR + provisioned) * price_per_s,
                cold_starts: s.cold_starts,
                ..Second::default()
            }
        } else {
            self.fleet.advance(t);
            let s = self.queue.serve(arrivals, self.fleet.ready(), c.instance_rps);
            Second {
                served: s.served,
                errors: s.errors,
                busy: s.utilization,
                p99_ms: s.p99_s * 1_000.0,
                waiting: s.waiting,
                replicas: self.fleet.size(),
                ready: s.ready,
                cost: f64::from(self.fleet.size()) * price_per_s,
                ..Second::default()
            }
        };
        second.at_s = t;
        second.expected_rps = expected;
        second.arrivals = arrivals;
        second.desired = self.desired;
        second.capacity_rps = f64::from(second.ready) * c.instance_rps;
        second.utilization = second.busy * c.cpu_share / 100.0;
        if c.autoscaler == Autoscaler::Serverless && second.replicas != self.stats.last.replicas {
            self.stats.scale_events += 1;
        }
        self.window.add(&second);
        let slo = c.slo_ms;
        let yesterday = self.history.yesterday(t);
        self.stats.record(second, slo, yesterday);
        self.done_s = t + 1;
        if self.config.autoscaler != Autoscaler::Serverless && self.done_s.is_multiple_of(SYNC_S) {
            self.decide(self.done_s);
        }
    }

    /// The metric value the autoscaler saw at its last decision.
    pub fn last_metric(&self) -> Option<f64> {
        self.last_metric
    }

    /// Hand spikes pending or running.
    pub fn spikes(&self) -> impl Iterator<Item = &super::traffic::HandSpike> {
        self.traffic.spikes()
    }

    /// Serverless instances, warm or starting, and of them the ones starting (`(0, 0)` for the
    /// servers' autoscalers).
    pub fn serverless_pool(&self) -> (u32, u32) {
        if self.config.autoscaler != Autoscaler::Serverless {
            return (0, 0);
        }
        let pool = self.pool.size().max(self.config.min_replicas);
        (pool, self.pool.starting().min(pool))
    }

    /// Instances started since the start, each paying the startup (servers started by the
    /// autoscaler or replacing a killed one; serverless cold starts).
    pub fn cold_starts(&self) -> u64 {
        self.stats.cold_starts + self.fleet.started()
    }

    /// Requests in the servers' fluid backlog.
    pub fn backlog(&self) -> f64 {
        self.queue.backlog()
    }

    /// The autoscaler's latest wish (serverless: the last second's concurrency).
    pub fn desired(&self) -> u32 {
        self.desired
    }
}

impl crate::engine::SlicedRun for AutoscalingLab {
    fn now(&self) -> crate::engine::SimTime {
        AutoscalingLab::now(self)
    }

    fn work_until(&mut self, until: crate::engine::SimTime, max_seconds: u64) -> bool {
        AutoscalingLab::work_until(self, until, max_seconds)
    }
}
