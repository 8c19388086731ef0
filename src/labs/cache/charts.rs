//! The cache page's charts: hit ratio and database load over time, database concurrency, and the
//! latency distribution. All drawn by the shared chart components from the snapshot's series.

use crate::components::chart::Bar;
use crate::components::{BarChart, ChartEvent, LineChart, Series};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::cache::{LabEventKind, LatencyBin, Snapshot};

/// The lab's events (crash, flush, stampede...) as numbered lines on the charts.
fn events(snapshot: Signal<Snapshot>) -> Signal<Vec<ChartEvent>> {
    Signal::derive(move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .map(|e| ChartEvent {
                    at: e.at_s,
                    label: event_name(&e.kind).to_string(),
                })
                .collect()
        })
    })
}

/// An event in a word or two (the event log under the diagram says more).
fn event_name(kind: &LabEventKind) -> &'static str {
    match kind {
        LabEventKind::Crash { .. } => "cache crashed",
        LabEventKind::Flush { .. } => "cache flushed",
        LabEventKind::HotKeyExpired { .. } => "hot key expired",
        LabEventKind::Stampede { .. } => "stampede",
        LabEventKind::CacheRebuilt => "cache restarted empty",
    }
}

/// Hit ratio over the last second, over time, with the formula's value where it applies.
#[component]
pub fn HitRatioChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let series = Signal::derive(move || {
        snapshot.with(|s| {
            let mut out = vec![Series {
                name: "simulated (last second)".into(),
                color: 2,
                points: s.hit_ratio_series.clone(),
            }];
            let span = (s.hit_ratio_series.first(), s.hit_ratio_series.last());
            if let (Some(theory), (Some(first), Some(last))) = (s.theory_hit_ratio, span) {
                out.push(Series {
                    name: "theory (Che / LFU)".into(),
                    color: 7,
                    points: vec![(first.0, theory), (last.0, theory)],
                });
            }
            out
        })
    });
    view! {
        <LineChart
            series=series
            title="Hit ratio over time (lines: events)"
            x_label="simulated time (s)"
            y_label="hit ratio"
            y_range=(0.0, 1.0)
            events=events(snapshot)
            testid="chart-hit-ratio"
        />
    }
}

/// Database reads and writes per second over time.
#[component]
pub fn DbLoadChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let series = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series {
                    name: "reads/s".into(),
                    color: 3,
                    points: s.db_reads_series.clone(),
                },
                Series {
                    name: "writes/s".into(),
                    color: 1,
                    points: s.db_writes_series.clone(),
                },
            ]
        })
    });
    view! {
        <LineChart
            series=series
            title="Database load over time"
            x_label="simulated time (s)"
            y_label="queries per second"
            events=events(snapshot)
            testid="chart-db-load"
        />
    }
}

/// Most queries outstanding at the database in each chart interval: where a stampede shows.
#[component]
pub fn DbConcurrencyChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let series = Signal::derive(move || {
        snapshot.with(|s| {
            vec![Series {
                name: "peak in flight".into(),
                color: 5,
                points: s.db_concurrency_series.clone(),
            }]
        })
    });
    view! {
        <LineChart
            series=series
            title="Database queries in flight (peak per quarter second)"
            x_label="simulated time (s)"
            y_label="queries"
            events=events(snapshot)
            testid="chart-db-concurrency"
        />
    }
}

/// A bin's label: its lower bound, in ms below a second and in seconds above.
fn bin_label(b: &LatencyBin) -> String {
    if b.lower_ms >= 1_000.0 {
        format!("{}s", format::number(b.lower_ms / 1_000.0, 0))
    } else {
        format::number(b.lower_ms, 1)
    }
}

/// The latency bins without the empty ones at either end (so the bars keep their labels).
fn trimmed(bins: &[LatencyBin]) -> &[LatencyBin] {
    let first = bins.iter().position(|b| b.count > 0);
    let last = bins.iter().rposition(|b| b.count > 0);
    match (first, last) {
        (Some(a), Some(b)) => bins.get(a..=b).unwrap_or(&[]),
        _ => &[],
    }
}

/// The latency histogram of every finished request since the counters last restarted.
#[component]
pub fn LatencyChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    // Shares, not counts: the counts grow with the run and would move the axis (and redraw it)
    // every second or so; the shares settle.
    let bars = Signal::derive(move || {
        snapshot.with(|s| {
            let total: u64 = s.latency_histogram.iter().map(|b| b.count).sum();
            trimmed(&s.latency_histogram)
                .iter()
                .map(|b| Bar {
                    label: bin_label(b),
                    value: 100.0 * b.count as f64 / total.max(1) as f64,
                    color: 4,
                })
                .collect::<Vec<_>>()
        })
    });
    let has_data = move || snapshot.with(|s| s.latency_histogram.iter().any(|b| b.count > 0));
    view! {
        <Show
            when=has_data
            fallback=|| {
                view! {
                    <p class="empty-state" data-testid="chart-latency-empty">
                        "Press Play (or Step): the latency distribution fills as requests finish."
                    </p>
                }
            }
        >
            <BarChart
                bars=bars
                reference=Signal::stored(None)
                title="Latency distribution (bars start at the labelled ms)"
                y_label="% of requests"
                testid="chart-latency"
            />
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(lower_ms: f64, count: u64) -> LatencyBin {
        LatencyBin {
            lower_ms,
            upper_ms: None,
            count,
        }
    }

    #[test]
    fn trimming_keeps_the_inner_empty_bins() {
        let bins = vec![bin(0.0, 0), bin(1.0, 5), bin(2.0, 0), bin(5.0, 2), bin(10.0, 0)];
        let t = trimmed(&bins);
        assert_eq!(t.len(), 3);
        assert!(trimmed(&[bin(0.0, 0)]).is_empty());
        assert!(trimmed(&[]).is_empty());
        assert_eq!(bin_label(&bin(2_000.0, 0)), "2s");
        assert_eq!(bin_label(&bin(0.5, 0)), "0.5");
    }
}
