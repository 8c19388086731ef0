//! Resharding plans: the layout after adding a shard, removing one or splitting the hottest range,
//! and what it moves, in words. Planning is O(units + shards); counting the keys that move is the
//! placement job's (see `job.rs`).
//!
//! - **Add.** `hash`: one more bucket (`hash % (N+1)`). `consistent`: the new shard's virtual
//!   nodes join the ring (rebuilt by the job). `geo`: the new shard takes the next position, so it
//!   serves region `N mod R`. Logical shards (`hash`/`range` with `logical_shards`): the new shard
//!   takes `⌊L/(N+1)⌋` whole logical shards, each from the shard holding the most at that moment.
//!   `range` without logical shards: the range holding the most keys is split at its middle key and
//!   its upper half goes to the new shard. `directory`: entries move to the new shard, each from the
//!   shard with the most observed load, until it carries `1/(N+1)` of the load (by count, as
//!   logical shards, before any load is observed).
//! - **Remove** (always the most recently added shard still there): its units go one by one to the
//!   shard holding the fewest (`directory`: the least loaded); its key ranges (plain `range`) to
//!   the shard of the range before each; the others recompute as for add.
//! - **Split the hot range** (`range`, `directory`): the unit with the most operations since the
//!   layout last changed; a range is split where it splits its counted operations in half (at the
//!   insertion point when inserts carry most of it) and the upper part, a directory entry whole,
//!   moves to the least loaded other shard.

use super::layout::{Layout, Slot};
use super::load_map::LoadMap;
use super::strategy::Strategy;
use crate::ConfigError;

/// Most key ranges a range layout may hold (splits stop there).
pub const MAX_RANGES: usize = 4_096;

/// The layout a change leads to.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Target {
    /// Ready to use.
    Ready(Layout),
    /// A ring over these shards (join order), to be built by the job.
    Ring(Vec<Slot>),
}

/// A planned change.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Planned {
    pub(super) target: Target,
    /// Units (logical shards, entries, ranges) that changed hands.
    pub(super) units_moved: u32,
    /// What it does, in words.
    pub(super) text: String,
}

/// What a plan needs to know about the lab.
pub(super) struct Context<'a> {
    pub(super) strategy: Strategy,
    /// Units are logical shards moved whole, dealt by count.
    pub(super) logical: bool,
    /// The shards in join order before the change.
    pub(super) order: &'a [Slot],
    /// The regions' names, in mix order.
    pub(super) regions: &'a [String],
    /// Ids in use (the starting keys and the inserted ones).
    pub(super) total_ids: u64,
    pub(super) loads: &'a LoadMap,
    /// Each slot's recent operations per second.
    pub(super) shard_load: &'a [f64],
    /// Each slot's shard id (for the words).
    pub(super) ids: &'a [u32],
}

impl Context<'_> {
    fn id(&self, slot: Slot) -> u32 {
        self.ids.get(usize::from(slot)).copied().unwrap_or(u32::from(slot))
    }

    fn load(&self, slot: Slot) -> f64 {
        self.shard_load.get(usize::from(slot)).copied().unwrap_or(0.0)
    }

    /// The least loaded shard other than `except` (ties: first in join order).
    fn least_loaded(&self, except: Slot) -> Option<Slot> {
        let mut best: Option<Slot> = None;
        for &s in self.order.iter().filter(|&&s| s != except) {
            if best.is_none_or(|b| self.load(s) < self.load(b)) {
                best = Some(s);
            }
        }
        best
    }
}

fn owners_mut(layout: &mut Layout) -> Option<&mut Vec<Slot>> {
    match layout {
        Layout::Table { table } => Some(table),
        Layout::Ranges { owners, .. } => Some(owners),
        _ => None,
    }
}

/// Units of each shard of `order` (by position), highest unit index last.
fn units_by_shard(owners: &[Slot], order: &[Slot]) -> Vec<Vec<usize>> {
    let mut by = vec![Vec::new(); order.len()];
    for (u, &s) in owners.iter().enumerate() {
        if let Some(p) = order.iter().position(|&o| o == s) {
            if let Some(list) = by.get_mut(p) {
                list.push(u);
            }
        }
    }
    by
}

/// Moves `count` units to `to`, each the last unit of the shard holding the most.
fn take_by_count(owners: &mut [Slot], order: &[Slot], to: Slot, count: usize) -> u32 {
    let mut by = units_by_shard(owners, order);
    let mut moved = 0;
    for _ in 0..count {
        let donor = (0..by.len()).fold(None, |best: Option<usize>, p| {
            let len = by.get(p).map_or(0, Vec::len);
            match best {
                Some(b) if by.get(b).map_or(0, Vec::len) >= len => Some(b),
                _ => Some(p),
            }
        });
        let Some(unit) = donor.and_then(|p| by.get_mut(p)).and_then(Vec::pop) else {
            break;
        };
        if let Some(o) = owners.get_mut(unit) {
            *o = to;
            moved += 1;
        }
    }
    moved
}

/// Moves units to `to` until it carries `1/(N+1)` of the counted load; each from the most loaded
/// shard, the heaviest of its units that still fits.
fn take_by_load(owners: &mut [Slot], order: &[Slot], to: Slot, unit_load: &[u64]) -> u32 {
    let load = |u: usize| unit_load.get(u).copied().unwrap_or(0);
    let total: u64 = unit_load.iter().sum();
    let target = total / (order.len() as u64 + 1);
    let mut shard_load: Vec<u64> = order
        .iter()
        .map(|&s| {
            owners
                .iter()
                .enumerate()
                .filter(|(_, &o)| o == s)
                .map(|(u, _)| load(u))
                .sum()
        })
        .collect();
    let mut carried = 0u64;
    let mut moved = 0;
    while carried < target {
        let Some(p) = (0..order.len()).max_by_key(|&p| (shard_load.get(p).copied().unwrap_or(0), usize::MAX - p))
        else {
            break;
        };
        let Some(&donor) = order.get(p) else { break };
        let room = target - carried;
        let pick = owners
            .iter()
            .enumerate()
            .filter(|(u, &o)| o == donor && load(*u) > 0 && load(*u) <= room)
            .max_by_key(|(u, _)| (load(*u), usize::MAX - u))
            .map(|(u, _)| u);
        let Some(unit) = pick else { break };
        if let Some(o) = owners.get_mut(unit) {
            *o = to;
        }
        carried += load(unit);
        if let Some(l) = shard_load.get_mut(p) {
            *l -= load(unit);
        }
        moved += 1;
    }
    moved
}

/// The plan for adding shard `new` (already given its slot).
pub(super) fn add(ctx: &Context, layout: &Layout, new: Slot) -> Result<Planned, ConfigError> {
    let mut order = ctx.order.to_vec();
    order.push(new);
    let name = ctx.id(new);
    let n = ctx.order.len();
    let mut next = layout.clone();
    let (target, units_moved, text) = match layout {
        Layout::Modulo { .. } => (
            Target::Ready(Layout::modulo(order)),
            0,
            format!("added shard {name}: keys now go to hash % {}", n + 1),
        ),
        Layout::Geo { .. } => {
            let region = ctx.regions.get(n % ctx.regions.len().max(1)).map_or("", String::as_str);
            (
                Target::Ready(Layout::geo(&order, ctx.regions.len())),
                0,
                format!("added shard {name} to region {region}"),
            )
        }
        Layout::Ring { .. } => (
            Target::Ring(order),
            0,
            format!("added shard {name}: its virtual nodes join the ring"),
        ),
        Layout::Table { .. } if ctx.strategy == Strategy::Directory && ctx.loads.units().iter().any(|&l| l > 0) => {
            let units = layout.units();
            let owners = owners_mut(&mut next).ok_or_else(|| ConfigError::new("shards", "no table"))?;
            let moved = take_by_load(owners, ctx.order, new, ctx.loads.units());
            (
                Target::Ready(next),
                moved,
                format!("added shard {name}: {moved} of {units} directory entries move to it, the busiest first"),
            )
        }
        Layout::Table { .. } => {
            let units = layout.units();
            let owners = owners_mut(&mut next).ok_or_else(|| ConfigError::new("shards", "no table"))?;
            let moved = take_by_count(owners, ctx.order, new, units / (n + 1));
            let what = if ctx.strategy == Strategy::Directory {
                "directory entries"
            } else {
                "logical shards"
            };
            (
                Target::Ready(next),
                moved,
                format!("added shard {name}: {moved} of {units} {what} move to it whole"),
            )
        }
        Layout::Ranges { .. } if ctx.logical => {
            let units = layout.units();
            let owners = owners_mut(&mut next).ok_or_else(|| ConfigError::new("shards", "no ranges"))?;
            let moved = take_by_count(owners, ctx.order, new, units / (n + 1));
            (
                Target::Ready(next),
                moved,
                format!("added shard {name}: {moved} of {units} logical ranges move to it whole"),
            )
        }
        Layout::Ranges { starts, owners } => {
            if starts.len() >= MAX_RANGES {
                return Err(ConfigError::new("shards", format!("at most {MAX_RANGES} key ranges")));
            }
            let held = |u: usize| {
                let start = starts.get(u).copied().unwrap_or(0);
                let end = starts.get(u + 1).copied().unwrap_or(u64::MAX).min(ctx.total_ids);
                end.saturating_sub(start)
            };
            let biggest = (0..starts.len())
                .max_by_key(|&u| (held(u), usize::MAX - u))
                .unwrap_or(0);
            let keys = held(biggest);
            let start = starts.get(biggest).copied().unwrap_or(0);
            let mut starts = starts.clone();
            let mut owners = owners.clone();
            let (moved, text) = if keys >= 2 {
                let mid = start + keys / 2;
                starts.insert(biggest + 1, mid);
                owners.insert(biggest + 1, new);
                let from = ctx.id(layout.unit_owner(biggest).unwrap_or(0));
                (
                    1,
                    format!("added shard {name}: it takes the upper half of the biggest range (ids {mid}.., from shard {from})"),
                )
            } else {
                (
                    0,
                    format!("added shard {name}: no range big enough to split, it starts empty"),
                )
            };
            (Target::Ready(Layout::Ranges { starts, owners }), moved, text)
        }
    };
    Ok(Planned {
        target,
        units_moved,
        text,
    })
}

/// The plan for removing the last shard of the join order.
pub(super) fn remove(ctx: &Context, layout: &Layout) -> Result<Planned, ConfigError> {
    let Some((&victim, rest)) = ctx.order.split_last() else {
        return Err(ConfigError::new("shards", "there is no shard to remove"));
    };
    if rest.is_empty() {
        return Err(ConfigError::new("shards", "the last shard cannot be removed"));
    }
    let name = ctx.id(victim);
    let order = rest.to_vec();
    let mut next = layout.clone();
    let (target, units_moved) = match layout {
        Layout::Modulo { .. } => (Target::Ready(Layout::modulo(order)), 0),
        Layout::Geo { .. } => (Target::Ready(Layout::geo(&order, ctx.regions.len())), 0),
        Layout::Ring { .. } => (Target::Ring(order), 0),
        Layout::Ranges { starts, owners } if !ctx.logical => {
            let mut starts_out: Vec<u64> = Vec::with_capacity(starts.len());
            let mut owners_out: Vec<Slot> = Vec::with_capacity(owners.len());
            let mut moved = 0;
            let first_kept = owners.iter().copied().find(|&o| o != victim).unwrap_or(0);
            for (&s, &o) in starts.iter().zip(owners) {
                let o = if o == victim {
                    moved += 1;
                    owners_out.last().copied().unwrap_or(first_kept)
                } else {
                    o
                };
                if owners_out.last() == Some(&o) {
                    continue;
                }
                starts_out.push(s);
                owners_out.push(o);
            }
            if let Some(first) = starts_out.first_mut() {
                *first = 0;
            }
            let ranges = Layout::Ranges {
                starts: starts_out,
                owners: owners_out,
            };
            (Target::Ready(ranges), moved)
        }
        Layout::Table { .. } | Layout::Ranges { .. } => {
            let by_load = ctx.strategy == Strategy::Directory;
            let unit_load = ctx.loads.units();
            let owners = owners_mut(&mut next).ok_or_else(|| ConfigError::new("shards", "no table"))?;
            let mut count: Vec<u64> = order
                .iter()
                .map(|&s| {
                    owners
                        .iter()
                        .enumerate()
                        .filter(|(_, &o)| o == s)
                        .map(|(u, _)| {
                            if by_load {
                                unit_load.get(u).copied().unwrap_or(0)
                            } else {
                                1
                            }
                        })
                        .sum()
                })
                .collect();
            let mut moved = 0;
            for u in 0..owners.len() {
                if owners.get(u) != Some(&victim) {
                    continue;
                }
                let Some(p) = (0..order.len()).min_by_key(|&p| (count.get(p).copied().unwrap_or(0), p)) else {
                    break;
                };
                if let (Some(o), Some(&s)) = (owners.get_mut(u), order.get(p)) {
                    *o = s;
                    moved += 1;
                }
                if let Some(c) = count.get_mut(p) {
                    *c += if by_load {
                        unit_load.get(u).copied().unwrap_or(0).max(1)
                    } else {
                        1
                    };
                }
            }
            (Target::Ready(next), moved)
        }
    };
    let text = if units_moved > 0 {
        format!("removing shard {name}: its {units_moved} units move to the others")
    } else {
        format!("removing shard {name}: its keys move to the others")
    };
    Ok(Planned {
        target,
        units_moved,
        text,
    })
}

/// The plan for splitting the hottest range (`range`) or moving the hottest entry (`directory`).
pub(super) fn split(ctx: &Context, layout: &Layout) -> Result<Planned, ConfigError> {
    if !ctx.strategy.splits() {
        return Err(ConfigError::new(
            "strategy",
            "only range sharding splits ranges (and a directory moves entries); salt a hot key instead",
        ));
    }
    if ctx.order.len() < 2 {
        return Err(ConfigError::new(
            "shards",
            "add a shard first: there is nowhere to move a range to",
        ));
    }
    let unit_load = ctx.loads.units();
    let units = layout.units();
    let held = |u: usize| match layout.range_span(u) {
        Some((s, e)) => e.min(ctx.total_ids).saturating_sub(s),
        None => 0,
    };
    let hottest = (0..units)
        .max_by_key(|&u| (unit_load.get(u).copied().unwrap_or(0), held(u), usize::MAX - u))
        .ok_or_else(|| ConfigError::new("strategy", "no range to split"))?;
    let owner = layout.unit_owner(hottest).unwrap_or(0);
    let to = ctx
        .least_loaded(owner)
        .ok_or_else(|| ConfigError::new("shards", "no other shard to move to"))?;
    let (from_id, to_id) = (ctx.id(owner), ctx.id(to));
    match layout {
        Layout::Ranges { starts, owners } => {
            if starts.len() >= MAX_RANGES {
                return Err(ConfigError::new("shards", format!("at most {MAX_RANGES} key ranges")));
            }
            let (start, end) = layout.range_span(hottest).unwrap_or((0, u64::MAX));
            let mid = ctx
                .loads
                .median(start, end, ctx.total_ids)
                .unwrap_or_else(|| start + held(hottest) / 2);
            let mid = mid.clamp(start.saturating_add(1), end.saturating_sub(1));
            if mid <= start || mid >= end {
                return Err(ConfigError::new(
                    "strategy",
                    "the hottest range holds a single key: no split can divide it (salt it instead)",
                ));
            }
            let mut starts = starts.clone();
            let mut owners = owners.clone();
            starts.insert(hottest + 1, mid);
            owners.insert(hottest + 1, to);
            let upper = if end == u64::MAX {
                format!("ids {mid}..")
            } else {
                format!("ids {mid}..{end}")
            };
            Ok(Planned {
                target: Target::Ready(Layout::Ranges { starts, owners }),
                units_moved: 1,
                text: format!("split the hottest range of shard {from_id}: {upper} move to shard {to_id}"),
            })
        }
        _ => {
            let mut next = layout.clone();
            if let Some(o) = owners_mut(&mut next).and_then(|o| o.get_mut(hottest)) {
                *o = to;
            }
            Ok(Planned {
                target: Target::Ready(next),
                units_moved: 1,
                text: format!("moved the hottest directory entry ({hottest}) from shard {from_id} to shard {to_id}"),
            })
        }
    }
}
