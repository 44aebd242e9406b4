//! The customer aggregate (the user aggregate of the EDA guide): register, change name, change
//! email, deactivate.

use super::email::Email;
use super::name::CustomerName;
use crate::kernel::{field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Kind};
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
    /// Register with a name and an email (already reserved for this customer).
    Register {
        /// The name.
        name: CustomerName,
        /// The email.
        email: Email,
    },
    /// Change the name.
    ChangeName {
        /// The new name.
        name: CustomerName,
    },
    /// Change the email (the new one already reserved for this customer).
    ChangeEmail {
        /// The new email.
        email: Email,
    },
    /// Deactivate for good.
    Deactivate,
}

/// What a customer records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerEvent {
    /// The customer registered.
    CustomerRegistered {
        /// Their name.
        name: CustomerName,
        /// Their email.
        email: Email,
    },
    /// The name changed.
    CustomerNameChanged {
        /// The new name.
        name: CustomerName,
    },
    /// The email changed.
    CustomerEmailChanged {
        /// The new email.
        email: Email,
    },
    /// The customer was deactivated.
    CustomerDeactivated,
}

impl DomainEvent for CustomerEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1(
            "CustomerRegistered",
            &[field("name", Kind::Text), field("email", Kind::Text)],
        ),
        EventType::v1("CustomerNameChanged", &[field("name", Kind::Text)]),
        EventType::v1("CustomerEmailChanged", &[field("email", Kind::Text)]),
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

impl fmt::Display for CustomerEvent {
    /// The payload in a few words, as the event log shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CustomerRegistered { name, email } => write!(f, "name: {name}, email: {email}"),
            Self::CustomerNameChanged { name } => write!(f, "name: {name}"),
            Self::CustomerEmailChanged { email } => write!(f, "email: {email}"),
            Self::CustomerDeactivated => f.write_str("(no data)"),
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
    /// Changing the email to the one they have (ignoring case).
    #[error("The email is already {0} (emails are compared ignoring case); type a different one to change it.")]
    SameEmail(String),
}

/// A customer's state: rebuilt from their events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Customer {
    /// Where they are in their life.
    pub status: CustomerStatus,
    /// Their name (`None` before registering).
    pub name: Option<CustomerName>,
    /// Their email (`None` before registering).
    pub email: Option<Email>,
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
                if self.name.as_ref() == Some(name) {
                    return Err(CustomerError::SameName(name.to_string()));
                }
                Ok(vec![CustomerEvent::CustomerNameChanged {
                    name: name.clone(),
                }])
            }
            CustomerCommand::ChangeEmail { email } => {
                self.require_active()?;
                if self.email.as_ref().is_some_and(|e| e.same_as(email)) {
                    return Err(CustomerError::SameEmail(email.to_string()));
                }
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
