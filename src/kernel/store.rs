//! The append-only, in-memory event store: one global log for every domain.
//!
//! Events are kept as compact rows in fixed-size chunks (so growing never copies the whole log), their
//! data in a byte arena, plus a per-stream index of global positions and an index from event id to
//! position. A row knows its event's type and schema version through its [`SchemaId`], so the log can
//! be read, filtered and restored without any domain's Rust types. Once appended an event never
//! changes: the store hands out shared references only.
//!
//! Not here: persistence, deletion, and any notion of time beyond the injected [`Clock`].

use super::chunked::{chunk_of, Chunked};
use super::clock::Clock;
use super::envelope::{EventBatch, NewEvent, Position, RecordedEvent, StreamId};
use super::expected_version::ExpectedVersion;
use super::schema::{DeployError, DomainEvent, SchemaId, SchemaTable};
use super::FastMap;
use chrono::{DateTime, Utc};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;
use std::ops::RangeInclusive;
use uuid::Uuid;

/// Bytes per chunk of the data arena; an event's data never straddles two chunks.
const ARENA_CHUNK: usize = 1 << 20;
/// The largest payload one event may carry, in bytes.
pub const MAX_EVENT_BYTES: usize = u16::MAX as usize;

/// Why an append was refused. Nothing is appended when an error is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    /// The stream's version is not what the writer expected: someone else wrote first.
    #[error("Wrong expected version on stream '{stream}': expected {expected}, but the stream {actual_text}", actual_text = describe_actual(*.actual))]
    WrongExpectedVersion {
        /// The stream written to.
        stream: StreamId,
        /// What the writer expected.
        expected: ExpectedVersion,
        /// The stream's actual version (`None` if it does not exist).
        actual: Option<u64>,
    },
    /// An event id is already stored with different content (or in another stream).
    #[error("Event {event_id} was already appended with different content or to another stream")]
    IdConflict {
        /// The offending id.
        event_id: Uuid,
    },
    /// Some events of the batch are already stored and some are not: a retry must resend exactly the
    /// original batch.
    #[error("Only part of this batch was appended before; resend exactly the original batch")]
    PartialDuplicate,
    /// The same id appears twice in one batch.
    #[error("Event id {event_id} appears twice in one append")]
    DuplicateIdInBatch {
        /// The repeated id.
        event_id: Uuid,
    },
    /// The schema id is not in the store's table.
    #[error("Unknown schema id {0}")]
    UnknownSchema(u16),
    /// One event's data is larger than [`MAX_EVENT_BYTES`].
    #[error("An event's data is {bytes} bytes; at most 65,535 bytes are accepted")]
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// The log is full (more than 4,294,967,295 events or bytes of data, or 2,147,483,648 streams).
    #[error("The event log is full")]
    LogFull,
}

fn describe_actual(actual: Option<u64>) -> String {
    match actual {
        None => "does not exist".to_owned(),
        Some(v) => format!("is at version {v}"),
    }
}

/// The result of a successful append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendOutcome {
    /// Global positions of the appended events (empty for an empty batch).
    pub positions: RangeInclusive<Position>,
    /// The stream's version after the append (`0` if the stream still does not exist).
    pub stream_version: u64,
    /// True when the batch had been appended before and this call changed nothing.
    pub idempotent: bool,
}

/// Sizes of the store's structures, for the benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreStats {
    /// Number of events.
    pub events: u64,
    /// Number of streams.
    pub streams: u64,
    /// Bytes of event data.
    pub data_bytes: u64,
    /// Bytes reserved by the log, the data arena, the stream index and the id index (the heap text of
    /// stream names not included).
    pub reserved_bytes: u64,
}

/// One stored event: 64 bytes. The correlation id is not stored when it equals the causation id
/// (every event of a command that starts a new intention), only flagged in `stream`; the few others
/// live in [`Correlations`]. The data is `data_len` bytes at `data_offset` of the arena.
#[derive(Debug, Clone)]
struct Row {
    event_id: Uuid,
    causation_id: Uuid,
    occurred_at_micros: i64,
    recorded_at_micros: i64,
    stream: StreamRef,
    stream_version: u32,
    data_offset: u32,
    schema: SchemaId,
    data_len: u16,
}

/// A stream's index in [`EventStore::streams`], plus one flag bit: "the correlation id differs from the
/// causation id and is kept in the side table".
#[derive(Debug, Clone, Copy)]
struct StreamRef(u32);

impl StreamRef {
    const OWN_CORRELATION: u32 = 1 << 31;
    /// More streams than this cannot be told apart from the flag.
    const MAX_STREAMS: usize = Self::OWN_CORRELATION as usize;

    fn new(index: u32, own_correlation: bool) -> Self {
        Self(
            index
                | if own_correlation {
                    Self::OWN_CORRELATION
                } else {
                    0
                },
        )
    }

    fn index(self) -> usize {
        (self.0 & !Self::OWN_CORRELATION) as usize
    }

    fn has_own_correlation(self) -> bool {
        self.0 & Self::OWN_CORRELATION != 0
    }
}

#[derive(Debug, Clone)]
struct StreamEntry {
    id: StreamId,
    /// Global positions of the stream's events, in stream order (as u32 to keep the index small).
    positions: Vec<u32>,
}

/// Event data, in chunks of [`ARENA_CHUNK`] bytes addressed by one global offset.
#[derive(Debug, Clone, Default)]
struct Arena {
    chunks: Vec<std::rc::Rc<Vec<u8>>>,
    bytes: u64,
}

impl Arena {
    /// Where `data` would go: a new chunk when it does not fit in the last one.
    fn next_offset(&self, len: usize) -> Option<u32> {
        let (chunk, used) = match self.chunks.last() {
            Some(last) if last.len() + len <= ARENA_CHUNK => (self.chunks.len() - 1, last.len()),
            _ => (self.chunks.len(), 0),
        };
        u32::try_from(chunk as u64 * ARENA_CHUNK as u64 + used as u64).ok()
    }

    fn push(&mut self, data: &[u8]) {
        if self
            .chunks
            .last()
            .is_none_or(|last| last.len() + data.len() > ARENA_CHUNK)
        {
            self.chunks.push(std::rc::Rc::new(Vec::new()));
        }
        if let Some(last) = self.chunks.last_mut() {
            let last = std::rc::Rc::make_mut(last);
            if last.len() + data.len() > last.capacity() {
                // Grow geometrically, but never past the chunk's size.
                let wanted = (last.capacity() * 2)
                    .max(last.len() + data.len())
                    .clamp(4_096, ARENA_CHUNK);
                last.reserve_exact(wanted - last.len());
            }
            last.extend_from_slice(data);
        }
        self.bytes += data.len() as u64;
    }

    fn get(&self, offset: u32, len: u16) -> &[u8] {
        let offset = offset as usize;
        let within = offset % ARENA_CHUNK;
        self.chunks
            .get(offset / ARENA_CHUNK)
            .and_then(|c| c.get(within..within + usize::from(len)))
            .unwrap_or(&[])
    }

    fn capacity(&self) -> u64 {
        self.chunks.iter().map(|c| c.capacity() as u64).sum()
    }

    /// The bytes before `offset` (holding `bytes` bytes of data), sharing every chunk wholly before
    /// it; the chunk it falls in is copied up to it.
    fn prefix(&self, offset: u64, bytes: u64) -> Self {
        let (whole, within) = (
            (offset / ARENA_CHUNK as u64) as usize,
            (offset % ARENA_CHUNK as u64) as usize,
        );
        let mut chunks: Vec<_> = self.chunks.iter().take(whole).cloned().collect();
        if within > 0 {
            if let Some(chunk) = self.chunks.get(whole) {
                chunks.push(std::rc::Rc::new(chunk[..within.min(chunk.len())].to_vec()));
            }
        }
        Self { chunks, bytes }
    }
}

/// Bytes a hashbrown table of `capacity` entries of `T` reserves: one control byte per bucket beside
/// each entry, with the capacity 7/8 of the buckets.
fn table_bytes<T>(capacity: usize) -> u64 {
    (capacity as u64 * 8).div_ceil(7) * (1 + std::mem::size_of::<T>() as u64)
}

/// Correlation ids that differ from their event's causation id. A saga's events all share its
/// correlation, so each distinct id is kept once and an event refers to it by number: a slot per
/// event, kept only for the chunks of the log that hold such events (a log of commands that each
/// start their own intention keeps none).
#[derive(Debug, Clone, Default)]
struct Correlations {
    /// Each distinct id, once; numbered from 1 (0 = "none").
    ids: Vec<Uuid>,
    numbers: FastMap<Uuid, u32>,
    /// By chunk of the log, like the rows: the number of each row's correlation (0 = none), up to
    /// the chunk's last row that has one.
    slots: Vec<Vec<u32>>,
}

impl Correlations {
    /// Records that the event at row `index` (0-based) has correlation `id`.
    fn insert(&mut self, index: usize, id: Uuid) {
        let next = self.ids.len() as u32 + 1;
        let number = *self.numbers.entry(id).or_insert(next);
        if number == next {
            self.ids.push(id);
        }
        let (chunk, within) = chunk_of(index);
        if self.slots.len() <= chunk {
            self.slots.resize_with(chunk + 1, Vec::new);
        }
        let slots = &mut self.slots[chunk];
        if slots.len() <= within {
            slots.resize(within + 1, 0);
        }
        slots[within] = number;
    }

    /// Forgets the slots of rows `len` onwards (the ids stay: numbers are only ever looked up).
    fn truncate(&mut self, len: usize) {
        let (chunk, within) = chunk_of(len);
        self.slots.truncate(chunk + 1);
        if let Some(last) = self.slots.get_mut(chunk) {
            last.truncate(within);
        }
    }

    /// The correlation of the event at row `index`, if one was recorded for it.
    #[inline]
    fn get(&self, index: usize) -> Option<Uuid> {
        let (chunk, within) = chunk_of(index);
        let number = *self.slots.get(chunk)?.get(within)?;
        self.ids.get(number.checked_sub(1)? as usize).copied()
    }

    fn reserved_bytes(&self) -> u64 {
        let slots: u64 = self.slots.iter().map(|s| s.capacity() as u64 * 4).sum();
        let numbers = table_bytes::<(Uuid, u32)>(self.numbers.capacity());
        slots + numbers + self.ids.capacity() as u64 * 16
    }
}

/// An append-only event store with expected-version concurrency and idempotent appends, holding the
/// events of every domain in one log.
pub struct EventStore {
    rows: Chunked<Row>,
    arena: Arena,
    schemas: SchemaTable,
    streams: Vec<StreamEntry>,
    stream_lookup: FastMap<StreamId, u32>,
    /// The number of the stream looked up last: a command looks its stream up a few times in a row
    /// (to load, to append, to read back), and a hit costs a comparison instead of a probe.
    last_stream: std::cell::Cell<u32>,
    id_index: HashTable<IdSlot>,
    /// Correlation ids that differ from their event's causation id.
    correlations: Correlations,
    hasher: DefaultHashBuilder,
    clock: Box<dyn Clock>,
}

impl std::fmt::Debug for EventStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStore")
            .field("events", &self.rows.len())
            .field("streams", &self.streams.len())
            .field("schemas", &self.schemas.len())
            .finish()
    }
}

/// An entry of the event-id index: the event's position and 32 bits of its id's hash, so that the
/// index rehashes itself as it grows without reading a row of the log.
#[derive(Debug, Clone, Copy)]
struct IdSlot {
    position: u32,
    hash: u32,
}

impl IdSlot {
    /// The hash the index files the slot under: the kept 32 bits, repeated, so that both the bucket
    /// (low bits) and hashbrown's tag (top bits) come from them.
    fn table_hash(hash: u32) -> u64 {
        (u64::from(hash) << 32) | u64::from(hash)
    }
}

impl EventStore {
    /// An empty store that stamps recorded-at times from `clock`.
    pub fn new(clock: impl Clock + 'static) -> Self {
        Self {
            rows: Chunked::default(),
            arena: Arena::default(),
            schemas: SchemaTable::default(),
            streams: Vec::new(),
            stream_lookup: FastMap::default(),
            last_stream: std::cell::Cell::new(u32::MAX),
            id_index: HashTable::new(),
            correlations: Correlations::default(),
            hasher: DefaultHashBuilder::default(),
            clock: Box::new(clock),
        }
    }

    /// Registers `E`'s event types (see [`SchemaTable::register`]).
    pub fn register<E: DomainEvent>(&mut self) -> Vec<SchemaId> {
        self.schemas.register::<E>()
    }

    /// The current time by the store's clock (what an append stamps as recorded-at).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// [`Self::now`] in microseconds since the epoch.
    pub fn now_micros(&self) -> i64 {
        self.clock.now_micros()
    }

    /// Deploys the next schema version of the type called `name` (see [`SchemaTable::deploy_next`]).
    pub fn deploy_next(&mut self, name: &str) -> Result<u16, DeployError> {
        self.schemas.deploy_next(name)
    }

    /// Deploys the latest schema version of every type (see [`SchemaTable::deploy_all_latest`]).
    pub fn deploy_all_latest(&mut self) {
        self.schemas.deploy_all_latest();
    }

    /// The schema table: every event type and version this store knows.
    pub fn schemas(&self) -> &SchemaTable {
        &self.schemas
    }

    /// Number of events in the log; also the position of the newest event (0 when empty).
    pub fn head(&self) -> Position {
        self.rows.len() as Position
    }

    /// True when nothing has been appended.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The stream's current version, or `None` if it has no events.
    pub fn stream_version(&self, stream: &StreamId) -> Option<u64> {
        self.stream_entry(stream).map(|s| s.positions.len() as u64)
    }

    /// The stream's version as of global position `position` (0 if it had no events by then).
    pub fn stream_version_at(&self, stream: &StreamId, position: Position) -> u64 {
        self.stream_entry(stream)
            .map(|s| s.positions.partition_point(|&p| u64::from(p) <= position) as u64)
            .unwrap_or(0)
    }

    /// Every stream name, in order of first append (the index is the stream's number).
    pub fn stream_ids(&self) -> impl Iterator<Item = &StreamId> {
        self.streams.iter().map(|s| &s.id)
    }

    /// The number of `stream` (its index in [`Self::stream_ids`]; the `stream_number` of its events),
    /// if it has events.
    pub fn stream_number(&self, stream: &StreamId) -> Option<u32> {
        self.lookup(stream)
    }

    /// The number of `stream`, if it has events: the one looked up last when it is the same.
    fn lookup(&self, stream: &StreamId) -> Option<u32> {
        let last = self.last_stream.get();
        if self
            .streams
            .get(last as usize)
            .is_some_and(|s| s.id == *stream)
        {
            return Some(last);
        }
        let number = self.stream_lookup.get(stream).copied()?;
        self.last_stream.set(number);
        Some(number)
    }

    /// Number of streams.
    pub fn stream_count(&self) -> usize {
        self.streams.len()
    }

    /// The global positions of `stream`'s events, in stream order.
    pub fn stream_positions(&self, stream: &StreamId) -> &[u32] {
        self.stream_entry(stream)
            .map(|s| s.positions.as_slice())
            .unwrap_or(&[])
    }

    fn stream_entry(&self, stream: &StreamId) -> Option<&StreamEntry> {
        self.lookup(stream)
            .and_then(|i| self.streams.get(i as usize))
    }

    fn row(&self, position: Position) -> Option<&Row> {
        self.rows
            .get(usize::try_from(position.checked_sub(1)?).ok()?)
    }

    #[inline(always)]
    fn recorded<'a>(&'a self, position: Position, row: &'a Row) -> Option<RecordedEvent<'a>> {
        let stream = self.streams.get(row.stream.index())?;
        Some(RecordedEvent {
            event_id: row.event_id,
            stream_id: &stream.id,
            stream_number: row.stream.index() as u32,
            stream_version: u64::from(row.stream_version),
            position,
            schema_id: row.schema,
            schema: self.schemas.get(row.schema)?,
            data: self.arena.get(row.data_offset, row.data_len),
            occurred_at_micros: row.occurred_at_micros,
            recorded_at_micros: row.recorded_at_micros,
            correlation_id: if row.stream.has_own_correlation() {
                self.correlations
                    .get(position as usize - 1)
                    .unwrap_or(row.causation_id)
            } else {
                row.causation_id
            },
            causation_id: row.causation_id,
        })
    }

    /// The event at global `position`, if any.
    pub fn get(&self, position: Position) -> Option<RecordedEvent<'_>> {
        let row = self.row(position)?;
        self.recorded(position, row)
    }

    /// The schema of the event at `position` (cheaper than [`Self::get`]: no envelope is built).
    pub fn schema_at(&self, position: Position) -> Option<SchemaId> {
        self.row(position).map(|r| r.schema)
    }

    /// The events of the whole log from `from` (inclusive, 1-based) to the head, in order.
    pub fn read_all(&self, from: Position) -> impl Iterator<Item = RecordedEvent<'_>> + '_ {
        let start = from.max(1);
        (start..=self.head()).filter_map(move |p| self.get(p))
    }

    /// Calls `f` with every event at positions `from..=to` (clipped to the log), in order: the fast
    /// way to fold the log, walking the chunks directly and building each envelope once, in place.
    pub fn for_each_in(&self, from: Position, to: Position, mut f: impl FnMut(&RecordedEvent<'_>)) {
        let first = from.max(1);
        let last = to.min(self.head());
        if first > last {
            return;
        }
        let mut position = first;
        self.rows
            .for_each_in((first - 1) as usize, last as usize, |row| {
                if let Some(event) = self.recorded(position, row) {
                    f(&event);
                }
                position += 1;
            });
    }

    /// The partition (of `partitions`) of the event at `position`'s stream (cheaper than
    /// [`Self::get`]).
    pub fn partition_at(&self, position: Position, partitions: u16) -> Option<u16> {
        let row = self.row(position)?;
        self.streams
            .get(row.stream.index())
            .map(|s| s.id.partition(partitions))
    }

    /// The events of `stream` from stream version `from_version` (inclusive, 1-based) onward.
    pub fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
    ) -> impl Iterator<Item = RecordedEvent<'_>> + '_ {
        self.stream_positions_from(stream, from_version)
            .iter()
            .filter_map(move |&p| self.get(u64::from(p)))
    }

    /// Global positions of `stream`'s events from stream version `from_version` (inclusive) onward.
    fn stream_positions_from(&self, stream: &StreamId, from_version: u64) -> &[u32] {
        let positions = self.stream_positions(stream);
        let skip = usize::try_from(from_version.saturating_sub(1)).unwrap_or(usize::MAX);
        positions.get(skip..).unwrap_or(&[])
    }

    /// The global position of `stream`'s event at `version` (1-based).
    pub fn position_of(&self, stream: &StreamId, version: u64) -> Option<Position> {
        let index = usize::try_from(version.checked_sub(1)?).ok()?;
        self.stream_entry(stream)?
            .positions
            .get(index)
            .map(|&p| u64::from(p))
    }

    fn hash_id(&self, id: &Uuid) -> u32 {
        let h = self.hasher.hash_one(id);
        (h ^ (h >> 32)) as u32
    }

    /// The position of the event with id `id`, if it is stored.
    pub fn find_event(&self, id: &Uuid) -> Option<Position> {
        let hash = self.hash_id(id);
        self.id_index
            .find(IdSlot::table_hash(hash), |slot| {
                slot.hash == hash
                    && self
                        .row(u64::from(slot.position))
                        .is_some_and(|row| row.event_id == *id)
            })
            .map(|slot| u64::from(slot.position))
    }

    /// Makes room for `additional` more events without growing the indexes on the way (a caller that
    /// knows it is about to append many, like the load generator, saves rehashing a million ids).
    pub fn reserve(&mut self, additional: usize) {
        self.id_index
            .reserve(additional, |slot| IdSlot::table_hash(slot.hash));
    }

    /// Appends `events` to `stream` if its version satisfies `expected`.
    ///
    /// All or nothing: on error nothing is appended. A batch whose ids were all appended before to the
    /// same stream with the same schemas and data is an idempotent retry: it returns the original
    /// positions and appends nothing, whatever `expected` says (the first attempt already passed that
    /// check). Event ids are unique across the whole log.
    pub fn append(
        &mut self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendOutcome, AppendError> {
        self.append_batch(stream, expected, events.as_slice())
    }

    /// [`Self::append`] for a batch read by index, whose data the store copies without taking it
    /// (a repository encodes every command's events into one buffer it keeps).
    pub fn append_batch<B: EventBatch + ?Sized>(
        &mut self,
        stream: &StreamId,
        expected: ExpectedVersion,
        batch: &B,
    ) -> Result<AppendOutcome, AppendError> {
        let count = batch.len();
        for i in 0..count {
            let Some(event) = batch.event(i) else {
                continue;
            };
            if (0..i)
                .filter_map(|j| batch.event(j))
                .any(|e| e.event_id == event.event_id)
            {
                return Err(AppendError::DuplicateIdInBatch {
                    event_id: event.event_id,
                });
            }
            if self.schemas.get(event.schema).is_none() {
                return Err(AppendError::UnknownSchema(event.schema.0));
            }
            if event.data.len() > MAX_EVENT_BYTES {
                return Err(AppendError::TooLarge {
                    bytes: event.data.len(),
                });
            }
        }
        if let Some(outcome) = self.idempotent_retry(stream, batch)? {
            return Ok(outcome);
        }
        let known = self.lookup(stream);
        let actual = known.map(|i| self.streams[i as usize].positions.len() as u64);
        if !expected.is_satisfied_by(actual) {
            return Err(AppendError::WrongExpectedVersion {
                stream: stream.clone(),
                expected,
                actual,
            });
        }
        let current = actual.unwrap_or(0);
        let new_len = self.rows.len() + count;
        let new_version = current + count as u64;
        // Conservatively, as if every event of the batch opened a new chunk of the arena.
        let arena_full = (self.arena.chunks.len() as u64 + count as u64 + 1) * ARENA_CHUNK as u64
            > u64::from(u32::MAX);
        if u32::try_from(new_len).is_err() || u32::try_from(new_version).is_err() || arena_full {
            return Err(AppendError::LogFull);
        }
        if count == 0 {
            let next = self.head() + 1;
            return Ok(AppendOutcome {
                positions: next..=next - 1,
                stream_version: current,
                idempotent: false,
            });
        }
        let stream_index = match known {
            Some(i) => i,
            None => self.insert_stream(stream)?,
        };
        let now_micros = self.clock.now_micros();
        let first = self.head() + 1;
        for offset in 0..count {
            let Some(event) = batch.event(offset) else {
                continue;
            };
            let position = self.rows.len() as u32 + 1;
            let stream_version = current as u32 + offset as u32 + 1;
            let own_correlation = event.correlation_id != event.causation_id;
            if own_correlation {
                self.correlations
                    .insert(position as usize - 1, event.correlation_id);
            }
            let data_offset = self
                .arena
                .next_offset(event.data.len())
                .ok_or(AppendError::LogFull)?;
            self.arena.push(event.data);
            self.rows.push(Row {
                event_id: event.event_id,
                causation_id: event.causation_id,
                occurred_at_micros: event.occurred_at_micros,
                recorded_at_micros: event.recorded_at_micros.unwrap_or(now_micros),
                stream: StreamRef::new(stream_index, own_correlation),
                stream_version,
                data_offset,
                schema: event.schema,
                data_len: event.data.len() as u16,
            });
            self.streams[stream_index as usize].positions.push(position);
            let hash = self.hash_id(&event.event_id);
            self.id_index.insert_unique(
                IdSlot::table_hash(hash),
                IdSlot { position, hash },
                |slot| IdSlot::table_hash(slot.hash),
            );
        }
        Ok(AppendOutcome {
            positions: first..=self.head(),
            stream_version: new_version,
            idempotent: false,
        })
    }

    /// `Some` when every event of the batch is already in `stream` with the same schema and data, in
    /// the same order and contiguous; `None` when none of them is stored; an error for anything in
    /// between.
    fn idempotent_retry<B: EventBatch + ?Sized>(
        &self,
        stream: &StreamId,
        batch: &B,
    ) -> Result<Option<AppendOutcome>, AppendError> {
        let count = batch.len();
        let mut found: Vec<Position> = Vec::new();
        for event in (0..count).filter_map(|i| batch.event(i)) {
            if let Some(position) = self.find_event(&event.event_id) {
                let same = self.get(position).is_some_and(|stored| {
                    stored.stream_id == stream
                        && stored.schema_id == event.schema
                        && stored.data == event.data
                });
                if !same {
                    return Err(AppendError::IdConflict {
                        event_id: event.event_id,
                    });
                }
                found.push(position);
            }
        }
        if found.is_empty() {
            return Ok(None);
        }
        let contiguous_in_stream = found.len() == count
            && found.windows(2).all(|w| {
                let (a, b) = (self.get(w[0]), self.get(w[1]));
                matches!((a, b), (Some(a), Some(b)) if b.stream_version == a.stream_version + 1)
            });
        if !contiguous_in_stream {
            return Err(AppendError::PartialDuplicate);
        }
        let first = found[0];
        let last = found[found.len() - 1];
        Ok(Some(AppendOutcome {
            positions: first..=last,
            stream_version: self.stream_version(stream).unwrap_or(0),
            idempotent: true,
        }))
    }

    fn insert_stream(&mut self, stream: &StreamId) -> Result<u32, AppendError> {
        if self.streams.len() >= StreamRef::MAX_STREAMS {
            return Err(AppendError::LogFull);
        }
        let i = self.streams.len() as u32;
        self.streams.push(StreamEntry {
            id: stream.clone(),
            positions: Vec::new(),
        });
        self.stream_lookup.insert(stream.clone(), i);
        self.last_stream.set(i);
        Ok(i)
    }

    /// The log's first `at` events as a store of their own — a branch of the log at that position —
    /// stamping times from `clock`. It shares the events' rows and data with this store (nothing of
    /// them is copied but a partly taken chunk), and has its own indexes; from then on each store
    /// appends without the other seeing it.
    pub fn fork(&self, at: Position, clock: impl Clock + 'static) -> Self {
        let at = at.min(self.head());
        let len = at as usize;
        let rows = self.rows.prefix(len);
        let mut bytes = 0u64;
        rows.for_each_in(0, len, |row| bytes += u64::from(row.data_len));
        let end = match self.row(at + 1) {
            Some(next) => u64::from(next.data_offset),
            None => {
                let chunks = self.arena.chunks.len() as u64;
                let last = self.arena.chunks.last().map_or(0, |c| c.len() as u64);
                chunks.saturating_sub(1) * ARENA_CHUNK as u64 + last
            }
        };
        let arena = self.arena.prefix(end, bytes);
        // Streams are numbered as they first appear, so those of the prefix come first.
        let kept = self
            .streams
            .partition_point(|s| s.positions.first().is_some_and(|&p| u64::from(p) <= at));
        let streams: Vec<StreamEntry> = self.streams[..kept]
            .iter()
            .map(|s| StreamEntry {
                id: s.id.clone(),
                positions: s.positions[..s.positions.partition_point(|&p| u64::from(p) <= at)]
                    .to_vec(),
            })
            .collect();
        let mut stream_lookup = FastMap::default();
        stream_lookup.reserve(streams.len());
        for (i, s) in streams.iter().enumerate() {
            stream_lookup.insert(s.id.clone(), i as u32);
        }
        let mut id_index = self.id_index.clone();
        id_index.retain(|slot| u64::from(slot.position) <= at);
        let mut correlations = self.correlations.clone();
        correlations.truncate(len);
        Self {
            rows,
            arena,
            schemas: self.schemas.clone(),
            streams,
            stream_lookup,
            last_stream: std::cell::Cell::new(u32::MAX),
            id_index,
            correlations,
            hasher: self.hasher,
            clock: Box::new(clock),
        }
    }

    /// Sizes of the store's own structures.
    pub fn stats(&self) -> StoreStats {
        let row = std::mem::size_of::<Row>() as u64;
        let log = self.rows.capacity() as u64 * row;
        let streams: u64 = self
            .streams
            .iter()
            .map(|s| s.positions.capacity() as u64 * 4 + std::mem::size_of::<StreamEntry>() as u64)
            .sum::<u64>()
            + table_bytes::<(StreamId, u32)>(self.stream_lookup.capacity());
        let ids = table_bytes::<IdSlot>(self.id_index.capacity());
        let correlations = self.correlations.reserved_bytes();
        StoreStats {
            events: self.rows.len() as u64,
            streams: self.streams.len() as u64,
            data_bytes: self.arena.bytes,
            reserved_bytes: log + self.arena.capacity() + streams + ids + correlations,
        }
    }

    /// Bytes the events take as stored: their rows and their data (cheap, unlike [`Self::stats`]).
    pub fn stored_bytes(&self) -> u64 {
        self.rows.len() as u64 * std::mem::size_of::<Row>() as u64 + self.arena.bytes
    }

    /// Size in bytes of one stored row (the envelope; the data lives in the arena).
    pub fn row_size() -> usize {
        std::mem::size_of::<Row>()
    }
}
