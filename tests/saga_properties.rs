//! Properties of the fulfilment saga, for any seed and any faults that deliver every event at least
//! once (delays, reordering, duplicates, crashes before the commit, transient failures with enough
//! retries): once drained, every order ends completed or cancelled; stock never goes below zero
//! and what a cancelled order reserved is released; money is conserved; and both styles end in the
//! same state. With handlers that are not idempotent, every duplicate charges again, and the page
//! knows which orders were hit. A timeout fires exactly once.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{Action, Playground, SagaAction, Setting, StreamAction};
use playground::domain::inventory::{InventoryModule, StockEvent, STARTING_STOCK};
use playground::domain::orders::{controls, OrderStatus, OrdersModule, CATALOGUE};
use playground::domain::payments::PaymentsModule;
use playground::kernel::{ManualClock, StreamId};
use playground::process::{FulfilmentEvent, Handler, SagaStatus, Step};
use proptest::prelude::*;
use std::rc::Rc;

/// Broker faults that lose nothing.
#[derive(Debug, Clone)]
struct Faults {
    consumers: u8,
    delay: u8,
    reorder: u8,
    broken_producer: bool,
    duplicates: u8,
    crashes: u8,
    failures: u8,
}

fn faults() -> impl Strategy<Value = Faults> {
    (
        1u8..=3,
        0u8..=3,
        0u8..=4,
        any::<bool>(),
        0u8..=40,
        0u8..=15,
        0u8..=15,
    )
        .prop_map(
            |(consumers, delay, reorder, broken_producer, duplicates, crashes, failures)| Faults {
                consumers,
                delay,
                reorder,
                broken_producer,
                duplicates,
                crashes,
                failures,
            },
        )
}

/// An order: lines of (catalogue index of a well-stocked product, quantity), or nine kettles
/// (always out of stock: there are never more than eight).
fn orders() -> impl Strategy<Value = Vec<Vec<(usize, u8)>>> {
    let line = (0usize..4, 1u8..=3);
    let order = prop_oneof![
        6 => prop::collection::vec(line, 1..=3),
        1 => Just(vec![(5usize, 9u8)]),
    ];
    prop::collection::vec(order, 1..=6)
}

#[derive(Debug, Clone)]
struct Scenario {
    seed: u64,
    faults: Faults,
    decline_rate: u8,
    /// Shipping delay and timeout.
    timing: (u32, u32),
    orders: Vec<Vec<(usize, u8)>>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0u64..1_000,
        faults(),
        prop_oneof![Just(0u8), Just(30), Just(100)],
        // Either every shipment comes well in time, or never in time.
        prop_oneof![Just((2u32, 10_000u32)), Just((60, 12))],
        orders(),
    )
        .prop_map(|(seed, faults, decline_rate, timing, orders)| Scenario {
            seed,
            faults,
            decline_rate,
            timing,
            orders,
        })
}

fn stream(p: &mut Playground, setting: Setting, value: impl ToString) {
    p.dispatch(Action::Stream(StreamAction::Set(
        setting,
        value.to_string(),
    )));
    assert_eq!(p.alert(), None, "{setting:?}");
}

fn saga(p: &mut Playground, setting: Setting, value: impl ToString) {
    p.dispatch(Action::Saga(SagaAction::Set(setting, value.to_string())));
    assert_eq!(p.alert(), None, "{setting:?}");
}

/// Runs `s` in `style`, drained.
fn run(s: &Scenario, style: &str, idempotent: bool) -> Playground {
    let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), s.seed);
    let f = &s.faults;
    stream(&mut p, Setting::Seed, s.seed);
    stream(&mut p, Setting::Consumers, f.consumers);
    stream(&mut p, Setting::Delay, f.delay);
    stream(&mut p, Setting::ReorderWindow, f.reorder);
    stream(&mut p, Setting::DuplicateRate, f.duplicates);
    stream(&mut p, Setting::CrashRate, f.crashes);
    stream(&mut p, Setting::FailureRate, f.failures);
    stream(&mut p, Setting::Retries, 10);
    p.dispatch(Action::Stream(StreamAction::Toggle(
        Setting::BrokenProducer,
        f.broken_producer,
    )));
    saga(&mut p, Setting::SagaStyle, style);
    saga(&mut p, Setting::DeclineRate, s.decline_rate);
    saga(&mut p, Setting::ShippingDelay, s.timing.0);
    saga(&mut p, Setting::SagaTimeout, s.timing.1);
    p.dispatch(Action::Saga(SagaAction::Toggle(
        Setting::IdempotentHandlers,
        idempotent,
    )));
    register(&mut p, "Grace Hopper", "grace@example.com");
    for lines in &s.orders {
        orders_press(&mut p, controls::START);
        for &(product, quantity) in lines {
            add_item(&mut p, CATALOGUE[product].sku, &quantity.to_string());
        }
        orders_press(&mut p, controls::PLACE);
        assert_eq!(p.alert(), None);
        // Let the broker run a little between orders, so sagas overlap.
        p.dispatch(Action::Stream(StreamAction::Advance(2)));
    }
    assert_eq!(
        p.sagas().tracker().len(),
        s.orders.len(),
        "one saga per order"
    );
    p.dispatch(Action::Stream(StreamAction::Drain));
    assert!(
        p.status().is_some_and(|m| m.starts_with("Drained")),
        "{:?}",
        p.status()
    );
    p
}

fn orders_of(p: &Playground) -> Vec<StreamId> {
    p.sagas()
        .tracker()
        .instances()
        .iter()
        .map(|s| s.order.clone())
        .collect()
}

/// The final state of orders (status; the cancellation's reason up to its colon), stock, and each
/// order's money (net captured, still held).
#[derive(Debug, PartialEq, Eq)]
struct Final {
    orders: Vec<(OrderStatus, String)>,
    stock: Vec<(u32, u32)>,
    money: Vec<(i64, i64)>,
}

fn final_state(p: &Playground, with_reasons: bool) -> Final {
    let orders_module = p.module::<OrdersModule>().expect("orders");
    let payments = p.module::<PaymentsModule>().expect("payments");
    let orders = orders_of(p);
    Final {
        orders: orders
            .iter()
            .map(|o| {
                let order = orders_module.orders().load(p.store(), o).state;
                let reason = order
                    .cancel_reason
                    .filter(|_| with_reasons)
                    .map(|r| r.split(':').next().unwrap_or_default().to_owned())
                    .unwrap_or_default();
                (order.status, reason)
            })
            .collect(),
        stock: p
            .module::<InventoryModule>()
            .expect("inventory")
            .current(p.store())
            .levels
            .iter()
            .map(|l| (l.available, l.reserved))
            .collect(),
        money: orders
            .iter()
            .map(|o| {
                let pay = payments.payment(p.store(), o);
                (pay.net().cents(), pay.held.cents())
            })
            .collect(),
    }
}

fn check_invariants(p: &Playground) -> Result<(), TestCaseError> {
    let orders_module = p.module::<OrdersModule>().expect("orders");
    let payments = p.module::<PaymentsModule>().expect("payments");
    // Every order ended, completed or cancelled, and its saga with it.
    let mut completed_total = 0;
    for saga in p.sagas().tracker().instances() {
        let order = orders_module.orders().load(p.store(), &saga.order).state;
        prop_assert!(
            matches!(
                order.status,
                OrderStatus::Completed | OrderStatus::Cancelled
            ),
            "{} ended {:?}",
            saga.order,
            order.status
        );
        prop_assert_ne!(saga.status, SagaStatus::Running);
        if order.status == OrderStatus::Completed {
            completed_total += order.placed_total.map_or(0, |t| t.cents());
        }
    }
    // Stock never below zero, and everything a cancelled order reserved is released.
    let mut available: Vec<i64> = STARTING_STOCK.iter().map(|&n| i64::from(n)).collect();
    let mut held: std::collections::HashMap<String, i64> = Default::default();
    for event in p.store().read_all(1) {
        let Some(stock) = event.decode::<StockEvent>() else {
            continue;
        };
        let (order, lines, sign) = match &stock {
            StockEvent::StockReserved { order, lines } => (order, lines, -1),
            StockEvent::StockReleased { order, lines } => (order, lines, 1),
            _ => continue,
        };
        for (sku, n) in lines {
            let i = CATALOGUE
                .iter()
                .position(|c| c.sku == sku.as_str())
                .expect("a catalogue product");
            available[i] += sign * i64::from(*n);
            prop_assert!(available[i] >= 0, "{sku} went below zero");
            *held.entry(order.to_string()).or_default() -= sign * i64::from(*n);
        }
    }
    for saga in p.sagas().tracker().instances() {
        let order = orders_module.orders().load(p.store(), &saga.order).state;
        let still = held.get(saga.order.as_str()).copied().unwrap_or(0);
        if order.status == OrderStatus::Cancelled {
            prop_assert_eq!(still, 0, "{} is cancelled yet holds stock", saga.order);
        }
    }
    // Money: captured minus refunded is the total of the completed orders, and nothing is held.
    let mut net = 0;
    for saga in p.sagas().tracker().instances() {
        let pay = payments.payment(p.store(), &saga.order);
        net += pay.net().cents();
        prop_assert_eq!(pay.held.cents(), 0, "{} still holds money", saga.order);
    }
    prop_assert_eq!(net, completed_total);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn with_idempotent_handlers_every_order_ends_stock_and_money_add_up(s in scenario()) {
        for style in ["orchestration", "choreography"] {
            let p = run(&s, style, true);
            check_invariants(&p)?;
            prop_assert!(
                p.sagas().tracker().instances().iter().all(|i| !i.hit_by_duplicates()),
                "idempotent handlers never reserve or charge twice"
            );
        }
    }

    #[test]
    fn both_styles_end_in_the_same_state(s in scenario()) {
        let orchestrated = run(&s, "orchestration", true);
        let choreographed = run(&s, "choreography", true);
        // When every shipment comes in time, even the reasons agree; when none does, a decline may
        // be noticed before or after the timeout, so only the outcome is compared.
        let in_time = s.timing.1 > s.timing.0;
        prop_assert_eq!(
            final_state(&orchestrated, in_time),
            final_state(&choreographed, in_time)
        );
    }
}

/// Deliveries of events of `types` to `handler`'s group beyond the first.
fn duplicated_deliveries(p: &Playground, handler: Handler, types: &[&str]) -> u64 {
    let group = p.sagas().group(handler).expect("a group");
    p.store()
        .read_all(1)
        .filter(|e| types.contains(&e.event_type()))
        .map(|e| u64::from(group.pipeline.fate(e.position).applied.saturating_sub(1)))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn without_idempotent_handlers_every_duplicate_charges_again(
        seed in 0u64..1_000,
        duplicates in 20u8..=60,
        delay in 0u8..=2,
        orders in prop::collection::vec(prop::collection::vec((0usize..4, 1u8..=3), 1..=2), 1..=6),
    ) {
        let s = Scenario {
            seed,
            faults: Faults {
                consumers: 1,
                delay,
                reorder: 0,
                broken_producer: false,
                duplicates,
                crashes: 0,
                failures: 0,
            },
            decline_rate: 0,
            timing: (2, 10_000),
            orders,
        };
        for (style, reserver, authoriser) in [
            ("orchestration", Handler::Orchestrator, Handler::Orchestrator),
            ("choreography", Handler::Inventory, Handler::Payments),
        ] {
            let p = run(&s, style, false);
            let payments = p.module::<PaymentsModule>().expect("payments");
            let extra: u64 = orders_of(&p)
                .iter()
                .map(|o| u64::from(payments.payment(p.store(), o).authorizations.saturating_sub(1)))
                .sum();
            // A duplicate the process manager got after the saga had moved past it is recorded as
            // a late answer instead.
            let late = p
                .store()
                .read_all(1)
                .filter_map(|e| e.decode::<FulfilmentEvent>())
                .filter(|e| matches!(
                    e,
                    FulfilmentEvent::LateAnswerIgnored { answer }
                        if answer == "OrderPlaced" || answer == "StockReserved"
                ))
                .count() as u64;
            let duplicated = duplicated_deliveries(&p, reserver, &["OrderPlaced"])
                + duplicated_deliveries(&p, authoriser, &["StockReserved"]);
            prop_assert_eq!(extra, duplicated - late, "{}", style);
            let hit = p
                .sagas()
                .tracker()
                .instances()
                .iter()
                .filter(|i| i.hit_by_duplicates())
                .count();
            prop_assert_eq!(hit > 0, extra > 0, "{}: the page knows which orders were hit", style);
        }
    }
}

#[test]
fn a_timeout_fires_exactly_once() {
    let s = Scenario {
        seed: 5,
        faults: Faults {
            consumers: 2,
            delay: 1,
            reorder: 2,
            broken_producer: false,
            duplicates: 30,
            crashes: 5,
            failures: 0,
        },
        decline_rate: 0,
        timing: (50, 8),
        orders: vec![vec![(0, 1)], vec![(1, 2), (2, 1)], vec![(3, 3)]],
    };
    for style in ["orchestration", "choreography"] {
        let mut p = run(&s, style, true);
        // Long after the timeout, nothing fires again.
        p.dispatch(Action::Stream(StreamAction::Advance(200)));
        for saga in p.sagas().tracker().instances() {
            assert_eq!(saga.status, SagaStatus::TimedOut, "{style}: {}", saga.order);
            let fired: Vec<_> = p
                .sagas()
                .journal()
                .iter()
                .filter(|c| c.cause == 0 && c.order_of(&p) == saga.order)
                .map(|c| c.step)
                .filter(|&s| s != Step::Decide)
                .collect();
            // The timer's one message undid what was sent and cancelled the order, once.
            assert!(
                fired.iter().all(|s| s.is_compensation()),
                "{style}: {fired:?}"
            );
            assert_eq!(
                fired.iter().filter(|&&s| s == Step::CancelOrder).count(),
                1,
                "{style}: {fired:?}"
            );
            let timed_out = p
                .store()
                .read_all(1)
                .filter(|e| e.correlation_id == saga.correlation)
                .filter_map(|e| e.decode::<FulfilmentEvent>())
                .filter(|e| matches!(e, FulfilmentEvent::SagaTimedOut { .. }))
                .count();
            assert_eq!(timed_out, usize::from(style == "orchestration"), "{style}");
        }
        check_invariants(&p).expect("invariants hold after timeouts");
    }
}

trait OrderOf {
    fn order_of(&self, p: &Playground) -> StreamId;
}

impl OrderOf for playground::process::SentCommand {
    fn order_of(&self, p: &Playground) -> StreamId {
        p.sagas()
            .tracker()
            .order_of(self.saga)
            .expect("the command's saga")
    }
}
