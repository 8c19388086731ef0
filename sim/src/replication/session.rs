//! Client sessions, the reads they send, and the events a space-time diagram draws.

use serde::{Deserialize, Serialize};

use crate::engine::SimTime;

/// Sessions whose events are kept for the space-time diagram (sessions `0..TRACKED_SESSIONS`).
pub const TRACKED_SESSIONS: u32 = 4;

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

impl Session {
    /// The session token: the position of its last acknowledged write. A replica that has
    /// applied it shows the session its own writes (it does not promise monotonic reads: two
    /// replicas past the token can still differ).
    pub fn token(&self) -> u64 {
        self.last_write
    }
}

/// A read between the moment it is sent and the moment a node answers it (it may wait for a
/// session token). Its checks compare the answer with what held when it was sent.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ReadRequest {
    pub session: u32,
    /// When the client sent it, in µs.
    pub issued: SimTime,
    /// The session's last acknowledged write when sent (read-your-writes floor).
    pub own_write: u64,
    /// The session's highest read position when sent (monotonic-reads floor).
    pub seen: u64,
    /// The newest committed position when sent (staleness floor).
    pub committed: u64,
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
    /// When it completed (write acknowledged, read answered), in simulated seconds.
    pub t_s: f64,
    /// The session (0-based).
    pub session: u32,
    /// Write or read.
    pub kind: EventKind,
    /// The node that served it (its replica id; the primary's id for writes).
    pub node: u32,
    /// Whether `node` was the primary at the time.
    pub by_primary: bool,
    /// The log position written, or the position the node had applied when read.
    pub position: u64,
    /// Reads: the session's own last acknowledged write when the read was sent (0: none).
    pub own_write: u64,
    /// Reads: the highest position the session had read when the read was sent.
    pub seen: u64,
    /// Time from sending to completion, in ms (a write's acknowledgement, a read's answer
    /// including any wait for a session token).
    pub latency_ms: f64,
    /// Reads: it waited for a replica to reach the session token. Writes: the acknowledgement
    /// waited for replica confirmations (semi-sync, sync).
    pub waited: bool,
    /// The read was older than the newest committed write.
    pub stale: bool,
    /// The read missed the session's own acknowledged write.
    pub ryw_violation: bool,
    /// The read was older than an earlier read of the session.
    pub monotonic_violation: bool,
}
