//! Key popularity: the engine's [`Zipf`] table plus a guide table that makes a draw cheap.
//!
//! [`Zipf::sample`] binary-searches the whole cumulative table: at ten million keys (80 MB) that
//! is some twenty cache misses per draw. The guide (Chen & Asau's "guide table" for inverse
//! transform sampling) records, for each of G equal slices of `[0, 1)`, the first rank a draw in
//! that slice can give, so a draw searches only between two neighbouring guide entries, a handful
//! of ranks. It gives exactly [`Zipf::sample`]'s rank from the same generator output. Built in
//! slices after the table (one unit per eight ranks); G is about a sixteenth of the ranks (4 bytes
//! each: 2.5 MB at ten million keys).

use std::sync::Arc;

use crate::engine::{SimRng, Zipf, ZipfBuilder};
use crate::ConfigError;

/// Ranks swept per work unit while building the guide.
const GUIDE_RANKS_PER_UNIT: u64 = 8;
/// Zipf table entries normalised per work unit ([`ZipfBuilder`]'s step).
const NORMALISED_PER_UNIT: u64 = 128;

/// A popularity table and its guide. Shared (`Arc`) by every run of one dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Popularity {
    zipf: Zipf,
    /// `guide[g]`: the rank a draw of `u = g / G` gives; `guide[G]` the last rank.
    guide: Vec<u32>,
}

fn guide_size(n: usize) -> usize {
    (n / 16).next_power_of_two().clamp(1_024, 1 << 20)
}

impl Popularity {
    /// The Zipf table.
    pub fn zipf(&self) -> &Zipf {
        &self.zipf
    }

    /// Draws one rank in `0..n`: the rank [`Zipf::sample`] would give for the same generator
    /// output (one output per draw).
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        let u = rng.next_f64();
        let slices = self.guide.len().saturating_sub(1).max(1);
        let g = ((u * slices as f64) as usize).min(slices - 1);
        let lo = self.guide.get(g).copied().unwrap_or(0) as usize;
        let hi = self.guide.get(g + 1).copied().unwrap_or(0) as usize;
        // The first rank k in lo..=hi whose cumulative probability top_mass(k + 1) exceeds u.
        let (mut a, mut b) = (lo, hi.max(lo));
        while a < b {
            let mid = a + (b - a) / 2;
            if self.zipf.top_mass(mid + 1) <= u {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        a.min(self.zipf.n().saturating_sub(1)) as u64
    }
}

/// Builds a [`Popularity`] in slices: the Zipf table, then the guide.
#[derive(Clone, Debug)]
pub(super) struct PopularityBuilder {
    table: Option<ZipfBuilder>,
    zipf: Option<Zipf>,
    guide: Vec<u32>,
    slices: usize,
    next_rank: usize,
    total: u64,
    done: u64,
}

impl PopularityBuilder {
    /// Starts building popularity over `n` ranks (1..=10,000,000) of exponent `alpha` (0..=5).
    pub(super) fn new(n: usize, alpha: f64) -> Result<Self, ConfigError> {
        let table = ZipfBuilder::new(n, alpha)?;
        let slices = guide_size(n);
        let n64 = n as u64;
        Ok(Self {
            table: Some(table),
            zipf: None,
            guide: Vec::with_capacity(slices + 1),
            slices,
            next_rank: 0,
            total: n64 + n64.div_ceil(NORMALISED_PER_UNIT) + n64.div_ceil(GUIDE_RANKS_PER_UNIT) + 1,
            done: 0,
        })
    }

    /// Work units in the whole build.
    pub(super) fn total(&self) -> u64 {
        self.total
    }

    /// Work units done.
    pub(super) fn done(&self) -> u64 {
        self.done
    }

    /// Whether the build is complete.
    pub(super) fn is_done(&self) -> bool {
        self.table.is_none() && self.guide.len() > self.slices
    }

    /// Does up to `budget` work units (at least one while unfinished); returns the units done.
    pub(super) fn advance(&mut self, budget: u64) -> u64 {
        let mut left = budget.max(1);
        let mut used = 0;
        while left > 0 && !self.is_done() {
            let step = if let Some(table) = self.table.as_mut() {
                let steps = table.advance(usize::try_from(left).unwrap_or(usize::MAX)) as u64;
                if table.is_done() {
                    self.zipf = self.table.take().map(ZipfBuilder::finish);
                }
                steps
            } else {
                self.guide_some(left)
            };
            used += step;
            left = left.saturating_sub(step.max(1));
        }
        self.done = self.done.saturating_add(used).min(self.total);
        used
    }

    fn guide_some(&mut self, budget: u64) -> u64 {
        let Some(zipf) = self.zipf.as_ref() else {
            return 0;
        };
        let n = zipf.n();
        let end = n.min(
            self.next_rank
                .saturating_add(usize::try_from(budget.saturating_mul(GUIDE_RANKS_PER_UNIT)).unwrap_or(usize::MAX)),
        );
        let start = self.next_rank;
        for k in start..end {
            // Every slice whose lower edge falls below rank k's cumulative probability starts at k.
            let c = zipf.top_mass(k + 1);
            while self.guide.len() < self.slices && (self.guide.len() as f64 / self.slices as f64) < c {
                self.guide.push(k as u32);
            }
        }
        self.next_rank = end;
        if end >= n {
            let last = n.saturating_sub(1) as u32;
            while self.guide.len() <= self.slices {
                self.guide.push(last);
            }
        }
        ((end - start) as u64).div_ceil(GUIDE_RANKS_PER_UNIT).max(1)
    }

    /// The popularity; an unfinished build is completed first. `None` only if the table could not
    /// be made (never for valid parameters).
    pub(super) fn finish(mut self) -> Option<Arc<Popularity>> {
        while !self.is_done() {
            if self.advance(u64::MAX) == 0 && self.zipf.is_none() && self.table.is_none() {
                return None;
            }
        }
        Some(Arc::new(Popularity {
            zipf: self.zipf?,
            guide: self.guide,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guided_draws_equal_the_tables() {
        for (n, alpha) in [(1, 1.0), (7, 0.0), (5_000, 1.0), (100_000, 0.8), (3_000, 2.5)] {
            let mut b = PopularityBuilder::new(n, alpha).unwrap();
            while !b.is_done() {
                b.advance(333);
            }
            let p = b.finish().unwrap();
            let (mut r1, mut r2) = (SimRng::new(9), SimRng::new(9));
            for _ in 0..50_000 {
                assert_eq!(p.sample(&mut r1), p.zipf().sample(&mut r2) as u64, "{n} {alpha}");
            }
        }
    }
}
