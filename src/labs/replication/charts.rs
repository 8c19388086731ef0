//! The replication page's charts: each replica's lag over time (shared line chart) and the
//! write- and read-latency distributions as stacked histograms (one colour per class).

use crate::components::{draw, source, whole, ChartEvent, Drawing, LineChart, Series};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::replication::{LatencyBin, Snapshot};
use std::fmt::Write;

/// Read classes: label and palette index.
pub const READ_CLASSES: &[(&str, usize)] = &[
    ("replica, at once", 2),
    ("replica, after waiting for the token", 4),
    ("primary", 3),
];
/// Write classes: label and palette index.
pub const WRITE_CLASSES: &[(&str, usize)] = &[("acknowledged without replicas", 0), ("after replica confirmations", 1)];

/// Palette index of each replica id's line (distinct hues for ids 1 to 5).
const LINE_COLORS: [usize; 6] = [7, 0, 2, 3, 5, 4];

/// Each replica's lag now, over time, with the incidents as vertical lines.
#[component]
pub fn LagChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let series = Signal::derive(move || {
        snapshot.with(|s| {
            s.replica_lag_series
                .iter()
                .map(|(id, points)| Series {
                    name: format!("replica {id}"),
                    color: LINE_COLORS[*id as usize % LINE_COLORS.len()],
                    points: points.clone(),
                })
                .collect::<Vec<_>>()
        })
    });
    let events = Signal::derive(move || {
        snapshot.with(|s| {
            s.incidents
                .iter()
                .map(|i| ChartEvent {
                    at: i.t_s,
                    label: super::faults::short_name(&i.kind),
                })
                .collect()
        })
    });
    view! {
        <LineChart
            series=series
            title="Each replica's lag now (numbered lines: faults, fallbacks)"
            x_label="simulated time (s)"
            y_label="lag now (ms)"
            events=events
            testid="chart-lag"
        />
    }
}

const W: f64 = 520.0;
const H: f64 = 250.0;
const LEFT: f64 = 52.0;
const BOTTOM: f64 = 34.0;
const TOP: f64 = 10.0;

fn bin_label(ms: f64) -> String {
    if ms >= 1_000.0 {
        format!("{}s", format::number(ms / 1_000.0, 0))
    } else {
        format::number(ms, 1)
    }
}

/// A stacked histogram's drawing: the value labels of its three grid lines (bottom first) and
/// the bins shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bars {
    /// Counts at the bottom, middle and top grid lines.
    pub grid: [String; 3],
    /// The bins from the first to the last non-empty one.
    pub bins: Vec<Bar>,
}

/// One bin of a [`Bars`] drawing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bar {
    /// Left edge and width of the bar.
    pub x: f64,
    /// Width of the bar.
    pub width: f64,
    /// Top and height of each class's part of the bar, bottom class first (height 0: none).
    pub stack: Vec<(f64, f64)>,
    /// The bin's lower edge under it (empty when every other label is skipped).
    pub label: String,
}

/// y of the grid line at `frac` of the tallest bar (bottom 0, top 1).
fn grid_y(frac: f64) -> f64 {
    TOP + (H - BOTTOM - TOP) * (1.0 - frac)
}

/// The drawing of `bins` stacked by `classes` (empty bins at both ends trimmed); `None` when
/// every bin is empty.
pub fn bars(bins: &[LatencyBin], classes: &[(&str, usize)]) -> Option<Bars> {
    let total = |b: &LatencyBin| b.counts.iter().take(classes.len()).sum::<u64>();
    let first = bins.iter().position(|b| total(b) > 0)?;
    let last = bins.iter().rposition(|b| total(b) > 0)?;
    let shown = bins.get(first..=last)?;
    let top = shown.iter().map(total).max().unwrap_or(1).max(1) as f64;
    let plot_h = H - BOTTOM - TOP;
    let slot = (W - LEFT - 8.0) / shown.len() as f64;
    let bins = shown
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut y = TOP + plot_h;
            let stack = b
                .counts
                .iter()
                .take(classes.len())
                .map(|count| {
                    let h = plot_h * *count as f64 / top;
                    y -= h;
                    (y, h)
                })
                .collect();
            Bar {
                x: LEFT + i as f64 * slot + 2.0,
                width: (slot - 4.0).max(1.0),
                stack,
                label: if shown.len() <= 16 || i % 2 == 0 {
                    bin_label(b.lower_ms)
                } else {
                    String::new()
                },
            }
        })
        .collect();
    Some(Bars {
        grid: [0.0, 0.5, 1.0].map(|frac| format::number(top * frac, 0)),
        bins,
    })
}

/// A histogram's accessible name: the title and each class's count.
fn histogram_label(bins: &[LatencyBin], classes: &[(&str, usize)], title: &str) -> String {
    let parts: Vec<String> = classes
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let n: u64 = bins.iter().map(|b| b.counts.get(i).copied().unwrap_or(0)).sum();
            format!("{label}: {}", format::number(n as f64, 0))
        })
        .collect();
    format!("{title}. {}.", parts.join("; "))
}

/// A latency distribution as a figure (caption, stacked histogram, legend), or a hint while it
/// is empty. The markup depends only on the bins shown; counts, bar heights and labels are live
/// values.
pub fn histogram_drawing(bins: &[LatencyBin], classes: &[(&str, usize)], title: &str, testid: &str) -> Drawing {
    let mut d = Drawing::default();
    let _ = write!(
        d,
        r#"<figure class="chart" data-testid="{testid}"><figcaption>{title}</figcaption>"#
    );
    match bars(bins, classes) {
        Some(drawn) => {
            d.markup.push_str(r#"<div class="chart-svg" role="img""#);
            d.live("aria-label", [histogram_label(bins, classes, title)]);
            let _ = write!(
                d,
                r#"><svg viewBox="0 0 {W} {H}" class="repl-hist" aria-hidden="true">"#
            );
            for (frac, value) in [0.0, 0.5, 1.0].into_iter().zip(drawn.grid) {
                let y = grid_y(frac);
                let _ = write!(
                    d,
                    r#"<line class="hist-grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="hist-text" x="{:.1}" y="{:.1}" text-anchor="end""#,
                    W - 8.0,
                    LEFT - 6.0,
                    y + 4.0,
                );
                d.live("text", [value]);
                d.markup.push_str("></text>");
            }
            for b in drawn.bins {
                for (&(y, h), (_, color)) in b.stack.iter().zip(classes) {
                    let _ = write!(
                        d,
                        r#"<rect x="{:.1}" width="{:.1}" style="fill:var(--c{color})""#,
                        b.x, b.width
                    );
                    d.live("y height", [d1(y).to_string(), d1(h).to_string()]);
                    d.markup.push_str("/>");
                }
                let _ = write!(
                    d,
                    r#"<text class="hist-text" x="{:.1}" y="{:.1}" text-anchor="middle""#,
                    b.x + b.width / 2.0,
                    H - BOTTOM + 16.0,
                );
                d.live("text", [b.label]);
                d.markup.push_str("></text>");
            }
            let _ = write!(
                d,
                r#"<text class="hist-text" x="{:.1}" y="{:.1}" text-anchor="middle">ms (each bar starts at its label)</text></svg></div>"#,
                LEFT + (W - LEFT) / 2.0,
                H - 3.0
            );
        }
        None => d
            .markup
            .push_str(r#"<p class="empty-state">Press Play or Step: the distribution fills as requests finish.</p>"#),
    }
    d.markup.push_str(r#"<ul class="legend">"#);
    for (label, color) in classes {
        let _ = write!(
            d,
            r#"<li><span class="swatch" style="background:var(--c{color})"></span>{label}</li>"#
        );
    }
    d.markup.push_str("</ul></figure>");
    d
}

/// A latency distribution that follows `bins`: redrawn when the bins shown change, otherwise
/// only the bars, counts and labels that changed are written.
#[component]
pub fn LatencyHistogram(
    /// The bins to draw.
    #[prop(into)]
    bins: Signal<Vec<LatencyBin>>,
    /// Class labels and palette indices, in stacking order (bottom first).
    classes: &'static [(&'static str, usize)],
    /// Caption and accessible name.
    title: &'static str,
    /// Test id of the figure.
    testid: &'static str,
) -> impl IntoView {
    let drawn = move || whole(bins.with(|b| histogram_drawing(b, classes, title, testid)));
    view! { <div use:draw=source(drawn)></div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(lower_ms: f64, counts: [u64; 3]) -> LatencyBin {
        LatencyBin {
            lower_ms,
            upper_ms: None,
            counts,
        }
    }

    #[test]
    fn draws_the_bins_shown_and_a_hint_while_empty() {
        let bins = vec![
            bin(0.0, [0; 3]),
            bin(1.0, [5, 2, 0]),
            bin(2.0, [0; 3]),
            bin(5.0, [0, 0, 3]),
            bin(10.0, [0; 3]),
        ];
        let d = histogram_drawing(&bins, READ_CLASSES, "Reads", "chart-x");
        // Three bins shown (1 to 5 ms), a bar part per class in each.
        assert_eq!(d.markup.matches("<rect").count(), 9);
        assert!(d.markup.contains(r#"data-testid="chart-x""#));
        assert!(d.values[0].contains("primary: 3"));
        assert!(d.values.iter().any(|v| v == "1") && d.values.iter().any(|v| v == "5"));
        assert!(!d.values.iter().any(|v| v == "10"));
        let shown = d.render();
        assert!(shown.contains(r#"aria-label="Reads. "#) && !shown.contains("data-live"));
        // More requests in the same bins: same markup, new values.
        let mut more = bins.clone();
        more[1].counts[0] += 10;
        let d2 = histogram_drawing(&more, READ_CLASSES, "Reads", "chart-x");
        assert_eq!(d2.markup, d.markup);
        assert_ne!(d2.values, d.values);
        assert!(histogram_drawing(&[], WRITE_CLASSES, "W", "w")
            .markup
            .contains("empty-state"));
        assert!(histogram_drawing(&[bin(0.0, [0; 3])], WRITE_CLASSES, "W", "w")
            .values
            .is_empty());
        assert_eq!(bin_label(2_000.0), "2s");
    }

    #[test]
    fn bars_stack_each_class_on_the_one_below() {
        let bins = vec![bin(0.0, [0; 3]), bin(1.0, [5, 2, 0]), bin(2.0, [0, 0, 10])];
        let drawn = bars(&bins, READ_CLASSES).unwrap();
        assert_eq!(drawn.grid, ["0", "5", "10"]);
        assert_eq!(drawn.bins.len(), 2);
        let first = &drawn.bins[0];
        let plot_h = H - BOTTOM - TOP;
        let (y0, h0) = first.stack[0];
        let (y1, h1) = first.stack[1];
        assert!((h0 - plot_h * 0.5).abs() < 1e-9 && (h1 - plot_h * 0.2).abs() < 1e-9);
        assert!((y0 + h0 - (TOP + plot_h)).abs() < 1e-9 && (y1 + h1 - y0).abs() < 1e-9);
        assert_eq!(first.stack[2].1, 0.0);
        // The tallest bar reaches the top line; bins sit side by side.
        assert!((drawn.bins[1].stack[2].0 - TOP).abs() < 1e-9);
        assert!(drawn.bins[1].x > first.x + first.width);
        assert_eq!((first.label.as_str(), drawn.bins[1].label.as_str()), ("1", "2"));
        // Writes have two classes: the third count is ignored.
        assert_eq!(bars(&bins, WRITE_CLASSES).unwrap().bins[0].stack.len(), 2);
    }
}
