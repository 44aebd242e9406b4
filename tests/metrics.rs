//! The metrics dashboard and its alerts, through the reducer.
#![cfg(not(target_arch = "wasm32"))]

use playground::app::{Action, AlertKind, Playground, Setting, StreamAction, Thresholds};
use playground::kernel::ManualClock;
use proptest::prelude::*;
use std::rc::Rc;

fn with_events(count: u64) -> Playground {
    let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), 21);
    p.generate_all(count);
    p
}

fn stream(p: &mut Playground, setting: Setting, value: &str) {
    p.dispatch(Action::Stream(StreamAction::Set(setting, value.into())));
    assert_eq!(p.alert(), None, "{setting:?} = {value}");
}

fn threshold(p: &mut Playground, setting: Setting, value: &str) {
    p.dispatch(setting.set_action(value.into()));
}

fn metric(p: &Playground, label: &str) -> String {
    p.metric_views(120.0, 30.0)
        .into_iter()
        .find(|m| m.label == label)
        .map(|m| m.value)
        .unwrap_or_else(|| panic!("no metric {label}"))
}

#[test]
fn each_tick_is_sampled_and_the_dashboard_shows_what_the_pipeline_did() {
    let mut p = with_events(3_000);
    stream(&mut p, Setting::FailureRate, "20");
    stream(&mut p, Setting::Retries, "1");
    for _ in 0..5 {
        p.dispatch(Action::Stream(StreamAction::Step));
    }
    let samples = p.metrics().samples();
    assert_eq!(samples.len(), 6, "a baseline and five ticks");
    assert_eq!(samples.back().map(|s| s.tick), Some(5));
    let last = *samples.back().expect("a sample");
    let counters = p.streaming().pipeline().counters();
    assert!(last.counters.delivered >= counters.delivered);
    assert!(
        last.counters.attempts > last.counters.handled,
        "failures make retries"
    );
    // Every group's queue: the read models', the saga handlers' and the stream processors'
    // (faults apply to all).
    let parked = p.streaming().pipeline().dead_letter_count()
        + p.sagas()
            .groups()
            .iter()
            .map(|g| g.pipeline.dead_letter_count())
            .sum::<usize>()
        + p.processing().pipeline().dead_letter_count();
    assert_eq!(last.dlq_depth, parked as u64);
    // The read models' group takes a batch of 50 a tick; the saga handlers' groups take theirs.
    let before = samples[samples.len() - 2];
    let delivered_last_tick = last.counters.delivered - before.counters.delivered;
    assert!(delivered_last_tick > 50, "{delivered_last_tick}");
    assert_eq!(
        metric(&p, "Records delivered per tick"),
        delivered_last_tick.to_string()
    );
    let per_event: f64 = metric(&p, "Attempts per event").parse().expect("a number");
    assert!(per_event > 1.0, "{per_event}");
    assert_eq!(metric(&p, "Dead-letter depth"), parked.to_string());
    let size = metric(&p, "Store size");
    let events = playground::format::group(p.store().head());
    assert!(size.starts_with(&format!("{events} events · ")), "{size}");
    assert!(p.store().head() > 3_003, "the sagas wrote too");
    let views = p.metric_views(120.0, 30.0);
    let delivered = views
        .iter()
        .find(|v| v.label == "Records delivered per tick")
        .expect("delivered");
    assert_eq!(
        delivered.points.split(' ').count(),
        5,
        "five ticks' changes"
    );
}

#[test]
fn event_types_are_counted_as_they_are_appended() {
    let p = with_events(2_000);
    let counts = p.event_type_counts();
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total, p.store().head());
    for (name, n) in &counts {
        let scanned = (1..=p.store().head())
            .filter(|&pos| p.store().get(pos).is_some_and(|e| e.event_type() == name))
            .count() as u64;
        assert_eq!(*n, scanned, "{name}");
    }
    assert!(counts.windows(2).all(|w| w[0].1 >= w[1].1), "most first");
}

#[test]
fn a_seek_of_the_timeline_records_its_replay_cost() {
    let mut p = with_events(2_000);
    p.dispatch(Action::SeekTimeline(1_000));
    let replayed = match p.state_view().and_then(|v| v.rebuilt) {
        Some(playground::view::Rebuilt::FromSnapshot { events, .. })
        | Some(playground::view::Rebuilt::Replayed { events }) => events,
        None => 0,
    };
    assert_eq!(p.sample().replay_cost, replayed);
    assert_eq!(
        metric(&p, "Replay cost (events per seek)"),
        replayed.to_string()
    );
}

#[test]
fn a_consumer_lag_alert_holds_while_the_lag_is_above_its_threshold() {
    let mut p = with_events(3_000);
    threshold(&mut p, Setting::LagAlert, "1000");
    assert_eq!(p.alert(), None);
    p.dispatch(Action::Stream(StreamAction::Step));
    let alerts = p.metrics().alerts();
    assert!(alerts.iter().any(|a| a.kind
        == AlertKind::ConsumerLag {
            group: "read-models"
        }
        && a.value == p.streaming().pipeline().lag()
        && a.since == 1));
    p.dispatch(Action::Stream(StreamAction::Drain));
    assert!(!p
        .metrics()
        .alerts()
        .iter()
        .any(|a| matches!(a.kind, AlertKind::ConsumerLag { .. })));
}

#[test]
fn bad_thresholds_are_refused_and_change_nothing() {
    let mut p = with_events(10);
    for (setting, bad) in [
        (Setting::LagAlert, "0"),
        (Setting::LagAlert, "ten thousand"),
        (Setting::ErrorAlert, "101"),
        (Setting::ErrorAlert, "0.5"),
        (Setting::GrowthAlert, "-1"),
        (Setting::GrowthAlert, "<b>"),
    ] {
        threshold(&mut p, setting, bad);
        let alert = p.alert().unwrap_or_default().to_owned();
        assert!(
            alert.contains("must be a whole number"),
            "{setting:?} = {bad:?}: {alert}"
        );
    }
    assert_eq!(p.metrics().thresholds(), Thresholds::default());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Each alert fires exactly while its condition holds, checked against what the test measures
    /// itself: the read models' lag from the pipeline, the error rate from its counters over the
    /// last 20 ticks, and the growth of the log over the last 100.
    #[test]
    fn each_alert_fires_exactly_while_its_condition_holds(
        failure in 0u8..30,
        batch in 5u32..80,
        lag in 1u64..3_000,
        error in 0u64..20,
        growth in 1u64..3_000,
        ticks in 1usize..140,
        more_at in 0usize..140,
    ) {
        let mut p = with_events(1_500);
        stream(&mut p, Setting::FailureRate, &failure.to_string());
        stream(&mut p, Setting::BatchSize, &batch.to_string());
        threshold(&mut p, Setting::LagAlert, &lag.to_string());
        threshold(&mut p, Setting::ErrorAlert, &error.to_string());
        threshold(&mut p, Setting::GrowthAlert, &growth.to_string());
        prop_assert_eq!(p.alert(), None);
        let mut heads = Vec::new();
        let mut counters = Vec::new();
        for tick in 0..ticks {
            if tick == more_at {
                p.generate_all(500);
            }
            if heads.is_empty() {
                // The dashboard counts changes from the first tick on: its baseline is the state just
                // before it (what was appended earlier, even generated just before, is not growth).
                heads.push(p.store().head());
                counters.push(p.sample());
            }
            p.dispatch(Action::Stream(StreamAction::Step));
            heads.push(p.store().head());
            counters.push(p.sample());
            let kinds: Vec<AlertKind> = p.metrics().alerts().iter().map(|a| a.kind).collect();
            let online_lag = p.streaming().pipeline().lag();
            prop_assert_eq!(
                kinds.contains(&AlertKind::ConsumerLag { group: "read-models" }),
                online_lag > lag
            );
            let n = counters.len();
            let base = counters[n.saturating_sub(21)];
            let now = counters[n - 1];
            let attempts = now.counters.attempts - base.counters.attempts;
            let failed = now.counters.failed_attempts - base.counters.failed_attempts;
            prop_assert_eq!(
                kinds.contains(&AlertKind::ErrorRate),
                attempts > 0 && failed * 100 > error * attempts
            );
            let before = heads[n.saturating_sub(101)];
            prop_assert_eq!(kinds.contains(&AlertKind::StoreGrowth), heads[n - 1] - before > growth);
        }
    }
}
