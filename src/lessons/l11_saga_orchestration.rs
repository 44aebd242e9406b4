//! Lesson 11: a saga with compensation, orchestrated.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, SagaAction, Section, Setting};
use crate::process::SagaStatus;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "saga-orchestration",
        title: "Sagas with compensation: orchestration",
        section: Section::Sagas,
        goal: "Follow an order through inventory, payments and shipping driven by a process manager, and see a declined payment undo what was done.",
        explanation: "An order touches several services, each with its own log; there is no transaction across them. A saga is the sequence of local steps — reserve stock, authorise payment, schedule shipping, capture — and, when one fails, the compensations that undo the steps already done. In orchestration, one process manager (itself event-sourced) decides every next command.",
        seed: 111,
        setup: || register("Grace Hopper", "grace@example.com"),
        steps: vec![
            Step {
                text: "In the Orders tab, press “Start cart”, add a product (Product, Quantity, “Add item”) and press “Place order”: a saga starts.",
                hint: "Grace is the customer selected. The Sagas section lists the saga as Running.",
                done: |p| !p.sagas().tracker().is_empty(),
                solve: |_| place_order("MUG-03", "1"),
            },
            Step {
                text: "In Online vs batch, press “Drain”: the broker delivers every message, and the saga ends Completed (see it in Sagas).",
                hint: "The saga's steps list shows each command the process manager sent and each answer.",
                done: |p| sagas(p, SagaStatus::Completed) >= 1,
                solve: |_| vec![drain()],
            },
            Step {
                text: "In Sagas, set “Payment decline rate” to 100 %, place another order and Drain it: the payment is declined, the stock released and the order cancelled — Compensated.",
                hint: "Compensations are new events (StockReleased, OrderCancelled), never deletions.",
                done: |p| sagas(p, SagaStatus::Compensated) >= 1,
                solve: |_| {
                    let mut actions = vec![Action::Saga(SagaAction::Set(Setting::DeclineRate, "100".to_owned()))];
                    actions.extend(place_order("MUG-03", "1"));
                    actions.push(drain());
                    actions
                },
            },
            Step {
                text: "The compensated saga is shown. Now type order-1 in “Saga of order” and press “Show saga”: the first saga's steps and causation graph show the path that completed — compare them with the compensated one's.",
                hint: "Each node of the graph was caused by the one above it, through the causation ids of their envelopes.",
                done: |p| {
                    p.selected_saga()
                        .and_then(|i| p.sagas().tracker().get(i))
                        .is_some_and(|s| s.status == SagaStatus::Completed)
                },
                solve: |_| {
                    vec![
                        Action::Saga(SagaAction::EditFind("order-1".to_owned())),
                        Action::Saga(SagaAction::Find),
                    ]
                },
            },
        ],
    }
}
