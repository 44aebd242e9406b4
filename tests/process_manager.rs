//! The process manager's decisions, as given / when / then: which commands each answer sends,
//! compensation, timeouts that fire once, and late answers that are recorded and ignored.
#![cfg(not(target_arch = "wasm32"))]

use playground::domain::bank::Money;
use playground::domain::orders::Sku;
use playground::process::testing::given;
use playground::process::{Answer, FulfilmentEvent as Ev, Phase, Step};

fn started() -> Ev {
    Ev::SagaStarted {
        total: Money::from_cents(900),
    }
}

fn confirmed(step: Step, next: &[Step]) -> Ev {
    Ev::StepConfirmed {
        step,
        next: next.to_vec(),
    }
}

fn reserved() -> Ev {
    confirmed(
        Step::ReserveStock,
        &[Step::MarkReserved, Step::AuthorizePayment],
    )
}

fn paid() -> Ev {
    confirmed(
        Step::AuthorizePayment,
        &[Step::MarkPaid, Step::ScheduleShipment],
    )
}

#[test]
fn a_placed_order_starts_the_process_with_reserving_its_stock() {
    let done = given([])
        .when(Answer::OrderPlaced {
            total: Money::from_cents(900),
        })
        .recording([started()])
        .then([Step::ReserveStock]);
    assert_eq!(done.state.phase, Phase::Reserving);
}

#[test]
fn each_answer_sends_the_next_step_and_tells_the_order() {
    let when = given([started()])
        .when(Answer::StockReserved)
        .then([Step::MarkReserved, Step::AuthorizePayment]);
    assert_eq!(
        when.commands[1].amount,
        Money::from_cents(900),
        "the order's total"
    );
    given([started(), reserved()])
        .when(Answer::PaymentAuthorized)
        .then([Step::MarkPaid, Step::ScheduleShipment]);
    given([started(), reserved(), paid()])
        .when(Answer::ShipmentScheduled)
        .then([Step::MarkShipping, Step::CapturePayment]);
    let shipped = confirmed(
        Step::ScheduleShipment,
        &[Step::MarkShipping, Step::CapturePayment],
    );
    given([started(), reserved(), paid(), shipped.clone()])
        .when(Answer::PaymentCaptured)
        .then([Step::CompleteOrder]);
    let captured = confirmed(Step::CapturePayment, &[Step::CompleteOrder]);
    let done = given([started(), reserved(), paid(), shipped, captured])
        .when(Answer::OrderCompleted)
        .recording([Ev::SagaEnded { completed: true }])
        .then([]);
    assert_eq!(done.state.phase, Phase::Completed);
    assert!(done.state.remaining().is_empty());
}

#[test]
fn out_of_stock_cancels_the_order_and_a_decline_also_releases_the_stock() {
    let when = given([started()])
        .when(Answer::StockRejected {
            sku: Sku::new("KET-06").expect("sku"),
            asked: 9,
            left: 8,
        })
        .then([Step::CancelOrder]);
    assert_eq!(
        when.commands[0].reason,
        "out of stock: KET-06 (asked 9, 8 left)"
    );
    let when = given([started(), reserved()])
        .when(Answer::PaymentDeclined)
        .then([Step::ReleaseStock, Step::CancelOrder]);
    assert_eq!(when.commands[1].reason, "payment declined");
    assert_eq!(when.state.phase, Phase::Compensating);
}

#[test]
fn a_timeout_undoes_what_was_sent_and_fires_once() {
    let when = given([started(), reserved(), paid()])
        .when(Answer::TimedOut { ticks: 40 })
        .then([Step::ReleaseStock, Step::VoidPayment, Step::CancelOrder]);
    assert_eq!(
        when.commands[2].reason,
        "timed out: no shipment scheduled within 40 ticks"
    );
    let timed_out = when.recorded[0].clone();
    given([started(), reserved(), paid(), timed_out.clone()])
        .when(Answer::TimedOut { ticks: 40 })
        .recording([])
        .then([]);
    // Only what was sent is undone: before the payment was asked for, nothing is voided.
    given([started()])
        .when(Answer::TimedOut { ticks: 40 })
        .then([Step::ReleaseStock, Step::CancelOrder]);
    // Once the shipment is scheduled, the timer changes nothing.
    let shipped = confirmed(
        Step::ScheduleShipment,
        &[Step::MarkShipping, Step::CapturePayment],
    );
    given([started(), reserved(), paid(), shipped])
        .when(Answer::TimedOut { ticks: 40 })
        .recording([])
        .then([]);
}

#[test]
fn an_answer_after_the_timeout_is_recorded_and_ignored() {
    let timed_out = Ev::SagaTimedOut {
        ticks: 40,
        undo: vec![Step::ReleaseStock, Step::VoidPayment, Step::CancelOrder],
    };
    let when = given([started(), reserved(), paid(), timed_out])
        .when(Answer::ShipmentScheduled)
        .recording([Ev::LateAnswerIgnored {
            answer: "ShipmentScheduled".into(),
        }])
        .then([]);
    assert_eq!(when.state.late_answers, 1);
}

#[test]
fn a_customer_cancelling_mid_saga_undoes_what_was_done() {
    given([started(), reserved()])
        .when(Answer::OrderCancelled {
            reason: "cancelled by the customer".into(),
        })
        .recording([
            Ev::CompensationStarted {
                reason: "cancelled by the customer".into(),
                undo: vec![Step::ReleaseStock, Step::VoidPayment],
            },
            Ev::SagaEnded { completed: false },
        ])
        .then([Step::ReleaseStock, Step::VoidPayment]);
}

#[test]
fn a_repeated_answer_confirms_again_when_nothing_recognises_it() {
    // Without idempotent handlers the runtime hands a duplicate to the process manager, which
    // reacts as to the first: it asks for the payment a second time.
    given([started(), reserved()])
        .when(Answer::StockReserved)
        .then([Step::MarkReserved, Step::AuthorizePayment]);
}
