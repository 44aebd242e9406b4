//! What-if branches: "Branch here" forks the log at the timeline's position; the branch shares the
//! prefix and takes commands of its own; main never changes because of it; "Branch comparison"
//! sets both side by side; branches travel in share links.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{Action, BranchAction, Playground, ShareAction, MAIN};
use proptest::prelude::*;

fn branch(p: &mut Playground, name: &str) {
    p.dispatch(Action::Branch(BranchAction::EditName(name.to_owned())));
    p.dispatch(Action::Branch(BranchAction::Here));
}

fn show(p: &mut Playground, name: &str) {
    p.dispatch(Action::Branch(BranchAction::Select(name.to_owned())));
    assert_eq!(p.alert(), None);
    assert_eq!(p.branch_name(), name);
}

#[test]
fn a_branch_forks_at_the_timeline_and_takes_commands_of_its_own() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    deposit(&mut p, "50");
    withdraw(&mut p, "30");
    let main_rows = rows(&p);
    // Back to just after the first deposit, and branch there.
    p.dispatch(Action::SeekTimeline(2));
    p.dispatch(Action::Branch(BranchAction::Here));
    assert_eq!(p.alert(), None);
    assert_eq!(p.branch_name(), "what-if 1");
    assert_eq!(p.head(), 2);
    assert!(rows(&p)[..] == main_rows[..2]);
    assert_eq!(
        p.status(),
        Some("Branched “what-if 1” from main at #2: it shares 2 events with main and takes commands of its own; main is as it was.")
    );
    withdraw(&mut p, "99");
    assert_eq!(p.alert(), None);
    assert!(balance(&p).contains("1.00"), "{}", balance(&p));
    assert_eq!(p.head(), 3);
    assert!(rows(p.main_branch()) == main_rows, "main changed");

    let comparison = p.branch_comparison().expect("a comparison");
    assert_eq!(comparison.branch.fork, 2);
    assert_eq!((comparison.main_after, comparison.branch_after), (2, 1));
    assert_eq!(comparison.aggregate.as_deref(), Some("account-1"));
    let balance_row = comparison
        .state
        .iter()
        .find(|r| r.label == "Balance")
        .expect("a balance");
    assert_eq!(
        (balance_row.main.as_str(), balance_row.branch.as_str()),
        ("120.00", "1.00")
    );
    assert!(balance_row.differs());
    assert!(comparison
        .state
        .iter()
        .any(|r| r.label == "Owner" && !r.differs()));
    assert!(
        comparison.models.iter().any(|r| r.differs()),
        "{:?}",
        comparison.models
    );

    // Main again: as it was; the branch waits with its own command.
    show(&mut p, MAIN);
    assert!(rows(&p) == main_rows);
    // Its timeline is where it was left.
    assert_eq!(p.position(), 2);
    p.dispatch(Action::SeekTimeline(p.head()));
    assert!(balance(&p).contains("120.00"), "{}", balance(&p));
    assert!(p.branch_comparison().is_none());
    show(&mut p, "what-if 1");
    assert_eq!(p.head(), 3);
    // A branch of the branch, named by the user.
    branch(&mut p, "big spender");
    assert_eq!(p.alert(), None);
    assert_eq!(p.branch_name(), "big spender");
    assert_eq!(
        p.branches_view().names,
        ["main", "what-if 1", "big spender"].map(str::to_owned)
    );
    let comparison = p.branch_comparison().expect("a comparison");
    assert_eq!(
        (comparison.branch.parent.as_str(), comparison.branch.common),
        ("what-if 1", 2)
    );
    assert_eq!((comparison.main_after, comparison.branch_after), (2, 1));
}

#[test]
fn branch_names_are_checked() {
    let mut p = playground();
    open(&mut p, "Ada");
    let head = p.head();
    for (name, says) in [
        ("main", "There is already a branch “main”"),
        (
            &"x".repeat(41),
            "cannot name a branch: a name has at most 40 characters",
        ),
        ("tab\there", "no control characters"),
    ] {
        branch(&mut p, name);
        assert!(
            p.alert().is_some_and(|a| a.contains(says)),
            "{name}: {:?}",
            p.alert()
        );
        assert_eq!(p.branch_name(), MAIN);
        assert_eq!(p.head(), head);
    }
    branch(&mut p, "  plan B  ");
    assert_eq!(p.branch_name(), "plan B");
    show(&mut p, MAIN);
    branch(&mut p, "plan B");
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("already a branch “plan B”")));
    p.dispatch(Action::Branch(BranchAction::Select("nowhere".to_owned())));
    assert_eq!(p.alert(), Some("There is no branch “nowhere”."));
    assert_eq!(p.branches_view().default_name, "what-if 2");
}

#[test]
fn branches_travel_in_a_share_link_and_open_identical() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "10");
    register(&mut p, "Grace Hopper", "grace@example.com");
    p.dispatch(Action::SeekTimeline(1));
    p.dispatch(Action::Branch(BranchAction::Here));
    deposit(&mut p, "70");
    p.generate_all(500);
    show(&mut p, MAIN);
    withdraw(&mut p, "5");
    show(&mut p, "what-if 1");
    p.dispatch(Action::Share(ShareAction::Copy));
    let link = p.share_view().link.expect("a link");

    let mut q = Playground::new(
        std::rc::Rc::new(playground::kernel::ManualClock::starting_2026()),
        99,
    );
    q.dispatch(Action::Share(ShareAction::Open(link)));
    while q.opening_link() {
        q.dispatch(Action::Share(ShareAction::OpenChunk));
    }
    assert_eq!(q.alert(), None);
    assert_eq!(q.branches_view(), p.branches_view());
    assert!(rows(&q) == rows(&p), "the branch differs");
    assert!(
        rows(q.main_branch()) == rows(p.main_branch()),
        "main differs"
    );
    assert_eq!(q.branch_comparison(), p.branch_comparison());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Whatever is done on a branch, main is what it would have been without the branch (the
    /// commands on main name their account: the page keeps the aggregate selected across branches).
    #[test]
    fn a_branch_never_changes_main(
        before in prop::collection::vec((0u8..4, 1u16..400), 1..12),
        cut in 0.0f64..=1.0,
        on_branch in prop::collection::vec((0u8..4, 1u16..400), 0..12),
        after in prop::collection::vec((0u8..4, 1u16..400), 0..6),
    ) {
        let act = |p: &mut Playground, (what, n): (u8, u16)| match what {
            0 => open(p, &format!("Owner {n}")),
            1 => {
                select_account(p, "account-1");
                deposit(p, &n.to_string());
            }
            2 => {
                select_account(p, "account-1");
                withdraw(p, &n.to_string());
            }
            _ => p.generate_all(u64::from(n % 50 + 1)),
        };
        let mut alone = playground();
        let mut p = playground();
        for &m in &before {
            act(&mut alone, m);
            act(&mut p, m);
        }
        let at = (p.head() as f64 * cut) as u64;
        p.dispatch(Action::SeekTimeline(at));
        alone.dispatch(Action::SeekTimeline(at));
        p.dispatch(Action::Branch(BranchAction::Here));
        prop_assert_eq!(p.head(), at);
        for &m in &on_branch {
            act(&mut p, m);
        }
        show(&mut p, MAIN);
        for &m in &after {
            act(&mut alone, m);
            act(&mut p, m);
        }
        prop_assert!(untimed(&p) == untimed(&alone), "main changed");
        select_account(&mut p, "account-1");
        select_account(&mut alone, "account-1");
        prop_assert_eq!(balance(&p), balance(&alone));
    }
}
