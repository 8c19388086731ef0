//! The plan: every figure the capacity page shows, as plain data.

use serde::Serialize;

use super::calc_line::CalcLine;
use super::cost::CostOption;
use super::curve::CurvePoint;
use super::queue_error::QueueError;
use super::target::TargetFleet;
use super::usl::UslPoint;

/// Everything the capacity calculator works out for one [`Config`](super::Config). Field names
/// match the page's metrics (`metric-<name>`). Every number is finite; a figure that does not
/// exist for these inputs (e.g. waits when utilisation is at least 1) is `None`, and
/// [`Plan::warnings`] says why. Rates, counts of requests and costs are rounded to 12 significant
/// digits ([`tidy`](super::format::tidy)) so floating-point noise never shows
/// (`1000 × (1 − 0.99)` is reported as 10, not 10.000000000000009).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Peak arrival rate `λ`, requests per second (from `rps`, or from daily users when `dau > 0`).
    pub peak_rps: f64,
    /// Whether `peak_rps` was derived from daily active users.
    pub traffic_from_users: bool,
    /// Requests in flight at peak by Little's law, `L = λ × W` (W = `latency_ms`).
    pub concurrency: f64,
    /// Servers for the load alone, `⌈L / concurrency per server⌉`.
    pub servers_base: u64,
    /// Servers with headroom, `⌈servers_base × (1 + headroom / 100)⌉`.
    pub servers_with_headroom: u64,
    /// Servers with headroom and redundancy: the plan's fleet.
    pub servers: u64,
    /// Servers the queueing model runs, `c`: the `servers` parameter when set, else [`Plan::servers`].
    pub fleet: u64,
    /// Mean time `S` one request holds one slot in the queueing model (exponentially
    /// distributed), ms: `service_ms`, or `latency_ms` when that is 0.
    pub service_ms: f64,
    /// Whether `service_ms` is the latency per request (the `service_ms` parameter is 0).
    pub service_derived: bool,
    /// Request slots the queueing model runs, `c = fleet × concurrency`: each holds one request
    /// at a time.
    pub slots: u64,
    /// Requests per second one server completes when all its slots are busy,
    /// `concurrency × 1000 / S`.
    pub server_throughput_rps: f64,
    /// Offered load `A = λ × S`, in erlangs: the average number of busy slots (Little's law for
    /// the slots; equal to [`Plan::concurrency`] when `S` is the latency).
    pub offered_load: f64,
    /// Utilisation `ρ = A / c`, a fraction; at least 1 means unstable.
    pub utilization: f64,
    /// Whether the queue has a steady state (`ρ < 1` and the fleet is within the model's range).
    pub stable: bool,
    /// Erlang C probability that a request waits, `P_w`.
    pub wait_probability: Option<f64>,
    /// Mean wait in the queue, `Wq = P_w / (cμ − λ)`, ms.
    pub mean_wait_ms: Option<f64>,
    /// Mean response time (wait plus service), `Wq + S`, ms.
    pub mean_response_ms: Option<f64>,
    /// Median response time (wait plus service), ms.
    pub p50_ms: Option<f64>,
    /// 99th-percentile response time (wait plus service), ms.
    pub p99_ms: Option<f64>,
    /// Why the queueing figures are missing, when they are.
    pub queueing_error: Option<QueueError>,
    /// Mean and p99 response over service time against utilisation `0..0.99`, for `c = slots`.
    pub latency_curve: Vec<CurvePoint>,
    /// The knee of that curve (where response time over utilisation is smallest; see
    /// [`knee`](super::knee)).
    pub knee: Option<CurvePoint>,
    /// Target mode: the smallest fleets meeting the utilisation and p99 targets.
    pub target: TargetFleet,
    /// Reads per second arriving, `λ × read_ratio`.
    pub reads_per_s: f64,
    /// Reads per second the cache answers.
    pub cache_hits_per_s: f64,
    /// Reads per second reaching the database, `λ × read_ratio × (1 − hit_ratio)`.
    pub db_reads_per_s: f64,
    /// Writes per second reaching the database, `λ × (1 − read_ratio)`.
    pub db_writes_per_s: f64,
    /// Read replicas for the database reads, `⌈db_reads_per_s / replica_read_capacity⌉`.
    pub read_replicas: u64,
    /// Hourly cost of the fleet the queueing model runs (`fleet`) on the small size, dollars:
    /// `fleet × price_small_per_hour`.
    pub cost_per_hour: f64,
    /// The same load sized on each server size (small, medium, large), with each fleet's cost.
    pub cost_options: Vec<CostOption>,
    /// Index into [`Plan::cost_options`] of the cheapest size.
    pub cheapest_option: usize,
    /// USL peak `N* = √((1 − σ)/κ)`, nodes; `None` when `κ = 0` (no peak).
    pub usl_peak_n: Option<f64>,
    /// USL throughput at the peak, relative to one node.
    pub usl_peak_throughput: Option<f64>,
    /// USL throughput of `fleet` nodes, relative to one node.
    pub usl_throughput_at_fleet: f64,
    /// USL throughput against nodes, for a chart.
    pub usl_curve: Vec<UslPoint>,
    /// The worked calculation, step by step.
    pub lines: Vec<CalcLine>,
    /// Things the learner should notice (unstable queue, past the knee, ...).
    pub warnings: Vec<Warning>,
}

impl Plan {
    /// The worked line with `key`, if present.
    pub fn line(&self, key: &str) -> Option<&CalcLine> {
        self.lines.iter().find(|l| l.key == key)
    }

    /// Whether a warning of `kind` is present.
    pub fn has_warning(&self, kind: WarningKind) -> bool {
        self.warnings.iter().any(|w| w.kind == kind)
    }
}

/// What a warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Utilisation is at least 1: arrivals outpace service.
    Unstable,
    /// The fleet is too large for the queueing model.
    QueueingUnavailable,
    /// Utilisation is past the knee of the latency curve.
    PastKnee,
    /// The `servers` parameter runs fewer servers than the plan.
    FleetBelowPlan,
    /// No redundancy: one failure leaves the fleet short.
    NoRedundancy,
    /// The fleet is past the USL peak: adding nodes lowers throughput.
    BeyondUslPeak,
}

/// A note for the learner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// A sentence for the learner.
    pub message: String,
}
