//! The "Lessons" region: the course's lessons, the selected one's goal, explanation and steps
//! (ticked by the course as the playground shows them done), "Start lesson", hints and "Next
//! lesson"; and the bar that keeps the followed lesson's current step in view in every section.

use crate::app::Section;
use crate::lessons::{Course, LessonAction};
use crate::ui::app::Shared;
use yew::prelude::*;

/// Props of the region and the bar: the page's handles, and the course's revision.
#[derive(Properties, PartialEq, Clone)]
pub struct LessonProps {
    /// The playground, its dispatcher and the course.
    pub shared: Shared,
    /// Changes whenever the course does.
    pub key_of: u64,
}

fn press(shared: &Shared, action: LessonAction) -> Callback<MouseEvent> {
    let learn = shared.learn.clone();
    Callback::from(move |_: MouseEvent| learn.emit(action.clone()))
}

/// What the followed lesson is doing, in words.
fn status_of(course: &Course, index: usize) -> String {
    let lesson = &course.lessons()[index];
    let done = course.steps_done(index);
    if course.active() == Some(index) {
        if course.waiting() {
            "Opening the lesson's scenario…".to_owned()
        } else {
            format!(
                "In progress: {done} of {} steps done. Each step is ticked as soon as the playground shows it.",
                lesson.steps.len()
            )
        }
    } else if course.completed(index) {
        "Completed: every step is done.".to_owned()
    } else if done > 0 {
        format!(
            "{done} of {} steps done. Start the lesson to follow it again from its first step.",
            lesson.steps.len()
        )
    } else {
        "Not started. “Start lesson” opens its starting scenario (it replaces what the page holds, after asking).".to_owned()
    }
}

/// The Lessons region.
#[component]
pub fn Lessons(props: &LessonProps) -> Html {
    let shared = &props.shared;
    let course = shared.course.borrow();
    let index = course.selected_index();
    let lesson = course.selected();
    let done = course.steps_done(index);
    let following = course.active() == Some(index);
    let total = course.lessons().len();
    let list: Html = course
        .lessons()
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let steps = l.steps.len();
            let n = course.steps_done(i);
            let mark = if course.completed(i) { "✓" } else { "" };
            let on_click = press(shared, LessonAction::Select(l.id.to_owned()));
            html! {
                <li>
                    <button type="button" class={classes!("lesson-pick", (i == index).then_some("selected"), course.completed(i).then_some("complete"))}
                        aria-current={(i == index).then_some("true")} onclick={on_click}>
                        <span class="lesson-name">{ format!("{}. {}", i + 1, l.title) }</span>
                        { " " }
                        <span class="lesson-count">{ format!("{n} of {steps} steps done") }</span>
                        <span class="lesson-mark" aria-hidden="true">{ mark }</span>
                    </button>
                </li>
            }
        })
        .collect();
    let steps: Html = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let state = if i < done {
                "done"
            } else if i == done && following {
                "current"
            } else {
                "todo"
            };
            let (mark, said) = match state {
                "done" => ("✓", "Done: "),
                "current" => ("→", "Current step: "),
                _ => ("", "Not done yet: "),
            };
            html! {
                <li class={classes!("lesson-step", state)}>
                    <span class="step-mark" aria-hidden="true">{ mark }</span>
                    <span><span class="visually-hidden">{ said }</span>{ step.text }</span>
                </li>
            }
        })
        .collect();
    let hint = course
        .hint()
        .and_then(|i| lesson.steps.get(i).map(|s| (i, s.hint)));
    let section = lesson.section;
    let complete = course.completed(index);
    let alert = course.alert().map(str::to_owned);
    html! {
        <section class="panel lessons" id="lessons-region" role="region" aria-label="Lessons">
            <p class="lessons-summary">
                { format!("{} of {total} lessons completed. Pick a lesson, press “Start lesson”, and follow its steps: each is checked from what the playground shows.", course.completed_count()) }
            </p>
            <div class="lessons-grid">
                <nav aria-label="Lesson list">
                    <ol class="lesson-list">{ list }</ol>
                </nav>
                <article class="lesson" aria-labelledby="lesson-title">
                    <h3 id="lesson-title">{ format!("{}. {}", index + 1, lesson.title) }</h3>
                    <p class="lesson-where">
                        { "Work in: " }
                        <a href={format!("#{}", section.slug())}>{ section.title() }</a>
                    </p>
                    <p><strong>{ "Goal: " }</strong>{ lesson.goal }</p>
                    <p>{ lesson.explanation }</p>
                    <div class="row">
                        <button type="button" onclick={press(shared, LessonAction::Start)}>{ "Start lesson" }</button>
                        if following {
                            <button type="button" class="secondary" onclick={press(shared, LessonAction::Stop)}>{ "Stop lesson" }</button>
                        }
                        if index + 1 < total {
                            <button type="button" class={classes!((!complete).then_some("secondary"))} onclick={press(shared, LessonAction::Next)}>{ "Next lesson" }</button>
                        }
                    </div>
                    <p class="lesson-status" id="lesson-status">{ status_of(&course, index) }</p>
                    if let Some(alert) = alert {
                        <p class="alert" role="alert">{ alert }</p>
                    }
                    <h4 id="lesson-steps-heading">{ "Steps" }</h4>
                    <ol class="lesson-steps" aria-labelledby="lesson-steps-heading">{ steps }</ol>
                    if !complete {
                        <div class="row">
                            <button type="button" class="secondary" onclick={press(shared, LessonAction::Hint)}>{ "Show hint" }</button>
                        </div>
                    }
                    if let Some((i, text)) = hint {
                        <p class="lesson-hint" role="note">{ format!("Hint for step {}: {text}", i + 1) }</p>
                    }
                </article>
            </div>
        </section>
    }
}

/// The followed lesson's current step, shown above every section but Lessons.
#[component]
pub fn LessonBar(props: &LessonBarProps) -> Html {
    let shared = &props.shared;
    let course = shared.course.borrow();
    let Some(index) = course.active() else {
        return Html::default();
    };
    if props.section == Section::Lessons || course.waiting() {
        return Html::default();
    }
    let lesson = &course.lessons()[index];
    let step = course.steps_done(index);
    let Some(current) = lesson.steps.get(step) else {
        return Html::default();
    };
    let hint =
        (course.selected_index() == index && course.hint() == Some(step)).then_some(current.hint);
    html! {
        <aside class="lesson-bar" aria-label="Current lesson">
            <p>
                <strong>{ format!("{}: step {} of {}. ", lesson.title, step + 1, lesson.steps.len()) }</strong>
                { current.text }
            </p>
            <div class="row">
                <button type="button" class="secondary" onclick={press(shared, LessonAction::Hint)}>{ "Show hint" }</button>
                <a href="#lessons">{ "Open the lesson" }</a>
            </div>
            if let Some(hint) = hint {
                <p class="lesson-hint" role="note">{ hint }</p>
            }
        </aside>
    }
}

/// Props of the bar.
#[derive(Properties, PartialEq, Clone)]
pub struct LessonBarProps {
    /// The page's handles.
    pub shared: Shared,
    /// The section shown.
    pub section: Section,
    /// Changes whenever the course does.
    pub key_of: u64,
}
