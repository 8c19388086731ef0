//! The architecture as it grows: where the users are (share, p99, who serves them and across what
//! round trip), the regions deployed (up or down, servers ready and starting, the breaker), and
//! every component present as a box coloured by its utilisation, the bottleneck marked.
//!
//! A [`Drawing`] in HTML (so it reflows on a phone): the markup depends only on which components
//! and regions exist; utilisations, latencies and counts are live values.

use crate::components::{draw, source, whole, Drawing};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::breaker::State;
use scalelab_sim::journey::{Region, Snapshot};
use std::fmt::Write;

/// A region's display name.
pub fn region_name(r: Region) -> &'static str {
    match r {
        Region::Us => "US",
        Region::Eu => "EU",
        Region::Asia => "Asia",
    }
}

/// The utilisation band of a box: calm, busy (over 50%), hot (over 80%), over capacity.
fn band(u: f64) -> &'static str {
    if u >= 1.0 {
        "u-over"
    } else if u >= 0.8 {
        "u-hot"
    } else if u >= 0.5 {
        "u-busy"
    } else {
        "u-calm"
    }
}

fn breaker_text(state: Option<State>) -> &'static str {
    match state {
        None => "",
        Some(State::Open | State::ForcedOpen) => " \u{00b7} breaker open",
        Some(State::HalfOpen) => " \u{00b7} breaker half-open",
        Some(_) => " \u{00b7} breaker closed",
    }
}

/// The diagram as a [`Drawing`].
pub fn diagram(s: &Snapshot) -> Drawing {
    let mut d = Drawing::default();
    d.markup
        .push_str(r#"<div class="jr-row jr-users" role="list" aria-label="Users by region">"#);
    for r in &s.regions {
        if r.share <= 0.0 {
            continue;
        }
        let name = region_name(r.region);
        let _ = write!(
            d,
            r#"<div role="listitem" class="jr-box jr-user" data-testid="users-{}"><strong>{name} users</strong> <span"#,
            r.region.as_str()
        );
        d.live("text", [format!("{} of them", format::percent(r.share, 0))]);
        d.markup.push_str(r#"></span><span class="jr-line""#);
        d.live(
            "class text",
            [
                format!("jr-line{}", if r.p99_ms > 200.0 { " jr-slow" } else { "" }),
                format!("p99 {} ms", format::number(r.p99_ms, 0)),
            ],
        );
        d.markup.push_str(r#"></span><span class="jr-line jr-muted""#);
        let served = match r.served_by {
            Some(by) => format!(
                "served from {} ({} ms away)",
                region_name(by),
                format::number(r.rtt_ms, 0)
            ),
            None => "nobody serves them".to_string(),
        };
        d.live("text", [served]);
        d.markup.push_str("></span></div>");
    }
    d.markup.push_str("</div>");

    d.markup
        .push_str(r#"<div class="jr-row jr-stacks" role="list" aria-label="Regions deployed">"#);
    for st in s.stacks.iter().filter(|st| st.deployed) {
        let _ = write!(
            d,
            r#"<div role="listitem" class="jr-box jr-stack" data-testid="stack-{}"><strong>{} region</strong> <span"#,
            st.region.as_str(),
            region_name(st.region)
        );
        let serves = s
            .regions
            .iter()
            .any(|r| r.share > 0.0 && r.served_by == Some(st.region));
        let state = match (st.up, serves) {
            (false, _) => "DOWN",
            (true, true) => "up",
            (true, false) => "standby, serving nobody",
        };
        d.live(
            "class text",
            [
                format!("jr-line{}", if st.up { "" } else { " jr-slow" }),
                format!(
                    "{state} \u{00b7} {} app server{} ready{}{}",
                    st.ready,
                    if st.ready == 1 { "" } else { "s" },
                    if st.starting > 0 {
                        format!(", {} starting", st.starting)
                    } else {
                        String::new()
                    },
                    breaker_text(st.breaker)
                ),
            ],
        );
        d.markup.push_str("></span></div>");
    }
    d.markup.push_str("</div>");

    d.markup
        .push_str(r#"<ul class="jr-components" aria-label="Components, busiest copy">"#);
    for c in &s.components {
        let _ = write!(d, r#"<li data-testid="box-{}""#, c.name);
        d.live(
            "class data-utilization",
            [
                format!(
                    "jr-box jr-comp {}{}",
                    band(c.utilization),
                    if c.bottleneck { " jr-bottleneck" } else { "" }
                ),
                format::raw(c.utilization),
            ],
        );
        let _ = write!(d, r#"><span class="jr-name">{}</span> <span class="jr-util""#, c.label);
        d.live(
            "text",
            [format!(
                "{}{}",
                format::percent(c.utilization.min(99.99), 0),
                if c.bottleneck { " \u{2014} bottleneck" } else { "" }
            )],
        );
        d.markup
            .push_str(r#"></span><span class="jr-bar" aria-hidden="true"><span class="jr-fill""#);
        d.live(
            "style",
            [format!(
                "width:{}%",
                format::d1((c.utilization * 100.0).clamp(0.0, 100.0))
            )],
        );
        d.markup.push_str("></span></span></li>");
    }
    d.markup.push_str("</ul>");
    d
}

/// The diagram, updated in place.
#[component]
pub fn Diagram(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let parts = source(move || snapshot.with(|s| whole(diagram(s))));
    view! {
        <div class="jr-diagram" data-testid="architecture" use:draw=parts></div>
        <p class="param-hint">
            "Each box is coloured by its utilisation (U = X \u{00d7} D): calm under 50%, busy, hot over 80%, over capacity at 100% and more. "
            "Where a component runs in several regions or shards, the busiest copy counts."
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::journey::{Config, JourneyLab};

    #[test]
    fn the_diagram_grows_with_the_architecture_and_marks_the_bottleneck() {
        let run = |config: Config| {
            let mut lab = JourneyLab::new(config).expect("valid");
            lab.step_until(scalelab_sim::engine::time::from_secs(30.0));
            diagram(&lab.snapshot()).render()
        };
        let one = run(Config::default());
        assert!(one.contains("box-app-servers") && !one.contains("box-cache"));
        assert!(one.contains("jr-bottleneck"));
        let more = run(Config {
            cache_gb: 4.0,
            replicas: 2,
            app_servers: 4,
            ..Config::default()
        });
        assert!(more.contains("box-cache") && more.contains("box-db-replicas"));
        assert_eq!(more.matches("jr-bottleneck").count(), 1);
        let standby = run(Config {
            regions: scalelab_sim::journey::Regions::ActivePassive,
            ..Config::default()
        });
        assert!(
            standby.contains("stack-eu") && standby.contains("standby, serving nobody"),
            "{standby}"
        );
    }
}
