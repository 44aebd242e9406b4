//! The event store's semantics: expected versions, idempotent appends, contiguity, reads, subscriptions.
#![cfg(not(target_arch = "wasm32"))]

use chrono::DateTime;
use playground::kernel::{
    field, get, put, AppendError, DecodeError, DomainEvent, EventStore, EventType,
    ExpectedVersion as Expected, Kind, ManualClock, NewEvent, SchemaId, StreamId, Subscription,
};
use uuid::Uuid;

/// A one-type domain of notes, each a line of text.
#[derive(Debug, Clone, PartialEq)]
struct Note(String);

impl DomainEvent for Note {
    const TYPES: &'static [EventType] = &[EventType::v1("Note", &[field("text", Kind::Text)])];

    fn type_index(&self) -> usize {
        0
    }

    fn encode(&self, out: &mut Vec<u8>) {
        put(out, &self.0);
    }

    fn decode(_: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        get(data, "Note", version).map(Note)
    }
}

/// A store that knows notes.
fn store() -> EventStore {
    let mut store = EventStore::new(ManualClock::starting_2026());
    store.register::<Note>();
    store
}

/// The id of the note schema: the first a store registers, so the same in every store here.
fn note_schema() -> SchemaId {
    EventStore::new(ManualClock::starting_2026()).register::<Note>()[0]
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn note_in(schema: SchemaId, n: u128, text: &str) -> NewEvent {
    let mut data = Vec::new();
    Note(text.to_owned()).encode(&mut data);
    NewEvent {
        event_id: id(n),
        schema,
        data,
        occurred_at: DateTime::from_timestamp(1_000_000, 0).unwrap_or_default(),
        recorded_at: None,
        correlation_id: id(1000 + n),
        causation_id: id(2000 + n),
    }
}

fn note(n: u128, text: &str) -> NewEvent {
    note_in(note_schema(), n, text)
}

fn s(name: &str) -> StreamId {
    StreamId::new(name)
}

/// One line per case: the stream's version before the append (None = no stream), the expectation, and
/// whether the append succeeds.
#[track_caller]
fn check_expected(existing: Option<u64>, expected: Expected, succeeds: bool) {
    let mut store = store();
    for i in 0..existing.unwrap_or(0) {
        store
            .append(&s("a"), Expected::Any, vec![note(u128::from(i) + 1, "x")])
            .expect("setup append");
    }
    let result = store.append(&s("a"), expected, vec![note(99, "new")]);
    if succeeds {
        let outcome = result.expect("append should succeed");
        assert_eq!(outcome.stream_version, existing.unwrap_or(0) + 1);
        assert_eq!(store.head(), existing.unwrap_or(0) + 1);
    } else {
        assert_eq!(
            result,
            Err(AppendError::WrongExpectedVersion {
                stream: s("a"),
                expected,
                actual: existing,
            })
        );
        assert_eq!(store.head(), existing.unwrap_or(0), "nothing appended");
    }
}

#[test]
fn expected_version_cases() {
    check_expected(None, Expected::Any, true);
    check_expected(Some(2), Expected::Any, true);
    check_expected(None, Expected::NoStream, true);
    check_expected(Some(1), Expected::NoStream, false);
    check_expected(None, Expected::StreamExists, false);
    check_expected(Some(1), Expected::StreamExists, true);
    check_expected(Some(2), Expected::Exact(2), true);
    check_expected(Some(2), Expected::Exact(1), false);
    check_expected(Some(2), Expected::Exact(3), false);
    check_expected(None, Expected::Exact(0), true);
    check_expected(None, Expected::Exact(1), false);
}

#[test]
fn wrong_expected_version_message_names_stream_expected_and_actual() {
    let error = AppendError::WrongExpectedVersion {
        stream: s("account-1"),
        expected: Expected::Exact(3),
        actual: Some(5),
    };
    assert_eq!(
        error.to_string(),
        "Wrong expected version on stream 'account-1': expected version 3, but the stream is at version 5"
    );
}

#[test]
fn positions_and_versions_are_contiguous_and_one_based() {
    let mut store = store();
    store
        .append(
            &s("a"),
            Expected::NoStream,
            vec![note(1, "a1"), note(2, "a2")],
        )
        .expect("append");
    let outcome = store
        .append(&s("b"), Expected::NoStream, vec![note(3, "b1")])
        .expect("append");
    assert_eq!(outcome.positions, 3..=3);
    store
        .append(&s("a"), Expected::Exact(2), vec![note(4, "a3")])
        .expect("append");
    let log: Vec<(u64, String, u64)> = store
        .read_all(1)
        .map(|e| (e.position, e.stream_id.to_string(), e.stream_version))
        .collect();
    assert_eq!(
        log,
        vec![
            (1, "a".into(), 1),
            (2, "a".into(), 2),
            (3, "b".into(), 1),
            (4, "a".into(), 3)
        ]
    );
    let stream_a: Vec<String> = store
        .read_stream(&s("a"), 2)
        .filter_map(|e| e.decode::<Note>())
        .map(|n| n.0)
        .collect();
    assert_eq!(stream_a, ["a2", "a3"]);
    assert_eq!(store.stream_version_at(&s("a"), 3), 2);
    assert_eq!(store.position_of(&s("a"), 3), Some(4));
}

#[test]
fn the_envelope_keeps_every_field_the_writer_gave() {
    let mut store = store();
    store
        .append(&s("a"), Expected::Any, vec![note(7, "hello")])
        .expect("append");
    let e = store.get(1).expect("event 1");
    assert_eq!(e.event_id, id(7));
    assert_eq!(e.correlation_id, id(1007));
    assert_eq!(e.causation_id, id(2007));
    assert_eq!(e.event_type(), "Note");
    assert_eq!(e.schema_version(), 1);
    assert_eq!(e.decode::<Note>(), Some(Note("hello".into())));
    assert_eq!(e.occurred_at().timestamp(), 1_000_000);
    assert_eq!(e.recorded_at().to_rfc3339(), "2026-01-01T09:00:00+00:00");
    assert!(store.get(2).is_none());
    assert!(store.get(0).is_none());

    // The common case, correlation id = causation id (a command that starts a new intention), too.
    let mut same = note(8, "again");
    same.correlation_id = same.causation_id;
    store
        .append(&s("a"), Expected::Any, vec![same])
        .expect("append");
    let e = store.get(2).expect("event 2");
    assert_eq!((e.correlation_id, e.causation_id), (id(2008), id(2008)));
    assert_eq!(store.get(1).map(|e| e.correlation_id), Some(id(1007)));
}

#[test]
fn resending_the_same_batch_is_an_idempotent_no_op() {
    let mut store = store();
    let first = store
        .append(
            &s("a"),
            Expected::NoStream,
            vec![note(1, "x"), note(2, "y")],
        )
        .expect("append");
    store
        .append(&s("b"), Expected::Any, vec![note(3, "z")])
        .expect("append");
    // A retry with the original (now stale) expectation still succeeds and appends nothing.
    let retry = store
        .append(
            &s("a"),
            Expected::NoStream,
            vec![note(1, "x"), note(2, "y")],
        )
        .expect("idempotent retry");
    assert_eq!(retry.positions, first.positions);
    assert!(retry.idempotent);
    assert_eq!(store.head(), 3);
}

#[test]
fn same_id_with_different_content_is_refused() {
    let mut store = store();
    store
        .append(&s("a"), Expected::Any, vec![note(1, "x")])
        .expect("append");
    assert_eq!(
        store.append(&s("a"), Expected::Any, vec![note(1, "changed")]),
        Err(AppendError::IdConflict { event_id: id(1) })
    );
    assert_eq!(
        store.append(&s("other"), Expected::Any, vec![note(1, "x")]),
        Err(AppendError::IdConflict { event_id: id(1) })
    );
    assert_eq!(store.head(), 1);
}

#[test]
fn a_batch_partly_appended_before_is_refused_whole() {
    let mut store = store();
    store
        .append(&s("a"), Expected::Any, vec![note(1, "x")])
        .expect("append");
    assert_eq!(
        store.append(&s("a"), Expected::Any, vec![note(1, "x"), note(2, "y")]),
        Err(AppendError::PartialDuplicate)
    );
    assert_eq!(
        store.append(&s("a"), Expected::Any, vec![note(3, "y"), note(3, "y")]),
        Err(AppendError::DuplicateIdInBatch { event_id: id(3) })
    );
    assert_eq!(store.head(), 1);
}

#[test]
fn an_empty_batch_checks_the_expectation_and_appends_nothing() {
    let mut store = store();
    let outcome = store
        .append(&s("a"), Expected::NoStream, vec![])
        .expect("empty append");
    assert!(outcome.positions.is_empty());
    assert_eq!(store.stream_version(&s("a")), None);
    assert!(store
        .append(&s("a"), Expected::StreamExists, vec![])
        .is_err());
}

#[test]
fn a_subscription_delivers_each_event_once_in_order_from_any_position() {
    let mut store = store();
    for i in 1..=5 {
        store
            .append(&s("a"), Expected::Any, vec![note(i, "x")])
            .expect("append");
    }
    let mut sub = Subscription::from_start();
    let first: Vec<u64> = sub.poll(&store, 2).iter().map(|e| e.position).collect();
    assert_eq!(first, [1, 2]);
    assert_eq!(sub.lag(&store), 3);
    store
        .append(&s("b"), Expected::Any, vec![note(6, "y")])
        .expect("append");
    let rest: Vec<u64> = sub.poll(&store, 100).iter().map(|e| e.position).collect();
    assert_eq!(rest, [3, 4, 5, 6]);
    assert!(sub.poll(&store, 100).is_empty());
    assert_eq!(sub.lag(&store), 0);
    let mut replay = Subscription::from_position(5);
    let replayed: Vec<u64> = replay
        .poll(&store, 100)
        .iter()
        .map(|e| e.position)
        .collect();
    assert_eq!(replayed, [5, 6]);
}

#[test]
fn recorded_times_are_stamped_or_restored_exactly() {
    let mut store = store();
    let mut restored = note(1, "from an export");
    let then = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap_or_default();
    restored.recorded_at = Some(then);
    store
        .append(&s("a"), Expected::Any, vec![restored, note(2, "now")])
        .expect("append");
    assert_eq!(store.get(1).map(|e| e.recorded_at()), Some(then));
    assert_eq!(
        store.get(2).map(|e| e.recorded_at().to_rfc3339()),
        Some("2026-01-01T09:00:00+00:00".to_owned())
    );
}

#[test]
fn rows_know_their_type_and_schema_and_refuse_what_is_not_registered() {
    let mut store = store();
    assert_eq!(store.schemas().len(), 1);
    let schema = store.schemas().get(note_schema()).expect("registered");
    assert_eq!((schema.name(), schema.version()), ("Note", 1));
    assert_eq!(
        store.register::<Note>(),
        vec![note_schema()],
        "registering again changes nothing"
    );
    let unknown = note_in(SchemaId::NONE, 1, "x");
    assert!(matches!(
        store.append(&s("a"), Expected::Any, vec![unknown]),
        Err(AppendError::UnknownSchema(_))
    ));
    let mut huge = note(2, "x");
    huge.data = vec![0; 70_000];
    assert_eq!(
        store.append(&s("a"), Expected::Any, vec![huge]),
        Err(AppendError::TooLarge { bytes: 70_000 })
    );
    assert_eq!(store.head(), 0, "nothing appended");
}

#[test]
fn streams_have_a_category() {
    assert_eq!(s("account-12").category(), "account");
    assert_eq!(s("email-ada-l@example.com").category(), "email");
    assert_eq!(s("plain").category(), "plain");
    assert_eq!(StreamId::of("order", 3), s("order-3"));
}

#[test]
fn an_event_id_is_unique_across_the_whole_log() {
    let mut store = store();
    store
        .append(&s("a"), Expected::Any, vec![note(1, "x")])
        .expect("append");
    // Re-sent to its own stream with any expectation: a no-op; to another stream: refused.
    let again = store
        .append(&s("a"), Expected::Exact(7), vec![note(1, "x")])
        .expect("idempotent");
    assert!(again.idempotent);
    assert_eq!(
        store.append(&s("b"), Expected::NoStream, vec![note(1, "x")]),
        Err(AppendError::IdConflict { event_id: id(1) })
    );
    assert_eq!(store.find_event(&id(1)), Some(1));
}

#[test]
fn reserving_room_changes_nothing_a_reader_or_a_retry_sees() {
    let mut store = store();
    store
        .append(&s("a"), Expected::NoStream, vec![note(1, "x")])
        .expect("append");
    store.reserve(10_000);
    for n in 2..=1_000u128 {
        let stream = s(&format!("stream-{}", n % 37));
        store
            .append(&stream, Expected::Any, vec![note(n, "y")])
            .expect("append");
    }
    assert_eq!(store.head(), 1_000);
    assert_eq!(store.find_event(&id(1)), Some(1));
    assert_eq!(store.find_event(&id(777)), Some(777));
    let retry = store
        .append(&s("stream-0"), Expected::NoStream, vec![note(999, "y")])
        .expect("idempotent retry");
    assert!(retry.idempotent);
    assert_eq!(store.head(), 1_000);
}

#[test]
fn a_stream_id_read_back_from_the_log_finds_the_same_stream() {
    let mut store = store();
    let written = StreamId::new("order-12");
    store
        .append(&written, Expected::NoStream, vec![note(1, "x")])
        .expect("append");
    // A fresh id of the same name (as a query or a decoded payload makes one) is the same stream.
    let typed = StreamId::new(String::from("order-") + "12");
    assert_eq!(typed, written);
    assert_eq!(typed.hash(), written.hash());
    assert_eq!(store.stream_version(&typed), Some(1));
    assert_eq!(store.stream_number(&typed), Some(0));
    assert_eq!(store.stream_number(&s("order-13")), None);
}

#[test]
fn correlations_and_ids_survive_a_growing_log_across_its_chunks() {
    // 10,000 events (more than two chunks of rows, and many growths of the id index): every third
    // starts its own intention (correlation = causation), the others share one of 50 sagas'
    // correlations.
    let mut store = store();
    let correlation_of = |n: u128| {
        if n.is_multiple_of(3) {
            id(2000 + n)
        } else {
            id(900_000 + n % 50)
        }
    };
    for n in 1..=10_000u128 {
        let mut event = note(n, "z");
        event.correlation_id = correlation_of(n);
        store
            .append(&s(&format!("saga-{}", n % 50)), Expected::Any, vec![event])
            .expect("append");
    }
    for n in [1u128, 2, 3, 4_095, 4_096, 4_097, 8_192, 9_999, 10_000] {
        let position = store.find_event(&id(n)).expect("stored");
        assert_eq!(position, n as u64);
        let e = store.get(position).expect("event");
        assert_eq!(
            (e.correlation_id, e.causation_id),
            (correlation_of(n), id(2000 + n))
        );
    }
    assert_eq!(store.find_event(&id(10_001)), None);
    // Every event read in one pass carries its own correlation.
    let mut checked = 0u128;
    store.for_each_in(1, store.head(), |e| {
        checked += 1;
        assert_eq!(e.correlation_id, correlation_of(checked));
    });
    assert_eq!(checked, 10_000);
}

#[test]
fn a_recently_decoded_stream_name_is_the_same_stream_whatever_the_cache_holds() {
    // Two thousand names through a cache of about a thousand slots: collisions replace entries,
    // and every id still equals (and hashes as) the one made from its name.
    for n in 0..2_000 {
        let name = format!("order-{n}");
        let id = StreamId::recent(&name);
        assert_eq!(id, StreamId::new(&name));
        assert_eq!(id.hash(), StreamId::new(&name).hash());
        assert_eq!(id.as_str(), name);
    }
    assert_ne!(StreamId::recent("order-1"), StreamId::recent("order-2"));
}

/// Everything a reader sees of every event.
fn snapshot(store: &EventStore) -> Vec<String> {
    store
        .read_all(1)
        .map(|e| {
            format!(
                "{} {} {} {} {:?} {} {} {} {}",
                e.position,
                e.event_id,
                e.stream_id,
                e.stream_version,
                e.data,
                e.occurred_at_micros,
                e.recorded_at_micros,
                e.correlation_id,
                e.causation_id
            )
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..Default::default() })]

    /// A fork at any position reads exactly the log's first events, shares them without copying,
    /// and from then on neither store sees what the other appends.
    #[test]
    fn a_fork_is_the_prefix_and_never_changes_the_log_it_came_from(
        events in proptest::collection::vec((0u8..6, 0usize..40_000, proptest::bool::ANY), 1..80),
        small in 0usize..9_000,
        cut in 0.0f64..=1.0,
    ) {
        let mut store = store();
        let mut n = 0u128;
        let mut append = |store: &mut EventStore, stream: u8, len: usize, correlated: bool| {
            n += 1;
            let mut event = note(n, &"x".repeat(len));
            if correlated {
                event.correlation_id = id(1_000_000 + u128::from(stream));
            }
            store
                .append(&s(&format!("note-{stream}")), Expected::Any, vec![event])
                .expect("append");
        };
        // Big events cross the data arena's chunks, small ones the rows' chunks.
        for &(stream, len, correlated) in &events {
            append(&mut store, stream, len, correlated);
        }
        for i in 0..small {
            append(&mut store, (i % 5) as u8, i % 7, i % 3 == 0);
        }
        let head = store.head();
        let at = (head as f64 * cut) as u64;
        let before = snapshot(&store);
        let mut fork = store.fork(at, ManualClock::starting_2026());
        proptest::prop_assert_eq!(fork.head(), at);
        proptest::prop_assert_eq!(&snapshot(&fork)[..], &before[..at as usize]);
        for stream in 0..6u8 {
            let id = s(&format!("note-{stream}"));
            proptest::prop_assert_eq!(
                fork.stream_version(&id).unwrap_or(0),
                store.stream_version_at(&id, at)
            );
        }
        for p in [1, at, at + 1, head] {
            if let Some(e) = store.get(p) {
                proptest::prop_assert_eq!(fork.find_event(&e.event_id).is_some(), p <= at);
            }
        }
        // Each appends on its own, through the expected version of its own stream.
        let version = fork.stream_version(&s("note-1")).unwrap_or(0);
        let mut event = note(5_000_000, "branch");
        event.correlation_id = id(42);
        fork.append(&s("note-1"), Expected::Exact(version), vec![event]).expect("the fork appends");
        if let Some(later) = store.get(at + 1) {
            // An event of the log after the fork is not in the fork: it can be appended there.
            let copy = note(later.event_id.as_u128(), "again");
            fork.append(&s("note-9"), Expected::NoStream, vec![copy]).expect("not a duplicate in the fork");
        }
        append(&mut store, 2, 10, true);
        proptest::prop_assert_eq!(&snapshot(&store)[..head as usize], &before[..]);
        proptest::prop_assert_eq!(store.head(), head + 1);
        let forked = snapshot(&fork);
        proptest::prop_assert_eq!(&forked[..at as usize], &before[..at as usize]);
        proptest::prop_assert!(forked[at as usize].contains(&id(42).to_string()));
        proptest::prop_assert!(store.find_event(&id(5_000_000)).is_none());
    }
}
