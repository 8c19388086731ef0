//! Read routing: which node answers a session's read.

use serde::{Deserialize, Serialize};

/// Which node answers a session's read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Routing {
    /// A random running replica (the primary when none runs).
    #[default]
    Replica,
    /// Always the primary.
    Primary,
    /// The primary for `window_ms` after the session's last acknowledged write, else a replica.
    PrimaryAfterWrite,
    /// The same replica for the whole session (another running one if it stopped).
    Sticky,
    /// A random replica once it has applied the session's token (the position of the session's
    /// last write): at once if it has, otherwise the read waits for it up to `token_wait_ms` and
    /// then goes to the primary.
    SessionToken,
}

impl Routing {
    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("replica", "Any replica"),
        ("primary", "Primary only"),
        ("primary_after_write", "Primary after a write"),
        ("sticky", "Sticky replica per session"),
        ("session_token", "Session token"),
    ];

    /// The URL value, e.g. `"session_token"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Routing::Replica => "replica",
            Routing::Primary => "primary",
            Routing::PrimaryAfterWrite => "primary_after_write",
            Routing::Sticky => "sticky",
            Routing::SessionToken => "session_token",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "replica" => Some(Routing::Replica),
            "primary" => Some(Routing::Primary),
            "primary_after_write" => Some(Routing::PrimaryAfterWrite),
            "sticky" => Some(Routing::Sticky),
            "session_token" => Some(Routing::SessionToken),
            _ => None,
        }
    }
}
