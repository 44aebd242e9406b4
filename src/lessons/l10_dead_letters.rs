//! Lesson 10: dead letters and poison events.

use super::checks::*;
use super::{generate, Lesson, Step};
use crate::app::{Action, Section, Setting, StreamAction};
use crate::sim::{FailureMode, Reason};

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "dead-letters",
        title: "Dead letters and poison events",
        section: Section::OnlineVsBatch,
        goal: "See a poison event fail every attempt, land in the dead-letter queue after its retries, and be skipped for good.",
        explanation: "Some failures pass (a timeout); some never will (an event a consumer cannot handle: a poison event). A consumer retries a few times, then parks the event in a dead-letter queue so the rest of the partition can flow. Someone then decides: retry it (after a fix) or skip it — and a skipped event is missing from the online read models for ever.",
        seed: 110,
        setup: || generate(2_000),
        steps: vec![
            Step {
                text: "Set Failure mode to “Poison events” and Failure rate to 1 %.",
                hint: "With poison events, the failing events are chosen by the seed and fail every attempt.",
                done: |p| p.streaming().config().failure_mode == FailureMode::Poison && p.streaming().config().failure_rate > 0,
                solve: |_| vec![set(Setting::FailureMode, "poison"), set(Setting::FailureRate, "1")],
            },
            Step {
                text: "Press “Drain”: after their retries, the poison events are listed in the Dead-letter queue.",
                hint: "Differences says those rows differ because events are “parked in the dead-letter queue”.",
                done: |p| !p.streaming().dead_letter_views(p.store()).is_empty(),
                solve: |_| vec![drain()],
            },
            Step {
                text: "Press “Skip all”: the queue empties, and Differences says the skipped events will never be applied online.",
                hint: "Retry all would only fail again: a poison event needs a fixed consumer, not another attempt.",
                done: |p| p.streaming().dead_letter_views(p.store()).is_empty()
                    && differs_because(p, |r| matches!(r, Reason::SkippedFromDeadLetterQueue { .. })),
                solve: |_| vec![Action::Stream(StreamAction::SkipAll)],
            },
        ],
    }
}
