//! Snapshots: an aggregate's state saved every N events of its stream, kept apart from the log.
//!
//! A snapshot is only a cache: deleting every snapshot changes no result, only how many events a rebuild
//! replays.

use super::envelope::{Position, StreamId};
use super::Keyed;

/// How often a stream is snapshotted unless configured otherwise.
pub const DEFAULT_SNAPSHOT_EVERY: u64 = 100;

/// An aggregate's state after the event at `version` of its stream (global `position`).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot<S> {
    /// The stream version the state includes.
    pub version: u64,
    /// The global position of that event.
    pub position: Position,
    /// The state.
    pub state: S,
}

/// Snapshots of every stream, each stream's in increasing version order.
#[derive(Debug, Clone)]
pub struct SnapshotStore<S> {
    every: u64,
    /// Each stream's list (found through one map type shared by every aggregate).
    by_stream: Keyed<StreamId, Vec<Snapshot<S>>>,
}

impl<S> SnapshotStore<S> {
    /// A store that takes a snapshot every `every` events of a stream; `0` never snapshots.
    pub fn new(every: u64) -> Self {
        Self {
            every,
            by_stream: Keyed::default(),
        }
    }

    /// The configured interval (`0` = snapshots off).
    pub fn every(&self) -> u64 {
        self.every
    }

    /// Whether the state at stream `version` is due a snapshot.
    pub fn is_due(&self, version: u64) -> bool {
        self.every != 0 && version != 0 && version.is_multiple_of(self.every)
    }

    /// Keeps `snapshot` for `stream`. Snapshots must arrive in increasing version order.
    pub fn save(&mut self, stream: &StreamId, snapshot: Snapshot<S>) {
        let at = self.by_stream.find_or_insert_with(stream, Vec::new);
        let Some(list) = self.by_stream.at_mut(at) else {
            return;
        };
        if list
            .last()
            .is_none_or(|last| last.version < snapshot.version)
        {
            list.push(snapshot);
        }
    }

    /// Keeps a copy of `state` for `stream` when its stream `version` (reached at global `position`)
    /// is due a snapshot.
    pub fn save_if_due(&mut self, stream: &StreamId, version: u64, position: Position, state: &S)
    where
        S: Clone,
    {
        if self.is_due(version) {
            self.save(
                stream,
                Snapshot {
                    version,
                    position,
                    state: state.clone(),
                },
            );
        }
    }

    /// The newest snapshot of `stream` taken at or before global `position`.
    pub fn latest_at(&self, stream: &StreamId, position: Position) -> Option<&Snapshot<S>> {
        let list = self.by_stream.get(stream)?;
        let count = list.partition_point(|s| s.position <= position);
        count.checked_sub(1).map(|i| &list[i])
    }

    /// Number of snapshots held across all streams.
    pub fn len(&self) -> usize {
        self.by_stream.values().map(Vec::len).sum()
    }

    /// True when no snapshot is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<S> Default for SnapshotStore<S> {
    fn default() -> Self {
        Self::new(DEFAULT_SNAPSHOT_EVERY)
    }
}
