//! Write-behind's queue: writes the cache has acknowledged but the database has not yet got.
//!
//! Writes are coalesced per key: a key holds at most one queued write, the newest version (a
//! second write to a queued key replaces the first). A flush hands every queued write to the
//! database in the order the keys were first queued. A crash loses them all. Memory: 4 bytes per
//! key plus the keys queued.

/// The write-behind queue. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WriteQueue {
    /// The queued version per key; 0 = nothing queued (real versions start at 1).
    queued: Vec<u32>,
    /// Queued keys, in the order they were first queued since the last flush.
    order: Vec<u32>,
    /// Writes absorbed by coalescing so far.
    coalesced: u64,
}

impl WriteQueue {
    pub(crate) fn new(keys: usize) -> Self {
        Self {
            queued: vec![0; keys],
            order: Vec::new(),
            coalesced: 0,
        }
    }

    /// Queues `version` of `key` (`version >= 1`), replacing an older queued one.
    pub(crate) fn enqueue(&mut self, key: u32, version: u32) {
        let Some(q) = self.queued.get_mut(key as usize) else {
            return;
        };
        if *q == 0 {
            self.order.push(key);
        } else {
            self.coalesced += 1;
        }
        *q = (*q).max(version);
    }

    /// The version of `key` waiting to be written, if any.
    pub(crate) fn queued_version(&self, key: u32) -> Option<u32> {
        self.queued.get(key as usize).copied().filter(|&v| v != 0)
    }

    /// Keys with a queued write now.
    pub(crate) fn len(&self) -> u64 {
        self.order.len() as u64
    }

    /// Writes absorbed by coalescing so far.
    pub(crate) fn coalesced(&self) -> u64 {
        self.coalesced
    }

    /// Empties the queue for a flush: the `(key, version)` writes in queueing order.
    pub(crate) fn drain(&mut self) -> Vec<(u32, u32)> {
        let order = std::mem::take(&mut self.order);
        let mut out = Vec::with_capacity(order.len());
        for key in order {
            if let Some(q) = self.queued.get_mut(key as usize) {
                if *q != 0 {
                    out.push((key, *q));
                    *q = 0;
                }
            }
        }
        out
    }

    /// Drops every queued write (a crash) and returns them, `(key, version)`.
    pub(crate) fn lose_all(&mut self) -> Vec<(u32, u32)> {
        self.drain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalesces_per_key_and_drains_in_order() {
        let mut q = WriteQueue::new(10);
        q.enqueue(3, 1);
        q.enqueue(1, 1);
        q.enqueue(3, 2);
        q.enqueue(99, 1);
        assert_eq!(q.len(), 2);
        assert_eq!(q.coalesced(), 1);
        assert_eq!(q.queued_version(3), Some(2));
        assert_eq!(q.drain(), vec![(3, 2), (1, 1)]);
        assert_eq!(q.len(), 0);
        assert_eq!(q.queued_version(3), None);
        q.enqueue(4, 7);
        assert_eq!(q.lose_all(), vec![(4, 7)]);
        assert_eq!(q.len(), 0);
    }
}
