//! Where keys live: one [`Layout`] per strategy, and the lookup every operation makes.
//!
//! Shards are addressed by *slot* (their index in the lab's shard table; a slot is reused after
//! its shard has left). A layout maps a [`Key`] to a slot and, for the layouts made of units
//! (logical shards, directory entries, key ranges), to the unit that holds it:
//!
//! | layout | lookup | used by |
//! |---|---|---|
//! | `Modulo` | `hash % N` over the shards in join order ([`modulo_bucket`]) | `hash` |
//! | `Table` | `hash % E` → a table of E units | `hash` with logical shards, `directory` |
//! | `Ranges` | the range whose start is the last one at or below the id (binary search) | `range` |
//! | `Geo` | the key's region → its group of shards → [`jump_bucket`] over the group | `geo` |
//! | `Ring` | the hash ring ([`Ring`]), first virtual node clockwise | `consistent` |

use std::sync::Arc;

use super::keyspace::Key;
use crate::hashring::jump::jump_bucket;
use crate::hashring::placement::modulo_bucket;
use crate::hashring::ring::Ring;

/// A shard's index in the lab's shard table.
pub(super) type Slot = u16;
/// The unit of a key in a layout without units.
pub(super) const NO_UNIT: u32 = u32::MAX;

/// Where a key lives: its shard's slot and its unit ([`NO_UNIT`] when the layout has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Loc {
    pub(super) slot: Slot,
    pub(super) unit: u32,
}

/// A placement of the whole keyspace. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Layout {
    /// `hash % N`: bucket `b` is the `b`-th shard of `order`.
    Modulo { order: Vec<Slot> },
    /// `hash % table.len()` → the unit's shard.
    Table { table: Vec<Slot> },
    /// Key ranges: range `i` is `starts[i]..starts[i + 1]` (the last one open), `starts[0] = 0`.
    Ranges { starts: Vec<u64>, owners: Vec<Slot> },
    /// Per region, the shards that serve it (each group non-empty).
    Geo { groups: Vec<Vec<Slot>> },
    /// The consistent-hashing ring; ring member `m` is shard `slots[m]`.
    Ring { ring: Arc<Ring>, slots: Vec<Slot> },
}

impl Layout {
    /// `hash % N` over `order`.
    pub(super) fn modulo(order: Vec<Slot>) -> Self {
        Layout::Modulo { order }
    }

    /// `units` units dealt round-robin over `order` (unit `u` on `order[u % N]`).
    pub(super) fn table(units: usize, order: &[Slot]) -> Self {
        let n = order.len().max(1);
        let table = (0..units).map(|u| order.get(u % n).copied().unwrap_or(0)).collect();
        Layout::Table { table }
    }

    /// `count` equal-width ranges over ids `0..keys` (the last one open), dealt to `order` in
    /// contiguous blocks.
    pub(super) fn ranges(count: usize, keys: u64, order: &[Slot]) -> Self {
        let count = count.max(1);
        let n = order.len().max(1);
        let starts = (0..count)
            .map(|i| (u128::from(keys) * i as u128 / count as u128) as u64)
            .collect();
        let owners = (0..count)
            .map(|i| order.get(i * n / count).copied().unwrap_or(0))
            .collect();
        Layout::Ranges { starts, owners }
    }

    /// Geographic groups: the shard at position `i` of `order` serves region `i mod R`; a region
    /// left without one is served by the shard at position `r mod N`.
    pub(super) fn geo(order: &[Slot], regions: usize) -> Self {
        let regions = regions.max(1);
        let n = order.len().max(1);
        let groups = (0..regions)
            .map(|r| {
                let group: Vec<Slot> = order
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % regions == r)
                    .map(|(_, &s)| s)
                    .collect();
                if group.is_empty() {
                    vec![order.get(r % n).copied().unwrap_or(0)]
                } else {
                    group
                }
            })
            .collect();
        Layout::Geo { groups }
    }

    /// Where `key` lives.
    pub(super) fn locate(&self, key: &Key) -> Loc {
        let at = |slot: Option<Slot>, unit: u32| Loc {
            slot: slot.unwrap_or(0),
            unit,
        };
        match self {
            Layout::Modulo { order } => {
                let b = modulo_bucket(key.hash, order.len() as u32).unwrap_or(0);
                at(order.get(b as usize).copied(), NO_UNIT)
            }
            Layout::Table { table } => {
                let u = modulo_bucket(key.hash, table.len() as u32).unwrap_or(0);
                at(table.get(u as usize).copied(), u)
            }
            Layout::Ranges { starts, owners } => {
                let u = starts.partition_point(|&s| s <= key.id).saturating_sub(1);
                at(owners.get(u).copied(), u as u32)
            }
            Layout::Geo { groups } => {
                let group = groups
                    .get(usize::from(key.region))
                    .or_else(|| groups.first())
                    .map_or(&[][..], Vec::as_slice);
                let b = jump_bucket(key.hash, group.len() as u32).unwrap_or(0);
                at(group.get(b as usize).copied(), NO_UNIT)
            }
            Layout::Ring { ring, slots } => {
                let member = ring.point_index(key.hash).and_then(|i| ring.member_at(i));
                at(member.and_then(|m| slots.get(m)).copied(), NO_UNIT)
            }
        }
    }

    /// The number of units (table entries or ranges; 0 for the others).
    pub(super) fn units(&self) -> usize {
        match self {
            Layout::Table { table } => table.len(),
            Layout::Ranges { owners, .. } => owners.len(),
            _ => 0,
        }
    }

    /// The shard of unit `u`.
    pub(super) fn unit_owner(&self, u: usize) -> Option<Slot> {
        match self {
            Layout::Table { table } => table.get(u).copied(),
            Layout::Ranges { owners, .. } => owners.get(u).copied(),
            _ => None,
        }
    }

    /// Range `u`'s ids, `start..end` (`end` = `u64::MAX` for the last, open range).
    pub(super) fn range_span(&self, u: usize) -> Option<(u64, u64)> {
        let Layout::Ranges { starts, .. } = self else {
            return None;
        };
        let start = *starts.get(u)?;
        Some((start, starts.get(u + 1).copied().unwrap_or(u64::MAX)))
    }

    /// The shards holding ids `from..to` under a range layout (in key order, each once), or
    /// `None` for the layouts that scatter keys.
    pub(super) fn range_owners(&self, from: u64, to: u64, into: &mut Vec<Slot>) -> bool {
        let Layout::Ranges { starts, owners } = self else {
            return false;
        };
        let first = starts.partition_point(|&s| s <= from).saturating_sub(1);
        for (u, &owner) in owners.iter().enumerate().skip(first) {
            if starts.get(u).is_some_and(|&s| s >= to && u > first) {
                break;
            }
            if !into.contains(&owner) {
                into.push(owner);
            }
        }
        true
    }

    /// Units held by `slot`.
    pub(super) fn units_of(&self, slot: Slot) -> u32 {
        match self {
            Layout::Table { table } => table.iter().filter(|&&s| s == slot).count() as u32,
            Layout::Ranges { owners, .. } => owners.iter().filter(|&&s| s == slot).count() as u32,
            _ => 0,
        }
    }

    /// Whether `slot` holds any key under this layout (approximately, for the scattering layouts:
    /// whether it takes part at all).
    pub(super) fn holds(&self, slot: Slot) -> bool {
        match self {
            Layout::Modulo { order } => order.contains(&slot),
            Layout::Table { table } => table.contains(&slot),
            Layout::Ranges { owners, .. } => owners.contains(&slot),
            Layout::Geo { groups } => groups.iter().any(|g| g.contains(&slot)),
            Layout::Ring { slots, .. } => slots.contains(&slot),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: u64) -> Key {
        Key {
            id,
            hash: crate::hashring::hash::key_hash(id),
            region: 0,
        }
    }

    #[test]
    fn equal_ranges_in_blocks() {
        let l = Layout::ranges(8, 800, &[3, 1, 2, 0]);
        assert_eq!(l.locate(&key(0)).slot, 3);
        assert_eq!(l.locate(&key(199)).slot, 3);
        assert_eq!(l.locate(&key(200)).slot, 1);
        assert_eq!(l.locate(&key(10_000)).slot, 0);
        assert_eq!(l.locate(&key(250)).unit, 2);
        let mut owners = Vec::new();
        assert!(l.range_owners(150, 450, &mut owners));
        assert_eq!(owners, vec![3, 1, 2]);
        owners.clear();
        l.range_owners(0, 100, &mut owners);
        assert_eq!(owners, vec![3]);
    }

    #[test]
    fn geo_groups_follow_positions() {
        let Layout::Geo { groups } = Layout::geo(&[0, 1, 2, 3, 4], 3) else {
            panic!()
        };
        assert_eq!(groups, vec![vec![0, 3], vec![1, 4], vec![2]]);
        let Layout::Geo { groups } = Layout::geo(&[5, 6], 3) else {
            panic!()
        };
        assert_eq!(groups, vec![vec![5], vec![6], vec![5]]);
    }
}
