//! The replication page's charts: each replica's lag over time (shared line chart) and the
//! write- and read-latency distributions as stacked histograms (one colour per class).

use crate::components::{LineChart, Series};
use crate::format;
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
    let markers = Signal::derive(move || snapshot.with(|s| s.incidents.iter().map(|i| i.t_s).collect()));
    view! {
        <LineChart
            series=series
            title="Each replica's lag now (vertical lines: faults, fallbacks)"
            x_label="simulated time (s)"
            y_label="lag now (ms)"
            markers=markers
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

/// A stacked histogram of `bins` (empty bins at both ends trimmed) as an SVG string; `None`
/// when every bin is empty.
pub fn histogram_svg(bins: &[LatencyBin], classes: &[(&str, usize)]) -> Option<String> {
    let total = |b: &LatencyBin| b.counts.iter().take(classes.len()).sum::<u64>();
    let first = bins.iter().position(|b| total(b) > 0)?;
    let last = bins.iter().rposition(|b| total(b) > 0)?;
    let shown = bins.get(first..=last)?;
    let top = shown.iter().map(total).max().unwrap_or(1).max(1) as f64;
    let plot_h = H - BOTTOM - TOP;
    let slot = (W - LEFT - 8.0) / shown.len() as f64;
    let mut out = format!(r#"<svg viewBox="0 0 {W} {H}" class="repl-hist" aria-hidden="true">"#);
    for frac in [0.0, 0.5, 1.0] {
        let y = TOP + plot_h * (1.0 - frac);
        let _ = write!(
            out,
            r#"<line class="hist-grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="hist-text" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - 8.0,
            LEFT - 6.0,
            y + 4.0,
            format::number(top * frac, 0)
        );
    }
    for (i, b) in shown.iter().enumerate() {
        let x = LEFT + i as f64 * slot;
        let mut y = TOP + plot_h;
        for (count, (_, color)) in b.counts.iter().zip(classes) {
            let h = plot_h * *count as f64 / top;
            if h > 0.0 {
                y -= h;
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" style="fill:var(--c{color})"/>"#,
                    x + 2.0,
                    (slot - 4.0).max(1.0)
                );
            }
        }
        if shown.len() <= 16 || i % 2 == 0 {
            let _ = write!(
                out,
                r#"<text class="hist-text" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + slot / 2.0,
                H - BOTTOM + 16.0,
                bin_label(b.lower_ms)
            );
        }
    }
    let _ = write!(
        out,
        r#"<text class="hist-text" x="{:.1}" y="{:.1}" text-anchor="middle">ms (each bar starts at its label)</text></svg>"#,
        LEFT + (W - LEFT) / 2.0,
        H - 3.0
    );
    Some(out)
}

/// A latency distribution as an HTML figure (caption, stacked histogram, legend), or a hint
/// while it is empty.
pub fn histogram_figure(bins: &[LatencyBin], classes: &[(&str, usize)], title: &str, testid: &str) -> String {
    let mut out = format!(r#"<figure class="chart" data-testid="{testid}"><figcaption>{title}</figcaption>"#);
    match histogram_svg(bins, classes) {
        Some(svg) => {
            let parts: Vec<String> = classes
                .iter()
                .enumerate()
                .map(|(i, (label, _))| {
                    let n: u64 = bins.iter().map(|b| b.counts.get(i).copied().unwrap_or(0)).sum();
                    format!("{label}: {}", format::number(n as f64, 0))
                })
                .collect();
            let _ = write!(
                out,
                r#"<div class="chart-svg" role="img" aria-label="{title}. {}.">{svg}</div>"#,
                parts.join("; ")
            );
        }
        None => {
            out.push_str(r#"<p class="empty-state">Press Play or Step: the distribution fills as requests finish.</p>"#)
        }
    }
    out.push_str(r#"<ul class="legend">"#);
    for (label, color) in classes {
        let _ = write!(
            out,
            r#"<li><span class="swatch" style="background:var(--c{color})"></span>{label}</li>"#
        );
    }
    out.push_str("</ul></figure>");
    out
}

/// A latency distribution that follows `bins`.
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
    view! { <div inner_html=move || bins.with(|b| histogram_figure(b, classes, title, testid))></div> }
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
    fn stacks_the_classes_and_trims_empty_ends() {
        let bins = vec![
            bin(0.0, [0; 3]),
            bin(1.0, [5, 2, 0]),
            bin(2.0, [0; 3]),
            bin(5.0, [0, 0, 3]),
            bin(10.0, [0; 3]),
        ];
        let svg = histogram_svg(&bins, READ_CLASSES).unwrap();
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(">1<") && svg.contains(">5<") && !svg.contains(">10<"));
        assert!(histogram_svg(&[bin(0.0, [0; 3])], READ_CLASSES).is_none());
        assert!(histogram_svg(&[], WRITE_CLASSES).is_none());
        let figure = histogram_figure(&bins, READ_CLASSES, "Reads", "chart-x");
        assert!(figure.contains(r#"data-testid="chart-x""#) && figure.contains("primary: 3"));
        assert!(histogram_figure(&[], WRITE_CLASSES, "W", "w").contains("empty-state"));
        assert_eq!(bin_label(2_000.0), "2s");
    }
}
