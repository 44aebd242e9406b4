//! A harness for the process manager: `given(decisions).when(answer).then(steps)` — what it
//! records and which commands it sends, checked the way the runtime derives them.

use super::fulfilment::{commands_for, Fulfilment, FulfilmentEvent, Input};
use super::message::{Answer, SagaCommand, Step};
use crate::kernel::{Aggregate, StreamId};

/// A process manager that has recorded `history` (for `order-1`).
pub fn given(history: impl IntoIterator<Item = FulfilmentEvent>) -> Given {
    let mut state = Fulfilment::default();
    for event in history {
        state.apply(&event);
    }
    Given { state }
}

/// A process manager's state before the answer.
#[derive(Debug, Clone)]
pub struct Given {
    state: Fulfilment,
}

impl Given {
    /// The answer arrives.
    pub fn when(self, answer: Answer) -> When {
        let Ok(recorded) = self.state.handle(&Input { answer }) else {
            unreachable!("the process manager refuses nothing")
        };
        let mut state = self.state;
        for event in &recorded {
            state.apply(event);
        }
        let order = StreamId::new("order-1");
        let commands = recorded
            .iter()
            .flat_map(|d| commands_for(&order, &state, d))
            .collect();
        When {
            state,
            recorded,
            commands,
        }
    }
}

/// What the process manager did with the answer.
#[derive(Debug, Clone)]
pub struct When {
    /// Its state afterwards.
    pub state: Fulfilment,
    /// What it recorded.
    pub recorded: Vec<FulfilmentEvent>,
    /// The commands it sent.
    pub commands: Vec<SagaCommand>,
}

impl When {
    /// It sent exactly the commands for `steps`, in order; returns what happened for more checks.
    #[track_caller]
    pub fn then(self, steps: impl IntoIterator<Item = Step>) -> Self {
        let expected: Vec<Step> = steps.into_iter().collect();
        let sent: Vec<Step> = self.commands.iter().map(|c| c.step).collect();
        assert_eq!(sent, expected, "the process manager sent other commands");
        self
    }

    /// It recorded exactly `events`.
    #[track_caller]
    pub fn recording(self, events: impl IntoIterator<Item = FulfilmentEvent>) -> Self {
        let expected: Vec<FulfilmentEvent> = events.into_iter().collect();
        assert_eq!(
            self.recorded, expected,
            "the process manager recorded other decisions"
        );
        self
    }
}
