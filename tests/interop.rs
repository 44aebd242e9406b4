//! CloudEvents export and import through the playground: the official SDK reads every exported
//! event; export → import → export gives the same bytes and the same playground; every malformed
//! file is refused with the event and the attribute named, and changes nothing.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use cloudevents::event::ExtensionValue;
use cloudevents::AttributesReader;
use common::*;
use playground::app::{Action, Playground, SchemaAction, StreamAction, TransferAction};
use playground::domain::customers::controls;
use playground::interop::cloudevents::{ImportError, KEY_STORE_TYPE, MAX_BYTES};
use playground::kernel::ManualClock;
use proptest::prelude::*;
use std::rc::Rc;

fn fresh() -> Playground {
    Playground::new(Rc::new(ManualClock::starting_2026()), 99)
}

#[test]
fn the_official_sdk_reads_every_exported_event_with_its_attributes() {
    let mut p = busy();
    let file = p.export_all();
    assert_eq!(file.events, p.head());
    let events: Vec<cloudevents::Event> =
        serde_json::from_str(&file.text()).expect("the SDK reads the batch");
    assert_eq!(
        events.len() as u64,
        p.head() + 1,
        "the events and the key store"
    );
    for (event, row) in events.iter().zip(p.store().read_all(1)) {
        assert_eq!(event.specversion(), cloudevents::event::SpecVersion::V10);
        assert_eq!(event.id(), row.event_id.to_string());
        assert_eq!(event.source().as_str(), "/es-playground");
        assert_eq!(event.ty(), row.event_type());
        assert_eq!(event.subject(), Some(row.stream_id.as_str()));
        assert_eq!(
            event.time().map(|t| t.timestamp_micros()),
            Some(row.occurred_at_micros)
        );
        assert_eq!(event.datacontenttype(), Some("application/json"));
        let ext = |name: &str| event.extension(name).cloned();
        assert_eq!(
            ext("sequence"),
            Some(ExtensionValue::String(row.position.to_string()))
        );
        assert_eq!(
            ext("sequencetype"),
            Some(ExtensionValue::String("Integer".to_owned()))
        );
        assert_eq!(
            ext("recordedtime"),
            Some(ExtensionValue::String(playground::format::rfc3339_micros(
                row.recorded_at_micros
            )))
        );
        assert_eq!(
            ext("correlationid"),
            Some(ExtensionValue::String(row.correlation_id.to_string()))
        );
        assert_eq!(
            ext("causationid"),
            Some(ExtensionValue::String(row.causation_id.to_string()))
        );
        assert_eq!(
            ext("streamversion"),
            Some(ExtensionValue::Integer(row.stream_version as i64))
        );
        assert_eq!(
            ext("schemaversion"),
            Some(ExtensionValue::Integer(i64::from(row.schema_version())))
        );
        for (name, _) in event.iter_extensions() {
            assert!(
                name.len() <= 20
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{name}"
            );
        }
        let Some(cloudevents::Data::Json(data)) = event.data() else {
            panic!("JSON data expected for {}", event.id());
        };
        let fields: Vec<&str> = row.schema.fields().iter().map(|f| f.name).collect();
        let keys: Vec<&str> = data
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = fields.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted, "{}", event.ty());
    }
    let last = events.last().expect("the key store");
    assert_eq!(last.ty(), KEY_STORE_TYPE);
    // Both schema versions of MoneyDeposited are in the file, each under its own number.
    let deposit_versions: std::collections::BTreeSet<i64> = events
        .iter()
        .filter(|e| e.ty() == "MoneyDeposited")
        .filter_map(|e| match e.extension("schemaversion") {
            Some(ExtensionValue::Integer(v)) => Some(*v),
            _ => None,
        })
        .collect();
    assert_eq!(deposit_versions, [1, 2].into_iter().collect());
}

#[test]
fn export_then_import_restores_every_event_exactly_and_exports_the_same_bytes() {
    let mut p = busy();
    let first = p.export_all();
    // Exporting the same log again gives the same bytes.
    assert_eq!(p.export_all().text(), first.text());
    let mut q = fresh();
    q.import_all(&first.name, first.text().as_bytes());
    assert_eq!(q.alert(), None);
    assert_eq!(rows(&q), rows(&p));
    assert_eq!(q.export_all().text(), first.text());
    // Every domain's state and panel reads the same, personal data included; the forgotten
    // customer stays forgotten.
    for key in tab_keys(&p) {
        p.dispatch(Action::SelectTab(key.to_owned()));
        q.dispatch(Action::SelectTab(key.to_owned()));
        assert_eq!(
            format!("{:?}", q.state_of(key)),
            format!("{:?}", p.state_of(key)),
            "{key}"
        );
    }
    assert_eq!(q.keys().material(), p.keys().material());
    assert_eq!(q.keys().forgotten_count(), 1);
    assert_eq!(
        q.log_rows(0..q.head())
            .iter()
            .map(|r| r.payload.clone())
            .collect::<Vec<_>>(),
        p.log_rows(0..p.head())
            .iter()
            .map(|r| r.payload.clone())
            .collect::<Vec<_>>()
    );
    // New events follow the deployed versions of the file.
    assert_eq!(
        q.store().schemas().written_version("MoneyDeposited"),
        Some(2)
    );
    // The imported page goes on working: a new command appends with fresh ids.
    let head = q.head();
    open(&mut q, "Barbara");
    assert_eq!(q.alert(), None);
    assert_eq!(q.head(), head + 1);
    // The forgotten customer still cannot be written to.
    customers_edit(&mut q, controls::CUSTOMER, "customer-1");
    customers_edit(&mut q, controls::NAME, "Someone Else");
    customers_press(&mut q, controls::CHANGE_NAME);
    assert!(q.alert().is_some());
    assert_eq!(q.head(), head + 1);
}

#[test]
fn importing_over_events_asks_first_and_keeping_the_page_changes_nothing() {
    let mut p = busy();
    let file = p.export_all();
    let mut q = playground();
    open(&mut q, "Mine");
    let before = rows(&q);
    q.dispatch(Action::Transfer(TransferAction::Import {
        name: "theirs.json".to_owned(),
        bytes: playground::app::FileBytes(Rc::from(file.text().as_bytes())),
    }));
    while q.import_progress().is_some() {
        q.dispatch(Action::Transfer(TransferAction::ImportChunk));
    }
    let pending = q.pending_import().expect("asks first");
    assert_eq!((pending.events, pending.replaces), (p.head(), 1));
    assert_eq!(rows(&q), before);
    q.dispatch(Action::Transfer(TransferAction::CancelImport));
    assert_eq!(q.pending_import(), None);
    assert_eq!(rows(&q), before);
    q.import_all("theirs.json", file.text().as_bytes());
    assert_eq!(rows(&q), rows(&p));
}

#[test]
fn a_file_without_its_key_store_restores_the_log_with_the_personal_data_unreadable() {
    let mut p = busy();
    let text = p.export_all().text();
    let without = text
        .rsplit_once(",\n{\"specversion\":\"1.0\",\"id\":\"key-store")
        .map(|(events, _)| format!("{events}\n]\n"))
        .expect("the key store is the last record");
    let mut q = fresh();
    q.import_all("no-keys.json", without.as_bytes());
    assert_eq!(q.alert(), None);
    assert_eq!(rows(&q), rows(&p));
    let shown = format!("{:?}", q.log_rows(0..q.head()));
    assert!(!shown.contains("Alan Turing"));
    assert!(shown.contains(playground::privacy::NO_KEY));
    assert!(q.status().unwrap_or_default().contains("no key store"));
}

/// The file `busy()` exports, with `edit` applied to its text.
fn exported() -> String {
    let mut p = busy();
    p.export_all().text()
}

/// Imports `text` into a page holding one event, and returns why it was refused; the page must be
/// exactly as it was.
fn refusal(text: &str) -> ImportError {
    let mut q = playground();
    open(&mut q, "Mine");
    let before = rows(&q);
    q.import_all("bad.json", text.as_bytes());
    assert_eq!(rows(&q), before, "a refused file changes nothing");
    assert_eq!(q.pending_import(), None);
    let error = q.import_refusal().cloned().expect("refused");
    assert_eq!(q.alert(), Some(error.to_string().as_str()));
    // The page still works.
    deposit(&mut q, "1");
    assert_eq!(q.head(), 2);
    error
}

/// The `n`-th line of an exported file (1-based: line 1 is the `[`), edited.
fn with_line(text: &str, n: usize, edit: impl Fn(&str) -> String) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| if i == n { edit(line) } else { line.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a refusal points: the event's place in the file and the attribute.
type Where<'a> = (Option<u64>, Option<&'a str>);

fn where_(e: &ImportError) -> Where<'_> {
    (e.event, e.field.as_deref())
}

#[test]
fn malformed_files_are_refused_naming_what_is_wrong() {
    assert_eq!(
        refusal("[{\"a\": 1,}]").problem,
        "the file is not valid JSON: a member's name (a string) was expected (line 1, column 10)."
    );
    assert!(refusal("{\"events\": []}")
        .problem
        .starts_with("the file holds an object; a CloudEvents batch"));
    assert_eq!(
        refusal("").problem,
        "the file is not valid JSON: the text ends where a value was expected (line 1, column 1)."
    );
    assert!(refusal("true")
        .problem
        .starts_with("the file holds a boolean;"));
    assert!(refusal("this is not JSON")
        .problem
        .starts_with("the file is not valid JSON: a value was expected"));
    assert!(refusal("[]").problem.contains("no events"));
    let e = refusal("[1]");
    assert_eq!(where_(&e), (Some(1), None));
    assert_eq!(
        e.problem,
        "each element must be a CloudEvent (an object), not a number."
    );
    assert!(refusal("\u{feff}[").problem.contains("not valid JSON"));
    let mut not_utf8 = b"[\"".to_vec();
    not_utf8.extend_from_slice(&[0xFF, b'"', b']']);
    let mut q = playground();
    q.import_all("x.json", &not_utf8);
    assert!(q
        .import_refusal()
        .expect("refused")
        .problem
        .contains("not UTF-8"));
}

#[test]
fn each_wrong_attribute_is_refused_with_its_event_and_name() {
    let text = exported();
    let id_of = |line: &str| {
        line.split("\"id\":\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_owned)
    };
    let line2 = text.lines().nth(2).expect("a second event").to_owned();
    let cases: Vec<(String, Where)> = vec![
        (
            with_line(&text, 2, |l| {
                l.replacen("\"specversion\":\"1.0\"", "\"specversion\":\"0.3\"", 1)
            }),
            (Some(2), Some("specversion")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen(",\"source\":\"/es-playground\"", "", 1)
            }),
            (Some(2), Some("source")),
        ),
        (
            with_line(&text, 2, |l| l.replacen("\"type\":\"", "\"type\":\"No", 1)),
            (Some(2), Some("type")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen("\"time\":\"2026", "\"time\":\"yesterday 2026", 1)
            }),
            (Some(2), Some("time")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen("\"recordedtime\":\"2026", "\"recordedtime\":\"2026-13", 1)
            }),
            (Some(2), Some("recordedtime")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen("\"sequence\":\"2\"", "\"sequence\":\"7\"", 1)
            }),
            (Some(2), Some("sequence")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen("\"streamversion\":", "\"streamversion\":1", 1)
            }),
            (Some(2), Some("streamversion")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen("\"schemaversion\":", "\"schemaversion\":9", 1)
            }),
            (Some(2), Some("schemaversion")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen("\"correlationid\":\"", "\"correlationid\":\"x", 1)
            }),
            (Some(2), Some("correlationid")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen(
                    "\"datacontenttype\":\"application/json\"",
                    "\"datacontenttype\":\"text/html\"",
                    1,
                )
            }),
            (Some(2), Some("datacontenttype")),
        ),
        (
            with_line(&text, 2, |l| {
                l.replacen("\"subject\":\"account-1\"", "\"subject\":\"customer-1\"", 1)
            }),
            (Some(2), Some("subject")),
        ),
        (
            with_line(&text, 2, |_| {
                line2.replacen(
                    &id_of(&line2).unwrap_or_default(),
                    &id_of(text.lines().nth(1).unwrap_or_default()).unwrap_or_default(),
                    1,
                )
            }),
            (Some(2), Some("id")),
        ),
    ];
    for (file, expected) in cases {
        let e = refusal(&file);
        assert_eq!(where_(&e), expected, "{}", e);
        assert!(
            e.to_string()
                .starts_with("Nothing was imported: event 2 of the file (id “"),
            "{e}"
        );
    }
}

#[test]
fn a_payload_that_breaks_its_fields_or_the_domains_rules_is_refused() {
    let text = exported();
    // Line 2 is Ada's first deposit: {"amount":1250} in v1.
    assert!(text
        .lines()
        .nth(2)
        .is_some_and(|l| l.contains("\"data\":{\"amount\": 1250}")));
    let deposit = |data: &str| with_line(&text, 2, |l| l.replacen("{\"amount\": 1250}", data, 1));
    for (data, field, says) in [
        ("{\"amount\": -5}", "data", "an amount must be from 1"),
        (
            "{\"amount\": \"5\"}",
            "data.amount",
            "a whole number of cents was expected",
        ),
        ("{}", "data.amount", "the field is missing"),
        (
            "{\"amount\": 5, \"channel\": \"atm\"}",
            "data.channel",
            "the type has no such field",
        ),
        ("[5]", "data", "an object was expected"),
    ] {
        let e = refusal(&deposit(data));
        assert_eq!(where_(&e), (Some(2), Some(field)), "{data}: {e}");
        assert!(e.problem.contains(says), "{data}: {e}");
    }
}

#[test]
fn more_events_than_the_limit_are_refused() {
    let text = exported();
    let mut q = playground();
    q.set_import_limits(10, MAX_BYTES);
    q.import_all("many.json", text.as_bytes());
    let e = q.import_refusal().expect("refused");
    assert_eq!(e.event, None);
    assert_eq!(
        e.problem,
        "the file holds more than 10 events; at most that many are accepted."
    );
    assert_eq!(q.head(), 0);
    // The real limit is a million.
    assert_eq!(playground::interop::cloudevents::MAX_EVENTS, 1_000_000);
}

#[test]
fn too_many_bytes_are_refused_before_reading() {
    let mut q = playground();
    q.import_all("huge.json", &vec![b' '; MAX_BYTES + 1]);
    let e = q.import_refusal().expect("refused");
    assert_eq!(e.event, None);
    assert!(e.problem.contains("200 MB"));
    assert_eq!(q.head(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever the seed, the mix of domains and the versions deployed, export → import gives the
    /// same rows and export → import → export the same bytes.
    #[test]
    fn any_generated_log_round_trips(seed in 0u64..1_000, events in 1u64..400, deploy in proptest::bool::ANY, drain in proptest::bool::ANY) {
        let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), seed);
        if deploy {
            p.dispatch(Action::Schema(SchemaAction::DeployNext("ItemAdded".to_owned())));
        }
        p.generate_all(events);
        if drain {
            p.dispatch(Action::Stream(StreamAction::Drain));
        }
        let file = p.export_all();
        let mut q = fresh();
        q.import_all("x.json", file.text().as_bytes());
        prop_assert_eq!(q.alert(), None);
        prop_assert_eq!(rows(&q), rows(&p));
        prop_assert_eq!(q.export_all().text(), file.text());
    }
}
