//! Lesson progress kept in localStorage: the current step, the predictions answered and the goals
//! reached. Corrupt or foreign data is ignored, never fatal.
//!
//! Stored as one short line, `v2;<step>;<step>:<option>,...;<step>,...;<step>,...` (current step;
//! answers; goals reached; steps opened; e.g. `v2;2;1:0;2;0,1,2`): numbers lists need no JSON
//! parser in the wasm. A `v1` line (without the steps opened) counts every step up to the current
//! one as opened.

use std::collections::{BTreeMap, BTreeSet};

/// Format tag of the stored line; anything else (e.g. older JSON) starts the lesson fresh.
const VERSION: &str = "v2";
/// The format before steps opened were kept.
const VERSION_1: &str = "v1";

/// What a learner has done in one lesson.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// Current step, 0-based.
    pub step: usize,
    /// Chosen option per step index that has a prediction.
    pub answers: BTreeMap<usize, usize>,
    /// Step indexes whose goal was reached.
    pub goals_met: Vec<usize>,
    /// Step indexes the learner has opened.
    pub seen: BTreeSet<usize>,
}

/// A stored progress line read into plain lists: what home needs to show a lesson's standing
/// (lists, not tree maps, keep the first page's code small).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stored {
    /// Current step, 0-based.
    pub step: usize,
    /// `(step, chosen option)` per answered prediction (a later entry for a step wins).
    pub answers: Vec<(usize, usize)>,
    /// Steps whose goal was reached.
    pub goals_met: Vec<usize>,
    /// Steps opened.
    pub seen: Vec<usize>,
}

impl Stored {
    /// Parses a stored line for a lesson of `steps` steps; anything malformed or out of range
    /// gives `None` (start fresh) or is dropped.
    pub fn parse(stored: &str, steps: usize) -> Option<Self> {
        let mut fields = stored.split(';');
        let version = fields.next()?;
        if version != VERSION && version != VERSION_1 {
            return None;
        }
        let step: usize = fields.next()?.parse().ok()?;
        let answers_field = fields.next()?;
        let goals_field = fields.next()?;
        let seen_field = if version == VERSION { Some(fields.next()?) } else { None };
        if fields.next().is_some() || steps == 0 || step >= steps {
            return None;
        }
        let list = |field: &str| -> Option<Vec<usize>> {
            field
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|s| s.parse().ok())
                .collect()
        };
        let mut seen = match seen_field {
            Some(field) => list(field)?,
            None => (0..=step).collect(),
        };
        let mut answers = Vec::new();
        for pair in answers_field.split(',').filter(|p| !p.is_empty()) {
            let (s, option) = pair.split_once(':')?;
            answers.push((s.parse().ok()?, option.parse().ok()?));
        }
        let mut goals_met = list(goals_field)?;
        answers.retain(|&(s, _)| s < steps);
        goals_met.retain(|&s| s < steps);
        seen.retain(|&s| s < steps);
        Some(Self {
            step,
            answers,
            goals_met,
            seen,
        })
    }

    /// The option chosen at `step`, if answered (the latest entry).
    pub fn answer(&self, step: usize) -> Option<usize> {
        self.answers.iter().rev().find(|(s, _)| *s == step).map(|&(_, o)| o)
    }
}

impl Progress {
    /// The localStorage key for a lesson's progress.
    pub fn storage_key(lesson_id: &str) -> String {
        format!("scalelab:lesson:{lesson_id}")
    }

    /// Parses stored progress for a lesson of `steps` steps; anything malformed or out of range
    /// gives `None` (start fresh) or is dropped (see [`Stored::parse`]).
    pub fn from_stored(stored: &str, steps: usize) -> Option<Self> {
        let s = Stored::parse(stored, steps)?;
        Some(Self {
            step: s.step,
            answers: s.answers.into_iter().collect(),
            goals_met: s.goals_met,
            seen: s.seen.into_iter().collect(),
        })
    }

    /// Serialises for storage (see the module docs for the format).
    pub fn to_stored(&self) -> String {
        let answers: Vec<String> = self.answers.iter().map(|(s, o)| format!("{s}:{o}")).collect();
        let list = |steps: &mut dyn Iterator<Item = &usize>| steps.map(|s| s.to_string()).collect::<Vec<_>>().join(",");
        format!(
            "{VERSION};{};{};{};{}",
            self.step,
            answers.join(","),
            list(&mut self.goals_met.iter()),
            list(&mut self.seen.iter())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_corrupt_data() {
        let mut p = Progress {
            step: 2,
            ..Default::default()
        };
        assert_eq!(Progress::from_stored(&p.to_stored(), 5), Some(p.clone()));
        p.answers.insert(1, 0);
        p.answers.insert(3, 2);
        p.goals_met.push(2);
        p.seen.extend([0, 1, 2, 3]);
        assert_eq!(p.to_stored(), "v2;2;1:0,3:2;2;0,1,2,3");
        assert_eq!(Progress::from_stored(&p.to_stored(), 5), Some(p.clone()));
        // The first format: every step up to the current one counts as opened.
        let old = Progress::from_stored("v1;2;1:0,3:2;2", 5).unwrap();
        assert_eq!(old.seen, BTreeSet::from([0, 1, 2]));
        assert_eq!((old.step, &old.answers, &old.goals_met), (2, &p.answers, &p.goals_met));
        for bad in [
            "",
            "null",
            "{\"step\":1}",
            "v1",
            "v1;-1;;",
            "v1;99;;",
            "v1;1;x:1;",
            "v1;1;1;",
            "v1;1;;a",
            "v1;1;;;",
            "v2;1;;",
            "v2;1;;;x",
            "v2;1;;;;",
            "v3;1;;;",
        ] {
            assert_eq!(Progress::from_stored(bad, 5), None, "{bad}");
        }
    }

    #[test]
    fn drops_out_of_range_entries() {
        let p = Progress::from_stored("v2;1;0:1,9:0;1,42;0,1,7", 3).unwrap();
        assert_eq!(p.answers.len(), 1);
        assert_eq!(p.goals_met, vec![1]);
        assert_eq!(p.seen, BTreeSet::from([0, 1]));
    }
}
