//! Crypto-shredding through the playground: personal data is stored sealed, Forget customer deletes
//! the key after a confirmation, every event stays in place, and no view, read model or record shows
//! the name or email again; a tampered ciphertext is reported as such, never shown as data.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{Action, Playground, QueryAction, StreamAction};
use playground::domain::customers::{self, controls, CustomerReadModels, CustomerService};
use playground::domain::orders;
use playground::kernel::{
    CommandMeta, EventStore, ExpectedVersion, IdGenerator, ManualClock, NewEvent, StreamId,
};
use playground::privacy::{Keys, FORGOTTEN, TAMPERED};
use playground::readmodel::Projection;

const NAME: &str = "Augusta Byron";
const EMAIL: &str = "countess.augusta@example.org";
/// What must be found nowhere once she is forgotten (each searched for as text, in any view).
const SECRETS: &[&str] = &["Augusta", "Byron", "countess.augusta", EMAIL];

/// Augusta registers, renames, orders; Bob registers too; every projection catches up.
fn shop() -> Playground {
    let mut p = playground();
    register(&mut p, "Augusta King", EMAIL);
    customers_edit(&mut p, controls::NAME, NAME);
    customers_press(&mut p, controls::CHANGE_NAME);
    orders_press(&mut p, orders::controls::START);
    add_item(&mut p, "MUG-03", "2");
    orders_press(&mut p, orders::controls::PLACE);
    register(&mut p, "Bob Hopper", "bob@example.com");
    customers_edit(&mut p, controls::CUSTOMER, "customer-1");
    p.dispatch(Action::Stream(StreamAction::Drain));
    p.dispatch(Action::Stream(StreamAction::RunBatch));
    assert_eq!(p.alert(), None);
    p
}

/// Every text the page could show: each event as read and as stored, each one's details, every
/// domain's panel and state, every read model (online, batch, query side), the derived records,
/// the status line.
fn everything_shown(p: &mut Playground) -> String {
    let mut out = Vec::new();
    let head = p.head();
    out.extend(p.log_rows(0..head).into_iter().map(|r| format!("{r:?}")));
    for stored in [true, false] {
        p.dispatch(Action::Schema(playground::app::SchemaAction::ShowStored(
            stored,
        )));
        out.extend(p.log_rows(0..head).into_iter().map(|r| r.payload));
    }
    for position in 1..=head {
        p.dispatch(Action::Inspect(position));
        out.push(format!("{:?}", p.inspected_envelope()));
        out.push(format!("{:?}", p.inspected_stored()));
    }
    for key in tab_keys(p) {
        p.dispatch(Action::SelectTab(key.to_owned()));
        out.push(format!("{:?}", p.form()));
        out.push(format!("{:?}", p.state_of(key)));
    }
    for models in [
        p.streaming().pipeline().projection(),
        p.streaming().batch(),
        p.queries().models(),
    ] {
        out.push(format!("{:?}", p.model_views(models)));
    }
    for topic in playground::processors::DerivedTopic::ALL {
        p.dispatch(Action::SetProcessing(
            playground::app::Setting::DerivedTopic,
            topic.name().to_owned(),
        ));
        out.extend(
            p.processing()
                .shown_lines(0..usize::MAX)
                .into_iter()
                .map(|(_, line)| line),
        );
    }
    // (A query's answer echoes what was typed: it is checked on its own.)
    out.push(p.status().unwrap_or_default().to_owned());
    out.push(p.alert().unwrap_or_default().to_owned());
    out.join("\n")
}

fn stored_events(p: &Playground) -> Vec<(u64, uuid::Uuid, Vec<u8>, String)> {
    p.store()
        .read_all(1)
        .map(|e| {
            (
                e.position,
                e.event_id,
                e.data.to_vec(),
                e.stream_id.to_string(),
            )
        })
        .collect()
}

#[test]
fn before_forgetting_the_data_shows_everywhere_but_the_log_holds_only_ciphertext() {
    let mut p = shop();
    let shown = everything_shown(&mut p);
    assert!(shown.contains(NAME) && shown.contains(EMAIL));
    // The stored bytes hold neither the name nor the email, nor any stream name.
    for (_, _, data, stream) in stored_events(&p) {
        for secret in SECRETS {
            assert!(!data.windows(secret.len()).any(|w| w == secret.as_bytes()));
            assert!(!stream.contains(secret), "{stream}");
        }
    }
    // The query finds her by her address, whatever its case.
    p.dispatch(Action::Query(QueryAction::Choose(
        "customer-by-email".to_owned(),
    )));
    p.dispatch(Action::Query(QueryAction::EditParameter(
        EMAIL.to_uppercase(),
    )));
    p.dispatch(Action::Query(QueryAction::Run));
    assert!(format!("{:?}", p.queries().answer()).contains(NAME));
}

#[test]
fn forgetting_asks_first_then_leaves_every_event_in_place_and_the_data_nowhere() {
    let mut p = shop();
    let before = stored_events(&p);
    customers_press(&mut p, controls::FORGET);
    assert_eq!(p.alert(), None);
    let confirm = format!("{:?}", form_of(&mut p, customers::KEY));
    assert!(confirm.contains("Forget customer-1 for good?"), "{confirm}");
    assert!(confirm.contains("Forget them for good") && confirm.contains("Keep them"));
    customers_press(&mut p, controls::CANCEL_FORGET);
    assert_eq!(p.status(), Some("Kept customer-1: nothing was forgotten."));
    assert!(!p.keys().is_forgotten(&StreamId::new("customer-1")));
    customers_press(&mut p, controls::CONFIRM_FORGET);
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Press “Forget customer” first")));

    customers_press(&mut p, controls::FORGET);
    customers_press(&mut p, controls::CONFIRM_FORGET);
    assert_eq!(p.alert(), None);
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Forgot customer-1: their key is deleted.")));
    assert_eq!(
        stored_events(&p),
        before,
        "count, ids, positions and bytes unchanged"
    );

    // Read models are rebuilt (a replay online, a batch run) before looking.
    p.dispatch(Action::Stream(StreamAction::Replay));
    p.dispatch(Action::Stream(StreamAction::Drain));
    p.dispatch(Action::Stream(StreamAction::RunBatch));
    let shown = everything_shown(&mut p);
    for secret in SECRETS {
        let lines: Vec<&str> = shown.lines().filter(|l| l.contains(secret)).collect();
        assert!(lines.is_empty(), "{secret} is still shown: {lines:?}");
    }
    assert!(shown.contains(FORGOTTEN));
    assert!(
        shown.contains("Bob Hopper"),
        "other customers are untouched"
    );
    let state = p.state_of(customers::KEY).expect("customers");
    assert_eq!(field(&state, "Name"), FORGOTTEN);
    assert_eq!(field(&state, "Status"), "Forgotten (key deleted)");
    p.dispatch(Action::Query(QueryAction::Choose(
        "customer-by-email".to_owned(),
    )));
    p.dispatch(Action::Query(QueryAction::EditParameter(EMAIL.to_owned())));
    p.dispatch(Action::Query(QueryAction::Run));
    assert!(format!("{:?}", p.queries().answer()).contains("NotFound"));
}

#[test]
fn a_forgotten_customer_cannot_be_unforgotten_and_their_address_is_free() {
    let mut p = shop();
    customers_press(&mut p, controls::FORGET);
    customers_press(&mut p, controls::CONFIRM_FORGET);
    let head = p.head();
    customers_press(&mut p, controls::FORGET);
    assert_eq!(
        p.alert(),
        Some("customer-1 is already forgotten: a forgotten customer cannot be un-forgotten.")
    );
    customers_edit(&mut p, controls::NAME, "Ada Again");
    customers_press(&mut p, controls::CHANGE_NAME);
    assert!(p.alert().is_some_and(|a| a.contains("was forgotten")));
    assert_eq!(p.head(), head, "nothing written for a forgotten customer");
    register(&mut p, "Grace Hopper", EMAIL);
    assert_eq!(p.alert(), None, "the address was released");
    let types: Vec<String> = p
        .log_rows(head..p.head())
        .into_iter()
        .map(|r| format!("{} {}", r.event_type, r.payload))
        .collect();
    assert_eq!(
        types,
        [
            "EmailReleased by: customer-1",
            "EmailReserved for: customer-3",
            &format!("CustomerRegistered name: Grace Hopper, email: {EMAIL}"),
        ]
    );
}

#[test]
fn a_tampered_ciphertext_is_reported_as_tampered_never_as_data() {
    let mut store = EventStore::new(ManualClock::starting_2026());
    let keys = Keys::new(9);
    let mut service = CustomerService::new(&mut store, 100, keys.clone());
    let mut ids = IdGenerator::seeded(2);
    let ada = StreamId::new("customer-1");
    service
        .register(
            &mut store,
            &ada,
            playground::domain::customers::CustomerName::parse(NAME).expect("name"),
            playground::domain::customers::Email::parse(EMAIL).expect("email"),
            &mut CommandMeta::new(ids.next_uuid()),
        )
        .expect("registers");
    let original = store.get(2).expect("the registration");
    let mut data = original.data.to_vec();
    let last = data.len() - 1;
    data[last] ^= 0x40;
    let tampered = NewEvent {
        event_id: ids.next_uuid(),
        schema: original.schema_id,
        data,
        occurred_at: original.occurred_at(),
        recorded_at: None,
        correlation_id: original.correlation_id,
        causation_id: original.causation_id,
    };
    // The same customer's stream, so only the changed byte is wrong.
    store
        .append(&ada, ExpectedVersion::Any, vec![tampered])
        .expect("appends");
    let mut models = CustomerReadModels::with_keys(keys.clone());
    for e in store.read_all(1) {
        models.apply(&e);
    }
    let row = models.get(&store, &ada).expect("a row");
    assert_eq!(models.show_field(&ada, "name", &row.name), NAME);
    assert_eq!(models.show_field(&ada, "email", &row.email), TAMPERED);
    let state = service.customers.load(&store, &ada).state;
    let email = state.email.expect("an email");
    assert_eq!(
        keys.open(&ada, "email", &email),
        Err(playground::privacy::Unreadable::Tampered)
    );
}
