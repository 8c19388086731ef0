//! The operation stream: Poisson arrivals at `rate`, each a single-key read or write, a range
//! scan, a global query or a two-key transaction, on its own generator so every strategy of a
//! comparison sees exactly the same operations ([`Workload::fingerprint`]).
//!
//! - **Kind**: a range scan with probability `range_share`, a global query `global_share`, a
//!   transaction `txn_share`, otherwise a single-key operation: a read with probability
//!   `read_ratio`, otherwise a write (an insert of the next new id when `monotonic` is 1).
//! - **Keys**: reads, writes and both keys of a transaction are drawn by popularity (Zipf rank; the
//!   keyspace turns a rank into an id). A range scan covers [`RANGE_SCAN_SHARE`] of the starting
//!   keyspace from a uniformly random id. A global query comes from a client of a random region
//!   (the regional mix); the others from the user of their (first) key.

use super::config::Config;
use super::keyspace::Keyspace;
use super::popularity::Popularity;
use super::specs::MAX_SALT;
use crate::engine::{Exponential, SimRng};
use crate::ConfigError;

/// Share of the starting keyspace one range scan covers: 2%.
pub const RANGE_SCAN_SHARE: f64 = 0.02;

/// What an operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OpKind {
    /// Read one key.
    Read,
    /// Update one key.
    Write,
    /// Insert a new key with the next id.
    Insert,
    /// Read a range of ids.
    Range,
    /// Ask every shard (scatter-gather).
    Global,
    /// Write two keys atomically.
    Txn,
}

/// One operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Op {
    /// Arrival, µs (fractional: arrivals at a million per second stay Poisson).
    pub(super) at: f64,
    pub(super) kind: OpKind,
    /// Read, write, transaction: the (first) key's popularity rank; range: the first id.
    pub(super) a: u64,
    /// Transaction: the second key's rank.
    pub(super) b: u64,
    /// Range and global: the client's region.
    pub(super) region: u8,
    /// Which sub-key a write of a salted key goes to (taken modulo the salt).
    pub(super) sub: u32,
}

/// The stream. See the module docs.
#[derive(Clone, Debug)]
pub(super) struct Workload {
    rng: SimRng,
    /// Exponential gaps of mean 1, scaled by `mean_gap`.
    unit: Exponential,
    /// Mean gap between arrivals, µs.
    mean_gap: f64,
    next_at: f64,
    issued: u64,
    fingerprint: u64,
}

impl Workload {
    /// The stream at `rate` operations per second (> 0), its first arrival drawn from time 0.
    pub(super) fn new(rng: SimRng, rate: f64) -> Result<Self, ConfigError> {
        let mut w = Self {
            rng,
            unit: Exponential::new(1.0)?,
            mean_gap: 1e6 / rate.max(1e-9),
            next_at: 0.0,
            issued: 0,
            fingerprint: 0xcbf2_9ce4_8422_2325,
        };
        w.next_at = w.gap();
        Ok(w)
    }

    fn gap(&mut self) -> f64 {
        self.unit.sample(&mut self.rng) * self.mean_gap
    }

    /// The next arrival, µs.
    pub(super) fn peek(&self) -> f64 {
        self.next_at
    }

    /// The rate changes at `now` µs: the next arrival is drawn afresh from then.
    pub(super) fn set_rate(&mut self, now: f64, rate: f64) {
        self.mean_gap = 1e6 / rate.max(1e-9);
        self.next_at = now + self.gap();
    }

    /// Operations issued so far.
    pub(super) fn issued(&self) -> u64 {
        self.issued
    }

    /// A digest of the operations so far (times, kinds, keys).
    pub(super) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Takes the next operation (drawn under `config` now) and draws the one after.
    pub(super) fn take(
        &mut self,
        config: &Config,
        popularity: &Popularity,
        keyspace: &Keyspace,
        ids: u64,
        range_len: u64,
    ) -> Op {
        let at = self.next_at;
        let rng = &mut self.rng;
        let u = rng.next_f64();
        let (range, global, txn) = (config.range_share, config.global_share, config.txn_share);
        let mut op = Op {
            at,
            kind: OpKind::Read,
            a: 0,
            b: 0,
            region: 0,
            sub: 0,
        };
        if u < range {
            op.kind = OpKind::Range;
            op.a = rng.below(ids.saturating_sub(range_len).saturating_add(1));
            op.region = keyspace.region_at(rng.next_f64());
        } else if u < range + global {
            op.kind = OpKind::Global;
            op.region = keyspace.region_at(rng.next_f64());
        } else if u < range + global + txn {
            op.kind = OpKind::Txn;
            op.a = popularity.sample(rng);
            op.b = popularity.sample(rng);
            op.sub = rng.below(u64::from(MAX_SALT)) as u32;
        } else if rng.chance(config.read_ratio) {
            op.a = popularity.sample(rng);
        } else if config.monotonic == 1 {
            op.kind = OpKind::Insert;
        } else {
            op.kind = OpKind::Write;
            op.a = popularity.sample(rng);
            op.sub = rng.below(u64::from(MAX_SALT)) as u32;
        }
        self.issued += 1;
        for word in [at.to_bits(), op.kind as u64, op.a, op.b] {
            self.fingerprint = (self.fingerprint ^ word).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.next_at = at + self.gap();
        op
    }
}
