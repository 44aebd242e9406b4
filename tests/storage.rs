//! The playground kept between visits: saves are incremental and confirmed by the browser; what was
//! kept restores byte for byte (every row, the key store, settings, deployed versions, the selected
//! tab and aggregate); damaged, half-written, other-format or unavailable storage gives its notice,
//! loads nothing, overwrites nothing, and leaves a working page.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::app::{
    Action, Playground, SchemaAction, Setting, SettingValue, ShareAction, StorageAction,
    StreamAction,
};
use playground::kernel::ManualClock;
use playground::persist::{StorageError, BATCH_EVENTS, FORMAT};
use proptest::prelude::*;
use std::rc::Rc;

#[test]
fn a_reload_restores_every_event_exactly_with_keys_settings_versions_tab_and_selection() {
    let mut p = busy();
    p.dispatch(Setting::Partitions.set_action("6".to_owned()));
    p.dispatch(Setting::Idempotent.toggle_action(true));
    p.dispatch(Setting::SagaStyle.set_action("choreography".to_owned()));
    p.dispatch(Action::Schema(SchemaAction::ShowStored(true)));
    p.dispatch(Action::SelectTab("bank".to_owned()));
    select_account(&mut p, "account-1");
    p.dispatch(Action::SelectTab("customers".to_owned()));
    assert_eq!(p.alert(), None);
    let mut kept = Kept::default();
    save_all(&mut p, &mut kept);
    assert!(p.fully_saved());

    let mut q = reload(&kept);
    assert_eq!(q.alert(), None);
    assert_eq!(q.storage_notice(), None);
    assert!(q
        .status()
        .is_some_and(|s| s.starts_with(&format!("Restored {} events", q.head()))));
    // What was restored counts as saved: nothing is written again.
    assert!(q.fully_saved());
    assert!(q.save_work().is_none());
    assert!(rows(&q) == rows(&p), "the rows differ");
    assert_eq!(q.keys().material(), p.keys().material());
    assert_eq!(q.keys().forgotten_count(), 1);
    // The same log exports the same bytes.
    assert_eq!(q.export_all().text(), p.export_all().text());
    assert_eq!(
        q.store().schemas().written_version("MoneyDeposited"),
        Some(2)
    );
    assert_eq!(
        q.streaming().value(Setting::Partitions),
        SettingValue::Number(6)
    );
    assert_eq!(
        q.streaming().value(Setting::Idempotent),
        SettingValue::Flag(true)
    );
    assert_eq!(
        q.saga_value(Setting::SagaStyle),
        SettingValue::Choice("choreography")
    );
    assert!(q.shows_stored());
    assert_eq!(
        q.tabs().iter().find(|t| t.selected).map(|t| t.key),
        Some("customers")
    );
    q.dispatch(Action::SelectTab("bank".to_owned()));
    p.dispatch(Action::SelectTab("bank".to_owned()));
    assert_eq!(balance(&q), balance(&p));
    assert_eq!(states(&mut q), states(&mut p));
    // The page goes on working, with fresh ids.
    let head = q.head();
    open(&mut q, "Barbara");
    assert_eq!(q.alert(), None);
    assert_eq!(q.head(), head + 1);
}

#[test]
fn saves_are_incremental_and_write_only_the_last_batch_again() {
    let mut p = playground();
    let mut kept = Kept::default();
    p.generate_all(BATCH_EVENTS * 2 + 500);
    let first = save_all(&mut p, &mut kept);
    assert_eq!(first.len(), 1);
    assert!(first[0].clear);
    assert_eq!(
        first[0].batches.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    // Nothing changed: nothing to save.
    assert!(p.save_work().is_none());
    // One more event rewrites the partly filled last batch, and only it.
    open(&mut p, "Ada");
    let next = save_all(&mut p, &mut kept);
    assert_eq!(next.len(), 1);
    assert!(!next[0].clear);
    assert_eq!(
        next[0].batches.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [2]
    );
    // A change of a setting alone writes the meta record only.
    p.dispatch(Setting::Consumers.set_action("3".to_owned()));
    let settings_only = save_all(&mut p, &mut kept);
    assert_eq!(settings_only.len(), 1);
    assert!(settings_only[0].batches.is_empty());
    assert!(rows(&reload(&kept)) == rows(&p), "the rows differ");
}

#[test]
fn a_big_log_is_saved_over_several_saves_each_one_restorable() {
    let mut p = playground();
    let mut kept = Kept::default();
    p.generate_all(BATCH_EVENTS * 12);
    let work = p.save_work().expect("a save");
    assert_eq!(work.batches.len() as u64, playground::app::BATCHES_PER_SAVE);
    kept.write(&work);
    p.dispatch(Action::Storage(StorageAction::Saved(work.ticket)));
    // After the first save only, a reload finds the first ten batches, whole.
    let partial = reload(&kept);
    assert_eq!(partial.storage_notice(), None);
    assert_eq!(partial.head(), BATCH_EVENTS * 10);
    assert!(rows(&partial) == rows(&p)[..(BATCH_EVENTS * 10) as usize]);
    // Its session is not all there, so it cannot travel as a link.
    let mut partial = partial;
    partial.dispatch(Action::Share(ShareAction::Copy));
    assert!(partial
        .alert()
        .is_some_and(|a| a.contains("before its last changes were saved")));
    save_all(&mut p, &mut kept);
    let mut whole = reload(&kept);
    assert_eq!(whole.head(), p.head());
    whole.dispatch(Action::Share(ShareAction::Copy));
    assert_eq!(whole.alert(), None);
}

#[test]
fn a_reloaded_page_shares_its_whole_session_reloads_included() {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "10");
    p.dispatch(Setting::Partitions.set_action("5".to_owned()));
    p.dispatch(Action::Stream(StreamAction::Advance(3)));
    let mut kept = Kept::default();
    save_all(&mut p, &mut kept);
    let mut q = reload(&kept);
    // A second reload with nothing done in between is the same page.
    assert!(q.save_work().is_none());
    let mut q = reload(&kept);
    deposit(&mut q, "5");
    open(&mut q, "Grace");
    q.generate_all(50);
    save_all(&mut q, &mut kept);
    let mut q = reload(&kept);
    register(&mut q, "Grace Hopper", "grace@example.com");
    q.dispatch(Action::Stream(StreamAction::Drain));
    assert_eq!(q.alert(), None);

    q.dispatch(Action::Share(ShareAction::Copy));
    let fragment = q.share_view().link.expect("a link");
    let scenario = playground::app::read_link(&fragment).expect("a sound link");
    let reloads = scenario
        .entries
        .iter()
        .filter(|e| e.step == playground::app::Recorded::Reload)
        .count();
    assert_eq!(reloads, 2);
    let mut r = Playground::new(Rc::new(ManualClock::starting_2026()), 77);
    r.dispatch(Action::Share(ShareAction::Open(fragment.clone())));
    while r.opening_link() {
        r.dispatch(Action::Share(ShareAction::OpenChunk));
    }
    assert_eq!(r.alert(), None);
    assert!(rows(&r) == rows(&q), "the rebuilt log differs");
    assert_eq!(r.keys().material(), q.keys().material());
    assert_eq!(states(&mut r), states(&mut q));
    r.dispatch(Action::Share(ShareAction::Copy));
    assert_eq!(r.share_view().link, Some(fragment));
}

#[test]
fn a_failed_save_marks_nothing_saved_and_the_next_save_writes_it_again() {
    let mut p = playground();
    let mut kept = Kept::default();
    open(&mut p, "Ada");
    save_all(&mut p, &mut kept);
    let before = kept.clone();
    deposit(&mut p, "5");
    let work = p.save_work().expect("a save");
    // While a save is being written, no other starts.
    assert!(p.save_work().is_none());
    p.dispatch(Action::Storage(StorageAction::SaveFailed {
        ticket: work.ticket,
        message: "QuotaExceededError".to_owned(),
        quota: true,
    }));
    assert!(matches!(
        p.storage_notice(),
        Some(StorageError::SaveFailed { quota: true, .. })
    ));
    assert!(!p.fully_saved());
    // What was kept is as it was, and still restores.
    assert_eq!(kept, before);
    assert_eq!(reload(&kept).head(), 1);
    // The page goes on working; the next save writes the deposit again.
    deposit(&mut p, "6");
    let retry = p.save_work().expect("a save");
    assert_eq!(
        retry.batches.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [0]
    );
    kept.write(&retry);
    p.dispatch(Action::Storage(StorageAction::Saved(retry.ticket)));
    assert_eq!(p.storage_notice(), None);
    assert!(rows(&reload(&kept)) == rows(&p), "the rows differ");
}

/// Loads `kept`, expecting the load to be refused: returns the page and its notice.
fn refused(kept: &Kept) -> (Playground, StorageError) {
    let mut q = reload(kept);
    let notice = q.storage_notice().cloned().expect("a notice");
    assert_eq!(q.head(), 0, "nothing was loaded");
    // Nothing is saved over what was kept …
    assert!(q.save_work().is_none());
    // … and the page works.
    open(&mut q, "Ada");
    assert_eq!(q.alert(), None);
    assert_eq!(q.head(), 1);
    assert!(q.save_work().is_none());
    (q, notice)
}

fn kept_busy() -> Kept {
    let mut p = playground();
    p.generate_all(BATCH_EVENTS + 300);
    let mut kept = Kept::default();
    save_all(&mut p, &mut kept);
    kept
}

#[test]
fn damaged_records_are_refused_and_kept_until_a_reset() {
    // A byte of the second batch flipped.
    let mut kept = kept_busy();
    let batch = kept.batches.get_mut(&1).expect("batch 2");
    let middle = batch.len() / 2;
    batch[middle] ^= 0x40;
    let (mut q, notice) = refused(&kept);
    assert_eq!(
        notice,
        StorageError::Corrupted {
            what: "batch 2 of the log (events 10,001–10,300) does not match its checksum"
                .to_owned()
        }
    );
    assert!(notice.to_string().contains("Reset playground"));
    assert!(q.storage_view().summary.starts_with("Not saving"));
    // A reset asks first, then clears the log and what was kept, and saves again.
    q.dispatch(Action::Storage(StorageAction::Reset));
    assert!(q.storage_view().confirm_reset);
    q.dispatch(Action::Storage(StorageAction::CancelReset));
    assert_eq!(q.head(), 1);
    q.dispatch(Action::Storage(StorageAction::Reset));
    q.dispatch(Action::Storage(StorageAction::ConfirmReset));
    assert_eq!(q.head(), 0);
    assert_eq!(q.storage_notice(), None);
    let work = q.save_work().expect("the reset clears what was kept");
    assert!(work.clear);
    assert!(work.batches.is_empty());
    kept.write(&work);
    assert_eq!(kept.batches.len(), 0);
    assert_eq!(reload(&kept).storage_notice(), None);

    // The meta record damaged, or not ours at all.
    let mut kept = kept_busy();
    let meta = kept.meta.as_mut().expect("meta");
    let at = meta.len() - 12;
    meta[at] ^= 1;
    let (_, notice) = refused(&kept);
    assert_eq!(
        notice,
        StorageError::Corrupted {
            what: "the settings record does not match its checksum".to_owned()
        }
    );
    let mut kept = kept_busy();
    kept.meta = Some(b"{\"not\":\"ours\"}".to_vec());
    let (_, notice) = refused(&kept);
    assert!(matches!(notice, StorageError::Corrupted { .. }));
}

#[test]
fn half_written_and_other_format_storage_is_refused_with_its_own_notice() {
    // A batch record missing.
    let mut kept = kept_busy();
    kept.batches.remove(&1);
    let (_, notice) = refused(&kept);
    assert_eq!(
        notice,
        StorageError::HalfWritten {
            what: "batch 2 of the log (events 10,001–10,300) is missing".to_owned()
        }
    );
    // A batch record cut short: it holds fewer events than the meta record counts.
    let mut short = Playground::new(Rc::new(ManualClock::starting_2026()), 3);
    short.generate_all(BATCH_EVENTS + 100);
    let mut short_kept = Kept::default();
    save_all(&mut short, &mut short_kept);
    let mut kept = kept_busy();
    kept.batches
        .insert(1, short_kept.batches.get(&1).cloned().expect("batch 2"));
    let (_, notice) = refused(&kept);
    assert_eq!(
        notice,
        StorageError::HalfWritten {
            what: "batch 2 of the log (events 10,001–10,300) holds 100 events where 300 were saved"
                .to_owned()
        }
    );
    // Records from an older format.
    let mut kept = kept_busy();
    let meta = kept.meta.as_mut().expect("meta");
    meta[4] = 0;
    let (_, notice) = refused(&kept);
    assert_eq!(notice, StorageError::OtherFormat { found: 0 });
    assert!(notice.to_string().contains("an older version"));
    let meta = kept.meta.as_mut().expect("meta");
    meta[4] = (FORMAT + 1) as u8;
    let (_, notice) = refused(&kept);
    assert!(notice.to_string().contains("a newer version"));
}

#[test]
fn unavailable_storage_says_so_and_the_page_works_in_memory() {
    let mut p = playground();
    p.dispatch(Action::Storage(StorageAction::Opening));
    p.dispatch(Action::Storage(StorageAction::Unavailable(
        "SecurityError: the operation is insecure".to_owned(),
    )));
    assert!(matches!(
        p.storage_notice(),
        Some(StorageError::Unavailable(_))
    ));
    open(&mut p, "Ada");
    assert_eq!(p.alert(), None);
    assert_eq!(p.head(), 1);
    assert!(p.save_work().is_none());
    p.dispatch(Action::Storage(StorageAction::DismissNotice));
    assert_eq!(p.storage_notice(), None);
}

#[test]
fn commands_wait_while_what_was_kept_is_loaded() {
    let mut p = playground();
    p.dispatch(Action::Storage(StorageAction::Opening));
    assert!(p.storage_loading());
    open(&mut p, "Ada");
    assert_eq!(p.head(), 0);
    assert!(p.alert().is_some_and(|a| a.contains("still loading")));
    p.dispatch(Action::Storage(StorageAction::Found(None)));
    assert!(!p.storage_loading());
    open(&mut p, "Ada");
    assert_eq!(p.head(), 1);
}

#[test]
fn an_import_replaces_what_was_kept_whole() {
    let mut p = busy();
    let file = p.export_all();
    let mut q = playground();
    let mut kept = Kept::default();
    q.generate_all(BATCH_EVENTS + 10);
    save_all(&mut q, &mut kept);
    q.import_all(&file.name, file.text().as_bytes());
    assert_eq!(q.alert(), None);
    let works = save_all(&mut q, &mut kept);
    assert!(works[0].clear);
    assert_eq!(kept.batches.len(), 1);
    assert!(rows(&reload(&kept)) == rows(&p), "the rows differ");
    // The import's own export still matches after the reload.
    let mut r = reload(&kept);
    assert_eq!(r.export_all().text(), file.text());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    /// Whatever the log, saved in any number of steps, a reload restores it byte for byte.
    #[test]
    fn any_log_saved_in_steps_restores_byte_exact(seed in 0u64..1_000, steps in proptest::collection::vec(1u64..4_000, 1..5), deploy in proptest::bool::ANY) {
        let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), seed);
        let mut kept = Kept::default();
        if deploy {
            p.dispatch(Action::Schema(SchemaAction::DeployNext("ItemAdded".to_owned())));
        }
        for events in steps {
            p.generate_all(events);
            save_all(&mut p, &mut kept);
        }
        let mut q = reload(&kept);
        prop_assert_eq!(q.storage_notice(), None);
        prop_assert!(rows(&q) == rows(&p), "the rows differ");
        prop_assert_eq!(q.keys().material(), p.keys().material());
        prop_assert_eq!(q.export_all().text(), p.export_all().text());
    }
}

#[test]
fn a_missing_settings_record_or_extra_batches_are_half_written() {
    let mut kept = kept_busy();
    kept.meta = Some(Vec::new());
    let (_, notice) = refused(&kept);
    assert_eq!(
        notice,
        StorageError::HalfWritten {
            what: "its settings record is missing".to_owned()
        }
    );
    let mut kept = kept_busy();
    let extra = kept.batches.get(&0).cloned().expect("batch 1");
    kept.batches.insert(7, extra);
    let (_, notice) = refused(&kept);
    assert_eq!(
        notice,
        StorageError::HalfWritten {
            what: "it holds more batch records than the 2 its settings record counts".to_owned()
        }
    );
}

#[test]
fn branches_survive_a_reload_each_with_its_own_events_keys_and_versions() {
    use playground::app::{BranchAction, MAIN};
    let mut p = busy();
    p.dispatch(Action::SeekTimeline(4));
    p.dispatch(Action::Branch(BranchAction::Here));
    p.dispatch(Action::SelectTab("bank".to_owned()));
    select_account(&mut p, "account-1");
    deposit(&mut p, "1000");
    p.dispatch(Action::Schema(SchemaAction::DeployNext(
        "ItemAdded".to_owned(),
    )));
    p.generate_all(120);
    p.dispatch(Action::Branch(BranchAction::EditName("deeper".to_owned())));
    p.dispatch(Action::Branch(BranchAction::Here));
    withdraw(&mut p, "3");
    p.dispatch(Action::Branch(BranchAction::Select("what-if 1".to_owned())));
    assert_eq!(p.alert(), None);
    let mut kept = Kept::default();
    save_all(&mut p, &mut kept);

    let mut q = reload(&kept);
    assert_eq!(q.storage_notice(), None);
    assert!(
        q.status()
            .is_some_and(|s| s.ends_with("from this browser, and 2 what-if branches.")),
        "{:?}",
        q.status()
    );
    assert_eq!(q.branches_view(), p.branches_view());
    assert_eq!(q.branch_name(), "what-if 1");
    assert!(rows(&q) == rows(&p), "the branch differs");
    assert_eq!(q.store().schemas().written_version("ItemAdded"), Some(2));
    assert_eq!(q.branch_comparison(), p.branch_comparison());
    for name in ["deeper", MAIN] {
        p.dispatch(Action::Branch(BranchAction::Select(name.to_owned())));
        q.dispatch(Action::Branch(BranchAction::Select(name.to_owned())));
        assert!(rows(&q) == rows(&p), "{name} differs");
        assert_eq!(q.keys().material(), p.keys().material());
    }
    // A damaged branch is refused like any damaged record.
    let mut meta =
        playground::persist::Meta::decode(kept.meta.as_ref().expect("meta")).expect("meta");
    meta.branches[1].parent = "nowhere".to_owned();
    let mut bad = kept.clone();
    bad.meta = Some(meta.encode());
    let (_, notice) = refused(&bad);
    assert_eq!(
        notice,
        StorageError::Corrupted {
            what: "branch “deeper” comes from “nowhere”, which is not kept before it".to_owned()
        }
    );
    // And the page shares on: a link of the reloaded page rebuilds every branch.
    q.dispatch(Action::Branch(BranchAction::Select("what-if 1".to_owned())));
    q.dispatch(Action::Share(ShareAction::Copy));
    let fragment = q.share_view().link.expect("a link");
    let mut r = Playground::new(Rc::new(ManualClock::starting_2026()), 77);
    r.dispatch(Action::Share(ShareAction::Open(fragment)));
    while r.opening_link() {
        r.dispatch(Action::Share(ShareAction::OpenChunk));
    }
    assert_eq!(r.alert(), None);
    assert_eq!(r.branches_view(), q.branches_view());
    assert!(rows(&r) == rows(&q));
    assert!(rows(r.main_branch()) == rows(q.main_branch()));
}
