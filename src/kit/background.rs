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

/// The controls of a background comparison: the simulated seconds per variant (a select,
/// `compare-seconds`), Run (`compare-run`, disabled while `blocked` says why or a job runs) and
/// Cancel (`compare-cancel`), the reason or error, and the progress bar (`compare-progress`).
#[component]
pub fn CompareRunBar<J: SlicedJob>(
    /// The job runner.
    bg: Background<J>,
    /// Simulated seconds per variant, as chosen.
    seconds: RwSignal<u32>,
    /// The choices of seconds.
    durations: &'static [u32],
    /// Why Run is disabled (e.g. too few variants chosen); shown as an error.
    #[prop(into)]
    blocked: Signal<Option<String>>,
    /// The last run's error (a config the core refused).
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Starts a run.
    on_run: Callback<()>,
) -> impl IntoView {
    use crate::components::ProgressBar;
    view! {
        <div class="compare-controls">
            <label class="param">
                <span class="param-label">"Simulated time per variant"</span>
                <select
                    class="param-select"
                    data-testid="compare-seconds"
                    prop:value=move || seconds.get().to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                            if durations.contains(&n) {
                                seconds.set(n);
                            }
                        }
                    }
                >
                    {durations.iter().map(|d| view! { <option value=d.to_string()>{crate::format::duration(*d)}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <div class="actions compare-actions">
            <button
                type="button"
                class="button primary"
                data-testid="compare-run"
                disabled=move || blocked.with(Option::is_some) || bg.running()
                on:click=move |_| on_run.run(())
            >
                "\u{25b6} Run comparison"
            </button>
            <Show when=move || bg.running()>
                <button type="button" class="button" data-testid="compare-cancel" on:click=move |_| bg.cancel()>
                    "Cancel"
                </button>
            </Show>
        </div>
        <p class="param-error" role="alert">{move || blocked.get().or_else(|| error.get()).unwrap_or_default()}</p>
        <ProgressBar
            when=Signal::derive(move || bg.running())
            testid="compare-progress"
            text=move || format!("Running\u{2026} {} ", crate::format::percent(bg.progress.get().unwrap_or(0.0), 0))
            fraction=Signal::derive(move || bg.progress.get().unwrap_or(0.0))
        />
    }
}
