//! Processes across domains: the fulfilment saga that reserves an order's stock, authorises its
//! payment, schedules its shipment, captures the payment and completes the order — or undoes what
//! it did when a step fails or times out. It runs two ways: orchestrated by a process manager per
//! order ([`fulfilment`]), or choreographed by the services' reactions to each other's events
//! ([`choreography`]). Either way every handler is a consumer of the simulated broker
//! ([`runtime`]), and [`tracker`] follows each saga for the page.
//!
//! This layer names the domains it composes (orders, inventory, payments, shipping); the layers
//! above it see only [`Sagas`].

pub mod choreography;
pub mod fulfilment;
pub mod graph;
pub mod message;
pub mod module;
pub mod runtime;
pub mod testing;
pub mod tracker;

pub use fulfilment::{fulfilment_of, Fulfilment, FulfilmentEvent, Phase};
pub use message::{answer_of, reasons, Answer, SagaCommand, Step, StepSet};
pub use module::FulfilmentModule;
pub use runtime::{Group, Handler, Outcome, SagaSettings, SagaStyle, Sagas, SentCommand};
pub use tracker::{SagaCounts, SagaInstance, SagaStatus, SagaStreams, Tracker};
