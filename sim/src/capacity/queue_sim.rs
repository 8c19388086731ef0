//! A discrete-event M/M/c simulation on the engine, to check the formulas by experiment.
//!
//! Poisson arrivals at rate `λ`, `c` identical request slots (servers × concurrent requests per
//! server), one FIFO queue, exponential service with mean `S`. A request that finds a free slot
//! starts at once; otherwise it waits in line, unless
//! the line already holds `queue_capacity` requests, in which case it is dropped and counted.
//! Memory is bounded whatever the load: at most `c` departures and one arrival and one sample are
//! pending, the line is capped, histograms and series have fixed maximum sizes.
//!
//! The clock runs in ticks finer than microseconds when the service time is short (see
//! [`QueueSimConfig`]); [`QueueSim::step_until`] takes ordinary [`SimTime`] microseconds like every
//! lab. Arrivals and service times come from two sub-streams forked from the seed, so the arrival
//! sequence is the same whatever the fleet. Stepping to `t` in one call or in many slices gives the
//! same state: nothing depends on where a step ends.

use std::collections::VecDeque;

use super::sim_config::{ticks_per_second, QueueSimConfig};
use super::sim_snapshot::{response_bins, SimSnapshot};
use crate::engine::time::MICROS_PER_SEC;
use crate::engine::{Exponential, Histogram, Scheduler, SimRng, SimTime, TimeSeries};
use crate::ConfigError;

/// A sample for the series is taken every this many mean gaps between arrivals.
const ARRIVALS_PER_SAMPLE: f64 = 100.0;

/// What happens next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// A request arrives.
    Arrival,
    /// A request leaves its server (times in ticks).
    Departure { arrived: SimTime, started: SimTime },
    /// Record a point of the series.
    Sample,
}

/// Counters and histograms since the start or the last reset.
#[derive(Clone, Debug)]
struct Stats {
    since: SimTime,
    busy_area_at_start: u128,
    arrivals: u64,
    completed: u64,
    dropped: u64,
    waited: u64,
    max_queue: u64,
    /// Response times in units of the mean service time.
    response: Histogram,
    /// Waits in units of the mean service time.
    wait: Histogram,
}

impl Stats {
    fn new(since: SimTime, busy_area_at_start: u128) -> Self {
        Self {
            since,
            busy_area_at_start,
            arrivals: 0,
            completed: 0,
            dropped: 0,
            waited: 0,
            max_queue: 0,
            response: Histogram::new(),
            wait: Histogram::new(),
        }
    }
}

/// The M/M/c simulation. See the module docs.
#[derive(Clone, Debug)]
pub struct QueueSim {
    config: QueueSimConfig,
    ticks_per_second: u64,
    sched: Scheduler<Event>,
    arrival_rng: SimRng,
    service_rng: SimRng,
    interarrival: Option<Exponential>,
    service: Exponential,
    /// Fraction of a tick carried from one arrival gap to the next, so gaps do not drift.
    arrival_carry: f64,
    sample_every: SimTime,
    busy: u32,
    /// Arrival ticks of the requests waiting, oldest first.
    waiting: VecDeque<SimTime>,
    /// Busy-server ticks up to `last_change`.
    busy_area: u128,
    last_change: SimTime,
    busy_area_at_sample: u128,
    stats: Stats,
    queue_series: TimeSeries,
    utilization_series: TimeSeries,
}

impl QueueSim {
    /// A simulation of `config` (validated) seeded with `seed`, empty at time 0.
    pub fn new(config: QueueSimConfig, seed: u64) -> Result<Self, ConfigError> {
        config.validate()?;
        let tps = ticks_per_second(&config)?;
        let service_ticks = config.service_ms / 1_000.0 * tps as f64;
        let service = Exponential::new(service_ticks)?;
        let rate = config.arrival_rate_per_s;
        let gap_ticks = if rate > 0.0 { Some(tps as f64 / rate) } else { None };
        let interarrival = gap_ticks.map(Exponential::new).transpose()?;
        let sample_ticks = gap_ticks.unwrap_or(service_ticks) * ARRIVALS_PER_SAMPLE;
        let mut root = SimRng::new(seed);
        let mut sim = Self {
            config,
            ticks_per_second: tps,
            sched: Scheduler::new(),
            arrival_rng: root.fork(1),
            service_rng: root.fork(2),
            interarrival,
            service,
            arrival_carry: 0.0,
            sample_every: (libm::round(sample_ticks) as SimTime).max(1),
            busy: 0,
            waiting: VecDeque::new(),
            busy_area: 0,
            last_change: 0,
            busy_area_at_sample: 0,
            stats: Stats::new(0, 0),
            queue_series: TimeSeries::default(),
            utilization_series: TimeSeries::default(),
        };
        sim.schedule_arrival();
        sim.sched.schedule_at(sim.sample_every, Event::Sample);
        Ok(sim)
    }

    /// The configuration.
    pub fn config(&self) -> &QueueSimConfig {
        &self.config
    }

    /// Simulated time since the start, microseconds (rounded down).
    pub fn now(&self) -> SimTime {
        self.sched.now() / self.ticks_per_micro()
    }

    /// Clock ticks per simulated second (a power of ten, at least 10^6).
    pub fn ticks_per_second(&self) -> u64 {
        self.ticks_per_second
    }

    fn ticks_per_micro(&self) -> u64 {
        (self.ticks_per_second / MICROS_PER_SEC).max(1)
    }

    /// Runs every event up to simulated time `t` (microseconds since the start).
    pub fn step_until(&mut self, t: SimTime) {
        self.step_until_budget(t, u64::MAX);
    }

    /// Runs events up to simulated time `t` (microseconds), but at most `max_events` of them, so a
    /// frame never does too much work. Returns whether `t` was reached; if not, the clock stays at
    /// the last event run and a later call carries on exactly where this one stopped.
    pub fn step_until_budget(&mut self, t: SimTime, max_events: u64) -> bool {
        let until = t.saturating_mul(self.ticks_per_micro());
        let mut done = 0u64;
        loop {
            if done >= max_events && self.sched.next_time().is_some_and(|at| at <= until) {
                return false;
            }
            match self.sched.next_before(until) {
                Some(event) => {
                    self.handle(event);
                    done += 1;
                }
                None => return true,
            }
        }
    }

    /// Forgets every statistic (counts, histograms, utilisation) but keeps the requests in the
    /// system: call after a warm-up to measure the steady state.
    pub fn reset_statistics(&mut self) {
        let now = self.sched.now();
        self.stats = Stats::new(now, self.busy_area_now());
    }

    fn busy_area_now(&self) -> u128 {
        let elapsed = self.sched.now().saturating_sub(self.last_change);
        self.busy_area + u128::from(self.busy) * u128::from(elapsed)
    }

    /// Accounts busy time up to now; call before `busy` changes.
    fn advance(&mut self) {
        self.busy_area = self.busy_area_now();
        self.last_change = self.sched.now();
    }

    fn schedule_arrival(&mut self) {
        let Some(interarrival) = self.interarrival else {
            return;
        };
        let gap = interarrival.sample(&mut self.arrival_rng) + self.arrival_carry;
        let whole = libm::floor(gap);
        self.arrival_carry = gap - whole;
        // `as` saturates; gaps are at most ~37 × 1e15 ticks.
        self.sched.schedule_in(whole as SimTime, Event::Arrival);
    }

    fn start_service(&mut self, arrived: SimTime) {
        self.advance();
        self.busy += 1;
        let started = self.sched.now();
        let ticks = libm::round(self.service.sample(&mut self.service_rng)) as SimTime;
        self.sched.schedule_in(ticks, Event::Departure { arrived, started });
    }

    fn handle(&mut self, event: Event) {
        let now = self.sched.now();
        match event {
            Event::Arrival => {
                self.stats.arrivals = self.stats.arrivals.saturating_add(1);
                if self.busy < self.config.slots {
                    self.start_service(now);
                } else if self.waiting.len() < self.config.queue_capacity as usize {
                    self.waiting.push_back(now);
                    self.stats.max_queue = self.stats.max_queue.max(self.waiting.len() as u64);
                } else {
                    self.stats.dropped = self.stats.dropped.saturating_add(1);
                }
                self.schedule_arrival();
            }
            Event::Departure { arrived, started } => {
                self.advance();
                self.busy = self.busy.saturating_sub(1);
                let mean = self.service.mean();
                self.stats.completed = self.stats.completed.saturating_add(1);
                self.stats.response.record(now.saturating_sub(arrived) as f64 / mean);
                self.stats.wait.record(started.saturating_sub(arrived) as f64 / mean);
                if started > arrived {
                    self.stats.waited = self.stats.waited.saturating_add(1);
                }
                if let Some(next) = self.waiting.pop_front() {
                    self.start_service(next);
                }
            }
            Event::Sample => {
                let area = self.busy_area_now();
                let window = self.sample_every as f64 * f64::from(self.config.slots);
                let utilization = (area - self.busy_area_at_sample) as f64 / window;
                self.busy_area_at_sample = area;
                let t = self.seconds(now);
                self.queue_series.push(t, self.waiting.len() as f64);
                self.utilization_series.push(t, utilization);
                self.sched.schedule_in(self.sample_every, Event::Sample);
            }
        }
    }

    fn seconds(&self, ticks: SimTime) -> f64 {
        ticks as f64 / self.ticks_per_second as f64
    }

    /// The current state and statistics.
    pub fn snapshot(&self) -> SimSnapshot {
        let now = self.sched.now();
        let stats = &self.stats;
        let measured = now.saturating_sub(stats.since);
        let capacity = measured as f64 * f64::from(self.config.slots);
        let busy = (self.busy_area_now() - stats.busy_area_at_start) as f64;
        let service_ms = self.config.service_ms;
        let completed = stats.completed;
        let percentile = |p: f64| (completed > 0).then(|| stats.response.percentile(p) * service_ms);
        let (response_histogram, response_overflow) = response_bins(&stats.response, service_ms);
        let offered_utilization = self.config.offered_utilization();
        SimSnapshot {
            time_s: self.seconds(now),
            measured_s: self.seconds(measured),
            slots: self.config.slots,
            offered_utilization,
            unstable: offered_utilization >= 1.0,
            arrivals: stats.arrivals,
            completed,
            dropped: stats.dropped,
            in_service: self.busy,
            queue_length: self.waiting.len() as u64,
            max_queue_length: stats.max_queue,
            queue_capacity: self.config.queue_capacity,
            utilization: if capacity > 0.0 { busy / capacity } else { 0.0 },
            wait_probability: if completed > 0 {
                stats.waited as f64 / completed as f64
            } else {
                0.0
            },
            mean_wait_ms: stats.wait.mean() * service_ms,
            mean_response_ms: stats.response.mean() * service_ms,
            p50_ms: percentile(50.0),
            p99_ms: percentile(99.0),
            response_histogram,
            response_overflow,
            queue_length_series: self.queue_series.points().to_vec(),
            utilization_series: self.utilization_series.points().to_vec(),
        }
    }
}
