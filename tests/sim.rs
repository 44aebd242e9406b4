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
use playground::sim::{Assignment, CommitPolicy, Idempotency, Outcome, Pipeline, SimConfig};
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
    )
        .prop_map(
            |(
                (partitions, consumers, assignment, batch_size),
                (delay_ticks, reorder_window, reorder_within_partition, duplicate_rate),
                (failure_rate, max_retries, crash_rate, restart_ticks, seed),
            )| SimConfig {
                partitions,
                consumers,
                assignment,
                batch_size,
                delay_ticks,
                reorder_window,
                reorder_within_partition,
                duplicate_rate,
                failure_rate,
                max_retries,
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
    assert_eq!(a.dead_letters(), b.dead_letters());
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
        let parked: HashSet<Position> = pipeline.dead_letters().iter().map(|d| d.record.position).collect();
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
