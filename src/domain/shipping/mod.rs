//! Shipping: a shipment per order, scheduled with the carrier, then shipped and delivered. A
//! plug-in domain; the fulfilment saga schedules shipments through [`ShippingModule`].

mod module;
mod shipment;

pub use module::{controls, module, shipment_of, ShippingModule, KEY};
pub use shipment::{Shipment, ShipmentCommand, ShipmentError, ShipmentEvent, ShipmentStatus};
