//! The timeline: per client, requests admitted, refused and delayed in short buckets (a fortieth
//! of the window), and each key's limiter state at the end of every bucket. A ring of
//! [`TIMELINE_BUCKETS`] buckets allocated whole, so its memory never grows.
//!
//! The lab closes the bucket under way with a timer event at its end (events run before arrivals
//! at equal times), so a request always counts in the current bucket: no division per request.

use super::snapshot::{ClientTimeline, StateStrip, Timeline as TimelineView};
use crate::engine::time::to_secs;
use crate::engine::SimTime;

/// Buckets kept: six windows.
pub const TIMELINE_BUCKETS: usize = 240;
/// Buckets per window.
pub const BUCKETS_PER_WINDOW: u64 = 40;

/// What happened to a request, for the timeline's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mark {
    Admitted = 0,
    Refused = 1,
    Delayed = 2,
}

/// See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Timeline {
    width: SimTime,
    clients: usize,
    keys: usize,
    /// Absolute index (`time / width`) of the bucket under way, and of the first one kept.
    head: u64,
    first: u64,
    /// `TIMELINE_BUCKETS × clients` counts: admitted, refused, delayed.
    counts: Vec<[u32; 3]>,
    /// `TIMELINE_BUCKETS × keys` states at the end of each bucket.
    level: Vec<f64>,
    previous: Vec<f64>,
}

impl Timeline {
    /// An empty timeline for `window` µs windows, starting with the bucket holding `now`.
    pub(super) fn new(window: SimTime, clients: usize, keys: usize, now: SimTime) -> Self {
        let width = (window / BUCKETS_PER_WINDOW).max(1);
        let head = now / width;
        Self {
            width,
            clients,
            keys,
            head,
            first: head,
            counts: vec![[0; 3]; TIMELINE_BUCKETS * clients],
            level: vec![0.0; TIMELINE_BUCKETS * keys],
            previous: vec![0.0; TIMELINE_BUCKETS * keys],
        }
    }

    /// When the bucket under way ends (µs).
    pub(super) fn bucket_end(&self) -> SimTime {
        self.head.saturating_add(1).saturating_mul(self.width)
    }

    fn slot(&self, bucket: u64) -> usize {
        (bucket % TIMELINE_BUCKETS as u64) as usize
    }

    /// Counts one request of `client` in the bucket under way.
    pub(super) fn mark(&mut self, client: usize, mark: Mark) {
        let at = self.slot(self.head) * self.clients + client;
        if let Some(counts) = self.counts.get_mut(at) {
            let c = &mut counts[mark as usize];
            *c = c.saturating_add(1);
        }
    }

    /// Ends the bucket under way with each key's state `(level, previous)`, and starts the next.
    pub(super) fn close(&mut self, states: impl Iterator<Item = (f64, f64)>) {
        let base = self.slot(self.head) * self.keys;
        for (k, (level, previous)) in states.take(self.keys).enumerate() {
            if let (Some(l), Some(p)) = (self.level.get_mut(base + k), self.previous.get_mut(base + k)) {
                *l = level;
                *p = previous;
            }
        }
        self.head = self.head.saturating_add(1);
        let start = self.slot(self.head) * self.clients;
        if let Some(counts) = self.counts.get_mut(start..start + self.clients) {
            counts.fill([0; 3]);
        }
    }

    /// The view: buckets from the oldest kept to the one under way, whose state is `now_states`.
    pub(super) fn view(&self, now_states: &[(f64, f64)], client_of_key: impl Fn(usize) -> Option<u32>) -> TimelineView {
        let oldest = self.first.max(self.head.saturating_sub(TIMELINE_BUCKETS as u64 - 1));
        let buckets: Vec<usize> = (oldest..=self.head).map(|b| self.slot(b)).collect();
        let clients = (0..self.clients)
            .map(|c| {
                let column = |m: Mark| {
                    buckets
                        .iter()
                        .map(|&s| self.counts.get(s * self.clients + c).map_or(0, |x| x[m as usize]))
                        .collect()
                };
                ClientTimeline {
                    admitted: column(Mark::Admitted),
                    refused: column(Mark::Refused),
                    delayed: column(Mark::Delayed),
                }
            })
            .collect();
        let last = buckets.len().saturating_sub(1);
        let state = (0..self.keys)
            .map(|k| {
                let column = |values: &[f64], now: f64| {
                    buckets
                        .iter()
                        .enumerate()
                        .map(|(i, &s)| {
                            if i == last {
                                now
                            } else {
                                values.get(s * self.keys + k).copied().unwrap_or(0.0)
                            }
                        })
                        .collect()
                };
                let (now_level, now_previous) = now_states.get(k).copied().unwrap_or((0.0, 0.0));
                StateStrip {
                    client: client_of_key(k),
                    level: column(&self.level, now_level),
                    previous: column(&self.previous, now_previous),
                }
            })
            .collect();
        TimelineView {
            start_s: to_secs(oldest.saturating_mul(self.width)),
            bucket_s: to_secs(self.width),
            clients,
            state,
            state_label: "",
            state_max: 0.0,
            boundaries_s: Vec::new(),
        }
    }

    /// The span shown: from the oldest bucket kept to the end of the one under way (µs).
    pub(super) fn span(&self) -> (SimTime, SimTime) {
        let oldest = self.first.max(self.head.saturating_sub(TIMELINE_BUCKETS as u64 - 1));
        (oldest.saturating_mul(self.width), self.bucket_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_buckets() {
        let mut t = Timeline::new(40_000, 2, 1, 0);
        assert_eq!(t.bucket_end(), 1_000);
        for b in 0..300u32 {
            t.mark(1, Mark::Refused);
            if b % 2 == 0 {
                t.mark(0, Mark::Admitted);
            }
            t.close(std::iter::once((f64::from(b), 0.0)));
        }
        t.mark(0, Mark::Delayed);
        let v = t.view(&[(7.0, 1.0)], |_| None);
        assert_eq!(v.clients[1].refused.len(), TIMELINE_BUCKETS);
        assert_eq!(v.clients[1].refused.iter().map(|&x| u64::from(x)).sum::<u64>(), 239);
        assert_eq!(v.clients[0].delayed.last(), Some(&1));
        assert_eq!(v.state[0].level.last(), Some(&7.0));
        assert_eq!(v.state[0].level[0], 61.0);
        assert_eq!(v.start_s, 0.061);
        assert_eq!(t.span(), (61_000, 301_000));
    }
}
