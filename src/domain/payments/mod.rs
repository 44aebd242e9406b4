//! Payments: an order's amount is authorised (or declined by the card issuer), then captured, or
//! the authorisation voided, or a capture refunded. A plug-in domain; the fulfilment saga pays
//! through [`PaymentsModule`]'s service methods.

mod issuer;
mod module;
mod payment;

pub use issuer::Issuer;
pub use module::{controls, module, payment_of, PaymentsModule, KEY};
pub use payment::{Payment, PaymentCommand, PaymentError, PaymentEvent, PaymentStatus};
