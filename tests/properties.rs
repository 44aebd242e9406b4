//! Laws of the kernel, checked on random histories.
#![cfg(not(target_arch = "wasm32"))]

use playground::bench::Bank;
use playground::domain::bank::{Account, AccountCommand, AccountEvent, Channel, Money, OwnerName};
use playground::kernel::{Aggregate, CommandError, CommandMeta, ExpectedVersion, StreamId};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};

fn bank(snapshot_every: u64) -> Bank {
    Bank::new(1, snapshot_every)
}

/// A random command for one of a few accounts: (account index, kind, cents).
fn arb_command() -> impl Strategy<Value = (usize, u8, i64)> {
    (0usize..4, 0u8..10, 1i64..50_000)
}

fn to_command(kind: u8, cents: i64) -> AccountCommand {
    let amount = Money::from_cents(cents);
    match kind {
        0 => AccountCommand::OpenAccount {
            owner: OwnerName::parse("Prop").expect("valid"),
        },
        1..=4 => AccountCommand::Deposit {
            amount,
            channel: Channel::Online,
        },
        5..=8 => AccountCommand::Withdraw { amount },
        _ => AccountCommand::CloseAccount,
    }
}

fn run(bank: &mut Bank, commands: &[(usize, u8, i64)]) -> Vec<StreamId> {
    let streams: Vec<StreamId> = (0..4)
        .map(|i| StreamId::new(format!("account-{i}")))
        .collect();
    for stream in &streams {
        let _ = bank.execute(
            stream,
            &AccountCommand::OpenAccount {
                owner: OwnerName::parse("Start").expect("valid"),
            },
        );
    }
    for &(account, kind, cents) in commands {
        let _ = bank.execute(&streams[account], &to_command(kind, cents));
    }
    streams
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Replaying the whole log rebuilds exactly the live state of every account.
    #[test]
    fn replay_of_the_log_equals_live_state(commands in prop::collection::vec(arb_command(), 0..300)) {
        let mut bank = bank(7);
        let streams = run(&mut bank, &commands);
        let mut replayed: HashMap<StreamId, Account> = HashMap::new();
        for event in bank.store.read_all(1) {
            let payload = event.decode::<AccountEvent>().expect("an account event");
            replayed.entry(event.stream_id.clone()).or_default().apply(&payload);
        }
        for stream in &streams {
            let live = bank.accounts.load(&bank.store, stream);
            prop_assert_eq!(Some(&live.state), replayed.get(stream));
            prop_assert_eq!(Some(live.version), bank.store.stream_version(stream));
        }
    }

    /// At every position, the state rebuilt from the nearest snapshot plus its tail equals a full replay.
    #[test]
    fn snapshot_plus_tail_equals_full_replay(
        commands in prop::collection::vec(arb_command(), 0..300),
        every in 1u64..12,
        probes in prop::collection::vec((0usize..4, any::<u64>()), 1..40),
    ) {
        let mut bank = bank(every);
        let streams = run(&mut bank, &commands);
        let head = bank.store.head();
        for (account, raw) in probes {
            let position = raw % (head + 1);
            let stream = &streams[account];
            let fast = bank.accounts.state_at(&bank.store, stream, position);
            let slow = bank.accounts.replay_at(&bank.store, stream, position);
            prop_assert_eq!(fast.as_ref().map(|a| (&a.state, a.version)), slow.as_ref().map(|a| (&a.state, a.version)));
            prop_assert_eq!(fast.as_ref().map(|a| a.state.clone()), bank.accounts.scan_log_at(&bank.store, stream, position));
            if let Some(fast) = fast {
                prop_assert!(fast.replayed < every || fast.snapshot_version.is_none());
            }
        }
    }

    /// Writers that load the same version and race to append with `Exact` never lose or duplicate an
    /// event: every successful commit is in the log exactly once, every loser gets a concurrency
    /// conflict and appends nothing, and versions stay contiguous.
    #[test]
    fn racing_writers_never_lose_or_duplicate(
        rounds in prop::collection::vec((prop::collection::vec(1i64..1_000, 1..5), any::<bool>()), 1..40),
    ) {
        let mut bank = bank(5);
        let stream = StreamId::new("account-race");
        bank.execute(&stream, &AccountCommand::OpenAccount { owner: OwnerName::parse("Race").expect("valid") })
            .expect("open");
        let mut committed: Vec<uuid::Uuid> = Vec::new();
        for (writers, retry_losers) in rounds {
            // Every writer loads the same version before anyone appends.
            let loaded = bank.accounts.load(&bank.store, &stream);
            let decisions: Vec<_> = writers
                .iter()
                .map(|&cents| {
                    let command = AccountCommand::Deposit { amount: Money::from_cents(cents), channel: Channel::Online };
                    (command.clone(), loaded.state.handle(&command).expect("deposit is valid"))
                })
                .collect();
            for (i, (command, events)) in decisions.into_iter().enumerate() {
                let command_id = bank.next_id();
                let mut meta = CommandMeta::new(command_id);
                let head_before = bank.store.head();
                match bank.accounts.commit(&mut bank.store, &stream, ExpectedVersion::Exact(loaded.version), &events, &mut meta) {
                    Ok(_) => {
                        prop_assert_eq!(i, 0, "only the first writer can win");
                        committed.push(command_id);
                    }
                    Err(CommandError::Concurrency(_)) => {
                        prop_assert_eq!(bank.store.head(), head_before, "a loser appends nothing");
                        if retry_losers {
                            let retried = bank.accounts.execute(&mut bank.store, &stream, &command, &mut meta);
                            prop_assert!(retried.is_ok());
                            committed.push(command_id);
                        }
                    }
                    Err(other) => prop_assert!(false, "unexpected error {other}"),
                }
            }
        }
        let causes: Vec<uuid::Uuid> = bank.store.read_stream(&stream, 2).map(|e| e.causation_id).collect();
        prop_assert_eq!(&causes, &committed, "exactly the committed commands, once each, in order");
        let versions: Vec<u64> = bank.store.read_stream(&stream, 1).map(|e| e.stream_version).collect();
        prop_assert_eq!(versions, (1..=bank.store.head()).collect::<Vec<_>>());
        let unique: HashSet<_> = bank.store.read_all(1).map(|e| e.event_id).collect();
        prop_assert_eq!(unique.len() as u64, bank.store.head());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The index that explains differences is kept as the log grows (and rebuilt at a replay): at any
    /// moment its explanations are exactly those of an index built from scratch over the whole log.
    #[test]
    fn differences_explained_as_the_log_grows_equal_those_of_a_fresh_index(
        seed in 0u64..1_000,
        duplicates in 0u8..40,
        failures in 0u8..30,
        reorder in 0u8..6,
        chunks in prop::collection::vec(1u64..300, 1..5),
        ticks in prop::collection::vec(0u64..40, 1..5),
        replay_at in 0usize..6,
    ) {
        use playground::app::{Action, Playground, Setting, StreamAction};
        use playground::kernel::ManualClock;
        use playground::sim::{differences, TouchIndex};
        use std::rc::Rc;

        let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), seed);
        for (setting, value) in [
            (Setting::DuplicateRate, duplicates),
            (Setting::FailureRate, failures),
            (Setting::ReorderWindow, reorder),
        ] {
            p.dispatch(Action::Stream(StreamAction::Set(setting, value.to_string())));
            prop_assert_eq!(p.alert(), None);
        }
        for (i, (&events, &run)) in chunks.iter().zip(ticks.iter().cycle()).enumerate() {
            p.generate_all(events);
            if i == replay_at {
                // New windows for the online read models, in force from the replay: an event then
                // touches other window rows than before.
                p.dispatch(Action::Stream(StreamAction::Set(Setting::WindowHours, "3".into())));
                prop_assert_eq!(p.alert(), None);
                p.dispatch(Action::Stream(StreamAction::Replay));
            }
            for _ in 0..run {
                p.dispatch(Action::Stream(StreamAction::Step));
            }
            let s = p.streaming();
            let kept = s.differences(p.store());
            let mut fresh_index = TouchIndex::default();
            fresh_index.catch_up(s.pipeline().projection(), p.store());
            let (batch_at, _) = s.batch_run();
            let fresh = differences(s.pipeline(), s.batch(), batch_at, p.store(), &fresh_index);
            prop_assert_eq!(kept.as_slice(), fresh.as_slice());
        }
    }
}
