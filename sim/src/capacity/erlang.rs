//! Erlang B and Erlang C, computed stably for large fleets.
//!
//! No factorials or powers: the Erlang B recurrence `B(0) = 1`,
//! `B(k) = A·B(k−1) / (k + A·B(k−1))` stays in `[0, 1]` at every step, so it neither overflows
//! nor loses precision for thousands of servers. Erlang C follows from B:
//! `C = c·B / (c − A·(1 − B))` for `A < c`.

use super::specs::MAX_QUEUE_SERVERS;

/// The Erlang B blocking probability for `servers` servers and `offered_load` erlangs
/// (`A = λ / μ`). `None` when the load is negative, NaN or infinite, or for more than
/// [`MAX_QUEUE_SERVERS`] servers. Zero servers block everything (1).
pub fn erlang_b(servers: u32, offered_load: f64) -> Option<f64> {
    if !offered_load.is_finite() || offered_load < 0.0 || servers > MAX_QUEUE_SERVERS {
        return None;
    }
    let mut blocking = 1.0;
    for k in 1..=servers {
        let carried = offered_load * blocking;
        blocking = carried / (f64::from(k) + carried);
    }
    Some(blocking)
}

/// Converts Erlang B to Erlang C: `c·B / (c − A·(1 − B))`. Requires `0 <= A < c`.
pub(super) fn c_from_b(servers: u32, offered_load: f64, blocking: f64) -> f64 {
    let c = f64::from(servers);
    c * blocking / (c - offered_load * (1.0 - blocking))
}

/// The Erlang C probability that an arriving request has to wait (M/M/c), for `servers` servers
/// and `offered_load` erlangs. `None` unless `0 <= A < c` (at `A >= c` the queue is unstable) and
/// `1 <= c <=` [`MAX_QUEUE_SERVERS`].
pub fn erlang_c(servers: u32, offered_load: f64) -> Option<f64> {
    if servers == 0 || offered_load >= f64::from(servers) {
        return None;
    }
    let blocking = erlang_b(servers, offered_load)?;
    Some(c_from_b(servers, offered_load, blocking))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases_by_hand() {
        // M/M/1: P_w = ρ.
        assert!((erlang_c(1, 0.8).unwrap() - 0.8).abs() < 1e-15);
        // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2.
        assert!((erlang_b(2, 1.0).unwrap() - 0.2).abs() < 1e-15);
        assert_eq!(erlang_c(3, 0.0), Some(0.0));
        assert_eq!(erlang_b(0, 5.0), Some(1.0));
        for bad in [
            erlang_c(0, 0.5),
            erlang_c(3, 3.0),
            erlang_c(3, f64::NAN),
            erlang_c(3, -1.0),
        ] {
            assert_eq!(bad, None);
        }
        assert_eq!(erlang_b(MAX_QUEUE_SERVERS + 1, 1.0), None);
    }
}
