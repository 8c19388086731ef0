//! The rate limiting page's controller: the core lab as a [`PacedRun`] (the kit's controller for
//! labs on a simulated clock) and what is this lab's own: its budget, its actions (a burst from
//! one client, a flood from the abuser, restarting the counters) and its metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame request budget tuned to the machine's speed, so a million
//! requests per simulated second never freeze the page.

use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use scalelab_sim::ratelimit::{Config, RateLimitLab, Snapshot, FLOOD_SECS, MAX_BURST_NOW};
use scalelab_sim::ConfigError;

/// Simulated seconds the transport's Step button advances (one chart sample).
pub const STEP_SECS: f64 = 0.25;
/// Simulated seconds the lesson's `fast_forward` action runs.
pub const FAST_FORWARD_SECS: f64 = 10.0;
/// Simulated seconds the lesson's `run_30s` action runs (three windows at the defaults).
pub const LONG_RUN_SECS: f64 = 30.0;
/// Burst now sends this many times the limit at once.
pub const BURST_LIMITS: u64 = 2;

/// The rate limiting page's controller.
pub type RlState = PacedRun<RateLimitLab>;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RlAction {
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// Runs 30 simulated seconds, then pauses.
    LongRun,
    /// Client 1 (a well-behaved one) sends [`BURST_LIMITS`] times the limit at once.
    BurstNow,
    /// The abuser floods at ten times its rate for a few seconds, on top of its usual traffic.
    FloodNow,
    /// Totals, delays and worst windows restart from now.
    RestartCounters,
}

impl LabAction for RlAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("fast_forward", RlAction::FastForward),
        ("run_30s", RlAction::LongRun),
        ("burst_now", RlAction::BurstNow),
        ("flood_now", RlAction::FloodNow),
        ("restart_counters", RlAction::RestartCounters),
    ];
}

/// The settings whose change restarts the limiter with fresh state (see
/// [`RateLimitLab::set_config`]).
const LIMITER_KEYS: &[&str] = &[
    "algorithm",
    "limit",
    "window_s",
    "burst",
    "rate_per_s",
    "queue",
    "scope",
    "instances",
    "sync",
    "sync_ms",
];

/// What a change of `key` did beyond its name, in words (`None`: nothing more).
fn change_note(key: &str) -> Option<String> {
    if key == "clients" {
        Some("The run restarted from time 0 with the new number of clients.".into())
    } else if LIMITER_KEYS.contains(&key) {
        Some(
            "The limiter restarted with fresh state: full buckets, empty windows, logs and queues. Counters count from now."
                .into(),
        )
    } else {
        None
    }
}

/// How many requests a burst now sends for a limit of `limit`.
pub fn burst_size(limit: u32) -> u64 {
    (u64::from(limit) * BURST_LIMITS).clamp(1, MAX_BURST_NOW)
}

/// "1 request" / "3 requests".
fn requests(n: u64) -> String {
    format!(
        "{} request{}",
        format::number(n as f64, 0),
        if n == 1 { "" } else { "s" }
    )
}

/// Client 1's (admitted, queued, refused) so far.
fn first_client(lab: &RateLimitLab) -> (u64, u64, u64) {
    lab.snapshot()
        .clients
        .first()
        .map_or((0, 0, 0), |c| (c.admitted, c.delayed, c.refused))
}

/// What a burst of `sent` did, from client 1's counts before and after.
fn burst_message(sent: u64, before: (u64, u64, u64), after: (u64, u64, u64)) -> String {
    let admitted = after.0.saturating_sub(before.0);
    let queued = after.1.saturating_sub(before.1);
    let refused = after.2.saturating_sub(before.2);
    let held = sent.saturating_sub(admitted + queued + refused);
    let mut parts = vec![format!("{} admitted", format::number(admitted as f64, 0))];
    if queued > 0 {
        parts.push(format!("{} queued", format::number(queued as f64, 0)));
    }
    parts.push(format!("{} refused (429)", format::number(refused as f64, 0)));
    if held > 0 {
        parts.push(format!(
            "{} held back by the client until Retry-After",
            format::number(held as f64, 0)
        ));
    }
    format!("Client 1 sent {} at once: {}.", requests(sent), parts.join(", "))
}

impl PacedLab for RateLimitLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = RlAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// In requests (attempts, retries included).
    const BUDGET: (f64, f64, f64) = (RateLimitLab::REQUESTS_PER_FRAME as f64, 2_000.0, 400_000.0);
    const PANELS: &'static [&'static str] = &["timeline", "charts", "compare"];

    core_model_methods!(RateLimitLab);

    fn frame_view(&self) {}

    /// Attempts per simulated second, retries and a flood by hand included.
    fn work_per_sec(&self) -> f64 {
        self.work_per_s()
    }

    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        RateLimitLab::set_param(self, key, raw).map(|()| change_note(key))
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &RlState, action: RlAction) {
        match action {
            RlAction::FastForward => run.fast_forward(FAST_FORWARD_SECS, AfterFastForward::Pause),
            RlAction::LongRun => run.fast_forward(LONG_RUN_SECS, AfterFastForward::Pause),
            RlAction::BurstNow => run.apply(|l| {
                let before = first_client(l);
                let sent = l.burst_now(burst_size(l.config().limit));
                burst_message(sent, before, first_client(l))
            }),
            RlAction::FloodNow => run.apply(|l| {
                let rps = l.flood_now();
                format!(
                    "The abuser floods at {} requests a second for {FLOOD_SECS} s, on top of its usual traffic.",
                    format::number(rps, 0)
                )
            }),
            RlAction::RestartCounters => run.apply(|l| {
                l.reset_stats();
                "Counters restarted: totals, delays and the worst window count from now.".into()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_says_what_happened_to_it() {
        let mut lab = RateLimitLab::new(Default::default()).expect("defaults");
        lab.step_until(scalelab_sim::engine::time::from_secs(5.0));
        let before = first_client(&lab);
        let sent = lab.burst_now(burst_size(lab.config().limit));
        assert_eq!(sent, 200);
        let text = burst_message(sent, before, first_client(&lab));
        assert!(text.starts_with("Client 1 sent 200 requests at once"), "{text}");
        assert!(text.contains("refused (429)") && !text.contains("held"), "{text}");
        assert_eq!(burst_size(0), 1);
        assert_eq!(burst_size(u32::MAX), MAX_BURST_NOW);
    }

    #[test]
    fn changes_that_restart_something_say_so() {
        assert!(change_note("algorithm").is_some_and(|t| t.contains("limiter restarted")));
        assert!(change_note("clients").is_some_and(|t| t.contains("time 0")));
        assert_eq!(change_note("retry"), None);
    }
}
