//! The cache page's controller: the core lab as a [`PacedRun`] (the kit's controller for labs on
//! a simulated clock) and what is the cache lab's own: its budget, actions and metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame request budget tuned to the machine's speed, so the page
//! never freezes whatever the rate, the key count or the speed.

use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use scalelab_sim::cache::{CacheLab, Config, Snapshot};
use scalelab_sim::ConfigError;

/// Simulated seconds the transport's Step button advances (one chart interval).
pub const STEP_SECS: f64 = 0.25;
/// Simulated seconds the lesson's `warm_up` and `fast_forward` actions run.
pub const WARM_UP_SECS: f64 = 10.0;
/// Simultaneous reads of the hot key the stampede button sends.
pub const STAMPEDE_READS: u32 = 100;

/// The cache page's controller.
pub type CacheState = PacedRun<CacheLab>;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheAction {
    /// Runs 10 simulated seconds, then restarts the counters (a warm cache).
    WarmUp,
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// The cache crashes and restarts empty; write-behind loses its queue.
    CrashCache,
    /// The cache is emptied on purpose; write-behind sends its queue to the database first.
    FlushCache,
    /// The hottest key expires now (counters restart, so they show what follows).
    ExpireHotKey,
    /// The hot key expires and [`STAMPEDE_READS`] reads of it arrive at once (counters restart
    /// first, so the peak shows this stampede).
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

/// "1 queued write" / "3 queued writes" (with `kind` "queued ").
fn writes(n: u64, kind: &str) -> String {
    format!(
        "{} {kind}write{}",
        format::number(n as f64, 0),
        if n == 1 { "" } else { "s" }
    )
}

impl PacedLab for CacheLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = CacheAction;
    const STEP_SECS: f64 = STEP_SECS;
    const BUDGET: (f64, f64, f64) = (CacheLab::REQUESTS_PER_FRAME as f64, 2_000.0, 300_000.0);

    core_model_methods!(CacheLab);

    fn frame_view(&self) {}

    /// Requests per simulated second.
    fn work_per_sec(&self) -> f64 {
        self.config().rate
    }

    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        CacheLab::set_param(self, key, raw).map(|()| None)
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &CacheState, action: CacheAction) {
        match action {
            CacheAction::WarmUp => run.fast_forward(WARM_UP_SECS, AfterFastForward::RestartCounters),
            CacheAction::FastForward => run.fast_forward(WARM_UP_SECS, AfterFastForward::Pause),
            CacheAction::CrashCache => run.apply(|l| {
                let lost = l.crash_cache();
                format!(
                    "The cache crashed and restarted empty. {} still queued for the database {} lost.",
                    writes(lost, "acknowledged "),
                    if lost == 1 { "was" } else { "were" }
                )
            }),
            CacheAction::FlushCache => run.apply(|l| {
                let written = l.flush_cache();
                format!(
                    "The cache was emptied on purpose. {} went to the database first: nothing lost.",
                    writes(written, "queued ")
                )
            }),
            CacheAction::ExpireHotKey => run.apply(|l| {
                l.reset_stats();
                if l.expire_hot_key() {
                    "Key 0, the hottest, expired now. Counters restarted: watch the database reads of the hot key."
                        .to_string()
                } else {
                    "Key 0 was not cached, so its next read misses anyway. Counters restarted.".to_string()
                }
            }),
            CacheAction::Stampede => run.apply(|l| {
                l.reset_stats();
                l.stampede(STAMPEDE_READS);
                format!(
                    "Key 0 expired and {STAMPEDE_READS} clients read it at the same instant. Counters restarted, so the peak shows this stampede."
                )
            }),
            CacheAction::RestartCounters => run.apply(|l| {
                l.reset_stats();
                "Counters restarted: totals and percentiles count from now.".to_string()
            }),
        }
    }
}
