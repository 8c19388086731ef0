//! URL state: a lab's parameters, seed, lesson step, mode, `until` and `inputs` in the query
//! string.
//!
//! Reading is done once when a lab opens: every value goes through the model's validated setter,
//! and each rejected value falls back to its default with a notice. Writing replaces the query
//! (no history entry) whenever the state changes. The functions here are pure so they are tested
//! natively; the page does the browser calls.

use crate::components::transport::parse_seed;
use scalelab_sim::params::Params;
use scalelab_sim::ConfigError;

/// Keys every lab understands besides its own parameters.
pub const COMMON_KEYS: &[&str] = &["seed", "step", "mode", "until", "inputs"];

/// Longest `until` accepted, and latest time of an input, in simulated seconds (two days: the
/// autoscaling lab's longest run).
pub const MAX_UNTIL_SECS: f64 = 172_800.0;

/// Whether the lab shows the guided lesson or the free sandbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Guided lesson beside the controls (default).
    Lesson,
    /// Controls only.
    Sandbox,
}

impl Mode {
    /// The URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Lesson => "lesson",
            Mode::Sandbox => "sandbox",
        }
    }
}

/// What the common keys of a URL asked for (after validation).
#[derive(Clone, Debug, PartialEq)]
pub struct CommonState {
    /// Seed, if given and valid.
    pub seed: Option<u64>,
    /// Lesson step, 0-based, if given and valid (the URL is 1-based).
    pub step: Option<usize>,
    /// Mode, default lesson.
    pub mode: Mode,
    /// Advance to this simulated time (seconds) after loading, then pause.
    pub until: Option<f64>,
    /// The run's recorded inputs, as the link wrote them (read by the kit's rewind, which
    /// validates them against the lab).
    pub inputs: Option<String>,
}

/// Applies a URL's pairs and reads the common keys. `set(key, raw)` stores a lab parameter through
/// the model's validated setter: `None` for a key the lab does not know, `Some(Err)` for a rejected
/// value (the default stays). Returns the common state and one message per ignored key.
pub fn apply_query(
    pairs: &[(String, String)],
    lesson_steps: usize,
    mut set: impl FnMut(&str, &str) -> Option<Result<(), ConfigError>>,
) -> (CommonState, Vec<String>) {
    let mut notices = Vec::new();
    let mut common = CommonState {
        seed: None,
        step: None,
        mode: Mode::Lesson,
        until: None,
        inputs: None,
    };
    for (key, raw) in pairs {
        let shown = shorten(raw);
        match key.as_str() {
            "seed" => match parse_seed(raw) {
                Ok(s) => common.seed = Some(s),
                Err(e) => notices.push(format!("seed=\u{201c}{shown}\u{201d} ignored: {e}")),
            },
            "step" => match raw.trim().parse::<usize>() {
                Ok(s) if s >= 1 && s <= lesson_steps => common.step = Some(s - 1),
                _ => notices.push(format!(
                    "step=\u{201c}{shown}\u{201d} ignored: the lesson has steps 1 to {lesson_steps}"
                )),
            },
            "mode" => match raw.trim() {
                "lesson" => common.mode = Mode::Lesson,
                "sandbox" => common.mode = Mode::Sandbox,
                _ => notices.push(format!("mode=\u{201c}{shown}\u{201d} ignored: use lesson or sandbox")),
            },
            "until" => match raw.trim().parse::<f64>() {
                Ok(t) if t.is_finite() && t > 0.0 && t <= MAX_UNTIL_SECS => common.until = Some(t),
                _ => notices.push(format!(
                    "until=\u{201c}{shown}\u{201d} ignored: give simulated seconds from 0 to {MAX_UNTIL_SECS}"
                )),
            },
            "inputs" => common.inputs = Some(raw.clone()),
            _ => match set(key, raw) {
                Some(Ok(())) => {}
                Some(Err(e)) => notices.push(format!(
                    "{key}=\u{201c}{shown}\u{201d} ignored: {}; using the default",
                    e.message
                )),
                None => notices.push(format!(
                    "\u{201c}{}\u{201d} is not a setting of this lab and was ignored",
                    shorten(key)
                )),
            },
        }
    }
    (common, notices)
}

/// A parameter setter over a [`Params`] config, for [`apply_query`]: `None` for unknown keys.
pub fn params_setter<C: Params>(config: &mut C) -> impl FnMut(&str, &str) -> Option<Result<(), ConfigError>> + '_ {
    move |key, raw| C::spec(key).map(|_| config.set_str(key, raw))
}

/// A config's parameters as URL pairs, in spec order.
pub fn params_of<C: Params>(config: &C) -> Vec<(&'static str, String)> {
    C::specs()
        .iter()
        .filter_map(|s| config.get(s.key).map(|v| (s.key, v.to_query())))
        .collect()
}

/// Builds the query string for a lab's state: the parameters, then seed, step (1-based), mode.
pub fn build_query(params: &[(&'static str, String)], seed: u64, step: usize, mode: Mode) -> String {
    let mut parts: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    parts.push(format!("seed={seed}"));
    parts.push(format!("step={}", step + 1));
    parts.push(format!("mode={}", mode.as_str()));
    parts.join("&")
}

/// Percent-encodes everything outside the URL-safe unreserved set and the separators a value
/// may use inside a query (`:`, `,`, `;`, `=`: a region mix `us:60,eu:40`, the inputs
/// `30:kill_instance;120:target=50`).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Cuts hostile or long values down for display in a notice (at most 24 characters, no controls).
pub(crate) fn shorten(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(24).collect();
    if s.chars().count() > 24 {
        format!("{clean}\u{2026}")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::params::{ParamKind, ParamSpec, ParamValue};

    #[derive(Default)]
    struct Demo {
        nodes: f64,
    }

    const SPECS: &[ParamSpec] = &[ParamSpec {
        key: "nodes",
        label: "Nodes",
        unit: "",
        hint: "",
        kind: ParamKind::Number {
            min: 1.0,
            max: 10.0,
            step: 1.0,
            integer: true,
            log_scale: false,
        },
    }];

    impl Params for Demo {
        fn specs() -> &'static [ParamSpec] {
            SPECS
        }
        fn get(&self, key: &str) -> Option<ParamValue> {
            (key == "nodes").then_some(ParamValue::Number(self.nodes))
        }
        fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
            match (key, value) {
                ("nodes", ParamValue::Number(v)) => {
                    self.nodes = *v;
                    Ok(())
                }
                _ => Err(ConfigError::new(key, "bad")),
            }
        }
    }

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn good_values_apply() {
        let mut d = Demo { nodes: 5.0 };
        let q = pairs(&[
            ("nodes", "7"),
            ("seed", "9"),
            ("step", "2"),
            ("mode", "sandbox"),
            ("until", "30"),
            ("inputs", "30:kill_instance"),
        ]);
        let (c, notes) = apply_query(&q, 3, params_setter(&mut d));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(d.nodes, 7.0);
        assert_eq!(
            c,
            CommonState {
                seed: Some(9),
                step: Some(1),
                mode: Mode::Sandbox,
                until: Some(30.0),
                inputs: Some("30:kill_instance".into())
            }
        );
    }

    #[test]
    fn hostile_values_fall_back_with_a_notice_each() {
        let mut d = Demo { nodes: 5.0 };
        let hostile = pairs(&[
            ("nodes", "NaN"),
            ("seed", "-3"),
            ("step", "0"),
            ("mode", "<script>alert(1)</script>"),
            ("until", "1e999"),
            ("evil", "1"),
        ]);
        let (c, notes) = apply_query(&hostile, 3, params_setter(&mut d));
        assert_eq!(d.nodes, 5.0);
        assert_eq!(
            c,
            CommonState {
                seed: None,
                step: None,
                mode: Mode::Lesson,
                until: None,
                inputs: None
            }
        );
        assert_eq!(notes.len(), 6, "{notes:?}");
        assert!(notes.iter().all(|n| n.chars().count() < 160));
    }

    #[test]
    fn query_round_trips() {
        let d = Demo { nodes: 3.0 };
        let q = build_query(&params_of(&d), 42, 0, Mode::Lesson);
        assert_eq!(q, "nodes=3&seed=42&step=1&mode=lesson");
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
