//! The append-only, in-memory event store.
//!
//! Events are kept in one global log (fixed-size chunks, so growing never copies the whole log) plus a
//! per-stream index of global positions and an index from event id to position. Once appended an event
//! never changes: the store hands out shared references only.
//!
//! Not here: persistence, deletion, and any notion of time beyond the injected [`Clock`].

use super::clock::Clock;
use super::envelope::{DomainEvent, Envelope, NewEvent, Position, StreamId};
use super::expected_version::ExpectedVersion;
use super::FastMap;
use chrono::{DateTime, Utc};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;
use std::ops::RangeInclusive;
use uuid::Uuid;

const CHUNK_BITS: u32 = 12;
const CHUNK_LEN: usize = 1 << CHUNK_BITS;

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
    /// The log is full (more than 4,294,967,295 events, or 2,147,483,648 streams).
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
    /// Bytes reserved by the log, the stream index and the id index (payload heap data not included).
    pub reserved_bytes: u64,
}

/// One stored event. Kept small because there may be millions: the correlation id is not stored when it
/// equals the causation id (every event of a command that starts a new intention), only flagged in
/// `stream`; the few others live in [`EventStore::correlations`].
#[derive(Debug, Clone)]
struct Row<E> {
    event_id: Uuid,
    causation_id: Uuid,
    occurred_at_micros: i64,
    recorded_at_micros: i64,
    stream: StreamRef,
    stream_version: u32,
    payload: E,
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

/// An append-only event store with expected-version concurrency and idempotent appends.
pub struct EventStore<E> {
    chunks: Vec<Vec<Row<E>>>,
    len: usize,
    streams: Vec<StreamEntry>,
    stream_lookup: FastMap<StreamId, u32>,
    id_index: HashTable<u32>,
    /// Correlation ids that differ from their event's causation id, by position.
    correlations: FastMap<u32, Uuid>,
    hasher: DefaultHashBuilder,
    clock: Box<dyn Clock>,
}

impl<E> std::fmt::Debug for EventStore<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStore")
            .field("events", &self.len)
            .field("streams", &self.streams.len())
            .finish()
    }
}

fn to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

impl<E: DomainEvent> EventStore<E> {
    /// An empty store that stamps recorded-at times from `clock`.
    pub fn new(clock: impl Clock + 'static) -> Self {
        Self {
            chunks: Vec::new(),
            len: 0,
            streams: Vec::new(),
            stream_lookup: FastMap::default(),
            id_index: HashTable::new(),
            correlations: FastMap::default(),
            hasher: DefaultHashBuilder::default(),
            clock: Box::new(clock),
        }
    }

    /// Number of events in the log; also the position of the newest event (0 when empty).
    pub fn head(&self) -> Position {
        self.len as Position
    }

    /// True when nothing has been appended.
    pub fn is_empty(&self) -> bool {
        self.len == 0
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

    /// Every stream name, in order of first append.
    pub fn stream_ids(&self) -> impl Iterator<Item = &StreamId> {
        self.streams.iter().map(|s| &s.id)
    }

    fn stream_entry(&self, stream: &StreamId) -> Option<&StreamEntry> {
        self.stream_lookup
            .get(stream)
            .map(|&i| &self.streams[i as usize])
    }

    fn row(&self, position: Position) -> Option<&Row<E>> {
        let index = usize::try_from(position.checked_sub(1)?).ok()?;
        if index >= self.len {
            return None;
        }
        self.chunks
            .get(index >> CHUNK_BITS)?
            .get(index & (CHUNK_LEN - 1))
    }

    fn envelope<'a>(&'a self, position: Position, row: &'a Row<E>) -> Envelope<'a, E> {
        Envelope {
            event_id: row.event_id,
            stream_id: &self.streams[row.stream.index()].id,
            stream_version: u64::from(row.stream_version),
            position,
            payload: &row.payload,
            occurred_at_micros: row.occurred_at_micros,
            recorded_at_micros: row.recorded_at_micros,
            correlation_id: if row.stream.has_own_correlation() {
                self.correlations
                    .get(&(position as u32))
                    .copied()
                    .unwrap_or(row.causation_id)
            } else {
                row.causation_id
            },
            causation_id: row.causation_id,
        }
    }

    /// The event at global `position`, if any.
    pub fn get(&self, position: Position) -> Option<Envelope<'_, E>> {
        let row = self.row(position)?;
        Some(self.envelope(position, row))
    }

    /// The events of the whole log from `from` (inclusive, 1-based) to the head, in order.
    pub fn read_all(&self, from: Position) -> impl Iterator<Item = Envelope<'_, E>> + '_ {
        let start = from.max(1);
        (start..=self.head()).filter_map(move |p| self.get(p))
    }

    /// The events of `stream` from stream version `from_version` (inclusive, 1-based) onward.
    pub fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
    ) -> impl Iterator<Item = Envelope<'_, E>> + '_ {
        self.stream_positions_from(stream, from_version)
            .iter()
            .filter_map(move |&p| self.get(u64::from(p)))
    }

    /// Global positions of `stream`'s events from stream version `from_version` (inclusive) onward.
    fn stream_positions_from(&self, stream: &StreamId, from_version: u64) -> &[u32] {
        let positions = self
            .stream_entry(stream)
            .map(|s| s.positions.as_slice())
            .unwrap_or(&[]);
        let skip = usize::try_from(from_version.saturating_sub(1)).unwrap_or(usize::MAX);
        positions.get(skip..).unwrap_or(&[])
    }

    /// The payloads of `stream` from stream version `from_version` (inclusive) onward: the fast path for
    /// rebuilding an aggregate, which needs nothing of the envelope.
    pub fn stream_payloads(
        &self,
        stream: &StreamId,
        from_version: u64,
    ) -> impl Iterator<Item = &E> + '_ {
        self.stream_positions_from(stream, from_version)
            .iter()
            .filter_map(move |&p| self.row(u64::from(p)).map(|row| &row.payload))
    }

    /// The global position of `stream`'s event at `version` (1-based).
    pub fn position_of(&self, stream: &StreamId, version: u64) -> Option<Position> {
        let index = usize::try_from(version.checked_sub(1)?).ok()?;
        self.stream_entry(stream)?
            .positions
            .get(index)
            .map(|&p| u64::from(p))
    }

    fn hash_id(&self, id: &Uuid) -> u64 {
        self.hasher.hash_one(id)
    }

    fn find_id(&self, id: &Uuid) -> Option<Position> {
        let hash = self.hash_id(id);
        self.id_index
            .find(hash, |&p| {
                self.row(u64::from(p))
                    .is_some_and(|row| row.event_id == *id)
            })
            .map(|&p| u64::from(p))
    }

    /// Appends `events` to `stream` if its version satisfies `expected`.
    ///
    /// All or nothing: on error nothing is appended. A batch whose ids were all appended before to the
    /// same stream with the same payloads is an idempotent retry: it returns the original positions and
    /// appends nothing, whatever `expected` says (the first attempt already passed that check).
    pub fn append(
        &mut self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent<E>>,
    ) -> Result<AppendOutcome, AppendError> {
        for (i, event) in events.iter().enumerate() {
            if events[..i].iter().any(|e| e.event_id == event.event_id) {
                return Err(AppendError::DuplicateIdInBatch {
                    event_id: event.event_id,
                });
            }
        }
        if let Some(outcome) = self.idempotent_retry(stream, &events)? {
            return Ok(outcome);
        }
        let actual = self.stream_version(stream);
        if !expected.is_satisfied_by(actual) {
            return Err(AppendError::WrongExpectedVersion {
                stream: stream.clone(),
                expected,
                actual,
            });
        }
        let current = actual.unwrap_or(0);
        let new_len = self.len + events.len();
        let new_version = current + events.len() as u64;
        if u32::try_from(new_len).is_err() || u32::try_from(new_version).is_err() {
            return Err(AppendError::LogFull);
        }
        if events.is_empty() {
            let next = self.head() + 1;
            return Ok(AppendOutcome {
                positions: next..=next - 1,
                stream_version: current,
                idempotent: false,
            });
        }
        let stream_index = self.stream_index_or_insert(stream)?;
        let recorded_at_micros = to_micros(self.clock.now());
        let first = self.head() + 1;
        for (offset, event) in events.into_iter().enumerate() {
            let position = self.len as u32 + 1;
            let stream_version = current as u32 + offset as u32 + 1;
            let own_correlation = event.correlation_id != event.causation_id;
            if own_correlation {
                self.correlations.insert(position, event.correlation_id);
            }
            self.push_row(Row {
                event_id: event.event_id,
                causation_id: event.causation_id,
                occurred_at_micros: to_micros(event.occurred_at),
                recorded_at_micros,
                stream: StreamRef::new(stream_index, own_correlation),
                stream_version,
                payload: event.payload,
            });
            self.streams[stream_index as usize].positions.push(position);
            let hash = self.hash_id(&event.event_id);
            let (chunks, hasher) = (&self.chunks, &self.hasher);
            self.id_index.insert_unique(hash, position, |&p| {
                let i = p as usize - 1;
                hasher.hash_one(chunks[i >> CHUNK_BITS][i & (CHUNK_LEN - 1)].event_id)
            });
        }
        Ok(AppendOutcome {
            positions: first..=self.head(),
            stream_version: new_version,
            idempotent: false,
        })
    }

    /// `Some` when every event of the batch is already in `stream` with the same payload, in the same
    /// order and contiguous; `None` when none of them is stored; an error for anything in between.
    fn idempotent_retry(
        &self,
        stream: &StreamId,
        events: &[NewEvent<E>],
    ) -> Result<Option<AppendOutcome>, AppendError> {
        let mut found: Vec<Position> = Vec::new();
        for event in events {
            if let Some(position) = self.find_id(&event.event_id) {
                let same = self.get(position).is_some_and(|stored| {
                    stored.stream_id == stream && *stored.payload == event.payload
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
        let contiguous_in_stream = found.len() == events.len()
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

    fn stream_index_or_insert(&mut self, stream: &StreamId) -> Result<u32, AppendError> {
        if let Some(&i) = self.stream_lookup.get(stream) {
            return Ok(i);
        }
        if self.streams.len() >= StreamRef::MAX_STREAMS {
            return Err(AppendError::LogFull);
        }
        let i = self.streams.len() as u32;
        self.streams.push(StreamEntry {
            id: stream.clone(),
            positions: Vec::new(),
        });
        self.stream_lookup.insert(stream.clone(), i);
        Ok(i)
    }

    fn push_row(&mut self, row: Row<E>) {
        let chunk = self.len >> CHUNK_BITS;
        if chunk == self.chunks.len() {
            self.chunks.push(Vec::with_capacity(CHUNK_LEN));
        }
        self.chunks[chunk].push(row);
        self.len += 1;
    }

    /// Sizes of the store's own structures.
    pub fn stats(&self) -> StoreStats {
        let row = std::mem::size_of::<Row<E>>() as u64;
        let log: u64 = self.chunks.iter().map(|c| c.capacity() as u64 * row).sum();
        let streams: u64 = self
            .streams
            .iter()
            .map(|s| s.positions.capacity() as u64 * 4 + std::mem::size_of::<StreamEntry>() as u64)
            .sum();
        // hashbrown keeps one control byte per bucket beside each u32 slot; capacity is 7/8 of the
        // buckets.
        let ids = (self.id_index.capacity() as u64 * 8).div_ceil(7) * 5;
        let correlations = (self.correlations.capacity() as u64 * 8).div_ceil(7)
            * (1 + std::mem::size_of::<(u32, Uuid)>() as u64);
        StoreStats {
            events: self.len as u64,
            streams: self.streams.len() as u64,
            reserved_bytes: log + streams + ids + correlations,
        }
    }

    /// Size in bytes of one stored row (envelope + payload, without payload heap data).
    pub fn row_size() -> usize {
        std::mem::size_of::<Row<E>>()
    }
}
