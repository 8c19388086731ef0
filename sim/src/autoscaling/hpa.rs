//! The Kubernetes Horizontal Pod Autoscaler's algorithm (autoscaling/v2), step for step as
//! `pkg/controller/podautoscaler` computes it, on the simulation clock (whole seconds).
//!
//! One sync ([`Hpa::sync`]) does what `reconcileAutoscaler` does:
//!
//! 1. Outside `[min, max]`: go to the nearest bound (no behaviour applies).
//! 2. The replica calculator ([`replica_count`]): `usageRatio = metric / target`, the metric
//!    averaged over the *ready* pods and read as Kubernetes reads it ([`reading`]: CPU in whole
//!    percent, others in milli-units, both truncated). With no pod starting, or when not scaling up: within
//!    `1 ± tolerance` keep the current count, else `ceil(usageRatio × ready)`. Scaling up while
//!    pods start: those pods count as using 0, so `newRatio = metric × ready / (target × (ready +
//!    starting))`; within tolerance, or on the other side of 1 than `usageRatio`, keep the current
//!    count, else `ceil(newRatio × (ready + starting))` (never below the current count). Either way
//!    the formula is `ceil(ready × metric / target)`.
//! 3. Stabilization: the recommendation is raised to the lowest recommendation of the last
//!    `up.window_s` seconds and lowered to the highest of the last `down.window_s` (current and
//!    new included), i.e. clamped between them around the current count; then it is recorded. A
//!    new HPA starts with the current count recorded, so it scales down no sooner than one window
//!    after it starts.
//! 4. Rate policies: scaling up is limited to the `select`ed (max or min) of the policies'
//!    proposals, each from the count at the start of its period (`current − added + removed` by
//!    scale events strictly inside the last `period_s`): `Pods`: start + value, `Percent`:
//!    `ceil(start × (1 + value/100))`; scaling down likewise with `start − value` and
//!    `floor(start × (1 − value/100))`. Then `[min, max]`.
//!
//! With the defaults ([`Behavior::kubernetes_default`]: up by max(4 pods, 100%) per 15 s with no
//! window; down by 100% per 15 s with a 300 s window) and sustained overload from 1 replica the
//! syncs go 1 → 5 → 10 → 20 → 40.

use std::collections::VecDeque;

use serde::Serialize;

use super::choices::{ScaleMetric, SelectPolicy};

/// How a policy limits a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// A number of pods per period.
    Pods,
    /// A percent of the count at the period's start.
    Percent,
}

/// One scaling policy (`type`, `value`, `periodSeconds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Pods or percent.
    pub kind: PolicyKind,
    /// Pods, or percent.
    pub value: u32,
    /// The period the change is counted over, seconds.
    pub period_s: u32,
}

/// The rules of one direction (`scaleUp` or `scaleDown`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// The policies; none means this direction never changes the count.
    pub policies: Vec<Policy>,
    /// How the policies combine.
    pub select: SelectPolicy,
    /// Stabilization window, seconds.
    pub window_s: u32,
}

/// The HPA's `spec.behavior`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Behavior {
    /// Scaling up.
    pub up: Rules,
    /// Scaling down.
    pub down: Rules,
}

impl Behavior {
    /// Kubernetes' defaults: scale up by the larger of 4 pods or 100% per 15 s with no window;
    /// scale down by up to 100% per 15 s with a 300 s window.
    pub fn kubernetes_default() -> Self {
        Self {
            up: Rules {
                policies: vec![
                    Policy {
                        kind: PolicyKind::Pods,
                        value: 4,
                        period_s: 15,
                    },
                    Policy {
                        kind: PolicyKind::Percent,
                        value: 100,
                        period_s: 15,
                    },
                ],
                select: SelectPolicy::Max,
                window_s: 0,
            },
            down: Rules {
                policies: vec![Policy {
                    kind: PolicyKind::Percent,
                    value: 100,
                    period_s: 15,
                }],
                select: SelectPolicy::Max,
                window_s: 300,
            },
        }
    }

    /// The longest policy period, seconds (how long scale events matter).
    fn longest_period_s(&self) -> u32 {
        self.up
            .policies
            .iter()
            .chain(&self.down.policies)
            .map(|p| p.period_s)
            .max()
            .unwrap_or(0)
    }
}

/// The metric as the HPA reads it: CPU utilisation in whole percent, truncated (Kubernetes
/// computes `int32(usage × 100 / requests)`), other metrics in milli-units, truncated (its
/// quantities are milli-values).
pub fn reading(metric: ScaleMetric, value: f64) -> f64 {
    match metric {
        ScaleMetric::Cpu => libm::floor(value),
        _ => libm::floor(value * 1_000.0) / 1_000.0,
    }
}

/// What the replica calculator saw and computed (step 2 of the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FormulaTerms {
    /// The metric averaged over the ready pods, in the metric's unit.
    pub metric: f64,
    /// The target, same unit.
    pub target: f64,
    /// `metric / target`.
    pub ratio: f64,
    /// Ready pods (the formula's multiplier).
    pub ready: u32,
    /// Pods still starting (counted as using 0 when scaling up).
    pub starting: u32,
    /// The ratio the tolerance is checked on: `ratio`, or `ratio × ready / (ready + starting)`
    /// when scaling up with pods starting.
    pub checked_ratio: f64,
    /// `ceil(ready × metric / target)` (computed as Kubernetes does, ratio first).
    pub formula: u32,
    /// Whether `checked_ratio` is within `1 ± tolerance`.
    pub within_tolerance: bool,
    /// The calculator's answer: the current count when within tolerance (or when the starting
    /// pods flip the direction), else `formula`.
    pub recommendation: u32,
}

/// `ceil(x)` as a replica count, saturating.
fn ceil_count(x: f64) -> u32 {
    let c = libm::ceil(x);
    if c.is_nan() || c <= 0.0 {
        0
    } else if c >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        c as u32
    }
}

/// The replica calculator for one metric (Kubernetes `GetResourceReplicas` /
/// `GetMetricReplicas` with homogeneous pods): `current` replicas of which `ready` report
/// `metric` each and `starting` are not ready yet. `None` without a ready pod (no metric) or
/// with a non-positive target.
pub fn replica_count(
    current: u32,
    ready: u32,
    starting: u32,
    metric: f64,
    target: f64,
    tolerance: f64,
) -> Option<FormulaTerms> {
    if ready == 0 || target.is_nan() || target <= 0.0 || !metric.is_finite() || metric < 0.0 {
        return None;
    }
    let ratio = metric / target;
    let formula = ceil_count(ratio * f64::from(ready));
    let scale_up_with_starting = starting > 0 && ratio > 1.0;
    let (checked_ratio, within_tolerance, recommendation) = if !scale_up_with_starting {
        let within = (1.0 - ratio).abs() <= tolerance;
        (ratio, within, if within { current } else { formula })
    } else {
        let counted = f64::from(ready) + f64::from(starting);
        let new_ratio = ratio * f64::from(ready) / counted;
        let within = (1.0 - new_ratio).abs() <= tolerance;
        let flipped = new_ratio < 1.0;
        let replicas = ceil_count(new_ratio * counted);
        let keep = within || flipped || replicas < current;
        (new_ratio, within, if keep { current } else { replicas })
    };
    Some(FormulaTerms {
        metric,
        target,
        ratio,
        ready,
        starting,
        checked_ratio,
        formula,
        within_tolerance,
        recommendation,
    })
}

/// Why the final count differs from the stabilized recommendation (Kubernetes' condition
/// reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Not limited (`DesiredWithinRange`).
    None,
    /// The scale-up policies allow no more yet (`ScaleUpLimit`).
    ScaleUpLimit,
    /// The scale-down policies allow no fewer yet (`ScaleDownLimit`).
    ScaleDownLimit,
    /// Capped at `max_replicas` (`TooManyReplicas`).
    TooMany,
    /// Raised to `min_replicas` (`TooFewReplicas`).
    TooFew,
}

/// The result of one HPA sync.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct HpaOutcome {
    /// The calculator's terms; `None` when the count was outside `[min, max]` or there was no
    /// metric.
    pub terms: Option<FormulaTerms>,
    /// After the stabilization windows.
    pub stabilized: u32,
    /// What limited the final count, if anything.
    pub limit: Limit,
    /// The count the HPA sets.
    pub replicas: u32,
}

/// The inputs of one sync.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SyncInput {
    /// The time of the sync, whole simulated seconds.
    pub now_s: u64,
    /// Replicas the workload has (`spec.replicas`: ready and starting).
    pub current: u32,
    /// Ready replicas.
    pub ready: u32,
    /// The metric averaged over the ready replicas; `None` when there was none.
    pub metric: Option<f64>,
    /// The target, in the metric's unit.
    pub target: f64,
    /// The tolerance.
    pub tolerance: f64,
    /// `minReplicas`.
    pub min: u32,
    /// `maxReplicas` (at least `min`).
    pub max: u32,
}

/// One HPA's memory: past recommendations (for the windows) and scale events (for the
/// policies), both pruned to what can still matter, so bounded by window / sync period.
#[derive(Clone, Debug, PartialEq)]
pub struct Hpa {
    behavior: Behavior,
    recommendations: VecDeque<(u64, u32)>,
    up_events: VecDeque<(u64, u32)>,
    down_events: VecDeque<(u64, u32)>,
}

impl Hpa {
    /// A new HPA at `now_s` over a workload of `current` replicas (recorded as its first
    /// recommendation, as Kubernetes does).
    pub fn new(behavior: Behavior, now_s: u64, current: u32) -> Self {
        let mut recommendations = VecDeque::new();
        recommendations.push_back((now_s, current));
        Self {
            behavior,
            recommendations,
            up_events: VecDeque::new(),
            down_events: VecDeque::new(),
        }
    }

    /// The behaviour it follows.
    pub fn behavior(&self) -> &Behavior {
        &self.behavior
    }

    /// Changes the behaviour, keeping the memory.
    pub fn set_behavior(&mut self, behavior: Behavior) {
        self.behavior = behavior;
    }

    /// Recommendations remembered (bounded by the longer window / the sync period).
    pub fn remembered(&self) -> usize {
        self.recommendations.len() + self.up_events.len() + self.down_events.len()
    }

    /// One sync (see the module docs). Records the recommendation and, when the count changes,
    /// the scale event.
    pub fn sync(&mut self, input: SyncInput) -> HpaOutcome {
        let SyncInput {
            now_s,
            current,
            min,
            max,
            ..
        } = input;
        let max = max.max(min);
        if current > max || current < min {
            let replicas = current.clamp(min, max);
            let limit = if current > max { Limit::TooMany } else { Limit::TooFew };
            self.record_event(now_s, current, replicas);
            return HpaOutcome {
                terms: None,
                stabilized: replicas,
                limit,
                replicas,
            };
        }
        let terms = input.metric.and_then(|metric| {
            replica_count(
                current,
                input.ready,
                current.saturating_sub(input.ready),
                metric,
                input.target,
                input.tolerance,
            )
        });
        let Some(terms) = terms else {
            // No metric: Kubernetes reports an error and leaves the count alone.
            return HpaOutcome {
                terms: None,
                stabilized: current,
                limit: Limit::None,
                replicas: current,
            };
        };
        let stabilized = self.stabilize(now_s, current, terms.recommendation);
        let (replicas, limit) = self.rate_limit(now_s, current, stabilized, min, max);
        self.record_event(now_s, current, replicas);
        HpaOutcome {
            terms: Some(terms),
            stabilized,
            limit,
            replicas,
        }
    }

    /// Step 3: clamp between the windows' lowest and highest recommendations, record it.
    fn stabilize(&mut self, now_s: u64, current: u32, desired: u32) -> u32 {
        let (up_w, down_w) = (
            u64::from(self.behavior.up.window_s),
            u64::from(self.behavior.down.window_s),
        );
        let mut up = desired;
        let mut down = desired;
        for &(t, r) in &self.recommendations {
            if t + up_w > now_s {
                up = up.min(r);
            }
            if t + down_w > now_s {
                down = down.max(r);
            }
        }
        let stabilized = current.max(up).min(down);
        let keep = up_w.max(down_w);
        while self.recommendations.front().is_some_and(|&(t, _)| t + keep <= now_s) {
            self.recommendations.pop_front();
        }
        self.recommendations.push_back((now_s, desired));
        stabilized
    }

    /// Replicas added and removed by events strictly inside the last `period_s` seconds.
    fn changes_within(&self, now_s: u64, period_s: u32) -> (i64, i64) {
        let inside = |events: &VecDeque<(u64, u32)>| -> i64 {
            events
                .iter()
                .filter(|&&(t, _)| t + u64::from(period_s) > now_s)
                .map(|&(_, n)| i64::from(n))
                .sum()
        };
        (inside(&self.up_events), inside(&self.down_events))
    }

    /// Step 4: the policies' limit, then `[min, max]`.
    fn rate_limit(&self, now_s: u64, current: u32, desired: u32, min: u32, max: u32) -> (u32, Limit) {
        let cur = i64::from(current);
        if desired > current {
            let rules = &self.behavior.up;
            let mut limit = match rules.select {
                SelectPolicy::Max => i64::MIN,
                SelectPolicy::Min => i64::MAX,
            };
            for p in &rules.policies {
                let (added, removed) = self.changes_within(now_s, p.period_s);
                let start = cur - added + removed;
                let proposed = match p.kind {
                    PolicyKind::Pods => start + i64::from(p.value),
                    PolicyKind::Percent => libm::ceil(start as f64 * (1.0 + f64::from(p.value) / 100.0)) as i64,
                };
                limit = match rules.select {
                    SelectPolicy::Max => limit.max(proposed),
                    SelectPolicy::Min => limit.min(proposed),
                };
            }
            let up_limit = limit.max(cur);
            let (allowed, reason) = if i64::from(max) > up_limit {
                (up_limit, Limit::ScaleUpLimit)
            } else {
                (i64::from(max), Limit::TooMany)
            };
            if i64::from(desired) > allowed {
                return (to_count(allowed), reason);
            }
        } else if desired < current {
            let rules = &self.behavior.down;
            let mut limit = match rules.select {
                SelectPolicy::Max => i64::MAX,
                SelectPolicy::Min => i64::MIN,
            };
            for p in &rules.policies {
                let (added, removed) = self.changes_within(now_s, p.period_s);
                let start = cur - added + removed;
                let proposed = match p.kind {
                    PolicyKind::Pods => start - i64::from(p.value),
                    PolicyKind::Percent => (start as f64 * (1.0 - f64::from(p.value) / 100.0)) as i64,
                };
                limit = match rules.select {
                    SelectPolicy::Max => limit.min(proposed),
                    SelectPolicy::Min => limit.max(proposed),
                };
            }
            let down_limit = limit.min(cur);
            let (allowed, reason) = if i64::from(min) < down_limit {
                (down_limit, Limit::ScaleDownLimit)
            } else {
                (i64::from(min), Limit::TooFew)
            };
            if i64::from(desired) < allowed {
                return (to_count(allowed), reason);
            }
        }
        (desired, Limit::None)
    }

    /// Remembers a change of the count and forgets events older than the longest period.
    fn record_event(&mut self, now_s: u64, from: u32, to: u32) {
        let keep = u64::from(self.behavior.longest_period_s());
        for events in [&mut self.up_events, &mut self.down_events] {
            while events.front().is_some_and(|&(t, _)| t + keep <= now_s) {
                events.pop_front();
            }
        }
        if to > from {
            self.up_events.push_back((now_s, to - from));
        } else if to < from {
            self.down_events.push_back((now_s, from - to));
        }
    }
}

fn to_count(v: i64) -> u32 {
    v.clamp(0, i64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_example() {
        let t = replica_count(50, 50, 0, 90.0, 75.0, 0.1).unwrap();
        assert_eq!(t.formula, 60);
        assert_eq!(t.recommendation, 60);
        assert!(!t.within_tolerance);
    }

    #[test]
    fn metrics_are_read_as_kubernetes_reads_them() {
        assert_eq!(reading(ScaleMetric::Cpu, 90.99), 90.0);
        assert_eq!(reading(ScaleMetric::Rps, 1.234_56), 1.234);
        assert_eq!(reading(ScaleMetric::P99, 250.0), 250.0);
    }

    #[test]
    fn within_tolerance_keeps_the_count() {
        let t = replica_count(10, 10, 0, 75.0, 70.0, 0.1).unwrap();
        assert!(t.within_tolerance);
        assert_eq!(t.recommendation, 10);
        assert_eq!(t.formula, 11);
    }

    #[test]
    fn starting_pods_count_as_idle_when_scaling_up() {
        // 1 ready at 100%, 4 starting, target 70: 100/70 × 1/5 < 1, so no change.
        let t = replica_count(5, 1, 4, 100.0, 70.0, 0.1).unwrap();
        assert_eq!(t.recommendation, 5);
        assert!(replica_count(5, 0, 5, 100.0, 70.0, 0.1).is_none());
    }
}
