//! The autoscaling lab's choice parameters: which autoscaler runs, the traffic shape, the metric
//! the formula scales on, and how two scaling policies combine. Each is an enum whose URL value is
//! its snake_case name, with `ALL`, `OPTIONS` (for a select control), `as_str`, `label` and
//! `parse` (written by the rate limiting lab's `choice!` macro).

use serde::{Deserialize, Serialize};

use crate::ratelimit::choices::choice;

choice! {
    /// Who decides how many instances run.
    ///
    /// | autoscaler | decides |
    /// |---|---|
    /// | `hpa` | the Kubernetes formula `ceil(current × metric / target)` every 15 s, with tolerance, stabilization windows and rate policies |
    /// | `step` | +`up_pods` above the target, −1 below half of it, then waits `cooldown_s` |
    /// | `scheduled` | a minimum by hour of the day, from the known traffic curve |
    /// | `predictive` | the HPA, plus yesterday's traffic at the same time one startup ahead as a floor |
    /// | `fixed` | nothing: `min_replicas` instances all day |
    /// | `serverless` | one instance per concurrent request, started cold, reclaimed when idle |
    pub enum Autoscaler {
        /// The Kubernetes Horizontal Pod Autoscaler (autoscaling/v2), the default.
        #[default]
        Hpa = ("hpa", "Kubernetes HPA (target tracking)"),
        /// Step scaling: thresholds and a cooldown.
        Step = ("step", "Step scaling (thresholds + cooldown)"),
        /// Scheduled scaling: capacity by hour of day.
        Scheduled = ("scheduled", "Scheduled (capacity by hour)"),
        /// Predictive scaling: yesterday's curve, acted on a startup ahead.
        Predictive = ("predictive", "Predictive (yesterday's curve) + HPA"),
        /// A fixed fleet of `min_replicas` instances: the baseline.
        Fixed = ("fixed", "Fixed fleet (no scaling)"),
        /// Serverless: one instance per concurrent request.
        Serverless = ("serverless", "Serverless (per request)"),
    }
}

choice! {
    /// The shape of the traffic over the day (before noise and spikes added by hand).
    pub enum Traffic {
        /// `base_rps` all the time.
        Steady = ("steady", "Steady"),
        /// `base_rps`, then from `spike_at_s` a straight line up to `peak_rps` over `spike_s`
        /// seconds, then `peak_rps`.
        Ramp = ("ramp", "Ramp"),
        /// `base_rps`, with `peak_rps` from `spike_at_s` for `spike_s` seconds.
        Spike = ("spike", "Spike"),
        /// A daily wave: `base_rps` at midnight, `peak_rps` at noon, a cosine in between (the
        /// default).
        #[default]
        Daily = ("daily", "Daily wave"),
        /// `base_rps`, then `peak_rps` from `spike_at_s` on.
        Step = ("step", "Step"),
    }
}

choice! {
    /// What the HPA formula (and the step scaler's thresholds) measure; `target` is in its unit.
    pub enum ScaleMetric {
        /// CPU utilisation of the ready instances, percent of an instance's capacity (at most
        /// 100: a saturated instance cannot show more).
        #[default]
        Cpu = ("cpu", "CPU utilisation (%)"),
        /// Requests per second arriving per ready instance (not capped: demand, not work done).
        Rps = ("rps", "Requests per second per instance"),
        /// Requests waiting per ready instance.
        Queue = ("queue", "Queue length per instance"),
        /// The p99 response time, milliseconds.
        P99 = ("p99", "p99 latency (ms)"),
    }
}

choice! {
    /// How the HPA combines its scaling policies (Kubernetes `selectPolicy`, here one setting for
    /// both directions; a direction is disabled by a zero policy instead).
    pub enum SelectPolicy {
        /// The policy allowing the largest change (the Kubernetes default).
        #[default]
        Max = ("max", "Largest change (Max)"),
        /// The policy allowing the smallest change.
        Min = ("min", "Smallest change (Min)"),
    }
}

impl ScaleMetric {
    /// The unit `target` has with this metric.
    pub fn unit(self) -> &'static str {
        match self {
            ScaleMetric::Cpu => "%",
            ScaleMetric::Rps => "req/s per instance",
            ScaleMetric::Queue => "requests per instance",
            ScaleMetric::P99 => "ms",
        }
    }
}
