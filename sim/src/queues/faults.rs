//! What the learner does to the running system: crash a consumer, stop and start every consumer,
//! a burst of traffic, add or remove a consumer, publish poison messages, redrive the dead-letter
//! queue. Each acts now and leaves a line in the event log.

use super::arrivals::{BURST_FACTOR, BURST_SECS};
use super::lab::{Event, QueuesLab, CRASH_RESTART};
use super::snapshot::LabEventKind;
use super::specs::MAX_CONSUMERS;
use crate::engine::time::from_secs;
use crate::ConfigError;

/// Most poison messages one [`QueuesLab::poison_now`] publishes.
pub const MAX_POISON_NOW: u32 = 1_000;

impl QueuesLab {
    /// Crashes consumer `index` of group 0 (`None`: the first one that is up and has partitions,
    /// preferring one that is busy). Its deliveries in flight are lost: each becomes visible again
    /// at its visibility deadline and is delivered again. It restarts after [`CRASH_RESTART`],
    /// keeping its partitions (no rebalance), which wait meanwhile. Returns the consumer crashed,
    /// or `None` if there was none to crash.
    pub fn crash_consumer(&mut self, index: Option<usize>) -> Option<usize> {
        let members = self.config.consumers as usize;
        let group = self.groups.first()?;
        let up = |c: usize| group.consumers.get(c).is_some_and(|x| !x.crashed);
        let c = match index {
            Some(c) if c < members && up(c) => c,
            Some(_) => return None,
            None => {
                let candidates = || (0..members).filter(|&c| up(c));
                let has_partitions = |c: &usize| group.consumers.get(*c).is_some_and(|x| !x.partitions.is_empty());
                let busy = |c: &usize| group.consumers.get(*c).is_some_and(|x| x.busy > 0);
                candidates()
                    .find(|c| has_partitions(c) && busy(c))
                    .or_else(|| candidates().find(has_partitions))
                    .or_else(|| candidates().next())?
            }
        };
        let restart_at = self.now.saturating_add(CRASH_RESTART);
        let generation = {
            let consumer = self.groups.first_mut()?.consumers.get_mut(c)?;
            consumer.crashed = true;
            consumer.generation = consumer.generation.wrapping_add(1);
            consumer.restart_at = restart_at;
            consumer.generation
        };
        let lost = self.drop_flights(0, c);
        self.queue.push(
            restart_at,
            Event::Restart {
                group: 0,
                consumer: c as u16,
                generation,
            },
        );
        self.log(LabEventKind::Crashed {
            group: 0,
            consumer: c as u32,
            lost,
        });
        Some(c)
    }

    /// Every consumer of every group stops taking messages (deliveries in flight finish). The
    /// backlog grows at the arrival rate until [`QueuesLab::start_consumers`].
    pub fn stop_consumers(&mut self) {
        if !self.stopped {
            self.stopped = true;
            self.log(LabEventKind::Stopped);
        }
    }

    /// Consumers take messages again.
    pub fn start_consumers(&mut self) {
        if self.stopped {
            self.stopped = false;
            self.log(LabEventKind::Started);
            self.pull_all();
        }
    }

    /// Whether the consumers are stopped by hand.
    pub fn consumers_stopped(&self) -> bool {
        self.stopped
    }

    /// A burst: [`BURST_FACTOR`] times the traffic (requests, so messages) for [`BURST_SECS`]
    /// from now.
    pub fn burst_now(&mut self) {
        let until = self.now.saturating_add(from_secs(BURST_SECS));
        self.requests.burst(self.now, until);
        self.log(LabEventKind::Burst {
            factor: BURST_FACTOR,
            secs: BURST_SECS,
        });
    }

    /// One more consumer in each group (at most 64): every group rebalances. Returns the new
    /// count per group.
    pub fn add_consumer(&mut self) -> Result<u32, ConfigError> {
        let next = self.config.consumers.saturating_add(1);
        if f64::from(next) > MAX_CONSUMERS {
            return Err(ConfigError::new("consumers", "is at its maximum (64)"));
        }
        self.set_param("consumers", &next.to_string())?;
        Ok(next)
    }

    /// One consumer fewer in each group (the last one; it finishes what it is processing): every
    /// group rebalances. Returns the new count per group.
    pub fn remove_consumer(&mut self) -> Result<u32, ConfigError> {
        let Some(next) = self.config.consumers.checked_sub(1) else {
            return Err(ConfigError::new("consumers", "is already 0"));
        };
        self.set_param("consumers", &next.to_string())?;
        Ok(next)
    }

    /// Publishes `count` poison messages now (at most [`MAX_POISON_NOW`]; no request waits for
    /// them): each fails every delivery and ends in the dead-letter queue after `max_receives`.
    /// `sync`: nothing (there is no queue). Returns how many were published.
    pub fn poison_now(&mut self, count: u32) -> u32 {
        if self.config.delivery == super::choices::Delivery::Sync {
            return 0;
        }
        let count = count.min(MAX_POISON_NOW);
        for _ in 0..count {
            self.publish(self.now, true);
        }
        if count > 0 {
            self.log(LabEventKind::Poison { count });
        }
        count
    }

    /// Sends every message of the dead-letter queue back to its partition (delivered again before
    /// new messages, with its receive count reset): a redrive after the cause is fixed. Poison
    /// messages come back to the queue. Returns how many.
    pub fn redrive_dlq(&mut self) -> u64 {
        let letters: Vec<_> = self.dlq.drain(..).collect();
        for letter in &letters {
            let record = self.new_record(
                usize::from(letter.group),
                usize::from(letter.partition),
                letter.offset,
                letter.message,
                0,
            );
            // `requeue` counts the record as waiting (it is `Ready` but in no queue yet).
            self.requeue(record);
        }
        let count = letters.len() as u64;
        if count > 0 {
            self.log(LabEventKind::Redriven { count });
        }
        count
    }
}
