//! The load generator: counts it accepts, and runs that produce exactly what was asked, validly.
#![cfg(not(target_arch = "wasm32"))]

use playground::app::{parse_count, Action, Playground};
use playground::domain::bank::{Account, AccountStatus};
use playground::kernel::{Aggregate, ManualClock, StreamId};
use std::collections::HashMap;
use std::rc::Rc;

fn playground(seed: u64) -> Playground {
    Playground::new(Rc::new(ManualClock::starting_2026()), seed)
}

fn generate(p: &mut Playground, count: &str) {
    p.dispatch(Action::EditGenerateCount(count.into()));
    p.dispatch(Action::StartGenerating);
    while p.generator().is_some() {
        p.dispatch(Action::GenerateChunk);
    }
}

#[test]
fn counts_accept_whole_numbers_from_one_to_a_million() {
    assert_eq!(parse_count("10000"), Ok(10_000));
    assert_eq!(parse_count(" 10,000 "), Ok(10_000));
    assert_eq!(parse_count("1_000_000"), Ok(1_000_000));
    assert_eq!(parse_count("1"), Ok(1));
    for bad in [
        "",
        "0",
        "-5",
        "1.5",
        "abc",
        "1000001",
        "99999999999999999999",
        "1e6",
    ] {
        let error = parse_count(bad).expect_err(bad).to_string();
        assert!(
            error.contains("whole number from 1 to 1,000,000"),
            "{bad}: {error}"
        );
    }
}

#[test]
fn a_run_appends_exactly_the_requested_number_of_valid_events() {
    let mut p = playground(9);
    generate(&mut p, "25000");
    assert_eq!(p.head(), 25_000);
    assert_eq!(p.alert(), None);
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Generated 25,000 events")));
    // Replaying every stream from scratch never hits an impossible state: no negative balance, nothing
    // after a close, exactly one open per stream.
    let mut states: HashMap<StreamId, Account> = HashMap::new();
    for event in p.bank().store().read_all(1) {
        let state = states.entry(event.stream_id.clone()).or_default();
        if event.stream_version > 1 {
            assert_eq!(
                state.status,
                AccountStatus::Open,
                "event after close at #{}",
                event.position
            );
        }
        state.apply(event.payload);
        assert!(
            state.balance.cents() >= 0,
            "negative balance at #{}",
            event.position
        );
    }
    assert!(
        states.len() > 100,
        "spread over many accounts: {}",
        states.len()
    );
    assert_eq!(p.account_options().len(), states.len());
    assert!(
        p.selected().is_some(),
        "an account is selected after generating"
    );
}

#[test]
fn the_same_seed_generates_the_same_history() {
    let history = |seed| {
        let mut p = playground(seed);
        generate(&mut p, "3000");
        p.bank()
            .store()
            .read_all(1)
            .map(|e| {
                (
                    e.event_id,
                    e.stream_id.to_string(),
                    format!("{:?}", e.payload),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(history(5), history(5));
    assert_ne!(history(5), history(6));
}

#[test]
fn a_run_works_in_chunks_and_can_be_stopped() {
    let mut p = playground(1);
    p.dispatch(Action::EditGenerateCount("50000".into()));
    p.dispatch(Action::StartGenerating);
    assert_eq!(
        p.generator().map(|g| g.to_string()).as_deref(),
        Some("Generating: 0 of 50,000 events")
    );
    p.dispatch(Action::GenerateChunk);
    assert_eq!(p.head(), 10_000);
    p.dispatch(Action::StartGenerating);
    assert!(p.alert().is_some_and(|a| a.contains("already in progress")));
    p.dispatch(Action::StopGenerating);
    assert_eq!(p.generator().map(|g| g.done()), None);
    assert!(p
        .status()
        .is_some_and(|s| s.starts_with("Stopped after generating 10,000 events")));
    p.dispatch(Action::GenerateChunk);
    assert_eq!(p.head(), 10_000, "nothing more once stopped");
}

#[test]
fn a_bad_count_is_refused_and_generates_nothing() {
    let mut p = playground(1);
    p.dispatch(Action::EditGenerateCount("lots".into()));
    p.dispatch(Action::StartGenerating);
    assert!(p.alert().is_some_and(|a| a.contains("“lots”")));
    assert!(p.generator().is_none());
    assert_eq!(p.head(), 0);
}

#[test]
fn generated_accounts_continue_after_the_users_own() {
    let mut p = playground(2);
    p.dispatch(Action::EditOwner("Ada".into()));
    p.dispatch(Action::OpenAccount);
    generate(&mut p, "500");
    assert_eq!(p.head(), 501);
    let ids: Vec<String> = p
        .account_options()
        .iter()
        .map(|o| o.stream.to_string())
        .collect();
    assert_eq!(ids[0], "account-1");
    assert_eq!(ids[1], "account-2");
    assert_eq!(p.selected().map(|s| s.as_str()), Some("account-1"));
    assert_eq!(
        p.bank().store().stream_version(&StreamId::new("account-1")),
        Some(1),
        "the generator leaves the user's own account alone"
    );
}

#[test]
fn event_times_cover_the_past_week_and_a_share_arrive_late() {
    let mut p = playground(8);
    p.dispatch(Action::EditLateShare("10".into()));
    generate(&mut p, "5000");
    let times: Vec<i64> = p
        .bank()
        .store()
        .read_all(1)
        .map(|e| e.occurred_at_seconds())
        .collect();
    let span = times.iter().max().copied().unwrap_or(0) - times.iter().min().copied().unwrap_or(0);
    assert!(span > 6 * 86_400, "spread over the week: {span} s");
    // An event is late when it happened before the event appended just before it.
    let late = times.windows(2).filter(|w| w[1] < w[0]).count();
    assert!((300..=700).contains(&late), "about 10% late: {late}");
    p.dispatch(Action::EditLateShare("150".into()));
    p.dispatch(Action::StartGenerating);
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Late share must be a whole percentage from 0 to 100")));
    assert!(p.generator().is_none());
}
