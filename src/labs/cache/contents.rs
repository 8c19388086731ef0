//! What is in the cache (the most-hit entries, hot, dirty and stale marked) and what happened to
//! it (crashes, flushes, stampedes).

use crate::format;
use leptos::prelude::*;
use scalelab_sim::cache::{CachedKey, LabEvent, LabEventKind, Snapshot};

/// Most recent events listed.
const EVENTS_SHOWN: usize = 6;

fn marks(k: &CachedKey, hot_key: u32) -> impl IntoView {
    let mut marks = Vec::new();
    if k.key == hot_key {
        marks.push(("hot key", "mark-hot"));
    }
    if k.stale {
        marks.push(("stale", "mark-stale"));
    }
    if k.dirty {
        marks.push(("dirty", "mark-dirty"));
    }
    if marks.is_empty() {
        marks.push(("fresh", "mark-fresh"));
    }
    marks
        .into_iter()
        .map(|(text, class)| view! { <span class=format!("mark {class}")>{text}</span> })
        .collect_view()
}

fn expires(k: &CachedKey) -> String {
    match k.expires_in_s {
        None => "never".into(),
        Some(s) if s <= 0.0 => "expired".into(),
        Some(s) => format!("{} s", format::number(s, 1)),
    }
}

/// The hottest cached keys.
#[component]
pub fn ContentsTable(
    /// The snapshot to list.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let summary = move || {
        snapshot.with(|s| {
            format!(
                "{} of {} slots in use; the {} most-hit entries, most first.",
                format::number(s.cached as f64, 0),
                format::number(s.capacity as f64, 0),
                s.hottest.len()
            )
        })
    };
    let rows = move || {
        snapshot.with(|s| {
            let hot = s.hot_key;
            s.hottest
                .iter()
                .map(|k| {
                    view! {
                        <tr class:stale=k.stale class:dirty=k.dirty>
                            <td>{k.key.to_string()}</td>
                            <td>{format::number(k.hits as f64, 0)}</td>
                            <td>{format!("v{}", k.version)}</td>
                            <td class="marks">{marks(k, hot)}</td>
                            <td>{expires(k)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="cache-contents" data-testid="cache-contents">
            <p class="param-hint">{summary}</p>
            <Show
                when=move || snapshot.with(|s| !s.hottest.is_empty())
                fallback=|| view! { <p class="empty-state">"The cache is empty. Press Play: it fills as reads miss."</p> }
            >
                <div class="table-wrap" tabindex="0" role="region" aria-label="Most-hit cache entries">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Key"</th>
                                <th scope="col">"Hits"</th>
                                <th scope="col">"Version"</th>
                                <th scope="col">"State"</th>
                                <th scope="col">"Expires"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </Show>
            <p class="param-hint">
                "Key 0 is the most popular. Stale: a newer version was written and the cache still has the old one. "
                "Dirty: write-behind has not sent this write to the database yet."
            </p>
        </div>
    }
}

fn describe(e: &LabEvent) -> String {
    let what = match &e.kind {
        LabEventKind::Crash { lost_writes } => format!(
            "cache crashed; {} queued writes lost",
            format::number(*lost_writes as f64, 0)
        ),
        LabEventKind::Flush { written } => format!(
            "cache flushed; {} queued writes saved first",
            format::number(*written as f64, 0)
        ),
        LabEventKind::HotKeyExpired { key, cached } => {
            if *cached {
                format!("key {key} expired by hand")
            } else {
                format!("key {key} expired by hand (it was not cached)")
            }
        }
        LabEventKind::Stampede { key, requests } => format!(
            "stampede: {} simultaneous reads of key {key}",
            format::number(f64::from(*requests), 0)
        ),
        LabEventKind::CacheRebuilt => "capacity or eviction changed; the cache restarted empty".to_string(),
    };
    format!("{}: {what}", format::sim_clock(e.at_s))
}

/// The latest lab events, newest first.
#[component]
pub fn EventLog(
    /// The snapshot whose events to list.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let items = move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .rev()
                .take(EVENTS_SHOWN)
                .map(|e| view! { <li>{describe(e)}</li> })
                .collect_view()
        })
    };
    view! {
        <Show when=move || snapshot.with(|s| !s.events.is_empty())>
            <div class="event-log">
                <h3>"What happened"</h3>
                <ul data-testid="event-log">{items}</ul>
            </div>
        </Show>
    }
}
