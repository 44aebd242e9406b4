//! The stream processors: each as given (events it consumed) / when (an event) / then (the records
//! it published), and through the reducer under the broker's faults.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{add_item, orders_press, playground, register};
use playground::app::{Action, Playground, Setting, StreamAction};
use playground::domain::bank::Money;
use playground::domain::orders::{self, OrderEvent};
use playground::kernel::{Position, StreamId};
use playground::processors::{
    DerivedRecord, DerivedTopic, DerivedValue, ProcessorSettings, Processors, Segment,
};
use playground::readmodel::Projection;
use std::collections::BTreeSet;

/// Ada (a business address) orders 3 mugs; Bob (a personal one) orders 1 tea; Cy never registers
/// before their order is seen in the test's order of application.
fn shop() -> Playground {
    let mut p = playground();
    register(&mut p, "Ada Lovelace", "ada@example.org");
    orders_press(&mut p, orders::controls::START);
    add_item(&mut p, "MUG-03", "3");
    orders_press(&mut p, orders::controls::PLACE);
    register(&mut p, "Bob Hopper", "bob@example.com");
    orders_press(&mut p, orders::controls::START);
    add_item(&mut p, "TEA-01", "1");
    orders_press(&mut p, orders::controls::PLACE);
    p
}

/// Given the processors consumed the events at `given`, when they consume the one at `when`, then
/// they publish these records.
fn given_when(
    p: &Playground,
    settings: ProcessorSettings,
    given: &[Position],
    when: Position,
) -> Vec<(DerivedTopic, DerivedRecord)> {
    let mut processors = Processors::new(settings, p.keys().clone());
    for &position in given {
        processors.apply(&p.store().get(position).expect("an event"));
    }
    let before: Vec<usize> = DerivedTopic::ALL
        .iter()
        .map(|&t| processors.topic(t).len())
        .collect();
    processors.apply(&p.store().get(when).expect("an event"));
    DerivedTopic::ALL
        .iter()
        .zip(before)
        .flat_map(|(&t, n)| {
            processors.topic(t)[n..]
                .iter()
                .map(move |r| (t, r.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn positions_of(p: &Playground, wanted: &str) -> Vec<Position> {
    (1..=p.store().head())
        .filter(|&pos| p.store().get(pos).is_some_and(|e| e.event_type() == wanted))
        .collect()
}

#[test]
fn enrich_joins_a_placed_order_with_the_customer_and_their_segment() {
    let p = shop();
    let placed = positions_of(&p, "OrderPlaced");
    let ada_before: Vec<Position> = (1..placed[0]).collect();
    let records = given_when(&p, ProcessorSettings::default(), &ada_before, placed[0]);
    let enriched: Vec<&DerivedRecord> = records
        .iter()
        .filter(|(t, _)| *t == DerivedTopic::Enriched)
        .map(|(_, r)| r)
        .collect();
    assert_eq!(enriched.len(), 1);
    let DerivedValue::Enriched {
        customer,
        name,
        segment,
        total,
    } = &enriched[0].value
    else {
        panic!("an enriched record");
    };
    let ada = StreamId::new("customer-1");
    assert_eq!(
        (customer.as_ref(), *segment, *total),
        (Some(&ada), Segment::Business, Money::from_cents(3 * 800))
    );
    // The record carries the name as the customer's event holds it: sealed, opened when shown.
    let name = name.as_ref().expect("the table has the name");
    assert_eq!(
        p.keys().open(&ada, "name", name),
        Ok("Ada Lovelace".to_owned())
    );
    assert_eq!(
        enriched[0].describe(p.keys()),
        "order-1 · customer-1 · Ada Lovelace · business · 24.00"
    );
}

#[test]
fn enrich_says_the_join_missed_when_the_customer_is_not_in_its_table_yet() {
    let p = shop();
    let placed = positions_of(&p, "OrderPlaced");
    let carts = positions_of(&p, "CartStarted");
    // Only the cart was consumed, not the registration: the table has no such customer yet.
    let records = given_when(&p, ProcessorSettings::default(), &carts[..1], placed[0]);
    assert!(records.iter().any(|(t, r)| *t == DerivedTopic::Enriched
        && matches!(
            r.value,
            DerivedValue::Enriched {
                segment: Segment::Unknown,
                name: None,
                ..
            }
        )));
}

#[test]
fn filter_publishes_only_orders_above_the_threshold() {
    let p = shop();
    let placed = positions_of(&p, "OrderPlaced");
    let settings = ProcessorSettings {
        high_value: Money::from_cents(1_000),
        ..ProcessorSettings::default()
    };
    let everything_before = |at: Position| (1..at).collect::<Vec<_>>();
    let mugs = given_when(&p, settings, &everything_before(placed[0]), placed[0]);
    assert!(mugs.iter().any(|(t, r)| *t == DerivedTopic::HighValue
        && r.value
            == DerivedValue::HighValue {
                total: Money::from_cents(2_400)
            }));
    let tea = given_when(&p, settings, &everything_before(placed[1]), placed[1]);
    assert!(!tea.iter().any(|(t, _)| *t == DerivedTopic::HighValue));
}

#[test]
fn aggregate_publishes_a_customers_summary_every_so_many_orders() {
    let mut p = playground();
    register(&mut p, "Ada Lovelace", "ada@example.org");
    for _ in 0..4 {
        orders_press(&mut p, orders::controls::START);
        add_item(&mut p, "TEA-01", "2");
        orders_press(&mut p, orders::controls::PLACE);
    }
    let placed = positions_of(&p, "OrderPlaced");
    let settings = ProcessorSettings {
        summary_every: 2,
        ..ProcessorSettings::default()
    };
    let before = |at: Position| (1..at).collect::<Vec<_>>();
    let activity = |records: Vec<(DerivedTopic, DerivedRecord)>| -> Vec<DerivedValue> {
        records
            .into_iter()
            .filter(|(t, _)| *t == DerivedTopic::Activity)
            .map(|(_, r)| r.value)
            .collect()
    };
    assert_eq!(
        activity(given_when(&p, settings, &before(placed[0]), placed[0])),
        vec![]
    );
    assert_eq!(
        activity(given_when(&p, settings, &before(placed[3]), placed[3])),
        vec![DerivedValue::Activity {
            orders: 4,
            spent: Money::from_cents(4 * 900)
        }]
    );
}

fn drained(p: &mut Playground) {
    p.dispatch(Action::Stream(StreamAction::Drain));
}

fn set(p: &mut Playground, setting: Setting, value: &str) {
    p.dispatch(setting.set_action(value.into()));
    assert_eq!(p.alert(), None, "{setting:?} = {value}");
}

/// Every placed order's total, by order.
fn placed_totals(p: &Playground) -> Vec<(StreamId, Money)> {
    (1..=p.store().head())
        .filter_map(|pos| p.store().get(pos))
        .filter_map(|e| match e.decode::<OrderEvent>() {
            Some(OrderEvent::OrderPlaced { total }) => Some((e.stream_id.clone(), total)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_high_value_topic_lists_exactly_the_orders_above_the_threshold_and_follows_a_new_one() {
    let mut p = playground();
    p.generate_all(5_000);
    drained(&mut p);
    for threshold in ["100", "20"] {
        set(&mut p, Setting::HighValue, threshold);
        drained(&mut p);
        let cents = threshold.parse::<i64>().expect("a number") * 100;
        let expected: BTreeSet<StreamId> = placed_totals(&p)
            .into_iter()
            .filter(|(_, total)| total.cents() > cents)
            .map(|(order, _)| order)
            .collect();
        let listed: Vec<StreamId> = p
            .processing()
            .processors()
            .topic(DerivedTopic::HighValue)
            .iter()
            .map(|r| r.key.clone())
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(listed.len(), expected.len(), "each once");
        assert_eq!(listed.into_iter().collect::<BTreeSet<_>>(), expected);
    }
    let enriched = p
        .processing()
        .processors()
        .topic(DerivedTopic::Enriched)
        .len();
    assert_eq!(enriched, placed_totals(&p).len());
}

#[test]
fn with_duplicates_and_no_idempotency_the_derived_topics_show_them() {
    let mut p = playground();
    p.generate_all(3_000);
    p.dispatch(Action::Stream(StreamAction::Set(
        Setting::DuplicateRate,
        "50".into(),
    )));
    drained(&mut p);
    let placed = placed_totals(&p).len();
    let enriched = p
        .processing()
        .processors()
        .topic(DerivedTopic::Enriched)
        .len();
    assert!(enriched > placed, "{enriched} records for {placed} orders");
    let redelivered = p.processing().pipeline().counters().redelivered;
    assert!(redelivered > 0);
}

#[test]
fn bad_processor_settings_are_refused_and_change_nothing() {
    let mut p = playground();
    p.generate_all(500);
    drained(&mut p);
    let before = p
        .processing()
        .processors()
        .topic(DerivedTopic::Enriched)
        .len();
    for (setting, bad) in [
        (Setting::HighValue, "-5"),
        (Setting::HighValue, "12.50"),
        (Setting::HighValue, "1000001"),
        (Setting::SummaryEvery, "0"),
        (Setting::SummaryEvery, "<script>"),
        (Setting::DerivedTopic, "orders"),
    ] {
        p.dispatch(setting.set_action(bad.into()));
        let alert = p.alert().unwrap_or_default().to_owned();
        assert!(alert.contains("must be"), "{setting:?} = {bad:?}: {alert}");
    }
    assert_eq!(
        p.processing().processors().settings(),
        ProcessorSettings::default()
    );
    assert_eq!(
        p.processing()
            .processors()
            .topic(DerivedTopic::Enriched)
            .len(),
        before
    );
    assert_eq!(p.processing().shown(), DerivedTopic::Enriched);
}
