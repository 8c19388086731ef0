//! nginx's smooth weighted round robin (`ngx_http_upstream_get_peer`), exact, in O(weights +
//! log servers) per pick instead of nginx's O(servers).
//!
//! nginx: every candidate adds its weight to its current score, the highest score wins (the first
//! in membership order on a tie) and the total weight is subtracted from it. Weights
//! {a: 5, b: 1, c: 1} give a a b a c a a, and repeat.
//!
//! After `t` picks over a fixed candidate set, candidate `i`'s score is `base_i + t·w_i`, where
//! `base_i` (its score at the start minus the total weight for each of its wins) changes only when
//! it wins. Among candidates of equal weight the order by score is the order by `base`, which no
//! pick disturbs except the winner's own; so each group of equal weight keeps a heap by
//! (`base`, earliest position), and a pick compares only the groups' leaders. With every speed
//! equal that is one group: O(log servers) per pick. The candidate set changes only when the
//! routable set does; then the scores are written back per slot and the groups rebuilt.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Picks after which the bases are renormalised (keeps `t·w` far from overflow).
const RENORMALISE_AFTER: i64 = 1 << 40;

/// Candidates of one weight.
#[derive(Clone, Debug, Default)]
struct Group {
    weight: i64,
    /// `(base, Reverse(position))`: the leader has the highest base, then the earliest position.
    heap: BinaryHeap<(i64, Reverse<u32>)>,
}

/// One balancer's smooth weighted round robin state. See the module docs.
#[derive(Clone, Debug, Default)]
pub(super) struct SmoothWrr {
    /// Each server slot's current score, valid while no candidate set is cached.
    current: Vec<i64>,
    /// The routable-set version the candidates were built for (`None`: none cached).
    version: Option<u64>,
    /// Candidates in membership order: slot, weight, base.
    slots: Vec<u32>,
    weights: Vec<i64>,
    base: Vec<i64>,
    groups: Vec<Group>,
    total: i64,
    picks: i64,
}

impl SmoothWrr {
    /// State for `slots` server slots, every score 0.
    pub(super) fn new(slots: usize) -> Self {
        Self {
            current: vec![0; slots],
            ..Self::default()
        }
    }

    /// Writes the candidates' scores back per slot and drops the cached candidates.
    fn flush(&mut self) {
        for ((&slot, &base), &weight) in self.slots.iter().zip(&self.base).zip(&self.weights) {
            if let Some(c) = self.current.get_mut(slot as usize) {
                *c = base.saturating_add(self.picks.saturating_mul(weight));
            }
        }
        self.slots.clear();
        self.weights.clear();
        self.base.clear();
        self.groups.clear();
        self.picks = 0;
        self.version = None;
    }

    /// Resets slot `slot`'s score to 0 (growing the table for a new slot).
    pub(super) fn reset_slot(&mut self, slot: usize) {
        self.flush();
        if self.current.len() <= slot {
            self.current.resize(slot + 1, 0);
        }
        if let Some(c) = self.current.get_mut(slot) {
            *c = 0;
        }
    }

    /// Every score back to 0.
    pub(super) fn reset(&mut self) {
        self.flush();
        self.current.iter_mut().for_each(|c| *c = 0);
    }

    fn build(&mut self, version: u64, candidates: Vec<(u32, i64)>) {
        self.flush();
        let mut by_weight: Vec<(i64, u32)> = Vec::with_capacity(candidates.len());
        for (position, (slot, weight)) in candidates.into_iter().enumerate() {
            let score = self.current.get(slot as usize).copied().unwrap_or(0);
            self.slots.push(slot);
            self.weights.push(weight);
            self.base.push(score);
            by_weight.push((weight, position as u32));
        }
        self.total = self.weights.iter().fold(0i64, |a, &w| a.saturating_add(w));
        by_weight.sort_unstable();
        for (weight, position) in by_weight {
            if self.groups.last().is_none_or(|g| g.weight != weight) {
                self.groups.push(Group {
                    weight,
                    heap: BinaryHeap::new(),
                });
            }
            let base = self.base.get(position as usize).copied().unwrap_or(0);
            if let Some(group) = self.groups.last_mut() {
                group.heap.push((base, Reverse(position)));
            }
        }
        self.version = Some(version);
    }

    /// One pick among `candidates` (routable members in membership order, with their weights),
    /// which are only read when `version` (of the routable set) changed since the last pick.
    /// Returns the winner's slot; `None` without candidates.
    pub(super) fn pick(&mut self, version: u64, candidates: impl FnOnce() -> Vec<(u32, i64)>) -> Option<usize> {
        if self.version != Some(version) {
            self.build(version, candidates());
        }
        let t = self.picks.saturating_add(1);
        let mut best: Option<(i64, u32, usize)> = None;
        for (g, group) in self.groups.iter().enumerate() {
            let Some(&(base, Reverse(position))) = group.heap.peek() else {
                continue;
            };
            let score = base.saturating_add(t.saturating_mul(group.weight));
            if best.is_none_or(|(s, p, _)| score > s || (score == s && position < p)) {
                best = Some((score, position, g));
            }
        }
        let (_, position, g) = best?;
        let group = self.groups.get_mut(g)?;
        group.heap.pop();
        let base = self.base.get_mut(position as usize)?;
        *base = base.saturating_sub(self.total);
        group.heap.push((*base, Reverse(position)));
        self.picks = t;
        let slot = self.slots.get(position as usize).map(|&s| s as usize);
        if self.picks >= RENORMALISE_AFTER {
            self.flush();
        }
        slot
    }
}

/// nginx's loop itself, O(candidates): every candidate adds `weights[j]` to `current[j]`, the
/// first highest wins and loses the total. Returns the winner's position. (The reference the
/// grouped version is checked against.)
#[cfg(test)]
pub(super) fn smooth_wrr_pick(current: &mut [i64], weights: &[i64]) -> Option<usize> {
    let mut total = 0i64;
    let mut best: Option<(usize, i64)> = None;
    for (j, (score, &weight)) in current.iter_mut().zip(weights).enumerate() {
        *score += weight;
        total += weight;
        if best.is_none_or(|(_, b)| *score > b) {
            best = Some((j, *score));
        }
    }
    let (j, _) = best?;
    current[j] -= total;
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimRng;

    #[test]
    fn nginx_sequence() {
        let weights = [5i64, 1, 1];
        let mut current = [0i64; 3];
        let naive: String = (0..14)
            .map(|_| (b'a' + smooth_wrr_pick(&mut current, &weights).unwrap() as u8) as char)
            .collect();
        assert_eq!(naive, "aabacaaaabacaa");
        let mut wrr = SmoothWrr::new(3);
        let grouped: String = (0..14)
            .map(|_| {
                let slot = wrr.pick(0, || vec![(0, 5), (1, 1), (2, 1)]).unwrap();
                (b'a' + slot as u8) as char
            })
            .collect();
        assert_eq!(grouped, naive);
        assert_eq!(SmoothWrr::new(0).pick(0, Vec::new), None);
    }

    #[test]
    fn grouped_picks_equal_nginx_loop_through_changes() {
        let mut rng = SimRng::new(5);
        let slots = 12;
        let weights: Vec<i64> = (0..slots).map(|_| 1 + rng.below(3) as i64 * 500).collect();
        let mut up = vec![true; slots];
        let mut naive = vec![0i64; slots];
        let mut wrr = SmoothWrr::new(slots);
        let mut version = 0;
        for step in 0..5_000 {
            if step % 97 == 0 {
                let s = rng.below(slots as u64) as usize;
                up[s] = !up[s];
                version += 1;
            }
            let candidates: Vec<usize> = (0..slots).filter(|&s| up[s]).collect();
            let mut cur: Vec<i64> = candidates.iter().map(|&s| naive[s]).collect();
            let w: Vec<i64> = candidates.iter().map(|&s| weights[s]).collect();
            let want = smooth_wrr_pick(&mut cur, &w).map(|j| candidates[j]);
            for (j, &s) in candidates.iter().enumerate() {
                naive[s] = cur[j];
            }
            let got = wrr.pick(version, || candidates.iter().map(|&s| (s as u32, weights[s])).collect());
            assert_eq!(got, want, "step {step}");
        }
    }
}
