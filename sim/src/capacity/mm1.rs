//! The M/M/1 queue in closed form: the one-server case of [`MmcQueue`](super::MmcQueue).
//!
//! With utilisation `ρ = λ/μ < 1`, the response time (wait plus service) is exponential with rate
//! `μ − λ`: its mean is `S / (1 − ρ)` (`S = 1/μ`), so 2× the service time at 50% utilisation, 5× at
//! 80%, 10× at 90%, 20× at 95%; its `p`-th percentile is `−ln(1 − p) / (μ − λ)`.

/// How many times the service time a request spends in an M/M/1 system on average, `1 / (1 − ρ)`.
/// `None` unless `0 <= ρ < 1` (at `ρ >= 1` there is no steady state).
pub fn mm1_stretch(utilization: f64) -> Option<f64> {
    (0.0..1.0).contains(&utilization).then(|| 1.0 / (1.0 - utilization))
}

/// Mean time in an M/M/1 system, `S / (1 − ρ)`, in the unit of `service_time`. `None` unless
/// `0 <= ρ < 1` and the service time is finite and non-negative.
pub fn mm1_mean_response(service_time: f64, utilization: f64) -> Option<f64> {
    if !service_time.is_finite() || service_time < 0.0 {
        return None;
    }
    mm1_stretch(utilization).map(|stretch| service_time * stretch)
}

/// The `p`-quantile (`p` in `(0, 1)`) of the M/M/1 response time, `−ln(1 − p) / (μ − λ)`, in
/// seconds for rates per second. `None` unless `0 <= λ < μ`, both finite, and `0 < p < 1`.
pub fn mm1_response_percentile_s(p: f64, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    let valid = p > 0.0
        && p < 1.0
        && arrival_rate.is_finite()
        && service_rate.is_finite()
        && arrival_rate >= 0.0
        && arrival_rate < service_rate;
    valid.then(|| -libm::log1p(-p) / (service_rate - arrival_rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_saturation() {
        assert_eq!(mm1_stretch(1.0), None);
        assert_eq!(mm1_stretch(f64::NAN), None);
        assert_eq!(mm1_mean_response(f64::INFINITY, 0.5), None);
        assert_eq!(mm1_response_percentile_s(0.99, 2.0, 2.0), None);
        assert_eq!(mm1_response_percentile_s(1.0, 1.0, 2.0), None);
    }
}
