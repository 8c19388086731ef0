//! The flow diagram: clients, cache and database in SVG, with the current rates on the arrows.
//!
//! Which arrows exist follows the snapshot's [`Flow`]: who loads a missing value (the application
//! for cache-aside, the cache otherwise) and who writes to the database (the cache for
//! write-through and write-behind, the application otherwise). Arrow thickness grows with the
//! rate; dashes move along busy arrows (still under `prefers-reduced-motion`).

use crate::components::{drawn_svg, source, whole, Drawing};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::cache::{Component, Flow, Snapshot, Strategy};
use std::fmt::Write;

const WIDTH: f64 = 460.0;
const HEIGHT: f64 = 480.0;
/// Boxes: x, y, width, height.
const CLIENTS: (f64, f64, f64, f64) = (115.0, 12.0, 230.0, 64.0);
const CACHE: (f64, f64, f64, f64) = (115.0, 192.0, 230.0, 100.0);
const DATABASE: (f64, f64, f64, f64) = (115.0, 406.0, 230.0, 64.0);
/// x of the two vertical lanes between the boxes.
const LANE_A: f64 = 200.0;
const LANE_B: f64 = 260.0;
/// x of the bypass routes around the cache (application to database).
const BYPASS_LEFT: f64 = 30.0;
const BYPASS_RIGHT: f64 = 430.0;

/// One sentence per strategy for the caption under the diagram.
pub fn strategy_sentence(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::CacheAside => {
            "Cache-aside: on a miss the application reads the database and puts the value in the cache. \
             A write goes to the database, then the application deletes the key from the cache."
        }
        Strategy::ReadThrough => {
            "Read-through: on a miss the cache itself loads the value from the database. \
             Writes go from the application to the database, which then deletes the key from the cache."
        }
        Strategy::WriteThrough => {
            "Write-through: the cache loads misses, and every write goes through the cache to the database; \
             the client hears back once both have it."
        }
        Strategy::WriteBehind => {
            "Write-behind: a write is answered as soon as the cache has it. The cache queues it, merges \
             repeated writes to one key, and flushes the queue to the database every flush interval."
        }
        Strategy::RefreshAhead => {
            "Refresh-ahead: read-through, plus a hit close to expiry reloads the value in the background \
             while the old value is still served."
        }
    }
}

fn rate(v: f64) -> String {
    format!("{}/s", format::number(v, 0))
}

/// Stroke width for a rate: thicker for busier arrows, on a log scale.
fn stroke_width(per_s: f64) -> f64 {
    if per_s.is_finite() && per_s > 0.0 {
        (1.5 + 1.1 * (1.0 + per_s).log10()).min(7.0)
    } else {
        1.5
    }
}

/// An arrowhead at `tip` pointing along the unit vector `(dx, dy)`.
fn head(tip: (f64, f64), (dx, dy): (f64, f64)) -> String {
    let (x, y) = tip;
    let (bx, by) = (x - 10.0 * dx, y - 10.0 * dy);
    let (px, py) = (-dy * 5.5, dx * 5.5);
    format!(
        "M{x:.1},{y:.1} L{:.1},{:.1} L{:.1},{:.1} Z",
        bx + px,
        by + py,
        bx - px,
        by - py
    )
}

/// One arrow (route `d`, head at `tip` pointing along `dir`, thickness by rate) and its two-line
/// label (`name` at `(x, y)`, then the rate). The route follows the strategy; the thickness,
/// whether it is busy, and the rate are live values.
fn arrow(
    out: &mut Drawing,
    d: String,
    tip: (f64, f64),
    dir: (f64, f64),
    per_s: f64,
    (color, testid): (&str, &str),
    (x, y, anchor, name): (f64, f64, &str, &str),
) {
    let busy = per_s.is_finite() && per_s > 0.0;
    let _ = write!(out, r#"<g style="stroke:{color};fill:{color}" data-testid="{testid}""#);
    out.live("class", [format!("cache-arrow {}", if busy { "busy" } else { "idle" })]);
    let _ = write!(out, r#"><path class="cache-arrow-line" d="{d}""#);
    out.live("stroke-width", [format::d1(stroke_width(per_s)).to_string()]);
    let _ = write!(
        out,
        r#"></path><path class="cache-arrow-head" d="{}"></path></g><text x="{x}" y="{y}" text-anchor="{anchor}" class="cache-label"><tspan x="{x}" dy="0">{name}</tspan><tspan x="{x}" dy="18" class="cache-value""#,
        head(tip, dir)
    );
    out.live("text", [rate(per_s)]);
    out.markup.push_str("></tspan></text>");
}

/// A box with its name and its lines (live values).
fn node(out: &mut Drawing, (x, y, w, h): (f64, f64, f64, f64), class: &str, title: &str, lines: Vec<String>) {
    let cx = x + w / 2.0;
    let _ = write!(
        out,
        r#"<g class="cache-node {class}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10"></rect><text x="{cx}" y="{}" text-anchor="middle" class="cache-node-title">{title}</text>"#,
        y + 24.0
    );
    for (i, line) in lines.into_iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{cx}" y="{}" text-anchor="middle" class="cache-node-line""#,
            y + 45.0 + 19.0 * i as f64
        );
        out.live("text", [line]);
        out.markup.push_str("></text>");
    }
    out.markup.push_str("</g>");
}

/// The diagram for a snapshot: the markup follows the strategy (who loads, who writes), the
/// rates, thicknesses and box lines are live values.
fn flow_drawing(s: &Snapshot) -> Drawing {
    let f = &s.flow;
    let mut out = Drawing::default();
    let (cx, cy, cw, ch) = CLIENTS;
    let (_, ky, _, kh) = CACHE;
    let (dx, dy, dw, dh) = DATABASE;
    let down = (0.0, 1.0);
    let clients_mid = cy + ch / 2.0;
    let db_mid = dy + dh / 2.0;
    let label_y_top = (cy + ch + ky) / 2.0 - 6.0;
    let label_y_bottom = (ky + kh + dy) / 2.0 - 6.0;
    arrow(
        &mut out,
        format!("M{LANE_A},{} V{ky}", cy + ch),
        (LANE_A, ky),
        down,
        f.requests_per_s,
        ("var(--c0)", "flow-requests"),
        (LANE_A - 8.0, label_y_top, "end", "requests"),
    );
    arrow(
        &mut out,
        format!("M{LANE_B},{ky} V{}", cy + ch),
        (LANE_B, cy + ch),
        (0.0, -1.0),
        f.hits_per_s,
        ("var(--c2)", "flow-hits"),
        (LANE_B + 8.0, label_y_top, "start", "hits"),
    );
    let reads = ("var(--c3)", "flow-db-reads");
    match f.reads_loaded_by {
        Component::Cache => arrow(
            &mut out,
            format!("M{LANE_A},{} V{dy}", ky + kh),
            (LANE_A, dy),
            down,
            f.db_reads_per_s,
            reads,
            (LANE_A - 8.0, label_y_bottom, "end", "loads on miss"),
        ),
        Component::App => arrow(
            &mut out,
            format!("M{cx},{clients_mid} H{BYPASS_LEFT} V{db_mid} H{dx}"),
            (dx, db_mid),
            (1.0, 0.0),
            f.db_reads_per_s,
            reads,
            (BYPASS_LEFT + 8.0, label_y_bottom, "start", "app reads DB"),
        ),
    }
    let writes = ("var(--c1)", "flow-db-writes");
    match f.writes_sent_by {
        Component::Cache => arrow(
            &mut out,
            format!("M{LANE_B},{} V{dy}", ky + kh),
            (LANE_B, dy),
            down,
            f.db_writes_per_s,
            writes,
            (
                LANE_B + 8.0,
                label_y_bottom,
                "start",
                if s.strategy == Strategy::WriteBehind {
                    "flushed writes"
                } else {
                    "writes"
                },
            ),
        ),
        Component::App => arrow(
            &mut out,
            format!("M{},{clients_mid} H{BYPASS_RIGHT} V{db_mid} H{}", cx + cw, dx + dw),
            (dx + dw, db_mid),
            (-1.0, 0.0),
            f.db_writes_per_s,
            writes,
            (BYPASS_RIGHT - 8.0, label_y_bottom, "end", "app writes DB"),
        ),
    }
    node(
        &mut out,
        CLIENTS,
        "clients",
        "Clients (app)",
        vec![format!(
            "waiting now: {}",
            format::number(f.requests_in_flight as f64, 0)
        )],
    );
    node(&mut out, CACHE, "cache", "Cache", cache_lines(s, f));
    node(
        &mut out,
        DATABASE,
        "database",
        "Database",
        vec![format!(
            "running {} \u{00b7} waiting {}",
            format::number(f.db_in_flight as f64, 0),
            format::number(f.db_queued as f64, 0)
        )],
    );
    out
}

/// A text description of the flow for screen readers.
fn describe(s: &Snapshot) -> String {
    let f = &s.flow;
    let loads = match f.reads_loaded_by {
        Component::App => "the application loads misses from the database",
        Component::Cache => "the cache loads misses from the database",
    };
    let writes = match f.writes_sent_by {
        Component::App => "the application writes to the database",
        Component::Cache => "the cache writes to the database",
    };
    format!(
        "Clients send {} requests per second to the cache; {} hits and {} misses per second. {loads} ({} reads per second) and {writes} ({} writes per second). {} keys wait in the write queue.",
        format::number(f.requests_per_s, 0),
        format::number(f.hits_per_s, 0),
        format::number(f.misses_per_s, 0),
        format::number(f.db_reads_per_s, 0),
        format::number(f.db_writes_per_s, 0),
        format::number(f.write_queue as f64, 0),
    )
}

/// The cache box's lines: fill, misses, and the write queue (write-behind) or the recent hit
/// ratio (empty before there is one, so that the box keeps its three lines).
fn cache_lines(s: &Snapshot, f: &Flow) -> Vec<String> {
    let third = if s.strategy == Strategy::WriteBehind {
        format!("write queue: {} keys", format::number(f.write_queue as f64, 0))
    } else if let Some(r) = s.recent_hit_ratio {
        format!("hit ratio {} (last s)", format::percent(r, 1))
    } else {
        String::new()
    };
    vec![
        format!(
            "{} / {} entries",
            format::number(s.cached as f64, 0),
            format::number(s.capacity as f64, 0)
        ),
        format!("misses {}", rate(f.misses_per_s)),
        third,
    ]
}

/// The client → cache → database diagram: redrawn when the strategy changes the routes,
/// otherwise only the rates, thicknesses and lines that changed are written.
#[component]
pub fn FlowDiagram(
    /// What to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let svg = drawn_svg(
        "diagram cache-diagram",
        format!("0 0 {WIDTH} {HEIGHT}"),
        Signal::derive(move || snapshot.with(describe)),
        source(move || whole(snapshot.with(flow_drawing))),
    );
    let caption = move || snapshot.with(|s| strategy_sentence(s.strategy));
    view! {
        <figure class="diagram-figure cache-flow" data-testid="flow-diagram">
            {svg}
            <figcaption class="param-hint" data-testid="flow-caption">
                {caption}
                " Arrows thicken with the rate; dashes move while traffic flows."
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::cache::{CacheLab, Config};
    use scalelab_sim::engine::time::from_secs;

    fn drawing_at(strategy: Strategy, secs: f64) -> Drawing {
        let mut lab = CacheLab::new(Config {
            strategy,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(secs));
        flow_drawing(&lab.snapshot())
    }

    #[test]
    fn routes_follow_the_strategy_and_rates_are_live_values() {
        let aside = drawing_at(Strategy::CacheAside, 2.0);
        let behind = drawing_at(Strategy::WriteBehind, 2.0);
        // Cache-aside: the application reads and writes the database around the cache.
        assert!(aside.markup.contains(&format!("H{BYPASS_LEFT}")) && aside.markup.contains("app writes DB"));
        // Write-behind: the cache loads and flushes; its box tells the queue.
        assert!(behind.markup.contains(&format!("M{LANE_A},292 V406")) && behind.markup.contains("flushed writes"));
        assert!(behind.values.iter().any(|v| v.starts_with("write queue")));
        // Time passing changes values only.
        let later = drawing_at(Strategy::CacheAside, 3.0);
        assert_eq!(later.markup, aside.markup);
        assert_ne!(later.values, aside.values);
        for d in [&aside, &behind] {
            assert_eq!(d.values.iter().filter(|v| *v == "cache-arrow busy").count(), 4);
            assert!(d.values.iter().all(|v| !v.contains("NaN")));
        }
        // An idle lab draws thin, idle arrows.
        let idle = flow_drawing(&Snapshot::default());
        assert_eq!(idle.values.iter().filter(|v| *v == "cache-arrow idle").count(), 4);
        assert!(idle.values.iter().filter(|v| *v == "1.5").count() == 4);
        assert!(describe(&Snapshot::default()).starts_with("Clients send 0 requests"));
    }
}
