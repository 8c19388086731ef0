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

    /// The seed to start with (URL, else 1).
    pub fn seed(&self) -> u64 {
        self.common.seed.unwrap_or(1)
    }
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
