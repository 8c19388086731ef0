//! The queues page's charts on one shared time axis: the backlog (waiting and in progress), the
//! lag, the arrival rate against the service rate (and the consumers' capacity), and what the
//! user waits against when the work is done. Faults are numbered lines on every chart, listed
//! once under the first.

use crate::components::chart::shared_time_axis;
use crate::components::{ChartEvent, LineChart, Series};
use leptos::prelude::*;
use scalelab_sim::queues::{LabEventKind, Snapshot};

/// The faults and consumer changes (numbered lines on the charts).
fn events(snapshot: Signal<Snapshot>) -> Signal<Vec<ChartEvent>> {
    Signal::derive(move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .filter_map(|e| {
                    let label = match e.kind {
                        LabEventKind::Crashed { consumer, .. } => format!("consumer {consumer} crashed"),
                        LabEventKind::Stopped => "consumers stopped".into(),
                        LabEventKind::Started => "consumers started".into(),
                        LabEventKind::Rebalancing { consumers, .. } => format!("{consumers} consumers"),
                        LabEventKind::Burst { .. } => "burst".into(),
                        LabEventKind::Poison { count } => format!("{count} poison"),
                        LabEventKind::Redriven { .. } => "redrive".into(),
                        _ => return None,
                    };
                    Some(ChartEvent { at: e.at_s, label })
                })
                .collect()
        })
    })
}

/// The time axis the charts share: the run so far, kept while it fits (see [`shared_time_axis`]).
pub fn run_axis(snapshot: Signal<Snapshot>) -> Memo<(f64, f64)> {
    shared_time_axis(move || snapshot.with(|s| (0.0, s.now_s)))
}

/// A flat line at `value` across the span of `points`.
fn level(name: &str, color: usize, value: f64, points: &[(f64, f64)]) -> Option<Series> {
    let (first, last) = (points.first()?, points.last()?);
    value
        .is_finite()
        .then(|| Series::new(name, color, &[(first.0, value), (last.0, value)]))
}

/// Messages waiting and in progress.
#[component]
pub fn BacklogChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The shared time axis.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series::new("waiting", 1, &s.backlog_series),
                Series::new("in progress", 2, &s.in_flight_series),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Backlog: messages waiting and in progress"
            x_label="simulated time (s)"
            y_label="messages"
            events=events(snapshot)
            x_range=axis
            testid="chart-backlog"
        />
    }
}

/// Arrivals against the work done per second, with the consumers' capacity.
#[component]
pub fn RatesChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The shared time axis.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            let mut out = vec![
                Series::new("arrivals/s (\u{03bb})", 0, &s.arrival_series),
                Series::new("done/s", 2, &s.service_series),
            ];
            out.extend(level(
                "capacity c\u{03bc}",
                7,
                s.theory.capacity_per_s,
                &s.arrival_series,
            ));
            out
        })
    });
    view! {
        <LineChart
            series=lines
            title="Arrival rate against service rate"
            x_label="simulated time (s)"
            y_label="per second"
            events=events(snapshot)
            list_events=false
            x_range=axis
            testid="chart-rates"
        />
    }
}

/// Age of the oldest waiting message.
#[component]
pub fn LagChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The shared time axis.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || snapshot.with(|s| vec![Series::new("lag (s)", 3, &s.lag_series)]));
    view! {
        <LineChart
            series=lines
            title="Consumer lag: age of the oldest waiting message"
            x_label="simulated time (s)"
            y_label="seconds"
            events=events(snapshot)
            list_events=false
            x_range=axis
            testid="chart-lag"
        />
    }
}

/// What the user waits against when the work is done (p99 per half second).
#[component]
pub fn LatencyChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The shared time axis.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series::new("response p99 (the user waits)", 0, &s.response_p99_series),
                Series::new("completion p99 (work done)", 4, &s.completion_p99_series),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Response time against completion time (p99)"
            x_label="simulated time (s)"
            y_label="ms"
            events=events(snapshot)
            list_events=false
            x_range=axis
            testid="chart-latency"
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_spans_the_points_and_skips_infinity() {
        let points = [(0.5, 1.0), (3.0, 2.0)];
        let line = level("cap", 7, 32.0, &points).expect("a line");
        assert_eq!(line.points, vec![(0.5, 32.0), (3.0, 32.0)]);
        assert!(level("cap", 7, f64::INFINITY, &points).is_none());
        assert!(level("cap", 7, 1.0, &[]).is_none());
    }
}
