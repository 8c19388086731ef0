//! Erlang B and Erlang C, computed stably for fleets of any size the lab models.
//!
//! No factorials or powers. Up to [`RECURRENCE_MAX_SERVERS`] servers, the Erlang B recurrence
//! `B(0) = 1`, `B(k) = A·B(k−1) / (k + A·B(k−1))` stays in `[0, 1]` at every step, so it neither
//! overflows nor loses precision, and costs `O(c)`.
//!
//! Above that (a fleet of servers each holding thousands of requests is 10^5 or more slots) the
//! same value comes from the Poisson distribution: with `X ~ Poisson(A)`,
//! `B(c, A) = P(X = c) / P(X <= c)`. `P(X = c)` is computed in log space with Loader's saddle-point
//! form (`ln P = −stirlerr(c) − bd0(c, A) − ½·ln(2πc)`, no cancellation between huge terms), and
//! `P(X <= c)` as `1 − P(X = c)·T` with `T = P(X > c) / P(X = c) = Σ_{m>=1} Π_{i=1..m} A/(c+i)`, a
//! series whose terms only shrink (each ratio is below `A/c`). For `A >= c` the complementary sum
//! `P(X <= c) / P(X = c) = Σ_{j>=0} Π_{i<j} (c−i)/A` (again shrinking terms) is used instead. Both
//! stop once a term no longer changes the sum, after `O(min(1/(1 − ρ), √c))` terms.
//!
//! Erlang C follows from B: `C = c·B / (c − A·(1 − B))` for `A < c`.

use super::specs::MAX_QUEUE_SLOTS;

/// Fleets up to this many servers use the exact recurrence; larger ones the Poisson form.
pub const RECURRENCE_MAX_SERVERS: u32 = 2_000;
/// Safety bound on the terms of the Poisson-form series (never reached within
/// [`MAX_QUEUE_SLOTS`]: about `√(80·c)` terms suffice at any load).
const MAX_SERIES_TERMS: u32 = 2_000_000;

/// The Erlang B blocking probability for `servers` servers and `offered_load` erlangs
/// (`A = λ / μ`). `None` when the load is negative, NaN or infinite, or for more than
/// [`MAX_QUEUE_SLOTS`] servers. Zero servers block everything (1).
pub fn erlang_b(servers: u32, offered_load: f64) -> Option<f64> {
    if !offered_load.is_finite() || offered_load < 0.0 || servers > MAX_QUEUE_SLOTS {
        return None;
    }
    if servers <= RECURRENCE_MAX_SERVERS || offered_load == 0.0 {
        return Some(erlang_b_recurrence(servers, offered_load));
    }
    Some(erlang_b_poisson(servers, offered_load))
}

/// The recurrence, `O(servers)`.
fn erlang_b_recurrence(servers: u32, offered_load: f64) -> f64 {
    let mut blocking = 1.0;
    for k in 1..=servers {
        let carried = offered_load * blocking;
        blocking = carried / (f64::from(k) + carried);
    }
    blocking
}

/// `P(X = c) / P(X <= c)` for `X ~ Poisson(A)`, `c >= 1`, `A > 0` (see the module docs).
fn erlang_b_poisson(servers: u32, offered_load: f64) -> f64 {
    let c = f64::from(servers);
    let a = offered_load;
    if a >= c {
        // 1/B = Σ_{j>=0} Π_{i<j} (c − i)/A, every ratio at most 1.
        let (mut term, mut sum) = (1.0_f64, 1.0_f64);
        for i in 0..servers.min(MAX_SERIES_TERMS) {
            term *= (c - f64::from(i)) / a;
            let next = sum + term;
            if next == sum {
                break;
            }
            sum = next;
        }
        return 1.0 / sum;
    }
    let p = libm::exp(poisson_log_pmf(servers, a));
    // T = Σ_{m>=1} Π_{i=1..m} A/(c + i), every ratio below A/c < 1.
    let (mut term, mut tail) = (1.0_f64, 0.0_f64);
    for i in 1..=MAX_SERIES_TERMS {
        term *= a / (c + f64::from(i));
        let next = tail + term;
        if next == tail {
            break;
        }
        tail = next;
    }
    let at_most_c = (1.0 - p * tail).clamp(f64::MIN_POSITIVE, 1.0);
    (p / at_most_c).clamp(0.0, 1.0)
}

/// `ln P(X = k)` for `X ~ Poisson(λ)`, `k >= 16`, `λ > 0` (Loader 2000, "Fast and accurate
/// computation of binomial probabilities").
fn poisson_log_pmf(k: u32, lambda: f64) -> f64 {
    let x = f64::from(k);
    -stirling_error(x) - deviance_term(x, lambda) - 0.5 * libm::log(2.0 * core::f64::consts::PI * x)
}

/// `ln(n!) − (½·ln(2πn) + n·ln n − n)`, the error of Stirling's formula, for `n >= 16`.
fn stirling_error(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// `x·ln(x/m) + m − x`, computed without cancellation when `x` is close to `m`.
fn deviance_term(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let v = (x - m) / (x + m);
        let mut s = (x - m) * v;
        let mut ej = 2.0 * x * v;
        let v2 = v * v;
        for j in 1..1_000 {
            ej *= v2;
            let next = s + ej / f64::from(2 * j + 1);
            if next == s {
                break;
            }
            s = next;
        }
        s
    } else {
        x * libm::log(x / m) + m - x
    }
}

/// Converts Erlang B to Erlang C: `c·B / (c − A·(1 − B))`. Requires `0 <= A < c`.
pub(super) fn c_from_b(servers: u32, offered_load: f64, blocking: f64) -> f64 {
    let c = f64::from(servers);
    c * blocking / (c - offered_load * (1.0 - blocking))
}

/// The Erlang C probability that an arriving request has to wait (M/M/c), for `servers` servers
/// and `offered_load` erlangs. `None` unless `0 <= A < c` (at `A >= c` the queue is unstable) and
/// `1 <= c <=` [`MAX_QUEUE_SLOTS`].
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
        assert_eq!(erlang_b(MAX_QUEUE_SLOTS + 1, 1.0), None);
    }

    #[test]
    fn poisson_form_agrees_with_the_recurrence() {
        for c in [20_u32, 100, 1_000, 2_000, 20_000] {
            for rho in [0.01, 0.3, 0.7, 0.95, 0.999, 1.0, 1.3, 3.0] {
                let a = rho * f64::from(c);
                let exact = erlang_b_recurrence(c, a);
                let fast = erlang_b_poisson(c, a);
                let tolerance = 1e-10 * exact + 1e-300;
                assert!((exact - fast).abs() <= tolerance, "B({c}, {a}): {exact} vs {fast}");
            }
        }
    }
}
