//! Lesson 15: what-if branches.

use super::checks::*;
use super::{Lesson, Step};
use crate::app::{Action, BranchAction, Section, MAIN};
use crate::domain::bank::controls;

/// The lesson.
pub fn lesson() -> Lesson {
    Lesson {
        id: "what-if-branches",
        title: "What-if branches",
        section: Section::Branches,
        goal: "Fork the log at a past event, write a different future in the branch, and compare it with main.",
        explanation: "Because state is derived from the log, the log up to any position is a complete starting point. A branch is a copy of the log's first events with a future of its own: the same aggregates, read models and queries, computed from a different history. Main is untouched.",
        seed: 115,
        setup: || adas_account(&[(controls::DEPOSIT, "100"), (controls::WITHDRAW, "30")]),
        steps: vec![
            Step {
                text: "Move the Timeline to position 2, before the withdrawal.",
                hint: "Press Home, then → twice.",
                done: |p| p.position() == 2 && p.branch_name() == MAIN,
                solve: |_| vec![Action::SeekTimeline(2)],
            },
            Step {
                text: "In Branches, press “Branch here”: the page now shows the branch, a log of 2 events.",
                hint: "A branch name is optional; without one it is called “what-if 1”.",
                done: |p| p.branch_name() != MAIN,
                solve: |_| vec![Action::Branch(BranchAction::Here)],
            },
            Step {
                text: "Withdraw 80 from Ada's account in the branch: the Branch comparison shows the balance 70.00 in main and 20.00 in the branch.",
                hint: "The comparison lists the selected account's fields and every read model, highlighting what differs.",
                done: |p| p.branch_comparison().is_some_and(|c| c.branch_after >= 1),
                solve: |_| money(controls::WITHDRAW, "80"),
            },
            Step {
                text: "Choose “main” in the Branch select: main still holds its own 3 events, as it did.",
                hint: "Switching branches moves the whole page; the branch is kept, and can be chosen again.",
                done: |p| p.branch_name() == MAIN && p.branches_view().names.len() >= 2,
                solve: |_| vec![Action::Branch(BranchAction::Select(MAIN.to_owned()))],
            },
        ],
    }
}
