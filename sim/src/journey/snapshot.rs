//! What the page shows: a plain-data [`Snapshot`] of the lab, built by
//! [`JourneyLab::snapshot`], with [`Snapshot::metric`] for the metric names.

use serde::Serialize;

use super::choices::Regions;
use super::components::{bottleneck, max_throughput, Component, Hint, Usage};
use super::faults::{Event, Fault};
use super::lab::{JourneyLab, Verdict};
use super::network::Region;
use super::stages::{Stage, SLO_MS};
use crate::breaker::State;
use crate::engine::time::to_secs;

/// The metric names (`data-testid="metric-<name>"`), in panel order, then the extra ones.
pub const METRICS: [&str; 24] = [
    "users",
    "p99-ms",
    "p99-us-ms",
    "p99-eu-ms",
    "p99-asia-ms",
    "error-rate",
    "cost-per-month",
    "bottleneck",
    "bottleneck-utilization",
    "max-throughput",
    "stage-passed",
    "throughput",
    "goodput",
    "error-rate-total",
    "hit-ratio",
    "db-reads-per-s",
    "db-writes-per-s",
    "connections",
    "app-servers",
    "replication-lag-ms",
    "replica-lag-ms",
    "queue-backlog",
    "queue-lag-s",
    "sessions-lost",
];

/// A chart's line: `(simulated seconds, value)` points.
pub type Line = Vec<(f64, f64)>;

/// The charts' lines.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Lines {
    /// p99 per user region (US, EU, Asia), ms (empty for a region without users).
    pub p99_ms: [Line; 3],
    /// Error rate, 0..=1.
    pub error_rate: Line,
    /// Requests per second arriving.
    pub throughput: Line,
    /// The bottleneck's utilisation.
    pub bottleneck: Line,
    /// Cost per month, dollars.
    pub cost_per_month: Line,
    /// App servers, every region.
    pub app_servers: Line,
}

/// One user region now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionView {
    /// Which.
    pub region: Region,
    /// Its share of the users.
    pub share: f64,
    /// Requests per second its users make.
    pub requests: f64,
    /// Who serves them (`None`: nobody).
    pub served_by: Option<Region>,
    /// Network round trip to that region, ms.
    pub rtt_ms: f64,
    /// p99 of its successful requests this second, ms (0 without users).
    pub p99_ms: f64,
    /// Failed share of its requests this second.
    pub error_rate: f64,
    /// Share of its successful requests so far slower than the SLO (the level's latency test:
    /// at most 1%).
    pub slow_share: f64,
}

/// One component now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentView {
    /// Which.
    pub component: Component,
    /// Its name (`app-servers`).
    pub name: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Utilisation `U = X × D` (hottest copy; above 1 when overloaded).
    pub utilization: f64,
    /// Service demand per system request, seconds.
    pub demand_s: f64,
    /// Capacity of the hottest copy, its operations per second.
    pub capacity: f64,
    /// Whether it is the bottleneck.
    pub bottleneck: bool,
}

/// The level being played.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelView {
    /// The stage.
    pub stage: Stage,
    /// Its fault's action name.
    pub fault: &'static str,
    /// When its fault starts, simulated seconds.
    pub fault_at_s: f64,
    /// Its SLO, ms.
    pub slo_ms: f64,
    /// The verdict once the hour is over.
    pub passed: Option<bool>,
    /// The hour's cost per month, once over.
    pub cost_per_month: Option<f64>,
    /// Each test of the verdict: latency, errors, budget (once over).
    pub tests: Option<[bool; 3]>,
}

/// A region's deployment now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackView {
    /// Which.
    pub region: Region,
    /// Whether the architecture has a stack there.
    pub deployed: bool,
    /// Whether it is up (the US is down during `fail-region`).
    pub up: bool,
    /// App servers ready.
    pub ready: u32,
    /// App servers starting.
    pub starting: u32,
    /// The circuit breaker's state (with a breaker).
    pub breaker: Option<State>,
}

/// The lab at one moment. Values "now" are those of the last whole second simulated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// The clock, simulated seconds.
    pub now_s: f64,
    /// The stage (0: sandbox).
    pub stage: u32,
    /// The level (`None` in the sandbox).
    pub level: Option<LevelView>,
    /// Users online now (with a spike, without the noise).
    pub users: f64,
    /// Requests per second arriving (`X`).
    pub throughput: f64,
    /// Requests per second that succeed.
    pub goodput: f64,
    /// The worst region's p99, ms.
    pub p99_ms: f64,
    /// Per user region (US, EU, Asia).
    pub regions: Vec<RegionView>,
    /// Failed share of this second's requests.
    pub error_rate: f64,
    /// Failed share of every request so far.
    pub error_rate_total: f64,
    /// Cost per month of the architecture now, dollars.
    pub cost_per_month: f64,
    /// Dollars spent so far.
    pub spent: f64,
    /// Every component present, in drawing order.
    pub components: Vec<ComponentView>,
    /// The bottleneck (highest utilisation).
    pub bottleneck: Option<ComponentView>,
    /// `1 / D_max`, requests per second (0 when no component has any demand).
    pub max_throughput: f64,
    /// The decision hints, the bottleneck's first.
    pub hints: Vec<Hint>,
    /// The deployments.
    pub stacks: Vec<StackView>,
    /// The cache's hit ratio.
    pub hit_ratio: f64,
    /// Database reads per second (cache misses and session lookups), every shard and region.
    pub db_reads_per_s: f64,
    /// Database writes per second, every shard and region.
    pub db_writes_per_s: f64,
    /// Connections the app servers ask of each database node (the largest region's).
    pub connections: f64,
    /// The connection limit.
    pub db_max_connections: u32,
    /// App servers, every region, ready and starting.
    pub app_servers: u32,
    /// Cross-region replication lag, ms.
    pub replication_lag_ms: f64,
    /// Read replicas' lag behind their primary, ms: the streaming lag plus the wait of a replica
    /// that cannot keep up (the largest; 0 without replicas).
    pub replica_lag_ms: f64,
    /// Tasks waiting for a worker.
    pub queue_backlog: f64,
    /// How long a task queued now waits for a worker, seconds (the largest region's).
    pub queue_lag_s: f64,
    /// Users logged out so far.
    pub sessions_lost: f64,
    /// Writes lost in failovers so far.
    pub writes_lost: f64,
    /// Faults on now (action names).
    pub faults_on: Vec<&'static str>,
    /// The latest events, oldest first.
    pub events: Vec<Event>,
    /// The charts.
    pub lines: Lines,
}

impl Snapshot {
    /// The value of a metric of [`METRICS`] (`bottleneck`: its index in [`Component::ALL`], -1
    /// without one); `None` for an unknown name.
    pub fn metric(&self, name: &str) -> Option<f64> {
        let region = |i: usize| self.regions.get(i).map(|r| r.p99_ms);
        Some(match name {
            "users" => self.users,
            "p99-ms" => self.p99_ms,
            "p99-us-ms" => region(0)?,
            "p99-eu-ms" => region(1)?,
            "p99-asia-ms" => region(2)?,
            "error-rate" => self.error_rate,
            "cost-per-month" => self.cost_per_month,
            "bottleneck" => self.bottleneck.as_ref().map_or(-1.0, |b| b.component.index() as f64),
            "bottleneck-utilization" => self.bottleneck.as_ref().map_or(0.0, |b| b.utilization),
            "max-throughput" => self.max_throughput,
            "stage-passed" => f64::from(u8::from(self.stage_passed())),
            "throughput" => self.throughput,
            "goodput" => self.goodput,
            "error-rate-total" => self.error_rate_total,
            "hit-ratio" => self.hit_ratio,
            "db-reads-per-s" => self.db_reads_per_s,
            "db-writes-per-s" => self.db_writes_per_s,
            "connections" => self.connections,
            "app-servers" => f64::from(self.app_servers),
            "replication-lag-ms" => self.replication_lag_ms,
            "replica-lag-ms" => self.replica_lag_ms,
            "queue-backlog" => self.queue_backlog,
            "queue-lag-s" => self.queue_lag_s,
            "sessions-lost" => self.sessions_lost,
            _ => return None,
        })
    }

    /// The text value of a metric: the bottleneck's name for `bottleneck` (`none` without one),
    /// else `None`.
    pub fn metric_text(&self, name: &str) -> Option<&'static str> {
        (name == "bottleneck").then(|| self.bottleneck.as_ref().map_or("none", |b| b.name))
    }

    /// Whether the level was won (false in the sandbox and before the hour is over).
    pub fn stage_passed(&self) -> bool {
        self.level.as_ref().and_then(|l| l.passed).unwrap_or(false)
    }
}

fn view(u: &Usage, top: Option<Component>) -> ComponentView {
    ComponentView {
        component: u.component,
        name: u.component.as_str(),
        label: u.component.label(),
        utilization: u.utilization,
        demand_s: u.demand_s,
        capacity: u.capacity,
        bottleneck: top == Some(u.component),
    }
}

impl JourneyLab {
    /// The components present now with their utilisation, in drawing order.
    pub fn usages(&self) -> Vec<Usage> {
        self.last.usages.iter().flatten().copied().collect()
    }

    /// The throughput bound `1 / D_max` now, requests per second (0 without demand).
    pub fn max_throughput(&self) -> f64 {
        let x = max_throughput(&self.usages());
        if x.is_finite() {
            x
        } else {
            0.0
        }
    }

    /// The plain-data view of the lab.
    pub fn snapshot(&self) -> Snapshot {
        let second = &self.last;
        let usages = self.usages();
        let top = bottleneck(&usages);
        let top_component = top.map(|u| u.component);
        let totals = &self.stats.regions;
        let regions: Vec<RegionView> = Region::ALL
            .into_iter()
            .map(|r| {
                let s = &second.regions[r.index()];
                RegionView {
                    region: r,
                    share: self.traffic.shares[r.index()],
                    requests: s.requests,
                    served_by: s.served_by,
                    rtt_ms: s.rtt_ms,
                    p99_ms: s.latency.percentile_s(0.99) * 1_000.0,
                    error_rate: if s.requests > 0.0 {
                        (s.errors / s.requests).clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                    slow_share: totals[r.index()].slow_share(),
                }
            })
            .collect();
        let p99_ms = regions
            .iter()
            .filter(|r| r.requests > 0.0)
            .map(|r| r.p99_ms)
            .fold(0.0, f64::max);
        let errors: f64 = second.regions.iter().map(|r| r.errors).sum();
        let served: Vec<_> = second.stacks.iter().flatten().collect();
        let h = &self.stats.histories;
        let line = |s: &crate::engine::TimeSeries| s.points().to_vec();
        let t = self.done_s.saturating_sub(1);
        let level = self.config.level().map(|stage| {
            let v: Option<Verdict> = self.verdict;
            LevelView {
                stage: *stage,
                fault: stage.fault.as_str(),
                fault_at_s: super::stages::FAULT_AT_S as f64,
                slo_ms: SLO_MS,
                passed: v.map(|v| v.passed),
                cost_per_month: v.map(|v| v.cost_per_month),
                tests: v.map(|v| [v.latency_ok, v.errors_ok, v.budget_ok]),
            }
        });
        let region_down = self.faults.is_on(Fault::RegionDown, t) && self.done_s > 0;
        Snapshot {
            now_s: to_secs(self.now),
            stage: self.config.stage,
            level,
            users: self.traffic.users * self.faults.spike_factor(second.at_s),
            throughput: second.throughput,
            goodput: second.goodput,
            p99_ms,
            regions,
            error_rate: if second.throughput > 0.0 {
                (errors / second.throughput).clamp(0.0, 1.0)
            } else {
                0.0
            },
            error_rate_total: self.stats.overall().error_rate(),
            cost_per_month: second.cost_per_month,
            spent: self.stats.spent,
            components: usages.iter().map(|u| view(u, top_component)).collect(),
            bottleneck: top.map(|u| view(&u, top_component)),
            max_throughput: self.max_throughput(),
            hints: self.hints(),
            stacks: Region::ALL
                .into_iter()
                .map(|r| {
                    let stack = &self.stacks[r.index()];
                    StackView {
                        region: r,
                        deployed: stack.deployed,
                        up: stack.deployed && !(r == Region::Us && region_down),
                        ready: stack.fleet.ready(),
                        starting: stack.fleet.starting(),
                        breaker: self.config.breaker.then(|| stack.breaker.state()),
                    }
                })
                .collect(),
            hit_ratio: if self.config.cache_gb > 0.0 {
                self.hit_ratio
            } else {
                0.0
            },
            db_reads_per_s: served.iter().map(|s| s.db_reads + s.db_sessions).sum(),
            db_writes_per_s: served.iter().map(|s| s.writes).sum(),
            connections: served.iter().map(|s| s.connections).fold(0.0, f64::max),
            db_max_connections: self.config.db_max_connections,
            app_servers: self.stacks.iter().filter(|s| s.deployed).map(|s| s.fleet.size()).sum(),
            replication_lag_ms: if self.config.regions == Regions::Single {
                0.0
            } else {
                second.replication_lag_ms
            },
            replica_lag_ms: served
                .iter()
                .filter(|s| s.replicas > 0)
                .map(|s| super::assumptions::LOCAL_LAG_MS + s.replica.backlog_wait_s * 1_000.0)
                .fold(0.0, f64::max),
            queue_backlog: self.stacks.iter().map(|s| s.stations.workers.backlog()).sum(),
            queue_lag_s: served.iter().map(|s| s.workers.backlog_wait_s).fold(0.0, f64::max),
            sessions_lost: self.stats.sessions_lost,
            writes_lost: self.stats.writes_lost,
            faults_on: Fault::ALL
                .into_iter()
                .filter(|f| self.done_s > 0 && self.faults.is_on(*f, t))
                .map(Fault::as_str)
                .collect(),
            events: self.events.iter().cloned().collect(),
            lines: Lines {
                p99_ms: [line(&h.p99_ms[0]), line(&h.p99_ms[1]), line(&h.p99_ms[2])],
                error_rate: line(&h.error_rate),
                throughput: line(&h.throughput),
                bottleneck: line(&h.bottleneck),
                cost_per_month: line(&h.cost_per_month),
                app_servers: line(&h.app_servers),
            },
        }
    }
}
