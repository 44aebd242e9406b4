//! The playground reducer: every user interaction, natively.
#![cfg(not(target_arch = "wasm32"))]

use playground::app::{Action, Playground, Rebuilt};
use playground::kernel::ManualClock;
use std::rc::Rc;

fn playground() -> Playground {
    Playground::new(Rc::new(ManualClock::starting_2026()), 3)
}

fn open(p: &mut Playground, owner: &str) {
    p.dispatch(Action::EditOwner(owner.into()));
    p.dispatch(Action::OpenAccount);
}

fn deposit(p: &mut Playground, amount: &str) {
    p.dispatch(Action::EditAmount(amount.into()));
    p.dispatch(Action::Deposit);
}

fn withdraw(p: &mut Playground, amount: &str) {
    p.dispatch(Action::EditAmount(amount.into()));
    p.dispatch(Action::Withdraw);
}

fn balance(p: &Playground) -> String {
    p.account_view().map(|v| v.balance).unwrap_or_default()
}

#[test]
fn open_deposit_withdraw_shows_three_events_and_the_balance() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    withdraw(&mut p, "30");
    assert_eq!(p.alert(), None);
    assert_eq!(p.head(), 3);
    let view = p.account_view().expect("selected account");
    assert_eq!(view.owner, "Ada");
    assert_eq!(view.balance, "70.00");
    assert_eq!(view.status, "Open");
    assert_eq!(view.version, 3);
    assert!(view.changed.balance && !view.changed.owner);
    assert_eq!(
        view.rebuilt.map(Rebuilt::describe).as_deref(),
        Some("replayed 3 events")
    );
    let types: Vec<&str> = p.log_rows(1..10).iter().map(|r| r.event_type).collect();
    assert_eq!(types, ["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]);
    assert_eq!(p.timeline().label(), "position 3 of 3");
}

#[test]
fn a_refused_command_alerts_and_changes_nothing() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "10");
    for bad in ["", "abc", "-1", "0", "1.234", "5000000"] {
        deposit(&mut p, bad);
        assert!(p.alert().is_some(), "{bad:?} should be refused");
        assert_eq!(p.head(), 2);
        assert_eq!(balance(&p), "10.00");
    }
    withdraw(&mut p, "11");
    assert_eq!(
        p.alert(),
        Some("Insufficient funds: the balance is 10.00 but 11.00 was requested.")
    );
    p.dispatch(Action::CloseAccount);
    assert!(p.alert().is_some_and(|a| a.contains("withdraw it all")));
    assert_eq!(p.head(), 2);
    open(&mut p, "   ");
    assert!(p.alert().is_some_and(|a| a.contains("name is empty")));
    assert_eq!(p.account_options().len(), 1);
    p.dispatch(Action::SelectAccount("account-99".into()));
    assert!(p.alert().is_some_and(|a| a.contains("no account called")));
    assert_eq!(p.selected().map(|s| s.as_str()), Some("account-1"));
}

#[test]
fn commands_without_an_account_are_refused() {
    let mut p = playground();
    deposit(&mut p, "10");
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Open an account first")));
    assert_eq!(p.head(), 0);
    assert_eq!(p.account_view(), None);
}

#[test]
fn the_timeline_time_travels_and_returns_to_now() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    withdraw(&mut p, "30");
    p.dispatch(Action::SeekTimeline(2));
    assert_eq!(balance(&p), "100.00");
    assert_eq!(p.timeline().label(), "position 2 of 3");
    assert!(!p.timeline().live);
    let rows = p.log_rows(1..4);
    assert_eq!(
        rows.iter().map(|r| r.future).collect::<Vec<_>>(),
        [false, false, true]
    );
    p.dispatch(Action::StepTimeline(-1));
    let view = p.account_view().expect("view");
    assert_eq!(
        (view.balance.as_str(), view.status.as_str()),
        ("0.00", "Open")
    );
    assert!(view.changed.owner && view.changed.status);
    p.dispatch(Action::SeekTimeline(0));
    assert_eq!(
        p.account_view().map(|v| v.status),
        Some("Not opened".into())
    );
    p.dispatch(Action::StepTimeline(-5));
    assert_eq!(p.position(), 0);
    p.dispatch(Action::SeekTimeline(99));
    assert!(p.timeline().live);
    assert_eq!(balance(&p), "70.00");
}

#[test]
fn a_live_timeline_follows_new_events_and_a_command_returns_to_now() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "5");
    p.dispatch(Action::SeekTimeline(1));
    deposit(&mut p, "5");
    assert!(
        p.timeline().live,
        "a successful command brings the view back to now"
    );
    assert_eq!(p.timeline().label(), "position 3 of 3");
    assert_eq!(balance(&p), "10.00");
}

#[test]
fn inspecting_an_event_shows_its_whole_envelope() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "12.5");
    p.dispatch(Action::Inspect(2));
    let envelope = p.inspected_envelope().expect("envelope");
    let field = |name: &str| {
        envelope
            .fields
            .iter()
            .find(|(label, _)| *label == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(field("Event type"), "MoneyDeposited");
    assert_eq!(field("Stream version"), "v2");
    assert_eq!(field("Global position"), "#2");
    assert_eq!(field("Schema version"), "1");
    assert_eq!(field("Payload"), "amount: 12.50");
    assert_eq!(field("Correlation id"), field("Causation id"));
    assert_eq!(field("Event id").len(), 36);
    assert!(field("Partition").ends_with("of 3 (keyed by stream)"));
    assert_eq!(field("Online"), "not published to the topic yet");
    p.dispatch(Action::Stream(playground::app::StreamAction::Drain));
    assert_eq!(
        p.inspected_envelope().and_then(|v| v
            .fields
            .iter()
            .find(|(l, _)| *l == "Online")
            .map(|(_, v)| v.clone())),
        Some("applied once".to_owned())
    );
    assert!(p.log_rows(2..3)[0].inspected);
    p.dispatch(Action::Inspect(99));
    assert_eq!(
        p.inspected(),
        Some(2),
        "inspecting a missing event changes nothing"
    );
    p.dispatch(Action::CloseInspector);
    assert_eq!(p.inspected_envelope(), None);
}

#[test]
fn many_deposits_rebuild_from_a_snapshot() {
    let mut p = Playground::with_snapshot_interval(Rc::new(ManualClock::starting_2026()), 3, 10);
    open(&mut p, "Ada");
    for _ in 0..24 {
        deposit(&mut p, "1");
    }
    let view = p.account_view().expect("view");
    assert_eq!(view.balance, "24.00");
    assert_eq!(
        view.rebuilt.map(Rebuilt::describe).as_deref(),
        Some("rebuilt from snapshot v20 + 5 events")
    );
    p.dispatch(Action::SeekTimeline(10));
    assert_eq!(
        p.account_view()
            .and_then(|v| v.rebuilt)
            .map(Rebuilt::describe)
            .as_deref(),
        Some("rebuilt from snapshot v10 + 0 events")
    );
}

#[test]
fn a_closed_account_is_marked_in_the_account_list_and_refuses_commands() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "5");
    withdraw(&mut p, "5");
    p.dispatch(Action::CloseAccount);
    assert_eq!(p.alert(), None);
    assert_eq!(p.account_options()[0].label, "account-1 · Ada (closed)");
    assert_eq!(p.account_view().map(|v| v.status), Some("Closed".into()));
    deposit(&mut p, "1");
    assert!(p.alert().is_some_and(|a| a.contains("closed")));
    assert_eq!(p.head(), 4);
}

#[test]
fn owner_names_are_kept_as_text() {
    let mut p = playground();
    open(&mut p, "  <script>alert(1)</script> ");
    assert_eq!(
        p.account_options()[0].label,
        "account-1 · <script>alert(1)</script>"
    );
}
