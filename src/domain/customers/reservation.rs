//! Email reservations: the set-validation pattern of event sourcing.
//!
//! "No two customers share an email" is a rule over *all* customers, which no single customer stream
//! can check. So each address gets a stream of its own, `email-<blind index>` (a keyed hash of the
//! address in lower case, so that the log never holds the address in the clear), and a customer
//! takes an address by appending `EmailReserved` to it with the version it was read at (no stream,
//! for a new address): of two racing registrations, the store accepts exactly one append; the other
//! gets a wrong expected version and is refused. Changing away appends `EmailReleased`.

use crate::kernel::{
    field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Kind, StreamId,
};
use std::fmt;

/// The stream that reserves the address whose blind index is `index` (see
/// [`crate::privacy::KeyStore::blind_index`]): the address itself is never stored.
pub fn reservation_stream(index: &str) -> StreamId {
    StreamId::of("email", index)
}

/// What a reservation stream is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReservationCommand {
    /// Reserve the address for this customer.
    Reserve {
        /// The customer's stream.
        customer: StreamId,
    },
    /// Release it (only its holder can).
    Release {
        /// The customer's stream.
        customer: StreamId,
    },
    /// Take over an address from a holder who was forgotten (whose key is gone, so they can never
    /// use it again): released from them, then reserved for this customer.
    Reclaim {
        /// The customer's stream.
        customer: StreamId,
        /// The forgotten holder.
        from: StreamId,
    },
}

/// What a reservation stream records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReservationEvent {
    /// The address now belongs to this customer.
    EmailReserved {
        /// The customer's stream.
        customer: StreamId,
    },
    /// The address is free again.
    EmailReleased {
        /// The customer who held it.
        customer: StreamId,
    },
}

impl DomainEvent for ReservationEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("EmailReserved", &[field("customer", Kind::Stream)]),
        EventType::v1("EmailReleased", &[field("customer", Kind::Stream)]),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::EmailReserved { .. } => 0,
            Self::EmailReleased { .. } => 1,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::EmailReserved { customer } | Self::EmailReleased { customer } => {
                put(out, customer);
            }
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        let customer = get(data, name, version)?;
        Ok(match index {
            0 => Self::EmailReserved { customer },
            _ => Self::EmailReleased { customer },
        })
    }
}

impl fmt::Display for ReservationEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmailReserved { customer } => write!(f, "for: {customer}"),
            Self::EmailReleased { customer } => write!(f, "by: {customer}"),
        }
    }
}

/// Why a reservation refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReservationError {
    /// Someone else holds the address.
    #[error("the address belongs to {holder}")]
    Taken {
        /// Who holds it.
        holder: StreamId,
    },
    /// Releasing an address one does not hold.
    #[error("{customer} does not hold this address")]
    NotHolder {
        /// Who tried.
        customer: StreamId,
    },
}

/// An address's reservation: who holds it, if anyone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmailReservation {
    /// The customer holding the address.
    pub holder: Option<StreamId>,
}

impl Aggregate for EmailReservation {
    type Command = ReservationCommand;
    type Event = ReservationEvent;
    type Error = ReservationError;

    fn handle(
        &self,
        command: &ReservationCommand,
    ) -> Result<Vec<ReservationEvent>, ReservationError> {
        match command {
            ReservationCommand::Reserve { customer } => match &self.holder {
                None => Ok(vec![ReservationEvent::EmailReserved {
                    customer: customer.clone(),
                }]),
                // Reserving what one already holds changes nothing.
                Some(holder) if holder == customer => Ok(Vec::new()),
                Some(holder) => Err(ReservationError::Taken {
                    holder: holder.clone(),
                }),
            },
            ReservationCommand::Reclaim { customer, from } => match &self.holder {
                Some(holder) if holder == from => Ok(vec![
                    ReservationEvent::EmailReleased {
                        customer: from.clone(),
                    },
                    ReservationEvent::EmailReserved {
                        customer: customer.clone(),
                    },
                ]),
                Some(holder) => Err(ReservationError::Taken {
                    holder: holder.clone(),
                }),
                None => Ok(vec![ReservationEvent::EmailReserved {
                    customer: customer.clone(),
                }]),
            },
            ReservationCommand::Release { customer } => match &self.holder {
                Some(holder) if holder == customer => Ok(vec![ReservationEvent::EmailReleased {
                    customer: customer.clone(),
                }]),
                _ => Err(ReservationError::NotHolder {
                    customer: customer.clone(),
                }),
            },
        }
    }

    fn apply(&mut self, event: &ReservationEvent) {
        match event {
            ReservationEvent::EmailReserved { customer } => self.holder = Some(customer.clone()),
            ReservationEvent::EmailReleased { .. } => self.holder = None,
        }
    }
}
