//! The event-sourcing kernel: envelopes, the append-only store, aggregates, snapshots and time travel.
//!
//! Pure Rust. It knows nothing about the browser, the UI or any particular domain, and has no clock of
//! its own: time comes in through [`Clock`], ids through [`IdGenerator`].

mod aggregate;
mod clock;
mod envelope;
mod expected_version;
mod handler;
mod ids;
mod snapshot;
mod store;
mod subscription;
pub mod testing;

pub use aggregate::Aggregate;
pub use clock::{Clock, ManualClock};
pub use envelope::{DomainEvent, Envelope, NewEvent, Position, StreamId};
pub use expected_version::ExpectedVersion;
pub use handler::{CommandError, CommandMeta, EventSourced, Loaded, StateAt};
pub use ids::{IdGenerator, SeededRng};
pub use snapshot::{Snapshot, SnapshotStore, DEFAULT_SNAPSHOT_EVERY};
pub use store::{AppendError, AppendOutcome, EventStore, StoreStats};
pub use subscription::Subscription;

/// The hash map used on hot paths: hashbrown with its default (foldhash) hasher, measurably faster
/// than std's SipHash in the browser benchmarks (and than the Fx hash, which was tried).
pub type FastMap<K, V> = hashbrown::HashMap<K, V, hashbrown::DefaultHashBuilder>;
/// The set counterpart of [`FastMap`].
pub type FastSet<K> = hashbrown::HashSet<K, hashbrown::DefaultHashBuilder>;
