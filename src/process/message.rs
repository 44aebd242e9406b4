//! What sagas react to and what they send: the answers of the services (decoded from the log's
//! events), the steps of the fulfilment process, and the commands that carry them out.

use crate::domain::bank::Money;
use crate::domain::inventory::StockEvent;
use crate::domain::orders::{OrderEvent, Sku};
use crate::domain::payments::PaymentEvent;
use crate::domain::shipping::ShipmentEvent;
use crate::kernel::codec::{Decode, Encode};
use crate::kernel::{RecordedEvent, StreamId};
use std::fmt;

/// A step of the fulfilment process: the five forward steps, then the three that undo them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Hold the order's stock.
    ReserveStock,
    /// Hold the order's amount on the card.
    AuthorizePayment,
    /// Book the carrier.
    ScheduleShipment,
    /// Take the money.
    CapturePayment,
    /// Mark the order completed.
    CompleteOrder,
    /// Tell the order its stock is held.
    MarkReserved,
    /// Tell the order its payment is authorised.
    MarkPaid,
    /// Tell the order its shipment is scheduled.
    MarkShipping,
    /// Give back the stock held (compensation).
    ReleaseStock,
    /// Give up the money held, or refund what was taken (compensation).
    VoidPayment,
    /// Cancel the order with the reason (compensation).
    CancelOrder,
    /// The process manager records its decision in its own stream (not sent to a service).
    Decide,
}

impl Step {
    /// The forward steps, in order.
    pub const FORWARD: [Step; 5] = [
        Step::ReserveStock,
        Step::AuthorizePayment,
        Step::ScheduleShipment,
        Step::CapturePayment,
        Step::CompleteOrder,
    ];

    /// Whether the step undoes an earlier one.
    pub fn is_compensation(self) -> bool {
        matches!(
            self,
            Self::ReleaseStock | Self::VoidPayment | Self::CancelOrder
        )
    }

    fn code(self) -> u8 {
        self as u8
    }

    fn from_code(code: u8) -> Option<Self> {
        [
            Self::ReserveStock,
            Self::AuthorizePayment,
            Self::ScheduleShipment,
            Self::CapturePayment,
            Self::CompleteOrder,
            Self::MarkReserved,
            Self::MarkPaid,
            Self::MarkShipping,
            Self::ReleaseStock,
            Self::VoidPayment,
            Self::CancelOrder,
            Self::Decide,
        ]
        .get(usize::from(code))
        .copied()
    }
}

/// A set of steps, as bits (copied for free, unlike a list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StepSet(u16);

impl StepSet {
    /// The set with `step` too.
    pub fn insert(&mut self, step: Step) {
        self.0 |= 1 << step.code();
    }

    /// Whether `step` is in the set.
    pub fn contains(self, step: Step) -> bool {
        self.0 & (1 << step.code()) != 0
    }

    /// The steps in the set, in step order.
    pub fn iter(self) -> impl Iterator<Item = Step> {
        (0..16u8)
            .filter(move |i| self.0 & (1 << i) != 0)
            .filter_map(Step::from_code)
    }

    /// True when no step is in the set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ReserveStock => "Reserve stock",
            Self::AuthorizePayment => "Authorise payment",
            Self::ScheduleShipment => "Schedule shipment",
            Self::CapturePayment => "Capture payment",
            Self::CompleteOrder => "Complete order",
            Self::MarkReserved => "Mark order reserved",
            Self::MarkPaid => "Mark order paid",
            Self::MarkShipping => "Mark order shipping",
            Self::ReleaseStock => "Release stock",
            Self::VoidPayment => "Void or refund payment",
            Self::CancelOrder => "Cancel order",
            Self::Decide => "Record the decision",
        })
    }
}

impl Encode for Step {
    fn encode(&self, out: &mut Vec<u8>) {
        self.code().encode(out);
    }
}

impl Decode for Step {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Self::from_code(u8::decode(input)?)
    }
}

/// Why an order's saga was cancelled, as the order's `OrderCancelled` says at its start.
pub mod reasons {
    /// A product was short.
    pub const OUT_OF_STOCK: &str = "out of stock";
    /// The issuer declined the payment.
    pub const DECLINED: &str = "payment declined";
    /// No shipment was scheduled in time.
    pub const TIMED_OUT: &str = "timed out";
}

/// What a saga handler reacts to: a service's answer about an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The order was placed with this total.
    OrderPlaced {
        /// Its total.
        total: Money,
    },
    /// Its stock is held.
    StockReserved,
    /// A product was short.
    StockRejected {
        /// The product.
        sku: Sku,
        /// Asked.
        asked: u32,
        /// Left.
        left: u32,
    },
    /// Its stock was given back.
    StockReleased,
    /// Its amount is held.
    PaymentAuthorized,
    /// The issuer declined.
    PaymentDeclined,
    /// The money was taken.
    PaymentCaptured,
    /// The hold was given up.
    PaymentVoided,
    /// The money was given back.
    PaymentRefunded,
    /// The carrier is booked.
    ShipmentScheduled,
    /// The order is marked reserved.
    OrderReserved,
    /// The order is marked paid.
    OrderPaid,
    /// The order is marked shipping.
    OrderShipping,
    /// The order is completed.
    OrderCompleted,
    /// The order was cancelled.
    OrderCancelled {
        /// Why.
        reason: String,
    },
    /// The saga's timer fired: no shipment was scheduled in time.
    TimedOut {
        /// The timeout, in ticks.
        ticks: u32,
    },
}

impl Answer {
    /// The event type the answer comes from (`"Timeout"` for the timer).
    pub fn name(&self) -> &'static str {
        match self {
            Self::OrderPlaced { .. } => "OrderPlaced",
            Self::StockReserved => "StockReserved",
            Self::StockRejected { .. } => "StockReservationRejected",
            Self::StockReleased => "StockReleased",
            Self::PaymentAuthorized => "PaymentAuthorized",
            Self::PaymentDeclined => "PaymentDeclined",
            Self::PaymentCaptured => "PaymentCaptured",
            Self::PaymentVoided => "PaymentVoided",
            Self::PaymentRefunded => "PaymentRefunded",
            Self::ShipmentScheduled => "ShipmentScheduled",
            Self::OrderReserved => "OrderReserved",
            Self::OrderPaid => "OrderPaid",
            Self::OrderShipping => "OrderShipping",
            Self::OrderCompleted => "OrderCompleted",
            Self::OrderCancelled { .. } => "OrderCancelled",
            Self::TimedOut { .. } => "Timeout",
        }
    }
}

/// The answer `event` carries, if it is one a saga reacts to. Which saga it belongs to is its
/// correlation's (see [`super::Tracker::saga_of`]).
pub fn answer_of(event: &RecordedEvent<'_>) -> Option<Answer> {
    if let Some(index) = event.type_index::<OrderEvent>() {
        return Some(match index {
            OrderEvent::PLACED => Answer::OrderPlaced {
                total: match event.decode::<OrderEvent>()? {
                    OrderEvent::OrderPlaced { total } => total,
                    _ => return None,
                },
            },
            OrderEvent::CANCELLED => Answer::OrderCancelled {
                reason: match event.decode::<OrderEvent>()? {
                    OrderEvent::OrderCancelled { reason } => reason,
                    _ => return None,
                },
            },
            OrderEvent::RESERVED => Answer::OrderReserved,
            OrderEvent::PAID => Answer::OrderPaid,
            OrderEvent::SHIPPING => Answer::OrderShipping,
            OrderEvent::COMPLETED => Answer::OrderCompleted,
            // Carts and their lines are not the saga's business: not even decoded.
            _ => return None,
        });
    }
    if let Some(index) = event.type_index::<StockEvent>() {
        return match index {
            0 => Some(Answer::StockReserved),
            1 => match event.decode::<StockEvent>()? {
                StockEvent::StockReservationRejected {
                    sku, asked, left, ..
                } => Some(Answer::StockRejected { sku, asked, left }),
                _ => None,
            },
            2 => Some(Answer::StockReleased),
            _ => None,
        };
    }
    if let Some(index) = event.type_index::<PaymentEvent>() {
        return Some(match index {
            0 => Answer::PaymentAuthorized,
            1 => Answer::PaymentDeclined,
            2 => Answer::PaymentCaptured,
            3 => Answer::PaymentVoided,
            _ => Answer::PaymentRefunded,
        });
    }
    (event.type_index::<ShipmentEvent>() == Some(0)).then_some(Answer::ShipmentScheduled)
}

/// A command a saga handler sends to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaCommand {
    /// The step it carries out.
    pub step: Step,
    /// The order.
    pub order: StreamId,
    /// For authorising: the amount; for cancelling: nothing.
    pub amount: Money,
    /// For cancelling: why.
    pub reason: String,
}

impl SagaCommand {
    /// The command carrying out `step` for `order`.
    pub fn new(step: Step, order: &StreamId) -> Self {
        Self {
            step,
            order: order.clone(),
            amount: Money::from_cents(0),
            reason: String::new(),
        }
    }

    /// The same command for `amount`.
    pub fn amount(self, amount: Money) -> Self {
        Self { amount, ..self }
    }

    /// The same command giving `reason`.
    pub fn reason(self, reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            ..self
        }
    }
}

/// Why an order's saga is undone, as its `OrderCancelled` reason says.
pub fn out_of_stock_reason(sku: &Sku, asked: u32, left: u32) -> String {
    format!(
        "{}: {sku} (asked {asked}, {left} left)",
        reasons::OUT_OF_STOCK
    )
}

/// The reason a timeout gives.
pub fn timed_out_reason(ticks: u32) -> String {
    format!(
        "{}: no shipment scheduled within {ticks} ticks",
        reasons::TIMED_OUT
    )
}
