//! Choreography: no coordinator. Each service reacts to the others' events on its own — inventory
//! to `OrderPlaced`, payments to `StockReserved`, shipping to `PaymentAuthorized`, orders to
//! `ShipmentScheduled` — and each to the failure events for its own compensation. The flow is
//! written down nowhere but in these reactions.

use super::message::{Answer, Step};
use super::runtime::Handler;

/// The steps `handler` takes when it receives `answer`.
pub fn reactions(handler: Handler, answer: &Answer) -> Vec<Step> {
    use Answer as A;
    match (handler, answer) {
        (Handler::Inventory, A::OrderPlaced { .. }) => vec![Step::ReserveStock],
        (Handler::Inventory, A::PaymentDeclined | A::OrderCancelled { .. }) => {
            vec![Step::ReleaseStock]
        }
        (Handler::Payments, A::StockReserved) => vec![Step::AuthorizePayment],
        (Handler::Payments, A::OrderShipping) => vec![Step::CapturePayment],
        (Handler::Payments, A::OrderCancelled { .. }) => vec![Step::VoidPayment],
        (Handler::Shipping, A::PaymentAuthorized) => vec![Step::ScheduleShipment],
        (Handler::Orders, A::StockReserved) => vec![Step::MarkReserved],
        (Handler::Orders, A::PaymentAuthorized) => vec![Step::MarkPaid],
        (Handler::Orders, A::ShipmentScheduled) => vec![Step::MarkShipping],
        (Handler::Orders, A::PaymentCaptured) => vec![Step::CompleteOrder],
        (Handler::Orders, A::StockRejected { .. } | A::PaymentDeclined | A::TimedOut { .. }) => {
            vec![Step::CancelOrder]
        }
        _ => Vec::new(),
    }
}
