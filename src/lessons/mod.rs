//! Guided lessons: the playground's concepts as a course. A lesson is data — a goal, a short
//! explanation, a starting scenario and 3–8 steps — and each step is checked from the playground's
//! state after every action, never ticked by the student. One file per lesson; [`Course`] keeps
//! the student's progress and turns "Start lesson" into the opening of the lesson's scenario, through
//! the same replay as a share link.
//!
//! Pure: the UI draws the course and stores its [`Course::encode`]d progress in the browser.

mod checks;
mod l01_events_vs_state;
mod l02_log_and_replay;
mod l03_snapshots;
mod l04_optimistic_concurrency;
mod l05_cqrs_stale_reads;
mod l06_online_vs_batch;
mod l07_partitions_ordering;
mod l08_delivery_idempotency;
mod l09_event_time_windows;
mod l10_dead_letters;
mod l11_saga_orchestration;
mod l12_saga_choreography;
mod l13_schema_evolution;
mod l14_crypto_shredding;
mod l15_what_if_branches;

use crate::app::{Action, GenerateAction, Playground, Section, ShareAction};
use crate::kernel::ManualClock;
use std::fmt;
use std::rc::Rc;

/// One step of a lesson.
#[derive(Clone)]
pub struct Step {
    /// What to do, naming the controls by their labels.
    pub text: &'static str,
    /// More help, shown on demand.
    pub hint: &'static str,
    /// Whether the playground shows the step done.
    pub done: fn(&Playground) -> bool,
    /// What a student does for it, as actions (the tests play them; nothing on the page does).
    pub solve: fn(&Playground) -> Vec<Action>,
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Step").field("text", &self.text).finish()
    }
}

/// A guided lesson.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// Its id, in progress records (`events-vs-state`).
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// The section where its steps are done.
    pub section: Section,
    /// What the student will have seen at the end.
    pub goal: &'static str,
    /// The concept, in plain words.
    pub explanation: &'static str,
    /// The seed of its starting scenario.
    pub seed: u64,
    /// The actions that build its starting scenario (from an empty playground).
    pub setup: fn() -> Vec<Action>,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

impl Lesson {
    /// The share-link fragment of the lesson's starting scenario: its setup played into a fresh
    /// playground, as "Copy share link" would write it.
    pub fn scenario_link(&self) -> Result<String, String> {
        let setup = (self.setup)();
        if setup.is_empty() {
            // A fresh page: a scenario of no entries.
            let empty = crate::app::Scenario {
                seed: self.seed,
                snapshot_every: crate::kernel::DEFAULT_SNAPSHOT_EVERY,
                entries: Vec::new(),
            };
            return Ok(empty.link());
        }
        let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), self.seed);
        for action in setup {
            p.dispatch(action);
            if let Some(alert) = p.alert() {
                return Err(format!(
                    "The lesson “{}” could not set up its scenario: {alert}",
                    self.title
                ));
            }
        }
        p.dispatch(Action::Share(ShareAction::Copy));
        p.share_view().link.ok_or_else(|| {
            format!(
                "The lesson “{}” could not set up its scenario: {}",
                self.title,
                p.alert().unwrap_or("it cannot be shared")
            )
        })
    }
}

/// Actions that generate `count` events with the load generator (its Generate and every chunk).
pub fn generate(count: u64) -> Vec<Action> {
    let mut actions = vec![
        Action::Generate(GenerateAction::EditCount(count.to_string())),
        Action::Generate(GenerateAction::Start),
    ];
    let chunks = count.div_ceil(crate::app::GENERATE_CHUNK);
    actions.extend((0..chunks).map(|_| Action::Generate(GenerateAction::Chunk)));
    actions
}

/// Every lesson, in the course's order.
pub fn all() -> Vec<Lesson> {
    vec![
        l01_events_vs_state::lesson(),
        l02_log_and_replay::lesson(),
        l03_snapshots::lesson(),
        l04_optimistic_concurrency::lesson(),
        l05_cqrs_stale_reads::lesson(),
        l06_online_vs_batch::lesson(),
        l07_partitions_ordering::lesson(),
        l08_delivery_idempotency::lesson(),
        l09_event_time_windows::lesson(),
        l10_dead_letters::lesson(),
        l11_saga_orchestration::lesson(),
        l12_saga_choreography::lesson(),
        l13_schema_evolution::lesson(),
        l14_crypto_shredding::lesson(),
        l15_what_if_branches::lesson(),
    ]
}

/// What the Lessons region's controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonAction {
    /// Choosing a lesson in the list, by its id.
    Select(String),
    /// "Start lesson": open the selected lesson's scenario and check its steps from the first.
    Start,
    /// "Show hint" of the current step (of the lesson followed, or else of the one selected).
    Hint,
    /// "Next lesson": select the one after the selected lesson.
    Next,
    /// "Stop lesson": stop checking the started lesson (its ticks stay).
    Stop,
}

/// A lesson being followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Active {
    lesson: usize,
    /// Waiting for its scenario to open: the page's count of opened scenarios when it started.
    waiting: Option<u64>,
}

/// Why kept progress could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    /// Not this format, or not a version this page reads.
    #[error("it is not lesson progress this version reads (it starts with “{0}”; expected “1|”)")]
    Format(String),
    /// A part is not `lesson-id:steps`.
    #[error("“{0}” is not a lesson and a number of steps")]
    Entry(String),
    /// A lesson this course does not have.
    #[error("there is no lesson “{0}”")]
    UnknownLesson(String),
    /// More steps done than the lesson has.
    #[error("the lesson “{id}” has {steps} steps, not {done}")]
    TooManySteps {
        /// The lesson.
        id: String,
        /// Its steps.
        steps: usize,
        /// What the record said.
        done: u64,
    },
}

/// The student's course: the lessons, the one selected, the steps done, the lesson followed.
#[derive(Debug, Clone)]
pub struct Course {
    lessons: Vec<Lesson>,
    selected: usize,
    /// Steps done, per lesson (a step once done stays done).
    done: Vec<usize>,
    active: Option<Active>,
    /// The step whose hint is shown (of the selected lesson).
    hint: Option<usize>,
    /// Why the last control was refused, until the next.
    alert: Option<String>,
    revision: u64,
}

impl Default for Course {
    fn default() -> Self {
        Self::new()
    }
}

impl Course {
    /// A course with nothing done.
    pub fn new() -> Self {
        let lessons = all();
        let done = vec![0; lessons.len()];
        Self {
            lessons,
            selected: 0,
            done,
            active: None,
            hint: None,
            alert: None,
            revision: 0,
        }
    }

    /// Every lesson.
    pub fn lessons(&self) -> &[Lesson] {
        &self.lessons
    }

    /// The lesson selected.
    pub fn selected(&self) -> &Lesson {
        &self.lessons[self.selected]
    }

    /// Its index.
    pub fn selected_index(&self) -> usize {
        self.selected
    }

    /// Steps done of the lesson at `index`.
    pub fn steps_done(&self, index: usize) -> usize {
        self.done.get(index).copied().unwrap_or(0)
    }

    /// Whether every step of the lesson at `index` is done.
    pub fn completed(&self, index: usize) -> bool {
        self.lessons
            .get(index)
            .is_some_and(|l| self.steps_done(index) >= l.steps.len())
    }

    /// Lessons completed.
    pub fn completed_count(&self) -> usize {
        (0..self.lessons.len())
            .filter(|&i| self.completed(i))
            .count()
    }

    /// The lesson followed (its steps checked), if any.
    pub fn active(&self) -> Option<usize> {
        self.active.map(|a| a.lesson)
    }

    /// The lesson followed is waiting for its scenario to open.
    pub fn waiting(&self) -> bool {
        self.active.is_some_and(|a| a.waiting.is_some())
    }

    /// The step whose hint is shown, if any.
    pub fn hint(&self) -> Option<usize> {
        self.hint
    }

    /// Changes whenever anything the region shows changes.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Why the last control of the region was refused, if it was.
    pub fn alert(&self) -> Option<&str> {
        self.alert.as_deref()
    }

    /// Applies a control of the Lessons region; returns the playground action it needs (the
    /// opening of a lesson's scenario), or the message of a refusal (also kept as the
    /// [`Course::alert`]).
    pub fn dispatch(
        &mut self,
        action: LessonAction,
        playground: &Playground,
    ) -> Result<Option<Action>, String> {
        self.revision += 1;
        let result = self.apply(action, playground);
        self.alert = result.as_ref().err().cloned();
        result
    }

    fn apply(
        &mut self,
        action: LessonAction,
        playground: &Playground,
    ) -> Result<Option<Action>, String> {
        match action {
            LessonAction::Select(id) => {
                let index = self
                    .lessons
                    .iter()
                    .position(|l| l.id == id)
                    .ok_or_else(|| {
                        format!("There is no lesson “{}”.", crate::format::shorten(&id))
                    })?;
                if index != self.selected {
                    self.selected = index;
                    self.hint = None;
                }
                Ok(None)
            }
            LessonAction::Next => {
                if self.selected + 1 >= self.lessons.len() {
                    return Err("This is the last lesson.".to_owned());
                }
                self.selected += 1;
                self.hint = None;
                Ok(None)
            }
            LessonAction::Hint => {
                // The hint is the followed lesson's, wherever the student asks for it.
                if let Some(active) = self.active {
                    self.selected = active.lesson;
                }
                let step = self.steps_done(self.selected);
                if step >= self.selected().steps.len() {
                    return Err(
                        "Every step of this lesson is done: there is no hint left.".to_owned()
                    );
                }
                self.hint = Some(step);
                Ok(None)
            }
            LessonAction::Stop => {
                self.active = None;
                Ok(None)
            }
            LessonAction::Start => {
                if playground.is_opening() {
                    return Err(
                        "A scenario is already being opened: wait for it, then start the lesson."
                            .to_owned(),
                    );
                }
                let link = self.selected().scenario_link()?;
                self.done[self.selected] = 0;
                self.hint = None;
                self.active = Some(Active {
                    lesson: self.selected,
                    waiting: Some(playground.scenarios_opened()),
                });
                Ok(Some(Action::Share(ShareAction::Open(link))))
            }
        }
    }

    /// Checks the followed lesson's next steps against the playground (after every action);
    /// says whether anything changed.
    pub fn observe(&mut self, playground: &Playground) -> bool {
        let Some(active) = self.active else {
            return false;
        };
        if let Some(before) = active.waiting {
            if playground.scenarios_opened() > before {
                self.active = Some(Active {
                    waiting: None,
                    ..active
                });
                self.revision += 1;
            } else if !playground.is_opening() {
                // Not opened ("Don't open it", or refused): the lesson did not start.
                self.active = None;
                self.revision += 1;
                return true;
            } else {
                return false;
            }
        }
        let lesson = &self.lessons[active.lesson];
        let before = self.done[active.lesson];
        let mut done = before;
        while done < lesson.steps.len() && (lesson.steps[done].done)(playground) {
            done += 1;
        }
        if done == before {
            return active.waiting.is_some();
        }
        self.done[active.lesson] = done;
        if self.selected == active.lesson {
            self.hint = None;
        }
        if done == lesson.steps.len() {
            self.active = None;
        }
        self.revision += 1;
        true
    }

    /// The progress as the browser keeps it: `1|<selected>|<followed>|<id>:<steps>,…`.
    pub fn encode(&self) -> String {
        let progress: Vec<String> = self
            .lessons
            .iter()
            .zip(&self.done)
            .filter(|(_, &n)| n > 0)
            .map(|(l, n)| format!("{}:{n}", l.id))
            .collect();
        let active = self
            .active
            .filter(|a| a.waiting.is_none())
            .map_or("", |a| self.lessons[a.lesson].id);
        format!("1|{}|{active}|{}", self.selected().id, progress.join(","))
    }

    /// A course with the progress of a record [`Course::encode`] wrote; refused whole when any part
    /// of it cannot be read.
    pub fn decode(record: &str) -> Result<Course, ProgressError> {
        let mut course = Course::new();
        // Not the revision of a course never changed: the region redraws with what was read.
        course.revision = 1;
        let mut parts = record.splitn(4, '|');
        let (Some("1"), Some(selected), Some(active), Some(progress)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ProgressError::Format(
                record.chars().take(12).collect::<String>(),
            ));
        };
        let find = |course: &Course, id: &str| {
            course
                .lessons
                .iter()
                .position(|l| l.id == id)
                .ok_or_else(|| ProgressError::UnknownLesson(crate::format::shorten(id)))
        };
        course.selected = find(&course, selected)?;
        for entry in progress.split(',').filter(|e| !e.is_empty()) {
            let (id, n) = entry
                .split_once(':')
                .ok_or_else(|| ProgressError::Entry(crate::format::shorten(entry)))?;
            let index = find(&course, id)?;
            let n: u64 = n
                .parse()
                .map_err(|_| ProgressError::Entry(crate::format::shorten(entry)))?;
            let steps = course.lessons[index].steps.len();
            if n > steps as u64 {
                return Err(ProgressError::TooManySteps {
                    id: id.to_owned(),
                    steps,
                    done: n,
                });
            }
            course.done[index] = n as usize;
        }
        if !active.is_empty() {
            let lesson = find(&course, active)?;
            if !course.completed(lesson) {
                course.active = Some(Active {
                    lesson,
                    waiting: None,
                });
            }
        }
        Ok(course)
    }
}
