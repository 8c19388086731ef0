//! The breaker's window as a strip of its recent calls (one letter and colour per call), and the
//! log of its latest transitions with their causes.

use crate::components::live::escape;
use crate::components::{draw, source, whole, Drawing, Parts};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::breaker::{CallKind, Policy, Snapshot, State, StripCall};
use std::fmt::Write;

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

/// A strip call's identity across snapshots: its time, kind, and how many calls of that kind at
/// that instant come before it in the strip.
type Key = (u64, &'static str, usize);

/// The strip's calls with their keys.
fn keyed_calls(calls: &[StripCall]) -> Vec<(Key, StripCall)> {
    let mut out: Vec<(Key, StripCall)> = Vec::with_capacity(calls.len());
    for c in calls {
        let (time, kind) = (c.at_s.to_bits(), kind_parts(c.kind).1);
        // Calls are in time order: those at the same instant are the last ones so far.
        let same = out
            .iter()
            .rev()
            .take_while(|((t, _, _), _)| *t == time)
            .filter(|((_, k, _), _)| *k == kind)
            .count();
        out.push(((time, kind, same), *c));
    }
    out
}

/// The strip's cells, one part per call, keyed as [`keyed_calls`] does.
fn cells(calls: &[StripCall]) -> Parts {
    keyed_calls(calls)
        .into_iter()
        .map(|((time, kind, n), c)| {
            let (letter, class, name) = kind_parts(c.kind);
            let cell = Drawing {
                markup: format!(
                    r#"<li class="strip-cell strip-{class}" data-kind="{class}" title="{name} at {}">{letter}</li>"#,
                    format::sim_clock(c.at_s)
                ),
                values: Vec::new(),
            };
            (format!("{time:x}/{kind}/{n}"), cell)
        })
        .collect()
}

/// The strip of recent calls.
#[component]
pub fn WindowStrip(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    // Keyed by call: as the window slides, only the calls that enter or leave it are drawn.
    let shown = move || snapshot.with(|s| cells(&s.window_strip));
    view! {
        <div class="window-strip" data-testid="window-strip-panel">
            <p class="param-hint" data-testid="window-caption">{move || snapshot.with(caption)}</p>
            <ol
                class="strip"
                data-testid="window-strip"
                aria-label="Recent calls counted by the breaker, oldest first"
                use:draw=source(shown)
            ></ol>
            <ul class="legend strip-legend" aria-label="Strip legend">
                <li><span class="strip-cell strip-success" aria-hidden="true">"S"</span>"success"</li>
                <li><span class="strip-cell strip-failure" aria-hidden="true">"F"</span>"failure"</li>
                <li><span class="strip-cell strip-slow" aria-hidden="true">"L"</span>"slow success"</li>
                <li><span class="strip-cell strip-slow_failure" aria-hidden="true">"X"</span>"slow failure (timeout)"</li>
            </ul>
        </div>
    }
}

/// The log's items: the latest transitions, newest first, each with its time and cause.
fn log(s: &Snapshot) -> Parts {
    let mut markup = String::new();
    for t in s.transition_log.iter().rev().take(LOG_SHOWN) {
        let _ = write!(
            markup,
            r#"<li><span class="log-time">{}</span> <strong>{} → {}</strong>: {}</li>"#,
            format::sim_clock(t.at_s),
            t.from.label(),
            t.to.label(),
            escape(&t.reason)
        );
    }
    whole(Drawing {
        markup,
        values: Vec::new(),
    })
}

/// The latest transitions, newest first, with their causes.
#[component]
pub fn TransitionLog(
    /// The snapshot to list.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    // Redrawn only when a transition happens, not on every snapshot.
    let items = move || snapshot.with(log);
    view! {
        <div class="event-log transition-log">
            <h3>"State changes, newest first"</h3>
            <Show
                when=move || snapshot.with(|s| !s.transition_log.is_empty())
                fallback=|| view! { <p class="param-hint">"No state change yet."</p> }
            >
                <ul data-testid="transition-log" use:draw=source(items)></ul>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_keep_their_keys_as_the_window_slides() {
        let call = |at_s: f64, kind: CallKind| StripCall { at_s, kind };
        let before = [
            call(1.0, CallKind::Success),
            call(2.0, CallKind::Failure),
            call(2.0, CallKind::Failure),
            call(2.0, CallKind::Success),
            call(2.0, CallKind::Failure),
        ];
        let keys = |calls: &[StripCall]| keyed_calls(calls).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        let old = keys(&before);
        // Two failures at the same instant are told apart; every key is different.
        assert_eq!((old[1].2, old[2].2, old[3].2, old[4].2), (0, 1, 0, 2));
        let mut unique = old.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), old.len());
        // The oldest call leaves, a new one comes: the others keep their keys.
        let mut after = before[1..].to_vec();
        after.push(call(3.0, CallKind::Slow));
        let new = keys(&after);
        assert_eq!(new[..4], old[1..]);
        assert!(keys(&[]).is_empty());
        let parts = cells(&after);
        assert_eq!(
            parts[0].1.markup,
            r#"<li class="strip-cell strip-failure" data-kind="failure" title="failure at 2.000 s">F</li>"#
        );
        assert_eq!(parts[1].0, format!("{:x}/failure/1", 2.0f64.to_bits()));
    }
}
