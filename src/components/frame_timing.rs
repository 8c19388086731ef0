//! What each animation frame of a lab costs, kept for the benchmark (`scripts/bench.sh`) and for
//! anyone curious in the browser console: `window.wasmBindings.scalelabFrameTimes()`.
//!
//! [`use_frame_loop`](super::use_frame_loop) records two durations per frame, in ms of wall time:
//! - **work**: the frame's `on_frame` call alone: advancing the simulation and setting signals;
//! - **total**: from the same start until the reactive updates it triggered have run. Leptos runs
//!   effects (DOM updates, charts) as microtasks after the animation-frame callback returns, not
//!   inside the signal write, so the end is taken by a task that yields [`SETTLE_TICKS`] executor
//!   ticks, i.e. after every effect queued before it and the effects those queued in turn.
//!
//! Neither includes the browser's own style, layout and paint that follow. Only the last
//! [`FRAMES_KEPT`] frames are kept (2 KB), so this stays on in production at no memory cost.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use wasm_bindgen::prelude::wasm_bindgen;

/// Frames kept (about 4 s at 60 frames per second).
pub const FRAMES_KEPT: usize = 256;
/// Executor ticks the end-of-frame probe waits: covers effects that trigger effects, three deep.
pub const SETTLE_TICKS: u32 = 3;

/// A ring buffer of the last frames' `(work, total)` durations in ms.
#[derive(Debug)]
pub struct FrameTimes {
    recorded: u64,
    work: [f32; FRAMES_KEPT],
    total: [f32; FRAMES_KEPT],
}

impl FrameTimes {
    /// No frame recorded yet.
    pub const fn new() -> Self {
        Self {
            recorded: 0,
            work: [0.0; FRAMES_KEPT],
            total: [0.0; FRAMES_KEPT],
        }
    }

    /// Records one frame's durations (ms).
    pub fn record(&mut self, work_ms: f64, total_ms: f64) {
        let slot = (self.recorded % FRAMES_KEPT as u64) as usize;
        if let (Some(w), Some(t)) = (self.work.get_mut(slot), self.total.get_mut(slot)) {
            *w = work_ms as f32;
            *t = total_ms as f32;
        }
        self.recorded += 1;
    }

    /// `[frames recorded so far, then (work, total) for each kept frame, oldest first]`.
    pub fn flatten(&self) -> Vec<f32> {
        let kept = self.recorded.min(FRAMES_KEPT as u64);
        let mut out = Vec::with_capacity(1 + 2 * kept as usize);
        out.push(self.recorded as f32);
        for i in (self.recorded - kept)..self.recorded {
            let slot = (i % FRAMES_KEPT as u64) as usize;
            out.push(self.work.get(slot).copied().unwrap_or(0.0));
            out.push(self.total.get(slot).copied().unwrap_or(0.0));
        }
        out
    }
}

impl Default for FrameTimes {
    fn default() -> Self {
        Self::new()
    }
}

thread_local! {
    static FRAMES: RefCell<FrameTimes> = const { RefCell::new(FrameTimes::new()) };
}

/// Records a frame that started at `start_ms` and whose `on_frame` took `work_ms`; the total is
/// taken once the reactive updates it queued have run (see the module docs).
pub fn record_frame(start_ms: f64, work_ms: f64) {
    leptos::task::spawn_local(async move {
        for _ in 0..SETTLE_TICKS {
            YieldOnce(false).await;
        }
        let total_ms = crate::platform::now_ms() - start_ms;
        FRAMES.with(|f| f.borrow_mut().record(work_ms, total_ms));
    });
}

/// The recent frame costs for JavaScript: `[frames recorded so far, work0, total0, work1, ...]`
/// (ms, oldest first, at most [`FRAMES_KEPT`] frames).
#[wasm_bindgen(js_name = scalelabFrameTimes)]
pub fn frame_times() -> Vec<f32> {
    FRAMES.with(|f| f.borrow().flatten())
}

/// Pending once, so the task goes to the back of the executor's queue (one tick).
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_frames_in_order() {
        let mut f = FrameTimes::new();
        assert_eq!(f.flatten(), vec![0.0]);
        for i in 0..(FRAMES_KEPT + 3) {
            f.record(i as f64, 2.0 * i as f64);
        }
        let flat = f.flatten();
        assert_eq!(flat.len(), 1 + 2 * FRAMES_KEPT);
        assert_eq!(flat[0], (FRAMES_KEPT + 3) as f32);
        assert_eq!((flat[1], flat[2]), (3.0, 6.0));
        let last = FRAMES_KEPT + 2;
        assert_eq!(flat[flat.len() - 2..], [last as f32, 2.0 * last as f32]);
    }
}
