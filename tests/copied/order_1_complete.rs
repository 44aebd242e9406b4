//! Copied from the Event Sourcing & CQRS Playground:
//! order-1's Complete as of position 19.

use playground::domain::bank::Money;
use playground::domain::orders::{Order, OrderCommand, OrderEvent, Quantity, Sku};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn order_1_complete() {
    given::<Order>([
        OrderEvent::CartStarted {
            customer: StreamId::new("customer-1"),
        },
        OrderEvent::ItemAdded {
            sku: Sku::new("MUG-03").expect("a valid SKU"),
            quantity: Quantity::new(2).expect("a quantity from 1 to 99"),
            unit_price: Money::from_cents(800),
            line_total: Money::from_cents(1600),
        },
        OrderEvent::OrderPlaced {
            total: Money::from_cents(1600),
        },
        OrderEvent::OrderReserved,
        OrderEvent::OrderPaid,
        OrderEvent::OrderShipping,
    ])
    .when(OrderCommand::Complete)
    .then([OrderEvent::OrderCompleted]);
}
