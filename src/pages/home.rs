//! The home page: the labs in a suggested order, each with the learner's progress in its lesson
//! (read from localStorage, nothing leaves the browser) and a link to continue where they
//! stopped; a way to forget all progress.

use super::LabIcon;
use crate::labs::{LabInfo, LabStatus, LABS};
use crate::lessons::{outline, Progress, Standing, OUTLINES};
use crate::platform::{href, storage_get, storage_remove};
use leptos::prelude::*;
use leptos_router::components::A;

/// Home: the pitch, the labs in the suggested order (ready ones link and show progress, the
/// others say coming soon) and the reset.
#[component]
pub fn Home() -> impl IntoView {
    // Bumped by a reset, so every card reads its progress again.
    let generation = RwSignal::new(0_u32);
    view! {
        <section class="hero">
            <h1>"Learn scalability patterns by running them"</h1>
            <p class="lead">
                "Each lab is a small, deterministic simulation of one pattern. Follow the guided lesson, "
                "predict what happens, then break things on purpose and watch the numbers move."
            </p>
            <p class="path-note">
                "The labs follow the path a growing system takes: one server, then load balancing and caching, "
                "replication, sharding, queues and autoscaling, protecting the service, and the whole journey last. "
                "Start anywhere; your progress stays in this browser."
            </p>
        </section>
        <ol class="lab-grid" aria-label="Labs, in a suggested order">
            {LABS
                .iter()
                .enumerate()
                .map(|(i, lab)| view! { <LabCard lab=lab number=i + 1 generation=generation/> })
                .collect_view()}
        </ol>
        <ResetProgress generation=generation/>
    }
}

/// The learner's standing in the lesson of `slug` (not started when nothing readable is stored).
fn standing(slug: &str) -> Option<Standing> {
    let o = outline(slug)?;
    let stored = storage_get(&Progress::storage_key(slug)).and_then(|s| Progress::from_stored(&s, o.steps.len()));
    Some(Standing::of(o, stored.as_ref()))
}

/// One lab's card: its place in the path, icon, title and pitch (a link to the lab), then its
/// lesson's progress and where to continue.
#[component]
fn LabCard(lab: &'static LabInfo, number: usize, generation: RwSignal<u32>) -> impl IntoView {
    let ready = lab.status == LabStatus::Ready;
    let card = view! {
        <span class="path-number" aria-hidden="true">{number}</span>
        <LabIcon lab=lab/>
        <h2>{lab.title}</h2>
        <p>{lab.pitch}</p>
        {(!ready).then(|| view! { <span class="badge">"Coming soon"</span> })}
    };
    if !ready {
        return view! {
            <li class="lab-card soon" data-testid=format!("lab-card-{}", lab.slug)>
                <div class="card-link" aria-disabled="true">{card}</div>
            </li>
        }
        .into_any();
    }
    let standing = Memo::new(move |_| {
        generation.track();
        standing(lab.slug)
    });
    view! {
        <li class="lab-card ready" data-testid=format!("lab-card-{}", lab.slug)>
            <A href=href(&format!("/labs/{}", lab.slug)) attr:class="card-link">{card}</A>
            {move || standing.get().map(|s| view! { <LessonStanding slug=lab.slug title=lab.title standing=s/> })}
        </li>
    }
    .into_any()
}

/// A lesson's progress bar, its counts and the link to continue.
#[component]
fn LessonStanding(slug: &'static str, title: &'static str, standing: Standing) -> impl IntoView {
    let minutes = outline(slug).map_or(0, |o| o.minutes);
    let s = standing;
    let counts = if s.started {
        let mut parts = vec![format!("{} of {} steps", s.steps_done, s.steps)];
        if s.predictions > 0 {
            parts.push(format!(
                "{} of {} predictions right",
                s.predictions_right, s.predictions
            ));
        }
        if s.goals > 0 {
            parts.push(format!("{} of {} goals", s.goals_met, s.goals));
        }
        parts.join(" \u{b7} ")
    } else {
        format!("{} steps \u{b7} about {minutes} min", s.steps)
    };
    let link = if !s.started {
        "Start the lesson".to_string()
    } else if s.steps_done == s.steps {
        "Review the lesson".to_string()
    } else {
        format!("Continue at step {}", s.current + 1)
    };
    // The visible words first (what a voice user says), then which lab.
    let label = format!("{link}: {title}");
    view! {
        <div class="lesson-standing">
            <progress
                max=s.steps
                value=s.steps_done
                data-testid=format!("progress-{slug}")
                data-value=s.fraction_text()
                aria-label=format!("{title} lesson: {} of {} steps done", s.steps_done, s.steps)
            ></progress>
            <p class="standing-counts">{counts}</p>
            <A href=href(&format!("/labs/{slug}?step={}", s.current + 1)) attr:class="continue" attr:aria-label=label attr:data-testid=format!("continue-{slug}")>
                {link}
                " \u{2192}"
            </A>
        </div>
    }
}

/// Forgets every lesson's progress, after a confirmation.
#[component]
fn ResetProgress(generation: RwSignal<u32>) -> impl IntoView {
    let asking = RwSignal::new(false);
    let done = RwSignal::new(false);
    let reset = move |_| {
        for o in OUTLINES {
            storage_remove(&Progress::storage_key(o.id));
        }
        asking.set(false);
        done.set(true);
        generation.update(|g| *g += 1);
    };
    view! {
        <section class="reset-progress" aria-label="Your progress">
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! {
                        <button type="button" class="button subtle" data-testid="reset-progress" on:click=move |_| {
                            done.set(false);
                            asking.set(true);
                        }>
                            "Reset all progress"
                        </button>
                        <span class="reset-done" role="status">
                            {move || done.get().then_some("Every lesson starts afresh.")}
                        </span>
                    }
                }
            >
                <p role="alert">"Forget every lesson's steps, answers and goals in this browser?"</p>
                <button type="button" class="button danger" data-testid="reset-progress-confirm" on:click=reset>
                    "Reset all progress"
                </button>
                <button type="button" class="button" data-testid="reset-progress-cancel" on:click=move |_| asking.set(false)>
                    "Keep it"
                </button>
            </Show>
        </section>
    }
}
