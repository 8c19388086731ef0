//! Queues and asynchronous work: move slow work out of the request path, then see what the queue
//! itself costs: backlog, lag, duplicates, ordering and poison messages.
//!
//! Producers send requests at `rate` (steady, in bursts or on a daily cycle). Each does its fast
//! work and either its slow work inline (`sync`: the seeds' 100 ms + 2,000 ms = 2,100 ms) or
//! publishes a message (`async`: 100 ms + 5 ms = 105 ms). A broker holds `partitions` partitions
//! (keyed messages to hash(key) % partitions, unkeyed round robin), optionally bounded
//! (`max_backlog`, then producers are refused or blocked). `groups` consumer groups each get every
//! message (one group: a work queue; more: a topic); in a group each partition is read by one
//! consumer, so consumers beyond the partitions idle; adding or removing one rebalances with a
//! pause. Consumers process `concurrency` messages at once, each for a draw of `processing` with
//! mean `slow_ms`. Delivery is at least once: a delivered message is hidden for `visibility_s`; no
//! acknowledgement by then (slow work, a crash) delivers it again, a duplicate effect unless the
//! consumer is `idempotent`. Failures (`failure_rate`, and poison messages that always fail) are
//! retried with `backoff` up to `max_receives` deliveries, then dead-lettered. Out-of-order
//! completions are counted per key. A read model fed by the writes lags `projection_lag_ms`, so
//! some reads are stale.
//!
//! Codemap:
//! - [`config`] ([`Config`], URL keys, validation, the retry schedule), `specs.rs` (the control
//!   table), [`choices`] (the choice enums).
//! - `arrivals.rs` (request and read streams: shapes, bursts), [`broker`] (packed partition logs,
//!   lanes, records, the dead-letter queue).
//! - [`lab`] ([`QueuesLab`]: the clock, requests, `sync` work, blocking, reads, events),
//!   `delivery.rs` (publish, assignment, pull, ack, visibility timeouts, retries, dead letters,
//!   order), `faults.rs` (crash, stop/start, burst, add/remove consumer, poison, redrive),
//!   `stats.rs` (tallies, histograms, rates, charts), [`theory`] (growth, drain, Erlang C via the
//!   capacity lab's [`MmcQueue`](crate::capacity::MmcQueue)); `view.rs` builds the [`Snapshot`]
//!   ([`snapshot`], with [`Snapshot::metric`] for the metric names).
//! - [`compare`] ([`Comparison`]: two to four settings on one seed, in slices).
//!
//! Invariants: deterministic (one seed forked into requests, message keys and poison flags, work,
//! reads and jitter; integer µs time; equal times in insertion order; no hash-map iteration), no
//! panics on any input, memory bounded by what waits: 8 bytes per message in the backlog (10
//! million: 80 MB), one record per message in flight, in backoff or queued for redelivery, at
//! most [`MAX_BLOCKED`] blocked producers and [`DLQ_KEPT`] dead letters, fixed-size charts and
//! logs.

pub mod broker;
pub mod choices;
pub mod compare;
pub mod config;
pub mod lab;
pub mod snapshot;
pub mod theory;

mod arrivals;
mod delivery;
mod faults;
mod specs;
mod stats;
mod view;

pub use arrivals::{BURST_FACTOR, BURST_SECS, DAY_SECS, SHAPE_BURST_EVERY_SECS, SHAPE_BURST_SECS};
pub use broker::DeadReason;
pub use choices::{Backoff, Delivery, OnFull, Processing, Shape};
pub use compare::{CompareRow, Comparison, MAX_COMPARED, MAX_COMPARE_SECS};
pub use config::{Config, BACKOFF_BASE, BACKOFF_CAP, PUBLISH_MS};
pub use faults::MAX_POISON_NOW;
pub use lab::{
    QueuesLab, BLOCK_TIMEOUT, CRASH_RESTART, DLQ_KEPT, EVENTS_KEPT, FLOWS_KEPT, KEY_ORDER_KEPT, MAX_BLOCKED,
    MAX_READ_RATE, REBALANCE_PAUSE,
};
pub use snapshot::{
    ConsumerState, ConsumerView, DeadLetterView, Flow, FlowKind, GroupView, KeyCompletion, LabEvent, LabEventKind,
    LaneView, PartitionView, Snapshot, METRICS,
};
pub use specs::{
    MAX_BACKLOG, MAX_CONCURRENCY, MAX_CONSUMERS, MAX_GROUPS, MAX_KEYS, MAX_PARTITIONS, MAX_RATE, MAX_RECEIVES,
};
pub use stats::{RATE_WINDOW, SAMPLE_INTERVAL};
pub use theory::{ErlangPrediction, Theory};
