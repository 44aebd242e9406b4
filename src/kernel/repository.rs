//! The command handler for one aggregate type over the shared store: load, decide, append with an
//! expected version; and time travel (`state_at`) from the nearest snapshot.
//!
//! A repository owns no events: every domain's repository writes to and reads from the one
//! [`EventStore`], so all domains share one log, one position numbering and one timeline. It keeps what
//! is its own: the snapshots of its aggregate type and a cache of each stream's current state.

use super::aggregate::Aggregate;
use super::envelope::{EventBatch, PendingEvent, Position, StreamId};
use super::expected_version::ExpectedVersion;
use super::ids::derived_id;
use super::schema::{DomainEvent, SchemaId};
use super::snapshot::{Snapshot, SnapshotStore};
use super::store::{AppendError, AppendOutcome, EventStore};
use super::Keyed;
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::marker::PhantomData;
use uuid::Uuid;

/// An aggregate's state together with the stream version it reflects (by default, a stream with
/// no events: the initial state at version 0).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded<A> {
    /// The state.
    pub state: A,
    /// Number of the stream's events folded into it (0 = stream does not exist).
    pub version: u64,
}

/// The state of a stream as of a global position, and how it was rebuilt.
#[derive(Debug, Clone, PartialEq)]
pub struct StateAt<A> {
    /// The state.
    pub state: A,
    /// The stream version it reflects.
    pub version: u64,
    /// The version of the snapshot the rebuild started from, if any.
    pub snapshot_version: Option<u64>,
    /// How many events were replayed on top of the snapshot (or from the start).
    pub replayed: u64,
}

/// Ids that tie a command's events to the intention behind them, and the event time they get.
///
/// The events a command produces get ids derived from the command's id (the first is
/// `derived_id(command_id, 0)`, and so on across every stream the command writes to), so carrying out
/// the same command again produces the same ids and the store's idempotent append ignores the repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandMeta {
    /// The command's own id: the causation id of the events it produces.
    pub command_id: Uuid,
    /// The id shared by everything that stems from the same intention.
    pub correlation_id: Uuid,
    /// Event time for the produced events; `None` = now.
    pub occurred_at: Option<DateTime<Utc>>,
    produced: u32,
}

impl CommandMeta {
    /// A command that starts a new intention: its correlation id is its own id.
    pub fn new(command_id: Uuid) -> Self {
        Self {
            command_id,
            correlation_id: command_id,
            occurred_at: None,
            produced: 0,
        }
    }

    /// A command that continues the intention `correlation_id`.
    pub fn correlated(command_id: Uuid, correlation_id: Uuid) -> Self {
        Self {
            correlation_id,
            ..Self::new(command_id)
        }
    }

    /// The same command, its events happening at `occurred_at`.
    pub fn at(self, occurred_at: Option<DateTime<Utc>>) -> Self {
        Self {
            occurred_at,
            ..self
        }
    }

    /// The id of the next event this command produces.
    pub fn next_event_id(&mut self) -> Uuid {
        let id = derived_id(self.command_id, self.produced);
        self.produced += 1;
        id
    }
}

/// Why a command produced no events.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError<E: std::error::Error> {
    /// The aggregate refused the command.
    #[error("{0}")]
    Rejected(E),
    /// Another writer appended to the stream between loading and appending; reload and retry.
    #[error("Concurrency conflict: {0}")]
    Concurrency(AppendError),
    /// The store refused the append for another reason.
    #[error("{0}")]
    Store(AppendError),
}

/// One command's events in stored form, their data in one buffer: what a codec hands the store.
/// The codec keeps one and reuses it, so appending allocates nothing once it has grown.
#[derive(Debug, Clone, Default)]
pub struct EncodedBatch {
    heads: Vec<EncodedHead>,
    data: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
struct EncodedHead {
    event_id: Uuid,
    schema: SchemaId,
    /// Where its data ends in the buffer (it starts where the previous one's ends).
    end: usize,
    occurred_at_micros: i64,
    correlation_id: Uuid,
    causation_id: Uuid,
}

impl EventBatch for EncodedBatch {
    fn len(&self) -> usize {
        self.heads.len()
    }

    fn event(&self, i: usize) -> Option<PendingEvent<'_>> {
        let head = self.heads.get(i)?;
        let start = i
            .checked_sub(1)
            .and_then(|p| self.heads.get(p))
            .map_or(0, |p| p.end);
        Some(PendingEvent {
            event_id: head.event_id,
            schema: head.schema,
            data: self.data.get(start..head.end)?,
            occurred_at_micros: head.occurred_at_micros,
            recorded_at_micros: None,
            correlation_id: head.correlation_id,
            causation_id: head.causation_id,
        })
    }
}

/// Turns an event enum's values into the store's stored form, with the schema ids the store gave its
/// types.
pub struct EventCodec<E> {
    schemas: Vec<SchemaId>,
    /// The buffer every append encodes into (taken and put back: never borrowed twice).
    scratch: std::cell::Cell<EncodedBatch>,
    _events: PhantomData<fn() -> E>,
}

impl<E> Clone for EventCodec<E> {
    fn clone(&self) -> Self {
        Self {
            schemas: self.schemas.clone(),
            scratch: std::cell::Cell::default(),
            _events: PhantomData,
        }
    }
}

impl<E> std::fmt::Debug for EventCodec<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventCodec")
            .field("schemas", &self.schemas)
            .finish()
    }
}

impl<E: DomainEvent> EventCodec<E> {
    /// Registers `E`'s types with `store` (idempotent) and keeps their ids.
    pub fn new(store: &mut EventStore) -> Self {
        Self {
            schemas: store.register::<E>(),
            scratch: std::cell::Cell::default(),
            _events: PhantomData,
        }
    }

    /// The schema id of `event`'s type at its latest version.
    pub fn schema_of(&self, event: &E) -> SchemaId {
        self.schemas
            .get(event.type_index())
            .copied()
            .unwrap_or(SchemaId::NONE)
    }

    /// Appends `events` to `stream` under `expected`, as the next events of `meta`'s command.
    pub fn append(
        &self,
        store: &mut EventStore,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: &[E],
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, AppendError> {
        let now = store.now_micros();
        let occurred_at_micros = meta.occurred_at.map_or(now, |t| t.timestamp_micros());
        let mut attempt = *meta;
        let mut batch = self.scratch.take();
        batch.heads.clear();
        batch.data.clear();
        for event in events {
            // Written in the version deployed for its type, which may be older than the code's.
            let latest = self.schema_of(event);
            let schema = store.schemas().writing(latest);
            match store.schemas().get(schema) {
                Some(s) if schema != latest => event.encode_as(s.version(), &mut batch.data),
                _ => event.encode(&mut batch.data),
            }
            batch.heads.push(EncodedHead {
                event_id: attempt.next_event_id(),
                schema,
                end: batch.data.len(),
                occurred_at_micros,
                correlation_id: attempt.correlation_id,
                causation_id: attempt.command_id,
            });
        }
        let outcome = store.append_batch(stream, expected, &batch);
        self.scratch.set(batch);
        let outcome = outcome?;
        // Ids are only used up by an append that happened, so a refused attempt can be retried.
        *meta = attempt;
        Ok(outcome)
    }
}

/// What a command decided against a loaded state: the events, and the version they were decided on.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision<E> {
    /// The stream version the decision saw.
    pub loaded_version: u64,
    /// The events to record.
    pub events: Vec<E>,
}

/// The event-sourced repository of one aggregate type: its codec, snapshots and a cache of each
/// stream's current state, over the shared store.
pub struct Repository<A: Aggregate> {
    codec: EventCodec<A::Event>,
    snapshots: SnapshotStore<A>,
    /// Each stream's current state (found through one map type shared by every aggregate).
    current: Keyed<StreamId, Loaded<A>>,
    /// The last command [`Repository::decide`] saw refused (a cell: deciding only reads).
    refused: RefCell<Option<Refused<A>>>,
}

/// A command the aggregate refused: appended nothing, so only the repository remembers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused<A: Aggregate> {
    /// The stream it was for.
    pub stream: StreamId,
    /// The command.
    pub command: A::Command,
    /// Why it was refused.
    pub error: A::Error,
    /// How many events the log held then: it came after each of them.
    pub after: Position,
}

impl<A: Aggregate> std::fmt::Debug for Repository<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repository")
            .field("cached", &self.current.len())
            .field("snapshots", &self.snapshots.len())
            .finish()
    }
}

/// Folds the events of `stream` from version `from + 1` to `to` into `state`; returns how many were
/// folded. Data that does not decode as `A::Event` is skipped (never the case for events written
/// through a codec).
fn fold<A: Aggregate>(
    store: &EventStore,
    stream: &StreamId,
    state: &mut A,
    from: u64,
    to: u64,
) -> u64 {
    let count = usize::try_from(to.saturating_sub(from)).unwrap_or(usize::MAX);
    let mut folded = 0;
    for event in store.read_stream(stream, from + 1).take(count) {
        if let Some(payload) = event.decode::<A::Event>() {
            state.apply(&payload);
        }
        folded += 1;
    }
    folded
}

/// A stream's current state folded from its first event, without a repository (for reading another
/// aggregate's state, e.g. a customer's status when an order starts).
pub fn load_stream<A: Aggregate>(store: &EventStore, stream: &StreamId) -> Loaded<A> {
    let mut state = A::default();
    let version = store.stream_version(stream).unwrap_or(0);
    fold(store, stream, &mut state, 0, version);
    Loaded { state, version }
}

impl<A: Aggregate> Repository<A> {
    /// A repository over `store` that snapshots every `snapshot_every` events (0 = never); registers
    /// the aggregate's event types.
    pub fn new(store: &mut EventStore, snapshot_every: u64) -> Self {
        Self {
            codec: EventCodec::new(store),
            snapshots: SnapshotStore::for_state_version(snapshot_every, A::STATE_VERSION),
            current: Keyed::default(),
            refused: RefCell::new(None),
        }
    }

    /// The codec of the aggregate's events.
    pub fn codec(&self) -> &EventCodec<A::Event> {
        &self.codec
    }

    /// The snapshots taken so far.
    pub fn snapshots(&self) -> &SnapshotStore<A> {
        &self.snapshots
    }

    /// The stream's current state and version.
    pub fn load(&self, store: &EventStore, stream: &StreamId) -> Loaded<A> {
        let actual = store.stream_version(stream).unwrap_or(0);
        if let Some(cached) = self.current.get(stream) {
            let mut loaded = cached.clone();
            if loaded.version < actual {
                fold(store, stream, &mut loaded.state, loaded.version, actual);
                loaded.version = actual;
            }
            return loaded;
        }
        match self.state_at(store, stream, store.head()) {
            Some(at) => Loaded {
                state: at.state,
                version: at.version,
            },
            None => Loaded::default(),
        }
    }

    /// Applies `read` to the stream's current state: borrowed from the cache when it is up to
    /// date, loaded otherwise (a command's hot path reads a state without copying it).
    pub fn read<R>(&self, store: &EventStore, stream: &StreamId, read: impl FnOnce(&A) -> R) -> R {
        let actual = store.stream_version(stream).unwrap_or(0);
        match self.current.get(stream).filter(|c| c.version == actual) {
            Some(cached) => read(&cached.state),
            None => read(&self.load(store, stream).state),
        }
    }

    /// The last command the aggregate refused (through [`Self::decide`]), if any.
    pub fn last_refused(&self) -> Option<Refused<A>> {
        self.refused.borrow().clone()
    }

    /// Loads the stream and decides `command` against its current state (without copying the
    /// state when the cache is current). A refusal is remembered ([`Self::last_refused`]): it
    /// appends nothing, so the log cannot tell it.
    pub fn decide(
        &self,
        store: &EventStore,
        stream: &StreamId,
        command: &A::Command,
    ) -> Result<Decision<A::Event>, A::Error> {
        let actual = store.stream_version(stream).unwrap_or(0);
        let decided = match self.current.get(stream).filter(|c| c.version == actual) {
            Some(cached) => cached.state.handle(command).map(|events| Decision {
                events,
                loaded_version: actual,
            }),
            None => {
                let loaded = self.load(store, stream);
                loaded.state.handle(command).map(|events| Decision {
                    events,
                    loaded_version: loaded.version,
                })
            }
        };
        if let Err(error) = &decided {
            self.remember_refusal(stream, command, error, store.head());
        }
        decided
    }

    /// Keeps a refused command for [`Self::last_refused`]; out of line, so that deciding (run for
    /// every command) stays small.
    #[cold]
    #[inline(never)]
    fn remember_refusal(
        &self,
        stream: &StreamId,
        command: &A::Command,
        error: &A::Error,
        after: Position,
    ) {
        *self.refused.borrow_mut() = Some(Refused {
            stream: stream.clone(),
            command: command.clone(),
            error: error.clone(),
            after,
        });
    }

    /// Loads, decides and appends with `Exact(loaded version)`.
    pub fn execute(
        &mut self,
        store: &mut EventStore,
        stream: &StreamId,
        command: &A::Command,
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<A::Error>> {
        let decision = self
            .decide(store, stream, command)
            .map_err(CommandError::Rejected)?;
        self.commit(
            store,
            stream,
            ExpectedVersion::Exact(decision.loaded_version),
            &decision.events,
            meta,
        )
    }

    /// Appends `events` under `expected`. Fails with [`CommandError::Concurrency`] if the stream's
    /// version does not satisfy it (someone else wrote since the decision was made).
    pub fn commit(
        &mut self,
        store: &mut EventStore,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: &[A::Event],
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<A::Error>> {
        let outcome = self
            .codec
            .append(store, stream, expected, events, meta)
            .map_err(|e| match e {
                AppendError::WrongExpectedVersion { .. } => CommandError::Concurrency(e),
                other => CommandError::Store(other),
            })?;
        let before = outcome.stream_version - events.len() as u64;
        let fresh = !outcome.idempotent;
        match self.current.get_mut(stream) {
            // The usual case: the cache was current, so the events just written fold straight in,
            // without reading them back.
            Some(cached) if fresh && cached.version == before => {
                Self::fold_written(&mut self.snapshots, stream, cached, events, &outcome);
            }
            // A stream these events started: its state is theirs, folded from the default.
            None if fresh && before == 0 => {
                let mut loaded = Loaded::default();
                Self::fold_written(&mut self.snapshots, stream, &mut loaded, events, &outcome);
                self.current.insert(stream, loaded);
            }
            _ => self.catch_up(store, stream),
        }
        Ok(outcome)
    }

    /// Folds `events`, just appended at `outcome`, into `cached`, taking due snapshots.
    fn fold_written(
        snapshots: &mut SnapshotStore<A>,
        stream: &StreamId,
        cached: &mut Loaded<A>,
        events: &[A::Event],
        outcome: &AppendOutcome,
    ) {
        for (i, event) in events.iter().enumerate() {
            cached.state.apply(event);
            cached.version += 1;
            snapshots.save_if_due(
                stream,
                cached.version,
                outcome.positions.start() + i as u64,
                &cached.state,
            );
        }
    }

    /// Folds the stream's events that the cache has not seen into it, taking due snapshots.
    pub fn catch_up(&mut self, store: &EventStore, stream: &StreamId) {
        if self.current.get(stream).is_none() {
            let start = match self.snapshots.latest_at(stream, store.head()) {
                Some(s) => Loaded {
                    state: s.state.clone(),
                    version: s.version,
                },
                None => Loaded::default(),
            };
            self.current.insert(stream, start);
        }
        let Some(loaded) = self.current.get_mut(stream) else {
            return;
        };
        for event in store.read_stream(stream, loaded.version + 1) {
            if let Some(payload) = event.decode::<A::Event>() {
                loaded.state.apply(&payload);
            }
            loaded.version = event.stream_version;
            self.snapshots
                .save_if_due(stream, loaded.version, event.position, &loaded.state);
        }
    }

    /// The stream's state as of global `position` (after the first `position` events of the log),
    /// rebuilt from the newest snapshot at or before it plus the events since. `None` if the stream had
    /// no events by then.
    pub fn state_at(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<StateAt<A>> {
        let start = self.snapshots.latest_at(stream, position);
        rebuild(store, stream, position, start)
    }

    /// The same as [`Self::state_at`] but always replaying from the stream's first event.
    pub fn replay_at(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<StateAt<A>> {
        rebuild(store, stream, position, None)
    }

    /// The stream's state as of global `position` the slowest way: folding the whole log from position
    /// 1, without the stream index or snapshots. The baseline the benchmarks compare `state_at` with.
    pub fn scan_log_at(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<A> {
        let mut state = None;
        for event in store.read_all(1).take_while(|e| e.position <= position) {
            if event.stream_id == stream {
                let state = state.get_or_insert_with(A::default);
                if let Some(payload) = event.decode::<A::Event>() {
                    state.apply(&payload);
                }
            }
        }
        state
    }
}

fn rebuild<A: Aggregate>(
    store: &EventStore,
    stream: &StreamId,
    position: Position,
    start: Option<&Snapshot<A>>,
) -> Option<StateAt<A>> {
    let target = store.stream_version_at(stream, position);
    if target == 0 {
        return None;
    }
    let (mut state, from) = match start {
        Some(snapshot) => (snapshot.state.clone(), snapshot.version),
        None => (A::default(), 0),
    };
    let replayed = fold(store, stream, &mut state, from, target);
    Some(StateAt {
        state,
        version: target,
        snapshot_version: start.map(|s| s.version),
        replayed,
    })
}
