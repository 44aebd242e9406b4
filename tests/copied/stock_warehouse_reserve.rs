//! Copied from the Event Sourcing & CQRS Playground:
//! stock-warehouse's Reserve as of position 19.

use playground::domain::inventory::{StockCommand, StockEvent, Warehouse};
use playground::domain::orders::Sku;
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn stock_warehouse_reserve() {
    given::<Warehouse>([])
        .when(StockCommand::Reserve {
            order: StreamId::new("order-1"),
            lines: vec![(Sku::new("MUG-03").expect("a valid SKU"), 2)],
        })
        .then([StockEvent::StockReserved {
            order: StreamId::new("order-1"),
            lines: vec![(Sku::new("MUG-03").expect("a valid SKU"), 2)],
        }]);
}
