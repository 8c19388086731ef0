//! Rewind, checked for every time-driven lab: a run with faults and live setting changes, played
//! in frames; then rewound to a moment it passed, and compared with a fresh page opened from the
//! link copied there; then played forward again on its tape, and compared with the original.

use super::action::LabAction;
use super::controller::LabController;
use super::paced::{PacedLab, PacedRun};
use super::shell::open_lab;
use crate::components::lab_boot::Boot;
use leptos::prelude::*;
use scalelab_sim::engine::time::{from_secs, to_secs};
use std::fmt::Debug;

/// The model a paced lab's controller runs.
trait Run {
    type Model: PacedLab;
}

impl<M: PacedLab> Run for PacedRun<M> {
    type Model = M;
}

/// What the learner does at a simulated second.
enum Do {
    /// One of the lab's actions, by name.
    Act(&'static str),
    /// A setting changed live.
    Set(&'static str, &'static str),
}

/// Plays `run` in frames of `frame_secs` until its clock reaches `t` (the last frame may pass it:
/// inputs land at odd microseconds, as a learner's do).
fn play_to<M: PacedLab>(run: PacedRun<M>, t: f64, frame_secs: f64) {
    for _ in 0..1_000_000 {
        if untrack(|| run.clock_secs()) >= t && !run.busy_untracked() {
            return;
        }
        run.frame(if run.busy_untracked() { 0.0 } else { frame_secs });
        run.publish();
    }
    panic!("the run never reached {t} s");
}

fn settle<M: PacedLab>(run: PacedRun<M>) {
    for _ in 0..1_000_000 {
        if !run.busy_untracked() {
            run.publish();
            return;
        }
        run.frame(0.0);
    }
    panic!("the run never settled");
}

fn snapshot<M: PacedLab>(run: PacedRun<M>) -> M::Snapshot {
    run.lab.with_untracked(|l| l.snapshot())
}

/// A page opened from the link the address bar shows for `run` at its current time.
fn open_link<M: PacedLab>(run: PacedRun<M>) -> PacedRun<M> {
    let mut pairs: Vec<(String, String)> = untrack(|| run.url_pairs())
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    pairs.extend(untrack(|| run.inputs_query()).map(|i| ("inputs".to_string(), i)));
    pairs.push(("seed".into(), untrack(|| run.seed()).to_string()));
    pairs.push(("mode".into(), "sandbox".into()));
    let now = untrack(|| run.clock_secs());
    if now > 0.0 {
        pairs.push(("until".into(), super::rewind::secs_text(from_secs(now))));
    }
    let mut scratch = M::base(1);
    let boot = Boot::from_pairs(pairs, None, |k, raw| M::set(&mut scratch, k, raw));
    let (page, notices) = open_lab::<PacedRun<M>>(&boot, None);
    assert!(notices.is_empty(), "the link is read whole: {notices:?}");
    settle(page);
    page
}

/// The whole check for one lab: `setup` on the defaults, `script` played in frames of
/// `frame_secs` until `end_secs`, a rewind to `mid_secs`.
fn rewind_reproduces<M: PacedLab>(
    setup: &[(&str, &str)],
    script: &[(f64, Do)],
    mid_secs: f64,
    end_secs: f64,
    frame_secs: f64,
) where
    M::Snapshot: PartialEq + Debug,
{
    let mut config = M::base(7);
    for (key, raw) in setup {
        assert!(matches!(M::set(&mut config, key, raw), Some(Ok(()))), "{key}={raw}");
    }
    let run = <PacedRun<M> as LabController>::new(config);
    for (at, what) in script {
        play_to(run, *at, frame_secs);
        match what {
            Do::Act(name) => {
                let action = M::Action::NAMES
                    .iter()
                    .find(|(n, _)| n == name)
                    .unwrap_or_else(|| panic!("{name} is an action"))
                    .1;
                run.act(action);
                settle(run);
            }
            Do::Set(key, raw) => untrack(|| run.set_param(key, raw)).unwrap_or_else(|e| panic!("{key}={raw}: {e}")),
        }
    }
    play_to(run, end_secs, frame_secs);
    let end = untrack(|| run.clock_secs());
    let at_end = snapshot(run);
    let inputs = run.tape.with_untracked(|t| t.inputs().len());
    assert!(inputs >= script.len(), "every input is on the tape ({inputs})");

    run.rewind_to(mid_secs);
    settle(run);
    assert_eq!(untrack(|| run.clock_secs()), mid_secs, "the clock is back");
    let at_mid = snapshot(run);
    assert!(at_mid != at_end, "the rewind changed what the lab shows");
    let linked = open_link(run);
    assert_eq!(untrack(|| linked.clock_secs()), mid_secs);
    same(
        &snapshot(linked),
        &at_mid,
        "a fresh page from the link copied at the rewound moment",
    );

    run.rewind_to(end);
    settle(run);
    assert_eq!(to_secs(run.lab.with_untracked(|l| l.now())), end);
    same(
        &snapshot(run),
        &at_end,
        "played on from the rewind, the tape reproduces the original run",
    );
    same(
        &snapshot(open_link(run)),
        &at_end,
        "a page from the link copied at the end",
    );
}

/// Fails with the first difference between two snapshots' texts (they are long).
fn same<T: PartialEq + Debug>(got: &T, want: &T, what: &str) {
    if got == want {
        return;
    }
    let (got, want) = (format!("{got:?}"), format!("{want:?}"));
    let at = got.bytes().zip(want.bytes()).position(|(a, b)| a != b).unwrap_or(0);
    let from = at.saturating_sub(200);
    panic!(
        "{what}: differs at byte {at}\n got: …{}\nwant: …{}",
        &got[from..(at + 200).min(got.len())],
        &want[from..(at + 200).min(want.len())]
    );
}

#[test]
fn autoscaling() {
    type Lab = <crate::labs::autoscaling::state::AsState as Run>::Model;
    let script = [
        (600.0, Do::Act("kill_instance")),
        (1200.0, Do::Set("target", "50")),
        (1800.0, Do::Act("spike_now")),
    ];
    rewind_reproduces::<Lab>(&[], &script, 1500.0, 2400.0, 37.3);
}

#[test]
fn cache() {
    type Lab = <crate::labs::cache::state::CacheState as Run>::Model;
    let script = [
        (2.0, Do::Act("crash_cache")),
        (3.1, Do::Set("capacity", "500")),
        (3.5, Do::Act("warm_up")),
        (64.0, Do::Act("expire_hot_key")),
    ];
    rewind_reproduces::<Lab>(&[("rate", "1000")], &script, 30.0, 70.0, 0.37);
}

#[test]
fn circuit_breaker() {
    type Lab = <crate::labs::circuit_breaker::state::BreakerState as Run>::Model;
    let script = [
        (1.0, Do::Act("force_open")),
        (2.0, Do::Act("reset_breaker")),
        (3.0, Do::Set("failure_threshold", "3")),
        (4.0, Do::Act("send_failure")),
    ];
    rewind_reproduces::<Lab>(&[], &script, 2.5, 6.0, 0.137);
}

#[test]
fn journey() {
    type Lab = <crate::labs::journey::state::JState as Run>::Model;
    let script = [
        (300.0, Do::Act("fail_region")),
        (900.0, Do::Set("app_servers", "6")),
        (1200.0, Do::Act("spike")),
    ];
    rewind_reproduces::<Lab>(&[], &script, 1000.0, 1500.0, 23.7);
}

#[test]
fn load_balancing() {
    type Lab = <crate::labs::load_balancing::state::LbState as Run>::Model;
    let script = [
        (2.0, Do::Act("kill_server")),
        (3.0, Do::Set("rate", "300")),
        (3.5, Do::Act("warm_up")),
        (40.0, Do::Act("slow_server")),
    ];
    rewind_reproduces::<Lab>(&[("rate", "200")], &script, 20.0, 45.0, 0.37);
}

#[test]
fn queues() {
    type Lab = <crate::labs::queues::state::QState as Run>::Model;
    let script = [
        (2.0, Do::Act("crash_consumer")),
        (3.0, Do::Set("consumers", "3")),
        (4.0, Do::Act("burst")),
    ];
    rewind_reproduces::<Lab>(&[("rate", "100")], &script, 3.5, 8.0, 0.23);
}

#[test]
fn rate_limiting() {
    type Lab = <crate::labs::rate_limiting::state::RlState as Run>::Model;
    let script = [
        (2.0, Do::Act("flood_now")),
        (3.0, Do::Set("limit", "50")),
        (4.0, Do::Act("burst_now")),
    ];
    rewind_reproduces::<Lab>(&[], &script, 3.5, 8.0, 0.23);
}

#[test]
fn replication() {
    type Lab = <crate::labs::replication::state::ReplState as Run>::Model;
    let script = [
        (2.0, Do::Act("slow_replica")),
        (3.0, Do::Set("lag_ms", "200")),
        (4.0, Do::Act("stop_replica")),
    ];
    rewind_reproduces::<Lab>(&[], &script, 3.5, 8.0, 0.23);
}

#[test]
fn sharding() {
    type Lab = <crate::labs::sharding::state::ShardState as Run>::Model;
    let script = [
        (2.0, Do::Act("add_shard")),
        (3.0, Do::Set("rate", "500")),
        (4.0, Do::Act("split_hot_range")),
    ];
    rewind_reproduces::<Lab>(&[("keys", "20000"), ("rate", "1000")], &script, 3.5, 8.0, 0.23);
}

#[test]
fn a_setting_changed_while_a_rewind_replays_lands_at_the_moment_rewound_to() {
    type Lab = <crate::labs::autoscaling::state::AsState as Run>::Model;
    let run = <PacedRun<Lab> as LabController>::new(Lab::base(7));
    play_to(run, 600.0, 37.3);
    run.act(
        <Lab as PacedLab>::Action::NAMES
            .iter()
            .find(|(n, _)| *n == "kill_instance")
            .expect("an action")
            .1,
    );
    play_to(run, 1800.0, 37.3);
    run.rewind_to(900.0);
    assert!(run.busy_untracked(), "the replay runs across frames");
    assert!(
        untrack(|| run.set_param("target", "abc")).is_err(),
        "a refused value is refused at once"
    );
    untrack(|| run.set_param("target", "50")).expect("kept for 900 s");
    settle(run);
    assert_eq!(untrack(|| run.clock_secs()), 900.0);
    assert_eq!(
        untrack(|| run.lookup("param:target")),
        Some(50.0),
        "applied when the replay got there"
    );
    let inputs = run.tape.with_untracked(|t| t.inputs().to_vec());
    assert_eq!(inputs.len(), 2, "{inputs:?}");
    assert_eq!(inputs[1].at, from_secs(900.0));
    same(
        &snapshot(open_link(run)),
        &snapshot(run),
        "a page from the link copied there",
    );
}

#[test]
fn a_setting_changed_while_a_link_fast_forwards_lands_at_its_moment() {
    type Lab = <crate::labs::autoscaling::state::AsState as Run>::Model;
    let pairs = vec![
        ("until".to_string(), "900".to_string()),
        ("mode".to_string(), "sandbox".to_string()),
    ];
    let mut scratch = Lab::base(1);
    let boot = Boot::from_pairs(pairs, None, |k, raw| Lab::set(&mut scratch, k, raw));
    let (page, notices) = open_lab::<PacedRun<Lab>>(&boot, None);
    assert!(notices.is_empty(), "{notices:?}");
    assert!(page.busy_untracked(), "the link's fast-forward runs across frames");
    untrack(|| page.set_param("target", "50")).expect("kept for 900 s");
    settle(page);
    assert_eq!(untrack(|| page.clock_secs()), 900.0);
    assert_eq!(untrack(|| page.lookup("param:target")), Some(50.0));
    let inputs = page.tape.with_untracked(|t| t.inputs().to_vec());
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    assert_eq!(inputs[0].at, from_secs(900.0));
}
