//! The cache page's controller: the core lab in signals and the verbs the controls call.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame request budget tuned to the machine's speed, so the page
//! never freezes whatever the rate, the key count or the speed.

use crate::components::transport::parse_seed;
use crate::format;
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::cache::{CacheLab, Config, Snapshot};
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};

/// Simulated seconds the transport's Step button advances (one chart interval).
pub const STEP_SECS: f64 = 0.25;
/// Simulated seconds the lesson's `warm_up` and `fast_forward` actions run.
pub const WARM_UP_SECS: f64 = 10.0;
/// Simultaneous reads of the hot key the stampede button sends.
pub const STAMPEDE_READS: u32 = 100;

/// Wall milliseconds of simulation to aim for in one animation frame.
const WORK_MS_PER_FRAME: f64 = 8.0;
/// Bounds of the adaptive per-frame request budget.
const MIN_BUDGET: u64 = 2_000;
const MAX_BUDGET: u64 = 300_000;
/// Snapshots (metrics, charts, tables) are published at most this often while running (ms).
const PUBLISH_EVERY_MS: f64 = 100.0;

/// What to do once a fast-forward reaches its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFastForward {
    /// Just pause.
    Pause,
    /// Restart the counters, so the totals describe the warm cache.
    RestartCounters,
}

/// The signals behind the cache page. `Copy`, so closures can capture it freely.
#[derive(Clone, Copy)]
pub struct CacheState {
    /// The core lab (tracked readers see config changes; the frame loop updates it untracked).
    pub lab: RwSignal<CacheLab>,
    /// The latest published snapshot.
    pub snap: RwSignal<Snapshot>,
    /// Simulated time (µs), published every frame.
    pub clock: RwSignal<SimTime>,
    /// Fast-forward target (from the URL's `until` or a lesson action), if any.
    pub until: RwSignal<Option<SimTime>>,
    /// Where the current fast-forward started (for its progress bar).
    until_from: StoredValue<SimTime>,
    /// What to do when the fast-forward ends.
    after: StoredValue<AfterFastForward>,
    /// What the last fault or action did, in words (shown under the buttons).
    pub message: RwSignal<Option<String>>,
    /// Requests per frame, tuned to the machine's speed.
    budget: StoredValue<u64>,
    /// Wall time of the last snapshot publication (ms).
    last_publish_ms: StoredValue<f64>,
    /// Whether the last frame could not keep up with the requested speed.
    pub throttled: RwSignal<bool>,
}

impl CacheState {
    /// A lab for `config` (validated by the caller; the defaults if it is refused anyway).
    pub fn new(config: Config) -> Self {
        let lab = CacheLab::new(config)
            .or_else(|_| CacheLab::new(Config::default()))
            .expect("the default cache config is valid");
        Self {
            snap: RwSignal::new(lab.snapshot()),
            clock: RwSignal::new(lab.now()),
            lab: RwSignal::new(lab),
            until: RwSignal::new(None),
            until_from: StoredValue::new(0),
            after: StoredValue::new(AfterFastForward::Pause),
            message: RwSignal::new(None),
            budget: StoredValue::new(CacheLab::REQUESTS_PER_FRAME),
            last_publish_ms: StoredValue::new(0.0),
            throttled: RwSignal::new(false),
        }
    }

    /// The config (tracked).
    pub fn config(&self) -> Config {
        self.lab.with(|l| l.config().clone())
    }

    /// The seed (tracked).
    pub fn seed(&self) -> u64 {
        self.lab.with(|l| l.config().seed)
    }

    /// Sets one parameter from raw text through the core's validated setter; on error nothing
    /// changes. A change restarts the counters, so the totals describe the new settings.
    pub fn set_param(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut result = Ok(());
        self.lab.update(|l| {
            result = l.set_param(key, raw);
            if result.is_ok() {
                l.reset_stats();
            }
        });
        result.map_err(|e| e.message)?;
        self.publish();
        Ok(())
    }

    /// Sets the seed from raw text (the run restarts from time zero).
    pub fn set_seed(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        let mut config = self.lab.with_untracked(|l| l.config().clone());
        config.seed = seed;
        let mut result = Ok(());
        self.lab.update(|l| result = l.set_config(config));
        result.map_err(|e| e.message)?;
        self.publish();
        Ok(())
    }

    /// Replaces the lab with a fresh one for `config` (a lesson preset), keeping the seed.
    pub fn load(&self, mut config: Config) {
        config.seed = self.lab.with_untracked(|l| l.config().seed);
        if let Ok(lab) = CacheLab::new(config) {
            self.lab.set(lab);
        }
        self.until.set(None);
        self.message.set(None);
        self.publish();
    }

    /// Restarts the run from time zero with the same settings and seed.
    pub fn reset(&self) {
        let config = self.lab.with_untracked(|l| l.config().clone());
        self.load(config);
    }

    /// Fast-forwards `secs` of simulated time from now across frames, then does `after`.
    pub fn fast_forward(&self, secs: f64, after: AfterFastForward) {
        let now = self.lab.with_untracked(CacheLab::now);
        self.fast_forward_to(now.saturating_add(from_secs(secs)), after);
    }

    /// Fast-forwards to simulated time `until` across frames, then does `after`.
    pub fn fast_forward_to(&self, until: SimTime, after: AfterFastForward) {
        self.until_from.set_value(self.lab.with_untracked(CacheLab::now));
        self.after.set_value(after);
        self.until.set(Some(until));
    }

    /// Progress of the fast-forward in `[0, 1]` (tracked).
    pub fn fast_forward_progress(&self) -> f64 {
        let Some(until) = self.until.get() else {
            return 1.0;
        };
        let from = self.until_from.get_value();
        let span = until.saturating_sub(from);
        if span == 0 {
            return 1.0;
        }
        (self.clock.get().saturating_sub(from) as f64 / span as f64).clamp(0.0, 1.0)
    }

    /// Whether the frame loop must run for a fast-forward (tracked).
    pub fn busy(&self) -> bool {
        self.until.get().is_some()
    }

    /// One animation frame: advances the lab by `advance_secs` of simulated time (or towards the
    /// fast-forward target), within the request budget. Returns true when a fast-forward ended.
    pub fn frame(&self, advance_secs: f64) -> bool {
        let started = platform::now_ms();
        let (now, rate) = self.lab.with_untracked(|l| (l.now(), l.config().rate));
        let slice = from_secs(self.budget.get_value() as f64 / rate.max(1.0)).max(1);
        let mut finished = false;
        let (target, limited) = match self.until.get_untracked() {
            Some(until) => {
                let target = now.saturating_add(slice).min(until);
                finished = target >= until;
                (target, !finished)
            }
            None if advance_secs > 0.0 => {
                let wanted = from_secs(advance_secs);
                (now.saturating_add(wanted.min(slice)), wanted > slice)
            }
            None => return false,
        };
        self.lab.update_untracked(|l| l.step_until(target));
        self.tune_budget(platform::now_ms() - started, limited);
        if self.until.get_untracked().is_none() && self.throttled.get_untracked() != limited {
            self.throttled.set(limited);
        }
        if finished {
            if self.after.get_value() == AfterFastForward::RestartCounters {
                self.lab.update_untracked(CacheLab::reset_stats);
            }
            self.until.set(None);
            self.publish();
        } else if started - self.last_publish_ms.get_value() >= PUBLISH_EVERY_MS {
            self.publish();
        } else {
            self.clock.set(self.lab.with_untracked(CacheLab::now));
        }
        finished
    }

    /// Adjusts the per-frame budget after a frame that took `elapsed_ms` of wall time. It grows
    /// only when the budget was what limited the frame (presentation pacing only: results never
    /// depend on how the run is sliced).
    fn tune_budget(&self, elapsed_ms: f64, limited: bool) {
        self.budget.update_value(|b| {
            let scaled = if elapsed_ms > WORK_MS_PER_FRAME * 1.5 {
                *b * 2 / 3
            } else if limited && elapsed_ms < WORK_MS_PER_FRAME / 2.0 {
                b.saturating_mul(3) / 2
            } else {
                *b
            };
            *b = scaled.clamp(MIN_BUDGET, MAX_BUDGET);
        });
    }

    /// Advances by one step (bounded by four frames' budget).
    pub fn step(&self) {
        let (now, rate) = self.lab.with_untracked(|l| (l.now(), l.config().rate));
        let most = from_secs(4.0 * self.budget.get_value() as f64 / rate.max(1.0)).max(1);
        let target = now.saturating_add(from_secs(STEP_SECS).min(most));
        self.lab.update_untracked(|l| l.step_until(target));
        self.publish();
    }

    /// Publishes the snapshot and the clock now.
    pub fn publish(&self) {
        self.last_publish_ms.set_value(platform::now_ms());
        self.snap.set(self.lab.with_untracked(CacheLab::snapshot));
        self.clock.set(self.lab.with_untracked(CacheLab::now));
    }

    /// Simulated seconds on the clock (tracked).
    pub fn clock_secs(&self) -> f64 {
        to_secs(self.clock.get())
    }

    // --- Faults and actions. Each says what it did in `message`. ---

    /// The cache crashes and restarts empty; write-behind loses its queue.
    pub fn crash_cache(&self) {
        let mut lost = 0;
        self.lab.update_untracked(|l| lost = l.crash_cache());
        self.say(format!(
            "The cache crashed and restarted empty. {} acknowledged write{} still queued for the database {} lost.",
            format::number(lost as f64, 0),
            if lost == 1 { "" } else { "s" },
            if lost == 1 { "was" } else { "were" },
        ));
    }

    /// The cache is emptied on purpose; write-behind sends its queue to the database first.
    pub fn flush_cache(&self) {
        let mut written = 0;
        self.lab.update_untracked(|l| written = l.flush_cache());
        self.say(format!(
            "The cache was emptied on purpose. {} queued write{} went to the database first: nothing lost.",
            format::number(written as f64, 0),
            if written == 1 { "" } else { "s" },
        ));
    }

    /// The hot key expires now (counters restart, so they show what follows).
    pub fn expire_hot_key(&self) {
        let mut cached = false;
        self.lab.update_untracked(|l| {
            l.reset_stats();
            cached = l.expire_hot_key();
        });
        self.say(if cached {
            "Key 0, the hottest, expired now. Counters restarted: watch the database reads of the hot key.".to_string()
        } else {
            "Key 0 was not cached, so its next read misses anyway. Counters restarted.".to_string()
        });
    }

    /// A stampede: the hot key expires and [`STAMPEDE_READS`] reads of it arrive at once
    /// (counters restart first, so the peak shows this stampede).
    pub fn stampede(&self) {
        self.lab.update_untracked(|l| {
            l.reset_stats();
            l.stampede(STAMPEDE_READS);
        });
        self.say(format!(
            "Key 0 expired and {STAMPEDE_READS} clients read it at the same instant. Counters restarted, so the peak shows this stampede."
        ));
    }

    /// Restarts the totals from now.
    pub fn restart_counters(&self) {
        self.lab.update_untracked(CacheLab::reset_stats);
        self.say("Counters restarted: totals and percentiles count from now.".to_string());
    }

    fn say(&self, message: String) {
        self.message.set(Some(message));
        self.publish();
    }
}
