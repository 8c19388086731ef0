//! Loads in flight: database reads that will fill the cache, and the requests waiting for them.
//!
//! With `lock` protection a key has at most one load for misses; later misses join its waiters
//! ("single flight"). Without protection every miss starts its own load. Waiters are a linked
//! list in a slab, so joining and finishing cost O(1) per request and nothing is allocated per
//! request once the slabs have grown.

use crate::engine::SimTime;

const NIL: u32 = u32::MAX;

/// Why a load was started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoadKind {
    /// A read missed.
    Miss,
    /// Refresh-ahead: a hit close to expiry reloads in the background; nobody waits.
    Refresh,
    /// XFetch: a hit decided to recompute early; the request waits for it.
    Early,
}

/// One load in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Load {
    pub(crate) key: u32,
    pub(crate) kind: LoadKind,
    pub(crate) started_at: SimTime,
    first_waiter: u32,
    last_waiter: u32,
    pub(crate) waiters: u32,
}

/// Every load in flight. See the module docs.
#[derive(Clone, Debug)]
pub(crate) struct Loads {
    loads: Vec<Load>,
    free_loads: Vec<u32>,
    /// The newest load in flight per key (`NIL`: none).
    load_of_key: Vec<u32>,
    waiter_arrived: Vec<SimTime>,
    waiter_next: Vec<u32>,
    free_waiters: Vec<u32>,
    in_flight: u64,
    waiting: u64,
}

impl Loads {
    pub(crate) fn new(keys: usize) -> Self {
        Self {
            loads: Vec::new(),
            free_loads: Vec::new(),
            load_of_key: vec![NIL; keys],
            waiter_arrived: Vec::new(),
            waiter_next: Vec::new(),
            free_waiters: Vec::new(),
            in_flight: 0,
            waiting: 0,
        }
    }

    /// The newest load in flight for `key`, if any.
    pub(crate) fn in_flight_for(&self, key: u32) -> Option<u32> {
        self.load_of_key.get(key as usize).copied().filter(|&l| l != NIL)
    }

    /// Loads in flight now.
    pub(crate) fn in_flight(&self) -> u64 {
        self.in_flight
    }

    /// Requests waiting for a load now.
    pub(crate) fn waiting(&self) -> u64 {
        self.waiting
    }

    /// Starts a load of `key` at `now` with no waiter; returns its id.
    pub(crate) fn start(&mut self, key: u32, kind: LoadKind, now: SimTime) -> u32 {
        let load = Load {
            key,
            kind,
            started_at: now,
            first_waiter: NIL,
            last_waiter: NIL,
            waiters: 0,
        };
        let id = match self.free_loads.pop() {
            Some(id) => {
                if let Some(l) = self.loads.get_mut(id as usize) {
                    *l = load;
                }
                id
            }
            None => {
                self.loads.push(load);
                (self.loads.len() - 1) as u32
            }
        };
        if let Some(l) = self.load_of_key.get_mut(key as usize) {
            *l = id;
        }
        self.in_flight += 1;
        id
    }

    /// Adds a request that arrived at `arrived` to the waiters of `load` (served in arrival order).
    pub(crate) fn add_waiter(&mut self, load: u32, arrived: SimTime) {
        if load as usize >= self.loads.len() {
            return;
        }
        let w = match self.free_waiters.pop() {
            Some(w) => {
                if let (Some(a), Some(n)) = (
                    self.waiter_arrived.get_mut(w as usize),
                    self.waiter_next.get_mut(w as usize),
                ) {
                    *a = arrived;
                    *n = NIL;
                }
                w
            }
            None => {
                self.waiter_arrived.push(arrived);
                self.waiter_next.push(NIL);
                (self.waiter_arrived.len() - 1) as u32
            }
        };
        let l = &mut self.loads[load as usize];
        match self.waiter_next.get_mut(l.last_waiter as usize) {
            Some(n) => *n = w,
            None => l.first_waiter = w,
        }
        l.last_waiter = w;
        l.waiters += 1;
        self.waiting += 1;
    }

    /// Ends `load`: calls `serve` with each waiter's arrival time, in order, and returns the load.
    pub(crate) fn finish(&mut self, load: u32, mut serve: impl FnMut(SimTime)) -> Option<Load> {
        let l = *self.loads.get(load as usize)?;
        let mut w = l.first_waiter;
        while let Some(&arrived) = self.waiter_arrived.get(w as usize) {
            serve(arrived);
            self.free_waiters.push(w);
            self.waiting = self.waiting.saturating_sub(1);
            w = self.waiter_next.get(w as usize).copied().unwrap_or(NIL);
        }
        if self.load_of_key.get(l.key as usize) == Some(&load) {
            self.load_of_key[l.key as usize] = NIL;
        }
        self.free_loads.push(load);
        self.in_flight = self.in_flight.saturating_sub(1);
        Some(l)
    }

    /// Slots allocated for loads and waiters (memory check).
    pub(crate) fn allocated(&self) -> usize {
        self.loads.len() + self.waiter_arrived.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiters_are_served_in_order_and_slots_reused() {
        let mut loads = Loads::new(4);
        let a = loads.start(2, LoadKind::Miss, 10);
        assert_eq!(loads.in_flight_for(2), Some(a));
        for t in [10, 11, 12] {
            loads.add_waiter(a, t);
        }
        assert_eq!(loads.waiting(), 3);
        let mut served = Vec::new();
        let done = loads.finish(a, |t| served.push(t)).unwrap();
        assert_eq!(served, vec![10, 11, 12]);
        assert_eq!(done.waiters, 3);
        assert_eq!(loads.in_flight_for(2), None);
        assert_eq!((loads.in_flight(), loads.waiting()), (0, 0));
        let b = loads.start(1, LoadKind::Refresh, 20);
        loads.add_waiter(b, 20);
        assert_eq!(loads.allocated(), 4);
        assert!(loads.finish(99, |_| {}).is_none());
    }
}
