//! Lesson 8: delivery guarantees and idempotency.

use super::checks::*;
use super::{generate, Lesson, Step};
use crate::app::{Section, Setting};
use crate::sim::{CommitPolicy, Reason};

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "delivery-idempotency",
        title: "Delivery guarantees and idempotency",
        section: Section::OnlineVsBatch,
        goal: "See at-least-once delivery apply events twice, an idempotent consumer make that harmless, and at-most-once delivery lose events in a crash.",
        explanation: "A broker cannot deliver exactly once by itself. Committing a consumer's offset after processing means a crash re-delivers what was processed but not committed — at least once, with duplicates. Committing before processing means a crash loses what was committed but not processed — at most once. An idempotent consumer remembers what it applied and skips repeats, which turns at-least-once into effectively once.",
        seed: 108,
        setup: || generate(2_000),
        steps: vec![
            Step {
                text: "Set Duplicate rate to 20 % and press “Drain”: Differences lists “duplicate applied”.",
                hint: "Each delivery has a 20 % chance of arriving twice; the read models add the deposit twice.",
                done: |p| differs_because(p, |r| matches!(r, Reason::DuplicateApplied { .. })),
                solve: |_| vec![set(Setting::DuplicateRate, "20"), drain()],
            },
            Step {
                text: "Tick “Idempotent consumer”, press “Replay from start” and “Drain”: with duplicates still delivered, online converges.",
                hint: "The consumer remembers every applied event id and skips one it has seen.",
                done: |p| converged(p) && p.streaming().config().duplicate_rate > 0,
                solve: |_| {
                    let mut actions = vec![tick(Setting::Idempotent, true)];
                    actions.extend(replay_and_drain());
                    actions
                },
            },
            Step {
                text: "Set Duplicate rate to 0, Commit policy to “Before processing (at-most-once)” and Crash rate to 20 %, then Replay from start and Drain: Differences lists events “lost”.",
                hint: "A consumer that crashes after committing but before processing never sees those events again.",
                done: |p| p.streaming().config().commit_policy == CommitPolicy::BeforeProcessing
                    && differs_because(p, |r| matches!(r, Reason::LostAtMostOnce { .. })),
                solve: |_| {
                    let mut actions = vec![
                        set(Setting::DuplicateRate, "0"),
                        set(Setting::CommitPolicy, "before"),
                        set(Setting::CrashRate, "20"),
                    ];
                    actions.extend(replay_and_drain());
                    actions
                },
            },
        ],
    }
}
