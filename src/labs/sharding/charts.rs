//! The sharding page's time charts: operations and throttling per second, and the p99 latency of
//! each operation type (single key, range scan, global query, transaction). Both share one time
//! axis; the resharding events are listed once, under the first.

use crate::components::chart::shared_time_axis;
use crate::components::{ChartEvent, LineChart, Series};
use leptos::prelude::*;
use scalelab_sim::sharding::Snapshot;

/// The operation types' names, in the snapshot's per-type order.
const OP_NAMES: [&str; 4] = ["single key", "range scan", "global query", "transaction"];

/// The changes (numbered lines on the time charts).
fn events(snapshot: Signal<Snapshot>) -> Signal<Vec<ChartEvent>> {
    Signal::derive(move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .map(|e| ChartEvent {
                    at: e.at_s,
                    label: e.text.clone(),
                })
                .collect()
        })
    })
}

/// The time axis both charts share: the run so far, kept while it fits (see [`shared_time_axis`]).
pub fn run_axis(snapshot: Signal<Snapshot>) -> Memo<(f64, f64)> {
    shared_time_axis(move || snapshot.with(|s| (0.0, s.now_s)))
}

/// Operations and throttled operations per second.
#[component]
pub fn TrafficChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The time axis shared with the latency chart.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series::new("operations/s", 0, &s.charts.ops_per_s),
                Series::new("throttled/s", 3, &s.charts.throttled_per_s),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Operations and throttling per second"
            x_label="simulated time (s)"
            y_label="per second"
            events=events(snapshot)
            x_range=axis
            testid="chart-traffic"
        />
    }
}

/// The p99 latency of each operation type over time.
#[component]
pub fn LatencyChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The time axis shared with the traffic chart.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            s.charts
                .p99_ms
                .iter()
                .zip(OP_NAMES)
                .enumerate()
                .filter(|(_, (points, _))| !points.is_empty())
                .map(|(i, (points, name))| Series::new(name, i + 1, points))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <LineChart
            series=lines
            title="p99 latency of each operation type"
            x_label="simulated time (s)"
            y_label="ms"
            events=events(snapshot)
            list_events=false
            x_range=axis
            testid="chart-latency"
        />
    }
}
