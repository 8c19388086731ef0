//! The load balancing lab model: clients, balancers and a fleet of servers on the simulation
//! clock.
//!
//! **Requests.** Requests arrive as one Poisson stream at `rate` req/s (see [`stream`](super::stream)),
//! each from a uniformly random client, to a uniformly random balancer. The balancer picks a server
//! among the members marked up with the [`Algorithm`] in force and routes it there at once:
//! - no server marked up: an error (`NoServer`);
//! - the server is dead (killed, not yet marked down): it fails at once, an error (`Failed`);
//! - a worker is free: service starts, lasting cost / speed (a slowed server's speed is a tenth);
//! - otherwise it waits in the server's FIFO queue, or is dropped when `queue_limit` requests
//!   already wait (`Dropped`).
//!
//! Latency = wait + service (+ `store_ms` with shared sessions: the store round trip is added to
//! the response, it does not hold a worker).
//!
//! **What balancers know.** With `refresh_ms` 0 every balancer sees the true requests in flight
//! (queued or in service) on every server. Otherwise they all read them every `refresh_ms` (one
//! published load report, the same for every balancer) and route on that reading until the next, not even
//! counting what it has sent since (see [`loads`](super::loads)): stale numbers herd.
//!
//! **Health checks.** One checker shared by every balancer probes every member at each multiple
//! of `check_interval_ms`: a dead server fails, any other passes (a slow one too: a gray failure).
//! `unhealthy_after` failures in a row mark a server down, `healthy_after` passes mark it up.
//!
//! **Static mode** (`static_requests` > 0, balls into bins): the requests are placed evenly over
//! the first simulated second and never finish; the load a balancer sees is the requests placed.
//! No health check or chart runs; nothing happens after 1 s.
//!
//! Randomness: one seed, forked into the request stream and the routing generator, so runs that
//! differ only in the algorithm see exactly the same requests ([`LoadBalancingLab::workload_fingerprint`]).
//! Cost per request: O(log pending events) plus the pick (see [`Algorithm`]); no allocation per
//! request once queues and the event heap have grown to their working size. Memory: the queues
//! (at most `queue_limit` per server), one pending completion per busy worker, the sessions table
//! (`clients` entries with local sessions), bounded charts and logs.

use std::collections::VecDeque;

use super::algorithm::Algorithm;
use super::balancer::Balancer;
use super::config::Config;
use super::loads::Loads;
use super::server::{Job, Server, Serving};
use super::snapshot::{LabEvent, Outcome, Routed};
use super::speeds::speed_of;
use super::stats::{Stats, SAMPLE_INTERVAL};
use super::stream::{Arrival, Stream, STATIC_SPAN};
use super::workload::{CostSampler, Sessions};
use crate::engine::time::{to_millis, to_secs, MICROS_PER_MILLI};
use crate::engine::{EventQueue, SimRng, SimTime};
use crate::hashring::hash::key_hash;
use crate::ConfigError;

/// Sub-stream numbers forked from the seed.
const STREAM_REQUESTS: u64 = 1;
const STREAM_ROUTING: u64 = 2;

/// Routing decisions kept for the snapshot.
pub const RECENT_KEPT: usize = 64;
/// Fleet events kept for the snapshot.
pub const EVENTS_KEPT: usize = 32;

/// A scheduled happening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// A request in service on `server` ends (ignored if the server no longer serves `ticket`:
    /// it was killed meanwhile).
    Done { server: u32, ticket: u64 },
    /// The health checker probes every member (ignored unless `generation` is current).
    Check { generation: u64 },
    /// Balancer `balancer` learns the true load (ignored unless `generation` is current).
    Refresh { balancer: u32, generation: u64 },
    /// A chart second ends.
    Sample,
}

/// Where a client's `local` session lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SessionHome {
    /// Server slot, or `u32::MAX` for none.
    pub(super) server: u32,
    /// The server's incarnation when the session started there.
    pub(super) epoch: u32,
}

impl SessionHome {
    const NONE: SessionHome = SessionHome {
        server: u32::MAX,
        epoch: 0,
    };
}

/// The load balancing lab. See the module docs.
#[derive(Clone, Debug)]
pub struct LoadBalancingLab {
    pub(super) config: Config,
    pub(super) now: SimTime,
    queue: EventQueue<Event>,
    pub(super) stream: Stream,
    route_rng: SimRng,
    /// Server slots: members in `members`' order, plus removed ones (draining, or reusable).
    pub(super) servers: Vec<Server>,
    /// Slots in membership order.
    pub(super) members: Vec<u32>,
    pub(super) loads: Loads,
    pub(super) balancers: Vec<Balancer>,
    session_homes: Vec<SessionHome>,
    pub(super) stats: Stats,
    pub(super) recent: VecDeque<Routed>,
    pub(super) events: VecDeque<LabEvent>,
    /// Time from the last kill to its mark-down (µs).
    pub(super) last_detection: Option<SimTime>,
    next_ticket: u64,
    check_generation: u64,
    refresh_generation: u64,
}

impl LoadBalancingLab {
    /// Requests per animation frame the lab handles comfortably: about 2 ms natively at 1,000
    /// servers (0.3–0.8 µs per request whatever the algorithm), a few ms in the browser. Step by
    /// at most `REQUESTS_PER_FRAME / rate` simulated seconds per frame, or call
    /// [`LoadBalancingLab::run_requests`] or [`Comparison::work`](super::Comparison::work) with it.
    pub const REQUESTS_PER_FRAME: u64 = 5_000;

    /// A lab for `config` (validated), at time 0, every server up and empty.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let speeds = config.speed_list()?;
        let mut root = SimRng::new(config.seed);
        let stream_rng = root.fork(STREAM_REQUESTS);
        let route_rng = root.fork(STREAM_ROUTING);
        let stream = if config.is_static() {
            Stream::even(
                stream_rng,
                u64::from(config.static_requests),
                config.clients,
                config.balancers,
            )
        } else {
            let cost = CostSampler::new(config.cost, config.mean_ms, config.variability)?;
            Stream::poisson(stream_rng, config.rate, cost, config.clients, config.balancers)?
        };
        let n = config.servers.max(1) as usize;
        let servers: Vec<Server> = (0..n)
            .map(|i| Server::new(speed_of(&speeds, i), config.workers, 0))
            .collect();
        let mut loads = Loads::new(n, config.balancers.max(1) as usize, shared_view(&config));
        for slot in 0..n {
            loads.set_up(slot, true);
        }
        loads.set_indexed(config.algorithm == Algorithm::LeastConnections);
        let session_homes = if config.sessions == Sessions::Local {
            vec![SessionHome::NONE; config.clients.max(1) as usize]
        } else {
            Vec::new()
        };
        let mut lab = Self {
            now: 0,
            queue: EventQueue::new(),
            stream,
            route_rng,
            servers,
            members: (0..n as u32).collect(),
            loads,
            balancers: vec![Balancer::new(n); config.balancers.max(1) as usize],
            session_homes,
            stats: Stats::new()?,
            recent: VecDeque::with_capacity(RECENT_KEPT),
            events: VecDeque::with_capacity(EVENTS_KEPT),
            last_detection: None,
            next_ticket: 0,
            check_generation: 0,
            refresh_generation: 0,
            config,
        };
        if !lab.config.is_static() {
            lab.queue.push(SAMPLE_INTERVAL, Event::Sample);
            lab.schedule_check();
        }
        lab.schedule_refreshes();
        Ok(lab)
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Simulated time now (µs).
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Runs every arrival and event up to and including simulated time `until` (µs), then sets
    /// the clock to `until` (never backwards). Call it in slices (e.g. once per animation frame,
    /// see [`LoadBalancingLab::REQUESTS_PER_FRAME`]).
    pub fn step_until(&mut self, until: SimTime) {
        self.advance(until, u64::MAX);
        self.now = self.now.max(until);
    }

    /// Runs the next `count` arrivals (and every event before each) as fast as possible and
    /// returns how many arrived; the clock stops at the last one. In static mode it returns fewer
    /// once every request is placed.
    pub fn run_requests(&mut self, count: u64) -> u64 {
        self.advance(SimTime::MAX, count)
    }

    /// Requests taken from the stream since the start.
    pub fn requests_issued(&self) -> u64 {
        self.stream.issued()
    }

    /// A digest of the requests so far (arrival times, clients, balancers, costs): equal digests
    /// mean the same requests (runs on one seed that differ only in the algorithm agree).
    pub fn workload_fingerprint(&self) -> u64 {
        self.stream.fingerprint()
    }

    /// Events waiting in the queue (one per busy worker, plus a few timers and completions of
    /// killed servers not yet due).
    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }

    /// Runs events and at most `max_arrivals` arrivals due by `until`; returns the arrivals run.
    /// Equal times: events first, then the arrival. Once the budget is spent it stops before the
    /// next arrival (events after it wait), so slicing never changes the results.
    pub(super) fn advance(&mut self, until: SimTime, max_arrivals: u64) -> u64 {
        let mut taken = 0u64;
        loop {
            let event_at = self.queue.peek_time().filter(|&t| t <= until);
            let arrival_at = self.stream.peek_time().filter(|&t| t <= until);
            match (event_at, arrival_at) {
                (Some(e), a) if a.is_none_or(|a| e <= a) => {
                    let Some((at, event)) = self.queue.pop() else {
                        break;
                    };
                    self.now = self.now.max(at);
                    self.handle(event);
                }
                (_, Some(_)) if taken < max_arrivals => {
                    let Some(arrival) = self.stream.take() else {
                        break;
                    };
                    self.now = self.now.max(arrival.at);
                    self.arrive(arrival);
                    taken += 1;
                }
                _ => break,
            }
        }
        taken
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Done { server, ticket } => self.done(server as usize, ticket),
            Event::Check { generation } => {
                if generation == self.check_generation {
                    self.health_check();
                    self.schedule_check();
                }
            }
            Event::Refresh { balancer, generation } => {
                if generation == self.refresh_generation {
                    self.loads.refresh(balancer as usize);
                    let next = self.now.saturating_add(self.refresh_period());
                    if !self.config.is_static() || next < STATIC_SPAN {
                        self.queue.push(next, Event::Refresh { balancer, generation });
                    }
                }
            }
            Event::Sample => {
                self.stats.sample(self.now);
                self.queue.push(self.now.saturating_add(SAMPLE_INTERVAL), Event::Sample);
            }
        }
    }

    /// Time between two refreshes of one balancer (µs).
    fn refresh_period(&self) -> SimTime {
        u64::from(self.config.refresh_ms) * MICROS_PER_MILLI
    }

    /// (Re)schedules every balancer's refreshes from now (none with a shared view).
    pub(super) fn schedule_refreshes(&mut self) {
        self.refresh_generation = self.refresh_generation.wrapping_add(1);
        if shared_view(&self.config) {
            return;
        }
        let period = self.refresh_period();
        let count = self.balancers.len() as u64;
        for b in 0..count {
            // Every balancer reads the same report at the same moment (one published load
            // report): the same old numbers, as REFERENCES.md's herding needs.
            let phase = 0;
            let at = if self.now <= phase {
                phase
            } else {
                let behind = self.now - phase;
                phase.saturating_add(behind.div_ceil(period).saturating_mul(period))
            };
            if self.config.is_static() && at >= STATIC_SPAN {
                continue;
            }
            let generation = self.refresh_generation;
            self.queue.push(
                at,
                Event::Refresh {
                    balancer: b as u32,
                    generation,
                },
            );
        }
    }

    /// (Re)schedules the next health check: the next multiple of the interval after now.
    pub(super) fn schedule_check(&mut self) {
        self.check_generation = self.check_generation.wrapping_add(1);
        if self.config.is_static() {
            return;
        }
        let interval = u64::from(self.config.check_interval_ms.max(1)) * MICROS_PER_MILLI;
        let at = (self.now / interval).saturating_add(1).saturating_mul(interval);
        let generation = self.check_generation;
        self.queue.push(at, Event::Check { generation });
    }

    fn arrive(&mut self, arrival: Arrival) {
        let now = self.now;
        self.stats.arrived();
        let b = (arrival.balancer as usize).min(self.balancers.len().saturating_sub(1));
        if let Some(balancer) = self.balancers.get_mut(b) {
            balancer.sent += 1;
        }
        let picked = self.pick(b, arrival.client);
        let outcome = match picked {
            None => {
                self.stats.failed(now);
                Outcome::NoServer
            }
            Some(slot) => self.deliver(b, slot, arrival),
        };
        if self.recent.len() >= RECENT_KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back(Routed {
            at_s: to_secs(now),
            balancer: b as u32,
            client: arrival.client,
            server: picked.map(|s| s as u32),
            outcome,
        });
    }

    /// Hands the request to server `slot`.
    fn deliver(&mut self, b: usize, slot: usize, arrival: Arrival) -> Outcome {
        let now = self.now;
        let Some(server) = self.servers.get_mut(slot) else {
            self.stats.failed(now);
            return Outcome::Failed;
        };
        if !server.alive {
            self.stats.failed(now);
            return Outcome::Failed;
        }
        if self.config.is_static() {
            server.placed += 1;
        } else {
            let job = Job {
                arrived: now,
                cost_ms: arrival.cost_ms as f32,
                balancer: b as u32,
            };
            if server.has_free_worker() {
                self.start(slot, job);
            } else if server.queue.len() < self.config.queue_limit as usize {
                server.queue.push_back(job);
                let waiting = server.queue.len();
                self.stats.queue_length(waiting);
            } else {
                self.stats.dropped(now);
                return Outcome::Dropped;
            }
        }
        self.loads.inc(b, slot);
        self.touch_session(arrival.client, slot);
        Outcome::Served
    }

    /// Starts serving `job` on `slot` (a worker is free).
    fn start(&mut self, slot: usize, job: Job) {
        let now = self.now;
        let Some(server) = self.servers.get_mut(slot) else {
            return;
        };
        server.touch(now);
        let ticket = self.next_ticket;
        self.next_ticket = self.next_ticket.wrapping_add(1);
        server.serving.push(Serving { ticket, job });
        let at = now.saturating_add(server.service_time(job.cost_ms));
        self.queue.push(
            at,
            Event::Done {
                server: slot as u32,
                ticket,
            },
        );
    }

    fn done(&mut self, slot: usize, ticket: u64) {
        let now = self.now;
        let Some(server) = self.servers.get_mut(slot) else {
            return;
        };
        let Some(pos) = server.serving.iter().position(|s| s.ticket == ticket) else {
            return; // killed while in service: already counted as an error
        };
        server.touch(now);
        let job = server.serving.swap_remove(pos).job;
        let store_ms = match self.config.sessions {
            Sessions::Shared => f64::from(self.config.store_ms),
            _ => 0.0,
        };
        let latency_ms = to_millis(now.saturating_sub(job.arrived)) + store_ms;
        if self.stats.completed(now, job.arrived, latency_ms) {
            server.served += 1;
        }
        let next = server.queue.pop_front();
        let b = job.balancer as usize;
        self.loads.dec(b, slot);
        if self.config.algorithm == Algorithm::PeakEwma {
            if let Some(ewma) = self.balancers.get_mut(b).and_then(|bal| bal.ewma.get_mut(slot)) {
                ewma.observe(latency_ms, now);
            }
        }
        if let Some(next) = next {
            self.start(slot, next);
        }
    }

    /// The server balancer `b` picks for a request of `client`, among the members marked up.
    fn pick(&mut self, b: usize, client: u32) -> Option<usize> {
        let Self {
            config,
            balancers,
            members,
            loads,
            servers,
            route_rng,
            now,
            ..
        } = self;
        let balancer = balancers.get_mut(b)?;
        let n = members.len();
        let slot_at = |pos: usize| members.get(pos % n.max(1)).map(|&s| s as usize);
        match config.algorithm {
            Algorithm::RoundRobin => {
                for k in 0..n {
                    let pos = (balancer.cursor + k) % n;
                    let slot = slot_at(pos)?;
                    if loads.is_up(slot) {
                        balancer.cursor = (pos + 1) % n;
                        return Some(slot);
                    }
                }
                None
            }
            Algorithm::WeightedRoundRobin => balancer.wrr.pick(loads.version(), || {
                members
                    .iter()
                    .filter(|&&s| loads.is_up(s as usize))
                    .map(|&s| (s, servers.get(s as usize).map_or(0, |x| x.weight)))
                    .collect()
            }),
            Algorithm::Random => loads.random_up(route_rng),
            Algorithm::LeastConnections => loads.least_loaded(b, route_rng),
            Algorithm::IpHash => {
                let start = (key_hash(u64::from(client)) % n.max(1) as u64) as usize;
                (0..n).filter_map(|k| slot_at(start + k)).find(|&s| loads.is_up(s))
            }
            Algorithm::PowerOfTwo => {
                let (x, y) = loads.two_up(route_rng)?;
                let Some(y) = y else {
                    return Some(x);
                };
                let (lx, ly) = (loads.seen(b, x), loads.seen(b, y));
                Some(lower(lx, ly, x, y, route_rng))
            }
            Algorithm::PeakEwma => {
                let (x, y) = loads.two_up(route_rng)?;
                let Some(y) = y else {
                    return Some(x);
                };
                let mut score = |slot: usize| {
                    let cost = balancer.ewma.get_mut(slot).map_or(0.0, |e| e.read(*now));
                    (f64::from(loads.seen(b, slot)) + 1.0) * cost
                };
                let (sx, sy) = (score(x), score(y));
                Some(lower(sx, sy, x, y, route_rng))
            }
        }
    }

    /// `local` sessions: the request of `client` landed on `slot`.
    fn touch_session(&mut self, client: u32, slot: usize) {
        let Some(home) = self.session_homes.get_mut(client as usize) else {
            return;
        };
        let Some(epoch) = self.servers.get(slot).map(|s| s.epoch) else {
            return;
        };
        if home.server as usize == slot && home.epoch == epoch {
            return;
        }
        if let Some(old) = self.servers.get_mut(home.server as usize) {
            if old.epoch == home.epoch {
                // A live session elsewhere: lost. (One whose server was killed or replaced was
                // counted then.)
                old.sessions = old.sessions.saturating_sub(1);
                self.stats.sessions_lost(1);
            }
        }
        if let Some(server) = self.servers.get_mut(slot) {
            server.sessions = server.sessions.saturating_add(1);
        }
        *home = SessionHome {
            server: slot as u32,
            epoch,
        };
    }

    /// Adds a line to the event log.
    pub(super) fn log(&mut self, text: String) {
        if self.events.len() >= EVENTS_KEPT {
            self.events.pop_front();
        }
        self.events.push_back(LabEvent {
            at_s: to_secs(self.now),
            text,
        });
    }

    /// Whether the balancers may route to `slot`: a member marked up.
    fn routable(&self, slot: usize) -> bool {
        self.servers.get(slot).is_some_and(|s| s.member && s.marked_up)
    }

    /// Brings the balancers' routable set in line with `slot`'s membership and health verdict.
    pub(super) fn sync_routable(&mut self, slot: usize) {
        let up = self.routable(slot);
        self.loads.set_up(slot, up);
    }

    /// The health checker probes every member now.
    fn health_check(&mut self) {
        let now = self.now;
        let (down_after, up_after) = (self.config.unhealthy_after, self.config.healthy_after);
        for pos in 0..self.members.len() {
            let Some(slot) = self.members.get(pos).map(|&s| s as usize) else {
                continue;
            };
            let Some(server) = self.servers.get_mut(slot) else {
                continue;
            };
            if server.alive {
                server.passed_checks = server.passed_checks.saturating_add(1);
                server.failed_checks = 0;
                if !server.marked_up && server.passed_checks >= up_after {
                    server.marked_up = true;
                    let passed = server.passed_checks;
                    self.sync_routable(slot);
                    self.log(format!("server {slot} marked up after {passed} passed checks"));
                }
            } else {
                server.failed_checks = server.failed_checks.saturating_add(1);
                server.passed_checks = 0;
                if server.marked_up && server.failed_checks >= down_after {
                    server.marked_up = false;
                    let failed = server.failed_checks;
                    let detection = server.died_at.map(|d| now.saturating_sub(d));
                    self.sync_routable(slot);
                    let since = match detection {
                        Some(d) => {
                            self.last_detection = Some(d);
                            format!(" ({:.1} s after it died)", to_secs(d))
                        }
                        None => String::new(),
                    };
                    self.log(format!("server {slot} marked down after {failed} failed checks{since}"));
                }
            }
        }
    }
}

/// Every balancer sees the true load: no refresh delay.
pub(super) fn shared_view(config: &Config) -> bool {
    config.refresh_ms == 0
}

/// The slot with the lower score, a fair coin on a tie.
fn lower<T: PartialOrd>(sx: T, sy: T, x: usize, y: usize, rng: &mut SimRng) -> usize {
    if sx < sy {
        x
    } else if sy < sx {
        y
    } else if rng.below(2) == 0 {
        x
    } else {
        y
    }
}
