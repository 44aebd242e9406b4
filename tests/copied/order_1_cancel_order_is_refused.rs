//! Copied from the Event Sourcing & CQRS Playground:
//! order-1's CancelOrder, refused, as of position 19.

use playground::domain::bank::Money;
use playground::domain::orders::{
    Order, OrderCommand, OrderError, OrderEvent, OrderStatus, Quantity, Sku,
};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn order_1_cancel_order_is_refused() {
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
        OrderEvent::OrderCompleted,
    ])
    .when(OrderCommand::CancelOrder {
        reason: "cancelled by the customer".to_owned(),
    })
    .then_err(OrderError::TooLateToCancel(OrderStatus::Completed));
}
