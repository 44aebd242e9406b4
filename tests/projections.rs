//! Read models: what each one shows after a history, the watermark rules, and batch runs.
#![cfg(not(target_arch = "wasm32"))]

use chrono::DateTime;
use playground::domain::bank::{
    AccountBalances, AccountEvent as Ev, BankReadModels, BankTotals, Channel, Currency, Money,
    OwnerName,
};
use playground::kernel::{
    CommandMeta, EventCodec, EventStore, ExpectedVersion, ManualClock, StreamId,
};
use playground::readmodel::{
    run_batch, EventTimeWindows, LatePolicy, Projection, ReadModelSettings, WindowSettings,
};
use proptest::prelude::*;
use uuid::Uuid;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// 2026-01-01T00:00:00Z.
const JAN_1: i64 = 1_767_225_600;

/// Appends `(stream, event, occurred seconds)` in order and returns the store.
fn log(events: &[(&str, Ev, i64)]) -> EventStore {
    let mut store = EventStore::new(ManualClock::starting_2026());
    let codec = EventCodec::<Ev>::new(&mut store);
    for (i, (stream, payload, occurred)) in events.iter().enumerate() {
        let at = DateTime::from_timestamp(*occurred, 0);
        let mut meta = CommandMeta::new(Uuid::from_u128(i as u128 + 1)).at(at);
        codec
            .append(
                &mut store,
                &StreamId::new(stream),
                ExpectedVersion::Any,
                std::slice::from_ref(payload),
                &mut meta,
            )
            .expect("append");
    }
    store
}

/// The bank's deposits per window, folded as a batch with `settings`.
fn deposit_windows(store: &EventStore, settings: WindowSettings, up_to: u64) -> EventTimeWindows {
    run_batch(
        BankReadModels::new(&ReadModelSettings { windows: settings }),
        store,
        up_to,
    )
    .deposits
}

fn opened(name: &str) -> Ev {
    Ev::AccountOpened {
        owner: OwnerName::parse(name).expect("valid"),
    }
}

fn dep(cents: i64) -> Ev {
    Ev::MoneyDeposited {
        amount: Money::from_cents(cents),
        currency: Currency::EUR,
        channel: Channel::Online,
    }
}

fn wd(cents: i64) -> Ev {
    Ev::MoneyWithdrawn {
        amount: Money::from_cents(cents),
    }
}

fn history() -> EventStore {
    log(&[
        ("a", opened("Ada"), JAN_1),
        ("a", dep(10_000), JAN_1 + HOUR),
        ("b", opened("Bob"), JAN_1 + 2 * HOUR),
        ("b", dep(2_500), JAN_1 + 3 * HOUR),
        ("a", wd(3_000), JAN_1 + 4 * HOUR),
        ("b", wd(2_500), JAN_1 + 5 * HOUR),
        ("b", Ev::AccountClosed, JAN_1 + 6 * HOUR),
    ])
}

#[test]
fn balances_count_transactions_and_rank_the_leaderboard() {
    let store = history();
    let balances = run_batch(AccountBalances::default(), &store, store.head());
    let a = balances.get(&store, &StreamId::new("a")).expect("a");
    assert_eq!((a.balance_cents, a.transactions), (7_000, 2));
    let b = balances.get(&store, &StreamId::new("b")).expect("b");
    assert_eq!((b.balance_cents, b.transactions), (0, 2));
    assert_eq!(
        balances.leaderboard(5),
        vec![(StreamId::new("a"), 7_000), (StreamId::new("b"), 0)]
    );
    assert_eq!(balances.leaderboard(1).len(), 1);
}

#[test]
fn totals_track_open_accounts_deposits_and_money_held() {
    let store = history();
    let totals = run_batch(BankTotals::default(), &store, store.head());
    assert_eq!(
        totals,
        BankTotals {
            accounts_open: 1,
            total_deposits_cents: 12_500,
            total_balance_cents: 7_000
        }
    );
    let halfway = run_batch(BankTotals::default(), &store, 4);
    assert_eq!(halfway.accounts_open, 2);
    assert_eq!(halfway.total_balance_cents, 12_500);
}

fn windows(late: LatePolicy) -> WindowSettings {
    WindowSettings {
        size_seconds: DAY,
        allowed_lateness_seconds: HOUR,
        late,
        partitions: 1,
    }
}

/// Deposits on Jan 1, then Jan 3 (watermark moves to Jan 3 minus an hour), then a straggler from
/// Jan 1: its window ended before the watermark, so it is late.
fn with_straggler() -> EventStore {
    log(&[
        ("a", opened("Ada"), JAN_1),
        ("a", dep(100), JAN_1 + HOUR),
        ("a", dep(200), JAN_1 + 2 * DAY + 5 * HOUR),
        ("a", dep(400), JAN_1 + 20 * HOUR),
        ("a", dep(800), JAN_1 + 2 * DAY + 4 * HOUR + 30 * 60),
    ])
}

#[test]
fn late_deposits_are_counted_separately_or_dropped() {
    let store = with_straggler();
    let counted = deposit_windows(&store, windows(LatePolicy::CountSeparately), 5);
    let jan_1 = counted.windows()[&JAN_1];
    assert_eq!((jan_1.count, jan_1.amount), (1, 100));
    assert_eq!((jan_1.late_count, jan_1.late_amount), (1, 400));
    // 30 minutes behind the newest event time but within the hour of lateness: on time.
    let jan_3 = counted.windows()[&(JAN_1 + 2 * DAY)];
    assert_eq!((jan_3.count, jan_3.amount), (2, 1_000));
    assert_eq!(counted.watermark(), Some(JAN_1 + 2 * DAY + 4 * HOUR));

    let dropped = deposit_windows(&store, windows(LatePolicy::Drop), 5);
    assert_eq!(dropped.dropped(), 1);
    assert_eq!(dropped.windows()[&JAN_1].late_count, 0);
    assert_eq!(dropped.windows()[&JAN_1].dropped, 1);
}

#[test]
fn each_partition_has_its_own_watermark() {
    // "a" and "b" land in different partitions of 2: b's newer deposit does not make a's straggler late.
    let settings = WindowSettings {
        partitions: 2,
        ..windows(LatePolicy::CountSeparately)
    };
    assert_ne!(
        StreamId::new("a").partition(2),
        StreamId::new("b").partition(2)
    );
    let store = log(&[
        ("a", opened("Ada"), JAN_1),
        ("b", opened("Bob"), JAN_1),
        ("a", dep(100), JAN_1 + HOUR),
        ("b", dep(200), JAN_1 + 3 * DAY),
        ("a", dep(400), JAN_1 + 2 * HOUR),
    ]);
    let w = deposit_windows(&store, settings, 5);
    assert_eq!(w.windows()[&JAN_1].count, 2);
    assert_eq!(w.windows()[&JAN_1].late_count, 0);
    assert_eq!(
        w.watermark(),
        Some(JAN_1 + HOUR),
        "the lowest partition watermark"
    );
}

#[test]
fn the_combined_models_equal_the_separate_ones() {
    let store = history();
    let all = run_batch(
        BankReadModels::new(&ReadModelSettings::default()),
        &store,
        store.head(),
    );
    assert_eq!(
        all.balances,
        run_batch(AccountBalances::default(), &store, store.head())
    );
    assert_eq!(
        all.totals,
        run_batch(BankTotals::default(), &store, store.head())
    );
}

proptest! {
    /// Balances and totals are sums: applying the same events in any order gives the same result.
    /// (Only the windowed model depends on arrival order, through its watermark.)
    #[test]
    fn sums_do_not_depend_on_delivery_order(order in Just((1u64..=7).collect::<Vec<_>>()).prop_shuffle()) {
        let store = history();
        let mut balances = AccountBalances::default();
        let mut totals = BankTotals::default();
        for position in order {
            let event = store.get(position).expect("event");
            balances.apply(&event);
            totals.apply(&event);
        }
        prop_assert_eq!(balances, run_batch(AccountBalances::default(), &store, 7));
        prop_assert_eq!(totals, run_batch(BankTotals::default(), &store, 7));
    }
}

proptest! {
    /// The leaderboard is the first `n` of every account ranked by balance, highest first, ties by
    /// stream id: whatever the balances (ties included) and however many are asked for.
    #[test]
    fn the_leaderboard_is_the_top_of_the_full_ranking(
        deposits in proptest::collection::vec((0u8..40, 1i64..6), 1..120),
        n in 0usize..50,
    ) {
        let store = deposits_log(&deposits, 100);
        let balances = run_batch(AccountBalances::default(), &store, store.head());
        let mut all: Vec<(StreamId, i64)> = balances
            .rows()
            .iter()
            .map(|(s, r)| (s.clone(), r.balance_cents))
            .collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(n);
        prop_assert_eq!(balances.leaderboard(n), all);
    }
}

fn opened_ev() -> Ev {
    opened("Ada")
}

/// A log of `deposits` (account number, amount in units of `cents_each`), each account opened just
/// before its first deposit, one event time per deposit.
fn deposits_log(deposits: &[(u8, i64)], cents_each: i64) -> EventStore {
    let mut events: Vec<(String, Ev, i64)> = Vec::new();
    let mut opened = std::collections::BTreeSet::new();
    for (i, &(account, cents)) in deposits.iter().enumerate() {
        let name = format!("account-{account}");
        if opened.insert(account) {
            events.push((name.clone(), opened_ev(), JAN_1 + i as i64));
        }
        events.push((name, dep(cents * cents_each), JAN_1 + i as i64));
    }
    let borrowed: Vec<(&str, Ev, i64)> = events
        .iter()
        .map(|(s, e, t)| (s.as_str(), e.clone(), *t))
        .collect();
    log(&borrowed)
}

proptest! {
    /// The rows that differ between two folds of the log (one stopped early) are exactly the
    /// accounts whose rows are not equal, or missing from one, in stream order.
    #[test]
    fn differing_rows_are_the_unequal_accounts_in_stream_order(
        deposits in proptest::collection::vec((0u8..70, 1i64..4), 1..150),
        cut in 0usize..150,
    ) {
        let store = deposits_log(&deposits, 1);
        let full = run_batch(AccountBalances::default(), &store, store.head());
        let early = run_batch(AccountBalances::default(), &store, (cut as u64).min(store.head()));
        let expected: Vec<playground::readmodel::RowId> = (0..store.stream_count() as u32)
            .filter(|&n| {
                let a = full.rows().by_number(n).map(|(_, r)| r);
                let b = early.rows().by_number(n).map(|(_, r)| r);
                a != b
            })
            .map(playground::readmodel::RowId::Stream)
            .collect();
        prop_assert_eq!(full.rows().differing(early.rows()), expected.clone());
        prop_assert_eq!(early.rows().differing(full.rows()), expected);
    }
}
