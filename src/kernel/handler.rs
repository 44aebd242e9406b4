//! The command handler: load an aggregate, decide, append with `Exact(loaded version)`; and time travel
//! (`state_at`) from the nearest snapshot.

use super::aggregate::Aggregate;
use super::clock::Clock;
use super::envelope::{NewEvent, Position, StreamId};
use super::expected_version::ExpectedVersion;
use super::ids::IdGenerator;
use super::snapshot::{Snapshot, SnapshotStore};
use super::store::{AppendError, AppendOutcome, EventStore};
use super::FastMap;
use chrono::{DateTime, Utc};
use std::rc::Rc;
use uuid::Uuid;

/// An aggregate's state together with the stream version it reflects.
#[derive(Debug, Clone, PartialEq)]
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

/// Ids that tie a command's events to the intention behind them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandMeta {
    /// The command's own id: the causation id of the events it produces.
    pub command_id: Uuid,
    /// The id shared by everything that stems from the same intention.
    pub correlation_id: Uuid,
    /// Event time for the produced events; `None` = now.
    pub occurred_at: Option<DateTime<Utc>>,
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

/// An event-sourced repository of aggregates of type `A`: the store, the snapshots and a cache of each
/// stream's current state.
pub struct EventSourced<A: Aggregate> {
    store: EventStore<A::Event>,
    snapshots: SnapshotStore<A>,
    current: FastMap<StreamId, Loaded<A>>,
    ids: IdGenerator,
    clock: Rc<dyn Clock>,
}

impl<A: Aggregate> std::fmt::Debug for EventSourced<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSourced")
            .field("store", &self.store)
            .field("snapshots", &self.snapshots.len())
            .finish()
    }
}

impl<A: Aggregate> EventSourced<A> {
    /// An empty repository: snapshots every `snapshot_every` events, ids from `seed`, time from `clock`.
    pub fn new(clock: Rc<dyn Clock>, seed: u64, snapshot_every: u64) -> Self {
        Self {
            store: EventStore::new(Rc::clone(&clock)),
            snapshots: SnapshotStore::new(snapshot_every),
            current: FastMap::default(),
            ids: IdGenerator::seeded(seed),
            clock,
        }
    }

    /// The event store (read-only: all writes go through commands).
    pub fn store(&self) -> &EventStore<A::Event> {
        &self.store
    }

    /// The snapshots taken so far.
    pub fn snapshots(&self) -> &SnapshotStore<A> {
        &self.snapshots
    }

    /// A fresh id from this repository's generator.
    pub fn next_id(&mut self) -> Uuid {
        self.ids.next_uuid()
    }

    /// The stream's current state and version.
    pub fn load(&self, stream: &StreamId) -> Loaded<A> {
        if let Some(loaded) = self.current.get(stream) {
            return loaded.clone();
        }
        match self.state_at(stream, self.store.head()) {
            Some(at) => Loaded {
                state: at.state,
                version: at.version,
            },
            None => Loaded {
                state: A::default(),
                version: 0,
            },
        }
    }

    /// Loads, decides and appends with `Exact(loaded version)`, as a new intention.
    pub fn execute(
        &mut self,
        stream: &StreamId,
        command: &A::Command,
    ) -> Result<AppendOutcome, CommandError<A::Error>> {
        let command_id = self.next_id();
        let meta = CommandMeta {
            command_id,
            correlation_id: command_id,
            occurred_at: None,
        };
        self.execute_with(stream, command, meta)
    }

    /// Like [`Self::execute`] with caller-chosen ids and event time.
    pub fn execute_with(
        &mut self,
        stream: &StreamId,
        command: &A::Command,
        meta: CommandMeta,
    ) -> Result<AppendOutcome, CommandError<A::Error>> {
        let decided = match self.current.get(stream) {
            Some(cached) => (cached.state.handle(command), cached.version),
            None => {
                let loaded = self.load(stream);
                (loaded.state.handle(command), loaded.version)
            }
        };
        let events = decided.0.map_err(CommandError::Rejected)?;
        self.commit(stream, decided.1, meta, events)
    }

    /// Appends events decided against version `loaded_version` of the stream. Fails with
    /// [`CommandError::Concurrency`] if the stream moved on since.
    pub fn commit(
        &mut self,
        stream: &StreamId,
        loaded_version: u64,
        meta: CommandMeta,
        events: Vec<A::Event>,
    ) -> Result<AppendOutcome, CommandError<A::Error>> {
        let occurred_at = meta.occurred_at.unwrap_or_else(|| self.clock.now());
        let new_events: Vec<NewEvent<A::Event>> = events
            .into_iter()
            .map(|payload| NewEvent {
                event_id: self.ids.next_uuid(),
                payload,
                occurred_at,
                correlation_id: meta.correlation_id,
                causation_id: meta.command_id,
            })
            .collect();
        let outcome = self
            .store
            .append(stream, ExpectedVersion::Exact(loaded_version), new_events)
            .map_err(|e| match e {
                AppendError::WrongExpectedVersion { .. } => CommandError::Concurrency(e),
                other => CommandError::Store(other),
            })?;
        self.advance_current(stream, loaded_version);
        Ok(outcome)
    }

    /// Folds the events appended after `from_version` into the cached state and takes due snapshots.
    fn advance_current(&mut self, stream: &StreamId, from_version: u64) {
        let mut loaded = match self.current.remove(stream) {
            Some(cached) if cached.version == from_version => cached,
            _ => self.load(stream),
        };
        for event in self.store.read_stream(stream, loaded.version + 1) {
            loaded.state.apply(event.payload);
            loaded.version = event.stream_version;
            if self.snapshots.is_due(loaded.version) {
                self.snapshots.save(
                    stream,
                    Snapshot {
                        version: loaded.version,
                        position: event.position,
                        state: loaded.state.clone(),
                    },
                );
            }
        }
        self.current.insert(stream.clone(), loaded);
    }

    /// The stream's state as of global `position` (after the first `position` events of the log),
    /// rebuilt from the newest snapshot at or before it plus the events since. `None` if the stream had
    /// no events by then.
    pub fn state_at(&self, stream: &StreamId, position: Position) -> Option<StateAt<A>> {
        let start = self.snapshots.latest_at(stream, position);
        self.rebuild(stream, position, start)
    }

    /// The same as [`Self::state_at`] but always replaying from the stream's first event.
    pub fn replay_at(&self, stream: &StreamId, position: Position) -> Option<StateAt<A>> {
        self.rebuild(stream, position, None)
    }

    /// The stream's state as of global `position` the slowest way: folding the whole log from position 1,
    /// without the stream index or snapshots. The baseline the benchmarks compare `state_at` with.
    pub fn scan_log_at(&self, stream: &StreamId, position: Position) -> Option<A> {
        let mut state = None;
        for event in self
            .store
            .read_all(1)
            .take_while(|e| e.position <= position)
        {
            if event.stream_id == stream {
                state.get_or_insert_with(A::default).apply(event.payload);
            }
        }
        state
    }

    fn rebuild(
        &self,
        stream: &StreamId,
        position: Position,
        start: Option<&Snapshot<A>>,
    ) -> Option<StateAt<A>> {
        let target = self.store.stream_version_at(stream, position);
        if target == 0 {
            return None;
        }
        let (mut state, from) = match start {
            Some(snapshot) => (snapshot.state.clone(), snapshot.version),
            None => (A::default(), 0),
        };
        let replayed = target - from;
        for payload in self
            .store
            .stream_payloads(stream, from + 1)
            .take(usize::try_from(replayed).unwrap_or(usize::MAX))
        {
            state.apply(payload);
        }
        Some(StateAt {
            state,
            version: target,
            snapshot_version: start.map(|s| s.version),
            replayed,
        })
    }
}
