//! The balancing algorithms the lab offers: how a balancer picks a server for a request.

use serde::{Deserialize, Serialize};

/// How a balancer picks a server among those it routes to (members marked up by the health
/// checker).
///
/// | algorithm | picks | cost per pick |
/// |---|---|---|
/// | `round_robin` | the next server in membership order | O(1), plus one step per server marked down skipped |
/// | `weighted_round_robin` | nginx's smooth weighted round robin, weights = the servers' speeds | O(distinct speeds + log servers) (nginx's own loop is O(servers); same picks) |
/// | `random` | a uniformly random server | O(1) |
/// | `least_connections` | the fewest requests in progress as the balancer sees them, ties at random | O(log servers) |
/// | `ip_hash` | `hash(client) % N` over the membership list (XXH3 of `key-<client>`, the hash ring's key hash), the next one in order if marked down | O(1), plus one step per server marked down skipped |
/// | `power_of_two` | the less loaded (as seen) of two distinct random servers, ties at random | O(1) |
/// | `peak_ewma` | the lower `(in flight seen + 1) × latency average` of two distinct random servers | O(1) |
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// In turn, in membership order.
    #[default]
    RoundRobin,
    /// nginx's smooth weighted round robin: each pick adds every server's weight to its current
    /// score, picks the highest (the first in membership order on a tie) and subtracts the total
    /// weight from it. Weights are the servers' configured speeds.
    WeightedRoundRobin,
    /// Uniformly at random.
    Random,
    /// The fewest requests in progress (queued or in service) as the balancer sees them; ties at
    /// random.
    LeastConnections,
    /// `hash(client) % N` over the membership list (the next one in order if that one is marked
    /// down): a client sticks to a server while the membership is unchanged.
    IpHash,
    /// The less loaded (as seen) of two distinct random servers; ties at random.
    PowerOfTwo,
    /// Finagle / Linkerd's peak EWMA: the lower `(in flight seen + 1) × latency average` of two
    /// distinct random servers; the average jumps up at once to a slower response and otherwise
    /// decays with a time constant of 10 s.
    PeakEwma,
}

impl Algorithm {
    /// Every algorithm, in the order the controls list them.
    pub const ALL: [Algorithm; 7] = [
        Algorithm::RoundRobin,
        Algorithm::WeightedRoundRobin,
        Algorithm::Random,
        Algorithm::LeastConnections,
        Algorithm::IpHash,
        Algorithm::PowerOfTwo,
        Algorithm::PeakEwma,
    ];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("round_robin", "Round robin"),
        ("weighted_round_robin", "Weighted round robin"),
        ("random", "Random"),
        ("least_connections", "Least connections"),
        ("ip_hash", "IP hash"),
        ("power_of_two", "Power of two choices"),
        ("peak_ewma", "Peak EWMA"),
    ];

    /// The URL value, e.g. `"power_of_two"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "round_robin",
            Algorithm::WeightedRoundRobin => "weighted_round_robin",
            Algorithm::Random => "random",
            Algorithm::LeastConnections => "least_connections",
            Algorithm::IpHash => "ip_hash",
            Algorithm::PowerOfTwo => "power_of_two",
            Algorithm::PeakEwma => "peak_ewma",
        }
    }

    /// The human label, e.g. `"Power of two choices"`.
    pub fn label(self) -> &'static str {
        Self::OPTIONS
            .iter()
            .find(|(value, _)| *value == self.as_str())
            .map_or("", |(_, label)| label)
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.as_str() == value)
    }

    /// Whether the algorithm reads the balancer's view of the servers' load.
    pub fn uses_load(self) -> bool {
        matches!(
            self,
            Algorithm::LeastConnections | Algorithm::PowerOfTwo | Algorithm::PeakEwma
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_match_the_options() {
        assert_eq!(Algorithm::ALL.len(), Algorithm::OPTIONS.len());
        for (a, (value, label)) in Algorithm::ALL.into_iter().zip(Algorithm::OPTIONS) {
            assert_eq!(a.as_str(), *value);
            assert_eq!(a.label(), *label);
            assert_eq!(Algorithm::parse(value), Some(a));
        }
        assert_eq!(Algorithm::parse("RoundRobin"), None);
    }
}
