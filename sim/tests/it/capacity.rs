//! Capacity reference tests: every number in REFERENCES.md ("Capacity and queueing") is reproduced
//! here, plus the properties the lab relies on (no NaN on any input, the simulation agrees with the
//! formulas, results are deterministic and do not depend on how a run is sliced).

use scalelab_sim::capacity::{
    erlang_b, erlang_c, knee, latency_curve, mm1_mean_response, mm1_response_percentile_s, mm1_stretch, plan,
    servers_for_p99, servers_for_utilization, usl_peak_nodes, usl_throughput, CapacityLab, Config, MmcQueue, Plan,
    Preset, QueueError, QueueSim, QueueSimConfig, Redundancy, WarningKind, MAX_QUEUE_SERVERS, MAX_QUEUE_SLOTS,
    MAX_SIM_SLOTS, PRESETS,
};
use scalelab_sim::params::Params;

/// Asserts `got` is within `tolerance` of `expected`, naming the case on failure.
fn check(case: &str, got: f64, expected: f64, tolerance: f64) {
    assert!(
        (got - expected).abs() <= tolerance,
        "{case}: got {got}, expected {expected} ± {tolerance}"
    );
}

/// Asserts `got` is within `relative` of `expected`, relatively.
fn check_rel(case: &str, got: f64, expected: f64, relative: f64) {
    assert!(
        (got - expected).abs() <= relative * expected.abs(),
        "{case}: got {got}, expected {expected} ± {:.2}%",
        relative * 100.0
    );
}

/// The plan for the defaults with `pairs` applied through the URL path.
fn plan_with(pairs: &[(&str, &str)]) -> Plan {
    let mut config = Config::default();
    for (key, raw) in pairs {
        config.set_str(key, raw).unwrap_or_else(|e| panic!("{key}={raw}: {e}"));
    }
    plan(&config).expect("valid config")
}

/// The plan of the preset `key`.
fn plan_of_preset(key: &str) -> Plan {
    let preset = Preset::find(key).unwrap_or_else(|| panic!("preset {key}"));
    plan(&preset.config().expect("preset applies")).expect("preset plans")
}

/// Every number a plan shows is finite.
fn assert_all_finite(plan: &Plan) {
    let mut numbers = vec![
        plan.peak_rps,
        plan.concurrency,
        plan.service_ms,
        plan.server_throughput_rps,
        plan.offered_load,
        plan.utilization,
        plan.reads_per_s,
        plan.cache_hits_per_s,
        plan.db_reads_per_s,
        plan.db_writes_per_s,
        plan.cost_per_hour,
        plan.usl_throughput_at_fleet,
        plan.target.target_utilization,
        plan.target.p99_floor_ms,
    ];
    numbers.extend(
        [
            plan.wait_probability,
            plan.mean_wait_ms,
            plan.mean_response_ms,
            plan.p50_ms,
            plan.p99_ms,
            plan.usl_peak_n,
            plan.usl_peak_throughput,
            plan.target.target_p99_ms,
        ]
        .into_iter()
        .flatten(),
    );
    numbers.extend(plan.lines.iter().map(|l| l.result));
    numbers.extend(
        plan.latency_curve
            .iter()
            .chain(plan.knee.iter())
            .flat_map(|p| [p.utilization, p.mean_stretch, p.p99_stretch]),
    );
    numbers.extend(plan.usl_curve.iter().flat_map(|p| [p.throughput, p.efficiency]));
    numbers.extend(
        plan.cost_options
            .iter()
            .flat_map(|o| [o.price_per_hour, o.concurrency_per_server, o.cost_per_hour]),
    );
    for (i, v) in numbers.iter().enumerate() {
        assert!(v.is_finite(), "number {i} is {v}");
    }
    for line in &plan.lines {
        assert!(
            !line.substituted.contains("NaN") && !line.substituted.contains("inf"),
            "{line:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sizing: the seeds' worked example.

#[test]
fn seeds_example_gives_2_then_3_then_6_servers() {
    let plan = plan(&Config::default()).unwrap();
    check("peak rps", plan.peak_rps, 100_000.0, 0.0);
    check("concurrency (Little's law)", plan.concurrency, 20_000.0, 1e-9);
    assert_eq!(plan.servers_base, 2);
    assert_eq!(plan.servers_with_headroom, 3);
    assert_eq!(plan.servers, 6);
    assert_eq!(plan.fleet, 6);
    let line = |key: &str| plan.line(key).unwrap_or_else(|| panic!("line {key}"));
    assert_eq!(line("concurrency").substituted, "100,000 req/s × 0.2 s");
    assert_eq!(line("servers_base").substituted, "⌈20,000 / 10,000⌉");
    assert_eq!(line("servers_with_headroom").substituted, "⌈2 × (1 + 50 / 100)⌉");
    assert_eq!(line("servers").substituted, "2 × 3");
    assert_eq!(line("servers").result, 6.0);
    assert_all_finite(&plan);
}

#[test]
fn redundancy_options_on_the_seeds_example() {
    for (redundancy, servers) in [("none", 3), ("n_plus_1", 4), ("n_plus_2", 5), ("double", 6)] {
        let plan = plan_with(&[("redundancy", redundancy)]);
        assert_eq!(plan.servers, servers, "{redundancy}");
    }
}

#[test]
fn sizing_cases() {
    // (rps, latency ms, concurrency, headroom %, expected base, with headroom)
    for (rps, latency, concurrency, headroom, base, with_headroom) in [
        ("100000", "200", "10000", "50", 2, 3),
        ("100000", "200", "10000", "0", 2, 2),
        ("1000", "100", "1000", "10", 1, 2),
        ("5000", "50", "50", "25", 5, 7),
        ("10", "1000", "1", "10", 10, 11), // 10 × 1.1 must not round up to 12
        ("1", "1", "10000", "0", 1, 1),
    ] {
        let plan = plan_with(&[
            ("rps", rps),
            ("latency_ms", latency),
            ("concurrency", concurrency),
            ("headroom_pct", headroom),
        ]);
        let case = format!("{rps} req/s × {latency} ms / {concurrency} +{headroom}%");
        assert_eq!(plan.servers_base, base, "{case}");
        assert_eq!(plan.servers_with_headroom, with_headroom, "{case}");
    }
}

#[test]
fn traffic_from_daily_users() {
    let plan = plan_with(&[("dau", "1000000"), ("requests_per_user", "20"), ("peak_factor", "3")]);
    assert!(plan.traffic_from_users);
    check_rel("peak rps", plan.peak_rps, 1_000_000.0 * 20.0 / 86_400.0 * 3.0, 1e-11);
    check("694.4 req/s", plan.peak_rps, 694.444_444, 1e-5);
    // Back to rps mode.
    let plan = plan_with(&[("dau", "0"), ("rps", "1234")]);
    assert!(!plan.traffic_from_users);
    check("rps", plan.peak_rps, 1234.0, 0.0);
}

// ---------------------------------------------------------------------------------------------
// M/M/1.

#[test]
fn mm1_time_in_system_stretches_2_5_10_20() {
    for (rho, stretch) in [(0.5, 2.0), (0.8, 5.0), (0.9, 10.0), (0.95, 20.0)] {
        check(
            &format!("closed form at {rho}"),
            mm1_stretch(rho).unwrap(),
            stretch,
            1e-9,
        );
        check(
            &format!("mean response with 10 ms service at {rho}"),
            mm1_mean_response(10.0, rho).unwrap(),
            10.0 * stretch,
            1e-9,
        );
        let queue = MmcQueue::new(rho * 100.0, 100.0, 1).unwrap();
        check(
            &format!("M/M/c with c = 1 at {rho}"),
            queue.mean_response_s() / queue.service_time_s(),
            stretch,
            1e-9,
        );
        let p = plan_with(&[
            ("rps", &format!("{}", rho * 100.0)),
            ("service_ms", "10"),
            ("concurrency", "1"),
            ("servers", "1"),
        ]);
        check(
            &format!("plan at {rho}"),
            p.mean_response_ms.unwrap(),
            10.0 * stretch,
            1e-9,
        );
    }
    assert_eq!(mm1_stretch(1.0), None);
}

#[test]
fn mm1_percentile_is_minus_ln_1_minus_p_over_mu_minus_lambda() {
    // (p, λ, μ, expected seconds)
    for (p, lambda, mu, expected) in [
        (0.99, 80.0, 100.0, 0.230_258_509_299_404_6), // ln(100) / 20
        (0.5, 80.0, 100.0, 0.034_657_359_027_997_26), // ln(2) / 20
        (0.9, 0.5, 1.0, 4.605_170_185_988_091),       // ln(10) / 0.5
        (0.999, 950.0, 1000.0, 0.138_155_105_579_642_7),
    ] {
        let closed = mm1_response_percentile_s(p, lambda, mu).unwrap();
        check_rel(&format!("closed form p{p}"), closed, expected, 1e-12);
        let inverted = MmcQueue::new(lambda, mu, 1).unwrap().response_percentile_s(p).unwrap();
        check_rel(&format!("inverted CDF p{p}"), inverted, expected, 1e-8);
    }
    let busy = plan_of_preset("one_busy_server");
    check("preset p99", busy.p99_ms.unwrap(), 230.258_509_299_404_6, 1e-9);
    check("preset mean", busy.mean_response_ms.unwrap(), 50.0, 1e-9);
}

// ---------------------------------------------------------------------------------------------
// M/M/c and Erlang C.

#[test]
fn erlang_c_reference_example() {
    let queue = MmcQueue::new(2.0, 1.0, 3).unwrap();
    check("P_w", queue.wait_probability(), 0.4444, 1e-4);
    check("Wq", queue.mean_wait_s(), 0.4444, 1e-4);
    check("P_w exact 4/9", queue.wait_probability(), 4.0 / 9.0, 1e-14);
    check("mean response", queue.mean_response_s(), 4.0 / 9.0 + 1.0, 1e-14);
    check("erlang_c", erlang_c(3, 2.0).unwrap(), 4.0 / 9.0, 1e-14);
}

/// Erlang C straight from its definition, summed in log space (independent of the recurrence):
/// `P_w = T_c / (Σ_{k<c} T_k + T_c)`, `ln T_k = k ln A − ln k!`, `T_c` with the factor `c/(c − A)`.
fn erlang_c_log_space(c: u32, a: f64) -> f64 {
    let mut log_terms = Vec::with_capacity(c as usize + 1);
    let mut log_factorial = 0.0;
    for k in 0..c {
        if k > 0 {
            log_factorial += f64::from(k).ln();
        }
        log_terms.push(f64::from(k) * a.ln() - log_factorial);
    }
    log_factorial += f64::from(c).ln();
    let log_top = f64::from(c) * a.ln() - log_factorial + (f64::from(c) / (f64::from(c) - a)).ln();
    log_terms.push(log_top);
    let max = log_terms.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let total: f64 = log_terms.iter().map(|t| (t - max).exp()).sum();
    (log_top - max).exp() / total
}

#[test]
fn erlang_c_large_fleets_stay_finite_and_match_references() {
    // (c, A, reference from a 50-digit mpmath evaluation of the factorial formula)
    for (c, a, reference) in [
        (3, 2.0, 0.444_444_444_444_444_4),
        (100, 90.0, 0.216_940_480_906_366_4),
        (1000, 950.0, 0.068_253_415_377_141_42),
        (10_000, 9900.0, 0.222_776_928_864_148_2),
    ] {
        let got = erlang_c(c, a).unwrap();
        assert!(got.is_finite() && (0.0..=1.0).contains(&got), "C({c}, {a}) = {got}");
        check_rel(&format!("C({c}, {a}) vs mpmath"), got, reference, 1e-9);
        check_rel(
            &format!("C({c}, {a}) vs log-space sum"),
            got,
            erlang_c_log_space(c, a),
            1e-9,
        );
    }
    // The largest fleet at extreme loads: still finite.
    for a in [0.001, 5_000.0, 9_999.999] {
        let got = erlang_c(MAX_QUEUE_SERVERS, a).unwrap();
        assert!(got.is_finite() && (0.0..=1.0).contains(&got), "C(10000, {a}) = {got}");
        let b = erlang_b(MAX_QUEUE_SERVERS, a).unwrap();
        assert!(b.is_finite() && (0.0..=1.0).contains(&b));
    }
}

#[test]
fn mmc_percentile_inverts_the_exact_distribution() {
    // (λ, μ, c): γ = cμ − λ below, equal to and above μ.
    for (lambda, mu, c) in [
        (2.0, 1.0, 3),
        (1.0, 1.0, 2),
        (0.5, 1.0, 2),
        (90.0, 1.0, 100),
        (18.0, 1.0, 20),
    ] {
        let queue = MmcQueue::new(lambda, mu, c).unwrap();
        for p in [0.5, 0.9, 0.99, 0.999] {
            let t = queue.response_percentile_s(p).unwrap();
            check(
                &format!("P(W > p{p}) for λ {lambda} μ {mu} c {c}"),
                queue.response_survival(t),
                1.0 - p,
                1e-9,
            );
        }
        // The survival function integrates to the mean response time (trapezoid rule).
        let (step, mut t, mut area) = (1e-3, 0.0, 0.0);
        while t < 60.0 {
            area += (queue.response_survival(t) + queue.response_survival(t + step)) / 2.0 * step;
            t += step;
        }
        check_rel(&format!("∫ P(W > t) dt, c {c}"), area, queue.mean_response_s(), 1e-5);
    }
}

#[test]
fn knee_is_half_for_one_server_and_moves_right_with_more() {
    check("M/M/1 knee", knee(1).unwrap().utilization, 0.5, 1e-6);
    check("M/M/2 knee", knee(2).unwrap().utilization, 1.0 / 3f64.sqrt(), 1e-6);
    let knees: Vec<f64> = [1, 2, 4, 8, 16, 32, 64, 128]
        .iter()
        .map(|&c| knee(c).unwrap().utilization)
        .collect();
    assert!(knees.windows(2).all(|w| w[0] < w[1]), "{knees:?}");
    // At the knee, response time over utilisation is smallest: check against the curve.
    for c in [1, 3, 10] {
        let k = knee(c).unwrap();
        let best = k.mean_stretch / k.utilization;
        for point in latency_curve(c).iter().skip(1) {
            assert!(
                point.mean_stretch / point.utilization >= best - 1e-9,
                "c {c}: {point:?}"
            );
        }
    }
    assert_eq!(knee(0), None);
    assert_eq!(knee(MAX_QUEUE_SLOTS + 1), None);
}

#[test]
fn latency_curve_starts_at_service_time_and_climbs() {
    let curve = latency_curve(6);
    assert_eq!(curve.len(), 100);
    check("unloaded mean", curve[0].mean_stretch, 1.0, 1e-12);
    check("unloaded p99 = ln 100", curve[0].p99_stretch, 100f64.ln(), 1e-8);
    check("last utilisation", curve[99].utilization, 0.99, 1e-12);
    assert!(curve.windows(2).all(|w| w[1].mean_stretch >= w[0].mean_stretch));
    assert!(curve.windows(2).all(|w| w[1].p99_stretch >= w[0].p99_stretch));
    // M/M/1 points are 1/(1−ρ).
    for point in latency_curve(1) {
        check("M/M/1 curve", point.mean_stretch, 1.0 / (1.0 - point.utilization), 1e-9);
    }
}

// ---------------------------------------------------------------------------------------------
// The default plan's queueing view and target mode.

#[test]
fn default_queueing_view_matches_the_sizing() {
    let plan = plan(&Config::default()).unwrap();
    // Each server is 10,000 slots, each holding one request for its 200 ms latency.
    assert!(plan.service_derived);
    check("S = W", plan.service_ms, 200.0, 0.0);
    assert_eq!(plan.slots, 60_000);
    check("one server's throughput", plan.server_throughput_rps, 50_000.0, 1e-6);
    check("A = λ × S = L", plan.offered_load, 20_000.0, 1e-9);
    check("ρ at 6 servers", plan.utilization, 1.0 / 3.0, 1e-12);
    assert!(plan.stable);
    // 60,000 slots at a third busy: nobody waits, so a response is its own service time.
    check("P_w", plan.wait_probability.unwrap(), 0.0, 1e-12);
    check("mean response = latency", plan.mean_response_ms.unwrap(), 200.0, 1e-9);
    check("p50 = ln 2 × S", plan.p50_ms.unwrap(), 200.0 * 2f64.ln(), 1e-6);
    check("p99 = ln 100 × S", plan.p99_ms.unwrap(), 200.0 * 100f64.ln(), 1e-6);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    // Erlang C(6, 2) = 2/111 (exact rational), as a check of the formula on its own.
    check("C(6, 2)", erlang_c(6, 2.0).unwrap(), 2.0 / 111.0, 1e-14);
    // The base fleet runs at exactly 100%: that is why headroom exists.
    let base = plan_with(&[("servers", "2")]);
    assert!(!base.stable);
    check("ρ at base fleet", base.utilization, 1.0, 1e-12);
    let zone_down = plan_of_preset("zone_outage");
    check("ρ with one zone", zone_down.utilization, 2.0 / 3.0, 1e-12);
    // The Erlang C reference example through the whole plan: one slot per server.
    let reference = plan_with(&[
        ("rps", "2"),
        ("service_ms", "1000"),
        ("concurrency", "1"),
        ("servers", "3"),
    ]);
    check("plan P_w", reference.wait_probability.unwrap(), 0.4444, 1e-4);
    check("plan Wq", reference.mean_wait_ms.unwrap(), 444.4, 0.1);
}

#[test]
fn no_response_is_modelled_faster_than_its_own_service_time_on_average() {
    // Whatever the fleet, the mean response is at least the latency (the old model divided it by
    // the concurrency), and a slower service time only ever adds.
    for servers in ["3", "6", "60"] {
        let plan = plan_with(&[("servers", servers)]);
        assert!(plan.mean_response_ms.unwrap() >= 200.0, "{servers}");
        assert!(plan.p99_ms.unwrap() >= 200.0 * 100f64.ln() - 1e-6, "{servers}");
    }
}

#[test]
fn large_fleets_of_slots_are_stable_and_agree_across_methods() {
    // Erlang C for 10^5 and more slots: finite, within [0, 1], decreasing with more slots, equal
    // (to 1e-9) to the exact Erlang B recurrence run here step by step, and (to 1e-7: summing
    // 10^5 logarithms loses that much) to the log-space sum of its definition.
    for (c, a) in [
        (100_000, 99_000.0),
        (100_000, 98_500.0),
        (60_000, 59_500.0),
        (30_000, 20_000.0),
    ] {
        let got = erlang_c(c, a).unwrap();
        assert!(got.is_finite() && (0.0..=1.0).contains(&got), "C({c}, {a}) = {got}");
        let mut b = 1.0;
        for k in 1..=c {
            b = a * b / (f64::from(k) + a * b);
        }
        let exact = f64::from(c) * b / (f64::from(c) - a * (1.0 - b));
        assert!(
            (got - exact).abs() <= 1e-9 * exact + 1e-300,
            "C({c}, {a}): {got} vs {exact}"
        );
        let summed = erlang_c_log_space(c, a);
        assert!(
            (got - summed).abs() <= 1e-7 * summed + 1e-300,
            "C({c}, {a}): {got} vs {summed}"
        );
    }
    assert!(erlang_c(120_000, 99_000.0).unwrap() < erlang_c(100_000, 99_000.0).unwrap());
    let top = erlang_c(MAX_QUEUE_SLOTS, f64::from(MAX_QUEUE_SLOTS) * 0.999_999).unwrap();
    assert!(top.is_finite() && (0.0..=1.0).contains(&top));
}

#[test]
fn target_mode_finds_the_smallest_fleet() {
    assert_eq!(servers_for_utilization(2.0, 0.7), 3);
    assert_eq!(servers_for_utilization(2.0, 0.5), 4);
    assert_eq!(servers_for_utilization(90.0, 0.9), 100);
    // (λ, μ per slot, slots per server, target p99 s): the fleet found meets the target and one
    // server fewer does not.
    for (lambda, mu, per_server, target) in [
        (2.0, 1.0, 1, 6.0),
        (100_000.0, 5.0, 10_000, 1.0),
        (900.0, 10.0, 1, 0.6),
        (900.0, 10.0, 4, 0.6),
        (0.5, 1.0, 1, 5.0),
        (5_000.0, 20.0, 50, 0.3),
    ] {
        let n = servers_for_p99(lambda, mu, per_server, target).unwrap();
        let p99 = |n: u32| {
            MmcQueue::new(lambda, mu, n * per_server)
                .ok()
                .and_then(|q| q.response_percentile_s(0.99))
        };
        assert!(p99(n).unwrap() <= target * (1.0 + 1e-9), "λ {lambda}: n {n}");
        if let Some(fewer) = p99(n - 1) {
            assert!(fewer > target, "λ {lambda}: n − 1 = {} also meets it", n - 1);
        }
    }
    // Below the service time's own p99, no fleet helps.
    assert!(matches!(
        servers_for_p99(1.0, 1.0, 1, 4.0),
        Err(QueueError::TargetBelowServiceTime { .. })
    ));
    let plan = plan(&Config::default()).unwrap();
    assert_eq!(plan.target.servers_for_utilization, 3);
    // 1,000 ms: 2 servers are saturated, 3 meet it (the service time alone gives 921 ms).
    assert_eq!(plan.target.servers_for_p99, Some(3));
    check("p99 floor", plan.target.p99_floor_ms, 200.0 * 100f64.ln(), 1e-9);
    let unreachable = plan_with(&[("target_p99_ms", "900")]);
    assert!(matches!(
        unreachable.target.p99_unreachable,
        Some(QueueError::TargetBelowServiceTime { .. })
    ));
    assert_eq!(unreachable.target.servers_for_p99, None);
}

// ---------------------------------------------------------------------------------------------
// Reads, writes, cost, USL.

#[test]
fn cache_hit_ratio_sets_database_reads() {
    // (hit ratio, database reads per second) at 1,000 reads per second.
    for (hit, db_reads) in [("0.99", 10.0), ("0.9", 100.0), ("0", 1000.0), ("1", 0.0)] {
        let plan = plan_with(&[("rps", "1000"), ("read_ratio", "1"), ("hit_ratio", hit)]);
        assert_eq!(plan.db_reads_per_s, db_reads, "hit {hit}");
        check(&format!("writes at hit {hit}"), plan.db_writes_per_s, 0.0, 0.0);
    }
    let preset = plan_of_preset("cache_1000");
    check("cache preset", preset.db_reads_per_s, 10.0, 1e-9);
    // The default mix: 90% reads, 90% hits, 100,000 req/s.
    let plan = plan(&Config::default()).unwrap();
    // Reported figures are tidied: exactly 9,000 and 10,000, not 8,999.999999999998.
    assert_eq!(plan.db_reads_per_s, 9_000.0);
    assert_eq!(plan.db_writes_per_s, 10_000.0);
    assert_eq!(plan.read_replicas, 2);
}

#[test]
fn horizontal_and_vertical_cost_with_seed_prices() {
    let plan = plan(&Config::default()).unwrap();
    let fleets: Vec<(u64, f64)> = plan.cost_options.iter().map(|o| (o.servers, o.cost_per_hour)).collect();
    // 20,000 in flight: small holds 10,000 (2 → 3 → 6), medium 40,000 and large 120,000 (1 → 2 → 4).
    assert_eq!(fleets.iter().map(|f| f.0).collect::<Vec<_>>(), vec![6, 4, 4]);
    check("small", fleets[0].1, 6.0 * 0.19, 1e-12);
    check("medium", fleets[1].1, 4.0 * 0.77, 1e-12);
    check("large", fleets[2].1, 4.0 * 2.30, 1e-12);
    assert_eq!(plan.cheapest_option, 0);
    check("cost_per_hour", plan.cost_per_hour, 1.14, 1e-12);
    // The seeds' comparison: 3 small servers cost $0.57/h.
    let three = plan_with(&[("servers", "3")]);
    check("3 × small", three.cost_per_hour, 0.57, 1e-12);
}

#[test]
fn usl_peak_and_shape() {
    // (σ, κ, N*)
    for (sigma, kappa, peak) in [
        (0.05, 0.001, 950f64.sqrt()),
        (0.0, 0.01, 10.0),
        (0.1, 0.0001, 94.868_329_805_051_38),
    ] {
        let n = usl_peak_nodes(sigma, kappa).unwrap();
        check(&format!("N* for σ {sigma} κ {kappa}"), n, peak, 1e-9);
        let best = usl_throughput(n, sigma, kappa);
        for other in [n * 0.5, n - 1.0, n + 1.0, n * 2.0] {
            assert!(usl_throughput(other, sigma, kappa) < best);
        }
    }
    assert_eq!(usl_peak_nodes(0.05, 0.0), None);
    check("X(1)", usl_throughput(1.0, 0.3, 0.01), 1.0, 1e-15);
    check("Amdahl limit", usl_throughput(1e9, 0.5, 0.0), 2.0, 1e-6);
    let plan = plan(&Config::default()).unwrap();
    check("plan N*", plan.usl_peak_n.unwrap(), 950f64.sqrt(), 1e-9);
    assert!(plan.usl_curve.len() <= 201 && plan.usl_curve.first().unwrap().nodes == 1);
    let no_peak = plan_with(&[("kappa", "0")]);
    assert_eq!(no_peak.usl_peak_n, None);
    let past = plan_with(&[("servers", "100")]);
    assert!(past.has_warning(WarningKind::BeyondUslPeak));
}

// ---------------------------------------------------------------------------------------------
// Hostile input and troubled plans.

#[test]
fn hostile_values_are_rejected_and_change_nothing() {
    let hostile = [
        "",
        " ",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "-1",
        "1e300",
        "abc",
        "1,000",
        "0x10",
        "<script>",
        &"9".repeat(100),
    ];
    for spec in Config::specs() {
        for raw in hostile {
            let mut config = Config::default();
            assert!(config.set_str(spec.key, raw).is_err(), "{}={raw:?} accepted", spec.key);
            assert_eq!(config, Config::default(), "{}={raw:?} changed the config", spec.key);
        }
    }
    let mut config = Config::default();
    for (key, raw) in [
        ("concurrency", "0"),
        ("concurrency", "2.5"),
        ("servers", "10001"),
        ("hit_ratio", "1.01"),
        ("latency_ms", "0"),
        ("rps", "0"),
        ("redundancy", "triple"),
        ("seed", "1"),
    ] {
        assert!(config.set_str(key, raw).is_err(), "{key}={raw}");
    }
    assert_eq!(config, Config::default());
    // A config built by hand around the setters is still checked.
    let bad = Config {
        rps: f64::NAN,
        ..Config::default()
    };
    assert_eq!(plan(&bad).unwrap_err().field, "rps");
    let bad = Config {
        hit_ratio: -0.5,
        ..Config::default()
    };
    assert!(plan(&bad).is_err());
}

#[test]
fn utilisation_at_or_above_one_is_a_warning_not_nan() {
    // (servers, expected utilisation) for the default 2 erlangs of load.
    for (servers, rho) in [("2", 1.0), ("1", 2.0)] {
        let plan = plan_with(&[("servers", servers)]);
        check(&format!("ρ with {servers}"), plan.utilization, rho, 1e-12);
        assert!(!plan.stable);
        assert!(plan.wait_probability.is_none() && plan.mean_wait_ms.is_none() && plan.p99_ms.is_none());
        assert!(matches!(plan.queueing_error, Some(QueueError::Unstable { .. })));
        let warning = plan
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::Unstable)
            .expect("warning");
        assert!(
            warning.message.starts_with("unstable: arrivals outpace service"),
            "{}",
            warning.message
        );
        assert_all_finite(&plan);
    }
    assert!(matches!(MmcQueue::new(2.0, 1.0, 2), Err(QueueError::Unstable { .. })));
    assert_eq!(MmcQueue::new(2.0, 1.0, 0), Err(QueueError::NoServers));
    assert_eq!(erlang_c(2, 2.0), None);
    // Past the knee but stable: a gentler warning.
    let busy = plan_with(&[
        ("servers", "3"),
        ("concurrency", "1"),
        ("service_ms", "10"),
        ("rps", "250"),
    ]);
    assert!(busy.stable && busy.has_warning(WarningKind::PastKnee));
}

#[test]
fn extreme_but_valid_inputs_stay_finite() {
    let cases: &[&[(&str, &str)]] = &[
        // Huge traffic: the fleet is beyond the queueing model.
        &[
            ("dau", "10000000000"),
            ("requests_per_user", "10000"),
            ("peak_factor", "100"),
            ("latency_ms", "600000"),
            ("concurrency", "1"),
            ("headroom_pct", "900"),
        ],
        // Tiny traffic and tiny service time.
        &[("rps", "0.001"), ("latency_ms", "0.01"), ("concurrency", "1000000")],
        // Utilisation a hair below 1.
        &[("rps", "99999.999"), ("servers", "2")],
        // Everything at zero where zero is allowed.
        &[
            ("headroom_pct", "0"),
            ("redundancy", "none"),
            ("hit_ratio", "0"),
            ("read_ratio", "0"),
            ("sigma", "0"),
            ("kappa", "0"),
            ("price_small_per_hour", "0"),
            ("target_p99_ms", "0"),
        ],
        // Everything at the top of its range.
        &[
            ("sigma", "1"),
            ("kappa", "1"),
            ("hit_ratio", "1"),
            ("read_ratio", "1"),
            ("target_utilization", "0.99"),
            ("target_p99_ms", "600000"),
            ("servers", "10000"),
            ("service_ms", "600000"),
        ],
    ];
    for pairs in cases {
        let plan = plan_with(pairs);
        assert_all_finite(&plan);
        assert!(plan.servers >= 1, "{pairs:?}");
    }
    let huge = plan_with(cases[0]);
    assert!(huge.has_warning(WarningKind::QueueingUnavailable));
    assert!(huge.latency_curve.is_empty() && huge.p99_ms.is_none());
    let lab = CapacityLab::new(huge_config(cases[0]), 1).unwrap();
    assert!(lab.sim_snapshot().is_none());
    assert!(lab.sim_unavailable().unwrap().contains("servers"));
}

fn huge_config(pairs: &[(&str, &str)]) -> Config {
    let mut config = Config::default();
    for (key, raw) in pairs {
        config.set_str(key, raw).unwrap();
    }
    config
}

#[test]
fn presets_are_valid_and_plan_cleanly() {
    assert!(PRESETS.len() >= 5);
    for preset in PRESETS {
        let config = preset.config().unwrap_or_else(|e| panic!("{}: {e}", preset.key));
        let plan = plan(&config).unwrap();
        assert_all_finite(&plan);
        assert!(plan.stable, "{} should be stable", preset.key);
        assert!(
            plan.target.p99_unreachable.is_none(),
            "{}: p99 target unreachable",
            preset.key
        );
        assert!(!preset.name.is_empty() && !preset.description.is_empty());
    }
    let seeds = plan_of_preset("seeds_100k");
    assert_eq!(
        (seeds.servers_base, seeds.servers_with_headroom, seeds.servers),
        (2, 3, 6)
    );
    let startup = plan_of_preset("startup_users");
    // Reported rates keep 12 significant digits.
    check_rel(
        "startup peak",
        startup.peak_rps,
        2_000_000.0 * 30.0 / 86_400.0 * 3.0,
        1e-11,
    );
    assert_eq!(
        (startup.servers_base, startup.servers_with_headroom, startup.servers),
        (2, 3, 4)
    );
    assert!(Preset::find("nope").is_none());
    assert_eq!(Redundancy::parse("n_plus_2"), Some(Redundancy::NPlus2));
}

// ---------------------------------------------------------------------------------------------
// The simulation.

/// Runs `sim` until `completions` requests have completed, in slices of simulated time.
fn run_until_completed(sim: &mut QueueSim, completions: u64, slice_us: u64) {
    let mut t = sim.now();
    while sim.snapshot().completed < completions {
        t += slice_us;
        sim.step_until(t);
    }
}

#[test]
fn simulated_mmc_agrees_with_the_formulas() {
    // Tolerances: p99, p50 and mean response within 5% (the histogram itself is within 0.4%), wait
    // probability within 0.03 absolute, utilisation within 2%, after a warm-up of 20,000 arrivals
    // and 1,000,000 measured completions. Waits are strongly correlated near saturation: at
    // ρ = 0.8 to 0.9 the p99 of 200,000 completions still varies by about 3% (one standard
    // deviation) from seed to seed, so a million keeps 5% at about four standard deviations.
    // (λ per s, service ms, servers)
    for (lambda, service_ms, servers) in [
        (800.0, 1.0, 1),
        (2_000.0, 1.0, 3),
        (18_000.0, 1.0, 20),
        (100_000.0, 0.02, 6),
        (4_500.0, 200.0, 1_000),
    ] {
        let config = QueueSimConfig::new(lambda, service_ms, servers);
        let mut sim = QueueSim::new(config, 7).unwrap();
        let mu = 1_000.0 / service_ms;
        let queue = MmcQueue::new(lambda, mu, servers).unwrap();
        let warm_up_us = (20_000.0 / lambda * 1e6) as u64;
        sim.step_until(warm_up_us);
        sim.reset_statistics();
        let slice_us = (10_000.0 / lambda * 1e6) as u64;
        run_until_completed(&mut sim, 1_000_000, slice_us);
        let snap = sim.snapshot();
        let case = format!("λ {lambda}/s, S {service_ms} ms, c {servers}");
        let analytic_p99 = queue.response_percentile_s(0.99).unwrap() * 1_000.0;
        check_rel(&format!("{case}: p99"), snap.p99_ms.unwrap(), analytic_p99, 0.05);
        check_rel(
            &format!("{case}: p50"),
            snap.p50_ms.unwrap(),
            queue.response_percentile_s(0.5).unwrap() * 1e3,
            0.05,
        );
        check_rel(
            &format!("{case}: mean response"),
            snap.mean_response_ms,
            queue.mean_response_s() * 1e3,
            0.05,
        );
        check(
            &format!("{case}: P_w"),
            snap.wait_probability,
            queue.wait_probability(),
            0.03,
        );
        check_rel(
            &format!("{case}: utilisation"),
            snap.utilization,
            queue.utilization(),
            0.02,
        );
        assert_eq!(snap.dropped, 0, "{case}");
        assert!(!snap.unstable);
        let binned: u64 = snap.response_histogram.iter().map(|b| b.count).sum::<u64>() + snap.response_overflow;
        assert_eq!(binned, snap.completed, "{case}: histogram holds every completion");
        eprintln!(
            "{case}: simulated p99 {:.5} ms vs {:.5} ms, mean {:.5} vs {:.5}, P_w {:.4} vs {:.4}, ρ {:.4} vs {:.4}",
            snap.p99_ms.unwrap(),
            analytic_p99,
            snap.mean_response_ms,
            queue.mean_response_s() * 1e3,
            snap.wait_probability,
            queue.wait_probability(),
            snap.utilization,
            queue.utilization()
        );
    }
}

#[test]
fn same_seed_same_snapshot_and_slicing_does_not_matter() {
    let config = QueueSimConfig::new(2_000.0, 1.0, 3);
    let run = |seed: u64, slices: &[u64]| {
        let mut sim = QueueSim::new(config, seed).unwrap();
        for &t in slices {
            sim.step_until(t);
        }
        sim.snapshot()
    };
    let whole = run(42, &[2_000_000]);
    let sliced = run(42, &[1, 999, 250_000, 250_001, 1_000_000, 1_999_999, 2_000_000]);
    assert_eq!(whole, sliced);
    assert_eq!(whole, run(42, &[2_000_000]));
    assert_ne!(whole, run(43, &[2_000_000]));
    assert!(whole.completed > 3_000);
    check("time", whole.time_s, 2.0, 1e-12);
    // Budgeted stepping reaches the same state.
    let mut sim = QueueSim::new(config, 42).unwrap();
    let mut frames = 0;
    while !sim.step_until_budget(2_000_000, 500) {
        frames += 1;
    }
    assert!(frames > 5);
    assert_eq!(sim.snapshot(), whole);
}

#[test]
fn overload_is_bounded_and_reported() {
    let config = QueueSimConfig {
        queue_capacity: 1_000,
        ..QueueSimConfig::new(3_000.0, 1.0, 2)
    };
    let mut sim = QueueSim::new(config, 1).unwrap();
    sim.step_until(5_000_000);
    let snap = sim.snapshot();
    assert!(snap.unstable);
    check("offered", snap.offered_utilization, 1.5, 1e-12);
    assert!(snap.queue_length <= 1_000 && snap.max_queue_length == 1_000);
    // About (3,000 − 2,000)/s × 5 s arrive beyond capacity, less the 1,000 that fit in the queue.
    assert!(snap.dropped > 3_000, "dropped {}", snap.dropped);
    check_rel("servers saturated", snap.utilization, 1.0, 0.01);
    assert!(snap.queue_length_series.len() <= 512 && snap.utilization_series.len() <= 512);
    assert!(snap.response_histogram.len() <= 40);
    // Hostile simulation configs are refused.
    for bad in [
        QueueSimConfig::new(f64::NAN, 1.0, 1),
        QueueSimConfig::new(1.0, 0.0, 1),
        QueueSimConfig::new(1.0, 1.0, 0),
        QueueSimConfig::new(1.0, 1.0, MAX_SIM_SLOTS + 1),
        QueueSimConfig::new(-1.0, 1.0, 1),
    ] {
        assert!(QueueSim::new(bad, 1).is_err(), "{bad:?}");
    }
}

#[test]
fn lab_keeps_the_last_good_state_and_restarts_the_sim_only_when_needed() {
    let mut lab = CapacityLab::new(Config::default(), 9).unwrap();
    lab.step_until(100_000);
    assert_eq!(lab.now(), 100_000);
    let before = lab.sim_snapshot().unwrap();
    assert!(before.completed > 1_000);
    assert!(lab.set_param("latency_ms", "NaN").is_err());
    assert!(lab.set_param("servers", "-3").is_err());
    assert_eq!(lab.config(), &Config::default());
    // A price change leaves the simulation running.
    lab.set_param("price_small_per_hour", "0.2").unwrap();
    assert_eq!(lab.sim_snapshot().unwrap(), before);
    // A fleet change restarts it, empty, at the current lab time.
    lab.set_param("servers", "3").unwrap();
    assert_eq!(lab.sim_snapshot().unwrap().completed, 0);
    assert_eq!(lab.plan().fleet, 3);
    lab.step_until(150_000);
    let snap = lab.sim_snapshot().unwrap();
    check("sim time since restart", snap.time_s, 0.05, 1e-12);
    assert_eq!(lab.now(), 150_000);
    // Determinism of the whole lab.
    let replay = |seed| {
        let mut lab = CapacityLab::new(Config::default(), seed).unwrap();
        lab.step_until(50_000);
        lab.sim_snapshot()
    };
    assert_eq!(replay(5), replay(5));
}

#[test]
fn simulated_histogram_matches_the_formula_bin_by_bin() {
    // M/M/1 at 80% (80 req/s, 10 ms service), 1,000 s simulated: about 80,000 requests.
    let mut config = Config::default();
    for (key, raw) in [
        ("rps", "80"),
        ("service_ms", "10"),
        ("concurrency", "1"),
        ("servers", "1"),
    ] {
        config.set_str(key, raw).expect("valid");
    }
    let mut lab = CapacityLab::new(config, 3).expect("valid lab");
    lab.step_until(1_000_000_000);
    let snap = lab.sim_snapshot().expect("a simulation runs");
    let expected = lab.expected_histogram().expect("a stable queue has a formula");
    assert_eq!(expected.len(), snap.response_histogram.len());
    let mut compared = 0;
    for (bin, want) in snap.response_histogram.iter().zip(&expected) {
        if *want > 2_000.0 {
            // Sampling noise of a Poisson count is about sqrt(want); allow 5 sigma plus 5%
            // (successive response times are correlated, which widens the spread).
            let tolerance = 5.0 * want.sqrt() + 0.05 * want;
            check(
                &format!("bin {:.1}-{:.1} ms", bin.lower_ms, bin.upper_ms),
                bin.count as f64,
                *want,
                tolerance,
            );
            compared += 1;
        }
    }
    assert!(compared >= 5, "only {compared} bins were large enough to compare");
    let total: f64 = expected.iter().sum();
    let counted: u64 = snap.response_histogram.iter().map(|b| b.count).sum();
    check_rel("expected mass inside the bins", total, counted as f64, 0.05);
}
