//! The two claims of the breaker lesson that its JSON facts cannot state (a card's text and a
//! transition's reason); every other number of the lesson is a fact in
//! `src/lessons/circuit_breaker.json`, checked by `labs::lessons_hold`.

use super::metrics;
use super::state::BreakerState;
use crate::kit::Driver;
use crate::lessons;
use scalelab_sim::breaker::{BreakerLab, Config, Snapshot};
use scalelab_sim::engine::time::from_secs;

/// Step `n` (1-based) of the lesson run to 10 s after the outage, or to its script's last call.
fn run_step(n: usize, tweak: impl FnOnce(&mut Config)) -> Snapshot {
    let lesson = lessons::CIRCUIT_BREAKER;
    let mut config = Driver::<BreakerState>::step_setup(Some(&lesson), n - 1, 1);
    tweak(&mut config);
    let outage_end = from_secs(config.outage_end_s + super::state::AFTER_OUTAGE_SECS);
    let mut lab = BreakerLab::new(config).expect("preset is valid");
    lab.step_until(lab.script_end().unwrap_or(outage_end));
    lab.snapshot()
}

#[test]
fn step_4_the_failure_rate_card_says_it_is_undecided_below_the_minimum() {
    let s = run_step(4, |_| {});
    assert_eq!(s.failure_rate, -1.0);
    let display = metrics::metrics(&s)
        .into_iter()
        .find(|m| m.name == "failure-rate")
        .map(|m| m.display);
    assert_eq!(display.as_deref(), Some("\u{2014} (20/100)"));
}

#[test]
fn step_7_the_slow_call_rule_opens_the_breaker() {
    let seeing = run_step(7, |c| c.slow_rate = 50);
    let first = &seeing.transition_log[0];
    assert!(
        first.reason.starts_with("slow-call rate") && first.at_s < 11.5,
        "{first:?}"
    );
}
