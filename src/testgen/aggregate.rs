//! An aggregate's last command as of a position, as a case of [`crate::kernel::testing`].

use super::code::{Code, ToRust};
use super::{
    call, dyns, file, flat, list, snake_case, stream_as_of, variant_of, Case, GeneratedTest,
};
use crate::format::group;
use crate::kernel::{Aggregate, EventStore, Position, RecordedEvent, Repository, StreamId};
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
    let (events, split) = stream_as_of(store, stream, position)?;
    let decode = |e: &RecordedEvent<'_>| {
        e.decode::<A::Event>().ok_or_else(|| {
            format!(
                "The event at position {} does not read as one of {stream}'s events.",
                group(e.position)
            )
        })
    };
    let mut given = Vec::with_capacity(events.len());
    for event in &events {
        given.push(decode(event)?);
    }
    let last = events.last().map_or(0, |e| e.position);
    let refused = repo
        .last_refused()
        .filter(|r| &r.stream == stream && r.after >= last && r.after <= position);
    if let Some(refused) = refused {
        return Ok(AggregateCase {
            stream: stream.clone(),
            position,
            given,
            when: refused.command,
            then: Err(refused.error),
        });
    }
    if events.is_empty() {
        return Err(format!(
            "{stream} has no events as of position {}: move the timeline past one of them.",
            group(position)
        ));
    }
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
    #[cfg(not(target_arch = "wasm32"))]
    fn passes(&self) -> bool {
        let mut state = A::default();
        for event in &self.given {
            state.apply(event);
        }
        state.handle(&self.when) == self.then
    }

    fn render(&self) -> GeneratedTest {
        let given = dyns(&self.given);
        let events: Vec<&dyn ToRust>;
        let then = match &self.then {
            Ok(produced) => {
                events = dyns(produced);
                Ok(events.as_slice())
            }
            Err(error) => Err(error as &dyn ToRust),
        };
        render_case(
            (A::MODULE, A::NAME),
            (&self.stream, self.position),
            &given,
            &self.when,
            then,
        )
    }
}

/// The test of one command of aggregate `name` (from `module`), written once for every aggregate.
fn render_case(
    (module, name): (&'static str, &'static str),
    (stream, position): (&StreamId, Position),
    given: &[&dyn ToRust],
    when: &dyn ToRust,
    then: Result<&[&dyn ToRust], &dyn ToRust>,
) -> GeneratedTest {
    let mut code = Code::new();
    code.import(module, name);
    code.import("playground::kernel::testing", "given");
    let given = list(&mut code, given);
    let when = code.render(when);
    let variant = variant_of(&flat(&when)).to_owned();
    let mut body = vec![
        call(&format!("given::<{name}>("), given, ")"),
        call(".when(", when, ")"),
    ];
    let refused = match then {
        Ok(events) => {
            body.push(call(".then(", list(&mut code, events), ");"));
            false
        }
        Err(error) => {
            body.push(call(".then_err(", code.render(error), ");"));
            true
        }
    };
    let summary = format!(
        "{stream}'s {variant}{} as of position {position}",
        if refused { ", refused," } else { "" },
    );
    let name = format!(
        "{}_{}{}",
        snake_case(stream.as_str()),
        snake_case(&variant),
        if refused { "_is_refused" } else { "" }
    );
    GeneratedTest {
        code: file(&code, &summary, &name, &body),
        name,
        summary,
    }
}
