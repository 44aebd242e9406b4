//! The online-vs-batch controls, through the reducer: every reason a difference can have, and
//! convergence.
#![cfg(not(target_arch = "wasm32"))]

use playground::app::{Action, Convergence, Playground, Setting, StreamAction};
use playground::kernel::ManualClock;
use playground::readmodel::RowId;
use playground::sim::{BrokerModel, Failure, FailureMode, Reason};
use std::rc::Rc;

fn with_events(count: u64) -> Playground {
    let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), 11);
    p.generate_all(count);
    p
}

fn set(p: &mut Playground, setting: Setting, value: &str) {
    p.dispatch(Action::Stream(StreamAction::Set(setting, value.into())));
    assert_eq!(p.alert(), None, "setting {setting:?} to {value:?}");
}

fn toggle(p: &mut Playground, setting: Setting, on: bool) {
    p.dispatch(Action::Stream(StreamAction::Toggle(setting, on)));
    assert_eq!(p.alert(), None, "toggling {setting:?}");
}

fn act(p: &mut Playground, action: StreamAction) {
    p.dispatch(Action::Stream(action));
}

fn status(p: &Playground) -> Convergence {
    p.streaming().convergence(p.store())
}

fn reasons(p: &Playground) -> Vec<String> {
    p.streaming()
        .differences(p.store())
        .iter()
        .flat_map(|d| d.reasons.iter().map(|r| r.to_string()))
        .collect()
}

#[track_caller]
fn assert_reason(p: &Playground, fragment: &str) {
    let all = reasons(p);
    assert!(
        all.iter().any(|r| r.contains(fragment)),
        "no reason containing {fragment:?} in {all:?}"
    );
}

#[test]
fn with_default_settings_draining_converges() {
    let mut p = with_events(3_000);
    assert!(
        matches!(
            status(&p),
            Convergence::EqualInFlight { .. } | Convergence::DifferInFlight { .. }
        ),
        "{}",
        status(&p)
    );
    act(&mut p, StreamAction::Drain);
    assert!(p.status().is_some_and(|s| s.starts_with("Drained in")));
    assert_eq!(status(&p), Convergence::Converged);
    assert!(
        p.head() > 3_000,
        "the sagas of the generated orders wrote too"
    );
    assert_eq!(
        p.streaming().batch_run().0,
        p.head(),
        "the scheduled batch ran over the whole log"
    );
}

#[test]
fn events_in_flight_are_not_yet_delivered() {
    let mut p = with_events(500);
    set(&mut p, Setting::Delay, "20");
    act(&mut p, StreamAction::RunBatch);
    act(&mut p, StreamAction::Step);
    assert_reason(&p, "not yet delivered (lag");
    let lag: u64 = p
        .streaming()
        .pipeline()
        .partitions()
        .iter()
        .map(|s| s.lag)
        .sum();
    assert_eq!(lag, 500);
}

#[test]
fn duplicates_without_idempotency_differ_and_with_it_converge_after_replay() {
    let mut p = with_events(2_000);
    set(&mut p, Setting::DuplicateRate, "30");
    act(&mut p, StreamAction::Drain);
    assert_reason(&p, "duplicate applied");
    assert!(
        matches!(status(&p), Convergence::DifferDrained { .. }),
        "{}",
        status(&p)
    );
    assert!(status(&p)
        .to_string()
        .contains("differ although the broker is drained"));
    toggle(&mut p, Setting::Idempotent, true);
    act(&mut p, StreamAction::Replay);
    act(&mut p, StreamAction::Drain);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn failures_park_events_in_the_dead_letter_queue() {
    let mut p = with_events(1_000);
    set(&mut p, Setting::FailureRate, "60");
    set(&mut p, Setting::Retries, "1");
    act(&mut p, StreamAction::Drain);
    assert!(p.streaming().pipeline().dead_letter_count() > 0);
    assert_reason(&p, "parked in the dead-letter queue");
}

#[test]
fn commit_before_processing_with_crashes_loses_events() {
    let mut p = with_events(2_000);
    set(&mut p, Setting::CommitPolicy, "before");
    set(&mut p, Setting::CrashRate, "30");
    act(&mut p, StreamAction::Drain);
    assert_reason(&p, "lost by at-most-once commit");
}

#[test]
fn a_batch_run_before_new_events_is_stale() {
    let mut p = with_events(500);
    set(&mut p, Setting::BatchEvery, "0");
    act(&mut p, StreamAction::RunBatch);
    p.generate_all(100);
    act(&mut p, StreamAction::Drain);
    assert_reason(&p, "batch is stale (last run at position 500)");
    act(&mut p, StreamAction::RunBatch);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn bad_settings_are_refused_and_change_nothing() {
    let mut p = with_events(10);
    let before = p.streaming().config();
    for (setting, bad) in [
        (Setting::Partitions, "0"),
        (Setting::Partitions, "17"),
        (Setting::Consumers, "nine"),
        (Setting::DuplicateRate, "101"),
        (Setting::FailureRate, "-1"),
        (Setting::Delay, "1.5"),
        (Setting::Seed, ""),
        (Setting::CommitPolicy, "sometimes"),
        (Setting::Assignment, "sticky"),
        (Setting::WindowHours, "0"),
        (Setting::ChartValue, "pizzas"),
        (Setting::Idempotent, "true"),
        (Setting::FailureMode, "sometimes"),
        (Setting::FailureMode, "<script>"),
        (Setting::OutageTicks, "0"),
        (Setting::OutageTicks, "10001"),
        (Setting::OutageTicks, "ten"),
        (Setting::OrderedDlq, "yes"),
        (Setting::MaxInFlight, "-5"),
        (Setting::MaxInFlight, "100001"),
        (Setting::PauseRelay, "1e9"),
        (Setting::PauseRelay, "lots"),
        (Setting::BrokerModel, "kafka"),
        (Setting::BrokerModel, "<i>queue</i>"),
        (Setting::VisibilityTimeout, "0"),
        (Setting::VisibilityTimeout, "forever"),
        (Setting::Retention, "-100"),
        (Setting::Retention, "10000001"),
    ] {
        p.dispatch(Action::Stream(StreamAction::Set(setting, bad.into())));
        let alert = p.alert().unwrap_or_default().to_owned();
        assert!(!alert.is_empty(), "{setting:?} = {bad:?} was accepted");
        assert!(alert.contains("must be"), "{alert}");
    }
    assert_eq!(p.streaming().config(), before);
}

#[test]
fn partitions_and_seed_apply_at_replay() {
    let mut p = with_events(100);
    set(&mut p, Setting::Partitions, "7");
    assert!(p
        .status()
        .is_some_and(|s| s.contains("next Replay from start")));
    assert_eq!(p.streaming().pipeline().partitions().len(), 3);
    act(&mut p, StreamAction::Replay);
    assert_eq!(p.streaming().pipeline().partitions().len(), 7);
    set(&mut p, Setting::Consumers, "3");
    act(&mut p, StreamAction::Step);
    let owners: Vec<Option<u16>> = p
        .streaming()
        .pipeline()
        .partitions()
        .iter()
        .map(|s| s.owner)
        .collect();
    assert_eq!(
        owners,
        [
            Some(0),
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(2),
            Some(2)
        ]
    );
}

#[test]
fn the_chart_follows_online_and_batch() {
    let mut p = with_events(1_000);
    set(&mut p, Setting::BatchEvery, "0");
    for _ in 0..5 {
        act(&mut p, StreamAction::Step);
    }
    let chart = p.streaming().chart();
    assert_eq!(chart.len(), 5);
    assert!(
        chart[4].online[0] > chart[0].online[0],
        "online grows tick by tick"
    );
    assert!(
        chart.iter().all(|c| c.batch.iter().all(|&v| v == 0)),
        "batch never ran"
    );
    let series: Vec<&str> = p.streaming().all_series().iter().map(|s| s.code).collect();
    assert_eq!(
        series,
        [
            "balance",
            "deposits",
            "accounts",
            "customers",
            "orders",
            "completed",
            "revenue",
            "units-reserved",
            "reservations-rejected",
            "units-restocked",
            "authorised",
            "captured",
            "refunded",
            "voided",
            "declined",
            "scheduled",
            "shipped",
            "delivered",
            "sagas-running",
            "sagas-completed",
            "sagas-compensated",
            "sagas-timed-out"
        ]
    );
    set(&mut p, Setting::ChartValue, "revenue");
    assert_eq!(p.streaming().chart_series().label, "Revenue");
    let lines = p.streaming().chart_lines(600.0, 200.0);
    assert_eq!(lines.online.split(' ').count(), 5);
    assert!(lines.online.starts_with("0.0,"));
}

#[test]
fn the_per_stream_version_check_skips_events_a_broken_producer_reorders() {
    let mut p = with_events(2_000);
    set(&mut p, Setting::IdempotencyKey, "stream-version");
    toggle(&mut p, Setting::Idempotent, true);
    set(&mut p, Setting::ReorderWindow, "8");
    toggle(&mut p, Setting::BrokenProducer, true);
    act(&mut p, StreamAction::Drain);
    assert_reason(&p, "skipped by the per-stream version check");
    // Remembering event ids instead, the same faults converge.
    set(&mut p, Setting::IdempotencyKey, "event-id");
    toggle(&mut p, Setting::BrokenProducer, false);
    act(&mut p, StreamAction::Replay);
    act(&mut p, StreamAction::Drain);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn reordering_within_a_partition_changes_only_order_sensitive_rows() {
    let mut p = with_events(4_000);
    set(&mut p, Setting::ReorderWindow, "10");
    toggle(&mut p, Setting::BrokenProducer, true);
    act(&mut p, StreamAction::Drain);
    let differences = p.streaming().differences(p.store());
    assert!(
        differences
            .iter()
            .any(|d| matches!(d.key.id, RowId::Window(_))),
        "late judgments move with arrival order"
    );
    let online = p.streaming().pipeline().projection();
    for d in differences.iter() {
        let models = online.domain(d.key.domain).expect("a domain");
        assert!(
            models.order_sensitive(&d.key.id),
            "sums do not depend on order, yet {} differs",
            d.label
        );
    }
    assert_reason(&p, "applied out of order");
}

#[test]
fn draining_gives_up_when_consumers_always_crash_before_committing() {
    let mut p = with_events(300);
    set(&mut p, Setting::CrashRate, "100");
    act(&mut p, StreamAction::Drain);
    assert!(
        p.status()
            .is_some_and(|s| s.starts_with("Stopped draining after")),
        "{:?}",
        p.status()
    );
    assert!(p.streaming().pipeline().tick() < 10_000, "gave up quickly");
    set(&mut p, Setting::CrashRate, "0");
    act(&mut p, StreamAction::Drain);
    assert!(p.status().is_some_and(|s| s.starts_with("Drained in")));
}

#[test]
fn the_settings_table_holds_the_defaults_in_force_and_validates_every_setting() {
    use playground::app::settings::{Kind, SettingValue, BROKER, CONSUMER, RUN, WINDOWS};
    let p = Playground::new(Rc::new(ManualClock::starting_2026()), 1);
    for &setting in BROKER.iter().chain(WINDOWS).chain(RUN).chain(CONSUMER) {
        let def = setting.def();
        let expected = match def.kind {
            Kind::Number { .. } => SettingValue::Number(def.default),
            Kind::Choice(choices) => SettingValue::Choice(choices[def.default as usize].code),
            Kind::Flag => SettingValue::Flag(def.default == 1),
            Kind::Series => continue,
        };
        assert_eq!(p.streaming().value(setting), expected, "{}", def.label);
        if let Kind::Number { min, max, .. } = def.kind {
            assert_eq!(def.parse_number(&min.to_string()), Ok(min));
            assert_eq!(def.parse_number(&max.to_string()), Ok(max));
            let too_big = def
                .parse_number(&(max + 1).to_string())
                .expect_err("above the range");
            assert!(
                too_big.starts_with(&format!("{} must be a whole number from", def.label)),
                "{too_big}"
            );
        }
    }
    assert_eq!(p.queries().lag(), Setting::ReadModelLag.def().default);
    assert_eq!(p.generate_input(), "10000");
}

fn has_reason(p: &Playground, wanted: impl Fn(&Reason) -> bool) -> bool {
    p.streaming()
        .differences(p.store())
        .iter()
        .any(|d| d.reasons.iter().any(&wanted))
}

#[test]
fn poison_events_are_cleared_only_by_skip_and_differences_name_them() {
    let mut p = with_events(2_000);
    set(&mut p, Setting::FailureMode, "poison");
    set(&mut p, Setting::FailureRate, "5");
    act(&mut p, StreamAction::Drain);
    let parked = p.streaming().pipeline().dead_letter_count();
    assert!(parked > 0);
    assert!(p
        .streaming()
        .dead_letter_views(p.store())
        .iter()
        .all(|d| d.failure == Failure::Poison && !d.event_type.is_empty()));
    assert!(has_reason(&p, |r| matches!(r, Reason::DeadLettered { .. })));

    act(&mut p, StreamAction::RetryAll);
    act(&mut p, StreamAction::Drain);
    assert_eq!(p.streaming().pipeline().dead_letter_count(), parked);
    assert!(has_reason(&p, |r| matches!(r, Reason::DeadLettered { .. })));

    let first = p.streaming().dead_letter_views(p.store())[0].position;
    act(&mut p, StreamAction::SkipDeadLetter(first));
    assert_eq!(p.alert(), None);
    assert_eq!(p.streaming().pipeline().dead_letter_count(), parked - 1);
    assert!(p.streaming().pipeline().fate(first).dlq_skipped);
    // Skipping takes no tick, and Differences says so at once.
    act(&mut p, StreamAction::SkipAll);
    assert_eq!(p.streaming().pipeline().dead_letter_count(), 0);
    assert!(has_reason(&p, |r| matches!(
        r,
        Reason::SkippedFromDeadLetterQueue { .. }
    )));
    assert!(!has_reason(&p, |r| matches!(
        r,
        Reason::DeadLettered { .. }
    )));
    assert!(matches!(status(&p), Convergence::DifferDrained { .. }));
}

/// After an outage, Retry all heals everything when order is kept (the order-preserving queue) and
/// the windows allow the lateness of the retried deposits; without the order-preserving queue, the
/// later events of a stream overtake its retried ones, and Differences says so.
#[test]
fn after_an_outage_retry_all_converges() {
    let mut p = with_events(2_000);
    toggle(&mut p, Setting::OrderedDlq, true);
    set(&mut p, Setting::LatenessHours, "720");
    act(&mut p, StreamAction::Replay);
    set(&mut p, Setting::OutageTicks, "5");
    set(&mut p, Setting::FailureMode, "outage");
    assert_eq!(
        p.streaming().config().failure_mode,
        FailureMode::Outage { from: 1 }
    );
    act(&mut p, StreamAction::Step);
    assert_eq!(p.streaming().config().outage_until(), Some(6));
    assert!(p.streaming().outage_status().is_some());
    act(&mut p, StreamAction::Drain);
    assert!(p.streaming().pipeline().dead_letter_count() > 0);
    assert!(matches!(status(&p), Convergence::DifferDrained { .. }));
    act(&mut p, StreamAction::RetryAll);
    assert_eq!(p.alert(), None);
    act(&mut p, StreamAction::Drain);
    assert_eq!(p.streaming().pipeline().dead_letter_count(), 0);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn an_order_preserving_queue_holds_back_a_streams_later_events_and_says_so() {
    let mut p = with_events(2_000);
    toggle(&mut p, Setting::OrderedDlq, true);
    set(&mut p, Setting::OutageTicks, "1");
    set(&mut p, Setting::FailureMode, "outage");
    act(&mut p, StreamAction::Drain);
    let views = p.streaming().dead_letter_views(p.store());
    let held: usize = views.iter().map(|d| d.held).sum();
    assert!(held > 0);
    assert_eq!(p.streaming().pipeline().held_count(), held);
    assert!(has_reason(&p, |r| matches!(
        r,
        Reason::HeldBehindDeadLetter { .. }
    )));
    // Switching it off lets the held events flow on.
    toggle(&mut p, Setting::OrderedDlq, false);
    act(&mut p, StreamAction::Drain);
    assert_eq!(p.streaming().pipeline().held_count(), 0);
    assert!(!has_reason(&p, |r| matches!(
        r,
        Reason::HeldBehindDeadLetter { .. }
    )));
}

#[test]
fn acting_on_the_dead_letter_queue_when_there_is_nothing_there_is_refused() {
    let mut p = with_events(500);
    act(&mut p, StreamAction::Drain);
    let head = p.store().head();
    for action in [
        StreamAction::RetryDeadLetter(7),
        StreamAction::SkipDeadLetter(7),
        StreamAction::RetryAll,
        StreamAction::SkipAll,
    ] {
        act(&mut p, action.clone());
        let alert = p.alert().unwrap_or_default().to_owned();
        assert!(alert.contains("dead-letter queue"), "{action:?}: {alert}");
    }
    assert!(!p.streaming().pipeline().fate(7).dlq_skipped);
    assert_eq!(p.store().head(), head);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn after_an_outage_without_the_order_preserving_queue_retries_land_out_of_order() {
    let mut p = with_events(2_000);
    set(&mut p, Setting::OutageTicks, "5");
    set(&mut p, Setting::FailureMode, "outage");
    act(&mut p, StreamAction::Drain);
    act(&mut p, StreamAction::RetryAll);
    act(&mut p, StreamAction::Drain);
    assert_eq!(p.streaming().pipeline().dead_letter_count(), 0);
    assert!(matches!(status(&p), Convergence::DifferDrained { .. }));
    assert!(has_reason(&p, |r| matches!(
        r,
        Reason::AppliedOutOfOrder { .. }
    )));
}

#[test]
fn the_scheduled_batch_follows_new_window_settings_even_when_nothing_was_appended() {
    let mut p = with_events(2_000);
    act(&mut p, StreamAction::Drain);
    assert_eq!(status(&p), Convergence::Converged);
    let head = p.store().head();
    set(&mut p, Setting::LatenessHours, "720");
    act(&mut p, StreamAction::Replay);
    act(&mut p, StreamAction::Drain);
    assert_eq!(p.store().head(), head, "nothing new was appended");
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn backpressure_pauses_the_relay_and_draining_still_delivers_everything() {
    let mut p = with_events(3_000);
    set(&mut p, Setting::PauseRelay, "500");
    act(&mut p, StreamAction::Step);
    assert_eq!(p.streaming().pipeline().relay_paused(), Some(500));
    act(&mut p, StreamAction::Drain);
    assert_eq!(p.streaming().pipeline().relay_paused(), None);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn a_queue_refuses_replay_from_start_with_the_reason_and_changes_nothing() {
    let mut p = with_events(2_000);
    set(&mut p, Setting::BrokerModel, "queue");
    assert_eq!(p.streaming().config().model, BrokerModel::Queue);
    assert!(p.streaming().pipeline().queue_status().is_some());
    act(&mut p, StreamAction::Step);
    act(&mut p, StreamAction::Step);
    let before = (
        p.streaming().pipeline().tick(),
        p.streaming().pipeline().digest(),
        p.streaming().pipeline().lag(),
    );
    act(&mut p, StreamAction::Replay);
    let alert = p.alert().unwrap_or_default().to_owned();
    assert_eq!(alert, playground::app::REPLAY_NEEDS_A_LOG);
    assert!(alert.contains("a queue keeps no history"));
    let after = (
        p.streaming().pipeline().tick(),
        p.streaming().pipeline().digest(),
        p.streaming().pipeline().lag(),
    );
    assert_eq!(after, before);
    // With one consumer a queue keeps the log's order, and draining converges.
    act(&mut p, StreamAction::Drain);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn switching_the_broker_model_starts_a_new_broker_from_the_logs_start() {
    let mut p = with_events(2_000);
    act(&mut p, StreamAction::Drain);
    assert_eq!(status(&p), Convergence::Converged);
    set(&mut p, Setting::Consumers, "3");
    set(&mut p, Setting::BrokerModel, "queue");
    assert_eq!(p.streaming().pipeline().counters().delivered, 0);
    act(&mut p, StreamAction::Drain);
    // Competing consumers apply one stream's events in another order than the log's.
    assert!(has_reason(&p, |r| matches!(
        r,
        Reason::AppliedOutOfOrder { .. }
    )));
    set(&mut p, Setting::BrokerModel, "log");
    act(&mut p, StreamAction::Drain);
    assert_eq!(status(&p), Convergence::Converged);
}

#[test]
fn a_replay_under_retention_rebuilds_only_from_the_log_start_and_differences_say_so() {
    let mut p = with_events(3_000);
    set(&mut p, Setting::Retention, "200");
    // Backpressure keeps the topic from publishing faster than the group consumes, so nothing
    // leaves it unread.
    set(&mut p, Setting::PauseRelay, "150");
    act(&mut p, StreamAction::Drain);
    assert_eq!(status(&p), Convergence::Converged, "the group kept up");
    act(&mut p, StreamAction::Replay);
    assert_eq!(p.alert(), None);
    let starts: Vec<u64> = p
        .streaming()
        .pipeline()
        .partitions()
        .iter()
        .map(|part| part.start_offset)
        .collect();
    assert!(starts.iter().all(|&s| s > 0), "{starts:?}");
    act(&mut p, StreamAction::Drain);
    assert!(matches!(status(&p), Convergence::DifferDrained { .. }));
    assert!(has_reason(&p, |r| matches!(
        r,
        Reason::OutsideRetention { .. }
    )));
    // The batch runs over the event store, which still has every event.
    act(&mut p, StreamAction::RunBatch);
    let batch_events: u64 = p.event_type_counts().iter().map(|(_, n)| n).sum();
    assert_eq!(p.streaming().batch_run().0, batch_events);
}

#[test]
fn without_backpressure_a_short_retention_loses_what_the_group_has_not_read() {
    let mut p = with_events(3_000);
    set(&mut p, Setting::Retention, "200");
    act(&mut p, StreamAction::Drain);
    assert!(matches!(status(&p), Convergence::DifferDrained { .. }));
    assert!(has_reason(&p, |r| matches!(
        r,
        Reason::OutsideRetention { .. }
    )));
}

#[test]
fn past_five_hundred_differing_rows_the_first_are_explained_and_the_rest_counted() {
    let mut p = with_events(20_000);
    act(&mut p, StreamAction::RunBatch);
    act(&mut p, StreamAction::Step);
    let differences = p.streaming().differences(p.store());
    assert!(
        differences.len() > playground::sim::DIFFERENCES_SHOWN,
        "{}",
        differences.len()
    );
    assert_eq!(
        differences.as_slice().len(),
        playground::sim::DIFFERENCES_SHOWN
    );
    assert!(differences.iter().all(|d| !d.reasons.is_empty()));
    assert!(matches!(
        status(&p),
        Convergence::DifferInFlight { rows, .. } if rows == differences.len()
    ));
}
