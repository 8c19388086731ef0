//! The queues lab model: producers, a broker with partitions, consumer groups and a read model,
//! on the simulation clock.
//!
//! **Requests.** One Poisson stream at `rate` shaped by `shape` (see `arrivals.rs`). Each request
//! writes once (the read model's input) and does its fast work. `sync`: it then does the slow work
//! inline, retrying failures with the backoff up to `max_receives` attempts, and answers after all
//! of it. `async`: it publishes a message and answers `fast_ms` + [`PUBLISH_MS`](super::PUBLISH_MS)
//! after it arrived; the stream's times are the publishes (the constant fast work shifts every
//! request alike). A full broker (`max_backlog`) refuses the publish or blocks the producer (FIFO, at most
//! [`BLOCK_TIMEOUT`], then refused); a blocked user waits until its message is accepted.
//!
//! **The broker.** A keyed message goes to partition `hash(key) % partitions` (the hash ring's
//! XXH3 of `key-<k>`); an unkeyed one round robin. Every group reads every message (one group: a
//! work queue; several: a topic). In a group each partition is assigned to one consumer (partition
//! `p` to consumer `p % consumers`), so consumers beyond the partitions are idle. See
//! `delivery.rs` for delivery, acknowledgement, visibility timeouts, retries and the dead-letter
//! queue.
//!
//! **The read model.** Reads arrive as a Poisson stream at `rate` (at most [`MAX_READ_RATE`]) on
//! their own generator; a read is stale when a write committed less than `projection_lag_ms` ago
//! is not in the read model yet (the replication lab's test: the read model's position is behind
//! the write model's). A request's write commits when the stream delivers it (`async`: as it
//! publishes; `sync`: as it arrives).
//!
//! Randomness: one seed, forked into the requests, the messages' keys and poison flags, the work
//! (durations and failures), the reads and the backoff jitter, so `sync` and `async` runs of one
//! seed see the same requests. Equal times: queued events first, then a request, then a read.
//! Cost: O(log pending events) per message and delivery, O(partitions of a consumer) per pull; no
//! allocation per message once the logs, slabs and event heap have grown to their working size.

use std::collections::VecDeque;

use super::arrivals::Arrivals;
use super::broker::{DeadLetter, Lane, Message, Partition, Record, Slab};
use super::choices::{Delivery, Shape};
use super::config::{Config, WorkTime};
use super::snapshot::{Flow, FlowKind, KeyCompletion, LabEvent, LabEventKind};
use super::stats::{SampleState, Stats, SAMPLE_INTERVAL};
use crate::engine::time::{to_secs, MICROS_PER_SEC};
use crate::engine::{EventQueue, SimRng, SimTime};
use crate::hashring::hash::key_hash;
use crate::params::Params;
use crate::ConfigError;

/// Sub-stream numbers forked from the seed.
const STREAM_REQUESTS: u64 = 1;
const STREAM_MESSAGES: u64 = 2;
const STREAM_WORK: u64 = 3;
const STREAM_READS: u64 = 4;
const STREAM_JITTER: u64 = 5;

/// Most reads of the read model per simulated second: reads sample it at the request rate up to
/// this (the stale share depends on the writes and the lag, not on how often it is sampled).
pub const MAX_READ_RATE: f64 = 1_000.0;
/// Lab events kept.
pub const EVENTS_KEPT: usize = 50;
/// Message movements kept for the snapshot.
pub const FLOWS_KEPT: usize = 48;
/// Completions of the tracked key kept.
pub const KEY_ORDER_KEPT: usize = 32;
/// Publish times of the tracked key kept (to number its completions).
pub(super) const TRACKED_KEPT: usize = 4_096;
/// Messages the dead-letter queue keeps (older ones expire, as SQS's retention drops them).
pub const DLQ_KEPT: usize = 10_000;
/// Longest a producer blocks on a full backlog before its publish is refused (Kafka's
/// `max.block.ms` default, 60 s).
pub const BLOCK_TIMEOUT: SimTime = 60 * MICROS_PER_SEC;
/// Most producers blocked at once; more are refused (a producer's buffer is finite).
pub const MAX_BLOCKED: usize = 1_000_000;
/// How long a rebalance pauses a group (every consumer stops taking messages; in-flight work
/// carries on): 3 s.
pub const REBALANCE_PAUSE: SimTime = 3 * MICROS_PER_SEC;
/// How long a crashed consumer stays down before it restarts, keeping its partitions: 10 s.
pub const CRASH_RESTART: SimTime = 10 * MICROS_PER_SEC;

/// The rate of reads for a request rate.
fn read_rate(rate: f64) -> f64 {
    rate.min(MAX_READ_RATE)
}

/// A scheduled happening (requests and reads are not queued; see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Event {
    /// A delivery's processing ends (ignored unless `ticket` is the flight's: a crash dropped it).
    Done { flight: u32, ticket: u64 },
    /// A delivery's visibility timeout runs out.
    Deadline { record: u32, serial: u32, receive: u32 },
    /// A failed message's backoff is over.
    Retry { record: u32, serial: u32, receive: u32 },
    /// A crashed consumer restarts (ignored unless `generation` is its own).
    Restart { group: u8, consumer: u16, generation: u32 },
    /// A rebalance's pause ends (ignored unless `generation` is current).
    RebalanceEnd { generation: u32 },
    /// `sync`: a request answers after `latency` µs; `ok` when its slow work succeeded.
    SyncDone { latency: SimTime, ok: bool },
    /// Time to add a point to the charts.
    Sample,
}

/// A delivery being processed by a consumer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Flight {
    pub(super) record: u32,
    pub(super) group: u8,
    pub(super) consumer: u16,
    /// Which delivery of the record it is (its `receives` then).
    pub(super) receive: u32,
    pub(super) ticket: u64,
    /// Whether the processing fails.
    pub(super) fails: bool,
}

/// One consumer of a group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Consumer {
    /// Deliveries it is processing.
    pub(super) busy: u32,
    /// Whether it has crashed.
    pub(super) crashed: bool,
    /// Bumped by every crash (restart events carry it).
    pub(super) generation: u32,
    /// When it restarts after a crash (µs).
    pub(super) restart_at: SimTime,
    /// Its partitions.
    pub(super) partitions: Vec<u8>,
    /// Where its round robin over them resumes.
    pub(super) cursor: usize,
    /// Deliveries finished since reset.
    pub(super) processed: u64,
    /// Of those, failed.
    pub(super) failed: u64,
}

/// One consumer group.
#[derive(Clone, Debug, Default)]
pub(super) struct Group {
    /// One lane per partition.
    pub(super) lanes: Vec<Lane>,
    /// Its consumers: the first `consumers` are members, later ones have left (some may still
    /// finish work).
    pub(super) consumers: Vec<Consumer>,
    /// Rebalancing until then (µs).
    pub(super) paused_until: SimTime,
    /// Visible messages waiting.
    pub(super) ready: u64,
    /// Messages waiting out a backoff.
    pub(super) delayed: u64,
    /// Deliveries being processed.
    pub(super) in_flight: u64,
    /// Per key (unkeyed: one slot), the broker time + 1 of the latest message done (0: none).
    pub(super) last_done: Vec<SimTime>,
    /// Messages done since reset.
    pub(super) completed: u64,
}

impl Group {
    /// Messages waiting: visible ones and those in backoff.
    pub(super) fn backlog(&self) -> u64 {
        self.ready + self.delayed
    }
}

/// The queues lab. See the module docs.
#[derive(Clone, Debug)]
pub struct QueuesLab {
    pub(super) config: Config,
    pub(super) now: SimTime,
    pub(super) queue: EventQueue<Event>,
    pub(super) requests: Arrivals,
    reads: Arrivals,
    pub(super) message_rng: SimRng,
    pub(super) work_rng: SimRng,
    pub(super) jitter_rng: SimRng,
    pub(super) work_time: WorkTime,
    pub(super) partitions: Vec<Partition>,
    /// Keyed: each key's partition.
    pub(super) key_partition: Vec<u8>,
    /// Unkeyed: the next partition.
    pub(super) next_partition: usize,
    pub(super) groups: Vec<Group>,
    pub(super) records: Slab<Record>,
    pub(super) next_serial: u32,
    pub(super) flights: Slab<Flight>,
    pub(super) next_ticket: u64,
    pub(super) dlq: VecDeque<DeadLetter>,
    /// When each blocked producer tried to publish, oldest first.
    pub(super) blocked: VecDeque<SimTime>,
    /// Whether the backlog was full at the last check (for the event log).
    pub(super) full: bool,
    pub(super) stopped: bool,
    pub(super) rebalance_generation: u32,
    /// The latest write (µs).
    last_write: Option<SimTime>,
    /// `sync`: requests doing their slow work now.
    pub(super) sync_in_progress: u64,
    /// Publish times of the tracked key's latest messages, and how many were dropped before them.
    pub(super) tracked: VecDeque<SimTime>,
    pub(super) tracked_base: u64,
    pub(super) key_order: VecDeque<KeyCompletion>,
    pub(super) flows: VecDeque<Flow>,
    pub(super) events: VecDeque<LabEvent>,
    /// Messages dead-lettered since the last chart point.
    pub(super) dead_in_interval: u64,
    /// Messages waiting over every group.
    pub(super) backlog_total: u64,
    pub(super) stats: Stats,
    /// Items handled since the start (the work done, for budgets).
    work: u64,
}

impl QueuesLab {
    /// Items (requests, reads, completions of deliveries, timers) [`QueuesLab::work_until`]
    /// handles per animation frame comfortably: about 3 ms natively (0.5 to 0.6 µs an item), a
    /// few ms of wasm. At 100,000 messages per simulated second (two items each: the request,
    /// which also delivers, and the completion) a frame covers 25 simulated ms.
    pub const WORK_PER_FRAME: u64 = 5_000;

    /// A lab for `config` (validated), at time 0: empty broker, consumers assigned.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let mut root = SimRng::new(config.seed);
        let requests = Arrivals::new(root.fork(STREAM_REQUESTS), config.rate, config.shape, 0)?;
        let message_rng = root.fork(STREAM_MESSAGES);
        let work_rng = root.fork(STREAM_WORK);
        let reads = Arrivals::new(root.fork(STREAM_READS), read_rate(config.rate), Shape::Steady, 0)?;
        let jitter_rng = root.fork(STREAM_JITTER);
        let partitions = config.partitions.max(1) as usize;
        let key_partition = (0..u64::from(config.keys))
            .map(|k| (key_hash(k) % partitions as u64) as u8)
            .collect();
        let order_slots = (config.keys as usize).max(1);
        let group = Group {
            lanes: vec![Lane::default(); partitions],
            last_done: vec![0; order_slots],
            ..Group::default()
        };
        let mut lab = Self {
            now: 0,
            queue: EventQueue::new(),
            requests,
            reads,
            message_rng,
            work_rng,
            jitter_rng,
            work_time: config.work_time()?,
            partitions: vec![Partition::default(); partitions],
            key_partition,
            next_partition: 0,
            groups: vec![group; config.groups.max(1) as usize],
            records: Slab::default(),
            next_serial: 0,
            flights: Slab::default(),
            next_ticket: 0,
            dlq: VecDeque::new(),
            blocked: VecDeque::new(),
            full: false,
            stopped: false,
            rebalance_generation: 0,
            last_write: None,
            sync_in_progress: 0,
            tracked: VecDeque::with_capacity(TRACKED_KEPT),
            tracked_base: 0,
            key_order: VecDeque::with_capacity(KEY_ORDER_KEPT),
            flows: VecDeque::with_capacity(FLOWS_KEPT),
            events: VecDeque::with_capacity(EVENTS_KEPT),
            dead_in_interval: 0,
            backlog_total: 0,
            stats: Stats::new()?,
            work: 0,
            config,
        };
        for g in 0..lab.groups.len() {
            lab.assign(g);
        }
        lab.queue.push(SAMPLE_INTERVAL, Event::Sample);
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

    /// Items per simulated second to expect from now (requests, reads, and a completion per group
    /// for each message): what a page multiplies by simulated seconds to size a frame's work.
    pub fn work_per_s(&self) -> f64 {
        let rate = self
            .requests
            .rate_at(self.now)
            .max(self.stats.recent.requests.per_sec(self.now));
        let per_message = match self.config.delivery {
            Delivery::Sync => 1.0,
            Delivery::Async => self.groups.len() as f64,
        };
        rate * (1.0 + per_message) + read_rate(self.config.rate)
    }

    /// Items handled since the start (not reset by `reset_stats`).
    pub fn work_done(&self) -> u64 {
        self.work
    }

    /// Events waiting in the queue (one per delivery in flight, backoffs, timers).
    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }

    /// Records of messages held outside the logs (in flight, in backoff, queued for redelivery):
    /// what memory holds per message beyond the 8 bytes of the backlog.
    pub fn records_held(&self) -> usize {
        self.records.len()
    }

    /// Applies a new configuration, live where possible. On error nothing changes.
    ///
    /// - `seed`, `delivery`, `partitions`, `groups` or `keys` changed: the run restarts from time
    ///   0 (they change where every message goes).
    /// - `rate`, `shape`: the request and read streams restart now at the new rate.
    /// - `consumers`: every group rebalances (a [`REBALANCE_PAUSE`]).
    /// - `concurrency`: consumers take more at once now (or finish down to the new limit).
    /// - everything else applies to the next delivery, failure or publish.
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        let work_time = config.work_time()?;
        let c = &self.config;
        if config.seed != c.seed
            || config.delivery != c.delivery
            || config.partitions != c.partitions
            || config.groups != c.groups
            || config.keys != c.keys
        {
            *self = Self::new(config)?;
            return Ok(());
        }
        let old = std::mem::replace(&mut self.config, config);
        self.work_time = work_time;
        let new = &self.config;
        if new.rate != old.rate || new.shape != old.shape {
            let (rate, shape, now) = (new.rate, new.shape, self.now);
            self.requests.restart(rate, shape, now);
            self.reads.restart(read_rate(rate), Shape::Steady, now);
        }
        if new.consumers != old.consumers {
            self.rebalance();
        } else if new.concurrency > old.concurrency {
            self.pull_all();
        }
        self.unblock();
        Ok(())
    }

    /// Sets one parameter from its raw text (URL or text field), validated; on error nothing
    /// changes. See [`QueuesLab::set_config`] for what each key restarts.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        config.set_str(key, raw)?;
        self.set_config(config)
    }

    /// Runs every request, read and event up to and including simulated time `until` (µs), then
    /// sets the clock to `until` (never backwards). Call it in slices (e.g. once per animation
    /// frame, [`QueuesLab::WORK_PER_FRAME`] items' worth of simulated time).
    pub fn step_until(&mut self, until: SimTime) {
        self.run(until, u64::MAX);
        self.now = self.now.max(until);
    }

    /// Like [`QueuesLab::step_until`] but stops after about `budget` items; returns true once the
    /// clock has reached `until`. The result does not depend on how the run is sliced.
    pub fn work_until(&mut self, until: SimTime, budget: u64) -> bool {
        let reached = self.run(until, budget);
        if reached {
            self.now = self.now.max(until);
        }
        reached
    }

    /// Handles everything due by `until` unless `budget` items run first; true when nothing due
    /// by `until` is left.
    fn run(&mut self, until: SimTime, budget: u64) -> bool {
        let stop = self.work.saturating_add(budget);
        loop {
            if self.work >= stop {
                return false;
            }
            // Equal times: events, then the request, then the read.
            let candidates = [self.queue.peek_time(), self.requests.peek(), self.reads.peek()];
            let mut next: Option<(SimTime, usize)> = None;
            for (source, at) in candidates.iter().enumerate() {
                if let Some(at) = *at {
                    if next.is_none_or(|(best, _)| at < best) {
                        next = Some((at, source));
                    }
                }
            }
            let Some((at, source)) = next.filter(|&(at, _)| at <= until) else {
                return true;
            };
            self.now = self.now.max(at);
            self.work += 1;
            match source {
                0 => {
                    if let Some((_, event)) = self.queue.pop() {
                        self.handle(event);
                    }
                }
                1 => {
                    self.requests.advance();
                    self.request();
                }
                _ => {
                    self.reads.advance();
                    self.read();
                }
            }
            if !self.blocked.is_empty() && !self.is_full() {
                self.unblock();
            }
            self.stats.backlog(self.now, self.backlog_total);
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Done { flight, ticket } => self.done(flight, ticket),
            Event::Deadline {
                record,
                serial,
                receive,
            } => self.deadline(record, serial, receive),
            Event::Retry {
                record,
                serial,
                receive,
            } => self.retry(record, serial, receive),
            Event::Restart {
                group,
                consumer,
                generation,
            } => self.restart(usize::from(group), usize::from(consumer), generation),
            Event::RebalanceEnd { generation } => {
                if generation == self.rebalance_generation {
                    self.log(LabEventKind::Rebalanced);
                    self.pull_all();
                }
            }
            Event::SyncDone { latency, ok } => {
                self.sync_in_progress = self.sync_in_progress.saturating_sub(1);
                self.stats.response(latency);
                if ok {
                    self.stats.tally.responded += 1;
                    self.stats.completion(self.now, latency);
                } else {
                    self.stats.tally.failed_requests += 1;
                }
            }
            Event::Sample => self.sample(),
        }
    }

    /// A chart point, expired blocked producers, the dead-letter log line.
    fn sample(&mut self) {
        let now = self.now;
        self.expire_blocked();
        if self.dead_in_interval > 0 {
            let count = std::mem::take(&mut self.dead_in_interval);
            self.log(LabEventKind::DeadLettered { count });
        }
        let state = SampleState {
            backlog: self.backlog_total,
            lag_s: self.lag_s(),
            in_flight: self.groups.iter().map(|g| g.in_flight).sum(),
            dlq: self.dlq.len() as u64,
        };
        self.stats.sample(now, state);
        self.queue.push(now.saturating_add(SAMPLE_INTERVAL), Event::Sample);
    }

    /// A request arrives now.
    fn request(&mut self) {
        let now = self.now;
        self.stats.tally.requests += 1;
        self.stats.recent.requests.inc(now);
        self.last_write = Some(now);
        match self.config.delivery {
            Delivery::Sync => self.sync_request(),
            Delivery::Async => {
                if self.blocked.is_empty() && !self.is_full() {
                    self.full = false;
                    self.publish(now, false);
                    self.stats.tally.responded += 1;
                    self.stats.response(self.config.async_response());
                } else {
                    self.backlog_full(now);
                }
            }
        }
    }

    /// A request finds the backlog full (or producers already blocked).
    fn backlog_full(&mut self, now: SimTime) {
        if !self.full {
            self.full = true;
            self.log(LabEventKind::BacklogFull);
        }
        match self.config.on_full {
            super::choices::OnFull::Block if self.blocked.len() < MAX_BLOCKED => {
                self.blocked.push_back(now);
                self.stats.tally.blocked += 1;
            }
            _ => self.refuse(0),
        }
    }

    /// A publish is refused after the producer waited `waited` µs.
    fn refuse(&mut self, waited: SimTime) {
        self.stats.tally.refused += 1;
        self.stats.response(waited.saturating_add(self.config.async_response()));
    }

    /// Whether some group's backlog has reached `max_backlog`.
    pub(super) fn is_full(&self) -> bool {
        let max = self.config.max_backlog;
        max > 0 && self.groups.iter().any(|g| g.backlog() >= max)
    }

    /// Blocked producers publish, oldest first, while there is room.
    pub(super) fn unblock(&mut self) {
        self.expire_blocked();
        while !self.blocked.is_empty() && !self.is_full() {
            let Some(tried) = self.blocked.pop_front() else {
                break;
            };
            let waited = self.now.saturating_sub(tried);
            self.publish(tried, false);
            self.stats.tally.responded += 1;
            self.stats.response(waited.saturating_add(self.config.async_response()));
        }
        if self.blocked.is_empty() && !self.is_full() {
            self.full = false;
        }
    }

    /// Producers blocked for [`BLOCK_TIMEOUT`] give up: refused.
    fn expire_blocked(&mut self) {
        while let Some(&tried) = self.blocked.front() {
            let waited = self.now.saturating_sub(tried);
            if waited < BLOCK_TIMEOUT {
                break;
            }
            self.blocked.pop_front();
            self.refuse(waited);
        }
    }

    /// `sync`: the request does its slow work inline, retrying failures, and answers after it.
    fn sync_request(&mut self) {
        let message = self.draw_message(self.now);
        let mut total = self.config.fast();
        let mut ok = false;
        let max = self.config.max_receives.max(1);
        for attempt in 1..=max {
            let t = &mut self.stats.tally;
            t.deliveries += 1;
            if attempt > 1 {
                t.redeliveries += 1;
            }
            self.stats.recent.deliveries.inc(self.now);
            let work = self.work_time.sample(&mut self.work_rng);
            let fails = self.work_rng.chance(self.config.failure_rate) || message.poison;
            total = total.saturating_add(work);
            if !fails {
                ok = true;
                break;
            }
            self.stats.tally.failures += 1;
            if attempt < max {
                total = total.saturating_add(self.config.backoff_delay(attempt, &mut self.jitter_rng));
            }
        }
        self.sync_in_progress += 1;
        self.queue
            .push(self.now.saturating_add(total), Event::SyncDone { latency: total, ok });
    }

    /// The next message's key and poison flag (always two draws' worth, whatever the settings,
    /// so `sync` and `async` runs of one seed agree), published at `at`.
    pub(super) fn draw_message(&mut self, at: SimTime) -> Message {
        let key = self.message_rng.below(u64::from(self.config.keys)) as u32;
        let poison = self.message_rng.chance(self.config.poison_rate);
        Message { at, key, poison }
    }

    /// A read of the read model now.
    fn read(&mut self) {
        let now = self.now;
        self.stats.tally.reads += 1;
        let lag = self.config.projection_lag();
        if let Some(write) = self.last_write {
            let age = now.saturating_sub(write);
            if age < lag {
                self.stats.tally.stale_reads += 1;
                self.stats.stale_age_max = self.stats.stale_age_max.max(age);
            }
        }
    }

    /// Adds a line to the event log.
    pub(super) fn log(&mut self, kind: LabEventKind) {
        if self.events.len() >= EVENTS_KEPT {
            self.events.pop_front();
        }
        self.events.push_back(LabEvent {
            at_s: to_secs(self.now),
            kind,
        });
    }

    /// Records a message movement.
    pub(super) fn flow(&mut self, group: usize, partition: usize, consumer: Option<usize>, kind: FlowKind) {
        if self.flows.len() >= FLOWS_KEPT {
            self.flows.pop_front();
        }
        self.flows.push_back(Flow {
            at_s: to_secs(self.now),
            group: group as u32,
            partition: partition as u32,
            consumer: consumer.map(|c| c as u32),
            kind,
        });
    }

    /// Restarts the counters now: tallies, latencies, the backlog average, consumers' counts. The
    /// broker, the rates over the last second, the charts and the logs carry on.
    pub fn reset_stats(&mut self) {
        self.stats.restart(self.now, self.backlog_total);
        for group in &mut self.groups {
            group.completed = 0;
            for c in &mut group.consumers {
                c.processed = 0;
                c.failed = 0;
            }
        }
        self.log(LabEventKind::StatsReset);
    }
}
