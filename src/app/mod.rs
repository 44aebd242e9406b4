//! The playground's state and every action a user can take on it, as a reducer.
//!
//! The playground is a composition of features over one event store: the domains (each a plug-in with
//! its own panel), the timeline, the event log with its filters, the inspector, the load generator,
//! the query side, and online vs batch. The UI renders the view models returned here and turns DOM
//! events into [`Action`]s; nothing in this module knows about the browser, so every interaction is
//! testable natively.

mod branches;
mod copy_test;
mod generator;
mod log;
pub mod metrics;
mod processing;
mod queries;
mod rebuild;
mod sagas;
mod schemas;
mod sections;
pub mod settings;
pub mod share;
mod storage;
mod streaming;
mod timeline;
mod transfer;
mod views;

pub use branches::{
    BranchAction, BranchInfo, BranchesView, ComparedRow, ComparisonView, MAIN, MAX_NAME_CHARS,
};
pub use copy_test::{CopiedTest, CopyTestAction, TestTarget};
pub use generator::{Generator, GENERATE_CHUNK};
pub use log::{parse_since, LogAction, LogFilter, StreamFilter};
pub use metrics::{Alert, AlertKind, MetricView, Metrics, Sample, Severity, Thresholds};
pub use processing::{Processing, TopologyNode, TopologyView};
pub use queries::{Answered, QueryAction, QuerySide};
pub use sagas::{
    GraphEdgeView, GraphNodeView, GraphView, SagaAction, SagaDetail, SagaRow, SagaSide, StepLine,
    StepMark, GRAPH_ROW,
};
pub use schemas::{
    stored_json, EvolvingType, RegistryType, RegistryVersion, SchemaAction, StoredAndUpcast,
    UpcastStep,
};
pub use sections::{Panel, Section, Theme};
pub use settings::{Setting, SettingValue};
pub use share::{read_link, Entry, Recorded, Scenario, ShareAction, ShareView, LINK_FORMAT};
pub use storage::{SaveWork, StorageAction, StorageView, Stored, BATCHES_PER_SAVE};
pub use streaming::{
    ChartLines, ChartPoint, Convergence, DeadLetterView, DrainWatch, StreamAction, Streaming,
    DEAD_LETTERS_SHOWN, MAX_ADVANCE, MAX_DRAIN_TICKS, REPLAY_NEEDS_A_LOG,
};
pub use timeline::TimelineCursor;
pub use transfer::{
    ExportFile, FileBytes, PendingImport, Progress, TransferAction, EXPORT_CHUNK, IMPORT_CHUNK,
};
pub use views::{DomainTab, EnvelopeView, LogRow, TimelineView};

use crate::domain::{CommandContext, DomainModule, FormInput, Origin, Registry, Setup};
use crate::format::{count, group};
use crate::kernel::{
    Clock, EventStore, FastMap, HeldClock, IdGenerator, Position, SeededRng, DEFAULT_SNAPSHOT_EVERY,
};
use crate::process::{SagaStatus, Sagas};
use crate::readmodel::{ReadModelSettings, ReadModels};
use std::rc::Rc;

/// What the load generator's controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateAction {
    /// Typing in "Events to generate".
    EditCount(String),
    /// Typing in "Late share" (percent of generated events that happened late).
    EditLateShare(String),
    /// "Generate": start generating the typed number of events.
    Start,
    /// Generate the next chunk of a run in progress (the UI sends this until the run finishes).
    Chunk,
    /// "Stop generating": end the run, keeping what was generated.
    Stop,
}

/// Everything a user can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// An input of a domain's command panel.
    Domain {
        /// The domain's key (`bank`, `customers`, …).
        domain: String,
        /// What was done.
        input: FormInput,
    },
    /// Choosing a tab of the "Domains" tab list, by the domain's key.
    SelectTab(String),
    /// Move the timeline to a position (clamped to 0…head; the head means "follow live").
    SeekTimeline(Position),
    /// Move the timeline by a number of events (negative = back).
    StepTimeline(i64),
    /// Show the whole envelope of the event at a position.
    Inspect(Position),
    /// Hide the envelope panel.
    CloseInspector,
    /// Hide the current alert.
    DismissAlert,
    /// Anything of the load generator.
    Generate(GenerateAction),
    /// Anything of the event log's filter.
    Log(LogAction),
    /// Anything of the query side.
    Query(QueryAction),
    /// Anything in the online-vs-batch section.
    Stream(StreamAction),
    /// Anything in the Sagas region.
    Saga(SagaAction),
    /// An alert threshold's field changed to this text.
    SetAlertThreshold(Setting, String),
    /// A stream processor's setting, or the derived topic shown, changed to this text.
    SetProcessing(Setting, String),
    /// Anything of the Schema versions region, or the log's "Show events as stored".
    Schema(SchemaAction),
    /// "Export events", "Import events" and their progress.
    Transfer(TransferAction),
    /// What the browser keeps between visits, and "Reset playground".
    Storage(StorageAction),
    /// "Copy share link", and opening a link.
    Share(ShareAction),
    /// "Branch here", "Branch name" and the "Branch" select.
    Branch(BranchAction),
    /// "Copy as test" and the test it wrote.
    CopyTest(CopyTestAction),
}

impl Action {
    /// Typing `value` into `control` of `domain`'s panel (or choosing it in a select).
    pub fn edit(domain: &str, control: &str, value: impl Into<String>) -> Self {
        Self::Domain {
            domain: domain.to_owned(),
            input: FormInput::Edit {
                control: control.to_owned(),
                value: value.into(),
            },
        }
    }

    /// Pressing button `control` of `domain`'s panel.
    pub fn press(domain: &str, control: &str) -> Self {
        Self::Domain {
            domain: domain.to_owned(),
            input: FormInput::Press {
                control: control.to_owned(),
            },
        }
    }
}

impl Setting {
    /// The action a changed field of this setting sends (to the sagas or the streaming side).
    pub fn set_action(self, text: String) -> Action {
        if settings::SAGA.contains(&self) {
            Action::Saga(SagaAction::Set(self, text))
        } else if settings::ALERTS.contains(&self) {
            Action::SetAlertThreshold(self, text)
        } else if settings::PROCESSING.contains(&self) || self == Setting::DerivedTopic {
            Action::SetProcessing(self, text)
        } else {
            Action::Stream(StreamAction::Set(self, text))
        }
    }

    /// The action ticking or unticking this checkbox setting sends.
    pub fn toggle_action(self, on: bool) -> Action {
        if settings::SAGA.contains(&self) {
            Action::Saga(SagaAction::Toggle(self, on))
        } else {
            Action::Stream(StreamAction::Toggle(self, on))
        }
    }
}

/// Counters bumped when a part of the page changes, so each panel re-renders only when it must (a
/// Play tick re-renders the online-vs-batch section, not the domains' panels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Revisions {
    /// The domains' panels (inputs, selections, tabs).
    pub domains: u64,
    /// The event log's filter.
    pub log: u64,
    /// The generator panel.
    pub generator: u64,
    /// The query side.
    pub queries: u64,
    /// The online-vs-batch section.
    pub streaming: u64,
    /// The Sagas region.
    pub sagas: u64,
    /// The Metrics and Alerts regions' settings.
    pub metrics: u64,
    /// The Topology region.
    pub processing: u64,
    /// The Schema versions region and the log's stored view.
    pub schemas: u64,
    /// The export and import controls.
    pub transfer: u64,
}

impl Revisions {
    /// All counters added up: it moves whenever any of them does.
    pub fn sum(&self) -> u64 {
        self.domains
            + self.log
            + self.generator
            + self.queries
            + self.streaming
            + self.sagas
            + self.metrics
            + self.processing
            + self.schemas
            + self.transfer
    }

    /// Every counter moved on: the whole page redraws (the playground was replaced).
    pub fn bump_all(&mut self) {
        for r in [
            &mut self.domains,
            &mut self.log,
            &mut self.generator,
            &mut self.queries,
            &mut self.streaming,
            &mut self.sagas,
            &mut self.metrics,
            &mut self.processing,
            &mut self.schemas,
            &mut self.transfer,
        ] {
            *r += 1;
        }
    }
}

/// What a playground was made from, so that an import can make a fresh one like it.
#[derive(Debug, Clone)]
struct Made {
    registry: Registry,
    seed: u64,
    snapshot_every: u64,
}

impl Made {
    /// A new, empty playground like the one made from this.
    fn fresh(&self, clock: Rc<dyn Clock>) -> Playground {
        Playground::with_registry(clock, self.seed, &self.registry, self.snapshot_every)
    }
}

/// One consumer group's figures for the metrics.
#[derive(Debug, Clone, Copy, Default)]
struct GroupFigures {
    /// Shown on the dashboard (a saga handler's only once a saga of its style ran).
    used: bool,
    counters: crate::sim::Counters,
    lag: u64,
    dead_letters: u64,
}

/// The consumer groups the metrics follow: the read models', each saga handler's, the stream
/// processors'.
fn metric_groups() -> [&'static str; metrics::GROUPS] {
    let mut names = ["read-models"; metrics::GROUPS];
    for (i, handler) in crate::process::Handler::ALL.iter().enumerate() {
        names[i + 1] = handler.group();
    }
    names[metrics::GROUPS - 1] = processing::GROUP;
    names
}

/// The playground: one event store shared by every domain, and everything a user looks at.
pub struct Playground {
    store: EventStore,
    modules: Vec<Box<dyn DomainModule>>,
    categories: FastMap<&'static str, usize>,
    ids: IdGenerator,
    clock: Rc<dyn Clock>,
    rng: SeededRng,
    tab: usize,
    cursor: TimelineCursor,
    inspected: Option<Position>,
    alert: Option<String>,
    status: Option<String>,
    log: LogFilter,
    generate_input: String,
    late_share_input: String,
    generator: Option<Generator>,
    queries: QuerySide,
    streaming: Streaming,
    sagas: Sagas,
    saga_side: sagas::SagaSide,
    last_write: Option<Position>,
    revisions: Revisions,
    metrics: Metrics,
    processing: Processing,
    /// Events replayed by the last seek of the timeline (the replay-cost metric).
    last_seek: u64,
    /// The event log shows payloads as stored rather than as upcast.
    show_stored: bool,
    /// The customers' keys, apart from the log.
    keys: crate::privacy::Keys,
    /// What it was made from.
    made: Made,
    /// The export being written, or written and not yet saved.
    export: Option<transfer::Export>,
    /// The import being read, or waiting for confirmation.
    import: Option<transfer::Import>,
    /// Why the last import was refused.
    import_refusal: Option<crate::interop::cloudevents::ImportError>,
    /// The most events and bytes an import accepts.
    import_limits: (u64, usize),
    /// What the browser keeps of it.
    storage: storage::Storage,
    /// The clock the store and the generator read, held at each action's instant.
    time: Rc<HeldClock>,
    /// Refusals so far (an action was refused when this moved).
    refusals: u64,
    /// Scenarios (share links, lessons) opened on this page so far.
    opened: u64,
    /// The actions so far, for a share link.
    journal: share::Journal,
    /// A shared scenario being opened.
    opening: Option<Box<share::Opening>>,
    /// The what-if branches, and which one is on the page.
    branches: branches::Branches,
    /// The tests "Copy as test" wrote.
    copied: copy_test::CopiedTests,
}

impl Playground {
    /// The key store of the customers' personal data (apart from the log).
    pub fn keys(&self) -> &crate::privacy::Keys {
        &self.keys
    }
}

impl std::fmt::Debug for Playground {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Playground")
            .field("store", &self.store)
            .field("domains", &self.modules.len())
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}

impl Playground {
    /// The built-in domains and the fulfilment saga's process manager.
    pub fn hosted() -> Registry {
        Registry::builtin().with(crate::process::module::module)
    }

    /// A playground of the built-in domains and the fulfilment saga; ids are drawn from `seed`,
    /// time from `clock`.
    pub fn new(clock: Rc<dyn Clock>, seed: u64) -> Self {
        Self::with_registry(clock, seed, &Self::hosted(), DEFAULT_SNAPSHOT_EVERY)
    }

    /// The same, snapshotting every `snapshot_every` events per stream.
    pub fn with_snapshot_interval(clock: Rc<dyn Clock>, seed: u64, snapshot_every: u64) -> Self {
        Self::with_registry(clock, seed, &Self::hosted(), snapshot_every)
    }

    /// A playground of the domains in `registry`.
    pub fn with_registry(
        clock: Rc<dyn Clock>,
        seed: u64,
        registry: &Registry,
        snapshot_every: u64,
    ) -> Self {
        let time = Rc::new(HeldClock::new(Rc::clone(&clock)));
        let mut store = EventStore::new(Rc::clone(&time));
        let keys = crate::privacy::Keys::new(seed);
        let modules: Vec<Box<dyn DomainModule>> = {
            let mut setup = Setup {
                store: &mut store,
                snapshot_every,
                keys: &keys,
            };
            registry
                .factories()
                .iter()
                .map(|make| make(&mut setup))
                .collect()
        };
        let mut categories = FastMap::default();
        for (i, module) in modules.iter().enumerate() {
            for category in module.categories() {
                categories.entry(*category).or_insert(i);
            }
        }
        let empty = ReadModels::new(
            modules
                .iter()
                .map(|m| m.read_models(&ReadModelSettings::default()))
                .collect(),
        );
        let streaming = Streaming::new(empty.clone());
        let mut sagas = Sagas::new(streaming.config());
        let processing = Processing::new(streaming.config(), keys.clone());
        sagas.attach(&modules);
        Self {
            queries: QuerySide::new(empty, &modules),
            sagas,
            saga_side: sagas::SagaSide::default(),
            streaming,
            store,
            modules,
            categories,
            ids: IdGenerator::seeded(seed),
            clock,
            rng: SeededRng::new(seed ^ 0x5EED_0FDA_7A00),
            tab: 0,
            cursor: TimelineCursor::Live,
            inspected: None,
            alert: None,
            status: None,
            log: LogFilter::default(),
            generate_input: group(Setting::GenerateCount.def().default).replace(',', ""),
            late_share_input: Setting::LateShare.def().default.to_string(),
            generator: None,
            last_write: None,
            revisions: Revisions::default(),
            metrics: Metrics::new(metric_groups()),
            processing,
            last_seek: 0,
            show_stored: false,
            keys,
            made: Made {
                registry: registry.clone(),
                seed,
                snapshot_every,
            },
            export: None,
            import: None,
            import_refusal: None,
            import_limits: (
                crate::interop::cloudevents::MAX_EVENTS,
                crate::interop::cloudevents::MAX_BYTES,
            ),
            storage: storage::Storage::default(),
            time,
            refusals: 0,
            opened: 0,
            journal: share::Journal::default(),
            opening: None,
            branches: branches::Branches::default(),
            copied: copy_test::CopiedTests::default(),
        }
    }

    /// Applies one user action. Refused actions set [`Self::alert`] and change nothing else.
    pub fn dispatch(&mut self, action: Action) {
        if self.storage_loading() && !matches!(action, Action::Storage(_) | Action::DismissAlert) {
            return self.refuse(
                "The playground is still loading what this browser kept; try again in a moment."
                    .to_owned(),
            );
        }
        if self.opening_link()
            && !matches!(
                action,
                Action::Share(_) | Action::Storage(_) | Action::DismissAlert
            )
        {
            return self
                .refuse("A shared scenario is being opened; try again once it is.".to_owned());
        }
        if share::journaled(&action) {
            self.act(action, None);
        } else {
            self.apply(action);
        }
    }

    /// Carries out an action (recorded for a share link or not).
    fn apply(&mut self, action: Action) {
        match action {
            Action::Domain { domain, input } => {
                self.revisions.domains += 1;
                self.domain_input(&domain, &input);
                if let FormInput::Edit { control, value } = &input {
                    // Main follows the branch's choice of aggregate, for the comparison.
                    self.follow_selection(&domain, control, value);
                }
            }
            Action::SelectTab(key) => {
                self.revisions.domains += 1;
                match self
                    .modules
                    .iter()
                    .position(|m| m.key() == key && m.has_tab())
                {
                    Some(i) => {
                        self.tab = i;
                        self.alert = None;
                    }
                    None => self.refuse(format!(
                        "There is no domain “{}”.",
                        crate::format::shorten(&key)
                    )),
                }
            }
            Action::SeekTimeline(position) => {
                self.cursor = TimelineCursor::seek(position, self.head());
                self.note_seek();
            }
            Action::StepTimeline(delta) => {
                let now = self.cursor.position(self.head());
                let target = now.saturating_add_signed(delta);
                self.cursor = TimelineCursor::seek(target, self.head());
                self.note_seek();
            }
            Action::SetProcessing(setting, text) => {
                self.revisions.processing += 1;
                match self.processing.set(setting, &text) {
                    Ok(news) => {
                        self.alert = None;
                        if news.is_some() {
                            self.status = news;
                        }
                    }
                    Err(message) => self.refuse(message),
                }
            }
            Action::SetAlertThreshold(setting, text) => {
                self.revisions.metrics += 1;
                match self.set_threshold(setting, &text) {
                    Ok(()) => self.alert = None,
                    Err(message) => self.refuse(message),
                }
            }
            Action::Inspect(position) => {
                if self.store.get(position).is_some() {
                    self.inspected = Some(position);
                    // A saga's own event keeps its graph; any other event gets the graph of its own.
                    let saga = self
                        .store
                        .get(position)
                        .and_then(|e| self.sagas.tracker().saga_of(&e));
                    if saga.is_none() || saga != self.saga_side.selected {
                        self.saga_side.graph_follows_saga = false;
                    }
                }
            }
            Action::Schema(action) => {
                self.revisions.schemas += 1;
                match action {
                    SchemaAction::ShowStored(on) => {
                        self.revisions.log += 1;
                        self.show_stored = on;
                    }
                    SchemaAction::DeployNext(name) => match self.deploy_next(&name) {
                        Ok(news) => {
                            self.alert = None;
                            self.status = Some(news);
                        }
                        Err(message) => self.refuse(message),
                    },
                }
            }
            Action::Transfer(action) => {
                self.revisions.transfer += 1;
                self.transfer(action);
            }
            Action::Storage(action) => {
                self.revisions.transfer += 1;
                self.storage_action(action);
            }
            Action::Share(action) => {
                self.revisions.transfer += 1;
                self.share_action(action);
            }
            Action::Branch(action) => {
                self.revisions.bump_all();
                self.branch_action(action);
            }
            Action::CopyTest(action) => {
                match action.target() {
                    TestTarget::Aggregate => self.revisions.domains += 1,
                    TestTarget::ProcessManager => self.revisions.sagas += 1,
                }
                self.copy_test_action(action);
            }
            Action::CloseInspector => self.inspected = None,
            Action::DismissAlert => self.alert = None,
            Action::Generate(action) => {
                self.revisions.generator += 1;
                self.generate(action);
            }
            Action::Log(action) => {
                self.revisions.log += 1;
                let known = self.event_types();
                match self.log.handle(action, &self.store, &known) {
                    Ok(()) => self.alert = None,
                    Err(message) => self.refuse(message),
                }
            }
            Action::Query(action) => {
                self.revisions.queries += 1;
                match self
                    .queries
                    .handle(action, &self.store, &self.modules, self.last_write)
                {
                    Ok(news) => {
                        self.alert = None;
                        if news.is_some() {
                            self.status = news;
                        }
                    }
                    Err(message) => self.refuse(message),
                }
            }
            Action::Stream(StreamAction::Step) => {
                self.revisions.streaming += 1;
                self.run_ticks(1);
            }
            Action::Stream(StreamAction::Advance(ticks)) => {
                self.revisions.streaming += 1;
                self.run_ticks(ticks.min(MAX_ADVANCE));
            }
            Action::Stream(StreamAction::Drain) => {
                self.revisions.streaming += 1;
                self.revisions.sagas += 1;
                self.alert = None;
                self.status = Some(self.drain());
            }
            Action::Saga(action) => {
                self.revisions.sagas += 1;
                match sagas::handle(action, &mut self.sagas, &mut self.saga_side) {
                    Ok(news) => {
                        self.alert = None;
                        if news.is_some() {
                            self.status = news;
                        }
                    }
                    Err(message) => self.refuse(message),
                }
            }
            Action::Stream(action) => {
                self.revisions.streaming += 1;
                let result = self.streaming.handle(action, &self.store);
                self.sagas.reconfigure(self.streaming.config());
                self.processing.reconfigure(self.streaming.config());
                match result {
                    Ok(news) => {
                        self.alert = None;
                        if news.is_some() {
                            self.status = news;
                        }
                    }
                    Err(message) => self.refuse(message),
                }
            }
        }
    }

    /// Runs `ticks` ticks of the broker: the read models' pipeline and every saga handler's group,
    /// and whatever the handlers append is observed like any other write.
    fn run_ticks(&mut self, ticks: u64) {
        for _ in 0..ticks {
            self.tick_once();
        }
    }

    // Not inlined: three callers would each get a copy of the whole tick.
    #[inline(never)]
    fn tick_once(&mut self) {
        if self.metrics.samples().is_empty() {
            // Where the first tick's changes are counted from.
            let baseline = self.sample();
            self.metrics.record(baseline);
        }
        self.streaming.step_tick(&self.store);
        self.processing.step_tick(&self.store);
        let before = self.store.head();
        self.sagas.step(&mut self.store, &mut self.modules);
        self.after_append(before, Origin::Saga);
        let sample = self.sample();
        self.metrics.record(sample);
    }

    /// Each consumer group's figures, in the order of [`metric_groups`]: the read models', each
    /// saga handler's, the stream processors'.
    fn group_figures(&self) -> [GroupFigures; metrics::GROUPS] {
        fn of<P: Clone + crate::readmodel::Projection>(
            used: bool,
            p: &crate::sim::Pipeline<P>,
        ) -> GroupFigures {
            GroupFigures {
                used,
                counters: p.counters(),
                lag: p.lag(),
                dead_letters: p.dead_letter_count() as u64,
            }
        }
        let mut figures = [GroupFigures::default(); metrics::GROUPS];
        figures[0] = of(true, self.streaming.pipeline());
        let styles = self.sagas.styles_used();
        for (slot, g) in figures[1..metrics::GROUPS - 1]
            .iter_mut()
            .zip(self.sagas.groups())
        {
            *slot = of(styles.contains(&g.handler.style()), &g.pipeline);
        }
        figures[metrics::GROUPS - 1] = of(true, self.processing.pipeline());
        figures
    }

    /// The counters now: every consumer group's, the sagas', the store's.
    pub fn sample(&self) -> Sample {
        let online = self.streaming.pipeline();
        let mut sample = Sample {
            tick: online.tick(),
            events: self.store.head(),
            stored_bytes: self.store.stored_bytes(),
            outbox: online.relay_lag(&self.store),
            replay_cost: self.last_seek,
            ..Sample::default()
        };
        for (g, figures) in self.group_figures().into_iter().enumerate() {
            sample.counters += figures.counters;
            sample.dlq_depth += figures.dead_letters;
            sample.lags[g] = figures.lag;
        }
        let t = self.sagas.tracker();
        sample.running = t.count(SagaStatus::Running);
        sample.completed = t.count(SagaStatus::Completed);
        sample.compensated = t.count(SagaStatus::Compensated) + t.count(SagaStatus::TimedOut);
        sample.duration_sum = t.total_duration();
        sample
    }

    /// The metrics and alerts.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Which groups' lag the dashboard shows: the read models' and the stream processors' always,
    /// a saga handler's once a saga of its style ran.
    pub fn metric_groups_used(&self) -> [bool; metrics::GROUPS] {
        self.group_figures().map(|f| f.used)
    }

    /// Every metric now, with sparklines `width` × `height`.
    pub fn metric_views(&self, width: f64, height: f64) -> Vec<MetricView> {
        self.metrics
            .views(&self.sample(), &self.metric_groups_used(), width, height)
    }

    /// Events appended so far by type, most first.
    pub fn event_type_counts(&self) -> Vec<(String, u64)> {
        let counts = self.metrics.type_counts();
        let mut by_type: Vec<(String, u64)> = Vec::new();
        for (id, schema) in self.store.schemas().iter() {
            let n = counts.get(id.index()).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let name = schema.name();
            match by_type.iter_mut().find(|(t, _)| t == name) {
                Some(entry) => entry.1 += n,
                None => by_type.push((name.to_owned(), n)),
            }
        }
        by_type.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        by_type
    }

    /// An alert threshold's value in force.
    pub fn threshold_value(&self, setting: Setting) -> SettingValue {
        let t = self.metrics.thresholds();
        SettingValue::Number(match setting {
            Setting::LagAlert => t.lag,
            Setting::ErrorAlert => t.error_percent,
            Setting::GrowthAlert => t.growth,
            other => other.def().default,
        })
    }

    /// Remembers how many events the state shown at the timeline's position took to rebuild.
    fn note_seek(&mut self) {
        self.last_seek = match self.state_view().and_then(|v| v.rebuilt) {
            Some(crate::view::Rebuilt::FromSnapshot { events, .. })
            | Some(crate::view::Rebuilt::Replayed { events }) => events,
            None => 0,
        };
    }

    /// An alert threshold typed into its field.
    fn set_threshold(&mut self, setting: Setting, text: &str) -> Result<(), String> {
        let n = setting.def().parse_number(text)?;
        let mut t = self.metrics.thresholds();
        match setting {
            Setting::LagAlert => t.lag = n,
            Setting::ErrorAlert => t.error_percent = n,
            Setting::GrowthAlert => t.growth = n,
            other => return Err(format!("{} is not an alert threshold.", other.def().label)),
        }
        self.metrics.set_thresholds(t);
        Ok(())
    }

    /// Events and messages still in flight anywhere: the read models' pipeline and the sagas.
    fn backlog(&self) -> u64 {
        self.streaming.pipeline().backlog(&self.store)
            + self.sagas.backlog(&self.store)
            + self.processing.backlog(&self.store)
    }

    fn is_drained(&self) -> bool {
        self.streaming.is_drained(&self.store)
            && self.sagas.is_drained(&self.store)
            && self.processing.is_drained(&self.store)
    }

    /// The stream processors' side.
    pub fn processing(&self) -> &Processing {
        &self.processing
    }

    /// "Drain": ticks until nothing is in flight, the sagas' work included.
    fn drain(&mut self) -> String {
        let mut watch = DrainWatch::new(self.backlog());
        while !self.is_drained() && watch.keep_going() {
            self.tick_once();
            watch.ticked(self.backlog());
        }
        let drained = self.is_drained();
        let mut message = self
            .streaming
            .drain_message(&self.store, watch.ran(), drained);
        let t = self.sagas.tracker();
        if !t.is_empty() {
            message.push_str(&format!(
                " Sagas: {} completed, {} compensated, {} timed out, {} running.",
                group(t.count(SagaStatus::Completed)),
                group(t.count(SagaStatus::Compensated)),
                group(t.count(SagaStatus::TimedOut)),
                group(t.count(SagaStatus::Running)),
            ));
        }
        message
    }

    fn domain_input(&mut self, key: &str, input: &FormInput) {
        let Some(index) = self.modules.iter().position(|m| m.key() == key) else {
            return self.refuse(format!(
                "There is no domain “{}”.",
                crate::format::shorten(key)
            ));
        };
        let before = self.store.head();
        let result = {
            let mut ctx = CommandContext::new(&mut self.store, &mut self.ids, None);
            self.modules[index].handle(input, &mut ctx)
        };
        self.after_append(before, Origin::User);
        let wrote = self.store.head() > before;
        if wrote {
            self.last_write = Some(self.store.head());
            self.cursor = TimelineCursor::Live;
        }
        match result {
            Ok(Some(news)) => {
                self.alert = None;
                self.status = Some(news);
            }
            Ok(None) => self.alert = None,
            Err(message) => self.refuse(message),
        }
    }

    /// Tells every domain, the log filter and the query side about the events appended after
    /// `before`.
    fn after_append(&mut self, before: Position, origin: Origin) {
        let head = self.store.head();
        if head == before {
            return;
        }
        let store = &self.store;
        let modules = &mut self.modules;
        let sagas = &mut self.sagas;
        let mut started = None;
        let metrics = &mut self.metrics;
        store.for_each_in(before + 1, head, |event| {
            for module in modules.iter_mut() {
                module.observe(store, event, origin);
            }
            started = sagas.observe(event).or(started);
            metrics.count_event(event.schema_id);
        });
        // The saga of an order the user just placed is the one they will want to follow.
        if origin == Origin::User && started.is_some() {
            self.saga_side.selected = started;
            self.saga_side.graph_follows_saga = true;
        }
        self.log.catch_up(store);
        self.queries.follow(store);
    }

    fn generate(&mut self, action: GenerateAction) {
        match action {
            GenerateAction::EditCount(text) => self.generate_input = text,
            GenerateAction::EditLateShare(text) => self.late_share_input = text,
            GenerateAction::Start => self.start_generating(),
            GenerateAction::Chunk => self.generate_chunk(GENERATE_CHUNK),
            GenerateAction::Stop => self.finish_generating(true),
        }
    }

    fn start_generating(&mut self) {
        if self.generator.is_some() {
            return self
                .refuse("A generation run is already in progress; stop it first.".to_owned());
        }
        let target = match Setting::GenerateCount
            .def()
            .parse_number(&self.generate_input)
        {
            Ok(n) => n,
            Err(message) => return self.refuse(message),
        };
        let late = match Setting::LateShare
            .def()
            .parse_number(&self.late_share_input)
        {
            Ok(n) => n as u8,
            Err(message) => return self.refuse(message),
        };
        let weights: Vec<u32> = self.modules.iter().map(|m| m.generator_weight()).collect();
        if weights.iter().all(|&w| w == 0) {
            return self.refuse("None of the domains can generate events.".to_owned());
        }
        let seed = self.rng.next_u64();
        let latest = self.store.get(self.head()).map(|e| e.occurred_at());
        let run = Generator::new(target, seed, weights, (self.time.now(), latest), late);
        // The id index takes the run's events without rehashing on the way.
        self.store
            .reserve(usize::try_from(target).unwrap_or_default());
        for (i, module) in self.modules.iter_mut().enumerate() {
            module.start_generating(run.share_of(i));
        }
        self.generator = Some(run);
        self.alert = None;
        self.status = None;
        self.cursor = TimelineCursor::Live;
    }

    /// Generates up to `max` more events of the run in progress.
    fn generate_chunk(&mut self, max: u64) {
        let Some(mut run) = self.generator.take() else {
            return;
        };
        let mut produced = 0;
        while produced < max && !run.is_finished() {
            let occurred_at = Some(run.event_time());
            let before = self.store.head();
            let mut written = 0;
            for domain in run.candidates() {
                let room = run.remaining();
                let mut ctx = CommandContext::new(&mut self.store, &mut self.ids, occurred_at);
                written = self.modules[domain].generate(&mut ctx, &mut run.rng, room);
                if written > 0 {
                    break;
                }
            }
            self.after_append(before, Origin::Generator);
            run.record(written);
            produced += written;
        }
        let finished = run.is_finished();
        self.generator = Some(run);
        if finished {
            self.finish_generating(false);
        }
    }

    fn finish_generating(&mut self, stopped: bool) {
        let Some(run) = self.generator.take() else {
            return;
        };
        let verb = if stopped {
            "Stopped after generating"
        } else {
            "Generated"
        };
        self.status = Some(format!(
            "{verb} {}; the log now holds {} in {}.",
            count(run.done(), "event"),
            count(self.head(), "event"),
            count(self.store.stream_count() as u64, "stream")
        ));
        self.cursor = TimelineCursor::Live;
    }

    /// Generates `count` events in one go, as "Generate" does chunk by chunk (for benchmarks and
    /// tests; the UI yields to the browser between slices of chunks instead).
    pub fn generate_all(&mut self, count: u64) {
        self.dispatch(Action::Generate(GenerateAction::EditCount(
            count.to_string(),
        )));
        self.dispatch(Action::Generate(GenerateAction::Start));
        while self.generator.is_some() {
            self.dispatch(Action::Generate(GenerateAction::Chunk));
        }
    }

    fn refuse(&mut self, message: String) {
        self.refusals += 1;
        self.alert = Some(message);
        self.status = None;
    }

    /// How many scenarios (share links, lessons) this page has opened.
    pub fn scenarios_opened(&self) -> u64 {
        self.opened
    }

    /// A scenario is being opened: waiting for its confirmation, or replaying.
    pub fn is_opening(&self) -> bool {
        self.opening.is_some()
    }

    /// The generation run in progress, if any.
    pub fn generator(&self) -> Option<&Generator> {
        self.generator.as_ref()
    }

    /// What is typed in the "Events to generate" field.
    pub fn generate_input(&self) -> &str {
        &self.generate_input
    }

    /// What is typed in the "Late share" field.
    pub fn late_share_input(&self) -> &str {
        &self.late_share_input
    }

    /// The one event store.
    pub fn store(&self) -> &EventStore {
        &self.store
    }

    /// The domains, in registration order.
    pub fn modules(&self) -> &[Box<dyn DomainModule>] {
        &self.modules
    }

    /// The domain with this key, as its own type.
    pub fn module<T: 'static>(&self) -> Option<&T> {
        self.modules
            .iter()
            .find_map(|m| (m.as_ref() as &dyn std::any::Any).downcast_ref::<T>())
    }

    /// The index of the domain that owns streams of `category`.
    pub fn domain_of_category(&self, category: &str) -> Option<usize> {
        self.categories.get(category).copied()
    }

    /// Every event type of every domain, in domain order.
    pub fn event_types(&self) -> Vec<&'static str> {
        self.modules.iter().flat_map(|m| m.event_types()).collect()
    }

    /// The online-vs-batch side.
    pub fn streaming(&self) -> &Streaming {
        &self.streaming
    }

    /// The sagas.
    pub fn sagas(&self) -> &Sagas {
        &self.sagas
    }

    /// A saga setting's current value.
    pub fn saga_value(&self, setting: Setting) -> SettingValue {
        sagas::value(&self.sagas.settings(), setting)
    }

    /// The selected saga (an index into the sagas' instances).
    pub fn selected_saga(&self) -> Option<u32> {
        self.saga_side.selected
    }

    /// What is typed in "Saga of order".
    pub fn saga_find_input(&self) -> &str {
        &self.saga_side.find
    }

    /// The query side.
    pub fn queries(&self) -> &QuerySide {
        &self.queries
    }

    /// The event log's filter.
    pub fn log_filter(&self) -> &LogFilter {
        &self.log
    }

    /// Number of events in the log.
    pub fn head(&self) -> Position {
        self.store.head()
    }

    /// The position of the user's last write (their last command that appended).
    pub fn last_write(&self) -> Option<Position> {
        self.last_write
    }

    /// The message of the last refused action, if it is still shown.
    pub fn alert(&self) -> Option<&str> {
        self.alert.as_deref()
    }

    /// What the last successful command did.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The index of the domain whose tab is selected.
    pub fn tab(&self) -> usize {
        self.tab
    }

    /// The timeline cursor.
    pub fn cursor(&self) -> TimelineCursor {
        self.cursor
    }

    /// The position the whole view is showing ("after the first p events").
    pub fn position(&self) -> Position {
        self.cursor.position(self.head())
    }

    /// The event whose envelope is shown, if any.
    pub fn inspected(&self) -> Option<Position> {
        self.inspected
    }

    /// The change counters of the page's parts.
    pub fn revisions(&self) -> Revisions {
        self.revisions
    }
}
