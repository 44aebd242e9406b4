//! The load generator: counts it accepts, and runs that produce exactly what was asked, validly,
//! across every domain.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{open, options};
use playground::app::{Action, GenerateAction, Playground};
use playground::domain::bank::{Account, AccountEvent, AccountStatus};
use playground::domain::customers::{
    Customer, CustomerEvent, CustomerStatus, EmailReservation, ReservationEvent,
};
use playground::domain::orders::{Order, OrderEvent, OrderStatus};
use playground::kernel::{Aggregate, ManualClock, StreamId};
use std::collections::HashMap;
use std::rc::Rc;

fn playground(seed: u64) -> Playground {
    Playground::new(Rc::new(ManualClock::starting_2026()), seed)
}

fn gen(p: &mut Playground, action: GenerateAction) {
    p.dispatch(Action::Generate(action));
}

fn generate(p: &mut Playground, count: &str) {
    gen(p, GenerateAction::EditCount(count.into()));
    gen(p, GenerateAction::Start);
    while p.generator().is_some() {
        gen(p, GenerateAction::Chunk);
    }
}

#[test]
fn counts_accept_whole_numbers_from_one_to_a_million() {
    for (good, n) in [
        ("10000", 10_000),
        (" 10,000 ", 10_000),
        ("1_000_000", 1_000_000),
        ("1", 1),
    ] {
        let mut p = playground(1);
        gen(&mut p, GenerateAction::EditCount(good.into()));
        gen(&mut p, GenerateAction::Start);
        assert_eq!(p.alert(), None, "{good}");
        assert_eq!(p.generator().map(|g| g.target()), Some(n));
    }
    for bad in [
        "",
        "0",
        "-5",
        "1.5",
        "abc",
        "1000001",
        "99999999999999999999",
        "1e6",
    ] {
        let mut p = playground(1);
        gen(&mut p, GenerateAction::EditCount(bad.into()));
        gen(&mut p, GenerateAction::Start);
        let error = p.alert().unwrap_or_default().to_owned();
        assert!(
            error.contains("Events to generate must be a whole number from 1 to 1,000,000"),
            "{bad}: {error}"
        );
        assert!(p.generator().is_none());
    }
}

/// Folds every stream of the log through its aggregate and checks that no rule was ever broken.
fn assert_valid(p: &Playground) -> HashMap<&'static str, u64> {
    let mut per_category: HashMap<&'static str, u64> = HashMap::new();
    let mut accounts: HashMap<StreamId, Account> = HashMap::new();
    let mut customers: HashMap<StreamId, Customer> = HashMap::new();
    let mut reservations: HashMap<StreamId, EmailReservation> = HashMap::new();
    let mut orders: HashMap<StreamId, Order> = HashMap::new();
    for event in p.store().read_all(1) {
        let at = event.position;
        let stream = event.stream_id.clone();
        if let Some(e) = event.decode::<AccountEvent>() {
            *per_category.entry("account").or_default() += 1;
            let state = accounts.entry(stream).or_default();
            assert!(
                event.stream_version == 1 || state.status == AccountStatus::Open,
                "event after close at #{at}"
            );
            state.apply(&e);
            assert!(state.balance.cents() >= 0, "negative balance at #{at}");
        } else if let Some(e) = event.decode::<CustomerEvent>() {
            *per_category.entry("customer").or_default() += 1;
            let state = customers.entry(stream).or_default();
            assert!(
                event.stream_version == 1 || state.status == CustomerStatus::Active,
                "command on a deactivated customer at #{at}"
            );
            state.apply(&e);
        } else if let Some(e) = event.decode::<ReservationEvent>() {
            *per_category.entry("email").or_default() += 1;
            reservations.entry(stream).or_default().apply(&e);
        } else if let Some(e) = event.decode::<OrderEvent>() {
            *per_category.entry("order").or_default() += 1;
            let state = orders.entry(stream).or_default();
            match &e {
                OrderEvent::CartStarted { customer } => {
                    assert_eq!(state.status, OrderStatus::NotStarted);
                    assert_eq!(
                        customers.get(customer).map(|c| c.status),
                        Some(CustomerStatus::Active),
                        "cart for an inactive customer at #{at}"
                    );
                }
                OrderEvent::OrderCancelled { .. } => assert!(matches!(
                    state.status,
                    OrderStatus::Cart | OrderStatus::Placed
                )),
                OrderEvent::OrderPlaced { total } => {
                    assert_eq!(state.status, OrderStatus::Cart);
                    assert!(!state.lines.is_empty(), "empty order placed at #{at}");
                    assert_eq!(*total, state.total());
                }
                _ => assert_eq!(
                    state.status,
                    OrderStatus::Cart,
                    "a placed or cancelled order changed at #{at}"
                ),
            }
            state.apply(&e);
        } else {
            panic!("an event no domain decodes at #{at}");
        }
    }
    // Every email is held by exactly the customer who has it.
    for (stream, customer) in &customers {
        let sealed = customer
            .email
            .as_ref()
            .expect("registered customers have an email");
        let email = p
            .keys()
            .open(stream, "email", sealed)
            .expect("their key opens it");
        let reservation = StreamId::of("email", p.keys().blind_index(&email));
        assert_eq!(
            reservations
                .get(&reservation)
                .and_then(|r| r.holder.as_ref()),
            Some(stream)
        );
    }
    let held = reservations.values().filter(|r| r.holder.is_some()).count();
    assert_eq!(held, customers.len(), "no reservation without its customer");
    per_category
}

#[test]
fn a_run_appends_exactly_the_requested_number_of_valid_events_across_every_domain() {
    let mut p = playground(9);
    generate(&mut p, "25000");
    assert_eq!(p.head(), 25_000);
    assert_eq!(p.alert(), None);
    assert!(p.status().is_some_and(
        |s| s.starts_with("Generated 25,000 events; the log now holds 25,000 events in ")
    ));
    let per_category = assert_valid(&p);
    let share = |c: &str| per_category.get(c).copied().unwrap_or(0) * 100 / 25_000;
    assert!((40..=60).contains(&share("account")), "{per_category:?}");
    assert!((5..=20).contains(&share("customer")), "{per_category:?}");
    assert!((2..=15).contains(&share("email")), "{per_category:?}");
    assert!((25..=45).contains(&share("order")), "{per_category:?}");
    assert!(options(&p.form(), "Account").len() > 100);
    assert!(
        common::account_state(&p).subject.is_some(),
        "an account is selected after generating"
    );
}

#[test]
fn a_bank_only_registry_generates_only_bank_events() {
    let registry = playground::domain::Registry::new().with(playground::domain::bank::module);
    let mut p = Playground::with_registry(Rc::new(ManualClock::starting_2026()), 4, &registry, 100);
    generate(&mut p, "3000");
    assert_eq!(p.head(), 3_000);
    assert!(p.store().read_all(1).all(|e| e.category() == "account"));
}

#[test]
fn the_same_seed_generates_the_same_history() {
    let history = |seed| {
        let mut p = playground(seed);
        generate(&mut p, "3000");
        p.store()
            .read_all(1)
            .map(|e| (e.event_id, e.stream_id.to_string(), e.data.to_vec()))
            .collect::<Vec<_>>()
    };
    assert_eq!(history(5), history(5));
    assert_ne!(history(5), history(6));
}

#[test]
fn a_run_works_in_chunks_and_can_be_stopped() {
    let mut p = playground(1);
    gen(&mut p, GenerateAction::EditCount("50000".into()));
    gen(&mut p, GenerateAction::Start);
    assert_eq!(
        p.generator().map(|g| g.to_string()).as_deref(),
        Some("Generating: 0 of 50,000 events")
    );
    gen(&mut p, GenerateAction::Chunk);
    assert_eq!(p.head(), playground::app::GENERATE_CHUNK);
    gen(&mut p, GenerateAction::Start);
    assert!(p.alert().is_some_and(|a| a.contains("already in progress")));
    gen(&mut p, GenerateAction::Stop);
    assert_eq!(p.generator().map(|g| g.done()), None);
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Stopped after generating 20,000 events")));
    gen(&mut p, GenerateAction::Chunk);
    assert_eq!(p.head(), 20_000, "nothing more once stopped");
}

#[test]
fn a_bad_count_is_refused_and_generates_nothing() {
    let mut p = playground(1);
    gen(&mut p, GenerateAction::EditCount("lots".into()));
    gen(&mut p, GenerateAction::Start);
    assert!(p.alert().is_some_and(|a| a.contains("“lots”")));
    assert!(p.generator().is_none());
    assert_eq!(p.head(), 0);
}

#[test]
fn generated_streams_continue_after_the_users_own_and_leave_them_alone() {
    let mut p = playground(2);
    open(&mut p, "Ada");
    common::register(&mut p, "Grace Hopper", "grace@example.com");
    generate(&mut p, "2000");
    assert_eq!(p.head(), 2_003);
    let accounts = options(&p.form(), "Account");
    assert_eq!(accounts[0], "account-1 · Ada");
    assert!(accounts[1].starts_with("account-2 · "));
    assert_eq!(
        common::account_state(&p).subject.as_deref(),
        Some("account-1")
    );
    let store = p.store();
    assert_eq!(store.stream_version(&StreamId::new("account-1")), Some(1));
    assert_eq!(store.stream_version(&StreamId::new("customer-1")), Some(1));
    assert!(
        store.read_all(1).filter_map(|e| e.decode::<OrderEvent>()).all(
            |e| !matches!(e, OrderEvent::CartStarted { customer } if customer.as_str() == "customer-1")
        ),
        "no generated order for the user's customer"
    );
}

#[test]
fn event_times_cover_the_past_week_and_a_share_arrive_late() {
    let mut p = playground(8);
    gen(&mut p, GenerateAction::EditLateShare("10".into()));
    generate(&mut p, "5000");
    // One time per command (the events of a command share it).
    let mut times: Vec<i64> = p
        .store()
        .read_all(1)
        .map(|e| e.occurred_at_seconds())
        .collect();
    times.dedup();
    let span = times.iter().max().copied().unwrap_or(0) - times.iter().min().copied().unwrap_or(0);
    assert!(span > 6 * 86_400, "spread over the week: {span} s");
    // A command is late when it happened before the one appended just before it.
    let late = times.windows(2).filter(|w| w[1] < w[0]).count() * 100 / times.len();
    assert!((6..=14).contains(&late), "about 10% late: {late}%");
    gen(&mut p, GenerateAction::EditLateShare("150".into()));
    gen(&mut p, GenerateAction::Start);
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Late share must be a whole number from 0 to 100")));
    assert!(p.generator().is_none());
}
