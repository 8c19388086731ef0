//! Mitzenmacher's supermarket model: the mean time in system of many FIFO servers fed by Poisson
//! arrivals when each request joins the shortest of `d` random queues.

use serde::Serialize;

/// Most terms summed by [`supermarket_time_in_system`] (the exponents grow like `d^i`, so even at
/// a load of 0.999999 a few dozen terms reach the double-precision floor).
const MAX_TERMS: u32 = 200;

/// Mean time in system, in service times, of the supermarket model (Mitzenmacher 2001): Poisson
/// arrivals at `load` per server (`0 <= load < 1`), exponential service, infinitely many servers,
/// each request joining the shortest of `choices` servers chosen at random.
///
/// - `choices = 1` (random): `1 / (1 - load)`, an M/M/1 queue.
/// - `choices = d >= 2`: `sum_{i >= 1} load^((d^i - d) / (d - 1))`.
///
/// `None` for a load outside `[0, 1)` (or NaN) or `choices = 0`.
pub fn supermarket_time_in_system(load: f64, choices: u32) -> Option<f64> {
    if !(0.0..1.0).contains(&load) || choices == 0 {
        return None;
    }
    if choices == 1 {
        return Some(1.0 / (1.0 - load));
    }
    let d = f64::from(choices);
    let mut sum = 0.0;
    let mut power = d; // d^i
    for _ in 0..MAX_TERMS {
        let exponent = (power - d) / (d - 1.0);
        let term = libm::pow(load, exponent);
        sum += term;
        if term < 1e-17 * sum {
            break;
        }
        power *= d;
        if !power.is_finite() {
            break;
        }
    }
    Some(sum)
}

/// The supermarket model's prediction for the running lab.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Supermarket {
    /// Load per server: arrival rate × mean service time / servers (0..1).
    pub load: f64,
    /// Mean service time of a request on the fleet's servers, in ms.
    pub service_ms: f64,
    /// Random choice's mean time in system, in service times: `1 / (1 - load)`.
    pub random_service_times: f64,
    /// Power of two choices': `sum_{i >= 1} load^(2^i - 2)`.
    pub two_choices_service_times: f64,
    /// Whether the model's assumptions hold: exponential costs, equal speeds, one worker per
    /// server, one balancer or an up-to-date load view, no fault (every server alive, at full speed
    /// and marked up, none draining), load below 1. Otherwise the numbers are only a reference.
    pub applies: bool,
}

impl Supermarket {
    /// The predicted mean latency in ms of random choice (`choices = 1`) or two choices (`2`):
    /// time in system × service time. `None` for other choices.
    pub fn predicted_ms(&self, choices: u32) -> Option<f64> {
        match choices {
            1 => Some(self.random_service_times * self.service_ms),
            2 => Some(self.two_choices_service_times * self.service_ms),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_numbers() {
        let near = |load: f64, d: u32, want: f64| {
            let got = supermarket_time_in_system(load, d).unwrap();
            assert!((got - want).abs() < 0.005, "load {load}, d {d}: {got} vs {want}");
        };
        near(0.9, 1, 10.0);
        near(0.9, 2, 2.61);
        near(0.9, 3, 2.03);
        near(0.99, 1, 100.0);
        near(0.99, 2, 5.43);
        near(0.99, 3, 3.86);
        assert_eq!(supermarket_time_in_system(0.0, 2), Some(1.0));
        assert_eq!(supermarket_time_in_system(1.0, 2), None);
        assert_eq!(supermarket_time_in_system(f64::NAN, 2), None);
        assert_eq!(supermarket_time_in_system(0.5, 0), None);
        assert!(supermarket_time_in_system(0.999_999, 2).unwrap().is_finite());
    }
}
