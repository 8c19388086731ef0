//! The cache page's controller: the core lab in signals and the verbs the controls call.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame request budget tuned to the machine's speed, so the page
//! never freezes whatever the rate, the key count or the speed.

use crate::components::lesson_player::param_subject;
use crate::components::pacing::{FrameBudget, Pacer, Staged};
use crate::components::transport::parse_seed;
use crate::components::url_state;
use crate::format;
use crate::kit::{LabAction, LabController};
use leptos::prelude::*;
use scalelab_sim::cache::{CacheLab, Config, Snapshot};
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};
use scalelab_sim::params::Params;

/// Simulated seconds the transport's Step button advances (one chart interval).
pub const STEP_SECS: f64 = 0.25;
/// Simulated seconds the lesson's `warm_up` and `fast_forward` actions run.
pub const WARM_UP_SECS: f64 = 10.0;
/// Simultaneous reads of the hot key the stampede button sends.
pub const STAMPEDE_READS: u32 = 100;

/// Bounds of the adaptive per-frame request budget.
const MIN_BUDGET: f64 = 2_000.0;
const MAX_BUDGET: f64 = 300_000.0;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheAction {
    /// Runs 10 simulated seconds, then restarts the counters (a warm cache).
    WarmUp,
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// The cache crashes and restarts empty.
    CrashCache,
    /// The cache is emptied on purpose.
    FlushCache,
    /// The hottest key expires now.
    ExpireHotKey,
    /// The hot key expires and many reads of it arrive at once.
    Stampede,
    /// Totals restart from now.
    RestartCounters,
}

impl LabAction for CacheAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("warm_up", CacheAction::WarmUp),
        ("fast_forward", CacheAction::FastForward),
        ("crash_cache", CacheAction::CrashCache),
        ("flush_cache", CacheAction::FlushCache),
        ("expire_hot_key", CacheAction::ExpireHotKey),
        ("stampede", CacheAction::Stampede),
        ("restart_counters", CacheAction::RestartCounters),
    ];
}

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
    /// The latest published snapshot (metrics and the flow diagram read it).
    pub snap: RwSignal<Snapshot>,
    /// What the contents table and event log (`late[0]`) and the charts (`late[1]`) draw:
    /// `snap`, one and two frames later while playing.
    pub staged: Staged<Snapshot>,
    /// Simulated time (µs), published every frame.
    pub clock: RwSignal<SimTime>,
    /// Request budget, fast-forward (the URL's `until` or a lesson action) and throttling.
    pub pacer: Pacer,
    /// What to do when the fast-forward ends.
    after: StoredValue<AfterFastForward>,
    /// What the last fault or action did, in words (shown under the buttons).
    pub message: RwSignal<Option<String>>,
}

impl CacheState {
    /// A lab for `config` (validated by the caller; the defaults if it is refused anyway).
    fn build(config: Config) -> Self {
        let lab = CacheLab::new(config)
            .or_else(|_| CacheLab::new(Config::default()))
            .expect("the default cache config is valid");
        Self {
            snap: RwSignal::new(lab.snapshot()),
            staged: Staged::new(&lab.snapshot()),
            clock: RwSignal::new(lab.now()),
            lab: RwSignal::new(lab),
            pacer: Pacer::new(FrameBudget::new(
                CacheLab::REQUESTS_PER_FRAME as f64,
                MIN_BUDGET,
                MAX_BUDGET,
            )),
            after: StoredValue::new(AfterFastForward::Pause),
            message: RwSignal::new(None),
        }
    }

    /// The config (tracked).
    pub fn config(&self) -> Config {
        self.lab.with(|l| l.config().clone())
    }

    /// Sets one parameter from raw text through the core's validated setter; on error nothing
    /// changes. A change restarts the counters, so the totals describe the new settings.
    fn set_param_raw(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut result = Ok(());
        self.lab.update(|l| {
            result = l.set_param(key, raw);
            if result.is_ok() {
                l.reset_stats();
            }
        });
        result.map_err(|e| e.message)?;
        self.publish_all();
        Ok(())
    }

    /// Sets the seed from raw text (the run restarts from time zero).
    fn set_seed_raw(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        let mut config = self.lab.with_untracked(|l| l.config().clone());
        config.seed = seed;
        let mut result = Ok(());
        self.lab.update(|l| result = l.set_config(config));
        result.map_err(|e| e.message)?;
        self.publish_all();
        Ok(())
    }

    /// Replaces the lab with a fresh one for `config` (a lesson preset), keeping the seed.
    fn load_config(&self, mut config: Config) {
        config.seed = self.lab.with_untracked(|l| l.config().seed);
        if let Ok(lab) = CacheLab::new(config) {
            self.lab.set(lab);
        }
        self.pacer.stop();
        self.message.set(None);
        self.publish_all();
    }

    /// Restarts the run from time zero with the same settings and seed.
    fn restart(&self) {
        let config = self.lab.with_untracked(|l| l.config().clone());
        self.load_config(config);
    }

    /// Fast-forwards `secs` of simulated time from now across frames, then does `after`.
    pub fn fast_forward(&self, secs: f64, after: AfterFastForward) {
        let now = self.lab.with_untracked(CacheLab::now);
        self.fast_forward_until(now.saturating_add(from_secs(secs)), after);
    }

    /// Fast-forwards to simulated time `until` across frames, then does `after`.
    pub fn fast_forward_until(&self, until: SimTime, after: AfterFastForward) {
        self.after.set_value(after);
        self.pacer.fast_forward(self.lab.with_untracked(CacheLab::now), until);
    }

    /// Whether the frame loop must run for a fast-forward (tracked).
    fn is_busy(&self) -> bool {
        self.pacer.busy()
    }

    /// One animation frame: advances the lab by `advance_secs` of simulated time (or towards the
    /// fast-forward target), within the request budget. Returns true when a fast-forward ended.
    fn run_frame(&self, advance_secs: f64) -> bool {
        let (now, rate) = self.lab.with_untracked(|l| (l.now(), l.config().rate));
        let Some(slice) = self.pacer.plan(now, rate.max(1.0), advance_secs) else {
            return false;
        };
        self.lab.update_untracked(|l| l.step_until(slice.target));
        let publish = self.pacer.finish(slice);
        if slice.finished && self.after.get_value() == AfterFastForward::RestartCounters {
            self.lab.update_untracked(CacheLab::reset_stats);
        }
        // The clock moves with the snapshots (every 100 ms of wall time), not every frame: a
        // clock redrawn 60 times a second costs a layout and a paint per frame and reads no better.
        if publish {
            self.publish_first();
            self.staged.start();
        } else {
            self.staged.advance(self.snap);
        }
        slice.finished
    }

    /// Advances by one step (bounded by four frames' budget).
    fn step_once(&self) {
        let (now, rate) = self.lab.with_untracked(|l| (l.now(), l.config().rate));
        let target = now.saturating_add(from_secs(STEP_SECS).min(self.pacer.span(4.0, rate.max(1.0))));
        self.lab.update_untracked(|l| l.step_until(target));
        self.publish_all();
    }

    /// Publishes the snapshot and the clock now.
    fn publish_all(&self) {
        self.publish_first();
        self.staged.all(self.snap);
    }

    /// Publishes the snapshot for the metrics and the flow diagram, and the clock.
    fn publish_first(&self) {
        self.pacer.published();
        self.snap.set(self.lab.with_untracked(CacheLab::snapshot));
        self.clock.set(self.lab.with_untracked(CacheLab::now));
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
        self.publish_all();
    }
}

impl LabController for CacheState {
    type Setup = Config;
    type Action = CacheAction;
    const STEP_SECS: f64 = STEP_SECS;

    fn base(seed: u64) -> Config {
        Config {
            seed,
            ..Config::default()
        }
    }

    fn set(setup: &mut Config, key: &str, raw: &str) -> Option<Result<(), scalelab_sim::ConfigError>> {
        Config::spec(key).map(|_| setup.set_str(key, raw))
    }

    fn new(setup: Config) -> Self {
        Self::build(setup)
    }

    fn load(&self, setup: Config) {
        self.load_config(setup);
    }

    fn reset(&self) {
        self.restart();
    }

    fn seed(&self) -> u64 {
        self.lab.with(|l| l.config().seed)
    }

    fn set_seed(&self, raw: &str) -> Result<(), String> {
        self.set_seed_raw(raw)
    }

    fn url_pairs(&self) -> Vec<(&'static str, String)> {
        url_state::params_of(&self.config())
    }

    /// Busy while fast-forwarding.
    fn busy(&self) -> bool {
        self.is_busy()
    }

    fn frame(&self, advance_secs: f64) -> bool {
        self.run_frame(advance_secs)
    }

    fn step(&self) {
        self.step_once();
    }

    fn fast_forward_to(&self, until_secs: f64) {
        self.fast_forward_until(from_secs(until_secs), AfterFastForward::Pause);
    }

    fn publish(&self) {
        self.publish_all();
    }

    fn clock_secs(&self) -> f64 {
        to_secs(self.clock.get())
    }

    fn set_param(&self, key: &str, raw: &str) -> Result<(), String> {
        self.set_param_raw(key, raw)
    }

    fn act(&self, action: CacheAction) {
        match action {
            CacheAction::WarmUp => self.fast_forward(WARM_UP_SECS, AfterFastForward::RestartCounters),
            CacheAction::FastForward => self.fast_forward(WARM_UP_SECS, AfterFastForward::Pause),
            CacheAction::CrashCache => self.crash_cache(),
            CacheAction::FlushCache => self.flush_cache(),
            CacheAction::ExpireHotKey => self.expire_hot_key(),
            CacheAction::Stampede => self.stampede(),
            CacheAction::RestartCounters => self.restart_counters(),
        }
    }

    /// `metric:<name>` from the metric cards, `param:<key>` from the config (a choice by its
    /// option index).
    fn lookup(&self, subject: &str) -> Option<f64> {
        if let Some(name) = subject.strip_prefix("metric:") {
            return self.snap.with(|s| super::metrics::metric_value(s, name));
        }
        self.lab.with(|l| param_subject(l.config(), subject))
    }
}
