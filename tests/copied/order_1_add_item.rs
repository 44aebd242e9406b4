//! Copied from the Event Sourcing & CQRS Playground:
//! order-1's AddItem as of position 4.

use playground::domain::bank::Money;
use playground::domain::orders::{product, Order, OrderCommand, OrderEvent, Quantity, Sku};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn order_1_add_item() {
    given::<Order>([OrderEvent::CartStarted {
        customer: StreamId::new("customer-1"),
    }])
    .when(OrderCommand::AddItem {
        product: product("MUG-03").expect("a product of the catalogue"),
        quantity: Quantity::new(2).expect("a quantity from 1 to 99"),
    })
    .then([OrderEvent::ItemAdded {
        sku: Sku::new("MUG-03").expect("a valid SKU"),
        quantity: Quantity::new(2).expect("a quantity from 1 to 99"),
        unit_price: Money::from_cents(800),
        line_total: Money::from_cents(1600),
    }]);
}
