//! The hash ring drawn in SVG (ring and bounded), and a bucket view for modulo, jump and rendezvous.
//!
//! Positions come from the core's snapshot as fractions of the circle, clockwise from the top.
//! Colours follow the node id through the colour-blind-safe palette, so a node keeps its colour
//! across changes; moved keys are drawn larger with a dark outline.

use crate::components::chart::shaded_palette_css;
use leptos::prelude::*;
use scalelab_sim::hashring::{Snapshot, Strategy};
use std::f64::consts::TAU;

const SIZE: f64 = 420.0;
const CENTER: f64 = SIZE / 2.0;
const RADIUS: f64 = 160.0;
const KEY_RADIUS: f64 = 140.0;
/// Changed arcs are drawn as a band just outside the ring points.
const ARC_RADIUS: f64 = RADIUS + 18.0;

fn at(position: f64, radius: f64) -> (f64, f64) {
    let a = position * TAU;
    (CENTER + radius * a.sin(), CENTER - radius * a.cos())
}

/// SVG path of the clockwise arc from `start` to `end` (fractions; wraps through 0 when
/// `start >= end`).
fn arc_path(start: f64, end: f64, radius: f64) -> String {
    let span = if end > start { end - start } else { end + 1.0 - start };
    if span >= 0.999 {
        let (x0, y0) = at(0.0, radius);
        let (x1, y1) = at(0.5, radius);
        return format!(
            "M{x0:.1},{y0:.1} A{radius},{radius} 0 1 1 {x1:.1},{y1:.1} A{radius},{radius} 0 1 1 {x0:.1},{y0:.1}"
        );
    }
    let (x0, y0) = at(start, radius);
    let (x1, y1) = at(end, radius);
    let large = if span > 0.5 { 1 } else { 0 };
    format!("M{x0:.1},{y0:.1} A{radius},{radius} 0 {large} 1 {x1:.1},{y1:.1}")
}

/// The diagram for the snapshot's strategy: the ring or the buckets.
#[component]
pub fn PlacementDiagram(
    /// What to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// Accessible description prefix, e.g. "Your strategy".
    #[prop(into)]
    label: String,
    /// Test id of the figure.
    #[prop(into)]
    testid: String,
) -> impl IntoView {
    move || {
        let s = snapshot.get();
        let moved = s.sample_keys.iter().filter(|k| k.moved).count();
        let description = format!(
            "{label}: {} nodes, {} of {} sample keys moved by the last change",
            s.nodes.len(),
            moved,
            s.sample_keys.len()
        );
        let body = if s.strategy.uses_ring() {
            ring_view(&s).into_any()
        } else {
            bucket_view(&s).into_any()
        };
        view! {
            <figure class="diagram-figure" data-testid=testid.clone()>
                <svg class="diagram" viewBox=format!("0 0 {SIZE} {SIZE}") role="img" aria-label=description>
                    {body}
                </svg>
            </figure>
        }
    }
}

fn ring_view(s: &Snapshot) -> impl IntoView {
    let tick = if s.ring_points.len() > 300 { 5.0 } else { 9.0 };
    let width = if s.ring_points.len() > 300 { 1.0 } else { 3.0 };
    let points = s
        .ring_points
        .iter()
        .map(|p| {
            let (x0, y0) = at(p.position, RADIUS - tick);
            let (x1, y1) = at(p.position, RADIUS + tick);
            view! {
                <line
                    x1=format!("{x0:.1}")
                    y1=format!("{y0:.1}")
                    x2=format!("{x1:.1}")
                    y2=format!("{y1:.1}")
                    stroke=shaded_palette_css(p.owner as usize)
                    stroke-width=width
                />
            }
        })
        .collect_view();
    let arcs = s
        .changed_arcs
        .iter()
        .map(|a| view! { <path class="arc-changed" d=arc_path(a.start, a.end, ARC_RADIUS)/> })
        .collect_view();
    let keys = s
        .sample_keys
        .iter()
        .map(|k| {
            let (x, y) = at(k.position, KEY_RADIUS);
            view! {
                <circle
                    class="key"
                    class:moved=k.moved
                    cx=format!("{x:.1}")
                    cy=format!("{y:.1}")
                    r=if k.moved { 5.0 } else { 3.0 }
                    fill=shaded_palette_css(k.owner as usize)
                />
            }
        })
        .collect_view();
    let points_label = if s.ring_points_total as usize > s.ring_points.len() {
        format!("{} of {} points drawn", s.ring_points.len(), s.ring_points_total)
    } else {
        format!("{} points", s.ring_points_total)
    };
    view! {
        <circle class="ring-track" cx=CENTER cy=CENTER r=RADIUS/>
        {arcs}
        {points}
        {keys}
        <text x=CENTER y=CENTER - 8.0 text-anchor="middle" class="diagram-title">
            {format!("{} nodes", s.nodes.len())}
        </text>
        <text x=CENTER y=CENTER + 12.0 text-anchor="middle" class="diagram-sub">
            {points_label}
        </text>
    }
}

fn bucket_view(s: &Snapshot) -> impl IntoView {
    let n = s.nodes.len().max(1);
    let left = 20.0;
    let width = SIZE - 2.0 * left;
    let col = width / n as f64;
    let base = SIZE - 40.0;
    let mut heights = vec![0usize; n];
    let dot = (col * 0.35).clamp(1.5, 5.0);
    let step = (dot * 2.2).max(3.0);
    let keys = s
        .sample_keys
        .iter()
        .map(|k| {
            let b = (k.bucket as usize).min(n - 1);
            let h = heights.get(b).copied().unwrap_or(0);
            if let Some(slot) = heights.get_mut(b) {
                *slot += 1;
            }
            let x = left + col * (b as f64 + 0.5);
            let y = base - 6.0 - step * h as f64;
            view! {
                <circle
                    class="key"
                    class:moved=k.moved
                    cx=format!("{x:.1}")
                    cy=format!("{:.1}", y.max(24.0))
                    r=if k.moved { dot + 1.5 } else { dot }
                    fill=shaded_palette_css(k.owner as usize)
                />
            }
        })
        .collect_view();
    let columns = s
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let x = left + col * i as f64;
            view! {
                <rect
                    x=format!("{:.1}", x + col * 0.08)
                    y=base
                    width=format!("{:.1}", (col * 0.84).max(0.5))
                    height="8"
                    fill=shaded_palette_css(node.id as usize)
                />
            }
        })
        .collect_view();
    let caption = match s.strategy {
        Strategy::Modulo => "bucket = hash(key) % N",
        Strategy::Jump => "bucket = jump(hash(key), N)",
        _ => "node = argmax score(key, node)",
    };
    let labels = (n <= 16).then(|| {
        s.nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let x = left + col * (i as f64 + 0.5);
                view! {
                    <text x=format!("{x:.1}") y=base + 24.0 text-anchor="middle" class="diagram-sub">
                        {node.bucket.to_string()}
                    </text>
                }
            })
            .collect_view()
    });
    view! {
        <text x=CENTER y="16" text-anchor="middle" class="diagram-sub">{caption}</text>
        {columns}
        {labels}
        {keys}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_run_clockwise_from_the_top() {
        let (x, y) = at(0.0, 100.0);
        assert!((x - CENTER).abs() < 1e-9 && (y - (CENTER - 100.0)).abs() < 1e-9);
        let (x, _) = at(0.25, 100.0);
        assert!((x - (CENTER + 100.0)).abs() < 1e-9, "a quarter turn is on the right");
    }

    #[test]
    fn arcs_pick_the_large_flag_and_wrap() {
        assert!(arc_path(0.0, 0.25, 10.0).contains(" 0 0 1 "));
        assert!(arc_path(0.0, 0.75, 10.0).contains(" 0 1 1 "));
        assert!(arc_path(0.9, 0.1, 10.0).contains(" 0 0 1 "), "wrapping arc spans 0.2");
        assert_eq!(
            arc_path(0.3, 0.3, 10.0).matches('A').count(),
            2,
            "a full circle is two arcs"
        );
    }
}
