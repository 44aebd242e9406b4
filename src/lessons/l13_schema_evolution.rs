//! Lesson 13: schema evolution.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, SchemaAction, Section};
use crate::domain::bank::controls;

/// The type the lesson evolves.
const TYPE: &str = "MoneyDeposited";

/// The version new MoneyDeposited events are written in.
fn written(p: &crate::app::Playground) -> u16 {
    p.evolving_types()
        .iter()
        .find(|t| t.name == TYPE)
        .map_or(1, |t| t.written)
}

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "schema-evolution",
        title: "Schema evolution",
        section: Section::SchemaEvolution,
        goal: "Deploy a new version of an event type, write events in it, and see old events kept as they were stored yet read in the newest shape through an upcaster.",
        explanation: "Events are stored for ever, but their shape changes: MoneyDeposited gains a currency, then a channel. The log is never rewritten; instead each version has an upcaster that turns the version before it into it, and readers always see the latest version. The log can hold several versions of one type side by side.",
        seed: 113,
        setup: || adas_account(&[(controls::DEPOSIT, "10")]),
        steps: vec![
            Step {
                text: "In Schema evolution, press “Deploy next version of MoneyDeposited”: new deposits are written in version 2.",
                hint: "The deposit already in the log stays in version 1.",
                done: |p| written(p) >= 2,
                solve: |_| vec![Action::Schema(SchemaAction::DeployNext(TYPE.to_owned()))],
            },
            Step {
                text: "Deposit 5 into Ada's account: the log now holds MoneyDeposited in versions 1 and 2.",
                hint: "Schema versions counts the stored events of each version.",
                done: |p| events_of(p, TYPE) >= 2,
                solve: |_| money(controls::DEPOSIT, "5"),
            },
            Step {
                text: "Tick “Show events as stored” in the Event log: each payload shows in the version it was written in.",
                hint: "Unticked, the log shows every event as read: upcast to the latest version.",
                done: |p| p.shows_stored(),
                solve: |_| vec![Action::Schema(SchemaAction::ShowStored(true))],
            },
            Step {
                text: "Pick the first deposit (position 2) in the Event log: the inspector shows it as stored (v1) and as upcast to the latest version.",
                hint: "The upcasters fill in what version 1 did not have: the currency and the channel.",
                done: |p| {
                    inspected_type(p).as_deref() == Some(TYPE) && p.inspected_stored().is_some()
                },
                solve: |_| vec![Action::Inspect(2)],
            },
        ],
    }
}
