//! At-least-once delivery: publishing, assignment, pulling, acknowledgement, visibility
//! timeouts, retries with backoff and the dead-letter queue.
//!
//! **Pulling.** A consumer takes messages while it has a free slot (`concurrency`), is up, not
//! stopped and its group is not rebalancing. It goes round robin over its partitions; in each, the
//! messages to deliver again (visible again after a failure or a timeout) come before the log.
//!
//! **A delivery** draws the work's duration and whether it fails (a poison message always does),
//! hides the message until `visibility_s` from now, and ends when the work is done:
//!
//! - success: the work's effect happens and the message is acknowledged (done). If it was done
//!   already (a copy delivered again after a timeout finished first), the effect happens again: a
//!   duplicate; an idempotent consumer recognises the message and skips it instead;
//! - failure of the current delivery: after `max_receives` deliveries the message goes to the
//!   dead-letter queue, otherwise it is delivered again after the backoff (`none`: at once, ahead
//!   of the log);
//! - no acknowledgement by the deadline (work slower than the timeout, or a crashed consumer): the
//!   message is visible again at once (or dead-lettered after `max_receives` deliveries); a slow
//!   copy carries on and may still finish.
//!
//! **Order.** Each group remembers, per key (unkeyed: for the whole stream), the publish time of
//! the latest message done; a message done after a later one is out of order. It happens across
//! partitions (unkeyed messages spread round robin), with retries and with concurrency above one;
//! never within one partition read one at a time without retries.

use super::broker::{DeadLetter, DeadReason, Message, RecState, Record};
use super::lab::{Event, Flight, QueuesLab, KEY_ORDER_KEPT, REBALANCE_PAUSE, TRACKED_KEPT};
use super::snapshot::{FlowKind, KeyCompletion, LabEventKind};
use super::DLQ_KEPT;
use crate::engine::time::to_secs;
use crate::engine::SimTime;

impl QueuesLab {
    /// Publishes the next message (its key and poison flag drawn now; poison too if `poison`),
    /// stamped `at` (the time its producer tried), and hands it to the owners of its partition.
    pub(super) fn publish(&mut self, at: SimTime, poison: bool) {
        let mut message = self.draw_message(at);
        message.poison |= poison;
        let partitions = self.partitions.len().max(1);
        let p = if self.config.keys > 0 {
            self.key_partition
                .get(message.key as usize)
                .map_or(0, |&p| usize::from(p))
        } else {
            let p = self.next_partition % partitions;
            self.next_partition = (p + 1) % partitions;
            p
        };
        let Some(partition) = self.partitions.get_mut(p) else {
            return;
        };
        partition.push(message);
        self.stats.tally.published += 1;
        self.stats.tally.poison_published += u64::from(message.poison);
        self.stats.recent.published.inc(self.now);
        if self.config.keys == 0 || message.key == 0 {
            if self.tracked.len() >= TRACKED_KEPT {
                self.tracked.pop_front();
                self.tracked_base += 1;
            }
            self.tracked.push_back(at);
        }
        for group in &mut self.groups {
            group.ready += 1;
        }
        self.backlog_total += self.groups.len() as u64;
        self.flow(0, p, None, FlowKind::Published);
        for g in 0..self.groups.len() {
            let owner = self
                .groups
                .get(g)
                .and_then(|group| group.lanes.get(p))
                .and_then(|l| l.owner);
            if let Some(c) = owner {
                self.pull(g, usize::from(c));
            }
        }
    }

    /// Assigns group `g`'s partitions to its first `consumers` consumers: partition `p` to
    /// consumer `p % consumers` (none without consumers).
    pub(super) fn assign(&mut self, g: usize) {
        let n = self.config.consumers as usize;
        let Some(group) = self.groups.get_mut(g) else {
            return;
        };
        if group.consumers.len() < n {
            group.consumers.resize_with(n, Default::default);
        }
        for c in &mut group.consumers {
            c.partitions.clear();
            c.cursor = 0;
        }
        for (p, lane) in group.lanes.iter_mut().enumerate() {
            lane.owner = (n > 0).then(|| (p % n) as u16);
            if let Some(c) = lane.owner.and_then(|c| group.consumers.get_mut(usize::from(c))) {
                c.partitions.push(p as u8);
            }
        }
    }

    /// Every group takes the new membership and pauses for [`REBALANCE_PAUSE`].
    pub(super) fn rebalance(&mut self) {
        self.rebalance_generation = self.rebalance_generation.wrapping_add(1);
        let until = self.now.saturating_add(REBALANCE_PAUSE);
        for g in 0..self.groups.len() {
            self.assign(g);
            if let Some(group) = self.groups.get_mut(g) {
                group.paused_until = until;
            }
        }
        let generation = self.rebalance_generation;
        self.queue.push(until, Event::RebalanceEnd { generation });
        self.log(LabEventKind::Rebalancing {
            consumers: self.config.consumers,
            pause_s: to_secs(REBALANCE_PAUSE),
        });
    }

    /// Every consumer takes what it can.
    pub(super) fn pull_all(&mut self) {
        for g in 0..self.groups.len() {
            let members = self.groups.get(g).map_or(0, |group| group.consumers.len());
            for c in 0..members {
                self.pull(g, c);
            }
        }
    }

    /// Whether consumer `c` of group `g` can take a message now.
    fn can_take(&self, g: usize, c: usize) -> bool {
        let Some(group) = self.groups.get(g) else {
            return false;
        };
        let Some(consumer) = group.consumers.get(c) else {
            return false;
        };
        !self.stopped
            && self.now >= group.paused_until
            && c < self.config.consumers as usize
            && !consumer.crashed
            && consumer.busy < self.config.concurrency
    }

    /// Consumer `c` of group `g` takes messages while it can.
    pub(super) fn pull(&mut self, g: usize, c: usize) {
        while self.can_take(g, c) {
            let Some((p, record)) = self.take(g, c) else {
                return;
            };
            self.deliver(g, c, p, record);
        }
    }

    /// The next message for consumer `c`, round robin over its partitions: `(partition, record)`.
    fn take(&mut self, g: usize, c: usize) -> Option<(usize, u32)> {
        let (count, cursor) = {
            let consumer = self.groups.get(g)?.consumers.get(c)?;
            (consumer.partitions.len(), consumer.cursor)
        };
        for i in 0..count {
            let index = (cursor + i) % count;
            let p = usize::from(*self.groups.get(g)?.consumers.get(c)?.partitions.get(index)?);
            if let Some(record) = self.take_from(g, p) {
                if let Some(consumer) = self.groups.get_mut(g).and_then(|group| group.consumers.get_mut(c)) {
                    consumer.cursor = (index + 1) % count;
                }
                return Some((p, record));
            }
        }
        None
    }

    /// The next visible message of partition `p` for group `g`: one to deliver again, else the
    /// next in the log (which becomes a record).
    fn take_from(&mut self, g: usize, p: usize) -> Option<u32> {
        let group = self.groups.get_mut(g)?;
        let lane = group.lanes.get_mut(p)?;
        while let Some((index, serial)) = lane.requeued.pop_front() {
            let ready = self
                .records
                .get(index)
                .is_some_and(|r| r.serial == serial && r.state == RecState::Ready);
            if ready {
                lane.requeued_ready = lane.requeued_ready.saturating_sub(1);
                group.ready = group.ready.saturating_sub(1);
                self.backlog_total = self.backlog_total.saturating_sub(1);
                return Some(index);
            }
        }
        let partition = self.partitions.get(p)?;
        if lane.cursor >= partition.end() {
            return None;
        }
        let offset = lane.cursor;
        let message = partition.get(offset)?;
        lane.cursor += 1;
        group.ready = group.ready.saturating_sub(1);
        self.backlog_total = self.backlog_total.saturating_sub(1);
        let oldest = self
            .groups
            .iter()
            .filter_map(|group| group.lanes.get(p).map(|l| l.cursor))
            .min()
            .unwrap_or(offset);
        if let Some(partition) = self.partitions.get_mut(p) {
            partition.trim_to(oldest);
        }
        Some(self.new_record(g, p, offset, message, 0))
    }

    /// A record for a message of group `g`, partition `p` (state `Ready`).
    pub(super) fn new_record(&mut self, g: usize, p: usize, offset: u64, message: Message, receives: u32) -> u32 {
        let serial = self.next_serial;
        self.next_serial = self.next_serial.wrapping_add(1);
        self.records.insert(Record {
            serial,
            message,
            offset,
            partition: p as u8,
            group: g as u8,
            receives,
            state: RecState::Ready,
            copies: 0,
            deadline: 0,
            deadline_set: false,
        })
    }

    /// Delivers `record` (of partition `p`) to consumer `c` of group `g`.
    fn deliver(&mut self, g: usize, c: usize, p: usize, record: u32) {
        let now = self.now;
        let visibility = self.config.visibility();
        let work = self.work_time.sample(&mut self.work_rng);
        let failure = self.work_rng.chance(self.config.failure_rate);
        let Some(rec) = self.records.get_mut(record) else {
            return;
        };
        rec.receives = rec.receives.saturating_add(1);
        rec.state = RecState::InFlight;
        rec.copies += 1;
        rec.deadline = now.saturating_add(visibility);
        rec.deadline_set = work > visibility;
        let (receive, serial, published) = (rec.receives, rec.serial, rec.message.at);
        let fails = failure || rec.message.poison;
        let t = &mut self.stats.tally;
        t.deliveries += 1;
        if receive > 1 {
            t.redeliveries += 1;
        } else {
            self.stats
                .wait_ms
                .record(now.saturating_sub(published) as f64 / 1_000.0);
        }
        self.stats.recent.deliveries.inc(now);
        let ticket = self.next_ticket;
        self.next_ticket = self.next_ticket.wrapping_add(1);
        let flight = self.flights.insert(Flight {
            record,
            group: g as u8,
            consumer: c as u16,
            receive,
            ticket,
            fails,
        });
        self.queue
            .push(now.saturating_add(work), Event::Done { flight, ticket });
        if work > visibility {
            self.stats.tally.slow_deliveries += 1;
            self.queue.push(
                now.saturating_add(visibility),
                Event::Deadline {
                    record,
                    serial,
                    receive,
                },
            );
        }
        if let Some(group) = self.groups.get_mut(g) {
            group.in_flight += 1;
            if let Some(lane) = group.lanes.get_mut(p) {
                lane.in_flight += 1;
            }
            if let Some(consumer) = group.consumers.get_mut(c) {
                consumer.busy += 1;
            }
        }
        self.flow(g, p, Some(c), FlowKind::Delivered);
    }

    /// A delivery's processing ends.
    pub(super) fn done(&mut self, flight: u32, ticket: u64) {
        if self.flights.get(flight).is_none_or(|f| f.ticket != ticket) {
            return; // dropped by a crash
        }
        let Some(f) = self.flights.remove(flight) else {
            return;
        };
        let (g, c) = (usize::from(f.group), usize::from(f.consumer));
        let Some(rec) = self.records.get_mut(f.record) else {
            return;
        };
        rec.copies = rec.copies.saturating_sub(1);
        let p = usize::from(rec.partition);
        let current = rec.state == RecState::InFlight && rec.receives == f.receive;
        let state = rec.state;
        let message = rec.message;
        let receives = rec.receives;
        self.leave_slot(g, c, p);
        if let Some(consumer) = self.groups.get_mut(g).and_then(|group| group.consumers.get_mut(c)) {
            consumer.processed += 1;
            consumer.failed += u64::from(f.fails);
        }
        if f.fails {
            self.stats.tally.failures += 1;
            self.flow(g, p, Some(c), FlowKind::Failed);
            if current {
                self.release(f.record, DeadReason::Failed);
            }
        } else {
            match state {
                RecState::Done => {
                    if self.config.idempotent {
                        self.stats.tally.absorbed += 1;
                    } else {
                        self.stats.tally.duplicates += 1;
                    }
                    self.flow(g, p, Some(c), FlowKind::Duplicate);
                }
                RecState::Dead => self.effect(g, p, message, receives),
                RecState::Ready | RecState::InFlight | RecState::Backoff => {
                    self.leave_waiting(f.record, state);
                    if let Some(rec) = self.records.get_mut(f.record) {
                        rec.state = RecState::Done;
                    }
                    self.effect(g, p, message, receives);
                    self.flow(g, p, Some(c), FlowKind::Done);
                }
            }
        }
        self.drop_if_finished(f.record);
        self.pull(g, c);
    }

    /// A delivery of group `g`, partition `p` no longer holds consumer `c`'s slot.
    fn leave_slot(&mut self, g: usize, c: usize, p: usize) {
        if let Some(group) = self.groups.get_mut(g) {
            group.in_flight = group.in_flight.saturating_sub(1);
            if let Some(lane) = group.lanes.get_mut(p) {
                lane.in_flight = lane.in_flight.saturating_sub(1);
            }
            if let Some(consumer) = group.consumers.get_mut(c) {
                consumer.busy = consumer.busy.saturating_sub(1);
            }
        }
    }

    /// A record in `state` leaves the backlog (it is done while queued or in backoff).
    fn leave_waiting(&mut self, record: u32, state: RecState) {
        let Some(rec) = self.records.get(record) else {
            return;
        };
        let (g, p) = (usize::from(rec.group), usize::from(rec.partition));
        let Some(group) = self.groups.get_mut(g) else {
            return;
        };
        let Some(lane) = group.lanes.get_mut(p) else {
            return;
        };
        match state {
            RecState::Ready => {
                lane.requeued_ready = lane.requeued_ready.saturating_sub(1);
                group.ready = group.ready.saturating_sub(1);
            }
            RecState::Backoff => {
                lane.delayed = lane.delayed.saturating_sub(1);
                group.delayed = group.delayed.saturating_sub(1);
            }
            _ => return,
        }
        self.backlog_total = self.backlog_total.saturating_sub(1);
    }

    /// The work of `message` (group `g`, partition `p`) is done for the first time: end to end
    /// latency, order, the tracked key's list.
    fn effect(&mut self, g: usize, p: usize, message: Message, receives: u32) {
        let now = self.now;
        let latency = now.saturating_sub(message.at).saturating_add(self.config.fast());
        self.stats.completion(now, latency);
        let slot = if self.config.keys > 0 { message.key as usize } else { 0 };
        let mut out_of_order = false;
        if let Some(group) = self.groups.get_mut(g) {
            group.completed += 1;
            if let Some(last) = group.last_done.get_mut(slot) {
                let stamp = message.at.saturating_add(1);
                out_of_order = stamp < *last;
                *last = (*last).max(stamp);
            }
        }
        if out_of_order {
            self.stats.tally.out_of_order += 1;
        }
        let tracked = self.config.keys == 0 || message.key == 0;
        if g == 0 && tracked {
            let index = self.tracked.partition_point(|&t| t < message.at);
            let n = (self.tracked.get(index) == Some(&message.at)).then_some(self.tracked_base + index as u64 + 1);
            if self.key_order.len() >= KEY_ORDER_KEPT {
                self.key_order.pop_front();
            }
            self.key_order.push_back(KeyCompletion {
                n,
                published_s: to_secs(message.at),
                done_s: to_secs(now),
                receives,
                partition: p as u32,
                out_of_order,
            });
        }
    }

    /// The current delivery of `record` failed or timed out: dead-letter it after `max_receives`
    /// deliveries, else deliver it again (after the backoff for a failure).
    fn release(&mut self, record: u32, reason: DeadReason) {
        let Some(rec) = self.records.get(record) else {
            return;
        };
        let (receives, serial) = (rec.receives, rec.serial);
        if receives >= self.config.max_receives {
            self.dead(record, reason);
            return;
        }
        let delay = match reason {
            DeadReason::Failed => self.config.backoff_delay(receives, &mut self.jitter_rng),
            DeadReason::TimedOut => 0,
        };
        if delay == 0 {
            self.requeue(record);
            return;
        }
        let Some(rec) = self.records.get_mut(record) else {
            return;
        };
        rec.state = RecState::Backoff;
        let (g, p) = (usize::from(rec.group), usize::from(rec.partition));
        if let Some(group) = self.groups.get_mut(g) {
            group.delayed += 1;
            if let Some(lane) = group.lanes.get_mut(p) {
                lane.delayed += 1;
            }
        }
        self.backlog_total += 1;
        self.queue.push(
            self.now.saturating_add(delay),
            Event::Retry {
                record,
                serial,
                receive: receives,
            },
        );
    }

    /// `record` is visible again: queued on its lane ahead of the log, and its owner pulls.
    pub(super) fn requeue(&mut self, record: u32) {
        let Some(rec) = self.records.get_mut(record) else {
            return;
        };
        rec.state = RecState::Ready;
        let (g, p, serial) = (usize::from(rec.group), usize::from(rec.partition), rec.serial);
        let Some(group) = self.groups.get_mut(g) else {
            return;
        };
        group.ready += 1;
        let owner = group.lanes.get_mut(p).and_then(|lane| {
            lane.requeued.push_back((record, serial));
            lane.requeued_ready += 1;
            lane.owner
        });
        self.backlog_total += 1;
        if let Some(c) = owner {
            self.pull(g, usize::from(c));
        }
    }

    /// `record` moves to the dead-letter queue.
    fn dead(&mut self, record: u32, reason: DeadReason) {
        let now = self.now;
        let Some(rec) = self.records.get_mut(record) else {
            return;
        };
        rec.state = RecState::Dead;
        let letter = DeadLetter {
            group: rec.group,
            partition: rec.partition,
            offset: rec.offset,
            message: rec.message,
            receives: rec.receives,
            reason,
            dead_at: now,
        };
        if self.dlq.len() >= DLQ_KEPT {
            self.dlq.pop_front();
        }
        self.dlq.push_back(letter);
        self.stats.tally.dead_lettered += 1;
        self.dead_in_interval += 1;
        self.flow(
            usize::from(letter.group),
            usize::from(letter.partition),
            None,
            FlowKind::DeadLettered,
        );
    }

    /// Frees `record` if nothing refers to it any more.
    fn drop_if_finished(&mut self, record: u32) {
        if self.records.get(record).is_some_and(Record::finished) {
            self.records.remove(record);
        }
    }

    /// A visibility deadline runs out: unless acknowledged (or delivered again) meanwhile, the
    /// message is visible again (or dead-lettered).
    pub(super) fn deadline(&mut self, record: u32, serial: u32, receive: u32) {
        let Some(rec) = self.records.get_mut(record) else {
            return;
        };
        if rec.serial != serial || rec.state != RecState::InFlight || rec.receives != receive {
            return;
        }
        rec.deadline_set = false;
        self.stats.tally.timeouts += 1;
        self.release(record, DeadReason::TimedOut);
        self.drop_if_finished(record);
    }

    /// A backoff is over: the message is visible again.
    pub(super) fn retry(&mut self, record: u32, serial: u32, receive: u32) {
        let matches = self
            .records
            .get(record)
            .is_some_and(|r| r.serial == serial && r.state == RecState::Backoff && r.receives == receive);
        if matches {
            self.leave_waiting(record, RecState::Backoff);
            self.requeue(record);
        }
    }

    /// A crashed consumer restarts and pulls.
    pub(super) fn restart(&mut self, g: usize, c: usize, generation: u32) {
        let Some(consumer) = self.groups.get_mut(g).and_then(|group| group.consumers.get_mut(c)) else {
            return;
        };
        if consumer.generation != generation || !consumer.crashed {
            return;
        }
        consumer.crashed = false;
        self.log(LabEventKind::Restarted {
            group: g as u32,
            consumer: c as u32,
        });
        self.pull(g, c);
    }

    /// Consumer `c` of group `g` crashes: its deliveries are lost (each visible again at its
    /// deadline). Returns how many.
    pub(super) fn drop_flights(&mut self, g: usize, c: usize) -> u32 {
        let lost: Vec<(u32, Flight)> = self
            .flights
            .iter()
            .filter(|(_, f)| usize::from(f.group) == g && usize::from(f.consumer) == c)
            .map(|(i, f)| (i, *f))
            .collect();
        for &(index, f) in &lost {
            self.flights.remove(index);
            self.stats.tally.lost_in_crash += 1;
            let Some(rec) = self.records.get_mut(f.record) else {
                continue;
            };
            rec.copies = rec.copies.saturating_sub(1);
            let p = usize::from(rec.partition);
            if rec.state == RecState::InFlight && rec.receives == f.receive && !rec.deadline_set {
                rec.deadline_set = true;
                let (at, serial, receive) = (rec.deadline, rec.serial, rec.receives);
                self.queue.push(
                    at.max(self.now),
                    Event::Deadline {
                        record: f.record,
                        serial,
                        receive,
                    },
                );
            }
            self.leave_slot(g, c, p);
            self.drop_if_finished(f.record);
        }
        lost.len() as u32
    }

    /// Age of the oldest visible waiting message of group `g`, partition `p` (µs), if any.
    pub(super) fn lane_age(&self, g: usize, p: usize) -> Option<SimTime> {
        let lane = self.groups.get(g)?.lanes.get(p)?;
        let from_log = self
            .partitions
            .get(p)
            .and_then(|part| part.get(lane.cursor))
            .map(|m| m.at);
        let requeued = lane
            .requeued
            .iter()
            .filter_map(|&(index, serial)| self.records.get(index).filter(|r| r.serial == serial))
            .filter(|r| r.state == RecState::Ready)
            .map(|r| r.message.at)
            .min();
        let oldest = match (from_log, requeued) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        Some(self.now.saturating_sub(oldest))
    }

    /// Age of the oldest visible waiting message anywhere (s).
    pub(super) fn lag_s(&self) -> f64 {
        let mut oldest = 0;
        for g in 0..self.groups.len() {
            for p in 0..self.partitions.len() {
                oldest = oldest.max(self.lane_age(g, p).unwrap_or(0));
            }
        }
        to_secs(oldest)
    }
}
