//! The rate limiting lab model: clients (one of them abusive) send requests through a round-robin
//! load balancer to limiter instances, on the simulation clock.
//!
//! **Requests.** Each client has its own source of arrivals (see `arrivals.rs`): the well-behaved
//! ones Poisson at `client_rps`, the abuser (the last client) at `abuser_rps` shaped by
//! `burstiness`; [`RateLimitLab::flood_now`] adds a flood and [`RateLimitLab::burst_now`] a burst
//! by hand. Arrivals are kept outside the event queue (each source knows its next one); queued
//! events (retries, leaky bucket departures, timers) run first at equal times.
//!
//! **Decisions.** Every attempt (first or retry) goes to the next instance in round-robin order,
//! which asks the limiter of its key (the client, or everyone): on its own state (`local`,
//! `split`), the store's (`shared`, one state; every decision then takes `store_ms` more, added
//! to the request's delay), or its own copy of the store's, synced every `sync_ms` (`shared` with
//! a sync interval, see `sync.rs`; no wait per decision). Admitted requests pass at once; the
//! leaky bucket queues them (in the queue of the state set that decided) and they pass when they
//! leave the queue; refused ones get a 429 with Retry-After and their client gives
//! up, retries at once or pauses as Retry-After asks (see `clients.rs`). A request is admitted,
//! for the counts, the timeline and the worst window, when the limiter lets it through (with a
//! store, a round trip later for all requests alike).
//!
//! Randomness: one seed, forked into one arrival stream per client and one for the retry jitter,
//! so runs that differ only in the limiter see exactly the same first attempts. Cost: O(clients)
//! per arrival (the next source is found by a scan), O(1) per decision (amortised for the sliding
//! log), O(log n) per retry or queue departure. No allocation per request once the rings and
//! queues have reached their size; memory bounded (see `mod.rs`).

use std::collections::VecDeque;

use super::arrivals::{Pattern, Source};
use super::choices::{Retry, Scope};
use super::clients::{ClientState, Held, CLIENT_TIMEOUT, MAX_RETRIES, RETRY_GAP, RETRY_SLOTS};
use super::config::Config;
use super::limiter::{Decision, Limiter};
use super::snapshot::{LabEvent, LabEventKind};
use super::specs::MAX_RPS;
use super::stats::{Stats, SAMPLE_INTERVAL};
use super::sync::Synced;
use super::timeline::{Mark, Timeline};
use crate::engine::time::{from_secs, to_secs};
use crate::engine::{EventQueue, SimRng, SimTime};
use crate::params::Params;
use crate::ConfigError;

/// Sub-stream numbers forked from the seed.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_RETRIES: u64 = 2;
const STREAM_FLOOD: u64 = 3;

/// How long [`RateLimitLab::flood_now`] floods, in simulated seconds.
pub const FLOOD_SECS: f64 = 3.0;
/// A flood by hand sends this many times `abuser_rps`, at least [`FLOOD_MIN_RPS`] (and at most one
/// million per second).
pub const FLOOD_FACTOR: f64 = 10.0;
/// The slowest flood by hand, req/s.
pub const FLOOD_MIN_RPS: f64 = 1_000.0;
/// Most requests one [`RateLimitLab::burst_now`] sends.
pub const MAX_BURST_NOW: u64 = 100_000;
/// Lab events kept.
pub const EVENTS_KEPT: usize = 100;

/// A scheduled happening (arrivals are not queued; see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// `immediate`: a refused request is sent again.
    Retry { client: u8, attempt: u8, first_at: SimTime },
    /// `backoff`: a client's pause may be over.
    Resume { client: u8 },
    /// The head of a leaky bucket queue leaves (stale unless `generation` is the limiter's).
    Drain { slot: u32, generation: u32 },
    /// The timeline's bucket under way ends (stale unless `generation` is the timeline's).
    Tick { generation: u32 },
    /// Time to add a point to the charts.
    Sample,
    /// A synced store: every instance syncs now (stale unless `generation` is the limiter's).
    Sync { generation: u32 },
    /// A synced store: the sync under way ends (stale unless `generation` is the limiter's).
    SyncDone { generation: u32 },
}

/// A request waiting in a leaky bucket's queue: when it leaves (µs, the high 56 bits) and its
/// client (the low 8 bits), in 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Waiting(u64);

impl Waiting {
    /// The latest departure time a waiting request can hold, µs (about 2,283 years).
    const MAX_AT: SimTime = (1 << 56) - 1;

    fn new(at: SimTime, client: usize) -> Self {
        Self((at.min(Self::MAX_AT) << 8) | (client as u64 & 0xff))
    }

    /// When it leaves the queue (µs).
    fn at(self) -> SimTime {
        self.0 >> 8
    }

    /// Its client.
    fn client(self) -> usize {
        (self.0 & 0xff) as usize
    }
}

/// The rate limiting lab. See the module docs.
#[derive(Clone, Debug)]
pub struct RateLimitLab {
    pub(super) config: Config,
    pub(super) now: SimTime,
    queue: EventQueue<Event>,
    /// One limiter per key and state set: slot `set × keys + key` (with a synced store, each
    /// instance's view of the store).
    pub(super) limiters: Vec<Limiter>,
    /// With a synced store: the store's own state and the sync under way.
    pub(super) synced: Option<Synced>,
    /// Leaky bucket: the requests waiting in each slot's queue, in order of departure.
    pub(super) waiting: Vec<VecDeque<Waiting>>,
    generation: u32,
    pub(super) timeline: Timeline,
    timeline_generation: u32,
    sources: Vec<Source>,
    flood: Source,
    pub(super) flood_until: Option<SimTime>,
    /// Each source's next arrival (clients in order, then the flood; `SimTime::MAX`: none).
    arrival_times: Vec<SimTime>,
    /// The next arrival: time and source.
    next_arrival: Option<(SimTime, usize)>,
    retry_rng: SimRng,
    /// How requests reach the limiters (from the configuration).
    route: Route,
    /// The instance the load balancer sends the next request to.
    next_instance: usize,
    /// Each client's retries, pause and throttled state.
    pub(super) clients: Vec<ClientState>,
    pub(super) stats: Stats,
    pub(super) events: VecDeque<LabEvent>,
    /// Attempts handled since the start (the work done, for budgets).
    work: u64,
}

impl RateLimitLab {
    /// Requests (attempts) [`RateLimitLab::work_until`] handles per animation frame comfortably:
    /// a few milliseconds of wasm.
    pub const REQUESTS_PER_FRAME: u64 = 30_000;

    /// A lab for `config` (validated), at time 0 with fresh limiters.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let clients = config.clients as usize;
        let keys = config.keys();
        let mut root = SimRng::new(config.seed);
        let mut arrivals = root.fork(STREAM_ARRIVALS);
        let retry_rng = root.fork(STREAM_RETRIES);
        let flood = Source::new(root.fork(STREAM_FLOOD));
        let sources = (0..clients).map(|c| Source::new(arrivals.fork(c as u64))).collect();
        let limiters = build_limiters(&config, 0);
        let mut lab = Self {
            synced: config.synced().then(|| Synced::new(&config, &limiters, 0)),
            limiters,
            waiting: vec![VecDeque::new(); config.state_instances() * keys],
            generation: 0,
            timeline: Timeline::new(config.window(), clients, keys, 0),
            timeline_generation: 0,
            sources,
            flood,
            flood_until: None,
            arrival_times: vec![SimTime::MAX; clients + 1],
            next_arrival: None,
            retry_rng,
            route: Route::of(&config),
            next_instance: 0,
            clients: vec![ClientState::default(); clients],
            stats: Stats::new(clients, keys, config.window())?,
            events: VecDeque::with_capacity(EVENTS_KEPT),
            work: 0,
            now: 0,
            queue: EventQueue::new(),
            config,
        };
        lab.queue.push(SAMPLE_INTERVAL, Event::Sample);
        lab.schedule_tick();
        lab.schedule_sync();
        lab.start_sources();
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

    /// Attempts per simulated second to expect from now: the clients' rates (a flood by hand
    /// included), or the attempts of the last second if retries made them more. What a page
    /// multiplies by simulated seconds to size a frame's work.
    pub fn work_per_s(&self) -> f64 {
        let flood = if self.flood.active() {
            flood_rps(self.config.abuser_rps)
        } else {
            0.0
        };
        (self.config.demand_per_s() + flood).max(self.stats.recent.offered.per_sec(self.now))
    }

    /// Applies a new configuration, live where possible. On error nothing changes.
    ///
    /// - `seed` or `clients` changed: the run restarts from time 0.
    /// - `algorithm`, `limit`, `window_s`, `burst`, `rate_per_s`, `queue`, `scope`, `instances`,
    ///   `sync` or `sync_ms` changed: the limiter restarts now with fresh state on every instance (full
    ///   buckets, empty windows, logs and queues; requests waiting in a leaky bucket are dropped,
    ///   their clients give up) and the worst window is measured afresh. `window_s` or `scope`
    ///   also restart the timeline.
    /// - `client_rps`, `abuser_rps`, `burstiness` (and `window_s`, for periodic bursts): the
    ///   arrival streams restart now at the new rates.
    /// - `store_ms` and `retry` apply from the next request, refusal or sync.
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        if config.seed != self.config.seed || config.clients != self.config.clients {
            *self = Self::new(config)?;
            return Ok(());
        }
        let old = std::mem::replace(&mut self.config, config);
        self.route = Route::of(&self.config);
        self.next_instance %= self.route.instances;
        let new = &self.config;
        let limiter_changed = new.algorithm != old.algorithm
            || new.limit != old.limit
            || new.window_s != old.window_s
            || new.burst != old.burst
            || new.rate_per_s != old.rate_per_s
            || new.queue != old.queue
            || new.scope != old.scope
            || new.instances != old.instances
            || new.sync != old.sync
            || new.sync_ms != old.sync_ms;
        let timeline_changed = new.window_s != old.window_s || new.scope != old.scope;
        let sources_changed = new.client_rps != old.client_rps
            || new.abuser_rps != old.abuser_rps
            || new.burstiness != old.burstiness
            || (new.window_s != old.window_s && new.burstiness == super::choices::Burstiness::PeriodicBursts);
        if limiter_changed {
            self.restart_limiter();
        }
        if timeline_changed {
            self.timeline = Timeline::new(
                self.config.window(),
                self.config.clients as usize,
                self.config.keys(),
                self.now,
            );
            self.timeline_generation = self.timeline_generation.wrapping_add(1);
            self.schedule_tick();
        }
        if sources_changed {
            self.start_sources();
        }
        Ok(())
    }

    /// Sets one parameter from its raw text (URL or text field), validated; on error nothing
    /// changes. See [`RateLimitLab::set_config`] for what each key restarts.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        config.set_str(key, raw)?;
        self.set_config(config)
    }

    /// Runs every arrival and event up to and including simulated time `until` (µs), then sets
    /// the clock to `until` (never backwards). Call it in slices (e.g. once per animation frame,
    /// [`RateLimitLab::REQUESTS_PER_FRAME`] requests' worth of simulated time).
    pub fn step_until(&mut self, until: SimTime) {
        self.advance(until, u64::MAX);
        self.now = self.now.max(until);
    }

    /// Like [`RateLimitLab::step_until`] but stops after about `budget` attempts (retries
    /// included); returns true once the clock has reached `until`. The result does not depend on
    /// how the run is sliced.
    pub fn work_until(&mut self, until: SimTime, budget: u64) -> bool {
        let reached = self.advance(until, budget);
        if reached {
            self.now = self.now.max(until);
        }
        reached
    }

    /// Attempts handled since the start (retries included; not reset by `reset_stats`), plus the
    /// copying a synced store's syncs did, in attempts' worth.
    pub fn work_done(&self) -> u64 {
        self.work
    }

    /// Handles everything due by `until` unless `budget` attempts run first; true when nothing
    /// due by `until` is left.
    fn advance(&mut self, until: SimTime, budget: u64) -> bool {
        let reached = self.run(until, budget);
        self.stats.recent.flush();
        reached
    }

    fn run(&mut self, until: SimTime, budget: u64) -> bool {
        let stop = self.work.saturating_add(budget);
        loop {
            if self.work >= stop {
                return false;
            }
            let event_at = self.queue.peek_time();
            let event_first = match (event_at, self.next_arrival) {
                (Some(e), Some((a, _))) => e <= a,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if event_first {
                match self.queue.peek_time() {
                    Some(at) if at <= until => {}
                    _ => return true,
                }
                let Some((at, event)) = self.queue.pop() else {
                    return true;
                };
                self.now = self.now.max(at);
                self.handle(event);
            } else {
                let Some((at, source)) = self.next_arrival.filter(|&(at, _)| at <= until) else {
                    return true;
                };
                self.now = self.now.max(at);
                let (client, next) = if let Some(s) = self.sources.get_mut(source) {
                    s.advance();
                    (source, s.peek())
                } else {
                    self.flood.advance();
                    (self.config.abuser(), self.flood.peek())
                };
                if let Some(slot) = self.arrival_times.get_mut(source) {
                    *slot = next.unwrap_or(SimTime::MAX);
                }
                self.next_arrival = self.find_next_arrival();
                self.request(client);
            }
        }
    }

    /// The earliest of the sources' next arrivals (the first source at equal times).
    fn find_next_arrival(&self) -> Option<(SimTime, usize)> {
        let mut best = (SimTime::MAX, usize::MAX);
        for (i, &at) in self.arrival_times.iter().enumerate() {
            if at < best.0 {
                best = (at, i);
            }
        }
        (best.0 < SimTime::MAX).then_some(best)
    }

    /// Reads every source's next arrival again (after a restart or a flood).
    fn refresh_arrivals(&mut self) {
        let flood = self.flood.peek();
        let times = self.sources.iter().map(Source::peek).chain(std::iter::once(flood));
        for (slot, at) in self.arrival_times.iter_mut().zip(times) {
            *slot = at.unwrap_or(SimTime::MAX);
        }
        self.next_arrival = self.find_next_arrival();
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Retry {
                client,
                attempt,
                first_at,
            } => {
                let client = usize::from(client);
                if let Some(c) = self.clients.get_mut(client) {
                    c.in_flight = c.in_flight.saturating_sub(1);
                }
                self.resend(client, first_at, attempt);
            }
            Event::Resume { client } => self.resume(usize::from(client)),
            Event::Drain { slot, generation } => {
                if generation == self.generation {
                    self.drain(slot as usize);
                }
            }
            Event::Tick { generation } => {
                if generation == self.timeline_generation {
                    let now = self.now;
                    let shown = shown(self.synced.as_ref(), &self.limiters, self.config.keys());
                    let states = shown.iter().map(|l| l.level(now));
                    self.timeline.close(states);
                    self.schedule_tick();
                }
            }
            Event::Sync { generation } => {
                if generation == self.generation {
                    self.sync();
                }
            }
            Event::SyncDone { generation } => {
                if generation == self.generation {
                    if let Some(synced) = self.synced.as_mut() {
                        let work = synced.finish(&mut self.limiters);
                        self.work = self.work.saturating_add(work);
                    }
                }
            }
            Event::Sample => {
                let now = self.now;
                self.stats.sample(now);
                self.check_recovered(now);
                if self.flood_until.is_some_and(|end| end <= now) {
                    self.flood_until = None;
                }
                self.queue.push(now.saturating_add(SAMPLE_INTERVAL), Event::Sample);
            }
        }
    }

    /// The limiter slot of `client`'s request on `instance`.
    fn slot(&self, instance: usize, client: usize) -> usize {
        let r = &self.route;
        let set = if r.state_instances > 1 { instance } else { 0 };
        let key = if r.per_client { client } else { 0 };
        set * r.keys + key
    }

    /// One attempt of a request `client` first sent at `first_at`; `retry` is 0 for the first.
    fn attempt(&mut self, client: usize, first_at: SimTime, retry: u8) {
        let now = self.now;
        self.work += 1;
        if let Some(t) = self.stats.clients.get_mut(client) {
            t.attempts += 1;
            if retry > 0 {
                t.retries += 1;
            }
        }
        self.stats.recent.offered.inc(now);
        let instance = self.next_instance;
        self.next_instance += 1;
        if self.next_instance >= self.route.instances {
            self.next_instance = 0;
        }
        let slot = self.slot(instance, client);
        let decision = self
            .limiters
            .get_mut(slot)
            .map_or(Decision::Admit, |limiter| limiter.decide(now));
        let store = self.route.store;
        if !matches!(decision, Decision::Refuse { .. }) {
            if let Some(c) = self.clients.get_mut(client) {
                c.admitted();
            }
            if let Some(synced) = self.synced.as_mut() {
                synced.admitted(slot, now);
            }
        }
        match decision {
            Decision::Admit => {
                self.admit(client, now);
                self.stats.delay((now + store).saturating_sub(first_at));
            }
            Decision::Delay { wait } => {
                if let Some(t) = self.stats.clients.get_mut(client) {
                    t.delayed += 1;
                }
                self.timeline.mark(client, Mark::Delayed);
                self.stats.delay((now + wait + store).saturating_sub(first_at));
                if let Some(queue) = self.waiting.get_mut(slot) {
                    queue.push_back(Waiting::new(now.saturating_add(wait), client));
                    if queue.len() == 1 {
                        let generation = self.generation;
                        self.queue.push(
                            now.saturating_add(wait),
                            Event::Drain {
                                slot: slot as u32,
                                generation,
                            },
                        );
                    }
                }
            }
            Decision::Refuse { retry_after } => self.refuse(client, first_at, retry, retry_after),
        }
    }

    /// A request of `client` passes the limiter at `at`.
    fn admit(&mut self, client: usize, at: SimTime) {
        if let Some(t) = self.stats.clients.get_mut(client) {
            t.admitted += 1;
        }
        self.stats.recent.admitted.inc(at);
        if let Some(rate) = self.stats.recent.client_admitted.get_mut(client) {
            rate.inc(at);
        }
        self.timeline.mark(client, Mark::Admitted);
        let key = if self.route.per_client { client } else { 0 };
        if let Some(worst) = self.stats.worst.get_mut(key) {
            worst.record(at);
        }
    }

    /// A 429: the client retries at once, pauses (see `clients.rs`) or gives up.
    fn refuse(&mut self, client: usize, first_at: SimTime, retry: u8, retry_after: SimTime) {
        let now = self.now;
        if let Some(t) = self.stats.clients.get_mut(client) {
            t.refused += 1;
        }
        self.stats.recent.refused.inc(now);
        self.timeline.mark(client, Mark::Refused);
        let store = self.route.store;
        let policy = self.config.retry;
        let Some(state) = self.clients.get_mut(client) else {
            return;
        };
        let newly_throttled = state.refused(now);
        let request = Held {
            first_at,
            retries: retry.saturating_add(1),
        };
        let can_retry = retry < MAX_RETRIES;
        let kept = match policy {
            Retry::None => false,
            Retry::Immediate => {
                let room = can_retry && state.in_flight < RETRY_SLOTS;
                if room {
                    state.in_flight += 1;
                    let at = now.saturating_add(store).saturating_add(RETRY_GAP);
                    self.queue.push(
                        at,
                        Event::Retry {
                            client: client as u8,
                            attempt: request.retries,
                            first_at,
                        },
                    );
                }
                room
            }
            Retry::Backoff => {
                let resume = state.pause(now.saturating_add(store), retry_after, &mut self.retry_rng);
                self.queue.push(resume, Event::Resume { client: client as u8 });
                can_retry && state.hold(request, true)
            }
        };
        if !kept {
            if let Some(t) = self.stats.clients.get_mut(client) {
                t.given_up += 1;
            }
        }
        if newly_throttled {
            self.events_push(LabEventKind::Throttled { client: client as u32 });
        }
    }

    /// `client` wants to send a new request now: sent, or held while it pauses (`backoff`).
    fn request(&mut self, client: usize) {
        let now = self.now;
        if let Some(t) = self.stats.clients.get_mut(client) {
            t.requests += 1;
        }
        let Some(state) = self.clients.get_mut(client) else {
            return;
        };
        if state.paused(now) {
            if !state.hold(
                Held {
                    first_at: now,
                    retries: 0,
                },
                false,
            ) {
                if let Some(t) = self.stats.clients.get_mut(client) {
                    t.given_up += 1;
                }
            }
            return;
        }
        self.attempt(client, now, 0);
    }

    /// `backoff`: if `client`'s pause is over, it sends what it held, oldest first, until one is
    /// refused (which starts a new pause) or none is left.
    fn resume(&mut self, client: usize) {
        let now = self.now;
        loop {
            let next = match self.clients.get_mut(client) {
                Some(state) if !state.paused(now) => state.held.pop_front(),
                _ => None,
            };
            let Some(held) = next else {
                break;
            };
            self.resend(client, held.first_at, held.retries);
        }
    }

    /// Sends a request again, unless its client has given up on it ([`CLIENT_TIMEOUT`]).
    fn resend(&mut self, client: usize, first_at: SimTime, retry: u8) {
        if self.now.saturating_sub(first_at) >= CLIENT_TIMEOUT {
            if let Some(t) = self.stats.clients.get_mut(client) {
                t.given_up += 1;
            }
            return;
        }
        self.attempt(client, first_at, retry);
    }

    /// Leaky bucket: the requests of `slot` whose departure time has come leave the queue.
    fn drain(&mut self, slot: usize) {
        let now = self.now;
        loop {
            let leaving = match self.waiting.get_mut(slot) {
                Some(queue) if queue.front().is_some_and(|w| w.at() <= now) => queue.pop_front(),
                _ => None,
            };
            let Some(leaving) = leaving else {
                break;
            };
            self.admit(leaving.client(), now);
        }
        let next = self.waiting.get(slot).and_then(|q| q.front()).map(|w| w.at());
        if let Some(at) = next {
            let generation = self.generation;
            self.queue.push(
                at.max(now),
                Event::Drain {
                    slot: slot as u32,
                    generation,
                },
            );
        }
    }

    /// Fresh limiters now; queued leaky bucket requests are dropped (their clients give up).
    fn restart_limiter(&mut self) {
        let mut dropped = 0u64;
        for queue in &mut self.waiting {
            for waiting in queue.drain(..) {
                dropped += 1;
                if let Some(t) = self.stats.clients.get_mut(waiting.client()) {
                    t.given_up += 1;
                }
            }
        }
        let keys = self.config.keys();
        self.waiting = vec![VecDeque::new(); self.config.state_instances() * keys];
        self.generation = self.generation.wrapping_add(1);
        self.limiters = build_limiters(&self.config, self.now);
        self.synced = self
            .config
            .synced()
            .then(|| Synced::new(&self.config, &self.limiters, self.now));
        self.schedule_sync();
        self.stats.restart_worst(keys, self.config.window());
        self.events_push(LabEventKind::LimiterRestarted { dropped });
    }

    /// The limiters whose state the page shows, one per key: the store's with a synced store,
    /// else the first instance's.
    pub(super) fn shown_limiters(&self) -> &[Limiter] {
        shown(self.synced.as_ref(), &self.limiters, self.config.keys())
    }

    /// With a synced store: the next sync, at the next multiple of the interval after now.
    fn schedule_sync(&mut self) {
        let interval = self.config.sync_interval();
        if self.synced.is_some() && interval > 0 {
            let at = (self.now / interval).saturating_add(1).saturating_mul(interval);
            let generation = self.generation;
            self.queue.push(at, Event::Sync { generation });
        }
    }

    /// Every instance syncs with the store now: at once without a round trip, else the answers
    /// arrive `store_ms` later (unless a sync is still under way: this one is skipped).
    fn sync(&mut self) {
        let round_trip = self.config.sync_round_trip();
        let Some(synced) = self.synced.as_mut() else {
            return;
        };
        let work = if round_trip == 0 {
            Some(synced.sync_now(&mut self.limiters))
        } else {
            let started = synced.start();
            if started.is_some() {
                let generation = self.generation;
                self.queue
                    .push(self.now.saturating_add(round_trip), Event::SyncDone { generation });
            }
            started
        };
        self.work = self.work.saturating_add(work.unwrap_or(0));
        self.schedule_sync();
    }

    /// (Re)starts every client's arrival stream now from the configuration.
    fn start_sources(&mut self) {
        let now = self.now;
        let abuser = self.config.abuser();
        let c = &self.config;
        let client_pattern = Pattern::poisson(c.client_rps);
        let abuser_pattern = Pattern::abuser(c.abuser_rps, c.burstiness, c.window());
        for (i, source) in self.sources.iter_mut().enumerate() {
            let pattern = if i == abuser { abuser_pattern } else { client_pattern };
            source.start(pattern, now, None);
        }
        self.refresh_arrivals();
    }

    fn schedule_tick(&mut self) {
        let generation = self.timeline_generation;
        self.queue.push(self.timeline.bucket_end(), Event::Tick { generation });
    }

    fn check_recovered(&mut self, now: SimTime) {
        for client in 0..self.clients.len() {
            if self.clients.get_mut(client).is_some_and(|c| c.recover(now)) {
                self.events_push(LabEventKind::Recovered { client: client as u32 });
            }
        }
    }

    fn events_push(&mut self, kind: LabEventKind) {
        if self.events.len() >= EVENTS_KEPT {
            self.events.pop_front();
        }
        self.events.push_back(LabEvent {
            at_s: to_secs(self.now),
            kind,
        });
    }

    /// The first well-behaved client wants `n` requests at once, now (at most
    /// [`MAX_BURST_NOW`]); they are sent and decided at once (held, with `backoff`, if it is
    /// pausing). Returns how many it wanted.
    pub fn burst_now(&mut self, n: u64) -> u64 {
        let n = n.min(MAX_BURST_NOW);
        if n > 0 {
            self.events_push(LabEventKind::Burst { client: 0, requests: n });
        }
        for _ in 0..n {
            self.request(0);
        }
        self.stats.recent.flush();
        n
    }

    /// The abuser floods, on top of its usual traffic, at [`FLOOD_FACTOR`] times `abuser_rps`
    /// (at least [`FLOOD_MIN_RPS`], at most one million per second), evenly spaced, for
    /// [`FLOOD_SECS`] from now. Returns the flood's rate.
    pub fn flood_now(&mut self) -> f64 {
        let rps = flood_rps(self.config.abuser_rps);
        let until = self.now.saturating_add(from_secs(FLOOD_SECS));
        self.flood.start(Pattern::even(rps), self.now, Some(until));
        self.flood_until = Some(until);
        self.refresh_arrivals();
        self.events_push(LabEventKind::Flood { rps, secs: FLOOD_SECS });
        rps
    }

    /// Restarts the counters now: tallies, delays, worst windows. The limiters, the rates over
    /// the last second, the charts, the timeline and the event log carry on.
    pub fn reset_stats(&mut self) {
        self.stats.restart(self.now);
        self.events_push(LabEventKind::StatsReset);
    }

    /// Events waiting in the queue (retries, pauses, queue departures, timers): bounded by
    /// [`RETRY_SLOTS`] + 1 per client plus one per limiter plus four (with a synced store, the
    /// next sync and the end of the one under way).
    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }
}

/// How requests reach the limiters, from the configuration (kept to spare the hot path).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Route {
    /// Instances behind the load balancer (at least 1).
    instances: usize,
    /// Sets of limiter state: the instances, or 1 with a shared store.
    state_instances: usize,
    /// Limit keys per set.
    keys: usize,
    /// One key per client (`client` scope).
    per_client: bool,
    /// The store round trip added to every decision (µs).
    store: SimTime,
}

impl Route {
    fn of(config: &Config) -> Self {
        Self {
            instances: config.instances.max(1) as usize,
            state_instances: config.state_instances(),
            keys: config.keys(),
            per_client: config.scope == Scope::Client,
            store: config.store_latency(),
        }
    }
}

/// The rate of a flood by hand for an abuser sending `abuser_rps`.
fn flood_rps(abuser_rps: f64) -> f64 {
    (FLOOD_FACTOR * abuser_rps).clamp(FLOOD_MIN_RPS, MAX_RPS)
}

/// The limiters the page shows, one per key: a synced store's own, else the first `keys` of
/// `limiters` (the first instance's).
fn shown<'a>(synced: Option<&'a Synced>, limiters: &'a [Limiter], keys: usize) -> &'a [Limiter] {
    match synced {
        Some(synced) => synced.store(),
        None => limiters.get(..keys).unwrap_or(limiters),
    }
}

/// Fresh limiters for every state set and key, now.
fn build_limiters(config: &Config, now: SimTime) -> Vec<Limiter> {
    let keys = config.keys();
    (0..config.state_instances())
        .flat_map(|set| {
            let params = config.instance_params(set);
            (0..keys).map(move |_| Limiter::new(config.algorithm, params, now))
        })
        .collect()
}
