//! What an event looks like: the stored form (schema + data) plus the envelope every stored event
//! carries.

use super::schema::{DecodeError, DomainEvent, Schema, SchemaId};
use chrono::{DateTime, Utc};
use std::fmt;
use std::sync::Arc;
use uuid::Uuid;

/// A 1-based position in the global log: the first event ever appended is at position 1.
pub type Position = u64;

/// The name of a stream, `<category>-<id>` by convention (`account-1`, `customer-3`, `order-12`).
/// Cheap to clone; ids handed out by the store share one allocation, so comparing them is usually a
/// pointer comparison. The name's hash is computed once, when the id is made: looking a stream up in
/// a map (which every command does a few times) then hashes one number, not the name.
#[derive(Debug, Clone, Eq, PartialOrd, Ord)]
pub struct StreamId {
    name: Arc<str>,
    /// [`Self::hash`] of `name`.
    hash: u32,
}

impl PartialEq for StreamId {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.name, &other.name) || (self.hash == other.hash && self.name == other.name)
    }
}

/// Hashes the name's hash: equal names have equal hashes, as equality requires.
impl std::hash::Hash for StreamId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u32(self.hash);
    }
}

/// The stable FNV-1a hash of `name`.
fn fnv1a(name: &str) -> u32 {
    let mut hash: u32 = 0x811C_9DC5;
    for byte in name.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

impl From<&StreamId> for StreamId {
    fn from(id: &StreamId) -> Self {
        id.clone()
    }
}

impl StreamId {
    /// A stream id from its name.
    pub fn new(name: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        Self {
            hash: fnv1a(name),
            name: Arc::from(name),
        }
    }

    /// The same as [`Self::new`], sharing the allocation of an equal name made lately through
    /// this function (a small cache by hash, per thread: what it returns is equal either way).
    pub fn recent(name: &str) -> Self {
        const SLOTS: usize = 1_024;
        thread_local! {
            static RECENT: std::cell::RefCell<Vec<Option<StreamId>>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let hash = fnv1a(name);
        let slot = hash as usize % SLOTS;
        RECENT
            .try_with(|recent| {
                let mut recent = recent.try_borrow_mut().ok()?;
                if recent.is_empty() {
                    recent.resize(SLOTS, None);
                }
                let kept = recent.get_mut(slot)?;
                match kept {
                    Some(id) if id.hash == hash && &*id.name == name => Some(id.clone()),
                    _ => {
                        let id = Self {
                            hash,
                            name: Arc::from(name),
                        };
                        *kept = Some(id.clone());
                        Some(id)
                    }
                }
            })
            .ok()
            .flatten()
            .unwrap_or_else(|| Self::new(name))
    }

    /// The stream `<category>-<id>`.
    pub fn of(category: &str, id: impl fmt::Display) -> Self {
        Self::new(format!("{category}-{id}"))
    }

    /// The stream's name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The category: the name up to its first `-` (KurrentDB's `$ce-` convention), or the whole name
    /// when it has none.
    pub fn category(&self) -> &str {
        self.name
            .split_once('-')
            .map_or(&self.name, |(category, _)| category)
    }

    /// The partition (of `partitions`) this stream's events go to when the stream id is the key: a
    /// stable FNV-1a hash, so a stream always maps to the same partition, on every platform and run.
    pub fn partition(&self, partitions: u16) -> u16 {
        (self.hash() % u32::from(partitions.max(1))) as u16
    }

    /// The stable FNV-1a hash of the name, on which [`Self::partition`] is based.
    pub fn hash(&self) -> u32 {
        self.hash
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// An event about to be appended, in its stored form: the id and metadata its writer chose, the schema
/// and the encoded data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// Unique across the whole log; re-sending the same id with the same content is a no-op.
    pub event_id: Uuid,
    /// The event type and schema version the data is written in.
    pub schema: SchemaId,
    /// The encoded payload.
    pub data: Vec<u8>,
    /// When it happened in the domain (event time); may differ from when it was recorded.
    pub occurred_at: DateTime<Utc>,
    /// When the store recorded it: `None` stamps the store's clock (every append); `Some` restores a
    /// time recorded before (an import or a reload), so history comes back exactly.
    pub recorded_at: Option<DateTime<Utc>>,
    /// Shared by every event that stems from one user intention.
    pub correlation_id: Uuid,
    /// The command, or the event, that caused this event.
    pub causation_id: Uuid,
}

/// An event to append, borrowed: what [`NewEvent`] holds, its data in someone else's buffer.
#[derive(Debug, Clone, Copy)]
pub struct PendingEvent<'a> {
    /// See [`NewEvent::event_id`].
    pub event_id: Uuid,
    /// See [`NewEvent::schema`].
    pub schema: SchemaId,
    /// See [`NewEvent::data`].
    pub data: &'a [u8],
    /// [`NewEvent::occurred_at`], in microseconds since the epoch.
    pub occurred_at_micros: i64,
    /// [`NewEvent::recorded_at`], in microseconds since the epoch.
    pub recorded_at_micros: Option<i64>,
    /// See [`NewEvent::correlation_id`].
    pub correlation_id: Uuid,
    /// See [`NewEvent::causation_id`].
    pub causation_id: Uuid,
}

/// Events to append in one batch, read by index: a slice of [`NewEvent`]s, or the encoded batch a
/// repository reuses for every command (so that a command does not allocate a buffer per event).
pub trait EventBatch {
    /// How many.
    fn len(&self) -> usize;
    /// True when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The `i`-th (`i < len()`).
    fn event(&self, i: usize) -> Option<PendingEvent<'_>>;
}

impl EventBatch for [NewEvent] {
    fn len(&self) -> usize {
        <[NewEvent]>::len(self)
    }

    fn event(&self, i: usize) -> Option<PendingEvent<'_>> {
        self.get(i).map(|e| PendingEvent {
            event_id: e.event_id,
            schema: e.schema,
            data: &e.data,
            occurred_at_micros: e.occurred_at.timestamp_micros(),
            recorded_at_micros: e.recorded_at.map(|t| t.timestamp_micros()),
            correlation_id: e.correlation_id,
            causation_id: e.causation_id,
        })
    }
}

impl EventBatch for [PendingEvent<'_>] {
    fn len(&self) -> usize {
        <[PendingEvent<'_>]>::len(self)
    }

    fn event(&self, i: usize) -> Option<PendingEvent<'_>> {
        self.get(i).copied()
    }
}

/// A stored event as read back: the envelope, the schema and the stored data. Borrowed from the store;
/// everything is a small copy. The two times are kept as microseconds and turned into dates only when
/// asked for: a projection folding a million events should not pay for calendar arithmetic.
#[derive(Debug, Clone, Copy)]
pub struct RecordedEvent<'a> {
    /// Unique event id.
    pub event_id: Uuid,
    /// The stream the event belongs to.
    pub stream_id: &'a StreamId,
    /// The stream's number in the store (0-based, in order of first append).
    pub stream_number: u32,
    /// 1-based, contiguous position within the stream.
    pub stream_version: u64,
    /// 1-based, contiguous position within the whole log.
    pub position: Position,
    /// The schema's id in the store's table.
    pub schema_id: SchemaId,
    /// The event type and schema version the data was written in.
    pub schema: &'a Schema,
    /// The stored payload, exactly as written.
    pub data: &'a [u8],
    /// Event time (when it happened), in microseconds since the Unix epoch.
    pub occurred_at_micros: i64,
    /// Processing time (when the store recorded it), in microseconds since the Unix epoch.
    pub recorded_at_micros: i64,
    /// Shared by the events of one user intention.
    pub correlation_id: Uuid,
    /// The command or event that caused this one.
    pub causation_id: Uuid,
}

impl<'a> RecordedEvent<'a> {
    /// The event type's name.
    pub fn event_type(&self) -> &'a str {
        self.schema.name()
    }

    /// The schema version the data was written in.
    pub fn schema_version(&self) -> u16 {
        self.schema.version()
    }

    /// The stream's category.
    pub fn category(&self) -> &'a str {
        self.stream_id.category()
    }

    /// Which of `E::TYPES` the event is, if it is one of `E`'s (without decoding it).
    #[inline(always)]
    pub fn type_index<E: DomainEvent>(&self) -> Option<usize> {
        self.schema.index_in::<E>()
    }

    /// True when the event is one of `E`'s types.
    #[inline(always)]
    pub fn is<E: DomainEvent>(&self) -> bool {
        self.schema.index_in::<E>().is_some()
    }

    /// The payload as an `E`: `None` when the event is not one of `E`'s types, or (never for data this
    /// store's writers encoded) when the data does not decode.
    #[inline(always)]
    // Spelled out: in the size-optimised browser build `Result::ok` stays a call per event.
    #[allow(clippy::manual_ok_err)]
    pub fn decode<E: DomainEvent>(&self) -> Option<E> {
        match self.schema.index_in::<E>() {
            None => None,
            Some(index) => match E::decode(index, self.schema.version(), self.data) {
                Ok(event) => Some(event),
                Err(_) => None,
            },
        }
    }

    /// Like [`Self::decode`], telling a foreign event (`Ok(None)`) from malformed data (`Err`).
    pub fn try_decode<E: DomainEvent>(&self) -> Result<Option<E>, DecodeError> {
        match self.schema.index_in::<E>() {
            None => Ok(None),
            Some(index) => E::decode(index, self.schema.version(), self.data).map(Some),
        }
    }

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
