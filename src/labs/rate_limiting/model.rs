//! The "Model and assumptions" panel of the rate limiting lab.

use leptos::prelude::*;

/// What the rate limiting model simplifies and which published results it reproduces (tests in
/// `sim/tests/it/ratelimit.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Clients send requests to an API behind a limiter. The well-behaved ones send at random (Poisson) "
                    "times at their rate; the last client, the abuser, sends at its own rate at random, as one burst per "
                    "window centred on the window's boundary (spread over 0.1 s), or as an even flood. The API itself has "
                    "no capacity limit here: the lab is about who the limiter lets through and when."
                </li>
                <li>
                    "One limit, six algorithms: the limit is requests per window, per client or for everyone. Token "
                    "bucket and GCRA refill at limit / window with a bucket of the limit, unless a rate and a burst are "
                    "set (the defaults are the seeds': 100 tokens, 10 a second); GCRA admits exactly what the token bucket "
                    "admits. The leaky bucket is a queue drained at that rate: it delays instead of refusing until the "
                    "queue is full. The fixed window counts per window starting at multiples of its length; the sliding "
                    "log keeps every admission time of the last window; the sliding window counter weighs the previous "
                    "window's count by how much of it still overlaps."
                </li>
                <li>
                    "What a limit lets through in any span of one window: a fixed window up to twice the limit across a "
                    "boundary, a token bucket up to the burst plus a window's refill (twice the limit at the defaults), "
                    "the sliding log exactly the limit, the leaky bucket its rate times the window. The worst window "
                    "metric measures this exactly (over the last 262,144 admissions of a key; beyond that it is a lower "
                    "bound, shown with \u{2265})."
                </li>
                <li>
                    "Instances: requests reach the limiter instances in turn (round robin). Each keeps its own state and "
                    "allows the full limit (up to instances \u{00d7} the limit gets through) or its share of it; or all use "
                    "one shared store. With a store sync interval of 0 every decision asks the store: exact, and its round "
                    "trip is added to every request. With a sync interval, each instance decides at once on its own copy "
                    "of the store's state; every interval (all instances at the same moments) it sends the store what it "
                    "admitted and gets the merged state back one round trip later. The store counts everything admitted, "
                    "past the limit if need be (a bucket goes into debt, a window's count over the limit), so what slipped "
                    "through is refused later. Between syncs no instance sees what the others admitted, so together they "
                    "can let through more than the exact store would: at most (instances \u{2212} 1) \u{00d7} what one "
                    "instance admits in one interval (plus a round trip), and nothing more with one instance. The store "
                    "never fails and answers in a constant time."
                </li>
                <li>
                    "Refused requests get a 429 with Retry-After (when the limiter would admit again). Clients give up, "
                    "send again 10 ms later (at most 5 times), or pause for Retry-After or an exponential backoff (100 ms, "
                    "doubling with each 429 in a row, at most 10 s), whichever is longer, plus a random jitter of up to "
                    "the backoff, holding their new requests meanwhile (up to 100). A request older than 10 s is abandoned."
                </li>
                <li>
                    "Published results the tests reproduce: a token bucket never admits more than b + r t in any "
                    "interval t; a fixed window admits 2L for a burst straddling a boundary, a sliding log never more "
                    "than L; GCRA at 1 a second with burst 3 admits three at once then one a second, and agrees with the "
                    "token bucket on every request; N instances with local counts admit up to N \u{00d7} L; the leaky "
                    "bucket's output never exceeds its rate."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine. Each client draws "
                    "its arrivals from its own seeded generator, so every algorithm in a comparison sees the very same "
                    "first attempts."
                </li>
            </ul>
        </details>
    }
}
