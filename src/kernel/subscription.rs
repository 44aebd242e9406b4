//! Catch-up subscriptions: a cursor over the global log that a consumer polls.
//!
//! A consumer (the broker's outbox relay, an online projection) remembers the next position it wants and
//! asks for events from there. The store keeps no per-subscriber state, so any number of subscriptions
//! can read the same log at their own pace, and one can start from any position (replay).

use super::envelope::{Position, RecordedEvent};
use super::store::EventStore;

/// A cursor into the global log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subscription {
    next: Position,
}

impl Default for Subscription {
    fn default() -> Self {
        Self::from_start()
    }
}

impl Subscription {
    /// A subscription that will deliver every event, starting at position 1.
    pub fn from_start() -> Self {
        Self { next: 1 }
    }

    /// A subscription whose next delivered event is at `position`.
    pub fn from_position(position: Position) -> Self {
        Self {
            next: position.max(1),
        }
    }

    /// The position of the next event this subscription will deliver.
    pub fn next_position(&self) -> Position {
        self.next
    }

    /// How many appended events this subscription has not yet delivered.
    pub fn lag(&self, store: &EventStore) -> u64 {
        (store.head() + 1).saturating_sub(self.next)
    }

    /// Delivers up to `max` events after the last delivered one and advances past them.
    pub fn poll<'a>(&mut self, store: &'a EventStore, max: usize) -> Vec<RecordedEvent<'a>> {
        let batch: Vec<_> = store.read_all(self.next).take(max).collect();
        self.next += batch.len() as u64;
        batch
    }
}
