//! The queueing half of the plan: service time, utilisation, Erlang C waits, percentiles, the
//! latency curve and its knee, with their worked lines and warnings.

use super::calc_line::CalcLine;
use super::config::Config;
use super::curve::{knee, latency_curve, CurvePoint};
use super::format::number as n;
use super::mm1::mm1_response_percentile_s;
use super::mmc::MmcQueue;
use super::plan::{Warning, WarningKind};
use super::queue_error::QueueError;
use super::specs::{MAX_QUEUE_SERVERS, MAX_QUEUE_SLOTS};

/// The queueing figures of a plan (see [`Plan`](super::Plan) for each field's meaning).
pub(super) struct QueueingFigures {
    pub service_ms: f64,
    pub service_derived: bool,
    pub slots: u64,
    pub server_throughput_rps: f64,
    pub offered_load: f64,
    pub utilization: f64,
    pub queue: Option<MmcQueue>,
    pub queueing_error: Option<QueueError>,
    pub wait_probability: Option<f64>,
    pub mean_wait_ms: Option<f64>,
    pub mean_response_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub latency_curve: Vec<CurvePoint>,
    pub knee: Option<CurvePoint>,
}

/// The `p`-quantile of the response time in ms: the M/M/1 closed form for one slot, the
/// inverted M/M/c distribution otherwise.
fn percentile_ms(queue: &MmcQueue, p: f64) -> Option<f64> {
    let seconds = if queue.servers() == 1 {
        mm1_response_percentile_s(p, queue.arrival_rate(), queue.service_rate())
    } else {
        queue.response_percentile_s(p)
    };
    seconds.map(|s| s * 1_000.0)
}

/// Works out the queueing figures for `fleet` servers of `config.concurrency` slots each at
/// `peak_rps`, appending worked lines and warnings.
pub(super) fn queueing_figures(
    config: &Config,
    peak_rps: f64,
    fleet: u64,
    lines: &mut Vec<CalcLine>,
    warnings: &mut Vec<Warning>,
) -> QueueingFigures {
    let per_server = config.concurrency;
    let (service_ms, service_derived) = match config.service_ms_override() {
        Some(ms) => {
            lines.push(CalcLine::new(
                "service_ms",
                "Time one request holds a slot",
                "S = service time (set)",
                format!("{} ms", n(ms)),
                ms,
                "ms",
            ));
            (ms, false)
        }
        None => {
            let ms = config.latency_ms;
            lines.push(CalcLine::new(
                "service_ms",
                "Time one request holds a slot",
                "S = W, the latency per request",
                format!("{} ms", n(ms)),
                ms,
                "ms",
            ));
            (ms, true)
        }
    };
    let slots = fleet.saturating_mul(u64::from(per_server));
    lines.push(CalcLine::new(
        "slots",
        "Request slots in the fleet",
        "c = servers × concurrent requests per server",
        format!("{fleet} × {}", n(f64::from(per_server))),
        slots as f64,
        "slots",
    ));
    let mu = 1_000.0 / service_ms;
    let server_throughput = mu * f64::from(per_server);
    lines.push(CalcLine::new(
        "server_throughput_rps",
        "Requests one full server completes",
        "concurrent requests per server / S",
        format!("{} / {} s", n(f64::from(per_server)), n(service_ms / 1_000.0)),
        server_throughput,
        "req/s",
    ));
    let offered_load = peak_rps / mu;
    lines.push(CalcLine::new(
        "offered_load",
        "Offered load (busy slots on average)",
        "A = λ × S",
        format!("{} req/s × {} s", n(peak_rps), n(service_ms / 1_000.0)),
        offered_load,
        "erlangs",
    ));
    let utilization = if slots > 0 { offered_load / slots as f64 } else { 0.0 };
    lines.push(CalcLine::new(
        "utilization",
        "Utilisation",
        "ρ = A / c",
        format!("{} / {}", n(offered_load), n(slots as f64)),
        utilization,
        "",
    ));

    let modelled = u32::try_from(slots)
        .ok()
        .filter(|&c| (1..=MAX_QUEUE_SLOTS).contains(&c) && fleet <= u64::from(MAX_QUEUE_SERVERS));
    let queue = match modelled {
        Some(c) => MmcQueue::new(peak_rps, mu, c),
        None if fleet == 0 => Err(QueueError::NoServers),
        None => Err(QueueError::TooManyServers { servers: fleet, slots }),
    };
    let (curve, knee_point) = match modelled {
        Some(c) => (latency_curve(c), knee(c)),
        None => (Vec::new(), None),
    };
    let mut figures = QueueingFigures {
        service_ms,
        service_derived,
        slots,
        server_throughput_rps: server_throughput,
        offered_load,
        utilization,
        queue: None,
        queueing_error: None,
        wait_probability: None,
        mean_wait_ms: None,
        mean_response_ms: None,
        p50_ms: None,
        p99_ms: None,
        latency_curve: curve,
        knee: knee_point,
    };
    let queue = match queue {
        Ok(queue) => queue,
        Err(error) => {
            let kind = match error {
                QueueError::Unstable { .. } => WarningKind::Unstable,
                _ => WarningKind::QueueingUnavailable,
            };
            warnings.push(Warning {
                kind,
                message: error.message(),
            });
            figures.queueing_error = Some(error);
            return figures;
        }
    };

    let wait_probability = queue.wait_probability();
    lines.push(CalcLine::new(
        "wait_probability",
        "Chance a request waits (Erlang C)",
        "P_w = C(c, A)",
        format!("C({}, {})", n(slots as f64), n(offered_load)),
        wait_probability,
        "",
    ));
    let mean_wait_ms = queue.mean_wait_s() * 1_000.0;
    lines.push(CalcLine::new(
        "mean_wait_ms",
        "Mean wait in the queue",
        "Wq = P_w / (c × μ − λ)",
        format!(
            "{} / ({} × {}/s − {}/s)",
            n(wait_probability),
            n(slots as f64),
            n(mu),
            n(peak_rps)
        ),
        mean_wait_ms,
        "ms",
    ));
    let mean_response_ms = mean_wait_ms + service_ms;
    lines.push(CalcLine::new(
        "mean_response_ms",
        "Mean response time",
        "R = Wq + S",
        format!("{} ms + {} ms", n(mean_wait_ms), n(service_ms)),
        mean_response_ms,
        "ms",
    ));
    let p99_ms = percentile_ms(&queue, 0.99);
    if let Some(p99) = p99_ms {
        let (formula, substituted) = if slots == 1 {
            (
                "p99 = −ln(1 − 0.99) / (μ − λ)".to_string(),
                format!("{} / ({}/s − {}/s)", n(libm::log(100.0)), n(mu), n(peak_rps)),
            )
        } else {
            (
                "p99 = t with P(Wq + S > t) = 1%".to_string(),
                format!("c = {}, λ = {}/s, μ = {}/s", n(slots as f64), n(peak_rps), n(mu)),
            )
        };
        lines.push(CalcLine::new(
            "p99_ms",
            "99th-percentile response time",
            formula,
            substituted,
            p99,
            "ms",
        ));
    }
    if let Some(k) = figures.knee.filter(|k| utilization > k.utilization) {
        warnings.push(Warning {
            kind: WarningKind::PastKnee,
            message: format!(
                "utilisation {:.0}% is past the knee ({:.0}% for {} request {}): response time now climbs \
                 steeply with load",
                utilization * 100.0,
                k.utilization * 100.0,
                n(slots as f64),
                if slots == 1 { "slot" } else { "slots" }
            ),
        });
    }
    figures.wait_probability = Some(wait_probability);
    figures.mean_wait_ms = Some(mean_wait_ms);
    figures.mean_response_ms = Some(mean_response_ms);
    figures.p50_ms = percentile_ms(&queue, 0.5);
    figures.p99_ms = p99_ms;
    figures.queue = Some(queue);
    figures
}
