//! The guided lessons: every lesson's scenario opens through the share-link replay, and playing
//! each step's actions makes exactly that step done — not before, and not the next one with it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use playground::app::{Action, ShareAction};
use playground::lessons::{self, Course, LessonAction, ProgressError};

fn drive(p: &mut playground::app::Playground, course: &mut Course, action: Action) {
    p.dispatch(action);
    course.observe(p);
}

/// Starts the selected lesson, as "Start lesson" does, and replays its scenario to the end.
fn start(p: &mut playground::app::Playground, course: &mut Course) {
    let open = course
        .dispatch(LessonAction::Start, p)
        .expect("the lesson starts")
        .expect("it opens a scenario");
    drive(p, course, open);
    if p.share_view().confirm.is_some() {
        drive(p, course, Action::Share(ShareAction::ConfirmOpen));
    }
    while p.opening_link() {
        drive(p, course, Action::Share(ShareAction::OpenChunk));
    }
    assert_eq!(
        p.alert(),
        None,
        "{}: the scenario opened",
        course.selected().title
    );
}

#[test]
fn the_course_covers_every_concept_with_three_to_eight_steps_each() {
    let all = lessons::all();
    assert!(all.len() >= 12, "{} lessons", all.len());
    for lesson in &all {
        assert!(
            (3..=8).contains(&lesson.steps.len()),
            "{}: {} steps",
            lesson.id,
            lesson.steps.len()
        );
        assert!(!lesson.goal.is_empty() && !lesson.explanation.is_empty());
        assert!(lesson
            .steps
            .iter()
            .all(|s| !s.text.is_empty() && !s.hint.is_empty()));
    }
    let mut ids: Vec<&str> = all.iter().map(|l| l.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "lesson ids are unique");
}

#[test]
fn every_step_of_every_lesson_is_done_exactly_when_its_actions_are() {
    let mut p = common::busy();
    let mut course = Course::new();
    for index in 0..course.lessons().len() {
        let lesson = course.lessons()[index].clone();
        course
            .dispatch(LessonAction::Select(lesson.id.to_owned()), &p)
            .expect("selected");
        start(&mut p, &mut course);
        assert_eq!(course.active(), Some(index), "{} is followed", lesson.id);
        assert_eq!(
            course.steps_done(index),
            0,
            "{}: nothing done at the start",
            lesson.id
        );
        for (n, step) in lesson.steps.iter().enumerate() {
            assert!(
                !(step.done)(&p),
                "{} step {}: done before its actions ({})",
                lesson.id,
                n + 1,
                step.text
            );
            for action in (step.solve)(&p) {
                drive(&mut p, &mut course, action);
            }
            assert_eq!(
                course.steps_done(index),
                n + 1,
                "{} step {}: {} (alert: {:?})",
                lesson.id,
                n + 1,
                step.text,
                p.alert()
            );
        }
        assert!(course.completed(index), "{}", lesson.id);
        assert_eq!(
            course.active(),
            None,
            "a completed lesson is no longer followed"
        );
    }
    assert_eq!(course.completed_count(), course.lessons().len());
}

#[test]
fn progress_is_kept_and_a_damaged_record_is_refused_whole() {
    let mut p = common::playground();
    let mut course = Course::new();
    start(&mut p, &mut course);
    let first = course.lessons()[0].clone();
    for action in (first.steps[0].solve)(&p) {
        drive(&mut p, &mut course, action);
    }
    course.dispatch(LessonAction::Next, &p).expect("next");
    let kept = course.encode();
    let back = Course::decode(&kept).expect("reads its own record");
    assert_eq!(back.steps_done(0), 1);
    assert_eq!(back.selected_index(), 1);
    assert_eq!(
        back.active(),
        Some(0),
        "the followed lesson is followed after a reload"
    );
    assert_eq!(back.encode(), kept);

    assert!(matches!(
        Course::decode("2|x||"),
        Err(ProgressError::Format(_))
    ));
    assert!(matches!(Course::decode(""), Err(ProgressError::Format(_))));
    assert!(matches!(
        Course::decode("1|nope||"),
        Err(ProgressError::UnknownLesson(_))
    ));
    assert!(matches!(
        Course::decode("1|events-vs-state||events-vs-state:99"),
        Err(ProgressError::TooManySteps {
            steps: 4,
            done: 99,
            ..
        })
    ));
    assert!(matches!(
        Course::decode("1|events-vs-state||events-vs-state=1"),
        Err(ProgressError::Entry(_))
    ));
    assert!(matches!(
        Course::decode("1|events-vs-state||events-vs-state:-1"),
        Err(ProgressError::Entry(_))
    ));
}

#[test]
fn a_lesson_whose_scenario_is_not_opened_is_not_followed() {
    let mut p = common::busy();
    let head = p.head();
    let mut course = Course::new();
    let open = course.dispatch(LessonAction::Start, &p).unwrap().unwrap();
    drive(&mut p, &mut course, open);
    assert!(
        p.share_view().confirm.is_some(),
        "a page with events asks first"
    );
    assert!(course.waiting());
    drive(&mut p, &mut course, Action::Share(ShareAction::CancelOpen));
    assert_eq!(course.active(), None);
    assert_eq!(p.head(), head, "the page is as it was");
    assert!(course
        .dispatch(LessonAction::Select("nope".into()), &p)
        .is_err());
    assert_eq!(course.selected_index(), 0);
}

#[test]
fn steps_are_not_checked_before_the_lesson_starts_and_hints_follow_the_current_step() {
    let mut p = common::playground();
    let mut course = Course::new();
    for action in (course.lessons()[0].steps[0].solve)(&p) {
        drive(&mut p, &mut course, action);
    }
    assert_eq!(course.steps_done(0), 0, "not started: nothing is ticked");
    course.dispatch(LessonAction::Hint, &p).unwrap();
    assert_eq!(course.hint(), Some(0));
    start(&mut p, &mut course);
    assert_eq!(p.head(), 0, "the lesson's scenario replaced the page");
    assert_eq!(course.hint(), None);
}
