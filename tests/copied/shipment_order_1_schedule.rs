//! Copied from the Event Sourcing & CQRS Playground:
//! shipment-order-1's Schedule as of position 20.

use playground::domain::shipping::{Shipment, ShipmentCommand, ShipmentEvent};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn shipment_order_1_schedule() {
    given::<Shipment>([])
        .when(ShipmentCommand::Schedule {
            order: StreamId::new("order-1"),
        })
        .then([ShipmentEvent::ShipmentScheduled {
            order: StreamId::new("order-1"),
        }]);
}
