//! Replication lab tests: each claim of REFERENCES.md ("Replication") the model makes is
//! reproduced here (async reads go stale and break read-your-writes at the rate a formula
//! predicts, each routing fix removes the violations it should and shows its cost, sync leaves no
//! stale read and loses nothing on failover, async loses about write_rate × lag, semi-sync falls
//! back after its timeout and returns, `acks` is honoured), plus the comparison runner, live
//! settings, determinism, bounded memory and hostile input.

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::params::Params;
use scalelab_sim::replication::{
    Applied, CommitMode, Comparison, Config, EventKind, IncidentKind, ReplicationLab, Routing, Snapshot,
    IN_FLIGHT_SHOWN, RECENT_EVENTS, SERIES_CAPACITY, TRACKED_SESSIONS,
};

fn run(config: Config, secs: f64) -> Snapshot {
    let mut lab = ReplicationLab::new(config).expect("valid config");
    lab.step_until(from_secs(secs));
    lab.snapshot()
}

/// Runs `warm` seconds, restarts the counters, then runs to `secs`.
fn run_warm(config: Config, warm: f64, secs: f64) -> Snapshot {
    let mut lab = ReplicationLab::new(config).expect("valid config");
    lab.step_until(from_secs(warm));
    lab.reset_stats();
    lab.step_until(from_secs(secs));
    lab.snapshot()
}

fn routed(routing: Routing) -> Config {
    Config {
        routing,
        write_rate: 50.0,
        read_rate: 500.0,
        sessions: 10,
        ..Config::default()
    }
}

fn read_bins_total(s: &Snapshot) -> [u64; 3] {
    let mut t = [0; 3];
    for b in &s.read_latency_bins {
        for (i, c) in b.counts.iter().enumerate() {
            t[i] += c;
        }
    }
    t
}

#[test]
fn config_keys_and_defaults() {
    let keys: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
    for key in [
        "replicas",
        "commit",
        "acks",
        "lag_ms",
        "jitter_ms",
        "write_rate",
        "read_rate",
        "routing",
        "token_wait_ms",
        "read_ms",
        "local_commit_ms",
    ] {
        assert!(keys.contains(&key), "{key}");
    }
    let c = Config::default();
    assert_eq!(
        (c.replicas, c.commit, c.acks, c.routing),
        (3, CommitMode::Async, 1, Routing::Replica)
    );
    assert_eq!(c.semi_sync_timeout_ms, 10_000.0);
    assert_eq!((c.token_wait_ms, c.read_ms, c.local_commit_ms), (250.0, 1.0, 2.0));
    let mut bad = Config::default();
    for (key, raw) in [
        ("replicas", "6"),
        ("commit", "quorum"),
        ("token_wait_ms", "-1"),
        ("read_ms", "1e9"),
        ("local_commit_ms", "NaN"),
    ] {
        assert!(bad.set_str(key, raw).is_err(), "{key}={raw}");
    }
    assert_eq!(bad, Config::default());
    assert!(ReplicationLab::new(Config {
        replicas: 0,
        ..Config::default()
    })
    .is_err());
    assert!(ReplicationLab::new(Config {
        lag_ms: f64::NAN,
        ..Config::default()
    })
    .is_err());
}

#[test]
fn runs_are_deterministic_and_sliceable() {
    let config = Config {
        commit: CommitMode::SemiSync,
        routing: Routing::SessionToken,
        seed: 7,
        ..Config::default()
    };
    let a = run(config.clone(), 20.0);
    let mut b = ReplicationLab::new(config.clone()).unwrap();
    for k in 1..=40 {
        b.step_until(from_secs(f64::from(k) * 0.5));
    }
    assert_eq!(a, b.snapshot());
    let other = run(Config { seed: 8, ..config }, 20.0);
    assert_ne!(a, other);
    assert_ne!(a.workload_fingerprint, other.workload_fingerprint);
}

#[test]
fn async_replica_reads_are_stale_and_break_session_guarantees() {
    let s = run(routed(Routing::Replica), 30.0);
    assert!(s.reads > 10_000, "{}", s.reads);
    assert!(s.stale_read_ratio > 0.05, "{}", s.stale_read_ratio);
    assert!(s.ryw_violations > 0);
    assert!(s.monotonic_violations > 0);
    assert_eq!(s.primary_read_share, 0.0);
    assert!(s.lost_writes == 0);
    // Lag is about lag_ms (100 ms ± 30 ms).
    assert!(
        (100.0..300.0).contains(&s.replication_lag_p99_ms),
        "{}",
        s.replication_lag_p99_ms
    );
    // Writes are acknowledged after the primary's own commit (2 ms ± 1 ms), not 0 ms and not
    // after the lag.
    assert!(
        (1.5..2.5).contains(&s.write_latency_p50_ms),
        "{}",
        s.write_latency_p50_ms
    );
    assert!(
        (2.5..10.0).contains(&s.write_latency_p99_ms),
        "{}",
        s.write_latency_p99_ms
    );
    assert_eq!(s.topology.replicas.len(), 3);
    // Every read is counted once in the read-latency distribution, all answered by replicas.
    assert_eq!(read_bins_total(&s), [s.reads, 0, 0]);
    assert!((0.7..1.3).contains(&s.read_latency_p50_ms), "{}", s.read_latency_p50_ms);
}

#[test]
fn async_read_your_writes_breaks_at_the_predicted_rate() {
    // Lag (1 s, no jitter) far above the time between a session's write and its next read. A
    // read misses its own write when the session's last acknowledged write is younger than the
    // time it takes to reach and be applied on the replica (1 s + 1 ms of apply). Each of the 10
    // sessions writes at 0.5/s (Poisson), so the share of such reads is 1 - exp(-0.5 × 1.001).
    let config = Config {
        lag_ms: 1_000.0,
        jitter_ms: 0.0,
        write_rate: 5.0,
        read_rate: 200.0,
        sessions: 10,
        local_commit_ms: 0.0,
        ..Config::default()
    };
    let s = run_warm(config, 5.0, 125.0);
    let predicted = 1.0 - (-0.5_f64 * 1.001).exp();
    let measured = s.ryw_violations as f64 / s.reads as f64;
    assert!(
        (measured - predicted).abs() < 0.02,
        "measured {measured}, predicted {predicted}"
    );
    // A read is stale when any session wrote within that time: 1 - exp(-5 × 1.001).
    let stale = 1.0 - (-5.0_f64 * 1.001).exp();
    assert!((s.stale_read_ratio - stale).abs() < 0.01, "{}", s.stale_read_ratio);
}

#[test]
fn primary_reads_are_never_stale() {
    let s = run(routed(Routing::Primary), 30.0);
    assert_eq!(s.stale_read_ratio, 0.0);
    assert_eq!((s.ryw_violations, s.monotonic_violations), (0, 0));
    assert_eq!(s.primary_read_share, 1.0);
    assert_eq!(read_bins_total(&s), [0, 0, s.reads]);
}

#[test]
fn primary_after_write_removes_read_your_writes_violations() {
    let s = run(routed(Routing::PrimaryAfterWrite), 30.0);
    assert_eq!(s.ryw_violations, 0);
    assert!(
        s.primary_read_share > 0.0 && s.primary_read_share < 1.0,
        "{}",
        s.primary_read_share
    );
    // A window shorter than the lag does not.
    let short = run(
        Config {
            window_ms: 10.0,
            ..routed(Routing::PrimaryAfterWrite)
        },
        30.0,
    );
    assert!(short.ryw_violations > 0);
}

#[test]
fn sticky_sessions_keep_monotonic_reads_but_not_read_your_writes() {
    let s = run(routed(Routing::Sticky), 30.0);
    assert_eq!(s.monotonic_violations, 0);
    assert!(s.ryw_violations > 0);
    assert_eq!(s.primary_read_share, 0.0);
}

#[test]
fn session_token_removes_read_your_writes_violations_at_the_cost_of_waiting() {
    // Reads wait for their replica: no violation, almost no primary load, but read latency grows.
    let s = run(routed(Routing::SessionToken), 30.0);
    assert_eq!(s.ryw_violations, 0);
    // The token is the session's last write: two replicas past it can still differ, so reads can
    // still go back in time (sticky routing is the fix for that).
    assert!(s.monotonic_violations > 0);
    assert!(s.primary_read_share < 0.01, "{}", s.primary_read_share);
    assert!(s.waited_reads > s.reads / 10, "{} of {}", s.waited_reads, s.reads);
    let [at_once, waited, _] = read_bins_total(&s);
    assert_eq!(at_once + waited + (s.reads - at_once - waited), s.reads);
    assert!(waited > 0 && at_once > 0);
    // The waits are up to one replication delay: the p99 read takes tens of ms, the median 1 ms.
    assert!(s.read_latency_p99_ms > 50.0, "{}", s.read_latency_p99_ms);
    assert!(s.read_latency_p50_ms < 5.0, "{}", s.read_latency_p50_ms);
    let plain = run(routed(Routing::Replica), 30.0);
    assert!(plain.read_latency_p99_ms < 5.0, "{}", plain.read_latency_p99_ms);

    // Without waiting, a replica that is behind sends the read to the primary instead.
    let no_wait = run(
        Config {
            token_wait_ms: 0.0,
            ..routed(Routing::SessionToken)
        },
        30.0,
    );
    assert_eq!(no_wait.ryw_violations, 0);
    assert_eq!(no_wait.waited_reads, 0);
    assert!(
        no_wait.primary_read_share > 0.1 && no_wait.primary_read_share < 1.0,
        "{}",
        no_wait.primary_read_share
    );
    // A wait shorter than the lag times out to the primary: still no violation.
    let short = run(
        Config {
            token_wait_ms: 20.0,
            ..routed(Routing::SessionToken)
        },
        30.0,
    );
    assert_eq!(short.ryw_violations, 0);
    assert!(short.token_timeouts > 0);
    assert!(short.primary_read_share > 0.0);
}

#[test]
fn session_token_waits_for_a_stopped_replica_then_reads_the_primary() {
    let mut lab = ReplicationLab::new(routed(Routing::SessionToken)).unwrap();
    lab.step_until(from_secs(5.0));
    lab.stop_replica();
    lab.reset_stats();
    lab.step_until(from_secs(15.0));
    let s = lab.snapshot();
    assert_eq!(s.ryw_violations, 0);
    assert!(s.token_timeouts > 0);
    // Reads that waited out the full 250 ms show in the distribution.
    let slow: u64 = s
        .read_latency_bins
        .iter()
        .filter(|b| b.lower_ms >= 200.0)
        .map(|b| b.counts[2])
        .sum();
    assert!(slow > 0, "{:?}", s.read_latency_bins);
}

#[test]
fn lag_grows_when_writes_outpace_the_apply_rate() {
    let config = Config {
        write_rate: 200.0,
        apply_rate: 100.0,
        ..Config::default()
    };
    let mut lab = ReplicationLab::new(config).unwrap();
    lab.step_until(from_secs(5.0));
    let early = lab.snapshot().topology.replicas[0].clone();
    lab.step_until(from_secs(20.0));
    let late = lab.snapshot().topology.replicas[0].clone();
    assert!(
        early.behind > 200 && late.behind > early.behind + 1_000,
        "{} {}",
        early.behind,
        late.behind
    );
    // Lag now: the oldest unapplied write is about (1 - 100/200) of the run old.
    assert!(
        late.lag_now_ms > 5_000.0 && late.lag_now_ms > early.lag_now_ms,
        "{}",
        late.lag_now_ms
    );
}

#[test]
fn sync_with_all_acks_leaves_no_stale_read() {
    let config = Config {
        commit: CommitMode::Sync,
        acks: 3,
        ..routed(Routing::Replica)
    };
    let s = run(config, 30.0);
    assert_eq!(s.stale_read_ratio, 0.0);
    assert_eq!(s.ryw_violations, 0);
    // Replicas apply a write before it commits, so two replicas can still disagree on writes not
    // yet acknowledged: monotonic reads can still break.
    // The client waits about the slowest of three delays.
    assert!(
        (80.0..400.0).contains(&s.write_latency_p50_ms),
        "{}",
        s.write_latency_p50_ms
    );
    // Every write waited for its replicas.
    let waited: u64 = s.write_latency_bins.iter().map(|b| b.counts[1]).sum();
    assert_eq!(waited, s.writes_acked);
}

/// Replicas whose received (semi-sync) or applied (sync) position reached `pos`.
fn confirmations(lab: &ReplicationLab, pos: u64, applied: bool) -> usize {
    lab.snapshot()
        .topology
        .replicas
        .iter()
        .filter(|r| if applied { r.applied >= pos } else { r.received >= pos })
        .count()
}

#[test]
fn acks_is_honoured_for_receipt_and_apply() {
    for (commit, applied) in [(CommitMode::SemiSync, false), (CommitMode::Sync, true)] {
        let mut p50 = Vec::new();
        for acks in 1..=3 {
            let mut lab = ReplicationLab::new(Config {
                commit,
                acks,
                jitter_ms: 60.0,
                ..Config::default()
            })
            .unwrap();
            // Whenever we look, the newest acknowledged write is confirmed by at least `acks`.
            for k in 1..=200 {
                lab.step_until(from_secs(f64::from(k) * 0.05));
                let committed = lab.snapshot().topology.committed;
                assert!(
                    confirmations(&lab, committed, applied) >= acks as usize,
                    "{commit:?} acks={acks} at {k}"
                );
            }
            let s = lab.snapshot();
            assert_eq!(s.fallbacks, 0);
            p50.push(s.write_latency_p50_ms);
        }
        // Waiting for more replicas waits for a slower one: the 1st, 2nd, 3rd of three delays.
        assert!(p50[0] < p50[1] && p50[1] < p50[2], "{commit:?} {p50:?}");
    }
    // A slow replica only hurts when the primary must wait for it.
    let slow = |acks| {
        run(
            Config {
                commit: CommitMode::Sync,
                acks,
                slow_factor: 20.0,
                ..Config::default()
            },
            20.0,
        )
        .write_latency_p50_ms
    };
    assert!(slow(2) < 300.0 && slow(3) > 1_500.0, "{} {}", slow(2), slow(3));
}

#[test]
fn failover_loses_acknowledged_writes_in_async_only() {
    let config = Config {
        write_rate: 1_000.0,
        read_rate: 10.0,
        lag_ms: 100.0,
        jitter_ms: 10.0,
        ..Config::default()
    };
    let mut lab = ReplicationLab::new(config.clone()).unwrap();
    lab.step_until(from_secs(10.0));
    let f = lab.fail_primary().expect("a replica runs");
    // About write_rate × lag = 100 writes (less the ~2 not yet committed locally).
    assert!((60..=140).contains(&f.lost_writes), "{}", f.lost_writes);
    assert_eq!(f.old_primary, 0);
    let head = lab.snapshot().topology.head;
    lab.step_until(from_secs(15.0));
    let s = lab.snapshot();
    assert_eq!(s.lost_writes, f.lost_writes);
    assert_eq!(s.topology.primary_id, f.new_primary);
    assert_eq!(s.topology.replicas.len(), 2);
    assert!(s.topology.head > head + 3_000);
    assert!(
        s.topology.replicas.iter().all(|r| r.applied > head),
        "replicas follow the new primary"
    );
    assert!(s
        .incidents
        .iter()
        .any(|i| matches!(&i.kind, IncidentKind::Failover(x) if *x == f)));
    assert_eq!(
        s.topology.failed_primaries,
        vec![0],
        "the failed primary stays on the map"
    );
    // A second failover reports its own loss; the total adds up.
    let g = lab.fail_primary().unwrap();
    let s = lab.snapshot();
    assert_eq!(s.topology.failed_primaries, vec![0, f.new_primary]);
    assert_eq!(
        (s.lost_writes, s.lost_writes_total),
        (g.lost_writes, f.lost_writes + g.lost_writes)
    );

    let mut sync = ReplicationLab::new(Config {
        commit: CommitMode::Sync,
        ..config.clone()
    })
    .unwrap();
    sync.step_until(from_secs(10.0));
    assert_eq!(sync.fail_primary().unwrap().lost_writes, 0);
    sync.step_until(from_secs(15.0));
    assert!(sync.snapshot().writes_acked > 12_000);

    // Semi-sync with one receipt loses nothing either (the promoted replica received the most).
    let mut semi = ReplicationLab::new(Config {
        commit: CommitMode::SemiSync,
        ..config
    })
    .unwrap();
    semi.step_until(from_secs(10.0));
    assert_eq!(semi.fail_primary().unwrap().lost_writes, 0);
}

#[test]
fn sessions_continue_cleanly_after_a_failover() {
    let mut lab = ReplicationLab::new(Config {
        write_rate: 200.0,
        ..routed(Routing::Primary)
    })
    .unwrap();
    lab.step_until(from_secs(5.0));
    assert!(lab.fail_primary().unwrap().lost_writes > 0);
    lab.step_until(from_secs(10.0));
    let s = lab.snapshot();
    assert_eq!((s.ryw_violations, s.monotonic_violations), (0, 0));
    assert_eq!(s.stale_read_ratio, 0.0);
}

#[test]
fn semi_sync_waits_for_receipt_then_falls_back_and_returns() {
    let config = Config {
        replicas: 1,
        commit: CommitMode::SemiSync,
        write_rate: 5.0,
        read_rate: 10.0,
        lag_ms: 100.0,
        jitter_ms: 10.0,
        semi_sync_timeout_ms: 1_000.0,
        ..Config::default()
    };
    let mut lab = ReplicationLab::new(config).unwrap();
    lab.step_until(from_secs(10.0));
    let s = lab.snapshot();
    assert_eq!(s.fallbacks, 0);
    assert!(
        (70.0..150.0).contains(&s.write_latency_p50_ms),
        "{}",
        s.write_latency_p50_ms
    );
    // A replica 100× slower (10 s) misses the 1 s timeout: the primary falls back to async.
    lab.slow_replica(100.0);
    assert_eq!(
        lab.config().slow_factor,
        100.0,
        "the last replica's slow factor is the setting's"
    );
    lab.step_until(from_secs(13.0));
    let s = lab.snapshot();
    assert_eq!(s.fallbacks, 1);
    assert!(s.topology.semi_sync_fallback);
    // Healthy again, the replica catches up and the primary waits for receipts again.
    lab.slow_replica(1.0);
    lab.step_until(from_secs(40.0));
    let s = lab.snapshot();
    assert!(!s.topology.semi_sync_fallback);
    assert_eq!(s.fallbacks, 1);
    // The writes caught by the timeout waited up to 1 s, far beyond the usual ~100 ms.
    assert!(s.write_latency_p99_ms > 250.0, "{}", s.write_latency_p99_ms);
    let kinds: Vec<&IncidentKind> = s.incidents.iter().map(|i| &i.kind).collect();
    assert!(kinds.contains(&&IncidentKind::SemiSyncFallback));
    assert!(kinds.iter().any(|k| matches!(k, IncidentKind::SemiSyncResumed { .. })));
}

#[test]
fn semi_sync_falls_back_when_replicas_stop_and_returns_after_a_restart() {
    let mut lab = ReplicationLab::new(Config {
        replicas: 2,
        commit: CommitMode::SemiSync,
        semi_sync_timeout_ms: 2_000.0,
        ..Config::default()
    })
    .unwrap();
    lab.step_until(from_secs(5.0));
    lab.stop_replica();
    lab.step_until(from_secs(8.0));
    // One replica still confirms: no fallback.
    assert_eq!(lab.snapshot().fallbacks, 0);
    lab.stop_replica();
    lab.step_until(from_secs(7.0 + 0.5));
    assert!(!lab.snapshot().topology.semi_sync_fallback);
    // Writes wait for the timeout (2 s), then the primary acknowledges without replicas.
    lab.step_until(from_secs(11.0));
    let s = lab.snapshot();
    assert!(s.topology.semi_sync_fallback && s.fallbacks == 1);
    assert_eq!(s.topology.pending_writes, 0);
    lab.reset_stats();
    lab.step_until(from_secs(15.0));
    let s = lab.snapshot();
    assert!(s.write_latency_p99_ms < 10.0, "async now: {}", s.write_latency_p99_ms);
    // A replica comes back, catches up, and semi-sync returns.
    assert_eq!(lab.restart_replicas(), vec![1, 2]);
    lab.step_until(from_secs(17.0));
    let s = lab.snapshot();
    assert!(!s.topology.semi_sync_fallback);
    assert!(
        s.topology.replicas.iter().all(|r| r.behind < 10),
        "{:?}",
        s.topology.replicas
    );
    lab.reset_stats();
    lab.step_until(from_secs(25.0));
    assert!(lab.snapshot().write_latency_p50_ms > 50.0);
}

#[test]
fn faults_on_no_replica_do_nothing_and_memory_stays_bounded() {
    let mut lab = ReplicationLab::new(Config {
        replicas: 1,
        commit: CommitMode::Sync,
        ..Config::default()
    })
    .unwrap();
    assert_eq!(lab.stop_replica(), Some(1));
    assert_eq!(lab.stop_replica(), None);
    assert_eq!(lab.slow_replica(f64::NAN), None);
    assert!(lab.fail_primary().is_none());
    lab.step_until(from_secs(600.0));
    lab.step_until(from_secs(1.0)); // backwards: nothing happens
    let s = lab.snapshot();
    assert!(s.events.len() <= RECENT_EVENTS);
    assert!(s.lag_series.len() <= SERIES_CAPACITY && s.behind_series.len() <= SERIES_CAPACITY);
    assert!(s.replica_lag_series.iter().all(|(_, p)| p.len() <= SERIES_CAPACITY));
    assert!(s.incidents.len() <= 32);
    // A stopped sync replica never confirms: writes wait (bounded) and are then refused.
    assert!(s.topology.pending_writes <= 10_000 && s.refused_writes > 0);

    let mut lab = ReplicationLab::new(Config {
        replicas: 1,
        ..Config::default()
    })
    .unwrap();
    lab.step_until(from_secs(2.0));
    assert!(lab.fail_primary().is_some());
    assert!(lab.fail_primary().is_none());
    lab.step_until(from_secs(4.0));
    let s = lab.snapshot();
    assert!(s.topology.replicas.is_empty());
    assert!(s.reads > 0 && s.primary_read_share > 0.3, "{}", s.primary_read_share);
}

#[test]
fn a_slow_replica_lags_more_and_a_stopped_one_serves_no_reads() {
    let mut lab = ReplicationLab::new(Config {
        slow_factor: 10.0,
        ..routed(Routing::Replica)
    })
    .unwrap();
    lab.step_until(from_secs(10.0));
    let s = lab.snapshot();
    let r = &s.topology.replicas;
    assert_eq!(r[2].slow, 10.0);
    assert!(r[2].last_lag_ms > 4.0 * r[0].last_lag_ms.max(1.0), "{r:?}");
    assert!(s.replication_lag_p99_ms > 500.0, "{}", s.replication_lag_p99_ms);

    assert_eq!(lab.stop_replica(), Some(3));
    lab.step_until(from_secs(20.0));
    let s = lab.snapshot();
    let stopped = &s.topology.replicas[2];
    assert!(stopped.stopped && stopped.in_flight == 0);
    assert!(stopped.behind > 100, "{}", stopped.behind);
    assert!(stopped.lag_now_ms > 9_000.0, "{}", stopped.lag_now_ms);
    let recent_reads = s.events.iter().filter(|e| e.kind == EventKind::Read);
    assert!(recent_reads.clone().count() > 100);
    assert!(recent_reads.clone().all(|e| e.node != 3));
    assert!(s.events.iter().all(|e| e.t_s <= 20.0 && e.session < TRACKED_SESSIONS));
    // Its lag line keeps growing on the chart; the worst-running-replica line does not.
    let (_, line) = s.replica_lag_series.iter().find(|(id, _)| *id == 3).unwrap();
    assert!(line.last().unwrap().1 > 9_000.0);
    assert!(s.lag_series.last().unwrap().1 < 1_000.0);
}

#[test]
fn the_topology_shows_writes_in_flight() {
    let mut lab = ReplicationLab::new(Config {
        write_rate: 100.0,
        lag_ms: 500.0,
        jitter_ms: 0.0,
        ..Config::default()
    })
    .unwrap();
    lab.step_until(from_secs(10.0));
    let t = lab.topology();
    for r in &t.replicas {
        // About write_rate × delay = 50 writes on their way; the newest few are drawn.
        assert!((25..=80).contains(&r.in_flight), "{}", r.in_flight);
        assert_eq!(r.in_flight_progress.len(), IN_FLIGHT_SHOWN);
        assert!(r.in_flight_progress.windows(2).all(|w| w[0] >= w[1]), "oldest first");
        assert!(r.in_flight_progress.iter().all(|p| (0.0..=1.0).contains(p)));
        assert_eq!(r.received + r.in_flight, t.head);
    }
    assert_eq!(lab.snapshot().topology, t);
}

#[test]
fn comparisons_share_the_workload_and_show_the_difference() {
    let base = Config {
        write_rate: 500.0,
        read_rate: 500.0,
        ..Config::default()
    };
    let mut c = Comparison::varying(&base, "commit", "async", "sync", 10.0, true).unwrap();
    let mut sliced = c.clone();
    c.run_to_end();
    let mut t = 0;
    while !sliced.is_done() {
        t += from_secs(0.37);
        sliced.advance(t);
    }
    let [a, s] = c.snapshots();
    assert_eq!([a.clone(), s.clone()], sliced.snapshots());
    assert_eq!(c.progress(), 1.0);
    assert_eq!(a.arrivals, s.arrivals);
    assert_eq!(a.workload_fingerprint, s.workload_fingerprint);
    assert_eq!(c.configs()[1].commit, CommitMode::Sync);
    assert!(
        a.lost_writes > 20 && s.lost_writes == 0,
        "{} {}",
        a.lost_writes,
        s.lost_writes
    );
    assert!(s.write_latency_p50_ms > 10.0 * a.write_latency_p50_ms);

    let r = Comparison::varying(&base, "routing", "replica", "primary", 5.0, false).unwrap();
    let mut r = r;
    r.run_to_end();
    let [replica, primary] = r.snapshots();
    assert!(replica.ryw_violations > 0 && primary.ryw_violations == 0);
    assert_eq!(replica.workload_fingerprint, primary.workload_fingerprint);

    assert!(Comparison::varying(&base, "commit", "async", "quorum", 5.0, false).is_err());
    assert!(Comparison::varying(&base, "nope", "1", "2", 5.0, false).is_err());
    assert!(Comparison::varying(&base, "write_rate", "1", "2", 5.0, false).is_err());
    assert!(Comparison::varying(&base, "commit", "async", "sync", f64::NAN, false).is_err());
    assert!(Comparison::varying(&base, "commit", "async", "sync", 1e9, false).is_err());
}

#[test]
fn settings_apply_live_and_bad_ones_change_nothing() {
    let mut lab = ReplicationLab::new(Config {
        commit: CommitMode::Sync,
        write_rate: 200.0,
        ..Config::default()
    })
    .unwrap();
    lab.step_until(from_secs(5.0));
    let before = lab.snapshot();
    assert!(lab.set_param("lag_ms", "abc").is_err());
    assert!(lab.set_param("replicas", "9").is_err());
    assert_eq!(lab.snapshot(), before);
    // Switching to async acknowledges the writes that were waiting for replicas.
    assert!(before.topology.pending_writes > 0);
    assert_eq!(lab.set_param("commit", "async"), Ok(Applied::Live));
    lab.step_until(from_secs(5.01));
    assert!(lab.snapshot().topology.pending_writes <= 1);
    assert_eq!(lab.now(), from_secs(5.01));
    // Rates apply live, even from zero.
    assert_eq!(lab.set_param("write_rate", "0"), Ok(Applied::Live));
    lab.step_until(from_secs(8.0));
    let head = lab.snapshot().topology.head;
    lab.step_until(from_secs(10.0));
    assert!(lab.snapshot().topology.head <= head + 1);
    lab.set_param("write_rate", "100").unwrap();
    lab.step_until(from_secs(12.0));
    assert!(lab.snapshot().topology.head > head + 100);
    // The slow factor applies to the last replica at once.
    lab.set_param("slow_factor", "5").unwrap();
    assert_eq!(lab.snapshot().topology.replicas[2].slow, 5.0);
    // Replicas and sessions restart the run.
    assert_eq!(lab.set_param("replicas", "5"), Ok(Applied::Restarted));
    assert_eq!(lab.now(), 0);
    assert_eq!(lab.snapshot().topology.replicas.len(), 5);
}
