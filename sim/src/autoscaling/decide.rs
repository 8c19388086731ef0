//! The autoscaler's decision every [`SYNC_S`](super::SYNC_S) seconds: each autoscaler's rule
//! fills in a [`Decision`] (with every number it used), then the fleet moves to its count and the
//! decision goes to the log.

use std::cmp::Ordering;

use super::choices::Autoscaler;
use super::decision::{Decision, ForecastTerms, Reason, ScheduleTerms, StepTerms};
use super::hpa::{reading, Limit, SyncInput};
use super::lab::{AutoscalingLab, Window, DECISIONS_KEPT, SYNC_S};
use super::scalers::{hour_of, replicas_for, step_count, STEP_DOWN_SHARE};

impl AutoscalingLab {
    /// The decision at `now_s` (servers' autoscalers only).
    pub(super) fn decide(&mut self, now_s: u64) {
        let c = &self.config;
        let current = self.fleet.size();
        let metric_value = self.window.average(c.metric);
        self.window = Window::default();
        self.last_metric = metric_value;
        let mut d = Decision {
            at_s: now_s,
            autoscaler: c.autoscaler,
            metric: c.metric,
            current,
            ready: self.fleet.ready(),
            starting: self.fleet.starting(),
            metric_value,
            target: c.target,
            formula: None,
            stabilized: None,
            limit: Limit::None,
            hpa_replicas: None,
            step: None,
            schedule: None,
            forecast: None,
            desired: current,
            replicas: current,
            reason: Reason::Hold,
        };
        match c.autoscaler {
            Autoscaler::Hpa => self.hpa_rule(&mut d),
            Autoscaler::Predictive => {
                self.hpa_rule(&mut d);
                self.forecast_floor(&mut d);
            }
            Autoscaler::Step => self.step_rule(&mut d),
            Autoscaler::Scheduled => self.schedule_rule(&mut d),
            Autoscaler::Fixed | Autoscaler::Serverless => {
                d.desired = c.min_servers();
                d.replicas = d.desired;
                d.reason = Reason::Fixed;
            }
        }
        self.apply(d);
    }

    /// The HPA's sync ([`Hpa::sync`](super::Hpa::sync)) and why it landed where it did.
    fn hpa_rule(&mut self, d: &mut Decision) {
        let c = &self.config;
        let (min, max) = (c.min_servers(), c.max_servers());
        let out = self.hpa.sync(SyncInput {
            now_s: d.at_s,
            current: d.current,
            ready: d.ready,
            metric: d.metric_value.map(|v| reading(c.metric, v)),
            target: c.target,
            tolerance: c.tolerance,
            min,
            max,
        });
        let current = d.current;
        d.formula = out.terms;
        d.stabilized = out.terms.map(|_| out.stabilized);
        d.limit = out.limit;
        d.replicas = out.replicas;
        d.hpa_replicas = Some(out.replicas);
        d.desired = out.terms.map_or(out.replicas, |t| t.recommendation.clamp(min, max));
        d.reason = match out.terms {
            None if current < min || current > max => Reason::OutOfRange,
            None => Reason::NoMetric,
            Some(t) if t.within_tolerance => Reason::WithinTolerance,
            Some(t) if t.recommendation == current && t.formula != current => Reason::StartingPods,
            Some(_) if out.limit != Limit::None => Reason::Limited,
            Some(t) if out.stabilized != t.recommendation => Reason::Stabilized,
            Some(_) => Reason::Formula,
        };
    }

    /// Predictive: yesterday's traffic over `[now + startup_s, + SYNC_S)` as a floor; it can
    /// raise the HPA's count, never lower it.
    fn forecast_floor(&self, d: &mut Decision) {
        let c = &self.config;
        let from_s = d.at_s + u64::from(c.startup_s);
        let Some(rps) = self.history.forecast(from_s, from_s + SYNC_S) else {
            return;
        };
        let floor = replicas_for(c, rps);
        d.forecast = Some(ForecastTerms {
            from_s,
            forecast_rps: rps,
            per_instance_rps: c.planned_rps_per_instance(),
            replicas: floor,
        });
        d.desired = d.desired.max(floor);
        if floor > d.replicas {
            d.replicas = floor;
            d.reason = Reason::Forecast;
        }
    }

    /// Step scaling: thresholds, then the cooldown.
    fn step_rule(&mut self, d: &mut Decision) {
        let c = &self.config;
        let (min, max) = (c.min_servers(), c.max_servers());
        let cooling = d.at_s < self.cooldown_until_s;
        d.step = Some(StepTerms {
            up_above: c.target,
            down_below: c.target * STEP_DOWN_SHARE,
            cooldown_until_s: cooling.then_some(self.cooldown_until_s),
        });
        if d.current < min || d.current > max {
            d.replicas = d.current.clamp(min, max);
            d.reason = Reason::OutOfRange;
        } else if let Some(m) = d.metric_value {
            d.desired = step_count(c, d.current, m);
            if cooling {
                d.reason = Reason::Cooldown;
            } else {
                d.replicas = d.desired;
                d.reason = match d.desired.cmp(&d.current) {
                    Ordering::Greater => Reason::StepUp,
                    Ordering::Less => Reason::StepDown,
                    Ordering::Equal => Reason::Hold,
                };
            }
        } else {
            d.reason = Reason::NoMetric;
        }
        if d.changed() {
            self.cooldown_until_s = d.at_s + u64::from(c.cooldown_s);
        }
    }

    /// Scheduled: the hour of `now + startup_s` in the table.
    fn schedule_rule(&self, d: &mut Decision) {
        let c = &self.config;
        let hour = hour_of(d.at_s + u64::from(c.startup_s));
        let planned = self.schedule.get(hour as usize).copied().unwrap_or(0.0);
        let n = replicas_for(c, planned);
        d.schedule = Some(ScheduleTerms {
            hour,
            planned_rps: planned,
            per_instance_rps: c.planned_rps_per_instance(),
            replicas: n,
        });
        d.desired = n;
        d.replicas = n;
        d.reason = Reason::Schedule;
    }

    /// Moves the fleet to the decision's count and logs it (the fixed fleet logs only changes).
    fn apply(&mut self, d: Decision) {
        self.desired = d.desired;
        if d.changed() {
            self.fleet.resize(d.replicas, d.at_s, self.config.startup_s);
            self.stats.scale_events += 1;
        }
        if d.autoscaler != Autoscaler::Fixed || d.changed() {
            if self.decisions.len() >= DECISIONS_KEPT {
                self.decisions.pop_front();
            }
            self.decisions.push_back(d);
            self.decisions_made += 1;
        }
    }
}
