//! The autoscaling lab's parameters (the URL keys are the field names, plus `seed`), with
//! validation of every write, and what follows from them: the HPA's behaviour, the effective
//! replica bounds, the capacity an instance is planned for.

use serde::{Deserialize, Serialize};

use super::choices::{Autoscaler, ScaleMetric, SelectPolicy, Traffic};
use super::hpa::{Behavior, Policy, PolicyKind, Rules};
use super::specs::SPECS;
use crate::params::{checked_count, checked_number, parse_choice, validate_numbers, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// The utilisation the scheduled and predictive scalers plan for when the metric has no
/// utilisation of its own (`queue`, `p99`): 70%, the seeds' CPU trigger.
pub const PLAN_UTILIZATION: f64 = 0.7;

/// Parameters of the autoscaling lab. See the module docs for the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Who scales: `hpa`, `step`, `scheduled`, `predictive`, `fixed` or `serverless`. Default
    /// `hpa`.
    pub autoscaler: Autoscaler,
    /// Traffic shape: `steady`, `ramp`, `spike`, `daily` or `step`. Default `daily`.
    pub traffic: Traffic,
    /// Requests per second outside the peak (0..=1,000,000). Default 200.
    pub base_rps: f64,
    /// Requests per second at the peak (0..=1,000,000). Default 1,000.
    pub peak_rps: f64,
    /// When the spike, ramp or step starts, simulated seconds (0..=604,800, whole). Default 600.
    pub spike_at_s: u32,
    /// How long the spike lasts / the ramp climbs, seconds (1..=86,400, whole). Default 300.
    pub spike_s: u32,
    /// Requests per second one instance serves when full (1..=100,000); an instance serves one
    /// request at a time, each taking `1 / instance_rps` s on average. Default 100.
    pub instance_rps: f64,
    /// Share of a request's service time spent on the CPU, percent (1..=100); the rest the
    /// instance waits on I/O (a database, another service), so a full instance shows this much
    /// CPU. Default 100 (CPU-bound: a full instance is at 100% CPU). (Not in the list of
    /// keys; it makes the case of scaling on CPU when the real limit is a queue.)
    pub cpu_share: f64,
    /// Boot plus warm-up of a new instance, seconds (0..=3,600, whole); serverless: the cold
    /// start. Default 60.
    pub startup_s: u32,
    /// The target, in the metric's unit (0.01..=1,000,000): percent CPU, requests/s per
    /// instance, requests waiting per instance, or p99 ms. Default 70 (% CPU).
    pub target: f64,
    /// What the formula scales on: `cpu`, `rps`, `queue` or `p99`. Default `cpu`.
    pub metric: ScaleMetric,
    /// HPA tolerance: no change while `metric / target` is within `1 ± tolerance` (0..=1).
    /// Default 0.1.
    pub tolerance: f64,
    /// Fewest instances (0..=1,000, whole; at least 1 counts for the servers' autoscalers; the
    /// fixed fleet's size; serverless: instances kept warm, provisioned). Default 3 (the seeds'
    /// HPA: `minReplicas: 3`).
    pub min_replicas: u32,
    /// Most instances (1..=1,000; below `min_replicas` it acts as `min_replicas`; serverless: the
    /// concurrency limit). Default 50 (the seeds' HPA: `maxReplicas: 50`).
    pub max_replicas: u32,
    /// HPA scale-up policy: at most this many pods added per `period_s` (0..=1,000; 0 = no such
    /// policy). Default 4.
    pub up_pods: u32,
    /// HPA scale-up policy: at most this percent added per `period_s` (0..=1,000; 0 = no such
    /// policy). Default 100.
    pub up_percent: u32,
    /// HPA scale-down policy: at most this percent removed per `period_s` (0..=100; 0 = never
    /// scale down). Default 100.
    pub down_percent: u32,
    /// Period of the HPA policies, seconds (1..=3,600, whole). Default 15.
    pub period_s: u32,
    /// HPA: how the policies of one direction combine, `max` (largest change) or `min`. Default
    /// `max`. (Not in the list of keys; Kubernetes' `selectPolicy`.)
    pub select_policy: SelectPolicy,
    /// HPA scale-up stabilization window, seconds (0..=3,600, whole). Default 0.
    pub up_window_s: u32,
    /// HPA scale-down stabilization window, seconds (0..=3,600, whole). Default 300.
    pub down_window_s: u32,
    /// Step scaling: seconds after a change before the next (0..=3,600, whole). Default 300.
    pub cooldown_s: u32,
    /// Dollars per instance-hour, starting or ready (0..=1,000); serverless pays per busy
    /// request-second at [`SERVERLESS_PRICE_FACTOR`](super::SERVERLESS_PRICE_FACTOR) times this
    /// rate. Default 0.10.
    pub cost_per_hour: f64,
    /// SLO: a second is violated when its p99 is over this many ms (1..=60,000), or 1% or more of
    /// its requests fail. Default 200.
    pub slo_ms: f64,
    /// Standard deviation of each second's traffic as a fraction of its rate (0..=1; 0 = none, the
    /// traffic is exactly the shape). Default 0.05.
    pub noise: f64,
    /// Seed of the noise. Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            autoscaler: Autoscaler::Hpa,
            traffic: Traffic::Daily,
            base_rps: 200.0,
            peak_rps: 1_000.0,
            spike_at_s: 600,
            spike_s: 300,
            instance_rps: 100.0,
            cpu_share: 100.0,
            startup_s: 60,
            target: 70.0,
            metric: ScaleMetric::Cpu,
            tolerance: 0.1,
            min_replicas: 3,
            max_replicas: 50,
            up_pods: 4,
            up_percent: 100,
            down_percent: 100,
            period_s: 15,
            select_policy: SelectPolicy::Max,
            up_window_s: 0,
            down_window_s: 300,
            cooldown_s: 300,
            cost_per_hour: 0.10,
            slo_ms: 200.0,
            noise: 0.05,
            seed: 1,
        }
    }
}

impl Config {
    /// Every URL key of the lab except `seed`, in the order of the controls.
    pub const KEYS: [&'static str; 25] = [
        "autoscaler",
        "traffic",
        "base_rps",
        "peak_rps",
        "spike_at_s",
        "spike_s",
        "instance_rps",
        "cpu_share",
        "startup_s",
        "target",
        "metric",
        "tolerance",
        "min_replicas",
        "max_replicas",
        "up_pods",
        "up_percent",
        "down_percent",
        "period_s",
        "select_policy",
        "up_window_s",
        "down_window_s",
        "cooldown_s",
        "cost_per_hour",
        "slo_ms",
        "noise",
    ];

    /// Checks every field against its spec.
    pub fn validate(&self) -> Result<(), ConfigError> {
        validate_numbers(self)
    }

    /// The fewest instances the servers' autoscalers keep: `min_replicas`, at least 1 (an HPA at
    /// zero replicas has no metric and never scales again).
    pub fn min_servers(&self) -> u32 {
        self.min_replicas.max(1)
    }

    /// The most instances: `max_replicas`, at least [`Config::min_servers`].
    pub fn max_servers(&self) -> u32 {
        self.max_replicas.max(self.min_servers())
    }

    /// Requests per second one instance is planned to carry by the scheduled and predictive
    /// scalers: for `cpu`, the rate at which an instance's CPU reads `target`,
    /// `instance_rps × min(target / cpu_share, 1)`; `target` for `rps`; else
    /// `instance_rps ×` [`PLAN_UTILIZATION`]. Always positive.
    pub fn planned_rps_per_instance(&self) -> f64 {
        let planned = match self.metric {
            ScaleMetric::Cpu => self.instance_rps * (self.target / self.cpu_share.max(1.0)).min(1.0),
            ScaleMetric::Rps => self.target,
            ScaleMetric::Queue | ScaleMetric::P99 => self.instance_rps * PLAN_UTILIZATION,
        };
        planned.max(1e-9)
    }

    /// The HPA behaviour these settings describe (Kubernetes `spec.behavior`): scale up by
    /// `up_pods` pods and `up_percent` percent per `period_s`, scale down by `down_percent`
    /// percent per `period_s`, combined by `select_policy`, with the two stabilization windows.
    pub fn behavior(&self) -> Behavior {
        let mut up = Vec::with_capacity(2);
        if self.up_pods > 0 {
            up.push(Policy {
                kind: PolicyKind::Pods,
                value: self.up_pods,
                period_s: self.period_s,
            });
        }
        if self.up_percent > 0 {
            up.push(Policy {
                kind: PolicyKind::Percent,
                value: self.up_percent,
                period_s: self.period_s,
            });
        }
        let mut down = Vec::with_capacity(1);
        if self.down_percent > 0 {
            down.push(Policy {
                kind: PolicyKind::Percent,
                value: self.down_percent,
                period_s: self.period_s,
            });
        }
        Behavior {
            up: Rules {
                policies: up,
                select: self.select_policy,
                window_s: self.up_window_s,
            },
            down: Rules {
                policies: down,
                select: self.select_policy,
                window_s: self.down_window_s,
            },
        }
    }
}

fn checked(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    checked_number::<Config>(key, value)
}

fn whole(key: &str, value: &ParamValue) -> Result<u32, ConfigError> {
    checked_count::<Config>(key, value)
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = |v: f64| Some(ParamValue::Number(v));
        let count = |v: u32| Some(ParamValue::Number(f64::from(v)));
        let choice = |s: &str| Some(ParamValue::Choice(s.to_string()));
        match key {
            "autoscaler" => choice(self.autoscaler.as_str()),
            "traffic" => choice(self.traffic.as_str()),
            "base_rps" => number(self.base_rps),
            "peak_rps" => number(self.peak_rps),
            "spike_at_s" => count(self.spike_at_s),
            "spike_s" => count(self.spike_s),
            "instance_rps" => number(self.instance_rps),
            "cpu_share" => number(self.cpu_share),
            "startup_s" => count(self.startup_s),
            "target" => number(self.target),
            "metric" => choice(self.metric.as_str()),
            "tolerance" => number(self.tolerance),
            "min_replicas" => count(self.min_replicas),
            "max_replicas" => count(self.max_replicas),
            "up_pods" => count(self.up_pods),
            "up_percent" => count(self.up_percent),
            "down_percent" => count(self.down_percent),
            "period_s" => count(self.period_s),
            "select_policy" => choice(self.select_policy.as_str()),
            "up_window_s" => count(self.up_window_s),
            "down_window_s" => count(self.down_window_s),
            "cooldown_s" => count(self.cooldown_s),
            "cost_per_hour" => number(self.cost_per_hour),
            "slo_ms" => number(self.slo_ms),
            "noise" => number(self.noise),
            _ => None,
        }
    }

    /// Validates and stores one value. On error nothing changes.
    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        let mut next = self.clone();
        match key {
            "autoscaler" => next.autoscaler = parse_choice(key, value, Autoscaler::parse, Autoscaler::OPTIONS)?,
            "traffic" => next.traffic = parse_choice(key, value, Traffic::parse, Traffic::OPTIONS)?,
            "base_rps" => next.base_rps = checked(key, value)?,
            "peak_rps" => next.peak_rps = checked(key, value)?,
            "spike_at_s" => next.spike_at_s = whole(key, value)?,
            "spike_s" => next.spike_s = whole(key, value)?,
            "instance_rps" => next.instance_rps = checked(key, value)?,
            "cpu_share" => next.cpu_share = checked(key, value)?,
            "startup_s" => next.startup_s = whole(key, value)?,
            "target" => next.target = checked(key, value)?,
            "metric" => next.metric = parse_choice(key, value, ScaleMetric::parse, ScaleMetric::OPTIONS)?,
            "tolerance" => next.tolerance = checked(key, value)?,
            "min_replicas" => next.min_replicas = whole(key, value)?,
            "max_replicas" => next.max_replicas = whole(key, value)?,
            "up_pods" => next.up_pods = whole(key, value)?,
            "up_percent" => next.up_percent = whole(key, value)?,
            "down_percent" => next.down_percent = whole(key, value)?,
            "period_s" => next.period_s = whole(key, value)?,
            "select_policy" => {
                next.select_policy = parse_choice(key, value, SelectPolicy::parse, SelectPolicy::OPTIONS)?
            }
            "up_window_s" => next.up_window_s = whole(key, value)?,
            "down_window_s" => next.down_window_s = whole(key, value)?,
            "cooldown_s" => next.cooldown_s = whole(key, value)?,
            "cost_per_hour" => next.cost_per_hour = checked(key, value)?,
            "slo_ms" => next.slo_ms = checked(key, value)?,
            "noise" => next.noise = checked(key, value)?,
            _ => return Err(ConfigError::new(key, "is not a parameter of this lab")),
        }
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let c = Config::default();
        c.validate().unwrap();
        for key in Config::KEYS {
            let v = c.get(key).expect("every key has a value");
            let mut d = Config::default();
            d.set(key, &v).unwrap();
            assert_eq!(d, c, "{key}");
            let mut e = Config::default();
            e.set_str(key, &v.to_query()).unwrap();
            assert_eq!(e, c, "{key}");
        }
    }

    #[test]
    fn keys_are_the_specs() {
        let specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        assert_eq!(specs, Config::KEYS.to_vec());
    }

    #[test]
    fn the_default_behaviour_is_kubernetes() {
        let b = Config::default().behavior();
        assert_eq!(b, Behavior::kubernetes_default());
    }
}
