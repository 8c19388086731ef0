//! The numbers the hash ring page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::hashring::snapshot::Change;
use scalelab_sim::hashring::Snapshot;

/// What the last change was, in a few words: `node-10 joined`, `vnodes changed`.
pub fn change_label(change: &Change) -> String {
    match change {
        Change::Added { id } => format!("node-{id} joined"),
        Change::Removed { id } => format!("node-{id} left"),
        Change::Reweighted { id, .. } => format!("node-{id} reweighted"),
        Change::Reconfigured { fields } => format!("{} changed", fields.join(" and ")),
    }
}

/// The main metrics panel for a snapshot.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let moved = s.keys_moved.unwrap_or(0.0);
    let mut keys_moved = Metric::percent(
        "keys-moved",
        "Keys moved by last change",
        moved,
        1,
        "Share of all keys whose node changed in the last change: a node joining or leaving, a new weight, or a new setting (named above the diagram).",
    );
    if s.keys_moved.is_none() {
        keys_moved.display = "none yet".into();
    }
    let mut ideal = Metric::percent(
        "ideal-moved",
        "Least possible",
        s.ideal_moved.unwrap_or(0.0),
        1,
        "The share any placement must move when a node joins or leaves: 1/(N+1) when adding one, 1/N when removing one.",
    );
    if s.ideal_moved.is_none() {
        ideal.display = "\u{2014}".into();
    }
    vec![
        Metric::number("nodes", "Nodes", s.nodes.len() as f64, 0, "Servers sharing the keys."),
        keys_moved,
        ideal,
        Metric::number(
            "load-cv",
            "Load spread (CV)",
            s.cv,
            3,
            "Coefficient of variation of keys per node (weight-adjusted): 0 is perfectly even.",
        ),
        Metric::number(
            "peak-to-mean",
            "Busiest / average",
            s.peak_to_mean,
            2,
            "How much more the busiest node holds than its fair share.",
        ),
        Metric {
            name: "lookup-cost",
            label: "Lookup cost",
            value: s.lookup_cost.operations,
            display: short_cost(&s.lookup_cost.label),
            hint: "What finding one key's node takes (data-value: rough operation count).",
            text: None,
        },
    ]
}

/// Subject lookup for lesson goals: `metric:<name>` from [`metrics`].
pub fn metric_value(s: &Snapshot, name: &str) -> Option<f64> {
    metrics(s).into_iter().find(|m| m.name == name).map(|m| m.value)
}

/// The lookup-cost label without its parenthesised detail: "1 hash + 10 comparisons".
pub fn short_cost(label: &str) -> String {
    label.split(" (").next().unwrap_or(label).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::hashring::{Config, HashRingLab};

    fn last_change(lab: &HashRingLab) -> Option<String> {
        lab.snapshot().last_change.as_ref().map(change_label)
    }

    #[test]
    fn the_last_change_is_named() {
        let mut lab = HashRingLab::new(Config::default()).unwrap();
        lab.compute_all();
        let id = lab.add_node().unwrap();
        lab.compute_all();
        assert_eq!(last_change(&lab), Some(format!("node-{id} joined")));
        lab.set_param("vnodes", "20").unwrap();
        lab.compute_all();
        assert_eq!(last_change(&lab).as_deref(), Some("vnodes changed"));
    }
}
