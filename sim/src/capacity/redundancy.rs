//! Redundancy conventions: how many spare servers a fleet carries beyond what the load needs.

use serde::{Deserialize, Serialize};

/// How many servers are added so the fleet survives failures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Redundancy {
    /// No spare: one failure leaves the fleet short.
    None,
    /// N+1: one spare server, survives one failure.
    NPlus1,
    /// N+2: two spares, survives a failure while another server is down for maintenance.
    NPlus2,
    /// Double the fleet: a second zone or region of the same size (the seeds' choice).
    #[default]
    Double,
}

impl Redundancy {
    /// Every option, in the order the controls list them.
    pub const ALL: [Redundancy; 4] = [
        Redundancy::None,
        Redundancy::NPlus1,
        Redundancy::NPlus2,
        Redundancy::Double,
    ];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("none", "None"),
        ("n_plus_1", "N+1 (one spare)"),
        ("n_plus_2", "N+2 (two spares)"),
        ("double", "Double (second zone)"),
    ];

    /// The URL value, e.g. `"n_plus_1"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Redundancy::None => "none",
            Redundancy::NPlus1 => "n_plus_1",
            Redundancy::NPlus2 => "n_plus_2",
            Redundancy::Double => "double",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Redundancy> {
        Redundancy::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// The fleet after redundancy, from the `servers` the load needs (saturating, never panics).
    pub fn apply(self, servers: u64) -> u64 {
        match self {
            Redundancy::None => servers,
            Redundancy::NPlus1 => servers.saturating_add(1),
            Redundancy::NPlus2 => servers.saturating_add(2),
            Redundancy::Double => servers.saturating_mul(2),
        }
    }

    /// The formula with symbols, `N` being the fleet after headroom, e.g. `"2 × N"`.
    pub fn formula(self) -> &'static str {
        match self {
            Redundancy::None => "N",
            Redundancy::NPlus1 => "N + 1",
            Redundancy::NPlus2 => "N + 2",
            Redundancy::Double => "2 × N",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_apply() {
        for r in Redundancy::ALL {
            assert_eq!(Redundancy::parse(r.as_str()), Some(r));
            assert!(Redundancy::OPTIONS.iter().any(|(v, _)| *v == r.as_str()));
        }
        assert_eq!(Redundancy::parse("triple"), None);
        let fleets: Vec<u64> = Redundancy::ALL.iter().map(|r| r.apply(3)).collect();
        assert_eq!(fleets, vec![3, 4, 5, 6]);
        assert_eq!(Redundancy::Double.apply(u64::MAX), u64::MAX);
    }
}
