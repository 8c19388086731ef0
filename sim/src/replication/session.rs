//! Client sessions and the events a space-time diagram draws.

use serde::{Deserialize, Serialize};

/// What a session remembers to check its guarantees.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    /// Highest position of the session's acknowledged writes (0: none).
    pub last_write: u64,
    /// When its last write was acknowledged, in µs (`None`: never).
    pub last_write_at: Option<u64>,
    /// Highest position the session has read.
    pub last_read: u64,
    /// Id of the replica a `sticky` session reads from (`None`: not chosen yet).
    pub sticky: Option<u32>,
}

/// What happened in one session event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A write was acknowledged.
    Write,
    /// A read was answered.
    Read,
}

/// One session event for the space-time diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionEvent {
    /// When, in simulated seconds.
    pub t_s: f64,
    /// The session (0-based).
    pub session: u32,
    /// Write or read.
    pub kind: EventKind,
    /// The node that served it (its replica id; the primary's id for writes).
    pub node: u32,
    /// The log position written, or the position the node had applied when read.
    pub position: u64,
    /// The read was older than the newest committed write.
    pub stale: bool,
    /// The read missed the session's own acknowledged write.
    pub ryw_violation: bool,
    /// The read was older than an earlier read of the session.
    pub monotonic_violation: bool,
}
