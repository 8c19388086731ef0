//! Progress bars (placement, fast-forward, comparisons) and the table a comparison fills.

use leptos::prelude::*;

/// A labelled progress bar, announced politely, shown only while `when` holds.
#[component]
pub fn ProgressBar(
    /// Whether the bar shows (tracked).
    #[prop(into)]
    when: Signal<bool>,
    /// `data-testid` of the bar (e.g. `compare-progress`).
    testid: &'static str,
    /// What is running, in words, before the bar (may change while it runs).
    #[prop(into)]
    text: TextProp,
    /// Done so far, in `[0, 1]`.
    #[prop(into)]
    fraction: Signal<f64>,
) -> impl IntoView {
    view! {
        <Show when=move || when.get()>
            <div class="placement-progress" role="status" data-testid=testid>
                <label>
                    {let text = text.clone(); move || text.get().to_string()}
                    <progress max="1" value=move || format!("{:.3}", fraction.get())></progress>
                </label>
            </div>
        </Show>
    }
}

/// The results of a comparison as a scrollable table (`data-testid="compare-table"`): one header
/// cell per column, the rows as children.
#[component]
pub fn CompareTable(
    /// Column headings, left to right.
    columns: &'static [&'static str],
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Comparison results">
            <table data-testid="compare-table">
                <thead>
                    <tr>{columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
