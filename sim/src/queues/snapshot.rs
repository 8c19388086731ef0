//! The plain data the UI renders for the queues lab. Everything is already computed; the UI only
//! draws and formats it. Times are simulated seconds, latencies milliseconds, rates per simulated
//! second. Counters count from the start or the last
//! [`QueuesLab::reset_stats`](super::QueuesLab::reset_stats); states (backlog, lag, consumers,
//! the dead-letter queue) are as of now; rates are over the last second; the charts, the event log
//! and the key's order carry on.
//!
//! [`Snapshot::metric`] reads the metric cards by name ([`METRICS`]).

use serde::Serialize;

use super::broker::DeadReason;
use super::choices::{Backoff, Delivery, OnFull, Processing, Shape};
use super::theory::Theory;

/// The metric cards the issue names (`metric-<name>` on the page), in its order; every one is
/// read with [`Snapshot::metric`].
pub const METRICS: [&str; 12] = [
    "response-p99-ms",
    "completion-p99-ms",
    "backlog",
    "lag-s",
    "throughput",
    "idle-consumers",
    "duplicates",
    "dlq",
    "redeliveries",
    "out-of-order",
    "stale-reads",
    "refused",
];

/// Everything the queues page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// Simulated time now, in seconds.
    pub now_s: f64,
    /// Simulated seconds the counters cover.
    pub measured_s: f64,
    /// Where the slow work runs.
    pub delivery: Delivery,
    /// The traffic shape.
    pub shape: Shape,
    /// The slow work's distribution.
    pub processing: Processing,
    /// The retry backoff.
    pub backoff: Backoff,
    /// What a full backlog does to producers.
    pub on_full: OnFull,
    /// Whether consumers are idempotent.
    pub idempotent: bool,
    /// Partitions.
    pub partitions: u32,
    /// Consumer groups (1: a work queue; more: a topic).
    pub groups: u32,
    /// Consumers per group.
    pub consumers_per_group: u32,
    /// Messages a consumer processes at once.
    pub concurrency: u32,
    /// Whether every consumer is stopped (by hand).
    pub stopped: bool,
    /// When a burst by hand ends (s), while one runs.
    pub burst_until_s: Option<f64>,
    /// The producers' rate now (req/s, the shape and any burst included).
    pub rate_now: f64,

    /// 99th percentile of what the user waits (ms): the request path. `None` before any answer.
    pub response_p99_ms: Option<f64>,
    /// Median response (ms).
    pub response_p50_ms: Option<f64>,
    /// 99th percentile from request to work done (ms): end to end. `None` before any.
    pub completion_p99_ms: Option<f64>,
    /// Median request to work done (ms).
    pub completion_p50_ms: Option<f64>,
    /// Mean request to work done (ms).
    pub completion_mean_ms: Option<f64>,
    /// Mean time a message waited for its first delivery (ms); `None` before any.
    pub wait_mean_ms: Option<f64>,
    /// 99th percentile of that wait (ms).
    pub wait_p99_ms: Option<f64>,

    /// Messages waiting now, over every group: visible ones plus those waiting out a backoff
    /// (not those in flight).
    pub backlog: u64,
    /// Deliveries being processed now.
    pub in_flight: u64,
    /// Messages waiting out a backoff now.
    pub delayed: u64,
    /// Age of the oldest visible waiting message (s), 0 when none waits.
    pub lag_s: f64,
    /// Time-average backlog since reset (Little's law: arrival rate × mean wait).
    pub mean_backlog: f64,
    /// Little's law's side of it: messages published per second since reset × the mean wait for a
    /// first delivery (`None` before any delivery). Equal to `mean_backlog` in a steady state
    /// without retries.
    pub littles_law_backlog: Option<f64>,
    /// Most messages waiting at once since reset.
    pub peak_backlog: u64,
    /// Producers blocked now, waiting for room (`block`).
    pub blocked_now: u64,

    /// Work done per second over the last second (sync: requests answered).
    pub throughput: f64,
    /// Requests per second over the last second.
    pub arrival_per_s: f64,
    /// Messages published per second over the last second.
    pub publish_per_s: f64,
    /// Deliveries per second over the last second, redeliveries included.
    pub delivery_per_s: f64,

    /// Consumers that have no partition (beyond the partitions), over every group.
    pub idle_consumers: u32,
    /// Consumers with at least one partition, over every group.
    pub useful_consumers: u32,

    /// Requests since reset.
    pub requests: u64,
    /// Requests answered successfully (`sync`: their slow work done; `async`: their message
    /// accepted, blocked ones once they got in).
    pub responded: u64,
    /// Messages published.
    pub published: u64,
    /// Of those, poison messages.
    pub poison_published: u64,
    /// Messages whose work was done, once per group (a message dead-lettered after a timeout
    /// whose slow delivery then succeeds counts here too).
    pub completed: u64,
    /// Deliveries (sync: attempts of the slow work inline).
    pub deliveries: u64,
    /// Deliveries after a message's first (failures, timeouts, crashes; sync: retries inline).
    pub redeliveries: u64,
    /// Work done again for a message already done: repeated effects (0 with idempotent consumers).
    pub duplicates: u64,
    /// Repeated messages idempotent consumers recognised and skipped.
    pub duplicates_absorbed: u64,
    /// Deliveries that failed.
    pub failures: u64,
    /// Deliveries not acknowledged within the visibility timeout.
    pub timeouts: u64,
    /// Deliveries lost in consumer crashes.
    pub lost_in_crash: u64,
    /// Messages in the dead-letter queue now (at most [`DLQ_KEPT`](super::DLQ_KEPT); older ones
    /// expire).
    pub dlq: u64,
    /// Messages moved to the dead-letter queue since reset.
    pub dead_lettered: u64,
    /// Messages done after a later message of the same key (unkeyed: of the whole stream).
    pub out_of_order: u64,
    /// Publishes refused (backlog full, or blocked past the timeout).
    pub refused: u64,
    /// Requests that had to wait for room.
    pub blocked: u64,
    /// Sync requests whose slow work failed every attempt.
    pub failed_requests: u64,
    /// Reads of the read model.
    pub reads: u64,
    /// Reads that missed a write not yet applied to the read model.
    pub stale_reads: u64,
    /// `stale_reads / reads` (0 before any read).
    pub stale_read_ratio: f64,
    /// Longest time since the latest write seen by a stale read (ms): the stale-read window,
    /// which approaches the projection lag.
    pub stale_window_ms: f64,
    /// The read model's lag (ms).
    pub projection_lag_ms: f64,
    /// What Poisson writes predict for the stale share: `1 − e^(−rate × lag)` (steady rate).
    pub expected_stale_ratio: f64,

    /// Each group: its totals and its consumers.
    pub group_views: Vec<GroupView>,
    /// Each partition with one lane per group.
    pub partition_views: Vec<PartitionView>,
    /// Queueing theory for group 0 at the configured rate.
    pub theory: Theory,
    /// Group 0's latest completions of the tracked key (key 0; unkeyed: every message), oldest
    /// first (at most [`KEY_ORDER_KEPT`](super::KEY_ORDER_KEPT)).
    pub key_order: Vec<KeyCompletion>,
    /// The latest messages moved to the dead-letter queue, oldest first (at most 16).
    pub dlq_recent: Vec<DeadLetterView>,
    /// The latest message movements, oldest first (at most [`FLOWS_KEPT`](super::FLOWS_KEPT)).
    pub flows: Vec<Flow>,
    /// The latest lab events, oldest first (at most [`EVENTS_KEPT`](super::EVENTS_KEPT)).
    pub events: Vec<LabEvent>,

    /// Messages waiting over time (a point every 500 ms, at most 512 points).
    pub backlog_series: Vec<(f64, f64)>,
    /// Age of the oldest waiting message over time (s).
    pub lag_series: Vec<(f64, f64)>,
    /// Requests per second over time.
    pub arrival_series: Vec<(f64, f64)>,
    /// Work done per second over time.
    pub service_series: Vec<(f64, f64)>,
    /// p99 response (ms) per 500 ms interval (no point for an interval without answers).
    pub response_p99_series: Vec<(f64, f64)>,
    /// p99 request to work done (ms) per 500 ms interval.
    pub completion_p99_series: Vec<(f64, f64)>,
    /// Deliveries in flight over time.
    pub in_flight_series: Vec<(f64, f64)>,
    /// Dead-letter queue size over time.
    pub dlq_series: Vec<(f64, f64)>,
}

impl Snapshot {
    /// The value of a metric card the issue names (see [`METRICS`]); `None` for another name. A
    /// latency before any sample is 0.
    pub fn metric(&self, name: &str) -> Option<f64> {
        Some(match name {
            "response-p99-ms" => self.response_p99_ms.unwrap_or(0.0),
            "completion-p99-ms" => self.completion_p99_ms.unwrap_or(0.0),
            "backlog" => self.backlog as f64,
            "lag-s" => self.lag_s,
            "throughput" => self.throughput,
            "idle-consumers" => f64::from(self.idle_consumers),
            "duplicates" => self.duplicates as f64,
            "dlq" => self.dlq as f64,
            "redeliveries" => self.redeliveries as f64,
            "out-of-order" => self.out_of_order as f64,
            "stale-reads" => self.stale_reads as f64,
            "refused" => self.refused as f64,
            _ => return None,
        })
    }
}

/// One consumer group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupView {
    /// The group's index.
    pub group: u32,
    /// Messages waiting for it (visible and in backoff).
    pub backlog: u64,
    /// Its deliveries in flight.
    pub in_flight: u64,
    /// Its messages waiting out a backoff.
    pub delayed: u64,
    /// Age of its oldest visible waiting message (s).
    pub lag_s: f64,
    /// Messages it has done since reset.
    pub completed: u64,
    /// While it rebalances: when the pause ends (s).
    pub rebalancing_until_s: Option<f64>,
    /// Its consumers without a partition.
    pub idle_consumers: u32,
    /// Its consumers (the active ones, then any still finishing work after removal).
    pub consumers: Vec<ConsumerView>,
}

/// What a consumer is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerState {
    /// Processing at least one message.
    Busy,
    /// Has partitions, nothing to process.
    Waiting,
    /// No partition assigned (more consumers than partitions).
    Idle,
    /// Crashed; restarts by itself.
    Crashed,
    /// Stopped by hand.
    Stopped,
    /// Its group is rebalancing.
    Rebalancing,
    /// Removed from the group, finishing its last messages.
    Leaving,
}

/// One consumer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsumerView {
    /// Its index in the group.
    pub index: u32,
    /// What it is doing.
    pub state: ConsumerState,
    /// Messages it is processing.
    pub busy: u32,
    /// Its concurrency.
    pub concurrency: u32,
    /// The partitions assigned to it.
    pub partitions: Vec<u32>,
    /// Deliveries it finished since reset (successes and failures).
    pub processed: u64,
    /// Of those, failed.
    pub failed: u64,
    /// When a crashed consumer restarts (s).
    pub restarts_at_s: Option<f64>,
}

/// One partition, as a lane per group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartitionView {
    /// The partition.
    pub partition: u32,
    /// Messages published to it since the start (its log's end offset).
    pub end_offset: u64,
    /// Messages its log keeps (not yet taken by every group): 8 bytes each.
    pub kept: u64,
    /// One lane per group, in group order.
    pub lanes: Vec<LaneView>,
}

/// A partition as one group sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LaneView {
    /// Messages waiting (visible and in backoff).
    pub backlog: u64,
    /// Age of the oldest visible waiting message (s).
    pub lag_s: f64,
    /// Deliveries being processed.
    pub in_flight: u64,
    /// The consumer it is assigned to.
    pub owner: Option<u32>,
}

/// One completion of the tracked key.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct KeyCompletion {
    /// Its place in the key's publish order (1-based), if still known.
    pub n: Option<u64>,
    /// When it was published (s).
    pub published_s: f64,
    /// When its work was done (s).
    pub done_s: f64,
    /// Deliveries it took.
    pub receives: u32,
    /// The partition it went to.
    pub partition: u32,
    /// Whether a later message of the key was done before it.
    pub out_of_order: bool,
}

/// A message in the dead-letter queue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DeadLetterView {
    /// The group whose queue it left.
    pub group: u32,
    /// Its partition and offset.
    pub partition: u32,
    /// Offset in the partition.
    pub offset: u64,
    /// Its key.
    pub key: u32,
    /// Whether it is a poison message.
    pub poison: bool,
    /// Deliveries it had.
    pub receives: u32,
    /// Why it went there.
    pub reason: DeadReason,
    /// When (s).
    pub at_s: f64,
}

/// A message moving through the system (for animation).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Flow {
    /// When (s).
    pub at_s: f64,
    /// The group (0 for publishes).
    pub group: u32,
    /// The partition.
    pub partition: u32,
    /// The consumer (for deliveries and their outcomes).
    pub consumer: Option<u32>,
    /// What happened.
    pub kind: FlowKind,
}

/// The kinds of [`Flow`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// Published to the partition.
    Published,
    /// Delivered to a consumer (a redelivery if `receives` > 1 in the log).
    Delivered,
    /// Processed and acknowledged.
    Done,
    /// Processed again: a duplicate effect (or skipped, if idempotent).
    Duplicate,
    /// Processing failed.
    Failed,
    /// Moved to the dead-letter queue.
    DeadLettered,
}

/// Something that happened, for the event log.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LabEvent {
    /// When (s).
    pub at_s: f64,
    /// What.
    pub kind: LabEventKind,
}

/// The kinds of [`LabEvent`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum LabEventKind {
    /// A consumer crashed, losing the deliveries it was processing.
    Crashed {
        /// Its group.
        group: u32,
        /// Its index.
        consumer: u32,
        /// Deliveries lost (delivered again after their visibility timeout).
        lost: u32,
    },
    /// A crashed consumer came back.
    Restarted {
        /// Its group.
        group: u32,
        /// Its index.
        consumer: u32,
    },
    /// Every consumer stopped taking messages (by hand).
    Stopped,
    /// Consumers started again.
    Started,
    /// The groups rebalance to `consumers` consumers each, pausing for `pause_s`.
    Rebalancing {
        /// Consumers per group after it.
        consumers: u32,
        /// The pause (s).
        pause_s: f64,
    },
    /// A rebalance finished.
    Rebalanced,
    /// A burst of `factor` times the traffic for `secs` (by hand).
    Burst {
        /// The factor.
        factor: f64,
        /// For how long (s).
        secs: f64,
    },
    /// Poison messages published by hand.
    Poison {
        /// How many.
        count: u32,
    },
    /// Messages moved to the dead-letter queue in the last chart interval.
    DeadLettered {
        /// How many.
        count: u64,
    },
    /// The dead-letter queue was redriven: its messages go back to their partitions.
    Redriven {
        /// How many.
        count: u64,
    },
    /// The backlog reached `max_backlog`: producers are refused or blocked.
    BacklogFull,
    /// The counters restarted.
    StatsReset,
}
