//! The space-time diagram: a few sessions as lanes, time running right, every acknowledged write
//! and answered read as a mark, anomalies marked at the read that suffered them (with a dashed
//! line back to the write it missed), and the same anomalies listed in words.

use crate::format;
use leptos::prelude::*;
use scalelab_sim::replication::{EventKind, SessionEvent, Snapshot, TRACKED_SESSIONS};
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 620.0;
const TOP: f64 = 14.0;
const LANE: f64 = 58.0;
/// Events per lane at most (the busiest lane sets the time window).
const PER_LANE: usize = 12;
/// Anomalies listed under the diagram.
const LISTED: usize = 6;

/// The legend: each mark drawn as in the diagram (shapes, not coloured text), then its meaning.
const LEGEND: &str = concat!(
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-write"><rect x="2" y="2" width="10" height="10"/></g></svg>write W#</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read ok"><circle class="st-mark" cx="7" cy="7" r="4.5"/></g></svg>read</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read stale"><circle class="st-mark" cx="7" cy="7" r="4.5"/></g></svg>stale read</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read ryw"><path class="st-mark" d="M2,2 l10,10 m0,-10 l-10,10"/></g></svg>missed its own write</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read monotonic"><path class="st-mark" d="M1,2 h12 l-6,11 z"/></g></svg>went back in time</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><line class="st-wait" x1="0" y1="7" x2="14" y2="7"/></svg>waited for a token</span>"#,
    r#"<span class="st-key">P: the primary answered, R#: that replica</span>"#,
);

/// The time window `[from, to]` in seconds: ends now, and starts where the busiest lane has
/// [`PER_LANE`] events.
fn window(events: &[SessionEvent], now: f64) -> (f64, f64) {
    let mut from = f64::NEG_INFINITY;
    for lane in 0..TRACKED_SESSIONS {
        if let Some(e) = events.iter().rev().filter(|e| e.session == lane).nth(PER_LANE - 1) {
            from = from.max(e.t_s);
        }
    }
    if !from.is_finite() {
        from = events.first().map_or(now - 1.0, |e| e.t_s);
    }
    let from = from.min(now - 0.05).max(now - 60.0);
    (from, now)
}

fn node_name(e: &SessionEvent) -> String {
    if e.by_primary {
        "P".into()
    } else {
        format!("R{}", e.node)
    }
}

/// What went wrong with a read, if anything (`ryw`, `monotonic`, `stale`, `ok`).
fn anomaly(e: &SessionEvent) -> &'static str {
    if e.ryw_violation {
        "ryw"
    } else if e.monotonic_violation {
        "monotonic"
    } else if e.stale {
        "stale"
    } else {
        "ok"
    }
}

/// The diagram as an SVG string.
pub fn svg(s: &Snapshot) -> String {
    let now = s.topology.t_s;
    let (from, to) = window(&s.events, now);
    let span = (to - from).max(1e-6);
    let x_of = |t: f64| LEFT + (RIGHT - LEFT) * ((t - from) / span).clamp(0.0, 1.0);
    let lanes = f64::from(TRACKED_SESSIONS);
    let h = TOP + lanes * LANE + 30.0;
    let mut out = format!(r#"<svg class="diagram st-diagram" viewBox="0 0 {WIDTH} {h:.0}" aria-hidden="true">"#);
    for lane in 0..TRACKED_SESSIONS {
        let y = TOP + (f64::from(lane) + 0.5) * LANE;
        let _ = write!(
            out,
            r#"<text x="4" y="{:.1}" class="st-lane-label">Session {}</text><line class="st-lane" x1="{LEFT}" y1="{y:.1}" x2="{RIGHT}" y2="{y:.1}"/>"#,
            y + 4.0,
            lane + 1
        );
    }
    let shown = s.events.iter().filter(|e| e.t_s >= from && e.t_s <= to);
    let mut last_label = vec![(f64::NEG_INFINITY, 0u8); TRACKED_SESSIONS as usize];
    for e in shown {
        let x = x_of(e.t_s);
        let y = TOP + (f64::from(e.session) + 0.5) * LANE;
        match e.kind {
            EventKind::Write => {
                let _ = write!(
                    out,
                    r#"<g class="st-write" data-testid="st-write"><rect x="{:.1}" y="{:.1}" width="10" height="10"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" class="st-label">W{}</text></g>"#,
                    x - 5.0,
                    y - 5.0,
                    y - 10.0,
                    e.position
                );
            }
            EventKind::Read => {
                let kind = anomaly(e);
                let _ = write!(
                    out,
                    r#"<g class="st-read {kind}" data-testid="st-read" data-anomaly="{kind}">"#
                );
                if e.waited {
                    let x0 = x_of(e.t_s - e.latency_ms / 1_000.0);
                    let _ = write!(
                        out,
                        r#"<line class="st-wait" x1="{x0:.1}" y1="{y:.1}" x2="{x:.1}" y2="{y:.1}"/>"#
                    );
                }
                if e.ryw_violation {
                    // A dashed line back to the write it missed, when that write is in view.
                    let missed = s.events.iter().find(|w| {
                        w.kind == EventKind::Write
                            && w.session == e.session
                            && w.position == e.own_write
                            && w.t_s >= from
                    });
                    if let Some(w) = missed {
                        let _ = write!(
                            out,
                            r#"<path class="st-missed" d="M{x:.1},{y:.1} Q{:.1},{:.1} {:.1},{y:.1}"/>"#,
                            (x + x_of(w.t_s)) / 2.0,
                            y + 22.0,
                            x_of(w.t_s)
                        );
                    }
                }
                match kind {
                    "ryw" => {
                        let _ = write!(
                            out,
                            r#"<path class="st-mark" d="M{:.1},{:.1} l10,10 m0,-10 l-10,10"/>"#,
                            x - 5.0,
                            y - 5.0
                        );
                    }
                    "monotonic" => {
                        let _ = write!(
                            out,
                            r#"<path class="st-mark" d="M{:.1},{:.1} h12 l-6,11 z"/>"#,
                            x - 6.0,
                            y - 5.0
                        );
                    }
                    _ => {
                        let _ = write!(out, r#"<circle class="st-mark" cx="{x:.1}" cy="{y:.1}" r="4.5"/>"#);
                    }
                }
                if matches!(kind, "ryw" | "monotonic") {
                    // Labels of nearby anomalies in a lane alternate between two rows.
                    let lane = e.session as usize;
                    let row = match last_label.get(lane) {
                        Some(&(lx, r)) if x - lx < 26.0 => 1 - r,
                        _ => 0,
                    };
                    if let Some(slot) = last_label.get_mut(lane) {
                        *slot = (x, row);
                    }
                    let _ = write!(
                        out,
                        r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" class="st-label">{}</text>"#,
                        y + 19.0 + 12.0 * row as f64,
                        node_name(e)
                    );
                }
                out.push_str("</g>");
            }
        }
    }
    let axis_y = TOP + lanes * LANE + 4.0;
    let _ = write!(
        out,
        r#"<line class="st-lane" x1="{LEFT}" y1="{axis_y:.1}" x2="{RIGHT}" y2="{axis_y:.1}"/>"#
    );
    for (t, anchor) in [(from, "start"), ((from + to) / 2.0, "middle"), (to, "end")] {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" class="st-axis">{}</text>"#,
            x_of(t),
            axis_y + 18.0,
            format::sim_clock(t.max(0.0))
        );
    }
    out.push_str("</svg>");
    out
}

/// One anomaly in words.
fn describe(e: &SessionEvent) -> String {
    let node = if e.by_primary {
        "the primary".to_string()
    } else {
        format!("replica {}", e.node)
    };
    let what = if e.ryw_violation {
        format!("but it had written #{}: its own write was missing", e.own_write)
    } else {
        format!("after having read #{}: time went backwards", e.seen)
    };
    format!(
        "{} \u{00b7} session {} read #{} from {node}, {what}.",
        format::sim_clock(e.t_s),
        e.session + 1,
        e.position
    )
}

/// The diagram, its legend and the latest anomalies.
#[component]
pub fn SpaceTime(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let anomalies = move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .rev()
                .filter(|e| e.ryw_violation || e.monotonic_violation)
                .take(LISTED)
                .map(|e| view! { <li>{describe(e)}</li> })
                .collect_view()
        })
    };
    let label = move || {
        snapshot.with(|s| {
            let reads = s.events.iter().filter(|e| e.kind == EventKind::Read);
            format!(
                "Space-time diagram of sessions 1 to {TRACKED_SESSIONS}: {} recent reads, {} missed their own write, {} went backwards in time.",
                reads.clone().count(),
                reads.clone().filter(|e| e.ryw_violation).count(),
                reads.filter(|e| e.monotonic_violation).count()
            )
        })
    };
    view! {
        <figure class="diagram-figure repl-spacetime" data-testid="space-time">
            <div class="repl-svg" role="img" aria-label=label inner_html=move || snapshot.with(svg)></div>
            <figcaption class="param-hint st-legend" inner_html=LEGEND></figcaption>
            <ul class="anomaly-log" data-testid="anomaly-log" aria-label="Latest anomalies">
                {anomalies}
            </ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::replication::{Config, ReplicationLab};

    #[test]
    fn marks_the_anomalies_of_a_lagging_async_run() {
        let mut lab = ReplicationLab::new(Config {
            lag_ms: 1_000.0,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(20.0));
        let s = lab.snapshot();
        let out = svg(&s);
        assert!(out.contains(r#"data-anomaly="ryw""#), "no marked violation");
        assert!(out.contains("st-write"));
        assert!(!out.contains("NaN"));
        let (from, to) = window(&s.events, s.topology.t_s);
        assert!(from < to && to == 20.0);
        assert!(svg(&Snapshot::default()).starts_with("<svg"));
    }
}
