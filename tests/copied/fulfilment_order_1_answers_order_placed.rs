//! Copied from the Event Sourcing & CQRS Playground:
//! fulfilment-order-1's answer to OrderPlaced as of
//! position 6.

use playground::domain::bank::Money;
use playground::process::testing::given;
use playground::process::{Answer, FulfilmentEvent, Step};

#[test]
fn fulfilment_order_1_answers_order_placed() {
    given([])
        .when(Answer::OrderPlaced {
            total: Money::from_cents(1600),
        })
        .then([Step::ReserveStock])
        .recording([FulfilmentEvent::SagaStarted {
            total: Money::from_cents(1600),
        }]);
}
