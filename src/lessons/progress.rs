//! Lesson progress kept in localStorage: the current step, the predictions answered and the goals
//! reached. Corrupt or foreign data is ignored, never fatal.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a learner has done in one lesson.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Current step, 0-based.
    pub step: usize,
    /// Chosen option per step index that has a prediction.
    pub answers: BTreeMap<usize, usize>,
    /// Step indexes whose goal was reached.
    pub goals_met: Vec<usize>,
}

impl Progress {
    /// The localStorage key for a lesson's progress.
    pub fn storage_key(lesson_id: &str) -> String {
        format!("scalelab:lesson:{lesson_id}")
    }

    /// Parses stored progress for a lesson of `steps` steps; anything malformed or out of range
    /// gives `None` (start fresh) or is dropped.
    pub fn from_json(json: &str, steps: usize) -> Option<Self> {
        let mut p: Progress = serde_json::from_str(json).ok()?;
        if steps == 0 || p.step >= steps {
            return None;
        }
        p.answers.retain(|&s, _| s < steps);
        p.goals_met.retain(|&s| s < steps);
        Some(p)
    }

    /// Serialises for storage.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
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
        p.answers.insert(1, 0);
        p.goals_met.push(2);
        assert_eq!(Progress::from_json(&p.to_json(), 5), Some(p));
        for bad in [
            "",
            "null",
            "{",
            "[1,2]",
            r#"{"step":-1}"#,
            r#"{"step":99,"answers":{},"goals_met":[]}"#,
        ] {
            assert_eq!(Progress::from_json(bad, 5), None, "{bad}");
        }
    }

    #[test]
    fn drops_out_of_range_entries() {
        let json = r#"{"step":1,"answers":{"0":1,"9":0},"goals_met":[1,42]}"#;
        let p = Progress::from_json(json, 3).unwrap();
        assert_eq!(p.answers.len(), 1);
        assert_eq!(p.goals_met, vec![1]);
    }
}
