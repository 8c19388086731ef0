//! The driver: the transport, the action queue and the lesson steps around a lab's controller.
//!
//! The page's frame loop, its buttons and the lesson player all act through a [`Driver`], and so
//! does the native lesson test: an action asked for while the lab is busy (a placement still being
//! computed, a fast-forward) waits in the queue and runs, in order, as soon as the lab is free.
//! Nothing a learner presses is lost or applied to a run that is about to be replaced.

use super::action::Action;
use super::controller::LabController;
use crate::components::TransportState;
use crate::lessons::Lesson;
use leptos::prelude::*;
use std::collections::VecDeque;

/// A lab's controller with its transport, action queue and lesson. `Copy`.
pub struct Driver<C: LabController> {
    /// The lab's controller.
    pub lab: C,
    /// Playing flag and speed.
    pub transport: TransportState,
    /// Actions waiting for the lab to be free, oldest first.
    queue: StoredValue<VecDeque<Action<C::Action>>>,
    /// The lab's lesson, if it has one.
    pub lesson: Option<Lesson>,
    /// Whether the lab was busy after the last frame or action. Labs advance their models
    /// untracked in the frame loop, so this signal is what tells views (a goal) that the work
    /// ended.
    busy: RwSignal<bool>,
}

impl<C: LabController> Clone for Driver<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: LabController> Copy for Driver<C> {}

impl<C: LabController> Driver<C> {
    /// A paused driver around `lab`.
    pub fn new(lab: C, lesson: Option<Lesson>) -> Self {
        Self {
            lab,
            transport: TransportState::with_speeds(C::SPEEDS, C::DEFAULT_SPEED),
            queue: StoredValue::new(VecDeque::new()),
            lesson,
            busy: RwSignal::new(lab.busy_untracked()),
        }
    }

    /// Whether the lab is busy, its numbers not final (tracked): a placement or fast-forward in
    /// progress, whether it started from a control (tracked by the lab) or ended in the frame
    /// loop (tracked here).
    pub fn busy(&self) -> bool {
        self.busy.get() || self.lab.busy()
    }

    fn sync_busy(&self) {
        let now = self.lab.busy_untracked();
        if self.busy.get_untracked() != now {
            self.busy.set(now);
        }
    }

    /// The setup lesson step `step` (0-based) starts from: the defaults with `seed`, then the
    /// step's preset (a value the lab refuses is skipped; the lesson test refuses such presets).
    pub fn step_setup(lesson: Option<&Lesson>, step: usize, seed: u64) -> C::Setup {
        let mut setup = C::base(seed);
        for &(key, raw) in lesson.and_then(|l| l.steps.get(step)).map_or(&[][..], |s| s.preset) {
            let _ = C::set(&mut setup, key, raw);
        }
        setup
    }

    /// Asks for `action`: done now if the lab is free, else queued behind the ones waiting. A
    /// reset is always done now (it drops the queue).
    pub fn act(&self, action: Action<C::Action>) {
        let waiting = self.queue.with_value(|q| !q.is_empty());
        if action == Action::Reset || (!waiting && !self.lab.busy_untracked()) {
            self.perform(action);
        } else {
            self.queue.update_value(|q| q.push_back(action));
        }
        self.sync_busy();
    }

    /// Asks for a lab action (a button's).
    pub fn act_lab(&self, action: C::Action) {
        self.act(Action::Lab(action));
    }

    /// Asks for the action a lesson names; false (and nothing done) for an unknown name.
    pub fn act_named(&self, name: &str) -> bool {
        match Action::<C::Action>::parse(name) {
            Some(action) => {
                self.act(action);
                true
            }
            None => false,
        }
    }

    fn perform(&self, action: Action<C::Action>) {
        match action {
            Action::Play => self.transport.playing.set(true),
            Action::Pause => self.transport.playing.set(false),
            Action::Reset => {
                self.transport.playing.set(false);
                self.queue.update_value(VecDeque::clear);
                self.lab.reset();
            }
            Action::Lab(a) => self.lab.act(a),
        }
    }

    /// Runs the queued actions in order while the lab is free (an action may make it busy again,
    /// and the rest wait for that).
    pub fn run_queued(&self) {
        while !self.lab.busy_untracked() {
            let mut next = None;
            self.queue.update_value(|q| next = q.pop_front());
            match next {
                Some(action) => self.perform(action),
                None => break,
            }
        }
    }

    /// Whether anything is queued.
    pub fn has_queued(&self) -> bool {
        self.queue.with_value(|q| !q.is_empty())
    }

    /// Enters lesson step `step` (0-based): pauses, forgets queued actions and loads the step's
    /// preset with the current seed.
    pub fn enter_step(&self, step: usize) {
        self.transport.playing.set(false);
        self.queue.update_value(VecDeque::clear);
        let seed = untrack(|| self.lab.seed());
        self.lab.load(Self::step_setup(self.lesson.as_ref(), step, seed));
        self.sync_busy();
    }

    /// A step's "Run it": enters the step afresh (so running twice gives the same result) and
    /// asks for its actions in order.
    pub fn run_step(&self, step: usize) {
        self.enter_step(step);
        let actions = self
            .lesson
            .and_then(|l| l.steps.get(step))
            .map_or(&[][..], |s| s.actions);
        for name in actions {
            self.act_named(name);
        }
    }

    /// Whether the frame loop must run: playing, busy, or actions waiting (tracked).
    pub fn active(&self) -> bool {
        self.transport.playing.get() || self.lab.busy()
    }

    /// One animation frame of `dt_ms` wall milliseconds: the lab's frame, a pause when a
    /// fast-forward ended, then the queued actions if the lab is free.
    pub fn frame(&self, dt_ms: f64) {
        if self.lab.frame(self.transport.advance_secs(dt_ms)) {
            self.transport.playing.set(false);
        }
        self.run_queued();
        self.sync_busy();
    }

    /// The transport's Step button: one step of the clock.
    pub fn step(&self) {
        self.lab.step();
    }

    /// Frames that do the lab's pending work without moving the clock, until the lab is free
    /// and nothing is queued (a fast-forward counts as work): for the native lesson test. Gives
    /// up after `max_frames`; returns whether it settled.
    pub fn settle(&self, max_frames: usize) -> bool {
        for _ in 0..max_frames {
            if !self.lab.busy_untracked() && !self.has_queued() {
                return true;
            }
            if self.lab.frame(0.0) {
                self.transport.playing.set(false);
            }
            self.run_queued();
        }
        !self.lab.busy_untracked() && !self.has_queued()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::hash_ring::state::{RingAction, RingState};

    fn metric(driver: &Driver<RingState>, name: &str) -> Option<f64> {
        untrack(|| driver.lab.lookup(&format!("metric:{name}")))
    }

    #[test]
    fn a_node_added_while_the_first_placement_runs_is_applied_after_it() {
        // The page at /labs/hash-ring?mode=sandbox&keys=100000&strategy=jump&nodes=10, with
        // Add node pressed before the first placement is done.
        let mut setup = RingState::base(1);
        for (key, raw) in [("keys", "100000"), ("strategy", "jump"), ("nodes", "10")] {
            assert!(matches!(RingState::set(&mut setup, key, raw), Some(Ok(()))));
        }
        let driver = Driver::new(RingState::new(setup), None);
        assert!(driver.lab.busy_untracked(), "the first placement is still to do");
        driver.act_lab(RingAction::AddNode);
        assert!(driver.has_queued(), "the press waits for the placement");
        assert!(driver.settle(10_000));
        assert_eq!(metric(&driver, "nodes"), Some(11.0));
        let moved = metric(&driver, "keys-moved").expect("the change is compared with the placement before it");
        assert!((moved - 1.0 / 11.0).abs() < 0.01, "{moved}");
    }

    #[test]
    fn a_reset_is_never_queued_and_drops_what_waits() {
        let driver = Driver::new(RingState::new(RingState::base(1)), None);
        driver.act_lab(RingAction::AddNode);
        driver.act(Action::Play);
        assert!(driver.has_queued());
        driver.act(Action::Reset);
        assert!(!driver.has_queued());
        assert!(driver.settle(10_000));
        assert!(!driver.transport.playing.get_untracked());
        assert_eq!(metric(&driver, "nodes"), Some(5.0), "the queued add was dropped");
    }

    #[test]
    fn reset_undoes_the_servers_added_and_removed_but_keeps_the_settings() {
        let mut setup = RingState::base(1);
        assert!(matches!(RingState::set(&mut setup, "nodes", "10"), Some(Ok(()))));
        let driver = Driver::new(RingState::new(setup), None);
        assert!(driver.settle(10_000));
        let unchanged = metric(&driver, "keys-moved");
        assert!(untrack(|| driver.lab.set_param("vnodes", "50")).is_ok());
        driver.act_lab(RingAction::AddNode);
        driver.act_lab(RingAction::AddNode);
        assert!(driver.settle(10_000));
        assert_eq!(metric(&driver, "nodes"), Some(12.0));
        assert_ne!(metric(&driver, "keys-moved"), unchanged, "the servers moved keys");
        driver.act(Action::Reset);
        assert!(driver.settle(10_000));
        assert_eq!(
            metric(&driver, "nodes"),
            Some(10.0),
            "back to the ten the settings asked for"
        );
        assert_eq!(
            untrack(|| driver.lab.lookup("param:vnodes")),
            Some(50.0),
            "a setting stays"
        );
        assert_eq!(metric(&driver, "keys-moved"), unchanged, "no change since the reset");
        assert!(untrack(|| driver.lab.set_param("nodes", "7")).is_ok());
        driver.act_lab(RingAction::RemoveLast);
        assert!(driver.settle(10_000));
        assert_eq!(metric(&driver, "nodes"), Some(6.0));
        driver.act(Action::Reset);
        assert!(driver.settle(10_000));
        assert_eq!(
            metric(&driver, "nodes"),
            Some(7.0),
            "the nodes control sets what Reset returns to"
        );
    }

    #[test]
    fn unknown_action_names_are_refused() {
        let driver = Driver::new(RingState::new(RingState::base(1)), None);
        assert!(!driver.act_named("add_server"));
        assert!(driver.act_named("add_node"));
    }
}
