//! What an event looks like: the domain payload plus the envelope every stored event carries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use uuid::Uuid;

/// A 1-based position in the global log: the first event ever appended is at position 1.
pub type Position = u64;

/// The name of a stream, e.g. `account-3`. Cheap to clone; ids handed out by the store share one
/// allocation, so comparing them is usually a pointer comparison.
#[derive(Debug, Clone, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StreamId(Arc<str>);

impl PartialEq for StreamId {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

/// Hashes the name, exactly as equality compares it (by content).
impl std::hash::Hash for StreamId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl From<&StreamId> for StreamId {
    fn from(id: &StreamId) -> Self {
        id.clone()
    }
}

impl StreamId {
    /// A stream id from its name.
    pub fn new(name: impl AsRef<str>) -> Self {
        Self(Arc::from(name.as_ref()))
    }

    /// The stream's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The partition (of `partitions`) this stream's events go to when the stream id is the key: a
    /// stable FNV-1a hash, so a stream always maps to the same partition, on every platform and run.
    pub fn partition(&self, partitions: u16) -> u16 {
        let mut hash: u32 = 0x811C_9DC5;
        for byte in self.0.bytes() {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        (hash % u32::from(partitions.max(1))) as u16
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A domain event payload: knows its type name and schema version.
///
/// `PartialEq` is what the store uses to decide whether a re-sent event with a known id carries the same
/// content (an idempotent retry) or different content (an error).
pub trait DomainEvent: Clone + PartialEq + fmt::Debug {
    /// The event's type name as shown in the log, e.g. `MoneyDeposited`.
    fn event_type(&self) -> &'static str;

    /// The version of this event type's schema; bumped when the payload's shape changes.
    fn schema_version(&self) -> u16 {
        1
    }
}

/// An event about to be appended: the id and metadata its writer chose, and the payload.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent<E> {
    /// Unique id; re-sending the same id with the same content is an idempotent no-op.
    pub event_id: Uuid,
    /// The domain payload.
    pub payload: E,
    /// When it happened in the domain (event time); may differ from when it was recorded.
    pub occurred_at: DateTime<Utc>,
    /// Shared by every event that stems from one user intention.
    pub correlation_id: Uuid,
    /// The command, or the event, that caused this event.
    pub causation_id: Uuid,
}

/// A stored event as read back: payload plus envelope. Borrowed from the store; [`Envelope::payload`]
/// is a reference, everything else is a small copy. The two times are kept as microseconds and turned
/// into dates only when asked for ([`Envelope::occurred_at`], [`Envelope::recorded_at`]): a projection
/// folding a million events should not pay for calendar arithmetic it does not use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Envelope<'a, E> {
    /// Unique event id.
    pub event_id: Uuid,
    /// The stream the event belongs to.
    pub stream_id: &'a StreamId,
    /// 1-based, contiguous position within the stream.
    pub stream_version: u64,
    /// 1-based, contiguous position within the whole log.
    pub position: Position,
    /// The domain payload.
    pub payload: &'a E,
    /// Event time (when it happened), in microseconds since the Unix epoch.
    pub occurred_at_micros: i64,
    /// Processing time (when the store recorded it), in microseconds since the Unix epoch.
    pub recorded_at_micros: i64,
    /// Shared by the events of one user intention.
    pub correlation_id: Uuid,
    /// The command or event that caused this one.
    pub causation_id: Uuid,
}

impl<E: DomainEvent> Envelope<'_, E> {
    /// The event's type name.
    pub fn event_type(&self) -> &'static str {
        self.payload.event_type()
    }

    /// The schema version of the payload.
    pub fn schema_version(&self) -> u16 {
        self.payload.schema_version()
    }
}

impl<E> Envelope<'_, E> {
    /// Event time: when it happened.
    pub fn occurred_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.occurred_at_micros).unwrap_or_default()
    }

    /// Event time in whole seconds since the Unix epoch (cheap).
    pub fn occurred_at_seconds(&self) -> i64 {
        self.occurred_at_micros.div_euclid(1_000_000)
    }

    /// Processing time: when the store recorded it.
    pub fn recorded_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.recorded_at_micros).unwrap_or_default()
    }
}
