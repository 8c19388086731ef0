//! The sharding strategies the lab compares.

use serde::{Deserialize, Serialize};

/// How a key's shard is chosen.
///
/// | strategy | placement | adding a shard moves |
/// |---|---|---|
/// | `hash` | `hash(key) % N` (with `logical_shards` L > 0: `hash(key) % L` → a table of logical shards) | N/(N+1) of the keys (L > 0: whole logical shards, about 1/(N+1)) |
/// | `range` | N equal-width key ranges, the last one open (with L > 0: L ranges moved whole) | half of the biggest range (L > 0: whole ranges, about 1/(N+1)) |
/// | `geo` | the key's region picks a group of shards (shard `i` serves region `i mod R`), jump hash within it | about 1/(g+1) of one region's keys |
/// | `directory` | `hash(key) % E` → a lookup table of E entries (`logical_shards`, 1,024 when 0), each operation pays a lookup | the entries that carry the new shard's share of the observed load |
/// | `consistent` | the hash ring with `vnodes` virtual nodes per shard | about 1/(N+1) |
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// `hash(key) % N`: even, but a change of N moves almost every key.
    #[default]
    Hash,
    /// Contiguous key ranges: cheap range scans, hot spots for monotonic keys.
    Range,
    /// A shard (group) per region: data close to its users, load as uneven as the regions.
    Geo,
    /// A lookup table: any mapping, at the price of a lookup per operation.
    Directory,
    /// Consistent hashing with virtual nodes.
    Consistent,
}

impl Strategy {
    /// Every strategy, in the order the controls list them.
    pub const ALL: [Strategy; 5] = [
        Strategy::Hash,
        Strategy::Range,
        Strategy::Geo,
        Strategy::Directory,
        Strategy::Consistent,
    ];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("hash", "Hash (hash % N)"),
        ("range", "Range"),
        ("geo", "Geographic"),
        ("directory", "Directory (lookup table)"),
        ("consistent", "Consistent hashing"),
    ];

    /// The URL value, e.g. `"hash"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Hash => "hash",
            Strategy::Range => "range",
            Strategy::Geo => "geo",
            Strategy::Directory => "directory",
            Strategy::Consistent => "consistent",
        }
    }

    /// The human label, e.g. `"Hash (hash % N)"`.
    pub fn label(self) -> &'static str {
        Self::OPTIONS
            .iter()
            .find(|(v, _)| *v == self.as_str())
            .map_or("", |(_, label)| label)
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Strategy> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether `logical_shards` changes placement (hash and range use it as logical shards,
    /// directory as its number of entries; geo and consistent ignore it).
    pub fn uses_logical(self) -> bool {
        matches!(self, Strategy::Hash | Strategy::Range | Strategy::Directory)
    }

    /// Whether `vnodes` changes placement (consistent only).
    pub fn uses_vnodes(self) -> bool {
        self == Strategy::Consistent
    }

    /// Whether keys sit in contiguous ranges (so a range scan touches few shards).
    pub fn is_ordered(self) -> bool {
        self == Strategy::Range
    }

    /// Whether `split_hot_range` applies (range: split the hottest range; directory: move the
    /// hottest entry).
    pub fn splits(self) -> bool {
        matches!(self, Strategy::Range | Strategy::Directory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(Strategy::parse(s.as_str()), Some(s));
            assert!(!s.label().is_empty());
        }
        assert_eq!(Strategy::parse("<script>"), None);
    }
}
