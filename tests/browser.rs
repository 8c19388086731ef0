//! Browser tests: the shared components mounted in real headless Chromium (wasm-bindgen-test).
//! Run with `cargo test --target wasm32-unknown-unknown --test browser` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use scalelab::components::url_state::Mode;
use scalelab::components::{LessonPlayer, LessonProgress, Metric, MetricsPanel, ParamControl};
use scalelab::kit::LessonHooks;
use scalelab::lessons::{self, Condition, Goal, Lesson, Op, Prediction, Step};
use scalelab_sim::params::{ParamKind, ParamSpec, ParamValue};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh container appended to the body, so tests don't see each other's DOM.
fn container() -> web_sys::HtmlElement {
    let div = document()
        .create_element("div")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

fn by_testid(root: &web_sys::HtmlElement, id: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
        .unchecked_into()
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

fn type_into(input: &web_sys::HtmlElement, text: &str) {
    let input: web_sys::HtmlInputElement = input.clone().unchecked_into();
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

const NODES: ParamSpec = ParamSpec {
    key: "nodes",
    label: "Nodes",
    unit: "servers",
    hint: "How many servers share the keys",
    kind: ParamKind::Number {
        min: 1.0,
        max: 100.0,
        step: 1.0,
        integer: true,
        log_scale: false,
    },
};

#[wasm_bindgen_test]
async fn param_control_rejects_bad_input_and_keeps_the_last_good_value() {
    let root = container();
    let model = RwSignal::new(5.0_f64);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let on_set = Callback::new(move |raw: String| {
            let v = NODES.parse(&raw).map_err(|e| e.message)?;
            if let ParamValue::Number(n) = v {
                model.set(n);
            }
            Ok(())
        });
        view! { <ParamControl spec=&NODES value=Signal::derive(move || Some(ParamValue::Number(model.get()))) on_set=on_set/> }
    });
    tick().await;
    let input = by_testid(&root, "input-nodes");
    for bad in ["NaN", "", "-3", "1e400", "2.5", "<b>x</b>"] {
        type_into(&input, bad);
        tick().await;
        assert_eq!(model.get_untracked(), 5.0, "{bad:?} reached the model");
        let error = by_testid(&root, "error-nodes").text_content().unwrap_or_default();
        assert!(!error.is_empty(), "no message for {bad:?}");
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    }
    type_into(&input, "12");
    tick().await;
    assert_eq!(model.get_untracked(), 12.0);
    assert_eq!(by_testid(&root, "error-nodes").text_content().unwrap_or_default(), "");
    let slider: web_sys::HtmlInputElement = by_testid(&root, "slider-nodes").unchecked_into();
    assert_eq!(slider.value(), "12");
}

#[wasm_bindgen_test]
async fn metrics_panel_exposes_raw_values() {
    let root = container();
    let value = RwSignal::new(0.25_f64);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let metrics = Signal::derive(move || vec![Metric::percent("load-cv", "Load CV", value.get(), 1, "spread")]);
        view! { <MetricsPanel metrics=metrics/> }
    });
    tick().await;
    let el = by_testid(&root, "metric-load-cv");
    assert_eq!(el.get_attribute("data-value").as_deref(), Some("0.25"));
    assert_eq!(el.text_content().as_deref(), Some("25%"));
    value.set(1234.5);
    tick().await;
    assert_eq!(el.get_attribute("data-value").as_deref(), Some("1234.5"));
}

const LESSON: Lesson = Lesson {
    id: "browser-test",
    title: "T",
    steps: &[
        Step {
            title: "One",
            body: &["first"],
            preset: &[],
            actions: &[],
            predict: None,
            goal: None,
            focus: &[],
            hides: &[],
        },
        Step {
            title: "Two",
            body: &["second"],
            preset: &[],
            actions: &["go"],
            predict: Some(Prediction {
                question: "Which?",
                options: &["a", "b"],
                answer: 1,
                explanation: "because",
                hides: &["metric:x"],
            }),
            goal: None,
            focus: &[],
            hides: &[],
        },
        Step {
            title: "Three",
            body: &["third"],
            preset: &[],
            actions: &[],
            predict: None,
            goal: Some(Goal {
                text: "x above 3",
                conditions: &[Condition {
                    subject: "metric:x",
                    op: Op::Gt,
                    value: 3.0,
                    tol: 0.0,
                }],
                hint: "raise x",
                hides: &[],
            }),
            focus: &["x"],
            hides: &[],
        },
    ],
};

fn mount_lesson(root: &web_sys::HtmlElement, step: RwSignal<usize>, actions: RwSignal<Vec<String>>, x: RwSignal<f64>) {
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let hooks = LessonHooks::from_callbacks(
            Some(LESSON),
            RwSignal::new(Mode::Lesson),
            step,
            RwSignal::new(Vec::new()),
            Callback::new(|_| {}),
            Callback::new(move |a: String| actions.update(|v| v.push(a))),
            Callback::new(move |s: String| (s == "metric:x").then(|| x.get())),
        );
        view! { <LessonPlayer lesson=LESSON hooks=hooks progress=LessonProgress::load(Some(&LESSON))/> }
    });
    handle.forget();
}

#[wasm_bindgen_test]
async fn lesson_player_predicts_before_revealing_and_saves_progress() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item("scalelab:lesson:browser-test", "{corrupt").unwrap();
    let root = container();
    let step = RwSignal::new(0usize);
    let actions = RwSignal::new(Vec::<String>::new());
    let x = RwSignal::new(0.0);
    mount_lesson(&root, step, actions, x);
    tick().await;
    assert_eq!(
        by_testid(&root, "lesson-step").get_attribute("data-value").as_deref(),
        Some("1")
    );
    by_testid(&root, "lesson-next").click();
    tick().await;
    assert_eq!(step.get_untracked(), 1);
    // The reveal waits for an answer: the submit button is disabled until an option is chosen.
    let submit: web_sys::HtmlButtonElement = by_testid(&root, "predict-submit").unchecked_into();
    assert!(submit.disabled());
    assert!(actions.get_untracked().is_empty());
    by_testid(&root, "predict-option-1").click();
    tick().await;
    by_testid(&root, "predict-submit").click();
    tick().await;
    assert_eq!(actions.get_untracked(), vec!["go".to_string()]);
    assert!(by_testid(&root, "prediction-result")
        .text_content()
        .unwrap()
        .starts_with("Right."));
    // Goal: live-checked against the lookup.
    by_testid(&root, "lesson-next").click();
    tick().await;
    assert_eq!(
        by_testid(&root, "goal-status").get_attribute("data-value").as_deref(),
        Some("unmet")
    );
    x.set(4.0);
    tick().await;
    assert_eq!(
        by_testid(&root, "goal-status").get_attribute("data-value").as_deref(),
        Some("met")
    );
    // A goal once reached stays reached; the live check shows the current value.
    x.set(1.0);
    tick().await;
    let goal = by_testid(&root, "goal-status");
    assert_eq!(goal.get_attribute("data-value").as_deref(), Some("met"));
    assert_eq!(goal.get_attribute("data-live").as_deref(), Some("unmet"));
    // The last step sums up.
    assert_eq!(
        by_testid(&root, "summary-predictions")
            .get_attribute("data-value")
            .as_deref(),
        Some("1")
    );
    assert_eq!(
        by_testid(&root, "summary-goals").get_attribute("data-value").as_deref(),
        Some("1")
    );
    let saved = storage.get_item("scalelab:lesson:browser-test").unwrap().unwrap();
    let progress = lessons::Progress::from_stored(&saved, 3).expect("progress saved in the storage format");
    assert_eq!(progress.step, 2);
    assert_eq!(progress.answers.get(&1), Some(&1));
    assert_eq!(progress.goals_met, vec![2]);
}
