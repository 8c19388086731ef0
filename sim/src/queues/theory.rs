//! What queueing theory predicts for one group, next to what the simulation measures.
//!
//! Each consumer is a pool of `concurrency` slots, each completing `μ = 1000 / slow_ms` messages
//! per second, fed by the partitions assigned to it: a share of the arrivals `λ` (keyed: the
//! share of keys that hash to those partitions; unkeyed: one partition's worth each). Then:
//!
//! - capacity `c μ` over the consumers that have partitions; consumers beyond the partitions add
//!   nothing;
//! - a consumer whose share exceeds its slots' capacity grows its backlog at `λ_c − conc μ`; the
//!   group's backlog grows at the sum (plus the whole share of partitions nobody owns), the
//!   REFERENCES.md `λ − c μ` when the load is spread evenly;
//! - below capacity a backlog drains in `backlog / (c μ − λ)`: each consumer's own backlog at
//!   `conc μ − λ_c`, the slowest setting the group's pace (the same when the load and the backlog
//!   are spread evenly);
//! - with exponential processing and Poisson arrivals each consumer is an M/M/c queue: Erlang C
//!   ([`MmcQueue`], the capacity lab's) gives its wait probability, mean wait and mean backlog
//!   (Little's law: `Lq = λ Wq`), summed over the consumers.

use serde::Serialize;

use crate::capacity::MmcQueue;

/// The prediction for one group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Theory {
    /// Arrival rate `λ` it assumes (req/s): the rate now.
    pub arrival_per_s: f64,
    /// One slot's service rate `μ` (per second; infinite when `slow_ms` is 0).
    pub service_per_s: f64,
    /// Slots of the consumers that have partitions (`c`).
    pub slots: u32,
    /// `c μ`, messages per second.
    pub capacity_per_s: f64,
    /// `λ / (c μ)` (infinite with no slots and some arrivals).
    pub utilization: f64,
    /// How fast the backlog grows (messages per second; 0 below capacity).
    pub growth_per_s: f64,
    /// How long the group's backlog now takes to drain (s): the longest of its consumers'
    /// `backlog_c / (conc μ − λ_c)`, `backlog / (c μ − λ)` when spread evenly; `None` above
    /// capacity, with messages in partitions nobody reads, or with nothing waiting.
    pub drain_s: Option<f64>,
    /// Erlang C, with exponential processing and every consumer below capacity.
    pub erlang: Option<ErlangPrediction>,
}

/// Erlang C summed over the consumers (each an M/M/c queue).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ErlangPrediction {
    /// Chance a message waits for a slot.
    pub wait_probability: f64,
    /// Mean wait before the first delivery (ms).
    pub mean_wait_ms: f64,
    /// Mean number of messages waiting: `Lq = λ Wq`.
    pub mean_backlog: f64,
}

/// The inputs of [`predict`].
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Inputs {
    /// Arrivals per second.
    pub(super) rate: f64,
    /// Mean slow work (ms).
    pub(super) slow_ms: f64,
    /// Slots per consumer.
    pub(super) concurrency: u32,
    /// Each consumer with partitions: the share of the arrivals it gets, and the messages waiting
    /// in its partitions now.
    pub(super) consumers: Vec<(f64, u64)>,
    /// The share that goes to partitions without a consumer, and what waits there.
    pub(super) unowned: (f64, u64),
    /// Whether processing is exponential (Erlang C applies).
    pub(super) exponential: bool,
}

/// See the module docs.
pub(super) fn predict(inputs: &Inputs) -> Theory {
    let lambda = inputs.rate.max(0.0);
    let mu = if inputs.slow_ms > 0.0 {
        1_000.0 / inputs.slow_ms
    } else {
        f64::INFINITY
    };
    let slots = (inputs.consumers.len() as u32).saturating_mul(inputs.concurrency);
    let capacity = f64::from(slots) * mu;
    let per_consumer = f64::from(inputs.concurrency) * mu;
    let (unowned_share, unowned_backlog) = inputs.unowned;
    let growth: f64 = inputs
        .consumers
        .iter()
        .map(|(share, _)| (lambda * share - per_consumer).max(0.0))
        .sum::<f64>()
        + lambda * unowned_share;
    let utilization = if capacity > 0.0 {
        lambda / capacity
    } else if lambda > 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    // Each consumer drains its own partitions at conc mu - lambda_c; the group is drained when
    // the slowest is.
    let waiting: u64 = inputs.consumers.iter().map(|(_, b)| b).sum::<u64>() + unowned_backlog;
    let drain_s = if growth > 0.0 || unowned_backlog > 0 || waiting == 0 {
        None
    } else {
        inputs
            .consumers
            .iter()
            .filter(|(_, backlog)| *backlog > 0)
            .map(|(share, backlog)| *backlog as f64 / (per_consumer - lambda * share))
            .filter(|s| s.is_finite() && *s >= 0.0)
            .reduce(f64::max)
    };
    let erlang = if inputs.exponential && mu.is_finite() && growth <= 0.0 {
        erlang(lambda, mu, inputs)
    } else {
        None
    };
    Theory {
        arrival_per_s: lambda,
        service_per_s: mu,
        slots,
        capacity_per_s: capacity,
        utilization,
        growth_per_s: growth,
        drain_s,
        erlang,
    }
}

fn erlang(lambda: f64, mu: f64, inputs: &Inputs) -> Option<ErlangPrediction> {
    let owned: f64 = inputs.consumers.iter().map(|(share, _)| share).sum();
    if owned <= 0.0 || inputs.unowned.0 > 0.0 {
        return None;
    }
    let (mut waits, mut wait_s, mut backlog) = (0.0, 0.0, 0.0);
    for (share, _) in &inputs.consumers {
        let q = MmcQueue::new(lambda * share, mu, inputs.concurrency).ok()?;
        waits += share * q.wait_probability();
        wait_s += share * q.mean_wait_s();
        backlog += q.mean_queue_length();
    }
    Some(ErlangPrediction {
        wait_probability: waits / owned,
        mean_wait_ms: wait_s / owned * 1_000.0,
        mean_backlog: backlog,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(rate: f64, shares: Vec<f64>) -> Inputs {
        Inputs {
            rate,
            slow_ms: 100.0,
            concurrency: 2,
            consumers: shares.into_iter().map(|s| (s, 300)).collect(),
            unowned: (0.0, 0),
            exponential: true,
        }
    }

    #[test]
    fn growth_and_drain() {
        // Two consumers of 2 slots at 10/s each: capacity 40/s.
        let over = predict(&inputs(100.0, vec![0.5, 0.5]));
        assert!((over.capacity_per_s - 40.0).abs() < 1e-9);
        assert!((over.growth_per_s - 60.0).abs() < 1e-9);
        assert_eq!(over.drain_s, None);
        assert_eq!(over.erlang, None);
        let under = predict(&inputs(20.0, vec![0.5, 0.5]));
        assert!((under.drain_s.unwrap() - 30.0).abs() < 1e-9);
        // The slower consumer sets the pace: 300 / (20 - 15) = 60 s.
        let uneven = predict(&inputs(20.0, vec![0.75, 0.25]));
        assert!((uneven.drain_s.unwrap() - 60.0).abs() < 1e-9);
        assert_eq!(under.growth_per_s, 0.0);
        // Uneven shares overload one consumer though the total is below capacity.
        let skewed = predict(&inputs(30.0, vec![0.9, 0.1]));
        assert!((skewed.growth_per_s - 7.0).abs() < 1e-9);
    }

    #[test]
    fn erlang_c_for_one_pool() {
        // M/M/1 at rho 0.5: P_w = 0.5, Wq = 0.5 / (10 - 5) = 100 ms, Lq = 0.5.
        let t = predict(&Inputs {
            concurrency: 1,
            ..inputs(5.0, vec![1.0])
        });
        let e = t.erlang.unwrap();
        assert!((e.wait_probability - 0.5).abs() < 1e-12);
        assert!((e.mean_wait_ms - 100.0).abs() < 1e-9);
        assert!((e.mean_backlog - 0.5).abs() < 1e-12);
    }
}
