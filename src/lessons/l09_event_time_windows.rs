//! Lesson 9: event time, windows and watermarks.

use super::checks::*;
use super::{generate, Lesson, Step};
use crate::app::{Action, GenerateAction, Section, Setting};
use crate::sim::Reason;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "event-time-windows",
        title: "Event time, windows and watermarks",
        section: Section::OnlineVsBatch,
        goal: "See deposits counted per window of event time, a watermark decide which ones are late, and arrival order change that decision online.",
        explanation: "An event happened at one time (event time) and is processed at another. Windows group events by event time — deposits per 24 hours. A streaming job cannot wait forever for stragglers, so it keeps a watermark: the event time it believes it has seen everything before, minus the allowed lateness. An event older than the watermark is late, and is counted separately or dropped. The batch sees every event in log order; online, arrival order moves the watermark.",
        seed: 109,
        setup: || {
            let mut actions = vec![Action::Generate(GenerateAction::EditLateShare("20".to_owned()))];
            actions.extend(generate(2_000));
            actions
        },
        steps: vec![
            Step {
                text: "A fifth of these events happened late. Set Reorder window to 10 ticks, tick “Broken producer”, then Replay from start and Drain: Differences lists deposits “judged late” online but not in batch.",
                hint: "Events arriving out of order push the online watermark ahead of events still on their way.",
                done: |p| differs_because(p, |r| matches!(r, Reason::LatePastWatermark { .. } | Reason::ArrivalOrder)),
                solve: |_| {
                    let mut actions = vec![set(Setting::ReorderWindow, "10"), tick(Setting::BrokenProducer, true)];
                    actions.extend(replay_and_drain());
                    actions
                },
            },
            Step {
                text: "Set Allowed lateness to 720 hours, then Replay from start and Drain: with a watermark that waits long enough, no deposit is judged late and no window row differs (the rows left differ only by order).",
                hint: "Allowed lateness trades completeness for latency: a window's result is final only once the watermark passes it.",
                done: |p| !window_rows_differ(p) && p.streaming().window_settings().allowed_lateness_seconds >= 720 * 3_600,
                solve: |_| {
                    let mut actions = vec![set(Setting::LatenessHours, "720")];
                    actions.extend(replay_and_drain());
                    actions
                },
            },
            Step {
                text: "Set Allowed lateness back to 0, Late events to “Drop”, then Replay from start and Drain: late deposits are dropped, not counted.",
                hint: "Dropping is what many streaming jobs do by default; the batch, seeing the whole log, drops different ones.",
                done: |p| differs_because(p, |r| matches!(r, Reason::LatePastWatermark { dropped: true, .. })),
                solve: |_| {
                    let mut actions = vec![set(Setting::LatenessHours, "0"), set(Setting::LatePolicy, "drop")];
                    actions.extend(replay_and_drain());
                    actions
                },
            },
        ],
    }
}
