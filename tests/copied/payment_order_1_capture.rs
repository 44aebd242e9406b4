//! Copied from the Event Sourcing & CQRS Playground:
//! payment-order-1's Capture as of position 20.

use playground::domain::bank::Money;
use playground::domain::payments::{Payment, PaymentCommand, PaymentEvent};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn payment_order_1_capture() {
    given::<Payment>([PaymentEvent::PaymentAuthorized {
        order: StreamId::new("order-1"),
        amount: Money::from_cents(1600),
    }])
    .when(PaymentCommand::Capture)
    .then([PaymentEvent::PaymentCaptured {
        amount: Money::from_cents(1600),
    }]);
}
