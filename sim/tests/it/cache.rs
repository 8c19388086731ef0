//! Cache reference tests: each number in REFERENCES.md ("Cache strategies") is reproduced here,
//! by formula and by simulation, plus the properties the lab relies on (strategies lose exactly
//! what they should, the stampede cures work, results are deterministic, huge runs stay bounded).

use scalelab_sim::cache::{
    exact, theory, xfetch, CacheLab, CacheStore, Comparison, Config, Eviction, LabEventKind, Protection, Snapshot,
    Strategy, HOT_KEY,
};
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::engine::{Histogram, SimRng};
use scalelab_sim::params::Params;

/// Asserts `got` is within `tolerance` of `expected`, naming the case on failure.
fn check(case: &str, got: f64, expected: f64, tolerance: f64) {
    assert!(
        (got - expected).abs() <= tolerance,
        "{case}: got {got}, expected {expected} ± {tolerance}"
    );
}

/// A read-only stream without TTL and with instant fills: the model the formulas describe.
fn textbook(eviction: Eviction, keys: u32, alpha: f64, capacity: u32) -> Config {
    Config {
        eviction,
        keys,
        alpha,
        capacity,
        read_ratio: 1.0,
        ttl_s: 0.0,
        db_latency_ms: 0.0,
        cache_latency_ms: 0.0,
        rate: 10_000.0,
        seed: 7,
        ..Config::default()
    }
}

/// Runs `warmup` requests, resets the counts, runs `requests` more; returns the snapshot.
fn measure(config: Config, warmup: u64, requests: u64) -> Snapshot {
    let mut lab = CacheLab::new(config).expect("valid config");
    lab.run_requests(warmup);
    lab.reset_stats();
    lab.run_requests(requests);
    lab.snapshot()
}

// ---------------------------------------------------------------------------------------------
// Theory: Che's approximation, the FIFO formula, perfect LFU, and the exact small case.

#[test]
fn che_worked_example() {
    let p = theory::zipf_popularities(1_000, 0.8).unwrap();
    check("LRU (Che)", theory::lru_hit_ratio(&p, 100), 0.378, 0.001);
    check("FIFO", theory::fifo_hit_ratio(&p, 100), 0.334, 0.001);
    check("random = FIFO", theory::random_hit_ratio(&p, 100), 0.334, 0.001);
    check("perfect LFU", theory::lfu_hit_ratio(&p, 100), 0.526, 0.001);
    // The characteristic time solves its equation.
    let t = theory::lru_characteristic_time(&p, 100).unwrap();
    let occupancy: f64 = p.iter().map(|&pi| 1.0 - libm::exp(-pi * t)).sum();
    check("Che's equation", occupancy, 100.0, 1e-9);
}

#[test]
fn exact_small_case() {
    let p = [0.5, 0.3, 0.2];
    check("exact LRU", exact::lru_hit_ratio(&p, 2).unwrap(), 0.7193, 1e-4);
    check("exact FIFO", exact::fifo_hit_ratio(&p, 2).unwrap(), 0.7097, 1e-4);
    // Random replacement has exactly FIFO's hit ratio under independent requests.
    check(
        "exact random",
        exact::random_hit_ratio(&p, 2).unwrap(),
        exact::fifo_hit_ratio(&p, 2).unwrap(),
        1e-12,
    );
    // Closed forms as an independent check: LRU's stack probabilities p_i p_j / (1 - p_i), and
    // FIFO's product form pi(S) ∝ prod p_i.
    let mut lru = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            if i != j {
                lru += p[i] * p[j] / (1.0 - p[i]) * (p[i] + p[j]);
            }
        }
    }
    check(
        "exact LRU closed form",
        exact::lru_hit_ratio(&p, 2).unwrap(),
        lru,
        1e-12,
    );
    let sets = [(0, 1), (0, 2), (1, 2)];
    let weight: f64 = sets.iter().map(|&(a, b)| p[a] * p[b]).sum();
    let fifo: f64 = sets.iter().map(|&(a, b)| p[a] * p[b] * (p[a] + p[b])).sum::<f64>() / weight;
    check(
        "exact FIFO product form",
        exact::fifo_hit_ratio(&p, 2).unwrap(),
        fifo,
        1e-12,
    );
    // Che's approximation is for many keys: here it is off by a few thousandths.
    check("Che LRU, tiny case", theory::lru_hit_ratio(&p, 2), 0.7154, 1e-4);
    check("Che FIFO, tiny case", theory::fifo_hit_ratio(&p, 2), 0.6966, 1e-4);
}

#[test]
fn simulated_small_case_matches_exact() {
    for (eviction, expected) in [
        (Eviction::Lru, 0.7193),
        (Eviction::Fifo, 0.7097),
        (Eviction::Random, 0.7097),
    ] {
        let mut cache = CacheStore::new(eviction, 2, 3, SimRng::new(11));
        let mut rng = SimRng::new(5);
        let mut draw = || {
            let u = rng.next_f64();
            if u < 0.5 {
                0
            } else if u < 0.8 {
                1
            } else {
                2
            }
        };
        for _ in 0..1_000 {
            cache.access(draw());
        }
        let n = 1_000_000;
        let hits = (0..n).filter(|_| cache.access(draw())).count();
        check(eviction.as_str(), hits as f64 / n as f64, expected, 0.01);
    }
}

#[test]
fn simulated_lru_fifo_random_match_che() {
    // (keys, alpha, capacity): the worked example and three more settings.
    let settings = [
        (1_000, 0.8, 100),
        (10_000, 0.9, 1_000),
        (1_000, 1.0, 50),
        (5_000, 0.6, 500),
    ];
    for (keys, alpha, capacity) in settings {
        let p = theory::zipf_popularities(keys as usize, alpha).unwrap();
        for (eviction, formula) in [
            (Eviction::Lru, theory::lru_hit_ratio(&p, capacity as usize)),
            (Eviction::Fifo, theory::fifo_hit_ratio(&p, capacity as usize)),
            (Eviction::Random, theory::random_hit_ratio(&p, capacity as usize)),
        ] {
            let s = measure(textbook(eviction, keys, alpha, capacity), 20 * u64::from(keys), 600_000);
            let case = format!("{} keys={keys} alpha={alpha} C={capacity}", eviction.as_str());
            check(&case, s.hit_ratio, formula, 0.02);
            let shown = s
                .theory_hit_ratio
                .expect("theory applies to a read-only stream without TTL");
            check(&format!("{case} (snapshot theory)"), shown, formula, 1e-12);
        }
    }
}

#[test]
fn simulated_worked_example() {
    let lru = measure(textbook(Eviction::Lru, 1_000, 0.8, 100), 50_000, 1_000_000);
    check("simulated LRU", lru.hit_ratio, 0.378, 0.02);
    let fifo = measure(textbook(Eviction::Fifo, 1_000, 0.8, 100), 50_000, 1_000_000);
    check("simulated FIFO", fifo.hit_ratio, 0.334, 0.02);
}

#[test]
fn simulated_perfect_lfu_reaches_the_top_mass() {
    for (keys, alpha, capacity) in [(1_000, 0.8, 100), (5_000, 0.9, 250)] {
        let p = theory::zipf_popularities(keys as usize, alpha).unwrap();
        let top = theory::lfu_hit_ratio(&p, capacity as usize);
        let s = measure(textbook(Eviction::Lfu, keys, alpha, capacity), 200_000, 1_000_000);
        check(
            &format!("LFU keys={keys} alpha={alpha} C={capacity}"),
            s.hit_ratio,
            top,
            0.02,
        );
    }
}

#[test]
fn theory_only_where_it_applies() {
    let sieve = CacheLab::new(textbook(Eviction::Sieve, 1_000, 0.8, 100))
        .unwrap()
        .snapshot();
    assert_eq!(sieve.theory_hit_ratio, None);
    assert_eq!(sieve.theory_hit_ratio_read_only, None);
    let with_writes = Config {
        read_ratio: 0.9,
        ..textbook(Eviction::Lru, 1_000, 0.8, 100)
    };
    let s = CacheLab::new(with_writes).unwrap().snapshot();
    assert_eq!(s.theory_hit_ratio, None);
    check(
        "read-only theory still shown",
        s.theory_hit_ratio_read_only.unwrap(),
        0.378,
        0.001,
    );
    let with_ttl = Config {
        ttl_s: 5.0,
        ..textbook(Eviction::Lfu, 1_000, 0.8, 100)
    };
    assert_eq!(CacheLab::new(with_ttl).unwrap().snapshot().theory_hit_ratio, None);
}

#[test]
fn sieve_and_s3fifo_beat_fifo_on_zipf() {
    let fifo = measure(textbook(Eviction::Fifo, 10_000, 0.9, 1_000), 200_000, 500_000).hit_ratio;
    for eviction in [Eviction::Sieve, Eviction::S3fifo] {
        let s = measure(textbook(eviction, 10_000, 0.9, 1_000), 200_000, 500_000);
        assert!(
            s.hit_ratio > fifo,
            "{} {} <= FIFO {fifo}",
            eviction.as_str(),
            s.hit_ratio
        );
        assert!(s.cached <= 1_000);
    }
}

// ---------------------------------------------------------------------------------------------
// Hit ratio and database load.

#[test]
fn ninety_nine_percent_hits_leave_ten_db_reads_per_second() {
    // Uniform popularity over 100 keys: in steady state any policy holds `capacity` of them, so a
    // read hits with probability capacity / 100 exactly.
    for (capacity, hit, db_reads_per_s) in [(99, 0.99, 10.0), (90, 0.90, 100.0)] {
        let config = Config {
            keys: 100,
            alpha: 0.0,
            capacity,
            read_ratio: 1.0,
            ttl_s: 0.0,
            rate: 1_000.0,
            ..Config::default()
        };
        let mut lab = CacheLab::new(config).unwrap();
        lab.step_until(from_secs(10.0));
        lab.reset_stats();
        lab.step_until(from_secs(2_010.0));
        let s = lab.snapshot();
        check("measured seconds", s.measured_s, 2_000.0, 1e-9);
        check(&format!("hit ratio, C={capacity}"), s.hit_ratio, hit, 0.002);
        let per_s = s.db_reads as f64 / s.measured_s;
        check(
            &format!("DB reads/s, C={capacity}"),
            per_s,
            db_reads_per_s,
            0.05 * db_reads_per_s,
        );
        // The accounting identity: every miss is one database read.
        assert_eq!(s.db_reads, s.misses);
        let rate = s.reads as f64 / s.measured_s;
        check("identity", per_s, rate * (1.0 - s.hit_ratio), 1e-9);
        // The 1 s window the UI shows is of the same order.
        assert!(s.db_reads_per_s < 4.0 * db_reads_per_s, "{}", s.db_reads_per_s);
    }
}

#[test]
fn db_connection_limit_shows_as_queueing() {
    let base = Config {
        capacity: 100,
        db_latency_ms: 20.0,
        ..Config::default()
    };
    let free = measure(base.clone(), 20_000, 20_000);
    let limited = measure(
        Config {
            db_concurrency: 8,
            ..base
        },
        20_000,
        20_000,
    );
    assert!(limited.db_peak_concurrency > 8, "the wait queue holds the excess");
    assert!(
        limited.latency_p99_ms > 2.0 * free.latency_p99_ms,
        "p99 {} vs {}",
        limited.latency_p99_ms,
        free.latency_p99_ms
    );
}

// ---------------------------------------------------------------------------------------------
// Strategies: stale reads, lost writes.

fn write_heavy(strategy: Strategy) -> Config {
    Config {
        strategy,
        keys: 1_000,
        capacity: 200,
        read_ratio: 0.5,
        db_latency_ms: 0.0,
        flush_ms: 1_000.0,
        ..Config::default()
    }
}

/// Keys whose newest acknowledged version never reached the database.
fn keys_behind(lab: &CacheLab) -> u64 {
    (0..lab.config().keys)
        .filter(|&k| lab.latest_version(k) > lab.db_version(k))
        .count() as u64
}

#[test]
fn write_behind_crash_loses_exactly_the_queued_writes() {
    let mut lab = CacheLab::new(write_heavy(Strategy::WriteBehind)).unwrap();
    lab.step_until(from_secs(10.5));
    let before = lab.snapshot();
    let queued = before.write_queue;
    assert!(queued > 100, "half a second of writes is queued: {queued}");
    assert!(before.coalesced_writes > 0, "repeated writes to a key coalesce");
    assert_eq!(
        keys_behind(&lab),
        queued,
        "the queue holds exactly the writes the DB lacks"
    );
    let lost = lab.crash_cache();
    assert_eq!(lost, queued);
    let after = lab.snapshot();
    assert_eq!(after.lost_writes, queued);
    assert_eq!(after.write_queue, 0);
    assert_eq!(after.cached, 0);
    assert!(matches!(
        after.events.last().map(|e| &e.kind),
        Some(LabEventKind::Crash { lost_writes }) if *lost_writes == queued
    ));
    // The lost versions are gone: the database's versions are the newest again, and nothing else
    // changed.
    assert_eq!(keys_behind(&lab), 0);

    // A hand-made case: writes to keys 5, 6, 5, 7, 5 at one instant coalesce into 3 queued writes.
    let mut lab = CacheLab::new(Config {
        read_ratio: 1.0,
        rate: 1.0,
        ..write_heavy(Strategy::WriteBehind)
    })
    .unwrap();
    lab.step_until(from_secs(1.5));
    for key in [5, 6, 5, 7, 5] {
        lab.inject_write(key).unwrap();
    }
    assert_eq!(lab.snapshot().write_queue, 3);
    assert_eq!(lab.latest_version(5), Some(3));
    assert_eq!(lab.crash_cache(), 3);
    assert_eq!(lab.db_version(5), Some(0));
    assert_eq!(lab.latest_version(5), Some(0));
    // A flush (unlike a crash) writes the queue out first.
    for key in [1, 2, 1] {
        lab.inject_write(key).unwrap();
    }
    assert_eq!(lab.flush_cache(), 2);
    lab.step_until(from_secs(2.0));
    assert_eq!(lab.db_version(1), Some(2));
    assert_eq!(lab.db_version(2), Some(1));
    assert_eq!(lab.snapshot().lost_writes, 3);
}

#[test]
fn write_through_never_loses_a_write() {
    let mut lab = CacheLab::new(write_heavy(Strategy::WriteThrough)).unwrap();
    for second in 1..=20 {
        lab.step_until(from_secs(f64::from(second) + 0.37));
        assert_eq!(lab.crash_cache(), 0);
        assert_eq!(keys_behind(&lab), 0);
    }
    let s = lab.snapshot();
    assert_eq!(s.lost_writes, 0);
    assert!(s.writes > 10_000);
    // Write-behind over the same stream does lose writes on the same crashes.
    let mut behind = CacheLab::new(write_heavy(Strategy::WriteBehind)).unwrap();
    for second in 1..=20 {
        behind.step_until(from_secs(f64::from(second) + 0.37));
        behind.crash_cache();
    }
    assert!(behind.snapshot().lost_writes > 1_000);
}

#[test]
fn write_behind_coalesces_database_writes() {
    let through = measure(write_heavy(Strategy::WriteThrough), 5_000, 50_000);
    let behind = measure(write_heavy(Strategy::WriteBehind), 5_000, 50_000);
    assert!(
        (behind.db_writes as f64) < 0.8 * through.db_writes as f64,
        "write-behind {} vs write-through {}",
        behind.db_writes,
        through.db_writes
    );
    // Write-behind acknowledges after the cache alone: its median latency is one cache trip.
    check("write-behind p50", behind.latency_p50_ms, 1.0, 0.01);
}

#[test]
fn cache_aside_serves_stale_reads_write_through_does_not() {
    // Cache-aside: reads between a write's commit and its delete, and reads of a value loaded
    // just before a write (the fill race), return an old version.
    let run = |strategy| {
        let config = Config {
            strategy,
            keys: 1_000,
            read_ratio: 0.9,
            ..Config::default()
        };
        measure(config, 20_000, 100_000)
    };
    let aside = run(Strategy::CacheAside);
    assert!(aside.stale_reads > 100, "{}", aside.stale_reads);
    assert!(aside.stale_read_ratio < 0.1, "{}", aside.stale_read_ratio);
    // Write-through updates the cache when the write commits; write-behind before it does.
    for strategy in [Strategy::WriteThrough, Strategy::WriteBehind] {
        let s = run(strategy);
        assert!(
            s.stale_reads * 100 < aside.stale_reads,
            "{strategy:?}: {}",
            s.stale_reads
        );
    }
}

#[test]
fn refresh_ahead_reloads_before_expiry() {
    let base = Config {
        ttl_s: 2.0,
        keys: 100,
        capacity: 100,
        read_ratio: 1.0,
        ..Config::default()
    };
    let through = measure(
        Config {
            strategy: Strategy::ReadThrough,
            ..base.clone()
        },
        20_000,
        50_000,
    );
    let ahead = measure(
        Config {
            strategy: Strategy::RefreshAhead,
            refresh_window: 0.5,
            ..base
        },
        20_000,
        50_000,
    );
    assert!(ahead.refreshes > 0);
    assert!(
        ahead.expirations * 10 < through.expirations,
        "{} vs {}",
        ahead.expirations,
        through.expirations
    );
    assert!(ahead.hit_ratio > through.hit_ratio + 0.03);
}

// ---------------------------------------------------------------------------------------------
// Stampede and its cures.

/// A quiet lab (1 request/s) with the hot key cached.
fn quiet_with_hot_key(protection: Protection) -> CacheLab {
    let mut lab = CacheLab::new(Config {
        protection,
        rate: 1.0,
        read_ratio: 1.0,
        db_latency_ms: 50.0,
        ..Config::default()
    })
    .unwrap();
    lab.inject_read(HOT_KEY).unwrap();
    lab.step_until(from_secs(1.0));
    assert!(lab.cached(HOT_KEY).is_some());
    lab.reset_stats();
    lab
}

#[test]
fn lock_lets_exactly_one_load_through_a_stampede() {
    let n = 100;
    let mut locked = quiet_with_hot_key(Protection::Lock);
    locked.stampede(n);
    locked.step_until(from_secs(2.0));
    let s = locked.snapshot();
    assert_eq!(s.hot_key_db_reads, 1);
    assert_eq!(s.lock_waits, u64::from(n) - 1);
    assert_eq!(s.db_peak_concurrency, 1);

    let mut open = quiet_with_hot_key(Protection::None);
    open.stampede(n);
    open.step_until(from_secs(2.0));
    let s = open.snapshot();
    assert_eq!(s.hot_key_db_reads, u64::from(n));
    assert_eq!(s.db_peak_concurrency, u64::from(n));
    assert!(open.cached(HOT_KEY).is_some(), "the key is cached again afterwards");
}

/// A busy lab: 20,000 req/s, key 0 gets about 10% of them, 100 ms database reads.
fn busy(protection: Protection, ttl_s: f64) -> Config {
    Config {
        protection,
        rate: 20_000.0,
        alpha: 1.0,
        keys: 10_000,
        capacity: 2_000,
        read_ratio: 1.0,
        ttl_s,
        db_latency_ms: 100.0,
        ..Config::default()
    }
}

#[test]
fn hot_key_expiring_under_load() {
    let run = |protection| {
        let mut lab = CacheLab::new(busy(protection, 0.0)).unwrap();
        lab.step_until(from_secs(2.0));
        assert!(lab.expire_hot_key());
        lab.step_until(from_secs(3.0));
        lab.snapshot().hot_key_db_reads
    };
    // About 2,000 req/s on key 0 during a ~100 ms load: many misses go through (fewer than
    // 2,000 x 0.1 s, since the fastest of the loads already refills the key).
    let open = run(Protection::None);
    assert!(open > 50, "{open}");
    assert_eq!(run(Protection::Lock), 1);
}

#[test]
fn natural_expiries_lock_and_xfetch() {
    let run = |protection| {
        let mut lab = CacheLab::new(busy(protection, 5.0)).unwrap();
        lab.step_until(from_secs(3.0));
        lab.reset_stats();
        lab.step_until(from_secs(33.0));
        lab.snapshot()
    };
    // About six expiries of key 0 in 30 s.
    let open = run(Protection::None);
    assert!(open.hot_key_db_reads > 300, "{}", open.hot_key_db_reads);
    let locked = run(Protection::Lock);
    assert!(
        (5..=7).contains(&locked.hot_key_db_reads),
        "{}",
        locked.hot_key_db_reads
    );
    let xfetch = run(Protection::Xfetch);
    assert!(xfetch.early_refreshes > 0);
    assert!(xfetch.hot_key_db_reads <= 20, "{}", xfetch.hot_key_db_reads);
    assert!(xfetch.db_peak_concurrency < open.db_peak_concurrency);
}

#[test]
fn xfetch_early_probability_matches_its_formula() {
    let mut rng = SimRng::new(2024);
    let expiry = 1_000_000_000u64;
    for (delta_us, beta) in [(20_000.0, 1.0), (20_000.0, 2.0), (5_000.0, 0.5)] {
        for x_over_scale in [0.0, 0.25, 0.5, 1.0, 2.0, 3.0] {
            let x = x_over_scale * delta_us * beta;
            let now = expiry - x as u64;
            let trials = 200_000;
            let early = (0..trials)
                .filter(|_| xfetch::should_recompute(now, expiry, delta_us, beta, 1.0 - rng.next_f64()))
                .count();
            let formula = libm::exp(-x_over_scale);
            check(
                &format!("P(early) at x = {x_over_scale} delta*beta (delta {delta_us}, beta {beta})"),
                early as f64 / trials as f64,
                formula,
                0.005,
            );
            check(
                "formula helper",
                xfetch::early_probability(x, delta_us, beta),
                formula,
                1e-12,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Configuration, determinism, comparison, scale.

#[test]
fn hostile_config_values_are_rejected() {
    let mut lab = CacheLab::new(Config::default()).unwrap();
    let before = lab.config().clone();
    for (key, raw) in [
        ("capacity", "0"),
        ("capacity", "1e300"),
        ("capacity", "2.5"),
        ("keys", "-1"),
        ("keys", "1000001"),
        ("alpha", "NaN"),
        ("alpha", "inf"),
        ("alpha", "3"),
        ("read_ratio", "1.5"),
        ("rate", "0"),
        ("rate", "1e9"),
        ("ttl_s", "-5"),
        ("db_latency_ms", ""),
        ("db_concurrency", "0.5"),
        ("flush_ms", "0"),
        ("refresh_window", "2"),
        ("beta", "0.1"),
        ("beta", "abc"),
        ("strategy", "<script>"),
        ("eviction", "mru"),
        ("protection", "LOCK"),
        ("seed", "5"),
        ("nonsense", "1"),
    ] {
        assert!(lab.set_param(key, raw).is_err(), "{key}={raw:?} should be rejected");
        assert_eq!(lab.config(), &before, "{key}={raw:?} changed the config");
    }
    for bad in [
        Config {
            capacity: 0,
            ..Config::default()
        },
        Config {
            keys: 0,
            ..Config::default()
        },
        Config {
            alpha: f64::NAN,
            ..Config::default()
        },
        Config {
            rate: f64::INFINITY,
            ..Config::default()
        },
        Config {
            beta: 10.0,
            ..Config::default()
        },
    ] {
        assert!(CacheLab::new(bad.clone()).is_err(), "{bad:?}");
        assert!(lab.set_config(bad).is_err());
    }
    // Hostile JSON is caught by validation.
    let json: Config = serde_json::from_str(r#"{"capacity": 4000000000, "ttl_s": -1}"#).unwrap();
    assert!(json.validate().is_err());
    assert!(lab.inject_read(10_000).is_err());
    assert!(lab.inject_write(u32::MAX).is_err());
    // Extreme but valid values run without panicking.
    for (key, raw) in [
        ("capacity", "1000000"),
        ("alpha", "2"),
        ("rate", "100000"),
        ("db_latency_ms", "2000"),
        ("db_concurrency", "1"),
        ("ttl_s", "0"),
        ("flush_ms", "10"),
        ("strategy", "write_behind"),
        ("eviction", "s3fifo"),
        ("protection", "xfetch"),
        ("beta", "5"),
    ] {
        lab.set_param(key, raw).unwrap();
    }
    lab.step_until(from_secs(0.5));
    lab.stampede(u32::MAX);
    lab.crash_cache();
    lab.flush_cache();
    lab.step_until(from_secs(1.0));
    let s = lab.snapshot();
    assert!(s.requests > 10_000);
    assert!(serde_json::to_string(&s).is_ok());
}

#[test]
fn params_round_trip_and_live_changes() {
    let mut lab = CacheLab::new(Config::default()).unwrap();
    lab.step_until(from_secs(2.0));
    let requests = lab.snapshot().requests;
    lab.set_param("strategy", "write_through").unwrap();
    lab.set_param("rate", "2000").unwrap();
    lab.set_param("alpha", "1.1").unwrap();
    lab.set_param("ttl_s", "0").unwrap();
    assert_eq!(lab.snapshot().requests, requests, "live changes keep the run going");
    assert!(lab.snapshot().cached > 0, "the cache is kept");
    lab.set_param("eviction", "sieve").unwrap();
    let s = lab.snapshot();
    assert_eq!(s.cached, 0, "a new policy restarts the cache empty");
    assert!(matches!(
        s.events.last().map(|e| &e.kind),
        Some(LabEventKind::CacheRebuilt)
    ));
    lab.set_param("keys", "500").unwrap();
    assert_eq!(lab.now(), 0, "new keys restart the run");
    for spec in Config::specs() {
        let value = lab.config().get(spec.key).unwrap();
        lab.set_param(spec.key, &value.to_query()).unwrap();
    }
}

#[test]
fn same_seed_gives_identical_snapshots() {
    let script = |seed: u64| {
        let mut lab = CacheLab::new(Config {
            seed,
            strategy: Strategy::WriteBehind,
            eviction: Eviction::Random,
            protection: Protection::Xfetch,
            ttl_s: 3.0,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(4.0));
        lab.crash_cache();
        lab.step_until(from_secs(6.0));
        lab.stampede(50);
        lab.step_until(from_secs(9.0));
        lab.set_param("eviction", "lfu").unwrap();
        lab.step_until(from_secs(10.0));
        lab.snapshot()
    };
    let a = script(42);
    let b = script(42);
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    assert_ne!(a, script(43));
    assert!(!a.hit_ratio_series.is_empty() && !a.hottest.is_empty());
}

#[test]
fn compare_runs_one_stream_through_every_variant() {
    let base = textbook(Eviction::Lru, 1_000, 0.8, 100);
    let evictions = [
        Eviction::Lru,
        Eviction::Lfu,
        Eviction::Fifo,
        Eviction::Sieve,
        Eviction::S3fifo,
    ];
    let mut cmp = Comparison::evictions(&base, &evictions, 50_000, 300_000).unwrap();
    let mut frames = 0;
    while !cmp.is_done() {
        cmp.work(CacheLab::REQUESTS_PER_FRAME);
        frames += 1;
        assert!(frames < 10_000);
    }
    assert_eq!(cmp.progress().fraction(), 1.0);
    let rows = cmp.rows();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.stream_fingerprint == rows[0].stream_fingerprint));
    assert!(rows.iter().all(|r| r.requests == 300_000));
    let hit = |e: Eviction| rows.iter().find(|r| r.eviction == e).map_or(0.0, |r| r.hit_ratio);
    check("compare LRU", hit(Eviction::Lru), 0.378, 0.02);
    check("compare LFU", hit(Eviction::Lfu), 0.526, 0.02);
    check("compare FIFO", hit(Eviction::Fifo), 0.334, 0.02);
    assert!(hit(Eviction::Lfu) > hit(Eviction::Lru) && hit(Eviction::Lru) > hit(Eviction::Fifo));

    let strategies = Comparison::strategies(
        &write_heavy(Strategy::CacheAside),
        &[Strategy::CacheAside, Strategy::WriteThrough, Strategy::WriteBehind],
        0,
        20_000,
    );
    let mut strategies = strategies.unwrap();
    strategies.run_to_end();
    let rows = strategies.rows();
    assert!(rows.iter().all(|r| r.stream_fingerprint == rows[0].stream_fingerprint));
    assert!(Comparison::evictions(&base, &[Eviction::Lru], 0, 10).is_err());
    assert!(Comparison::evictions(&base, &[Eviction::Lru; 6], 0, 10).is_err());
    assert!(Comparison::evictions(&base, &[Eviction::Lru; 2], 0, 0).is_err());
}

#[test]
fn a_million_keys_and_millions_of_requests_run_in_slices() {
    let config = Config {
        keys: 1_000_000,
        capacity: 100_000,
        alpha: 0.9,
        rate: 100_000.0,
        ..Config::default()
    };
    let started = std::time::Instant::now();
    let mut lab = CacheLab::new(config).unwrap();
    let target = 2_000_000;
    let mut last = 0;
    while lab.requests_issued() < target {
        let ran = lab.run_requests(CacheLab::REQUESTS_PER_FRAME.min(target - lab.requests_issued()));
        assert!(ran > 0);
        assert!(lab.requests_issued() > last, "progress every slice");
        last = lab.requests_issued();
    }
    let elapsed = started.elapsed();
    let s = lab.snapshot();
    assert_eq!(s.requests, target);
    assert!(s.hit_ratio > 0.3 && s.hit_ratio < 0.9, "{}", s.hit_ratio);
    let f = lab.footprint();
    assert!(f.cached <= 100_000);
    assert!(f.pending_events < 10_000, "{f:?}");
    assert!(f.db_op_slots < 10_000 && f.load_slots < 20_000, "{f:?}");
    assert!(f.series_points <= 512);
    assert!(f.histogram_buckets <= Histogram::BUCKET_COUNT as u64);
    assert!(s.hottest.len() == 20);
    eprintln!(
        "1,000,000 keys, {target} requests: {:.2} s wall, {:.0} simulated s, hit ratio {:.3}, {f:?}",
        elapsed.as_secs_f64(),
        s.now_s,
        s.hit_ratio
    );
}
