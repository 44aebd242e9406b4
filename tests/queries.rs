//! The query side: answers come from read models that equal a fold of the log up to their position;
//! the lag, catching up and read-your-writes; and every query's answers and refusals.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{Action, Playground, QueryAction};
use playground::kernel::{ManualClock, SeededRng};
use playground::readmodel::run_batch;
use playground::view::QueryAnswer;
use proptest::prelude::*;
use std::rc::Rc;

fn query(p: &mut Playground, id: &str, parameter: &str) -> Option<QueryAnswer> {
    p.dispatch(Action::Query(QueryAction::Choose(id.into())));
    p.dispatch(Action::Query(QueryAction::EditParameter(parameter.into())));
    p.dispatch(Action::Query(QueryAction::Run));
    p.queries().answer().map(|a| a.answer.clone())
}

fn lag(p: &mut Playground, events: &str) {
    p.dispatch(Action::Query(QueryAction::SetLag(events.into())));
}

fn rows(answer: Option<QueryAnswer>) -> Vec<Vec<String>> {
    match answer {
        Some(QueryAnswer::Table(t)) => t.rows,
        other => panic!("expected a table, got {other:?}"),
    }
}

#[test]
fn every_query_answers_and_says_when_nothing_matches() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    open(&mut p, "Bob");
    deposit(&mut p, "250");
    register(&mut p, "Grace Hopper", "grace@example.com");
    orders_press(&mut p, playground::domain::orders::controls::START);
    add_item(&mut p, "MUG-03", "2");
    assert_eq!(
        rows(query(&mut p, "account-balance", "account-1")),
        [["account-1", "100.00", "1"]]
    );
    assert_eq!(
        rows(query(&mut p, "top-accounts", "1")),
        [["1", "account-2", "250.00"]]
    );
    assert_eq!(
        rows(query(&mut p, "customer-by-email", "GRACE@example.com")),
        [["customer-1", "Grace Hopper", "grace@example.com", "Active"]]
    );
    assert_eq!(
        rows(query(&mut p, "orders-of-customer", "customer-1")),
        [["order-1", "Cart", "2", "16.00"]]
    );
    assert_eq!(
        rows(query(&mut p, "order-details", "order-1")),
        [
            vec!["Mug (MUG-03)", "2", "8.00", "16.00"],
            vec!["Total of order-1 (Cart, customer-1)", "2", "", "16.00"]
        ]
    );
    for (id, parameter, sentence) in [
        (
            "customer-by-email",
            "nobody@example.com",
            "No customer with email nobody@example.com.",
        ),
        (
            "orders-of-customer",
            "customer-7",
            "No orders for customer-7 yet.",
        ),
        ("order-details", "order-9", "No order called order-9."),
        (
            "account-balance",
            "account-9",
            "No account called account-9.",
        ),
    ] {
        assert_eq!(
            query(&mut p, id, parameter),
            Some(QueryAnswer::NotFound(sentence.into()))
        );
    }
}

#[test]
fn bad_parameters_are_refused_and_change_nothing() {
    let mut p = playground();
    open(&mut p, "Ada");
    lag(&mut p, "5");
    deposit(&mut p, "1");
    let before = (p.queries().position(), p.queries().answer().cloned());
    for (id, parameter, message) in [
        ("customer-by-email", "not an email", "contains a space"),
        ("orders-of-customer", "order-1", "is not a customer id"),
        ("order-details", "<script>", "is not an order id"),
        ("account-balance", "account-x", "is not an account id"),
        ("top-accounts", "1000", "whole number from 1 to 100"),
    ] {
        query(&mut p, id, parameter);
        assert!(
            p.alert().is_some_and(|a| a.contains(message)),
            "{id} {parameter}: {:?}",
            p.alert()
        );
        assert_eq!(
            (p.queries().position(), p.queries().answer().cloned()),
            before
        );
    }
    p.dispatch(Action::Query(QueryAction::Choose("astrology".into())));
    assert!(p
        .alert()
        .is_some_and(|a| a.starts_with("Query must be one of")));
    lag(&mut p, "1001");
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Read model lag must be a whole number from 0 to 1,000")));
    assert_eq!(p.queries().lag(), 5);
}

#[test]
fn with_a_lag_answers_are_stale_until_caught_up_or_waiting_for_the_last_write() {
    let mut p = playground();
    open(&mut p, "Ada");
    lag(&mut p, "2");
    deposit(&mut p, "10");
    deposit(&mut p, "20");
    deposit(&mut p, "30");
    assert_eq!(p.queries().position(), 2, "trails the log by two events");
    assert_eq!(
        rows(query(&mut p, "account-balance", "account-1")),
        [["account-1", "10.00", "1"]]
    );
    assert_eq!(
        p.queries().freshness(p.head()),
        "Answered from the read model at #2, log at #4: 2 events behind."
    );
    // Read-your-writes: catch up to the last command first, and say so.
    p.dispatch(Action::Query(QueryAction::WaitForLastWrite(true)));
    assert_eq!(
        rows(query(&mut p, "account-balance", "account-1")),
        [["account-1", "60.00", "3"]]
    );
    assert_eq!(
        p.queries().freshness(p.head()),
        "Answered from the read model at #4, log at #4: up to date. It caught up to your last write (#4) before answering."
    );
    // Generated events are not "my writes": waiting stops at the user's last command.
    p.generate_all(50);
    assert_eq!(p.last_write(), Some(4));
    p.dispatch(Action::Query(QueryAction::CatchUp));
    assert_eq!(p.queries().position(), p.head());
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("The query side caught up")));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever was written and whatever the lag, the query side's read models equal a batch fold of
    /// the log up to the position they are at, and every query answers from them exactly what it
    /// answers from that fold.
    #[test]
    fn query_answers_equal_a_fold_of_the_log_up_to_the_read_models_position(
        seed in 0u64..1_000,
        first in 20u64..600,
        second in 0u64..300,
        lag_events in 0u64..200,
        probes in prop::collection::vec(any::<u64>(), 1..6),
    ) {
        let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), seed);
        p.generate_all(first);
        lag(&mut p, &lag_events.to_string());
        p.generate_all(second.max(1));
        // Caught up after the first run (lag 0), then trailing by the lag, never moving backwards.
        let position = p.queries().position();
        prop_assert_eq!(position, p.head().saturating_sub(lag_events).max(first));
        let folded = run_batch(p.queries().models().fresh(&p.read_model_settings()), p.store(), position);
        prop_assert!(&folded == p.queries().models(), "the read models are a fold up to #{}", position);
        let mut rng = SeededRng::new(seed);
        for raw in probes {
            let n = 1 + raw % 40;
            for (id, parameter) in [
                ("account-balance", format!("account-{n}")),
                ("top-accounts", (1 + raw % 100).to_string()),
                ("customer-by-email", format!("ada.{n}@example.com")),
                ("orders-of-customer", format!("customer-{n}")),
                ("order-details", format!("order-{}", 1 + rng.below(200))),
            ] {
                let answer = query(&mut p, id, &parameter);
                let (domain, _) = *p.queries().catalog().iter().find(|(_, q)| q.id == id).expect("a query");
                let expected = p.modules()[domain]
                    .run_query(id, &parameter, folded.domain(domain).expect("models"), p.store())
                    .expect("answered")
                    .expect("valid");
                prop_assert_eq!(answer, Some(expected), "{} {}", id, parameter);
            }
        }
    }
}
