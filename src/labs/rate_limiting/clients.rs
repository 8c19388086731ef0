//! The client table: who gets through. One row per client (the abuser last) with its rate, what
//! the limiter did with its requests and whether it is being refused now. A [`Drawing`] in the
//! table's body: the rows are drawn once per number of clients and their cells rewritten.

use crate::components::{draw, source, whole, Drawing};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::ratelimit::{ClientRow, Snapshot};
use std::fmt::Write;

/// The column headings.
const COLUMNS: [&str; 9] = [
    "Client",
    "Sends (req/s)",
    "Admitted/s now",
    "Admitted",
    "Queued",
    "Refused",
    "Retries",
    "Given up",
    "Now",
];

fn count(n: u64) -> String {
    format::number(n as f64, 0)
}

/// One row's changing cells, in column order after the name.
fn cells(c: &ClientRow) -> [String; 8] {
    [
        format::number(c.rps, 1),
        format::number(c.admitted_per_s, 1),
        count(c.admitted),
        count(c.delayed),
        count(c.refused),
        count(c.retries),
        count(c.given_up),
        if c.throttled { "refused (429)" } else { "ok" }.to_string(),
    ]
}

/// The table body for `s`.
fn body(s: &Snapshot) -> Drawing {
    let mut d = Drawing::default();
    for c in &s.clients {
        let name = if c.abuser {
            format!("Abuser ({})", c.client + 1)
        } else {
            format!("Client {}", c.client + 1)
        };
        let class = if c.abuser { "rl-client abuser" } else { "rl-client" };
        let _ = write!(
            d,
            r#"<tr class="{class}" data-testid="client-row"><th scope="row">{name}</th>"#
        );
        let [rps, rate, admitted, queued, refused, retries, given_up, now] = cells(c);
        for value in [rps, rate, admitted, queued, refused, retries, given_up] {
            d.markup.push_str("<td");
            d.live("text", [value]);
            d.markup.push_str("></td>");
        }
        d.markup.push_str("<td");
        d.live(
            "text class",
            [now, if c.throttled { "rl-throttled" } else { "rl-ok" }.to_string()],
        );
        d.markup.push_str("></td></tr>");
    }
    d
}

/// The client table.
#[component]
pub fn ClientTable(
    /// The snapshot to show.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let heads = COLUMNS
        .iter()
        .map(|c| view! { <th scope="col">{*c}</th> })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Clients">
            <table class="rl-clients" data-testid="client-table">
                <caption class="visually-hidden">"What the limiter did with each client's requests, since the counters restarted"</caption>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody use:draw=source(move || whole(snapshot.with(body)))></tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::ratelimit::RateLimitLab;

    #[test]
    fn a_row_per_client_with_the_abuser_last() {
        let mut lab = RateLimitLab::new(Default::default()).expect("defaults");
        lab.step_until(from_secs(12.0));
        let s = lab.snapshot();
        let d = body(&s);
        assert_eq!(d.markup.matches("<tr").count(), 5);
        assert!(d.markup.contains("Abuser (5)"));
        assert_eq!(d.values.len(), 5 * 9);
        assert!(d.values.contains(&"refused (429)".to_string()), "the abuser is refused");
        assert!(!d.values.iter().any(|v| v.contains("NaN")));
    }
}
