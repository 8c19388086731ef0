//! Rate limiting reference tests: each claim of REFERENCES.md ("Rate limiting") is reproduced here
//! (the token bucket's b + r t bound, the fixed window's 2L across a boundary, the sliding log's
//! exact L, GCRA's three-then-one-per-second and its agreement with the token bucket, N local
//! instances letting N × L through, the leaky bucket's smooth output, retries at once multiplying
//! the load), plus the lab's promises: determinism whatever the slicing, hostile input rejected,
//! the comparison on one stream, one million requests per simulated second.
//!
//! Every check states its tolerance; most are exact (integer time, whole-nanosecond rates).

use scalelab_sim::engine::time::{from_millis, from_secs, MICROS_PER_SEC};
use scalelab_sim::engine::{SimRng, SimTime};
use scalelab_sim::ratelimit::{
    Algorithm, Burstiness, Comparison, Config, Decision, LabEventKind, LimitParams, Limiter, RateLimitLab, Retry,
    Scope, SyncMode, MAX_STORED, TIMELINE_BUCKETS,
};

fn lab(config: Config) -> RateLimitLab {
    RateLimitLab::new(config).expect("valid config")
}

fn run(config: Config, secs: f64) -> RateLimitLab {
    let mut l = lab(config);
    l.step_until(from_secs(secs));
    l
}

/// A lab where nobody sends anything unless the test says so.
fn silent(algorithm: Algorithm, limit: u32, window_s: f64) -> Config {
    Config {
        algorithm,
        limit,
        window_s,
        client_rps: 0.0,
        abuser_rps: 0.0,
        ..Config::default()
    }
}

/// A random stream of request times (µs): bursts at one instant, short gaps and long pauses, so
/// limiters both fill and drain. Deterministic for a seed.
fn random_stream(seed: u64, n: usize, scale: SimTime) -> Vec<SimTime> {
    let mut rng = SimRng::new(seed);
    let mut t = 0;
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        t += match rng.below(10) {
            0 => 0,
            1 => rng.below(10 * scale),
            _ => rng.below(scale / 3 + 1),
        };
        times.push(t);
    }
    times
}

/// The admitted times of `limiter` over `times` (a delayed request counts when it leaves).
fn admitted(limiter: &mut Limiter, times: &[SimTime]) -> Vec<SimTime> {
    let mut out: Vec<SimTime> = times
        .iter()
        .filter_map(|&t| match limiter.decide(t) {
            Decision::Admit => Some(t),
            Decision::Delay { wait } => Some(t + wait),
            Decision::Refuse { .. } => None,
        })
        .collect();
    out.sort_unstable();
    out
}

/// The most of `times` (sorted) in any half-open span of `window` µs.
fn most_in_window(times: &[SimTime], window: SimTime) -> usize {
    let mut start = 0;
    let mut most = 0;
    for (end, &t) in times.iter().enumerate() {
        while times[start] + window <= t {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}

// ---------------------------------------------------------------------------------------------
// Token bucket: at most b + r t in any interval t.

/// Exact check, in integers: for every pair i <= j of admissions, (j − i + 1) <= b + (t_j − t_i)/T
/// with T the emission interval in ns, i.e. (j + 1 − b) T − t_j <= min over i of (i T − t_i).
fn holds_bucket_bound(admitted: &[SimTime], burst: u64, interval_ns: u64) -> Result<(), String> {
    let interval = i128::from(interval_ns);
    let mut best = i128::MAX;
    for (j, &t) in admitted.iter().enumerate() {
        let t_ns = i128::from(t) * 1_000;
        best = best.min(j as i128 * interval - t_ns);
        let need = (j as i128 + 1 - i128::from(burst)) * interval - t_ns;
        if need > best {
            return Err(format!("admission {j} at {t} µs breaks b + r t"));
        }
    }
    Ok(())
}

#[test]
fn token_bucket_never_admits_more_than_burst_plus_rate_times_t() {
    // (rate per second, burst) over 40 seeded streams each; tolerance: none (integer check with
    // the rate as enforced, 1e9 / T with T whole nanoseconds).
    let cases: [(f64, u64); 6] = [(10.0, 100), (1.0, 3), (3.0, 1), (0.7, 5), (250.0, 20), (7_777.0, 50)];
    for (rate, burst) in cases {
        for seed in 1..=40 {
            let scale = (MICROS_PER_SEC as f64 / rate) as SimTime;
            let times = random_stream(seed, 3_000, scale);
            let mut bucket = Limiter::new(Algorithm::TokenBucket, LimitParams::bucket(rate, burst), 0);
            let got = admitted(&mut bucket, &times);
            assert!(got.len() > 100, "rate {rate}, seed {seed}: only {} admitted", got.len());
            assert!(got.len() < times.len(), "rate {rate}, seed {seed}: nothing refused");
            if let Err(e) = holds_bucket_bound(&got, burst, bucket.interval_ns()) {
                panic!("rate {rate}, burst {burst}, seed {seed}: {e}");
            }
        }
    }
    // The seeds' bucket through the lab: 100 at once, then 10 per second.
    let mut l = lab(silent(Algorithm::TokenBucket, 100, 10.0));
    l.burst_now(150);
    assert_eq!(l.snapshot().totals.admitted, 100);
    l.step_until(from_secs(2.0));
    l.burst_now(50);
    assert_eq!(l.snapshot().totals.admitted, 120, "20 tokens refilled in 2 s");
}

// ---------------------------------------------------------------------------------------------
// Fixed window: 2L across a boundary; the sliding log never more than L.

#[test]
fn a_crafted_burst_across_a_window_boundary() {
    // L = 100 per 10 s: L requests 0.1 s before the boundary and L just after it. Exact counts.
    let cases = [
        (Algorithm::FixedWindow, 200, 2.0),
        (Algorithm::SlidingLog, 100, 1.0),
        // 100 × (1 − 0.1 / 10) = 99 still weigh: one more fits.
        (Algorithm::SlidingWindow, 101, 1.01),
        // A full bucket of 100, then 0.2 s of refill at 10/s.
        (Algorithm::TokenBucket, 102, 1.02),
        (Algorithm::Gcra, 102, 1.02),
        (Algorithm::None, 200, 2.0),
    ];
    for (algorithm, admitted, over) in cases {
        let mut l = lab(silent(algorithm, 100, 10.0));
        l.step_until(from_secs(9.9));
        l.burst_now(100);
        l.step_until(from_secs(10.1));
        l.burst_now(100);
        let s = l.snapshot();
        assert_eq!(s.totals.admitted, admitted, "{algorithm:?}");
        assert_eq!(s.worst_window, admitted, "{algorithm:?}: all within 0.2 s");
        assert_eq!(s.over_limit, over, "{algorithm:?}");
        assert!(s.worst_window_exact);
    }
}

#[test]
fn sliding_log_never_admits_more_than_the_limit_in_any_window() {
    // Direct, over 30 seeded streams and three limits: the most admitted in any half-open window
    // is at most L (exact), and it reaches L (the log is not over-strict).
    for (limit, window) in [(5u64, MICROS_PER_SEC), (100, 10 * MICROS_PER_SEC), (1, 250_000)] {
        for seed in 1..=30 {
            let scale = window / limit;
            let times = random_stream(seed, 2_000, scale);
            let mut log = Limiter::new(Algorithm::SlidingLog, LimitParams::per_window(limit, window), 0);
            let got = admitted(&mut log, &times);
            assert_eq!(most_in_window(&got, window) as u64, limit, "L {limit}, seed {seed}");
            assert!(log.stored() <= limit);
        }
    }
    // Through the lab, against an abuser bursting at every boundary (the fixed window's weak
    // spot): worst window exactly L for the log, 2L for the fixed window.
    let bursts = Config {
        abuser_rps: 50.0,
        burstiness: Burstiness::PeriodicBursts,
        ..silent(Algorithm::SlidingLog, 100, 10.0)
    };
    assert_eq!(run(bursts.clone(), 65.0).snapshot().worst_window, 100);
    let fixed = Config {
        algorithm: Algorithm::FixedWindow,
        ..bursts
    };
    assert_eq!(run(fixed, 65.0).snapshot().worst_window, 200);
}

// ---------------------------------------------------------------------------------------------
// GCRA.

#[test]
fn gcra_at_one_per_second_with_burst_three() {
    let mut gcra = Limiter::new(Algorithm::Gcra, LimitParams::bucket(1.0, 3), 0);
    let decisions: Vec<Decision> = (0..4).map(|_| gcra.decide(0)).collect();
    assert_eq!(
        decisions,
        vec![
            Decision::Admit,
            Decision::Admit,
            Decision::Admit,
            Decision::Refuse {
                retry_after: MICROS_PER_SEC
            }
        ],
        "three at once, the fourth told to come back in 1 s"
    );
    // Then a request every 0.25 s: exactly one per second passes, on the second.
    for k in 1..=40u64 {
        let t = k * MICROS_PER_SEC / 4;
        let admitted = gcra.decide(t) == Decision::Admit;
        assert_eq!(admitted, k % 4 == 0, "at {t} µs");
    }
    // The state the strip shows: TAT − now.
    assert_eq!(gcra.state(10 * MICROS_PER_SEC).tat_ahead_s, Some(3.0));
}

#[test]
fn gcra_agrees_with_a_token_bucket_on_every_request() {
    // Same rate and burst, 40 seeded streams each: the same decision (and Retry-After) every time.
    let mut rng = SimRng::new(99);
    for case in 0..8 {
        let rate = [1.0, 3.0, 0.5, 10.0, 123.4, 10_000.0, 2.5, 1e6][case];
        let burst = [3, 1, 7, 100, 12, 1_000, 2, 5][case];
        for seed in 1..=40 {
            let scale = ((MICROS_PER_SEC as f64 / rate) as SimTime).max(3);
            let times = random_stream(seed + rng.below(1_000), 2_000, scale);
            let mut gcra = Limiter::new(Algorithm::Gcra, LimitParams::bucket(rate, burst), 0);
            let mut bucket = Limiter::new(Algorithm::TokenBucket, LimitParams::bucket(rate, burst), 0);
            for &t in &times {
                assert_eq!(gcra.decide(t), bucket.decide(t), "rate {rate}, burst {burst}, at {t}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Distributed limiters.

/// A global limit of 100 per 10 s enforced by `instances` instances, against an abuser flooding
/// at 1,000 req/s (everyone else quiet), for 65 s.
fn distributed(algorithm: Algorithm, instances: u32, sync: SyncMode) -> RateLimitLab {
    run(
        Config {
            scope: Scope::Global,
            instances,
            sync,
            abuser_rps: 1_000.0,
            burstiness: Burstiness::Flood,
            ..silent(algorithm, 100, 10.0)
        },
        65.0,
    )
}

#[test]
fn local_instances_let_n_times_the_limit_through() {
    // Sliding logs (exact per instance), round robin: each instance admits L per window, so N
    // local instances admit exactly N × L; split and shared keep exactly L.
    for n in [1, 2, 3, 4, 16] {
        let local = distributed(Algorithm::SlidingLog, n, SyncMode::Local).snapshot();
        assert_eq!(local.worst_window, 100 * u64::from(n), "local, {n} instances");
        assert_eq!(local.over_limit, f64::from(n));
        let split = distributed(Algorithm::SlidingLog, n, SyncMode::Split).snapshot();
        assert_eq!(split.worst_window, 100, "split, {n} instances");
        let shared = distributed(Algorithm::SlidingLog, n, SyncMode::Shared).snapshot();
        assert_eq!(shared.worst_window, 100, "shared, {n} instances");
    }
    // Token buckets: up to N (b + r W) = N × 2L locally; split and shared within 2L (+1 for the
    // split rates' rounding).
    let local = distributed(Algorithm::TokenBucket, 3, SyncMode::Local).snapshot();
    assert!((590..=600).contains(&local.worst_window), "{}", local.worst_window);
    for sync in [SyncMode::Split, SyncMode::Shared] {
        let s = distributed(Algorithm::TokenBucket, 3, sync).snapshot();
        assert!((195..=201).contains(&s.worst_window), "{sync:?}: {}", s.worst_window);
    }
}

#[test]
fn a_shared_store_costs_its_round_trip_on_every_request() {
    let shared = distributed(Algorithm::TokenBucket, 3, SyncMode::Shared).snapshot();
    // Every admitted request waited one round trip (2 ms by default); the histogram's buckets are
    // within 1%.
    let p99 = shared.delay_p99_ms.expect("admissions");
    assert!((p99 - 2.0).abs() < 0.02, "{p99}");
    assert_eq!(shared.store_ms, 2.0);
    let local = distributed(Algorithm::TokenBucket, 3, SyncMode::Local).snapshot();
    assert_eq!(local.delay_p99_ms, Some(0.0));
}

// ---------------------------------------------------------------------------------------------
// A shared store with a sync interval (`sync_ms`).

/// `distributed`'s setting (a global 100 per 10 s, an abuser flooding at 1,000 req/s, 65 s) on a
/// shared store synced every `sync_ms` (0: asked on every decision), with a 2 ms round trip.
fn synced(algorithm: Algorithm, instances: u32, sync_ms: f64) -> RateLimitLab {
    run(
        Config {
            scope: Scope::Global,
            instances,
            sync: SyncMode::Shared,
            sync_ms,
            abuser_rps: 1_000.0,
            burstiness: Burstiness::Flood,
            ..silent(algorithm, 100, 10.0)
        },
        65.0,
    )
}

/// The derived bound's `A` for [`synced`]: the most one of `n` instances admits in one span of
/// `sync_ms` + the 2 ms round trip (what the others' views can miss). Round robin hands each
/// instance every n-th request of the flood, so at most `span × 1,000 / n + 1` arrive in it;
/// the limiter caps it too: one instance's own log never holds more than the limit, and its
/// bucket gives at most `b + r × span`.
fn per_instance_per_sync(algorithm: Algorithm, n: u32, sync_ms: f64) -> u64 {
    let span_s = (sync_ms + 2.0) / 1_000.0;
    let arrivals = (span_s * 1_000.0 / f64::from(n)).floor() as u64 + 1;
    let cap = match algorithm {
        Algorithm::SlidingLog => 100,
        Algorithm::TokenBucket | Algorithm::Gcra => 100 + (10.0 * span_s).ceil() as u64,
        _ => u64::MAX,
    };
    arrivals.min(cap)
}

#[test]
fn an_exact_store_admits_nothing_over_the_limit() {
    // sync_ms = 0: every decision on the one state, so 3 or 16 instances admit exactly what one
    // limiter alone admits (over-admission 0, exact), for every algorithm.
    for &algorithm in &Algorithm::LIMITERS {
        let alone = distributed(algorithm, 1, SyncMode::Local).snapshot();
        for n in [3, 16] {
            let shared = synced(algorithm, n, 0.0).snapshot();
            assert_eq!(shared.worst_window, alone.worst_window, "{algorithm:?}, {n} instances");
            assert_eq!(
                shared.totals.admitted, alone.totals.admitted,
                "{algorithm:?}, {n} instances"
            );
            assert_eq!(shared.sync_ms, 0.0);
        }
    }
    assert_eq!(synced(Algorithm::SlidingLog, 3, 0.0).snapshot().over_limit, 1.0);
}

#[test]
fn a_synced_store_lets_more_through_as_the_interval_grows_within_the_derived_bound() {
    // 3 instances: the worst window exceeds what the exact store allows and grows with the
    // interval, but never beyond the exact store's worst + (n − 1) × A (A as derived in
    // `sync.rs`; integer counts, no tolerance). The sliding log reaches its ceiling n × L once an
    // instance can fill its own limit within one interval.
    let intervals = [10.0, 50.0, 200.0, 1_000.0];
    for algorithm in [Algorithm::SlidingLog, Algorithm::TokenBucket, Algorithm::Gcra] {
        let exact = synced(algorithm, 3, 0.0).snapshot().worst_window;
        let mut previous = exact;
        for sync_ms in intervals {
            let s = synced(algorithm, 3, sync_ms).snapshot();
            let bound = exact + 2 * per_instance_per_sync(algorithm, 3, sync_ms);
            assert!(
                s.worst_window > exact,
                "{algorithm:?} every {sync_ms} ms: {}",
                s.worst_window
            );
            assert!(
                s.worst_window >= previous,
                "{algorithm:?} every {sync_ms} ms: {}",
                s.worst_window
            );
            assert!(
                s.worst_window <= bound,
                "{algorithm:?} every {sync_ms} ms: {} > {bound}",
                s.worst_window
            );
            assert!(s.worst_window_exact);
            previous = s.worst_window;
        }
    }
    let log = |sync_ms| synced(Algorithm::SlidingLog, 3, sync_ms).snapshot().worst_window;
    assert!(log(10.0) < log(50.0) && log(50.0) < log(200.0) && log(200.0) < log(1_000.0));
    assert_eq!(log(1_000.0), 300, "n × L: as bad as local counters");
    // More instances, more over-admission, each within its own bound (every 50 ms).
    for n in [2, 3, 5] {
        let worst = synced(Algorithm::SlidingLog, n, 50.0).snapshot().worst_window;
        let bound = 100 + u64::from(n - 1) * per_instance_per_sync(Algorithm::SlidingLog, n, 50.0);
        assert!(worst > 100 && worst <= bound, "{n} instances: {worst} > {bound}");
    }
    // The token bucket's debt is paid back by its refill: in the long run it admits the limit's
    // rate (100 + 10 × 65 = 750 exactly with the store), give or take a few syncs' worth.
    let bucket = synced(Algorithm::TokenBucket, 3, 1_000.0).snapshot();
    assert!(
        (750..=780).contains(&bucket.totals.admitted),
        "{}",
        bucket.totals.admitted
    );
    // GCRA still admits exactly what the token bucket admits.
    let gcra = synced(Algorithm::Gcra, 3, 1_000.0).snapshot();
    assert_eq!(
        (gcra.totals.admitted, gcra.worst_window),
        (bucket.totals.admitted, bucket.worst_window)
    );
}

#[test]
fn one_instance_or_syncs_between_every_two_requests_is_the_exact_store() {
    // One instance: its view is the store, whatever the interval (exact equality).
    for &algorithm in &Algorithm::LIMITERS {
        let exact = synced(algorithm, 1, 0.0).snapshot();
        for sync_ms in [10.0, 1_000.0] {
            let s = synced(algorithm, 1, sync_ms).snapshot();
            assert_eq!(
                s.totals.admitted, exact.totals.admitted,
                "{algorithm:?} every {sync_ms} ms"
            );
            assert_eq!(s.worst_window, exact.worst_window, "{algorithm:?} every {sync_ms} ms");
        }
    }
    // 3 instances, requests 100 ms apart (an even 10 req/s against 20 per 10 s), syncs every
    // 50 ms taking 20 ms: every view has caught up before the next request, so every decision
    // is the exact store's (exact equality), while syncs every 500 ms let more through.
    let every = |sync_ms: f64, algorithm: Algorithm| {
        run(
            Config {
                scope: Scope::Global,
                instances: 3,
                sync: SyncMode::Shared,
                sync_ms,
                store_ms: 20.0,
                abuser_rps: 10.0,
                burstiness: Burstiness::Flood,
                ..silent(algorithm, 20, 10.0)
            },
            65.0,
        )
        .snapshot()
    };
    for &algorithm in &Algorithm::LIMITERS {
        let exact = every(0.0, algorithm);
        let fast = every(50.0, algorithm);
        assert_eq!(fast.totals, exact.totals, "{algorithm:?}");
        assert_eq!(fast.worst_window, exact.worst_window, "{algorithm:?}");
        assert!(exact.totals.refused > 100, "{algorithm:?}: the limit bites");
    }
    let slow = every(500.0, Algorithm::SlidingLog);
    assert!(slow.worst_window > 20, "{}", slow.worst_window);
}

#[test]
fn a_synced_store_adds_no_wait_to_decisions() {
    // Decisions are local: no admitted request waits (p99 exactly 0), where the exact store
    // adds its 2 ms round trip to each one (histogram buckets within 1%).
    let synced_bucket = synced(Algorithm::TokenBucket, 3, 100.0).snapshot();
    assert_eq!(synced_bucket.delay_p99_ms, Some(0.0));
    assert_eq!((synced_bucket.store_ms, synced_bucket.sync_ms), (2.0, 100.0));
    let exact = synced(Algorithm::TokenBucket, 3, 0.0).snapshot();
    assert!((exact.delay_p99_ms.unwrap_or(0.0) - 2.0).abs() < 0.02);
    // The store's state is what the strip shows: a bucket in debt has negative tokens.
    let mut l = lab(Config {
        scope: Scope::Global,
        instances: 3,
        sync: SyncMode::Shared,
        sync_ms: 1_000.0,
        ..silent(Algorithm::TokenBucket, 100, 10.0)
    });
    l.burst_now(300);
    let s = l.snapshot();
    assert_eq!(s.totals.admitted, 300, "each instance's copy holds the full bucket");
    assert_eq!(s.limiters[0].state.tokens, Some(-200.0));
}

#[test]
fn the_comparison_carries_the_sync_interval() {
    let config = Config {
        scope: Scope::Global,
        instances: 3,
        sync: SyncMode::Shared,
        sync_ms: 1_000.0,
        abuser_rps: 1_000.0,
        burstiness: Burstiness::Flood,
        ..silent(Algorithm::TokenBucket, 100, 10.0)
    };
    let mut compare = Comparison::new(config.clone(), 30.0).expect("valid");
    compare.run_to_end();
    for (row, lab) in compare.rows().iter().zip(compare.labs()) {
        assert_eq!(lab.config().sync_ms, 1_000.0);
        let alone = run(
            Config {
                algorithm: row.algorithm,
                ..config.clone()
            },
            30.0,
        )
        .snapshot();
        assert_eq!(row.worst_window, alone.worst_window, "{:?}", row.algorithm);
    }
    let log = compare.rows()[3].clone();
    assert_eq!((log.algorithm, log.worst_window), (Algorithm::SlidingLog, 300));
}

// ---------------------------------------------------------------------------------------------
// Leaky bucket.

#[test]
fn leaky_bucket_output_never_exceeds_its_rate() {
    // Direct, over 30 seeded streams: departures are at least T apart (T = 1 / rate, to the µs
    // they are rounded up to), so any span of d µs holds at most 1 + d / T of them.
    for (rate, queue) in [(10.0, 100u64), (3.0, 5), (1_000.0, 50)] {
        let interval = (MICROS_PER_SEC as f64 / rate) as SimTime;
        for seed in 1..=30 {
            let times = random_stream(seed, 2_000, interval);
            let mut leaky = Limiter::new(Algorithm::LeakyBucket, LimitParams::bucket(rate, queue), 0);
            let out = admitted(&mut leaky, &times);
            assert!(
                out.windows(2).all(|w| w[1] - w[0] + 1 >= interval),
                "rate {rate}, seed {seed}"
            );
        }
    }
    // Through the lab under a flood: at most r W + 1 = 101 in any window, and the rest waits
    // (delay) or is refused when the queue of 100 is full.
    let mut l = lab(Config {
        scope: Scope::Global,
        abuser_rps: 1_000.0,
        ..silent(Algorithm::LeakyBucket, 100, 10.0)
    });
    l.step_until(from_secs(61.0));
    let s = l.snapshot();
    assert!(s.worst_window <= 101, "{}", s.worst_window);
    assert!(s.worst_window >= 100, "{}", s.worst_window);
    assert!((s.admitted_per_s - 10.0).abs() <= 1.0, "{}", s.admitted_per_s);
    assert!(s.totals.delayed > 500 && s.totals.refused > 50_000);
    assert_eq!(s.totals.queued_now, 100, "the queue stays full");
    // A full queue waits 10 s: the delay is the queue's length over the rate.
    let p99 = s.delay_p99_ms.expect("admissions");
    assert!((p99 - 10_000.0).abs() < 110.0, "{p99}");
    let strip = s.timeline.state.first().expect("one key");
    assert_eq!(strip.level.last(), Some(&100.0));
    assert_eq!(s.timeline.state_max, 100.0);
}

// ---------------------------------------------------------------------------------------------
// Retries.

#[test]
fn retries_at_once_multiply_the_load_and_retry_after_does_not() {
    // The defaults (an abuser at 100 req/s against 10/s per client) for 60 s. Tolerances: the
    // bounds leave room around the measured 4.9 (at once) and 0.3 (backoff).
    let with = |retry: Retry| {
        run(
            Config {
                retry,
                ..Config::default()
            },
            60.0,
        )
        .snapshot()
    };
    let none = with(Retry::None);
    let immediate = with(Retry::Immediate);
    let backoff = with(Retry::Backoff);
    assert_eq!(none.amplification, 1.0);
    assert_eq!(none.retries, 0);
    assert!(immediate.amplification > 4.0, "{}", immediate.amplification);
    assert!(immediate.offered_per_s > 4.0 * none.offered_per_s);
    assert!(immediate.refused_per_s > 5.0 * none.refused_per_s);
    assert!(backoff.amplification < 0.5, "{}", backoff.amplification);
    assert!(backoff.offered_per_s < none.offered_per_s);
    assert!(backoff.retries > 0);
    // Same demand in all three, and the well-behaved clients (under their limit) get the same.
    assert_eq!(none.totals.requests, immediate.totals.requests);
    assert_eq!(none.totals.requests, backoff.totals.requests);
    assert_eq!(none.clients[0].admitted, backoff.clients[0].admitted);
    // Pausing costs the abuser nothing it was allowed: about 10/s either way (± 5%).
    let abuser = |s: &scalelab_sim::ratelimit::Snapshot| s.clients[4].admitted as f64;
    assert!((abuser(&backoff) / abuser(&none) - 1.0).abs() < 0.05);
}

// ---------------------------------------------------------------------------------------------
// Scope.

#[test]
fn a_global_limit_lets_the_abuser_crowd_out_the_others() {
    // 4 clients at 5 req/s and an abuser at 100 req/s, limit 10/s. Per client: the abuser gets
    // its own 10/s (and its first full bucket), about a third of what is admitted. Global: it takes 100/120 of the shared 10/s.
    let per_client = run(Config::default(), 60.0).snapshot();
    let global = run(
        Config {
            scope: Scope::Global,
            ..Config::default()
        },
        60.0,
    )
    .snapshot();
    // 100 + 10 × 60 of 100 + 10 × 60 + 4 × 5 × 60, give or take the Poisson counts.
    assert!(
        (per_client.abuser_share - 700.0 / 1_900.0).abs() < 0.03,
        "{}",
        per_client.abuser_share
    );
    assert!(global.abuser_share > 0.75, "{}", global.abuser_share);
    assert!(global.clients[0].admitted * 3 < per_client.clients[0].admitted);
    assert!(per_client.fairness > 0.95);
    assert_eq!(per_client.clients.len(), 5);
    assert!(per_client.clients[4].abuser && !per_client.clients[0].abuser);
    assert!(per_client.clients[4].throttled && !per_client.clients[0].throttled);
    assert_eq!(per_client.limit_line_per_s, 50.0);
    assert_eq!(global.limit_line_per_s, 10.0);
}

// ---------------------------------------------------------------------------------------------
// The lab's promises.

/// Everything interesting at once: every algorithm in turn, retries, a shared store, a flood and
/// bursts by hand.
fn busy(algorithm: Algorithm, seed: u64) -> Config {
    Config {
        algorithm,
        seed,
        instances: 3,
        sync: SyncMode::Shared,
        retry: Retry::Backoff,
        burstiness: Burstiness::PeriodicBursts,
        window_s: 2.0,
        limit: 40,
        ..Config::default()
    }
}

#[test]
fn no_limiter_admits_everything_and_the_abuser_takes_most() {
    // No limiter, the defaults: 100 of every 120 requests are the abuser's (± 0.02 for the
    // Poisson counts), and its worst window is what it sends (about 1,000 in 10 s).
    let s = run(
        Config {
            algorithm: Algorithm::None,
            ..Config::default()
        },
        60.0,
    )
    .snapshot();
    assert_eq!(s.totals.refused, 0);
    assert_eq!(s.totals.admitted, s.totals.requests);
    assert!((s.abuser_share - 100.0 / 120.0).abs() < 0.02, "{}", s.abuser_share);
    assert!((900..1_100).contains(&s.worst_window), "{}", s.worst_window);
    assert!(s.over_limit > 9.0);
}

#[test]
fn a_flood_by_hand_lasts_three_seconds() {
    // The abuser at 100 req/s floods at 10 × 100 = 1,000 req/s for 3 s, on top: 3,000 more
    // requests (exact: evenly spaced), all refused but the tokens refilled meanwhile.
    let mut l = run(Config::default(), 20.0);
    let before = l.snapshot().clients[4].clone();
    assert_eq!(l.flood_now(), 1_000.0);
    assert!(l.work_per_s() >= 1_100.0);
    l.step_until(from_secs(21.0));
    assert_eq!(l.snapshot().flood_until_s, Some(23.0));
    l.step_until(from_secs(25.0));
    let s = l.snapshot();
    assert_eq!(s.flood_until_s, None);
    let flooded = s.clients[4].requests - before.requests;
    assert!((3_000 + 400..3_000 + 600).contains(&flooded), "{flooded}");
    assert_eq!(s.clients[4].admitted - before.admitted, 50, "10/s for 5 s, no more");
    assert!(s.events.iter().any(|e| e.kind
        == LabEventKind::Flood {
            rps: 1_000.0,
            secs: 3.0
        }));
    assert!(s.events.iter().any(|e| e.describe().contains("floods at 1000 req/s")));
    // A burst by hand comes from the first client and is logged too, then its first refusal.
    l.burst_now(120);
    let s = l.snapshot();
    let last: Vec<LabEventKind> = s.events.iter().rev().take(2).map(|e| e.kind).collect();
    assert_eq!(
        last,
        vec![
            LabEventKind::Throttled { client: 0 },
            LabEventKind::Burst {
                client: 0,
                requests: 120
            }
        ]
    );
    assert!(s.clients[0].refused >= 20, "a bucket of 100 at most");
}

#[test]
fn runs_are_deterministic_whatever_the_slicing() {
    // Every algorithm, on an exact store and on one synced every 300 ms (2 ms round trips).
    let configs = Algorithm::LIMITERS.iter().flat_map(|&algorithm| {
        [0.0, 300.0].map(|sync_ms| Config {
            sync_ms,
            ..busy(algorithm, 7)
        })
    });
    for config in configs {
        let algorithm = (config.algorithm, config.sync_ms);
        let mut a = lab(config.clone());
        let mut b = lab(config.clone());
        // a: one big step, actions at 5 s and 9 s; b: many small slices with budgets.
        a.step_until(from_secs(5.0));
        a.flood_now();
        a.step_until(from_secs(9.0));
        a.burst_now(30);
        a.step_until(from_secs(20.0));
        let (flood_at, burst_at, end) = (from_secs(5.0), from_secs(9.0), from_secs(20.0));
        let mut targets: Vec<SimTime> = (1..)
            .map(|k| k * from_millis(37.0))
            .take_while(|&t| t < end)
            .chain([flood_at, burst_at, end])
            .collect();
        targets.sort_unstable();
        targets.dedup();
        for t in targets {
            while !b.work_until(t, 500) {}
            if t == flood_at {
                b.flood_now();
            }
            if t == burst_at {
                b.burst_now(30);
            }
        }
        assert_eq!(a.snapshot(), b.snapshot(), "{algorithm:?}");
        assert_eq!(a.work_done(), b.work_done());
        let other = run(
            Config {
                seed: 8,
                ..config.clone()
            },
            20.0,
        )
        .snapshot();
        assert_ne!(other.totals, a.snapshot().totals, "another seed, another run");
    }
}

#[test]
fn hostile_params_are_rejected_and_change_nothing() {
    let mut l = run(Config::default(), 3.0);
    let before = l.config().clone();
    let bad = [
        ("limit", "0"),
        ("limit", "100001"),
        ("limit", "NaN"),
        ("limit", "-5"),
        ("limit", "2.5"),
        ("limit", "1e300"),
        ("limit", ""),
        ("window_s", "0"),
        ("window_s", "inf"),
        ("window_s", "3601"),
        ("burst", "-1"),
        ("rate_per_s", "1e7"),
        ("queue", "abc"),
        ("instances", "0"),
        ("instances", "17"),
        ("store_ms", "-1"),
        ("sync_ms", "NaN"),
        ("sync_ms", "-1"),
        ("sync_ms", "60001"),
        ("sync_ms", "1e300"),
        ("sync_ms", "inf"),
        ("sync_ms", ""),
        ("clients", "1"),
        ("clients", "21"),
        ("client_rps", "100001"),
        ("abuser_rps", "1000001"),
        ("algorithm", "<script>"),
        ("algorithm", "TOKEN_BUCKET"),
        ("scope", ""),
        ("sync", "both"),
        ("burstiness", "sometimes"),
        ("retry", "later"),
        ("seed", "1"),
        ("nonsense", "1"),
    ];
    for (key, raw) in bad {
        assert!(l.set_param(key, raw).is_err(), "{key}={raw:?} accepted");
        assert_eq!(l.config(), &before, "{key}={raw:?} changed the config");
    }
    // A sliding log that could need more than a million timestamps is refused with a reason.
    let mut big = run(
        Config {
            limit: 100_000,
            clients: 20,
            instances: 16,
            ..Config::default()
        },
        1.0,
    );
    let before = big.config().clone();
    let err = big.set_param("algorithm", "sliding_log").unwrap_err();
    assert_eq!(err.field, "limit");
    assert!(err.message.contains("1000000"), "{}", err.message);
    assert_eq!(big.config(), &before);
    assert!(
        Config {
            limit: 100_000,
            clients: 20,
            algorithm: Algorithm::SlidingLog,
            ..Config::default()
        }
        .stored_capacity()
            > MAX_STORED
    );
    // Built directly, invalid configurations are refused too.
    for config in [
        Config {
            window_s: f64::NAN,
            ..Config::default()
        },
        Config {
            clients: 0,
            ..Config::default()
        },
        Config {
            abuser_rps: -1.0,
            ..Config::default()
        },
    ] {
        assert!(RateLimitLab::new(config).is_err());
    }
    // A synced store keeps more copies of every log: 16 instances' worth is refused here.
    let mut many = run(
        Config {
            algorithm: Algorithm::SlidingLog,
            clients: 20,
            instances: 16,
            sync: SyncMode::Shared,
            ..Config::default()
        },
        1.0,
    );
    let err = many.set_param("sync_ms", "100").unwrap_err();
    assert!(err.message.contains("sync interval"), "{}", err.message);
    assert_eq!(many.config().sync_ms, 0.0);
    many.set_param("sync_ms", "60000").unwrap_err();
    many.set_param("instances", "3").unwrap();
    many.set_param("sync_ms", "60000").unwrap();
    assert!(Comparison::new(Config::default(), 0.0).is_err());
    assert!(Comparison::new(Config::default(), f64::NAN).is_err());
}

#[test]
fn live_changes_restart_what_they_say() {
    let mut l = run(Config::default(), 12.0);
    let requests = l.snapshot().totals.requests;
    // A rate: nothing restarts.
    l.set_param("client_rps", "8").unwrap();
    assert_eq!(l.snapshot().totals.requests, requests);
    // The algorithm: the limiter restarts now, counters and clock carry on.
    l.set_param("algorithm", "leaky_bucket").unwrap();
    let s = l.snapshot();
    assert_eq!(s.now_s, 12.0);
    assert_eq!(s.totals.requests, requests);
    assert_eq!(s.worst_window, 0, "measured afresh");
    assert!(matches!(
        s.events.last().map(|e| e.kind),
        Some(LabEventKind::LimiterRestarted { dropped: 0 })
    ));
    assert_eq!(s.limiters[0].state.queued, Some(0));
    // The seed restarts the run.
    l.set_param("seed", "5").unwrap_err();
    let mut config = l.config().clone();
    config.seed = 5;
    l.set_config(config).unwrap();
    assert_eq!(l.now(), 0);
    // reset_stats restarts the counters only.
    l.step_until(from_secs(4.0));
    l.reset_stats();
    let s = l.snapshot();
    assert_eq!(s.totals.requests, 0);
    assert_eq!(s.measured_s, 0.0);
    assert!(s.admitted_per_s > 0.0, "rates over the last second carry on");
}

#[test]
fn the_timeline_and_strip_cover_six_windows() {
    let s = run(Config::default(), 100.0).snapshot();
    let t = &s.timeline;
    assert_eq!(t.bucket_s, 0.25);
    assert_eq!(t.clients.len(), 5);
    assert!(t.clients.iter().all(|c| c.admitted.len() == TIMELINE_BUCKETS));
    assert_eq!(t.start_s, 100.0 - 0.25 * (TIMELINE_BUCKETS - 1) as f64);
    assert_eq!(t.state.len(), 5, "one bucket per client");
    assert_eq!(t.state_label, "tokens");
    assert_eq!(t.state_max, 100.0);
    assert_eq!(t.boundaries_s, vec![50.0, 60.0, 70.0, 80.0, 90.0, 100.0]);
    // The abuser's bucket is empty, a quiet client's nearly full.
    let abuser = t.state[4].level.last().copied().unwrap_or(-1.0);
    assert!(abuser < 1.0, "{abuser}");
    assert!(s.limiters[0].state.tokens.unwrap_or(0.0) > 90.0);
    // Everything the abuser was refused in the last 60 s is on its row (its refusals since 40 s).
    let refused: u64 = t.clients[4].refused.iter().map(|&x| u64::from(x)).sum();
    assert!((5_000..5_600).contains(&refused), "{refused}");
}

#[test]
fn the_comparison_runs_all_six_on_one_stream() {
    let config = Config {
        burstiness: Burstiness::PeriodicBursts,
        abuser_rps: 30.0,
        ..Config::default()
    };
    let mut sliced = Comparison::new(config.clone(), 40.0).expect("valid");
    let mut steps = 0;
    while !sliced.work(2_000) {
        steps += 1;
        assert!(sliced.progress() < 1.0);
    }
    assert!(steps > 2, "{steps}");
    assert_eq!(sliced.progress(), 1.0);
    let mut whole = Comparison::new(config, 40.0).expect("valid");
    whole.run_to_end();
    let rows = sliced.rows();
    assert_eq!(rows, whole.rows(), "slicing changes nothing");
    let algorithms: Vec<Algorithm> = rows.iter().map(|r| r.algorithm).collect();
    assert_eq!(algorithms, Algorithm::LIMITERS.to_vec());
    assert!(rows.iter().all(|r| r.requests == rows[0].requests), "one stream");
    let row = |a: Algorithm| rows.iter().find(|r| r.algorithm == a).expect("row");
    assert_eq!(row(Algorithm::SlidingLog).worst_window, 100);
    assert_eq!(row(Algorithm::FixedWindow).worst_window, 200);
    assert!(row(Algorithm::LeakyBucket).worst_window <= 101);
    assert!(row(Algorithm::LeakyBucket).delay_p99_ms.unwrap_or(0.0) > 1_000.0);
    assert_eq!(row(Algorithm::TokenBucket).admitted, row(Algorithm::Gcra).admitted);
    assert_eq!(row(Algorithm::TokenBucket).delay_p99_ms, Some(0.0));
}

#[test]
fn one_million_requests_per_simulated_second() {
    // The abuser at 1,000,000 req/s for 2 s (in frame-sized slices): every one decided, the
    // memory used stays the same size (no queue or retry grows), and it is quick.
    let mut l = lab(Config {
        abuser_rps: 1_000_000.0,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    while !l.work_until(from_secs(2.0), RateLimitLab::REQUESTS_PER_FRAME) {}
    let elapsed = started.elapsed();
    let s = l.snapshot();
    let abuser = &s.clients[4];
    assert!((1_995_000..2_005_000).contains(&abuser.requests), "{}", abuser.requests);
    assert!(
        (119..=120).contains(&abuser.admitted),
        "100 at once, then 10/s: {}",
        abuser.admitted
    );
    assert!(l.pending_events() <= 2);
    println!("2 M requests in {elapsed:?}");
    assert!(elapsed.as_secs_f64() < 5.0, "{elapsed:?}");
    // With a sliding log and retries too, memory stays bounded by the configuration.
    let mut l = lab(Config {
        abuser_rps: 1_000_000.0,
        algorithm: Algorithm::SlidingLog,
        retry: Retry::Immediate,
        ..Config::default()
    });
    l.step_until(from_secs(1.0));
    let s = l.snapshot();
    assert!(s.log_entries <= s.stored_capacity && s.stored_capacity == 500);
    assert!(s.totals.retries_pending <= 5 * 100);
}
