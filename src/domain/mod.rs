//! The domains of the playground, each a plug-in: its aggregates, commands, events, errors,
//! validation, read models, part of the load generator and views live in its own folder, and it is
//! registered with one line in [`registry`].
//!
//! - [`bank`]: accounts with deposits and withdrawals, and two clerks racing on one account.
//! - [`customers`]: registration with a unique email (set validation through reservation streams).
//! - [`orders`]: carts of catalogue products, placed, driven by the fulfilment saga to completion or
//!   cancelled.
//! - [`inventory`]: the warehouse's stock, reserved for orders, released and restocked.
//! - [`payments`]: authorisations captured, voided or refunded; a seeded issuer declines some.
//! - [`shipping`]: shipments scheduled, shipped and delivered.

pub mod bank;
pub mod customers;
pub mod inventory;
mod module;
mod names;
pub mod orders;
pub mod payments;
pub mod registry;
pub mod shipping;

pub use module::{
    describe_as, parse_stream_id, rebuild_with, state_region, type_names, CommandContext,
    DomainModule, FormInput, ModuleFactory, Origin, Setup,
};
pub use registry::Registry;
