//! The fulfilment saga through the playground: orders placed on the panel, the broker ticking,
//! both styles, compensation, timeouts, idempotent and naive handlers.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{Action, Playground, SagaAction, Setting, StreamAction};
use playground::domain::orders::{controls, OrderStatus, OrdersModule};
use playground::kernel::StreamId;
use playground::process::{SagaStatus, Step};

fn place_order(p: &mut Playground, sku: &str, quantity: &str) -> StreamId {
    if p.sagas().tracker().is_empty() && p.head() == 0 {
        register(p, "Grace Hopper", "grace@example.com");
    }
    orders_press(p, controls::START);
    add_item(p, sku, quantity);
    orders_press(p, controls::PLACE);
    assert_eq!(p.alert(), None);
    p.module::<OrdersModule>()
        .and_then(|m| m.selected().cloned())
        .expect("an order is selected")
}

fn saga(p: &mut Playground, setting: Setting, value: &str) {
    p.dispatch(Action::Saga(SagaAction::Set(setting, value.to_owned())));
    assert_eq!(p.alert(), None);
}

fn drain(p: &mut Playground) {
    p.dispatch(Action::Stream(StreamAction::Drain));
}

fn order_status(p: &Playground, order: &StreamId) -> OrderStatus {
    p.module::<OrdersModule>()
        .expect("orders")
        .orders()
        .load(p.store(), order)
        .state
        .status
}

fn status(p: &Playground, order: &StreamId) -> SagaStatus {
    p.sagas().status_of(order).expect("a saga")
}

#[test]
fn an_orchestrated_order_is_reserved_paid_shipped_captured_and_completed() {
    let mut p = playground();
    let order = place_order(&mut p, "TEA-01", "2");
    assert_eq!(status(&p, &order), SagaStatus::Running);
    drain(&mut p);
    assert_eq!(status(&p, &order), SagaStatus::Completed);
    assert_eq!(order_status(&p, &order), OrderStatus::Completed);
    // The sagas wrote during the drain's last ticks; the batch has still seen all of it.
    assert_eq!(
        p.streaming().convergence(p.store()),
        playground::app::Convergence::Converged
    );
    let steps: Vec<Step> = p
        .sagas()
        .journal()
        .iter()
        .map(|c| c.step)
        .filter(|&s| s != Step::Decide)
        .collect();
    assert_eq!(
        steps,
        [
            Step::ReserveStock,
            Step::MarkReserved,
            Step::AuthorizePayment,
            Step::MarkPaid,
            Step::ScheduleShipment,
            Step::MarkShipping,
            Step::CapturePayment,
            Step::CompleteOrder,
        ]
    );
}

#[test]
fn a_choreographed_order_completes_too() {
    let mut p = playground();
    let first = place_order(&mut p, "TEA-01", "1");
    drain(&mut p);
    assert_eq!(p.saga_groups(), ["fulfilment-orchestrator — 0 in flight"]);
    saga(&mut p, Setting::SagaStyle, "choreography");
    let order = place_order(&mut p, "TEA-01", "1");
    drain(&mut p);
    assert_eq!(status(&p, &first), SagaStatus::Completed);
    assert_eq!(status(&p, &order), SagaStatus::Completed);
    assert_eq!(order_status(&p, &order), OrderStatus::Completed);
    // Each service of the choreography is a consumer group of its own.
    assert_eq!(
        p.saga_groups(),
        [
            "fulfilment-orchestrator — 0 in flight",
            "inventory-service — 0 in flight",
            "payments-service — 0 in flight",
            "shipping-service — 0 in flight",
            "orders-service — 0 in flight",
        ]
    );
}

#[test]
fn a_declined_payment_releases_the_stock_and_cancels_the_order() {
    for style in ["orchestration", "choreography"] {
        let mut p = playground();
        saga(&mut p, Setting::SagaStyle, style);
        saga(&mut p, Setting::DeclineRate, "100");
        let order = place_order(&mut p, "KET-06", "2");
        drain(&mut p);
        assert_eq!(status(&p, &order), SagaStatus::Compensated, "{style}");
        assert_eq!(order_status(&p, &order), OrderStatus::Cancelled);
        let compensations: Vec<Step> = p
            .sagas()
            .journal()
            .iter()
            .map(|c| c.step)
            .filter(|s| s.is_compensation())
            .collect();
        assert!(
            compensations.contains(&Step::ReleaseStock),
            "{style}: {compensations:?}"
        );
        assert!(
            compensations.contains(&Step::CancelOrder),
            "{style}: {compensations:?}"
        );
    }
}
