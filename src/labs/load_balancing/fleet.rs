//! The fleet diagram: the load balancers on the left, the servers as rows on the right with their
//! workers busy and their queues, and the latest requests as dots on the way from the balancer
//! that routed them to the server it chose (red when they failed, orange when dropped).
//!
//! The dots are placed by the snapshot (newest at the balancer, older ones further along), so
//! nothing moves between snapshots and reduced motion needs no special case. At most
//! [`SHOWN_SERVERS`] rows are drawn; the utilisation chart shows every server.

use crate::components::{drawn_svg, source, whole, Drawing};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::loadbalancing::{Outcome, ServerView, Snapshot};
use std::fmt::Write;

/// Server rows drawn at most.
pub const SHOWN_SERVERS: usize = 16;
/// Latest requests drawn as dots.
const DOTS: usize = 24;
/// Worker squares drawn per server at most (then a count).
const SHOWN_WORKERS: u32 = 8;
/// Queue length that fills the queue bar.
const QUEUE_FULL: f64 = 40.0;

const WIDTH: f64 = 400.0;
const ROW: f64 = 30.0;
const TOP: f64 = 28.0;
const LB_X: f64 = 4.0;
const LB_W: f64 = 66.0;
const SERVER_X: f64 = 140.0;
/// Where a row's workers start (from `SERVER_X`), and its queue bar.
const WORKERS_DX: f64 = 34.0;
const QUEUE_X: f64 = SERVER_X + WORKERS_DX + 12.0 * SHOWN_WORKERS as f64 + 6.0;
const QUEUE_W: f64 = 64.0;

/// The diagram's height for `rows` server rows (and the note under them).
fn height(rows: usize) -> f64 {
    TOP + ROW * rows.max(1) as f64 + 28.0
}

/// The vertical centre of balancer `i` of `n`, spread over the rows' height.
fn balancer_y(i: usize, n: usize, rows: usize) -> f64 {
    let span = ROW * rows.max(1) as f64;
    TOP + span * (i as f64 + 0.5) / n.max(1) as f64
}

fn server_y(i: usize) -> f64 {
    TOP + ROW * i as f64 + ROW / 2.0
}

/// The state a row is drawn in: `dead` (not answering), `down` (marked down: no traffic),
/// `slow`, or `up`.
fn row_state(s: &ServerView) -> &'static str {
    if !s.alive {
        "dead"
    } else if !s.marked_up {
        "down"
    } else if s.slow {
        "slow"
    } else {
        "up"
    }
}

/// The badge text of a dead or marked-down server (a slow one is drawn dashed).
fn state_text(s: &ServerView) -> &'static str {
    match (s.alive, s.marked_up) {
        (false, true) => "dead: still gets traffic",
        (false, false) => "dead, marked down",
        (true, false) => "restarted, not yet up",
        _ => "",
    }
}

/// The fleet as a [`Drawing`]: the markup depends only on the numbers of balancers, rows and
/// worker squares and on which servers are alive; everything else is a live value.
pub fn fleet(s: &Snapshot) -> Drawing {
    let rows = s.servers.len().min(SHOWN_SERVERS);
    let balancers = s.balancers.len().max(1);
    let mut d = Drawing::default();
    let _ = write!(
        d,
        r#"<text class="lb-heading" x="{LB_X}" y="16">Balancers</text><text class="lb-heading" x="{SERVER_X}" y="16">Servers: workers, queue</text>"#
    );
    for i in 0..balancers {
        let y = balancer_y(i, balancers, rows);
        let _ = write!(
            d,
            r#"<g class="lb-balancer"><rect x="{LB_X}" y="{}" width="{LB_W}" height="22" rx="5"></rect><text x="{}" y="{}">LB{}</text><text class="lb-small" x="{}" y="{}""#,
            d1(y - 11.0),
            LB_X + 5.0,
            d1(y + 4.5),
            i + 1,
            LB_X + LB_W - 4.0,
            d1(y + 4.0),
        );
        d.markup.push_str(r#" text-anchor="end""#);
        let sent = s.balancers.get(i).map_or(0, |b| b.sent);
        d.live("text", [format::number(sent as f64, 0)]);
        d.markup.push_str("></text></g>");
    }
    for (i, server) in s.servers.iter().take(rows).enumerate() {
        let y = server_y(i);
        d.markup.push_str("<g");
        d.live("class", [format!("lb-server {}", row_state(server))]);
        let _ = write!(
            d,
            r#"><rect class="lb-row" x="{SERVER_X}" y="{}" width="{}" height="{}" rx="5"></rect><text x="{}" y="{}">S{}</text>"#,
            d1(y - ROW / 2.0 + 2.0),
            WIDTH - SERVER_X - 4.0,
            ROW - 4.0,
            SERVER_X + 6.0,
            d1(y + 4.5),
            server.id
        );
        if server.alive {
            let squares = server.workers.min(SHOWN_WORKERS);
            for w in 0..squares {
                let _ = write!(
                    d,
                    r#"<rect x="{}" y="{}" width="9" height="14" rx="2""#,
                    d1(SERVER_X + WORKERS_DX + 12.0 * f64::from(w)),
                    d1(y - 7.0)
                );
                let busy = server.in_service > w;
                d.live("class", [if busy { "lb-worker busy" } else { "lb-worker" }.to_string()]);
                d.markup.push_str("></rect>");
            }
            if server.workers > SHOWN_WORKERS {
                let _ = write!(
                    d,
                    r#"<text class="lb-small" x="{}" y="{}" text-anchor="end""#,
                    d1(QUEUE_X - 3.0),
                    d1(y - 8.0)
                );
                d.live("text", [format!("{}/{} busy", server.in_service, server.workers)]);
                d.markup.push_str("></text>");
            }
            let fill = (f64::from(server.queued) / QUEUE_FULL).min(1.0) * QUEUE_W;
            let _ = write!(
                d,
                r#"<rect class="lb-queue-bg" x="{QUEUE_X}" y="{}" width="{QUEUE_W}" height="10" rx="2"></rect><rect class="lb-queue" x="{QUEUE_X}" y="{}" height="10" rx="2""#,
                d1(y - 5.0),
                d1(y - 5.0)
            );
            d.live("width", [d1(fill).to_string()]);
            let _ = write!(
                d,
                r#"></rect><text class="lb-small" x="{}" y="{}""#,
                d1(QUEUE_X + QUEUE_W + 4.0),
                d1(y + 4.0)
            );
            d.live("text", [queue_text(server)]);
            d.markup.push_str("></text>");
        } else {
            let _ = write!(
                d,
                r#"<text class="lb-badge" x="{}" y="{}">{}</text>"#,
                d1(SERVER_X + WORKERS_DX),
                d1(y + 4.5),
                state_text(server)
            );
        }
        d.markup.push_str("</g>");
    }
    // The latest requests: newest next to its balancer, older ones further along their path.
    let recent: Vec<_> = s.recent.iter().rev().take(DOTS).collect();
    for k in 0..DOTS {
        d.markup.push_str(r#"<circle r="4""#);
        let values = recent
            .get(k)
            .and_then(|r| {
                let to = r
                    .server
                    .and_then(|id| s.servers.iter().take(rows).position(|v| v.id == id))?;
                let from = (LB_X + LB_W, balancer_y(r.balancer as usize, balancers, rows));
                let end = (SERVER_X - 2.0, server_y(to));
                let f = (k as f64 + 0.5) / DOTS as f64;
                let class = match r.outcome {
                    Outcome::Served => "lb-dot",
                    Outcome::Dropped => "lb-dot dropped",
                    Outcome::Failed | Outcome::NoServer => "lb-dot failed",
                };
                Some([
                    class.to_string(),
                    d1(from.0 + (end.0 - from.0) * f).to_string(),
                    d1(from.1 + (end.1 - from.1) * f).to_string(),
                ])
            })
            .unwrap_or_else(|| ["lb-dot hidden".to_string(), "0".to_string(), "0".to_string()]);
        d.live("class cx cy", values);
        d.markup.push_str("></circle>");
    }
    let _ = write!(
        d,
        r#"<text class="lb-small" x="{SERVER_X}" y="{}""#,
        d1(height(rows) - 8.0)
    );
    d.live("text", [more_text(s.servers.len(), rows)]);
    d.markup.push_str("></text>");
    d
}

/// The queue's length next to its bar (empty when nothing waits).
fn queue_text(s: &ServerView) -> String {
    if s.queued == 0 {
        String::new()
    } else {
        s.queued.to_string()
    }
}

fn more_text(total: usize, rows: usize) -> String {
    if total > rows {
        format!(
            "+ {} more servers: see the utilisation chart",
            format::number((total - rows) as f64, 0)
        )
    } else {
        String::new()
    }
}

/// The fleet in words, for screen readers.
fn describe(s: &Snapshot) -> String {
    let alive = s.servers.iter().filter(|v| v.alive).count();
    let up = s.servers.iter().filter(|v| v.marked_up).count();
    let queued: u32 = s.servers.iter().map(|v| v.queued).sum();
    format!(
        "{} load balancer{}, {} servers ({alive} alive, {up} marked up), {queued} requests waiting in queues.",
        s.balancers.len(),
        if s.balancers.len() == 1 { "" } else { "s" },
        s.servers.len()
    )
}

/// The fleet diagram.
#[component]
pub fn FleetDiagram(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let rows = Memo::new(move |_| snapshot.with(|s| s.servers.len().min(SHOWN_SERVERS)));
    let svg = move || {
        let rows = rows.get();
        drawn_svg(
            "lb-diagram",
            format!("0 0 {WIDTH} {}", height(rows)),
            Signal::derive(move || snapshot.with(describe)),
            source(move || whole(snapshot.with(fleet))),
        )
    };
    view! {
        <figure class="lb-fleet" data-testid="fleet">
            {svg}
            <figcaption class="legend">
                <span><span class="swatch lb-swatch-busy"></span>"worker busy"</span>
                <span><span class="swatch lb-swatch-queue"></span>"queue (bar full at 40)"</span>
                <span><span class="swatch lb-swatch-slow"></span>"slow (\u{00d7}10)"</span>
                <span><span class="swatch lb-swatch-dot"></span>"latest requests"</span>
                <span><span class="swatch lb-swatch-failed"></span>"failed"</span>
                <span><span class="swatch lb-swatch-dropped"></span>"dropped"</span>
            </figcaption>
        </figure>
    }
}
