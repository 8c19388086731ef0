//! Lesson content (JSON sources, one file per lab) and the lesson engine: goals, progress.
//!
//! Lessons are data so authors can edit text without touching code. `build.rs` checks every
//! `src/lessons/<name>.json` and compiles it into a `static <NAME>: Lesson` here (see
//! `src/lessons/compile.rs`), so a typo fails the build, not a learner's page, and no JSON parser ships.

#[cfg(test)]
mod compile;
mod outline;
mod progress;

pub use outline::{outline, Outline, Standing, StepOutline, OUTLINES};
pub use progress::{Progress, Stored};

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// A guided lesson: ordered steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lesson {
    /// Stable id, used as the localStorage key for progress, e.g. `"hash-ring"`.
    pub id: &'static str,
    /// Title shown above the steps.
    pub title: &'static str,
    /// The steps, in order (the URL's `step` is 1-based).
    pub steps: &'static [Step],
}

/// One step of a lesson.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Short heading.
    pub title: &'static str,
    /// Narration, one string per paragraph.
    pub body: &'static [&'static str],
    /// Parameter values (URL-style raw strings, sorted by key) loaded when the step opens; the
    /// run restarts.
    pub preset: &'static [(&'static str, &'static str)],
    /// Lab actions run by the step's "Run it" button (e.g. `"add_node"`, `"play"`).
    pub actions: &'static [&'static str],
    /// A question answered before the actions run and the result is revealed.
    pub predict: Option<Prediction>,
    /// A target the learner reaches by tweaking, checked live.
    pub goal: Option<Goal>,
    /// The metrics the step is about (named by its facts, prediction and goal), shown first and
    /// marked on the metric panel.
    pub focus: &'static [&'static str],
    /// What the step keeps hidden throughout (`metric:<name>`, `panel:<id>`): a later step's
    /// question.
    pub hides: &'static [&'static str],
}

/// A multiple-choice prediction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The question.
    pub question: &'static str,
    /// The options (at least two).
    pub options: &'static [&'static str],
    /// Index of the right option (0-based).
    pub answer: usize,
    /// Shown after answering, whatever the answer.
    pub explanation: &'static str,
    /// What would give the answer away (`metric:<name>`, `panel:<id>`): hidden until the
    /// learner locks in an answer.
    pub hides: &'static [&'static str],
}

/// A live-checked goal: every condition must hold at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Goal {
    /// What to achieve, in words.
    pub text: &'static str,
    /// Conditions on metrics or parameters (at least one).
    pub conditions: &'static [Condition],
    /// A nudge offered after a while without reaching the goal.
    pub hint: &'static str,
    /// What would hand over the answer (`metric:<name>`, `panel:<id>`): hidden until the goal
    /// is reached.
    pub hides: &'static [&'static str],
}

/// A comparison of a condition (`lt`, `le`, `gt`, `ge`, `eq` in the JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Strictly below.
    Lt,
    /// At most.
    Le,
    /// Strictly above.
    Gt,
    /// At least.
    Ge,
    /// Equal (within 1e-9).
    Eq,
    /// Within the condition's `tol` of the value.
    Near,
}

/// One comparison: `subject op value`. The subject is `metric:<name>` or `param:<key>`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Condition {
    /// `metric:<name>` (a metric's test-id name) or `param:<key>` (a parameter key).
    pub subject: &'static str,
    /// The comparison.
    pub op: Op,
    /// The threshold.
    pub value: f64,
    /// Allowed distance for [`Op::Near`] (0 for the other comparisons).
    pub tol: f64,
}

impl Condition {
    /// Whether `actual` satisfies the condition. NaN never does.
    pub fn holds(&self, actual: f64) -> bool {
        if !actual.is_finite() {
            return false;
        }
        match self.op {
            Op::Lt => actual < self.value,
            Op::Le => actual <= self.value,
            Op::Gt => actual > self.value,
            Op::Ge => actual >= self.value,
            Op::Eq => (actual - self.value).abs() < 1e-9,
            Op::Near => (actual - self.value).abs() <= self.tol,
        }
    }
}

/// Something a learner does after a step's run (test builds only).
#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Move {
    /// Changes a setting to a raw value, as a control does (`"vnodes=100"` in the JSON).
    Set(&'static str, &'static str),
    /// Asks for an action by its lesson name (`"stampede"`).
    Do(&'static str),
    /// Runs the clock this many simulated seconds (`"run 10"`).
    Run(f64),
}

/// A fact a step's text states, as the native lesson test checks it: after the step's run (its
/// preset and actions) and the moves `then`, `condition` holds. Test builds only: the wasm does
/// not carry it.
#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fact {
    /// The claim as a comparison, e.g. `metric:keys-moved` near 0.909 within 0.02.
    pub condition: Condition,
    /// What the learner does after the step's run.
    pub then: &'static [Move],
    /// The words of the step the fact backs.
    pub says: &'static str,
}

/// What one step claims, beside its text (test builds only).
#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepChecks {
    /// The facts its text, prediction and explanation state.
    pub facts: &'static [Fact],
    /// What the goal's text suggests (empty without a goal): it must reach the goal.
    pub goal_try: &'static [Move],
}

impl Goal {
    /// Checks every condition, looking subjects up with `lookup` (`None` = unknown: not met).
    pub fn is_met(&self, lookup: impl Fn(&str) -> Option<f64>) -> bool {
        !self.conditions.is_empty()
            && self
                .conditions
                .iter()
                .all(|c| lookup(c.subject).is_some_and(|v| c.holds(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_compare_and_reject_nan() {
        let c = Condition {
            subject: "metric:load-cv",
            op: Op::Lt,
            value: 0.1,
            tol: 0.0,
        };
        assert!(c.holds(0.05));
        assert!(!c.holds(0.1));
        assert!(!c.holds(f64::NAN));
        let eq = Condition { op: Op::Eq, ..c };
        assert!(eq.holds(0.1) && !eq.holds(0.2));
        let near = Condition {
            op: Op::Near,
            tol: 0.02,
            ..c
        };
        assert!(near.holds(0.115) && near.holds(0.085) && !near.holds(0.13) && !near.holds(f64::NAN));
    }

    #[test]
    fn goals_need_every_condition() {
        let g = Goal {
            text: "x",
            conditions: &[
                Condition {
                    subject: "metric:a",
                    op: Op::Lt,
                    value: 1.0,
                    tol: 0.0,
                },
                Condition {
                    subject: "param:b",
                    op: Op::Le,
                    value: 10.0,
                    tol: 0.0,
                },
            ],
            hint: "h",
            hides: &[],
        };
        assert!(g.is_met(|s| Some(if s == "metric:a" { 0.5 } else { 10.0 })));
        assert!(!g.is_met(|s| if s == "metric:a" { Some(0.5) } else { None }));
    }
}

/// The lessons' shape; what they say is checked step by step against their labs by
/// `labs::lessons_hold` (actions, presets, goal subjects, stated facts, goals reachable).
#[cfg(test)]
mod content_tests {
    use super::*;

    #[test]
    fn every_lesson_has_predictions_a_goal_and_enough_steps() {
        for (lesson, min_steps) in [
            (&HASH_RING, 7),
            (&CACHE, 7),
            (&REPLICATION, 7),
            (&CIRCUIT_BREAKER, 7),
            (&CAPACITY, 6),
        ] {
            assert!(lesson.steps.len() >= min_steps, "{}", lesson.id);
            assert!(
                lesson.steps.iter().filter(|s| s.predict.is_some()).count() >= 2,
                "{}",
                lesson.id
            );
            assert!(lesson.steps.iter().any(|s| s.goal.is_some()), "{}", lesson.id);
        }
    }
}
