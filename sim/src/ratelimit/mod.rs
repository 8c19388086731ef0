//! Rate limiting: clients, one of them abusive, hit an API behind a limiter, on the simulation
//! clock; the learner sees who gets through, when, and how bursts at window edges slip past.
//!
//! Six algorithms enforce one limit (`limit` requests per `window_s`, per client or global; see
//! [`config`] for how the bucket algorithms' rate and burst follow from it): token bucket, leaky
//! bucket (a queue drained at a constant rate: it delays instead of refusing), fixed window,
//! sliding log (exact, one timestamp per admission), sliding window counter (the weighted
//! approximation) and GCRA (which admits exactly what the token bucket admits). Requests reach
//! `instances` limiter instances through a round-robin load balancer; each keeps its own state
//! (allowing the full limit or its share), or all share one store: at a round trip per decision
//! (exact), or each deciding on its own copy synced with the store every `sync_ms` (no wait, but
//! the instances together can admit more than the limit between syncs).
//! Refused requests get a 429 with Retry-After; their clients give up, retry at once, or honour
//! it with exponential backoff and jitter.
//!
//! Codemap:
//! - [`config`] ([`Config`], URL keys, validation, each instance's numbers), `specs.rs` (the
//!   control table), [`choices`] (the choice enums).
//! - [`limiter`] ([`Limiter`]: one key's state on one instance and its [`Decision`]s; usable on its
//!   own).
//! - `arrivals.rs` (each client's stream: Poisson, bursts at window boundaries, flood).
//! - [`lab`] ([`RateLimitLab`]: the clock, the load balancer, the leaky bucket's queues),
//!   `clients.rs` (retries at once, or pauses honouring Retry-After), `sync.rs` (a shared store
//!   synced every `sync_ms`: the model, the merge, the over-admission bound), `stats.rs`
//!   (counters, rates, charts), [`worst`] (the exact worst window),
//!   `timeline.rs` (per-client buckets and the limiter's state under them); `view.rs` builds the
//!   [`Snapshot`] ([`snapshot`]).
//! - [`compare`] ([`Comparison`]: all six algorithms on one seeded stream, in slices).
//!
//! Invariants: deterministic (one seed, forked per client and for the retry jitter; integer µs
//! time, the buckets' rates in whole nanoseconds; equal times in insertion order), no panics on
//! any input, memory bounded whatever the run length: O(1) per limiter except the sliding log,
//! whose memory grows with the limit (8 bytes per admission in the last window, at most
//! [`MAX_STORED`] over every limiter, or the configuration is rejected; a synced store keeps
//! 2n + 1 copies of each, counted in the cap), the leaky bucket's queues (8 bytes per waiting
//! request, same cap), a token bucket's debt (a fixed-size integer), at most [`RETRY_SLOTS`] retries or held requests per client, the
//! worst-window rings ([`WORST_KEPT`] times in all), and fixed-size timeline, charts and log.

pub mod choices;
pub mod compare;
pub mod config;
pub mod lab;
pub mod limiter;
pub mod snapshot;
pub mod worst;

mod arrivals;
mod clients;
mod specs;
mod stats;
mod sync;
mod timeline;
mod view;

pub use arrivals::BURST_SPREAD;
pub use choices::{Algorithm, Burstiness, Retry, Scope, SyncMode};
pub use clients::{BACKOFF_BASE, BACKOFF_CAP, CLIENT_TIMEOUT, MAX_RETRIES, RETRY_GAP, RETRY_SLOTS};
pub use compare::{CompareRow, Comparison, MAX_COMPARE_SECS};
pub use config::{Config, MAX_STORED};
pub use lab::{RateLimitLab, EVENTS_KEPT, FLOOD_FACTOR, FLOOD_MIN_RPS, FLOOD_SECS, MAX_BURST_NOW};
pub use limiter::{Decision, LimitParams, Limiter, LimiterState};
pub use snapshot::{
    ClientRow, ClientTimeline, KeyState, LabEvent, LabEventKind, Snapshot, StateStrip, Timeline, Totals,
};
pub use specs::{MAX_CLIENTS, MAX_COUNT, MAX_INSTANCES, MAX_RPS, MAX_SYNC_MS, MIN_CLIENTS};
pub use stats::{jain, RATE_WINDOW, SAMPLE_INTERVAL, WORST_KEPT};
pub use timeline::{BUCKETS_PER_WINDOW, TIMELINE_BUCKETS};
pub use worst::WorstWindow;
