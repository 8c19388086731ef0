//! Cache strategies: a request stream through a cache in front of a database.
//!
//! Clients send reads and writes over `keys` keys with Zipf popularity, as a Poisson stream on
//! the simulation clock. A cache of `capacity` entries (evicting with LRU, LFU, FIFO, random,
//! SIEVE or S3-FIFO, with an optional TTL) sits in front of a database with its own latency and
//! an optional connection limit. The strategy decides who talks to the database and when a write
//! counts as done; faults (crash, flush, a hot key expiring under load) show data loss and the
//! stampede, and the protections (`lock`, `xfetch`) show the cures. Hit ratio, database load,
//! latency percentiles, stale reads and lost writes are counted, and the formulas of [`theory`]
//! (Che's approximation, the FIFO formula, perfect LFU) and [`exact`] (Markov chains for tiny
//! cases) say what the hit ratio should be.
//!
//! Codemap:
//! - [`config`]: the parameters ([`Config`], URL keys) and their validation.
//! - [`strategy`], [`eviction`], [`protection`]: the three choices.
//! - [`stream`]: the seeded request stream (its own generator, shared by every variant).
//! - [`store`]: the cache (slots, key→slot array, eviction policy); `eviction/` has one file per
//!   policy over a shared intrusive list.
//! - [`database`]: versions per key, query latency, connection limit and wait queue.
//! - `loads.rs` (loads in flight and their waiters: single flight), `write_queue.rs`
//!   (write-behind's coalescing queue), [`xfetch`] (early-expiration rule).
//! - [`model`]: [`CacheLab`], the clock and events; `reads.rs` and `writes.rs` are its request
//!   paths; `stats.rs` what it counts; `view.rs` builds the [`Snapshot`] ([`snapshot`]).
//! - [`compare`]: the same seeded stream through 2 to 5 variants.
//! - [`theory`], [`exact`]: hit ratios by formula.
//!
//! Invariants: deterministic (one seed; per-purpose generators forked from it; no hash maps; time
//! in integer microseconds), no panics on any input, memory O(keys + capacity) whatever the run
//! length.

pub mod compare;
pub mod config;
pub mod database;
pub mod eviction;
pub mod exact;
mod loads;
pub mod model;
pub mod protection;
mod reads;
pub mod snapshot;
mod stats;
pub mod store;
pub mod strategy;
pub mod stream;
pub mod theory;
mod view;
mod write_queue;
mod writes;
pub mod xfetch;

pub use compare::{CompareProgress, CompareRow, Comparison};
pub use config::Config;
pub use eviction::Eviction;
pub use model::{CacheLab, Footprint, HOT_KEY};
pub use protection::Protection;
pub use snapshot::{CachedKey, Flow, LabEvent, LabEventKind, LatencyBin, Snapshot};
pub use stats::{RATE_WINDOW, SAMPLE_INTERVAL};
pub use store::{CacheStore, Entry, PutOutcome, NEVER};
pub use strategy::{Component, Strategy};
pub use stream::{Op, Request, RequestStream};
