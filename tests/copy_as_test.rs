//! "Copy as test": every domain's commands and the process manager's decisions, taken from the log
//! as of a timeline position, written as given/when/then tests.
//!
//! The tests written from the scenarios below are the files of `tests/copied/`, which this crate
//! compiles and runs (`mod copied`): `generated_tests_are_the_files_compiled_here` writes them again
//! and requires the very same text (after rustfmt), so a change to the writer that no longer
//! compiles, or no longer passes, fails here. `BLESS_COPIED=1 cargo test --test copy_as_test`
//! writes the files anew after an intended change. Every other case a log holds is checked typed:
//! the aggregate, given the case's events, decides its command as the case says.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod copied;

use common::*;
use playground::app::{
    Action, CopyTestAction, Playground, SagaAction, Setting, StreamAction, TestTarget,
};
use playground::domain::{customers, inventory, orders, payments, shipping};
use playground::process::fulfilment_of;
use playground::testgen::{Case, GeneratedTest, MAX_GIVEN};
use proptest::prelude::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn select(p: &mut Playground, domain: &str) {
    p.dispatch(Action::SelectTab(domain.to_owned()));
}

/// Presses "Copy as test" for `target` and returns what it wrote.
fn copy(p: &mut Playground, target: TestTarget) -> GeneratedTest {
    p.dispatch(Action::CopyTest(CopyTestAction::Copy(target)));
    assert_eq!(p.alert(), None, "Copy as test is not refused");
    p.copied_test(target)
        .expect("a test is written")
        .test
        .clone()
}

/// Moves the timeline to the first event of type `event_type`.
fn seek_to_first(p: &mut Playground, event_type: &str) {
    let at = (1..=p.head())
        .find(|&at| {
            p.store()
                .get(at)
                .is_some_and(|e| e.event_type() == event_type)
        })
        .unwrap_or_else(|| panic!("no {event_type} in the log"));
    p.dispatch(Action::SeekTimeline(at));
}

fn drain(p: &mut Playground) {
    p.dispatch(Action::Stream(StreamAction::Drain));
    assert_eq!(p.alert(), None);
}

fn place(p: &mut Playground, sku: &str, quantity: &str) {
    orders_press(p, orders::controls::START);
    add_item(p, sku, quantity);
    orders_press(p, orders::controls::PLACE);
    assert_eq!(p.alert(), None);
}

/// An order of Grace's placed and drained through the orchestrated saga.
fn fulfilled() -> Playground {
    let mut p = playground();
    register(&mut p, "Grace Hopper", "grace@example.com");
    place(&mut p, "MUG-03", "2");
    drain(&mut p);
    p
}

/// The scenarios whose tests are kept in `tests/copied/`: at least one per domain, refusals among
/// them, and the process manager going forward and compensating.
fn scenarios() -> Vec<GeneratedTest> {
    let mut tests = Vec::new();

    let mut p = playground();
    open(&mut p, "Ada Lovelace");
    deposit(&mut p, "12.50");
    tests.push(copy(&mut p, TestTarget::Aggregate));
    withdraw(&mut p, "20");
    assert!(p.alert().is_some(), "the withdrawal is refused");
    tests.push(copy(&mut p, TestTarget::Aggregate));
    // As of the timeline: back to the account's opening.
    p.dispatch(Action::SeekTimeline(1));
    tests.push(copy(&mut p, TestTarget::Aggregate));

    let mut p = playground();
    register(&mut p, "Grace Hopper", "grace@example.com");
    select(&mut p, customers::KEY);
    tests.push(copy(&mut p, TestTarget::Aggregate));
    customers_press(&mut p, customers::controls::DEACTIVATE);
    customers_edit(&mut p, customers::controls::NAME, "Grace Brewster Hopper");
    customers_press(&mut p, customers::controls::CHANGE_NAME);
    assert!(p.alert().is_some(), "a deactivated customer keeps her name");
    tests.push(copy(&mut p, TestTarget::Aggregate));

    let mut p = fulfilled();
    select(&mut p, orders::KEY);
    tests.push(copy(&mut p, TestTarget::Aggregate));
    orders_press(&mut p, orders::controls::CANCEL);
    assert!(p.alert().is_some(), "a completed order cannot be cancelled");
    tests.push(copy(&mut p, TestTarget::Aggregate));
    seek_to_first(&mut p, "ItemAdded");
    tests.push(copy(&mut p, TestTarget::Aggregate));
    p.dispatch(Action::SeekTimeline(p.head()));
    select(&mut p, inventory::KEY);
    tests.push(copy(&mut p, TestTarget::Aggregate));
    p.dispatch(Action::edit(
        inventory::KEY,
        inventory::controls::PRODUCT,
        "TEA-01",
    ));
    p.dispatch(Action::edit(
        inventory::KEY,
        inventory::controls::QUANTITY,
        "5",
    ));
    p.dispatch(Action::press(inventory::KEY, inventory::controls::RESTOCK));
    tests.push(copy(&mut p, TestTarget::Aggregate));
    select(&mut p, payments::KEY);
    tests.push(copy(&mut p, TestTarget::Aggregate));
    p.dispatch(Action::press(payments::KEY, payments::controls::VOID));
    assert!(
        p.alert().is_some(),
        "a captured payment is refunded, not voided"
    );
    tests.push(copy(&mut p, TestTarget::Aggregate));
    select(&mut p, shipping::KEY);
    tests.push(copy(&mut p, TestTarget::Aggregate));
    p.dispatch(Action::press(shipping::KEY, shipping::controls::DELIVER));
    tests.push(copy(&mut p, TestTarget::Aggregate));

    // The process manager: its last decision, then an earlier one as of the timeline.
    tests.push(copy(&mut p, TestTarget::ProcessManager));
    seek_to_first(&mut p, "SagaStarted");
    tests.push(copy(&mut p, TestTarget::ProcessManager));

    // Compensation: the card issuer declines every payment.
    let mut p = playground();
    p.dispatch(Action::Saga(SagaAction::Set(
        Setting::DeclineRate,
        "100".to_owned(),
    )));
    register(&mut p, "Grace Hopper", "grace@example.com");
    place(&mut p, "KET-06", "2");
    drain(&mut p);
    tests.push(copy(&mut p, TestTarget::ProcessManager));
    seek_to_first(&mut p, "CompensationStarted");
    tests.push(copy(&mut p, TestTarget::ProcessManager));
    p.dispatch(Action::SeekTimeline(p.head()));
    select(&mut p, inventory::KEY);
    tests.push(copy(&mut p, TestTarget::Aggregate));
    select(&mut p, payments::KEY);
    tests.push(copy(&mut p, TestTarget::Aggregate));
    tests
}

/// `code` as rustfmt writes it (the project's edition and settings).
fn rustfmt(code: &str) -> String {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustfmt runs (rustup component add rustfmt)");
    child
        .stdin
        .take()
        .expect("rustfmt's input")
        .write_all(code.as_bytes())
        .expect("the code is written to rustfmt");
    let out = child.wait_with_output().expect("rustfmt ends");
    assert!(
        out.status.success(),
        "rustfmt cannot read a generated test:\n{code}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("rustfmt writes UTF-8")
}

#[test]
fn generated_tests_are_the_files_compiled_here() {
    let tests = scenarios();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/copied");
    let mut names: Vec<&str> = tests.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(unique, names, "every scenario writes a test of its own");
    let mut module = String::from(
        "//! Tests written by the playground's \"Copy as test\" (see `tests/copy_as_test.rs`).\n\n",
    );
    for name in &names {
        module.push_str(&format!("mod {name};\n"));
    }
    let bless = std::env::var_os("BLESS_COPIED").is_some();
    let mut expected = vec![("mod.rs".to_owned(), module)];
    expected.extend(
        tests
            .iter()
            .map(|t| (format!("{}.rs", t.name), rustfmt(&t.code))),
    );
    for (file, text) in &expected {
        let path = dir.join(file);
        if bless {
            std::fs::create_dir_all(&dir).expect("tests/copied is made");
            std::fs::write(&path, text).expect("the file is written");
        }
        let kept = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            &kept == text,
            "tests/copied/{file} is not what Copy as test writes now (BLESS_COPIED=1 writes it anew):\n{text}"
        );
    }
    let mut kept: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/copied")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    kept.sort_unstable();
    let mut written: Vec<String> = expected.into_iter().map(|(f, _)| f).collect();
    written.sort_unstable();
    assert_eq!(kept, written, "tests/copied holds only the written tests");
}

#[test]
fn the_scenarios_cover_every_domain_and_both_outcomes() {
    let tests = scenarios();
    for module in [
        "domain::bank",
        "domain::customers",
        "domain::orders",
        "domain::inventory",
        "domain::payments",
        "domain::shipping",
        "playground::process::testing",
    ] {
        assert!(
            tests.iter().any(|t| t.code.contains(module)),
            "no scenario tests {module}"
        );
    }
    assert!(tests.iter().any(|t| t.code.contains(".then_err(")));
    assert!(tests.iter().any(|t| t.code.contains(".recording(")));
}

#[test]
fn the_page_says_what_was_copied_and_where_to_paste_it() {
    let mut p = playground();
    open(&mut p, "Ada Lovelace");
    deposit(&mut p, "12.50");
    let test = copy(&mut p, TestTarget::Aggregate);
    assert_eq!(test.name, "account_1_deposit");
    assert_eq!(test.summary, "account-1's Deposit as of position 2");
    assert!(test.code.contains("given::<Account>(["));
    assert!(test.code.contains(".when(AccountCommand::Deposit {"));
    let copied = |p: &Playground| p.copied_test(TestTarget::Aggregate).cloned();
    assert_eq!(copied(&p).and_then(|c| c.clipboard), None);
    p.dispatch(Action::CopyTest(CopyTestAction::Copied(
        TestTarget::Aggregate,
        None,
    )));
    assert_eq!(copied(&p).and_then(|c| c.clipboard), Some(Ok(())));
    assert!(copied(&p)
        .expect("shown")
        .note()
        .contains("tests/account_1_deposit.rs"));
    p.dispatch(Action::CopyTest(CopyTestAction::Copied(
        TestTarget::Aggregate,
        Some("denied".to_owned()),
    )));
    assert_eq!(
        copied(&p).and_then(|c| c.clipboard),
        Some(Err("denied".to_owned()))
    );
    // Nothing of it goes into a share link: it changes nothing.
    let journal = p.share_view().actions;
    p.dispatch(Action::CopyTest(CopyTestAction::Hide(
        TestTarget::Aggregate,
    )));
    assert_eq!(copied(&p), None);
    assert_eq!(p.share_view().actions, journal);
}

#[test]
fn nothing_to_copy_is_refused_with_the_reason_and_keeps_the_last_test() {
    let mut p = playground();
    let refused = |p: &mut Playground, target| {
        p.dispatch(Action::CopyTest(CopyTestAction::Copy(target)));
        p.alert().map(str::to_owned).expect("refused")
    };
    assert!(refused(&mut p, TestTarget::Aggregate).contains("no account"));
    assert!(refused(&mut p, TestTarget::ProcessManager).contains("Select a saga"));
    open(&mut p, "Ada Lovelace");
    let written = copy(&mut p, TestTarget::Aggregate);
    p.dispatch(Action::SeekTimeline(0));
    assert!(refused(&mut p, TestTarget::Aggregate).contains("no events as of position 0"));
    assert_eq!(
        p.copied_test(TestTarget::Aggregate).map(|c| &c.test),
        Some(&written),
        "a refusal keeps the test shown"
    );
    assert_eq!(p.head(), 1, "copying appends nothing");

    // A choreographed saga has no process manager to copy.
    let mut p = playground();
    p.dispatch(Action::Saga(SagaAction::Set(
        Setting::SagaStyle,
        "choreography".to_owned(),
    )));
    register(&mut p, "Grace Hopper", "grace@example.com");
    place(&mut p, "MUG-03", "1");
    assert!(refused(&mut p, TestTarget::ProcessManager).contains("choreographed"));
}

#[test]
fn a_stream_too_long_to_read_is_refused() {
    let mut p = playground();
    open(&mut p, "Ada Lovelace");
    for _ in 0..=MAX_GIVEN {
        deposit(&mut p, "1");
    }
    p.dispatch(Action::CopyTest(CopyTestAction::Copy(
        TestTarget::Aggregate,
    )));
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("202 events") && a.contains("at most 200")));
    p.dispatch(Action::SeekTimeline(MAX_GIVEN));
    assert_eq!(
        copy(&mut p, TestTarget::Aggregate).name,
        "account_1_deposit"
    );
}

#[test]
fn a_reloaded_page_copies_the_process_manager_without_the_sagas_journal() {
    let mut p = fulfilled();
    p.dispatch(Action::SeekTimeline(p.head()));
    let sagas = p.sagas().tracker().len();
    assert_eq!(sagas, 1);
    p.dispatch(Action::Saga(SagaAction::Select(
        p.sagas().tracker().instances()[0].order.to_string(),
    )));
    let before = copy(&mut p, TestTarget::ProcessManager);
    let mut restored = reloaded(&mut p);
    restored.dispatch(Action::Saga(SagaAction::Select(
        restored.sagas().tracker().instances()[0].order.to_string(),
    )));
    assert!(
        restored.sagas().commands_of(0).is_empty(),
        "no journal after a reload"
    );
    assert_eq!(copy(&mut restored, TestTarget::ProcessManager), before);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Every aggregate stream of a generated log, and every saga, as of any position: the case
    /// taken from the log passes the harness's check.
    #[test]
    fn every_case_a_generated_log_holds_passes(
        seed in 1u64..1_000,
        events in 200u64..1_200,
        back in 0u64..400,
        decline in 0u8..60,
        choreography in any::<bool>(),
    ) {
        let mut p = Playground::new(std::rc::Rc::new(playground::kernel::ManualClock::starting_2026()), seed);
        let style = if choreography { "choreography" } else { "orchestration" };
        p.dispatch(Action::Saga(SagaAction::Set(Setting::SagaStyle, style.to_owned())));
        p.dispatch(Action::Saga(SagaAction::Set(Setting::DeclineRate, decline.to_string())));
        p.generate_all(events);
        drain(&mut p);
        let position = p.head().saturating_sub(back).max(1);
        let streams: Vec<_> = p.store().stream_ids().cloned().collect();
        let mut checked = 0;
        for stream in &streams {
            if stream.category() == "email" || stream.category() == "fulfilment" {
                continue;
            }
            let held = p.store().stream_version_at(stream, position);
            match p.test_case_of(stream, position) {
                Ok(case) => {
                    prop_assert!(case.passes(), "{stream} as of {position}: {}", case.render().code);
                    checked += 1;
                }
                Err(why) => prop_assert!(
                    held == 0 || held > MAX_GIVEN,
                    "{stream} as of {position} ({held} events): {why}"
                ),
            }
        }
        prop_assert!(checked > 0, "no stream checked");
        for saga in 0..p.sagas().tracker().len() as u32 {
            let order = p.sagas().tracker().instances()[saga as usize].order.clone();
            let decided = p.store().stream_version_at(&fulfilment_of(&order), position);
            match playground::testgen::process_case(p.sagas(), p.store(), saga, position) {
                Ok(case) => prop_assert!(case.passes(), "{order} as of {position}: {}", case.render().code),
                Err(why) => prop_assert!(
                    choreography || decided == 0,
                    "{order} as of {position} ({decided} decisions): {why}"
                ),
            }
        }
    }
}
