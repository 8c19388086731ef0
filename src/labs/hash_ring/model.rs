//! The "Model and assumptions" panel: what the lab simplifies and what it reproduces.

use leptos::prelude::*;

/// What the model simplifies and which published results it reproduces (tests in
/// `sim/tests/it/hashring.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Keys are the strings key-0, key-1, \u{2026}; nodes are node-0, node-1, \u{2026}. Every strategy uses one "
                    "portable 64-bit hash (xxh3) of those names, so results are identical on every machine."
                </li>
                <li>
                    "Ring: each node of weight w puts round(vnodes \u{00d7} w) points on the circle; a key belongs to the first point "
                    "clockwise at or after its hash (Karger et al., 1997). With v points per node the load's spread is close to "
                    "\u{221a}((n\u{2212}1)/(n\u{00b7}v+1)): 0.905 at v=1, 0.299 at v=10 and 0.095 at v=100 for 10 nodes."
                </li>
                <li>
                    "Modulo: hash(key) % N. Going from 10 to 11 nodes moves about 10/11 \u{2248} 91% of keys."
                </li>
                <li>
                    "Jump hash (Lamping & Veach, 2014): buckets 0..N\u{2212}1, no memory, only the last bucket can be removed; "
                    "reproduces the published vector (key 42, 57 buckets \u{2192} 43)."
                </li>
                <li>"Rendezvous (Thaler & Ravishankar, 1998): each key goes to the node with the highest score; a lookup scores every node."</li>
                <li>
                    "Bounded loads (Mirrokni, Thorup & Zadimoghaddam, 2018): no node takes more than \u{2308}(1+\u{03b5})\u{00b7}keys/nodes\u{2309}; "
                    "keys are placed in index order and a key whose node is full walks clockwise to the next node with room."
                </li>
                <li>
                    "Load spread is the coefficient of variation of each node's keys relative to its fair (weighted) share. "
                    "Every statistic counts all keys; the diagram draws a seeded sample of 200 and at most 2,000 ring points."
                </li>
                <li>
                    "Cost of moving keys: each node is an LRU cache holding a share of the keys, warmed before the run with its most "
                    "popular keys; requests arrive as a Poisson stream with Zipf popularity; a miss reads the database. "
                    "Network, CPU and database latency are not modelled."
                </li>
            </ul>
        </details>
    }
}
