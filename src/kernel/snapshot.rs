//! Snapshots: an aggregate's state saved every N events of its stream, kept apart from the log.
//!
//! A snapshot is only a cache: deleting every snapshot changes no result, only how many events a rebuild
//! replays. That is why a snapshot records the schema version of the state it holds
//! ([`Aggregate::STATE_VERSION`](super::Aggregate::STATE_VERSION)), and one of another version is
//! ignored, never upcast: the events it summed are all still in the log, and replaying them through
//! the event upcasters rebuilds the state the code of today expects. An upcaster for states would be
//! a second chain to write and test for every change, for no result the log cannot give.

use super::envelope::{Position, StreamId};
use super::Keyed;

/// How often a stream is snapshotted unless configured otherwise.
pub const DEFAULT_SNAPSHOT_EVERY: u64 = 100;

/// An aggregate's state after the event at `version` of its stream (global `position`).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot<S> {
    /// The stream version the state includes.
    pub version: u64,
    /// The schema version of the state (the aggregate's `STATE_VERSION` when it was taken).
    pub state_version: u16,
    /// The global position of that event.
    pub position: Position,
    /// The state.
    pub state: S,
}

/// Snapshots of every stream, each stream's in increasing version order.
#[derive(Debug, Clone)]
pub struct SnapshotStore<S> {
    every: u64,
    /// The state schema version of today's code: snapshots of any other are ignored.
    state_version: u16,
    /// Each stream's list (found through one map type shared by every aggregate).
    by_stream: Keyed<StreamId, Vec<Snapshot<S>>>,
}

impl<S> SnapshotStore<S> {
    /// A store that takes a snapshot every `every` events of a stream; `0` never snapshots.
    pub fn new(every: u64) -> Self {
        Self::for_state_version(every, 1)
    }

    /// A store for states of schema `state_version`: snapshots of another version it holds are
    /// ignored (the state is rebuilt from the log instead).
    pub fn for_state_version(every: u64, state_version: u16) -> Self {
        Self {
            every,
            state_version,
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
                    state_version: self.state_version,
                    position,
                    state: state.clone(),
                },
            );
        }
    }

    /// The newest snapshot of `stream` taken at or before global `position` of the state version
    /// today's code reads (older ones are skipped).
    pub fn latest_at(&self, stream: &StreamId, position: Position) -> Option<&Snapshot<S>> {
        let list = self.by_stream.get(stream)?;
        let count = list.partition_point(|s| s.position <= position);
        list[..count]
            .iter()
            .rev()
            .find(|s| s.state_version == self.state_version)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(version: u64, state_version: u16, state: i64) -> Snapshot<i64> {
        Snapshot {
            version,
            state_version,
            position: version,
            state,
        }
    }

    #[test]
    fn given_snapshots_of_an_older_state_version_when_read_then_they_are_ignored() {
        let stream = StreamId::new("account-1");
        let mut store = SnapshotStore::for_state_version(2, 2);
        store.save(&stream, snapshot(2, 2, 20));
        store.save(&stream, snapshot(4, 1, 40));
        assert_eq!(store.latest_at(&stream, 5).map(|s| s.state), Some(20));
        let mut old = SnapshotStore::for_state_version(2, 3);
        old.save(&stream, snapshot(2, 2, 20));
        assert_eq!(old.latest_at(&stream, 5), None, "rebuilt from the log");
    }

    #[test]
    fn a_snapshot_taken_records_the_state_version_of_the_code() {
        let stream = StreamId::new("account-1");
        let mut store = SnapshotStore::for_state_version(2, 7);
        store.save_if_due(&stream, 2, 9, &5);
        assert_eq!(
            store.latest_at(&stream, 9).map(|s| s.state_version),
            Some(7)
        );
    }
}
