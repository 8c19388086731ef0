//! Queues reference tests: each claim of REFERENCES.md ("Queues and asynchronous work") and of
//! issue 18's list is reproduced here: the seeds' 2,100 ms against 105 ms, Little's law and
//! Erlang C on the consumer pool, overload growth at λ − cμ and the drain in backlog / (cμ − λ),
//! consumers beyond the partitions idle, pub/sub against a work queue, order per partition and
//! not across, duplicates from a short visibility timeout (none with idempotent consumers),
//! redelivery after a crash, poison messages in the dead-letter queue after `max_receives`, the
//! retry schedules and 4x the load with 3 retries, the read model's stale window; plus the lab's
//! promises: determinism whatever the slicing, hostile input rejected, blocking and refusing,
//! rebalancing, the comparison on one seed, 100,000 messages per second and a backlog of ten
//! million.
//!
//! Every check states its tolerance. Statistical ones run long enough that the tolerance is
//! several standard errors wide; the seeds are fixed, so the results are reproducible.

use scalelab_sim::engine::time::{from_secs, to_secs, MICROS_PER_SEC};
use scalelab_sim::engine::SimRng;
use scalelab_sim::params::Params;
use scalelab_sim::queues::{
    Backoff, Comparison, Config, ConsumerState, DeadReason, Delivery, OnFull, Processing, QueuesLab, Snapshot,
    BACKOFF_BASE, BACKOFF_CAP, BLOCK_TIMEOUT, CRASH_RESTART, METRICS, REBALANCE_PAUSE,
};

fn lab(config: Config) -> QueuesLab {
    QueuesLab::new(config).expect("valid config")
}

fn run(config: Config, secs: f64) -> QueuesLab {
    let mut l = lab(config);
    l.step_until(from_secs(secs));
    l
}

fn near(what: &str, got: f64, want: f64, rel: f64) {
    let err = (got - want).abs() / want.abs().max(1e-12);
    assert!(
        err <= rel,
        "{what}: got {got}, want {want} within {:.1}% (off by {:.2}%)",
        rel * 100.0,
        err * 100.0
    );
}

/// A pool the theory describes exactly: one partition, one consumer with `slots` slots,
/// exponential work, unkeyed messages.
fn pool(rate: f64, slots: u32, slow_ms: f64) -> Config {
    Config {
        rate,
        slow_ms,
        processing: Processing::Exponential,
        partitions: 1,
        consumers: 1,
        concurrency: slots,
        keys: 0,
        ..Config::default()
    }
}

#[test]
fn the_seeds_slow_request_and_the_queued_one() {
    // REFERENCES.md: 100 ms + 2,000 ms inline against 100 ms + 5 ms queued (histogram error
    // below 0.4%; the work is constant).
    let sync = run(
        Config {
            delivery: Delivery::Sync,
            ..Config::default()
        },
        60.0,
    )
    .snapshot();
    near("sync response p99", sync.response_p99_ms.unwrap(), 2_100.0, 0.005);
    near("sync response p50", sync.response_p50_ms.unwrap(), 2_100.0, 0.005);
    assert_eq!(sync.metric("response-p99-ms"), sync.response_p99_ms);
    assert_eq!(
        sync.response_p99_ms, sync.completion_p99_ms,
        "inline, done when answered"
    );
    assert_eq!(sync.backlog, 0);

    let queued = run(Config::default(), 60.0).snapshot();
    near("async response p99", queued.response_p99_ms.unwrap(), 105.0, 0.005);
    near("async response p50", queued.response_p50_ms.unwrap(), 105.0, 0.005);
    // The work is done 2,000 ms after the fast work unless the message waits for a free slot
    // (16 slots per consumer for about 10 erlangs: a few do).
    near(
        "async completion p50",
        queued.completion_p50_ms.unwrap(),
        2_100.0,
        0.005,
    );
    let p99 = queued.completion_p99_ms.unwrap();
    assert!((2_090.0..3_000.0).contains(&p99), "{p99}");
    assert!(queued.requests > 1_000 && queued.completed > 1_000, "{queued:?}");
    near(
        "20 ms / 2,100 ms",
        queued.response_p99_ms.unwrap() / sync.response_p99_ms.unwrap(),
        0.05,
        0.01,
    );
}

#[test]
fn steady_backlog_follows_littles_law_and_erlang_c() {
    // One consumer with 8 slots, exponential work of 100 ms (mu = 10/s), 64 msg/s: rho = 0.8.
    let l = run(pool(64.0, 8, 100.0), 4_000.0);
    let s = l.snapshot();
    let e = s.theory.erlang.expect("stable M/M/8");
    let lambda = s.published as f64 / s.measured_s;
    let wait_s = s.wait_mean_ms.unwrap() / 1_000.0;
    // Little's law on the backlog: an identity up to the few messages waiting at the end.
    near("Little: L = lambda W", s.mean_backlog, lambda * wait_s, 0.01);
    near(
        "the snapshot's Little",
        s.littles_law_backlog.unwrap(),
        lambda * wait_s,
        1e-9,
    );
    // Erlang C (the capacity lab's M/M/c): wait and backlog within 6% (about 3 standard errors
    // over 256,000 messages at rho = 0.8).
    near("Erlang C mean wait", s.wait_mean_ms.unwrap(), e.mean_wait_ms, 0.06);
    near("Erlang C mean backlog", s.mean_backlog, e.mean_backlog, 0.06);
    println!(
        "M/M/8 rho 0.8: wait {:.2} ms (Erlang C {:.2}), backlog {:.3} (Lq {:.3}), P_w {:.3}",
        s.wait_mean_ms.unwrap(),
        e.mean_wait_ms,
        s.mean_backlog,
        e.mean_backlog,
        e.wait_probability
    );
}

#[test]
fn overload_grows_at_lambda_minus_c_mu_and_drains_at_c_mu_minus_lambda() {
    // Two consumers of two slots, constant 100 ms work: c mu = 40/s against 100/s, unkeyed so
    // both partitions get exactly half.
    let config = Config {
        rate: 100.0,
        slow_ms: 100.0,
        partitions: 2,
        consumers: 2,
        concurrency: 2,
        keys: 0,
        ..Config::default()
    };
    let mut l = lab(config);
    l.step_until(from_secs(100.0));
    let s = l.snapshot();
    near("c mu", s.theory.capacity_per_s, 40.0, 1e-9);
    near("growth rate", s.theory.growth_per_s, 60.0, 1e-9);
    // (lambda - c mu) t = 6,000, within 3% (Poisson arrivals: sd ~ 100).
    near("backlog after 100 s", s.backlog as f64, 6_000.0, 0.03);
    // Little's law on the oldest: it arrived backlog / lambda ago.
    near(
        "the oldest waits backlog / lambda",
        s.lag_s,
        s.backlog as f64 / 100.0,
        0.03,
    );
    let backlog = s.backlog as f64;
    l.set_param("rate", "20").unwrap();
    let predicted = l.snapshot().theory.drain_s.expect("below capacity now");
    // Each consumer drains its half at 20 - 10 = 10/s (the halves differ by a message or two).
    near("predicted drain", predicted, backlog / 20.0, 0.002);
    let start = l.now();
    let mut t = start;
    while l.snapshot().backlog > 0 && t < start + from_secs(1_000.0) {
        t += MICROS_PER_SEC / 4;
        l.step_until(t);
    }
    let drained = to_secs(t - start);
    near("drain time = backlog / (c mu - lambda)", drained, predicted, 0.05);
    println!("overload: backlog {backlog} after 100 s, drained in {drained:.1} s (predicted {predicted:.1} s)");
}

#[test]
fn consumers_beyond_the_partitions_sit_idle() {
    let s = run(
        Config {
            partitions: 4,
            consumers: 6,
            ..Config::default()
        },
        60.0,
    )
    .snapshot();
    assert_eq!(s.idle_consumers, 2);
    assert_eq!(s.metric("idle-consumers"), Some(2.0));
    assert_eq!(s.useful_consumers, 4);
    let consumers = &s.group_views[0].consumers;
    for c in consumers {
        if c.index >= 4 {
            assert_eq!(c.state, ConsumerState::Idle);
            assert_eq!(c.processed, 0);
            assert!(c.partitions.is_empty());
        } else {
            assert_eq!(c.partitions, vec![c.index]);
            assert!(c.processed > 0);
        }
    }
    // The theory counts only the useful ones: 4 x 16 slots.
    assert_eq!(s.theory.slots, 64);
    // Fewer consumers than partitions: each takes several.
    let s = run(
        Config {
            partitions: 8,
            consumers: 3,
            ..Config::default()
        },
        10.0,
    )
    .snapshot();
    let owned: Vec<Vec<u32>> = s.group_views[0]
        .consumers
        .iter()
        .map(|c| c.partitions.clone())
        .collect();
    assert_eq!(owned, vec![vec![0, 3, 6], vec![1, 4, 7], vec![2, 5]]);
    assert_eq!(s.idle_consumers, 0);
}

#[test]
fn pub_sub_delivers_to_every_group_a_work_queue_to_one_consumer() {
    let mut queue = run(Config::default(), 120.0);
    queue.set_param("rate", "0").unwrap();
    queue.step_until(from_secs(130.0));
    let q = queue.snapshot();
    assert_eq!(q.completed, q.published, "each message done once");
    assert_eq!(q.deliveries, q.published);
    let mut topic = run(
        Config {
            groups: 3,
            ..Config::default()
        },
        120.0,
    );
    topic.set_param("rate", "0").unwrap();
    topic.step_until(from_secs(130.0));
    let t = topic.snapshot();
    assert_eq!(t.completed, 3 * t.published, "each group does every message");
    for g in &t.group_views {
        assert_eq!(g.completed, t.published);
    }
    assert_eq!(q.published, t.published, "same seed, same requests");
}

#[test]
fn order_holds_within_a_partition_not_across() {
    let base = Config {
        rate: 50.0,
        slow_ms: 20.0,
        processing: Processing::Exponential,
        partitions: 4,
        consumers: 4,
        concurrency: 1,
        keys: 50,
        ..Config::default()
    };
    // Keyed, one message at a time per consumer, no retries: every key's order holds.
    let keyed = run(base.clone(), 300.0).snapshot();
    assert!(keyed.completed > 10_000);
    assert_eq!(keyed.out_of_order, 0);
    assert!(keyed.key_order.iter().all(|k| !k.out_of_order));
    // The tracked key's completions come in publish order, numbered 1, 2, 3...
    let n: Vec<u64> = keyed.key_order.iter().filter_map(|k| k.n).collect();
    assert!(n.len() > 10 && n.windows(2).all(|w| w[0] < w[1]), "{n:?}");
    // Unkeyed: the producer's order breaks across partitions.
    let unkeyed = run(
        Config {
            keys: 0,
            ..base.clone()
        },
        300.0,
    )
    .snapshot();
    assert!(
        unkeyed.out_of_order > unkeyed.completed / 20,
        "{}",
        unkeyed.out_of_order
    );
    // One partition, one message at a time: the whole stream stays in order.
    let single = run(
        Config {
            keys: 0,
            partitions: 1,
            consumers: 1,
            rate: 20.0,
            ..base.clone()
        },
        300.0,
    )
    .snapshot();
    assert_eq!(single.out_of_order, 0);
    // Concurrency above one breaks a key's order within its partition...
    let concurrent = run(
        Config {
            concurrency: 4,
            ..base.clone()
        },
        300.0,
    )
    .snapshot();
    assert!(concurrent.out_of_order > 0);
    // ... and so do retries.
    let retried = run(
        Config {
            failure_rate: 0.2,
            backoff: Backoff::Fixed,
            ..base
        },
        300.0,
    )
    .snapshot();
    assert!(retried.redeliveries > 0 && retried.out_of_order > 0);
    println!(
        "out of order: keyed {}, unkeyed {} of {}, concurrency 4: {}, retries: {}",
        keyed.out_of_order, unkeyed.out_of_order, unkeyed.completed, concurrent.out_of_order, retried.out_of_order
    );
}

#[test]
fn a_visibility_timeout_shorter_than_the_work_duplicates_unless_idempotent() {
    // 2 s of work, hidden for 1 s: every message is delivered again after 1 s and done twice.
    let config = Config {
        rate: 5.0,
        visibility_s: 1.0,
        ..Config::default()
    };
    let s = run(config.clone(), 120.0).snapshot();
    assert!(s.completed > 500);
    assert!(s.timeouts >= s.completed && s.redeliveries >= s.completed);
    near(
        "one duplicate per message",
        s.duplicates as f64,
        s.completed as f64,
        0.01,
    );
    assert_eq!(s.metric("duplicates"), Some(s.duplicates as f64));
    let idempotent = run(
        Config {
            idempotent: true,
            ..config.clone()
        },
        120.0,
    )
    .snapshot();
    assert_eq!(idempotent.duplicates, 0, "the repeated effects are absorbed");
    assert_eq!(idempotent.duplicates_absorbed, s.duplicates);
    assert_eq!(idempotent.redeliveries, s.redeliveries, "delivered again all the same");
    // A timeout longer than the work: no redelivery at all.
    let long = run(
        Config {
            visibility_s: 2.5,
            ..config
        },
        120.0,
    )
    .snapshot();
    assert_eq!((long.redeliveries, long.duplicates, long.timeouts), (0, 0, 0));
}

#[test]
fn a_crashed_consumers_messages_are_delivered_again_after_the_timeout() {
    let config = Config {
        visibility_s: 5.0,
        ..Config::default()
    };
    let mut l = lab(config);
    l.step_until(from_secs(60.0));
    let before = l.snapshot();
    assert_eq!(before.redeliveries, 0);
    let c = l.crash_consumer(None).expect("a consumer to crash");
    let crashed = l.snapshot();
    let lost = crashed.lost_in_crash;
    assert!(lost > 0, "it was busy");
    let view = &crashed.group_views[0].consumers[c];
    assert_eq!(view.state, ConsumerState::Crashed);
    assert_eq!(view.busy, 0);
    // Within the timeout nothing is delivered again.
    l.step_until(from_secs(60.0) + from_secs(4.9));
    assert_eq!(l.snapshot().redeliveries, 0);
    // It restarts after CRASH_RESTART; by then every lost message has been delivered again.
    l.step_until(from_secs(60.0) + CRASH_RESTART + MICROS_PER_SEC);
    let after = l.snapshot();
    assert_eq!(after.redeliveries, lost, "each lost delivery comes back once");
    assert_eq!(after.duplicates, 0, "the lost work never happened");
    assert_ne!(after.group_views[0].consumers[c].state, ConsumerState::Crashed);
    assert!(after
        .events
        .iter()
        .any(|e| matches!(e.kind, scalelab_sim::queues::LabEventKind::Crashed { .. })));
    // Nothing is lost for good: once arrivals stop, everything published is done.
    l.set_param("rate", "0").unwrap();
    l.step_until(from_secs(120.0));
    let end = l.snapshot();
    assert_eq!(end.completed, end.published);
    assert_eq!(end.backlog + end.in_flight, 0);
}

#[test]
fn exactly_the_poison_messages_reach_the_dead_letter_queue_after_max_receives() {
    let config = Config {
        rate: 50.0,
        slow_ms: 100.0,
        poison_rate: 0.05,
        max_receives: 3,
        backoff: Backoff::None,
        ..Config::default()
    };
    let mut l = run(config, 120.0);
    l.set_param("rate", "0").unwrap();
    l.step_until(from_secs(140.0));
    let s = l.snapshot();
    assert!(s.poison_published > 100, "{}", s.poison_published);
    assert_eq!(s.dead_lettered, s.poison_published);
    assert_eq!(s.dlq, s.poison_published);
    assert_eq!(s.metric("dlq"), Some(s.dlq as f64));
    assert_eq!(s.completed, s.published - s.poison_published);
    // Every poison message was delivered max_receives times, the others once.
    assert_eq!(s.deliveries, s.completed + 3 * s.poison_published);
    assert_eq!(s.redeliveries, 2 * s.poison_published);
    assert!(s
        .dlq_recent
        .iter()
        .all(|d| d.poison && d.receives == 3 && d.reason == DeadReason::Failed));
    // Poison by hand, then a redrive: they come back and fail again.
    l.set_param("max_receives", "2").unwrap();
    assert_eq!(l.poison_now(10), 10);
    l.step_until(from_secs(150.0));
    let s2 = l.snapshot();
    assert_eq!(s2.dead_lettered, s.dead_lettered + 10);
    let redriven = l.redrive_dlq();
    assert_eq!(redriven, s2.dlq);
    assert_eq!(l.snapshot().dlq, 0);
    l.step_until(from_secs(160.0));
    assert_eq!(l.snapshot().dlq, redriven, "poison fails again");
}

#[test]
fn retry_schedules_and_the_load_they_multiply() {
    // The schedules (1 s base, 60 s cap; full jitter draws within the exponential's bound).
    let mut rng = SimRng::new(3);
    let with = |backoff| Config {
        backoff,
        ..Config::default()
    };
    let exp: Vec<u64> = (1..=8)
        .map(|a| with(Backoff::Exponential).backoff_delay(a, &mut rng))
        .collect();
    assert_eq!(exp, [1, 2, 4, 8, 16, 32, 60, 60].map(|s| s * MICROS_PER_SEC));
    assert_eq!(with(Backoff::Fixed).backoff_delay(7, &mut rng), BACKOFF_BASE);
    assert_eq!(with(Backoff::None).backoff_delay(7, &mut rng), 0);
    let jitter = with(Backoff::ExponentialJitter);
    let draws: Vec<u64> = (0..20_000).map(|_| jitter.backoff_delay(3, &mut rng)).collect();
    assert!(draws.iter().all(|&d| d <= 4 * MICROS_PER_SEC));
    let mean = draws.iter().sum::<u64>() as f64 / draws.len() as f64;
    near(
        "full jitter averages half the bound",
        mean,
        2.0 * MICROS_PER_SEC as f64,
        0.02,
    );
    assert!(jitter.backoff_delay(100, &mut rng) <= BACKOFF_CAP);

    // REFERENCES.md: with 3 retries a dependency that fails everything gets 4x the requests.
    let failing = Config {
        rate: 20.0,
        slow_ms: 0.0,
        failure_rate: 1.0,
        max_receives: 4,
        backoff: Backoff::Exponential,
        ..Config::default()
    };
    let mut l = run(failing.clone(), 60.0);
    l.set_param("rate", "0").unwrap();
    l.step_until(from_secs(80.0));
    let s = l.snapshot();
    assert_eq!(s.deliveries, 4 * s.published);
    assert_eq!(s.dead_lettered, s.published);
    assert_eq!(s.completed, 0);
    // Instant work, exponential backoff: dead 1 + 2 + 4 = 7 s after publishing.
    let letters = &s.dlq_recent;
    assert!(!letters.is_empty());
    // Inline, the user waits for all of it: 100 ms + 7 s, then an error.
    let sync = run(
        Config {
            delivery: Delivery::Sync,
            ..failing
        },
        30.0,
    )
    .snapshot();
    near(
        "sync: fast work + every backoff",
        sync.response_p50_ms.unwrap(),
        7_100.0,
        0.005,
    );
    assert_eq!(sync.failed_requests + sync.in_flight, sync.requests);
    assert_eq!(sync.deliveries, 4 * sync.requests);
}

#[test]
fn retries_without_backoff_pile_up_on_an_outage() {
    // The dependency fails everything for 10 s. Retried at once, each message burns its five
    // deliveries within the outage (five times the load on the failing dependency) and lands in
    // the dead-letter queue; with exponential backoff (1 + 2 + 4 + 8 = 15 s before the fifth)
    // the same messages ride the outage out and succeed after it.
    let outage = |backoff| {
        let mut l = run(
            Config {
                rate: 10.0,
                slow_ms: 100.0,
                max_receives: 5,
                backoff,
                ..Config::default()
            },
            10.0,
        );
        let before = l.snapshot();
        l.set_param("failure_rate", "1").unwrap();
        l.step_until(from_secs(20.0));
        let during = l.snapshot();
        l.set_param("failure_rate", "0").unwrap();
        l.step_until(from_secs(60.0));
        let published = (during.published - before.published) as f64;
        let deliveries = (during.deliveries - before.deliveries) as f64;
        (
            deliveries / published,
            during.published - before.published,
            l.snapshot(),
        )
    };
    let (none_load, outage_messages, none) = outage(Backoff::None);
    let (backoff_load, _, backoff) = outage(Backoff::Exponential);
    // Within 5%: the last few messages of the outage have not used all five yet.
    near("deliveries per message, at once", none_load, 5.0, 0.05);
    assert!(backoff_load < 3.0, "{backoff_load}");
    near(
        "dead-lettered, at once",
        none.dead_lettered as f64,
        outage_messages as f64,
        0.05,
    );
    assert_eq!(backoff.dead_lettered, 0);
    assert_eq!(backoff.completed, backoff.published);
    println!(
        "10 s outage: at once {none_load:.2} deliveries per message, {} dead; exponential {backoff_load:.2}, {} dead",
        none.dead_lettered, backoff.dead_lettered
    );
}

#[test]
fn the_read_models_stale_window_is_its_lag() {
    // Writes (requests) and reads at 2/s, lag 500 ms: a read is stale within 500 ms of a write,
    // which a Poisson stream leaves with probability 1 - e^-1 = 0.632.
    let s = run(
        Config {
            rate: 2.0,
            projection_lag_ms: 500.0,
            ..Config::default()
        },
        3_000.0,
    )
    .snapshot();
    assert!(s.reads > 5_000);
    near(
        "expected stale share",
        s.expected_stale_ratio,
        1.0 - (-1.0f64).exp(),
        1e-12,
    );
    // ~6,000 reads: sd of the share ~0.006; 3% relative is about 3 sd.
    near("stale share", s.stale_read_ratio, s.expected_stale_ratio, 0.03);
    // The longest a stale read came after the latest write: the lag (within 1%).
    near("stale window", s.stale_window_ms, 500.0, 0.01);
    assert!(s.stale_window_ms < 500.0);
    assert_eq!(s.metric("stale-reads"), Some(s.stale_reads as f64));
    let fresh = run(
        Config {
            projection_lag_ms: 0.0,
            ..Config::default()
        },
        60.0,
    )
    .snapshot();
    assert_eq!(fresh.stale_reads, 0);
    assert!(fresh.reads > 0);
}

#[test]
fn a_full_backlog_refuses_or_blocks() {
    let base = Config {
        rate: 10.0,
        consumers: 0,
        max_backlog: 100,
        ..Config::default()
    };
    let refuse = run(base.clone(), 60.0).snapshot();
    assert_eq!(refuse.backlog, 100);
    assert_eq!(refuse.refused, refuse.requests - 100);
    assert_eq!(refuse.metric("refused"), Some(refuse.refused as f64));
    near("refused answer at once", refuse.response_p99_ms.unwrap(), 105.0, 0.005);

    let mut l = run(
        Config {
            on_full: OnFull::Block,
            ..base
        },
        30.0,
    );
    let s = l.snapshot();
    assert_eq!(s.backlog, 100);
    assert_eq!(s.refused, 0);
    assert_eq!(s.blocked_now, s.requests - 100);
    // A consumer frees room: blocked producers publish, oldest first, and their users waited.
    l.add_consumer().unwrap();
    l.step_until(from_secs(40.0));
    let s = l.snapshot();
    assert!(s.response_p99_ms.unwrap() > 5_000.0, "{:?}", s.response_p99_ms);
    // Left blocked past the timeout: refused.
    let mut stuck = run(
        Config {
            on_full: OnFull::Block,
            rate: 10.0,
            consumers: 0,
            max_backlog: 100,
            ..Config::default()
        },
        to_secs(BLOCK_TIMEOUT) + 30.0,
    );
    stuck.step_until(BLOCK_TIMEOUT + from_secs(30.0));
    let s = stuck.snapshot();
    assert!(s.refused > 0);
    assert!(s.blocked_now as f64 <= 10.0 * to_secs(BLOCK_TIMEOUT) + 50.0);
}

#[test]
fn adding_a_consumer_rebalances_with_a_pause() {
    let mut l = run(
        Config {
            slow_ms: 100.0,
            ..Config::default()
        },
        30.0,
    );
    l.add_consumer().unwrap();
    let at = l.now();
    let deliveries = l.snapshot().deliveries;
    l.step_until(at + REBALANCE_PAUSE - 1);
    let paused = l.snapshot();
    assert_eq!(paused.deliveries, deliveries, "nobody takes a message during the pause");
    assert!(paused.backlog > 0);
    assert!(paused.group_views[0].rebalancing_until_s.is_some());
    l.step_until(at + REBALANCE_PAUSE + MICROS_PER_SEC);
    let after = l.snapshot();
    assert!(after.deliveries > deliveries);
    assert_eq!(after.consumers_per_group, 5);
    assert_eq!(after.idle_consumers, 1, "5 consumers, 4 partitions");
    l.remove_consumer().unwrap();
    l.remove_consumer().unwrap();
    l.step_until(at + from_secs(20.0));
    let s = l.snapshot();
    assert_eq!(s.consumers_per_group, 3);
    assert_eq!(s.idle_consumers, 0);
    assert_eq!(s.group_views[0].consumers[0].partitions, vec![0, 3]);
}

#[test]
fn stopping_the_consumers_grows_the_backlog_at_the_arrival_rate() {
    // Unkeyed, so the four consumers share the load evenly: c mu = 32/s against 20/s.
    let mut l = run(
        Config {
            keys: 0,
            ..Config::default()
        },
        30.0,
    );
    let before = l.snapshot().backlog;
    l.stop_consumers();
    l.step_until(from_secs(90.0));
    let s = l.snapshot();
    // 20/s for 60 s: 1,200 within 8% (Poisson: sd ~35).
    near("backlog grows at lambda", (s.backlog - before) as f64, 1_200.0, 0.08);
    assert!(s.lag_s > 59.0 && s.lag_s < 61.0, "{}", s.lag_s);
    l.start_consumers();
    let started = l.snapshot();
    let drain = started.theory.drain_s.unwrap();
    near(
        "drains in backlog / (c mu - lambda)",
        drain,
        started.backlog as f64 / 12.0,
        0.01,
    );
    l.step_until(from_secs(90.0 + drain * 1.1));
    assert!(l.snapshot().backlog < 50, "{}", l.snapshot().backlog);
}

#[test]
fn same_seed_same_run_whatever_the_slicing() {
    let config = Config {
        failure_rate: 0.1,
        poison_rate: 0.01,
        visibility_s: 1.5,
        processing: Processing::Lognormal,
        shape: scalelab_sim::queues::Shape::Bursts,
        groups: 2,
        ..Config::default()
    };
    let whole = run(config.clone(), 200.0);
    let mut sliced = lab(config.clone());
    while !sliced.work_until(from_secs(200.0), 777) {}
    let a: Snapshot = whole.snapshot();
    assert_eq!(a, sliced.snapshot());
    assert!(a.redeliveries > 0 && a.dead_lettered > 0 && a.duplicates > 0);
    let other = run(Config { seed: 2, ..config }, 200.0);
    assert_ne!(a, other.snapshot());
}

#[test]
fn hostile_values_are_rejected_and_change_nothing() {
    let mut l = run(Config::default(), 10.0);
    let before = l.snapshot();
    let config = l.config().clone();
    for (key, raw) in [
        ("rate", "NaN"),
        ("rate", "-1"),
        ("rate", "1e9"),
        ("rate", "inf"),
        ("partitions", "0"),
        ("partitions", "33"),
        ("partitions", "2.5"),
        ("consumers", "65"),
        ("concurrency", "0"),
        ("groups", "5"),
        ("visibility_s", "0"),
        ("failure_rate", "1.5"),
        ("poison_rate", "-0.1"),
        ("max_receives", "0"),
        ("idempotent", "2"),
        ("idempotent", "true"),
        ("max_backlog", "-5"),
        ("max_backlog", "1e12"),
        ("on_full", "drop"),
        ("backoff", "<script>"),
        ("delivery", ""),
        ("keys", "100001"),
        ("slow_ms", "9".repeat(60).as_str()),
        ("nope", "1"),
        ("seed", "1"),
    ] {
        assert!(l.set_param(key, raw).is_err(), "{key}={raw:?} should be rejected");
        assert_eq!(l.config(), &config, "{key}");
    }
    assert_eq!(l.snapshot(), before);
    assert!(QueuesLab::new(Config {
        rate: f64::NAN,
        ..Config::default()
    })
    .is_err());
    assert!(QueuesLab::new(Config {
        partitions: 0,
        ..Config::default()
    })
    .is_err());
    assert!(QueuesLab::new(Config {
        consumers: 1_000,
        ..Config::default()
    })
    .is_err());
    // Every URL key round-trips, and every issue metric has a value.
    for key in Config::KEYS {
        let v = config.get(key).unwrap().to_query();
        let mut c = config.clone();
        c.set_str(key, &v).unwrap();
        assert_eq!(c, config);
    }
    for name in METRICS {
        assert!(before.metric(name).is_some(), "{name}");
    }
    assert_eq!(before.metric("nope"), None);
}

#[test]
fn compare_sync_and_async_on_one_seed() {
    let mut c = Comparison::sync_against_async(&Config::default(), 60.0).unwrap();
    let mut slices = 0;
    while !c.work(QueuesLab::WORK_PER_FRAME) {
        slices += 1;
        assert!(c.progress() < 1.0);
    }
    assert!(slices > 0 || c.is_done());
    let rows = c.rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].requests, rows[1].requests, "same requests");
    near("sync", rows[0].response_p99_ms.unwrap(), 2_100.0, 0.005);
    near("async", rows[1].response_p99_ms.unwrap(), 105.0, 0.005);
    let more = Config {
        consumers: 1,
        ..Config::default()
    };
    let mut two = Comparison::new(&[Config::default(), more], 60.0).unwrap();
    two.run_to_end();
    let rows = two.rows();
    assert!(rows[1].backlog > rows[0].backlog);
    assert!(Comparison::new(&[Config::default()], 10.0).is_err());
    assert!(Comparison::new(&[Config::default(), Config::default()], 0.0).is_err());
}

#[test]
fn a_hundred_thousand_messages_a_second_in_frame_slices() {
    let config = Config {
        rate: 100_000.0,
        slow_ms: 10.0,
        processing: Processing::Exponential,
        partitions: 8,
        consumers: 8,
        concurrency: 256,
        ..Config::default()
    };
    let mut l = lab(config);
    let wall = std::time::Instant::now();
    let mut frames = 0;
    while !l.work_until(from_secs(2.0), QueuesLab::WORK_PER_FRAME) {
        frames += 1;
    }
    let s = l.snapshot();
    near("messages in 2 s", s.published as f64, 200_000.0, 0.02);
    assert!(s.completed as f64 > 0.99 * s.published as f64 - 5_000.0);
    println!(
        "100,000 msg/s: 2 simulated s in {frames} frames of {} items, {:.0} ms natively",
        QueuesLab::WORK_PER_FRAME,
        wall.elapsed().as_secs_f64() * 1e3
    );
}

#[test]
fn a_backlog_of_ten_million() {
    // Nobody consumes; 100,000 msg/s for 100 s. The backlog costs 8 bytes a message and no
    // records; a snapshot does not walk it.
    let mut l = lab(Config {
        rate: 100_000.0,
        consumers: 0,
        partitions: 32,
        ..Config::default()
    });
    let wall = std::time::Instant::now();
    l.step_until(from_secs(100.0));
    let ran = wall.elapsed();
    let wall = std::time::Instant::now();
    let s = l.snapshot();
    let snap = wall.elapsed();
    near("backlog", s.backlog as f64, 10_000_000.0, 0.01);
    assert_eq!(s.backlog, s.published);
    assert_eq!(l.records_held(), 0);
    assert!(s.lag_s > 99.9);
    println!(
        "backlog {}: stepped in {:.0} ms, snapshot in {:.2} ms",
        s.backlog,
        ran.as_secs_f64() * 1e3,
        snap.as_secs_f64() * 1e3
    );
    // Consumers arrive and drain it.
    l.set_param("consumers", "32").unwrap();
    l.set_param("rate", "0").unwrap();
    l.set_param("slow_ms", "1").unwrap();
    l.set_param("concurrency", "1000").unwrap();
    while !l.work_until(l.now() + from_secs(20.0), 5_000_000) {}
    assert!(l.snapshot().backlog < s.backlog);
}

#[test]
fn every_message_is_somewhere_and_nothing_leaks() {
    // Without timeouts each message of each group is done, dead, waiting or in flight: exactly.
    let mut l = lab(Config {
        groups: 2,
        failure_rate: 0.2,
        poison_rate: 0.02,
        slow_ms: 300.0,
        processing: Processing::Exponential,
        backoff: Backoff::Exponential,
        ..Config::default()
    });
    for step in 1..=12 {
        l.step_until(from_secs(10.0 * f64::from(step)));
        let s = l.snapshot();
        assert_eq!(
            2 * s.published,
            s.completed + s.dead_lettered + s.backlog + s.in_flight,
            "at {} s",
            s.now_s
        );
        assert_eq!(s.duplicates + s.timeouts, 0);
    }
    // With timeouts, crashes and redrives the records held stay within what is in flight or
    // waiting, and the events within the deliveries and backoffs plus a few timers.
    let mut l = lab(Config {
        groups: 2,
        failure_rate: 0.1,
        poison_rate: 0.01,
        visibility_s: 2.0,
        processing: Processing::Lognormal,
        ..Config::default()
    });
    for step in 1..=30 {
        l.step_until(from_secs(20.0 * f64::from(step)));
        if step % 5 == 0 {
            l.crash_consumer(None);
            l.redrive_dlq();
        }
        let s = l.snapshot();
        assert!(
            l.records_held() as u64 <= s.in_flight + s.backlog,
            "{} records",
            l.records_held()
        );
        let timers = 8;
        assert!(
            l.pending_events() as u64 <= 2 * s.in_flight + s.delayed + timers,
            "{} events",
            l.pending_events()
        );
    }
    let s = l.snapshot();
    assert!(s.duplicates > 0 && s.lost_in_crash > 0 && s.dead_lettered > 0);
}
