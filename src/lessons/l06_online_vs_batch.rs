//! Lesson 6: online vs batch.

use super::checks::*;
use super::{generate, Lesson, Step};
use crate::app::{Action, Section, Setting, StreamAction};
use crate::sim::Reason;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "online-vs-batch",
        title: "Online vs batch",
        section: Section::OnlineVsBatch,
        goal: "See the same read models computed two ways — streamed through a broker, and folded from the whole log — disagree while events are in flight, and agree once the broker has delivered everything.",
        explanation: "A read model can be updated online, event by event as the broker delivers them, or rebuilt in a batch by folding the log from the start. The batch is always right about the log it read; the online one is fast but only as complete as what has been delivered. The Differences list names, for every row that differs, why.",
        seed: 106,
        setup: || generate(2_000),
        steps: vec![
            Step {
                text: "In Online vs batch, set Delay to 10 ticks, press “Step”, then “Run batch”: the batch has folded the whole log, online has nothing yet, and Differences lists rows whose events are “not yet delivered”.",
                hint: "A tick moves the broker on by one step; with a delay, published events wait 10 ticks before a consumer can take them. The batch also runs by itself every few ticks.",
                done: |p| differs_because(p, |r| matches!(r, Reason::NotYetDelivered { .. })),
                solve: |_| {
                    vec![
                        set(Setting::Delay, "10"),
                        Action::Stream(StreamAction::Step),
                        Action::Stream(StreamAction::RunBatch),
                    ]
                },
            },
            Step {
                text: "Press “Drain”: the broker ticks until nothing is in flight, and the status says “Converged”.",
                hint: "With no faults, every event is delivered once, in its stream's order, so online and batch end up equal.",
                done: converged,
                solve: |_| vec![drain()],
            },
            Step {
                text: "In the Event store, open another account: one event is in flight again, and online and batch are no longer known to agree.",
                hint: "Type an Owner and press “Open account” in the Bank tab, then come back to Online vs batch.",
                done: |p| !converged(p),
                solve: |_| open_account("Grace"),
            },
            Step {
                text: "Press “Drain” again: converged.",
                hint: "The online read models are eventually consistent: they agree once everything is delivered.",
                done: converged,
                solve: |_| vec![drain()],
            },
        ],
    }
}
