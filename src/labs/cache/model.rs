//! The "Model and assumptions" panel of the cache lab.

use leptos::prelude::*;

/// What the cache model simplifies and which published results it reproduces (tests in
/// `sim/tests/it/cache.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Requests arrive as a Poisson stream at the chosen rate. Each picks a key on its own, with Zipf popularity "
                    "(key 0 is the most popular), and is a read or a write by the read ratio: the \u{201c}independent reference "
                    "model\u{201d} of the caching literature. Real traffic has bursts and trends this leaves out."
                </li>
                <li>
                    "Every value has the same size, so capacity is counted in entries. A hit costs one cache round trip; "
                    "a database query takes a random time (log-normal, mean as set, spread half the mean), and the "
                    "connection limit, when set, makes extra queries wait in line. Network hops, serialisation and CPU are "
                    "not modelled."
                </li>
                <li>
                    "Values are version numbers, so staleness is exact: a read is stale when it returns an older version "
                    "than the newest one written (committed, or acknowledged by write-behind). Cache-aside deletes the key "
                    "one cache round trip after the database commits; a load that started before a write can still put the "
                    "old value back, which is where most stale reads come from."
                </li>
                <li>
                    "Expiry is lazy: an entry past its TTL keeps its slot until a read finds it expired or the policy "
                    "evicts it. Write-behind merges repeated writes to a key and flushes its queue at every multiple of the "
                    "flush interval; a crash loses the queue at once, while loads already in flight still complete."
                </li>
                <li>
                    "Stampede cures: the lock lets one load per key reach the database and makes the other misses wait for "
                    "it (single flight). XFetch (Vattani, Chierichetti and Lowenstein, 2015) recomputes a value early when "
                    "now \u{2212} \u{03b4}\u{00b7}\u{03b2}\u{00b7}ln(rand) \u{2265} expiry, \u{03b4} being how long the last "
                    "recompute took; it acts before an expiry, so it cannot help when a key is expired by hand."
                </li>
                <li>
                    "Theory: Che's approximation (Che, Tung and Wang, 2002) gives LRU's hit ratio, a sibling formula gives "
                    "FIFO's and random's, and perfect LFU keeps the most popular keys. For 1,000 keys, Zipf 0.8 and a cache "
                    "of 100 they give LRU 0.378, FIFO 0.334 and LFU 0.526, and the simulation lands within about one "
                    "point of them. Exact Markov chains check tiny cases: popularities 0.5, 0.3, 0.2 with room for 2 give "
                    "LRU 0.7193 and FIFO 0.7097. The formulas hold for reads-only streams without TTL."
                </li>
                <li>
                    "Hit ratio, percentiles, stale reads, lost writes and the peak count from the last restart of the "
                    "counters (a settings change, a stampede or the button restarts them); rates per second are over the "
                    "last simulated second. 1,000 requests per second at a 99% hit ratio leave 10 database reads per second."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine. Requests, database "
                    "times, random eviction and XFetch each draw from their own seeded generator, so changing a policy "
                    "never changes the requests, and compared variants see the very same stream."
                </li>
            </ul>
        </details>
    }
}
