//! Work run in the background across animation frames (a comparison of variants): started by a
//! button, sliced by an adaptive budget so no frame takes long, with its progress and result as
//! signals. New labs use it instead of writing the slicing loop again.

use crate::components::pacing::FrameBudget;
use crate::components::use_frame_loop;
use crate::platform;
use leptos::prelude::*;

/// A job that advances in slices: `work(budget)` does about `budget` units (requests) and says
/// whether it is done.
pub trait SlicedJob: 'static {
    /// What the job gives when done.
    type Output: Clone + Send + Sync + 'static;
    /// Does about `budget` units of work; `true` when the job is done.
    fn work(&mut self, budget: u64) -> bool;
    /// Share done, 0 to 1.
    fn progress(&self) -> f64;
    /// The result (called once, when done).
    fn output(&self) -> Self::Output;
}

/// A background job's state: its progress while it runs, then its output.
pub struct Background<J: SlicedJob> {
    job: StoredValue<Option<J>, LocalStorage>,
    /// Share done while running (`None`: idle).
    pub progress: RwSignal<Option<f64>>,
    /// The last finished job's output.
    pub output: RwSignal<Option<J::Output>>,
}

impl<J: SlicedJob> Clone for Background<J> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<J: SlicedJob> Copy for Background<J> {}

impl<J: SlicedJob> Background<J> {
    /// Starts `job` (dropping one under way and the last output).
    pub fn start(&self, job: J) {
        self.job.set_value(Some(job));
        self.output.set(None);
        self.progress.set(Some(0.0));
    }

    /// Drops the job under way.
    pub fn cancel(&self) {
        self.job.set_value(None);
        self.progress.set(None);
    }

    /// Whether a job is under way.
    pub fn running(&self) -> bool {
        self.progress.with(Option::is_some)
    }
}

/// Runs jobs in the frame loop while one is under way, with a work budget per frame starting at
/// `budget.0` within `budget.1..=budget.2`, tuned to the machine.
pub fn use_background<J: SlicedJob>(budget: (f64, f64, f64)) -> Background<J> {
    let bg: Background<J> = Background {
        job: StoredValue::new_local(None),
        progress: RwSignal::new(None),
        output: RwSignal::new(None),
    };
    let budget = StoredValue::new(FrameBudget::new(budget.0, budget.1, budget.2));
    let active = Signal::derive(move || bg.progress.with(Option::is_some));
    use_frame_loop(active, move |_| {
        let started = platform::now_ms();
        let slice = budget.get_value().get().max(1.0) as u64;
        let mut step = None;
        bg.job.update_value(|slot| {
            if let Some(job) = slot {
                step = Some(if job.work(slice) {
                    Ok(job.output())
                } else {
                    Err(job.progress())
                });
            }
        });
        // The budget always limits a background frame (it runs as fast as it can).
        budget.update_value(|b| b.tune(platform::now_ms() - started, true));
        match step {
            Some(Ok(output)) => {
                bg.job.set_value(None);
                bg.output.set(Some(output));
                bg.progress.set(None);
            }
            Some(Err(p)) => bg.progress.set(Some(p.clamp(0.0, 1.0))),
            None => bg.progress.set(None),
        }
    });
    bg
}
