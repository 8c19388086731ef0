//! The flow diagram: clients, cache and database in SVG, with the current rates on the arrows.
//!
//! Which arrows exist follows the snapshot's [`Flow`]: who loads a missing value (the application
//! for cache-aside, the cache otherwise) and who writes to the database (the cache for
//! write-through and write-behind, the application otherwise). Arrow thickness grows with the
//! rate; dashes move along busy arrows (still under `prefers-reduced-motion`).

use crate::format;
use leptos::prelude::*;
use scalelab_sim::cache::{Component, Flow, Snapshot, Strategy};

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

/// One arrow: a path `d`, the head at its end, and its class (busy arrows animate).
fn arrow(
    d: String,
    tip: (f64, f64),
    dir: (f64, f64),
    per_s: f64,
    color: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let busy = per_s.is_finite() && per_s > 0.0;
    let style = format!("stroke:{color};fill:{color}");
    view! {
        <g class="cache-arrow" class:busy=busy class:idle=!busy style=style data-testid=testid>
            <path class="cache-arrow-line" d=d stroke-width=format!("{:.1}", stroke_width(per_s))></path>
            <path class="cache-arrow-head" d=head(tip, dir)></path>
        </g>
    }
}

/// A two-line label: a name and a value.
fn label(x: f64, y: f64, anchor: &'static str, name: &'static str, value: String) -> impl IntoView {
    view! {
        <text x=x y=y text-anchor=anchor class="cache-label">
            <tspan x=x dy="0">{name}</tspan>
            <tspan x=x dy="18" class="cache-value">{value}</tspan>
        </text>
    }
}

fn node(
    (x, y, w, h): (f64, f64, f64, f64),
    class: &'static str,
    title: &'static str,
    lines: Vec<String>,
) -> impl IntoView {
    let cx = x + w / 2.0;
    view! {
        <g class=format!("cache-node {class}")>
            <rect x=x y=y width=w height=h rx="10"></rect>
            <text x=cx y=y + 24.0 text-anchor="middle" class="cache-node-title">{title}</text>
            {lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| {
                    view! {
                        <text x=cx y=y + 45.0 + 19.0 * i as f64 text-anchor="middle" class="cache-node-line">
                            {line}
                        </text>
                    }
                })
                .collect_view()}
        </g>
    }
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

fn cache_lines(s: &Snapshot, f: &Flow) -> Vec<String> {
    let mut lines = vec![
        format!(
            "{} / {} entries",
            format::number(s.cached as f64, 0),
            format::number(s.capacity as f64, 0)
        ),
        format!("misses {}", rate(f.misses_per_s)),
    ];
    if s.strategy == Strategy::WriteBehind {
        lines.push(format!("write queue: {} keys", format::number(f.write_queue as f64, 0)));
    } else if let Some(r) = s.recent_hit_ratio {
        lines.push(format!("hit ratio {} (last s)", format::percent(r, 1)));
    }
    lines
}

/// The client → cache → database diagram.
#[component]
pub fn FlowDiagram(
    /// What to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let svg = move || {
        let s = snapshot.get();
        let f = s.flow.clone();
        let (cx, cy, cw, ch) = CLIENTS;
        let (_, ky, _, kh) = CACHE;
        let (dx, dy, dw, dh) = DATABASE;
        let down = (0.0, 1.0);
        let up = (0.0, -1.0);
        let right = (1.0, 0.0);
        let left = (-1.0, 0.0);
        let clients_mid = cy + ch / 2.0;
        let db_mid = dy + dh / 2.0;
        let label_y_top = (cy + ch + ky) / 2.0 - 6.0;
        let label_y_bottom = (ky + kh + dy) / 2.0 - 6.0;

        let reads = match f.reads_loaded_by {
            Component::Cache => view! {
                {arrow(format!("M{LANE_A},{} V{dy}", ky + kh), (LANE_A, dy), down, f.db_reads_per_s, "var(--c3)", "flow-db-reads")}
                {label(LANE_A - 8.0, label_y_bottom, "end", "loads on miss", rate(f.db_reads_per_s))}
            }
            .into_any(),
            Component::App => view! {
                {arrow(
                    format!("M{cx},{clients_mid} H{BYPASS_LEFT} V{db_mid} H{dx}"),
                    (dx, db_mid),
                    right,
                    f.db_reads_per_s,
                    "var(--c3)",
                    "flow-db-reads",
                )}
                {label(BYPASS_LEFT + 8.0, label_y_bottom, "start", "app reads DB", rate(f.db_reads_per_s))}
            }
            .into_any(),
        };
        let writes = match f.writes_sent_by {
            Component::Cache => view! {
                {arrow(format!("M{LANE_B},{} V{dy}", ky + kh), (LANE_B, dy), down, f.db_writes_per_s, "var(--c1)", "flow-db-writes")}
                {label(
                    LANE_B + 8.0,
                    label_y_bottom,
                    "start",
                    if s.strategy == Strategy::WriteBehind { "flushed writes" } else { "writes" },
                    rate(f.db_writes_per_s),
                )}
            }
            .into_any(),
            Component::App => view! {
                {arrow(
                    format!("M{},{clients_mid} H{BYPASS_RIGHT} V{db_mid} H{}", cx + cw, dx + dw),
                    (dx + dw, db_mid),
                    left,
                    f.db_writes_per_s,
                    "var(--c1)",
                    "flow-db-writes",
                )}
                {label(BYPASS_RIGHT - 8.0, label_y_bottom, "end", "app writes DB", rate(f.db_writes_per_s))}
            }
            .into_any(),
        };
        let clients_lines = vec![format!(
            "waiting now: {}",
            format::number(f.requests_in_flight as f64, 0)
        )];
        let db_lines = vec![format!(
            "running {} \u{00b7} waiting {}",
            format::number(f.db_in_flight as f64, 0),
            format::number(f.db_queued as f64, 0)
        )];
        let description = describe(&s);
        view! {
            <svg
                class="diagram cache-diagram"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=description
            >
                {arrow(format!("M{LANE_A},{} V{ky}", cy + ch), (LANE_A, ky), down, f.requests_per_s, "var(--c0)", "flow-requests")}
                {label(LANE_A - 8.0, label_y_top, "end", "requests", rate(f.requests_per_s))}
                {arrow(format!("M{LANE_B},{ky} V{}", cy + ch), (LANE_B, cy + ch), up, f.hits_per_s, "var(--c2)", "flow-hits")}
                {label(LANE_B + 8.0, label_y_top, "start", "hits", rate(f.hits_per_s))}
                {reads}
                {writes}
                {node(CLIENTS, "clients", "Clients (app)", clients_lines)}
                {node(CACHE, "cache", "Cache", cache_lines(&s, &f))}
                {node(DATABASE, "database", "Database", db_lines)}
            </svg>
        }
    };
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
