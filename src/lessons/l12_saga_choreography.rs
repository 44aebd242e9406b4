//! Lesson 12: a saga with compensation, choreographed.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, SagaAction, Section, Setting};
use crate::process::{SagaStatus, SagaStyle};

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "saga-choreography",
        title: "Sagas with compensation: choreography",
        section: Section::Sagas,
        goal: "Run the same fulfilment with no one in charge — each service reacting to the others' events — and see compensation happen the same way.",
        explanation: "In choreography there is no process manager: inventory reacts to OrderPlaced, payments to StockReserved, shipping to PaymentAuthorized, and each reacts to failures by undoing its own part. It needs no central coordinator, but the flow is spread across services; the causation graph is how you see it whole.",
        seed: 112,
        setup: || register("Grace Hopper", "grace@example.com"),
        steps: vec![
            Step {
                text: "In Sagas, choose “Choreography” as the Saga style.",
                hint: "New sagas start in the chosen style; running ones keep theirs.",
                done: |p| p.sagas().settings().style == SagaStyle::Choreography,
                solve: |_| vec![Action::Saga(SagaAction::Set(Setting::SagaStyle, "choreography".to_owned()))],
            },
            Step {
                text: "Place an order (Orders tab: “Start cart”, “Add item”, “Place order”) and press “Drain” in Online vs batch: the choreographed saga ends Completed.",
                hint: "The steps are the same as orchestrated, taken by the services themselves.",
                done: |p| sagas_in(p, SagaStyle::Choreography, SagaStatus::Completed) >= 1,
                solve: |_| {
                    let mut actions = place_order("KET-06", "1");
                    actions.push(drain());
                    actions
                },
            },
            Step {
                text: "Set “Payment decline rate” to 100 %, place another order and Drain it: each service undoes its own step, and the saga is Compensated.",
                hint: "Inventory releases the stock when it sees PaymentDeclined; orders cancel.",
                done: |p| sagas_in(p, SagaStyle::Choreography, SagaStatus::Compensated) >= 1,
                solve: |_| {
                    let mut actions = vec![Action::Saga(SagaAction::Set(Setting::DeclineRate, "100".to_owned()))];
                    actions.extend(place_order("KET-06", "1"));
                    actions.push(drain());
                    actions
                },
            },
        ],
    }
}
