//! Lesson 2: the append-only log and replay.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, Section};
use crate::domain::bank::controls;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "log-and-replay",
        title: "The append-only log and replay",
        section: Section::EventStore,
        goal: "See that the log only ever grows, that a refused command leaves it untouched, and that replaying its first events rebuilds any earlier state.",
        explanation: "Commands are requests; events are facts. An aggregate checks a command against the state folded from its events and either appends new events or refuses — a refusal writes nothing. Because the log is never edited, replaying it from the start always gives the same states, which is what the timeline does.",
        seed: 102,
        setup: || {
            adas_account(&[
                (controls::DEPOSIT, "50"),
                (controls::DEPOSIT, "20"),
                (controls::WITHDRAW, "10"),
            ])
        },
        steps: vec![
            Step {
                text: "Try to withdraw 500 from Ada's account (Amount 500, “Withdraw”): the command is refused, and the log still holds 4 events.",
                hint: "The account holds 60.00, so the aggregate refuses. The alert says why; no event is appended.",
                done: |p| p.alert().is_some() && p.head() == 4,
                solve: |_| money(controls::WITHDRAW, "500"),
            },
            Step {
                text: "Pick the first event in the Event log to see its whole envelope in the inspector.",
                hint: "Each row of the Event log is a button. The envelope shows its position, stream, version, ids and times.",
                done: |p| p.inspected() == Some(1),
                solve: |_| vec![Action::Inspect(1)],
            },
            Step {
                text: "Move the Timeline to position 1 (press Home, then →): the account as it was after its first event, with a balance of 0.00.",
                hint: "Home jumps to position 0, before any event; each → replays one more event.",
                done: |p| p.position() == 1 && state_field(p, "Balance").as_deref() == Some("0.00"),
                solve: |_| vec![Action::SeekTimeline(0), Action::StepTimeline(1)],
            },
            Step {
                text: "Step forward to position 3: the two deposits replayed give 70.00.",
                hint: "Press → twice. The state region says “replayed 3 events”.",
                done: |p| p.position() == 3 && state_field(p, "Balance").as_deref() == Some("70.00"),
                solve: |_| vec![Action::StepTimeline(2)],
            },
            Step {
                text: "Press “Back to now”: the timeline follows the log's head again.",
                hint: "The button is next to the Timeline's position. End does the same from the slider.",
                done: |p| p.cursor().is_live(),
                solve: |p| vec![Action::SeekTimeline(p.head())],
            },
        ],
    }
}
