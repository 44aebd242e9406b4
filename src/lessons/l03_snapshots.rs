//! Lesson 3: snapshots.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, Section};
use crate::domain::bank::controls;
use crate::view::Rebuilt;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "snapshots",
        title: "Snapshots",
        section: Section::EventStore,
        goal: "See a long stream rebuilt from a snapshot plus the few events after it, instead of from its very first event.",
        explanation: "Folding every event of a stream on every load gets slow when a stream is long. A snapshot stores the state as of one version; loading then starts from the newest snapshot and replays only what came after. The playground snapshots a stream every 100 events; the state region says how each state was rebuilt.",
        seed: 103,
        setup: || adas_account(&[(controls::DEPOSIT, "1"); 97]),
        steps: vec![
            Step {
                text: "Ada's account has 98 events, and its state says “replayed 98 events”. Deposit twice more (Amount 1, “Deposit”, twice): at version 100 the account is snapshotted, and its state says “rebuilt from snapshot v100 + 0 events”.",
                hint: "The repository stores a snapshot of a stream every 100 events; loading starts from the newest one.",
                done: |p| matches!(rebuilt(p), Some(Rebuilt::FromSnapshot { version: 100, .. })),
                solve: |_| {
                    let mut actions = money(controls::DEPOSIT, "1");
                    actions.extend(money(controls::DEPOSIT, "1"));
                    actions
                },
            },
            Step {
                text: "Deposit once more: the state is the snapshot plus the one event after it (“rebuilt from snapshot v100 + 1 event”).",
                hint: "Only the events after the snapshot are replayed, however long the stream grows.",
                done: |p| matches!(rebuilt(p), Some(Rebuilt::FromSnapshot { version: 100, events: 1 })),
                solve: |_| money(controls::DEPOSIT, "1"),
            },
            Step {
                text: "Move the Timeline to position 50 (press Home, then PageUp five times): before the snapshot, the state is replayed from the stream's first event (“replayed 50 events”).",
                hint: "Focus the Timeline slider first. PageUp moves 10 events forward, PageDown 10 back.",
                done: |p| matches!(rebuilt(p), Some(Rebuilt::Replayed { events: 50 })),
                solve: |_| vec![Action::SeekTimeline(50)],
            },
        ],
    }
}
