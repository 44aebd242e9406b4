//! Lesson 14: crypto-shredding.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, Section};
use crate::domain::customers::{controls, KEY};

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "crypto-shredding",
        title: "Crypto-shredding",
        section: Section::EventStore,
        goal: "Forget a customer in an append-only log: their events stay, but their personal data can never be read again.",
        explanation: "An append-only log cannot delete an event, yet the law can require that a person's data be erased. Crypto-shredding stores personal fields encrypted with a key per person, kept outside the log; deleting the key makes every copy of that data unreadable at once — in the log, in exports and in backups — while the events themselves stay.",
        seed: 114,
        setup: || register("Grace Hopper", "grace@example.com"),
        steps: vec![
            Step {
                text: "In Queries, choose “Customer by email”, type grace@example.com and press “Run query”: the read model finds Grace.",
                hint: "The read model decrypts the name with Grace's key.",
                done: |p| p.queries().answer().is_some() && p.keys().forgotten_count() == 0,
                solve: |_| query("customer-by-email", "grace@example.com"),
            },
            Step {
                text: "In the Customers tab, press “Forget customer” and confirm with “Forget”: Grace's key is deleted.",
                hint: "Nothing is appended to her streams' data: forgetting deletes a key, not an event.",
                done: |p| p.keys().forgotten_count() >= 1,
                solve: |_| {
                    vec![
                        Action::SelectTab(KEY.to_owned()),
                        Action::press(KEY, controls::FORGET),
                        Action::press(KEY, controls::CONFIRM_FORGET),
                    ]
                },
            },
            Step {
                text: "Pick the CustomerRegistered event (position 2) in the Event log: it is still there, but its name and email are unreadable.",
                hint: "The ciphertext is still stored; without the key it is only noise.",
                done: |p| {
                    inspected_type(p).as_deref() == Some("CustomerRegistered")
                        && p.keys().forgotten_count() >= 1
                },
                solve: |_| vec![Action::Inspect(2)],
            },
        ],
    }
}
