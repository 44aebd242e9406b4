//! Copied from the Event Sourcing & CQRS Playground:
//! payment-order-1's Authorize as of position 14.

use playground::domain::bank::Money;
use playground::domain::payments::{Payment, PaymentCommand, PaymentEvent};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn payment_order_1_authorize() {
    given::<Payment>([])
        .when(PaymentCommand::Authorize {
            order: StreamId::new("order-1"),
            amount: Money::from_cents(7998),
            declined: true,
        })
        .then([PaymentEvent::PaymentDeclined {
            order: StreamId::new("order-1"),
            amount: Money::from_cents(7998),
        }]);
}
