//! The topology: the primary on top, a link from it to every replica with the writes in flight
//! as dots moving along it, and in every node the tail of its log against the primary's. The
//! layout is narrow enough to stay readable on a phone.
//!
//! Drawn as one SVG string from the core's [`Topology`] (cheap to redraw every frame). Under
//! `prefers-reduced-motion` the page redraws it only a few times a second and CSS hides the
//! moving dots; the counts stay.

use crate::format;
use leptos::prelude::*;
use scalelab_sim::replication::{CommitMode, ReplicaView, Topology};
use std::fmt::Write;

const WIDTH: f64 = 420.0;
/// Primary box: x, y, width, height.
const PRIMARY_BOX: (f64, f64, f64, f64) = (8.0, 8.0, 404.0, 96.0);
/// Replica boxes: x, width, height; one row of [`ROW`] each below the primary.
const REPLICA_BOX: (f64, f64, f64) = (150.0, 262.0, 80.0);
const ROW: f64 = 90.0;
const FIRST_ROW: f64 = 118.0;
/// x of the trunk the links leave from.
const TRUNK: f64 = 30.0;
/// Log positions shown in each node's strip.
const STRIP: u64 = 24;
const CELL: f64 = 9.6;

fn height(t: &Topology) -> f64 {
    FIRST_ROW + t.replicas.len().max(1) as f64 * ROW
}

fn pos(p: u64) -> String {
    format!("#{}", format::number(p as f64, 0))
}

/// The log strip of one node: the last [`STRIP`] positions up to `head`; cells up to `solid`
/// are filled, up to `partial` filled in a second colour (received / written), the rest hollow.
fn strip(out: &mut String, x: f64, y: f64, head: u64, solid: u64, partial: u64, partial_class: &str) {
    let first = head.saturating_sub(STRIP - 1).max(1);
    for (i, p) in (first..=head).enumerate() {
        let class = if p <= solid {
            "lc-done"
        } else if p <= partial {
            partial_class
        } else {
            "lc-missing"
        };
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{:.1}" y="{y:.1}" width="{:.1}" height="10" rx="1.5"/>"#,
            x + i as f64 * CELL,
            CELL - 2.0
        );
    }
}

fn text(out: &mut String, x: f64, y: f64, class: &str, body: &str) {
    let _ = write!(out, r#"<text x="{x:.1}" y="{y:.1}" class="{class}">{body}</text>"#);
}

fn commit_line(t: &Topology, acks: u32) -> String {
    match t.commit {
        CommitMode::Async => "async: acknowledges on its own commit".into(),
        CommitMode::SemiSync if t.semi_sync_fallback => "semi-sync FELL BACK to async".into(),
        CommitMode::SemiSync => format!("semi-sync: waits for {acks} receipt{}", plural(acks)),
        CommitMode::Sync => format!("sync: waits for {acks} apply{}", if acks == 1 { "" } else { "s" }),
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        "no reads yet".into()
    } else {
        format!("{} of reads", format::percent(part as f64 / whole as f64, 0))
    }
}

fn replica(out: &mut String, t: &Topology, r: &ReplicaView, i: usize, reads: u64) {
    let (x, w, h) = REPLICA_BOX;
    let y = FIRST_ROW + i as f64 * ROW;
    let mid = y + h / 2.0;
    let state = if r.stopped {
        "stopped"
    } else if r.slow > 1.0 {
        "slow"
    } else {
        "running"
    };
    let _ = write!(
        out,
        r#"<g class="repl-replica {state}" data-testid="topology-replica-{id}" data-stopped="{stopped}" data-behind="{behind}"><line class="repl-link" x1="{TRUNK}" y1="{mid:.1}" x2="{x}" y2="{mid:.1}"/>"#,
        id = r.id,
        stopped = r.stopped,
        behind = r.behind
    );
    for p in &r.in_flight_progress {
        let cx = TRUNK + (x - TRUNK) * p;
        let _ = write!(out, r#"<circle class="repl-dot" cx="{cx:.1}" cy="{mid:.1}" r="4.5"/>"#);
    }
    if r.in_flight > 0 {
        let label = format!("{} in flight", format::number(r.in_flight as f64, 0));
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="repl-link-label" text-anchor="middle">{label}</text>"#,
            (TRUNK + x) / 2.0,
            mid - 9.0
        );
    }
    let _ = write!(
        out,
        r#"<rect class="repl-box" x="{x}" y="{y:.1}" width="{w}" height="{h}" rx="9"/>"#
    );
    let status = match state {
        "stopped" => " \u{00b7} STOPPED".to_string(),
        "slow" => format!(" \u{00b7} slow \u{00d7}{}", format::number(r.slow, 1)),
        _ => String::new(),
    };
    text(
        out,
        x + 10.0,
        y + 18.0,
        "repl-title",
        &format!("Replica {}{status}", r.id),
    );
    text(
        out,
        x + 10.0,
        y + 35.0,
        "repl-line",
        &format!(
            "applied {} \u{00b7} {} behind",
            pos(r.applied),
            format::number(r.behind as f64, 0)
        ),
    );
    let third = if r.waiting_reads > 0 {
        format!(
            "lag {} ms \u{00b7} {} reads waiting",
            format::number(r.lag_now_ms, 0),
            format::number(r.waiting_reads as f64, 0)
        )
    } else {
        format!(
            "lag {} ms \u{00b7} {}",
            format::number(r.lag_now_ms, 0),
            share(r.reads, reads)
        )
    };
    text(out, x + 10.0, y + 51.0, "repl-line", &third);
    strip(out, x + 10.0, y + 61.0, t.head, r.applied, r.received, "lc-received");
    out.push_str("</g>");
}

/// The topology as an SVG string: the primary on top, a trunk down its left, one link per
/// replica with the writes on their way.
pub fn svg(t: &Topology, acks: u32) -> String {
    let h = height(t);
    let reads = t.primary_reads + t.replicas.iter().map(|r| r.reads).sum::<u64>();
    let (px, py, pw, ph) = PRIMARY_BOX;
    let mut out = format!(r#"<svg class="diagram repl-diagram" viewBox="0 0 {WIDTH} {h:.0}" aria-hidden="true">"#);
    if let Some(last) = t.replicas.len().checked_sub(1) {
        let bottom = FIRST_ROW + last as f64 * ROW + REPLICA_BOX.2 / 2.0;
        let _ = write!(
            out,
            r#"<line class="repl-link" x1="{TRUNK}" y1="{:.1}" x2="{TRUNK}" y2="{bottom:.1}"/>"#,
            py + ph
        );
    }
    for (i, r) in t.replicas.iter().enumerate() {
        replica(&mut out, t, r, i, reads);
    }
    let fallback = if t.semi_sync_fallback { " fallback" } else { "" };
    let _ = write!(
        out,
        r#"<g class="repl-primary{fallback}" data-testid="topology-primary" data-node="{}"><rect class="repl-box" x="{px}" y="{py}" width="{pw}" height="{ph}" rx="9"/>"#,
        t.primary_id
    );
    text(
        &mut out,
        px + 12.0,
        py + 20.0,
        "repl-title",
        &format!("Primary \u{00b7} node {}", t.primary_id),
    );
    text(
        &mut out,
        px + 12.0,
        py + 38.0,
        "repl-line",
        &format!("head {} \u{00b7} committed {}", pos(t.head), pos(t.committed)),
    );
    text(
        &mut out,
        px + 12.0,
        py + 55.0,
        "repl-line repl-mode",
        &commit_line(t, acks),
    );
    text(
        &mut out,
        px + 12.0,
        py + 72.0,
        "repl-line",
        &format!(
            "{} writes waiting \u{00b7} {}",
            format::number(t.pending_writes as f64, 0),
            share(t.primary_reads, reads)
        ),
    );
    strip(
        &mut out,
        px + 12.0,
        py + 80.0,
        t.head,
        t.committed,
        t.head,
        "lc-pending",
    );
    out.push_str("</g>");
    if t.replicas.is_empty() {
        text(
            &mut out,
            REPLICA_BOX.0,
            FIRST_ROW + 30.0,
            "repl-line",
            "No replicas left",
        );
    }
    out.push_str("</svg>");
    out
}

/// The topology in words, for screen readers.
pub fn describe(t: &Topology) -> String {
    let mut s = format!(
        "Primary node {} at log position {}, {} committed, {} writes waiting. ",
        t.primary_id, t.head, t.committed, t.pending_writes
    );
    for r in &t.replicas {
        let _ = write!(
            s,
            "Replica {}{}: applied {}, {} behind, {} writes in flight, lag {} ms. ",
            r.id,
            if r.stopped { " (stopped)" } else { "" },
            r.applied,
            r.behind,
            r.in_flight,
            format::number(r.lag_now_ms, 0)
        );
    }
    s
}

/// The topology figure with its legend.
#[component]
pub fn TopologyView(
    /// The primary and replicas to draw.
    #[prop(into)]
    topology: Signal<Topology>,
    /// Confirmations a write waits for (from the config).
    #[prop(into)]
    acks: Signal<u32>,
) -> impl IntoView {
    view! {
        <figure class="diagram-figure repl-topology" data-testid="topology">
            <div
                class="repl-svg"
                role="img"
                aria-label=move || topology.with(describe)
                inner_html=move || topology.with(|t| svg(t, acks.get()))
            ></div>
            <figcaption class="param-hint">
                <span class="swatch lc-done"></span>
                " applied (replicas) or committed (primary) "
                <span class="swatch lc-received"></span>
                " received, not applied yet "
                <span class="swatch lc-pending"></span>
                " written, not acknowledged yet. Each strip is the last 24 positions of the primary's log; dots are writes on their way."
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::replication::{Config, ReplicationLab};

    #[test]
    fn draws_every_replica_and_marks_a_stopped_one() {
        let mut lab = ReplicationLab::new(Config::default()).unwrap();
        lab.step_until(from_secs(3.0));
        lab.stop_replica();
        lab.step_until(from_secs(4.0));
        let svg = svg(&lab.topology(), 1);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        for id in 1..=3 {
            assert!(svg.contains(&format!("topology-replica-{id}")));
        }
        assert!(svg.contains(r#"data-testid="topology-replica-3" data-stopped="true""#));
        assert!(svg.contains("STOPPED"));
        assert!(!svg.contains("NaN"));
        assert!(describe(&lab.topology()).contains("(stopped)"));
        // No replicas at all still draws.
        assert!(svg_of_empty().contains("No replicas left"));
    }

    fn svg_of_empty() -> String {
        svg(&Topology::default(), 1)
    }
}
