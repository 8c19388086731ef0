//! The rate limiting page's charts: the admitted rate against the limit (with the worst window's
//! span marked), what the clients sent and what was refused (one shared time axis, the bursts,
//! floods and limiter restarts listed once), and the worst window per limit key against the
//! limit.

use crate::components::chart::{shared_time_axis, Bar};
use crate::components::{BarChart, ChartEvent, LineChart, Series};
use leptos::prelude::*;
use scalelab_sim::ratelimit::{LabEventKind, Scope, Snapshot};

/// Bursts, floods and limiter restarts (numbered lines on the time charts).
fn events(snapshot: Signal<Snapshot>) -> Signal<Vec<ChartEvent>> {
    Signal::derive(move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .filter_map(|e| {
                    let label = match e.kind {
                        LabEventKind::Burst { client, requests } => {
                            format!("client {} sent {requests} at once", client + 1)
                        }
                        LabEventKind::Flood { .. } => "flood".to_string(),
                        LabEventKind::LimiterRestarted { .. } => "limiter restarted".to_string(),
                        _ => return None,
                    };
                    Some(ChartEvent { at: e.at_s, label })
                })
                .collect()
        })
    })
}

/// The time axis both time charts share: the run so far, kept while it fits (see [`shared_time_axis`]).
pub fn run_axis(snapshot: Signal<Snapshot>) -> Memo<(f64, f64)> {
    shared_time_axis(move || snapshot.with(|s| (0.0, s.now_s)))
}

/// A flat line at `value` across the span of `points`.
fn level(name: &str, color: usize, value: f64, points: &[(f64, f64)]) -> Option<Series> {
    let (first, last) = (points.first()?, points.last()?);
    Some(Series::new(name, color, &[(first.0, value), (last.0, value)]))
}

/// The start and end of the worst window (s), drawn as two plain lines.
fn worst_span(s: &Snapshot) -> Vec<f64> {
    s.worst_window_at_s
        .filter(|_| s.worst_window > 0)
        .map_or_else(Vec::new, |end| vec![(end - s.window_s).max(0.0), end])
}

/// Admitted per second against the limit (every key's together).
#[component]
pub fn AdmittedChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The time axis shared with the traffic chart.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            let mut out = vec![Series::new("admitted/s", 2, &s.admitted_series)];
            let name = match s.scope {
                Scope::Client => "limit \u{00d7} clients",
                Scope::Global => "limit",
            };
            out.extend(level(name, 7, s.limit_line_per_s, &s.admitted_series));
            out
        })
    });
    let markers = Signal::derive(move || snapshot.with(worst_span));
    view! {
        <LineChart
            series=lines
            title="Admitted per second against the limit (plain lines: the worst window's span)"
            x_label="simulated time (s)"
            y_label="per second"
            markers=markers
            events=events(snapshot)
            x_range=axis
            testid="chart-admitted"
        />
    }
}

/// Requests sent (retries included) and refused per second.
#[component]
pub fn TrafficChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The time axis shared with the admitted chart.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series::new("sent/s (retries included)", 0, &s.offered_series),
                Series::new("refused/s", 3, &s.refused_series),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Sent and refused per second"
            x_label="simulated time (s)"
            y_label="per second"
            events=events(snapshot)
            list_events=false
            x_range=axis
            testid="chart-traffic"
        />
    }
}

/// The most admitted in one window per client (or for everyone, in global scope) against the
/// limit.
#[component]
pub fn WorstWindowChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let bars = Signal::derive(move || {
        snapshot.with(|s| match s.scope {
            Scope::Client => s
                .clients
                .iter()
                .map(|c| Bar {
                    label: if c.abuser {
                        format!("A{}", c.client + 1)
                    } else {
                        format!("C{}", c.client + 1)
                    },
                    value: c.worst_window.unwrap_or(0) as f64,
                    color: if c.abuser { 3 } else { 0 },
                })
                .collect::<Vec<_>>(),
            Scope::Global => vec![Bar {
                label: "everyone".into(),
                value: s.worst_window as f64,
                color: 0,
            }],
        })
    });
    let limit = Signal::derive(move || snapshot.with(|s| Some(s.limit as f64)));
    view! {
        <BarChart
            bars=bars
            reference=limit
            title="Worst window: the most admitted in any one window (line: the limit; A: the abuser)"
            y_label="requests"
            testid="chart-worst-window"
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::ratelimit::RateLimitLab;

    #[test]
    fn the_worst_span_is_one_window_ending_where_the_core_says() {
        let mut lab = RateLimitLab::new(Default::default()).expect("defaults");
        assert!(worst_span(&lab.snapshot()).is_empty());
        lab.step_until(from_secs(25.0));
        let s = lab.snapshot();
        let span = worst_span(&s);
        assert_eq!(span.len(), 2);
        assert!((span[1] - span[0] - s.window_s).abs() < 1e-9 || span[0] == 0.0);
        assert_eq!(Some(span[1]), s.worst_window_at_s);
        assert!(level("limit", 7, 5.0, &[]).is_none());
    }
}
