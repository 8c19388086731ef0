//! One step of the worked calculation the page shows.

use serde::Serialize;

use super::format::tidy;

/// One line of the worked calculation: what is computed, the formula in symbols, the same formula
/// with the learner's numbers, and the result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalcLine {
    /// Stable identifier of the step, e.g. `"servers_base"` (for test ids and lesson goals).
    pub key: &'static str,
    /// What this step computes, e.g. `"Servers for the load"`.
    pub label: &'static str,
    /// The formula with symbols, e.g. `"N_base = ⌈L / C⌉"`.
    pub formula: String,
    /// The formula with the learner's numbers substituted, e.g. `"⌈20,000 / 10,000⌉"`.
    pub substituted: String,
    /// The result (finite), rounded to 12 significant digits ([`tidy`]).
    pub result: f64,
    /// The result's unit (`""` when unitless), e.g. `"servers"`.
    pub unit: &'static str,
}

impl CalcLine {
    /// A line; `formula` and `substituted` are anything string-like.
    pub fn new(
        key: &'static str,
        label: &'static str,
        formula: impl Into<String>,
        substituted: impl Into<String>,
        result: f64,
        unit: &'static str,
    ) -> Self {
        Self {
            key,
            label,
            formula: formula.into(),
            substituted: substituted.into(),
            result: tidy(result),
            unit,
        }
    }
}
