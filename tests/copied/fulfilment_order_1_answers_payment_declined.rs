//! Copied from the Event Sourcing & CQRS Playground:
//! fulfilment-order-1's answer to PaymentDeclined as
//! of position 11.

use playground::domain::bank::Money;
use playground::process::testing::given;
use playground::process::{Answer, FulfilmentEvent, Step};

#[test]
fn fulfilment_order_1_answers_payment_declined() {
    given([
        FulfilmentEvent::SagaStarted {
            total: Money::from_cents(7998),
        },
        FulfilmentEvent::StepConfirmed {
            step: Step::ReserveStock,
            next: vec![Step::MarkReserved, Step::AuthorizePayment],
        },
    ])
    .when(Answer::PaymentDeclined)
    .then([Step::ReleaseStock, Step::CancelOrder])
    .recording([FulfilmentEvent::CompensationStarted {
        reason: "payment declined".to_owned(),
        undo: vec![Step::ReleaseStock, Step::CancelOrder],
    }]);
}
