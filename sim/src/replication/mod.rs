//! Replication lag: one primary, 1..=5 replicas, client sessions reading and writing.
//!
//! Each write takes the next log position on the primary, is committed to the primary's own log
//! (`local_commit_ms`) and is shipped to every running replica: it arrives after a log-normal
//! delay (`lag_ms` ± `jitter_ms`, times the replica's slow factor), in order, and is applied at
//! the replica's `apply_rate`, so lag grows when writes come faster. The commit mode decides
//! when the write is acknowledged: after the local commit (`async`), also once `acks` replicas
//! received it (`semi_sync`, falling back to async after `semi_sync_timeout_ms` until a replica
//! catches up) or once `acks` replicas applied it (`sync`). Reads are routed by `routing` (with
//! `session_token` a read may wait up to `token_wait_ms` for its replica) and each answer is
//! checked against what held when the read was sent: stale (older than the newest committed
//! write), read-your-writes violated, monotonic reads violated. Faults: stop, restart or slow a
//! replica, fail the primary (the most up to date replica is promoted; acknowledged writes it
//! never received are lost).
//!
//! Codemap: [`config`] ([`Config`]) with `specs.rs`, [`commit`], [`routing`]; [`replica`],
//! [`session`]; [`lab`] ([`ReplicationLab`], the clock), `writes.rs`, `reads.rs`, [`faults`],
//! [`live`] (settings changed while running), `stats.rs`, [`snapshot`] ([`Topology`],
//! [`Snapshot`]), [`compare`] ([`Comparison`]).
//!
//! Invariants: deterministic (one seed forked per purpose; integer µs time), no panics on any
//! input, memory bounded (pending writes, waiting reads, events and series are capped).

pub mod commit;
pub mod compare;
pub mod config;
pub mod faults;
pub mod lab;
pub mod live;
mod reads;
pub mod replica;
pub mod routing;
pub mod session;
pub mod snapshot;
mod specs;
mod stats;
mod writes;

pub use commit::CommitMode;
pub use compare::{Comparison, MAX_COMPARE_SECS};
pub use config::Config;
pub use faults::{Failover, Incident, IncidentKind, MAX_SLOW_FACTOR};
pub use lab::{ReplicationLab, MAX_PENDING, MAX_WAITING, RECENT_EVENTS, SAMPLE_MS};
pub use live::{Applied, RESTART_KEYS};
pub use replica::{Replica, IN_FLIGHT_SHOWN};
pub use routing::Routing;
pub use session::{EventKind, Session, SessionEvent, TRACKED_SESSIONS};
pub use snapshot::{LatencyBin, ReplicaView, Snapshot, Topology, LATENCY_EDGES_MS};
pub use stats::SERIES_CAPACITY;
