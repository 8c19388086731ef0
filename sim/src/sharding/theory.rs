//! The closed forms the lab's numbers are checked against (REFERENCES.md, "Sharding").
//!
//! - Adding one shard to N: `hash % N` moves `N / (N + 1)` of the keys (a key stays only when
//!   `h mod N = h mod (N+1)`); consistent hashing, jump hash and logical shards move about
//!   `1 / (N + 1)`.
//! - A range scan of R ids over ranges of width W touches about `R / W + 1` ranges.
//! - Scatter-gather: with independent shard latencies of distribution F, the slowest of N is below
//!   t with probability `F(t)^N`, so the query's q-quantile is F's `q^(1/N)` quantile.

use crate::engine::LogNormal;
use crate::ConfigError;

/// Share of keys `hash % n` moves when one shard is added: `n / (n + 1)`.
pub fn modulo_moved_share(n: u32) -> f64 {
    f64::from(n) / (f64::from(n) + 1.0)
}

/// Share of keys a consistent placement moves when one shard is added to `n`: `1 / (n + 1)`.
pub fn consistent_moved_share(n: u32) -> f64 {
    1.0 / (f64::from(n) + 1.0)
}

/// Ranges a scan of `scan` ids touches over ranges `width` ids wide, on average: `scan / width + 1`.
pub fn ranges_touched(scan: f64, width: f64) -> f64 {
    scan / width.max(f64::MIN_POSITIVE) + 1.0
}

/// The per-shard quantile behind a scatter-gather quantile `q` over `n` shards: `q^(1/n)`.
pub fn per_shard_quantile(q: f64, n: u32) -> f64 {
    libm::pow(q, 1.0 / f64::from(n.max(1)))
}

/// The standard normal quantile Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation refined
/// by one Halley step on `erfc` (about 1e-15 relative error). `None` outside (0, 1).
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < LOW {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail(libm::sqrt(-2.0 * libm::log1p(-p)))
    };
    // One Halley step: e = Φ(x) − p.
    let e = 0.5 * libm::erfc(-x / core::f64::consts::SQRT_2) - p;
    let u = e * libm::sqrt(2.0 * core::f64::consts::PI) * libm::exp(x * x / 2.0);
    Some(x - u / (1.0 + x * u / 2.0))
}

/// The q-quantile of a log-normal of mean `mean` and standard deviation `sd`:
/// `exp(mu + sigma Φ⁻¹(q))`.
pub fn lognormal_quantile(mean: f64, sd: f64, q: f64) -> Result<f64, ConfigError> {
    let d = LogNormal::from_mean_sd(mean, sd)?;
    let z = normal_quantile(q).ok_or_else(|| ConfigError::new("q", "must be between 0 and 1"))?;
    Ok(libm::exp(d.mu() + d.sigma() * z))
}

/// The q-quantile of the slowest of `n` independent log-normal shard latencies (mean `mean`,
/// standard deviation `sd`): the per-shard `q^(1/n)` quantile.
pub fn scatter_gather_quantile(mean: f64, sd: f64, q: f64, n: u32) -> Result<f64, ConfigError> {
    lognormal_quantile(mean, sd, per_shard_quantile(q, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.99, 2.326_347_874_040_841),
            (0.999, 3.090_232_306_167_813),
            (1e-10, -6.361_340_902_404_056),
        ] {
            let got = normal_quantile(p).unwrap();
            assert!((got - z).abs() < 1e-9, "{p}: {got}");
        }
        assert_eq!(normal_quantile(0.0), None);
        assert_eq!(normal_quantile(f64::NAN), None);
    }

    #[test]
    fn references() {
        assert!((modulo_moved_share(3) - 0.75).abs() < 1e-12);
        assert!((modulo_moved_share(10) - 0.909_090_909).abs() < 1e-6);
        // N = 10: the whole query's p99 is one shard's 99.9th percentile (0.99^(1/10) ≈ 0.998995).
        assert!((per_shard_quantile(0.99, 10) - 0.998_995).abs() < 1e-6);
        assert!((ranges_touched(2.0, 1.0) - 3.0).abs() < 1e-12);
    }
}
