//! An aggregate's last command as of a position, as a case of [`crate::kernel::testing`].

use super::code::{list, Code, ToRust};
use super::{file, snake_case, variant_of, Case, GeneratedTest};
use crate::format::group;
use crate::kernel::{Aggregate, EventStore, Position, Repository, StreamId};
use std::fmt::Debug;

/// The most events a stream may hold before the command for its test to be written: a longer
/// *given* is no longer a test anyone reads.
pub const MAX_GIVEN: u64 = 200;

/// An aggregate whose commands can be written as tests.
pub trait Testable:
    Aggregate<Command: ToRust + Debug, Event: ToRust + Clone + PartialEq + Debug, Error: ToRust + Debug>
{
    /// The module the test imports the aggregate from (`playground::domain::bank`).
    const MODULE: &'static str;
    /// The aggregate's type name (`Account`).
    const NAME: &'static str;

    /// The command that produced `events` (one command's events, in order) from `state`, read back
    /// from them; `None` when no command does.
    fn command_of(state: &Self, events: &[Self::Event]) -> Option<Self::Command>;
}

/// One command of one stream, as a test: the events before it, the command, what it produced or
/// why it was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateCase<A: Aggregate> {
    /// The stream.
    pub stream: StreamId,
    /// The timeline position it is taken as of.
    pub position: Position,
    /// The stream's events before the command.
    pub given: Vec<A::Event>,
    /// The command.
    pub when: A::Command,
    /// Its events, or why it was refused.
    pub then: Result<Vec<A::Event>, A::Error>,
}

/// `stream`'s last command as of `position`: the last refused one when nothing was written to the
/// stream after it, else the one that wrote its last events (read back from them). `Err` says why
/// there is none.
pub fn aggregate_case<A: Testable>(
    repo: &Repository<A>,
    store: &EventStore,
    stream: &StreamId,
    position: Position,
) -> Result<AggregateCase<A>, String> {
    let version = store.stream_version_at(stream, position);
    if version > MAX_GIVEN {
        return Err(format!(
            "{stream} holds {} events as of position {}: a test given that many would be too long to read. Copy one of a stream with at most {MAX_GIVEN}, or move the timeline back.",
            group(version),
            group(position)
        ));
    }
    let mut events = Vec::new();
    for event in store.read_stream(stream, 1).take(version as usize) {
        let Some(payload) = event.decode::<A::Event>() else {
            return Err(format!(
                "The event at position {} does not read as one of {stream}'s events.",
                event.position
            ));
        };
        events.push((event.causation_id, event.position, payload));
    }
    let last = events.last().map_or(0, |e| e.1);
    let refused = repo
        .last_refused()
        .filter(|r| &r.stream == stream && r.after >= last && r.after <= position);
    if let Some(refused) = refused {
        return Ok(AggregateCase {
            stream: stream.clone(),
            position,
            given: events.into_iter().map(|e| e.2).collect(),
            when: refused.command.clone(),
            then: Err(refused.error.clone()),
        });
    }
    let Some(&(cause, _, _)) = events.last() else {
        return Err(format!(
            "{stream} has no events as of position {}: move the timeline past one of them.",
            group(position)
        ));
    };
    let split = events
        .iter()
        .rposition(|e| e.0 != cause)
        .map_or(0, |i| i + 1);
    let mut given: Vec<A::Event> = events.into_iter().map(|e| e.2).collect();
    let produced = given.split_off(split);
    let mut state = A::default();
    for event in &given {
        state.apply(event);
    }
    let when = A::command_of(&state, &produced).ok_or_else(|| {
        format!("The command that wrote {stream}'s last events cannot be read back from them.")
    })?;
    Ok(AggregateCase {
        stream: stream.clone(),
        position,
        given,
        when,
        then: Ok(produced),
    })
}

impl<A: Testable> Case for AggregateCase<A> {
    fn passes(&self) -> bool {
        let mut state = A::default();
        for event in &self.given {
            state.apply(event);
        }
        state.handle(&self.when) == self.then
    }

    fn render(&self) -> GeneratedTest {
        let mut code = Code::new();
        code.import(A::MODULE, A::NAME);
        code.import("playground::kernel::testing", "given");
        let given: Vec<String> = self.given.iter().map(|e| code.render(e)).collect();
        let when = code.render(&self.when);
        let variant = variant_of(&when).to_owned();
        let mut body = format!(
            "    given::<{}>({})\n    .when({when})\n",
            A::NAME,
            list(&given, 4, ("[", "]"))
        );
        let refused = match &self.then {
            Ok(events) => {
                let events: Vec<String> = events.iter().map(|e| code.render(e)).collect();
                body.push_str(&format!("    .then({});\n", list(&events, 4, ("[", "]"))));
                false
            }
            Err(error) => {
                body.push_str(&format!("    .then_err({});\n", code.render(error)));
                true
            }
        };
        let summary = format!(
            "{}'s {variant}{} as of position {}",
            self.stream,
            if refused { ", refused," } else { "" },
            self.position
        );
        let name = format!(
            "{}_{}{}",
            snake_case(self.stream.as_str()),
            snake_case(&variant),
            if refused { "_is_refused" } else { "" }
        );
        let header = format!("Copied from the Event Sourcing & CQRS Playground: {summary}.");
        GeneratedTest {
            code: file(&code, &header, &name, &body),
            name,
            summary,
        }
    }
}
