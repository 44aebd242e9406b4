//! The fulfilment saga through the playground: orders placed on the panel, the broker ticking,
//! both styles, compensation, timeouts, idempotent and naive handlers.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::StepMark;
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

#[test]
fn a_late_shipment_times_the_saga_out_and_its_answer_is_recorded_and_ignored() {
    for style in ["orchestration", "choreography"] {
        let mut p = playground();
        saga(&mut p, Setting::SagaStyle, style);
        saga(&mut p, Setting::ShippingDelay, "30");
        saga(&mut p, Setting::SagaTimeout, "5");
        let order = place_order(&mut p, "COF-02", "1");
        drain(&mut p);
        assert_eq!(status(&p, &order), SagaStatus::TimedOut, "{style}");
        let detail = p
            .saga_detail()
            .expect("the placed order's saga is selected");
        let marks: Vec<(StepMark, String)> = detail
            .steps
            .iter()
            .map(|l| (l.mark, l.step.clone()))
            .collect();
        for step in ["Release stock", "Void or refund payment", "Cancel order"] {
            assert!(
                marks.contains(&(StepMark::Compensation, step.to_owned())),
                "{style}: no compensation {step:?} in {marks:?}"
            );
        }
        let late = detail.steps.iter().find(|l| l.mark == StepMark::Late);
        assert!(
            late.is_some(),
            "{style}: the late shipment is shown: {marks:?}"
        );
        let order_state = p
            .module::<OrdersModule>()
            .expect("orders")
            .orders()
            .load(p.store(), &order)
            .state;
        assert!(
            order_state
                .cancel_reason
                .is_some_and(|r| r.starts_with("timed out: no shipment scheduled within 5 ticks")),
            "{style}"
        );
    }
}

#[test]
fn handlers_that_are_not_idempotent_charge_twice_and_the_page_names_the_order() {
    let mut p = playground();
    p.dispatch(Action::Saga(SagaAction::Toggle(
        Setting::IdempotentHandlers,
        false,
    )));
    p.dispatch(Action::Stream(StreamAction::Set(
        Setting::DuplicateRate,
        "100".into(),
    )));
    let order = place_order(&mut p, "TEA-01", "1");
    drain(&mut p);
    assert_eq!(p.orders_hit_by_duplicates(), [order.to_string()]);
    // The page names the first few and counts them all.
    assert_eq!(p.duplicate_hits(0), (1, Vec::new()));
    let payment = p
        .module::<playground::domain::payments::PaymentsModule>()
        .expect("payments")
        .payment(p.store(), &order);
    assert!(payment.authorizations >= 2, "{payment:?}");
    // Back on, a new order is charged once however often its events are delivered.
    p.dispatch(Action::Saga(SagaAction::Toggle(
        Setting::IdempotentHandlers,
        true,
    )));
    let second = place_order(&mut p, "TEA-01", "1");
    drain(&mut p);
    assert_eq!(p.orders_hit_by_duplicates(), [order.to_string()]);
    assert_eq!(status(&p, &second), SagaStatus::Completed);
}

#[test]
fn the_process_manager_and_the_graph_follow_the_timeline() {
    let mut p = playground();
    let order = place_order(&mut p, "TEA-01", "1");
    drain(&mut p);
    let index = p.sagas().tracker().index_of(&order).expect("a saga");
    let placed_at = p.sagas().tracker().get(index).expect("saga").placed_at;
    let phase = |p: &Playground| {
        let view = p
            .saga_detail()
            .and_then(|d| d.process)
            .expect("a process manager");
        field(&view, "Phase")
    };
    assert_eq!(phase(&p), "Completed");
    let graph = p.causation_graph();
    assert!(
        graph.nodes.iter().all(|n| !n.greyed),
        "live: nothing greyed"
    );
    // Back to just after the process manager started: it waits for stock, and what came later is
    // greyed in the graph.
    p.dispatch(Action::SeekTimeline(placed_at + 1));
    assert_eq!(phase(&p), "Waiting for stock");
    let graph = p.causation_graph();
    let greyed: Vec<bool> = graph.nodes.iter().map(|n| n.greyed).collect();
    assert!(
        !greyed[0] && !greyed[1],
        "the command and OrderPlaced are in the past"
    );
    assert!(greyed.iter().filter(|&&g| g).count() > 10, "{greyed:?}");
    assert!(
        !graph.nodes.iter().any(|n| n.compensation),
        "no compensation in a completed saga"
    );
}

#[test]
fn a_saga_is_found_by_its_order_and_a_bad_order_id_is_refused() {
    let mut p = playground();
    let first = place_order(&mut p, "TEA-01", "1");
    let _second = place_order(&mut p, "TEA-01", "1");
    p.dispatch(Action::Saga(SagaAction::EditFind(first.to_string())));
    p.dispatch(Action::Saga(SagaAction::Find));
    assert_eq!(p.alert(), None);
    assert_eq!(p.selected_saga(), p.sagas().tracker().index_of(&first));
    let before = p.selected_saga();
    for bad in ["order-99", "<b>order</b>", ""] {
        p.dispatch(Action::Saga(SagaAction::EditFind(bad.to_owned())));
        p.dispatch(Action::Saga(SagaAction::Find));
        assert!(p.alert().is_some(), "{bad:?} is refused");
        assert_eq!(p.selected_saga(), before, "the selection stays");
    }
    assert!(p.alert().is_some_and(|a| a.contains("is not an order id")));
}

#[test]
fn without_the_process_module_an_order_starts_no_saga_and_drains() {
    let registry = playground::domain::Registry::builtin();
    let mut p = Playground::with_registry(
        std::rc::Rc::new(playground::kernel::ManualClock::starting_2026()),
        3,
        &registry,
        100,
    );
    let order = place_order(&mut p, "TEA-01", "1");
    assert!(p.sagas().tracker().is_empty());
    drain(&mut p);
    assert!(
        p.status().is_some_and(|s| s.starts_with("Drained in")),
        "{:?}",
        p.status()
    );
    assert_eq!(order_status(&p, &order), OrderStatus::Placed);
}
