//! The lesson player: narration, presets, predictions answered before the reveal, live goals,
//! back/next and progress saved in localStorage.

use crate::kit::LessonHooks;
use crate::lessons::{Lesson, Progress};
use crate::platform::{storage_get, storage_set};
use leptos::prelude::*;
use scalelab_sim::params::{ParamKind, ParamValue, Params};
use std::collections::{BTreeMap, BTreeSet};

/// What a learner has done in a lesson, as signals: the answers, the goals reached and the steps
/// opened. Loaded
/// from localStorage by [`LessonProgress::load`] and saved by the player on every change. `Copy`.
#[derive(Clone, Copy)]
pub struct LessonProgress {
    /// Chosen option per step index that has a prediction.
    pub answers: RwSignal<BTreeMap<usize, usize>>,
    /// Step indexes whose goal was reached (stays reached).
    pub goals_met: RwSignal<Vec<usize>>,
    /// Step indexes the learner has opened (home counts a step done from these).
    pub seen: RwSignal<BTreeSet<usize>>,
}

impl LessonProgress {
    /// The saved progress of `lesson` (nothing saved, or unreadable: a fresh start).
    pub fn load(lesson: Option<&Lesson>) -> Self {
        let stored = lesson
            .and_then(|l| {
                storage_get(&Progress::storage_key(l.id)).and_then(|s| Progress::from_stored(&s, l.steps.len()))
            })
            .unwrap_or_default();
        Self {
            answers: RwSignal::new(stored.answers),
            goals_met: RwSignal::new(stored.goals_met),
            seen: RwSignal::new(stored.seen),
        }
    }
}

/// What the current step's prediction would give away, hidden until the learner answers it
/// (`metric:<name>`, `panel:<id>`): provided by `LabPage` as a context, read by the metric cards
/// and [`Reveal`].
#[derive(Clone, Copy)]
pub struct Hidden(pub Memo<Vec<&'static str>>);

impl Hidden {
    /// The subjects hidden now, in lesson mode: the current step's own `hides`, its prediction's
    /// until it is answered, and its goal's until the goal is reached.
    pub fn new(hooks: LessonHooks, progress: LessonProgress) -> Self {
        Self(Memo::new(move |_| {
            let i = hooks.step.get();
            let step = hooks.current_step();
            let mut hidden = step.map_or(Vec::new(), |s| s.hides.to_vec());
            if let Some(p) = step.and_then(|s| s.predict) {
                if !progress.answers.with(|a| a.contains_key(&i)) {
                    hidden.extend_from_slice(p.hides);
                }
            }
            if let Some(g) = step.and_then(|s| s.goal) {
                if !progress.goals_met.with(|m| m.contains(&i)) {
                    hidden.extend_from_slice(g.hides);
                }
            }
            hidden
        }))
    }

    /// Whether `kind:name` (e.g. `metric`, `load-cv`) is hidden now (tracked).
    pub fn hides(&self, kind: &str, name: &str) -> bool {
        self.0.with(|h| {
            h.iter()
                .any(|s| s.split_once(':').is_some_and(|(k, n)| k == kind && n == name))
        })
    }
}

/// What the current lesson step is about, in lesson mode (nothing in sandbox mode): provided by
/// `LabPage`. The metric panels show its metrics first and marked; the parameter groups holding
/// the settings its preset sets open.
#[derive(Clone, Copy)]
pub struct Focus {
    /// The step's metrics (its `focus`).
    pub metrics: Memo<&'static [&'static str]>,
    /// The settings its preset sets.
    pub preset: Memo<&'static [(&'static str, &'static str)]>,
}

impl Focus {
    /// The current step's focus.
    pub fn new(hooks: LessonHooks) -> Self {
        Self {
            metrics: Memo::new(move |_| hooks.current_step().map_or(&[][..], |s| s.focus)),
            preset: Memo::new(move |_| hooks.current_step().map_or(&[][..], |s| s.preset)),
        }
    }

    /// Whether the step's preset sets any of `keys` (tracked).
    pub fn sets_any(&self, keys: &[&str]) -> bool {
        self.preset.with(|p| p.iter().any(|(k, _)| keys.contains(k)))
    }
}

/// Whether the page's current prediction hides `kind:name` (false outside a lab page).
pub fn is_hidden(kind: &str, name: &str) -> bool {
    use_context::<Hidden>().is_some_and(|h| h.hides(kind, name))
}

/// A panel a prediction can hide (`panel:<id>` in its `hides`): while hidden, a placeholder says
/// to answer first.
#[component]
pub fn Reveal(
    /// The panel's id in lesson files.
    id: &'static str,
    /// The panel.
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <Show
            when=move || !is_hidden("panel", id)
            fallback=|| view! { <p class="predict-first" role="status">"Hidden for now: this panel would give away the answer the lesson asks for."</p> }
        >
            {children()}
        </Show>
    }
}

/// Seconds on a step with an unmet goal before its hint is offered.
pub const HINT_AFTER_SECS: f64 = 45.0;

/// Plays a lesson. The page owns the step (so the URL can hold it) and performs presets/actions.
#[component]
pub fn LessonPlayer(
    /// The lesson to play.
    lesson: Lesson,
    /// The step, the driver's entry points and the goal lookup (see [`LessonHooks`]).
    hooks: LessonHooks,
    /// Answers and goals reached.
    progress: LessonProgress,
) -> impl IntoView {
    let LessonHooks {
        step,
        on_enter_step,
        on_run_step,
        lookup,
        ..
    } = hooks;
    let LessonProgress {
        answers,
        goals_met,
        seen,
    } = progress;
    let total = lesson.steps.len();
    let key = Progress::storage_key(lesson.id);

    // The step on screen counts as opened.
    Effect::new(move |_| {
        let i = step.get();
        if i < total && !seen.with_untracked(|s| s.contains(&i)) {
            seen.update(|s| {
                s.insert(i);
            });
        }
    });
    // Persist progress whenever it changes (talking to the outside world: an Effect's job).
    Effect::new(move |_| {
        let p = Progress {
            step: step.get(),
            answers: answers.get(),
            goals_met: goals_met.get(),
            seen: seen.get(),
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
    let run_actions = move || on_run_step.run(step.get_untracked());
    let predict_again = Callback::new(move |_| {
        let i = step.get_untracked();
        answers.update(|a| {
            a.remove(&i);
        });
        on_enter_step.run(i);
    });
    let start_over = move |_| {
        answers.update(BTreeMap::clear);
        goals_met.update(Vec::clear);
        seen.set(BTreeSet::from([0]));
        step.set(0);
        on_enter_step.run(0);
    };

    // Live goal check; a goal once met is recorded and stays reached. Not judged while the lab
    // is busy: a placement or fast-forward in progress shows numbers that are not final.
    let busy = hooks.busy;
    let goal_live = Memo::new(move |_| {
        if busy.get() {
            return Some(false);
        }
        current()
            .and_then(|s| s.goal)
            .map(|g| g.is_met(|subj| lookup.run(subj.to_string())))
    });
    Effect::new(move |_| {
        if goal_live.get() == Some(true) {
            let i = step.get_untracked();
            if !goals_met.with_untracked(|g| g.contains(&i)) {
                goals_met.update(|g| g.push(i));
            }
        }
    });
    let reached = move || goals_met.with(|g| g.contains(&step.get())) || goal_live.get() == Some(true);

    // The hint is offered after a while on a step whose goal is not reached yet.
    let hint_offered = RwSignal::new(false);
    Effect::new(move |_| {
        let i = step.get();
        hint_offered.set(false);
        set_timeout(
            move || {
                if step.try_get_untracked() == Some(i) {
                    hint_offered.set(true);
                }
            },
            std::time::Duration::from_secs_f64(HINT_AFTER_SECS),
        );
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
                                <crate::glossary::TermText paragraphs=s.body/>
                                {s.predict.map(|p| view! { <PredictionView prediction=p step=i runs=has_actions answers=answers on_reveal=Callback::new(move |_| run_actions()) on_again=predict_again/> })}
                                {(!has_prediction && has_actions)
                                    .then(|| {
                                        view! {
                                            <button type="button" class="button primary" data-testid="lesson-run" on:click=move |_| run_actions()>
                                                "\u{25b6} Run it"
                                            </button>
                                        }
                                    })}
                                {s.goal.map(|g| {
                                    let live_note = move || {
                                        (goals_met.with(|m| m.contains(&i)) && goal_live.get() != Some(true))
                                            .then_some(" (the current settings no longer meet it)")
                                    };
                                    view! {
                                        <div
                                            class="goal"
                                            class:met=reached
                                            data-testid="goal-status"
                                            data-value=move || if reached() { "met" } else { "unmet" }
                                            data-live=move || if goal_live.get() == Some(true) { "met" } else { "unmet" }
                                            role="status"
                                        >
                                            <strong>"Goal: "</strong>
                                            {g.text}
                                            <span class="goal-state">
                                                {move || if reached() { " \u{2714} reached" } else { " \u{2026} not yet" }}
                                            </span>
                                            <span class="goal-live">{live_note}</span>
                                            <Show when=move || hint_offered.get() && !reached()>
                                                <details class="goal-hint" data-testid="goal-hint">
                                                    <summary>"Stuck? A hint"</summary>
                                                    <p>{g.hint}</p>
                                                </details>
                                            </Show>
                                        </div>
                                    }
                                })}
                                {(i + 1 == total).then(|| view! { <LessonSummary lesson=lesson progress=progress/> })}
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
                <button type="button" class="button small subtle" data-testid="lesson-start-over" on:click=start_over>
                    "Start over"
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

/// The end of a lesson: predictions right, goals reached, and where to go next.
#[component]
fn LessonSummary(lesson: Lesson, progress: LessonProgress) -> impl IntoView {
    let predictions = lesson.steps.iter().filter(|s| s.predict.is_some()).count();
    let goals = lesson.steps.iter().filter(|s| s.goal.is_some()).count();
    let right = move || {
        progress.answers.with(|a| {
            a.iter()
                .filter(|(&i, &choice)| {
                    lesson
                        .steps
                        .get(i)
                        .and_then(|s| s.predict)
                        .is_some_and(|p| p.answer == choice)
                })
                .count()
        })
    };
    let met = move || {
        progress.goals_met.with(|g| {
            g.iter()
                .filter(|&&i| lesson.steps.get(i).is_some_and(|s| s.goal.is_some()))
                .count()
        })
    };
    let next = crate::labs::next_after(lesson.id);
    let base = crate::platform::base_path();
    view! {
        <aside class="lesson-summary" data-testid="lesson-summary" aria-label="What this lesson showed">
            <h3>"What you did"</h3>
            <p>
                <span data-testid="summary-predictions" data-value=move || right().to_string()>
                    {move || format!("{} of {predictions} predictions right", right())}
                </span>
                ", "
                <span data-testid="summary-goals" data-value=move || met().to_string()>
                    {move || format!("{} of {goals} goals reached.", met())}
                </span>
            </p>
            {match next {
                Some(lab) => view! {
                    <a class="button primary" data-testid="lesson-next-lab" href=format!("{base}/labs/{}", lab.slug)>
                        {format!("Next lab: {} \u{2192}", lab.title)}
                    </a>
                }
                .into_any(),
                None => view! {
                    <a class="button primary" data-testid="lesson-next-lab" href=format!("{base}/")>"All labs \u{2192}"</a>
                }
                .into_any(),
            }}
        </aside>
    }
}

/// A prediction: options first, then the reveal once answered.
#[component]
fn PredictionView(
    prediction: crate::lessons::Prediction,
    step: usize,
    runs: bool,
    answers: RwSignal<BTreeMap<usize, usize>>,
    on_reveal: Callback<()>,
    on_again: Callback<()>,
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
                            {if runs { "Lock in and run" } else { "Lock in" }}
                        </button>
                    }
                }
            >
                <p class="reveal" data-testid="prediction-result" role="status">
                    <strong>{move || if answered() == Some(correct) { "Right. " } else { "Not quite. " }}</strong>
                    {explanation}
                </p>
                <div class="actions">
                    {runs
                        .then(|| {
                            view! {
                                <button type="button" class="button small" data-testid="lesson-rerun" on:click=move |_| on_reveal.run(())>
                                    "\u{21ba} Run it again"
                                </button>
                            }
                        })}
                    <button type="button" class="button small" data-testid="predict-again" on:click=move |_| on_again.run(())>
                        "Predict again"
                    </button>
                </div>
            </Show>
        </fieldset>
    }
}

/// The lesson panel of a lab's side column: the player in lesson mode, nothing in sandbox mode
/// or when the lab has no lesson.
#[component]
pub fn LessonSide(
    /// The lesson, where the learner is and the driver's entry points.
    hooks: LessonHooks,
    /// Answers and goals reached.
    progress: LessonProgress,
) -> impl IntoView {
    let mode = hooks.mode;
    hooks.lesson.map(|l| {
        view! {
            <Show when=move || mode.get() == crate::components::url_state::Mode::Lesson>
                <div class="panel">
                    <LessonPlayer lesson=l hooks=hooks progress=progress/>
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
