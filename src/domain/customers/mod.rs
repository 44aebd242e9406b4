//! Customers (the user aggregate of the EDA guide): registration with a name and an email that is
//! unique across customers, name and email changes, deactivation.
//!
//! Email uniqueness is the classic set-validation problem of event sourcing, solved the standard way
//! with a reservation stream per address ([`reservation`]).

mod customer;
mod email;
mod module;
mod name;
mod read_models;
mod registration;
pub mod reservation;

pub use customer::{Customer, CustomerCommand, CustomerError, CustomerEvent, CustomerStatus};
pub use email::{Email, EmailError, MAX_EMAIL_CHARS};
pub use module::{controls, module, CustomersModule, KEY, UNIQUENESS};
pub use name::{CustomerName, NameError, MAX_NAME_CHARS};
pub use read_models::{CustomerReadModels, CustomerRow, ACTIVE, DEACTIVATED};
pub use registration::{CustomerService, PreparedRegistration, RegistrationError};
pub use reservation::{EmailReservation, ReservationCommand, ReservationError, ReservationEvent};
