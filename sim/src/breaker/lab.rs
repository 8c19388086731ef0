//! The circuit breaker lab model: a breaker in front of a dependency, driven by the caller's own
//! clients (a running system on the simulation clock), by a script, or call by call by the learner.
//!
//! **Running system.** Clients arrive at the caller as a Poisson stream at `rate` req/s. A request
//! needs one of the caller's `pool` threads: if all are busy it is turned away at once ("pool
//! full": the cascade). Otherwise it asks the breaker: rejected, it is answered at once, with the
//! fallback's degraded response if `fallback` is on, else with an error; permitted, the thread
//! calls the dependency and is held until the call ends (its latency, or the timeout when it
//! hangs). The result is recorded by the breaker when the call ends. During the outage failing
//! calls hang for the whole timeout, and the others take `dep_latency_ms` on average: either
//! fills the pool when there is no breaker.
//!
//! **Script.** When `outcomes` is set, the run plays it instead: call `i` at `i * gap_ms` from time
//! 0, straight through the breaker (no pool, no dependency), and the clients send nothing.
//!
//! **Call by call.** [`BreakerLab::send`] makes one call with the chosen outcome through the
//! breaker at the current time, in any mode (pause the clock, or set `rate` to 0, for calls of
//! your own only).
//!
//! Randomness: one seed; arrivals and request fates (failure roll and latency, drawn for every
//! request on arrival) come from separate generators forked from it, so runs that differ only in
//! the breaker see exactly the same requests. Cost O(log n) per request; memory bounded (pending
//! events at most `pool` + 3, bounded charts and logs, windows of at most 10,000 entries).

use serde::Serialize;

use super::config::Config;
use super::dependency::Dependency;
use super::machine::{Breaker, Permit};
use super::outcome::{Call, CallKind, Outcome};
use super::pool::Pool;
use super::script::parse_outcomes;
use super::settings::BreakerSettings;
use super::state::State;
use super::stats::{ClientResult, Stats, SAMPLE_INTERVAL};
use super::transition::Transition;
use crate::engine::time::{from_secs, MICROS_PER_MILLI};
use crate::engine::{Exponential, Scheduler, SimRng, SimTime};
use crate::params::Params;
use crate::ConfigError;

/// Sub-stream numbers forked from the seed.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_FATES: u64 = 2;

/// A scheduled happening.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Event {
    /// The next client arrives (ignored unless `generation` is the current arrival generation:
    /// a rate change restarts the stream).
    Arrival { generation: u64 },
    /// A dependency call ends.
    CallDone {
        permit: Permit,
        call: Call,
        arrived: SimTime,
    },
    /// Call number `index` of the script.
    ScriptCall { index: usize },
    /// Time to add a point to the charts.
    Sample,
}

/// What one call the learner sent did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SendReport {
    /// The outcome sent.
    pub outcome: Outcome,
    /// How the breaker classified it; `None` if the breaker rejected it.
    pub kind: Option<CallKind>,
    /// The state after the call.
    pub state: State,
    /// The transitions the call caused, oldest first.
    pub transitions: Vec<Transition>,
}

impl SendReport {
    /// Whether the breaker let the call through.
    pub fn permitted(&self) -> bool {
        self.kind.is_some()
    }
}

/// The circuit breaker lab. See the module docs.
#[derive(Clone, Debug)]
pub struct BreakerLab {
    pub(super) config: Config,
    sched: Scheduler<Event>,
    pub(super) breaker: Breaker,
    pub(super) dependency: Dependency,
    pub(super) pool: Pool,
    pub(super) stats: Stats,
    pub(super) script: Vec<Outcome>,
    pub(super) script_played: u64,
    pub(super) learner_calls: u64,
    arrivals: Option<Exponential>,
    arrival_rng: SimRng,
    fate_rng: SimRng,
    arrival_generation: u64,
    fingerprint: u64,
}

impl BreakerLab {
    /// A lab for `config` (validated), at time 0 with the breaker in its home state.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let script = parse_outcomes(&config.outcomes)?;
        let dependency = Dependency::from_config(&config)?;
        let arrivals = arrivals_for(&config, &script)?;
        let mut root = SimRng::new(config.seed);
        let arrival_rng = root.fork(STREAM_ARRIVALS);
        let fate_rng = root.fork(STREAM_FATES);
        let mut lab = Self {
            breaker: Breaker::new(BreakerSettings::from_config(&config)),
            pool: Pool::new(config.pool),
            stats: Stats::new()?,
            sched: Scheduler::new(),
            dependency,
            script,
            script_played: 0,
            learner_calls: 0,
            arrivals,
            arrival_rng,
            fate_rng,
            arrival_generation: 0,
            fingerprint: FNV_OFFSET,
            config,
        };
        lab.sched.schedule_at(SAMPLE_INTERVAL, Event::Sample);
        if lab.script.is_empty() {
            lab.schedule_arrival();
        } else {
            lab.sched.schedule_at(0, Event::ScriptCall { index: 0 });
        }
        Ok(lab)
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Simulated time now (µs).
    pub fn now(&self) -> SimTime {
        self.sched.now()
    }

    /// The breaker (state, counters, history).
    pub fn breaker(&self) -> &Breaker {
        &self.breaker
    }

    /// Applies a new configuration. On error nothing changes.
    ///
    /// - `seed` or `outcomes` changed, or `gap_ms` while a script is set: the run restarts from
    ///   time 0 (see [`BreakerLab::replay_script`]).
    /// - A breaker setting changed: the breaker restarts in its home state, now (its log and
    ///   counts carry on).
    /// - `rate`: the arrival stream restarts now at the new rate.
    /// - Everything else (pool, timeout, outage, failure probability, fallback) applies from the
    ///   next request.
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        let restart = config.seed != self.config.seed
            || config.outcomes != self.config.outcomes
            || (!self.script.is_empty() && config.gap_ms != self.config.gap_ms);
        if restart {
            *self = Self::new(config)?;
            return Ok(());
        }
        let dependency = Dependency::from_config(&config)?;
        let arrivals = arrivals_for(&config, &self.script)?;
        let now = self.now();
        let settings = BreakerSettings::from_config(&config);
        if settings != *self.breaker.settings() {
            self.breaker.reconfigure(settings, now);
        }
        self.pool.advance(now, self.dependency.outage());
        self.pool.resize(config.pool);
        let rate_changed = config.rate != self.config.rate;
        self.dependency = dependency;
        self.arrivals = arrivals;
        self.config = config;
        if rate_changed {
            self.schedule_arrival();
        }
        Ok(())
    }

    /// Sets one parameter from its raw text (URL or text field), `outcomes` included; on error
    /// nothing changes.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        if key == "outcomes" {
            config.set_outcomes(raw)?;
        } else {
            config.set_str(key, raw)?;
        }
        self.set_config(config)
    }

    /// Restarts the run from time 0 with the same configuration and seed: the script (if any)
    /// plays again from its first call, and gives the same transitions every time.
    pub fn replay_script(&mut self) {
        if let Ok(lab) = Self::new(self.config.clone()) {
            *self = lab;
        }
    }

    /// When the next scripted call is due (µs): `None` without a script or once all of it has
    /// played.
    pub fn next_script_call(&self) -> Option<SimTime> {
        let played = usize::try_from(self.script_played).unwrap_or(usize::MAX);
        (played < self.script.len()).then(|| self.script_gap().saturating_mul(played as u64))
    }

    /// When the script's last call is due (µs): `None` without a script.
    pub fn script_end(&self) -> Option<SimTime> {
        let calls = self.script.len() as u64;
        (calls > 0).then(|| self.script_gap().saturating_mul(calls - 1))
    }

    /// Time between two scripted calls (µs).
    fn script_gap(&self) -> SimTime {
        u64::from(self.config.gap_ms) * MICROS_PER_MILLI
    }

    /// Runs every event up to and including simulated time `until` (µs), then sets the clock to
    /// `until` (never backwards). Call it in slices (e.g. once per animation frame).
    pub fn step_until(&mut self, until: SimTime) {
        while let Some(event) = self.sched.next_before(until) {
            self.handle(event);
        }
        let now = self.now();
        self.breaker.tick(now);
        self.pool.advance(now, self.dependency.outage());
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrival { generation } => {
                if generation == self.arrival_generation {
                    self.arrival();
                }
            }
            Event::CallDone { permit, call, arrived } => self.call_done(permit, call, arrived),
            Event::ScriptCall { index } => self.script_call(index),
            Event::Sample => {
                let now = self.now();
                let peak = self.pool.take_interval_peak();
                self.stats.sample(now, peak);
                self.sched
                    .schedule_at(now.saturating_add(SAMPLE_INTERVAL), Event::Sample);
            }
        }
    }

    /// Restarts the arrival stream from now (a new generation; stale arrivals are ignored).
    fn schedule_arrival(&mut self) {
        self.arrival_generation = self.arrival_generation.wrapping_add(1);
        if let Some(gaps) = self.arrivals {
            let gap = from_secs(gaps.sample(&mut self.arrival_rng));
            let at = self.now().saturating_add(gap);
            let generation = self.arrival_generation;
            self.sched.schedule_at(at, Event::Arrival { generation });
        }
    }

    fn arrival(&mut self) {
        let now = self.now();
        if let Some(gaps) = self.arrivals {
            let gap = from_secs(gaps.sample(&mut self.arrival_rng));
            let generation = self.arrival_generation;
            self.sched
                .schedule_at(now.saturating_add(gap), Event::Arrival { generation });
        }
        let fate = self.dependency.draw(&mut self.fate_rng);
        self.fingerprint = fnv(self.fingerprint, now);
        let phase = self.dependency.phase(now);
        self.stats.arrived(phase);
        if self.pool.is_full() {
            self.stats.finished(now, now, phase, ClientResult::PoolFull);
            return;
        }
        let Some(permit) = self.breaker.try_acquire(now) else {
            self.stats.recent.rejections.inc(now);
            let result = if self.config.fallback {
                ClientResult::Degraded
            } else {
                ClientResult::ShortCircuited
            };
            self.stats.finished(now, now, phase, result);
            return;
        };
        self.pool.take(now, self.dependency.outage());
        let call = self.dependency.call(now, fate);
        self.sched.schedule_at(
            now.saturating_add(call.duration),
            Event::CallDone {
                permit,
                call,
                arrived: now,
            },
        );
    }

    fn call_done(&mut self, permit: Permit, call: Call, arrived: SimTime) {
        let now = self.now();
        self.pool.release(now, self.dependency.outage());
        self.breaker.record(now, permit, call);
        let result = if call.failed {
            ClientResult::Failed
        } else {
            ClientResult::Ok
        };
        let phase = self.dependency.phase(arrived);
        self.stats.finished(now, arrived, phase, result);
    }

    fn script_call(&mut self, index: usize) {
        let Some(&outcome) = self.script.get(index) else {
            return;
        };
        self.through_breaker(outcome);
        self.script_played = self.script_played.saturating_add(1);
        if index + 1 < self.script.len() {
            let at = self.script_gap().saturating_mul(index as u64 + 1);
            self.sched.schedule_at(at, Event::ScriptCall { index: index + 1 });
        }
    }

    /// One call with a chosen outcome straight through the breaker, now.
    fn through_breaker(&mut self, outcome: Outcome) -> Option<CallKind> {
        let now = self.now();
        let call = outcome.call(self.breaker.settings().slow_threshold);
        let kind = self.breaker.call(now, call);
        if kind.is_none() {
            self.stats.recent.rejections.inc(now);
        }
        kind
    }

    /// The learner sends one call with `outcome` now: it goes through the breaker (rejected if
    /// open) and, if permitted, is recorded at once. Returns what happened.
    pub fn send(&mut self, outcome: Outcome) -> SendReport {
        let before = self.breaker.transition_count();
        let kind = self.through_breaker(outcome);
        self.learner_calls = self.learner_calls.saturating_add(1);
        let new = self.breaker.transition_count().saturating_sub(before) as usize;
        let log = self.breaker.transitions();
        SendReport {
            outcome,
            kind,
            state: self.breaker.state(),
            transitions: log.iter().skip(log.len().saturating_sub(new)).cloned().collect(),
        }
    }

    /// Opens the breaker by hand now: every call is rejected until [`BreakerLab::reset_breaker`].
    pub fn force_open(&mut self) {
        let now = self.now();
        self.breaker.force_open(now);
    }

    /// Switches the breaker off by hand now: every call passes until [`BreakerLab::reset_breaker`].
    pub fn disable(&mut self) {
        let now = self.now();
        self.breaker.disable(now);
    }

    /// Puts the breaker back in its home state (closed; disabled for policy `disabled`) with fresh
    /// counters, now. The run carries on.
    pub fn reset_breaker(&mut self) {
        let now = self.now();
        self.breaker.reset(now);
    }

    /// Restarts the caller's counters now: requests and their results, the latency histogram, the
    /// pool's peak and its usage during the outage (requests in flight are not counted when they
    /// finish). The breaker (state, rejections, transitions), the charts and the clock carry on.
    pub fn reset_stats(&mut self) {
        let now = self.now();
        self.stats.restart(now);
        self.pool.restart(now, self.dependency.outage());
    }

    /// A fingerprint of the client arrivals so far: equal fingerprints mean the same requests at
    /// the same times (runs on one seed that differ only in the breaker agree).
    pub fn workload_fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Events waiting in the queue (bounded by the pool size plus a few timers).
    pub fn pending_events(&self) -> usize {
        self.sched.pending()
    }
}

/// The arrival gaps of `config`'s clients (`None`: no clients, i.e. rate 0 or a script).
fn arrivals_for(config: &Config, script: &[Outcome]) -> Result<Option<Exponential>, ConfigError> {
    if !script.is_empty() || config.rate.is_nan() || config.rate <= 0.0 {
        return Ok(None);
    }
    Exponential::new(1.0 / config.rate).map(Some)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One FNV-1a step over a 64-bit word.
fn fnv(hash: u64, word: u64) -> u64 {
    (hash ^ word).wrapping_mul(FNV_PRIME)
}
