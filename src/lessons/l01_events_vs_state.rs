//! Lesson 1: events vs state.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, Section};
use crate::domain::bank::controls;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "events-vs-state",
        title: "Events vs state",
        section: Section::EventStore,
        goal: "See that an account's balance is not stored anywhere: it is its events added up, and it can be added up as of any moment.",
        explanation: "A classic database keeps the current state and overwrites it. An event-sourced system keeps what happened — AccountOpened, MoneyDeposited, MoneyWithdrawn — and never changes it. The state you see is computed by folding the events in order, so every past state can be computed too.",
        seed: 101,
        setup: Vec::new,
        steps: vec![
            Step {
                text: "In the Bank tab, type an Owner (for example Ada) and press “Open account”.",
                hint: "The Owner field is at the top of the “Bank accounts: commands” panel. The log gains an AccountOpened event.",
                done: |p| events_of(p, "AccountOpened") >= 1,
                solve: |_| open_account("Ada"),
            },
            Step {
                text: "Type 100 in Amount and press “Deposit”.",
                hint: "The new account is selected in the Account select. A MoneyDeposited event appends and the Balance becomes 100.00.",
                done: |p| events_of(p, "MoneyDeposited") >= 1,
                solve: |_| money(controls::DEPOSIT, "100"),
            },
            Step {
                text: "Type 30 in Amount and press “Withdraw”.",
                hint: "The balance is now 70.00 — but look at the log: nothing was overwritten, a MoneyWithdrawn event was added.",
                done: |p| events_of(p, "MoneyWithdrawn") >= 1,
                solve: |_| money(controls::WITHDRAW, "30"),
            },
            Step {
                text: "Drag the Timeline back one event (or press ←): the account shows its balance before the withdrawal, 100.00.",
                hint: "Focus the Timeline slider and press the left arrow key once. The state region says which event it is as of.",
                done: |p| in_the_past(p) && state_field(p, "Balance").as_deref() == Some("100.00"),
                solve: |_| vec![Action::StepTimeline(-1)],
            },
        ],
    }
}
