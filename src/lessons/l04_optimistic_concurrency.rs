//! Lesson 4: optimistic concurrency.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::Section;
use crate::domain::bank::{controls, ClerkNotice};

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "optimistic-concurrency",
        title: "Optimistic concurrency",
        section: Section::Concurrency,
        goal: "See two writers decide on the same state, the store refuse the second (a conflict), and what happens without the check: a lost update.",
        explanation: "Two people can load the same aggregate and decide at the same time. Each append says which version it expects the stream to be at; if another write got there first, the store refuses it, and the writer loads again and decides again. With no expected version, the second write goes through on a state that is no longer true.",
        seed: 104,
        setup: || adas_account(&[(controls::DEPOSIT, "100")]),
        steps: vec![
            Step {
                text: "In the clerks' panel, press “Clerk A loads” and “Clerk B loads”: both load Ada's account at version 2.",
                hint: "The clerks work on the account selected in the Account select.",
                done: both_clerks_loaded,
                solve: |_| {
                    vec![
                        bank_press(controls::LOADS[0]),
                        bank_press(controls::LOADS[1]),
                    ]
                },
            },
            Step {
                text: "Type 60 in “Clerk A amount” and press “Clerk A withdraws”: it writes, and the account moves to version 3.",
                hint: "Clerk A expected version 2 and the stream was at version 2, so the append is accepted.",
                done: |p| events_of(p, "MoneyWithdrawn") >= 1,
                solve: |_| {
                    vec![
                        bank(controls::AMOUNTS[0], "60"),
                        bank_press(controls::WITHDRAWS[0]),
                    ]
                },
            },
            Step {
                text: "Type 60 in “Clerk B amount” and press “Clerk B withdraws”: the store refuses it with a conflict, as B still expects version 2.",
                hint: "Nothing was written: B decided on a balance of 100.00 that is no longer true.",
                done: |p| matches!(clerk_notice(p), Some(ClerkNotice::Conflict { .. })),
                solve: |_| {
                    vec![
                        bank(controls::AMOUNTS[1], "60"),
                        bank_press(controls::WITHDRAWS[1]),
                    ]
                },
            },
            Step {
                text: "Press “Retry”: B loads again and decides on the real balance, 40.00 — and the account refuses the withdrawal.",
                hint: "A retry is load, decide, append again; the decision can change.",
                done: |p| matches!(clerk_notice(p), Some(ClerkNotice::Refused(_))),
                solve: |_| vec![bank_press(controls::RETRY)],
            },
            Step {
                text: "Choose “Any (no check)” in Expected version, have both clerks load, and both withdraw 30: the second write goes through on a stale state — a lost update.",
                hint: "Press Clerk A loads, Clerk B loads, then type 30 for each and press both withdraw buttons.",
                done: |p| matches!(clerk_notice(p), Some(ClerkNotice::LostUpdate(_))),
                solve: |_| {
                    vec![
                        bank(controls::EXPECTED, "any"),
                        bank_press(controls::LOADS[0]),
                        bank_press(controls::LOADS[1]),
                        bank(controls::AMOUNTS[0], "30"),
                        bank_press(controls::WITHDRAWS[0]),
                        bank(controls::AMOUNTS[1], "30"),
                        bank_press(controls::WITHDRAWS[1]),
                    ]
                },
            },
        ],
    }
}
