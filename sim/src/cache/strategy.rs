//! The caching strategies the lab compares: who reads and writes the database, and when.

use serde::{Deserialize, Serialize};

/// How the application, the cache and the database cooperate on reads and writes.
///
/// | strategy | read miss | write |
/// |---|---|---|
/// | cache-aside | the app reads the database and fills the cache | the app writes the database, then deletes the cache entry |
/// | read-through | the cache loads from the database, stores and returns | as cache-aside |
/// | write-through | as read-through | done once the database and the cache both have it |
/// | write-behind | as read-through | done once the cache has it; database writes are queued, coalesced per key and flushed every `flush_ms` |
/// | refresh-ahead | as read-through; a hit in the last `refresh_window` of the TTL also reloads in the background | as cache-aside |
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The application talks to both: miss → database read → fill; write → database, then invalidate.
    #[default]
    CacheAside,
    /// The cache loads missing entries itself; writes as cache-aside.
    ReadThrough,
    /// Writes go to the cache and the database before they are acknowledged.
    WriteThrough,
    /// Writes are acknowledged once cached; the database gets them later, coalesced per key.
    WriteBehind,
    /// Read-through that reloads an entry in the background when it is read close to its expiry.
    RefreshAhead,
}

/// Which component sends a query to the database (for the flow diagram).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// The application (client code).
    App,
    /// The cache layer.
    Cache,
}

impl Strategy {
    /// Every strategy, in the order the controls list them.
    pub const ALL: [Strategy; 5] = [
        Strategy::CacheAside,
        Strategy::ReadThrough,
        Strategy::WriteThrough,
        Strategy::WriteBehind,
        Strategy::RefreshAhead,
    ];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("cache_aside", "Cache-aside"),
        ("read_through", "Read-through"),
        ("write_through", "Write-through"),
        ("write_behind", "Write-behind (write-back)"),
        ("refresh_ahead", "Refresh-ahead"),
    ];

    /// The URL value, e.g. `"cache_aside"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::CacheAside => "cache_aside",
            Strategy::ReadThrough => "read_through",
            Strategy::WriteThrough => "write_through",
            Strategy::WriteBehind => "write_behind",
            Strategy::RefreshAhead => "refresh_ahead",
        }
    }

    /// The human label, e.g. `"Cache-aside"`.
    pub fn label(self) -> &'static str {
        Self::OPTIONS
            .iter()
            .find(|(value, _)| *value == self.as_str())
            .map_or("", |(_, label)| label)
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Who queries the database on a read miss: the app for cache-aside, the cache otherwise.
    pub fn reads_loaded_by(self) -> Component {
        match self {
            Strategy::CacheAside => Component::App,
            _ => Component::Cache,
        }
    }

    /// Who sends writes to the database: the cache for write-through and write-behind, the app
    /// otherwise.
    pub fn writes_sent_by(self) -> Component {
        match self {
            Strategy::WriteThrough | Strategy::WriteBehind => Component::Cache,
            _ => Component::App,
        }
    }

    /// Whether a write invalidates the cache entry (after the database has it) rather than
    /// updating it.
    pub fn invalidates_on_write(self) -> bool {
        matches!(
            self,
            Strategy::CacheAside | Strategy::ReadThrough | Strategy::RefreshAhead
        )
    }
}
