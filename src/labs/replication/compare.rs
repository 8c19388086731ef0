//! Compare: two commit modes or two read routings on the same workload and seed, run by the
//! core's [`Comparison`] in slices across frames, then their numbers and latency distributions
//! side by side.

use super::charts::{histogram_drawing, READ_CLASSES, WRITE_CLASSES};
use super::metrics;
use super::state::{events_per_sec, ReplState};
use crate::components::{use_frame_loop, ProgressBar};
use crate::format;
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::replication::{CommitMode, Comparison, Routing, Snapshot};
use std::fmt::Write;

/// Run lengths offered, in simulated seconds.
const DURATIONS: &[u32] = &[10, 30, 60, 120];
/// Events per frame (both sides together), at most.
const EVENTS_PER_FRAME: f64 = 60_000.0;

/// What the comparison varies: the URL key and its options.
fn options(key: &str) -> &'static [(&'static str, &'static str)] {
    if key == "routing" {
        Routing::OPTIONS
    } else {
        CommitMode::OPTIONS
    }
}

fn defaults(key: &str) -> (&'static str, &'static str) {
    if key == "routing" {
        ("replica", "session_token")
    } else {
        ("async", "sync")
    }
}

/// A variant's label without its parenthesised detail: "Synchronous", "Session token".
fn label(key: &str, value: &str) -> String {
    let full = options(key)
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(value, |(_, l)| *l);
    full.split(" (").next().unwrap_or(full).trim().to_string()
}

/// A select over `choices` bound to `value`.
fn select(
    testid: &'static str,
    title: &'static str,
    value: RwSignal<String>,
    choices: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <label class="param">
            <span class="param-label">{title}</span>
            <select
                class="param-select"
                data-testid=testid
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {move || {
                    choices
                        .get()
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v.clone() selected=value.get_untracked() == v>{l}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// The results of a finished comparison as HTML: the same-workload check, the metrics side by
/// side, and each side's latency distribution (writes for commit modes, reads for routings).
fn results_html(key: &str, names: &[String; 2], snaps: &[Snapshot; 2], seed: u64) -> String {
    let [sa, sb] = snaps;
    let same = if sa.workload_fingerprint == sb.workload_fingerprint && sa.arrivals == sb.arrivals {
        format!(
            "\u{2714} Both sides saw exactly the same {} writes and reads (seed {seed}).",
            format::number(sa.arrivals as f64, 0)
        )
    } else {
        "The two sides saw different workloads.".to_string()
    };
    let mut out = format!(
        r#"<p class="param-hint" data-testid="compare-same-workload">{same}</p><div class="table-wrap" tabindex="0" role="region" aria-label="Comparison results"><table data-testid="compare-table"><thead><tr><th scope="col">Metric</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        names[0], names[1]
    );
    for (ma, mb) in metrics::metrics(sa).into_iter().zip(metrics::metrics(sb)) {
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><td data-testid="compare-a-{}" data-value="{}">{}</td><td data-testid="compare-b-{}" data-value="{}">{}</td></tr>"#,
            ma.label,
            ma.name,
            format::raw(ma.value),
            ma.display,
            mb.name,
            format::raw(mb.value),
            mb.display
        );
    }
    out.push_str(r#"</tbody></table></div><div class="panel-row two">"#);
    let routing = key == "routing";
    for (i, s) in snaps.iter().enumerate() {
        let (bins, classes, title) = if routing {
            (&s.read_latency_bins, READ_CLASSES, "Read latency")
        } else {
            (&s.write_latency_bins, WRITE_CLASSES, "Write latency")
        };
        let side = if i == 0 { "a" } else { "b" };
        let _ = write!(
            out,
            r#"<div class="compare-side" data-testid="compare-side-{side}"><h3>{}</h3>{}</div>"#,
            names[i],
            histogram_drawing(bins, classes, title, "chart-compare").render()
        );
    }
    out.push_str("</div>");
    out
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: ReplState) -> impl IntoView {
    let key = RwSignal::new("commit".to_string());
    let a = RwSignal::new("async".to_string());
    let b = RwSignal::new("sync".to_string());
    let secs = RwSignal::new("30".to_string());
    let fail_at_end = RwSignal::new(true);
    let running = StoredValue::new(None::<Comparison>);
    let progress = RwSignal::new(None::<f64>);
    let result = RwSignal::new(None::<(String, [String; 2], [Snapshot; 2])>);
    let error = RwSignal::new(None::<String>);

    Effect::new(move |_| {
        let (da, db) = defaults(&key.get());
        a.set(da.into());
        b.set(db.into());
    });

    let run = move |_| {
        let k = key.get_untracked();
        let base = state.lab.with_untracked(|l| l.config().clone());
        let duration = secs.get_untracked().parse::<f64>().unwrap_or(30.0);
        let (va, vb) = (a.get_untracked(), b.get_untracked());
        if va == vb {
            error.set(Some("Pick two different variants.".into()));
            return;
        }
        match Comparison::varying(&base, &k, &va, &vb, duration, fail_at_end.get_untracked()) {
            Ok(c) => {
                error.set(None);
                result.set(None);
                running.set_value(Some(c));
                progress.set(Some(0.0));
            }
            Err(e) => error.set(Some(e.message)),
        }
    };

    let active = Signal::derive(move || progress.with(Option::is_some));
    use_frame_loop(active, move |_| {
        let started = platform::now_ms();
        let mut done = None;
        running.update_value(|c| {
            let Some(c) = c else { return };
            let rate = 2.0 * events_per_sec(c.configs()[0]);
            let slice = from_secs(EVENTS_PER_FRAME / rate.max(1.0)).max(1);
            while !c.is_done() && platform::now_ms() - started < 8.0 {
                c.advance(c.now().saturating_add(slice));
            }
            progress.set(Some(c.progress()));
            if c.is_done() {
                let configs = c.configs();
                let k = key.get_untracked();
                let names = if k == "routing" {
                    [configs[0].routing.as_str(), configs[1].routing.as_str()]
                } else {
                    [configs[0].commit.as_str(), configs[1].commit.as_str()]
                };
                done = Some((k.clone(), [label(&k, names[0]), label(&k, names[1])], c.snapshots()));
            }
        });
        if let Some(r) = done {
            running.set_value(None);
            progress.set(None);
            result.set(Some(r));
        }
    });

    let choices = Signal::derive(move || {
        options(&key.get())
            .iter()
            .map(|(v, l)| ((*v).to_string(), (*l).to_string()))
            .collect::<Vec<_>>()
    });
    let kinds = Signal::stored(vec![
        ("commit".to_string(), "Commit modes".to_string()),
        ("routing".to_string(), "Read routings".to_string()),
    ]);
    let durations = Signal::stored(DURATIONS.iter().map(|d| (d.to_string(), format!("{d} s"))).collect());
    let results = move || {
        result.with(|r| {
            r.as_ref()
                .map(|(k, names, snaps)| results_html(k, names, snaps, state.lab.with_untracked(|l| l.config().seed)))
                .unwrap_or_default()
        })
    };

    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare side by side"</h2>
            <p class="param-hint">
                "Runs your current settings twice from time zero, changing only the commit mode or the routing, on the same "
                "seeded writes and reads. Fail both primaries at the end to compare what a failover loses."
            </p>
            <div class="compare-controls">
                {select("compare-kind", "Compare", key, kinds)}
                {select("compare-secs", "Simulated time", secs, durations)}
                {select("compare-a", "Left", a, choices)}
                {select("compare-b", "Right", b, choices)}
            </div>
            <label class="compare-variant">
                <input
                    type="checkbox"
                    data-testid="compare-fail"
                    prop:checked=move || fail_at_end.get()
                    on:change=move |ev| fail_at_end.set(event_target_checked(&ev))
                />
                <span>"Fail both primaries at the end"</span>
            </label>
            <div class="actions compare-actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="compare-run"
                    disabled=move || progress.with(Option::is_some)
                    on:click=run
                >
                    "\u{25b6} Run comparison"
                </button>
            </div>
            <p class="param-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <ProgressBar
                when=Signal::derive(move || progress.with(Option::is_some))
                testid="compare-progress"
                text="Running both sides\u{2026} "
                fraction=Signal::derive(move || progress.get().unwrap_or(0.0))
            />
            <div class="compare-results" inner_html=results></div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short() {
        assert_eq!(label("commit", "sync"), "Synchronous");
        assert_eq!(label("routing", "session_token"), "Session token");
        assert_eq!(label("routing", "nope"), "nope");
    }

    #[test]
    fn results_show_both_sides_and_the_shared_workload() {
        let base = scalelab_sim::replication::Config::default();
        let mut c = Comparison::varying(&base, "routing", "replica", "primary", 5.0, false).unwrap();
        c.run_to_end();
        let names = [label("routing", "replica"), label("routing", "primary")];
        let html = results_html("routing", &names, &c.snapshots(), 1);
        assert!(html.contains("exactly the same"));
        assert!(html.contains(r#"data-testid="compare-b-primary-read-share" data-value="1""#));
        assert!(html.contains("compare-side-a") && html.contains("compare-side-b"));
        assert_eq!(html.matches("<figure").count(), 2);
    }
}
