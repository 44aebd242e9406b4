//! The workloads the benchmarks time. Pure: the caller supplies a millisecond timer, so the same code is
//! measured natively (`cargo run --release --bin bench`) and in headless Chromium (`tests/browser_bench.rs`).

use crate::domain::bank::{Account, AccountCommand, AccountError, Money, OwnerName};
use crate::kernel::{
    AppendOutcome, CommandError, CommandMeta, EventStore, IdGenerator, ManualClock, Position,
    Repository, SeededRng, StreamId,
};
use std::rc::Rc;

/// A bank on its own store: the kernel workload, without the playground around it.
#[derive(Debug)]
pub struct Bank {
    /// The store.
    pub store: EventStore,
    /// The accounts.
    pub accounts: Repository<Account>,
    ids: IdGenerator,
}

impl Bank {
    /// An empty bank (snapshots every `snapshot_every` events, ids from `seed`).
    pub fn new(seed: u64, snapshot_every: u64) -> Self {
        let mut store = EventStore::new(Rc::new(ManualClock::starting_2026()));
        Self {
            accounts: Repository::new(&mut store, snapshot_every),
            store,
            ids: IdGenerator::seeded(seed),
        }
    }

    /// A fresh command id.
    pub fn next_id(&mut self) -> uuid::Uuid {
        self.ids.next_uuid()
    }

    /// Runs `command` on `stream` as a new intention.
    pub fn execute(
        &mut self,
        stream: &StreamId,
        command: &AccountCommand,
    ) -> Result<AppendOutcome, CommandError<AccountError>> {
        let mut meta = CommandMeta::new(self.ids.next_uuid());
        self.accounts
            .execute(&mut self.store, stream, command, &mut meta)
    }
}

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
pub fn fill_bank(events: u64, accounts: u64, seed: u64) -> Bank {
    let mut bank = Bank::new(seed, 100);
    fill(&mut bank, events, accounts, seed);
    bank
}

fn fill(bank: &mut Bank, events: u64, accounts: u64, seed: u64) {
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
                channel: crate::domain::bank::Channel::Online,
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
    let mut bank = Bank::new(seed, 100);
    let start = now_ms();
    fill(&mut bank, events, accounts, seed);
    let append_ms = now_ms() - start;
    let memory_bytes_per_event = match (memory_before, memory_bytes()) {
        (Some(before), Some(after)) => {
            Some(after.saturating_sub(before) as f64 / events.max(1) as f64)
        }
        _ => None,
    };

    let store = &bank.store;
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
        if let Some(at) = bank.accounts.state_at(store, stream, *position) {
            checksum = checksum.wrapping_add(at.state.balance.cents());
        }
    }
    let seek_total = now_ms() - start;
    let start = now_ms();
    for (stream, position) in &points {
        if let Some(at) = bank.accounts.replay_at(store, stream, *position) {
            checksum = checksum.wrapping_sub(at.state.balance.cents());
        }
    }
    let replay_total = now_ms() - start;
    let scans = (seeks / 100).max(1).min(seeks);
    let start = now_ms();
    for (stream, position) in points.iter().take(scans as usize) {
        if let Some(state) = bank.accounts.scan_log_at(store, stream, *position) {
            checksum = checksum.wrapping_add(state.balance.cents());
        }
    }
    let scan_total = now_ms() - start;
    for (stream, position) in points.iter().take(scans as usize) {
        if let Some(at) = bank.accounts.state_at(store, stream, *position) {
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
        row_bytes: EventStore::row_size() as u64,
        snapshots: bank.accounts.snapshots().len() as u64,
    }
}

/// Figures of the mixed workload: every domain in one log.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedFigures {
    /// Events in the log.
    pub events: u64,
    /// Streams they are in.
    pub streams: u64,
    /// Milliseconds to generate them through every domain's command handlers (the load generator,
    /// with the log filter and the query side following along).
    pub generate_ms: f64,
    /// Bytes the store's structures reserve, per event.
    pub store_bytes_per_event: f64,
    /// Bytes of event data, per event.
    pub data_bytes_per_event: f64,
    /// Growth of the whole memory per event (the playground with its read models and caches).
    pub memory_bytes_per_event: Option<f64>,
    /// Mean milliseconds per `state_at` on random streams of every category.
    pub seek_ms: f64,
    /// Milliseconds for one batch run of every domain's read models (best of five).
    pub batch_ms: f64,
    /// Milliseconds to push the whole log through the online pipeline (default settings) until
    /// drained.
    pub online_ms: f64,
    /// Ticks that took.
    pub online_ticks: u64,
    /// Mean milliseconds per query, over every query of every domain.
    pub query_ms: f64,
    /// Worst milliseconds of one query.
    pub query_worst_ms: f64,
    /// Milliseconds to filter the log by one event type (mean over every type).
    pub filter_ms: f64,
    /// Milliseconds to explain the differences between online and batch the first time (the rows
    /// each event touches are indexed then), one tick after the whole log was appended.
    pub explain_first_ms: f64,
    /// Mean milliseconds to explain them again after each of the next ticks (what redrawing the
    /// Online vs batch view costs while playing), and how many rows differed at the last.
    pub explain_tick_ms: f64,
    /// Rows that differed at the last of those ticks.
    pub explain_rows: usize,
    /// Mean milliseconds of a metrics update with the whole log loaded: sampling every counter,
    /// and every metric's value and sparkline (what the Metrics region draws each tick).
    pub metrics_ms: f64,
    /// Each messaging mode's drain of the whole log: its name, milliseconds and ticks.
    pub modes: Vec<(&'static str, f64, u64)>,
    /// Mean milliseconds to compute the topology view with the whole log processed.
    pub topology_ms: f64,
}

impl MixedFigures {
    /// A human-readable report, one figure per line.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] mixed workload: generated {events} events in {streams} streams in {generate:.0} ms\n\
             [{platform}] mixed memory: {store:.1} bytes per event reserved by the store ({data:.1} bytes of event data); {memory}\n\
             [{platform}] mixed state_at: {seek:.4} ms per seek (random streams of every category)\n\
             [{platform}] batch projection of every read model over {events} events: {batch:.1} ms (best of 5)\n\
             [{platform}] online pipeline over {events} events, default settings, until drained: {online:.0} ms ({ticks} ticks)\n\
             [{platform}] queries: {query:.4} ms per query (worst {worst:.4} ms)\n\
             [{platform}] filtering the log by event type: {filter:.1} ms per filter\n\
             [{platform}] explaining online vs batch with every event in flight: {first:.0} ms the first time (indexing), then {tick:.1} ms per tick ({rows} rows differ)\n\
             [{platform}] metrics update with {events} events (every counter sampled, every metric and sparkline): {metrics:.3} ms\n\
             {modes}\n\
             [{platform}] topology view with {events} events processed: {topology:.3} ms",
            metrics = self.metrics_ms,
            topology = self.topology_ms,
            modes = self
                .modes
                .iter()
                .map(|(name, ms, ticks)| format!(
                    "[{platform}] {} events drained, {name}: {ms:.0} ms ({ticks} ticks)",
                    self.events
                ))
                .collect::<Vec<_>>()
                .join("\n"),
            events = self.events,
            streams = self.streams,
            generate = self.generate_ms,
            store = self.store_bytes_per_event,
            data = self.data_bytes_per_event,
            memory = match self.memory_bytes_per_event {
                Some(b) => format!("{b:.1} bytes per event of total memory growth"),
                None => "total memory growth not measurable here".to_owned(),
            },
            seek = self.seek_ms,
            batch = self.batch_ms,
            online = self.online_ms,
            ticks = self.online_ticks,
            query = self.query_ms,
            worst = self.query_worst_ms,
            filter = self.filter_ms,
            first = self.explain_first_ms,
            tick = self.explain_tick_ms,
            rows = self.explain_rows,
        )
    }
}

/// Generates `events` events of the mixed workload (every built-in domain, event times over a week,
/// 5% late), then times `state_at`, a batch run of every read model, a full online run through the
/// simulated broker, every query, and filtering the log by each event type.
pub fn run_mixed(
    events: u64,
    now_ms: &mut dyn FnMut() -> f64,
    memory_bytes: &mut dyn FnMut() -> Option<u64>,
) -> MixedFigures {
    use crate::app::{Action, LogAction, Playground, QueryAction, StreamAction};
    use crate::readmodel::run_batch;
    use crate::sim::{Pipeline, SimConfig};
    use crate::view::QueryAnswer;

    let memory_before = memory_bytes();
    let mut playground = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    let start = now_ms();
    playground.generate_all(events);
    let generate_ms = now_ms() - start;
    let memory_bytes_per_event = match (memory_before, memory_bytes()) {
        (Some(before), Some(after)) => {
            Some(after.saturating_sub(before) as f64 / events.max(1) as f64)
        }
        _ => None,
    };
    let stats = playground.store().stats();

    // state_at on random (stream, position) points of every domain, through each domain's state view.
    let store = playground.store();
    let head = store.head();
    let mut rng = SeededRng::new(7);
    let streams: Vec<StreamId> = store.stream_ids().cloned().collect();
    let seeks = 2_000u64;
    let mut checksum = 0u64;
    let start = now_ms();
    for _ in 0..seeks {
        let stream = &streams[rng.below(streams.len() as u64) as usize];
        let position = 1 + rng.below(head);
        checksum += playground.seek(stream, position);
    }
    let seek_ms = (now_ms() - start) / seeks as f64;
    assert!(checksum > 0, "seeks found states");

    let empty = playground
        .streaming()
        .batch()
        .fresh(&playground.read_model_settings());
    let mut batch_ms = f64::MAX;
    for _ in 0..5 {
        let start = now_ms();
        let batch = run_batch(empty.clone(), store, head);
        batch_ms = batch_ms.min(now_ms() - start);
        assert_ne!(batch, empty, "the batch folded something");
    }

    let mut pipeline = Pipeline::new(SimConfig::default(), empty.clone());
    let start = now_ms();
    pipeline.drain(store, u64::MAX);
    let online_ms = now_ms() - start;
    assert_eq!(
        pipeline.projection(),
        &run_batch(empty.clone(), store, head),
        "default settings converge"
    );
    let online_ticks = pipeline.tick();

    // Every messaging mode, over the whole log.
    use crate::sim::{BrokerModel, FailureMode, Idempotency};
    let modes: [(&'static str, SimConfig); 5] = [
        (
            "queue (RabbitMQ), 3 competing consumers",
            SimConfig {
                model: BrokerModel::Queue,
                consumers: 3,
                ..SimConfig::default()
            },
        ),
        (
            "1% poison events with the order-preserving dead-letter queue",
            SimConfig {
                failure_mode: FailureMode::Poison,
                failure_rate: 1,
                ordered_dlq: true,
                ..SimConfig::default()
            },
        ),
        (
            "an outage of 50 ticks, then Retry all",
            SimConfig {
                failure_mode: FailureMode::Outage { from: 1 },
                outage_ticks: 50,
                idempotency: Idempotency::ByEventId,
                ..SimConfig::default()
            },
        ),
        (
            "backpressure (relay paused above a lag of 5,000; 200 in flight)",
            SimConfig {
                pause_relay_above: 5_000,
                max_in_flight: 200,
                ..SimConfig::default()
            },
        ),
        (
            "topic retention of 100,000 records per partition",
            SimConfig {
                retention: 100_000,
                ..SimConfig::default()
            },
        ),
    ];
    let mut mode_figures = Vec::new();
    for (name, config) in modes {
        let mut pipeline = Pipeline::new(config, empty.clone());
        let start = now_ms();
        assert!(pipeline.drain(store, u64::MAX), "{name} drains");
        if pipeline.dead_letter_count() > 0 && !config.ordered_dlq {
            let _ = pipeline.retry_all();
            assert!(
                pipeline.drain(store, u64::MAX),
                "{name} drains after Retry all"
            );
        }
        mode_figures.push((name, now_ms() - start, pipeline.tick()));
    }

    // Every query, with parameters that find something.
    let customers = playground
        .queries()
        .models()
        .find::<crate::domain::customers::CustomerReadModels>();
    let orders = playground
        .queries()
        .models()
        .find::<crate::domain::orders::OrderReadModels>();
    let customer = StreamId::new("customer-2");
    let email = customers
        .and_then(|c| {
            c.get(playground.store(), &customer)
                .map(|row| c.show_field(&customer, "email", &row.email))
        })
        .unwrap_or_default();
    let order = orders
        .and_then(|o| {
            o.of_customer(&customer)
                .first()
                .map(|(id, _)| (*id).clone())
        })
        .unwrap_or_else(|| StreamId::new("order-1"));
    let parameters = [
        ("customer-by-email", email),
        ("orders-of-customer", customer.to_string()),
        ("order-details", order.to_string()),
        ("account-balance", "account-1".to_owned()),
        ("top-accounts", "10".to_owned()),
    ];
    let mut query_total = 0.0;
    let mut query_worst: f64 = 0.0;
    let mut asked = 0;
    for round in 0..20 {
        for (query, parameter) in &parameters {
            playground.dispatch(Action::Query(QueryAction::Choose((*query).to_owned())));
            playground.dispatch(Action::Query(QueryAction::EditParameter(parameter.clone())));
            let start = now_ms();
            playground.dispatch(Action::Query(QueryAction::Run));
            let took = now_ms() - start;
            if round > 0 {
                query_total += took;
                query_worst = query_worst.max(took);
                asked += 1;
            }
            assert!(
                playground
                    .queries()
                    .answer()
                    .is_some_and(|a| matches!(a.answer, QueryAnswer::Table(_))),
                "query {query} {parameter} found nothing"
            );
        }
    }

    let types = playground.event_types();
    let start = now_ms();
    for name in &types {
        playground.dispatch(Action::Log(LogAction::SetType((*name).to_owned())));
    }
    let filter_ms = (now_ms() - start) / types.len().max(1) as f64;
    playground.dispatch(Action::Log(LogAction::Clear));

    // Online vs batch while the whole log is in flight, as the view explains it tick by tick.
    playground.dispatch(Action::Stream(StreamAction::Step));
    let start = now_ms();
    let first_rows = playground.streaming().differences(playground.store()).len();
    let explain_first_ms = now_ms() - start;
    assert!(first_rows > 0, "online lags batch after one tick");
    let mut explain_total = 0.0;
    let mut explain_rows = 0;
    for _ in 0..10 {
        playground.dispatch(Action::Stream(StreamAction::Step));
        let start = now_ms();
        explain_rows = playground.streaming().differences(playground.store()).len();
        explain_total += now_ms() - start;
    }

    // The Metrics region's work per tick, with 120 ticks of samples kept.
    playground.dispatch(Action::Stream(StreamAction::Advance(120)));
    let start = now_ms();
    let mut drawn = 0;
    for _ in 0..100 {
        let sample = playground.sample();
        drawn += playground.metric_views(120.0, 28.0).len() + usize::from(sample.events > 0);
    }
    let metrics_ms = (now_ms() - start) / 100.0;
    assert!(drawn > 0);

    // The Topology region's view, with every event through the stream processors.
    playground.dispatch(Action::Stream(StreamAction::Drain));
    let start = now_ms();
    let mut nodes = 0;
    for _ in 0..100 {
        nodes += playground
            .processing()
            .topology(playground.store())
            .nodes
            .len();
    }
    let topology_ms = (now_ms() - start) / 100.0;
    assert_eq!(nodes, 700);

    MixedFigures {
        events: stats.events,
        streams: stats.streams,
        generate_ms,
        store_bytes_per_event: stats.reserved_bytes as f64 / stats.events.max(1) as f64,
        data_bytes_per_event: stats.data_bytes as f64 / stats.events.max(1) as f64,
        memory_bytes_per_event,
        seek_ms,
        batch_ms,
        online_ms,
        online_ticks,
        query_ms: query_total / f64::from(asked.max(1)),
        query_worst_ms: query_worst,
        filter_ms,
        explain_first_ms,
        explain_tick_ms: explain_total / 10.0,
        explain_rows,
        metrics_ms,
        modes: mode_figures,
        topology_ms,
    }
}

/// The figures of the saga workload.
#[derive(Debug, Clone, PartialEq)]
pub struct SagaFigures {
    /// The style the sagas ran in.
    pub style: &'static str,
    /// Orders placed.
    pub orders: u64,
    /// Events in the log at the end.
    pub events: u64,
    /// Milliseconds to place the orders through the orders panel's commands.
    pub place_ms: f64,
    /// Milliseconds of broker ticks while placing, then draining: every saga handler, the
    /// services' commands, the read models' pipeline.
    pub saga_ms: f64,
    /// Ticks run.
    pub ticks: u64,
    /// Sagas completed, compensated, timed out, still running.
    pub outcomes: [u64; 4],
}

impl SagaFigures {
    /// A human-readable report.
    pub fn report(&self, platform: &str) -> String {
        let [completed, compensated, timed_out, running] = self.outcomes;
        format!(
            "[{platform}] {style}: {orders} orders placed in {place:.0} ms; their sagas, ticked and drained with default settings: {saga:.0} ms ({ticks} ticks), {events} events in the log; {completed} completed, {compensated} compensated, {timed_out} timed out, {running} running",
            style = self.style,
            orders = self.orders,
            place = self.place_ms,
            saga = self.saga_ms,
            ticks = self.ticks,
            events = self.events,
        )
    }
}

/// Places `orders` orders of one or two well-stocked products, `per_tick` of them between two
/// broker ticks (so the handlers keep up, as a shop's orders arrive over time), in `style`
/// (`"orchestration"` or `"choreography"`), then drains. Times placing and the sagas apart.
pub fn run_sagas(
    orders: u64,
    style: &'static str,
    per_tick: u64,
    now_ms: &mut dyn FnMut() -> f64,
) -> SagaFigures {
    saga_playground(orders, style, per_tick, now_ms).1
}

/// The playground [`run_sagas`] leaves behind (drained), and its figures.
pub fn saga_playground(
    orders: u64,
    style: &'static str,
    per_tick: u64,
    now_ms: &mut dyn FnMut() -> f64,
) -> (crate::app::Playground, SagaFigures) {
    use crate::app::{Action, Playground, SagaAction, Setting, StreamAction};
    use crate::domain::{customers, orders as o};
    use crate::process::SagaStatus;

    let mut p = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    p.dispatch(Action::Saga(SagaAction::Set(
        Setting::SagaStyle,
        style.to_owned(),
    )));
    p.dispatch(Action::edit(
        customers::KEY,
        customers::controls::NAME,
        "Ada Lovelace",
    ));
    p.dispatch(Action::edit(
        customers::KEY,
        customers::controls::EMAIL,
        "ada@example.com",
    ));
    p.dispatch(Action::press(customers::KEY, customers::controls::REGISTER));
    let mut place_ms = 0.0;
    let mut saga_ms = 0.0;
    let mut ticks = 0;
    for n in 0..orders {
        let start = now_ms();
        p.dispatch(Action::press(o::KEY, o::controls::START));
        let product = o::CATALOGUE[(n % 4) as usize].sku;
        p.dispatch(Action::edit(o::KEY, o::controls::PRODUCT, product));
        p.dispatch(Action::edit(o::KEY, o::controls::QUANTITY, "1"));
        p.dispatch(Action::press(o::KEY, o::controls::ADD));
        p.dispatch(Action::press(o::KEY, o::controls::PLACE));
        place_ms += now_ms() - start;
        if (n + 1) % per_tick.max(1) == 0 {
            let start = now_ms();
            p.dispatch(Action::Stream(StreamAction::Step));
            saga_ms += now_ms() - start;
            ticks += 1;
        }
    }
    let tick_before = p.streaming().pipeline().tick();
    let start = now_ms();
    p.dispatch(Action::Stream(StreamAction::Drain));
    saga_ms += now_ms() - start;
    ticks += p.streaming().pipeline().tick() - tick_before;
    let t = p.sagas().tracker();
    let figures = SagaFigures {
        style,
        orders,
        events: p.head(),
        place_ms,
        saga_ms,
        ticks,
        outcomes: [
            t.count(SagaStatus::Completed),
            t.count(SagaStatus::Compensated),
            t.count(SagaStatus::TimedOut),
            t.count(SagaStatus::Running),
        ],
    };
    (p, figures)
}

/// The figures of the schema-evolution workload.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaFigures {
    /// Events in each log.
    pub events: u64,
    /// Events of the evolving types in the mixed log.
    pub evolving: u64,
    /// Of those, how many are stored in an older version (and upcast on every read).
    pub older: u64,
    /// A batch run of every read model over the log written in the latest versions, best of 5.
    pub latest_ms: f64,
    /// The same over the log written half before the deploys, best of 5.
    pub mixed_ms: f64,
}

impl SchemaFigures {
    /// A human-readable report.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] schema versions: {events} events each; batch projection over the log written in the latest versions {latest:.0} ms, over the same commands written half before the deploys ({older} of {evolving} MoneyDeposited and ItemAdded events stored in older versions, upcast on read) {mixed:.0} ms: {ratio:.2}× (budget ≤ 1.3×)",
            events = crate::format::group(self.events),
            latest = self.latest_ms,
            older = crate::format::group(self.older),
            evolving = crate::format::group(self.evolving),
            mixed = self.mixed_ms,
            ratio = self.mixed_ms / self.latest_ms.max(f64::MIN_POSITIVE),
        )
    }
}

/// Deploys every evolving type's versions up to the latest.
fn deploy_everything(playground: &mut crate::app::Playground) {
    use crate::app::{Action, SchemaAction};
    let names: Vec<String> = playground
        .evolving_types()
        .into_iter()
        .map(|t| t.name)
        .collect();
    for name in names {
        while playground
            .evolving_types()
            .iter()
            .any(|t| t.name == name && t.can_deploy)
        {
            playground.dispatch(Action::Schema(SchemaAction::DeployNext(name.clone())));
        }
    }
}

/// The same `events` of the mixed workload written twice: once in the latest versions throughout,
/// once with the first half written before the deploys (in v1); times a batch run of every read
/// model over each.
pub fn run_schemas(events: u64, now_ms: &mut dyn FnMut() -> f64) -> SchemaFigures {
    use crate::app::Playground;
    use crate::readmodel::run_batch;

    let mut best_batch = |playground: &Playground| {
        let empty = playground
            .streaming()
            .batch()
            .fresh(&playground.read_model_settings());
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = now_ms();
            let batch = run_batch(empty.clone(), playground.store(), playground.store().head());
            best = best.min(now_ms() - start);
            assert_ne!(batch, empty, "the batch folded something");
        }
        best
    };
    let latest_ms = {
        let mut latest = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
        deploy_everything(&mut latest);
        latest.generate_all(events);
        best_batch(&latest)
    };
    let mut mixed = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    mixed.generate_all(events / 2);
    deploy_everything(&mut mixed);
    mixed.generate_all(events - events / 2);
    let mixed_ms = best_batch(&mixed);
    let (mut evolving, mut older) = (0, 0);
    for t in mixed.evolving_types() {
        for (version, n) in t.stored {
            evolving += n;
            if version < t.latest {
                older += n;
            }
        }
    }
    SchemaFigures {
        events: mixed.store().head(),
        evolving,
        older,
        latest_ms,
        mixed_ms,
    }
}

/// The figures of decrypting what a view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivacyFigures {
    /// Events in the log.
    pub events: u64,
    /// Customers registered (each with a key).
    pub customers: u64,
    /// Building the 30 visible rows of the log filtered to customers' events, every sealed field
    /// opened for the first time.
    pub rows_cold_ms: f64,
    /// The same rows once their fields were opened.
    pub rows_warm_ms: f64,
    /// The same rows shown as stored (no field opened): the view update without decryption.
    pub rows_stored_ms: f64,
    /// The customers panel (every customer's name in its select) with no name opened yet.
    pub form_cold_ms: f64,
    /// The same once opened.
    pub form_warm_ms: f64,
}

impl PrivacyFigures {
    /// A human-readable report.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] decrypting what a view shows, {events} events, {customers} customers with a key each: 30 visible log rows of customers' events {cold:.2} ms with every field opened for the first time, {warm:.2} ms once opened, {stored:.2} ms as stored (no decryption): decryption adds {added:.2} ms (budget ≤ 2 ms); the customers panel with every name in its select {form_cold:.2} ms cold, {form_warm:.2} ms warm",
            events = crate::format::group(self.events),
            customers = crate::format::group(self.customers),
            cold = self.rows_cold_ms,
            warm = self.rows_warm_ms,
            stored = self.rows_stored_ms,
            added = self.rows_cold_ms - self.rows_stored_ms,
            form_cold = self.form_cold_ms,
            form_warm = self.form_warm_ms,
        )
    }
}

/// Generates `events` events of the mixed workload, then times the views that open customers'
/// sealed names and emails: the log's visible rows and the customers panel.
pub fn run_privacy(events: u64, now_ms: &mut dyn FnMut() -> f64) -> PrivacyFigures {
    use crate::app::{Action, LogAction, Playground, SchemaAction};
    let mut playground = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    playground.generate_all(events);
    playground.dispatch(Action::Log(LogAction::SetStream("customer-".to_owned())));
    let len = playground.log_len();
    let visible = len.saturating_sub(30)..len;
    let mut time = |playground: &Playground, cold: bool, f: &dyn Fn(&Playground) -> usize| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            if cold {
                playground.keys().drop_opened();
            }
            let start = now_ms();
            assert!(f(playground) > 0);
            best = best.min(now_ms() - start);
        }
        best
    };
    let rows = |p: &Playground| p.log_rows(visible.clone()).len();
    let rows_cold_ms = time(&playground, true, &rows);
    let rows_warm_ms = time(&playground, false, &rows);
    playground.dispatch(Action::SelectTab(crate::domain::customers::KEY.to_owned()));
    let form = |p: &Playground| p.form().sections.len();
    let form_cold_ms = time(&playground, true, &form);
    let form_warm_ms = time(&playground, false, &form);
    playground.dispatch(Action::Schema(SchemaAction::ShowStored(true)));
    let rows_stored_ms = time(&playground, true, &rows);
    PrivacyFigures {
        events: playground.store().head(),
        customers: playground.keys().len() as u64,
        rows_cold_ms,
        rows_warm_ms,
        rows_stored_ms,
        form_cold_ms,
        form_warm_ms,
    }
}

/// The figures of exporting and importing a log as CloudEvents.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferFigures {
    /// Events in the log.
    pub events: u64,
    /// The export's size in bytes.
    pub bytes: u64,
    /// Writing the whole export, chunk by chunk.
    pub export_ms: f64,
    /// Reading, checking and restoring it into a fresh playground, chunk by chunk.
    pub import_ms: f64,
    /// Whether export → import → export gave the same bytes.
    pub identical: bool,
}

impl TransferFigures {
    /// How many events of this size the import's 200 MB limit admits.
    pub fn admitted(&self) -> u64 {
        let per = self.bytes.max(1) as f64 / self.events.max(1) as f64;
        ((crate::interop::cloudevents::MAX_BYTES as f64 / per) as u64).min(self.events)
    }

    /// A human-readable report.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] CloudEvents, {events} events ({mb:.0} MB of JSON, {per:.0} B per event): export {export:.0} ms (budget ≤ 5,000 ms for 1,000,000), import with every event checked {import:.0} ms (budget ≤ 10,000 ms for 1,000,000; the 200 MB limit admits {admitted} such events, about {admitted_ms:.0} ms at this rate); export → import → export identical: {identical}",
            events = crate::format::group(self.events),
            mb = self.bytes as f64 / 1e6,
            per = self.bytes as f64 / self.events.max(1) as f64,
            export = self.export_ms,
            import = self.import_ms,
            identical = self.identical,
            admitted = crate::format::group(self.admitted()),
            admitted_ms = self.import_ms * self.admitted() as f64 / self.events.max(1) as f64,
        )
    }
}

/// Generates `events` events of the mixed workload, exports them, imports the file into a fresh
/// playground (the file-size limit lifted: a million events take more than 200 MB of JSON) and
/// exports again.
pub fn run_transfer(events: u64, now_ms: &mut dyn FnMut() -> f64) -> TransferFigures {
    use crate::app::Playground;
    let mut playground = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    playground.generate_all(events);
    let start = now_ms();
    let file = playground.export_all();
    let export_ms = now_ms() - start;
    let text = file.text();
    drop(file);
    let mut imported = Playground::new(Rc::new(ManualClock::starting_2026()), 7);
    imported.set_import_limits(crate::interop::cloudevents::MAX_EVENTS, usize::MAX);
    let start = now_ms();
    imported.import_all("bench.json", text.as_bytes());
    let import_ms = now_ms() - start;
    let identical = imported.alert().is_none() && imported.export_all().text() == text;
    TransferFigures {
        events: playground.store().head(),
        bytes: text.len() as u64,
        export_ms,
        import_ms,
        identical,
    }
}

/// What saving a log in the browser's storage format and restoring it cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RestoreFigures {
    /// Events saved and restored.
    pub events: u64,
    /// Bytes of the batch records and the meta record.
    pub bytes: u64,
    /// Saves it took.
    pub saves: u64,
    /// Encoding every save.
    pub save_ms: f64,
    /// Restoring it into a new page, every event checked.
    pub restore_ms: f64,
    /// The restored log is the saved one.
    pub identical: bool,
}

impl RestoreFigures {
    /// A human-readable report.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] browser storage, {events} events ({mb:.0} MB in batch records, {per:.0} B per event): saving in {saves} saves {save:.0} ms of encoding (never more than {batches} batch records at once), restoring with every event checked {restore:.0} ms (budget ≤ 3,000 ms for 1,000,000); restored log identical: {identical}",
            events = crate::format::group(self.events),
            mb = self.bytes as f64 / 1e6,
            per = self.bytes as f64 / self.events.max(1) as f64,
            saves = self.saves,
            save = self.save_ms,
            batches = crate::app::BATCHES_PER_SAVE,
            restore = self.restore_ms,
            identical = self.identical,
        )
    }
}

/// Generates `events` events of the mixed workload, saves them as the page does (save after save,
/// each confirmed) and restores them into a new playground.
pub fn run_restore(events: u64, now_ms: &mut dyn FnMut() -> f64) -> RestoreFigures {
    use crate::app::{Action, FileBytes, Playground, StorageAction, Stored};
    let mut playground = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    playground.generate_all(events);
    let mut meta = Vec::new();
    let mut batches: Vec<(u64, FileBytes)> = Vec::new();
    let (mut saves, mut save_ms) = (0, 0.0);
    loop {
        let start = now_ms();
        let Some(work) = playground.save_work() else {
            break;
        };
        save_ms += now_ms() - start;
        saves += 1;
        for (index, bytes) in work.batches {
            batches.retain(|(k, _)| *k != index);
            batches.push((index, FileBytes(Rc::from(bytes))));
        }
        meta = work.meta;
        playground.dispatch(Action::Storage(StorageAction::Saved(work.ticket)));
    }
    let bytes = meta.len() as u64 + batches.iter().map(|(_, b)| b.0.len() as u64).sum::<u64>();
    let stored = Stored {
        meta: FileBytes(Rc::from(meta)),
        batches,
    };
    let mut restored = Playground::new(Rc::new(ManualClock::starting_2026()), 7);
    let start = now_ms();
    restored.dispatch(Action::Storage(StorageAction::Opening));
    restored.dispatch(Action::Storage(StorageAction::Found(Some(stored))));
    while restored.restore_progress().is_some() {
        restored.dispatch(Action::Storage(StorageAction::RestoreChunk));
    }
    let restore_ms = now_ms() - start;
    let last = |p: &Playground| p.store().get(p.head()).map(|e| e.event_id);
    let identical = restored.storage_notice().is_none()
        && restored.head() == playground.head()
        && restored.store().stored_bytes() == playground.store().stored_bytes()
        && last(&restored) == last(&playground)
        && restored.keys().material() == playground.keys().material();
    RestoreFigures {
        events: playground.head(),
        bytes,
        saves,
        save_ms,
        restore_ms,
        identical,
    }
}

/// What sharing a generated log as a link and opening it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareFigures {
    /// Events in the shared log.
    pub events: u64,
    /// Characters of the link's fragment.
    pub link_chars: usize,
    /// Actions it holds.
    pub actions: u64,
    /// Making the link.
    pub copy_ms: f64,
    /// Reading and checking it.
    pub read_ms: f64,
    /// Opening it: every action replayed into a fresh page, chunk by chunk.
    pub open_ms: f64,
    /// The opened log is the shared one.
    pub identical: bool,
    /// "Branch here" at the middle of the log (the store forked, every domain observing the prefix).
    pub branch_ms: f64,
    /// Switching back to main and to the branch again.
    pub switch_ms: f64,
    /// Main is unchanged by the branch and its command.
    pub main_unchanged: bool,
}

impl ShareFigures {
    /// A human-readable report.
    pub fn report(&self, platform: &str) -> String {
        format!(
            "[{platform}] share link of {events} generated events and 50 commands: {chars} characters ({actions} actions), made in {copy:.1} ms, read and checked in {read:.2} ms, opened (every action replayed) in {open:.0} ms; opened log identical: {identical}. Branch here at the middle: {branch:.0} ms; switching to main and back: {switch:.1} ms; main unchanged: {unchanged}",
            events = crate::format::group(self.events),
            chars = crate::format::group(self.link_chars as u64),
            actions = self.actions,
            copy = self.copy_ms,
            read = self.read_ms,
            open = self.open_ms,
            identical = self.identical,
            branch = self.branch_ms,
            switch = self.switch_ms,
            unchanged = self.main_unchanged,
        )
    }
}

/// Generates `events` events and 50 bank commands, shares them as a link, and opens it on a page of
/// another seed.
pub fn run_share(events: u64, now_ms: &mut dyn FnMut() -> f64) -> ShareFigures {
    use crate::app::{Action, Playground, ShareAction};
    use crate::domain::bank;
    let mut playground = Playground::new(Rc::new(ManualClock::starting_2026()), 42);
    playground.generate_all(events);
    for i in 0..25 {
        playground.dispatch(Action::edit(
            bank::KEY,
            bank::controls::AMOUNT,
            format!("{}", 10 + i),
        ));
        playground.dispatch(Action::press(bank::KEY, bank::controls::DEPOSIT));
        playground.dispatch(Action::edit(bank::KEY, bank::controls::AMOUNT, "1"));
        playground.dispatch(Action::press(bank::KEY, bank::controls::WITHDRAW));
    }
    let start = now_ms();
    playground.dispatch(Action::Share(ShareAction::Copy));
    let copy_ms = now_ms() - start;
    let view = playground.share_view();
    let link = view.link.unwrap_or_default();
    let start = now_ms();
    let read = crate::app::read_link(&link).is_ok();
    let read_ms = now_ms() - start;
    let mut opened = Playground::new(Rc::new(ManualClock::starting_2026()), 7);
    let start = now_ms();
    opened.dispatch(Action::Share(ShareAction::Open(link.clone())));
    while opened.opening_link() {
        opened.dispatch(Action::Share(ShareAction::OpenChunk));
    }
    let open_ms = now_ms() - start;
    let last = |p: &Playground| {
        p.store()
            .get(p.head())
            .map(|e| (e.event_id, e.recorded_at_micros))
    };
    let identical = read
        && opened.alert().is_none()
        && opened.head() == playground.head()
        && opened.store().stored_bytes() == playground.store().stored_bytes()
        && last(&opened) == last(&playground)
        && opened.keys().material() == playground.keys().material();
    use crate::app::BranchAction;
    let (head, bytes) = (playground.head(), playground.store().stored_bytes());
    playground.dispatch(Action::SeekTimeline(head / 2));
    let start = now_ms();
    playground.dispatch(Action::Branch(BranchAction::Here));
    let branch_ms = now_ms() - start;
    playground.dispatch(Action::press(bank::KEY, bank::controls::DEPOSIT));
    let start = now_ms();
    playground.dispatch(Action::Branch(BranchAction::Select(
        crate::app::MAIN.to_owned(),
    )));
    playground.dispatch(Action::Branch(BranchAction::Select("what-if 1".to_owned())));
    let switch_ms = (now_ms() - start) / 2.0;
    let main = playground.main_branch();
    let main_unchanged = main.head() == head && main.store().stored_bytes() == bytes;
    ShareFigures {
        events: head,
        link_chars: link.len(),
        actions: view.actions,
        copy_ms,
        read_ms,
        open_ms,
        identical,
        branch_ms,
        switch_ms,
        main_unchanged,
    }
}
