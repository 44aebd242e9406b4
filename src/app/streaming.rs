//! The online-vs-batch side of the playground: its settings (typed by the user, validated here), the
//! simulated pipeline feeding the online projection, the batch runs, and the chart's history.

use crate::domain::bank::AccountEvent;
use crate::kernel::{EventStore, Position};
use crate::projection::{run_batch, BankReadModels, LatePolicy, WindowSettings};
use crate::sim::{
    differences, Assignment, CommitPolicy, Difference, Idempotency, Pipeline, SimConfig, Tick,
};
use std::cell::RefCell;
use std::rc::Rc;

/// A setting the user can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// "Partitions" (1–16; applies at replay).
    Partitions,
    /// "Consumers" (1–8).
    Consumers,
    /// "Assignment": `range` or `round-robin`.
    Assignment,
    /// "Batch size" (records per poll, 1–10,000).
    BatchSize,
    /// "Delay" (ticks, 0–1,000).
    Delay,
    /// "Reorder window" (0–100).
    ReorderWindow,
    /// "Broken producer" checkbox (`true`/`false`).
    BrokenProducer,
    /// "Duplicate rate" (%).
    DuplicateRate,
    /// "Failure rate" (%).
    FailureRate,
    /// "Retries" (0–10).
    Retries,
    /// "Crash rate" (%).
    CrashRate,
    /// "Commit policy": `after` or `before`.
    CommitPolicy,
    /// "Idempotent consumer" checkbox (`true`/`false`).
    Idempotent,
    /// "Remember": what the idempotent consumer remembers, `event-id` or `stream-version`.
    IdempotencyKey,
    /// "Seed" (applies at replay).
    Seed,
    /// "Window size" in hours (1–720; applies at replay).
    WindowHours,
    /// "Allowed lateness" in hours (0–720; applies at replay).
    LatenessHours,
    /// "Late events": `count` or `drop` (applies at replay).
    LatePolicy,
    /// "Batch every" ticks (0 = only on demand).
    BatchEvery,
    /// "Speed" in ticks per second while playing (1–1,000).
    Speed,
    /// "Chart value": `balance`, `deposits` or `accounts`.
    ChartValue,
}

/// What the streaming controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamAction {
    /// A setting's field changed to this text.
    Set(Setting, String),
    /// "Step": one tick.
    Step,
    /// Advance this many ticks (what "Play" does every frame).
    Advance(u64),
    /// "Play".
    Play,
    /// "Pause".
    Pause,
    /// "Drain": tick until nothing is in flight.
    Drain,
    /// "Run batch".
    RunBatch,
    /// "Replay from start".
    Replay,
}

/// The value the chart follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartValue {
    /// Money held across the bank.
    #[default]
    TotalBalance,
    /// Money ever deposited.
    TotalDeposits,
    /// Accounts open.
    AccountsOpen,
}

impl ChartValue {
    fn index(self) -> usize {
        match self {
            Self::TotalBalance => 0,
            Self::TotalDeposits => 1,
            Self::AccountsOpen => 2,
        }
    }

    /// The name shown in the chart's legend.
    pub fn label(self) -> &'static str {
        match self {
            Self::TotalBalance => "Total balance",
            Self::TotalDeposits => "Total deposits",
            Self::AccountsOpen => "Accounts open",
        }
    }

    /// The select's value for it.
    pub fn code(self) -> &'static str {
        match self {
            Self::TotalBalance => "balance",
            Self::TotalDeposits => "deposits",
            Self::AccountsOpen => "accounts",
        }
    }

    /// True for money values (shown in units, stored in cents).
    pub fn is_money(self) -> bool {
        !matches!(self, Self::AccountsOpen)
    }
}

/// One sample of the chart: the three values online and in batch at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartPoint {
    /// When.
    pub tick: Tick,
    /// Online: total balance, total deposits, accounts open.
    pub online: [i64; 3],
    /// Batch: the same.
    pub batch: [i64; 3],
}

/// The chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLines {
    /// Online line's points.
    pub online: String,
    /// Batch line's points.
    pub batch: String,
    /// The lowest value on the y axis (cents for money).
    pub min: i64,
    /// The highest value on the y axis.
    pub max: i64,
    /// The first tick on the x axis.
    pub first_tick: Tick,
    /// The last tick on the x axis.
    pub last_tick: Tick,
}

/// The most chart samples kept; past it, every other one is dropped and sampling halves.
const CHART_POINTS: usize = 400;
/// The most ticks one "Drain" runs before giving up.
pub const MAX_DRAIN_TICKS: u64 = 2_000_000;
/// "Drain" also gives up after this many ticks in a row without the backlog shrinking.
const STALL_TICKS: u64 = 2_000;

fn values(models: &BankReadModels) -> [i64; 3] {
    [
        models.totals.total_balance_cents,
        models.totals.total_deposits_cents,
        models.totals.accounts_open,
    ]
}

/// What the differences depend on: tick, log head, batch position, replay count.
type DiffKey = (Tick, Position, Position, u64);

/// The streaming side's state.
#[derive(Debug, Clone)]
pub struct Streaming {
    config: SimConfig,
    windows: WindowSettings,
    /// What the idempotent consumer remembers when it is on.
    idempotency_key: Idempotency,
    pipeline: Pipeline<BankReadModels>,
    batch: BankReadModels,
    batch_at: Position,
    batch_tick: Option<Tick>,
    batch_every: u64,
    playing: bool,
    speed: u32,
    chart: Vec<ChartPoint>,
    chart_stride: u64,
    chart_value: ChartValue,
    differences: RefCell<Option<(DiffKey, Rc<Vec<Difference>>)>>,
    replays: u64,
}

fn parse_in(text: &str, name: &str, min: u64, max: u64, unit: &str) -> Result<u64, String> {
    let trimmed = text.trim().trim_end_matches('%').trim();
    match trimmed.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => {
            let shown: String = text.trim().chars().take(24).collect();
            Err(format!(
                "{name} must be a whole number from {min} to {max}{unit}; “{shown}” is not."
            ))
        }
    }
}

/// One of a select's values; anything else is refused with the values accepted.
fn parse_choice<T: Copy>(text: &str, name: &str, choices: &[(&str, T)]) -> Result<T, String> {
    let wanted = text.trim();
    choices
        .iter()
        .find(|(code, _)| *code == wanted)
        .map(|&(_, value)| value)
        .ok_or_else(|| {
            let accepted: Vec<&str> = choices.iter().map(|(code, _)| *code).collect();
            let shown: String = wanted.chars().take(24).collect();
            format!(
                "{name} must be one of {}, not “{shown}”.",
                accepted.join(", ")
            )
        })
}

fn parse_flag(text: &str) -> bool {
    matches!(text.trim(), "true" | "on" | "yes" | "1")
}

impl Default for Streaming {
    fn default() -> Self {
        Self::new()
    }
}

impl Streaming {
    /// Default settings (every fault off), nothing published yet.
    pub fn new() -> Self {
        let config = SimConfig::default();
        let windows = WindowSettings::default();
        Self {
            pipeline: Pipeline::new(config, BankReadModels::new(windows)),
            batch: BankReadModels::new(windows),
            batch_at: 0,
            batch_tick: None,
            batch_every: 10,
            playing: false,
            speed: 20,
            chart: Vec::new(),
            chart_stride: 1,
            chart_value: ChartValue::default(),
            differences: RefCell::new(None),
            replays: 0,
            idempotency_key: Idempotency::ByEventId,
            config,
            windows,
        }
    }

    /// Applies a streaming action. `Ok(Some(message))` is news for the status line; `Err` is for the
    /// alert, and then nothing changed.
    pub fn handle(
        &mut self,
        action: StreamAction,
        store: &EventStore<AccountEvent>,
    ) -> Result<Option<String>, String> {
        match action {
            StreamAction::Set(setting, text) => self.set(setting, &text),
            StreamAction::Step => {
                self.advance(store, 1);
                Ok(None)
            }
            StreamAction::Advance(ticks) => {
                self.advance(store, ticks.min(10_000));
                Ok(None)
            }
            StreamAction::Play => {
                self.playing = true;
                Ok(None)
            }
            StreamAction::Pause => {
                self.playing = false;
                Ok(None)
            }
            StreamAction::Drain => Ok(Some(self.drain(store))),
            StreamAction::RunBatch => {
                self.run_batch(store);
                Ok(Some(format!(
                    "Batch ran over the whole log: {} events.",
                    super::group(self.batch_at)
                )))
            }
            StreamAction::Replay => {
                self.windows.partitions = self.config.partitions;
                self.pipeline
                    .replay_with(self.config, BankReadModels::new(self.windows));
                self.replays += 1;
                self.record_chart_point();
                Ok(Some(
                    "Replaying from the start: the group's offsets are back at 0 and the online read models are empty."
                        .to_owned(),
                ))
            }
        }
    }

    fn set(&mut self, setting: Setting, text: &str) -> Result<Option<String>, String> {
        let mut config = self.config;
        let mut at_replay = false;
        match setting {
            Setting::Partitions => {
                config.partitions = parse_in(text, "Partitions", 1, 16, "")? as u16;
                at_replay = true;
            }
            Setting::Consumers => config.consumers = parse_in(text, "Consumers", 1, 8, "")? as u16,
            Setting::Assignment => {
                config.assignment = parse_choice(
                    text,
                    "Assignment",
                    &[
                        ("range", Assignment::Range),
                        ("round-robin", Assignment::RoundRobin),
                    ],
                )?
            }
            Setting::BatchSize => {
                config.batch_size = parse_in(text, "Batch size", 1, 10_000, " records")? as u32
            }
            Setting::Delay => {
                config.delay_ticks = parse_in(text, "Delay", 0, 1_000, " ticks")? as u32
            }
            Setting::ReorderWindow => {
                config.reorder_window = parse_in(text, "Reorder window", 0, 100, " ticks")? as u32
            }
            Setting::BrokenProducer => config.reorder_within_partition = parse_flag(text),
            Setting::DuplicateRate => {
                config.duplicate_rate =
                    parse_in(text, "Duplicate rate", 0, 100, " (percent)")? as u8
            }
            Setting::FailureRate => {
                config.failure_rate = parse_in(text, "Failure rate", 0, 100, " (percent)")? as u8
            }
            Setting::Retries => config.max_retries = parse_in(text, "Retries", 0, 10, "")? as u32,
            Setting::CrashRate => {
                config.crash_rate = parse_in(text, "Crash rate", 0, 100, " (percent)")? as u8
            }
            Setting::CommitPolicy => {
                config.commit_policy = parse_choice(
                    text,
                    "Commit policy",
                    &[
                        ("after", CommitPolicy::AfterProcessing),
                        ("before", CommitPolicy::BeforeProcessing),
                    ],
                )?
            }
            Setting::Idempotent => {
                config.idempotency = if parse_flag(text) {
                    self.idempotency_key
                } else {
                    Idempotency::Off
                }
            }
            Setting::IdempotencyKey => {
                let key = parse_choice(
                    text,
                    "What the idempotent consumer remembers",
                    &[
                        ("event-id", Idempotency::ByEventId),
                        ("stream-version", Idempotency::ByStreamVersion),
                    ],
                )?;
                self.idempotency_key = key;
                if config.idempotency != Idempotency::Off {
                    config.idempotency = key;
                }
            }
            Setting::Seed => {
                config.seed = parse_in(text, "Seed", 0, u64::from(u32::MAX), "")?;
                at_replay = true;
            }
            Setting::WindowHours => {
                self.windows.size_seconds =
                    parse_in(text, "Window size", 1, 720, " hours")? as i64 * 3_600;
                at_replay = true;
            }
            Setting::LatenessHours => {
                self.windows.allowed_lateness_seconds =
                    parse_in(text, "Allowed lateness", 0, 720, " hours")? as i64 * 3_600;
                at_replay = true;
            }
            Setting::LatePolicy => {
                self.windows.late = parse_choice(
                    text,
                    "Late events",
                    &[
                        ("count", LatePolicy::CountSeparately),
                        ("drop", LatePolicy::Drop),
                    ],
                )?;
                at_replay = true;
            }
            Setting::BatchEvery => {
                self.batch_every = parse_in(text, "Batch every", 0, 100_000, " ticks")?
            }
            Setting::Speed => {
                self.speed = parse_in(text, "Speed", 1, 1_000, " ticks per second")? as u32
            }
            Setting::ChartValue => {
                self.chart_value = parse_choice(
                    text,
                    "Chart value",
                    &[
                        ("balance", ChartValue::TotalBalance),
                        ("deposits", ChartValue::TotalDeposits),
                        ("accounts", ChartValue::AccountsOpen),
                    ],
                )?
            }
        }
        self.config = config;
        self.pipeline.reconfigure(config);
        Ok(
            at_replay
                .then(|| "This setting takes effect at the next Replay from start.".to_owned()),
        )
    }
}

impl Streaming {
    /// Runs `ticks` ticks, with scheduled batch runs and chart samples.
    fn advance(&mut self, store: &EventStore<AccountEvent>, ticks: u64) {
        for _ in 0..ticks {
            self.pipeline.step(store);
            self.after_tick(store);
        }
    }

    fn after_tick(&mut self, store: &EventStore<AccountEvent>) {
        let tick = self.pipeline.tick();
        if self.batch_every > 0
            && tick.is_multiple_of(self.batch_every)
            && self.batch_at != store.head()
        {
            self.run_batch(store);
        }
        if tick.is_multiple_of(self.chart_stride) {
            self.record_chart_point();
        }
    }

    fn record_chart_point(&mut self) {
        self.chart.push(ChartPoint {
            tick: self.pipeline.tick(),
            online: values(self.pipeline.projection()),
            batch: values(&self.batch),
        });
        if self.chart.len() > CHART_POINTS {
            let mut keep = false;
            self.chart.retain(|_| {
                keep = !keep;
                keep
            });
            self.chart_stride *= 2;
        }
    }

    fn drain(&mut self, store: &EventStore<AccountEvent>) -> String {
        let start = self.pipeline.tick();
        let mut best_backlog = self.pipeline.backlog(store);
        let mut last_progress = start;
        while !self.pipeline.is_drained(store)
            && self.pipeline.tick() - start < MAX_DRAIN_TICKS
            && self.pipeline.tick() - last_progress < STALL_TICKS
        {
            self.pipeline.step(store);
            self.after_tick(store);
            let backlog = self.pipeline.backlog(store);
            if backlog < best_backlog {
                best_backlog = backlog;
                last_progress = self.pipeline.tick();
            }
        }
        let ran = self.pipeline.tick() - start;
        self.record_chart_point();
        if self.pipeline.is_drained(store) {
            format!(
                "Drained in {} ticks: every partition's lag is 0.",
                super::group(ran)
            )
        } else {
            format!(
                "Stopped draining after {} ticks without getting any further: with a crash rate of {}% the consumers crash before they commit. Lower it and drain again.",
                super::group(ran),
                self.config.crash_rate
            )
        }
    }

    /// Runs the batch projection over the whole log now.
    fn run_batch(&mut self, store: &EventStore<AccountEvent>) {
        self.batch = run_batch(BankReadModels::new(self.windows), store, store.head());
        self.batch_at = store.head();
        self.batch_tick = Some(self.pipeline.tick());
    }

    /// The pipeline (online side).
    pub fn pipeline(&self) -> &Pipeline<BankReadModels> {
        &self.pipeline
    }

    /// The batch read models as last run.
    pub fn batch(&self) -> &BankReadModels {
        &self.batch
    }

    /// The position the batch last ran up to, and at which tick (`None` = never).
    pub fn batch_run(&self) -> (Position, Option<Tick>) {
        (self.batch_at, self.batch_tick)
    }

    /// The settings chosen (partitions, seed and window settings may still await a replay).
    pub fn config(&self) -> SimConfig {
        self.config
    }

    /// What the idempotent consumer remembers (when it is on).
    pub fn idempotency_key(&self) -> Idempotency {
        self.idempotency_key
    }

    /// The window settings chosen.
    pub fn window_settings(&self) -> WindowSettings {
        self.windows
    }

    /// Scheduled batch interval in ticks (0 = on demand only).
    pub fn batch_every(&self) -> u64 {
        self.batch_every
    }

    /// Playing?
    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Ticks per second while playing.
    pub fn speed(&self) -> u32 {
        self.speed
    }

    /// The value the chart follows.
    pub fn chart_value(&self) -> ChartValue {
        self.chart_value
    }

    /// The chart's samples, oldest first.
    pub fn chart(&self) -> &[ChartPoint] {
        &self.chart
    }

    /// The chart as SVG polyline points (`"x,y x,y …"`) for online and batch, scaled into
    /// `width` × `height` with y growing downwards, plus the value range shown.
    pub fn chart_lines(&self, width: f64, height: f64) -> ChartLines {
        let index = self.chart_value.index();
        let (first, last) = match (self.chart.first(), self.chart.last()) {
            (Some(a), Some(b)) => (a.tick, b.tick),
            _ => (0, 0),
        };
        let all = self
            .chart
            .iter()
            .flat_map(|p| [p.online[index], p.batch[index]]);
        let min = all.clone().min().unwrap_or(0).min(0);
        let max = all.max().unwrap_or(0).max(min + 1);
        let x = |tick: Tick| {
            if last == first {
                width
            } else {
                (tick - first) as f64 / (last - first) as f64 * width
            }
        };
        let y = |v: i64| height - (v - min) as f64 / (max - min) as f64 * height;
        let line = |pick: &dyn Fn(&ChartPoint) -> i64| {
            self.chart
                .iter()
                .map(|p| format!("{:.1},{:.1}", x(p.tick), y(pick(p))))
                .collect::<Vec<_>>()
                .join(" ")
        };
        ChartLines {
            online: line(&|p| p.online[index]),
            batch: line(&|p| p.batch[index]),
            min,
            max,
            first_tick: first,
            last_tick: last,
        }
    }

    /// True when everything appended has gone through the pipeline.
    pub fn is_drained(&self, store: &EventStore<AccountEvent>) -> bool {
        self.pipeline.is_drained(store)
    }

    /// Rows where online and batch differ, with reasons (computed once per state of the two).
    pub fn differences(&self, store: &EventStore<AccountEvent>) -> Rc<Vec<Difference>> {
        let key = (
            self.pipeline.tick(),
            store.head(),
            self.batch_at,
            self.replays,
        );
        if let Some((cached_key, cached)) = self.differences.borrow().as_ref() {
            if *cached_key == key {
                return Rc::clone(cached);
            }
        }
        let fresh = Rc::new(differences(
            &self.pipeline,
            &self.batch,
            self.batch_at,
            store,
        ));
        *self.differences.borrow_mut() = Some((key, Rc::clone(&fresh)));
        fresh
    }

    /// "Converged", or how many rows differ and whether anything is still in flight.
    pub fn status(&self, store: &EventStore<AccountEvent>) -> String {
        let differing = self.differences(store).len();
        let drained = self.is_drained(store);
        match (drained, differing) {
            (true, 0) => "Converged".to_owned(),
            (true, n) => format!("{} differ although the broker is drained", rows(n)),
            (false, 0) => format!(
                "Equal so far, but {} still in flight",
                events(self.pipeline.backlog(store))
            ),
            (false, n) => format!(
                "{} differ; {} still in flight",
                rows(n),
                events(self.pipeline.backlog(store))
            ),
        }
    }
}

fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_owned()
    } else {
        format!("{} rows", super::group(n as u64))
    }
}

fn events(n: u64) -> String {
    if n == 1 {
        "1 event".to_owned()
    } else {
        format!("{} events", super::group(n))
    }
}
