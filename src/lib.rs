//! The Event Sourcing & CQRS Playground.
//!
//! - [`kernel`]: events, the store, aggregates, snapshots, time travel (pure).
//! - [`domain`]: the domains people play with, starting with the bank account (pure).
//! - [`app`]: the playground's state and every action a user can take, as a reducer (pure).
//! - [`projection`]: read models folded from events, run online or as a batch (pure).
//! - [`sim`]: the simulated broker that feeds online projections, with seeded faults (pure).
//! - [`bench`]: the workloads the benchmarks time, shared by the native and the browser bench (pure).
//! - `ui`: the Yew components that draw [`app`] and dispatch its actions (browser only).
#![forbid(unsafe_code)]

pub mod app;
pub mod bench;
pub mod domain;
pub mod kernel;
pub mod projection;
pub mod sim;
#[cfg(target_arch = "wasm32")]
pub mod ui;
