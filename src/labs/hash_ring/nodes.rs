//! Membership controls: add / remove buttons and the node table (keys, share, weight, remove).

use super::state::{RingAction, RingState};
use crate::components::chart::shaded_palette_css;
use crate::format;
use crate::kit::Driver;
use leptos::prelude::*;

/// Most rows the node table lists (the chart above shows every node).
const MAX_ROWS: usize = 40;

/// Add / remove buttons and any refusal message.
#[component]
pub fn MembershipButtons(driver: Driver<RingState>) -> impl IntoView {
    let state = driver.lab;
    view! {
        <div class="actions" role="group" aria-label="Membership">
            <button type="button" class="button primary" data-testid="add-node" on:click=move |_| driver.act_lab(RingAction::AddNode)>
                "+ Add node"
            </button>
            <button type="button" class="button" data-testid="remove-node" on:click=move |_| driver.act_lab(RingAction::RemoveLast)>
                "\u{2212} Remove last added"
            </button>
            <p class="param-error" role="alert" data-testid="action-error">
                {move || state.action_error.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// The node table.
#[component]
pub fn NodeTable(driver: Driver<RingState>) -> impl IntoView {
    let state = driver.lab;
    let rows = move || {
        let s = state.snap.get();
        let weights = s.strategy.uses_weights();
        let removes_last_only =
            s.strategy.removes_last_only() || state.compare_snap.with(|c| c.strategy.removes_last_only());
        let last = s.nodes.last().map(|n| n.id);
        let total = s.nodes.len();
        let rows = s
            .nodes
            .iter()
            .take(MAX_ROWS)
            .map(|n| {
                let id = n.id;
                let removable = total > 1 && (!removes_last_only || Some(id) == last);
                let weight_error = RwSignal::new(None::<String>);
                view! {
                    <tr>
                        <td>
                            <span class="swatch" style=format!("background:{}", shaded_palette_css(id as usize))></span>
                            " "
                            {n.name.clone()}
                        </td>
                        <td>{format::number(n.keys as f64, 0)}</td>
                        <td>{format::percent(n.share, 1)}</td>
                        <td class="col-ideal">{format::percent(n.ideal_share, 1)}</td>
                        <td>
                            <input
                                type="text"
                                inputmode="decimal"
                                class="weight-input"
                                aria-label=format!("Weight of {}", n.name)
                                aria-invalid=move || weight_error.get().is_some().to_string()
                                title=move || {
                                    if weights {
                                        weight_error.get().unwrap_or_else(|| "Weight 0.1 to 10".into())
                                    } else {
                                        "This strategy ignores weights: every node counts the same".into()
                                    }
                                }
                                disabled=!weights
                                value=format::number(n.weight, 2)
                                on:change=move |ev| {
                                    let raw = event_target_value(&ev);
                                    let parsed = raw.trim().parse::<f64>().ok().filter(|w| w.is_finite());
                                    let result = match parsed {
                                        Some(w) => state.set_weight(id, w),
                                        None => Err("weight must be a number from 0.1 to 10".into()),
                                    };
                                    weight_error.set(result.err());
                                }
                            />
                            <span class="param-error weight-error" role="alert">
                                {move || weight_error.get().unwrap_or_default()}
                            </span>
                        </td>
                        <td>
                            <button
                                type="button"
                                class="button small"
                                data-testid=format!("remove-node-{id}")
                                aria-label=format!("Remove {}", n.name)
                                title=if removable { "Remove this node" } else { "Jump hash can only remove the last bucket" }
                                disabled=!removable
                                on:click=move |_| driver.act_lab(RingAction::RemoveNode(id))
                            >
                                "\u{00d7}"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let more = (total > MAX_ROWS)
            .then(|| view! { <p class="param-hint">{format!("Showing {MAX_ROWS} of {total} nodes.")}</p> });
        view! {
            <div class="table-wrap node-table">
                <table>
                    <caption class="visually-hidden">"Nodes, their keys and weights"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Node"</th>
                            <th scope="col">"Keys"</th>
                            <th scope="col">"Share"</th>
                            <th scope="col" class="col-ideal">"Ideal"</th>
                            <th scope="col">"Weight"</th>
                            <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {more}
        }
    };
    view! { {rows} }
}
