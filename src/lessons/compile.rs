//! Turns a lesson's JSON source into Rust statics, at build time.
//!
//! `build.rs` includes this file (`#[path]`) and writes one `pub static` per `src/lessons/*.json`
//! into `$OUT_DIR/lessons.rs`, which `lessons/mod.rs` includes. The page therefore ships the text
//! as plain data, with no JSON parser in the wasm, and a malformed lesson fails the build with
//! the file and step named. The crate's unit tests include this file too.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcLesson {
    id: String,
    title: String,
    steps: Vec<SrcStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcStep {
    title: String,
    body: Vec<String>,
    #[serde(default)]
    preset: BTreeMap<String, String>,
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    predict: Option<SrcPrediction>,
    #[serde(default)]
    goal: Option<SrcGoal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcPrediction {
    question: String,
    options: Vec<String>,
    answer: usize,
    explanation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcGoal {
    text: String,
    conditions: Vec<SrcCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcCondition {
    subject: String,
    op: String,
    value: f64,
}

/// The `Op` variant for a source comparison name, or `None` if unknown.
fn op_variant(op: &str) -> Option<&'static str> {
    Some(match op {
        "lt" => "Lt",
        "le" => "Le",
        "gt" => "Gt",
        "ge" => "Ge",
        "eq" => "Eq",
        _ => return None,
    })
}

/// A Rust string literal for `s` (`Debug` escapes exactly as Rust source needs).
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// A Rust slice literal of string literals.
fn lits(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("&[{}]", inner.join(", "))
}

/// Parses and checks one lesson source and returns the Rust code of `pub static <name>: Lesson`.
/// Errors name the step (1-based) and what is wrong.
pub fn compile(name: &str, json: &str) -> Result<String, String> {
    let lesson: SrcLesson = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if lesson.id.is_empty() || lesson.steps.is_empty() {
        return Err("a lesson needs an id and at least one step".into());
    }
    let mut out = String::new();
    let _ = writeln!(out, "/// Generated from `src/lessons/*.json` by build.rs.");
    let _ = write!(
        out,
        "pub static {name}: Lesson = Lesson {{ id: {}, title: {}, steps: &[",
        lit(&lesson.id),
        lit(&lesson.title)
    );
    for (i, step) in lesson.steps.iter().enumerate() {
        let at = |msg: String| format!("step {}: {msg}", i + 1);
        if step.title.is_empty() || step.body.is_empty() {
            return Err(at("a step needs a title and a body".into()));
        }
        let preset: Vec<String> = step
            .preset
            .iter()
            .map(|(k, v)| format!("({}, {})", lit(k), lit(v)))
            .collect();
        let predict = match &step.predict {
            None => "None".to_string(),
            Some(p) => {
                if p.options.len() < 2 || p.answer >= p.options.len() {
                    return Err(at("the answer must be one of at least two options".into()));
                }
                format!(
                    "Some(Prediction {{ question: {}, options: {}, answer: {}, explanation: {} }})",
                    lit(&p.question),
                    lits(&p.options),
                    p.answer,
                    lit(&p.explanation)
                )
            }
        };
        let goal = match &step.goal {
            None => "None".to_string(),
            Some(g) => {
                if g.conditions.is_empty() {
                    return Err(at("a goal needs at least one condition".into()));
                }
                let mut conditions = Vec::new();
                for c in &g.conditions {
                    let op = op_variant(&c.op).ok_or_else(|| at(format!("unknown comparison {:?}", c.op)))?;
                    let known_subject = c.subject.starts_with("metric:") || c.subject.starts_with("param:");
                    if !known_subject || !c.value.is_finite() {
                        return Err(at(format!("bad condition on {:?}", c.subject)));
                    }
                    conditions.push(format!(
                        "Condition {{ subject: {}, op: Op::{op}, value: {:?} }}",
                        lit(&c.subject),
                        c.value
                    ));
                }
                format!(
                    "Some(Goal {{ text: {}, conditions: &[{}] }})",
                    lit(&g.text),
                    conditions.join(", ")
                )
            }
        };
        let _ = write!(
            out,
            "Step {{ title: {}, body: {}, preset: &[{}], actions: {}, predict: {predict}, goal: {goal} }},",
            lit(&step.title),
            lits(&step.body),
            preset.join(", "),
            lits(&step.actions),
        );
    }
    out.push_str("] };\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::compile;

    #[test]
    fn bad_lessons_are_rejected() {
        assert!(compile("X", "{").is_err());
        assert!(compile("X", r#"{"id":"x","title":"t","steps":[]}"#).is_err());
        let bad_answer = r#"{"id":"x","title":"t","steps":[{"title":"a","body":["b"],
            "predict":{"question":"q","options":["a","b"],"answer":2,"explanation":"e"}}]}"#;
        assert!(compile("X", bad_answer).unwrap_err().contains("step 1"));
        let bad_op = r#"{"id":"x","title":"t","steps":[{"title":"a","body":["b"],
            "goal":{"text":"g","conditions":[{"subject":"metric:a","op":"~","value":1}]}}]}"#;
        assert!(compile("X", bad_op).is_err());
        let unknown_field = r#"{"id":"x","title":"t","steps":[{"title":"a","body":["b"],"oops":1}]}"#;
        assert!(compile("X", unknown_field).is_err());
    }

    #[test]
    fn emits_escaped_literals() {
        let src = r#"{"id":"x","title":"Quote \" and \u00d7","steps":[{"title":"a","body":["line\nbreak"],
            "preset":{"b":"2","a":"1"},"goal":{"text":"g","conditions":[{"subject":"param:a","op":"le","value":0.5}]}}]}"#;
        let code = compile("X", src).unwrap();
        assert!(code.contains(r#"title: "Quote \" and ×""#), "{code}");
        assert!(code.contains(r#""line\nbreak""#));
        assert!(
            code.contains(r#"preset: &[("a", "1"), ("b", "2")]"#),
            "presets are sorted: {code}"
        );
        assert!(code.contains("op: Op::Le, value: 0.5"));
    }
}
