//! An animation-frame loop that runs while a signal says so and stops when its owner is dropped.

use super::frame_timing::record_frame;
use crate::platform::now_ms;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Longest wall-clock gap (ms) a single frame may report: a tab coming back from the background
/// must not ask the simulation to catch up minutes at once.
pub const MAX_FRAME_MS: f64 = 100.0;

struct LoopState {
    /// Cleared when the owner unmounts (shared with the `Send` cleanup hook).
    alive: Arc<AtomicBool>,
    running: Cell<bool>,
    last_ms: Cell<f64>,
}

/// Calls `on_frame(dt_ms)` on every animation frame while `active` is true. `dt_ms` is the wall
/// time since the previous frame, capped at [`MAX_FRAME_MS`]. Stops when the component unmounts.
/// Each frame's cost is recorded by [`super::frame_timing`].
pub fn use_frame_loop(active: Signal<bool>, on_frame: impl Fn(f64) + 'static) {
    let state = Rc::new(LoopState {
        alive: Arc::new(AtomicBool::new(true)),
        running: Cell::new(false),
        last_ms: Cell::new(0.0),
    });
    let on_frame: Rc<dyn Fn(f64)> = Rc::new(on_frame);

    fn schedule(state: Rc<LoopState>, active: Signal<bool>, on_frame: Rc<dyn Fn(f64)>) {
        request_animation_frame(move || {
            if !state.alive.load(Ordering::Relaxed) {
                return;
            }
            if !active.try_get_untracked().unwrap_or(false) {
                state.running.set(false);
                return;
            }
            let now = now_ms();
            let dt = (now - state.last_ms.replace(now)).clamp(0.0, MAX_FRAME_MS);
            on_frame(dt);
            // The frame's cost, for the benchmark (see frame_timing).
            record_frame(now, now_ms() - now);
            schedule(state, active, on_frame);
        });
    }

    let effect_state = state.clone();
    Effect::new(move |_| {
        if active.get() && !effect_state.running.get() && effect_state.alive.load(Ordering::Relaxed) {
            effect_state.running.set(true);
            effect_state.last_ms.set(now_ms());
            schedule(effect_state.clone(), active, on_frame.clone());
        }
    });
    let alive = state.alive.clone();
    on_cleanup(move || alive.store(false, Ordering::Relaxed));
}
