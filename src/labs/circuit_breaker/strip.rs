//! The breaker's window as a strip of its recent calls (one letter and colour per call), and the
//! log of its latest transitions with their causes.

use crate::format;
use leptos::prelude::*;
use scalelab_sim::breaker::{CallKind, Policy, Snapshot, State};

/// Transitions listed in the log, newest first.
const LOG_SHOWN: usize = 8;

/// Letter, class and name of a call kind (letters match the `outcomes` script; X is a slow
/// failure, e.g. a timeout).
fn kind_parts(kind: CallKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        CallKind::Success => ("S", "success", "success"),
        CallKind::Failure => ("F", "failure", "failure"),
        CallKind::Slow => ("L", "slow", "slow success"),
        CallKind::SlowFailure => ("X", "slow_failure", "slow failure"),
    }
}

/// What the strip shows, in words.
fn caption(s: &Snapshot) -> String {
    let n = s.window_strip.len();
    let shown = format!("The last {n} call{} the breaker counted", if n == 1 { "" } else { "s" });
    match (s.state, s.policy) {
        (State::Closed | State::HalfOpen, _) if n == 0 => {
            "No call counted yet: the strip fills as calls finish, oldest first.".to_string()
        }
        (State::HalfOpen, _) => format!(
            "{shown}: the trial calls of this half-open period ({} of {} let through).",
            s.trial_permitted, s.trial_limit
        ),
        (State::Open | State::ForcedOpen, _) => format!("{shown} before it opened; while open nothing is counted."),
        (State::Disabled, _) => "Nothing is counted while the breaker is off.".to_string(),
        (_, Policy::Consecutive) => format!(
            "{shown} (oldest first). Only the run of failures at the end matters: {} in a row.",
            s.consecutive_failures
        ),
        (_, Policy::TimeWindow) => format!(
            "{shown} in the time window, oldest first ({} in the window, {} failed, {} slow).",
            s.window_calls, s.window_failures, s.window_slow
        ),
        _ => format!(
            "{shown}, oldest first: the window ({} calls, {} failed, {} slow).",
            s.window_calls, s.window_failures, s.window_slow
        ),
    }
}

/// The strip of recent calls.
#[component]
pub fn WindowStrip(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let cells = move || {
        snapshot.with(|s| {
            s.window_strip
                .iter()
                .map(|c| {
                    let (letter, class, name) = kind_parts(c.kind);
                    view! {
                        <li class=format!("strip-cell strip-{class}") data-kind=class title=format!("{name} at {}", format::sim_clock(c.at_s))>
                            {letter}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="window-strip" data-testid="window-strip-panel">
            <p class="param-hint" data-testid="window-caption">{move || snapshot.with(caption)}</p>
            <ol class="strip" data-testid="window-strip" aria-label="Recent calls counted by the breaker, oldest first">
                {cells}
            </ol>
            <ul class="legend strip-legend" aria-label="Strip legend">
                <li><span class="strip-cell strip-success" aria-hidden="true">"S"</span>"success"</li>
                <li><span class="strip-cell strip-failure" aria-hidden="true">"F"</span>"failure"</li>
                <li><span class="strip-cell strip-slow" aria-hidden="true">"L"</span>"slow success"</li>
                <li><span class="strip-cell strip-slow_failure" aria-hidden="true">"X"</span>"slow failure (timeout)"</li>
            </ul>
        </div>
    }
}

/// The latest transitions, newest first, with their causes.
#[component]
pub fn TransitionLog(
    /// The snapshot to list.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let items = move || {
        snapshot.with(|s| {
            s.transition_log
                .iter()
                .rev()
                .take(LOG_SHOWN)
                .map(|t| {
                    view! {
                        <li>
                            <span class="log-time">{format::sim_clock(t.at_s)}</span>
                            " "
                            <strong>{format!("{} \u{2192} {}", t.from.label(), t.to.label())}</strong>
                            {format!(": {}", t.reason)}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="event-log transition-log">
            <h3>"State changes, newest first"</h3>
            <Show
                when=move || snapshot.with(|s| !s.transition_log.is_empty())
                fallback=|| view! { <p class="param-hint">"No state change yet."</p> }
            >
                <ul data-testid="transition-log">{items}</ul>
            </Show>
        </div>
    }
}
