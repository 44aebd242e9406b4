//! Share links: a scenario travels as its seed and its actions, compressed and URL-safe; opening
//! the link rebuilds the identical log (ids and times included) on any page; a hostile or broken
//! link is refused with its reason and changes nothing.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use playground::app::{
    read_link, Action, Entry, GenerateAction, Playground, Recorded, Scenario, Setting, ShareAction,
    StreamAction, LINK_FORMAT,
};
use playground::domain::{bank, orders};
use playground::interop::link::{self, LinkError, MAX_LINK_CHARS, MAX_UNPACKED};
use playground::kernel::{Clock, HeldClock, ManualClock};
use proptest::prelude::*;
use std::rc::Rc;

/// A page of another seed and another clock: whatever it rebuilds comes from the link alone.
fn other_page() -> Playground {
    let later = Utc
        .with_ymd_and_hms(2031, 5, 6, 7, 8, 9)
        .single()
        .expect("a time");
    Playground::new(
        Rc::new(ManualClock::new(later, chrono::Duration::milliseconds(7))),
        987_654,
    )
}

/// "Copy share link", and the link it made.
fn link_of(p: &mut Playground) -> String {
    p.dispatch(Action::Share(ShareAction::Copy));
    assert_eq!(p.alert(), None);
    p.share_view().link.expect("a link")
}

/// Opens a link as the page does: reads it, confirms if asked, replays it chunk by chunk.
fn open_link(p: &mut Playground, fragment: &str) {
    p.dispatch(Action::Share(ShareAction::Open(fragment.to_owned())));
    if p.share_view().confirm.is_some() {
        p.dispatch(Action::Share(ShareAction::ConfirmOpen));
    }
    while p.opening_link() {
        p.dispatch(Action::Share(ShareAction::OpenChunk));
    }
}

/// Fifty commands across the domains: customers, accounts with deposits and withdrawals (one of
/// them refused), orders through the saga.
fn fifty_commands(p: &mut Playground) {
    for (name, email) in [
        ("Ada Lovelace", "ada@example.com"),
        ("Grace Hopper", "grace@example.com"),
        ("Alan Turing", "alan@example.com"),
        ("Edsger Dijkstra", "edsger@example.com"),
        ("Barbara Liskov", "barbara@example.com"),
    ] {
        register(p, name, email);
    }
    for owner in ["Ada", "Grace", "Alan", "Edsger", "Barbara"] {
        open(p, owner);
    }
    for i in 0..30u32 {
        select_account(p, &format!("account-{}", 1 + i % 5));
        if i % 3 == 2 {
            withdraw(p, &format!("{}", 5 + i));
        } else {
            deposit(p, &format!("{}.{:02}", 10 + i * 7, i * 3 % 100));
        }
    }
    for sku in ["MUG-03", "TEE-01", "MUG-03"] {
        orders_press(p, orders::controls::START);
        add_item(p, sku, "2");
        orders_press(p, orders::controls::PLACE);
    }
    p.dispatch(Action::Stream(StreamAction::Drain));
}

#[test]
fn a_fifty_command_scenario_fits_in_two_thousand_characters_and_opens_as_the_identical_log() {
    let mut p = playground();
    fifty_commands(&mut p);
    assert!(p.head() > 50);
    let fragment = link_of(&mut p);
    let url = format!("http://localhost:8080/#{fragment}");
    assert!(
        url.len() <= 2_000,
        "the link takes {} characters",
        url.len()
    );
    assert!(fragment.starts_with(&format!("share={LINK_FORMAT}.")));
    assert!(fragment[8..]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(p.share_view().actions, 50);

    let mut q = other_page();
    open_link(&mut q, &fragment);
    assert_eq!(q.alert(), None);
    assert_eq!(q.status(), Some("Opened a shared scenario: 50 actions"));
    assert!(rows(&q) == rows(&p), "the rebuilt log differs");
    assert_eq!(q.keys().material(), p.keys().material());
    assert_eq!(states(&mut q), states(&mut p));
    // The opened page shares on: the same scenario, the same link.
    assert_eq!(link_of(&mut q), fragment);
    // And it goes on working, with the ids the first page would draw next (at its own time).
    open(&mut p, "Donald");
    open(&mut q, "Donald");
    assert!(untimed(&q) == untimed(&p), "the next command differs");
}

#[test]
fn generated_events_travel_as_the_generator_s_parameters() {
    let mut p = playground();
    p.dispatch(Action::Generate(GenerateAction::EditLateShare(
        "20".to_owned(),
    )));
    p.generate_all(45_000);
    open(&mut p, "Ada");
    deposit(&mut p, "10");
    let fragment = link_of(&mut p);
    assert!(fragment.len() < 300, "{} characters", fragment.len());
    let scenario = read_link(&fragment).expect("a sound link");
    // "Generate" and its three chunks, not 45,000 events.
    let chunks = scenario
        .entries
        .iter()
        .filter(|e| e.step == Recorded::Act(Action::Generate(GenerateAction::Chunk)))
        .count();
    assert_eq!(chunks, 3);
    assert_eq!(scenario.actions(), 3);

    // A run in progress is not a scenario yet.
    p.dispatch(Action::Generate(GenerateAction::Start));
    p.dispatch(Action::Generate(GenerateAction::Chunk));
    p.dispatch(Action::Share(ShareAction::Copy));
    assert!(p
        .alert()
        .is_some_and(|a| a.starts_with("A generation run is in progress")));
    p.dispatch(Action::Generate(GenerateAction::Stop));

    let mut q = other_page();
    open_link(&mut q, &fragment);
    assert_eq!(q.status(), Some("Opened a shared scenario: 3 actions"));
    assert_eq!(q.head(), 45_002);
    assert!(rows(&q) == rows(&p)[..45_002], "the rebuilt log differs");
}

#[test]
fn typing_collapses_to_its_last_value_and_a_timeline_drag_to_its_last_position() {
    let mut p = playground();
    for typed in ["A", "Ad", "Ada"] {
        bank_edit(&mut p, bank::controls::OWNER, typed);
    }
    bank_press(&mut p, bank::controls::OPEN);
    deposit(&mut p, "5");
    for position in [0, 1, 2, 1] {
        p.dispatch(Action::SeekTimeline(position));
    }
    p.dispatch(Action::StepTimeline(-1));
    let scenario = read_link(&link_of(&mut p)).expect("a sound link");
    let steps: Vec<Recorded> = scenario.entries.into_iter().map(|e| e.step).collect();
    assert_eq!(
        steps,
        vec![
            Recorded::Act(Action::edit(bank::KEY, bank::controls::OWNER, "Ada")),
            Recorded::Act(Action::press(bank::KEY, bank::controls::OPEN)),
            Recorded::Act(Action::edit(bank::KEY, bank::controls::AMOUNT, "5")),
            Recorded::Act(Action::press(bank::KEY, bank::controls::DEPOSIT)),
            Recorded::Act(Action::SeekTimeline(0)),
        ]
    );
}

#[test]
fn every_action_of_a_command_shares_one_time_and_a_replay_gets_it_back() {
    let base: Rc<dyn Clock> = Rc::new(ManualClock::starting_2026());
    let clock = HeldClock::new(Rc::clone(&base));
    clock.hold(None);
    let held = clock.now_micros();
    assert_eq!(clock.now_micros(), held);
    assert_eq!(clock.release(), Some(held));
    assert!(clock.now_micros() > held);
    // Held and never read: nothing is taken from the clock it wraps.
    clock.hold(None);
    assert_eq!(clock.release(), None);
    assert_eq!(base.now_micros(), held + 2_000_000);
    clock.hold(Some(42));
    assert_eq!(clock.now().timestamp_micros(), 42);
    assert_eq!(clock.release(), Some(42));

    // A refused command keeps its place (and its refusal) in the scenario.
    let mut p = playground();
    open(&mut p, "Ada");
    withdraw(&mut p, "1000");
    assert!(p.alert().is_some());
    let scenario = read_link(&link_of(&mut p)).expect("a sound link");
    let refused: Vec<bool> = scenario.entries.iter().map(|e| e.refused).collect();
    assert_eq!(refused, [false, false, false, true]);
    let mut q = other_page();
    open_link(&mut q, &scenario.link());
    assert!(rows(&q) == rows(&p));
    assert_eq!(q.status(), Some("Opened a shared scenario: 2 actions"));
}

/// A busy page (its rows), a link opened on it, and the page afterwards.
fn refused_on_a_busy_page(fragment: &str) -> (Playground, String) {
    let mut p = busy();
    let before = rows(&p);
    p.dispatch(Action::Share(ShareAction::Open(fragment.to_owned())));
    if p.share_view().confirm.is_some() {
        p.dispatch(Action::Share(ShareAction::ConfirmOpen));
    }
    while p.opening_link() {
        p.dispatch(Action::Share(ShareAction::OpenChunk));
    }
    let alert = p.alert().expect("the link is refused").to_owned();
    assert!(rows(&p) == before, "a refused link changed the log");
    assert!(!p.opening_link());
    // The page goes on working.
    let head = p.head();
    open(&mut p, "Margaret");
    assert_eq!(p.alert(), None);
    assert_eq!(p.head(), head + 1);
    (p, alert)
}

#[test]
fn hostile_and_broken_links_are_refused_with_their_reason_and_change_nothing() {
    let mut good = playground();
    open(&mut good, "Ada");
    deposit(&mut good, "12");
    let sound = link_of(&mut good);
    let payload = &sound["share=1.".len()..];
    let truncated = &sound[..sound.len() / 2];
    let huge = format!("share=1.{}", "A".repeat(MAX_LINK_CHARS));
    let newer = format!("share=7.{payload}");
    let bomb = link::pack(LINK_FORMAT, &vec![0u8; MAX_UNPACKED + 1]);
    let trailing = {
        let mut bytes = link::unpack(&sound, LINK_FORMAT).expect("sound");
        bytes.push(0);
        link::pack(LINK_FORMAT, &bytes)
    };
    let nonsense = link::pack(LINK_FORMAT, &[0xff, 0xff, 0xff]);
    let cases: Vec<(String, LinkError)> = vec![
        (
            "share=1.ab<script>".to_owned(),
            LinkError::BadCharacter { at: 3, found: '<' },
        ),
        (
            huge,
            LinkError::TooLong {
                chars: MAX_LINK_CHARS + 8,
            },
        ),
        (
            newer,
            LinkError::OtherFormat {
                found: 7,
                opens: LINK_FORMAT,
            },
        ),
        ("share=".to_owned() + payload, LinkError::NoFormat),
        ("share=x.AAAA".to_owned(), LinkError::NoFormat),
        (bomb, LinkError::TooBig),
        ("share=1.A".to_owned(), LinkError::Damaged),
        ("somewhere-else".to_owned(), LinkError::NotALink),
        (
            trailing,
            LinkError::Unreadable {
                what: "it holds 1 bytes after its last entry".to_owned(),
            },
        ),
        (
            nonsense,
            LinkError::Unreadable {
                what: "its header cannot be read".to_owned(),
            },
        ),
    ];
    for (fragment, expected) in cases {
        assert_eq!(
            read_link(&fragment).err(),
            Some(expected.clone()),
            "{fragment:.40}"
        );
        let (_, alert) = refused_on_a_busy_page(&fragment);
        assert_eq!(alert, expected.to_string());
    }
    // Cut anywhere, the link is refused: never half-opened.
    for cut in (9..sound.len()).step_by(3) {
        assert!(
            matches!(
                read_link(&sound[..cut]),
                Err(LinkError::Damaged | LinkError::Unreadable { .. })
            ),
            "cut at {cut}"
        );
    }
    let (_, alert) = refused_on_a_busy_page(truncated);
    assert!(alert.starts_with("This share link"));
}

#[test]
fn a_link_whose_actions_fail_applies_none_of_them() {
    // Its second action is a withdrawal the empty account refuses, though the link says it was
    // carried out.
    let open_ada = [
        Action::edit(bank::KEY, bank::controls::OWNER, "Ada"),
        Action::press(bank::KEY, bank::controls::OPEN),
        Action::edit(bank::KEY, bank::controls::AMOUNT, "1000"),
        Action::press(bank::KEY, bank::controls::WITHDRAW),
    ];
    let scenario = Scenario {
        seed: 5,
        snapshot_every: 100,
        entries: open_ada
            .into_iter()
            .enumerate()
            .map(|(i, action)| Entry {
                at: 1_800_000_000_000_000 + i as i64 * 1_000,
                refused: false,
                step: Recorded::Act(action),
            })
            .collect(),
    };
    let (_, alert) = refused_on_a_busy_page(&scenario.link());
    assert!(
        alert.starts_with(
            "The shared scenario could not be opened: “withdraw” in bank (entry 4 of 4, after 1 action) was refused: "
        ),
        "{alert}"
    );
    assert!(alert.ends_with("Nothing was changed."));
    // An action of no domain.
    let mut unknown = scenario.clone();
    unknown.entries.truncate(1);
    unknown.entries[0].step = Recorded::Act(Action::press("nowhere", "go"));
    let (_, alert) = refused_on_a_busy_page(&unknown.link());
    assert!(alert.contains("“go” in nowhere (entry 1 of 1, after 0 actions) was refused: There is no domain “nowhere”."), "{alert}");
    // A setting that does not take the value.
    let mut bad_setting = scenario.clone();
    bad_setting.entries.truncate(1);
    bad_setting.entries[0].step = Recorded::Act(Setting::Partitions.set_action("9999".to_owned()));
    let (_, alert) = refused_on_a_busy_page(&bad_setting.link());
    assert!(alert.contains("“Partitions” set to “9999”"), "{alert}");
}

#[test]
fn a_link_opened_on_a_page_with_events_waits_for_confirmation() {
    let mut shared = playground();
    open(&mut shared, "Ada");
    let fragment = link_of(&mut shared);
    let mut p = busy();
    let before = rows(&p);
    p.dispatch(Action::Share(ShareAction::Open(fragment.clone())));
    assert_eq!(p.share_view().confirm, Some(p.head()));
    assert!(!p.opening_link());
    p.dispatch(Action::Share(ShareAction::CancelOpen));
    assert!(rows(&p) == before);
    assert_eq!(p.share_view().confirm, None);
    open_link(&mut p, &fragment);
    assert!(rows(&p) == rows(&shared));
}

#[test]
fn a_page_whose_log_came_from_a_file_cannot_be_shared_as_a_link() {
    let mut p = playground();
    p.dispatch(Action::Share(ShareAction::Copy));
    assert!(p
        .alert()
        .is_some_and(|a| a.starts_with("There is nothing to share yet")));
    let mut source = busy();
    let file = source.export_all();
    let mut q = playground();
    import_text(&mut q, file.text().as_bytes());
    assert_eq!(q.head(), source.head());
    q.dispatch(Action::Share(ShareAction::Copy));
    assert!(
        q.alert().is_some_and(|a| a.contains("imported file")),
        "{:?}",
        q.alert()
    );
    assert_eq!(q.share_view().link, None);
}

fn import_text(p: &mut Playground, bytes: &[u8]) {
    use playground::app::{FileBytes, TransferAction};
    p.dispatch(Action::Transfer(TransferAction::Import {
        name: "log.json".to_owned(),
        bytes: FileBytes(Rc::from(bytes)),
    }));
    while p.import_progress().is_some() {
        p.dispatch(Action::Transfer(TransferAction::ImportChunk));
    }
    assert_eq!(p.alert(), None);
}

/// One of the things a user may do, drawn at random.
#[derive(Debug, Clone)]
enum Move {
    Open(u8),
    Deposit(u8, u16),
    Withdraw(u8, u16),
    Register(u8),
    Order(u8),
    Generate(u16),
    Seek(u16),
    Tick(u8),
    Setting(u8),
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        (0u8..4).prop_map(Move::Open),
        (0u8..6, 0u16..500).prop_map(|(a, n)| Move::Deposit(a, n)),
        (0u8..6, 0u16..500).prop_map(|(a, n)| Move::Withdraw(a, n)),
        (0u8..5).prop_map(Move::Register),
        (0u8..3).prop_map(Move::Order),
        (1u16..300).prop_map(Move::Generate),
        (0u16..400).prop_map(Move::Seek),
        (1u8..5).prop_map(Move::Tick),
        (0u8..4).prop_map(Move::Setting),
    ]
}

fn make(p: &mut Playground, m: &Move) {
    match *m {
        Move::Open(n) => open(p, &format!("Owner {n}")),
        Move::Deposit(a, n) => {
            select_account(p, &format!("account-{a}"));
            deposit(p, &n.to_string());
        }
        Move::Withdraw(a, n) => {
            select_account(p, &format!("account-{a}"));
            withdraw(p, &format!("{n}.5"));
        }
        Move::Register(n) => register(p, &format!("Person {n}"), &format!("p{n}@example.com")),
        Move::Order(n) => {
            orders_press(p, orders::controls::START);
            add_item(p, ["MUG-03", "TEE-01", "CAP-02"][n as usize], "1");
            orders_press(p, orders::controls::PLACE);
        }
        Move::Generate(n) => p.generate_all(u64::from(n)),
        Move::Seek(at) => p.dispatch(Action::SeekTimeline(u64::from(at))),
        Move::Tick(n) => p.dispatch(Action::Stream(StreamAction::Advance(u64::from(n)))),
        Move::Setting(n) => p.dispatch(match n {
            0 => Setting::FailureRate.set_action("30".to_owned()),
            1 => Setting::DuplicateRate.set_action("abc".to_owned()),
            2 => Setting::SagaStyle.set_action("choreography".to_owned()),
            _ => Setting::Idempotent.toggle_action(true),
        }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any session: its link reads back as the entries recorded, opens as the identical log on
    /// any page, and the opened page's link is the same link.
    #[test]
    fn any_session_s_link_rebuilds_it_exactly(moves in prop::collection::vec(a_move(), 1..30)) {
        let mut p = playground();
        for m in &moves {
            make(&mut p, m);
        }
        let fragment = link_of(&mut p);
        let scenario = read_link(&fragment).expect("a sound link");
        prop_assert_eq!(scenario.link(), fragment.clone());
        prop_assert_eq!(scenario.actions(), p.share_view().actions);
        let mut q = other_page();
        open_link(&mut q, &fragment);
        prop_assert_eq!(q.alert(), None);
        prop_assert!(rows(&q) == rows(&p), "the rebuilt log differs");
        prop_assert_eq!(q.timeline(), p.timeline());
        prop_assert_eq!(link_of(&mut q), fragment);
    }
}
