//! The orders' rules, as given / when / then scenarios, every rejected input, and the whole flow
//! through the panel.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::domain::bank::Money;
use playground::domain::customers::CustomerStatus;
use playground::domain::orders::{
    controls, find_product, product, Order, OrderCommand as Cmd, OrderError, OrderEvent as Ev,
    OrderStatus, Quantity, Sku, CATALOGUE,
};
use playground::kernel::testing::given;
use playground::kernel::{DomainEvent, StreamId};

fn customer() -> StreamId {
    StreamId::new("customer-1")
}

fn started() -> Ev {
    Ev::CartStarted {
        customer: customer(),
    }
}

fn tea(n: u8) -> Cmd {
    Cmd::AddItem {
        product: product("TEA-01").expect("tea"),
        quantity: Quantity::new(n).expect("1-99"),
    }
}

fn tea_added(n: u8) -> Ev {
    Ev::ItemAdded {
        sku: Sku::new("TEA-01").expect("sku"),
        quantity: Quantity::new(n).expect("1-99"),
        unit_price: Money::from_cents(450),
        line_total: Money::from_cents(450 * i64::from(n)),
    }
}

fn start(status: CustomerStatus) -> Cmd {
    Cmd::StartCart {
        customer: customer(),
        customer_status: status,
    }
}

#[test]
fn a_cart_starts_only_for_an_active_customer_and_only_once() {
    let state = given::<Order>([])
        .when(start(CustomerStatus::Active))
        .then([started()]);
    assert_eq!(state.status, OrderStatus::Cart);
    given::<Order>([])
        .when(start(CustomerStatus::Deactivated))
        .then_err(OrderError::CustomerDeactivated("customer-1".into()));
    given::<Order>([])
        .when(start(CustomerStatus::NotRegistered))
        .then_err(OrderError::UnknownCustomer("customer-1".into()));
    given::<Order>([started()])
        .when(start(CustomerStatus::Active))
        .then_err(OrderError::AlreadyStarted);
}

#[test]
fn items_add_up_per_product_at_their_price_and_can_be_removed() {
    let state = given::<Order>([started(), tea_added(2)])
        .when(tea(3))
        .then([tea_added(3)]);
    assert_eq!(state.lines.len(), 1);
    assert_eq!(state.items(), 5);
    assert_eq!(state.total(), Money::from_cents(2_250));
    let tea_sku = Sku::new("TEA-01").expect("sku");
    let state = given::<Order>([started(), tea_added(2)])
        .when(Cmd::RemoveItem { sku: tea_sku })
        .then([Ev::ItemRemoved { sku: tea_sku }]);
    assert!(state.lines.is_empty());
    given::<Order>([started()])
        .when(Cmd::RemoveItem { sku: tea_sku })
        .then_err(OrderError::NotInCart("TEA-01".into()));
    given::<Order>([started(), tea_added(99)])
        .when(tea(1))
        .then_err(OrderError::TooMany {
            sku: "TEA-01".into(),
            total: 100,
        });
}

#[test]
fn placing_records_the_total_and_an_empty_cart_cannot_be_placed() {
    let state = given::<Order>([started(), tea_added(2)])
        .when(Cmd::PlaceOrder)
        .then([Ev::OrderPlaced {
            total: Money::from_cents(900),
        }]);
    assert_eq!(state.status, OrderStatus::Placed);
    given::<Order>([started()])
        .when(Cmd::PlaceOrder)
        .then_err(OrderError::EmptyCart);
    given::<Order>([])
        .when(Cmd::PlaceOrder)
        .then_err(OrderError::NotStarted);
}

#[test]
fn a_placed_or_cancelled_order_cannot_change_and_is_cancelled_once() {
    let placed = [
        started(),
        tea_added(1),
        Ev::OrderPlaced {
            total: Money::from_cents(450),
        },
    ];
    for command in [
        tea(1),
        Cmd::RemoveItem {
            sku: Sku::new("TEA-01").expect("sku"),
        },
        Cmd::PlaceOrder,
    ] {
        given::<Order>(placed.clone())
            .when(command)
            .then_err(OrderError::AlreadyPlaced);
    }
    let cancelled = Ev::OrderCancelled {
        reason: "cancelled by the customer".into(),
    };
    let state = given::<Order>(placed.clone())
        .when(Cmd::CancelOrder {
            reason: "cancelled by the customer".into(),
        })
        .then([cancelled.clone()]);
    assert_eq!(state.status, OrderStatus::Cancelled);
    given::<Order>([started()])
        .when(Cmd::CancelOrder {
            reason: "changed my mind".into(),
        })
        .then([Ev::OrderCancelled {
            reason: "changed my mind".into(),
        }]);
    let mut twice = placed.to_vec();
    twice.push(cancelled);
    given::<Order>(twice.clone())
        .when(Cmd::CancelOrder {
            reason: "again".into(),
        })
        .then_err(OrderError::AlreadyCancelled);
    for command in [tea(1), Cmd::PlaceOrder] {
        given::<Order>(twice.clone())
            .when(command)
            .then_err(OrderError::Cancelled);
    }
    given::<Order>([])
        .when(Cmd::CancelOrder { reason: "x".into() })
        .then_err(OrderError::NotStarted);
}

#[test]
fn quantities_products_and_stored_forms() {
    assert_eq!(Quantity::parse(" 7 ").map(Quantity::get), Ok(7));
    for bad in ["0", "100", "-1", "1.5", "two", ""] {
        let error = Quantity::parse(bad).expect_err(bad);
        assert!(
            error.contains("Quantity must be a whole number from 1 to 99"),
            "{error}"
        );
    }
    assert!(find_product("NOPE-1").is_err_and(|e| e.contains("choose one of TEA-01")));
    assert_eq!(CATALOGUE.len(), 6);
    assert!(Sku::new("TOO-LONG-A-CODE").is_err());
    assert!(Sku::new("bad code").is_err());
    for event in [
        started(),
        tea_added(3),
        Ev::ItemRemoved {
            sku: Sku::new("MUG-03").expect("sku"),
        },
        Ev::OrderPlaced {
            total: Money::from_cents(1),
        },
        Ev::OrderCancelled { reason: "r".into() },
    ] {
        let mut data = Vec::new();
        event.encode(&mut data);
        let latest = Ev::TYPES[event.type_index()].latest();
        assert_eq!(Ev::decode(event.type_index(), latest, &data), Ok(event));
    }
}

#[test]
fn through_the_panel_a_customer_orders_and_the_rules_hold() {
    let mut p = playground();
    orders_press(&mut p, controls::START);
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Choose a customer first")));
    register(&mut p, "Ada Lovelace", "ada@example.com");
    orders_press(&mut p, controls::START);
    assert_eq!(p.alert(), None);
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Started cart order-1 for customer-1")));
    orders_press(&mut p, controls::PLACE);
    assert_eq!(
        p.alert(),
        Some("The cart is empty; add an item before placing the order.")
    );
    add_item(&mut p, "TEA-01", "2");
    add_item(&mut p, "KET-06", "1");
    add_item(&mut p, "MUG-03", "0");
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Quantity must be a whole number from 1 to 99")));
    orders_edit(&mut p, controls::PRODUCT, "NOPE");
    assert!(p.alert().is_some_and(|a| a.contains("no product “NOPE”")));
    orders_press(&mut p, controls::PLACE);
    assert_eq!(p.alert(), None);
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Placed order-1: total 48.99")));
    let form = form_of(&mut p, "orders");
    assert_eq!(options(&form, "Order"), ["order-1 · Placed · 3 items"]);
    let state = p.state_view().expect("order state");
    assert_eq!(state.region, "Order state");
    assert_eq!(field(&state, "Total"), "48.99");
    assert_eq!(state.table.as_ref().map(|t| t.rows.len()), Some(2));
    add_item(&mut p, "TEA-01", "1");
    assert_eq!(
        p.alert(),
        Some("This order has been placed; a placed order cannot change.")
    );
    orders_press(&mut p, controls::CANCEL);
    orders_press(&mut p, controls::CANCEL);
    assert_eq!(
        p.alert(),
        Some("This order is already cancelled; an order is cancelled only once.")
    );
    // A deactivated customer cannot open a cart.
    customers_press(&mut p, playground::domain::customers::controls::DEACTIVATE);
    let head = p.head();
    orders_press(&mut p, controls::START);
    assert_eq!(
        p.alert(),
        Some("customer-1 is deactivated: a deactivated customer cannot open a cart.")
    );
    assert_eq!(p.head(), head);
}

fn placed() -> Vec<Ev> {
    vec![
        started(),
        tea_added(2),
        Ev::OrderPlaced {
            total: Money::from_cents(900),
        },
    ]
}

#[test]
fn the_saga_moves_a_placed_order_forward_through_each_status_to_completed() {
    let mut history = placed();
    for (command, event, status) in [
        (Cmd::MarkReserved, Ev::OrderReserved, OrderStatus::Reserved),
        (Cmd::MarkPaid, Ev::OrderPaid, OrderStatus::Paid),
        (Cmd::MarkShipping, Ev::OrderShipping, OrderStatus::Shipping),
        (Cmd::Complete, Ev::OrderCompleted, OrderStatus::Completed),
    ] {
        let state = given::<Order>(history.clone())
            .when(command)
            .then([event.clone()]);
        assert_eq!(state.status, status);
        history.push(event);
    }
    given::<Order>(history.clone())
        .when(Cmd::CancelOrder {
            reason: "too late".into(),
        })
        .then_err(OrderError::TooLateToCancel(OrderStatus::Completed));
    given::<Order>(history)
        .when(Cmd::MarkPaid)
        .then_err(OrderError::Completed);
}

#[test]
fn a_late_or_repeated_answer_never_moves_an_order_back() {
    let mut paid = placed();
    paid.extend([Ev::OrderReserved, Ev::OrderPaid]);
    // The reservation's answer arriving after the payment's changes nothing.
    given::<Order>(paid.clone())
        .when(Cmd::MarkReserved)
        .then_err(OrderError::AlreadyPast(OrderStatus::Paid));
    given::<Order>(paid.clone())
        .when(Cmd::MarkPaid)
        .then_err(OrderError::AlreadyPast(OrderStatus::Paid));
    // Answers may skip a status that comes later (out of order): the order jumps ahead.
    given::<Order>(placed())
        .when(Cmd::MarkPaid)
        .then([Ev::OrderPaid]);
    given::<Order>(paid)
        .when(Cmd::Complete)
        .then_err(OrderError::NotShipping(OrderStatus::Paid));
}

#[test]
fn saga_answers_need_a_placed_order_that_is_not_cancelled() {
    given::<Order>([started(), tea_added(1)])
        .when(Cmd::MarkReserved)
        .then_err(OrderError::NotPlaced);
    given::<Order>([])
        .when(Cmd::MarkReserved)
        .then_err(OrderError::NotPlaced);
    let mut cancelled = placed();
    cancelled.push(Ev::OrderCancelled {
        reason: "out of stock".into(),
    });
    given::<Order>(cancelled.clone())
        .when(Cmd::MarkShipping)
        .then_err(OrderError::Cancelled);
    given::<Order>(cancelled)
        .when(Cmd::Complete)
        .then_err(OrderError::Cancelled);
}

#[test]
fn an_order_in_fulfilment_can_be_cancelled_until_its_shipment_is_scheduled() {
    let mut history = placed();
    history.extend([Ev::OrderReserved, Ev::OrderPaid]);
    let reason = "timed out".to_owned();
    let state = given::<Order>(history.clone())
        .when(Cmd::CancelOrder {
            reason: reason.clone(),
        })
        .then([Ev::OrderCancelled {
            reason: reason.clone(),
        }]);
    assert_eq!(state.cancel_reason.as_deref(), Some("timed out"));
    history.push(Ev::OrderShipping);
    given::<Order>(history)
        .when(Cmd::CancelOrder { reason })
        .then_err(OrderError::TooLateToCancel(OrderStatus::Shipping));
}
