//! The broker's storage: partition logs shared by every group, each group's lanes (its cursor
//! into a partition and the messages it must deliver again), the records of messages being
//! delivered, and the dead-letter queue.
//!
//! **Memory.** A message that waits for its first delivery is one packed `u64` in its
//! partition's log (broker time, poison flag, key): 8 bytes, so a backlog of 10,000,000 is
//! 80 MB; its offset is its place in the log. The log keeps a message until every group has
//! taken it. A message taken for delivery becomes a `Record` in a slab (reused slots), which
//! lives while it is in flight, waiting out a backoff or queued for redelivery: bounded by the
//! consumers' slots plus the retries pending.

use std::collections::VecDeque;

use crate::engine::SimTime;

/// Bits of a packed entry that hold the key (keys are below 2^19).
const KEY_BITS: u32 = 19;
/// The poison flag, above the key.
const POISON_BIT: u64 = 1 << KEY_BITS;
/// Where the broker time starts.
const AT_SHIFT: u32 = KEY_BITS + 1;
/// Largest broker time a packed entry holds (2^44 µs, about 203 days; later times saturate).
const AT_MAX: SimTime = (1 << (64 - AT_SHIFT)) - 1;

/// A message as the producer published it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Message {
    /// When the producer published it (µs; blocked producers keep the time they tried).
    pub(super) at: SimTime,
    /// Its key (0 when unkeyed).
    pub(super) key: u32,
    /// Whether processing it always fails.
    pub(super) poison: bool,
}

impl Message {
    fn pack(self) -> u64 {
        (self.at.min(AT_MAX) << AT_SHIFT) | (u64::from(self.poison) * POISON_BIT) | u64::from(self.key)
    }

    fn unpack(word: u64) -> Self {
        Self {
            at: word >> AT_SHIFT,
            key: (word & (POISON_BIT - 1)) as u32,
            poison: word & POISON_BIT != 0,
        }
    }
}

/// One partition's log: the messages not yet taken by every group, oldest first.
#[derive(Clone, Debug, Default)]
pub(super) struct Partition {
    log: VecDeque<u64>,
    /// Offset of `log[0]`.
    base: u64,
}

impl Partition {
    /// The offset the next message gets.
    pub(super) fn end(&self) -> u64 {
        self.base + self.log.len() as u64
    }

    /// Appends a message; returns its offset.
    pub(super) fn push(&mut self, message: Message) -> u64 {
        self.log.push_back(message.pack());
        self.end() - 1
    }

    /// The message at `offset`, if still kept.
    pub(super) fn get(&self, offset: u64) -> Option<Message> {
        let index = usize::try_from(offset.checked_sub(self.base)?).ok()?;
        self.log.get(index).copied().map(Message::unpack)
    }

    /// Drops the messages before `offset` (every group has taken them).
    pub(super) fn trim_to(&mut self, offset: u64) {
        while self.base < offset && self.log.pop_front().is_some() {
            self.base += 1;
        }
    }

    /// Messages kept (taken by some group but not all, or by none).
    pub(super) fn kept(&self) -> usize {
        self.log.len()
    }
}

/// Where a taken message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RecState {
    /// Visible again, queued on its lane for redelivery.
    Ready,
    /// Delivered; hidden until its deadline.
    InFlight,
    /// Failed; waiting out its backoff.
    Backoff,
    /// Processed and acknowledged.
    Done,
    /// Moved to the dead-letter queue.
    Dead,
}

/// A message taken for delivery by one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Record {
    /// Tells this record from a later one in the same slot (events and queues carry it).
    pub(super) serial: u32,
    pub(super) message: Message,
    pub(super) offset: u64,
    pub(super) partition: u8,
    pub(super) group: u8,
    /// Deliveries so far.
    pub(super) receives: u32,
    pub(super) state: RecState,
    /// Deliveries still being processed (a timed-out one carries on).
    pub(super) copies: u32,
    /// The current delivery's visibility deadline (µs).
    pub(super) deadline: SimTime,
    /// Whether an event for that deadline is queued.
    pub(super) deadline_set: bool,
}

impl Record {
    /// Whether nothing refers to it any more: it can be dropped.
    pub(super) fn finished(&self) -> bool {
        self.copies == 0 && matches!(self.state, RecState::Done | RecState::Dead)
    }
}

/// A vector of reusable slots: insertion reuses freed slots, so memory follows the most items
/// held at once. Indices are `u32`.
#[derive(Clone, Debug)]
pub(super) struct Slab<T> {
    items: Vec<Option<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Slab<T> {
    /// Stores `item`; returns its index.
    pub(super) fn insert(&mut self, item: T) -> u32 {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            if let Some(slot) = self.items.get_mut(index as usize) {
                *slot = Some(item);
                return index;
            }
        }
        self.items.push(Some(item));
        (self.items.len() - 1) as u32
    }

    pub(super) fn get(&self, index: u32) -> Option<&T> {
        self.items.get(index as usize).and_then(Option::as_ref)
    }

    pub(super) fn get_mut(&mut self, index: u32) -> Option<&mut T> {
        self.items.get_mut(index as usize).and_then(Option::as_mut)
    }

    /// Takes the item out; its slot is reused later.
    pub(super) fn remove(&mut self, index: u32) -> Option<T> {
        let item = self.items.get_mut(index as usize)?.take()?;
        self.free.push(index);
        self.len -= 1;
        Some(item)
    }

    /// Items held.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Every item with its index, in index order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| item.as_ref().map(|t| (i as u32, t)))
    }
}

/// One group's view of one partition.
#[derive(Clone, Debug, Default)]
pub(super) struct Lane {
    /// The next offset this group has never taken.
    pub(super) cursor: u64,
    /// Records to deliver again, before the log: `(record, serial)`; entries whose record has
    /// since left `Ready` are skipped.
    pub(super) requeued: VecDeque<(u32, u32)>,
    /// Records in `requeued` that are still `Ready`.
    pub(super) requeued_ready: u64,
    /// Records of this lane waiting out a backoff.
    pub(super) delayed: u64,
    /// Deliveries of this lane being processed.
    pub(super) in_flight: u64,
    /// The consumer (index in the group) the partition is assigned to.
    pub(super) owner: Option<u16>,
}

/// Why a message went to the dead-letter queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadReason {
    /// Its last delivery failed (a poison message always does).
    Failed,
    /// Its last delivery was not acknowledged within the visibility timeout.
    TimedOut,
}

/// A message in the dead-letter queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct DeadLetter {
    pub(super) group: u8,
    pub(super) partition: u8,
    pub(super) offset: u64,
    pub(super) message: Message,
    pub(super) receives: u32,
    pub(super) reason: DeadReason,
    /// When it was moved there (µs).
    pub(super) dead_at: SimTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_pack_and_unpack() {
        for m in [
            Message {
                at: 0,
                key: 0,
                poison: false,
            },
            Message {
                at: 123_456_789,
                key: 99_999,
                poison: true,
            },
            Message {
                at: AT_MAX,
                key: (1 << KEY_BITS) - 1,
                poison: false,
            },
        ] {
            assert_eq!(Message::unpack(m.pack()), m);
        }
        let late = Message {
            at: u64::MAX,
            key: 1,
            poison: true,
        };
        assert_eq!(Message::unpack(late.pack()).at, AT_MAX);
    }

    #[test]
    fn log_offsets_and_trim() {
        let mut p = Partition::default();
        for at in 0..5 {
            let m = Message {
                at,
                key: at as u32,
                poison: false,
            };
            assert_eq!(p.push(m), at);
        }
        p.trim_to(3);
        assert_eq!(p.get(2), None);
        assert_eq!(p.get(3).map(|m| m.key), Some(3));
        assert_eq!(p.end(), 5);
        assert_eq!(p.kept(), 2);
        p.trim_to(100);
        assert_eq!(p.kept(), 0);
        assert_eq!(p.end(), 5);
    }

    #[test]
    fn slab_reuses_slots() {
        let mut s = Slab::default();
        let a = s.insert('a');
        let b = s.insert('b');
        assert_eq!(s.remove(a), Some('a'));
        assert_eq!(s.remove(a), None);
        let c = s.insert('c');
        assert_eq!(c, a);
        assert_eq!(s.get(b), Some(&'b'));
        assert_eq!(s.len(), 2);
        assert_eq!(s.iter().map(|(_, x)| *x).collect::<Vec<_>>(), vec!['c', 'b']);
    }
}
