//! Fleet sizing: peak traffic, Little's law, servers for the load, headroom.
//!
//! The seeds' rule: `servers = peak requests/s × latency (s) / concurrent requests per server`,
//! rounded up, then headroom, then redundancy ([`Redundancy::apply`](super::Redundancy::apply)).

/// Seconds in a day, for turning daily users into a rate.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// Relative distance from a whole number below which a value counts as that whole number when
/// rounding up, so floating-point noise (`10 × 1.1 = 11.000000000000002`) never adds a server.
const WHOLE_TOLERANCE: f64 = 1e-9;

/// Peak requests per second from daily active users:
/// `dau × requests_per_user / 86,400 × peak_factor`.
pub fn peak_rps_from_users(dau: f64, requests_per_user: f64, peak_factor: f64) -> f64 {
    dau * requests_per_user / SECONDS_PER_DAY * peak_factor
}

/// Little's law, `L = λ × W`: requests in flight for an arrival rate (per second) and a time in
/// system (milliseconds).
pub fn concurrent_requests(rate_per_s: f64, latency_ms: f64) -> f64 {
    rate_per_s * latency_ms / 1_000.0
}

/// Rounds a non-negative `value` up to a whole number, treating values within one part in 10^9 of
/// a whole number as that number; any positive value gives at least 1. NaN, zero and negative
/// values give 0; huge values saturate.
pub fn ceil_whole(value: f64) -> u64 {
    if value.is_nan() || value <= 0.0 {
        return 0;
    }
    let nearest = libm::round(value);
    let rounded = if (value - nearest).abs() <= WHOLE_TOLERANCE * nearest.max(1.0) {
        nearest
    } else {
        libm::ceil(value)
    };
    // `as` saturates at u64::MAX.
    rounded.max(1.0) as u64
}

/// Servers needed to hold `concurrent` requests when each holds `per_server`: `⌈L / C⌉`.
/// `per_server` must be positive (0 gives 0 servers rather than a division by zero).
pub fn servers_for_load(concurrent: f64, per_server: f64) -> u64 {
    if per_server > 0.0 {
        ceil_whole(concurrent / per_server)
    } else {
        0
    }
}

/// The fleet with headroom: `⌈servers × (1 + headroom_pct / 100)⌉`.
pub fn with_headroom(servers: u64, headroom_pct: f64) -> u64 {
    ceil_whole(servers as f64 * (1.0 + headroom_pct / 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_up_ignores_float_noise() {
        assert_eq!(ceil_whole(11.000_000_000_000_002), 11);
        assert_eq!(ceil_whole(2.000_001), 3);
        assert_eq!(ceil_whole(0.1), 1);
        assert_eq!(ceil_whole(1e-14), 1);
        assert_eq!(ceil_whole(0.0), 0);
        assert_eq!(ceil_whole(f64::NAN), 0);
        assert_eq!(ceil_whole(1e300), u64::MAX);
        assert_eq!(with_headroom(10, 10.0), 11);
        assert_eq!(servers_for_load(5.0, 0.0), 0);
    }
}
