//! What is in the cache (the most-hit entries, hot, dirty and stale marked) and what happened to
//! it (crashes, flushes, stampedes).

use crate::components::{draw, source, whole, Drawing};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::cache::{CachedKey, LabEvent, LabEventKind, Snapshot};

/// The marks of an entry (at least one): text and class of each.
fn marks(k: &CachedKey, hot_key: u32) -> Vec<(&'static str, &'static str)> {
    let mut marks: Vec<_> = [
        (k.key == hot_key, "hot key", "mark-hot"),
        (k.stale, "stale", "mark-stale"),
        (k.dirty, "dirty", "mark-dirty"),
    ]
    .into_iter()
    .filter(|m| m.0)
    .map(|(_, text, class)| (text, class))
    .collect();
    if marks.is_empty() {
        marks.push(("fresh", "mark-fresh"));
    }
    marks
}

fn expires(k: &CachedKey) -> String {
    match k.expires_in_s {
        None => "never".into(),
        Some(s) if s <= 0.0 => "expired".into(),
        Some(s) => format!("{} s", format::number(s, 1)),
    }
}

/// The table's rows, most-hit first: the markup has a row per entry; the row's class and its
/// cells (key, hits, version, up to three marks, expiry) are live values.
fn rows(s: &Snapshot) -> Drawing {
    let mut d = Drawing::default();
    for k in &s.hottest {
        let class = match (k.stale, k.dirty) {
            (true, true) => "stale dirty",
            (true, false) => "stale",
            (false, true) => "dirty",
            (false, false) => "",
        };
        d.markup.push_str("<tr");
        d.live("class", [class.to_string()]);
        d.markup.push('>');
        for cell in [
            k.key.to_string(),
            format::number(k.hits as f64, 0),
            format!("v{}", k.version),
        ] {
            d.markup.push_str("<td");
            d.live("text", [cell]);
            d.markup.push_str("></td>");
        }
        d.markup.push_str(r#"<td class="marks">"#);
        let marks = marks(k, s.hot_key);
        for i in 0..3 {
            let (text, class) = marks
                .get(i)
                .map_or(("", String::new()), |(t, c)| (*t, format!("mark {c}")));
            d.markup.push_str("<span");
            d.live("class text", [class, text.to_string()]);
            d.markup.push_str("></span>");
        }
        d.markup.push_str("</td><td");
        d.live("text", [expires(k)]);
        d.markup.push_str("></td></tr>");
    }
    d
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
    // Rows are slots by rank: a new snapshot writes the cells that changed; rows are only added
    // or removed when the number of entries listed changes.
    let table = move || whole(snapshot.with(rows));
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
                        <tbody use:draw=source(table)></tbody>
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

/// What an event did, in words.
fn describe(e: &LabEvent) -> String {
    match &e.kind {
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
    }
}

/// The events the log lists: `(simulated s, what happened)`, oldest first.
pub fn events(s: &Snapshot) -> Vec<(f64, String)> {
    s.events.iter().map(|e| (e.at_s, describe(e))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::cache::{CacheLab, Config};
    use scalelab_sim::engine::time::from_secs;

    #[test]
    fn rows_keep_their_markup_while_the_cells_change() {
        let mut lab = CacheLab::new(Config::default()).unwrap();
        lab.step_until(from_secs(5.0));
        let s = lab.snapshot();
        let d = rows(&s);
        assert_eq!(d.markup.matches("<tr").count(), s.hottest.len());
        // Per row: its class, three cells, three marks (class and text), the expiry.
        assert_eq!(d.values.len(), s.hottest.len() * 11);
        assert!(d.values.contains(&"mark mark-hot".to_string()) && d.values.contains(&"hot key".to_string()));
        lab.step_until(from_secs(6.0));
        let later = rows(&lab.snapshot());
        assert_eq!(later.markup, d.markup);
        assert_ne!(later.values, d.values);
        assert!(rows(&Snapshot::default()).markup.is_empty());
        let fresh = CachedKey {
            key: 3,
            hits: 1,
            version: 1,
            stale: false,
            dirty: false,
            expires_in_s: None,
        };
        assert_eq!(marks(&fresh, 0), [("fresh", "mark-fresh")]);
        assert_eq!(marks(&CachedKey { dirty: true, ..fresh }, 3).len(), 2);
    }
}
