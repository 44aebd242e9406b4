//! Lesson 7: partitions, ordering and consumer groups.

use super::checks::*;
use super::{generate, Lesson, Step};
use crate::app::{Section, Setting};
use crate::sim::Reason;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "partitions-ordering",
        title: "Partitions, ordering and consumer groups",
        section: Section::OnlineVsBatch,
        goal: "See that a topic keeps order only within a partition, that a consumer group shares partitions out among its consumers, and what a producer that breaks a stream's order does to the read models.",
        explanation: "A topic is split into partitions; each event goes to the partition of its key (here its stream), so one stream's events stay in order. A consumer group shares the partitions out, so consumers work in parallel without two of them taking the same partition. Order across partitions is not kept, and a producer that reorders a stream's events breaks the one guarantee the read models rely on.",
        seed: 107,
        setup: || generate(2_000),
        steps: vec![
            Step {
                text: "Set Partitions to 4 and Consumers to 2: the Consumers list shows which partitions each consumer owns.",
                hint: "Partitions apply at the next replay; the assignment (Range or Round-robin) decides who gets which.",
                done: |p| p.streaming().config().partitions == 4 && p.streaming().config().consumers == 2,
                solve: |_| vec![set(Setting::Partitions, "4"), set(Setting::Consumers, "2")],
            },
            Step {
                text: "Set Reorder window to 8 ticks and tick “Broken producer”.",
                hint: "A reorder window alone delays records; the broken producer also shuffles records inside a partition.",
                done: |p| p.streaming().config().reorder_window >= 1 && p.streaming().config().reorder_within_partition,
                solve: |_| vec![set(Setting::ReorderWindow, "8"), tick(Setting::BrokenProducer, true)],
            },
            Step {
                text: "Press “Replay from start”, then “Drain”: Differences lists rows “applied out of order”.",
                hint: "A deposit applied before its account was opened, or a later balance before an earlier one, leaves the online row wrong even with nothing in flight.",
                done: |p| differs_because(p, |r| matches!(r, Reason::AppliedOutOfOrder { .. } | Reason::ArrivalOrder)),
                solve: |_| replay_and_drain(),
            },
            Step {
                text: "Untick “Broken producer”, set Reorder window back to 0, Replay from start and Drain: with each stream's order kept, online converges.",
                hint: "Ordering per key is enough for these read models; ordering across the whole topic is not needed.",
                done: converged,
                solve: |_| {
                    let mut actions = vec![tick(Setting::BrokenProducer, false), set(Setting::ReorderWindow, "0")];
                    actions.extend(replay_and_drain());
                    actions
                },
            },
        ],
    }
}
