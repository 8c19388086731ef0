//! The scale decisions as structured data, with every number of the formula filled in, so the
//! page can write "ceil(4 × 0.92 / 0.70) = 6, within tolerance? no" without computing anything.

use serde::Serialize;

use super::choices::{Autoscaler, ScaleMetric};
use super::hpa::{FormulaTerms, Limit};

/// What the step scaler saw.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StepTerms {
    /// Scale up above this (the target).
    pub up_above: f64,
    /// Scale down below this (half the target).
    pub down_below: f64,
    /// While cooling down: the second the cooldown ends.
    pub cooldown_until_s: Option<u64>,
}

/// What the scheduled scaler looked up.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ScheduleTerms {
    /// The hour of day looked up (that of `now + startup_s`: the schedule is set a startup
    /// ahead), 0..=23.
    pub hour: u32,
    /// Its requests per second (the shape's highest in that hour on the first day).
    pub planned_rps: f64,
    /// Requests per second one instance is planned for.
    pub per_instance_rps: f64,
    /// `ceil(planned_rps / per_instance_rps)` within `[min, max]`.
    pub replicas: u32,
}

/// What the predictive scaler forecast.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ForecastTerms {
    /// The first second forecast (`now + startup_s`).
    pub from_s: u64,
    /// Yesterday's highest per-minute rate over the forecast window, requests per second.
    pub forecast_rps: f64,
    /// Requests per second one instance is planned for.
    pub per_instance_rps: f64,
    /// `ceil(forecast_rps / per_instance_rps)` within `[min, max]`: a floor, never a reason to
    /// scale in.
    pub replicas: u32,
}

/// Why the count is what it is after a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The formula's count, applied.
    Formula,
    /// The metric was within tolerance: no change.
    WithinTolerance,
    /// Pods still starting were counted as idle and the change vanished.
    StartingPods,
    /// A stabilization window held the count.
    Stabilized,
    /// A rate policy or `[min, max]` limited the change (see [`Decision::limit`]).
    Limited,
    /// No ready instance reported a metric: no change.
    NoMetric,
    /// The count was outside `[min, max]` and moved to the bound.
    OutOfRange,
    /// Step scaling: above the up threshold.
    StepUp,
    /// Step scaling: below the down threshold.
    StepDown,
    /// Step scaling: between the thresholds.
    Hold,
    /// Step scaling: cooling down after the last change.
    Cooldown,
    /// Scheduled scaling: the hour's capacity.
    Schedule,
    /// Predictive scaling: the forecast raised the count above the HPA's.
    Forecast,
    /// Fixed fleet: back to its size.
    Fixed,
}

/// One decision of the autoscaler (every sync of the HPA, step, scheduled and predictive
/// scalers; the fixed fleet logs only changes; serverless logs none).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Decision {
    /// When, simulated seconds.
    pub at_s: u64,
    /// Who decided.
    pub autoscaler: Autoscaler,
    /// The metric.
    pub metric: ScaleMetric,
    /// Replicas before (ready and starting).
    pub current: u32,
    /// Ready replicas.
    pub ready: u32,
    /// Replicas starting.
    pub starting: u32,
    /// The metric averaged over the ready replicas since the last decision, in its unit (`None`
    /// without a ready replica).
    pub metric_value: Option<f64>,
    /// The target, in the metric's unit.
    pub target: f64,
    /// HPA (and predictive): the formula's terms.
    pub formula: Option<FormulaTerms>,
    /// HPA: the count after the stabilization windows.
    pub stabilized: Option<u32>,
    /// HPA: what limited the count.
    pub limit: Limit,
    /// HPA and predictive: the HPA's own count (predictive: before the forecast's floor).
    pub hpa_replicas: Option<u32>,
    /// Step scaling's thresholds.
    pub step: Option<StepTerms>,
    /// Scheduled scaling's lookup.
    pub schedule: Option<ScheduleTerms>,
    /// Predictive scaling's forecast (`None` until a day of history exists).
    pub forecast: Option<ForecastTerms>,
    /// The autoscaler's wish before windows and rate limits, within `[min, max]`.
    pub desired: u32,
    /// The count it set.
    pub replicas: u32,
    /// Why.
    pub reason: Reason,
}

impl Decision {
    /// Whether the count changed.
    pub fn changed(&self) -> bool {
        self.replicas != self.current
    }

    /// The formula line with its numbers, e.g. `ceil(4 × 0.92 / 0.70) = 6, within tolerance? no`
    /// (CPU as a fraction, as the Kubernetes docs write it; other metrics in their unit). When
    /// scaling up while pods start, the tolerance is checked on the ratio with them counted at 0:
    /// `ceil(8 × 1.00 / 0.70) = 12; with 4 starting counted at 0 the ratio is 0.95, within
    /// tolerance? yes`. `None` for decisions without the formula.
    pub fn formula_line(&self) -> Option<String> {
        let t = self.formula?;
        let (metric, target) = match self.metric {
            ScaleMetric::Cpu => (format!("{:.2}", t.metric / 100.0), format!("{:.2}", t.target / 100.0)),
            _ => (tidy(t.metric), tidy(t.target)),
        };
        let answer = if t.within_tolerance { "yes" } else { "no" };
        let formula = format!("ceil({} × {metric} / {target}) = {}", t.ready, t.formula);
        if t.starting > 0 && t.ratio > 1.0 {
            // Kubernetes counts the starting pods as idle when scaling up.
            return Some(format!(
                "{formula}; with {} starting counted at 0 the ratio is {:.2}, within tolerance? {answer}",
                t.starting, t.checked_ratio
            ));
        }
        Some(format!("{formula}, within tolerance? {answer}"))
    }
}

/// A number with at most two decimals, trailing zeros dropped.
fn tidy(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoscaling::hpa::replica_count;

    #[test]
    fn the_issue_line() {
        let terms = replica_count(4, 4, 0, 92.0, 70.0, 0.1).unwrap();
        let d = Decision {
            at_s: 15,
            autoscaler: Autoscaler::Hpa,
            metric: ScaleMetric::Cpu,
            current: 4,
            ready: 4,
            starting: 0,
            metric_value: Some(92.0),
            target: 70.0,
            formula: Some(terms),
            stabilized: Some(6),
            limit: Limit::None,
            hpa_replicas: None,
            step: None,
            schedule: None,
            forecast: None,
            desired: 6,
            replicas: 6,
            reason: Reason::Formula,
        };
        assert_eq!(
            d.formula_line().unwrap(),
            "ceil(4 × 0.92 / 0.70) = 6, within tolerance? no"
        );
        let starting = replica_count(12, 8, 4, 100.0, 70.0, 0.1).unwrap();
        let d = Decision {
            formula: Some(starting),
            ..d
        };
        assert_eq!(
            d.formula_line().unwrap(),
            "ceil(8 × 1.00 / 0.70) = 12; with 4 starting counted at 0 the ratio is 0.95, within tolerance? yes"
        );
    }
}
