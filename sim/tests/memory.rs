//! Bounded histories: a lab that runs for a long simulated time keeps a flat heap after warm-up.
//!
//! Issue 7 asks that wasm memory stay flat after a lab runs 10 simulated minutes at its fastest
//! speed. The page's memory is the core's heap plus the page's own; this test pins the core's part
//! natively and deterministically: a counting allocator measures the live heap of each time-driven
//! lab model (cache, replication, circuit breaker, load balancing, rate limiting, queues, sharding,
//! autoscaling, the scaling journey, the hash ring's cache effect) at its default settings, after
//! a short warm-up and then every simulated minute up to 20 minutes, taking a snapshot each time as the page does. Any
//! history that grows with time fails it.
//!
//! Its own test binary: the counting allocator is global to the process, and the test runs alone.

use scalelab_sim::engine::time::from_secs;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts the bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Warm-up before the heap must stay flat, simulated seconds: every rolling window of the labs
/// (chart series, rate windows, recent events) is full by then.
const WARM_UP_S: f64 = 120.0;
/// How long each lab runs, simulated seconds (twice the 10 minutes).
const RUN_S: f64 = 1200.0;
/// Growth allowed after warm-up, bytes: allocator rounding of a few short strings, not a history.
const SLACK: isize = 4 * 1024;

/// Runs `step(lab, t)` up to [`RUN_S`] and returns the live heap at the warm-up and its largest value
/// after it, with `snapshot` taken (and dropped, as the page replaces it) at each reading.
fn heap_over_time<L>(lab: &mut L, step: impl Fn(&mut L, f64), snapshot: impl Fn(&L)) -> (isize, isize) {
    step(lab, WARM_UP_S);
    snapshot(lab);
    let base = live();
    let mut peak = base;
    let mut t = WARM_UP_S;
    while t < RUN_S {
        t += 60.0;
        step(lab, t);
        snapshot(lab);
        peak = peak.max(live());
    }
    (base, peak)
}

fn assert_flat(lab: &str, (base, peak): (isize, isize)) {
    println!("{lab}: live heap {base} B after {WARM_UP_S} s, peak {peak} B up to {RUN_S} s");
    assert!(
        peak - base <= SLACK,
        "{lab}: heap grew by {} B after warm-up ({base} -> {peak} B): an unbounded history",
        peak - base
    );
}

#[test]
fn every_time_driven_lab_keeps_a_flat_heap_after_warm_up() {
    use scalelab_sim::{breaker, cache, hashring, replication};

    let mut lab = cache::CacheLab::new(cache::Config::default()).expect("default cache config");
    assert_flat(
        "cache",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    let mut lab = replication::ReplicationLab::new(replication::Config::default()).expect("default config");
    assert_flat(
        "replication",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    let mut lab = breaker::BreakerLab::new(breaker::Config::default()).expect("default breaker config");
    assert_flat(
        "circuit breaker",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    let mut lab = scalelab_sim::loadbalancing::LoadBalancingLab::new(scalelab_sim::loadbalancing::Config::default())
        .expect("default load balancing config");
    assert_flat(
        "load balancing",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    let mut lab = scalelab_sim::ratelimit::RateLimitLab::new(scalelab_sim::ratelimit::Config::default())
        .expect("default rate limiting config");
    assert_flat(
        "rate limiting",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    // Three instances syncing sliding logs with a shared store every 250 ms: the store's log,
    // every view and every sync's answer are copied into, never grown past their size.
    let mut lab = scalelab_sim::ratelimit::RateLimitLab::new(scalelab_sim::ratelimit::Config {
        algorithm: scalelab_sim::ratelimit::Algorithm::SlidingLog,
        instances: 3,
        sync: scalelab_sim::ratelimit::SyncMode::Shared,
        sync_ms: 250.0,
        ..scalelab_sim::ratelimit::Config::default()
    })
    .expect("synced rate limiting config");
    assert_flat(
        "rate limiting, synced store",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    let mut lab =
        scalelab_sim::queues::QueuesLab::new(scalelab_sim::queues::Config::default()).expect("default queues config");
    assert_flat(
        "queues",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    let mut lab = scalelab_sim::sharding::ShardingLab::new(scalelab_sim::sharding::Config::default())
        .expect("default sharding config");
    assert_flat(
        "sharding",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    for autoscaler in ["hpa", "serverless", "predictive"] {
        let mut config = scalelab_sim::autoscaling::Config::default();
        scalelab_sim::params::Params::set_str(&mut config, "autoscaler", autoscaler).expect("an autoscaler");
        let mut lab = scalelab_sim::autoscaling::AutoscalingLab::new(config).expect("default autoscaling config");
        assert_flat(
            &format!("autoscaling ({autoscaler})"),
            heap_over_time(
                &mut lab,
                |l, t| l.step_until(from_secs(t)),
                |l| drop(std::hint::black_box(l.snapshot())),
            ),
        );
        drop(lab);
    }

    // The scaling journey: level 1 as it opens, and a sandbox of a million users on three
    // continents, autoscaled, after every fault (started at once, over by 600 s: while they last
    // the breaker's own capped history fills as it opens and half-opens, so the measurement
    // starts at 700 s).
    let mut lab = scalelab_sim::journey::JourneyLab::new(scalelab_sim::journey::Config::default())
        .expect("default journey config");
    assert_flat(
        "journey (stage 1)",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);
    let mut config = scalelab_sim::journey::Config::default();
    for (key, raw) in [
        ("stage", "0"),
        ("users", "1000000"),
        ("region_mix", "us:60,eu:25,asia:15"),
        ("regions", "active-active"),
        ("app_servers", "200"),
        ("autoscale", "true"),
        ("sessions", "local"),
        ("breaker", "true"),
        ("pool", "5"),
        ("db_max_connections", "20000"),
        ("cache_gb", "16"),
        ("replicas", "2"),
        ("shards", "4"),
        ("queue", "true"),
        ("workers", "100"),
    ] {
        config.set_field(key, raw).expect("a journey setting");
    }
    let mut lab = scalelab_sim::journey::JourneyLab::new(config).expect("journey sandbox");
    for fault in scalelab_sim::journey::Fault::ALL {
        lab.fault(fault);
    }
    lab.step_until(from_secs(700.0));
    assert_flat(
        "journey (sandbox, every fault)",
        heap_over_time(
            &mut lab,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
    drop(lab);

    // 10,000 keys on five nodes; node 4 leaves and its keys move to the other four.
    let before: Vec<u32> = (0..10_000).map(|k| k % 5).collect();
    let after: Vec<u32> = before
        .iter()
        .enumerate()
        .map(|(k, &n)| if n == 4 { k as u32 % 4 } else { n })
        .collect();
    let config = hashring::CacheEffectConfig::default();
    let mut effect = hashring::CacheEffect::new(config, &before, &after, 7).expect("default cache effect");
    assert_flat(
        "hash ring cache effect",
        heap_over_time(
            &mut effect,
            |l, t| l.step_until(from_secs(t)),
            |l| drop(std::hint::black_box(l.snapshot())),
        ),
    );
}
