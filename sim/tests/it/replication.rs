//! Replication lab tests: each claim of REFERENCES.md ("Replication") the model makes is
//! reproduced here (async reads go stale and break session guarantees, each routing fix removes
//! the violations it should, sync leaves no stale read and loses nothing on failover, async loses
//! about write_rate × lag, semi-sync falls back after its timeout and returns), plus determinism,
//! bounded memory and hostile input.

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::params::Params;
use scalelab_sim::replication::{
    CommitMode, Config, EventKind, ReplicationLab, Routing, Snapshot, RECENT_EVENTS, SERIES_CAPACITY,
};

fn run(config: Config, secs: f64) -> Snapshot {
    let mut lab = ReplicationLab::new(config).expect("valid config");
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
    ] {
        assert!(keys.contains(&key), "{key}");
    }
    let c = Config::default();
    assert_eq!(
        (c.replicas, c.commit, c.acks, c.routing),
        (3, CommitMode::Async, 1, Routing::Replica)
    );
    assert_eq!(c.semi_sync_timeout_ms, 10_000.0);
    let mut bad = Config::default();
    assert!(bad.set_str("replicas", "6").is_err());
    assert!(bad.set_str("commit", "quorum").is_err());
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
    // Lag is about lag_ms (100 ms ± 30 ms), writes are acknowledged at once.
    assert!(
        (100.0..300.0).contains(&s.replication_lag_p99_ms),
        "{}",
        s.replication_lag_p99_ms
    );
    assert_eq!(s.write_latency_p99_ms, 0.0);
    assert_eq!(s.replicas.len(), 3);
}

#[test]
fn primary_reads_are_never_stale() {
    let s = run(routed(Routing::Primary), 30.0);
    assert_eq!(s.stale_read_ratio, 0.0);
    assert_eq!((s.ryw_violations, s.monotonic_violations), (0, 0));
    assert_eq!(s.primary_read_share, 1.0);
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
fn session_token_removes_both_violations() {
    let s = run(routed(Routing::SessionToken), 30.0);
    assert_eq!((s.ryw_violations, s.monotonic_violations), (0, 0));
    assert!(
        s.primary_read_share > 0.0 && s.primary_read_share < 1.0,
        "{}",
        s.primary_read_share
    );
    // Fewer writes per session: replicas answer most reads.
    let calm = run(
        Config {
            write_rate: 2.0,
            ..routed(Routing::SessionToken)
        },
        30.0,
    );
    assert_eq!((calm.ryw_violations, calm.monotonic_violations), (0, 0));
    assert!(calm.primary_read_share < 0.5, "{}", calm.primary_read_share);
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
    let early = lab.snapshot().replicas[0].behind;
    lab.step_until(from_secs(20.0));
    let late = lab.snapshot().replicas[0].behind;
    assert!(early > 200 && late > early + 1_000, "{early} {late}");
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
    // About write_rate × lag = 100 writes.
    assert!((60..=140).contains(&f.lost_writes), "{}", f.lost_writes);
    assert_eq!(f.old_primary, 0);
    let head = lab.snapshot().head;
    lab.step_until(from_secs(15.0));
    let s = lab.snapshot();
    assert_eq!(s.lost_writes, f.lost_writes);
    assert_eq!(s.primary_id, f.new_primary);
    assert_eq!(s.replicas.len(), 2);
    assert!(s.head > head + 3_000);
    assert!(
        s.replicas.iter().all(|r| r.applied > head),
        "replicas follow the new primary"
    );

    let mut sync = ReplicationLab::new(Config {
        commit: CommitMode::Sync,
        ..config
    })
    .unwrap();
    sync.step_until(from_secs(10.0));
    assert_eq!(sync.fail_primary().unwrap().lost_writes, 0);
    sync.step_until(from_secs(15.0));
    assert!(sync.snapshot().writes_acked > 12_000);
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
    lab.step_until(from_secs(13.0));
    let s = lab.snapshot();
    assert_eq!(s.fallbacks, 1);
    assert!(s.semi_sync_fallback);
    // Healthy again, the replica catches up and the primary waits for receipts again.
    lab.slow_replica(1.0);
    lab.step_until(from_secs(40.0));
    let s = lab.snapshot();
    assert!(!s.semi_sync_fallback);
    assert_eq!(s.fallbacks, 1);
    // The writes caught by the timeout waited up to 1 s, far beyond the usual ~100 ms.
    assert!(s.write_latency_p99_ms > 250.0, "{}", s.write_latency_p99_ms);
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
    // A stopped sync replica never confirms: writes wait (bounded) and are then refused.
    assert!(s.pending_writes <= 10_000 && s.refused_writes > 0);

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
    assert!(s.replicas.is_empty());
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
    assert_eq!(s.replicas[2].slow, 10.0);
    assert!(
        s.replicas[2].last_lag_ms > 4.0 * s.replicas[0].last_lag_ms.max(1.0),
        "{:?}",
        s.replicas
    );
    assert!(s.replication_lag_p99_ms > 500.0, "{}", s.replication_lag_p99_ms);

    assert_eq!(lab.stop_replica(), Some(3));
    lab.step_until(from_secs(20.0));
    let s = lab.snapshot();
    assert!(s.replicas[2].stopped);
    assert!(s.replicas[2].behind > 100, "{}", s.replicas[2].behind);
    let recent_reads = s.events.iter().filter(|e| e.kind == EventKind::Read);
    assert!(recent_reads.clone().count() > 100);
    assert!(recent_reads.clone().all(|e| e.node != 3));
    assert!(s.events.iter().all(|e| e.t_s <= 20.0));
}
