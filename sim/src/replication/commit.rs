//! Commit modes: when the primary acknowledges a write.

use serde::{Deserialize, Serialize};

/// When the primary acknowledges a write to its client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitMode {
    /// At once, without waiting for any replica (replicas apply the stream after their lag).
    #[default]
    Async,
    /// After `acks` replicas have *received* the write (MySQL semi-sync); after the timeout the
    /// primary falls back to async until a replica catches up.
    SemiSync,
    /// After `acks` replicas have *applied* the write (PostgreSQL `remote_apply`).
    Sync,
}

impl CommitMode {
    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("async", "Asynchronous"),
        ("semi_sync", "Semi-synchronous (received)"),
        ("sync", "Synchronous (applied)"),
    ];

    /// The URL value, e.g. `"semi_sync"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CommitMode::Async => "async",
            CommitMode::SemiSync => "semi_sync",
            CommitMode::Sync => "sync",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "async" => Some(CommitMode::Async),
            "semi_sync" => Some(CommitMode::SemiSync),
            "sync" => Some(CommitMode::Sync),
            _ => None,
        }
    }
}
