//! Copied from the Event Sourcing & CQRS Playground:
//! stock-warehouse's Restock as of position 20.

use playground::domain::inventory::{StockCommand, StockEvent, Warehouse};
use playground::domain::orders::Sku;
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn stock_warehouse_restock() {
    given::<Warehouse>([StockEvent::StockReserved {
        order: StreamId::new("order-1"),
        lines: vec![(Sku::new("MUG-03").expect("a valid SKU"), 2)],
    }])
    .when(StockCommand::Restock {
        sku: Sku::new("TEA-01").expect("a valid SKU"),
        quantity: 5,
    })
    .then([StockEvent::Restocked {
        sku: Sku::new("TEA-01").expect("a valid SKU"),
        quantity: 5,
    }]);
}
