//! The process manager's last decision as of a position, as a case of
//! [`crate::process::testing`]: the decisions before it, the answer it reacted to, the steps it
//! sent and what it recorded.

use super::code::Code;
use super::{call, dyns, file, list, snake_case, stream_as_of, Case, GeneratedTest};
use crate::domain::inventory::warehouse;
use crate::format::group;
use crate::kernel::{EventStore, Position, StreamId};
use crate::process::{
    answer_of, fulfilment_of, Answer, FulfilmentEvent, Handler, SagaStreams, SagaStyle, Sagas, Step,
};
use uuid::Uuid;

/// One decision of one saga's process manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessCase {
    /// The process manager's stream (`fulfilment-order-1`).
    pub stream: StreamId,
    /// The timeline position it is taken as of.
    pub position: Position,
    /// What it had recorded before.
    pub given: Vec<FulfilmentEvent>,
    /// The answer it reacted to.
    pub when: Answer,
    /// The steps the decision sent.
    pub steps: Vec<Step>,
    /// What it recorded.
    pub recording: Vec<FulfilmentEvent>,
}

/// Saga `saga`'s last decision as of `position`; the answer is the event that caused it or the
/// saga's timer. `Err` says why there is none.
pub fn process_case(
    sagas: &Sagas,
    store: &EventStore,
    saga: u32,
    position: Position,
) -> Result<ProcessCase, String> {
    let instance = sagas.tracker().get(saga).ok_or("There is no such saga.")?;
    let order = &instance.order;
    if instance.style == SagaStyle::Choreography {
        return Err(format!(
            "{order}'s saga is choreographed: no process manager decides it, each service reacts on its own. Copy a test of a service's aggregate in Event store, or place an order with Saga style orchestration."
        ));
    }
    let stream = fulfilment_of(order);
    let (events, split) = stream_as_of(store, &stream, position)?;
    let Some(cause) = events.last().map(|e| e.causation_id) else {
        return Err(format!(
            "{order}'s process manager decided nothing as of position {}: move the timeline past one of its decisions.",
            group(position)
        ));
    };
    let mut given = Vec::with_capacity(events.len());
    for event in &events {
        given.push(event.decode::<FulfilmentEvent>().ok_or_else(|| {
            format!(
                "The event at position {} does not read as one of {stream}'s decisions.",
                group(event.position)
            )
        })?);
    }
    let recording = given.split_off(split);
    let when = answer_to(sagas, store, (saga, order), cause, &recording)
        .ok_or_else(|| format!("The answer {stream}'s last decision reacted to is not known."))?;
    let steps = recording.iter().flat_map(|d| d.sends()).copied().collect();
    Ok(ProcessCase {
        stream,
        position,
        given,
        when,
        steps,
        recording,
    })
}

/// The answer the decision `decision` (a command id) of saga `saga` reacted to: the event the
/// sagas' journal names as its cause, or the saga's timer. A page restored from storage has no
/// journal; there a decision's id is derived from its answer's (idempotent handlers), so the
/// answer is found among the saga's streams by its id.
fn answer_to(
    sagas: &Sagas,
    store: &EventStore,
    (saga, order): (u32, &StreamId),
    decision: Uuid,
    recording: &[FulfilmentEvent],
) -> Option<Answer> {
    let timer = || {
        recording.iter().find_map(|d| match d {
            FulfilmentEvent::SagaTimedOut { ticks, .. } => Some(Answer::TimedOut { ticks: *ticks }),
            _ => None,
        })
    };
    if let Some(sent) = sagas
        .commands_of(saga)
        .into_iter()
        .find(|c| c.id == decision && c.step == Step::Decide)
    {
        return match sent.cause {
            0 => timer(),
            at => store.get(at).and_then(|e| answer_of(&e)),
        };
    }
    let streams = SagaStreams::of(order);
    timer().or_else(|| {
        [
            &streams.order,
            &streams.payment,
            &streams.shipment,
            &warehouse(),
        ]
        .into_iter()
        .find_map(|stream| {
            store
                .read_stream(stream, 1)
                .find(|e| Handler::Orchestrator.first_command_id(e.event_id) == decision)
                .and_then(|e| answer_of(&e))
        })
    })
}

impl Case for ProcessCase {
    #[cfg(not(target_arch = "wasm32"))]
    fn passes(&self) -> bool {
        let done = crate::process::testing::given(self.given.clone()).when(self.when.clone());
        let sent: Vec<Step> = done.commands.iter().map(|c| c.step).collect();
        done.recorded == self.recording && sent == self.steps
    }

    fn render(&self) -> GeneratedTest {
        let mut code = Code::new();
        code.import("playground::process::testing", "given");
        let given = list(&mut code, &dyns(&self.given));
        let when = code.render(&self.when);
        let steps = list(&mut code, &dyns(&self.steps));
        let recording = list(&mut code, &dyns(&self.recording));
        let body = [
            call("given(", given, ")"),
            call(".when(", when, ")"),
            call(".then(", steps, ")"),
            call(".recording(", recording, ");"),
        ];
        let answer = self.when.name();
        let summary = format!(
            "{}'s answer to {answer} as of position {}",
            self.stream, self.position
        );
        let name = format!(
            "{}_answers_{}",
            snake_case(self.stream.as_str()),
            snake_case(answer)
        );
        GeneratedTest {
            code: file(&code, &summary, &name, &body),
            name,
            summary,
        }
    }
}
