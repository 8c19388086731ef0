//! The lesson test: every step of a lesson run through its lab the way a learner's page runs it
//! (the same controller, the same [`Driver`]), checking what the step claims.
//!
//! For each step: its preset keys are the lab's and their values valid; its actions are the
//! lab's; each stated [`Fact`] holds after the step's run (preset, then actions, queued while the
//! lab is busy exactly as on the page), the fact's settings and its simulated seconds; a goal's
//! subjects exist, the goal is not met before the learner acts, and the settings its text
//! suggests reach it; what a prediction hides exists. Seed 1, the page's default.

use super::{Action, Driver, LabController};
use crate::lessons::{Condition, Fact, Lesson, Move, StepChecks};
use leptos::prelude::*;

/// Frames a step may take to settle (placements, fast-forwards) before the test gives up.
const MAX_FRAMES: usize = 100_000;

/// A fresh lab on lesson step `step` after its run, settled. `Err` if it never settles.
fn run<C: LabController>(lesson: &Lesson, step: usize) -> Result<Driver<C>, String> {
    let driver = Driver::new(C::new(C::base(1)), Some(*lesson));
    driver.run_step(step);
    settle(&driver)?;
    Ok(driver)
}

fn settle<C: LabController>(driver: &Driver<C>) -> Result<(), String> {
    if driver.settle(MAX_FRAMES) {
        Ok(())
    } else {
        Err(format!("the lab did not settle within {MAX_FRAMES} frames"))
    }
}

/// Does what a learner does after a step's run: settings, actions, running the clock.
fn perform<C: LabController>(driver: &Driver<C>, moves: &[Move]) -> Result<(), String> {
    for m in moves {
        match *m {
            Move::Set(key, raw) => driver
                .lab
                .set_param(key, raw)
                .map_err(|e| format!("setting {key}={raw} was refused: {e}"))?,
            Move::Do(name) => {
                if !driver.act_named(name) {
                    return Err(format!("{name} is not an action of the lab"));
                }
            }
            Move::Run(secs) => {
                let now = untrack(|| driver.lab.clock_secs());
                driver.lab.fast_forward_to(now + secs);
            }
        }
        settle(driver)?;
    }
    Ok(())
}

fn describe(c: &Condition, actual: Option<f64>) -> String {
    let op = match c.op {
        crate::lessons::Op::Lt => "<".to_string(),
        crate::lessons::Op::Le => "<=".to_string(),
        crate::lessons::Op::Gt => ">".to_string(),
        crate::lessons::Op::Ge => ">=".to_string(),
        crate::lessons::Op::Eq => "=".to_string(),
        crate::lessons::Op::Near => format!("within {} of", c.tol),
    };
    format!("{} {op} {} (the lab shows {actual:?})", c.subject, c.value)
}

fn check_fact<C: LabController>(lesson: &Lesson, step: usize, fact: &Fact) -> Result<(), String> {
    let driver = run::<C>(lesson, step)?;
    perform(&driver, fact.then)?;
    let actual = untrack(|| driver.lab.lookup(fact.condition.subject));
    if actual.is_some_and(|v| fact.condition.holds(v)) {
        Ok(())
    } else {
        Err(format!("\"{}\": {}", fact.says, describe(&fact.condition, actual)))
    }
}

fn check_goal<C: LabController>(lesson: &Lesson, step: usize, checks: &StepChecks) -> Result<(), String> {
    let Some(goal) = lesson.steps.get(step).and_then(|s| s.goal) else {
        return Ok(());
    };
    // Watching alone (the try's running of the clock, without its settings or actions) must not
    // reach the goal.
    let watching: Vec<Move> = checks
        .goal_try
        .iter()
        .copied()
        .filter(|m| matches!(m, Move::Run(_)))
        .collect();
    // A goal once reached stays reached, so it must not be met on entering the step either,
    // before its run.
    let entered = Driver::new(C::new(C::base(1)), Some(*lesson));
    entered.enter_step(step);
    settle(&entered)?;
    if goal.is_met(|s: &str| untrack(|| entered.lab.lookup(s))) {
        return Err("the goal is already met on entering the step, before its run".into());
    }
    let idle = run::<C>(lesson, step)?;
    perform(&idle, &watching)?;
    if goal.is_met(|s: &str| untrack(|| idle.lab.lookup(s))) {
        return Err("the goal is already met before the learner changes anything".into());
    }
    let driver = run::<C>(lesson, step)?;
    let lookup = |s: &str| untrack(|| driver.lab.lookup(s));
    perform(&driver, checks.goal_try)?;
    if !goal.is_met(lookup) {
        let unmet: Vec<String> = goal
            .conditions
            .iter()
            .filter(|c| !lookup(c.subject).is_some_and(|v| c.holds(v)))
            .map(|c| describe(c, lookup(c.subject)))
            .collect();
        return Err(format!(
            "the suggested settings do not reach the goal: {}",
            unmet.join("; ")
        ));
    }
    Ok(())
}

/// Everything wrong with `lesson` when run on lab `C`, one line per problem (empty: it holds).
pub fn problems<C: LabController>(lesson: &Lesson, checks: &[StepChecks]) -> Vec<String> {
    let mut problems = Vec::new();
    if checks.len() != lesson.steps.len() {
        problems.push("the checks do not match the steps".into());
    }
    for (i, (step, checks)) in lesson.steps.iter().zip(checks).enumerate() {
        let mut say = |msg: String| problems.push(format!("{} step {} ({}): {msg}", lesson.id, i + 1, step.title));
        let mut scratch = C::base(1);
        for &(key, raw) in step.preset {
            match C::set(&mut scratch, key, raw) {
                Some(Ok(())) => {}
                Some(Err(e)) => say(format!("preset {key}={raw} is refused: {}", e.message)),
                None => say(format!("preset key {key} is not a setting of the lab")),
            }
        }
        for name in step.actions {
            if Action::<C::Action>::parse(name).is_none() {
                say(format!("action {name} is not one of the lab's"));
            }
        }
        // What the step hides (its prediction's answer, its goal's) must be something the lab has.
        let hides: Vec<&str> = step
            .predict
            .map_or(&[][..], |p| p.hides)
            .iter()
            .chain(step.hides)
            .chain(step.goal.map_or(&[][..], |g| g.hides))
            .copied()
            .collect();
        for panel in hides.iter().filter_map(|h| h.strip_prefix("panel:")) {
            if !C::PANELS.contains(&panel) {
                say(format!("the step hides panel {panel}, which the lab does not have"));
            }
        }
        if hides.iter().any(|h| h.starts_with("metric:")) {
            match run::<C>(lesson, i) {
                Ok(driver) => {
                    for subject in hides.iter().filter(|h| h.starts_with("metric:")) {
                        if untrack(|| driver.lab.lookup(subject)).is_none() {
                            say(format!("the step hides {subject}, which the lab does not show"));
                        }
                    }
                }
                Err(e) => say(e),
            }
        }
        for fact in checks.facts {
            if let Err(e) = check_fact::<C>(lesson, i, fact) {
                say(e);
            }
        }
        if let Err(e) = check_goal::<C>(lesson, i, checks) {
            say(e);
        }
    }
    problems
}

/// Fails with every problem of `lesson` on lab `C`.
pub fn assert_lesson_holds<C: LabController>(lesson: &Lesson, checks: &[StepChecks]) {
    assert!(
        crate::labs::page(lesson.id).is_some(),
        "lesson {:?}: its id must be the slug of a ready lab in the registry",
        lesson.id
    );
    let problems = problems::<C>(lesson, checks);
    assert!(
        problems.is_empty(),
        "the lesson says what its lab does not do:\n{}",
        problems.join("\n")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::hash_ring::state::RingState;
    use crate::lessons::{Op, Step};

    const STEP: Step = Step {
        title: "Add one",
        body: &["A tenth of the keys move."],
        preset: &[("strategy", "ring"), ("nodes", "10"), ("keys", "10000")],
        actions: &["add_node"],
        predict: None,
        goal: None,
        focus: &[],
        hides: &[],
    };

    const fn fact(value: f64) -> Fact {
        Fact {
            condition: Condition {
                subject: "metric:keys-moved",
                op: Op::Near,
                value,
                tol: 0.02,
            },
            then: &[],
            says: "a tenth of the keys move",
        }
    }

    #[test]
    fn a_fact_the_lab_does_not_bear_out_is_reported_with_what_the_lab_shows() {
        static STEPS: [Step; 1] = [STEP];
        let lesson = Lesson {
            id: "t",
            title: "t",
            steps: &STEPS,
        };
        static TRUE_FACT: [Fact; 1] = [fact(1.0 / 11.0)];
        let checks = [StepChecks {
            facts: &TRUE_FACT,
            goal_try: &[],
        }];
        assert_eq!(problems::<RingState>(&lesson, &checks), Vec::<String>::new());
        static FALSE_FACT: [Fact; 1] = [fact(0.5)];
        let checks = [StepChecks {
            facts: &FALSE_FACT,
            goal_try: &[],
        }];
        let found = problems::<RingState>(&lesson, &checks);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("a tenth of the keys move") && found[0].contains("Some(0.09"),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_actions_and_preset_keys_are_reported() {
        static STEPS: [Step; 1] = [Step {
            preset: &[("servers", "3")],
            actions: &["add_server"],
            ..STEP
        }];
        let lesson = Lesson {
            id: "t",
            title: "t",
            steps: &STEPS,
        };
        let found = problems::<RingState>(
            &lesson,
            &[StepChecks {
                facts: &[],
                goal_try: &[],
            }],
        );
        assert!(found.iter().any(|p| p.contains("preset key servers")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("action add_server")), "{found:?}");
    }
}
