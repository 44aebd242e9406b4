//! The workloads the benchmarks time. Pure: the caller supplies a millisecond timer, so the same code is
//! measured natively (`cargo run --release --bin bench`) and in headless Chromium (`tests/browser_bench.rs`).

use crate::domain::bank::{Account, AccountCommand, Money, OwnerName};
use crate::kernel::{EventSourced, ManualClock, Position, SeededRng, StreamId};
use std::rc::Rc;

/// The figures one bench run reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Events appended.
    pub events: u64,
    /// Accounts they are spread over.
    pub accounts: u64,
    /// Milliseconds to append them all through the command handler.
    pub append_ms: f64,
    /// Random `state_at` calls measured.
    pub seeks: u64,
    /// Mean milliseconds per `state_at` using snapshots.
    pub seek_ms: f64,
    /// Mean milliseconds per rebuild by full replay, at the same points.
    pub replay_ms: f64,
    /// Log scans measured (fewer: each reads up to the whole log).
    pub scans: u64,
    /// Mean milliseconds per rebuild by scanning the whole log up to the point.
    pub scan_ms: f64,
    /// Bytes the store's structures reserve, per event.
    pub store_bytes_per_event: f64,
    /// Growth of the whole memory (process resident set natively, linear memory in wasm) per event,
    /// while the filled bank is alive; `None` when the platform cannot tell.
    pub memory_bytes_per_event: Option<f64>,
    /// Size of one stored row.
    pub row_bytes: u64,
    /// Snapshots held.
    pub snapshots: u64,
}

impl Figures {
    /// Appended events per second.
    pub fn append_per_second(&self) -> f64 {
        self.events as f64 / (self.append_ms / 1000.0)
    }

    /// How many times faster a snapshot seek is than replaying the stream from its first event.
    pub fn replay_ratio(&self) -> f64 {
        self.replay_ms / self.seek_ms
    }

    /// How many times faster a snapshot seek is than scanning the log from position 1.
    pub fn scan_ratio(&self) -> f64 {
        self.scan_ms / self.seek_ms
    }

    /// A human-readable report, one figure per line.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] append: {events} events across {accounts} accounts in {append:.0} ms = {rate:.0} events/s\n\
             [{platform}] state_at with snapshots: {seek:.4} ms per seek (mean of {seeks} random points)\n\
             [{platform}] full replay of the stream: {replay:.4} ms per seek; full replay / snapshot seek = {ratio:.0}x\n\
             [{platform}] full scan of the log: {scan:.3} ms per seek (mean of {scans}); log scan / snapshot seek = {scan_ratio:.0}x\n\
             [{platform}] memory: {bytes:.1} bytes per event reserved by the store ({row} bytes per row); {memory}; {snapshots} snapshots",
            events = self.events,
            accounts = self.accounts,
            append = self.append_ms,
            rate = self.append_per_second(),
            seek = self.seek_ms,
            seeks = self.seeks,
            replay = self.replay_ms,
            ratio = self.replay_ratio(),
            scan = self.scan_ms,
            scans = self.scans,
            scan_ratio = self.scan_ratio(),
            memory = match self.memory_bytes_per_event {
                Some(b) => format!("{b:.1} bytes per event of total memory growth"),
                None => "total memory growth not measurable here".to_owned(),
            },
            bytes = self.store_bytes_per_event,
            row = self.row_bytes,
            snapshots = self.snapshots,
        )
    }
}

/// Fills a bank with `events` valid events over `accounts` accounts: every account is opened, then
/// random deposits and (when the balance allows) withdrawals. Deterministic for a seed.
pub fn fill_bank(events: u64, accounts: u64, seed: u64) -> EventSourced<Account> {
    let mut bank = EventSourced::new(Rc::new(ManualClock::starting_2026()), seed, 100);
    fill(&mut bank, events, accounts, seed);
    bank
}

fn fill(bank: &mut EventSourced<Account>, events: u64, accounts: u64, seed: u64) {
    let accounts = accounts.clamp(1, events.max(1));
    let streams: Vec<StreamId> = (1..=accounts)
        .map(|i| StreamId::new(format!("account-{i}")))
        .collect();
    let mut balances = vec![0i64; streams.len()];
    let mut rng = SeededRng::new(seed);
    for (i, stream) in streams.iter().enumerate().take(events as usize) {
        let owner =
            OwnerName::parse(&format!("Owner {}", i + 1)).unwrap_or_else(|_| unreachable!());
        let _ = bank.execute(stream, &AccountCommand::OpenAccount { owner });
    }
    for _ in accounts..events {
        let i = rng.below(accounts) as usize;
        let cents = 1 + rng.below(100_000) as i64;
        let command = if rng.below(3) == 0 && balances[i] >= cents {
            balances[i] -= cents;
            AccountCommand::Withdraw {
                amount: Money::from_cents(cents),
            }
        } else {
            balances[i] += cents;
            AccountCommand::Deposit {
                amount: Money::from_cents(cents),
            }
        };
        let _ = bank.execute(&streams[i], &command);
    }
}

/// Runs the whole benchmark: append `events` over `accounts`, then `seeks` random `state_at` calls with
/// snapshots, by full replay of the stream and (fewer) by scanning the log. `now_ms` reads a monotonic
/// clock in milliseconds; `memory_bytes` reads the total memory in use, if the platform can.
pub fn run(
    events: u64,
    accounts: u64,
    seeks: u64,
    now_ms: &mut dyn FnMut() -> f64,
    memory_bytes: &mut dyn FnMut() -> Option<u64>,
) -> Figures {
    let seed = 42;
    let memory_before = memory_bytes();
    let mut bank = EventSourced::new(Rc::new(ManualClock::starting_2026()), seed, 100);
    let start = now_ms();
    fill(&mut bank, events, accounts, seed);
    let append_ms = now_ms() - start;
    let memory_bytes_per_event = match (memory_before, memory_bytes()) {
        (Some(before), Some(after)) => {
            Some(after.saturating_sub(before) as f64 / events.max(1) as f64)
        }
        _ => None,
    };

    let store = bank.store();
    let head = store.head();
    let streams: Vec<StreamId> = store.stream_ids().cloned().collect();
    let mut rng = SeededRng::new(seed ^ 0xBEEF);
    let points: Vec<(StreamId, Position)> = (0..seeks)
        .map(|_| {
            let stream = streams[rng.below(streams.len() as u64) as usize].clone();
            (stream, 1 + rng.below(head))
        })
        .collect();

    let mut checksum = 0i64;
    let start = now_ms();
    for (stream, position) in &points {
        if let Some(at) = bank.state_at(stream, *position) {
            checksum = checksum.wrapping_add(at.state.balance.cents());
        }
    }
    let seek_total = now_ms() - start;
    let start = now_ms();
    for (stream, position) in &points {
        if let Some(at) = bank.replay_at(stream, *position) {
            checksum = checksum.wrapping_sub(at.state.balance.cents());
        }
    }
    let replay_total = now_ms() - start;
    let scans = (seeks / 100).max(1).min(seeks);
    let start = now_ms();
    for (stream, position) in points.iter().take(scans as usize) {
        if let Some(state) = bank.scan_log_at(stream, *position) {
            checksum = checksum.wrapping_add(state.balance.cents());
        }
    }
    let scan_total = now_ms() - start;
    for (stream, position) in points.iter().take(scans as usize) {
        if let Some(at) = bank.state_at(stream, *position) {
            checksum = checksum.wrapping_sub(at.state.balance.cents());
        }
    }
    assert_eq!(
        checksum, 0,
        "snapshot seeks, replays and log scans disagree"
    );

    let stats = store.stats();
    Figures {
        events: stats.events,
        accounts: stats.streams,
        append_ms,
        seeks,
        seek_ms: seek_total / seeks.max(1) as f64,
        replay_ms: replay_total / seeks.max(1) as f64,
        scans,
        scan_ms: scan_total / scans.max(1) as f64,
        memory_bytes_per_event,
        store_bytes_per_event: stats.reserved_bytes as f64 / stats.events.max(1) as f64,
        row_bytes: crate::kernel::EventStore::<crate::domain::bank::AccountEvent>::row_size()
            as u64,
        snapshots: bank.snapshots().len() as u64,
    }
}

/// Figures for the online-vs-batch side.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamFigures {
    /// Events in the log.
    pub events: u64,
    /// Milliseconds for one batch run of every read model over the whole log (best of five).
    pub batch_ms: f64,
    /// Milliseconds to push the whole log through the online pipeline (default settings) until
    /// drained.
    pub online_ms: f64,
    /// Ticks that took.
    pub online_ticks: u64,
}

impl StreamFigures {
    /// A human-readable report, one figure per line.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] batch projection (balances, totals, windows) over {events} events: {batch:.1} ms (best of 5)\n\
             [{platform}] online pipeline over {events} events, default settings, until drained: {online:.0} ms ({ticks} ticks)",
            events = self.events,
            batch = self.batch_ms,
            online = self.online_ms,
            ticks = self.online_ticks,
        )
    }
}

/// Generates `events` events with the load generator (event times over a week, 5% late), then times
/// a batch run of the bank read models and a full online run through the simulated broker.
pub fn run_streaming(events: u64, now_ms: &mut dyn FnMut() -> f64) -> StreamFigures {
    use crate::app::Playground;
    use crate::projection::{run_batch, BankReadModels, WindowSettings};
    use crate::sim::{Pipeline, SimConfig};

    let mut playground = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    playground.generate_all(events);
    let store = playground.bank().store();

    let start = now_ms();
    let batch = run_batch(
        BankReadModels::new(WindowSettings::default()),
        store,
        store.head(),
    );
    let batch_ms = now_ms() - start;

    let mut pipeline = Pipeline::new(
        SimConfig::default(),
        BankReadModels::new(WindowSettings::default()),
    );
    let start = now_ms();
    pipeline.drain(store, u64::MAX);
    let online_ms = now_ms() - start;
    assert_eq!(pipeline.projection(), &batch, "default settings converge");
    StreamFigures {
        events: store.head(),
        batch_ms,
        online_ms,
        online_ticks: pipeline.tick(),
    }
}
