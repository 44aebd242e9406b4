//! The domains of the playground, each a plug-in: its aggregates, commands, events, errors,
//! validation, read models, part of the load generator and views live in its own folder, and it is
//! registered with one line in [`registry`].
//!
//! - [`bank`]: accounts with deposits and withdrawals, and two clerks racing on one account.
//! - [`customers`]: registration with a unique email (set validation through reservation streams).
//! - [`orders`]: carts of catalogue products, placed or cancelled.

pub mod bank;
pub mod customers;
mod module;
mod names;
pub mod orders;
pub mod registry;

pub use module::{
    describe_as, parse_stream_id, rebuild_with, state_region, type_names, CommandContext,
    DomainModule, FormInput, ModuleFactory, Origin, Setup,
};
pub use registry::Registry;
