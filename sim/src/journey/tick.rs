//! One simulated second of the journey: traffic, routing to regions, each region's stack
//! (`serve.rs`), every user region's request classes (errors and response times), the
//! utilisation of every component, cost; then the breaker, the autoscaler and the log.

use super::assumptions::*;
use super::choices::{Regions, Sessions};
use super::components::{Component, Usage, MAX_UTILIZATION};
use super::config::Config;
use super::faults::{EventKind, Fault, Faults};
use super::lab::{JourneyLab, Stack, BREAKER_CALLS_PER_S};
use super::latency::{combine, ClassLatency, RegionLatency};
use super::network::{cross_region_lag_ms, nearest, rtt_ms, Region, CDN_EDGE_MS};
use super::prices::*;
use super::serve::{serve, Demand, Served};
use super::stages::{Traffic, LEVEL_S, SLO_MS};
use super::stats::SAMPLE_S;
use crate::autoscaling::{SyncInput, SYNC_S};
use crate::breaker::{Call, State};
use crate::engine::time::MICROS_PER_SEC;

/// Capacity of the CDN per region, requests per second (an edge network; where the model stops
/// it).
pub const CDN_CAPACITY: f64 = 50_000_000.0;

/// One user region in one second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UserSecond {
    /// Requests per second its users make.
    pub requests: f64,
    /// Of them, failed per second.
    pub errors: f64,
    /// The region that serves its dynamic requests (`None`: nobody, they fail).
    pub served_by: Option<Region>,
    /// The network round trip to that region, ms (to the home region when nobody serves).
    pub rtt_ms: f64,
    /// The response times of its successful requests.
    pub latency: RegionLatency,
}

/// The last second simulated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Second {
    /// Which second (its start, simulated seconds).
    pub at_s: u64,
    /// Users online (after the spike and the noise).
    pub users: f64,
    /// Per user region (US, EU, Asia).
    pub regions: [UserSecond; 3],
    /// Per serving region (US, EU, Asia): its stack's second, when it served.
    pub stacks: [Option<Served>; 3],
    /// Utilisation of every component present (indexed like [`Component::ALL`]).
    pub usages: [Option<Usage>; 9],
    /// Requests per second arriving, every region (the system throughput `X`).
    pub throughput: f64,
    /// Requests per second that succeeded.
    pub goodput: f64,
    /// Static requests per second (CDN or app servers).
    pub static_rps: f64,
    /// The architecture's cost per month at this second's size and traffic, dollars.
    pub cost_per_month: f64,
    /// Cross-region replication lag, ms (the largest; 0 with one region).
    pub replication_lag_ms: f64,
    /// Share of the third-party calls that hang (per serving region).
    pub third_party_hang: [f64; 3],
}

/// The region that serves users of `user` during second `t`.
pub fn route(config: &Config, faults: &Faults, t: u64, user: Region) -> Option<Region> {
    let us_down = faults.is_on(Fault::RegionDown, t);
    let down_for = faults.on_for(Fault::RegionDown, t);
    match config.regions {
        Regions::Single => (!us_down).then_some(Region::Us),
        Regions::ActivePassive => {
            if !us_down {
                Some(Region::Us)
            } else if down_for >= PASSIVE_FAILOVER_S {
                Some(Region::Eu)
            } else {
                None
            }
        }
        Regions::ActiveActive => {
            if !(us_down && user == Region::Us) {
                if us_down {
                    nearest(user, [false, true, true])
                } else {
                    Some(user)
                }
            } else if down_for >= ACTIVE_FAILOVER_S {
                nearest(user, [false, true, true])
            } else {
                None
            }
        }
    }
}

fn survive(shares: &[f64]) -> f64 {
    shares.iter().fold(1.0, |ok, f| ok * (1.0 - f.clamp(0.0, 1.0)))
}

/// The request classes of `requests` per second from `user` served by `g`'s second `s`, and how
/// many failed.
#[allow(clippy::too_many_arguments)]
fn classes(
    config: &Config,
    requests: f64,
    static_share: f64,
    read_ratio: f64,
    slow_share: f64,
    rtt_s: f64,
    s: &Served,
    hit: f64,
    hang: f64,
    third_party_down: bool,
    dead_share: f64,
) -> (RegionLatency, f64) {
    let mut out = RegionLatency::default();
    let mut errors = 0.0;
    let lb = if s.has_lb { LB_S } else { 0.0 };
    let app = s.app.queue.map(|q| (q, q.mean_response_s()));
    let app_fail = survive(&[s.thread_refused, s.app.timeout_share()]);
    // Static files.
    let statics = requests * static_share;
    out.classes[0] = if config.cdn {
        ClassLatency {
            rate: statics,
            fixed_s: CDN_EDGE_MS / 1_000.0,
            random: None,
        }
    } else {
        errors += statics * (1.0 - app_fail);
        ClassLatency {
            rate: statics * app_fail,
            fixed_s: rtt_s + lb + s.app.backlog_wait_s,
            random: app.map(|(q, _)| q),
        }
    };
    // Dynamic requests.
    let dynamic = requests - statics;
    let stateless_db = config.sessions == Sessions::Stateless && !s.has_cache;
    let cache_s = if s.has_cache {
        CACHE_S + s.cache.backlog_wait_s
    } else {
        0.0
    };
    let cache_ok = if s.has_cache {
        1.0 - s.cache.timeout_share()
    } else {
        1.0
    };
    let db_ok = survive(&[s.connection_refused, s.pool_refused]);
    let third_party_s = if third_party_down { 0.0 } else { THIRD_PARTY_S };
    let kinds = [
        (read_ratio * hit, false, false),
        (read_ratio * (1.0 - hit), true, false),
        (1.0 - read_ratio, true, true),
    ];
    let extras = [
        ((1.0 - slow_share - THIRD_PARTY_SHARE).max(0.0), 0.0, 1.0),
        (slow_share, if config.queue { ENQUEUE_S } else { SLOW_TASK_S }, 1.0),
        (THIRD_PARTY_SHARE, third_party_s, 1.0 - hang),
    ];
    let mut i = 1;
    for (kind_share, misses, writes) in kinds {
        for (extra_share, extra_s, extra_ok) in extras {
            let rate = dynamic * kind_share * extra_share;
            let uses_db = misses || stateless_db;
            let db = if writes || !misses {
                &s.primary
            } else {
                s.read_station()
            };
            let on_primary = writes || (misses && s.replicas == 0) || (!misses && stateless_db);
            let mut ok = app_fail * cache_ok * extra_ok;
            let mut fixed = rtt_s + lb + s.app.backlog_wait_s + cache_s + extra_s;
            let mut db_random = None;
            if uses_db {
                ok *= db_ok * (1.0 - db.timeout_share());
                if on_primary {
                    ok *= 1.0 - dead_share;
                }
                fixed += db.backlog_wait_s;
                db_random = db.queue.map(|q| (q, q.mean_response_s()));
            }
            let (random, add) = combine(app, db_random);
            errors += rate * (1.0 - ok);
            if let Some(c) = out.classes.get_mut(i) {
                *c = ClassLatency {
                    rate: rate * ok,
                    fixed_s: fixed + add,
                    random,
                };
            }
            i += 1;
        }
    }
    (out, errors)
}

/// What a second is computed from, besides the stacks.
struct World<'a> {
    config: &'a Config,
    traffic: Traffic,
    hit_ratio: f64,
    faults: &'a Faults,
}

impl World<'_> {
    /// The second `t` on `stacks` with `users` online (no accounting).
    fn compute(&self, t: u64, users: f64, stacks: &mut [Stack; 3]) -> Second {
        let c = self.config;
        let tr = self.traffic;
        let mut second = Second {
            at_s: t,
            users,
            ..Second::default()
        };
        let region_down = self.faults.is_on(Fault::RegionDown, t);
        let third_party_down = self.faults.is_on(Fault::ThirdPartyDown, t);
        let mut to = [0.0; 3];
        for user in Region::ALL {
            let u = user.index();
            let requests = users * tr.shares[u] * REQUESTS_PER_USER_S;
            let served_by = route(c, self.faults, t, user);
            second.regions[u].requests = requests;
            second.regions[u].served_by = served_by;
            second.regions[u].rtt_ms = rtt_ms(user, served_by.unwrap_or(Region::Us));
            if let Some(g) = served_by {
                to[g.index()] += requests;
            }
        }
        let all_writes = to.iter().sum::<f64>() * (1.0 - tr.static_share) * (1.0 - tr.read_ratio);
        let primary_down = self.faults.is_on(Fault::PrimaryDown, t);
        let failing_over =
            primary_down && (c.replicas == 0 || self.faults.on_for(Fault::PrimaryDown, t) < PRIMARY_FAILOVER_S);
        for g in Region::ALL {
            let i = g.index();
            let stack = &mut stacks[i];
            let up = stack.deployed && !(g == Region::Us && region_down);
            if !up || to[i] <= 0.0 && g != Region::Us {
                continue;
            }
            let replicas = if primary_down && g == Region::Us && c.replicas > 0 && !failing_over {
                c.replicas - 1
            } else {
                c.replicas
            };
            let hang = if third_party_down { stack.passed } else { 0.0 };
            second.third_party_hang[i] = hang;
            let demand = Demand {
                requests: to[i],
                all_writes,
                applies_remote: c.regions == Regions::ActiveActive,
                ready: stack.fleet.ready(),
                servers: stack.fleet.size(),
                replicas,
                hit_ratio: self.hit_ratio,
                third_party_hang: hang,
            };
            second.stacks[i] = Some(serve(
                c,
                tr.static_share,
                tr.read_ratio,
                tr.slow_share,
                &demand,
                &mut stack.stations,
            ));
        }
        // Requests per user region.
        let dead_share = if failing_over {
            1.0 / f64::from(c.shards.max(1))
        } else {
            0.0
        };
        for user in Region::ALL {
            let u = user.index();
            let requests = second.regions[u].requests;
            let Some(g) = second.regions[u].served_by else {
                // Nobody serves them: only static files from the CDN get through.
                let mut latency = RegionLatency::default();
                let cdn = if c.cdn { requests * tr.static_share } else { 0.0 };
                latency.classes[0] = ClassLatency {
                    rate: cdn,
                    fixed_s: CDN_EDGE_MS / 1_000.0,
                    random: None,
                };
                second.regions[u].latency = latency;
                second.regions[u].errors = requests - cdn;
                continue;
            };
            let Some(s) = second.stacks[g.index()] else {
                second.regions[u].errors = requests;
                continue;
            };
            let dead = if g == Region::Us { dead_share } else { 0.0 };
            let (latency, errors) = classes(
                c,
                requests,
                tr.static_share,
                tr.read_ratio,
                tr.slow_share,
                second.regions[u].rtt_ms / 1_000.0,
                &s,
                if s.has_cache { self.hit_ratio } else { 0.0 },
                second.third_party_hang[g.index()],
                third_party_down,
                dead,
            );
            second.regions[u].latency = latency;
            second.regions[u].errors = errors;
        }
        second.throughput = second.regions.iter().map(|r| r.requests).sum();
        second.goodput = second.regions.iter().map(|r| r.latency.rate()).sum();
        second.static_rps = second.throughput * tr.static_share;
        self.usages(&mut second);
        second.cost_per_month = self.cost_per_month(&second, stacks);
        second.replication_lag_ms = match c.regions {
            Regions::Single => 0.0,
            Regions::ActivePassive => cross_region_lag_ms(Region::Us, Region::Eu, LOCAL_LAG_MS),
            Regions::ActiveActive => cross_region_lag_ms(Region::Us, Region::Asia, LOCAL_LAG_MS),
        };
        second
    }
}

impl JourneyLab {
    fn world(&self) -> World<'_> {
        World {
            config: &self.config,
            traffic: self.traffic,
            hit_ratio: self.hit_ratio,
            faults: &self.faults,
        }
    }
}

impl World<'_> {
    /// Fills in the utilisation of every component present: the hottest copy's `U`, and
    /// `D = U / X`.
    fn usages(&self, second: &mut Second) {
        let x = second.throughput;
        let mut put = |component: Component, utilization: f64, capacity: f64| {
            let slot = &mut second.usages[component.index()];
            let utilization = if utilization.is_finite() {
                utilization.min(MAX_UTILIZATION)
            } else {
                MAX_UTILIZATION
            };
            if slot.is_none_or(|u| utilization > u.utilization) {
                *slot = Some(Usage {
                    component,
                    utilization,
                    demand_s: if x > 0.0 { utilization / x } else { 0.0 },
                    capacity,
                });
            }
        };
        if self.config.cdn {
            put(Component::Cdn, second.static_rps / CDN_CAPACITY, CDN_CAPACITY);
        }
        for s in second.stacks.iter().flatten() {
            if s.has_lb {
                let through = s.dynamic + s.app_static;
                put(Component::LoadBalancer, through / LB_CAPACITY, LB_CAPACITY);
            }
            put(Component::AppServers, s.app.utilization, s.app.capacity);
            let threads_u = if s.threads > 0.0 {
                s.threads_busy / s.threads
            } else {
                f64::INFINITY
            };
            put(Component::AppThreads, threads_u, s.threads);
            if s.db_reads + s.writes + s.db_sessions > 0.0 {
                put(
                    Component::DbConnections,
                    s.pool_busy / f64::from(self.config.pool.max(1)),
                    f64::from(self.config.pool),
                );
            }
            if s.has_cache {
                put(Component::Cache, s.cache.utilization, s.cache.capacity);
            }
            put(Component::DbPrimary, s.primary.utilization, s.primary.capacity);
            if s.replicas > 0 {
                put(Component::DbReplicas, s.replica.utilization, s.replica.capacity);
            }
            if self.config.queue {
                put(Component::Workers, s.workers.utilization, s.workers.capacity);
            }
        }
    }

    /// Dollars per month of the architecture at this second's size and traffic.
    fn cost_per_month(&self, second: &Second, stacks: &[Stack; 3]) -> f64 {
        let c = &self.config;
        let mut total = 0.0;
        for stack in stacks.iter().filter(|s| s.deployed) {
            let servers = f64::from(stack.fleet.size());
            total += servers * server_per_hour(c.server_size) * HOURS_PER_MONTH;
            if stack.fleet.size() > 1 || c.app_servers > 1 || c.autoscale {
                total += LOAD_BALANCER_PER_MONTH;
            }
            let nodes = f64::from(c.shards) * (1.0 + f64::from(c.replicas));
            total += nodes * DB_NODE_PER_HOUR * HOURS_PER_MONTH;
            total += c.cache_gb * CACHE_PER_GB_MONTH;
            if c.queue {
                total += f64::from(c.workers) * WORKER_PER_HOUR * HOURS_PER_MONTH;
            }
        }
        if c.queue {
            let tasks: f64 = second.stacks.iter().flatten().map(|s| s.tasks).sum();
            total += tasks * SECONDS_PER_MONTH / 1e6 * QUEUE_PER_MILLION;
        }
        if c.cdn {
            total += second.static_rps * SECONDS_PER_MONTH / 1e6 * CDN_PER_MILLION;
        }
        total
    }
}

impl JourneyLab {
    /// The state at the current second without simulating it (noise-free traffic, copies of the
    /// stations): what a snapshot shows before the first second, or right after a change.
    pub(super) fn measure(&self) -> Second {
        let mut stacks = self.stacks.clone();
        let users = self.traffic.users * self.faults.spike_factor(self.done_s);
        self.world().compute(self.done_s, users, &mut stacks)
    }

    /// Feeds this second's third-party calls to each region's breaker.
    fn feed_breakers(&mut self, t: u64) {
        let down = self.faults.is_on(Fault::ThirdPartyDown, t);
        let on = self.config.breaker;
        for i in 0..3 {
            let stack = &mut self.stacks[i];
            if !on || !stack.deployed {
                stack.passed = 1.0;
                continue;
            }
            let before = stack.breaker.state();
            let start = t.saturating_mul(MICROS_PER_SEC);
            while let Some(&(due, permit)) = stack.pending.front() {
                if due > start {
                    break;
                }
                stack.pending.pop_front();
                stack.breaker.record(
                    due,
                    permit,
                    Call {
                        failed: true,
                        duration: due.saturating_sub(start),
                    },
                );
            }
            let n = BREAKER_CALLS_PER_S;
            let mut passed = 0;
            for k in 0..n {
                let at = Self::at(t, u64::from(k) * 1_000 / u64::from(n));
                if let Some(permit) = stack.breaker.try_acquire(at) {
                    passed += 1;
                    if down {
                        let due = at.saturating_add((THIRD_PARTY_TIMEOUT_S * 1e6) as u64);
                        if stack.pending.len() < 4_096 {
                            stack.pending.push_back((due, permit));
                        }
                    } else {
                        stack.breaker.record(
                            at,
                            permit,
                            Call {
                                failed: false,
                                duration: (THIRD_PARTY_S * 1e6) as u64,
                            },
                        );
                    }
                }
            }
            stack.passed = f64::from(passed) / f64::from(n);
            let after = stack.breaker.state();
            if stack.deployed && before != after {
                let region = Region::ALL[i].as_str();
                match after {
                    State::Open if before == State::Closed || before == State::HalfOpen => self.events.push(
                        t,
                        EventKind::BreakerOpened,
                        format!("The circuit breaker ({region}) opened: third-party calls fail fast with a fallback."),
                    ),
                    State::Closed => self.events.push(
                        t,
                        EventKind::BreakerClosed,
                        format!("The circuit breaker ({region}) closed: the third party answers again."),
                    ),
                    _ => {}
                }
            }
        }
    }

    /// One simulated second.
    pub(super) fn tick(&mut self) {
        let t = self.done_s;
        self.fault_edges(t);
        for stack in &mut self.stacks {
            stack.fleet.advance(t);
        }
        self.feed_breakers(t);
        let z = self.noise.sample(&mut self.rng);
        let users = (self.traffic.users * self.faults.spike_factor(t) * (1.0 + z)).max(0.0);
        let world = World {
            config: &self.config,
            traffic: self.traffic,
            hit_ratio: self.hit_ratio,
            faults: &self.faults,
        };
        let second = world.compute(t, users, &mut self.stacks);
        self.account(&second);
        self.autoscale(t, &second);
        self.last = second;
        self.done_s = t + 1;
        if self.done_s == LEVEL_S {
            self.judge();
        }
    }

    /// Logs faults starting (scheduled ones) and ending, failovers and what they cost.
    fn fault_edges(&mut self, t: u64) {
        for fault in Fault::ALL {
            let Some((from, until)) = self.faults.window(fault) else {
                continue;
            };
            if t == from
                && t > 0
                && self
                    .events
                    .iter()
                    .all(|e| !(e.at_s == t as f64 && e.kind == EventKind::FaultStarted))
            {
                self.events
                    .push(t, EventKind::FaultStarted, format!("{}.", fault.label()));
            }
            if t == from {
                self.on_fault_start(fault, t);
            }
            if t == until {
                self.events
                    .push(t, EventKind::FaultEnded, format!("{}: over.", fault.label()));
            }
        }
        if self.faults.is_on(Fault::RegionDown, t) {
            let down_for = self.faults.on_for(Fault::RegionDown, t);
            let (after, text) = match self.config.regions {
                Regions::Single => (u64::MAX, ""),
                Regions::ActivePassive => (
                    PASSIVE_FAILOVER_S,
                    "The EU standby took over: everyone is served from the EU.",
                ),
                Regions::ActiveActive => (ACTIVE_FAILOVER_S, "US users now reach the EU region."),
            };
            if down_for == after {
                self.events.push(t, EventKind::Failover, text.into());
            }
        }
        if self.faults.is_on(Fault::PrimaryDown, t)
            && self.config.replicas > 0
            && self.faults.on_for(Fault::PrimaryDown, t) == PRIMARY_FAILOVER_S
        {
            self.events.push(
                t,
                EventKind::Failover,
                "A replica was promoted: writes go to the new primary.".into(),
            );
        }
    }

    /// What a fault costs at once: writes not yet replicated, sessions on servers that went away.
    fn on_fault_start(&mut self, fault: Fault, t: u64) {
        let last = self.last.clone();
        match fault {
            Fault::PrimaryDown if self.config.replicas > 0 => {
                let us = last.stacks[0].map_or(0.0, |s| s.writes) / f64::from(self.config.shards.max(1));
                let lost = us * LOCAL_LAG_MS / 1_000.0;
                self.stats.writes_lost += lost;
                self.events.push(
                    t,
                    EventKind::WritesLost,
                    format!("{lost:.0} writes acknowledged in the last {LOCAL_LAG_MS:.0} ms never reached a replica."),
                );
            }
            Fault::RegionDown => {
                if self.config.regions != Regions::Single {
                    let us = last.stacks[0].map_or(0.0, |s| s.writes);
                    let lag = last.replication_lag_ms;
                    let lost = us * lag / 1_000.0;
                    self.stats.writes_lost += lost;
                    self.events.push(
                        t,
                        EventKind::WritesLost,
                        format!("{lost:.0} US writes of the last {lag:.0} ms had not reached another region."),
                    );
                }
                if self.config.sessions == Sessions::Local {
                    let users = last
                        .regions
                        .iter()
                        .filter(|r| r.served_by == Some(Region::Us))
                        .map(|r| r.requests)
                        .sum::<f64>()
                        / REQUESTS_PER_USER_S;
                    self.lose_sessions(t, users, 0, "the US region went down");
                }
            }
            _ => {}
        }
    }

    /// `users` of user region `region` (an index) are logged out: each fails one request (they
    /// must log in again).
    fn lose_sessions(&mut self, t: u64, users: f64, region: usize, why: &str) {
        if users <= 0.0 {
            return;
        }
        self.stats.sessions_lost += users;
        if let Some(totals) = self.stats.regions.get_mut(region) {
            let room = (totals.requests - totals.errors).max(0.0);
            totals.errors += users.min(room);
        }
        self.events.push(
            t,
            EventKind::SessionsLost,
            format!("{users:.0} users were logged out: {why} with their sessions in memory."),
        );
    }

    /// Counts the second: totals, spend, charts, the connection limit in the log.
    fn account(&mut self, second: &Second) {
        let slo = SLO_MS / 1_000.0;
        for (totals, r) in self.stats.regions.iter_mut().zip(&second.regions) {
            totals.requests += r.requests;
            totals.errors += r.errors.clamp(0.0, r.requests);
            totals.slow += r.latency.rate() * r.latency.share_slower(slo);
        }
        self.stats.spent += second.cost_per_month / SECONDS_PER_MONTH;
        let refusing = second.stacks.iter().flatten().any(|s| s.connection_refused > 0.0);
        if refusing && !self.refusing {
            if let Some(s) = second.stacks.iter().flatten().find(|s| s.connection_refused > 0.0) {
                self.events.push(
                    second.at_s,
                    EventKind::ConnectionsRefused,
                    format!(
                        "The database refuses connections: {:.0} asked for, {} allowed.",
                        s.connections, self.config.db_max_connections
                    ),
                );
            }
        }
        self.refusing = refusing;
        if second.at_s.is_multiple_of(SAMPLE_S) {
            let at = second.at_s as f64;
            let h = &mut self.stats.histories;
            for (series, r) in h.p99_ms.iter_mut().zip(&second.regions) {
                if r.requests > 0.0 {
                    series.push(at, r.latency.percentile_s(0.99) * 1_000.0);
                }
            }
            let rate = if second.throughput > 0.0 {
                second.regions.iter().map(|r| r.errors).sum::<f64>() / second.throughput
            } else {
                0.0
            };
            h.error_rate.push(at, rate);
            h.throughput.push(at, second.throughput);
            let top = super::components::bottleneck(&second.usages.iter().flatten().copied().collect::<Vec<_>>());
            h.bottleneck.push(at, top.map_or(0.0, |u| u.utilization.min(10.0)));
            h.cost_per_month.push(at, second.cost_per_month);
            let servers: u32 = self.stacks.iter().filter(|s| s.deployed).map(|s| s.fleet.size()).sum();
            h.app_servers.push(at, f64::from(servers));
        }
    }

    /// The HPA of each region, every [`SYNC_S`] seconds.
    fn autoscale(&mut self, t: u64, second: &Second) {
        if !self.config.autoscale {
            return;
        }
        let done = t + 1;
        for i in 0..3 {
            let stack = &mut self.stacks[i];
            if !stack.deployed {
                continue;
            }
            if let Some(s) = &second.stacks[i] {
                if stack.fleet.ready() > 0 && s.app.capacity > 0.0 {
                    stack.cpu_window.0 += (s.app.served / s.app.capacity).clamp(0.0, 1.0) * 100.0;
                    stack.cpu_window.1 += 1;
                }
            }
            if !done.is_multiple_of(SYNC_S) {
                continue;
            }
            let (sum, n) = std::mem::take(&mut stack.cpu_window);
            let metric = (n > 0).then(|| sum / f64::from(n));
            let current = stack.fleet.size();
            let outcome = stack.hpa.sync(SyncInput {
                now_s: done,
                current,
                ready: stack.fleet.ready(),
                metric,
                target: CPU_TARGET,
                tolerance: 0.1,
                min: self.config.app_servers,
                max: AUTOSCALE_MAX.max(self.config.app_servers),
            });
            if outcome.replicas != current {
                stack.fleet.resize(outcome.replicas, done, STARTUP_S);
                let region = Region::ALL[i].as_str();
                self.events.push(
                    done,
                    EventKind::Scaled,
                    format!(
                        "The autoscaler ({region}) set {} app servers (was {current}).",
                        outcome.replicas
                    ),
                );
                if outcome.replicas < current && self.config.sessions == Sessions::Local {
                    let served =
                        second.stacks[i].map_or(0.0, |s| s.dynamic) / (1.0 - self.traffic.static_share).max(1e-9);
                    let users =
                        served / REQUESTS_PER_USER_S * f64::from(current - outcome.replicas) / f64::from(current);
                    self.lose_sessions(done, users, i, "the autoscaler removed servers");
                }
            }
        }
    }
}
