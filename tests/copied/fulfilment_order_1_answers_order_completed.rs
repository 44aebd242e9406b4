//! Copied from the Event Sourcing & CQRS Playground:
//! fulfilment-order-1's answer to OrderCompleted as
//! of position 20.

use playground::domain::bank::Money;
use playground::process::testing::given;
use playground::process::{Answer, FulfilmentEvent, Step};

#[test]
fn fulfilment_order_1_answers_order_completed() {
    given([
        FulfilmentEvent::SagaStarted {
            total: Money::from_cents(1600),
        },
        FulfilmentEvent::StepConfirmed {
            step: Step::ReserveStock,
            next: vec![Step::MarkReserved, Step::AuthorizePayment],
        },
        FulfilmentEvent::StepConfirmed {
            step: Step::AuthorizePayment,
            next: vec![Step::MarkPaid, Step::ScheduleShipment],
        },
        FulfilmentEvent::StepConfirmed {
            step: Step::ScheduleShipment,
            next: vec![Step::MarkShipping, Step::CapturePayment],
        },
        FulfilmentEvent::StepConfirmed {
            step: Step::CapturePayment,
            next: vec![Step::CompleteOrder],
        },
    ])
    .when(Answer::OrderCompleted)
    .then([])
    .recording([FulfilmentEvent::SagaEnded { completed: true }]);
}
