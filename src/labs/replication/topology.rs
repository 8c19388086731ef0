//! The topology: the primary on top, a link from it to every replica with the writes in flight
//! as dots moving along it, and in every node the tail of its log against the primary's. The
//! layout is narrow enough to stay readable on a phone.
//!
//! A [`Drawing`]: the SVG markup is set once per number of replicas; every frame writes only what
//! changed: the dots' positions, texts, classes and log cells. Under
//! `prefers-reduced-motion` the page publishes the topology only a few times a second and CSS
//! hides the moving dots; the counts stay.

use crate::components::{draw, source, whole, Drawing};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::replication::{CommitMode, ReplicaView, Topology, IN_FLIGHT_SHOWN};
use std::fmt::Write;

const WIDTH: f64 = 420.0;
/// Primary box: x, y, width, height.
const PRIMARY_BOX: (f64, f64, f64, f64) = (8.0, 8.0, 404.0, 96.0);
/// Replica boxes: x, width, height; one row of [`ROW`] each below the primary.
const REPLICA_BOX: (f64, f64, f64) = (150.0, 262.0, 80.0);
const ROW: f64 = 90.0;
const FIRST_ROW: f64 = 118.0;
/// Failed primaries: boxes of this width and height, three to a row under the replicas.
const FAILED_BOX: (f64, f64) = (128.0, 34.0);
const FAILED_PER_ROW: usize = 3;

/// Height of the failed primaries' rows (none: 0).
fn failed_rows_height(t: &Topology) -> f64 {
    t.failed_primaries.len().div_ceil(FAILED_PER_ROW) as f64 * (FAILED_BOX.1 + 10.0)
}

/// The primaries that failed, greyed and crossed out under the replicas: out of service for
/// good (a failover never brings a primary back).
fn failed_primaries(d: &mut Drawing, t: &Topology, top: f64) {
    for (i, id) in t.failed_primaries.iter().enumerate() {
        let x = 8.0 + (i % FAILED_PER_ROW) as f64 * (FAILED_BOX.0 + 8.0);
        let y = top + (i / FAILED_PER_ROW) as f64 * (FAILED_BOX.1 + 10.0);
        let (w, h) = FAILED_BOX;
        let _ = write!(
            d,
            r#"<g class="repl-failed" data-testid="topology-failed" data-node="{id}"><rect class="repl-box" x="{x:.1}" y="{y:.1}" width="{w}" height="{h}" rx="7"/><path class="repl-failed-x" d="M{:.1} {:.1}l12 12m0 -12l-12 12"/><text class="repl-line" x="{:.1}" y="{:.1}">node {id} · failed primary</text></g>"#,
            x + 10.0,
            y + 11.0,
            x + 30.0,
            y + 22.0
        );
    }
}
/// x of the trunk the links leave from.
const TRUNK: f64 = 30.0;
/// Log positions shown in each node's strip.
const STRIP: u64 = 24;
const CELL: f64 = 9.6;

fn pos(p: u64) -> String {
    format!("#{}", format::number(p as f64, 0))
}

/// The log strip of a node at `(x, y)`: the last [`STRIP`] positions up to `head`, oldest first,
/// as three paths of rounded cells: positions up to `solid` (`lc-done`), up to `partial`
/// (received / written), and the rest (`lc-missing`).
fn strip(x: f64, y: f64, head: u64, solid: u64, partial: u64) -> [String; 3] {
    let first = head.saturating_sub(STRIP - 1).max(1);
    let mut paths = [String::new(), String::new(), String::new()];
    for (i, p) in (first..=head).enumerate() {
        let path = if p <= solid {
            &mut paths[0]
        } else if p <= partial {
            &mut paths[1]
        } else {
            &mut paths[2]
        };
        // A 7.6 × 10 rectangle with corners of radius 1.5 (as `<rect rx="1.5">` draws it).
        let _ = write!(
            path,
            "M{},{}h4.6a1.5,1.5 0 0 1 1.5,1.5v7a1.5,1.5 0 0 1 -1.5,1.5h-4.6a1.5,1.5 0 0 1 -1.5,-1.5v-7a1.5,1.5 0 0 1 1.5,-1.5z",
            d1(x + i as f64 * CELL + 1.5),
            d1(y)
        );
    }
    paths
}

/// The writes on their way along a link at height `mid`: circles at `progress` 0..=1 of the way
/// from the trunk to the replica (non-finite ones skipped), from a pool of [`IN_FLIGHT_SHOWN`]
/// (more if there are more writes), so that the markup stays while the dots move: their centres
/// and radii (0: unused) are live values.
fn dots(d: &mut Drawing, progress: &[f64], mid: f64) {
    let shown: Vec<f64> = progress
        .iter()
        .filter(|p| p.is_finite())
        .map(|p| TRUNK + (REPLICA_BOX.0 - TRUNK) * p.clamp(0.0, 1.0))
        .collect();
    for i in 0..shown.len().max(IN_FLIGHT_SHOWN) {
        let _ = write!(d, r#"<circle class="repl-dot" cy="{}""#, d1(mid));
        let (cx, r) = shown.get(i).map_or((0.0, "0"), |cx| (*cx, "4.5"));
        d.live("cx r", [d1(cx).to_string(), r.to_string()]);
        d.markup.push_str("/>");
    }
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

/// A line of text at `(x, y)` whose words change.
fn line(d: &mut Drawing, x: f64, y: f64, class: &str, text: String) {
    let _ = write!(d, r#"<text x="{}" y="{}" class="{class}""#, d1(x), d1(y));
    d.live("text", [text]);
    d.markup.push_str("></text>");
}

/// A node's log strip: three paths of cells (see [`strip`]), the middle one in `partial_class`.
fn strip_paths(d: &mut Drawing, partial_class: &str, [done, partial, missing]: [String; 3]) {
    for (class, cells) in [("lc-done", done), (partial_class, partial), ("lc-missing", missing)] {
        let _ = write!(d, r#"<path class="{class}""#);
        d.live("d", [cells]);
        d.markup.push_str("/>");
    }
}

fn replica(d: &mut Drawing, t: &Topology, r: &ReplicaView, moving: &[f64], i: usize, reads: u64) {
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
    d.markup.push_str("<g");
    d.live(
        "class data-testid data-stopped data-behind",
        [
            format!("repl-replica {state}"),
            format!("topology-replica-{}", r.id),
            r.stopped.to_string(),
            r.behind.to_string(),
        ],
    );
    let _ = write!(
        d,
        r#"><line class="repl-link" x1="{TRUNK}" y1="{mid}" x2="{x}" y2="{mid}"/>"#,
        mid = d1(mid)
    );
    dots(d, moving, mid);
    let _ = write!(
        d,
        r#"<text x="{}" y="{}" class="repl-link-label" text-anchor="middle""#,
        d1((TRUNK + x) / 2.0),
        d1(mid - 9.0)
    );
    let in_flight = if r.in_flight > 0 {
        format!("{} in flight", format::number(r.in_flight as f64, 0))
    } else {
        String::new()
    };
    d.live("text", [in_flight]);
    let _ = write!(
        d,
        r#"></text><rect class="repl-box" x="{x}" y="{}" width="{w}" height="{h}" rx="9"/>"#,
        d1(y)
    );
    let status = match state {
        "stopped" => " \u{00b7} STOPPED".to_string(),
        "slow" => format!(" \u{00b7} slow \u{00d7}{}", format::number(r.slow, 1)),
        _ => String::new(),
    };
    line(d, x + 10.0, y + 18.0, "repl-title", format!("Replica {}{status}", r.id));
    line(
        d,
        x + 10.0,
        y + 35.0,
        "repl-line",
        format!(
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
    } else if r.stopped {
        format!("stopped \u{00b7} {} before that", share(r.reads, reads))
    } else {
        format!(
            "lag {} ms \u{00b7} {}",
            format::number(r.lag_now_ms, 0),
            share(r.reads, reads)
        )
    };
    line(d, x + 10.0, y + 51.0, "repl-line", third);
    strip_paths(
        d,
        "lc-received",
        strip(x + 10.0, y + 61.0, t.head, r.applied, r.received),
    );
    d.markup.push_str("</g>");
}

/// The topology `t`: the primary on top, a trunk down its left, one link per replica with the
/// writes on their way, placed as in `moving` (a later frame of the same run: the dots move every
/// frame, the numbers change with the published snapshot). The markup depends only on the number
/// of replicas; texts, classes, dots and log cells are live values.
pub fn drawing(t: &Topology, moving: &Topology, acks: u32) -> Drawing {
    let mut d = Drawing::default();
    let rows_end = FIRST_ROW + t.replicas.len().max(1) as f64 * ROW;
    let h = rows_end + failed_rows_height(t);
    let reads = t.primary_reads + t.replicas.iter().map(|r| r.reads).sum::<u64>();
    let (px, py, pw, ph) = PRIMARY_BOX;
    let _ = write!(
        d,
        r#"<svg class="diagram repl-diagram" viewBox="0 0 {WIDTH} {h:.0}" aria-hidden="true">"#
    );
    if let Some(last) = t.replicas.len().checked_sub(1) {
        let bottom = FIRST_ROW + last as f64 * ROW + REPLICA_BOX.2 / 2.0;
        let _ = write!(
            d,
            r#"<line class="repl-link" x1="{TRUNK}" y1="{:.1}" x2="{TRUNK}" y2="{bottom:.1}"/>"#,
            py + ph
        );
    }
    for (i, r) in t.replicas.iter().enumerate() {
        // The dots of the same replica in `moving`, if it has the same replicas.
        let progress = match moving.replicas.get(i) {
            Some(m) if m.id == r.id && moving.replicas.len() == t.replicas.len() => &m.in_flight_progress,
            _ => &r.in_flight_progress,
        };
        replica(&mut d, t, r, progress, i, reads);
    }
    let fallback = if t.semi_sync_fallback { " fallback" } else { "" };
    d.markup.push_str(r#"<g data-testid="topology-primary""#);
    d.live(
        "class data-node",
        [format!("repl-primary{fallback}"), t.primary_id.to_string()],
    );
    let _ = write!(
        d,
        r#"><rect class="repl-box" x="{px}" y="{py}" width="{pw}" height="{ph}" rx="9"/>"#
    );
    line(
        &mut d,
        px + 12.0,
        py + 20.0,
        "repl-title",
        format!("Primary \u{00b7} node {}", t.primary_id),
    );
    line(
        &mut d,
        px + 12.0,
        py + 38.0,
        "repl-line",
        format!("head {} \u{00b7} committed {}", pos(t.head), pos(t.committed)),
    );
    line(
        &mut d,
        px + 12.0,
        py + 55.0,
        "repl-line repl-mode",
        commit_line(t, acks),
    );
    line(
        &mut d,
        px + 12.0,
        py + 72.0,
        "repl-line",
        format!(
            "{} writes waiting \u{00b7} {}",
            format::number(t.pending_writes as f64, 0),
            share(t.primary_reads, reads)
        ),
    );
    strip_paths(
        &mut d,
        "lc-pending",
        strip(px + 12.0, py + 80.0, t.head, t.committed, t.head),
    );
    d.markup.push_str("</g>");
    if t.replicas.is_empty() {
        let _ = write!(
            d,
            r#"<text x="{:.1}" y="{:.1}" class="repl-line">No replicas left</text>"#,
            REPLICA_BOX.0,
            FIRST_ROW + 30.0
        );
    }
    failed_primaries(&mut d, t, rows_end - 6.0);
    d.markup.push_str("</svg>");
    d
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
    for id in &t.failed_primaries {
        let _ = write!(s, "Node {id} failed as primary and is out of service. ");
    }
    s
}

/// The topology figure with its legend.
#[component]
pub fn TopologyView(
    /// The primary and replicas to draw, as last published (their numbers and logs).
    #[prop(into)]
    topology: Signal<Topology>,
    /// The same, every frame: the writes in flight move along the links.
    #[prop(into)]
    moving: Signal<Topology>,
    /// Confirmations a write waits for (from the config).
    #[prop(into)]
    acks: Signal<u32>,
) -> impl IntoView {
    let drawn = move || whole(topology.with(|t| moving.with(|m| drawing(t, m, acks.get()))));
    view! {
        <figure class="diagram-figure repl-topology" data-testid="topology">
            <div class="repl-svg" role="img" aria-label=move || topology.with(describe) use:draw=source(drawn)></div>
            <figcaption class="param-hint">
                <span class="swatch lc-done"></span>
                " applied (replicas) or committed (primary) "
                <span class="swatch lc-received"></span>
                " received, not applied yet "
                <span class="swatch lc-pending"></span>
                " written, not acknowledged yet "
                <span class="swatch round repl-dot-swatch"></span>
                " a write on its way to a replica (acknowledged or not: that depends on the commit mode). Each strip is the last 24 positions of the primary's log."
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
    fn a_failed_primary_stays_on_the_map_crossed_out() {
        let mut lab = ReplicationLab::new(Config::default()).unwrap();
        lab.step_until(from_secs(3.0));
        let before = drawing(&lab.topology(), &lab.topology(), 1);
        assert!(!before.markup.contains("topology-failed"));
        let f = lab.fail_primary().expect("a replica takes over");
        let t = lab.topology();
        let d = drawing(&t, &t, 1);
        assert_eq!(d.markup.matches(r#"data-testid="topology-failed""#).count(), 1);
        assert!(d.markup.contains(&format!("node {} · failed primary", f.old_primary)));
        assert!(describe(&t).contains("Node 0 failed as primary"));
        let height = |d: &Drawing| {
            d.markup
                .split("viewBox=\"0 0 420 ")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|h| h.parse::<f64>().ok())
        };
        assert!(height(&d).is_some(), "{}", &d.markup[..120]);
    }

    #[test]
    fn draws_every_replica_and_marks_a_stopped_one() {
        let mut lab = ReplicationLab::new(Config::default()).unwrap();
        lab.step_until(from_secs(3.0));
        lab.stop_replica();
        lab.step_until(from_secs(4.0));
        let t = lab.topology();
        let d = drawing(&t, &t, 1);
        assert!(d.markup.starts_with("<svg") && d.markup.ends_with("</svg>"));
        // Every live name has its value.
        let names: usize = d
            .markup
            .split("data-live=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or("").split_whitespace().count())
            .sum();
        assert_eq!(names, d.values.len());
        for id in 1..=3 {
            assert!(d.values.contains(&format!("topology-replica-{id}")));
        }
        let stopped = d.values.iter().position(|v| v == "topology-replica-3").unwrap();
        assert_eq!(d.values[stopped - 1], "repl-replica stopped");
        assert_eq!(d.values[stopped + 1], "true");
        assert!(d.values.iter().any(|v| v.contains("STOPPED")));
        assert!(!d.values.iter().any(|v| v.contains("NaN")));
        assert!(describe(&t).contains("(stopped)"));
        // The markup follows the shape only: a later frame of the same topology keeps it.
        lab.step_until(from_secs(4.5));
        let later = drawing(&lab.topology(), &lab.topology(), 1);
        assert_eq!(later.markup, d.markup);
        assert_ne!(later.values, d.values);
        // Between snapshots only the dots move: the numbers stay those of `t`.
        let moved = drawing(&t, &lab.topology(), 1);
        assert_eq!(moved.markup, d.markup);
        let texts = |d: &Drawing| {
            d.values
                .iter()
                .filter(|v| v.contains("lag"))
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&moved), texts(&d));
        assert_ne!(moved.values, d.values);
        // No replicas at all still draws.
        assert!(drawing(&Topology::default(), &t, 1).markup.contains("No replicas left"));
    }

    #[test]
    fn strips_and_dots_place_every_cell_and_write() {
        // Head 3: three cells (1 applied, 2 received, 3 missing), side by side from x = 10.
        let [done, received, missing] = strip(10.0, 20.0, 3, 1, 2);
        assert!(done.starts_with("M11.5,20.0h4.6") && done.matches('M').count() == 1);
        assert!(received.starts_with("M21.1,20.0") && missing.starts_with("M30.7,20.0"));
        assert!(strip(0.0, 0.0, 0, 0, 0).iter().all(String::is_empty));
        // A long log: the strip ends at the head.
        let [done, pending, missing] = strip(0.0, 0.0, 1_000, 990, 1_000);
        assert_eq!((done.matches('M').count(), pending.matches('M').count()), (14, 10));
        assert!(missing.is_empty());
        // A circle per write, clamped to the link (none for a broken progress), from a pool.
        let mut d = Drawing::default();
        dots(&mut d, &[0.0, 0.5, 2.0, f64::NAN], 40.0);
        assert_eq!(d.markup.matches("<circle").count(), IN_FLIGHT_SHOWN);
        assert_eq!(d.values[..6], ["30.0", "4.5", "90.0", "4.5", "150.0", "4.5"]);
        assert_eq!(d.values[7], "0");
        let mut many = Drawing::default();
        dots(&mut many, &[0.5; 20], 40.0);
        assert_eq!(many.markup.matches("<circle").count(), 20);
    }
}
