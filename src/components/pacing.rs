//! Pacing a simulation on the animation-frame loop, shared by the lab pages that run a clock:
//! an adaptive per-frame work budget, the fast-forward to a target time (the URL's `until` or a
//! lesson action) with its progress bar, and throttled snapshot publication. (Actions that wait
//! for a fast-forward are the kit's `Driver`.)
//!
//! Pacing only: a lab's results never depend on how its run is sliced into frames.

use super::ProgressBar;
use crate::format;
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};

/// Wall milliseconds of simulation to aim for in one animation frame.
pub const WORK_MS_PER_FRAME: f64 = 8.0;
/// Snapshots are published at most this often while a lab runs (wall ms).
pub const PUBLISH_EVERY_MS: f64 = 100.0;

/// A per-frame work budget (requests, calls, events: whatever the lab counts) that adapts to the
/// machine: it shrinks after a frame that took too long and grows after a quick frame that the
/// budget limited.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameBudget {
    value: f64,
    min: f64,
    max: f64,
}

impl FrameBudget {
    /// A budget starting at `start`, kept within `min..=max`.
    pub fn new(start: f64, min: f64, max: f64) -> Self {
        Self {
            value: start.clamp(min, max),
            min,
            max,
        }
    }

    /// The work one frame may do.
    pub fn get(&self) -> f64 {
        self.value
    }

    /// Adjusts the budget after a frame that took `elapsed_ms` of wall time; `limited` says the
    /// budget (not the requested speed) is what stopped the frame.
    pub fn tune(&mut self, elapsed_ms: f64, limited: bool) {
        if elapsed_ms > WORK_MS_PER_FRAME * 1.5 {
            self.value *= 2.0 / 3.0;
        } else if limited && elapsed_ms < WORK_MS_PER_FRAME / 2.0 {
            self.value *= 1.5;
        }
        self.value = self.value.clamp(self.min, self.max);
    }
}

/// One frame's plan: step the lab to `target`, then give the plan back to [`Pacer::finish`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slice {
    /// Where to step the lab to (µs).
    pub target: SimTime,
    /// Whether this frame reaches the fast-forward's target.
    pub finished: bool,
    /// Whether the budget, not the requested speed or target, cut the frame short.
    limited: bool,
    /// Wall time the frame started (ms).
    started_ms: f64,
}

/// The clock side of a running lab page: budget, fast-forward, throttling and publication pace.
/// `Copy`, so closures can capture it freely.
#[derive(Clone, Copy)]
pub struct Pacer {
    /// Fast-forward target (µs), if any. Tracked readers: the progress bar, the frame loop.
    pub until: RwSignal<Option<SimTime>>,
    /// Where the current fast-forward started (µs).
    from: StoredValue<SimTime>,
    budget: StoredValue<FrameBudget>,
    /// Whether the last frame could not keep up with the requested speed.
    pub throttled: RwSignal<bool>,
    /// Wall time of the last publication (ms).
    last_publish_ms: StoredValue<f64>,
}

impl Pacer {
    /// A pacer with `budget` work units per frame to start with.
    pub fn new(budget: FrameBudget) -> Self {
        Self {
            until: RwSignal::new(None),
            from: StoredValue::new(0),
            budget: StoredValue::new(budget),
            throttled: RwSignal::new(false),
            last_publish_ms: StoredValue::new(0.0),
        }
    }

    /// Starts a fast-forward from `now` to `until` (both µs).
    pub fn fast_forward(&self, now: SimTime, until: SimTime) {
        self.from.set_value(now);
        self.until.set(Some(until));
    }

    /// Drops any fast-forward.
    pub fn stop(&self) {
        self.until.set(None);
    }

    /// Whether a fast-forward is under way (tracked).
    pub fn busy(&self) -> bool {
        self.until.with(Option::is_some)
    }

    /// Whether a fast-forward is under way (untracked).
    pub fn busy_untracked(&self) -> bool {
        self.until.with_untracked(Option::is_some)
    }

    /// Progress of the fast-forward in `[0, 1]` when the clock reads `now` (tracks the target).
    pub fn progress(&self, now: SimTime) -> f64 {
        let Some(until) = self.until.get() else {
            return 1.0;
        };
        let from = self.from.get_value();
        let span = until.saturating_sub(from);
        if span == 0 {
            return 1.0;
        }
        (now.saturating_sub(from) as f64 / span as f64).clamp(0.0, 1.0)
    }

    /// The simulated span (µs, at least 1) that `frames` frames of budget cover when the lab does
    /// `work_per_sec` units of work per simulated second.
    pub fn span(&self, frames: f64, work_per_sec: f64) -> SimTime {
        from_secs(frames * self.budget.get_value().get() / work_per_sec.max(1e-9)).max(1)
    }

    /// Plans one frame at simulated time `now`: towards the fast-forward's target if there is one,
    /// else `advance_secs` ahead (`None`: nothing to do), within the budget.
    pub fn plan(&self, now: SimTime, work_per_sec: f64, advance_secs: f64) -> Option<Slice> {
        let started_ms = platform::now_ms();
        let slice = self.span(1.0, work_per_sec);
        let (target, limited, finished) = match self.until.get_untracked() {
            Some(until) => {
                let target = now.saturating_add(slice).min(until);
                let finished = target >= until;
                (target, !finished, finished)
            }
            None if advance_secs > 0.0 => {
                let wanted = from_secs(advance_secs);
                (now.saturating_add(wanted.min(slice)), wanted > slice, false)
            }
            None => return None,
        };
        Some(Slice {
            target,
            finished,
            limited,
            started_ms,
        })
    }

    /// After the lab stepped to `slice.target`: tunes the budget, updates the throttled flag and
    /// ends a finished fast-forward. Returns whether the page should publish a snapshot now (the
    /// fast-forward ended, or the last publication is old enough).
    pub fn finish(&self, slice: Slice) -> bool {
        let now_ms = platform::now_ms();
        self.budget
            .update_value(|b| b.tune(now_ms - slice.started_ms, slice.limited));
        if !self.busy_untracked() && self.throttled.get_untracked() != slice.limited {
            self.throttled.set(slice.limited);
        }
        if slice.finished {
            self.until.set(None);
        }
        slice.finished || slice.started_ms - self.last_publish_ms.get_value() >= PUBLISH_EVERY_MS
    }

    /// Notes that a snapshot was just published.
    pub fn published(&self) {
        self.last_publish_ms.set_value(platform::now_ms());
    }
}

/// A progress bar while the simulation fast-forwards.
#[component]
pub fn FastForwardProgress(
    /// The page's pacer.
    pacer: Pacer,
    /// Simulated time now (µs).
    #[prop(into)]
    clock: Signal<SimTime>,
) -> impl IntoView {
    view! {
        <ProgressBar
            when=Signal::derive(move || pacer.busy())
            testid="fast-forward"
            text=move || {
                let target = pacer.until.get().map(to_secs).unwrap_or(0.0);
                format!("Fast-forwarding to {}\u{2026} ", format::sim_clock(target))
            }
            fraction=Signal::derive(move || pacer.progress(clock.get()))
        />
    }
}

/// A note while the page plays slower than the chosen speed because the device cannot keep up.
#[component]
pub fn ThrottledNote(
    /// The page's pacer.
    pacer: Pacer,
    /// Whether the clock is running (the note only shows while it is).
    #[prop(into)]
    playing: Signal<bool>,
) -> impl IntoView {
    view! {
        <Show when=move || pacer.throttled.get() && playing.get()>
            <p class="param-hint" role="status" data-testid="throttled">
                "Running as fast as this device allows: slower than the chosen speed."
            </p>
        </Show>
    }
}

/// Calls `publish` each time `active` goes from true to false (pause, end of a fast-forward):
/// snapshots are published at most every [`PUBLISH_EVERY_MS`] while running, so the frames since
/// the last one would otherwise stay off the page.
pub fn publish_when_stopped(active: Signal<bool>, publish: impl Fn() + 'static) {
    Effect::new(move |was_active: Option<bool>| {
        let is_active = active.get();
        if was_active == Some(true) && !is_active {
            publish();
        }
        is_active
    });
}

/// A published snapshot handed to the parts of a page in stages, one frame apart: the numbers
/// read the lab's own snapshot signal (set when publishing), `late[0]` is set on the next frame
/// and `late[1]` on the one after. A snapshot changes numbers, diagrams and charts at once;
/// staged, its DOM work (and the browser's style, layout and paint of it) is spread over three
/// frames instead of making one frame in six long. Outside the frame loop (a step, a reset, a
/// pause) [`Staged::all`] sets every stage at once.
pub struct Staged<T: Send + Sync + 'static> {
    /// The later stages, in order.
    pub late: [RwSignal<T>; 2],
    /// How many of `late` still lag behind the published snapshot (2, 1 or 0).
    behind: StoredValue<u8>,
}

impl<T: Send + Sync + 'static> Clone for Staged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Staged<T> {}

impl<T: Clone + Send + Sync + 'static> Staged<T> {
    /// Stages that start at `value`.
    pub fn new(value: &T) -> Self {
        Self {
            late: [RwSignal::new(value.clone()), RwSignal::new(value.clone())],
            behind: StoredValue::new(0),
        }
    }

    /// A snapshot was just published in `first`: the later stages follow on the next frames.
    pub fn start(&self) {
        self.behind.set_value(2);
    }

    /// On a frame without a publication: moves the next stage up to `first`. Returns whether it
    /// did (false once every stage is current).
    pub fn advance(&self, first: RwSignal<T>) -> bool {
        let behind = self.behind.get_value();
        let Some(stage) = self.late.len().checked_sub(usize::from(behind)) else {
            return false;
        };
        match self.late.get(stage) {
            Some(signal) if behind > 0 => {
                signal.set(first.get_untracked());
                self.behind.set_value(behind - 1);
                true
            }
            _ => false,
        }
    }

    /// Sets every later stage to `first` now.
    pub fn all(&self, first: RwSignal<T>) {
        self.behind.set_value(0);
        for signal in self.late {
            signal.set(first.get_untracked());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_shrinks_when_slow_and_grows_only_when_it_limited() {
        let mut b = FrameBudget::new(9_000.0, 2_000.0, 30_000.0);
        b.tune(20.0, true);
        assert_eq!(b.get(), 6_000.0);
        b.tune(1.0, false);
        assert_eq!(b.get(), 6_000.0, "the speed limited the frame, not the budget");
        b.tune(1.0, true);
        assert_eq!(b.get(), 9_000.0);
        for _ in 0..20 {
            b.tune(100.0, true);
        }
        assert_eq!(b.get(), 2_000.0);
        for _ in 0..20 {
            b.tune(0.0, true);
        }
        assert_eq!(b.get(), 30_000.0);
        assert_eq!(FrameBudget::new(1.0, 5.0, 10.0).get(), 5.0);
    }

    #[test]
    fn stages_follow_one_frame_apart_or_all_at_once() {
        let first = RwSignal::new(0);
        let staged = Staged::new(&0);
        let values = || staged.late.map(|s| s.get_untracked());
        assert!(!staged.advance(first), "nothing published yet");
        first.set(1);
        staged.start();
        assert_eq!(values(), [0, 0]);
        assert!(staged.advance(first));
        assert_eq!(values(), [1, 0]);
        assert!(staged.advance(first));
        assert_eq!(values(), [1, 1]);
        assert!(!staged.advance(first));
        // A publication before the stages caught up restarts them from the new snapshot.
        first.set(2);
        staged.start();
        assert!(staged.advance(first));
        first.set(3);
        staged.start();
        assert!(staged.advance(first) && staged.advance(first));
        assert_eq!(values(), [3, 3]);
        first.set(4);
        staged.start();
        staged.all(first);
        assert_eq!(values(), [4, 4]);
        assert!(!staged.advance(first));
    }
}
