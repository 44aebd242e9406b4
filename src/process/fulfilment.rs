//! The orchestrator: a process manager per order, event-sourced in its own stream
//! (`fulfilment-order-1`). It reacts to each answer with a decision it records, and every decision
//! names the steps it sends next, so a re-delivered answer can send exactly the same commands again.

use super::message::{
    out_of_stock_reason, reasons, timed_out_reason, Answer, SagaCommand, Step, StepSet,
};
use crate::domain::bank::Money;
use crate::kernel::{
    field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Kind, StreamId,
};
use std::fmt;

/// The process manager's stream for `order`: `fulfilment-order-1`.
pub fn fulfilment_of(order: &StreamId) -> StreamId {
    StreamId::new(format!("fulfilment-{order}"))
}

/// Where the process is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// No answer yet.
    #[default]
    NotStarted,
    /// Waiting for the stock.
    Reserving,
    /// Waiting for the payment.
    Paying,
    /// Waiting for the carrier.
    AwaitingShipment,
    /// Waiting for the capture.
    Capturing,
    /// Waiting for the order to be completed.
    Completing,
    /// Undoing what was done.
    Compensating,
    /// Done: the order is completed.
    Completed,
    /// Done: the order is cancelled and what was done undone.
    Compensated,
}

impl Phase {
    fn ended(self) -> bool {
        matches!(self, Self::Completed | Self::Compensated)
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotStarted => "Not started",
            Self::Reserving => "Waiting for stock",
            Self::Paying => "Waiting for payment",
            Self::AwaitingShipment => "Waiting for the carrier",
            Self::Capturing => "Waiting for the capture",
            Self::Completing => "Completing the order",
            Self::Compensating => "Compensating",
            Self::Completed => "Completed",
            Self::Compensated => "Compensated",
        })
    }
}

/// What the process manager records: its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FulfilmentEvent {
    /// The order was placed: the process starts by reserving its stock.
    SagaStarted {
        /// The order's total.
        total: Money,
    },
    /// A service confirmed a step; `next` are the steps sent on.
    StepConfirmed {
        /// The step confirmed.
        step: Step,
        /// The steps sent next.
        next: Vec<Step>,
    },
    /// A step failed (or the customer cancelled): `undo` are the compensating steps sent.
    CompensationStarted {
        /// Why, as the order's cancellation will say.
        reason: String,
        /// The compensating steps sent.
        undo: Vec<Step>,
    },
    /// No shipment was scheduled in time: `undo` are the compensating steps sent.
    SagaTimedOut {
        /// The timeout, in ticks.
        ticks: u32,
        /// The compensating steps sent.
        undo: Vec<Step>,
    },
    /// The order reached its end.
    SagaEnded {
        /// Completed (or else cancelled).
        completed: bool,
    },
    /// An answer came after the process had moved past it (after a timeout, or after the end):
    /// recorded, and nothing sent.
    LateAnswerIgnored {
        /// The answer's event type.
        answer: String,
    },
}

impl DomainEvent for FulfilmentEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("SagaStarted", &[field("total", Kind::Money)]),
        EventType::v1(
            "StepConfirmed",
            &[
                field("step", Kind::Byte),
                field("next", Kind::List(&Kind::Byte)),
            ],
        ),
        EventType::v1(
            "CompensationStarted",
            &[
                field("reason", Kind::Text),
                field("undo", Kind::List(&Kind::Byte)),
            ],
        ),
        EventType::v1(
            "SagaTimedOut",
            &[
                field("ticks", Kind::Unsigned),
                field("undo", Kind::List(&Kind::Byte)),
            ],
        ),
        EventType::v1("SagaEnded", &[field("completed", Kind::Bool)]),
        EventType::v1("LateAnswerIgnored", &[field("answer", Kind::Text)]),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::SagaStarted { .. } => 0,
            Self::StepConfirmed { .. } => 1,
            Self::CompensationStarted { .. } => 2,
            Self::SagaTimedOut { .. } => 3,
            Self::SagaEnded { .. } => 4,
            Self::LateAnswerIgnored { .. } => 5,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::SagaStarted { total } => put(out, total),
            Self::StepConfirmed { step, next } => put(out, &(step, next)),
            Self::CompensationStarted { reason, undo } => put(out, &(reason, undo)),
            Self::SagaTimedOut { ticks, undo } => put(out, &(ticks, undo)),
            Self::SagaEnded { completed } => put(out, completed),
            Self::LateAnswerIgnored { answer } => put(out, answer),
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        Ok(match index {
            0 => Self::SagaStarted {
                total: get(data, name, version)?,
            },
            1 => {
                let (step, next) = get(data, name, version)?;
                Self::StepConfirmed { step, next }
            }
            2 => {
                let (reason, undo) = get(data, name, version)?;
                Self::CompensationStarted { reason, undo }
            }
            3 => {
                let (ticks, undo) = get(data, name, version)?;
                Self::SagaTimedOut { ticks, undo }
            }
            4 => Self::SagaEnded {
                completed: get(data, name, version)?,
            },
            _ => Self::LateAnswerIgnored {
                answer: get(data, name, version)?,
            },
        })
    }
}

fn steps(list: &[Step]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for FulfilmentEvent {
    /// The payload in a few words, as the event log shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SagaStarted { total } => write!(f, "total {total}; next: Reserve stock"),
            Self::StepConfirmed { step, next } => write!(f, "{step} done; next: {}", steps(next)),
            Self::CompensationStarted { reason, undo } => {
                write!(f, "{reason}; undo: {}", steps(undo))
            }
            Self::SagaTimedOut { ticks, undo } => {
                write!(f, "no shipment within {ticks} ticks; undo: {}", steps(undo))
            }
            Self::SagaEnded { completed: true } => f.write_str("order completed"),
            Self::SagaEnded { completed: false } => f.write_str("order cancelled"),
            Self::LateAnswerIgnored { answer } => write!(f, "{answer} came too late: ignored"),
        }
    }
}

impl FulfilmentEvent {
    /// The steps this decision sends.
    pub fn sends(&self) -> &[Step] {
        match self {
            Self::SagaStarted { .. } => &[Step::ReserveStock],
            Self::StepConfirmed { next, .. } => next,
            Self::CompensationStarted { undo, .. } | Self::SagaTimedOut { undo, .. } => undo,
            Self::SagaEnded { .. } | Self::LateAnswerIgnored { .. } => &[],
        }
    }
}

/// The process manager never refuses an answer: what it cannot use it records as late or ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the process manager refuses nothing")]
pub struct NeverRefused;

/// An answer as the process manager gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The answer.
    pub answer: Answer,
}

/// The process manager's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fulfilment {
    /// Where it is.
    pub phase: Phase,
    /// The order's total.
    pub total: Money,
    /// The steps confirmed.
    pub confirmed: StepSet,
    /// The steps sent (forward and compensating).
    pub sent: StepSet,
    /// Why it is being undone.
    pub reason: Option<String>,
    /// The timer fired before a shipment was scheduled.
    pub timed_out: bool,
    /// Answers that came too late and were ignored.
    pub late_answers: u32,
}

impl Fulfilment {
    /// The compensating steps that undo what was sent so far, ending with cancelling the order.
    fn undo(&self, cancel: bool) -> Vec<Step> {
        let mut undo = Vec::new();
        if self.sent.contains(Step::ReserveStock) {
            undo.push(Step::ReleaseStock);
        }
        if self.sent.contains(Step::AuthorizePayment) {
            undo.push(Step::VoidPayment);
        }
        if cancel {
            undo.push(Step::CancelOrder);
        }
        undo
    }

    fn moving_on(&self) -> bool {
        !self.phase.ended() && self.phase != Phase::Compensating
    }

    fn late(answer: &Answer) -> Vec<FulfilmentEvent> {
        vec![FulfilmentEvent::LateAnswerIgnored {
            answer: answer.name().to_owned(),
        }]
    }

    fn confirm(&self, answer: &Answer, step: Step, next: Vec<Step>) -> Vec<FulfilmentEvent> {
        if self.moving_on() {
            vec![FulfilmentEvent::StepConfirmed { step, next }]
        } else {
            Self::late(answer)
        }
    }

    fn compensate(&self, answer: &Answer, reason: String, undo: Vec<Step>) -> Vec<FulfilmentEvent> {
        if self.moving_on() {
            vec![FulfilmentEvent::CompensationStarted { reason, undo }]
        } else {
            Self::late(answer)
        }
    }

    /// The remaining forward steps (none once it is being undone or has ended).
    pub fn remaining(&self) -> Vec<Step> {
        if !self.moving_on() {
            return Vec::new();
        }
        Step::FORWARD
            .into_iter()
            .filter(|&s| !self.confirmed.contains(s))
            .collect()
    }
}

impl Aggregate for Fulfilment {
    type Command = Input;
    type Event = FulfilmentEvent;
    type Error = NeverRefused;

    fn handle(&self, input: &Input) -> Result<Vec<FulfilmentEvent>, NeverRefused> {
        let answer = &input.answer;
        // A handler that is not idempotent reacts to every delivery as if it were the first: a
        // repeated answer confirms its step again and sends the next steps again.
        Ok(match answer {
            Answer::OrderPlaced { total } => {
                if self.moving_on() {
                    vec![FulfilmentEvent::SagaStarted { total: *total }]
                } else {
                    Self::late(answer)
                }
            }
            Answer::StockReserved => self.confirm(
                answer,
                Step::ReserveStock,
                vec![Step::MarkReserved, Step::AuthorizePayment],
            ),
            Answer::PaymentAuthorized => self.confirm(
                answer,
                Step::AuthorizePayment,
                vec![Step::MarkPaid, Step::ScheduleShipment],
            ),
            Answer::ShipmentScheduled => self.confirm(
                answer,
                Step::ScheduleShipment,
                vec![Step::MarkShipping, Step::CapturePayment],
            ),
            Answer::PaymentCaptured => {
                self.confirm(answer, Step::CapturePayment, vec![Step::CompleteOrder])
            }
            Answer::StockRejected { sku, asked, left } => self.compensate(
                answer,
                out_of_stock_reason(sku, *asked, *left),
                vec![Step::CancelOrder],
            ),
            Answer::PaymentDeclined => self.compensate(
                answer,
                reasons::DECLINED.to_owned(),
                vec![Step::ReleaseStock, Step::CancelOrder],
            ),
            Answer::TimedOut { ticks } => {
                // Fires once, and only while no shipment is scheduled.
                let before_shipment = matches!(
                    self.phase,
                    Phase::NotStarted | Phase::Reserving | Phase::Paying | Phase::AwaitingShipment
                );
                if before_shipment && !self.timed_out {
                    vec![FulfilmentEvent::SagaTimedOut {
                        ticks: *ticks,
                        undo: self.undo(true),
                    }]
                } else {
                    Vec::new()
                }
            }
            Answer::OrderCompleted if !self.phase.ended() => {
                vec![FulfilmentEvent::SagaEnded { completed: true }]
            }
            Answer::OrderCancelled { reason } if !self.phase.ended() => {
                if self.moving_on() {
                    // Cancelled from outside the saga (the customer): undo what was done, and the
                    // order is already cancelled.
                    vec![
                        FulfilmentEvent::CompensationStarted {
                            reason: reason.clone(),
                            undo: self.undo(false),
                        },
                        FulfilmentEvent::SagaEnded { completed: false },
                    ]
                } else {
                    vec![FulfilmentEvent::SagaEnded { completed: false }]
                }
            }
            _ => Vec::new(),
        })
    }

    fn apply(&mut self, event: &FulfilmentEvent) {
        for &step in event.sends() {
            self.sent.insert(step);
        }
        match event {
            FulfilmentEvent::SagaStarted { total } => {
                self.total = *total;
                if self.phase == Phase::NotStarted {
                    self.phase = Phase::Reserving;
                }
            }
            FulfilmentEvent::StepConfirmed { step, .. } => {
                self.confirmed.insert(*step);
                let phase = match step {
                    Step::ReserveStock => Phase::Paying,
                    Step::AuthorizePayment => Phase::AwaitingShipment,
                    Step::ScheduleShipment => Phase::Capturing,
                    _ => Phase::Completing,
                };
                self.phase = phase;
            }
            FulfilmentEvent::CompensationStarted { reason, .. } => {
                self.phase = Phase::Compensating;
                self.reason = Some(reason.clone());
            }
            FulfilmentEvent::SagaTimedOut { ticks, .. } => {
                self.phase = Phase::Compensating;
                self.timed_out = true;
                self.reason = Some(timed_out_reason(*ticks));
            }
            FulfilmentEvent::SagaEnded { completed } => {
                self.phase = if *completed {
                    Phase::Completed
                } else {
                    Phase::Compensated
                };
            }
            FulfilmentEvent::LateAnswerIgnored { .. } => self.late_answers += 1,
        }
    }
}

/// The commands a recorded decision sends, for `order` whose process is in `state` (after the
/// decision).
pub fn commands_for(
    order: &StreamId,
    state: &Fulfilment,
    decision: &FulfilmentEvent,
) -> Vec<SagaCommand> {
    let reason = match decision {
        FulfilmentEvent::CompensationStarted { reason, .. } => reason.clone(),
        FulfilmentEvent::SagaTimedOut { ticks, .. } => timed_out_reason(*ticks),
        _ => String::new(),
    };
    decision
        .sends()
        .iter()
        .map(|&step| {
            let command = SagaCommand::new(step, order);
            match step {
                Step::AuthorizePayment => command.amount(state.total),
                Step::CancelOrder => command.reason(reason.clone()),
                _ => command,
            }
        })
        .collect()
}
