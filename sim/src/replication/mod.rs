//! Replication lag: one primary, 1..=5 replicas, client sessions reading and writing.
//!
//! Each write takes the next log position on the primary and is shipped to every running replica:
//! it arrives after a log-normal delay (`lag_ms` ± `jitter_ms`, times the replica's slow factor),
//! in order, and is applied at the replica's `apply_rate`, so lag grows when writes come faster.
//! The commit mode decides when the write is acknowledged: at once (`async`), once `acks` replicas
//! received it (`semi_sync`, falling back to async after `semi_sync_timeout_ms` until a replica
//! catches up) or once `acks` replicas applied it (`sync`). Reads are routed by `routing` and each
//! one is checked: stale (older than the newest committed write), read-your-writes violated,
//! monotonic reads violated. Faults: stop or slow the last replica, fail the primary (the most up
//! to date replica is promoted; acknowledged writes it never received are lost).
//!
//! Codemap: [`config`] ([`Config`]) with `specs.rs`, [`commit`], [`routing`]; [`replica`],
//! [`session`]; [`lab`] ([`ReplicationLab`], the clock and events), [`faults`], `stats.rs`,
//! [`snapshot`] ([`Snapshot`]).
//!
//! Invariants: deterministic (one seed forked per purpose; integer µs time), no panics on any
//! input, memory bounded (pending writes, events and series are capped).

pub mod commit;
pub mod config;
pub mod faults;
pub mod lab;
pub mod replica;
pub mod routing;
pub mod session;
pub mod snapshot;
mod specs;
mod stats;

pub use commit::CommitMode;
pub use config::Config;
pub use faults::{Failover, MAX_SLOW_FACTOR};
pub use lab::{ReplicationLab, MAX_PENDING, RECENT_EVENTS, SAMPLE_MS};
pub use replica::Replica;
pub use routing::Routing;
pub use session::{EventKind, Session, SessionEvent};
pub use snapshot::{ReplicaView, Snapshot};
pub use stats::SERIES_CAPACITY;
