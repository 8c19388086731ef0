//! The lesson tells the truth: every step's preset is run through the core with its actions, and
//! the numbers the narration and the prediction answers quote are checked (seed 1, the default).

use super::metrics;
use super::state::BreakerState;
use crate::kit::Driver;
use crate::lessons::{self, Lesson};
use scalelab_sim::breaker::{BreakerLab, Config, Snapshot, State};
use scalelab_sim::engine::time::from_secs;

fn lesson() -> Lesson {
    lessons::CIRCUIT_BREAKER
}

/// Step `n` (1-based) of the lesson, run as its actions say: to the last scripted call, or to
/// 10 s after the outage.
fn run_step(n: usize, tweak: impl FnOnce(&mut Config)) -> Snapshot {
    let lesson = lesson();
    let mut config = Driver::<BreakerState>::step_setup(Some(&lesson), n - 1, 1);
    tweak(&mut config);
    let actions = lesson.steps[n - 1].actions;
    let outage_end = from_secs(config.outage_end_s + super::state::AFTER_OUTAGE_SECS);
    let mut lab = BreakerLab::new(config).expect("preset is valid");
    let until = match lab.script_end() {
        Some(end) if actions.contains(&"play_script") => end,
        _ => outage_end,
    };
    lab.step_until(until);
    lab.snapshot()
}

fn path(s: &Snapshot) -> Vec<(f64, State, State)> {
    s.transition_log.iter().map(|t| (t.at_s, t.from, t.to)).collect()
}

#[test]
fn step_1_the_cascade_without_a_breaker() {
    let s = run_step(1, |_| {});
    assert!(s.outage_success_ratio < 0.01, "{}", s.outage_success_ratio);
    assert!((0.95..0.99).contains(&s.outage_pool_usage), "{}", s.outage_pool_usage);
    assert_eq!((s.pool_peak, s.latency_p99_ms), (20, 1_000.0));
}

#[test]
fn step_3_the_window_opens_at_the_tenth_call() {
    let s = run_step(3, |_| {});
    assert_eq!(path(&s), [(9.0, State::Closed, State::Open)]);
}

#[test]
fn step_4_twenty_failures_are_below_the_minimum_and_ten_open_with_a_minimum_of_ten() {
    let s = run_step(4, |_| {});
    assert_eq!((s.state, s.failure_rate, s.window_calls), (State::Closed, -1.0, 20));
    let display = metrics::metrics(&s)
        .into_iter()
        .find(|m| m.name == "failure-rate")
        .map(|m| m.display);
    assert_eq!(display.as_deref(), Some("\u{2014} (20/100)"));
    let s = run_step(4, |c| c.min_calls = 10);
    assert_eq!(path(&s).first(), Some(&(9.0, State::Closed, State::Open)));
}

#[test]
fn step_5_three_trials_with_one_failure_close_it() {
    let s = run_step(5, |_| {});
    assert_eq!(
        path(&s),
        [
            (9.0, State::Closed, State::Open),
            (11.0, State::Open, State::HalfOpen),
            (13.0, State::HalfOpen, State::Closed),
        ]
    );
    assert_eq!(s.rejected, 1);
}

#[test]
fn step_6_a_hair_trigger_costs_more_than_the_flakiness_and_a_big_window_reacts_late() {
    let hair = run_step(6, |_| {});
    let none = run_step(6, |c| c.policy = scalelab_sim::breaker::Policy::Disabled);
    assert!(
        (0.92..0.96).contains(&none.outage_success_ratio),
        "{}",
        none.outage_success_ratio
    );
    assert!(
        (0.15..0.25).contains(&hair.outage_success_ratio),
        "{}",
        hair.outage_success_ratio
    );
    // The explanation's hard outage with the fallback on: a big window against 5 in a row.
    let hard = |c: &mut Config| {
        c.dep_failure = 1.0;
        c.fallback = true;
    };
    let big = run_step(6, |c| {
        hard(c);
        c.policy = scalelab_sim::breaker::Policy::CountWindow;
    });
    let five = run_step(6, |c| {
        hard(c);
        c.failure_threshold = 5;
    });
    assert!(
        (0.87..0.91).contains(&big.outage_success_ratio),
        "{}",
        big.outage_success_ratio
    );
    assert!(
        (0.95..0.98).contains(&five.outage_success_ratio),
        "{}",
        five.outage_success_ratio
    );
    let first_open = big.transition_log.first().map_or(0.0, |t| t.at_s);
    assert!(first_open > 12.0, "{first_open}");
}

#[test]
fn step_7_slow_calls_fill_the_pool_until_they_count_as_failures() {
    let blind = run_step(7, |_| {});
    assert!(
        (0.6..0.75).contains(&blind.outage_success_ratio),
        "{}",
        blind.outage_success_ratio
    );
    assert!(blind.pool_full > 500, "{}", blind.pool_full);
    let seeing = run_step(7, |c| c.slow_rate = 50);
    assert!(seeing.outage_success_ratio > 0.95, "{}", seeing.outage_success_ratio);
    let first = &seeing.transition_log[0];
    assert!(
        first.reason.starts_with("slow-call rate") && first.at_s < 11.5,
        "{first:?}"
    );
}

#[test]
fn step_8_the_goal_is_out_of_reach_without_a_breaker_and_within_reach_with_one() {
    let lesson = lesson();
    let goal = lesson.steps[7].goal.expect("the last step has a goal");
    let met = |s: &Snapshot, config: &Config| {
        goal.is_met(|subject| match subject.split_once(':') {
            Some(("metric", name)) => metrics::metric_value(s, name),
            Some(("param", key)) => config.field(key).and_then(|v| v.parse().ok()),
            _ => None,
        })
    };
    let base = Driver::<BreakerState>::step_setup(Some(&lesson), 7, 1);
    let none = run_step(8, |_| {});
    assert!(!met(&none, &base));
    let with = Config {
        policy: scalelab_sim::breaker::Policy::Consecutive,
        ..base
    };
    let s = run_step(8, |c| c.policy = with.policy);
    assert!(met(&s, &with), "{}", s.outage_success_ratio);
}

#[test]
fn step_2_the_loop_goal_needs_the_breaker_back_closed() {
    let lesson = lesson();
    let config = Driver::<BreakerState>::step_setup(Some(&lesson), 1, 1);
    let mut lab = BreakerLab::new(config).unwrap();
    for _ in 0..3 {
        lab.send(scalelab_sim::breaker::Outcome::Failure);
    }
    assert_eq!(metrics::metric_value(&lab.snapshot(), "state"), Some(1.0));
    lab.step_until(from_secs(5.0));
    lab.send(scalelab_sim::breaker::Outcome::Success);
    let s = lab.snapshot();
    assert_eq!((s.transitions, metrics::metric_value(&s, "state")), (3, Some(0.0)));
}
