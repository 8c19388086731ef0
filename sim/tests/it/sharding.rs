//! Sharding reference tests: each number in REFERENCES.md ("Sharding") is reproduced through the
//! lab's public API (keys moved by one added shard under hash % N, consistent hashing, jump hash
//! and logical shards; the Zipf head and its shard's overload; monotonic writes on the last range;
//! range scans on range and hash shards; the scatter-gather tail; migration time), plus the lab's
//! promises: salting, geographic locality, resharding while serving, determinism and slicing,
//! hostile input rejected, ten million keys in slices.

use scalelab_sim::capacity::mm1::mm1_mean_response;
use scalelab_sim::engine::time::{from_secs, to_secs};
use scalelab_sim::engine::Zipf;
use scalelab_sim::params::Params;
use scalelab_sim::sharding::theory::{
    consistent_moved_share, modulo_moved_share, ranges_touched, scatter_gather_quantile,
};
use scalelab_sim::sharding::{
    Comparison, Config, OpType, ShardStatus, ShardingLab, Snapshot, Strategy, KEY_BYTES, LATENCY_CV, STRIP_SEGMENTS,
};

fn lab(config: Config) -> ShardingLab {
    let mut l = ShardingLab::new(config).expect("valid config");
    l.finish_work();
    l
}

/// Only single-key operations (reads with probability `read_ratio`).
fn singles(config: Config) -> Config {
    Config {
        range_share: 0.0,
        global_share: 0.0,
        txn_share: 0.0,
        ..config
    }
}

fn near(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: {got:.5}, expected {want:.5} ± {tolerance}"
    );
}

/// Adds a shard, finishes the placement job, returns the snapshot (the migration just started).
fn add(l: &mut ShardingLab) -> Snapshot {
    l.add_shard().expect("a shard can be added");
    assert!(l.busy(), "adding a shard starts a placement job");
    l.finish_work();
    l.snapshot()
}

// ---------------------------------------------------------------------------------------------
// Keys moved by one added shard.

#[test]
fn hash_mod_n_moves_n_over_n_plus_one() {
    for (n, want) in [(3, 0.75), (10, 0.909)] {
        let mut l = lab(Config {
            shards: n,
            keys: 100_000,
            ..Config::default()
        });
        let s = add(&mut l);
        near(s.keys_moved, want, 0.006, &format!("hash % {n} -> {}", n + 1));
        let change = s.last_change.expect("a change");
        assert_eq!(change.expected_share, Some(modulo_moved_share(n)));
        assert_eq!(change.keys_moved as f64 / 100_000.0, s.keys_moved);
        assert_eq!(s.shards.len(), n as usize + 1);
        assert_eq!(s.shards.last().map(|v| v.status), Some(ShardStatus::Joining));
    }
}

#[test]
fn consistent_hashing_and_jump_hash_move_about_one_over_n_plus_one() {
    let n = 10;
    let want = consistent_moved_share(n);
    let mut ring = lab(Config {
        strategy: Strategy::Consistent,
        shards: n,
        vnodes: 200,
        keys: 100_000,
        ..Config::default()
    });
    let s = add(&mut ring);
    near(s.keys_moved, want, 0.2 * want, "consistent hashing, 200 vnodes");
    // Every moved key went to the new shard.
    let new = s.shards.last().expect("the new shard");
    near(
        s.migration.keys_moving as f64,
        s.keys_moved * 100_000.0,
        0.5,
        "moving keys",
    );
    assert_eq!(new.status, ShardStatus::Joining);

    // Geographic sharding with one region places keys by jump hash over the region's shards.
    let mut jump = lab(Config {
        strategy: Strategy::Geo,
        shards: n,
        keys: 100_000,
        ..Config::default()
    });
    let s = add(&mut jump);
    near(s.keys_moved, want, 0.005, "jump hash");
}

#[test]
fn logical_shards_move_exactly_the_reassigned_share() {
    // 1,024 logical shards on 8 physical: a 9th takes ⌊1024/9⌋ = 113 of them, whole.
    let mut l = lab(Config {
        shards: 8,
        logical_shards: 1_024,
        keys: 200_000,
        ..Config::default()
    });
    let before = l.snapshot();
    assert!(before.shards.iter().all(|s| s.units == 128));
    let s = add(&mut l);
    let change = s.last_change.clone().expect("a change");
    assert_eq!((change.units_moved, change.units), (113, 1_024));
    near(s.keys_moved, 113.0 / 1_024.0, 0.004, "hash, logical shards");
    assert_eq!(s.shards.last().map(|v| v.units), Some(113));
    // Run the copy to its end: the new shard holds exactly the keys that moved.
    l.step_until(from_secs(60.0));
    let done = l.snapshot();
    assert_eq!(done.shards.last().map(|v| v.keys), Some(change.keys_moved));
    assert!(done.shards.iter().all(|v| v.status == ShardStatus::Active));

    // Logical key ranges of exactly 100 ids: the keys moved are exactly 100 per range moved.
    let mut r = lab(Config {
        strategy: Strategy::Range,
        shards: 8,
        logical_shards: 1_024,
        keys: 102_400,
        ..Config::default()
    });
    let s = add(&mut r);
    let change = s.last_change.expect("a change");
    assert_eq!(change.units_moved, 113);
    assert_eq!(change.keys_moved, 113 * 100);

    // Removing a shard moves exactly its logical shards to the others.
    let mut l = lab(Config {
        shards: 9,
        logical_shards: 1_024,
        keys: 200_000,
        ..Config::default()
    });
    let victim_keys = l.snapshot().shards.last().map_or(0, |v| v.keys);
    l.remove_shard().expect("a shard can be removed");
    l.finish_work();
    let s = l.snapshot();
    assert_eq!(s.last_change.map(|c| c.keys_moved), Some(victim_keys));
    assert_eq!(s.migration.leaving, Some(8));
    l.step_until(from_secs(60.0));
    assert_eq!(l.snapshot().shards.len(), 8);
}

// ---------------------------------------------------------------------------------------------
// The Zipf head, its shard's overload, salting.

/// 16 shards at 90% mean utilisation, single-key reads only, Zipf exponent 1 over a million keys:
/// a shard's capacity is 6.94% of the load, less than the top key alone asks for.
fn celebrity(strategy: Strategy, utilization: f64) -> Config {
    singles(Config {
        strategy,
        shards: 16,
        keys: 1_000_000,
        alpha: 1.0,
        read_ratio: 1.0,
        rate: 16_000.0,
        shard_capacity: 16_000.0 / 16.0 / utilization,
        ..Config::default()
    })
}

#[test]
fn the_zipf_head_overloads_its_shard_under_any_placement() {
    // REFERENCES.md: exponent 1 over 1,000,000 keys: the top key ≈ 6.95%, the top 10 ≈ 20.4%.
    let zipf = Zipf::new(1_000_000, 1.0).expect("valid");
    near(zipf.top_mass(10), 0.204, 0.001, "top 10 keys");
    for strategy in [Strategy::Hash, Strategy::Range, Strategy::Consistent] {
        let config = celebrity(strategy, 0.9);
        let mut l = lab(config.clone());
        l.step_until(from_secs(5.0));
        l.reset_stats();
        l.step_until(from_secs(25.0));
        let s = l.snapshot();
        near(s.hot_key.share, 0.0695, 0.0003, "the top key's share");
        assert!(
            s.hot_key.share * config.rate > config.shard_capacity,
            "the key alone overloads a shard"
        );
        near(s.hot_key.observed_share, 0.0695, 0.003, "the top key's measured share");
        // Its shard: a fair share (6.25%) plus the celebrity.
        let hot = s.shards.iter().find(|v| v.id == s.hot_key.shard).expect("its shard");
        assert_eq!(
            s.hottest_shard,
            Some(hot.id),
            "{strategy:?}: the hottest shard holds the top key"
        );
        assert!(hot.expected_share > 0.1, "{strategy:?}: {}", hot.expected_share);
        assert!(hot.hot);
        let refused = hot.throttled as f64 / hot.ops as f64;
        assert!(
            refused > 0.3,
            "{strategy:?}: the hot shard throttles {refused:.3} of its visits"
        );
        assert_eq!(
            Some(hot.throttled),
            s.shards.iter().map(|v| v.throttled).max(),
            "{strategy:?}: the hot shard throttles the most"
        );
        assert!(s.imbalance > 1.6, "{strategy:?}: imbalance {}", s.imbalance);
        println!(
            "{strategy:?}: top key {:.4} (measured {:.4}), its shard {:.4} of the visits, imbalance {:.2}, throttles {refused:.3}",
            s.hot_key.share, s.hot_key.observed_share, s.hottest_share, s.imbalance
        );
    }
}

#[test]
fn salting_spreads_the_hot_key_over_k_shards() {
    // A write-heavy celebrity (a like counter): salting splits its writes over 8 sub-keys.
    for strategy in [Strategy::Range, Strategy::Hash] {
        let config = Config {
            read_ratio: 0.1,
            ..celebrity(strategy, 0.6)
        };
        let mut l = lab(config);
        l.step_until(from_secs(10.0));
        let before = l.snapshot();
        assert!(
            before.throttled_share > 0.005,
            "{strategy:?}: {}",
            before.throttled_share
        );
        let message = l.set_salt(8).expect("valid salt");
        assert!(message.contains("8 sub-keys"), "{message}");
        l.step_until(from_secs(12.0));
        l.reset_stats();
        l.step_until(from_secs(32.0));
        let s = l.snapshot();
        let distinct = s.hot_key.shards.len();
        if strategy == Strategy::Range {
            // Sub-keys one eighth of the keyspace apart land on 8 different ranges of 16.
            assert_eq!(distinct, 8);
        } else {
            // Hashed sub-keys may share a shard: 8 draws among 16 shards give 6.3 distinct on average.
            assert!(distinct >= 4, "{strategy:?}: {distinct} shards");
        }
        assert!(s.throttled_share < 0.001, "{strategy:?}: {}", s.throttled_share);
        assert!(s.imbalance < before.imbalance, "{strategy:?}");
        // Reads of the salted key read every sub-key.
        let single = &s.latency[OpType::Single.index()];
        assert!(single.multi_share > 0.0 && single.mean_shards > 1.0);
        println!(
            "{strategy:?}: salted over {distinct} shards, imbalance {:.2} -> {:.2}, throttled {:.4} -> {:.4}",
            before.imbalance, s.imbalance, before.throttled_share, s.throttled_share
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Range sharding: monotonic keys and range scans.

#[test]
fn monotonic_writes_all_land_on_the_last_range() {
    let config = singles(Config {
        strategy: Strategy::Range,
        shards: 8,
        keys: 80_000,
        monotonic: 1,
        read_ratio: 0.0,
        rate: 2_000.0,
        ..Config::default()
    });
    let mut l = lab(config.clone());
    l.step_until(from_secs(10.0));
    let s = l.snapshot();
    assert_eq!(s.hottest_share, 1.0, "every insert on one shard");
    assert_eq!(s.hottest_shard, Some(7), "the last range's shard");
    assert_eq!(s.keys, 80_000 + s.ops);
    assert_eq!(s.shards.last().map(|v| v.keys), Some(10_000 + s.ops));
    // Splitting the hottest range cuts at the insertion point: nothing moves and the hot spot moves
    // to the shard that takes the new range.
    let text = l.split_hot_range().expect("range sharding splits");
    l.finish_work();
    let split = l.snapshot();
    assert_eq!(split.last_change.as_ref().map(|c| c.keys_moved), Some(0), "{text}");
    l.reset_stats();
    l.step_until(from_secs(20.0));
    let after = l.snapshot();
    assert_eq!(after.hottest_share, 1.0);
    assert_ne!(after.hottest_shard, Some(7), "{text}");

    // Hash sharding spreads the same inserts.
    let mut h = lab(Config {
        strategy: Strategy::Hash,
        ..config
    });
    h.step_until(from_secs(10.0));
    near(h.snapshot().hottest_share, 0.125, 0.01, "hash, monotonic inserts");
}

#[test]
fn a_range_scan_touches_r_over_w_plus_one_range_shards_and_every_hash_shard() {
    let config = Config {
        shards: 16,
        keys: 1_000_000,
        range_share: 1.0,
        global_share: 0.0,
        txn_share: 0.0,
        rate: 1_000.0,
        shard_capacity: 100_000.0,
        ..Config::default()
    };
    let mut r = lab(Config {
        strategy: Strategy::Range,
        ..config.clone()
    });
    r.step_until(from_secs(30.0));
    let s = r.snapshot();
    let range = &s.latency[OpType::Range.index()];
    // R = 2% of the keys, W = 1/16 of them: R/W + 1 = 1.32.
    let want = ranges_touched(20_000.0, 62_500.0);
    near(s.predicted_range_shards, want, 1e-9, "predicted");
    near(range.mean_shards, want, 0.03, "range shards per scan");
    let mut h = lab(Config {
        strategy: Strategy::Hash,
        ..config
    });
    h.step_until(from_secs(5.0));
    let s = h.snapshot();
    assert_eq!(s.latency[OpType::Range.index()].mean_shards, 16.0);
    assert_eq!(s.cross_shard_share, 1.0);
    println!(
        "range scan: {:.3} range shards (R/W + 1 = {want:.3}), 16 hash shards",
        range.mean_shards
    );
}

// ---------------------------------------------------------------------------------------------
// Queueing and scatter-gather.

#[test]
fn a_shard_is_an_m_m_1_queue() {
    // One shard at half its capacity: the capacity module's M/M/1 mean, S / (1 − ρ) = 2 ms, plus
    // the shard latency (1 ms on average).
    let mut l = lab(singles(Config {
        shards: 1,
        keys: 10_000,
        rate: 500.0,
        shard_capacity: 1_000.0,
        shard_latency_ms: 1.0,
        ..Config::default()
    }));
    l.step_until(from_secs(10.0));
    l.reset_stats();
    l.step_until(from_secs(210.0));
    let s = l.snapshot();
    let want = mm1_mean_response(1.0, 0.5).expect("stable") + 1.0;
    near(
        s.latency[OpType::Single.index()].mean_ms.unwrap_or(0.0),
        want,
        0.04 * want,
        "mean latency",
    );
    let shard = &s.shards[0];
    assert!(
        shard.mm1_response_ms.is_some_and(|ms| (ms - 2.0).abs() < 0.3),
        "{:?}",
        shard.mm1_response_ms
    );
    assert_eq!(s.throttled, 0);
    // Twice the capacity: about half the visits are throttled, the queue stays near its 100 ms cap.
    l.set_param("rate", "2000").expect("valid");
    l.step_until(from_secs(215.0));
    l.reset_stats();
    l.step_until(from_secs(235.0));
    let s = l.snapshot();
    near(s.throttled_share, 0.5, 0.03, "throttled at twice the capacity");
    assert!(s.shards[0].hot && s.shards[0].queue > 60.0, "{}", s.shards[0].queue);
}

#[test]
fn scatter_gather_p99_is_the_per_shard_quantile_of_0_99_to_the_1_over_n() {
    let mean = 10.0;
    let mut last = 0.0;
    for n in [1, 10] {
        let mut l = lab(Config {
            shards: n,
            keys: 10_000,
            range_share: 0.0,
            global_share: 1.0,
            txn_share: 0.0,
            rate: 400.0,
            shard_capacity: 1_000_000.0,
            shard_latency_ms: mean,
            ..Config::default()
        });
        l.step_until(from_secs(150.0));
        let s = l.snapshot();
        let got = s.global_p99_ms.expect("queries done");
        let want = scatter_gather_quantile(mean, mean * LATENCY_CV, 0.99, n).expect("valid");
        near(s.predicted_global_p99_ms, want, 1e-9, "predicted");
        near(got, want, 0.04 * want, &format!("global p99 over {n} shards"));
        assert!(got > last, "the tail grows with N");
        last = got;
        println!("scatter-gather over {n}: p99 {got:.2} ms, F^-1(0.99^(1/{n})) = {want:.2} ms");
    }
}

// ---------------------------------------------------------------------------------------------
// Resharding while serving.

#[test]
fn migration_time_is_data_moved_over_bandwidth() {
    let mut l = lab(Config {
        shards: 8,
        keys: 200_000,
        migration_mb_s: 40.0,
        ..Config::default()
    });
    l.step_until(from_secs(5.0));
    let s = add(&mut l);
    let moved = s.last_change.as_ref().map_or(0, |c| c.keys_moved);
    let secs = moved as f64 * KEY_BYTES / 40e6;
    assert!(s.migration.active);
    near(
        s.migration.ends_s - s.migration.started_s,
        secs,
        1e-6,
        "planned copy time",
    );
    // Halfway: half copied, half still in flight and served by the old shards.
    l.step_until(from_secs(5.0 + secs / 2.0));
    let half = l.snapshot();
    near(half.migration_progress, 0.5, 1e-5, "progress");
    near(
        half.migration.keys_in_flight as f64,
        moved as f64 / 2.0,
        1.0,
        "keys in flight",
    );
    assert!(half.keyspace.iter().any(|r| r.moving));
    assert!(half.keyspace.len() <= STRIP_SEGMENTS);
    assert!(
        half.shards.iter().all(|v| v.copy_ops_per_s > 0.0),
        "hash % N: every shard copies"
    );
    assert!(half.shards.iter().all(|v| v.capacity < 1_000.0));
    // A change waits for the copy.
    assert!(l.add_shard().is_err() && l.remove_shard().is_err());
    l.step_until(from_secs(5.0 + secs + 1.0));
    let done = l.snapshot();
    assert!(!done.migration.active && done.migration_progress == 1.0);
    let took = done.last_change.and_then(|c| c.duration_s).expect("done");
    near(took, secs, 2e-6, "copy time");
    println!(
        "{moved} keys ({:.0} MB) at 40 MB/s: {took:.3} s",
        moved as f64 * KEY_BYTES / 1e6
    );
    // A bandwidth change during a copy applies from then on.
    l.remove_shard().expect("remove");
    l.finish_work();
    let start = l.now();
    let mb = l.snapshot().migration.mb_total;
    l.step_until(start + from_secs(mb / 40.0 / 2.0));
    l.set_param("migration_mb_s", "80").expect("valid");
    l.step_until(start + from_secs(mb / 40.0));
    let s = l.snapshot();
    near(
        s.last_change.and_then(|c| c.duration_s).unwrap_or(0.0),
        mb / 40.0 * 0.75,
        2e-6,
        "half at 40, half at 80",
    );
    assert_eq!(s.shards.len(), 8);
}

#[test]
fn geographic_shards_keep_users_local_and_load_follows_the_regions() {
    let config = singles(Config {
        strategy: Strategy::Geo,
        shards: 3,
        keys: 30_000,
        alpha: 0.0,
        regions: "us:50,eu:30,asia:20".into(),
        rate: 1_500.0,
        ..Config::default()
    });
    let mut g = lab(config.clone());
    g.step_until(from_secs(20.0));
    let s = g.snapshot();
    let shares: Vec<f64> = s.shards.iter().map(|v| v.share).collect();
    for (got, want) in shares.iter().zip([0.5, 0.3, 0.2]) {
        near(*got, want, 0.02, "geo load share");
    }
    near(s.imbalance, 1.5, 0.06, "geo imbalance");
    assert_eq!(s.local_share, 1.0);
    assert!(s.single_p99_ms.is_some_and(|p| p < 30.0));
    assert_eq!(s.regions[1].shards, vec![1]);
    // Hash: balanced, but all shards sit in the first region.
    let mut h = lab(Config {
        strategy: Strategy::Hash,
        ..config
    });
    h.step_until(from_secs(20.0));
    let s = h.snapshot();
    near(s.imbalance, 1.0, 0.05, "hash imbalance");
    near(s.local_share, 0.5, 0.02, "hash: only us is local");
    assert!(s.single_p99_ms.is_some_and(|p| p > 75.0));
}

#[test]
fn transactions_across_shards_need_two_phase_commit() {
    let config = Config {
        shards: 8,
        keys: 100_000,
        alpha: 0.0,
        range_share: 0.0,
        global_share: 0.0,
        txn_share: 0.5,
        read_ratio: 1.0,
        rate: 1_000.0,
        ..Config::default()
    };
    let mut l = lab(config.clone());
    l.step_until(from_secs(30.0));
    let s = l.snapshot();
    // Two uniform keys on 8 shards share one with probability 1/8.
    near(s.txn_cross_share, 7.0 / 8.0, 0.02, "cross-shard transactions");
    let (single, txn) = (s.single_p99_ms.unwrap_or(0.0), s.txn_p99_ms.unwrap_or(0.0));
    assert!(txn > 1.5 * single, "2PC: {txn} vs {single}");
    let mut one = lab(Config { shards: 1, ..config });
    one.step_until(from_secs(10.0));
    assert_eq!(one.snapshot().txn_cross_share, 0.0);
}

#[test]
fn directory_pays_a_lookup_and_moves_the_hottest_entry() {
    let config = singles(Config {
        strategy: Strategy::Directory,
        shards: 8,
        keys: 100_000,
        alpha: 1.0,
        rate: 4_000.0,
        ..Config::default()
    });
    let mut d = lab(config.clone());
    d.step_until(from_secs(10.0));
    let before = d.snapshot();
    assert_eq!(before.units, 1_024);
    let text = d.split_hot_range().expect("a directory moves entries");
    assert!(text.contains("hottest directory entry"), "{text}");
    d.finish_work();
    let s = d.snapshot();
    let change = s.last_change.expect("a change");
    assert_eq!(change.units_moved, 1);
    assert!(change.share < 0.002, "one entry of 1,024: {}", change.share);
    // The load-aware add moves the busiest entries, fewer keys than 1/(N+1).
    d.step_until(from_secs(30.0));
    let s = add(&mut d);
    assert!(s.keys_moved < 1.0 / 9.0, "{}", s.keys_moved);
    // Every operation pays the lookup.
    let mut h = lab(Config {
        strategy: Strategy::Hash,
        ..config
    });
    h.step_until(from_secs(10.0));
    let (dl, hl) = (
        before.latency[0].p50_ms.unwrap_or(0.0),
        h.snapshot().latency[0].p50_ms.unwrap_or(0.0),
    );
    near(dl - hl, 1.0, 0.3, "directory lookup");
    assert!(Strategy::ALL.iter().filter(|s| s.splits()).count() == 2);
    let mut c = lab(Config {
        strategy: Strategy::Consistent,
        shards: 4,
        keys: 1_000,
        ..Config::default()
    });
    assert!(c.split_hot_range().is_err());
}

// ---------------------------------------------------------------------------------------------
// Determinism, slicing, comparisons, scale, hostile input.

#[test]
fn same_seed_same_run_however_sliced() {
    let config = Config {
        keys: 50_000,
        alpha: 1.0,
        monotonic: 1,
        regions: "us:2,eu:1".into(),
        ..Config::default()
    };
    let script = |l: &mut ShardingLab, sliced: bool| {
        let mut t = 0.0;
        let go = |l: &mut ShardingLab, until: f64| {
            if sliced {
                while !l.work_until(from_secs(until), 997) {}
            } else {
                l.step_until(from_secs(until));
            }
        };
        for strategy_step in 0..3 {
            t += 7.0;
            go(l, t);
            match strategy_step {
                0 => drop(l.add_shard()),
                1 => drop(l.set_param("salt", "4")),
                _ => drop(l.remove_shard()),
            }
        }
        go(l, t + 30.0);
        l.snapshot()
    };
    for strategy in Strategy::ALL {
        let config = Config {
            strategy,
            ..config.clone()
        };
        let mut a = ShardingLab::new(config.clone()).expect("valid");
        let mut b = ShardingLab::new(config).expect("valid");
        let whole = script(&mut a, false);
        let sliced = script(&mut b, true);
        assert_eq!(whole, sliced, "{strategy:?}");
        assert_eq!(a.workload_fingerprint(), b.workload_fingerprint());
        assert!(whole.ops > 100_000 && whole.keyspace.len() <= STRIP_SEGMENTS);
    }
}

#[test]
fn a_comparison_runs_every_strategy_on_one_workload() {
    let config = Config {
        shards: 8,
        keys: 20_000,
        logical_shards: 0,
        rate: 2_000.0,
        ..Config::default()
    };
    let mut c = Comparison::new(config.clone(), &Strategy::ALL, 10.0).expect("valid");
    let mut calls = 0;
    let mut progress = 0.0;
    while !c.work(ShardingLab::WORK_PER_FRAME) {
        calls += 1;
        assert!(c.progress() >= progress);
        progress = c.progress();
    }
    assert!(calls > 5);
    let rows = c.rows();
    assert_eq!(rows.len(), 5);
    let fingerprint = rows[0].workload_fingerprint;
    assert!(rows
        .iter()
        .all(|r| r.workload_fingerprint == fingerprint && r.ops > 15_000));
    let row = |s: Strategy| rows.iter().find(|r| r.strategy == s).expect("row");
    near(
        row(Strategy::Hash).keys_moved_by_add.unwrap_or(0.0),
        8.0 / 9.0,
        0.02,
        "hash",
    );
    near(
        row(Strategy::Consistent).keys_moved_by_add.unwrap_or(0.0),
        1.0 / 9.0,
        0.04,
        "consistent",
    );
    assert!(row(Strategy::Range).fanout < row(Strategy::Hash).fanout);
    for r in &rows {
        println!(
            "{:<28} imbalance {:.2} hottest {:.3} throttled {:.4} fanout {:.2} p99 {:?}/{:?}/{:?} moved {:?}",
            r.label,
            r.imbalance,
            r.hottest_share,
            r.throttled_share,
            r.fanout,
            r.single_p99_ms,
            r.range_p99_ms,
            r.global_p99_ms,
            r.keys_moved_by_add
        );
    }
    assert!(Comparison::new(config.clone(), &[], 10.0).is_err());
    assert!(Comparison::new(config.clone(), &[Strategy::Hash, Strategy::Hash], 10.0).is_err());
    assert!(Comparison::new(config, &[Strategy::Hash], f64::NAN).is_err());
}

#[test]
fn ten_million_keys_on_64_shards_are_placed_in_slices() {
    let mut l = ShardingLab::new(Config {
        shards: 63,
        logical_shards: 1_024,
        keys: 10_000_000,
        alpha: 1.0,
        ..Config::default()
    })
    .expect("valid");
    assert!(l.busy() && l.snapshot().busy);
    let mut calls = 0u64;
    let mut last = 0.0;
    while l.busy() {
        let done = l.work(ShardingLab::WORK_PER_FRAME);
        assert!(done <= ShardingLab::WORK_PER_FRAME + 1, "{done} units in one call");
        let p = l.job_progress();
        assert!(p >= last);
        last = p;
        calls += 1;
    }
    assert!(calls > 500, "{calls} slices");
    let s = l.snapshot();
    assert_eq!(s.shards.iter().map(|v| v.keys).sum::<u64>(), 10_000_000);
    // The 64th shard takes ⌊1024/64⌋ = 16 logical shards.
    l.add_shard().expect("a 64th shard");
    let mut calls = 0;
    while !l.work_until(from_secs(1.0), ShardingLab::WORK_PER_FRAME) {
        calls += 1;
    }
    assert!(calls > 200, "{calls} slices");
    let s = l.snapshot();
    near(s.keys_moved, 16.0 / 1_024.0, 0.001, "10M keys, 63 -> 64 shards");
    assert!(s.keyspace.len() <= STRIP_SEGMENTS);
    assert!(l.add_shard().is_err(), "64 shards at most");
    println!(
        "10M keys: {calls} slices for the add, {:.4} moved, {:.0} MB to copy",
        s.keys_moved, s.migration.mb_total
    );
}

#[test]
fn hostile_parameters_are_rejected_and_change_nothing() {
    let mut l = lab(Config {
        keys: 1_000,
        ..Config::default()
    });
    l.step_until(from_secs(1.0));
    let before = l.config().clone();
    let now = l.now();
    for (key, raw) in [
        ("strategy", "<script>"),
        ("shards", "0"),
        ("shards", "65"),
        ("shards", "2.5"),
        ("logical_shards", "4"),
        ("logical_shards", "5000"),
        ("vnodes", "0"),
        ("keys", "10000001"),
        ("keys", "NaN"),
        ("alpha", "-1"),
        ("alpha", "inf"),
        ("monotonic", "2"),
        ("read_ratio", "1.5"),
        ("range_share", "0.99"),
        ("global_share", "1e300"),
        ("txn_share", ""),
        ("rate", "0"),
        ("rate", "1e7"),
        ("shard_capacity", "-5"),
        ("shard_latency_ms", "0"),
        ("migration_mb_s", "1e9"),
        ("salt", "65"),
        ("salt", "0"),
        ("regions", ""),
        ("regions", "us:1,us:2"),
        ("regions", "us:-1"),
        ("regions", "a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1"),
        ("nope", "1"),
        ("seed", "1"),
    ] {
        assert!(l.set_param(key, raw).is_err(), "{key}={raw:?} should be rejected");
        assert_eq!(l.config(), &before, "{key}={raw:?}");
        assert_eq!(l.now(), now);
    }
    assert!(Config::default().set_str("rate", &"9".repeat(100)).is_err());
    assert!(ShardingLab::new(Config {
        logical_shards: 3,
        ..Config::default()
    })
    .is_err());
    // Valid live changes keep the run; restarting ones say so.
    assert_eq!(l.set_param("rate", "5000").expect("valid"), None);
    assert_eq!(l.now(), now);
    assert!(l.set_param("strategy", "range").expect("valid").is_some());
    assert_eq!(l.now(), 0);
    assert!(l.busy());
    l.set_param("regions", " us : 3 , eu:1 ").expect("valid");
    assert_eq!(l.config().field("regions").as_deref(), Some("us:3,eu:1"));
    // Actions refuse what cannot be done.
    let mut one = lab(Config {
        shards: 1,
        keys: 1_000,
        ..Config::default()
    });
    assert!(one.remove_shard().is_err());
    let mut full = lab(Config {
        shards: 4,
        logical_shards: 4,
        keys: 1_000,
        ..Config::default()
    });
    assert!(full.add_shard().is_err(), "no logical shard left to give");
    assert_eq!(to_secs(full.now()), 0.0);
}
