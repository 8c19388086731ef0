//! [`plan`]: from a [`Config`] to the [`Plan`], with every step written out as a [`CalcLine`].

use super::calc_line::CalcLine;
use super::config::Config;
use super::cost::{cheapest, cost_options};
use super::db_load::db_load;
use super::format::{dollars, number as n, tidy};
use super::plan::{Plan, Warning, WarningKind};
use super::queueing_figures::{queueing_figures, QueueingFigures};
use super::redundancy::Redundancy;
use super::sizing::{concurrent_requests, peak_rps_from_users, servers_for_load, with_headroom, SECONDS_PER_DAY};
use super::target::{servers_for_p99, servers_for_utilization, TargetFleet, SERVICE_P99_STRETCH};
use super::usl::{usl_curve, usl_peak_nodes, usl_throughput};
use crate::ConfigError;

/// The USL chart spans at least this many nodes.
const USL_MIN_CHART_NODES: u64 = 64;

/// Works out the whole plan for `config`: traffic, Little's law, sizing with headroom and
/// redundancy, queueing, target fleets, database load, cost and the USL.
///
/// Errors only for an invalid config (any field out of its range, NaN, infinite); a plan that is
/// valid but troubled (utilisation at least 1, a fleet too large to model) comes back `Ok` with
/// the missing figures `None` and a [`Warning`] saying why. Never panics, never NaN or infinity.
pub fn plan(config: &Config) -> Result<Plan, ConfigError> {
    config.validate()?;
    let mut lines = Vec::new();
    let mut warnings = Vec::new();

    // Traffic.
    let traffic_from_users = config.uses_users();
    let peak_rps = if traffic_from_users {
        let dau = config.dau as f64;
        let rate = peak_rps_from_users(dau, config.requests_per_user, config.peak_factor);
        lines.push(CalcLine::new(
            "peak_rps",
            "Peak traffic from daily users",
            "λ = DAU × requests per user / 86,400 s × peak factor",
            format!(
                "{} × {} / {} s × {}",
                n(dau),
                n(config.requests_per_user),
                n(SECONDS_PER_DAY),
                n(config.peak_factor)
            ),
            rate,
            "req/s",
        ));
        rate
    } else {
        lines.push(CalcLine::new(
            "peak_rps",
            "Peak traffic",
            "λ = peak requests per second",
            n(config.rps),
            config.rps,
            "req/s",
        ));
        config.rps
    };
    if !(peak_rps.is_finite() && peak_rps > 0.0) {
        return Err(ConfigError::new("rps", "needs traffic above 0 requests per second"));
    }

    // Little's law and sizing.
    let concurrency = concurrent_requests(peak_rps, config.latency_ms);
    lines.push(CalcLine::new(
        "concurrency",
        "Requests in flight (Little's law)",
        "L = λ × W",
        format!("{} req/s × {} s", n(peak_rps), n(config.latency_ms / 1_000.0)),
        concurrency,
        "requests",
    ));
    let per_server = f64::from(config.concurrency);
    let servers_base = servers_for_load(concurrency, per_server);
    lines.push(CalcLine::new(
        "servers_base",
        "Servers for the load",
        "N_base = ⌈L / C⌉",
        format!("⌈{} / {}⌉", n(concurrency), n(per_server)),
        servers_base as f64,
        "servers",
    ));
    let servers_with_headroom = with_headroom(servers_base, config.headroom_pct);
    lines.push(CalcLine::new(
        "servers_with_headroom",
        "With headroom",
        "N = ⌈N_base × (1 + headroom / 100)⌉",
        format!("⌈{} × (1 + {} / 100)⌉", servers_base, n(config.headroom_pct)),
        servers_with_headroom as f64,
        "servers",
    ));
    let servers = config.redundancy.apply(servers_with_headroom);
    lines.push(CalcLine::new(
        "servers",
        "With redundancy",
        format!("N_total = {}", config.redundancy.formula()),
        config
            .redundancy
            .formula()
            .replace('N', &servers_with_headroom.to_string()),
        servers as f64,
        "servers",
    ));
    if config.redundancy == Redundancy::None {
        warnings.push(Warning {
            kind: WarningKind::NoRedundancy,
            message: "no redundancy: losing one server leaves the fleet short of its headroom".to_string(),
        });
    }

    // Queueing.
    let fleet = config.servers_override().map_or(servers, u64::from);
    if fleet < servers {
        warnings.push(Warning {
            kind: WarningKind::FleetBelowPlan,
            message: format!(
                "running {fleet} {}, fewer than the plan's {servers}",
                if fleet == 1 { "server" } else { "servers" }
            ),
        });
    }
    let QueueingFigures {
        service_ms,
        service_derived,
        slots,
        server_throughput_rps,
        offered_load,
        utilization,
        queue,
        queueing_error,
        wait_probability,
        mean_wait_ms,
        mean_response_ms,
        p50_ms,
        p99_ms,
        latency_curve,
        knee,
    } = queueing_figures(config, peak_rps, fleet, &mut lines, &mut warnings);

    // Target mode.
    let target_p99_ms = (config.target_p99_ms > 0.0).then_some(config.target_p99_ms);
    let (servers_for_p99, p99_unreachable) = match target_p99_ms {
        Some(ms) => match servers_for_p99(peak_rps, 1_000.0 / service_ms, config.concurrency, ms / 1_000.0) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e)),
        },
        None => (None, None),
    };
    let target = TargetFleet {
        target_utilization: config.target_utilization,
        servers_for_utilization: servers_for_utilization(offered_load / per_server, config.target_utilization),
        target_p99_ms,
        servers_for_p99,
        p99_unreachable,
        p99_floor_ms: SERVICE_P99_STRETCH * service_ms,
    };

    // Reads, writes and the database.
    let db = db_load(
        peak_rps,
        config.read_ratio,
        config.hit_ratio,
        config.replica_read_capacity,
    );
    lines.push(CalcLine::new(
        "db_reads_per_s",
        "Reads reaching the database",
        "R_db = λ × r × (1 − h)",
        format!(
            "{} × {} × (1 − {})",
            n(peak_rps),
            n(config.read_ratio),
            n(config.hit_ratio)
        ),
        db.db_reads_per_s,
        "reads/s",
    ));
    lines.push(CalcLine::new(
        "db_writes_per_s",
        "Writes reaching the database",
        "W_db = λ × (1 − r)",
        format!("{} × (1 − {})", n(peak_rps), n(config.read_ratio)),
        db.db_writes_per_s,
        "writes/s",
    ));
    lines.push(CalcLine::new(
        "read_replicas",
        "Read replicas",
        "⌈R_db / reads per replica⌉",
        format!("⌈{} / {}⌉", n(db.db_reads_per_s), n(config.replica_read_capacity)),
        db.read_replicas as f64,
        "replicas",
    ));

    // Cost.
    let prices = [
        config.price_small_per_hour,
        config.price_medium_per_hour,
        config.price_large_per_hour,
    ];
    let options = cost_options(concurrency, per_server, config.headroom_pct, config.redundancy, prices);
    let cheapest_option = cheapest(&options).unwrap_or(0);
    let cost_per_hour = fleet as f64 * config.price_small_per_hour;
    lines.push(CalcLine::new(
        "cost_per_hour",
        "Hourly cost of the fleet",
        "cost = servers running × price of a 4 CPU server",
        format!("{fleet} × {}/h", dollars(config.price_small_per_hour)),
        cost_per_hour,
        "$/h",
    ));

    // Universal Scalability Law.
    let usl_peak_n = usl_peak_nodes(config.sigma, config.kappa);
    if let Some(peak) = usl_peak_n {
        lines.push(CalcLine::new(
            "usl_peak_n",
            "Most useful number of nodes (USL)",
            "N* = √((1 − σ) / κ)",
            format!("√((1 − {}) / {})", n(config.sigma), n(config.kappa)),
            peak,
            "nodes",
        ));
        if fleet as f64 > peak {
            warnings.push(Warning {
                kind: WarningKind::BeyondUslPeak,
                message: format!(
                    "{fleet} {} past the USL peak of {} nodes: adding nodes now lowers throughput",
                    if fleet == 1 { "node is" } else { "nodes is" },
                    n(peak)
                ),
            });
        }
    }
    let chart_nodes = usl_peak_n
        .map_or(0, |peak| libm::ceil(2.0 * peak) as u64)
        .max(fleet)
        .max(USL_MIN_CHART_NODES);

    Ok(Plan {
        peak_rps: tidy(peak_rps),
        traffic_from_users,
        concurrency: tidy(concurrency),
        servers_base,
        servers_with_headroom,
        servers,
        fleet,
        service_ms,
        service_derived,
        slots,
        server_throughput_rps,
        offered_load,
        utilization,
        stable: queue.is_some(),
        wait_probability,
        mean_wait_ms,
        mean_response_ms,
        p50_ms,
        p99_ms,
        queueing_error,
        latency_curve,
        knee,
        target,
        reads_per_s: tidy(db.reads_per_s),
        cache_hits_per_s: tidy(db.cache_hits_per_s),
        db_reads_per_s: tidy(db.db_reads_per_s),
        db_writes_per_s: tidy(db.db_writes_per_s),
        read_replicas: db.read_replicas,
        cost_per_hour: tidy(cost_per_hour),
        cost_options: options,
        cheapest_option,
        usl_peak_n,
        usl_peak_throughput: usl_peak_n.map(|peak| usl_throughput(peak, config.sigma, config.kappa)),
        usl_throughput_at_fleet: usl_throughput(fleet as f64, config.sigma, config.kappa),
        usl_curve: usl_curve(config.sigma, config.kappa, chart_nodes),
        lines,
        warnings,
    })
}
