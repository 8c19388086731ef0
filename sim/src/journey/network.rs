//! The three user regions and the network round trip between a user's region and the region that
//! serves them.
//!
//! The seeds (003, "Latency impact"): from a US-only deployment, US users see 50 ms, EU users
//! 150 ms and Asian users 250 ms; with a region per continent, all about 50 ms. REFERENCES.md
//! agrees in order of magnitude (light in fibre covers ~200 km per ms; New York–London ~70–75 ms
//! and New York–Tokyo ~160 ms of pure round trip, real paths add more). EU–Asia, which the seeds
//! do not give, is taken as 200 ms (between the two). A request pays one round trip; the CDN's
//! edge is nearer still, [`CDN_EDGE_MS`].

use serde::Serialize;

/// Round trip from a user to a CDN edge in their own region, ms (an assumption: edges sit in
/// most large cities, well within 1,000 km of a user).
pub const CDN_EDGE_MS: f64 = 20.0;

/// A region of users and of deployments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// North America (the home region: single-region deployments live here).
    Us,
    /// Europe.
    Eu,
    /// Asia.
    Asia,
}

impl Region {
    /// The three regions, in index order.
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::Asia];

    /// The region's index in per-region arrays (`us` 0, `eu` 1, `asia` 2).
    pub fn index(self) -> usize {
        match self {
            Region::Us => 0,
            Region::Eu => 1,
            Region::Asia => 2,
        }
    }

    /// Its name in `region_mix` and in metric names: `us`, `eu`, `asia`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Asia => "asia",
        }
    }

    /// The region called `name`, if any.
    pub fn parse(name: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// Round trips between regions, ms, indexed `[user][server]` (symmetric).
const RTT_MS: [[f64; 3]; 3] = [[50.0, 150.0, 250.0], [150.0, 50.0, 200.0], [250.0, 200.0, 50.0]];

/// The network round trip, ms, for a user in `user` served from `server`.
pub fn rtt_ms(user: Region, server: Region) -> f64 {
    RTT_MS[user.index()][server.index()]
}

/// The region nearest to `user` among those `alive` (indexed like [`Region::ALL`]); `None` when
/// none is.
pub fn nearest(user: Region, alive: [bool; 3]) -> Option<Region> {
    Region::ALL
        .into_iter()
        .filter(|r| alive[r.index()])
        .min_by(|a, b| rtt_ms(user, *a).total_cmp(&rtt_ms(user, *b)))
}

/// Asynchronous replication lag between two regions' databases, ms: half the round trip (one way)
/// plus the local apply lag.
pub fn cross_region_lag_ms(a: Region, b: Region, local_lag_ms: f64) -> f64 {
    if a == b {
        local_lag_ms
    } else {
        rtt_ms(a, b) / 2.0 + local_lag_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_round_trips_and_the_nearest_region() {
        let from_us: Vec<f64> = Region::ALL.iter().map(|u| rtt_ms(*u, Region::Us)).collect();
        assert_eq!(from_us, vec![50.0, 150.0, 250.0]);
        for r in Region::ALL {
            assert_eq!(rtt_ms(r, r), 50.0);
            assert_eq!(nearest(r, [true; 3]), Some(r));
            assert_eq!(Region::parse(r.as_str()), Some(r));
        }
        assert_eq!(nearest(Region::Us, [false, true, true]), Some(Region::Eu));
        assert_eq!(nearest(Region::Asia, [true, false, false]), Some(Region::Us));
        assert_eq!(nearest(Region::Eu, [false; 3]), None);
        assert_eq!(cross_region_lag_ms(Region::Us, Region::Asia, 10.0), 135.0);
    }
}
