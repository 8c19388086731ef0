//! The scaling journey: the utilisation law and the `1 / D_max` bound on hand-computed
//! architectures, the seeds' numbers, the wrong layer, the connection limit, each level won by a
//! known architecture and lost by the previous level's, each fault and its mitigation,
//! determinism, hostile input, comparisons.

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::journey::assumptions::*;
use scalelab_sim::journey::hits::hit_ratio;
use scalelab_sim::journey::serve::effective_cores;
use scalelab_sim::journey::*;
use scalelab_sim::params::Params;

fn config(pairs: &[(&str, &str)]) -> Config {
    let mut config = Config::default();
    for (k, v) in pairs {
        config.set_field(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    config
}

fn lab(pairs: &[(&str, &str)]) -> JourneyLab {
    JourneyLab::new(config(pairs)).expect("valid config")
}

fn run(pairs: &[(&str, &str)], secs: f64) -> JourneyLab {
    let mut l = lab(pairs);
    l.step_until(from_secs(secs));
    l
}

fn near(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

fn usage(l: &JourneyLab, c: Component) -> Usage {
    l.usages()
        .into_iter()
        .find(|u| u.component == c)
        .unwrap_or_else(|| panic!("{} missing", c.as_str()))
}

/// Stage 1: one small server; the breaker keeps the third party's outage away.
const STAGE1: &[(&str, &str)] = &[("breaker", "true")];
/// Stage 2: 30 small servers behind a balancer, the connection limit raised, 4 GB of cache, two
/// replicas per shard.
const STAGE2: &[(&str, &str)] = &[
    ("app_servers", "30"),
    ("db_max_connections", "400"),
    ("cache_gb", "4"),
    ("replicas", "2"),
];
/// Stage 3: autoscaled servers from 280 with pools of 5, 16 GB of cache, four shards with two
/// replicas each, email through a queue to 110 workers.
const STAGE3: &[(&str, &str)] = &[
    ("app_servers", "280"),
    ("autoscale", "true"),
    ("pool", "5"),
    ("db_max_connections", "4000"),
    ("cache_gb", "16"),
    ("replicas", "2"),
    ("shards", "4"),
    ("queue", "true"),
    ("workers", "110"),
];
/// Stage 4: stage 3 in three regions, active-active, each with 1,500 servers at least (enough for
/// the EU to take the US's users), twelve shards, 48 GB of cache (12 nodes: enough for the EU's
/// cache too), 600 workers.
const STAGE4: &[(&str, &str)] = &[
    ("regions", "active-active"),
    ("app_servers", "1500"),
    ("autoscale", "true"),
    ("pool", "5"),
    ("db_max_connections", "20000"),
    ("cache_gb", "48"),
    ("replicas", "2"),
    ("shards", "12"),
    ("queue", "true"),
    ("workers", "600"),
];

fn play(stage: u32, architecture: &[(&str, &str)]) -> JourneyLab {
    let stage = stage.to_string();
    let mut pairs = vec![("stage", stage.as_str())];
    pairs.extend_from_slice(architecture);
    run(&pairs, LEVEL_S as f64)
}

#[test]
fn the_utilisation_law_and_the_throughput_bound_hold_on_hand_computed_architectures() {
    // Per system request: half static (2 ms of app CPU), half dynamic (10 ms); of the dynamic
    // 90% read (3 ms of database), 10% write (1.6 ms); stateless sessions without a cache read
    // the database (0.5 ms).
    let app_time = 0.5 * APP_DYNAMIC_S + 0.5 * APP_STATIC_S;
    let db_time = 0.5 * (0.9 * DB_READ_S + 0.1 * DB_WRITE_S + DB_SESSION_S);
    let sandbox = [("stage", "0"), ("slow_share", "0")];

    // (a) One small server: 4 CPUs worth 3.77 under the USL. The app servers are the bottleneck.
    let a = run(&sandbox, 60.0);
    let d_app = app_time / effective_cores(4);
    let d_db = db_time / f64::from(DB_CORES);
    assert!(near(d_app, 1.5918e-3, 1e-3), "{d_app}");
    let x = a.second().throughput;
    assert!(near(usage(&a, Component::AppServers).utilization, x * d_app, 1e-9));
    assert!(near(usage(&a, Component::AppServers).demand_s, d_app, 1e-9));
    assert!(near(usage(&a, Component::DbPrimary).utilization, x * d_db, 1e-9));
    assert!(near(a.max_throughput(), 1.0 / d_app, 1e-9), "{}", a.max_throughput());
    assert_eq!(a.snapshot().metric_text("bottleneck"), Some("app-servers"));

    // (b) Four large servers (48 CPUs worth 22.2 each): now the database's demand is the largest.
    let mut pairs = sandbox.to_vec();
    pairs.extend([("app_servers", "4"), ("server_size", "large")]);
    let b = run(&pairs, 60.0);
    let d_app = app_time / (4.0 * effective_cores(48));
    assert!(near(usage(&b, Component::AppServers).demand_s, d_app, 1e-9));
    assert!(near(b.max_throughput(), 1.0 / d_db, 1e-9), "{}", b.max_throughput());
    assert!(near(b.max_throughput(), 9_523.8, 1e-4));
    assert_eq!(b.snapshot().metric_text("bottleneck"), Some("db-primary"));

    // (c) Add 4 GB of cache (one node) and two replicas: reads that miss go to a replica, which
    // also applies every write at half cost; sessions move to the cache.
    pairs.extend([("cache_gb", "4"), ("replicas", "2")]);
    let c = run(&pairs, 60.0);
    let h = hit_ratio(4.0);
    assert!(h > 0.8 && h < 0.95, "{h}");
    let x = c.second().throughput;
    let d_primary = 0.5 * 0.1 * DB_WRITE_S / f64::from(DB_CORES);
    let d_replica = 0.5 * (0.9 * (1.0 - h) / 2.0 * DB_READ_S + 0.1 * APPLY_SHARE * DB_WRITE_S) / f64::from(DB_CORES);
    let d_cache = 0.5 * (0.9 + 0.1 + 1.0) / 100_000.0;
    assert!(near(usage(&c, Component::DbPrimary).utilization, x * d_primary, 1e-9));
    assert!(near(usage(&c, Component::DbReplicas).utilization, x * d_replica, 1e-9));
    assert!(near(usage(&c, Component::Cache).utilization, x * d_cache, 1e-9));
    let d_max = [d_app, d_primary, d_replica, d_cache].into_iter().fold(0.0, f64::max);
    assert!(
        near(c.max_throughput(), 1.0 / d_max, 1e-9),
        "{} {}",
        c.max_throughput(),
        1.0 / d_max
    );
    assert_eq!(c.snapshot().metric_text("bottleneck"), Some("app-servers"));
    // The snapshot's metrics say the same.
    let s = c.snapshot();
    assert!(near(s.metric("max-throughput").unwrap(), 1.0 / d_max, 1e-9));
    assert!(near(s.metric("bottleneck-utilization").unwrap(), x * d_app, 1e-9));
}

#[test]
fn the_seeds_numbers() {
    // 002: "1000 req/sec → only 10 DB queries/sec (if 99% cache hit rate)".
    assert!(near(db_reads(1_000.0, 0.99), 10.0, 1e-9));
    assert!(near(db_reads(1_000.0, 0.90), 100.0, 1e-9));
    // 003: "100,000 × 0.2 = 20,000; 20,000 / 10,000 = 2" servers.
    assert_eq!(servers_needed(100_000.0, 0.2, 10_000.0), 2);
    // The model's database reads are the reads that miss.
    let l = run(
        &[("stage", "0"), ("users", "20000"), ("cache_gb", "4"), ("replicas", "1")],
        30.0,
    );
    let s = l.snapshot();
    let reads = s.throughput * 0.5 * 0.9;
    assert!(near(
        s.metric("db-reads-per-s").unwrap(),
        db_reads(reads, l.hit_ratio()),
        1e-9
    ));
    assert!(near(s.metric("hit-ratio").unwrap(), l.hit_ratio(), 0.0));

    // 003, multi-region latency: US-only 50 / 150 / 250 ms; with regions, 50 ms each.
    let global = [
        ("stage", "0"),
        ("users", "10000"),
        ("region_mix", "us:60,eu:25,asia:15"),
        ("app_servers", "4"),
    ];
    let single = run(&global, 30.0).snapshot();
    let rtts: Vec<f64> = single.regions.iter().map(|r| r.rtt_ms).collect();
    assert_eq!(rtts, vec![50.0, 150.0, 250.0]);
    let mut pairs = global.to_vec();
    pairs.push(("regions", "active-active"));
    let three = run(&pairs, 30.0).snapshot();
    let rtts: Vec<f64> = three.regions.iter().map(|r| r.rtt_ms).collect();
    assert_eq!(rtts, vec![50.0, 50.0, 50.0]);
    // p99 is the round trip plus the same work: +100 and +200 ms from the US, equal with regions.
    let p = |s: &Snapshot, i: usize| s.regions[i].p99_ms;
    assert!(
        near(p(&single, 1) - p(&single, 0), 100.0, 0.02),
        "{}",
        p(&single, 1) - p(&single, 0)
    );
    assert!(near(p(&single, 2) - p(&single, 0), 200.0, 0.02));
    assert!(
        p(&single, 2) > SLO_MS && p(&single, 0) < SLO_MS,
        "{} {} {}",
        p(&single, 0),
        p(&single, 1),
        p(&single, 2)
    );
    for i in 0..3 {
        assert!(p(&three, i) > 50.0 && p(&three, i) < SLO_MS, "{}", p(&three, i));
        assert!((p(&three, i) - p(&three, 0)).abs() < 5.0);
    }
    assert_eq!(single.metric("p99-ms"), single.metric("p99-asia-ms"));
    assert!(single.hints.iter().any(|h| h.problem == Problem::GlobalLatency));
}

#[test]
fn more_app_servers_do_not_raise_throughput_when_the_database_is_the_bottleneck() {
    // 100,000 users without a cache: the primary is offered ~109% of what it can do.
    let base = [("stage", "0"), ("users", "100000"), ("db_max_connections", "20000")];
    let with = |servers: &'static str| {
        let mut pairs = base.to_vec();
        pairs.push(("app_servers", servers));
        run(&pairs, 300.0)
    };
    let (few, many) = (with("30"), with("90"));
    let db_served = |l: &JourneyLab| l.second().stacks[0].map_or(0.0, |s| s.primary.served);
    for l in [&few, &many] {
        assert_eq!(l.snapshot().metric_text("bottleneck"), Some("db-primary"));
        assert!(l.snapshot().metric("bottleneck-utilization").unwrap() > 1.0);
        // The primary completes what it can: 16 cores at its mean service time.
        let capacity = l.second().stacks[0].map_or(0.0, |s| s.primary.capacity);
        assert!(near(db_served(l), capacity, 1e-9));
    }
    assert_eq!(few.max_throughput(), many.max_throughput());
    assert!(near(db_served(&few), db_served(&many), 1e-9));
    assert!(many.second().goodput <= few.second().goodput * 1.01);
    assert!(many.snapshot().cost_per_month > few.snapshot().cost_per_month * 2.0);
    // The hint points at the database, not at the app servers.
    let hint = &many.snapshot().hints[0];
    assert_eq!(hint.component, Component::DbPrimary);
    assert_eq!(hint.problem, Problem::SlowQueries);
    // A cache moves the bottleneck back to the app servers and lets the throughput through.
    let mut pairs = base.to_vec();
    pairs.extend([("app_servers", "30"), ("cache_gb", "4")]);
    let cached = run(&pairs, 300.0);
    assert_eq!(cached.snapshot().metric_text("bottleneck"), Some("app-servers"));
    assert!(cached.max_throughput() > 1.5 * few.max_throughput());
    assert!(cached.snapshot().error_rate < 1e-6);
}

#[test]
fn the_connection_limit_bites_at_pool_times_servers() {
    let errors = |servers: &'static str| {
        let l = run(
            &[
                ("stage", "0"),
                ("users", "20000"),
                ("cache_gb", "4"),
                ("app_servers", servers),
            ],
            60.0,
        );
        let s = l.snapshot();
        (s.error_rate, s.connections, s.hints)
    };
    // Pool 10 (HikariCP) × 10 servers = 100 = PostgreSQL's default limit: nothing refused.
    let (at_limit, connections, _) = errors("10");
    assert_eq!(connections, 100.0);
    assert!(at_limit < 1e-9, "{at_limit}");
    // One more server and the database refuses the excess; more servers, more failures.
    let (over, _, hints) = errors("11");
    assert!(over > 0.005, "{over}");
    assert!(hints.iter().any(|h| h.problem == Problem::ConnectionLimit));
    let (far_over, connections, _) = errors("20");
    assert_eq!(connections, 200.0);
    assert!(far_over > over * 3.0, "{far_over} {over}");
    // Smaller pools fix it.
    let l = run(
        &[
            ("stage", "0"),
            ("users", "20000"),
            ("cache_gb", "4"),
            ("app_servers", "20"),
            ("pool", "5"),
        ],
        60.0,
    );
    assert!(l.snapshot().error_rate < 1e-9);
}

#[test]
fn each_level_is_won_by_a_known_architecture_and_not_by_the_previous_one() {
    let winners = [STAGE1, STAGE2, STAGE3, STAGE4];
    for (i, winner) in winners.iter().enumerate() {
        let stage = i as u32 + 1;
        let won = play(stage, winner);
        let s = won.snapshot();
        let v = won.verdict().expect("a verdict after the hour");
        assert!(
            v.passed,
            "stage {stage}: {v:?}, slow {:?}, errors {}",
            s.regions.iter().map(|r| r.slow_share).collect::<Vec<_>>(),
            s.error_rate_total
        );
        assert_eq!(s.metric("stage-passed"), Some(1.0));
        assert!(v.cost_per_month <= STAGES[i].budget_per_month);
        if i > 0 {
            let lost = play(stage, winners[i - 1]);
            assert_eq!(lost.snapshot().metric("stage-passed"), Some(0.0), "stage {stage}");
            assert!(!lost.verdict().expect("a verdict").passed);
        }
    }
    // Each level's fault needs its pattern: the same winners without it lose.
    let without = |stage: u32, winner: &[(&'static str, &'static str)], key: &'static str, raw: &'static str| {
        let mut pairs = winner.to_vec();
        pairs.push((key, raw));
        play(stage, &pairs).verdict().expect("a verdict")
    };
    let v = without(1, STAGE1, "breaker", "false");
    assert!(!v.passed && !v.errors_ok, "stage 1 without the breaker: {v:?}");
    let v = without(2, STAGE2, "replicas", "0");
    assert!(!v.passed && !v.errors_ok, "stage 2 without replicas: {v:?}");
    let v = without(3, STAGE3, "autoscale", "false");
    assert!(!v.passed, "stage 3 without autoscaling: {v:?}");
    // Enough fixed servers for the spike's peak hold the SLO but cost more than the budget.
    let mut fixed = STAGE3.to_vec();
    fixed.extend([("autoscale", "false"), ("app_servers", "520")]);
    let v = play(3, &fixed).verdict().expect("a verdict");
    assert!(
        !v.passed && v.latency_ok && v.errors_ok && !v.budget_ok,
        "stage 3, fixed for the peak: {v:?}"
    );
    let v = without(4, STAGE4, "regions", "active-passive");
    assert!(!v.passed && !v.latency_ok, "stage 4 active-passive: {v:?}");
    // Stage 1 with nothing added loses to its fault.
    let v = play(1, &[]).verdict().expect("a verdict");
    assert!(!v.passed && !v.errors_ok && v.latency_ok && v.budget_ok, "{v:?}");
    // No verdict before the hour is over, none in the sandbox.
    assert_eq!(
        run(&[("stage", "2")], 600.0).snapshot().metric("stage-passed"),
        Some(0.0)
    );
    assert!(run(&[("stage", "2")], 600.0).verdict().is_none());
    assert!(run(&[("stage", "0")], 3_600.0).verdict().is_none());
}

#[test]
fn a_region_failure_downs_a_single_region_and_active_active_moves_its_users() {
    let base = [
        ("stage", "0"),
        ("users", "100000"),
        ("region_mix", "us:60,eu:25,asia:15"),
        ("app_servers", "40"),
        ("db_max_connections", "1000"),
        ("cache_gb", "4"),
        ("replicas", "2"),
    ];
    let after = |regions: &'static str, secs: f64| {
        let mut pairs = base.to_vec();
        pairs.push(("regions", regions));
        let mut l = lab(&pairs);
        l.step_until(from_secs(60.0));
        assert!(l.act("fail-region").expect("a known action"));
        l.step_until(from_secs(60.0 + secs));
        l.snapshot()
    };
    let single = after("single", 120.0);
    assert!(single.error_rate > 0.99, "{}", single.error_rate);
    assert_eq!(single.regions[0].served_by, None);
    // Active-active: during the first 30 s the US users fail, then the EU serves them.
    let early = after("active-active", 10.0);
    assert!(near(early.error_rate, 0.6, 0.05), "{}", early.error_rate);
    let moved = after("active-active", 120.0);
    assert!(moved.error_rate < 1e-6, "{}", moved.error_rate);
    assert_eq!(moved.regions[0].served_by, Some(Region::Eu));
    assert_eq!(moved.regions[0].rtt_ms, 150.0);
    assert!(moved.events.iter().any(|e| e.kind == EventKind::Failover));
    assert!(moved.writes_lost > 0.0);
    // Active-passive: down for five minutes, then everyone is served from the EU.
    let standby = after("active-passive", 120.0);
    assert!(standby.error_rate > 0.99);
    let later = after("active-passive", 400.0);
    assert!(later.error_rate < 1e-6);
    assert_eq!(later.regions[2].rtt_ms, 200.0);
}

#[test]
fn a_primary_failure_is_survived_by_a_replica_and_not_without() {
    let run_with = |replicas: &'static str, secs: f64| {
        let mut l = lab(&[
            ("stage", "0"),
            ("users", "100000"),
            ("app_servers", "30"),
            ("db_max_connections", "400"),
            ("cache_gb", "4"),
            ("replicas", replicas),
        ]);
        l.step_until(from_secs(60.0));
        assert!(l.act("fail-primary").expect("a known action"));
        l.step_until(from_secs(60.0 + secs));
        l.snapshot()
    };
    // Without a replica the writes and the reads that miss the cache fail until it is back.
    let none = run_with("0", 300.0);
    assert!(none.error_rate > 0.05, "{}", none.error_rate);
    // With replicas, only the writes of the first 30 s fail; then a replica is the primary.
    let during = run_with("2", 10.0);
    assert!(near(during.error_rate, 0.05, 0.05), "{}", during.error_rate);
    let after = run_with("2", 120.0);
    assert!(after.error_rate < 1e-6, "{}", after.error_rate);
    assert_eq!(after.metric("replica-lag-ms"), Some(10.0));
    assert!(after.events.iter().any(|e| e.kind == EventKind::Failover));
    assert!(after.writes_lost > 0.0);
    // Sharded four ways, only a quarter of the writes wait for the failover.
    let mut l = lab(&[
        ("stage", "0"),
        ("users", "100000"),
        ("app_servers", "30"),
        ("db_max_connections", "400"),
        ("cache_gb", "4"),
        ("replicas", "2"),
        ("shards", "4"),
    ]);
    l.step_until(from_secs(60.0));
    l.act("fail-primary");
    l.step_until(from_secs(70.0));
    assert!(near(l.snapshot().error_rate, 0.05 / 4.0, 0.05));
}

#[test]
fn a_spike_overwhelms_a_fixed_fleet_and_autoscaling_absorbs_it() {
    let play_spike = |autoscale: &'static str| {
        let mut pairs = vec![
            ("stage", "0"),
            ("users", "1000000"),
            ("read_ratio", "0.8"),
            ("slow_share", "0.05"),
        ];
        pairs.extend_from_slice(STAGE3);
        pairs.push(("autoscale", autoscale));
        let mut l = lab(&pairs);
        l.step_until(from_secs(120.0));
        assert!(l.act("spike").expect("a known action"));
        l.step_until(from_secs(120.0 + FAULT_S as f64));
        l
    };
    let fixed = play_spike("false");
    let scaled = play_spike("true");
    let slow = |l: &JourneyLab| l.stats().regions[0].slow_share() + l.stats().overall().error_rate();
    assert!(slow(&fixed) > 0.05, "{}", slow(&fixed));
    assert!(slow(&scaled) < 0.01, "{}", slow(&scaled));
    assert!(scaled.snapshot().app_servers > 400);
    assert!(scaled.events().iter().any(|e| e.kind == EventKind::Scaled));
    assert!(near(scaled.snapshot().users, 1_000_000.0 * SPIKE_FACTOR, 1e-9));
}

#[test]
fn a_hanging_third_party_eats_the_threads_and_the_breaker_keeps_them() {
    let hang = |breaker: &'static str, users: &'static str, secs: f64| {
        let mut l = lab(&[
            ("stage", "0"),
            ("users", users),
            ("breaker", breaker),
            ("slow_share", "0"),
        ]);
        l.step_until(from_secs(60.0));
        assert!(l.act("fail-third-party").expect("a known action"));
        l.step_until(from_secs(60.0 + secs));
        l.snapshot()
    };
    // 1,000 users: the calls that hang fail (20% of dynamic requests, 10% of all).
    let plain = hang("false", "1000", 120.0);
    assert!(near(plain.error_rate, 0.1, 0.1), "{}", plain.error_rate);
    // 3,000 users: 30 calls a second × 10 s = 300 threads held, one server has 200: every
    // request suffers (the cascade), static files included.
    let cascade = hang("false", "3000", 120.0);
    assert!(cascade.error_rate > 0.3, "{}", cascade.error_rate);
    assert_eq!(cascade.metric_text("bottleneck"), Some("app-threads"));
    assert!(cascade.hints.iter().any(|h| h.problem == Problem::CascadingFailures));
    // The breaker opens on the first timeouts and answers the rest with a fallback.
    let broken = hang("true", "3000", 120.0);
    assert!(broken.error_rate < 0.01, "{}", broken.error_rate);
    assert!(broken.events.iter().any(|e| e.kind == EventKind::BreakerOpened));
    assert!(broken.stacks[0].breaker.is_some());
}

#[test]
fn the_same_config_and_seed_give_the_same_run() {
    let pairs: &[(&str, &str)] = &[
        ("stage", "3"),
        ("app_servers", "280"),
        ("autoscale", "true"),
        ("queue", "true"),
    ];
    let a = run(pairs, 1_500.0).snapshot();
    let b = run(pairs, 1_500.0).snapshot();
    assert_eq!(a, b);
    // Sliced differently, the same.
    let mut c = lab(pairs);
    while !c.work_until(from_secs(1_500.0), 97) {}
    assert_eq!(c.snapshot(), a);
    // Another seed, another run.
    let mut other = pairs.to_vec();
    other.push(("seed", "2"));
    let mut cfg = config(&other[..other.len() - 1]);
    cfg.seed = 2;
    let mut d = JourneyLab::new(cfg).expect("valid");
    d.step_until(from_secs(1_500.0));
    assert_ne!(d.snapshot().throughput, a.throughput);
}

#[test]
fn hostile_values_are_refused_and_nothing_panics() {
    let mut c = Config::default();
    for (key, raw) in [
        ("users", "NaN"),
        ("users", "inf"),
        ("users", "-1"),
        ("users", "0"),
        ("users", "1e300"),
        ("users", ""),
        ("app_servers", "2.5"),
        ("app_servers", "0"),
        ("app_servers", "99999999999999999999"),
        ("cache_gb", "-0.5"),
        ("stage", "5"),
        ("server_size", "huge"),
        ("regions", "<script>"),
        ("cdn", "maybe"),
        ("pool", "0"),
        ("db_max_connections", "5"),
        ("read_ratio", "1.5"),
        ("static_share", "1"),
        ("slow_share", "0.9"),
        ("region_mix", ""),
        ("region_mix", "mars:1"),
        ("region_mix", "us:abc"),
        ("region_mix", "us:1,us:2"),
        ("region_mix", "us:-1"),
        ("region_mix", "US:1"),
        ("region_mix", &"us:1,".repeat(200)),
        ("nope", "1"),
    ] {
        let before = c.clone();
        let err = c
            .set_field(key, raw)
            .expect_err(&format!("{key}={raw:?} should be refused"));
        assert!(!err.message.is_empty());
        assert_eq!(c, before, "{key}");
    }
    // A config built by hand with bad values is refused by the lab.
    for bad in [
        Config {
            users: f64::NAN,
            ..Config::default()
        },
        Config {
            app_servers: 0,
            ..Config::default()
        },
        Config {
            region_mix: "x".into(),
            ..Config::default()
        },
        Config {
            stage: 9,
            ..Config::default()
        },
    ] {
        assert!(JourneyLab::new(bad).is_err());
    }
    let mut l = lab(&[]);
    assert!(l.set_param("users", "NaN").is_err());
    assert_eq!(l.act("explode"), None);
    // Extremes run without panicking and keep their numbers finite.
    for pairs in [
        vec![("stage", "0"), ("users", "1")],
        vec![
            ("stage", "0"),
            ("users", "10000000"),
            ("app_servers", "1"),
            ("pool", "1"),
        ],
        vec![
            ("stage", "0"),
            ("users", "10000000"),
            ("app_servers", "2000"),
            ("server_size", "large"),
            ("cache_gb", "64"),
            ("replicas", "20"),
            ("shards", "64"),
            ("queue", "true"),
            ("workers", "0"),
            ("autoscale", "true"),
            ("breaker", "true"),
            ("regions", "active-active"),
            ("pool", "200"),
            ("db_max_connections", "20000"),
            ("static_share", "0.95"),
            ("read_ratio", "0"),
            ("slow_share", "0.5"),
            ("region_mix", "asia:1"),
        ],
        vec![
            ("stage", "0"),
            ("users", "10000000"),
            ("read_ratio", "1"),
            ("static_share", "0"),
        ],
    ] {
        let mut l = lab(&pairs);
        for f in Fault::ALL {
            l.fault(f);
        }
        l.step_until(from_secs(900.0));
        let s = l.snapshot();
        for name in METRICS {
            let v = s.metric(name).unwrap_or_else(|| panic!("{name}"));
            assert!(v.is_finite(), "{name} = {v} for {pairs:?}");
        }
        assert!(s.error_rate >= 0.0 && s.error_rate <= 1.0);
    }
}

#[test]
fn every_metric_name_resolves_and_every_key_round_trips() {
    let s = run(&[("stage", "2")], 30.0).snapshot();
    for name in METRICS {
        assert!(s.metric(name).is_some(), "{name}");
    }
    assert_eq!(s.metric("nope"), None);
    assert_eq!(s.metric("users"), Some(100_000.0));
    let c = config(STAGE4);
    for key in Config::KEYS {
        let raw = c.field(key).expect("a value");
        let mut d = Config::default();
        d.set_field(key, &raw).expect("round trip");
        assert_eq!(d.field(key), Some(raw));
    }
    assert_eq!(Config::specs().len() + 1, Config::KEYS.len());
    for f in Fault::ALL {
        assert_eq!(Fault::parse(f.as_str()), Some(f));
    }
}

#[test]
fn a_comparison_runs_two_architectures_on_the_same_traffic() {
    let a = config(&[("stage", "2")]);
    let b = config(STAGE2);
    let mut sliced = Comparison::new(&a, &b, 3_600.0).expect("valid");
    let mut steps = 0;
    while !sliced.work(500) {
        steps += 1;
        assert!(sliced.progress() < 1.0);
    }
    assert!(steps > 5);
    let mut whole = Comparison::new(&a, &b, 3_600.0).expect("valid");
    whole.run_to_end();
    let (rows, again) = (sliced.rows(), whole.rows());
    assert_eq!(rows, again);
    assert_eq!(rows[0].requests, rows[1].requests);
    assert_eq!(rows[1].config.stage, 2);
    assert_eq!((rows[0].passed, rows[1].passed), (Some(false), Some(true)));
    assert!(rows[1].max_throughput > rows[0].max_throughput);
    assert!(Comparison::new(&a, &b, 0.0).is_err());
    assert!(Comparison::new(&a, &b, f64::NAN).is_err());
}

#[test]
fn an_hour_of_stage_four_runs() {
    // Ten million users for a simulated hour (the level test above plays it too); no timing is
    // asserted, only that it completes with a verdict and bounded charts.
    let l = play(4, STAGE4);
    let s = l.snapshot();
    assert!(l.verdict().is_some());
    assert!(s.lines.p99_ms[0].len() <= 360);
    assert!(s.events.len() <= EVENTS_KEPT);
}

#[test]
fn a_bigger_server_costs_more_per_request_than_it_adds() {
    // The seeds' prices are nearly linear in CPUs (4x CPU for 4x the price, 12x for 12.1x), but a
    // bigger box does less than its CPUs suggest (USL): the price per request rises with size.
    let per_request =
        |size: ServerSize| scalelab_sim::journey::prices::server_per_hour(size) / effective_cores(size.cpus());
    let [small, medium, large] = [ServerSize::Small, ServerSize::Medium, ServerSize::Large].map(per_request);
    assert!(small < medium && medium < large, "{small} {medium} {large}");
    assert!(large > 2.0 * small);
    assert!(near(effective_cores(4), 3.77, 1e-3) && near(effective_cores(48), 22.16, 1e-3));
    // One large server's price buys 12 small ones, which serve about twice as much.
    let one_large = run(&[("stage", "0"), ("server_size", "large")], 10.0);
    let twelve_small = run(&[("stage", "0"), ("app_servers", "12")], 10.0);
    let capacity = |l: &JourneyLab| usage(l, Component::AppServers).capacity;
    assert!(capacity(&twelve_small) > 1.9 * capacity(&one_large));
}

#[test]
fn a_cdn_takes_the_static_files_off_the_servers_and_keeps_them_up() {
    let base = [("stage", "0"), ("users", "1000"), ("slow_share", "0")];
    let mut with_cdn = base.to_vec();
    with_cdn.push(("cdn", "true"));
    let (origin, edge) = (run(&base, 60.0), run(&with_cdn, 60.0));
    // App demand per request: 0.5 × 10 ms + 0.5 × 2 ms without, 0.5 × 10 ms with.
    let d = |l: &JourneyLab| usage(l, Component::AppServers).demand_s * effective_cores(4);
    assert!(near(d(&origin), 0.006, 1e-9) && near(d(&edge), 0.005, 1e-9));
    assert!(edge.snapshot().cost_per_month > origin.snapshot().cost_per_month);
    assert!(near(
        usage(&edge, Component::Cdn).utilization,
        edge.second().static_rps / 50_000_000.0,
        1e-9
    ));
    // The US region fails: with a CDN the static half still loads.
    let fail = |pairs: &[(&str, &str)]| {
        let mut l = lab(pairs);
        l.step_until(from_secs(10.0));
        l.act("fail-region");
        l.step_until(from_secs(70.0));
        l.snapshot().error_rate
    };
    assert!(fail(&base) > 0.999);
    assert!(near(fail(&with_cdn), 0.5, 1e-9), "{}", fail(&with_cdn));
}

#[test]
fn slow_tasks_inside_requests_set_the_p99_and_a_queue_moves_them_out() {
    // 5% of dynamic requests send an email (2 s): 2.5% of all requests.
    let base = [
        ("stage", "0"),
        ("users", "1000"),
        ("slow_share", "0.05"),
        ("workers", "1"),
    ];
    let inside = run(&base, 60.0).snapshot();
    assert!(inside.p99_ms > 2_000.0, "{}", inside.p99_ms);
    assert!(inside.hints.iter().any(|h| h.problem == Problem::LongTasks));
    let mut queued = base.to_vec();
    queued.push(("queue", "true"));
    let l = run(&queued, 60.0);
    let s = l.snapshot();
    assert!(s.p99_ms < SLO_MS, "{}", s.p99_ms);
    // The worker does them later: 2.5 emails a second on 50 slots of 2 s each.
    assert!(near(usage(&l, Component::Workers).utilization, 2.5 * 2.0 / 50.0, 0.05));
    // Too few workers: the backlog grows, the users do not wait for it.
    let mut starved = queued.clone();
    starved.push(("users", "100000"));
    starved.extend([
        ("app_servers", "40"),
        ("db_max_connections", "1000"),
        ("cache_gb", "4"),
        ("replicas", "2"),
    ]);
    let l = run(&starved, 120.0);
    let s = l.snapshot();
    assert!(s.queue_backlog > 10_000.0, "{}", s.queue_backlog);
    assert!(s.metric("queue-lag-s").unwrap() > 10.0, "{}", s.queue_lag_s);
    assert!(s.p99_ms < SLO_MS);
    assert_eq!(s.metric_text("bottleneck"), Some("workers"));
}

#[test]
fn local_sessions_are_lost_with_their_servers() {
    let pairs = [
        ("stage", "0"),
        ("users", "100000"),
        ("region_mix", "us:60,eu:25,asia:15"),
        ("regions", "active-active"),
        ("app_servers", "40"),
        ("db_max_connections", "1000"),
        ("cache_gb", "4"),
        ("replicas", "2"),
        ("sessions", "local"),
    ];
    let mut l = lab(&pairs);
    l.step_until(from_secs(10.0));
    l.act("fail-region");
    l.step_until(from_secs(20.0));
    let s = l.snapshot();
    assert!(near(s.sessions_lost, 60_000.0, 0.05), "{}", s.sessions_lost);
    assert!(s.events.iter().any(|e| e.kind == EventKind::SessionsLost));
    let mut stateless = pairs.to_vec();
    stateless.push(("sessions", "stateless"));
    let mut l = lab(&stateless);
    l.step_until(from_secs(10.0));
    l.act("fail-region");
    l.step_until(from_secs(20.0));
    assert_eq!(l.snapshot().sessions_lost, 0.0);
}

#[test]
fn writes_outgrow_the_primary_and_shards_split_them() {
    // A million users, 20% writes: 10,000 writes a second, what one 16-core primary takes at
    // 1.6 ms each (the seeds' point to shard).
    let mut pairs = vec![
        ("stage", "0"),
        ("users", "1000000"),
        ("read_ratio", "0.8"),
        ("slow_share", "0"),
    ];
    pairs.extend([
        ("app_servers", "300"),
        ("pool", "5"),
        ("db_max_connections", "4000"),
        ("cache_gb", "16"),
        ("replicas", "2"),
    ]);
    let one = run(&pairs, 60.0);
    let writes = one.snapshot().db_writes_per_s;
    assert!(near(writes, 10_000.0, 0.1), "{writes}");
    let primary = usage(&one, Component::DbPrimary);
    assert!(near(primary.utilization, writes * DB_WRITE_S / 16.0, 1e-9));
    assert_eq!(one.snapshot().hints[0].problem, Problem::TooManyWrites);
    // Replicas do not help writes: each applies every one of them too.
    let mut more_replicas = pairs.clone();
    more_replicas.push(("replicas", "6"));
    let replicated = run(&more_replicas, 60.0);
    assert!(near(
        usage(&replicated, Component::DbPrimary).demand_s,
        primary.demand_s,
        1e-9
    ));
    // Four shards: a quarter each.
    pairs.push(("shards", "4"));
    let four = run(&pairs, 60.0);
    assert!(near(
        usage(&four, Component::DbPrimary).demand_s,
        primary.demand_s / 4.0,
        1e-9
    ));
    assert!(four.snapshot().error_rate < 1e-6);
}
