//! The online-vs-batch side of the playground: its settings (typed by the user, validated against
//! the settings table), the simulated pipeline feeding the online read models, the batch runs, and
//! the chart's history. Domain-independent: it works on [`ReadModels`], whatever domains they hold.

use super::settings::{
    Setting, SettingValue, ASSIGNMENTS, BROKER_MODELS, COMMIT_POLICIES, FAILURE_MODES,
    IDEMPOTENCY_KEYS, LATE_POLICIES,
};
use crate::format::{count, group, tenths};
use crate::kernel::{EventStore, Position};
use crate::readmodel::{
    run_batch, ChartSeries, LatePolicy, Projection, ReadModelSettings, ReadModels, WindowSettings,
};
use crate::sim::{
    differences, Assignment, BrokerModel, CommitPolicy, Differences, Failure, FailureMode,
    Idempotency, Pipeline, SimConfig, Tick, TouchIndex,
};
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// What the streaming controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamAction {
    /// A number or choice setting's field changed to this text (a select sends its option's value).
    Set(Setting, String),
    /// A checkbox setting was ticked or unticked.
    Toggle(Setting, bool),
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
    /// "Retry #N": the dead-lettered event at this position goes back through its consumer.
    RetryDeadLetter(Position),
    /// "Skip #N": the dead-lettered event at this position is given up on.
    SkipDeadLetter(Position),
    /// "Retry all": every dead-lettered event goes back through its consumer.
    RetryAll,
    /// "Skip all": every dead-lettered event is given up on.
    SkipAll,
}

/// One entry of the dead-letter queue, as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetterView {
    /// The event's position in the log.
    pub position: Position,
    /// Its type.
    pub event_type: String,
    /// Its stream.
    pub stream: String,
    /// The consumer that gave up on it (1-based, as the panel counts).
    pub consumer: u16,
    /// Attempts made.
    pub attempts: u32,
    /// Why they failed.
    pub failure: Failure,
    /// When it was parked.
    pub tick: Tick,
    /// Events of its stream held back behind it.
    pub held: usize,
}

/// The most dead-letter entries the panel lists (the rest are counted).
pub const DEAD_LETTERS_SHOWN: usize = 50;

/// One sample of the chart: every series online and in batch at a tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartPoint {
    /// When.
    pub tick: Tick,
    /// Online, one value per series.
    pub online: Vec<i64>,
    /// Batch, the same.
    pub batch: Vec<i64>,
}

/// The chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLines {
    /// The series shown.
    pub series: ChartSeries,
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

/// Whether online and batch agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convergence {
    /// Drained, and every row is equal.
    Converged,
    /// Drained, yet rows differ.
    DifferDrained {
        /// Rows that differ.
        rows: usize,
    },
    /// Equal so far, with events still in flight.
    EqualInFlight {
        /// Events not yet through the pipeline.
        backlog: u64,
    },
    /// Rows differ and events are in flight.
    DifferInFlight {
        /// Rows that differ.
        rows: usize,
        /// Events not yet through the pipeline.
        backlog: u64,
    },
}

impl fmt::Display for Convergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Converged => f.write_str("Converged"),
            Self::DifferDrained { rows } => write!(
                f,
                "{} differ although the broker is drained",
                count(*rows as u64, "row")
            ),
            Self::EqualInFlight { backlog } => write!(
                f,
                "Equal so far, but {} still in flight",
                count(*backlog, "event")
            ),
            Self::DifferInFlight { rows, backlog } => write!(
                f,
                "{} differ; {} still in flight",
                count(*rows as u64, "row"),
                count(*backlog, "event")
            ),
        }
    }
}

/// Why "Replay from start" is refused in the queue model.
pub const REPLAY_NEEDS_A_LOG: &str = "Replay from start needs a log: a queue keeps no history (each message is gone once acknowledged), so its consumers cannot rewind. A log keeps every record, and a group can go back to offset 0. The event store still has every event: switch Broker model to rebuild from it, or run the batch.";

/// The most chart samples kept; past it, every other one is dropped and sampling halves.
const CHART_POINTS: usize = 400;
/// The most ticks one "Drain" runs before giving up.
pub const MAX_DRAIN_TICKS: u64 = 2_000_000;
/// "Drain" also gives up after this many ticks in a row without the backlog shrinking.
const STALL_TICKS: u64 = 2_000;

/// What the differences depend on: tick, log head, batch position, replay count, dead-letter
/// actions.
type DiffKey = (Tick, Position, Position, u64, u64);

/// The streaming side's state.
#[derive(Debug, Clone)]
pub struct Streaming {
    config: SimConfig,
    windows: WindowSettings,
    /// What the idempotent consumer remembers when it is on.
    idempotency_key: Idempotency,
    template: ReadModels,
    pipeline: Pipeline<ReadModels>,
    batch: ReadModels,
    batch_at: Position,
    /// The settings the batch read models were built with.
    batch_settings: ReadModelSettings,
    batch_tick: Option<Tick>,
    batch_every: u64,
    playing: bool,
    speed: u32,
    chart: Vec<ChartPoint>,
    chart_stride: u64,
    chart_value: usize,
    differences: RefCell<Option<(DiffKey, Rc<Differences>)>>,
    /// The rows each event touches, for explaining differences (with the replay it was built for).
    touches: RefCell<(u64, TouchIndex)>,
    replays: u64,
}

impl Streaming {
    /// Default settings (every fault off), nothing published yet; `models` are the empty read
    /// models of every domain.
    pub fn new(models: ReadModels) -> Self {
        let config = SimConfig::default();
        let windows = WindowSettings {
            size_seconds: Setting::WindowHours.def().default as i64 * 3_600,
            allowed_lateness_seconds: Setting::LatenessHours.def().default as i64 * 3_600,
            late: LatePolicy::default(),
            partitions: config.partitions,
        };
        let settings = ReadModelSettings { windows };
        let template = models.fresh(&settings);
        Self {
            pipeline: Pipeline::new(config, template.clone()),
            batch: template.clone(),
            template,
            batch_at: 0,
            batch_settings: settings,
            batch_tick: None,
            batch_every: Setting::BatchEvery.def().default,
            playing: false,
            speed: Setting::Speed.def().default as u32,
            chart: Vec::new(),
            chart_stride: 1,
            chart_value: 0,
            differences: RefCell::new(None),
            touches: RefCell::new((0, TouchIndex::default())),
            replays: 0,
            idempotency_key: Idempotency::ByEventId,
            config,
            windows,
        }
    }

    fn settings(&self) -> ReadModelSettings {
        ReadModelSettings {
            windows: self.windows,
        }
    }

    /// Applies a streaming action. `Ok(Some(message))` is news for the status line; `Err` is for the
    /// alert, and then nothing changed.
    pub fn handle(
        &mut self,
        action: StreamAction,
        store: &EventStore,
    ) -> Result<Option<String>, String> {
        match action {
            StreamAction::Set(setting, text) => self.set(setting, &text),
            StreamAction::Toggle(setting, on) => self.toggle(setting, on),
            // A tick moves the sagas too, so the playground runs ticks (`Playground::dispatch`), each
            // one through `step_tick` here.
            StreamAction::Step | StreamAction::Advance(_) | StreamAction::Drain => Err(
                "Step, Play and Drain move the whole playground: they are not the online side's alone."
                    .to_owned(),
            ),
            StreamAction::Play => {
                self.playing = true;
                Ok(None)
            }
            StreamAction::Pause => {
                self.playing = false;
                Ok(None)
            }
            StreamAction::RunBatch => {
                self.run_batch(store);
                Ok(Some(format!(
                    "Batch ran over the whole log: {}.",
                    count(self.batch_at, "event")
                )))
            }
            StreamAction::RetryDeadLetter(position) => {
                let held = self.pipeline.held_behind(position);
                self.pipeline.retry(position).map_err(|e| e.to_string())?;
                Ok(Some(format!(
                    "Retrying #{position}: it goes back through its consumer at the next tick{}.",
                    followed_by(held)
                )))
            }
            StreamAction::SkipDeadLetter(position) => {
                let held = self.pipeline.held_behind(position);
                self.pipeline.skip(position).map_err(|e| e.to_string())?;
                Ok(Some(format!(
                    "Skipped #{position}: it will never be applied online, and Differences names it{}.",
                    if held > 0 {
                        format!("; the {} held behind it flow on", count(held as u64, "event"))
                    } else {
                        String::new()
                    }
                )))
            }
            StreamAction::RetryAll => {
                let held = self.pipeline.held_count();
                let retried = self.pipeline.retry_all().map_err(|e| e.to_string())?;
                Ok(Some(format!(
                    "Retrying {} from the dead-letter queue at the next tick{}.",
                    count(retried as u64, "event"),
                    followed_by(held)
                )))
            }
            StreamAction::SkipAll => {
                let skipped = self.pipeline.skip_all().map_err(|e| e.to_string())?;
                Ok(Some(format!(
                    "Skipped {} from the dead-letter queue: they will never be applied online, and Differences names them.",
                    count(skipped as u64, "event")
                )))
            }
            StreamAction::Replay => {
                if self.config.model == BrokerModel::Queue {
                    return Err(REPLAY_NEEDS_A_LOG.to_owned());
                }
                if self.config.retention > 0 {
                    self.restart(Some(store));
                    return Ok(Some(format!(
                        "Replaying from the earliest retained offsets: the topic keeps {} per partition, so {} left it and only the event store (Run batch) still has them.",
                        count(self.config.retention, "record"),
                        count(self.expired_count(store), "event")
                    )));
                }
                self.restart(None);
                Ok(Some(
                    "Replaying from the start: the group's offsets are back at 0 and the online read models are empty."
                        .to_owned(),
                ))
            }
        }
    }

    /// Events the online side will never apply because they left the topic under its retention.
    fn expired_count(&self, store: &EventStore) -> u64 {
        (1..=store.head())
            .filter(|&p| self.pipeline.fate(p).expired)
            .count() as u64
    }

    /// The pipeline starts again under the settings chosen, feeding empty online read models: from
    /// the log's start, or — given the store, under retention — from what the topic still keeps.
    fn restart(&mut self, retained: Option<&EventStore>) {
        self.windows.partitions = self.config.clamped().partitions;
        let fresh = self.template.fresh(&self.settings());
        match retained {
            Some(store) => self.pipeline.replay_retained(self.config, fresh, store),
            None => self.pipeline.replay_with(self.config, fresh),
        }
        self.replays += 1;
        self.record_chart_point();
    }

    fn toggle(&mut self, setting: Setting, on: bool) -> Result<Option<String>, String> {
        let mut config = self.config;
        match setting {
            Setting::BrokenProducer => config.reorder_within_partition = on,
            Setting::OrderedDlq => config.ordered_dlq = on,
            Setting::Idempotent => {
                config.idempotency = if on {
                    self.idempotency_key
                } else {
                    Idempotency::Off
                };
            }
            other => return Err(format!("{} is not a checkbox.", other.def().label)),
        }
        self.config = config;
        self.pipeline.reconfigure(config);
        Ok(None)
    }

    fn set(&mut self, setting: Setting, text: &str) -> Result<Option<String>, String> {
        let def = setting.def();
        let mut config = self.config;
        let number = || def.parse_number(text);
        let choice = || def.parse_choice(text);
        match setting {
            Setting::BrokerModel => {
                let model = [BrokerModel::Log, BrokerModel::Queue][choice()?];
                if model == self.config.model {
                    return Ok(None);
                }
                self.config.model = model;
                self.restart(None);
                return Ok(Some(match model {
                    BrokerModel::Queue => "Switched to a queue (RabbitMQ): a new broker, fed from the start of the log by the outbox relay. Consumers compete for its messages; each is acknowledged and then gone, so there is no replay.".to_owned(),
                    BrokerModel::Log => "Switched to a log (Kafka): a new broker, fed from the start of the log by the outbox relay. Each consumer owns partitions and commits offsets, so the group can replay.".to_owned(),
                }));
            }
            Setting::VisibilityTimeout => config.visibility_timeout = number()? as u32,
            Setting::Partitions => config.partitions = number()? as u16,
            Setting::Consumers => config.consumers = number()? as u16,
            Setting::Assignment => {
                config.assignment = [Assignment::Range, Assignment::RoundRobin][choice()?];
            }
            Setting::BatchSize => config.batch_size = number()? as u32,
            Setting::MaxInFlight => config.max_in_flight = number()? as u32,
            Setting::Retention => config.retention = number()?,
            Setting::PauseRelay => config.pause_relay_above = number()?,
            Setting::Delay => config.delay_ticks = number()? as u32,
            Setting::ReorderWindow => config.reorder_window = number()? as u32,
            Setting::DuplicateRate => config.duplicate_rate = number()? as u8,
            Setting::FailureRate => config.failure_rate = number()? as u8,
            Setting::Retries => config.max_retries = number()? as u32,
            Setting::FailureMode => {
                config.failure_mode = match choice()? {
                    0 => FailureMode::Random,
                    1 => FailureMode::Poison,
                    // The outage starts with the next tick.
                    _ => FailureMode::Outage {
                        from: self.pipeline.tick() + 1,
                    },
                };
            }
            Setting::OutageTicks => config.outage_ticks = number()? as u32,
            Setting::CrashRate => config.crash_rate = number()? as u8,
            Setting::CommitPolicy => {
                config.commit_policy = [
                    CommitPolicy::AfterProcessing,
                    CommitPolicy::BeforeProcessing,
                ][choice()?];
            }
            Setting::IdempotencyKey => {
                let key = [Idempotency::ByEventId, Idempotency::ByStreamVersion][choice()?];
                self.idempotency_key = key;
                if config.idempotency != Idempotency::Off {
                    config.idempotency = key;
                }
            }
            Setting::Seed => config.seed = number()?,
            Setting::WindowHours => self.windows.size_seconds = number()? as i64 * 3_600,
            Setting::LatenessHours => {
                self.windows.allowed_lateness_seconds = number()? as i64 * 3_600;
            }
            Setting::LatePolicy => {
                self.windows.late = [LatePolicy::CountSeparately, LatePolicy::Drop][choice()?];
            }
            Setting::BatchEvery => self.batch_every = number()?,
            Setting::Speed => self.speed = number()? as u32,
            Setting::ChartValue => {
                let series = self.template.chart_series();
                self.chart_value = series
                    .iter()
                    .position(|s| s.code == text.trim())
                    .ok_or_else(|| {
                        let codes: Vec<&str> = series.iter().map(|s| s.code).collect();
                        format!(
                            "Chart value must be one of {}, not “{}”.",
                            codes.join(", "),
                            crate::format::shorten(text)
                        )
                    })?;
            }
            Setting::BrokenProducer | Setting::Idempotent | Setting::OrderedDlq => {
                return Err(format!(
                    "{} must be ticked or unticked: it is a checkbox.",
                    def.label
                ));
            }
            Setting::GenerateCount
            | Setting::LateShare
            | Setting::ReadModelLag
            | Setting::SagaStyle
            | Setting::DeclineRate
            | Setting::ShippingDelay
            | Setting::SagaTimeout
            | Setting::IdempotentHandlers
            | Setting::LagAlert
            | Setting::ErrorAlert
            | Setting::GrowthAlert
            | Setting::HighValue
            | Setting::SummaryEvery
            | Setting::DerivedTopic => {
                return Err(format!(
                    "{} is not a setting of the online-vs-batch side.",
                    def.label
                ));
            }
        }
        self.config = config;
        self.pipeline.reconfigure(config);
        Ok(def
            .at_replay
            .then(|| "This setting takes effect at the next Replay from start.".to_owned()))
    }

    /// The setting's current value (as chosen; partitions, seed and window settings may still await
    /// a replay).
    pub fn value(&self, setting: Setting) -> SettingValue {
        let c = &self.config;
        let code = |choices: &'static [super::settings::Choice], i: usize| {
            SettingValue::Choice(choices.get(i).map_or("", |c| c.code))
        };
        match setting {
            Setting::BrokerModel => code(BROKER_MODELS, usize::from(c.model == BrokerModel::Queue)),
            Setting::VisibilityTimeout => SettingValue::Number(u64::from(c.visibility_timeout)),
            Setting::Partitions => SettingValue::Number(u64::from(c.partitions)),
            Setting::Consumers => SettingValue::Number(u64::from(c.consumers)),
            Setting::Assignment => code(
                ASSIGNMENTS,
                usize::from(c.assignment == Assignment::RoundRobin),
            ),
            Setting::BatchSize => SettingValue::Number(u64::from(c.batch_size)),
            Setting::MaxInFlight => SettingValue::Number(u64::from(c.max_in_flight)),
            Setting::Retention => SettingValue::Number(c.retention),
            Setting::PauseRelay => SettingValue::Number(c.pause_relay_above),
            Setting::Delay => SettingValue::Number(u64::from(c.delay_ticks)),
            Setting::ReorderWindow => SettingValue::Number(u64::from(c.reorder_window)),
            Setting::BrokenProducer => SettingValue::Flag(c.reorder_within_partition),
            Setting::DuplicateRate => SettingValue::Number(u64::from(c.duplicate_rate)),
            Setting::FailureRate => SettingValue::Number(u64::from(c.failure_rate)),
            Setting::Retries => SettingValue::Number(u64::from(c.max_retries)),
            Setting::FailureMode => code(
                FAILURE_MODES,
                match c.failure_mode {
                    FailureMode::Random => 0,
                    FailureMode::Poison => 1,
                    FailureMode::Outage { .. } => 2,
                },
            ),
            Setting::OutageTicks => SettingValue::Number(u64::from(c.outage_ticks)),
            Setting::OrderedDlq => SettingValue::Flag(c.ordered_dlq),
            Setting::CrashRate => SettingValue::Number(u64::from(c.crash_rate)),
            Setting::CommitPolicy => code(
                COMMIT_POLICIES,
                usize::from(c.commit_policy == CommitPolicy::BeforeProcessing),
            ),
            Setting::Idempotent => SettingValue::Flag(c.idempotency != Idempotency::Off),
            Setting::IdempotencyKey => code(
                IDEMPOTENCY_KEYS,
                usize::from(self.idempotency_key == Idempotency::ByStreamVersion),
            ),
            Setting::Seed => SettingValue::Number(c.seed),
            Setting::WindowHours => {
                SettingValue::Number((self.windows.size_seconds / 3_600) as u64)
            }
            Setting::LatenessHours => {
                SettingValue::Number((self.windows.allowed_lateness_seconds / 3_600) as u64)
            }
            Setting::LatePolicy => code(
                LATE_POLICIES,
                usize::from(self.windows.late == LatePolicy::Drop),
            ),
            Setting::BatchEvery => SettingValue::Number(self.batch_every),
            Setting::Speed => SettingValue::Number(u64::from(self.speed)),
            Setting::ChartValue => SettingValue::Choice(self.chart_series().code),
            Setting::GenerateCount
            | Setting::LateShare
            | Setting::ReadModelLag
            | Setting::SagaStyle
            | Setting::DeclineRate
            | Setting::ShippingDelay
            | Setting::SagaTimeout
            | Setting::IdempotentHandlers
            | Setting::LagAlert
            | Setting::ErrorAlert
            | Setting::GrowthAlert
            | Setting::HighValue
            | Setting::SummaryEvery
            | Setting::DerivedTopic => SettingValue::Number(setting.def().default),
        }
    }
}

/// ", then the N events held behind it" when some are.
fn followed_by(held: usize) -> String {
    if held == 0 {
        String::new()
    } else {
        format!(", then the {} held behind it", count(held as u64, "event"))
    }
}

/// The most ticks one "Advance" runs.
pub const MAX_ADVANCE: u64 = 10_000;

/// Keeps count of a "Drain": it gives up after [`MAX_DRAIN_TICKS`] ticks, or after [`STALL_TICKS`]
/// in a row without the backlog shrinking.
#[derive(Debug, Clone, Copy)]
pub struct DrainWatch {
    ran: u64,
    best: u64,
    last_progress: u64,
}

impl DrainWatch {
    /// A drain starting with `backlog` in flight.
    pub fn new(backlog: u64) -> Self {
        Self {
            ran: 0,
            best: backlog,
            last_progress: 0,
        }
    }

    /// Whether to run another tick.
    pub fn keep_going(&self) -> bool {
        self.ran < MAX_DRAIN_TICKS && self.ran - self.last_progress < STALL_TICKS
    }

    /// One more tick ran, leaving `backlog` in flight.
    pub fn ticked(&mut self, backlog: u64) {
        self.ran += 1;
        if backlog < self.best {
            self.best = backlog;
            self.last_progress = self.ran;
        }
    }

    /// Ticks run.
    pub fn ran(&self) -> u64 {
        self.ran
    }
}

impl Streaming {
    /// One tick of the pipeline, with a scheduled batch run and a chart sample.
    pub fn step_tick(&mut self, store: &EventStore) {
        self.pipeline.step(store);
        self.after_tick(store);
    }

    /// What a "Drain" that ran `ran` ticks says. A drained pipeline also gets its scheduled batch
    /// run now if it is behind (sagas may have written during the last ticks), so that drained means
    /// online and batch have both seen the whole log; the chart is sampled once more.
    pub fn drain_message(&mut self, store: &EventStore, ran: u64, drained: bool) -> String {
        if drained && self.batch_every > 0 && self.batch_is_behind(store) {
            self.continue_batch(store);
        }
        self.record_chart_point();
        if drained {
            format!(
                "Drained in {} ticks: every partition's lag is 0.",
                group(ran)
            )
        } else {
            format!(
                "Stopped draining after {} ticks without getting any further: with a crash rate of {}% the consumers crash before they commit. Lower it and drain again.",
                group(ran),
                self.config.crash_rate
            )
        }
    }

    fn after_tick(&mut self, store: &EventStore) {
        let tick = self.pipeline.tick();
        if self.batch_every > 0
            && tick.is_multiple_of(self.batch_every)
            && self.batch_is_behind(store)
        {
            self.continue_batch(store);
        }
        if tick.is_multiple_of(self.chart_stride) {
            self.record_chart_point();
        }
    }

    fn record_chart_point(&mut self) {
        self.chart.push(ChartPoint {
            tick: self.pipeline.tick(),
            online: self.pipeline.projection().chart_values(),
            batch: self.batch.chart_values(),
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

    /// Whether the scheduled batch run has something to do: events it has not seen, or read-model
    /// settings it was not built with.
    fn batch_is_behind(&self, store: &EventStore) -> bool {
        self.batch_at != store.head() || self.batch_settings != self.settings()
    }

    /// Runs the batch projection over the whole log now.
    fn run_batch(&mut self, store: &EventStore) {
        self.batch_settings = self.settings();
        self.batch = run_batch(
            self.template.fresh(&self.batch_settings),
            store,
            store.head(),
        );
        self.batch_at = store.head();
        self.batch_tick = Some(self.pipeline.tick());
    }

    /// The scheduled batch run: the same fold in log order, so it carries on from where the last
    /// run stopped — equal to a run from position 1 over the same log, at the cost of the new events
    /// only. With other read-model settings than last time it starts over.
    fn continue_batch(&mut self, store: &EventStore) {
        if self.batch_settings != self.settings() || self.batch_at > store.head() {
            return self.run_batch(store);
        }
        let batch = &mut self.batch;
        store.for_each_in(self.batch_at + 1, store.head(), |event| batch.apply(event));
        self.batch_at = store.head();
        self.batch_tick = Some(self.pipeline.tick());
    }

    /// The pipeline (online side).
    pub fn pipeline(&self) -> &Pipeline<ReadModels> {
        &self.pipeline
    }

    /// The first entries of the dead-letter queue in log order (at most [`DEAD_LETTERS_SHOWN`]),
    /// with their events.
    pub fn dead_letter_views(&self, store: &EventStore) -> Vec<DeadLetterView> {
        self.pipeline
            .dead_letters()
            .take(DEAD_LETTERS_SHOWN)
            .map(|d| {
                let event = store.get(d.record.position);
                DeadLetterView {
                    position: d.record.position,
                    event_type: event
                        .as_ref()
                        .map_or_else(String::new, |e| e.event_type().to_owned()),
                    stream: event
                        .as_ref()
                        .map_or_else(String::new, |e| e.stream_id.to_string()),
                    consumer: d.consumer + 1,
                    attempts: d.attempts,
                    failure: d.failure,
                    tick: d.tick,
                    held: self.pipeline.held_behind(d.record.position),
                }
            })
            .collect()
    }

    /// What the chosen outage is doing, if the failure mode is an outage.
    pub fn outage_status(&self) -> Option<String> {
        let until = self.config.outage_until()?;
        let now = self.pipeline.tick();
        Some(if now + 1 < until {
            format!(
                "Outage: every attempt fails until tick {} ({} left).",
                group(until),
                count(until - now - 1, "tick")
            )
        } else {
            format!(
                "The outage ended at tick {}: Retry all sends what it dead-lettered back through the consumers.",
                group(until)
            )
        })
    }

    /// The batch read models as last run.
    pub fn batch(&self) -> &ReadModels {
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

    /// Playing?
    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Ticks per second while playing.
    pub fn speed(&self) -> u32 {
        self.speed
    }

    /// Every series the chart can follow.
    pub fn all_series(&self) -> Vec<ChartSeries> {
        self.template.chart_series()
    }

    /// The series the chart follows.
    pub fn chart_series(&self) -> ChartSeries {
        self.template
            .chart_series()
            .get(self.chart_value)
            .copied()
            .unwrap_or(ChartSeries {
                code: "",
                label: "(nothing to chart)",
                money: false,
            })
    }

    /// The chart's samples, oldest first.
    pub fn chart(&self) -> &[ChartPoint] {
        &self.chart
    }

    /// The chart as SVG polyline points (`"x,y x,y …"`) for online and batch, scaled into
    /// `width` × `height` with y growing downwards, plus the value range shown.
    pub fn chart_lines(&self, width: f64, height: f64) -> ChartLines {
        let index = self.chart_value;
        let value = |v: &[i64]| v.get(index).copied().unwrap_or(0);
        let (first, last) = match (self.chart.first(), self.chart.last()) {
            (Some(a), Some(b)) => (a.tick, b.tick),
            _ => (0, 0),
        };
        let all = self
            .chart
            .iter()
            .flat_map(|p| [value(&p.online), value(&p.batch)]);
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
                .map(|p| format!("{},{}", tenths(x(p.tick)), tenths(y(pick(p)))))
                .collect::<Vec<_>>()
                .join(" ")
        };
        ChartLines {
            series: self.chart_series(),
            online: line(&|p| value(&p.online)),
            batch: line(&|p| value(&p.batch)),
            min,
            max,
            first_tick: first,
            last_tick: last,
        }
    }

    /// True when everything appended has gone through the pipeline.
    pub fn is_drained(&self, store: &EventStore) -> bool {
        self.pipeline.is_drained(store)
    }

    /// Rows where online and batch differ, with reasons (computed once per state of the two).
    pub fn differences(&self, store: &EventStore) -> Rc<Differences> {
        let key = (
            self.pipeline.tick(),
            store.head(),
            self.batch_at,
            self.replays,
            self.pipeline.actions(),
        );
        if let Some((cached_key, cached)) = self.differences.borrow().as_ref() {
            if *cached_key == key {
                return Rc::clone(cached);
            }
        }
        let mut touches = self.touches.borrow_mut();
        if touches.0 != self.replays {
            *touches = (self.replays, TouchIndex::default());
        }
        touches.1.catch_up(self.pipeline.projection(), store);
        let fresh = Rc::new(differences(
            &self.pipeline,
            &self.batch,
            self.batch_at,
            store,
            &touches.1,
        ));
        *self.differences.borrow_mut() = Some((key, Rc::clone(&fresh)));
        fresh
    }

    /// Whether online and batch agree, and whether anything is still in flight.
    pub fn convergence(&self, store: &EventStore) -> Convergence {
        let rows = self.differences(store).len();
        let backlog = self.pipeline.backlog(store);
        match (self.is_drained(store), rows) {
            (true, 0) => Convergence::Converged,
            (true, rows) => Convergence::DifferDrained { rows },
            (false, 0) => Convergence::EqualInFlight { backlog },
            (false, rows) => Convergence::DifferInFlight { rows, backlog },
        }
    }
}
