//! Transport: play/pause, single step, speed, reset, seed and the simulated clock.

use crate::format;
use leptos::prelude::*;

/// A list of speeds offered: simulated seconds per wall-clock second, and their labels.
pub type Speeds = &'static [(f64, &'static str)];

/// Speeds offered by default, as simulated seconds per wall-clock second.
pub const SPEEDS: &[(f64, &str)] = &[
    (0.1, "0.1\u{00d7} (slow motion)"),
    (0.25, "0.25\u{00d7}"),
    (0.5, "0.5\u{00d7}"),
    (1.0, "1\u{00d7} (real time)"),
    (2.0, "2\u{00d7}"),
    (5.0, "5\u{00d7}"),
    (10.0, "10\u{00d7}"),
    (30.0, "30\u{00d7}"),
    (100.0, "100\u{00d7} (fast forward)"),
];

/// The transport's shared state, owned by the lab page.
#[derive(Clone, Copy)]
pub struct TransportState {
    /// Whether the frame loop advances the simulation.
    pub playing: RwSignal<bool>,
    /// Simulated seconds per wall second. Default 1.
    pub speed: RwSignal<f64>,
    /// The speeds the selector offers (default [`SPEEDS`]).
    pub speeds: Speeds,
}

impl TransportState {
    /// Paused, at real-time speed, offering [`SPEEDS`].
    pub fn new() -> Self {
        Self::with_speeds(SPEEDS, 1.0)
    }

    /// Paused at `speed`, offering `speeds` (a lab whose runs last days offers hours per second).
    pub fn with_speeds(speeds: Speeds, speed: f64) -> Self {
        Self {
            playing: RwSignal::new(false),
            speed: RwSignal::new(speed),
            speeds,
        }
    }

    /// Simulated seconds a frame of `dt_ms` wall milliseconds advances at the chosen speed: 0
    /// while paused (untracked, for the frame loop).
    pub fn advance_secs(&self, dt_ms: f64) -> f64 {
        if self.playing.get_untracked() {
            dt_ms / 1000.0 * self.speed.get_untracked()
        } else {
            0.0
        }
    }
}

impl Default for TransportState {
    fn default() -> Self {
        Self::new()
    }
}

/// The transport bar.
#[component]
pub fn Transport(
    /// Playing flag and speed.
    state: TransportState,
    /// Simulated time now, in seconds.
    #[prop(into)]
    sim_time: Signal<f64>,
    /// Advance by one step (the lab decides how long a step is).
    on_step: Callback<()>,
    /// Restart the run from time zero with the same parameters and seed.
    on_reset: Callback<()>,
    /// Current seed.
    #[prop(into)]
    seed: Signal<u64>,
    /// Validated seed setter: raw text in, error message out.
    on_seed: Callback<String, Result<(), String>>,
    /// Step length shown on the step button's tooltip, e.g. "0.1 s".
    #[prop(into)]
    step_label: String,
) -> impl IntoView {
    let seed_error = RwSignal::new(None::<String>);
    let seed_draft = RwSignal::new(None::<String>);
    let submit_seed = move |raw: String| match on_seed.run(raw.clone()) {
        Ok(()) => {
            seed_error.set(None);
            seed_draft.set(None);
        }
        Err(e) => {
            seed_error.set(Some(e));
            seed_draft.set(Some(raw));
        }
    };
    let playing = state.playing;
    let speed = state.speed;
    let speeds = state.speeds;
    view! {
        <div class="transport" role="group" aria-label="Simulation controls">
            <button
                type="button"
                class="button primary play"
                data-testid="play"
                aria-pressed=move || playing.get().to_string()
                on:click=move |_| playing.update(|p| *p = !*p)
            >
                {move || if playing.get() { "\u{275a}\u{275a} Pause" } else { "\u{25b6} Play" }}
            </button>
            <button
                type="button"
                class="button"
                data-testid="step"
                title=format!("Advance {step_label} of simulated time")
                on:click=move |_| on_step.run(())
            >
                "Step \u{203a}"
            </button>
            <button type="button" class="button" data-testid="reset" on:click=move |_| on_reset.run(())>
                "\u{21ba} Reset"
            </button>
            <label class="transport-field">
                <span>"Speed"</span>
                <select
                    data-testid="speed"
                    prop:value=move || speed.get().to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            if speeds.iter().any(|(s, _)| *s == v) {
                                speed.set(v);
                            }
                        }
                    }
                >
                    {speeds.iter().map(|(v, label)| view! { <option value=v.to_string()>{*label}</option> }).collect_view()}
                </select>
            </label>
            <label class="transport-field seed-field">
                <span>"Seed"</span>
                <input
                    type="text"
                    inputmode="numeric"
                    data-testid="seed"
                    aria-invalid=move || seed_error.get().is_some().to_string()
                    prop:value=move || seed_draft.get().unwrap_or_else(|| seed.get().to_string())
                    on:change=move |ev| submit_seed(event_target_value(&ev))
                />
            </label>
            <p class="sim-clock">
                <span class="visually-hidden">"Simulated time: "</span>
                <span
                    data-testid="sim-time"
                    data-value=move || format::raw(sim_time.get())
                >
                    {move || format::sim_clock(sim_time.get())}
                </span>
            </p>
            <p class="param-error" role="alert">{move || seed_error.get().unwrap_or_default()}</p>
        </div>
    }
}

/// Parses a seed typed by the learner or found in the URL: a whole number from 0 to 2^53.
pub fn parse_seed(raw: &str) -> Result<u64, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Seed needs a whole number".into());
    }
    match raw.parse::<u64>() {
        Ok(v) if v <= MAX_SEED => Ok(v),
        _ => Err(format!("Seed must be a whole number from 0 to {MAX_SEED}")),
    }
}

/// Largest seed accepted (2^53, so it survives a round trip through JavaScript numbers).
pub const MAX_SEED: u64 = 1 << 53;

#[cfg(test)]
mod tests {
    use super::parse_seed;

    #[test]
    fn seeds_are_validated() {
        assert_eq!(parse_seed(" 42 "), Ok(42));
        for bad in ["", "-1", "1.5", "abc", "99999999999999999999", "9007199254740993"] {
            assert!(parse_seed(bad).is_err(), "{bad}");
        }
    }
}
