//! What a lab page learns when it opens: the URL's values (validated), the lesson step to start
//! on (URL first, then saved progress), and the notices for anything rejected.
//!
//! A page builds its config in three layers: defaults, the starting step's preset (lesson mode
//! only), then the URL's values on top, so a shared link always wins. From then on
//! [`follow_in_url`] keeps the address bar equal to the page's state.

use super::url_state::{apply_query, build_query, CommonState, Mode};
use crate::lessons::{Lesson, Progress};
use crate::platform;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scalelab_sim::params::Params;
use scalelab_sim::ConfigError;

/// The URL and progress state a lab page opens with.
pub struct Boot {
    /// The query's pairs, in order.
    pub pairs: Vec<(String, String)>,
    /// Seed, step, mode and `until` from the URL (validated).
    pub common: CommonState,
    /// One message per rejected or unknown URL value.
    pub notices: Vec<String>,
    /// The lesson step to start on, 0-based.
    pub step: usize,
}

impl Boot {
    /// Reads the current URL once. `validate(key, raw)` checks a lab key against scratch configs
    /// (`None` = unknown key), so the notices cover every rejected value.
    pub fn read(lesson: Option<&Lesson>, validate: impl FnMut(&str, &str) -> Option<Result<(), ConfigError>>) -> Self {
        let pairs: Vec<(String, String)> = use_query_map()
            .get_untracked()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        Self::from_pairs(pairs, lesson, validate)
    }

    /// [`Boot::read`] without the browser: for tests and for pages given pairs directly.
    pub fn from_pairs(
        pairs: Vec<(String, String)>,
        lesson: Option<&Lesson>,
        validate: impl FnMut(&str, &str) -> Option<Result<(), ConfigError>>,
    ) -> Self {
        let steps = lesson.map_or(0, |l| l.steps.len());
        let (common, notices) = apply_query(&pairs, steps, validate);
        let stored = lesson.and_then(|l| {
            platform::storage_get(&Progress::storage_key(l.id))
                .and_then(|s| Progress::from_stored(&s, l.steps.len()))
                .map(|p| p.step)
        });
        let step = common.step.or(stored).unwrap_or(0);
        Self {
            pairs,
            common,
            notices,
            step,
        }
    }

    /// The starting step's preset, in lesson mode (`None` in sandbox mode or without a lesson).
    pub fn preset(&self, lesson: Option<&Lesson>) -> Option<&'static [(&'static str, &'static str)]> {
        if self.common.mode != Mode::Lesson {
            return None;
        }
        lesson.and_then(|l| l.steps.get(self.step)).map(|s| s.preset)
    }

    /// Applies the URL's lab values with `set` (already validated by [`Boot::read`], so errors
    /// are ignored here).
    pub fn apply(&self, mut set: impl FnMut(&str, &str) -> Option<Result<(), ConfigError>>) {
        for (key, raw) in &self.pairs {
            if !super::url_state::COMMON_KEYS.contains(&key.as_str()) {
                let _ = set(key, raw);
            }
        }
    }

    /// The starting config of a lab whose every URL key is a [`Params`] key: `base` (its
    /// defaults), then the starting step's preset, then the URL's values.
    pub fn params_config<C: Params>(&self, lesson: Option<&Lesson>, mut base: C) -> C {
        for (key, raw) in self.preset(lesson).into_iter().flatten() {
            let _ = base.set_str(key, raw);
        }
        self.apply(super::url_state::params_setter(&mut base));
        base
    }

    /// The seed to start with (URL, else 1).
    pub fn seed(&self) -> u64 {
        self.common.seed.unwrap_or(1)
    }
}

/// The config lesson step `step` starts from: `base` (defaults and seed) with the step's preset
/// applied (a value the config refuses is skipped).
pub fn with_step_preset<C: Params>(lesson: Option<&Lesson>, step: usize, mut base: C) -> C {
    if let Some(step) = lesson.and_then(|l| l.steps.get(step)) {
        for &(key, raw) in step.preset {
            let _ = base.set_str(key, raw);
        }
    }
    base
}

/// Keeps the query string equal to the page's state: its parameters (`params`, read
/// reactively), seed, lesson step and mode. Replaces the history entry, never adds one.
pub fn follow_in_url(
    params: impl Fn() -> Vec<(&'static str, String)> + Send + Sync + 'static,
    seed: impl Fn() -> u64 + Send + Sync + 'static,
    step: RwSignal<usize>,
    mode: RwSignal<Mode>,
) {
    let query = Memo::new(move |_| build_query(&params(), seed(), step.get(), mode.get()));
    Effect::new(move |_| platform::replace_query(&query.get()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons;
    use scalelab_sim::cache::Config;

    /// A boot from `query` on lesson step `step` (no lesson given to `from_pairs`, so no storage).
    fn boot(query: &[(&str, &str)], step: usize) -> Boot {
        let pairs = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut scratch = Config::default();
        let mut boot = Boot::from_pairs(pairs, None, super::super::url_state::params_setter(&mut scratch));
        boot.step = step;
        boot
    }

    #[test]
    fn the_config_is_defaults_then_the_step_preset_then_the_url() {
        let lesson = Some(&lessons::CACHE);
        let base = Config {
            seed: 9,
            ..Config::default()
        };
        let lesson_step = boot(&[("capacity", "321")], 1).params_config(lesson, base.clone());
        assert_eq!(lesson_step.capacity, 321, "the URL wins over the preset");
        assert_eq!(lesson_step.keys, 1000, "the step's preset applies");
        assert_eq!(lesson_step.seed, 9, "the base's seed stays");
        let sandbox = boot(&[("mode", "sandbox"), ("capacity", "bogus")], 1).params_config(lesson, base.clone());
        assert_eq!(sandbox, base.clone(), "no preset in sandbox, a bad value is ignored");
        let step = with_step_preset(lesson, 1, base.clone());
        assert_eq!((step.keys, step.capacity, step.seed), (1000, 900, 9));
        assert_eq!(
            with_step_preset(lesson, 99, base.clone()),
            base,
            "no such step: the base"
        );
        assert_eq!(with_step_preset(None, 1, base.clone()), base);
    }
}
