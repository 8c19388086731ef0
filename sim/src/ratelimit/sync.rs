//! A shared store with a sync interval (`sync` = `shared`, `sync_ms` > 0): instances that decide
//! locally and sync with the store every so often, as Envoy-style or Redis-batched limiters do.
//!
//! **The model.** The store holds the authoritative state of every key: one [`Limiter`] per key
//! that counts every request any instance admitted. Each instance decides on its own copy of it,
//! its *view* (the lab's limiter slot `instance × keys + key`): the store's state as of the
//! instance's last sync, plus the instance's own admissions since, decided and applied as usual.
//! A decision costs no round trip. Every `sync_ms`, at the multiples of `sync_ms` from time 0 (the
//! instances' clocks are taken as aligned, so they all sync at once), each instance pushes what it
//! admitted since its last sync and pulls the merged state; the answer arrives `store_ms` later
//! and replaces its view: the store's state as of the sync plus the instance's own admissions
//! during the round trip. A sync still under way when the next one is due makes that one skip.
//!
//! **Merging.** The store counts each admission as of when it happened, past the limit if need be
//! ([`Limiter::force`]): a token bucket gives the token even when it has none (a debt, paid back
//! by the refill), GCRA moves its TAT on by T, a fixed or sliding window counter adds 1 to its
//! window, the sliding log keeps the timestamp, a leaky bucket puts the request behind the last
//! one queued. In the code the store counts every admission the moment it happens: nobody reads
//! the store between syncs, so that is the same as merging, at the sync, the counts every instance
//! pushed (with their times). The debt is what makes the store honest: whatever the instances
//! let through beyond the limit is owed and refused later, so the long-run rate stays the limit.
//!
//! With one instance, or with syncs more frequent than the requests (an interval plus round trip
//! shorter than the gap between any two requests), every view equals the store at each decision:
//! the exact store, without its round trip per decision.
//!
//! **What gets through.** A view misses only what the *other* instances admitted since the state
//! it holds was pulled: a span of less than `sync_ms + store_ms`. Call `A` the most one instance
//! admits in one such span (bounded by the requests it gets in that time and by the limit
//! itself). A request passes only if the exact store would have passed it had those missed
//! admissions not happened, so, with `n` instances, in any span of one window:
//!
//! - sliding log: at most `limit + (n − 1) A` (the last admission in the span saw fewer than
//!   `limit` in its view, which misses at most `(n − 1) A`); never more than `n × limit`;
//! - token bucket and GCRA: at most `b + r t + (n − 1) A` in any interval `t` (a view's level is at
//!   most `(n − 1) A` tokens above the store's, so the store's debt never exceeds that);
//! - fixed and sliding window counters: each window's count at most `limit + (n − 1) A`;
//! - leaky bucket: departures at most `r t + 1 + (n − 1) A` in any interval `t` (views can hand
//!   out the same departure slot).
//!
//! So the over-admission grows with the sync interval (through `A`) and with the instances, and
//! is 0 with one instance. Tests in `sim/tests/it/ratelimit.rs` measure it against these bounds.
//!
//! Memory: the store's limiters, one view per instance and key (the lab's limiters), and one
//! answer per instance and key (the sync under way), all O(1) except the sliding log, whose every
//! copy holds at most `n × limit` timestamps (see [`Config::stored_capacity`]). A sync copies the
//! store into every answer (and every answer into its view), reusing their allocations.

use super::config::Config;
use super::limiter::Limiter;
use crate::engine::SimTime;

/// Limiters copied per unit of work charged to a sync (an attempt costs about as much as copying
/// this many).
const LIMITERS_PER_WORK: u64 = 4;
/// Log timestamps copied per unit of work charged to a sync.
const COPIES_PER_WORK: u64 = 64;

/// The store and the syncs under way. See the module docs.
#[derive(Clone, Debug)]
pub(super) struct Synced {
    /// Limit keys (a view's key is its slot modulo this).
    keys: usize,
    /// The authoritative state, one limiter per key.
    store: Vec<Limiter>,
    /// The answers of the sync under way, one per view slot: the store as of the sync plus that
    /// instance's own admissions since.
    answers: Vec<Limiter>,
    /// Whether a sync is under way (its answers not yet delivered).
    in_flight: bool,
}

impl Synced {
    /// A fresh store for `config` at `now`, and room for the answers of `views` views.
    pub(super) fn new(config: &Config, views: &[Limiter], now: SimTime) -> Self {
        let keys = config.keys().max(1);
        let params = config.instance_params(0);
        let store: Vec<Limiter> = (0..keys).map(|_| Limiter::new(config.algorithm, params, now)).collect();
        Self {
            keys,
            answers: views.to_vec(),
            store,
            in_flight: false,
        }
    }

    /// The store's limiters, one per key (what the page shows as the limiter's state).
    pub(super) fn store(&self) -> &[Limiter] {
        &self.store
    }

    /// The answers' limiters (for counting what is stored).
    pub(super) fn answers(&self) -> &[Limiter] {
        &self.answers
    }

    /// The view in `slot` admitted (or queued) a request at `now`: the store counts it, and so
    /// does the answer on its way to that view, if a sync is under way.
    pub(super) fn admitted(&mut self, slot: usize, now: SimTime) {
        if let Some(store) = self.store.get_mut(slot % self.keys) {
            store.force(now);
        }
        if self.in_flight {
            if let Some(answer) = self.answers.get_mut(slot) {
                answer.force(now);
            }
        }
    }

    /// A sync with no round trip: every view becomes a copy of the store now. Returns the work
    /// done (copies, in attempts' worth).
    pub(super) fn sync_now(&mut self, views: &mut [Limiter]) -> u64 {
        self.in_flight = false;
        copy_all(views, |slot| self.store.get(slot % self.keys))
    }

    /// A sync starts: every answer becomes a copy of the store now (returns the work done), unless
    /// one is still under way (returns `None`: this sync is skipped).
    pub(super) fn start(&mut self) -> Option<u64> {
        if self.in_flight {
            return None;
        }
        self.in_flight = true;
        let (store, keys) = (&self.store, self.keys);
        Some(copy_all(&mut self.answers, |slot| store.get(slot % keys)))
    }

    /// The sync under way ends: every view becomes its answer. Returns the work done.
    pub(super) fn finish(&mut self, views: &mut [Limiter]) -> u64 {
        if !self.in_flight {
            return 0;
        }
        self.in_flight = false;
        copy_all(views, |slot| self.answers.get(slot))
    }
}

/// Makes each of `targets` a copy of `source(slot)`; returns the work done: one per
/// [`LIMITERS_PER_WORK`] limiters plus one per [`COPIES_PER_WORK`] log timestamps.
fn copy_all<'a>(targets: &mut [Limiter], source: impl Fn(usize) -> Option<&'a Limiter>) -> u64 {
    let mut copied = 0u64;
    for (slot, target) in targets.iter_mut().enumerate() {
        if let Some(from) = source(slot) {
            target.copy_from(from);
            copied += from.stored();
        }
    }
    targets.len() as u64 / LIMITERS_PER_WORK + copied / COPIES_PER_WORK
}
