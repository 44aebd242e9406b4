//! Copied from the Event Sourcing & CQRS Playground:
//! shipment-order-1's Deliver, refused, as of
//! position 20.

use playground::domain::shipping::{Shipment, ShipmentCommand, ShipmentError, ShipmentEvent};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

#[test]
fn shipment_order_1_deliver_is_refused() {
    given::<Shipment>([ShipmentEvent::ShipmentScheduled {
        order: StreamId::new("order-1"),
    }])
    .when(ShipmentCommand::Deliver)
    .then_err(ShipmentError::NotShipped);
}
