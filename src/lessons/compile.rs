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
    #[serde(default)]
    facts: Vec<SrcFact>,
    /// Subjects kept hidden for the whole step (a later step asks for them).
    #[serde(default)]
    hides: Vec<String>,
}

/// A fact the step's text states, checked by the native lesson test (not shipped).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcFact {
    subject: String,
    op: String,
    value: f64,
    #[serde(default)]
    tol: f64,
    /// What the learner does after the step's run before the fact holds (see [`moves`]).
    #[serde(default)]
    then: Vec<String>,
    /// Which words of the text the fact backs.
    says: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcPrediction {
    question: String,
    options: Vec<String>,
    answer: usize,
    explanation: String,
    /// Subjects (`metric:<name>`, `panel:<id>`) that would give the answer away.
    #[serde(default)]
    hides: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcGoal {
    text: String,
    conditions: Vec<SrcCondition>,
    /// A nudge offered after a while without reaching the goal.
    hint: String,
    /// What the text suggests the learner do, which must reach the goal (see [`moves`]).
    #[serde(rename = "try")]
    try_moves: Vec<String>,
    /// Subjects (`metric:<name>`, `panel:<id>`) that would hand over the answer: hidden until the
    /// goal is reached.
    #[serde(default)]
    hides: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SrcCondition {
    subject: String,
    op: String,
    value: f64,
    #[serde(default)]
    tol: f64,
}

/// The `Op` variant for a source comparison name, or `None` if unknown.
fn op_variant(op: &str) -> Option<&'static str> {
    Some(match op {
        "lt" => "Lt",
        "le" => "Le",
        "gt" => "Gt",
        "ge" => "Ge",
        "eq" => "Eq",
        "near" => "Near",
        _ => return None,
    })
}

/// A Rust string literal for `s` (`Debug` escapes exactly as Rust source needs).
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// The metrics a step is about, in the order it first names them: its facts', its prediction's
/// hidden ones and its goal's (the page shows these cards first).
fn focus(step: &SrcStep) -> Vec<String> {
    let subjects = step
        .facts
        .iter()
        .map(|f| f.subject.as_str())
        .chain(step.predict.iter().flat_map(|p| p.hides.iter().map(String::as_str)))
        .chain(
            step.goal
                .iter()
                .flat_map(|g| g.conditions.iter().map(|c| c.subject.as_str())),
        );
    let mut names: Vec<String> = Vec::new();
    for name in subjects.filter_map(|s| s.strip_prefix("metric:")) {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// Checks that every hidden subject is `metric:<name>` or `panel:<id>`.
fn check_hides(hides: &[String]) -> Result<(), String> {
    match hides
        .iter()
        .find(|h| !h.starts_with("metric:") && !h.starts_with("panel:"))
    {
        Some(h) => Err(format!("hide metric:<name> or panel:<id>, not {h:?}")),
        None => Ok(()),
    }
}

/// The Rust code of a list of learner moves: `"key=value"` changes a setting, `"run <seconds>"`
/// runs the clock that many simulated seconds, anything else is an action's name (checked against
/// the lab by the lesson test).
fn moves(items: &[String]) -> Result<String, String> {
    let mut out = Vec::new();
    for m in items {
        let code = if let Some((key, value)) = m.split_once('=') {
            format!("Move::Set({}, {})", lit(key.trim()), lit(value.trim()))
        } else if let Some(secs) = m.strip_prefix("run ") {
            match secs.trim().parse::<f64>() {
                Ok(s) if s.is_finite() && s > 0.0 => format!("Move::Run({s:?})"),
                _ => return Err(format!("bad move {m:?}: run takes simulated seconds")),
            }
        } else if !m.is_empty() && m.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            format!("Move::Do({})", lit(m))
        } else {
            return Err(format!(
                "bad move {m:?}: use key=value, run <seconds> or an action name"
            ));
        };
        out.push(code);
    }
    Ok(format!("&[{}]", out.join(", ")))
}

/// The Rust code of a `Condition`, checked: a known comparison, a `metric:`/`param:` subject, a
/// finite value and a finite, non-negative tolerance (required by `near`).
fn condition(subject: &str, op: &str, value: f64, tol: f64) -> Result<String, String> {
    let variant = op_variant(op).ok_or_else(|| format!("unknown comparison {op:?}"))?;
    let known_subject = subject.starts_with("metric:") || subject.starts_with("param:");
    if !known_subject || !value.is_finite() || !tol.is_finite() || tol < 0.0 || (op == "near" && tol == 0.0) {
        return Err(format!("bad condition on {subject:?}"));
    }
    Ok(format!(
        "Condition {{ subject: {}, op: Op::{variant}, value: {value:?}, tol: {tol:?} }}",
        lit(subject)
    ))
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
    let mut checks = Vec::new();
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
                if let Some(h) = p
                    .hides
                    .iter()
                    .find(|h| !h.starts_with("metric:") && !h.starts_with("panel:"))
                {
                    return Err(at(format!("a prediction hides metric:<name> or panel:<id>, not {h:?}")));
                }
                format!(
                    "Some(Prediction {{ question: {}, options: {}, answer: {}, explanation: {}, hides: {} }})",
                    lit(&p.question),
                    lits(&p.options),
                    p.answer,
                    lit(&p.explanation),
                    lits(&p.hides)
                )
            }
        };
        let goal = match &step.goal {
            None => "None".to_string(),
            Some(g) => {
                if g.conditions.is_empty() {
                    return Err(at("a goal needs at least one condition".into()));
                }
                if g.hint.is_empty() || g.try_moves.is_empty() {
                    return Err(at("a goal needs a hint and what to try".into()));
                }
                check_hides(&g.hides).map_err(at)?;
                let mut conditions = Vec::new();
                for c in &g.conditions {
                    conditions.push(condition(&c.subject, &c.op, c.value, c.tol).map_err(at)?);
                }
                format!(
                    "Some(Goal {{ text: {}, conditions: &[{}], hint: {}, hides: {} }})",
                    lit(&g.text),
                    conditions.join(", "),
                    lit(&g.hint),
                    lits(&g.hides)
                )
            }
        };
        let _ = write!(
            out,
            "Step {{ title: {}, body: {}, preset: &[{}], actions: {}, predict: {predict}, goal: {goal}, focus: {}, hides: {} }},",
            lit(&step.title),
            lits(&step.body),
            preset.join(", "),
            lits(&step.actions),
            lits(&focus(step)),
            lits(&step.hides),
        );
        check_hides(&step.hides).map_err(at)?;
        let mut facts = Vec::new();
        for f in &step.facts {
            if f.says.is_empty() {
                return Err(at(format!("a fact on {:?} needs the words it backs (says)", f.subject)));
            }
            facts.push(format!(
                "Fact {{ condition: {}, then: {}, says: {} }}",
                condition(&f.subject, &f.op, f.value, f.tol).map_err(at)?,
                moves(&f.then).map_err(at)?,
                lit(&f.says)
            ));
        }
        let goal_try = moves(step.goal.as_ref().map_or(&[][..], |g| &g.try_moves)).map_err(at)?;
        checks.push(format!(
            "StepChecks {{ facts: &[{}], goal_try: {goal_try} }}",
            facts.join(", ")
        ));
    }
    out.push_str("] };\n");
    // What the steps claim, for the native lesson test only: the wasm does not carry it.
    let _ = writeln!(
        out,
        "#[cfg(test)]\npub static {name}_CHECKS: &[StepChecks] = &[{}];",
        checks.join(", ")
    );
    Ok(out)
}

/// Words a learner reads per minute, for a lesson's time (a slow, careful pace: the text is
/// read next to a running lab).
const WORDS_PER_MINUTE: usize = 150;

/// A lesson's outline as a Rust `Outline` expression: its id, title, what each step asks
/// (a prediction's answer, a goal) and the minutes it takes (reading at [`WORDS_PER_MINUTE`],
/// plus a minute per prediction and two per goal). Home shows progress from it without the
/// lesson's text, which stays in the lab's own wasm piece.
pub fn outline(json: &str) -> Result<String, String> {
    let lesson: SrcLesson = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut words = 0;
    let mut minutes = 0;
    let mut steps = Vec::new();
    for step in &lesson.steps {
        let count = |t: &str| t.split_whitespace().count();
        words += step.body.iter().map(|p| count(p)).sum::<usize>() + count(&step.title);
        if let Some(p) = &step.predict {
            words += count(&p.question) + count(&p.explanation) + p.options.iter().map(|o| count(o)).sum::<usize>();
            minutes += 1;
        }
        if let Some(g) = &step.goal {
            words += count(&g.text);
            minutes += 2;
        }
        steps.push(format!(
            "StepOutline {{ answer: {}, goal: {} }}",
            step.predict
                .as_ref()
                .map_or("None".to_string(), |p| format!("Some({})", p.answer)),
            step.goal.is_some()
        ));
    }
    minutes += words.div_ceil(WORDS_PER_MINUTE);
    Ok(format!(
        "Outline {{ id: {}, title: {}, steps: &[{}], minutes: {minutes} }}",
        lit(&lesson.id),
        lit(&lesson.title),
        steps.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::{compile, outline};

    #[test]
    fn outlines_say_what_each_step_asks_and_how_long_it_takes() {
        let src = r#"{"id":"x","title":"T","steps":[{"title":"a","body":["one two three"]},
            {"title":"b","body":["four"],"predict":{"question":"q","options":["a","b"],"answer":1,"explanation":"e"}},
            {"title":"c","body":["five"],"goal":{"text":"g","conditions":[{"subject":"metric:a","op":"lt","value":1}],"hint":"h","try":["run 1"]}}]}"#;
        let code = outline(src).unwrap();
        assert!(code.contains(r#"id: "x", title: "T""#), "{code}");
        assert!(
            code.contains("StepOutline { answer: None, goal: false }, StepOutline { answer: Some(1), goal: false }, StepOutline { answer: None, goal: true }"),
            "{code}"
        );
        // 1 minute of reading (rounded up), 1 for the prediction, 2 for the goal.
        assert!(code.ends_with("minutes: 4 }"), "{code}");
    }

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
        let no_try = r#"{"id":"x","title":"t","steps":[{"title":"a","body":["b"],
            "goal":{"text":"g","conditions":[{"subject":"metric:a","op":"lt","value":1}],"hint":"h","try":[]}}]}"#;
        assert!(compile("X", no_try).unwrap_err().contains("what to try"));
        let near_without_tol = r#"{"id":"x","title":"t","steps":[{"title":"a","body":["b"],
            "facts":[{"subject":"metric:a","op":"near","value":1,"says":"s"}]}]}"#;
        assert!(compile("X", near_without_tol).is_err());
        let bad_move = r#"{"id":"x","title":"t","steps":[{"title":"a","body":["b"],
            "facts":[{"subject":"metric:a","op":"lt","value":1,"then":["run fast"],"says":"s"}]}]}"#;
        assert!(compile("X", bad_move).unwrap_err().contains("run takes"));
    }

    #[test]
    fn emits_escaped_literals() {
        let src = r#"{"id":"x","title":"Quote \" and \u00d7","steps":[{"title":"a","body":["line\nbreak"],
            "preset":{"b":"2","a":"1"},"goal":{"text":"g","conditions":[{"subject":"param:a","op":"le","value":0.5}],"hint":"h","try":["a=0.4","run 5"]},
            "facts":[{"subject":"metric:m","op":"near","value":1,"tol":0.1,"then":["crash"],"says":"about one"}]}]}"#;
        let code = compile("X", src).unwrap();
        assert!(code.contains(r#"title: "Quote \" and ×""#), "{code}");
        assert!(code.contains(r#""line\nbreak""#));
        assert!(
            code.contains(r#"preset: &[("a", "1"), ("b", "2")]"#),
            "presets are sorted: {code}"
        );
        assert!(code.contains("op: Op::Le, value: 0.5"));
        assert!(
            code.contains(r#"goal_try: &[Move::Set("a", "0.4"), Move::Run(5.0)]"#),
            "{code}"
        );
        assert!(
            code.contains(r#"then: &[Move::Do("crash")], says: "about one""#),
            "{code}"
        );
        assert!(
            code.contains("#[cfg(test)]\npub static X_CHECKS"),
            "checks are for tests only"
        );
    }
}
