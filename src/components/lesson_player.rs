//! The lesson player: narration, presets, predictions answered before the reveal, live goals,
//! back/next and progress saved in localStorage.

use crate::lessons::{Lesson, Progress};
use crate::platform::{storage_get, storage_set};
use leptos::prelude::*;
use scalelab_sim::params::{ParamKind, ParamValue, Params};

/// Plays a lesson. The page owns the step (so the URL can hold it) and performs presets/actions.
#[component]
pub fn LessonPlayer(
    /// The lesson to play.
    lesson: Lesson,
    /// Current step, 0-based (the URL shows it 1-based).
    step: RwSignal<usize>,
    /// Called when the learner moves to a step: the page loads its preset.
    on_enter_step: Callback<usize>,
    /// Runs one of the step's actions (e.g. `"add_node"`).
    on_action: Callback<String>,
    /// Looks up a goal subject (`metric:<name>` / `param:<key>`); read reactively.
    lookup: Callback<String, Option<f64>>,
) -> impl IntoView {
    let total = lesson.steps.len();
    let key = Progress::storage_key(lesson.id);
    let stored = storage_get(&key)
        .and_then(|s| Progress::from_stored(&s, total))
        .unwrap_or_default();
    let answers = RwSignal::new(stored.answers);
    let goals_met = RwSignal::new(stored.goals_met);

    // Persist progress whenever it changes (talking to the outside world: an Effect's job).
    Effect::new(move |_| {
        let p = Progress {
            step: step.get(),
            answers: answers.get(),
            goals_met: goals_met.get(),
        };
        storage_set(&key, &p.to_stored());
    });

    let current = move || lesson.steps.get(step.get().min(total.saturating_sub(1))).copied();
    let go = move |to: usize| {
        if to < total && to != step.get_untracked() {
            step.set(to);
            on_enter_step.run(to);
        }
    };
    // Running a step's actions always starts from its preset, so "Run it" twice gives the same
    // result instead of, say, adding two nodes.
    let run_actions = move || {
        if let Some(s) = current() {
            on_enter_step.run(step.get_untracked());
            for a in s.actions {
                on_action.run(a.to_string());
            }
        }
    };

    // Live goal check: record the step once its goal is met.
    let goal_met = Memo::new(move |_| {
        current()
            .and_then(|s| s.goal)
            .map(|g| g.is_met(|subj| lookup.run(subj.to_string())))
    });
    Effect::new(move |_| {
        if goal_met.get() == Some(true) {
            let i = step.get_untracked();
            if !goals_met.with_untracked(|g| g.contains(&i)) {
                goals_met.update(|g| g.push(i));
            }
        }
    });

    view! {
        <section class="lesson" aria-labelledby="lesson-title" data-testid="lesson">
            <header class="lesson-head">
                <h2 id="lesson-title">{lesson.title}</h2>
                <p class="lesson-count" data-testid="lesson-step" data-value=move || (step.get() + 1).to_string()>
                    {move || format!("Step {} of {total}", step.get() + 1)}
                </p>
            </header>
            <ol class="lesson-dots" aria-label="Lesson steps">
                {(0..total)
                    .map(|i| {
                        let title = lesson.steps.get(i).map_or("", |s| s.title);
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="dot"
                                    class:current=move || step.get() == i
                                    class:done=move || goals_met.read().contains(&i) || answers.read().contains_key(&i)
                                    aria-current=move || (step.get() == i).then_some("step")
                                    aria-label=format!("Step {}: {title}", i + 1)
                                    title=title
                                    on:click=move |_| go(i)
                                ></button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {move || {
                current()
                    .map(|s| {
                        let i = step.get();
                        let has_prediction = s.predict.is_some();
                        let has_actions = !s.actions.is_empty();
                        view! {
                            <article class="lesson-step">
                                <h3>{s.title}</h3>
                                {s.body.iter().map(|&p| view! { <p>{p}</p> }).collect_view()}
                                {s.predict.map(|p| view! { <PredictionView prediction=p step=i answers=answers on_reveal=Callback::new(move |_| run_actions())/> })}
                                {(!has_prediction && has_actions)
                                    .then(|| {
                                        view! {
                                            <button type="button" class="button primary" data-testid="lesson-run" on:click=move |_| run_actions()>
                                                "\u{25b6} Run it"
                                            </button>
                                        }
                                    })}
                                {s.goal.map(|g| {
                                    view! {
                                        <div
                                            class="goal"
                                            class:met=move || goal_met.get() == Some(true)
                                            data-testid="goal-status"
                                            data-value=move || if goal_met.get() == Some(true) { "met" } else { "unmet" }
                                            role="status"
                                        >
                                            <strong>"Goal: "</strong>
                                            {g.text}
                                            <span class="goal-state">
                                                {move || if goal_met.get() == Some(true) { " \u{2714} reached" } else { " \u{2026} not yet" }}
                                            </span>
                                        </div>
                                    }
                                })}
                            </article>
                        }
                    })
            }}
            <nav class="lesson-nav" aria-label="Lesson navigation">
                <button
                    type="button"
                    class="button"
                    data-testid="lesson-back"
                    disabled=move || { step.get() == 0 }
                    on:click=move |_| go(step.get().saturating_sub(1))
                >
                    "\u{2190} Back"
                </button>
                <button
                    type="button"
                    class="button primary"
                    data-testid="lesson-next"
                    disabled=move || { step.get() + 1 >= total }
                    on:click=move |_| go(step.get() + 1)
                >
                    "Next \u{2192}"
                </button>
            </nav>
        </section>
    }
}

/// A prediction: options first, then the reveal once answered.
#[component]
fn PredictionView(
    prediction: crate::lessons::Prediction,
    step: usize,
    answers: RwSignal<std::collections::BTreeMap<usize, usize>>,
    on_reveal: Callback<()>,
) -> impl IntoView {
    let choice = RwSignal::new(None::<usize>);
    let answered = move || answers.read().get(&step).copied();
    let name = format!("predict-{step}");
    let options = prediction.options;
    let correct = prediction.answer;
    let explanation = prediction.explanation;
    view! {
        <fieldset class="prediction" data-testid="prediction">
            <legend>"Predict: " {prediction.question}</legend>
            {options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    view! {
                        <label
                            class="option"
                            class:right=move || answered().is_some() && i == correct
                            class:wrong=move || answered() == Some(i) && i != correct
                        >
                            <input
                                type="radio"
                                name=name.clone()
                                data-testid=format!("predict-option-{i}")
                                prop:checked=move || answered().or(choice.get()) == Some(i)
                                disabled=move || answered().is_some()
                                on:change=move |_| choice.set(Some(i))
                            />
                            <span>{*o}</span>
                        </label>
                    }
                })
                .collect_view()}
            <Show
                when=move || answered().is_some()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="button primary"
                            data-testid="predict-submit"
                            disabled=move || choice.get().is_none()
                            on:click=move |_| {
                                if let Some(c) = choice.get_untracked() {
                                    answers.update(|a| {
                                        a.insert(step, c);
                                    });
                                    on_reveal.run(());
                                }
                            }
                        >
                            "Lock in and run"
                        </button>
                    }
                }
            >
                <p class="reveal" data-testid="prediction-result" role="status">
                    <strong>{move || if answered() == Some(correct) { "Right. " } else { "Not quite. " }}</strong>
                    {explanation}
                </p>
                <button type="button" class="button small" data-testid="lesson-rerun" on:click=move |_| on_reveal.run(())>
                    "\u{21ba} Run it again"
                </button>
            </Show>
        </fieldset>
    }
}

/// The lesson panel of a lab's side column: the player in lesson mode, nothing in sandbox mode
/// or when the lab has no lesson.
#[component]
pub fn LessonSide(
    /// The lab's lesson, if it parsed.
    lesson: Option<Lesson>,
    /// Lesson or sandbox.
    mode: RwSignal<crate::components::url_state::Mode>,
    /// Current step, 0-based.
    step: RwSignal<usize>,
    /// Loads a step's preset.
    on_enter_step: Callback<usize>,
    /// Runs a step action.
    on_action: Callback<String>,
    /// Goal subject lookup.
    lookup: Callback<String, Option<f64>>,
) -> impl IntoView {
    lesson.map(|l| {
        view! {
            <Show when=move || mode.get() == crate::components::url_state::Mode::Lesson>
                <div class="panel">
                    <LessonPlayer
                        lesson=l
                        step=step
                        on_enter_step=on_enter_step
                        on_action=on_action
                        lookup=lookup
                    />
                </div>
            </Show>
        }
    })
}

/// A goal's `param:<key>` subject read from `config`: a number as is, a toggle as 0 or 1, a
/// choice as its option index (e.g. `param:strategy` is 1 for the second option). `None` for
/// another kind of subject or a key the config does not know.
pub fn param_subject<C: Params>(config: &C, subject: &str) -> Option<f64> {
    let key = subject.strip_prefix("param:")?;
    let spec = C::spec(key)?;
    match config.get(key)? {
        ParamValue::Number(v) => Some(v),
        ParamValue::Choice(c) => match spec.kind {
            ParamKind::Choice { options } => options.iter().position(|(v, _)| *v == c).map(|i| i as f64),
            _ => None,
        },
        ParamValue::Toggle(b) => Some(if b { 1.0 } else { 0.0 }),
    }
}

#[cfg(test)]
mod tests {
    use super::param_subject;
    use scalelab_sim::params::Params;

    #[test]
    fn param_subjects_read_numbers_choices_and_toggles() {
        let mut ring = scalelab_sim::hashring::Config::default();
        assert_eq!(param_subject(&ring, "param:vnodes"), Some(f64::from(ring.vnodes)));
        assert_eq!(
            param_subject(&ring, "param:strategy"),
            Some(1.0),
            "ring is the second option"
        );
        ring.set_str("strategy", "modulo").unwrap();
        assert_eq!(param_subject(&ring, "param:strategy"), Some(0.0));
        let mut breaker = scalelab_sim::breaker::Config {
            fallback: true,
            ..Default::default()
        };
        assert_eq!(param_subject(&breaker, "param:fallback"), Some(1.0));
        breaker.fallback = false;
        assert_eq!(param_subject(&breaker, "param:fallback"), Some(0.0));
        assert_eq!(
            param_subject(&breaker, "param:outcomes"),
            None,
            "the script is not a parameter"
        );
        assert_eq!(param_subject(&ring, "param:bogus"), None);
        assert_eq!(param_subject(&ring, "metric:vnodes"), None);
        assert_eq!(param_subject(&ring, "vnodes"), None);
    }
}
