//! The simulated broker: determinism, and the laws that tie the online projection to the batch one.
//!
//! The laws are stated for the order-independent read models (balances and totals are sums, so only
//! *which* events are applied and *how often* matters, not in which order). The windowed model depends on
//! arrival order through its watermark, and is compared separately.
#![cfg(not(target_arch = "wasm32"))]

use playground::app::Playground;
use playground::domain::bank::{AccountBalances, BankTotals};
use playground::kernel::{EventStore, ManualClock, Position, RecordedEvent};
use playground::readmodel::{run_batch, Projection};
use playground::sim::{
    is_poison, Assignment, BrokerModel, CommitPolicy, DeadLetterError, Failure, FailureMode,
    Idempotency, Outcome, Pipeline, SimConfig,
};
use proptest::prelude::*;
use std::collections::HashSet;
use std::rc::Rc;

/// The sums we compare: balances per account and bank totals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Sums {
    balances: AccountBalances,
    totals: BankTotals,
}

impl Projection for Sums {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        self.balances.apply(event);
        self.totals.apply(event);
    }
}

/// A history of `events` generated events of every domain (seeded), in a playground we can read the
/// store of. The sums look only at the bank's events; the others pass through the broker too.
fn history(events: u64, seed: u64) -> Playground {
    let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), seed);
    p.generate_all(events);
    p
}

fn store(p: &Playground) -> &EventStore {
    p.store()
}

/// Folds the events at `positions` (with repeats) into fresh sums.
fn fold(store: &EventStore, positions: impl IntoIterator<Item = Position>) -> Sums {
    let mut sums = Sums::default();
    for position in positions {
        if let Some(event) = store.get(position) {
            sums.apply(&event);
        }
    }
    sums
}

fn drained(config: SimConfig, p: &Playground) -> Pipeline<Sums> {
    let mut pipeline = Pipeline::new(config, Sums::default()).with_trace();
    let done = pipeline.drain(store(p), 200_000);
    assert!(done, "the pipeline did not drain under {config:?}");
    pipeline
}

fn arb_config() -> impl Strategy<Value = SimConfig> {
    (
        (
            1u16..=16,
            1u16..=8,
            prop_oneof![Just(Assignment::Range), Just(Assignment::RoundRobin)],
            1u32..40,
        ),
        (0u32..5, 0u32..6, any::<bool>(), 0u8..=60),
        (0u8..=100, 0u32..4, 0u8..=40, 1u32..4, any::<u64>()),
        (
            prop_oneof![Just(0u32), 1u32..120],
            prop_oneof![Just(0u64), 1u64..300],
            prop_oneof![Just(BrokerModel::Log), Just(BrokerModel::Queue)],
            1u32..8,
        ),
    )
        .prop_map(
            |(
                (partitions, consumers, assignment, batch_size),
                (delay_ticks, reorder_window, reorder_within_partition, duplicate_rate),
                (failure_rate, max_retries, crash_rate, restart_ticks, seed),
                (max_in_flight, pause_relay_above, model, visibility_timeout),
            )| SimConfig {
                model,
                visibility_timeout,
                partitions,
                consumers,
                assignment,
                batch_size,
                max_in_flight,
                pause_relay_above,
                retention: 0,
                delay_ticks,
                reorder_window,
                reorder_within_partition,
                duplicate_rate,
                failure_rate,
                max_retries,
                failure_mode: FailureMode::Random,
                outage_ticks: 20,
                ordered_dlq: false,
                crash_rate,
                restart_ticks,
                commit_policy: CommitPolicy::AfterProcessing,
                idempotency: Idempotency::ByEventId,
                seed,
            },
        )
}

#[test]
fn the_same_seed_gives_the_same_delivery_trace() {
    let p = history(2_000, 4);
    let config = SimConfig {
        partitions: 4,
        consumers: 3,
        delay_ticks: 2,
        reorder_window: 3,
        reorder_within_partition: true,
        duplicate_rate: 20,
        failure_rate: 10,
        crash_rate: 10,
        seed: 99,
        ..SimConfig::default()
    };
    let a = drained(config, &p);
    let b = drained(config, &p);
    assert_eq!(a.trace(), b.trace());
    assert_eq!(a.digest(), b.digest());
    assert!(a.dead_letters().eq(b.dead_letters()));
    let c = drained(
        SimConfig {
            seed: 100,
            ..config
        },
        &p,
    );
    assert_ne!(a.digest(), c.digest(), "another seed, another trace");
}

#[test]
fn with_every_fault_off_online_converges_to_batch() {
    let p = history(5_000, 1);
    let pipeline = drained(SimConfig::default(), &p);
    let head = store(&p).head();
    assert_eq!(
        pipeline.projection(),
        &run_batch(Sums::default(), store(&p), head)
    );
    assert!(pipeline.partitions().iter().all(|s| s.lag == 0));
    assert!((1..=head).all(|pos| pipeline.fate(pos).applied == 1));
}

#[test]
fn lag_is_visible_before_draining() {
    let p = history(1_000, 2);
    let mut pipeline = Pipeline::new(
        SimConfig {
            delay_ticks: 5,
            ..SimConfig::default()
        },
        Sums::default(),
    );
    pipeline.run(store(&p), 3);
    let lag: u64 = pipeline.partitions().iter().map(|s| s.lag).sum();
    assert_eq!(lag, 1_000, "published but not yet deliverable");
    assert_eq!(pipeline.projection(), &Sums::default());
}

#[test]
fn replay_from_start_rebuilds_the_online_projection_under_new_settings() {
    let p = history(1_500, 3);
    let mut pipeline = Pipeline::new(
        SimConfig {
            duplicate_rate: 50,
            ..SimConfig::default()
        },
        Sums::default(),
    );
    assert!(pipeline.drain(store(&p), 100_000));
    let batch = run_batch(Sums::default(), store(&p), store(&p).head());
    assert_ne!(
        pipeline.projection(),
        &batch,
        "duplicates corrupt a non-idempotent consumer"
    );
    pipeline.replay(SimConfig {
        duplicate_rate: 50,
        idempotency: Idempotency::ByEventId,
        ..SimConfig::default()
    });
    assert_eq!(pipeline.projection(), &Sums::default());
    assert!(pipeline.drain(store(&p), 100_000));
    assert_eq!(pipeline.projection(), &batch);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Law 1. With the idempotent consumer (by event id), commit after processing and no handler
    /// failures, for any seed and any delay, reordering, duplicates, partitions, consumers and crashes,
    /// the drained online projection equals the batch projection.
    #[test]
    fn idempotent_at_least_once_converges(config in arb_config(), seed in 0u64..4) {
        let p = history(600, seed);
        let pipeline = drained(SimConfig { failure_rate: 0, ..config }, &p);
        prop_assert_eq!(pipeline.projection(), &run_batch(Sums::default(), store(&p), store(&p).head()));
    }

    /// Law 2. Under the same conditions but with handler failures (and no crashes, so each record is
    /// handled once plus re-deliveries), the online projection equals the batch projection over the
    /// log minus the events parked in the dead-letter queue.
    #[test]
    fn failures_leave_out_exactly_the_dead_lettered(config in arb_config()) {
        let p = history(600, 1);
        let pipeline = drained(SimConfig { crash_rate: 0, ..config }, &p);
        let parked: HashSet<Position> = pipeline.dead_letters().map(|d| d.record.position).collect();
        let expected = fold(store(&p), (1..=store(&p).head()).filter(|pos| !parked.contains(pos)));
        prop_assert_eq!(pipeline.projection(), &expected);
    }

    /// Law 3. With the idempotent consumer off, duplicates on, and no failures or crashes, the
    /// difference from batch is exactly the effect of the re-delivered events, once per re-delivery.
    #[test]
    fn without_idempotency_duplicates_add_their_effect(config in arb_config()) {
        let p = history(600, 2);
        let config = SimConfig { idempotency: Idempotency::Off, failure_rate: 0, crash_rate: 0, ..config };
        let pipeline = drained(config, &p);
        let redelivered: Vec<Position> = pipeline
            .trace()
            .unwrap_or_default()
            .iter()
            .filter(|d| d.redelivery)
            .map(|d| d.record.position)
            .collect();
        let expected = fold(store(&p), (1..=store(&p).head()).chain(redelivered));
        prop_assert_eq!(pipeline.projection(), &expected);
    }

    /// Law 4. With commit before processing, crashes, and no failures or duplicates, the online
    /// projection equals the batch projection over the log minus exactly the events of the batches
    /// that were committed but never processed (at-most-once loses them; nothing is applied twice).
    #[test]
    fn at_most_once_loses_exactly_the_committed_unprocessed(config in arb_config(), idempotent in any::<bool>()) {
        let p = history(600, 3);
        let config = SimConfig {
            commit_policy: CommitPolicy::BeforeProcessing,
            idempotency: if idempotent { Idempotency::ByEventId } else { Idempotency::Off },
            failure_rate: 0,
            duplicate_rate: 0,
            crash_rate: config.crash_rate.max(5),
            ..config
        };
        let pipeline = drained(config, &p);
        let lost: HashSet<Position> = pipeline
            .trace()
            .unwrap_or_default()
            .iter()
            .filter(|d| d.outcome == Outcome::Lost)
            .map(|d| d.record.position)
            .collect();
        let expected = fold(store(&p), (1..=store(&p).head()).filter(|pos| !lost.contains(pos)));
        prop_assert_eq!(pipeline.projection(), &expected);
        prop_assert!((1..=store(&p).head()).all(|pos| pipeline.fate(pos).applied <= 1));
    }
}

// ---- The dead-letter queue you can act on ----

/// An outage of `ticks` ticks from the first tick, the idempotent consumer on, every other fault off.
fn outage(ticks: u32) -> SimConfig {
    SimConfig {
        failure_mode: FailureMode::Outage { from: 1 },
        outage_ticks: ticks,
        idempotency: Idempotency::ByEventId,
        ..SimConfig::default()
    }
}

fn parked(pipeline: &Pipeline<Sums>) -> HashSet<Position> {
    pipeline.dead_letters().map(|d| d.record.position).collect()
}

fn everything_but(p: &Playground, left_out: &HashSet<Position>) -> Sums {
    fold(
        store(p),
        (1..=store(p).head()).filter(|pos| !left_out.contains(pos)),
    )
}

#[test]
fn poison_events_fail_every_retry_and_only_skipping_clears_them() {
    let p = history(1_000, 5);
    let config = SimConfig {
        failure_mode: FailureMode::Poison,
        failure_rate: 10,
        idempotency: Idempotency::ByEventId,
        ..SimConfig::default()
    };
    let mut pipeline = drained(config, &p);
    let poison: HashSet<Position> = (1..=store(&p).head())
        .filter(|&pos| is_poison(config.seed, pos, 10))
        .collect();
    assert!(poison.len() > 50, "{} poison events", poison.len());
    assert_eq!(parked(&pipeline), poison);
    assert!(pipeline
        .dead_letters()
        .all(|d| d.failure == Failure::Poison && d.attempts == 4));

    // Retrying cannot help: every one is parked again, with its attempts added up.
    assert_eq!(pipeline.retry_all(), Ok(poison.len()));
    assert!(pipeline.drain(store(&p), 1_000));
    assert_eq!(parked(&pipeline), poison);
    assert!(pipeline.dead_letters().all(|d| d.attempts == 8));

    assert_eq!(pipeline.skip_all(), Ok(poison.len()));
    assert!(pipeline.drain(store(&p), 1_000));
    assert_eq!(pipeline.dead_letter_count(), 0);
    assert_eq!(pipeline.projection(), &everything_but(&p, &poison));
    assert!(poison.iter().all(|&pos| {
        let fate = pipeline.fate(pos);
        fate.dlq_skipped && !fate.dead_lettered && fate.applied == 0
    }));
}

#[test]
fn after_an_outage_retry_all_converges_and_during_it_parks_again() {
    let p = history(1_000, 6);
    let mut pipeline = Pipeline::new(outage(10), Sums::default());
    pipeline.run(store(&p), 3);
    let first = parked(&pipeline);
    assert_eq!(first.len(), 150, "three polls of 50 records, all failing");
    assert!(pipeline
        .dead_letters()
        .all(|d| d.failure == Failure::Outage { until: 11 }));

    // Still in the outage: the retries fail too.
    assert_eq!(pipeline.retry_all(), Ok(150));
    pipeline.run(store(&p), 3);
    assert!(first.is_subset(&parked(&pipeline)));

    pipeline.run(store(&p), 10);
    assert!(pipeline.drain(store(&p), 1_000));
    assert!(!parked(&pipeline).is_empty());
    pipeline.retry_all().expect("entries to retry");
    assert!(pipeline.drain(store(&p), 1_000));
    assert_eq!(pipeline.dead_letter_count(), 0);
    assert_eq!(
        pipeline.projection(),
        &run_batch(Sums::default(), store(&p), store(&p).head())
    );
}

#[test]
fn an_order_preserving_queue_holds_the_later_events_of_the_stream_until_retry_or_skip() {
    let p = history(2_000, 7);
    let config = SimConfig {
        ordered_dlq: true,
        outage_ticks: 1,
        ..outage(1)
    };
    let mut pipeline = Pipeline::new(config, Sums::default()).with_trace();
    assert!(pipeline.drain(store(&p), 10_000));
    let heads: Vec<Position> = pipeline.dead_letters().map(|d| d.record.position).collect();
    // The first poll's 50 records all failed, but only the first of each stream was attempted: the
    // later ones of its stream were held behind it.
    assert!(
        !heads.is_empty() && heads.len() < 50,
        "{} parked",
        heads.len()
    );
    let held: usize = heads.iter().map(|&h| pipeline.held_behind(h)).sum();
    assert!(held > 0);
    assert_eq!(pipeline.held_count(), held);
    // Every held event is of a parked event's stream, later in it, and not applied.
    let streams: HashSet<u32> = pipeline.dead_letters().map(|d| d.stream).collect();
    let held_positions: Vec<Position> = (1..=store(&p).head())
        .filter(|&pos| pipeline.fate(pos).held)
        .collect();
    assert_eq!(held_positions.len(), held);
    for &pos in &held_positions {
        let event = store(&p).get(pos).expect("a held event");
        assert!(streams.contains(&event.stream_number));
        assert_eq!(pipeline.fate(pos).applied, 0);
    }

    // Skipping one head lets its stream flow on, without it.
    let skipped = heads[0];
    let behind = pipeline.held_behind(skipped);
    pipeline.skip(skipped).expect("a parked event");
    assert!(pipeline.drain(store(&p), 1_000));
    assert_eq!(pipeline.held_count(), held - behind);

    pipeline.retry_all().expect("entries to retry");
    assert!(pipeline.drain(store(&p), 1_000));
    assert_eq!(pipeline.held_count(), 0);
    assert_eq!(
        pipeline.projection(),
        &everything_but(&p, &HashSet::from([skipped]))
    );
}

#[test]
fn acting_on_an_entry_that_is_not_there_is_refused_and_changes_nothing() {
    let p = history(500, 8);
    let mut pipeline = drained(SimConfig::default(), &p);
    let before = (pipeline.digest(), pipeline.projection().clone());
    assert_eq!(pipeline.retry(42), Err(DeadLetterError::NotParked(42)));
    assert_eq!(pipeline.skip(42), Err(DeadLetterError::NotParked(42)));
    assert_eq!(pipeline.retry_all(), Err(DeadLetterError::Empty));
    assert_eq!(pipeline.skip_all(), Err(DeadLetterError::Empty));
    assert!(pipeline.drain(store(&p), 10));
    assert_eq!((pipeline.digest(), pipeline.projection().clone()), before);
    assert!(!pipeline.fate(42).dlq_skipped);
}

/// The first time each event was applied, in the order it happened, as (stream, version).
fn first_applications(pipeline: &Pipeline<Sums>, store: &EventStore) -> Vec<(u32, u64)> {
    let mut seen = HashSet::new();
    pipeline
        .trace()
        .unwrap_or_default()
        .iter()
        .filter(|d| d.outcome == Outcome::Applied && seen.insert(d.record.position))
        .filter_map(|d| store.get(d.record.position))
        .map(|e| (e.stream_number, e.stream_version))
        .collect()
}

/// Whether some stream had an event applied for the first time before an earlier one of it.
fn some_stream_out_of_order(applied: &[(u32, u64)]) -> bool {
    let mut last = std::collections::HashMap::new();
    applied.iter().any(|&(stream, version)| {
        let before = last.insert(stream, version).unwrap_or(0);
        version < before
    })
}

#[test]
fn without_the_order_preserving_queue_a_retry_lands_after_later_events_of_its_stream() {
    let p = history(2_000, 7);
    let mut pipeline = Pipeline::new(outage(1), Sums::default()).with_trace();
    assert!(pipeline.drain(store(&p), 10_000));
    pipeline.retry_all().expect("entries to retry");
    assert!(pipeline.drain(store(&p), 1_000));
    assert!(some_stream_out_of_order(&first_applications(
        &pipeline,
        store(&p)
    )));
    assert!((1..=store(&p).head()).any(|pos| pipeline.fate(pos).out_of_order));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Law 5. After an outage, retrying every dead-lettered event converges online to batch, for any
    /// partitions, consumers, delays, reordering across partitions, duplicates and crashes (with the
    /// idempotent consumer), with the order-preserving queue or without.
    #[test]
    fn retrying_everything_after_an_outage_converges(config in arb_config(), ticks in 1u32..30, ordered in any::<bool>()) {
        let p = history(600, 9);
        let config = SimConfig {
            failure_mode: FailureMode::Outage { from: 1 },
            outage_ticks: ticks,
            ordered_dlq: ordered,
            ..config
        };
        let mut pipeline = Pipeline::new(config, Sums::default());
        pipeline.run(store(&p), u64::from(ticks));
        prop_assert!(pipeline.drain(store(&p), 200_000));
        let _ = pipeline.retry_all();
        prop_assert!(pipeline.drain(store(&p), 200_000));
        prop_assert_eq!(pipeline.dead_letter_count(), 0);
        prop_assert_eq!(pipeline.held_count(), 0);
        prop_assert_eq!(pipeline.projection(), &run_batch(Sums::default(), store(&p), store(&p).head()));
    }

    /// Law 6. Skipping k dead-lettered events (and retrying the rest after the outage) makes online
    /// equal batch minus exactly those k.
    #[test]
    fn skipping_k_events_leaves_out_exactly_those(config in arb_config(), ticks in 1u32..30, ordered in any::<bool>(), pick in any::<u64>()) {
        let p = history(600, 10);
        let config = SimConfig {
            failure_mode: FailureMode::Outage { from: 1 },
            outage_ticks: ticks,
            ordered_dlq: ordered,
            crash_rate: 0,
            ..config
        };
        let mut pipeline = Pipeline::new(config, Sums::default());
        pipeline.run(store(&p), u64::from(ticks));
        prop_assert!(pipeline.drain(store(&p), 200_000));
        let skipped: HashSet<Position> = parked(&pipeline)
            .into_iter()
            .filter(|pos| (pick >> (pos % 64)) & 1 == 1)
            .collect();
        for &pos in &skipped {
            prop_assert_eq!(pipeline.skip(pos), Ok(()));
        }
        let _ = pipeline.retry_all();
        prop_assert!(pipeline.drain(store(&p), 200_000));
        prop_assert_eq!(pipeline.dead_letter_count(), 0);
        prop_assert_eq!(pipeline.projection(), &everything_but(&p, &skipped));
    }

    /// Law 7. With the order-preserving queue, no event of a stream is applied before an earlier
    /// one of it that failed, however often the queue is retried and whatever is finally skipped.
    #[test]
    fn an_order_preserving_queue_keeps_each_streams_order(config in arb_config(), rounds in 0usize..3) {
        let p = history(600, 11);
        let config = SimConfig {
            // A queue's competing consumers apply one stream's events in any order (below).
            model: BrokerModel::Log,
            ordered_dlq: true,
            reorder_within_partition: false,
            failure_rate: config.failure_rate.clamp(10, 60),
            ..config
        };
        let mut pipeline = Pipeline::new(config, Sums::default()).with_trace();
        prop_assert!(pipeline.drain(store(&p), 200_000));
        for _ in 0..rounds {
            let _ = pipeline.retry_all();
            prop_assert!(pipeline.drain(store(&p), 200_000));
        }
        // What a skip releases may fail and park in turn: skip until the queue stays empty.
        for _ in 0..1_000 {
            if pipeline.skip_all().is_err() {
                break;
            }
            prop_assert!(pipeline.drain(store(&p), 200_000));
        }
        prop_assert_eq!(pipeline.dead_letter_count(), 0);
        prop_assert_eq!(pipeline.held_count(), 0);
        prop_assert!(!some_stream_out_of_order(&first_applications(&pipeline, store(&p))));
    }
}

// ---- Backpressure ----

#[test]
fn pausing_the_relay_above_a_lag_bounds_the_lag_and_the_outbox_keeps_the_rest() {
    let p = history(2_000, 12);
    let config = SimConfig {
        pause_relay_above: 300,
        ..SimConfig::default()
    };
    let mut pipeline = Pipeline::new(config, Sums::default());
    pipeline.step(store(&p));
    assert_eq!(pipeline.relay_paused(), Some(300));
    assert!(!pipeline.fate(store(&p).head()).published);
    for _ in 0..20 {
        pipeline.step(store(&p));
        assert!(pipeline.lag() <= 300, "lag {}", pipeline.lag());
    }
    assert!(pipeline.drain(store(&p), 1_000));
    assert_eq!(pipeline.relay_paused(), None);
    assert_eq!(
        pipeline.projection(),
        &run_batch(Sums::default(), store(&p), store(&p).head())
    );
}

#[test]
fn a_consumer_holds_at_most_max_in_flight_and_processes_a_batch_per_tick() {
    let p = history(1_000, 13);
    let applied = |pipeline: &Pipeline<Sums>| {
        (1..=store(&p).head())
            .filter(|&pos| pipeline.fate(pos).applied > 0)
            .count()
    };
    // Holding fewer than a batch caps what it processes.
    let mut slow = Pipeline::new(
        SimConfig {
            max_in_flight: 10,
            ..SimConfig::default()
        },
        Sums::default(),
    );
    slow.run(store(&p), 5);
    assert_eq!(applied(&slow), 50);
    assert_eq!(slow.in_flight(), vec![0]);

    // Holding more prefetches: what it holds is fetched but neither processed nor committed.
    let mut prefetching = Pipeline::new(
        SimConfig {
            batch_size: 10,
            max_in_flight: 30,
            ..SimConfig::default()
        },
        Sums::default(),
    );
    prefetching.step(store(&p));
    assert_eq!(prefetching.in_flight(), vec![20]);
    assert_eq!(applied(&prefetching), 10);
    assert_eq!(prefetching.lag(), store(&p).head() - 10);
    assert!(prefetching.drain(store(&p), 1_000));
    assert_eq!(prefetching.in_flight(), vec![0]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Law 8. Backpressure never loses an event: with the relay paused above any lag, any max in
    /// flight, and the log growing while the pipeline runs, every event is applied and the lag never
    /// passes the limit.
    #[test]
    fn backpressure_never_loses_an_event(config in arb_config(), limit in 1u64..300, chunks in 1usize..6) {
        let config = SimConfig { pause_relay_above: limit, failure_rate: 0, ..config };
        let mut p = history(100, 14);
        let mut pipeline = Pipeline::new(config, Sums::default());
        for _ in 0..chunks {
            p.generate_all(150);
            for _ in 0..3 {
                pipeline.step(store(&p));
                prop_assert!(pipeline.lag() <= limit, "lag {} above {}", pipeline.lag(), limit);
            }
        }
        prop_assert!(pipeline.drain(store(&p), 200_000));
        prop_assert!((1..=store(&p).head()).all(|pos| pipeline.fate(pos).applied >= 1));
        prop_assert_eq!(pipeline.projection(), &run_batch(Sums::default(), store(&p), store(&p).head()));
    }
}

// ---- Log vs queue ----

fn queue(consumers: u16) -> SimConfig {
    SimConfig {
        model: BrokerModel::Queue,
        consumers,
        ..SimConfig::default()
    }
}

#[test]
fn competing_consumers_of_a_queue_apply_a_streams_events_out_of_order_and_a_log_does_not() {
    let p = history(2_000, 15);
    let queued = drained(queue(3), &p);
    assert!(some_stream_out_of_order(&first_applications(
        &queued,
        store(&p)
    )));
    let logged = drained(
        SimConfig {
            consumers: 3,
            ..SimConfig::default()
        },
        &p,
    );
    assert!(!some_stream_out_of_order(&first_applications(
        &logged,
        store(&p)
    )));
    // Sums do not care about order: both equal the batch.
    let batch = run_batch(Sums::default(), store(&p), store(&p).head());
    assert_eq!(queued.projection(), &batch);
    assert_eq!(logged.projection(), &batch);
}

#[test]
fn a_crashed_consumers_messages_come_back_after_the_visibility_timeout() {
    let p = history(500, 16);
    let config = SimConfig {
        crash_rate: 100,
        visibility_timeout: 4,
        ..queue(1)
    };
    let mut pipeline = Pipeline::new(config, Sums::default());
    pipeline.step(store(&p));
    let status = pipeline.queue_status().expect("a queue");
    assert!(status.unacked > 0);
    assert_eq!(status.next_visible, Some(5));
    pipeline.reconfigure(SimConfig {
        crash_rate: 0,
        ..config
    });
    pipeline.run(store(&p), 3);
    assert_eq!(
        pipeline.queue_status().map(|q| q.unacked),
        Some(status.unacked),
        "still invisible until tick 5"
    );
    assert!(pipeline.drain(store(&p), 1_000));
    assert_eq!(
        pipeline.projection(),
        &run_batch(Sums::default(), store(&p), store(&p).head())
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Law 9. A queue delivers every message at least once and never replays: with no duplicates
    /// and no failures, whatever the consumers, crashes and delays, every event is applied exactly
    /// once — a processed message is acknowledged and gone, even when its consumer crashes later.
    #[test]
    fn a_queue_delivers_every_message_at_least_once_and_never_replays(config in arb_config()) {
        let p = history(600, 17);
        let config = SimConfig {
            model: BrokerModel::Queue,
            idempotency: Idempotency::Off,
            duplicate_rate: 0,
            failure_rate: 0,
            ..config
        };
        let pipeline = drained(config, &p);
        let once = (1..=store(&p).head()).all(|pos| {
            let fate = pipeline.fate(pos);
            fate.deliveries >= 1 && fate.applied == 1
        });
        prop_assert!(once, "an event applied other than once");
        prop_assert_eq!(pipeline.projection(), &run_batch(Sums::default(), store(&p), store(&p).head()));
    }
}

// ---- Topic retention ----

#[test]
fn records_that_leave_the_topic_before_the_group_gets_to_them_are_never_applied() {
    let p = history(3_000, 18);
    let config = SimConfig {
        retention: 100,
        batch_size: 20,
        idempotency: Idempotency::ByEventId,
        ..SimConfig::default()
    };
    let pipeline = drained(config, &p);
    let expired: HashSet<Position> = (1..=store(&p).head())
        .filter(|&pos| pipeline.fate(pos).expired)
        .collect();
    assert!(!expired.is_empty());
    assert!(expired.iter().all(|&pos| pipeline.fate(pos).applied == 0));
    assert_eq!(pipeline.projection(), &everything_but(&p, &expired));
    assert!(pipeline
        .partitions()
        .iter()
        .all(|part| part.end_offset - part.start_offset <= 100));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Law 10. A replay under retention equals a batch over exactly the records the topic kept
    /// (whatever the partitions after the replay), and the events outside it are marked so.
    #[test]
    fn a_replay_under_retention_equals_batch_over_exactly_the_retained_records(
        config in arb_config(),
        retention in 1u64..400,
        partitions_after in 1u16..=16,
    ) {
        let p = history(1_000, 19);
        let config = SimConfig {
            model: BrokerModel::Log,
            retention,
            failure_rate: 0,
            crash_rate: 0,
            duplicate_rate: 0,
            ..config
        };
        let mut pipeline = drained(config, &p);
        let kept = pipeline.kept_positions();
        prop_assert!(kept.len() as u64 <= retention * u64::from(config.clamped().partitions));
        let after = SimConfig { partitions: partitions_after, ..config };
        pipeline.replay_retained(after, Sums::default(), store(&p));
        prop_assert!(pipeline.drain(store(&p), 200_000));
        prop_assert_eq!(pipeline.projection(), &fold(store(&p), kept.iter().copied()));
        let kept: HashSet<Position> = kept.into_iter().collect();
        let marked = (1..=store(&p).head()).all(|pos| pipeline.fate(pos).expired != kept.contains(&pos));
        prop_assert!(marked, "an event outside the retention not marked so, or one inside marked");
    }
}
