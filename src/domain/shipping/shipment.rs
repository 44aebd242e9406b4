//! The shipment aggregate: one per order (`shipment-<order>`).

use crate::kernel::{
    field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Kind, StreamId,
};
use std::fmt;

/// Where a shipment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShipmentStatus {
    /// Not scheduled.
    #[default]
    NotScheduled,
    /// The carrier has it booked.
    Scheduled,
    /// On its way.
    Shipped,
    /// Arrived.
    Delivered,
}

impl fmt::Display for ShipmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotScheduled => "Not scheduled",
            Self::Scheduled => "Scheduled",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
        })
    }
}

/// What a shipment is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentCommand {
    /// Book the carrier for an order.
    Schedule {
        /// The order.
        order: StreamId,
    },
    /// Hand it to the carrier.
    Ship,
    /// Mark it arrived.
    Deliver,
}

/// What a shipment records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentEvent {
    /// Booked with the carrier.
    ShipmentScheduled {
        /// The order.
        order: StreamId,
    },
    /// On its way.
    ShipmentShipped,
    /// Arrived.
    ShipmentDelivered,
}

impl DomainEvent for ShipmentEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("ShipmentScheduled", &[field("order", Kind::Stream)]),
        EventType::v1("ShipmentShipped", &[]),
        EventType::v1("ShipmentDelivered", &[]),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::ShipmentScheduled { .. } => 0,
            Self::ShipmentShipped => 1,
            Self::ShipmentDelivered => 2,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        if let Self::ShipmentScheduled { order } = self {
            put(out, order);
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        Ok(match index {
            0 => Self::ShipmentScheduled {
                order: get(data, name, version)?,
            },
            1 => {
                get::<()>(data, name, version)?;
                Self::ShipmentShipped
            }
            _ => {
                get::<()>(data, name, version)?;
                Self::ShipmentDelivered
            }
        })
    }
}

impl fmt::Display for ShipmentEvent {
    /// The payload in a few words, as the event log shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ShipmentScheduled { order } => write!(f, "{order}: carrier booked"),
            Self::ShipmentShipped => f.write_str("handed to the carrier"),
            Self::ShipmentDelivered => f.write_str("arrived"),
        }
    }
}

/// Why a shipment refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShipmentError {
    /// Scheduling twice.
    #[error("This shipment is already {0}; an order is shipped once.")]
    AlreadyScheduled(ShipmentStatus),
    /// Shipping or delivering what was not scheduled.
    #[error("This shipment is not scheduled; schedule it first.")]
    NotScheduled,
    /// Delivering what was not shipped.
    #[error("This shipment has not been shipped yet; ship it before marking it delivered.")]
    NotShipped,
    /// Shipping or delivering twice.
    #[error("This shipment is already {0}.")]
    Already(ShipmentStatus),
}

/// A shipment's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shipment {
    /// Where it is.
    pub status: ShipmentStatus,
    /// The order shipped.
    pub order: Option<StreamId>,
}

impl Aggregate for Shipment {
    type Command = ShipmentCommand;
    type Event = ShipmentEvent;
    type Error = ShipmentError;

    fn handle(&self, command: &ShipmentCommand) -> Result<Vec<ShipmentEvent>, ShipmentError> {
        match (command, self.status) {
            (ShipmentCommand::Schedule { order }, ShipmentStatus::NotScheduled) => {
                Ok(vec![ShipmentEvent::ShipmentScheduled {
                    order: order.clone(),
                }])
            }
            (ShipmentCommand::Schedule { .. }, status) => {
                Err(ShipmentError::AlreadyScheduled(status))
            }
            (ShipmentCommand::Ship, ShipmentStatus::Scheduled) => {
                Ok(vec![ShipmentEvent::ShipmentShipped])
            }
            (ShipmentCommand::Deliver, ShipmentStatus::Shipped) => {
                Ok(vec![ShipmentEvent::ShipmentDelivered])
            }
            (_, ShipmentStatus::NotScheduled) => Err(ShipmentError::NotScheduled),
            (ShipmentCommand::Deliver, ShipmentStatus::Scheduled) => Err(ShipmentError::NotShipped),
            (_, status) => Err(ShipmentError::Already(status)),
        }
    }

    fn apply(&mut self, event: &ShipmentEvent) {
        match event {
            ShipmentEvent::ShipmentScheduled { order } => {
                self.status = ShipmentStatus::Scheduled;
                self.order = Some(order.clone());
            }
            ShipmentEvent::ShipmentShipped => self.status = ShipmentStatus::Shipped,
            ShipmentEvent::ShipmentDelivered => self.status = ShipmentStatus::Delivered,
        }
    }
}
