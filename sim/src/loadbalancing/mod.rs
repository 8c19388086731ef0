//! Load balancing: balancers spreading requests over a fleet of servers.
//!
//! Clients send a Poisson stream of requests; each goes to one of `balancers` balancers, which
//! picks a server with one of seven algorithms (round robin, nginx's smooth weighted round robin,
//! random, least connections, IP hash, power of two choices, peak EWMA). Servers have `workers`
//! and a bounded FIFO queue, relative speeds, and can be killed, slowed (a gray failure), healed,
//! added and removed while the lab runs. A shared health checker marks servers down after
//! `unhealthy_after` failed checks, so a dead server keeps getting traffic for up to interval ×
//! threshold. Several balancers with a stale view of the others' load herd on "least loaded",
//! while two random choices stay robust. Sessions can live in the servers' memory (lost when a
//! client moves or a server dies) or in a shared store (a little latency on every request). A
//! static mode places requests that never finish (balls into bins), and the supermarket model
//! predicts random and two-choice latency.
//!
//! Codemap:
//! - [`config`] ([`Config`], URL keys and validation), `specs.rs` (the control table),
//!   [`speeds`] (the `speeds` text), [`algorithm`], [`workload`] (cost distributions, sessions).
//! - [`stream`] (arrivals on their own generator), `server.rs` (workers, queue, health, counters),
//!   `balancer.rs` (round robin cursor, peak EWMA), `wrr.rs` (nginx's smooth weighted round robin
//!   in O(weights + log n)), `loads.rs` (what each balancer
//!   believes is in flight; routable set) with `min_tree.rs` (least connections in O(log n)).
//! - [`lab`] ([`LoadBalancingLab`]: clock, arrivals, routing, completions, health checks),
//!   `faults.rs` (kill, slow, heal, add, remove), `live.rs` (live settings, counters),
//!   `stats.rs`, `view.rs` → [`snapshot`] ([`Snapshot`]).
//! - [`supermarket`] (Mitzenmacher's formula), [`compare`] (every algorithm on one stream).
//!
//! Invariants: deterministic (one seed, forked into the request stream and the routing draws;
//! integer µs time; equal times in insertion order; no hash-map iteration), no panics on any
//! input, memory bounded whatever the run length (queues by `queue_limit`, charts and logs by
//! fixed sizes).

pub mod algorithm;
mod balancer;
pub mod compare;
pub mod config;
mod faults;
pub mod lab;
mod live;
mod loads;
mod min_tree;
mod server;
pub mod snapshot;
mod specs;
pub mod speeds;
mod stats;
pub mod stream;
pub mod supermarket;
mod view;
pub mod workload;
mod wrr;

pub use algorithm::Algorithm;
pub use balancer::PEAK_EWMA_TAU;
pub use compare::{CompareRow, Comparison, MAX_COMPARE_SECS};
pub use config::Config;
pub use lab::{LoadBalancingLab, EVENTS_KEPT, RECENT_KEPT};
pub use server::SLOW_FACTOR;
pub use snapshot::{BalancerView, LabEvent, Outcome, Routed, ServerView, Snapshot};
pub use specs::{MAX_BALANCERS, MAX_SERVERS, MAX_STATIC_REQUESTS};
pub use speeds::{format_speeds, parse_speeds, MAX_SPEED, MAX_SPEEDS, MIN_SPEED};
pub use stats::SAMPLE_INTERVAL;
pub use stream::STATIC_SPAN;
pub use supermarket::{supermarket_time_in_system, Supermarket};
pub use workload::{CostKind, Sessions};
