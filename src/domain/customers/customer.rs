//! The customer aggregate (the user aggregate of the EDA guide): register, change name, change
//! email, deactivate.
//!
//! A customer's name and email are personal data: their events hold them only encrypted
//! ([`Sealed`], with the customer's own key; see [`crate::privacy`]). So the aggregate never sees
//! them in the clear: it decides on the customer's status, and the service that holds the keys
//! checks what needs the plaintext (a name changed to the same name, an email already theirs).

use crate::kernel::{field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Kind};
use crate::privacy::Sealed;
use std::fmt;

/// Where a customer is in their life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerStatus {
    /// No `CustomerRegistered` yet.
    #[default]
    NotRegistered,
    /// Accepts commands and may open carts.
    Active,
    /// Accepts no command and cannot open a cart.
    Deactivated,
}

impl fmt::Display for CustomerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotRegistered => "Not registered",
            Self::Active => "Active",
            Self::Deactivated => "Deactivated",
        })
    }
}

/// What a user can ask a customer to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerCommand {
    /// Register with a name and an email (already reserved for this customer), both sealed.
    Register {
        /// The name, sealed.
        name: Sealed,
        /// The email, sealed.
        email: Sealed,
    },
    /// Change the name.
    ChangeName {
        /// The new name, sealed.
        name: Sealed,
    },
    /// Change the email (the new one already reserved for this customer).
    ChangeEmail {
        /// The new email, sealed.
        email: Sealed,
    },
    /// Deactivate for good.
    Deactivate,
}

/// What a customer records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerEvent {
    /// The customer registered.
    CustomerRegistered {
        /// Their name, sealed.
        name: Sealed,
        /// Their email, sealed.
        email: Sealed,
    },
    /// The name changed.
    CustomerNameChanged {
        /// The new name, sealed.
        name: Sealed,
    },
    /// The email changed.
    CustomerEmailChanged {
        /// The new email, sealed.
        email: Sealed,
    },
    /// The customer was deactivated.
    CustomerDeactivated,
}

impl DomainEvent for CustomerEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1(
            "CustomerRegistered",
            &[
                field("name", Kind::Ciphertext),
                field("email", Kind::Ciphertext),
            ],
        ),
        EventType::v1("CustomerNameChanged", &[field("name", Kind::Ciphertext)]),
        EventType::v1("CustomerEmailChanged", &[field("email", Kind::Ciphertext)]),
        EventType::v1("CustomerDeactivated", &[]),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::CustomerRegistered { .. } => 0,
            Self::CustomerNameChanged { .. } => 1,
            Self::CustomerEmailChanged { .. } => 2,
            Self::CustomerDeactivated => 3,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::CustomerRegistered { name, email } => put(out, &(name, email)),
            Self::CustomerNameChanged { name } => put(out, name),
            Self::CustomerEmailChanged { email } => put(out, email),
            Self::CustomerDeactivated => {}
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        Ok(match index {
            0 => {
                let (customer_name, email) = get(data, name, version)?;
                Self::CustomerRegistered {
                    name: customer_name,
                    email,
                }
            }
            1 => Self::CustomerNameChanged {
                name: get(data, name, version)?,
            },
            2 => Self::CustomerEmailChanged {
                email: get(data, name, version)?,
            },
            _ => {
                get::<()>(data, name, version)?;
                Self::CustomerDeactivated
            }
        })
    }
}

impl CustomerEvent {
    /// The payload in a few words, as the event log shows it, opening the sealed fields with
    /// `open(field, sealed)`.
    pub fn describe(&self, open: impl Fn(&'static str, &Sealed) -> String) -> String {
        match self {
            Self::CustomerRegistered { name, email } => {
                format!(
                    "name: {}, email: {}",
                    open("name", name),
                    open("email", email)
                )
            }
            Self::CustomerNameChanged { name } => format!("name: {}", open("name", name)),
            Self::CustomerEmailChanged { email } => format!("email: {}", open("email", email)),
            Self::CustomerDeactivated => "(no data)".to_owned(),
        }
    }
}

/// Why a customer refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    /// Register on a customer that exists.
    #[error("This customer is already registered.")]
    AlreadyRegistered,
    /// Anything but register on a customer never registered.
    #[error("This customer is not registered; register them first.")]
    NotRegistered,
    /// Anything on a deactivated customer.
    #[error("This customer is deactivated and accepts no more commands.")]
    Deactivated,
    /// Changing the name to the name they have.
    #[error("The name is already “{0}”; type a different one to change it.")]
    SameName(String),
    /// Anything on a forgotten customer.
    #[error("This customer was forgotten: their personal data can never be read again, and they accept no more commands.")]
    Forgotten,
    /// Changing the email to the one they have (ignoring case).
    #[error("The email is already {0} (emails are compared ignoring case); type a different one to change it.")]
    SameEmail(String),
}

/// A customer's state: rebuilt from their events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Customer {
    /// Where they are in their life.
    pub status: CustomerStatus,
    /// Their name, sealed (`None` before registering).
    pub name: Option<Sealed>,
    /// Their email, sealed (`None` before registering).
    pub email: Option<Sealed>,
}

impl Customer {
    fn require_active(&self) -> Result<(), CustomerError> {
        match self.status {
            CustomerStatus::NotRegistered => Err(CustomerError::NotRegistered),
            CustomerStatus::Deactivated => Err(CustomerError::Deactivated),
            CustomerStatus::Active => Ok(()),
        }
    }
}

impl Aggregate for Customer {
    type Command = CustomerCommand;
    type Event = CustomerEvent;
    type Error = CustomerError;

    fn handle(&self, command: &CustomerCommand) -> Result<Vec<CustomerEvent>, CustomerError> {
        match command {
            CustomerCommand::Register { name, email } => match self.status {
                CustomerStatus::NotRegistered => Ok(vec![CustomerEvent::CustomerRegistered {
                    name: name.clone(),
                    email: email.clone(),
                }]),
                CustomerStatus::Active => Err(CustomerError::AlreadyRegistered),
                CustomerStatus::Deactivated => Err(CustomerError::Deactivated),
            },
            CustomerCommand::ChangeName { name } => {
                self.require_active()?;
                Ok(vec![CustomerEvent::CustomerNameChanged {
                    name: name.clone(),
                }])
            }
            CustomerCommand::ChangeEmail { email } => {
                self.require_active()?;
                Ok(vec![CustomerEvent::CustomerEmailChanged {
                    email: email.clone(),
                }])
            }
            CustomerCommand::Deactivate => {
                self.require_active()?;
                Ok(vec![CustomerEvent::CustomerDeactivated])
            }
        }
    }

    fn apply(&mut self, event: &CustomerEvent) {
        match event {
            CustomerEvent::CustomerRegistered { name, email } => {
                self.status = CustomerStatus::Active;
                self.name = Some(name.clone());
                self.email = Some(email.clone());
            }
            CustomerEvent::CustomerNameChanged { name } => self.name = Some(name.clone()),
            CustomerEvent::CustomerEmailChanged { email } => self.email = Some(email.clone()),
            CustomerEvent::CustomerDeactivated => self.status = CustomerStatus::Deactivated,
        }
    }
}
