//! The playground reducer: every interaction with the bank and the page, natively.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{Action, Playground, StreamAction};
use playground::domain::bank;
use playground::kernel::ManualClock;
use playground::view::Rebuilt;
use std::rc::Rc;

#[test]
fn open_deposit_withdraw_shows_three_events_and_the_balance() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    withdraw(&mut p, "30");
    assert_eq!(p.alert(), None);
    assert_eq!(p.head(), 3);
    let view = account_state(&p);
    assert_eq!(view.region, "Account state");
    assert_eq!(view.subject.as_deref(), Some("account-1"));
    assert_eq!(field(&view, "Owner"), "Ada");
    assert_eq!(field(&view, "Balance"), "70.00");
    assert_eq!(field(&view, "Status"), "Open");
    assert_eq!(field(&view, "Version"), "v3");
    let changed: Vec<&str> = view
        .fields
        .iter()
        .filter(|f| f.changed)
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(changed, ["Balance", "Version"]);
    assert_eq!(view.rebuilt, Some(Rebuilt::Replayed { events: 3 }));
    let rows = p.log_rows(0..10);
    let types: Vec<&str> = rows.iter().map(|r| r.event_type.as_str()).collect();
    assert_eq!(types, ["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]);
    assert!(rows
        .iter()
        .all(|r| r.category == "account" && r.tone == Some(0)));
    assert_eq!(p.timeline().label(), "position 3 of 3");
    assert_eq!(p.last_write(), Some(3));
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
    bank_press(&mut p, bank::controls::CLOSE);
    assert!(p.alert().is_some_and(|a| a.contains("withdraw it all")));
    assert_eq!(p.head(), 2);
    open(&mut p, "   ");
    assert!(p.alert().is_some_and(|a| a.contains("name is empty")));
    select_account(&mut p, "account-99");
    assert!(p.alert().is_some_and(|a| a.contains("no account called")));
    assert_eq!(account_state(&p).subject.as_deref(), Some("account-1"));
    assert_eq!(p.head(), 2);
    assert_eq!(p.last_write(), Some(2), "refusals are no writes");
}

#[test]
fn commands_without_an_account_are_refused() {
    let mut p = playground();
    deposit(&mut p, "10");
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Open an account first")));
    assert_eq!(p.head(), 0);
    assert_eq!(account_state(&p).subject, None);
}

#[test]
fn inputs_for_unknown_domains_controls_and_tabs_are_refused() {
    let mut p = playground();
    p.dispatch(Action::press("casino", "spin"));
    assert!(p.alert().is_some_and(|a| a.contains("no domain “casino”")));
    p.dispatch(Action::press(bank::KEY, "explode"));
    assert!(p.alert().is_some_and(|a| a.contains("no button “explode”")));
    p.dispatch(Action::SelectTab("nowhere".into()));
    assert!(p.alert().is_some_and(|a| a.contains("no domain")));
    assert_eq!(p.tab(), 0);
    assert_eq!(p.head(), 0);
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
    let rows = p.log_rows(0..3);
    assert_eq!(
        rows.iter().map(|r| r.future).collect::<Vec<_>>(),
        [false, false, true]
    );
    p.dispatch(Action::StepTimeline(-1));
    let view = account_state(&p);
    assert_eq!(
        (field(&view, "Balance"), field(&view, "Status")),
        ("0.00".into(), "Open".into())
    );
    assert!(view.fields.iter().filter(|f| f.changed).count() >= 3);
    p.dispatch(Action::SeekTimeline(0));
    assert_eq!(field(&account_state(&p), "Status"), "Not opened");
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

fn envelope_field(p: &Playground, name: &str) -> String {
    p.inspected_envelope()
        .and_then(|e| {
            e.fields
                .iter()
                .find(|(label, _)| *label == name)
                .map(|(_, v)| v.clone())
        })
        .unwrap_or_default()
}

#[test]
fn inspecting_an_event_shows_its_whole_envelope() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "12.5");
    p.dispatch(Action::Inspect(2));
    let field = |name: &str| envelope_field(&p, name);
    assert_eq!(field("Event type"), "MoneyDeposited");
    assert_eq!(field("Category"), "account (Bank accounts)");
    assert_eq!(field("Stream version"), "v2");
    assert_eq!(field("Global position"), "#2");
    assert_eq!(field("Schema version"), "1");
    // Written in v1 (the version deployed at the start), read as v3.
    assert_eq!(field("Payload"), "amount: 12.50 EUR, channel: unknown");
    assert!(
        field("Stored form").contains("(MoneyDeposited v1), 2 bytes: "),
        "{}",
        field("Stored form")
    );
    assert_eq!(field("Correlation id"), field("Causation id"));
    assert_eq!(field("Event id").len(), 36);
    assert!(field("Partition").ends_with("of 3 (keyed by stream)"));
    assert_eq!(field("Online"), "not published to the topic yet");
    p.dispatch(Action::Stream(StreamAction::Drain));
    assert_eq!(envelope_field(&p, "Online"), "applied once");
    assert!(p.log_rows(1..2)[0].inspected);
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
    let view = account_state(&p);
    assert_eq!(field(&view, "Balance"), "24.00");
    assert_eq!(
        view.rebuilt.map(Rebuilt::describe).as_deref(),
        Some("rebuilt from snapshot v20 + 5 events")
    );
    p.dispatch(Action::SeekTimeline(10));
    assert_eq!(
        account_state(&p).rebuilt.map(Rebuilt::describe).as_deref(),
        Some("rebuilt from snapshot v10 + 0 events")
    );
}

#[test]
fn a_closed_account_is_marked_in_the_account_list_and_refuses_commands() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "5");
    withdraw(&mut p, "5");
    bank_press(&mut p, bank::controls::CLOSE);
    assert_eq!(p.alert(), None);
    assert_eq!(options(&p.form(), "Account"), ["account-1 · Ada (closed)"]);
    assert_eq!(field(&account_state(&p), "Status"), "Closed");
    deposit(&mut p, "1");
    assert!(p.alert().is_some_and(|a| a.contains("closed")));
    assert_eq!(p.head(), 4);
}

#[test]
fn owner_names_are_kept_as_text() {
    let mut p = playground();
    open(&mut p, "  <script>alert(1)</script> ");
    assert_eq!(
        options(&p.form(), "Account"),
        ["account-1 · <script>alert(1)</script>"]
    );
}

#[test]
fn the_domains_tabs_switch_the_panel_and_state_region() {
    let mut p = playground();
    let tabs: Vec<&str> = p.tabs().iter().map(|t| t.title).collect();
    assert_eq!(
        tabs,
        [
            "Bank accounts",
            "Customers",
            "Orders",
            "Inventory",
            "Payments",
            "Shipping"
        ]
    );
    assert!(p.tabs()[0].selected);
    assert_eq!(
        p.state_view().map(|v| v.region).as_deref(),
        Some("Account state")
    );
    p.dispatch(Action::SelectTab("customers".into()));
    assert!(p.tabs()[1].selected);
    assert_eq!(
        p.state_view().map(|v| v.region).as_deref(),
        Some("Customer state")
    );
    p.dispatch(Action::SelectTab("orders".into()));
    assert_eq!(
        p.state_view().map(|v| v.region).as_deref(),
        Some("Order state")
    );
    assert_eq!(
        options(&p.form(), "Product").len(),
        6,
        "the catalogue has six products"
    );
}

/// Both clerks load v3 (balance 100.00); A withdraws 60, then B withdraws 60.
fn two_clerks_race(mode: &str) -> Playground {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "40");
    deposit(&mut p, "60");
    bank_edit(&mut p, bank::controls::EXPECTED, mode);
    bank_press(&mut p, bank::controls::LOADS[0]);
    bank_press(&mut p, bank::controls::LOADS[1]);
    bank_edit(&mut p, bank::controls::AMOUNTS[0], "60");
    bank_edit(&mut p, bank::controls::AMOUNTS[1], "60");
    bank_press(&mut p, bank::controls::WITHDRAWS[0]);
    assert_eq!(p.head(), 4, "clerk A wrote");
    bank_press(&mut p, bank::controls::WITHDRAWS[1]);
    p
}

fn notice(p: &Playground) -> Option<bank::ClerkNotice> {
    p.module::<bank::BankModule>()
        .and_then(|b| b.clerks().notice.clone())
}

#[test]
fn with_exact_the_second_clerk_gets_a_conflict_and_retry_decides_again() {
    let mut p = two_clerks_race("exact");
    assert_eq!(p.head(), 4, "the refused attempt appended nothing");
    let Some(bank::ClerkNotice::Conflict { clerk: 1, text }) = notice(&p) else {
        panic!("expected a conflict for clerk B, got {:?}", notice(&p));
    };
    assert!(
        text.starts_with("Concurrency conflict: Clerk B loaded v3 but the stream is at v4"),
        "{text}"
    );
    assert!(
        text.contains("#4 MoneyWithdrawn (amount: 60.00)"),
        "names the event in between: {text}"
    );
    assert!(notices(&p.form())
        .iter()
        .any(|n| n.contains("Concurrency conflict")));
    // Retry reloads v4 (balance 40.00) and decides again: now the rule refuses it.
    bank_press(&mut p, bank::controls::RETRY);
    assert_eq!(p.head(), 4);
    assert_eq!(
        notice(&p),
        Some(bank::ClerkNotice::Refused(
            "Clerk B: Insufficient funds: the balance is 40.00 but 60.00 was requested.".into()
        ))
    );
    assert_eq!(balance(&p), "40.00");
}

#[test]
fn with_exact_a_retry_that_still_fits_goes_through() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    bank_press(&mut p, bank::controls::LOADS[0]);
    bank_press(&mut p, bank::controls::LOADS[1]);
    bank_edit(&mut p, bank::controls::AMOUNTS[0], "30");
    bank_edit(&mut p, bank::controls::AMOUNTS[1], "20");
    bank_press(&mut p, bank::controls::WITHDRAWS[0]);
    bank_press(&mut p, bank::controls::WITHDRAWS[1]);
    assert!(matches!(
        notice(&p),
        Some(bank::ClerkNotice::Conflict { clerk: 1, .. })
    ));
    bank_press(&mut p, bank::controls::RETRY);
    assert_eq!(notice(&p), None);
    assert_eq!(p.head(), 4);
    assert_eq!(balance(&p), "50.00");
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Clerk B withdrew 20.00 from account-1")));
}

#[test]
fn with_any_both_write_and_the_page_names_the_lost_update() {
    let p = two_clerks_race("any");
    assert_eq!(p.head(), 5, "both withdrawals were written");
    assert_eq!(balance(&p), "\u{2212}20.00");
    assert_eq!(
        notice(&p),
        Some(bank::ClerkNotice::LostUpdate(
            "Balance is now \u{2212}20.00: Clerk B decided on v3, a lost update.".into()
        ))
    );
}

#[test]
fn with_any_a_stale_write_that_breaks_no_rule_is_still_called_out() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    bank_edit(&mut p, bank::controls::EXPECTED, "any");
    bank_press(&mut p, bank::controls::LOADS[0]);
    bank_press(&mut p, bank::controls::LOADS[1]);
    bank_edit(&mut p, bank::controls::AMOUNTS[0], "10");
    bank_edit(&mut p, bank::controls::AMOUNTS[1], "10");
    bank_press(&mut p, bank::controls::WITHDRAWS[0]);
    bank_press(&mut p, bank::controls::WITHDRAWS[1]);
    assert_eq!(balance(&p), "80.00");
    let Some(bank::ClerkNotice::LostUpdate(text)) = notice(&p) else {
        panic!("expected a lost-update notice");
    };
    assert!(
        text.starts_with("Clerk B decided on v2 but wrote v4 without a check"),
        "{text}"
    );
}

#[test]
fn clerks_refuse_bad_input_and_acting_before_loading() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "100");
    bank_edit(&mut p, bank::controls::AMOUNTS[0], "5");
    bank_press(&mut p, bank::controls::WITHDRAWS[0]);
    assert!(
        matches!(notice(&p), Some(bank::ClerkNotice::Refused(t)) if t.contains("has not loaded"))
    );
    bank_press(&mut p, bank::controls::LOADS[0]);
    bank_edit(&mut p, bank::controls::AMOUNTS[0], "five");
    bank_press(&mut p, bank::controls::WITHDRAWS[0]);
    assert!(
        matches!(notice(&p), Some(bank::ClerkNotice::Refused(t)) if t.contains("is not a number"))
    );
    bank_edit(&mut p, bank::controls::EXPECTED, "sometimes");
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Expected version must be")));
    bank_press(&mut p, bank::controls::RETRY);
    assert!(matches!(notice(&p), Some(bank::ClerkNotice::Refused(t)) if t.contains("no conflict")));
    assert_eq!(p.head(), 2);
}
