//! The payment aggregate: one per order (`payment-<order>`). Like a real card gateway it does not
//! recognise a repeated request by itself: authorising twice charges twice. Recognising repeats is
//! the caller's job (the saga's idempotent handlers).

use crate::domain::bank::Money;
use crate::kernel::{
    field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Field, Kind, StreamId,
};
use std::fmt;

/// Where a payment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaymentStatus {
    /// Nothing asked yet.
    #[default]
    NotStarted,
    /// Money is held on the card.
    Authorized,
    /// The issuer declined the last authorisation.
    Declined,
    /// The held money was taken.
    Captured,
    /// Voided: nothing more can be authorised.
    Voided,
    /// The captured money was given back.
    Refunded,
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotStarted => "Not started",
            Self::Authorized => "Authorised",
            Self::Declined => "Declined",
            Self::Captured => "Captured",
            Self::Voided => "Voided",
            Self::Refunded => "Refunded",
        })
    }
}

/// What a payment is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentCommand {
    /// Hold `amount` for `order`; the issuer's answer (looked up by the payments service) decides
    /// between authorised and declined.
    Authorize {
        /// The order paid for.
        order: StreamId,
        /// How much.
        amount: Money,
        /// The issuer declines it.
        declined: bool,
    },
    /// Take the money held.
    Capture,
    /// Give up the money held (also closes a payment nothing was held for yet).
    Void,
    /// Give back the money captured.
    Refund,
}

/// What a payment records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentEvent {
    /// Money is held.
    PaymentAuthorized {
        /// The order paid for.
        order: StreamId,
        /// How much.
        amount: Money,
    },
    /// The issuer declined.
    PaymentDeclined {
        /// The order.
        order: StreamId,
        /// How much was asked.
        amount: Money,
    },
    /// The held money was taken.
    PaymentCaptured {
        /// How much.
        amount: Money,
    },
    /// The held money was given up.
    PaymentVoided {
        /// How much was held (0 when nothing was yet).
        amount: Money,
    },
    /// The captured money was given back.
    PaymentRefunded {
        /// How much.
        amount: Money,
    },
}

/// The stored fields of an order's payment.
const ORDER_AMOUNT: &[Field] = &[field("order", Kind::Stream), field("amount", Kind::Money)];
/// The stored field of an amount.
const AMOUNT: &[Field] = &[field("amount", Kind::Money)];

impl DomainEvent for PaymentEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("PaymentAuthorized", ORDER_AMOUNT),
        EventType::v1("PaymentDeclined", ORDER_AMOUNT),
        EventType::v1("PaymentCaptured", AMOUNT),
        EventType::v1("PaymentVoided", AMOUNT),
        EventType::v1("PaymentRefunded", AMOUNT),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::PaymentAuthorized { .. } => 0,
            Self::PaymentDeclined { .. } => 1,
            Self::PaymentCaptured { .. } => 2,
            Self::PaymentVoided { .. } => 3,
            Self::PaymentRefunded { .. } => 4,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::PaymentAuthorized { order, amount } | Self::PaymentDeclined { order, amount } => {
                put(out, &(order, amount));
            }
            Self::PaymentCaptured { amount }
            | Self::PaymentVoided { amount }
            | Self::PaymentRefunded { amount } => put(out, amount),
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        Ok(match index {
            0 | 1 => {
                let (order, amount) = get(data, name, version)?;
                if index == 0 {
                    Self::PaymentAuthorized { order, amount }
                } else {
                    Self::PaymentDeclined { order, amount }
                }
            }
            2 => Self::PaymentCaptured {
                amount: get(data, name, version)?,
            },
            3 => Self::PaymentVoided {
                amount: get(data, name, version)?,
            },
            _ => Self::PaymentRefunded {
                amount: get(data, name, version)?,
            },
        })
    }
}

impl fmt::Display for PaymentEvent {
    /// The payload in a few words, as the event log shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PaymentAuthorized { order, amount } => write!(f, "{order}: {amount} held"),
            Self::PaymentDeclined { order, amount } => {
                write!(f, "{order}: {amount} declined by the issuer")
            }
            Self::PaymentCaptured { amount } => write!(f, "{amount} taken"),
            Self::PaymentVoided { amount } => write!(f, "{amount} released"),
            Self::PaymentRefunded { amount } => write!(f, "{amount} given back"),
        }
    }
}

/// Why a payment refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// An amount of zero or less.
    #[error("A payment is for more than 0.00, not {0}.")]
    NotPositive(Money),
    /// Authorising a voided payment.
    #[error("This payment was voided; it accepts no new authorisation.")]
    Voided,
    /// Capturing with nothing held.
    #[error("Nothing is held on this payment; authorise it before capturing.")]
    NothingToCapture,
    /// Refunding with nothing captured.
    #[error("Nothing was captured on this payment, so there is nothing to refund.")]
    NothingToRefund,
    /// Voiding a voided payment.
    #[error("This payment is already voided.")]
    AlreadyVoided,
    /// Voiding when the money was taken: refund instead.
    #[error("The money was captured; refund it instead of voiding.")]
    UseRefund,
}

/// A payment's state, rebuilt from its events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Payment {
    /// Where it is.
    pub status: PaymentStatus,
    /// The order paid for.
    pub order: Option<StreamId>,
    /// Held and not yet captured or voided.
    pub held: Money,
    /// Captured in all.
    pub captured: Money,
    /// Refunded in all.
    pub refunded: Money,
    /// Authorisations made (more than one: the card was charged more than once).
    pub authorizations: u32,
}

impl Payment {
    /// Captured minus refunded.
    pub fn net(&self) -> Money {
        Money::from_cents(self.captured.cents() - self.refunded.cents())
    }
}

impl Aggregate for Payment {
    type Command = PaymentCommand;
    type Event = PaymentEvent;
    type Error = PaymentError;

    fn handle(&self, command: &PaymentCommand) -> Result<Vec<PaymentEvent>, PaymentError> {
        match command {
            PaymentCommand::Authorize {
                order,
                amount,
                declined,
            } => {
                if amount.cents() <= 0 {
                    return Err(PaymentError::NotPositive(*amount));
                }
                if self.status == PaymentStatus::Voided {
                    return Err(PaymentError::Voided);
                }
                let (order, amount) = (order.clone(), *amount);
                Ok(vec![if *declined {
                    PaymentEvent::PaymentDeclined { order, amount }
                } else {
                    PaymentEvent::PaymentAuthorized { order, amount }
                }])
            }
            PaymentCommand::Capture => {
                if self.held.cents() <= 0 {
                    return Err(PaymentError::NothingToCapture);
                }
                Ok(vec![PaymentEvent::PaymentCaptured { amount: self.held }])
            }
            PaymentCommand::Void => {
                if self.status == PaymentStatus::Voided {
                    return Err(PaymentError::AlreadyVoided);
                }
                if self.held.cents() <= 0 && self.net().cents() > 0 {
                    return Err(PaymentError::UseRefund);
                }
                Ok(vec![PaymentEvent::PaymentVoided { amount: self.held }])
            }
            PaymentCommand::Refund => {
                if self.net().cents() <= 0 {
                    return Err(PaymentError::NothingToRefund);
                }
                Ok(vec![PaymentEvent::PaymentRefunded { amount: self.net() }])
            }
        }
    }

    fn apply(&mut self, event: &PaymentEvent) {
        match event {
            PaymentEvent::PaymentAuthorized { order, amount } => {
                self.status = PaymentStatus::Authorized;
                self.order = Some(order.clone());
                self.held = Money::from_cents(self.held.cents().saturating_add(amount.cents()));
                self.authorizations += 1;
            }
            PaymentEvent::PaymentDeclined { order, .. } => {
                if self.status == PaymentStatus::NotStarted {
                    self.status = PaymentStatus::Declined;
                }
                self.order = Some(order.clone());
            }
            PaymentEvent::PaymentCaptured { amount } => {
                self.status = PaymentStatus::Captured;
                self.captured =
                    Money::from_cents(self.captured.cents().saturating_add(amount.cents()));
                self.held = Money::from_cents(self.held.cents().saturating_sub(amount.cents()));
            }
            PaymentEvent::PaymentVoided { .. } => {
                self.status = PaymentStatus::Voided;
                self.held = Money::from_cents(0);
            }
            PaymentEvent::PaymentRefunded { amount } => {
                self.status = PaymentStatus::Refunded;
                self.refunded =
                    Money::from_cents(self.refunded.cents().saturating_add(amount.cents()));
            }
        }
    }
}
