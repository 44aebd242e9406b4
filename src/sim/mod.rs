//! The simulated broker: a Kafka-like topic fed from the event log, a consumer group that feeds an
//! online projection, and seeded faults (delay, reordering, duplicates, handler failures with a
//! dead-letter queue, consumer crashes, commit policy).
//!
//! No clock of its own: time is a count of ticks advanced by the caller. All randomness comes from one
//! seed, drawn in a fixed order, so the same seed and the same log give the same deliveries, byte for
//! byte. Domain-independent: records are positions in the one log, keyed by stream.

mod assignment;
mod compare;
mod config;
mod pipeline;
mod topic;

pub use assignment::{assign, Assignment};
pub use compare::{
    differences, Difference, Differences, Reason, RowKey, TouchIndex, DIFFERENCES_SHOWN,
};
pub use config::{BrokerModel, CommitPolicy, FailureMode, Idempotency, SimConfig};
pub use pipeline::{
    is_poison, Counters, DeadLetter, DeadLetterError, Delivery, Failure, Fate, Outcome,
    PartitionStatus, Pipeline, QueueStatus,
};
pub use topic::{Record, Tick, Topic};
