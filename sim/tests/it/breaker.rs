//! Circuit breaker reference tests: each number in REFERENCES.md ("Circuit breaker") is
//! reproduced here (Fowler's consecutive breaker, resilience4j's windows with their defaults,
//! Hystrix's settings), plus the lab's promises: scripts replay exactly, the running system shows
//! the cascade without a breaker and not with one, runs are deterministic, hostile input is
//! rejected.

use scalelab_sim::breaker::{
    parse_outcomes, Breaker, BreakerLab, BreakerSettings, Call, CallKind, Comparison, Config, Outcome, Policy,
    SendReport, State, MAX_OUTCOMES, STRIP_MAX, TIMELINE_KEPT, TRANSITIONS_KEPT,
};
use scalelab_sim::engine::time::{from_millis, from_secs, to_secs, MICROS_PER_MILLI};
use scalelab_sim::params::Params;

/// A lab without clients (`rate` 0): only the calls the test sends.
fn quiet(config: Config) -> BreakerLab {
    BreakerLab::new(Config { rate: 0.0, ..config }).expect("valid config")
}

fn window_policy(policy: Policy, window: u32, min_calls: u32) -> Config {
    Config {
        policy,
        window,
        min_calls,
        ..Config::default()
    }
}

/// Sends `script` (S, F, L) at the current time and returns the 1-based index of the call at
/// which the breaker opened, if it did.
fn opens_at(lab: &mut BreakerLab, script: &str) -> Option<usize> {
    let calls = parse_outcomes(script).expect("valid script");
    calls
        .into_iter()
        .enumerate()
        .find_map(|(i, outcome)| (lab.send(outcome).state == State::Open).then_some(i + 1))
}

/// `count` copies of `letter`.
fn repeat(letter: char, count: usize) -> String {
    std::iter::repeat_n(letter, count).collect()
}

/// The reason of the latest transition.
fn last_reason(lab: &BreakerLab) -> String {
    lab.snapshot()
        .transition_log
        .last()
        .map(|t| t.reason.clone())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Fowler's consecutive-failures breaker (the seeds' version).

#[test]
fn consecutive_opens_on_the_nth_failure_in_a_row_and_not_before() {
    // (threshold, script, call at which it opens)
    let cases: [(u32, &str, Option<usize>); 7] = [
        (5, "FFFF", None),
        (5, "FFFFF", Some(5)),
        (5, "FFFFSFFFF", None),
        (5, "FFFFSFFFFF", Some(10)),
        (5, "LFFFFSFFF", None),
        (1, "SSF", Some(3)),
        (3, "FFSFFSFFF", Some(9)),
    ];
    for (failure_threshold, script, expected) in cases {
        let mut lab = quiet(Config {
            failure_threshold,
            ..Config::default()
        });
        assert_eq!(
            opens_at(&mut lab, script),
            expected,
            "threshold {failure_threshold}, {script}"
        );
    }
    let mut lab = quiet(Config::default());
    assert_eq!(opens_at(&mut lab, "FFFFSFFFF"), None);
    assert_eq!(lab.snapshot().consecutive_failures, 4, "the success reset the count");
    lab.send(Outcome::Failure);
    let s = lab.snapshot();
    assert_eq!(s.state, State::Open);
    assert_eq!(s.transition_log[0].reason, "5 failures in a row (threshold 5)");
    assert_eq!(s.failure_rate, -1.0, "the consecutive policy has no rate");
}

#[test]
fn consecutive_trial_call_after_the_wait_closes_or_reopens() {
    let mut lab = quiet(Config::default()); // wait 5 s
    lab.step_until(from_secs(2.0));
    assert_eq!(opens_at(&mut lab, "FFFFF"), Some(5));
    assert_eq!(lab.snapshot().open_until_s, Some(7.0));
    // While open, calls are rejected and change nothing.
    lab.step_until(from_secs(6.999));
    assert!(!lab.send(Outcome::Success).permitted());
    assert_eq!(lab.snapshot().state, State::Open);
    // Half-open exactly at the end of the wait, even without a call.
    lab.step_until(from_secs(7.5));
    let s = lab.snapshot();
    assert_eq!(s.state, State::HalfOpen);
    assert_eq!(s.state_since_s, 7.0);
    // One trial: a failure reopens and restarts the wait from now.
    let report = lab.send(Outcome::Failure);
    assert!(report.permitted());
    assert_eq!(report.state, State::Open);
    assert_eq!(
        report.transitions.last().map(|t| t.reason.as_str()),
        Some("the trial call failed")
    );
    assert_eq!(lab.snapshot().open_until_s, Some(12.5));
    lab.step_until(from_secs(12.5));
    assert_eq!(lab.snapshot().state, State::HalfOpen);
    // Exactly one trial is let through: with the trial still in flight, the next is rejected.
    let mut breaker = Breaker::new(BreakerSettings::default());
    for _ in 0..5 {
        breaker.call(
            0,
            Call {
                failed: true,
                duration: 0,
            },
        );
    }
    let at = from_secs(5.0);
    let trial = breaker.try_acquire(at).expect("one trial call");
    assert!(breaker.try_acquire(at).is_none(), "a second trial call is rejected");
    breaker.record(
        at,
        trial,
        Call {
            failed: false,
            duration: 0,
        },
    );
    assert_eq!(breaker.state(), State::Closed);
    // A success closes.
    let report = lab.send(Outcome::Success);
    assert_eq!(report.state, State::Closed);
    let log = lab.snapshot().transition_log;
    let path: Vec<(f64, State, State)> = log.iter().map(|t| (t.at_s, t.from, t.to)).collect();
    assert_eq!(
        path,
        vec![
            (2.0, State::Closed, State::Open),
            (7.0, State::Open, State::HalfOpen),
            (7.5, State::HalfOpen, State::Open),
            (12.5, State::Open, State::HalfOpen),
            (12.5, State::HalfOpen, State::Closed),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// resilience4j's sliding windows.

#[test]
fn defaults_fifty_failures_of_a_hundred_open_and_forty_nine_do_not() {
    let fifty = [
        repeat('F', 50) + &repeat('S', 50),
        repeat('S', 50) + &repeat('F', 50),
        "FS".repeat(50),
    ];
    for policy in [Policy::CountWindow, Policy::TimeWindow] {
        // resilience4j's defaults: window 100, minimum 100, threshold 50%.
        let config = Config {
            policy,
            ..Config::default()
        };
        assert_eq!((config.window, config.min_calls, config.failure_rate), (100, 100, 50));
        for script in &fifty {
            let mut lab = quiet(config.clone());
            assert_eq!(opens_at(&mut lab, script), Some(100), "{policy:?}");
            assert_eq!(last_reason(&lab), "failure rate 50% >= 50% over 100 calls");
            assert_eq!(lab.snapshot().failure_rate, 50.0);
        }
        let mut lab = quiet(config.clone());
        assert_eq!(
            opens_at(&mut lab, &(repeat('F', 49) + &repeat('S', 51))),
            None,
            "{policy:?}"
        );
        let s = lab.snapshot();
        assert_eq!((s.failure_rate, s.window_calls, s.window_failures), (49.0, 100, 49));
        // Nothing opens before the minimum number of calls, even at 100% failures.
        let mut lab = quiet(config.clone());
        assert_eq!(opens_at(&mut lab, &repeat('F', 99)), None, "{policy:?}");
        let s = lab.snapshot();
        assert_eq!((s.failure_rate, s.slow_rate, s.min_calls), (-1.0, -1.0, 100));
        assert_eq!(opens_at(&mut lab, "F"), Some(1));
        assert_eq!(last_reason(&lab), "failure rate 100% >= 50% over 100 calls");
    }
}

#[test]
fn count_window_minimum_is_capped_at_the_window_size() {
    // Window 10, minimum 100: decides at the 10th call.
    let config = window_policy(Policy::CountWindow, 10, 100);
    let cases: [(&str, Option<usize>); 4] = [
        ("FFFFFFFFFF", Some(10)),
        ("FFFFFSSSSS", Some(10)),
        ("FFFFSSSSSS", None),
        ("SSSSSSFFFFF", Some(11)),
    ];
    for (script, expected) in cases {
        let mut lab = quiet(config.clone());
        assert_eq!(opens_at(&mut lab, script), expected, "{script}");
    }
    let mut lab = quiet(config.clone());
    assert_eq!(opens_at(&mut lab, &repeat('F', 9)), None);
    assert_eq!(lab.snapshot().failure_rate, -1.0);
    assert_eq!(lab.snapshot().min_calls, 10);
    assert_eq!(opens_at(&mut lab, "F"), Some(1));
    assert_eq!(last_reason(&lab), "failure rate 100% >= 50% over 10 calls");
    // The window slides: after 100 calls only the last 10 count.
    let mut lab = quiet(config);
    assert_eq!(opens_at(&mut lab, &(repeat('F', 4) + &repeat('S', 96))), None);
    let s = lab.snapshot();
    assert_eq!((s.window_calls, s.window_failures, s.failure_rate), (10, 0, 0.0));
    assert_eq!(s.window_strip.len(), 10);
}

#[test]
fn half_open_permits_exactly_k_calls_and_rejects_the_next() {
    for k in [1u32, 3, 10] {
        let settings = BreakerSettings {
            half_open_calls: k,
            ..BreakerSettings::from_config(&window_policy(Policy::CountWindow, 10, 10))
        };
        let mut breaker = Breaker::new(settings);
        for _ in 0..10 {
            breaker.call(
                0,
                Call {
                    failed: true,
                    duration: 0,
                },
            );
        }
        assert_eq!(breaker.state(), State::Open);
        let at = from_secs(5.0);
        let permits: Vec<_> = (0..k).map_while(|_| breaker.try_acquire(at)).collect();
        assert_eq!(permits.len(), k as usize, "k = {k}");
        assert!(breaker.try_acquire(at).is_none(), "call k + 1 rejected (k = {k})");
        assert_eq!(breaker.metrics().trial_permitted, k);
        // No decision until all k are recorded; then successes close it.
        for (i, permit) in permits.into_iter().enumerate() {
            assert_eq!(breaker.state(), State::HalfOpen, "after {i} of {k}");
            breaker.record(
                at,
                permit,
                Call {
                    failed: false,
                    duration: 0,
                },
            );
        }
        assert_eq!(breaker.state(), State::Closed);
    }
    // The trial calls' rates decide: 5 failures of 10 reopen, 4 close.
    for (failures, expected, reason) in [
        (5, State::Open, "failure rate 50% >= 50% over 10 trial calls"),
        (
            4,
            State::Closed,
            "failure rate 40% < 50% and slow-call rate 0% < 100% over 10 trial calls",
        ),
    ] {
        let mut lab = quiet(window_policy(Policy::CountWindow, 10, 10));
        opens_at(&mut lab, &repeat('F', 10));
        lab.step_until(from_secs(5.0));
        assert_eq!(lab.snapshot().state, State::HalfOpen);
        assert_eq!(lab.snapshot().trial_limit, 10);
        let script = repeat('F', failures) + &repeat('S', 10 - failures);
        for outcome in parse_outcomes(&script).unwrap() {
            lab.send(outcome);
        }
        assert_eq!(lab.snapshot().state, expected);
        assert_eq!(last_reason(&lab), reason);
    }
}

#[test]
fn late_results_do_not_count_as_trial_calls() {
    let settings = BreakerSettings {
        half_open_calls: 2,
        wait: from_millis(100.0),
        ..BreakerSettings::from_config(&window_policy(Policy::CountWindow, 4, 4))
    };
    let mut breaker = Breaker::new(settings);
    let slow_one = breaker.try_acquire(0).expect("closed");
    for _ in 0..4 {
        breaker.call(
            0,
            Call {
                failed: true,
                duration: 0,
            },
        );
    }
    let at = from_millis(150.0);
    let trial = breaker.try_acquire(at).expect("half-open");
    // The call let through while closed ends now: ignored by the trial.
    breaker.record(
        at,
        slow_one,
        Call {
            failed: true,
            duration: at,
        },
    );
    assert_eq!(breaker.metrics().calls, 0);
    breaker.record(
        at,
        trial,
        Call {
            failed: false,
            duration: 0,
        },
    );
    assert_eq!(breaker.state(), State::HalfOpen, "one trial call of two recorded");
}

#[test]
fn a_call_is_slow_only_strictly_above_the_threshold() {
    let threshold = from_millis(500.0);
    let cases = [
        (false, threshold - 1, CallKind::Success),
        (false, threshold, CallKind::Success),
        (false, threshold + 1, CallKind::Slow),
        (true, threshold, CallKind::Failure),
        (true, threshold + 1, CallKind::SlowFailure),
    ];
    for (failed, duration, expected) in cases {
        assert_eq!(
            CallKind::classify(Call { failed, duration }, threshold),
            expected,
            "{duration} µs"
        );
    }
    // Slow-call rate 100% (resilience4j's default) over a window of 10.
    let settings = BreakerSettings::from_config(&window_policy(Policy::CountWindow, 10, 10));
    assert_eq!((settings.slow_threshold, settings.slow_rate), (threshold, 100));
    let mut at_threshold = Breaker::new(settings);
    let mut above = Breaker::new(settings);
    for _ in 0..10 {
        at_threshold.call(
            0,
            Call {
                failed: false,
                duration: threshold,
            },
        );
        above.call(
            0,
            Call {
                failed: false,
                duration: threshold + 1,
            },
        );
    }
    assert_eq!(at_threshold.state(), State::Closed);
    assert_eq!(at_threshold.metrics().slow_rate, 0.0);
    assert_eq!(above.state(), State::Open);
    assert_eq!(
        above.transitions()[0].reason,
        "slow-call rate 100% >= 100% over 10 calls"
    );
    // A script of slow calls (L) does the same.
    let mut lab = quiet(window_policy(Policy::CountWindow, 10, 10));
    assert_eq!(opens_at(&mut lab, &repeat('L', 10)), Some(10));
    assert_eq!(lab.snapshot().window_slow, 10);
}

#[test]
fn time_window_forgets_old_calls() {
    // Window 10 s (buckets of one second), minimum 5 calls.
    let config = window_policy(Policy::TimeWindow, 10, 5);
    let failures_at = |times: &[f64]| {
        let mut lab = quiet(config.clone());
        let mut opened = None;
        for (i, &t) in times.iter().enumerate() {
            lab.step_until(from_secs(t));
            if lab.send(Outcome::Failure).state == State::Open && opened.is_none() {
                opened = Some(i + 1);
            }
        }
        (opened, lab)
    };
    // Five failures within ten seconds open it.
    assert_eq!(failures_at(&[0.0, 1.0, 2.0, 3.0, 9.9]).0, Some(5));
    // At 10.5 s the window holds seconds 1 to 10: the call at 0 s is forgotten, 4 remain.
    let (opened, lab) = failures_at(&[0.0, 1.0, 2.0, 3.0, 10.5]);
    assert_eq!(opened, None);
    let s = lab.snapshot();
    assert_eq!((s.window_calls, s.failure_rate), (4, -1.0));
    assert_eq!(s.window_strip.len(), 4);
    assert_eq!(s.window_strip[0].at_s, 1.0);
    // Time passing alone empties it.
    let mut lab = lab;
    lab.step_until(from_secs(30.0));
    assert_eq!(lab.snapshot().window_calls, 0);
    assert!(lab.snapshot().window_strip.is_empty());
    assert_eq!(failures_at(&[0.0, 1.0, 2.0, 3.0, 10.5, 10.6]).0, Some(6));
}

#[test]
fn hystrix_no_trip_below_twenty_requests_trips_at_half_one_trial_after_five_seconds() {
    // Hystrix: 20 requests in a 10 s window, 50% errors, one trial after 5 s.
    let hystrix = Config {
        policy: Policy::TimeWindow,
        window: 10,
        min_calls: 20,
        failure_rate: 50,
        wait_ms: 5_000,
        half_open_calls: 1,
        ..Config::default()
    };
    let mut lab = quiet(hystrix.clone());
    assert_eq!(opens_at(&mut lab, &repeat('F', 19)), None);
    assert_eq!(opens_at(&mut lab, "F"), Some(1));
    for (script, expected) in [("FS".repeat(10), Some(20)), (repeat('F', 9) + &repeat('S', 11), None)] {
        let mut lab = quiet(hystrix.clone());
        assert_eq!(opens_at(&mut lab, &script), expected, "{script}");
    }
    lab.step_until(from_secs(4.999));
    assert_eq!(lab.snapshot().state, State::Open);
    lab.step_until(from_secs(5.0));
    assert_eq!(lab.snapshot().state, State::HalfOpen);
    let mut breaker = Breaker::new(BreakerSettings::from_config(&hystrix));
    for _ in 0..20 {
        breaker.call(
            0,
            Call {
                failed: true,
                duration: 0,
            },
        );
    }
    assert!(breaker.try_acquire(from_secs(5.0)).is_some());
    assert!(breaker.try_acquire(from_secs(5.0)).is_none());
}

// ---------------------------------------------------------------------------------------------
// Manual states, the script, and the running system.

#[test]
fn forced_open_and_disabled_by_hand() {
    let mut lab = quiet(Config::default());
    lab.force_open();
    assert_eq!(lab.snapshot().state, State::ForcedOpen);
    assert_eq!(last_reason(&lab), "forced open by hand");
    lab.step_until(from_secs(60.0));
    assert!(
        !lab.send(Outcome::Success).permitted(),
        "forced open stays open after any wait"
    );
    lab.disable();
    assert_eq!(opens_at(&mut lab, &repeat('F', 100)), None);
    let s = lab.snapshot();
    assert_eq!((s.state, s.window_strip.len(), s.rejected), (State::Disabled, 0, 1));
    lab.reset_breaker();
    assert_eq!(lab.snapshot().state, State::Closed);
    assert_eq!(opens_at(&mut lab, "FFFFF"), Some(5));
    let states: Vec<State> = lab.snapshot().state_timeline.iter().map(|m| m.state).collect();
    assert_eq!(
        states,
        [
            State::Closed,
            State::ForcedOpen,
            State::Disabled,
            State::Closed,
            State::Open
        ]
    );
    // Policy `disabled` is no breaker: home state disabled, every call passes.
    let mut none = quiet(Config {
        policy: Policy::Disabled,
        ..Config::default()
    });
    assert_eq!(opens_at(&mut none, &repeat('F', 50)), None);
    none.force_open();
    none.reset_breaker();
    assert_eq!(none.snapshot().state, State::Disabled);
}

#[test]
fn the_script_replays_the_same_transitions_every_time() {
    // Consecutive, threshold 5, wait 5 s, one call a second: open at 4 s, calls at 5..8 s
    // rejected, half-open at 9 s and the trial closes it.
    let config = Config {
        outcomes: "FFFFFSSSSSSF".to_string(),
        ..Config::default()
    };
    let mut lab = BreakerLab::new(config.clone()).unwrap();
    lab.step_until(from_secs(20.0));
    let s = lab.snapshot();
    let path: Vec<(f64, State, State, &str)> = s
        .transition_log
        .iter()
        .map(|t| (t.at_s, t.from, t.to, t.reason.as_str()))
        .collect();
    assert_eq!(
        path,
        vec![
            (4.0, State::Closed, State::Open, "5 failures in a row (threshold 5)"),
            (
                9.0,
                State::Open,
                State::HalfOpen,
                "waited 5 s in OPEN: 1 trial call permitted"
            ),
            (9.0, State::HalfOpen, State::Closed, "the trial call succeeded"),
        ]
    );
    assert_eq!(
        (s.script_calls, s.script_played, s.rejected, s.requests),
        (12, 12, 4, 0)
    );
    assert_eq!(s.consecutive_failures, 1);
    let first = s.transition_log.clone();
    // Replaying, rebuilding from the URL, or stepping in slices gives the same transitions.
    lab.send(Outcome::Failure);
    lab.replay_script();
    assert_eq!(lab.now(), 0);
    lab.step_until(from_secs(20.0));
    assert_eq!(lab.snapshot().transition_log, first);
    let mut from_url = BreakerLab::new(Config::default()).unwrap();
    from_url.set_param("outcomes", "FFFFFSSSSSSF").unwrap();
    for tenth in 1..=200 {
        from_url.step_until(from_secs(f64::from(tenth) / 10.0));
    }
    assert_eq!(from_url.snapshot().transition_log, first);
    // Mid-way, the script has played exactly the calls due, and knows when the next is.
    let mut half = BreakerLab::new(config).unwrap();
    assert_eq!(
        (half.next_script_call(), half.script_end()),
        (Some(0), Some(from_secs(11.0)))
    );
    half.step_until(from_secs(4.5));
    assert_eq!(half.next_script_call(), Some(from_secs(5.0)));
    let s = half.snapshot();
    assert_eq!((s.script_played, s.state), (5, State::Open));
    let letters: Vec<CallKind> = s.window_strip.iter().map(|c| c.kind).collect();
    assert_eq!(letters, vec![CallKind::Failure; 5]);
    half.step_until(from_secs(11.0));
    assert_eq!(half.next_script_call(), None);
    let plain = BreakerLab::new(Config::default()).unwrap();
    assert_eq!((plain.next_script_call(), plain.script_end()), (None, None));
}

fn cascade_rows(fallback: bool) -> Vec<scalelab_sim::breaker::CompareRow> {
    // Defaults: 100 req/s, pool 20, 50 ms calls, timeout 1 s, the dependency down from 10 s to 40 s.
    let base = Config {
        fallback,
        ..Config::default()
    };
    let mut compare = Comparison::with_and_without(&base).unwrap();
    compare.step_until(from_secs(60.0));
    compare.rows()
}

#[test]
fn without_a_breaker_the_pool_fills_and_the_caller_fails_with_one_it_does_not() {
    let rows = cascade_rows(true);
    let (with, without) = (&rows[0], &rows[1]);
    assert_eq!(with.workload_fingerprint, without.workload_fingerprint, "same requests");
    assert_eq!(with.requests, without.requests);
    assert!((5_500..6_500).contains(&with.requests), "{}", with.requests);
    // No breaker: every thread hangs for the whole timeout and most clients are turned away.
    assert!(without.outage_success_ratio < 0.01, "{without:?}");
    assert!(without.outage_pool_usage > 0.95, "{without:?}");
    assert!(without.pool_full > 2_000, "{without:?}");
    assert_eq!(without.pool_peak, 20);
    assert_eq!(without.latency_p99_ms, 1_000.0);
    assert_eq!((without.rejected, without.transitions), (0, 0));
    // A breaker (consecutive, 5 failures, 5 s wait) with a fallback: it opens about a second in,
    // the pool drains and stays nearly free, and the clients keep getting answers.
    assert!(with.outage_success_ratio > 0.9, "{with:?}");
    assert!(with.outage_pool_usage < 0.1, "{with:?}");
    assert!(with.pool_full < 200, "{with:?}");
    assert!(with.rejected > 2_000, "{with:?}");
    assert!(with.latency_p99_ms < 200.0, "{with:?}");
    assert!(with.caller_success_ratio > 0.95, "{with:?}");
    assert!(without.caller_success_ratio < 0.55, "{without:?}");
}

#[test]
fn without_a_fallback_the_breaker_still_fails_fast_and_keeps_the_pool_free() {
    let rows = cascade_rows(false);
    let (with, without) = (&rows[0], &rows[1]);
    // A dependency that is down fails every call either way...
    assert!(with.outage_success_ratio < 0.01 && without.outage_success_ratio < 0.01);
    // ...but with the breaker the failures are immediate and the caller's threads stay free.
    assert!(with.outage_pool_usage < 0.1 && without.outage_pool_usage > 0.95);
    assert!(with.latency_p99_ms < 200.0 && without.latency_p99_ms >= 1_000.0);
}

/// The default system with a slow outage: the dependency never fails, it answers in about
/// `latency_ms` (calls past the 1 s timeout fail at the timeout).
fn slow_outage(policy: Policy, latency_ms: u32, slow_rate: u32) -> scalelab_sim::breaker::Snapshot {
    let mut lab = BreakerLab::new(Config {
        policy,
        window: 20,
        min_calls: 20,
        slow_rate,
        dep_failure: 0.0,
        dep_latency_ms: latency_ms,
        ..Config::default()
    })
    .unwrap();
    lab.step_until(from_secs(50.0));
    lab.snapshot()
}

#[test]
fn a_slow_dependency_fills_the_pool_and_only_the_slow_call_rate_sees_it() {
    // Healthy latency is the default: an outage with no failures is no outage at all.
    let calm = slow_outage(Policy::Disabled, 50, 100);
    assert!(calm.outage_success_ratio > 0.99, "{}", calm.outage_success_ratio);
    assert!(calm.pool_peak < 20 && calm.pool_full == 0, "{}", calm.pool_peak);
    // About 0.9 s per call at 100 req/s needs ~80 threads: the pool of 20 fills (the cascade),
    // though the dependency itself answers most calls.
    let none = slow_outage(Policy::Disabled, 900, 100);
    assert!(none.outage_pool_usage > 0.95, "{}", none.outage_pool_usage);
    assert!(none.outage_success_ratio < 0.3, "{}", none.outage_success_ratio);
    assert!(none.pool_full > 2_000, "{}", none.pool_full);
    // A failure-rate breaker sees only the calls past the timeout (about a third, under its 50%),
    // and with the slow-call rate threshold at 100% a single fast call in the window keeps it
    // shut: it opens late, on a chance run of timeouts or of slow calls.
    let blind = slow_outage(Policy::CountWindow, 900, 100);
    let opened = |s: &scalelab_sim::breaker::Snapshot| {
        s.transition_log
            .iter()
            .filter(|t| t.from == State::Closed && t.to == State::Open)
            .map(|t| (t.at_s, t.reason.clone()))
            .collect::<Vec<_>>()
    };
    // Slow calls counted as failures: at a 50% slow-call rate it opens on the slowness at once,
    // and the caller keeps answering (fallback).
    let seeing = slow_outage(Policy::CountWindow, 900, 50);
    let first = opened(&seeing);
    assert!(first[0].1.starts_with("slow-call rate"), "{first:?}");
    assert!((10.0..11.5).contains(&first[0].0), "{first:?}");
    assert!(opened(&blind)[0].0 > first[0].0 + 1.0, "{:?}", opened(&blind));
    assert!(seeing.outage_success_ratio > 0.95, "{}", seeing.outage_success_ratio);
    assert!(seeing.outage_pool_usage < 0.2, "{}", seeing.outage_pool_usage);
    assert!(blind.outage_success_ratio < seeing.outage_success_ratio - 0.2);
}

#[test]
fn outage_latency_scales_the_same_draws() {
    // Same seed: the requests and their fates are the same whatever the outage latency, and before
    // the outage nothing differs at all.
    let run = |latency_ms: u32, until: f64| {
        let mut lab = BreakerLab::new(Config {
            policy: Policy::Disabled,
            dep_failure: 0.0,
            dep_latency_ms: latency_ms,
            pool: 1_000,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(until));
        (lab.workload_fingerprint(), lab.snapshot())
    };
    let (a, before_a) = run(50, 9.0);
    let (b, before_b) = run(400, 9.0);
    assert_eq!((a, &before_a), (b, &before_b));
    let (a, fast) = run(50, 40.0);
    let (b, slow) = run(400, 40.0);
    assert_eq!(a, b);
    assert!((45.0..60.0).contains(&fast.latency_mean_ms), "{}", fast.latency_mean_ms);
    // Three quarters of the run is the outage at eight times the latency.
    assert!(
        slow.latency_mean_ms > 5.0 * fast.latency_mean_ms,
        "{}",
        slow.latency_mean_ms
    );
    // The slowest calls of the tail pass the 1 s timeout and fail; healthy ones never do.
    assert_eq!(fast.failed, 0);
    assert!(slow.failed > 0 && slow.failed < slow.requests / 50, "{}", slow.failed);
}

#[test]
fn the_latency_chart_shows_the_cascade() {
    let mut none = BreakerLab::new(Config {
        policy: Policy::Disabled,
        ..Config::default()
    })
    .unwrap();
    let mut with = BreakerLab::new(Config::default()).unwrap();
    none.step_until(from_secs(30.0));
    with.step_until(from_secs(30.0));
    let mean_between = |s: &scalelab_sim::breaker::Snapshot, from: f64, to: f64| {
        let points: Vec<f64> = s
            .latency_series
            .iter()
            .filter(|(t, _)| (from..to).contains(t))
            .map(|p| p.1)
            .collect();
        points.iter().sum::<f64>() / points.len().max(1) as f64
    };
    let (none, with) = (none.snapshot(), with.snapshot());
    assert!(none.latency_series.len() > 100);
    // Healthy: about the dependency's 50 ms either way.
    for s in [&none, &with] {
        let healthy = mean_between(s, 1.0, 10.0);
        assert!((40.0..65.0).contains(&healthy), "{healthy}");
    }
    // Outage: the clients that get a thread wait the whole second (the rest are turned away at
    // once); with the breaker open almost everyone is answered at once by the fallback.
    let hung = mean_between(&none, 15.0, 30.0);
    let fast = mean_between(&with, 15.0, 30.0);
    assert!((150.0..300.0).contains(&hung), "{hung}");
    assert!(fast < 60.0, "{fast}");
}

#[test]
fn restarting_the_counters_shows_the_pool_free_with_a_breaker_and_full_without() {
    // Both fill the pool in the outage's first second (a breaker learns only from calls that
    // time out); from then on only the run without a breaker keeps it full.
    let measure = |policy: Policy| {
        let mut lab = BreakerLab::new(Config {
            policy,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(13.0));
        assert_eq!(lab.snapshot().pool_peak, 20, "{policy:?}");
        lab.reset_stats();
        let fresh = lab.snapshot();
        assert_eq!((fresh.requests, fresh.finished, fresh.outage_requests), (0, 0, 0));
        assert_eq!(fresh.pool_peak, fresh.pool_busy);
        assert_eq!(fresh.caller_success_ratio, -1.0);
        lab.step_until(from_secs(38.0));
        let s = lab.snapshot();
        assert!(s.finished <= s.requests, "{} > {}", s.finished, s.requests);
        assert!((2_300..2_700).contains(&s.requests), "{}", s.requests);
        s
    };
    let without = measure(Policy::Disabled);
    let with = measure(Policy::Consecutive);
    assert_eq!(without.pool_peak, 20);
    assert!(without.outage_pool_usage > 0.95, "{}", without.outage_pool_usage);
    assert!(without.caller_success_ratio < 0.01, "{}", without.caller_success_ratio);
    assert!(with.pool_peak <= 2, "{}", with.pool_peak);
    assert!(with.outage_pool_usage < 0.05, "{}", with.outage_pool_usage);
    assert!(with.caller_success_ratio > 0.99, "{}", with.caller_success_ratio);
    // The breaker's own counts carry on.
    assert!(with.transitions >= 9 && with.rejected > 2_000);
}

#[test]
fn the_breaker_opens_a_second_into_the_outage_and_closes_after_it() {
    let mut lab = BreakerLab::new(Config::default()).unwrap();
    lab.step_until(from_secs(60.0));
    let s = lab.snapshot();
    let log = &s.transition_log;
    let first = &log[0];
    assert_eq!((first.from, first.to), (State::Closed, State::Open));
    assert!((11.0..11.2).contains(&first.at_s), "{first:?}");
    // During the outage every trial fails; after it the next trial closes the breaker for good.
    let last = log.last().unwrap();
    assert_eq!(
        (last.from, last.to, s.state),
        (State::HalfOpen, State::Closed, State::Closed)
    );
    assert!((40.0..47.0).contains(&last.at_s), "{last:?}");
    for t in log.iter().filter(|t| t.from == State::HalfOpen && t.at_s < 40.0) {
        assert_eq!(t.to, State::Open);
    }
    assert_eq!(s.transitions, log.len() as u64);
    assert_eq!(s.state_timeline.len(), log.len() + 1);
    // Charts: the pool was full at the start of the outage, rejections came while open.
    assert!(s
        .pool_series
        .iter()
        .any(|&(t, busy)| (10.0..12.0).contains(&t) && busy >= 20.0));
    assert!(s
        .rejections_series
        .iter()
        .any(|&(t, r)| (15.0..16.0).contains(&t) && r > 80.0));
    assert_eq!(s.latency_histogram.iter().map(|b| b.count).sum::<u64>(), s.finished);
}

#[test]
fn same_seed_same_snapshot_and_slices_do_not_matter() {
    let config = Config {
        policy: Policy::CountWindow,
        window: 20,
        min_calls: 10,
        dep_failure: 0.6,
        seed: 42,
        ..Config::default()
    };
    let run = |slices: u32| {
        let mut lab = BreakerLab::new(config.clone()).unwrap();
        for i in 1..=slices {
            lab.step_until(from_secs(45.0) * u64::from(i) / u64::from(slices));
        }
        lab.snapshot()
    };
    let once = run(1);
    assert_eq!(once, run(1));
    assert_eq!(once, run(977));
    let json = |s: &scalelab_sim::breaker::Snapshot| serde_json::to_string(s).unwrap();
    assert_eq!(json(&once), json(&run(1)));
    assert!(once.transitions > 2, "{}", once.transitions);
    let other = BreakerLab::new(Config { seed: 43, ..config }).map(|mut lab| {
        lab.step_until(from_secs(45.0));
        lab.snapshot()
    });
    assert_ne!(once, other.unwrap());
}

#[test]
fn snapshot_names_match_the_ui() {
    let names: Vec<String> = State::ALL.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
    assert_eq!(
        names,
        [
            "\"closed\"",
            "\"open\"",
            "\"half_open\"",
            "\"forced_open\"",
            "\"disabled\""
        ]
    );
    let mut lab = BreakerLab::new(Config::default()).unwrap();
    lab.step_until(from_secs(12.0));
    let value = serde_json::to_value(lab.snapshot()).unwrap();
    for key in [
        "state",
        "failure_rate",
        "slow_rate",
        "rejected",
        "transitions",
        "caller_success_ratio",
        "pool_peak",
        "window_strip",
        "transition_log",
        "state_timeline",
        "latency_histogram",
        "successes_series",
        "failures_series",
        "rejections_series",
        "pool_series",
        "latency_series",
    ] {
        assert!(value.get(key).is_some(), "{key}");
    }
    assert_eq!(value["state"], "open");
}

#[test]
fn send_reports_what_happened() {
    let mut lab = quiet(Config {
        failure_threshold: 2,
        wait_ms: 1_000,
        ..Config::default()
    });
    let report: SendReport = lab.send(Outcome::Failure);
    assert_eq!(
        (report.kind, report.state, report.transitions.len()),
        (Some(CallKind::Failure), State::Closed, 0)
    );
    let report = lab.send(Outcome::Failure);
    assert_eq!(report.state, State::Open);
    assert_eq!(report.transitions.len(), 1);
    lab.step_until(from_secs(1.0) - 1);
    let report = lab.send(Outcome::Slow);
    assert_eq!((report.kind, report.state), (None, State::Open));
    // The clock moves the breaker half-open at 1 s; the trial (slow, but a success) closes it.
    lab.step_until(from_secs(1.2));
    assert_eq!(lab.snapshot().state, State::HalfOpen);
    let report = lab.send(Outcome::Slow);
    assert_eq!(report.kind, Some(CallKind::Slow));
    let steps: Vec<(State, State)> = report.transitions.iter().map(|t| (t.from, t.to)).collect();
    assert_eq!(steps, [(State::HalfOpen, State::Closed)]);
    assert_eq!(lab.snapshot().learner_calls, 4);
}

// ---------------------------------------------------------------------------------------------
// Hostile input, live changes, bounded memory.

#[test]
fn hostile_values_are_rejected_and_change_nothing() {
    let mut lab = BreakerLab::new(Config::default()).unwrap();
    lab.step_until(from_secs(1.0));
    let before = lab.config().clone();
    let numeric_keys: Vec<&str> = Config::specs()
        .iter()
        .map(|s| s.key)
        .filter(|k| !["policy", "fallback"].contains(k))
        .collect();
    for key in &numeric_keys {
        for bad in [
            "",
            "NaN",
            "inf",
            "-inf",
            "-1",
            "1e300",
            "abc",
            "12; drop",
            "0x10",
            &"9".repeat(100),
        ] {
            assert!(lab.set_param(key, bad).is_err(), "{key} = {bad:?} accepted");
        }
    }
    for (key, bad) in [
        ("failure_rate", "101"),
        ("failure_rate", "0"),
        ("slow_rate", "0"),
        ("window", "0"),
        ("window", "10001"),
        ("min_calls", "2.5"),
        ("wait_ms", "0"),
        ("half_open_calls", "0"),
        ("dep_failure", "1.01"),
        ("dep_latency_ms", "0"),
        ("dep_latency_ms", "60001"),
        ("pool", "0"),
        ("rate", "10001"),
        ("timeout_ms", "0"),
        ("policy", "<script>"),
        ("policy", "CONSECUTIVE"),
        ("fallback", "maybe"),
        ("no_such_key", "1"),
    ] {
        assert!(lab.set_param(key, bad).is_err(), "{key} = {bad:?} accepted");
    }
    let too_long = repeat('S', MAX_OUTCOMES + 1);
    for bad in [
        "FFY",
        "F F",
        "S,F",
        "S\u{0}",
        "S\u{202e}F",
        "<script>",
        "FF🙂",
        too_long.as_str(),
    ] {
        let err = lab.set_param("outcomes", bad).unwrap_err();
        assert_eq!(err.field, "outcomes", "{bad:?}");
    }
    assert_eq!(
        lab.set_param("outcomes", "SSy").unwrap_err().message,
        "\u{201c}y\u{201d} at position 3 is not a call: use S (success), F (failure), L (slow) or X (slow failure)"
    );
    // Lower case is the same script, stored in upper case; X is a slow failure.
    lab.set_param("outcomes", "sfx").unwrap();
    assert_eq!(lab.config().outcomes, "SFX");
    assert!(lab.set_param("outcomes", &repeat('L', MAX_OUTCOMES)).is_ok());
    lab.set_param("outcomes", "").unwrap();
    assert_eq!(lab.config(), &before);
    // Bad values that skip the parser (serde) are caught when the lab is built.
    for bad in [
        Config {
            window: 0,
            ..Config::default()
        },
        Config {
            dep_failure: f64::NAN,
            ..Config::default()
        },
        Config {
            rate: -1.0,
            ..Config::default()
        },
        Config {
            outcomes: "SYF".into(),
            ..Config::default()
        },
        Config {
            outage_end_s: f64::INFINITY,
            ..Config::default()
        },
    ] {
        assert!(BreakerLab::new(bad).is_err());
    }
}

#[test]
fn extreme_settings_run_without_panicking() {
    let extremes = [
        Config {
            policy: Policy::TimeWindow,
            window: 10_000,
            min_calls: 10_000,
            rate: 10_000.0,
            pool: 1_000,
            ..Config::default()
        },
        Config {
            policy: Policy::CountWindow,
            window: 1,
            min_calls: 1,
            wait_ms: 1,
            half_open_calls: 1_000,
            timeout_ms: 1,
            slow_ms: 1,
            pool: 1,
            outage_start_s: 0.0,
            outage_end_s: 3_600.0,
            ..Config::default()
        },
        Config {
            outcomes: repeat('F', MAX_OUTCOMES),
            gap_ms: 1,
            wait_ms: 600_000,
            ..Config::default()
        },
        Config {
            outage_start_s: 30.0,
            outage_end_s: 20.0,
            dep_failure: 0.0,
            ..Config::default()
        },
    ];
    for config in extremes {
        let mut lab = BreakerLab::new(config).unwrap();
        lab.step_until(from_secs(2.0));
        lab.send(Outcome::Slow);
        lab.force_open();
        lab.reset_breaker();
        lab.step_until(from_secs(12.0));
        let s = lab.snapshot();
        assert!(s.window_strip.len() <= STRIP_MAX);
        assert!(s.failure_rate == -1.0 || (0.0..=100.0).contains(&s.failure_rate));
    }
}

#[test]
fn live_changes_apply_and_keep_the_history() {
    let mut lab = BreakerLab::new(Config::default()).unwrap();
    lab.step_until(from_secs(12.0));
    assert_eq!(lab.snapshot().state, State::Open);
    lab.set_param("policy", "count_window").unwrap();
    let s = lab.snapshot();
    assert_eq!((s.state, s.policy), (State::Closed, Policy::CountWindow));
    assert_eq!(
        s.transition_log.last().map(|t| t.reason.as_str()),
        Some("settings changed")
    );
    assert_eq!(s.now_s, 12.0, "the run carries on");
    lab.set_param("rate", "0").unwrap();
    let requests = lab.snapshot().requests;
    lab.step_until(from_secs(20.0));
    assert_eq!(lab.snapshot().requests, requests, "no clients at rate 0");
    lab.set_param("rate", "50").unwrap();
    lab.step_until(from_secs(30.0));
    assert!(lab.snapshot().requests > requests + 300);
    lab.set_param("seed", "2").unwrap_err();
    lab.set_param("fallback", "false").unwrap();
    assert!(!lab.snapshot().fallback);
    // A new script restarts the run from time 0.
    lab.set_param("outcomes", "F").unwrap();
    assert_eq!(lab.now(), 0);
}

#[test]
fn memory_stays_bounded_over_a_long_flapping_run() {
    let config = Config {
        wait_ms: 100,
        failure_threshold: 1,
        timeout_ms: 200,
        dep_failure: 0.5,
        outage_start_s: 0.0,
        outage_end_s: 3_600.0,
        ..Config::default()
    };
    let mut lab = BreakerLab::new(config).unwrap();
    for minute in 1..=20u64 {
        lab.step_until(from_secs(60.0) * minute);
        assert!(lab.pending_events() <= 20 + 3, "{}", lab.pending_events());
    }
    let s = lab.snapshot();
    assert!(s.transitions > 1_000, "{}", s.transitions);
    assert_eq!(s.transition_log.len(), TRANSITIONS_KEPT);
    assert_eq!(s.state_timeline.len(), TIMELINE_KEPT);
    assert!(s.successes_series.len() <= 512 && s.pool_series.len() <= 512);
    assert_eq!(
        s.transition_log.last().map(|t| t.at_s),
        s.state_timeline.last().map(|m| m.at_s)
    );
    assert!(to_secs(lab.now()) == 1_200.0 && MICROS_PER_MILLI == 1_000);
}

/// Fallback answers keep the outage figure up, but only real answers count after the outage: a
/// breaker forced open never recovers, one that closes again does.
#[test]
fn real_successes_after_the_outage_tell_a_recovered_caller_from_a_forced_open_one() {
    let hard = Config {
        dep_failure: 1.0,
        fallback: true,
        policy: Policy::Consecutive,
        failure_threshold: 5,
        ..Config::default()
    };
    let mut closing = BreakerLab::new(hard.clone()).unwrap();
    closing.step_until(from_secs(60.0));
    let s = closing.snapshot();
    assert!(s.outage_success_ratio > 0.95, "{}", s.outage_success_ratio);
    assert!(s.after_outage_success_ratio > 0.95, "{}", s.after_outage_success_ratio);
    let mut forced = BreakerLab::new(hard).unwrap();
    forced.force_open();
    forced.step_until(from_secs(60.0));
    let s = forced.snapshot();
    assert!(
        s.outage_success_ratio > 0.95,
        "the fallback answers: {}",
        s.outage_success_ratio
    );
    assert_eq!(
        s.after_outage_success_ratio, 0.0,
        "nothing real once the dependency is back"
    );
    let mut fresh = BreakerLab::new(Config::default()).unwrap();
    fresh.step_until(from_secs(5.0));
    assert_eq!(
        fresh.snapshot().after_outage_success_ratio,
        -1.0,
        "no request after the outage yet"
    );
}
