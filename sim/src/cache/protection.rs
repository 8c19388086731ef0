//! Cures for the cache stampede (many concurrent misses on one hot key).

use serde::{Deserialize, Serialize};

/// What happens when many requests miss the same key at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// Every miss queries the database on its own: N concurrent misses, N database reads.
    #[default]
    None,
    /// One loader per key (a lock, or "single flight"): the first miss loads, later misses on the
    /// same key wait for that load and share its result.
    Lock,
    /// Probabilistic early expiration (XFetch, Vattani et al. 2015): a hit recomputes the value
    /// early when `now - delta * beta * ln(rand()) >= expiry`, `delta` being the last recompute
    /// time. Early recomputes spread out, so the entry rarely really expires under load.
    Xfetch,
}

impl Protection {
    /// Every protection, in the order the controls list them.
    pub const ALL: [Protection; 3] = [Protection::None, Protection::Lock, Protection::Xfetch];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("none", "None"),
        ("lock", "Lock (one loader per key)"),
        ("xfetch", "XFetch (probabilistic early expiration)"),
    ];

    /// The URL value, e.g. `"lock"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protection::None => "none",
            Protection::Lock => "lock",
            Protection::Xfetch => "xfetch",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        Self::OPTIONS
            .iter()
            .find(|(value, _)| *value == self.as_str())
            .map_or("", |(_, label)| label)
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Protection> {
        Protection::ALL.into_iter().find(|p| p.as_str() == value)
    }
}
