//! The Event Sourcing & CQRS Playground.
//!
//! - [`kernel`]: events and their stored form, the one store, aggregates, repositories, snapshots,
//!   time travel (pure).
//! - [`domain`]: the domains people play with — bank accounts, customers, orders — each a plug-in
//!   (pure).
//! - [`process`]: the fulfilment saga across orders, inventory, payments and shipping, orchestrated
//!   or choreographed, its handlers consumers of the simulated broker (pure).
//! - [`readmodel`]: read models folded from events, run online, as a batch or for queries (pure).
//! - [`sim`]: the simulated broker that feeds online read models, with seeded faults (pure).
//! - [`app`]: the playground's state and every action a user can take on it, as a reducer (pure).
//! - [`view`]: the view models domains and the app describe their panels with (pure).
//! - [`interop`]: the log as a CloudEvents batch, exported and imported (pure).
//! - [`lessons`]: the guided lessons, their steps checked from the playground's state (pure).
//! - [`testgen`]: "Copy as test", a command of the log written as a given/when/then test (pure).
//! - [`format`]: digit grouping, counted nouns, shortened input (pure).
//! - [`bench`]: the workloads the benchmarks time, shared by the native and the browser bench (pure).
//! - `ui`: the Yew components that draw [`app`] and dispatch its actions (browser only).
#![forbid(unsafe_code)]

pub mod app;
pub mod bench;
pub mod domain;
pub mod format;
pub mod interop;
pub mod kernel;
pub mod lessons;
pub mod persist;
pub mod privacy;
pub mod process;
pub mod processors;
pub mod readmodel;
pub mod sim;
pub mod testgen;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod view;

/// The allocator in the browser: TLSF (the `rlsf` crate) instead of the standard library's dlmalloc,
/// for a fraction of its code and constant-time allocation (the saga workload allocates and frees
/// millions of small blocks).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();
