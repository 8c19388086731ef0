//! Lesson content (JSON data, one file per lab) and the lesson engine: goals, progress.
//!
//! Lessons are data so authors can edit text without touching code. Every lesson is parsed and
//! checked by a native test, so a typo in a file fails `cargo test`, not a learner's page.

mod progress;

pub use progress::Progress;

use serde::Deserialize;
use std::collections::BTreeMap;

/// A guided lesson: ordered steps.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Stable id, used as the localStorage key for progress, e.g. `"hash-ring"`.
    pub id: String,
    /// Title shown above the steps.
    pub title: String,
    /// The steps, in order (the URL's `step` is 1-based).
    pub steps: Vec<Step>,
}

/// One step of a lesson.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Short heading.
    pub title: String,
    /// Narration, one string per paragraph.
    pub body: Vec<String>,
    /// Parameter values (URL-style raw strings) loaded when the step opens; the run restarts.
    #[serde(default)]
    pub preset: BTreeMap<String, String>,
    /// Lab actions run by the step's "Run it" button (e.g. `"add_node"`, `"play"`).
    #[serde(default)]
    pub actions: Vec<String>,
    /// A question answered before the actions run and the result is revealed.
    #[serde(default)]
    pub predict: Option<Prediction>,
    /// A target the learner reaches by tweaking, checked live.
    #[serde(default)]
    pub goal: Option<Goal>,
}

/// A multiple-choice prediction.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    /// The question.
    pub question: String,
    /// The options.
    pub options: Vec<String>,
    /// Index of the right option (0-based).
    pub answer: usize,
    /// Shown after answering, whatever the answer.
    pub explanation: String,
}

/// A live-checked goal: every condition must hold at once.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// What to achieve, in words.
    pub text: String,
    /// Conditions on metrics or parameters.
    pub conditions: Vec<Condition>,
}

/// One comparison: `subject op value`. The subject is `metric:<name>` or `param:<key>`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// `metric:<name>` (a metric's test-id name) or `param:<key>` (a parameter key).
    pub subject: String,
    /// One of `lt`, `le`, `gt`, `ge`, `eq`.
    pub op: String,
    /// The threshold.
    pub value: f64,
}

impl Condition {
    /// Whether `actual` satisfies the condition. NaN never does; an unknown op never does.
    pub fn holds(&self, actual: f64) -> bool {
        if !actual.is_finite() {
            return false;
        }
        match self.op.as_str() {
            "lt" => actual < self.value,
            "le" => actual <= self.value,
            "gt" => actual > self.value,
            "ge" => actual >= self.value,
            "eq" => (actual - self.value).abs() < 1e-9,
            _ => false,
        }
    }
}

impl Goal {
    /// Checks every condition, looking subjects up with `lookup` (`None` = unknown: not met).
    pub fn is_met(&self, lookup: impl Fn(&str) -> Option<f64>) -> bool {
        !self.conditions.is_empty()
            && self
                .conditions
                .iter()
                .all(|c| lookup(&c.subject).is_some_and(|v| c.holds(v)))
    }
}

/// Parses a lesson from JSON and checks its internal consistency.
pub fn parse(json: &str) -> Result<Lesson, String> {
    let lesson: Lesson = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if lesson.steps.is_empty() {
        return Err("a lesson needs at least one step".into());
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        if let Some(p) = &step.predict {
            if p.answer >= p.options.len() || p.options.len() < 2 {
                return Err(format!(
                    "step {}: the answer must be one of at least two options",
                    i + 1
                ));
            }
        }
        if let Some(g) = &step.goal {
            for c in &g.conditions {
                let known_op = ["lt", "le", "gt", "ge", "eq"].contains(&c.op.as_str());
                let known_subject = c.subject.starts_with("metric:") || c.subject.starts_with("param:");
                if !known_op || !known_subject {
                    return Err(format!("step {}: bad condition {:?}", i + 1, c));
                }
            }
        }
    }
    Ok(lesson)
}

/// The hash ring lab's lesson source.
pub const HASH_RING_JSON: &str = include_str!("hash_ring.json");
/// The capacity lab's lesson source.
pub const CAPACITY_JSON: &str = include_str!("capacity.json");
/// The cache lab's lesson source.
pub const CACHE_JSON: &str = include_str!("cache.json");
/// The circuit breaker lab's lesson source.
pub const CIRCUIT_BREAKER_JSON: &str = include_str!("circuit_breaker.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_compare_and_reject_nan() {
        let c = Condition {
            subject: "metric:load-cv".into(),
            op: "lt".into(),
            value: 0.1,
        };
        assert!(c.holds(0.05));
        assert!(!c.holds(0.1));
        assert!(!c.holds(f64::NAN));
        let bad = Condition {
            op: "??".into(),
            ..c.clone()
        };
        assert!(!bad.holds(0.0));
    }

    #[test]
    fn goals_need_every_condition() {
        let g = Goal {
            text: "x".into(),
            conditions: vec![
                Condition {
                    subject: "metric:a".into(),
                    op: "lt".into(),
                    value: 1.0,
                },
                Condition {
                    subject: "param:b".into(),
                    op: "le".into(),
                    value: 10.0,
                },
            ],
        };
        assert!(g.is_met(|s| Some(if s == "metric:a" { 0.5 } else { 10.0 })));
        assert!(!g.is_met(|s| if s == "metric:a" { Some(0.5) } else { None }));
    }

    #[test]
    fn bad_lessons_are_rejected() {
        assert!(parse("{").is_err());
        assert!(parse(r#"{"id":"x","title":"t","steps":[]}"#).is_err());
        let bad_answer = r#"{"id":"x","title":"t","steps":[{"title":"a","body":["b"],
            "predict":{"question":"q","options":["a","b"],"answer":2,"explanation":"e"}}]}"#;
        assert!(parse(bad_answer).is_err());
    }
}

#[cfg(test)]
mod content_tests {
    use super::*;
    use scalelab_sim::params::Params;

    /// Checks a lesson's size, predictions, goals, presets (valid for config `C`), actions and
    /// goal subjects (`param:` keys of `C`; `metric:` names from `metrics`).
    fn check<C: Params + Default>(json: &str, min_steps: usize, actions: &[&str], metrics: &[&str]) {
        check_with::<C>(json, min_steps, actions, metrics, |c, key, raw| c.set_str(key, raw));
    }

    /// [`check`] with the lab's own preset setter (for keys outside the [`Params`] specs).
    fn check_with<C: Params + Default>(
        json: &str,
        min_steps: usize,
        actions: &[&str],
        metrics: &[&str],
        set: impl Fn(&mut C, &str, &str) -> Result<(), scalelab_sim::ConfigError>,
    ) {
        let lesson = parse(json).expect("lesson parses");
        assert!(lesson.steps.len() >= min_steps);
        assert!(lesson.steps.iter().filter(|s| s.predict.is_some()).count() >= 2);
        assert!(lesson.steps.iter().any(|s| s.goal.is_some()));
        for (i, step) in lesson.steps.iter().enumerate() {
            let mut config = C::default();
            for (key, raw) in &step.preset {
                set(&mut config, key, raw).unwrap_or_else(|e| panic!("step {}: {e}", i + 1));
            }
            for a in &step.actions {
                assert!(actions.contains(&a.as_str()), "step {}: unknown action {a}", i + 1);
            }
            for c in step.goal.iter().flat_map(|g| &g.conditions) {
                let known = match c.subject.split_once(':') {
                    Some(("param", key)) => C::spec(key).is_some(),
                    Some(("metric", name)) => metrics.contains(&name),
                    _ => false,
                };
                assert!(known, "step {}: unknown goal subject {}", i + 1, c.subject);
            }
        }
    }

    #[test]
    fn hash_ring_lesson_is_complete_and_valid() {
        check::<scalelab_sim::hashring::Config>(
            HASH_RING_JSON,
            7,
            &["add_node", "remove_last", "play", "pause", "reset"],
            &[
                "nodes",
                "keys-moved",
                "ideal-moved",
                "load-cv",
                "peak-to-mean",
                "lookup-cost",
            ],
        );
    }

    #[test]
    fn capacity_lesson_is_complete_and_valid() {
        check::<scalelab_sim::capacity::Config>(
            CAPACITY_JSON,
            6,
            &["play", "pause", "reset"],
            &[
                "utilization",
                "p99-ms",
                "servers",
                "wait-probability",
                "mean-wait-ms",
                "db-reads-per-s",
                "cost-per-hour",
            ],
        );
    }

    #[test]
    fn cache_lesson_is_complete_and_valid() {
        check::<scalelab_sim::cache::Config>(
            CACHE_JSON,
            7,
            crate::labs::cache::ACTIONS,
            &[
                "hit-ratio",
                "theory-hit-ratio",
                "db-reads-per-s",
                "db-writes-per-s",
                "latency-p50-ms",
                "latency-p99-ms",
                "stale-reads",
                "stale-read-ratio",
                "lost-writes",
                "db-peak-concurrency",
                "write-queue",
                "hot-key-db-reads",
                "lock-waits",
                "requests",
            ],
        );
    }

    #[test]
    fn circuit_breaker_lesson_is_complete_and_valid() {
        check_with::<scalelab_sim::breaker::Config>(
            CIRCUIT_BREAKER_JSON,
            7,
            crate::labs::circuit_breaker::ACTIONS,
            &[
                "state",
                "failure-rate",
                "slow-call-rate",
                "consecutive-failures",
                "window-calls",
                "rejected",
                "transitions",
                "caller-success-ratio",
                "outage-success-ratio",
                "pool-peak",
                "outage-pool-usage",
                "pool-full",
                "latency-p99-ms",
                "requests",
                "outage-requests",
            ],
            |c, key, raw| c.set_field(key, raw),
        );
    }
}
