//! Given / when / then for aggregates: `given(history).when(command).then(events)` or `.then_err(error)`.
//!
//! The harness also checks that every event a command produces applies cleanly to the state, so a test
//! that passes here proves both halves of the aggregate.

use super::aggregate::Aggregate;
use std::fmt::Debug;

/// Starts a scenario from the aggregate state built by `history`.
pub fn given<A: Aggregate>(history: impl IntoIterator<Item = A::Event>) -> Given<A> {
    let mut state = A::default();
    for event in history {
        state.apply(&event);
    }
    Given { state }
}

/// A scenario's starting state.
#[derive(Debug, Clone)]
pub struct Given<A> {
    state: A,
}

impl<A: Aggregate> Given<A> {
    /// Runs `command` against the state.
    pub fn when(self, command: A::Command) -> When<A> {
        let result = self.state.handle(&command);
        When {
            state: self.state,
            result,
        }
    }
}

/// The outcome of a scenario's command, to be checked.
#[derive(Debug)]
pub struct When<A: Aggregate> {
    state: A,
    result: Result<Vec<A::Event>, A::Error>,
}

impl<A: Aggregate> When<A>
where
    A::Event: Debug,
    A::Error: Debug,
{
    /// Asserts the command produced exactly `expected`, and returns the state after applying them.
    #[track_caller]
    pub fn then(self, expected: impl IntoIterator<Item = A::Event>) -> A {
        let expected: Vec<A::Event> = expected.into_iter().collect();
        match self.result {
            Ok(events) => {
                assert_eq!(events, expected, "the command produced other events");
                let mut state = self.state;
                for event in &events {
                    state.apply(event);
                }
                state
            }
            Err(error) => {
                panic!("expected events {expected:?}, but the command was refused: {error}")
            }
        }
    }

    /// Asserts the command was refused with `expected`.
    #[track_caller]
    pub fn then_err(self, expected: A::Error) {
        match self.result {
            Ok(events) => {
                panic!("expected the error {expected:?}, but the command produced {events:?}")
            }
            Err(error) => assert_eq!(
                error, expected,
                "the command was refused for another reason"
            ),
        }
    }
}
