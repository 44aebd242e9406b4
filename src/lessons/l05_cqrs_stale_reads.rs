//! Lesson 5: CQRS and stale reads.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, QueryAction, Section};
use crate::domain::bank::controls;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "cqrs-stale-reads",
        title: "CQRS and stale reads",
        section: Section::Queries,
        goal: "See a query answered from a read model that trails the log, so it misses your own last write — and how waiting for it fixes that.",
        explanation: "CQRS splits writing (commands, aggregates, the log) from reading (queries answered by read models built from the events). Read models are usually updated asynchronously, so they lag behind: a user can write and then read an older answer. Read-your-writes means a query first waits until the read model has caught up to that user's last write.",
        seed: 105,
        setup: || adas_account(&[(controls::DEPOSIT, "100")]),
        steps: vec![
            Step {
                text: "In the Queries section, set “Read model lag” to 2: the read models now trail the log by 2 events.",
                hint: "The lag is a number of events; 0 means they catch up after every command.",
                done: |p| p.queries().lag() >= 1,
                solve: |_| vec![Action::Query(QueryAction::SetLag("2".to_owned()))],
            },
            Step {
                text: "In the Event store, deposit 50 into Ada's account. Then, in Queries, choose “Account balance”, type account-1 and press “Run query”: the answer is stale.",
                hint: "The answer says which position the read model was at; the log's head is further on, so the deposit is missing.",
                done: |p| p.queries().answer().is_some_and(|a| a.at < p.head() && a.waited_for.is_none()),
                solve: |_| {
                    let mut actions = money(controls::DEPOSIT, "50");
                    actions.extend(query("account-balance", "account-1"));
                    actions
                },
            },
            Step {
                text: "Tick “Wait for my last write” and press “Run query” again: the read model first catches up to your deposit, and the answer includes it.",
                hint: "This is read-your-writes: the query waits for the position of your last write, not for the whole log.",
                done: |p| p.queries().answer().is_some_and(|a| a.waited_for.is_some()),
                solve: |_| {
                    vec![
                        Action::Query(QueryAction::WaitForLastWrite(true)),
                        Action::Query(QueryAction::Run),
                    ]
                },
            },
        ],
    }
}
