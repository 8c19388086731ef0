//! The hash ring lab: where do keys live when the set of nodes changes?
//!
//! Five placement strategies share one portable 64-bit hash of the key ([`hash`]):
//!
//! | strategy | file | placement |
//! |---|---|---|
//! | modulo | [`placement`] | `hash(key) % N` over the node list |
//! | ring | [`ring`] | first virtual-node point clockwise at or after the key (Karger et al., 1997) |
//! | jump | [`jump`] | Lamping & Veach's jump consistent hash over the node list |
//! | rendezvous | [`rendezvous`] | highest random weight (Thaler & Ravishankar, 1998) |
//! | bounded | [`bounded`] | the ring, but no node takes more than `ceil((1+eps) * keys/nodes)` |
//!
//! Codemap:
//! - [`hash`]: key and node names, the xxh3 hash of them, the 64-bit mixer.
//! - [`membership`]: node ids, weights, adding and removing nodes.
//! - [`ring`], [`ring_builder`], [`arcs`]: the ring itself, its incremental construction, arc shares
//!   and the arcs that changed hands.
//! - [`placement`]: the incremental job that assigns every key to a node, chunk by chunk.
//! - [`progress`]: how far a sliced computation has got.
//! - [`stats`]: load balance, keys moved and its ideal, lookup cost.
//! - [`config`], [`lab`], [`snapshot`]: the lab model the UI drives and the plain data it renders
//!   (`view` builds the snapshot).
//! - [`lru`], [`cache_effect`]: what moving keys does to per-node caches in front of a database;
//!   [`cache_build`] sets that simulation up in slices (its Zipf table with the engine's
//!   [`ZipfBuilder`](crate::engine::ZipfBuilder)).
//!
//! Everything is deterministic: no wall clock, no OS randomness, no hash-map iteration.

pub mod arcs;
pub mod bounded;
pub mod cache_build;
pub mod cache_effect;
pub mod config;
pub mod hash;
pub mod jump;
pub mod lab;
pub mod lru;
pub mod membership;
pub mod placement;
pub mod progress;
pub mod rendezvous;
pub mod ring;
pub mod ring_builder;
pub mod snapshot;
pub mod stats;
pub mod strategy;
mod view;

pub use cache_build::CacheEffectBuilder;
pub use cache_effect::{CacheEffect, CacheEffectConfig, CacheEffectSnapshot};
pub use config::Config;
pub use lab::HashRingLab;
pub use membership::{Member, Membership, NodeId};
pub use placement::{Assignment, Placement, Progress};
pub use ring::{Ring, RingMember, RingPoint};
pub use snapshot::Snapshot;
pub use strategy::Strategy;
