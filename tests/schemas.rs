//! Schema evolution: deploying versions, reading old events through upcasters, the registry, the
//! inspector's stored-vs-upcast view, and the law that a log written partly in older versions reads
//! exactly like the same commands written in the latest (but for what an upcaster cannot recover).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{Action, GenerateAction, Playground, SchemaAction, StreamAction};
use playground::domain::bank;
use playground::kernel::{to_json, ManualClock, Position};
use proptest::prelude::*;
use std::rc::Rc;

fn deploy(p: &mut Playground, name: &str) {
    p.dispatch(Action::Schema(SchemaAction::DeployNext(name.to_owned())));
}

fn deposit_via(p: &mut Playground, amount: &str, channel: &str) {
    bank_edit(p, bank::controls::CHANNEL, channel);
    deposit(p, amount);
}

fn written(p: &Playground, name: &str) -> Option<u16> {
    p.store().schemas().written_version(name)
}

#[test]
fn deploying_a_version_writes_new_events_in_it_and_leaves_stored_ones_as_they_were() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit_via(&mut p, "10", "teller");
    let first = p.store().get(2).map(|e| e.data.to_vec());
    assert_eq!(written(&p, "MoneyDeposited"), Some(1));

    deploy(&mut p, "MoneyDeposited");
    assert_eq!(p.alert(), None);
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Deployed MoneyDeposited v2 (was v1)")));
    deposit_via(&mut p, "20", "atm");
    deploy(&mut p, "MoneyDeposited");
    deposit_via(&mut p, "30", "atm");
    assert_eq!(written(&p, "MoneyDeposited"), Some(3));

    // Nothing stored changed; each row says the version it is stored in.
    assert_eq!(p.store().get(2).map(|e| e.data.to_vec()), first);
    let versions: Vec<u16> = p.log_rows(0..10).iter().map(|r| r.schema_version).collect();
    assert_eq!(versions, [1, 1, 2, 3]);
    // Every reader sees v3: the first two deposits came through an unknown channel.
    let payloads: Vec<String> = p.log_rows(1..4).into_iter().map(|r| r.payload).collect();
    assert_eq!(
        payloads,
        [
            "amount: 10.00 EUR, channel: unknown",
            "amount: 20.00 EUR, channel: unknown",
            "amount: 30.00 EUR, channel: atm",
        ]
    );
    assert_eq!(balance(&p), "60.00");

    // The latest version cannot be deployed again; nothing changes.
    deploy(&mut p, "MoneyDeposited");
    assert_eq!(
        p.alert(),
        Some("MoneyDeposited v3 is already deployed: it is the latest version the code knows.")
    );
    assert_eq!(written(&p, "MoneyDeposited"), Some(3));
    deploy(&mut p, "NoSuchEvent");
    assert_eq!(
        p.alert(),
        Some("There is no event type called “NoSuchEvent”.")
    );
    assert_eq!(p.head(), 4);
}

#[test]
fn the_log_shows_events_as_stored_or_as_read() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "12.5");
    deploy(&mut p, "MoneyDeposited");
    deploy(&mut p, "MoneyDeposited");
    deposit_via(&mut p, "1", "teller");
    p.dispatch(Action::Schema(SchemaAction::ShowStored(true)));
    assert!(p.shows_stored());
    let stored: Vec<String> = p.log_rows(0..3).into_iter().map(|r| r.payload).collect();
    assert_eq!(
        stored,
        [
            r#"{"owner": "Ada"}"#,
            r#"{"amount": 1250}"#,
            r#"{"amount": 100, "currency": "EUR", "channel": "teller"}"#,
        ]
    );
    p.dispatch(Action::Schema(SchemaAction::ShowStored(false)));
    assert_eq!(
        p.log_rows(1..2)[0].payload,
        "amount: 12.50 EUR, channel: unknown"
    );
}

#[test]
fn the_inspector_shows_an_old_event_as_stored_and_as_upcast_with_each_step() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "12.5");
    p.dispatch(Action::Inspect(2));
    let both = p.inspected_stored().expect("an event is inspected");
    assert_eq!((both.stored_version, both.latest), (1, 3));
    assert_eq!(both.stored, "{\n  \"amount\": 1250\n}");
    assert_eq!(
        both.upcast,
        "{\n  \"amount\": 1250,\n  \"currency\": \"EUR\",\n  \"channel\": \"unknown\"\n}"
    );
    let steps: Vec<(u16, u16, bool)> = both
        .steps
        .iter()
        .map(|s| (s.from, s.to, s.lossy.is_some()))
        .collect();
    assert_eq!(steps, [(1, 2, false), (2, 3, true)]);
    assert!(both.steps[0].name.starts_with("add_currency"));
    assert!(both.steps[1].name.starts_with("add_channel"));

    // An event of a type that never evolved reads the same both ways, with no step.
    p.dispatch(Action::Inspect(1));
    let opened = p.inspected_stored().expect("inspected");
    assert_eq!(opened.stored, opened.upcast);
    assert!(opened.steps.is_empty());
}

#[test]
fn the_registry_lists_every_type_of_every_domain_with_its_fields_per_version() {
    let p = playground();
    let registry = p.schema_registry();
    for module in p.modules() {
        for name in module.event_types() {
            assert!(
                registry.iter().any(|t| t.name == name),
                "{name} of {} is missing",
                module.title()
            );
        }
    }
    let deposited = registry
        .iter()
        .find(|t| t.name == "MoneyDeposited")
        .expect("listed");
    assert_eq!(deposited.domain, "Bank accounts");
    let fields: Vec<Vec<&str>> = deposited
        .versions
        .iter()
        .map(|v| v.fields.iter().map(|(n, _)| n.as_str()).collect())
        .collect();
    assert_eq!(
        fields,
        [
            vec!["amount"],
            vec!["amount", "currency"],
            vec!["amount", "currency", "channel"]
        ]
    );
    assert_eq!(deposited.versions[0].fields[0].1, "money (cents)");
    assert!(deposited.versions[0].written && !deposited.versions[2].written);
    assert_eq!(deposited.versions[0].upcaster, None);
    assert!(deposited.versions[2]
        .upcaster
        .as_deref()
        .is_some_and(|u| u.starts_with("add_channel")));
    let evolving: Vec<(String, u16, u16)> = p
        .evolving_types()
        .into_iter()
        .map(|t| (t.name, t.written, t.latest))
        .collect();
    assert_eq!(
        evolving,
        [
            ("MoneyDeposited".to_owned(), 1, 3),
            ("ItemAdded".to_owned(), 1, 2)
        ]
    );
}

/// Generates `count` events, then lets the broker drain (so the sagas' services write theirs).
fn generate(p: &mut Playground, count: u64) {
    p.dispatch(Action::Generate(GenerateAction::EditCount(
        count.to_string(),
    )));
    p.dispatch(Action::Generate(GenerateAction::Start));
    while p.generator().is_some() {
        p.dispatch(Action::Generate(GenerateAction::Chunk));
    }
    p.dispatch(Action::Stream(StreamAction::Drain));
}

/// Every stored event of every domain walks through its version's field table, and its upcast
/// bytes through the latest's: the registry and the inspector describe exactly what the codecs
/// write.
#[test]
fn every_stored_event_reads_through_its_field_table_in_every_version() {
    let mut p = playground();
    generate(&mut p, 1_500);
    deploy(&mut p, "MoneyDeposited");
    deploy(&mut p, "ItemAdded");
    generate(&mut p, 1_000);
    deploy(&mut p, "MoneyDeposited");
    generate(&mut p, 1_000);
    let mut seen = std::collections::BTreeSet::new();
    for e in p.store().read_all(1) {
        seen.insert((e.event_type().to_owned(), e.schema_version()));
        let stored = to_json(e.schema.fields(), e.data, false);
        assert!(
            stored.is_ok(),
            "#{} {}: {stored:?}",
            e.position,
            e.event_type()
        );
        let upcast = e
            .schema
            .upcast(e.data)
            .expect("a decoder")
            .expect("decodes");
        let latest = to_json(e.schema.latest_fields(), &upcast, false);
        assert!(
            latest.is_ok(),
            "#{} {}: {latest:?}",
            e.position,
            e.event_type()
        );
    }
    for version in 1..=3 {
        assert!(seen.contains(&("MoneyDeposited".to_owned(), version)));
    }
    assert!(
        seen.contains(&("ItemAdded".to_owned(), 1)) && seen.contains(&("ItemAdded".to_owned(), 2))
    );
    let types: std::collections::BTreeSet<&str> = seen.iter().map(|(t, _)| t.as_str()).collect();
    for module in p.modules() {
        assert!(
            module.event_types().iter().any(|t| types.contains(t)),
            "no event of {} was checked",
            module.title()
        );
    }
    let mix = p
        .evolving_types()
        .into_iter()
        .find(|t| t.name == "MoneyDeposited")
        .expect("evolving");
    assert!(mix.stored.iter().all(|&(_, n)| n > 0), "{:?}", mix.stored);
}

/// The one field an upcaster cannot recover: the channel of a deposit written before v3.
const LOSSY: &[&str] = &["channel: "];

/// A view's text with every lossy field's value blanked.
fn without_lossy(text: &str) -> String {
    let mut out = text.to_owned();
    for marker in LOSSY {
        let mut from = 0;
        while let Some(at) = out[from..].find(marker) {
            let start = from + at + marker.len();
            let end = out[start..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .map_or(out.len(), |e| start + e);
            out.replace_range(start..end, "?");
            from = start + 1;
        }
    }
    out
}

fn snapshot_of(p: &mut Playground, at: Position) -> Vec<String> {
    p.dispatch(Action::SeekTimeline(at));
    let mut seen = Vec::new();
    for key in tab_keys(p) {
        if let Some(view) = p.state_of(key) {
            seen.push(without_lossy(&format!("{view:?}")));
        }
    }
    seen
}

fn everything(p: &mut Playground, seeks: &[Position]) -> Vec<String> {
    let mut seen: Vec<String> = p
        .log_rows(0..p.log_len())
        .into_iter()
        .map(|r| without_lossy(&format!("{} {} {}", r.position, r.event_type, r.payload)))
        .collect();
    for &at in seeks {
        seen.extend(snapshot_of(p, at));
    }
    p.dispatch(Action::SeekTimeline(p.head()));
    p.dispatch(Action::Stream(StreamAction::Drain));
    p.dispatch(Action::Stream(StreamAction::RunBatch));
    for models in [p.streaming().batch(), p.streaming().pipeline().projection()] {
        seen.extend(
            p.model_views(models)
                .iter()
                .map(|v| without_lossy(&format!("{v:?}"))),
        );
    }
    seen.extend(
        p.model_views(p.queries().models())
            .iter()
            .map(|v| format!("{v:?}")),
    );
    seen
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Commands written partly before and partly after each deploy read exactly like the same
    /// commands written in the latest versions throughout: every event as read, every state at
    /// every seek (through snapshots every 5 events), every projection online and batch, and the
    /// query side. Only the deposits' channel differs, which no upcaster can recover.
    #[test]
    fn a_log_of_mixed_versions_reads_like_one_written_in_the_latest(
        seed in any::<u64>(),
        chunks in proptest::collection::vec(50u64..250, 3..6),
        deploys in proptest::collection::vec((0usize..6, any::<bool>()), 0..4),
        seek_fractions in proptest::collection::vec(0.0f64..1.0, 1..4),
    ) {
        let make = || {
            Playground::with_registry(
                Rc::new(ManualClock::starting_2026()),
                seed,
                &Playground::hosted(),
                5,
            )
        };
        let (mut mixed, mut latest) = (make(), make());
        for name in ["MoneyDeposited", "MoneyDeposited", "ItemAdded"] {
            deploy(&mut latest, name);
        }
        for (i, &n) in chunks.iter().enumerate() {
            for &(at, deposit) in &deploys {
                if at == i {
                    deploy(&mut mixed, if deposit { "MoneyDeposited" } else { "ItemAdded" });
                }
            }
            generate(&mut mixed, n);
            generate(&mut latest, n);
        }
        prop_assert_eq!(mixed.head(), latest.head());
        let head = mixed.head();
        let seeks: Vec<Position> = seek_fractions.iter().map(|f| (f * head as f64) as Position).collect();
        let (a, b) = (everything(&mut mixed, &seeks), everything(&mut latest, &seeks));
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x, y);
        }
    }
}
