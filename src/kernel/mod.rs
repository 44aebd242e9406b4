//! The event-sourcing kernel: envelopes, the one append-only store, the stored form of events,
//! aggregates, repositories, snapshots and time travel.
//!
//! Pure Rust. It knows nothing about the browser, the UI or any particular domain, and has no clock of
//! its own: time comes in through [`Clock`], ids through [`IdGenerator`] (or are derived from the
//! command that caused them, [`derived_id`]).

mod aggregate;
mod chunked;
mod clock;
pub mod codec;
mod envelope;
mod expected_version;
mod ids;
mod json;
mod keyed;
mod repository;
mod schema;
mod snapshot;
mod store;
mod subscription;
pub mod testing;

pub use aggregate::Aggregate;
pub use chunked::Chunked;
pub use clock::{Clock, HeldClock, ManualClock};
pub use envelope::{EventBatch, NewEvent, PendingEvent, Position, RecordedEvent, StreamId};
pub use expected_version::ExpectedVersion;
pub use ids::{derived_id, IdGenerator, SeededRng};
pub use json::{push_hex, push_i64, push_json_string, push_u64, to_json, write_json, WalkError};
pub use keyed::Keyed;
pub use repository::{
    load_stream, CommandError, CommandMeta, Decision, EventCodec, Loaded, Refused, Repository,
    StateAt,
};
pub use schema::{
    field, get, put, DecodeError, DeployError, DomainEvent, EventType, Field, Kind, Schema,
    SchemaId, SchemaTable, Upcaster, Version,
};
pub use snapshot::{Snapshot, SnapshotStore, DEFAULT_SNAPSHOT_EVERY};
pub use store::{AppendError, AppendOutcome, EventStore, StoreStats, MAX_EVENT_BYTES};
pub use subscription::Subscription;

/// The hash map used on hot paths: hashbrown with its default (foldhash) hasher, measurably faster
/// than std's SipHash in the browser benchmarks (and than the Fx hash, which was tried).
pub type FastMap<K, V> = hashbrown::HashMap<K, V, hashbrown::DefaultHashBuilder>;
/// The set counterpart of [`FastMap`].
pub type FastSet<K> = hashbrown::HashSet<K, hashbrown::DefaultHashBuilder>;
