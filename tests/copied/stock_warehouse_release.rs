//! Copied from the Event Sourcing & CQRS Playground:
//! stock-warehouse's Release as of position 14.

use playground::domain::inventory::{StockCommand, StockEvent, Warehouse};
use playground::domain::orders::Sku;
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn stock_warehouse_release() {
    given::<Warehouse>([StockEvent::StockReserved {
        order: StreamId::new("order-1"),
        lines: vec![(Sku::new("KET-06").expect("a valid SKU"), 2)],
    }])
    .when(StockCommand::Release {
        order: StreamId::new("order-1"),
        lines: vec![(Sku::new("KET-06").expect("a valid SKU"), 2)],
    })
    .then([StockEvent::StockReleased {
        order: StreamId::new("order-1"),
        lines: vec![(Sku::new("KET-06").expect("a valid SKU"), 2)],
    }]);
}
