//! The shipments' rules, as given / when / then scenarios.
#![cfg(not(target_arch = "wasm32"))]

use playground::domain::shipping::{
    Shipment, ShipmentCommand as Cmd, ShipmentError, ShipmentEvent as Ev, ShipmentStatus,
};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

fn scheduled() -> Ev {
    Ev::ShipmentScheduled {
        order: StreamId::new("order-1"),
    }
}

#[test]
fn a_shipment_is_scheduled_once_then_shipped_then_delivered() {
    let s = given::<Shipment>([])
        .when(Cmd::Schedule {
            order: StreamId::new("order-1"),
        })
        .then([scheduled()]);
    assert_eq!(s.status, ShipmentStatus::Scheduled);
    given::<Shipment>([scheduled()])
        .when(Cmd::Schedule {
            order: StreamId::new("order-1"),
        })
        .then_err(ShipmentError::AlreadyScheduled(ShipmentStatus::Scheduled));
    let s = given::<Shipment>([scheduled()])
        .when(Cmd::Ship)
        .then([Ev::ShipmentShipped]);
    assert_eq!(s.status, ShipmentStatus::Shipped);
    let s = given::<Shipment>([scheduled(), Ev::ShipmentShipped])
        .when(Cmd::Deliver)
        .then([Ev::ShipmentDelivered]);
    assert_eq!(s.status, ShipmentStatus::Delivered);
}

#[test]
fn steps_out_of_turn_are_refused() {
    given::<Shipment>([])
        .when(Cmd::Ship)
        .then_err(ShipmentError::NotScheduled);
    given::<Shipment>([scheduled()])
        .when(Cmd::Deliver)
        .then_err(ShipmentError::NotShipped);
    given::<Shipment>([scheduled(), Ev::ShipmentShipped])
        .when(Cmd::Ship)
        .then_err(ShipmentError::Already(ShipmentStatus::Shipped));
}
