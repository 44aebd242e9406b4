//! The event log's store queries: the filter keeps exactly what a naive filter of the log keeps,
//! before and after more events arrive, and bad filters are refused.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use playground::app::{Action, LogAction, Playground, StreamFilter};
use playground::kernel::{ManualClock, RecordedEvent, StreamId};
use proptest::prelude::*;
use std::rc::Rc;

fn set(p: &mut Playground, action: LogAction) {
    p.dispatch(Action::Log(action));
}

/// The filter written the obvious way, one event at a time.
fn naive(event: &RecordedEvent<'_>, kind: &str, stream: &StreamFilter, since: Option<i64>) -> bool {
    (kind.is_empty() || event.event_type() == kind)
        && match stream {
            StreamFilter::All => true,
            StreamFilter::Exact(id) => event.stream_id == id,
            StreamFilter::Category(c) => {
                event.stream_id.as_str().split('-').next() == Some(c.as_str())
            }
        }
        && since.is_none_or(|t| event.occurred_at_micros >= t)
}

#[test]
fn filters_parse_streams_and_times_and_refuse_the_rest() {
    assert_eq!(StreamFilter::parse(""), Ok(StreamFilter::All));
    assert_eq!(
        StreamFilter::parse(" order- "),
        Ok(StreamFilter::Category("order".into()))
    );
    assert_eq!(
        StreamFilter::parse("order"),
        Ok(StreamFilter::Category("order".into()))
    );
    assert_eq!(
        StreamFilter::parse("account-12"),
        Ok(StreamFilter::Exact(StreamId::new("account-12")))
    );
    assert!(StreamFilter::parse("account 12").is_err_and(|e| e.contains("without spaces")));
    let mut p = common::playground();
    common::open(&mut p, "Ada");
    set(&mut p, LogAction::SetType("NoSuchEvent".into()));
    assert!(p
        .alert()
        .is_some_and(|a| a.starts_with("Event type must be All or one of the types")));
    set(&mut p, LogAction::SetSince("yesterday".into()));
    assert!(p.alert().is_some_and(
        |a| a.contains("Occurred since must be a date and time such as 2026-01-05T09:00 (UTC)")
    ));
    assert!(
        !p.log_filter().is_active(),
        "refused filters change nothing"
    );
    assert_eq!(p.log_count(), "1 event");
}

fn arb_filter() -> impl Strategy<Value = (usize, u8, u64, Option<i64>)> {
    (0usize..20, 0u8..4, 1u64..60, prop::option::of(-2i64..9))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// For any type, stream and time filter, the log lists exactly the events a naive filter of the
    /// log keeps, in order — and keeps doing so as more events are appended.
    #[test]
    fn the_log_filter_equals_a_naive_filter_of_the_log(
        seed in 0u64..500,
        (type_choice, stream_kind, stream_n, days) in arb_filter(),
        more in 0u64..400,
    ) {
        let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), seed);
        p.generate_all(1_500);
        let types = p.event_types();
        let kind = if type_choice >= types.len() { "" } else { types[type_choice] };
        let stream_text = match stream_kind {
            0 => String::new(),
            1 => ["account-", "customer-", "email-", "order-"][(stream_n % 4) as usize].to_owned(),
            2 => format!("account-{stream_n}"),
            _ => format!("order-{stream_n}"),
        };
        let first = p.store().get(1).map_or(0, |e| e.occurred_at_micros);
        let since = days.map(|d| first + d * 86_400_000_000);
        let since_text = since.map(|t| {
            let t = chrono::DateTime::from_timestamp_micros(t).unwrap_or_default();
            t.format("%Y-%m-%dT%H:%M:%S").to_string()
        });
        set(&mut p, LogAction::SetType(kind.to_owned()));
        set(&mut p, LogAction::SetStream(stream_text.clone()));
        set(&mut p, LogAction::SetSince(since_text.clone().unwrap_or_default()));
        prop_assert_eq!(p.alert(), None);
        let stream = StreamFilter::parse(&stream_text).expect("valid");
        // Times are compared at whole seconds, as the field gives them.
        let since = since.map(|t| t - t.rem_euclid(1_000_000));
        for round in 0..2 {
            let expected: Vec<u64> = p
                .store()
                .read_all(1)
                .filter(|e| naive(e, kind, &stream, since))
                .map(|e| e.position)
                .collect();
            let shown: Vec<u64> = p.log_rows(0..p.log_len()).iter().map(|r| r.position).collect();
            prop_assert_eq!(&shown, &expected, "round {}", round);
            if kind.is_empty() && stream == StreamFilter::All && since.is_none() {
                prop_assert_eq!(p.log_len(), p.head());
            } else {
                prop_assert_eq!(p.log_count(), format!("{} of {} events match", playground::format::group(expected.len() as u64), playground::format::group(p.head())));
            }
            p.generate_all(more.max(1));
        }
    }
}
