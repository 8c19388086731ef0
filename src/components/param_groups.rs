//! The side panel's parameter controls, wired to a page's state: one [`ParamControl`] per spec
//! ([`param_control`]) and the collapsible groups most labs show them in ([`param_groups`]).

use super::ParamControl;
use leptos::prelude::*;
use scalelab_sim::params::{ParamSpec, ParamValue};

/// A group of the side panel: title, whether it starts open, and its parameter keys in order.
pub type ParamGroup = (&'static str, bool, &'static [&'static str]);

/// Whether `groups` list every parameter of `C` exactly once (`Err` names the first that is
/// missing or listed twice). Each lab's tests call it on its `GROUPS`.
pub fn groups_cover<C: scalelab_sim::params::Params>(groups: &[ParamGroup]) -> Result<(), String> {
    let grouped: Vec<&str> = groups.iter().flat_map(|(_, _, keys)| keys.iter().copied()).collect();
    if let Some(spec) = C::specs()
        .iter()
        .find(|s| grouped.iter().filter(|k| **k == s.key).count() != 1)
    {
        return Err(format!("{} is not in exactly one group", spec.key));
    }
    match grouped.len() == C::specs().len() {
        true => Ok(()),
        false => Err("a group lists a key that is not a parameter".into()),
    }
}

/// How a page reads, writes and greys out its parameters. `Copy`, so closures capture it freely.
#[derive(Clone, Copy)]
pub struct ParamAccess {
    /// The current value of a key (tracked).
    pub value: Callback<&'static str, Option<ParamValue>>,
    /// The page's validated setter: key and raw text in, the error message out on rejection.
    pub set: Callback<(&'static str, String), Result<(), String>>,
    /// Whether a key matters for the current settings (tracked); the others are greyed out.
    pub applies: Callback<&'static str, bool>,
}

impl ParamAccess {
    /// Access through `value`, `set` and `applies` (see the fields).
    pub fn new(
        value: impl Fn(&'static str) -> Option<ParamValue> + Send + Sync + 'static,
        set: impl Fn(&'static str, &str) -> Result<(), String> + Send + Sync + 'static,
        applies: impl Fn(&'static str) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self {
            value: Callback::new(value),
            set: Callback::new(move |(key, raw): (&'static str, String)| set(key, &raw)),
            applies: Callback::new(applies),
        }
    }
}

/// The control of one parameter, reading and writing through `access`.
pub fn param_control(spec: &'static ParamSpec, access: ParamAccess) -> impl IntoView {
    let key = spec.key;
    let value = Signal::derive(move || access.value.run(key));
    let on_set = Callback::new(move |raw: String| access.set.run((key, raw)));
    let disabled = Signal::derive(move || !access.applies.run(key));
    view! { <ParamControl spec=spec value=value on_set=on_set disabled=disabled/> }
}

/// The parameter groups as `<details>` blocks, in order; `spec` finds a key's spec (keys it does
/// not know are skipped). A group starts open if its `open` says so, and opens when the lesson
/// step's preset sets one of its settings (so a step never points at a control out of sight).
pub fn param_groups(
    groups: &'static [ParamGroup],
    spec: fn(&str) -> Option<&'static ParamSpec>,
    access: ParamAccess,
) -> impl IntoView {
    param_groups_with(groups, spec, access, |_| None)
}

/// [`param_groups`] where a key that is not a spec (a lab's own text field, such as a list of
/// speeds) is drawn by `custom`, in its place in the group.
pub fn param_groups_with(
    groups: &'static [ParamGroup],
    spec: fn(&str) -> Option<&'static ParamSpec>,
    access: ParamAccess,
    custom: impl Fn(&str) -> Option<AnyView>,
) -> impl IntoView {
    let focus = use_context::<super::lesson_player::Focus>();
    groups
        .iter()
        .map(|&(title, open, keys)| {
            let controls = keys
                .iter()
                .filter_map(|key| match spec(key) {
                    Some(spec) => Some(param_control(spec, access).into_any()),
                    None => custom(key),
                })
                .collect_view();
            let is_open = move || open || focus.is_some_and(|f| f.sets_any(keys));
            view! {
                <details class="param-group" prop:open=is_open>
                    <summary>{title}</summary>
                    <div class="params">{controls}</div>
                </details>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::groups_cover;
    use scalelab_sim::hashring::Config;
    use scalelab_sim::params::Params;

    #[test]
    fn groups_must_list_every_parameter_once() {
        let all: Vec<&'static str> = Config::specs().iter().map(|s| s.key).collect();
        let all: &'static [&'static str] = Vec::leak(all);
        assert_eq!(groups_cover::<Config>(&[("All", true, all)]), Ok(()));
        assert!(groups_cover::<Config>(&[("Some", true, &all[1..])]).is_err());
        assert!(groups_cover::<Config>(&[("All", true, all), ("Again", true, &all[..1])]).is_err());
        assert!(groups_cover::<Config>(&[("All", true, all), ("Odd", true, &["bogus"])]).is_err());
    }
}
