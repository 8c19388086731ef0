//! Taking a run away: "Copy link" (the page's URL, which already holds the step, the settings and
//! the seed, plus the simulated time as `until`, so the link opens at the same moment) and
//! "Export CSV" (the metric cards over the run, from [`MetricsLog`]). Shown in every lab's
//! header.

use super::lesson_player::Hidden;
use super::metrics_log::MetricsLog;
use crate::kit::rewind::secs_text;
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::engine::time::from_secs;

/// What the share bar reads: the lab's clock and the log its metric cards write. Provided by
/// `LabPage`; the metrics panel records into it.
#[derive(Clone, Copy)]
pub struct RunRecord {
    /// The lab's simulated time, seconds (tracked).
    pub clock: Signal<f64>,
    /// The metric cards over the run.
    pub log: StoredValue<MetricsLog>,
}

/// `href` with its `until` set to `t_s` (exact to the simulated microsecond, as the clock counts;
/// left out at 0, where a link opens anyway): a shared link reopens the run at the same moment.
pub fn link_at(href: &str, t_s: f64) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("until=") && *p != "until")
        .collect();
    let until = (t_s.is_finite() && t_s > 0.0).then(|| format!("until={}", secs_text(from_secs(t_s))));
    if let Some(u) = until.as_deref() {
        pairs.push(u);
    }
    if pairs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

/// The file name of an export: the lab's slug from the path, and the simulated time.
fn file_name(path: &str, t_s: f64) -> String {
    let slug = super::chart_export::page_slug(path);
    format!("scalelab-{slug}-{}s.csv", t_s.max(0.0).round())
}

/// "Copy link" and "Export CSV", with a status line saying what happened.
#[component]
pub fn ShareBar() -> impl IntoView {
    let Some(record) = use_context::<RunRecord>() else {
        return ().into_any();
    };
    let hidden = use_context::<Hidden>();
    let status = RwSignal::new(String::new());
    // Where the clipboard is refused: the link, selected, to copy by hand.
    let manual = RwSignal::new(None::<String>);
    let copy = move |_| {
        let Some(href) = platform::current_href() else {
            return;
        };
        let link = link_at(&href, record.clock.get_untracked());
        manual.set(None);
        status.set(String::new());
        platform::copy_text(link.clone(), move |ok| {
            if ok {
                status.set("Link copied: it opens this step, these settings and seed at this moment.".into());
            } else {
                manual.set(Some(link));
                status.set("Copy this link:".into());
            }
        });
    };
    let export = move |_| {
        let csv = record
            .log
            .with_value(|log| log.to_csv(|name| hidden.is_some_and(|h| h.hides("metric", name))));
        let path = platform::current_path().unwrap_or_default();
        let name = file_name(&path, record.clock.get_untracked());
        if platform::download(&name, "text/csv", &csv) {
            status.set(format!(
                "Saved {name}: the numbers over this run, a row per moment shown."
            ));
        } else {
            status.set("This browser refused the download.".into());
        }
    };
    view! {
        <div class="share-bar">
            <button type="button" class="button small" data-testid="copy-link" on:click=copy>
                "Copy link"
            </button>
            <button
                type="button"
                class="button small"
                data-testid="export-csv"
                title="The numbers over this run as CSV (numbers a prediction still hides are left out)"
                on:click=export
            >
                "Export CSV"
            </button>
            <p class="share-status" role="status" data-testid="share-status">{move || status.get()}</p>
            {move || {
                manual
                    .get()
                    .map(|link| {
                        view! {
                            <input class="share-link" type="text" readonly aria-label="Link to this run" value=link data-testid="share-link"/>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_carries_the_time() {
        assert_eq!(
            link_at("http://x/labs/cache?step=2&until=5&seed=3", 12.34567),
            "http://x/labs/cache?step=2&seed=3&until=12.34567"
        );
        assert_eq!(link_at("http://x/labs/cache", 60.0), "http://x/labs/cache?until=60");
        assert_eq!(
            link_at("http://x/labs/hash-ring?nodes=5&until=3", 0.0),
            "http://x/labs/hash-ring?nodes=5"
        );
        assert_eq!(link_at("http://x/labs/cache?until", f64::NAN), "http://x/labs/cache");
    }

    #[test]
    fn exports_are_named_after_the_lab_and_time() {
        assert_eq!(file_name("/scalelab/labs/queues", 3600.4), "scalelab-queues-3600s.csv");
        assert_eq!(file_name("/", 0.0), "scalelab-scalelab-0s.csv");
    }
}
