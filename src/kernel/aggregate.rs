//! Aggregates: a pure decision function and a pure evolution function.

use super::schema::DomainEvent;

/// A consistency boundary rebuilt from its own events.
///
/// `handle` holds all business rules: given the current state and a command, it returns the events to
/// record or the reason the command is refused; it never mutates. `apply` holds none: it folds one
/// stored event into the state and must accept every event `handle` ever produced.
pub trait Aggregate: Clone + Default {
    /// What a user asks the aggregate to do (kept, once refused, for "Copy as test").
    type Command: Clone;
    /// What the aggregate records.
    type Event: DomainEvent;
    /// Why a command is refused, in the user's words.
    type Error: std::error::Error + Clone + PartialEq;

    /// The schema version of the state, recorded with each snapshot: raise it when the state's
    /// shape or meaning changes, and snapshots of the old version are ignored (rebuilt from the
    /// log). Event versions do not count: every state is folded from events upcast to the latest.
    const STATE_VERSION: u16 = 1;

    /// Decide: the events that carrying out `command` produces, or why it is refused.
    fn handle(&self, command: &Self::Command) -> Result<Vec<Self::Event>, Self::Error>;

    /// Evolve: fold one event into the state.
    fn apply(&mut self, event: &Self::Event);
}
