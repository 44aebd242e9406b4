//! Copied from the Event Sourcing & CQRS Playground:
//! fulfilment-order-1's answer to OrderCancelled as
//! of position 14.

use playground::domain::bank::Money;
use playground::process::testing::given;
use playground::process::{Answer, FulfilmentEvent, Step};

#[test]
fn fulfilment_order_1_answers_order_cancelled() {
    given([
        FulfilmentEvent::SagaStarted {
            total: Money::from_cents(7998),
        },
        FulfilmentEvent::StepConfirmed {
            step: Step::ReserveStock,
            next: vec![Step::MarkReserved, Step::AuthorizePayment],
        },
        FulfilmentEvent::CompensationStarted {
            reason: "payment declined".to_owned(),
            undo: vec![Step::ReleaseStock, Step::CancelOrder],
        },
    ])
    .when(Answer::OrderCancelled {
        reason: "payment declined".to_owned(),
    })
    .then([])
    .recording([FulfilmentEvent::SagaEnded { completed: false }]);
}
