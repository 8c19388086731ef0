//! The placement strategies the lab compares.

use serde::{Deserialize, Serialize};

/// How a key's node is chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// `hash(key) % N` over the node list: simple, but a change of N moves almost every key.
    Modulo,
    /// Consistent hashing with virtual nodes: the first point clockwise at or after the key.
    #[default]
    Ring,
    /// Jump consistent hash (Lamping & Veach, 2014): buckets `0..N`, only the last can be removed.
    Jump,
    /// Rendezvous / highest random weight: the node with the highest score for the key.
    Rendezvous,
    /// The ring with bounded loads: a key whose node is full walks clockwise to a non-full node.
    Bounded,
}

impl Strategy {
    /// Every strategy, in the order the controls list them.
    pub const ALL: [Strategy; 5] = [
        Strategy::Modulo,
        Strategy::Ring,
        Strategy::Jump,
        Strategy::Rendezvous,
        Strategy::Bounded,
    ];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("modulo", "Modulo (hash % N)"),
        ("ring", "Consistent hash ring"),
        ("jump", "Jump hash"),
        ("rendezvous", "Rendezvous (HRW)"),
        ("bounded", "Ring with bounded loads"),
    ];

    /// The URL value, e.g. `"ring"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Modulo => "modulo",
            Strategy::Ring => "ring",
            Strategy::Jump => "jump",
            Strategy::Rendezvous => "rendezvous",
            Strategy::Bounded => "bounded",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether keys are placed with a ring of virtual points (so `vnodes` matters).
    pub fn uses_ring(self) -> bool {
        matches!(self, Strategy::Ring | Strategy::Bounded)
    }

    /// Whether node weights change placement (ring, bounded, rendezvous; not modulo or jump).
    pub fn uses_weights(self) -> bool {
        matches!(self, Strategy::Ring | Strategy::Bounded | Strategy::Rendezvous)
    }

    /// Whether only the last node of the list can be removed (jump hash).
    pub fn removes_last_only(self) -> bool {
        matches!(self, Strategy::Jump)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(Strategy::parse(s.as_str()), Some(s));
            assert!(Strategy::OPTIONS.iter().any(|(v, _)| *v == s.as_str()));
        }
        assert_eq!(Strategy::parse("<script>"), None);
    }
}
