//! A domain defined here, outside the crate — a counter with Increment and Reset — plugs into the
//! playground through the same registration path as the built-in domains, and is then driven through
//! `Action`s: its commands, the one event log, the timeline, `state_at`, a batch read model, the
//! online pipeline, the log filter and a query.
#![cfg(not(target_arch = "wasm32"))]

use playground::app::{Action, Convergence, LogAction, Playground, QueryAction, StreamAction};
use playground::domain::{
    rebuild_with, state_region, type_names, CommandContext, DomainModule, FormInput, Origin,
    Registry, Setup,
};
use playground::kernel::{
    field, get, put, Aggregate, DecodeError, DomainEvent, EventStore, EventType, Kind, ManualClock,
    Position, RecordedEvent, Repository, SeededRng, StreamId,
};
use playground::readmodel::{same_kind, DomainReadModels, ReadModelSettings, RowId, StreamRows};
use playground::view::{
    ButtonView, Control, FormView, ModelView, QueryAnswer, QueryDef, Rebuilt, Row, Section,
    StateView, TableView,
};
use std::fmt;
use std::rc::Rc;

// ---- The domain: aggregate, commands, events, errors ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CounterCommand {
    Increment,
    Reset,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum CounterEvent {
    Incremented,
    Reset { from: i64 },
}

impl DomainEvent for CounterEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("Incremented", &[]),
        EventType::v1("CounterReset", &[field("from", Kind::Money)]),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::Incremented => 0,
            Self::Reset { .. } => 1,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        if let Self::Reset { from } = self {
            put(out, from);
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        match index {
            0 => get::<()>(data, "Incremented", version).map(|()| Self::Incremented),
            1 => get(data, "CounterReset", version).map(|from| Self::Reset { from }),
            other => Err(DecodeError::UnknownType(other)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AlreadyZero;

impl fmt::Display for AlreadyZero {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("The counter is already at zero.")
    }
}

impl std::error::Error for AlreadyZero {}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Counter {
    value: i64,
}

impl Aggregate for Counter {
    type Command = CounterCommand;
    type Event = CounterEvent;
    type Error = AlreadyZero;

    fn handle(&self, command: &CounterCommand) -> Result<Vec<CounterEvent>, AlreadyZero> {
        match command {
            CounterCommand::Increment => Ok(vec![CounterEvent::Incremented]),
            CounterCommand::Reset if self.value == 0 => Err(AlreadyZero),
            CounterCommand::Reset => Ok(vec![CounterEvent::Reset { from: self.value }]),
        }
    }

    fn apply(&mut self, event: &CounterEvent) {
        match event {
            CounterEvent::Incremented => self.value += 1,
            CounterEvent::Reset { .. } => self.value = 0,
        }
    }
}

// ---- Its read models ----

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CounterModels {
    increments: i64,
    values: StreamRows<i64>,
}

impl DomainReadModels for CounterModels {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        match event.decode::<CounterEvent>() {
            Some(CounterEvent::Incremented) => {
                self.increments += 1;
                *self.values.row_mut(event) += 1;
            }
            Some(CounterEvent::Reset { .. }) => *self.values.row_mut(event) = 0,
            None => {}
        }
    }
    fn fresh(&self, _: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Self::default())
    }
    fn differing_rows(&self, other: &dyn DomainReadModels) -> Vec<RowId> {
        let Some(other) = same_kind::<Self>(other) else {
            return Vec::new();
        };
        let mut rows = self.values.differing(&other.values);
        if self.increments != other.increments {
            rows.push(RowId::Total("Increments"));
        }
        rows
    }
    fn row_label(&self, row: &RowId) -> String {
        match row {
            RowId::Stream(n) => self
                .values
                .by_number(*n)
                .map_or("?".into(), |(id, _)| id.to_string()),
            _ => "Increments".into(),
        }
    }
    fn show_row(&self, row: &RowId) -> String {
        match row {
            RowId::Stream(n) => self
                .values
                .by_number(*n)
                .map_or("—".into(), |(_, v)| v.to_string()),
            _ => self.increments.to_string(),
        }
    }
    fn touched_rows(&self, event: &RecordedEvent<'_>, out: &mut Vec<RowId>) {
        if event.is::<CounterEvent>() {
            out.extend([
                RowId::Stream(event.stream_number),
                RowId::Total("Increments"),
            ]);
        }
    }
}

// ---- The module that hosts it ----

struct CounterModule {
    repo: Repository<Counter>,
    counters: usize,
    selected: Option<StreamId>,
}

fn counter_module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(CounterModule {
        repo: Repository::new(setup.store, setup.snapshot_every),
        counters: 0,
        selected: None,
    })
}

const QUERIES: &[QueryDef] = &[QueryDef {
    id: "counter-value",
    label: "Counter value",
    parameter: "a counter id, such as counter-1",
    example: "counter-1",
}];

impl CounterModule {
    fn fields(at: Option<&playground::kernel::StateAt<Counter>>) -> Vec<(&'static str, String)> {
        let (value, version) = at.map_or((0, 0), |a| (a.state.value, a.version));
        vec![
            ("Value", value.to_string()),
            ("Version", format!("v{version}")),
        ]
    }
}

impl DomainModule for CounterModule {
    fn key(&self) -> &'static str {
        "counter"
    }
    fn title(&self) -> &'static str {
        "Counters"
    }
    fn categories(&self) -> &'static [&'static str] {
        &["counter"]
    }
    fn event_types(&self) -> Vec<&'static str> {
        type_names::<CounterEvent>()
    }
    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        event.decode::<CounterEvent>().map(|e| match e {
            CounterEvent::Incremented => "+1".to_owned(),
            CounterEvent::Reset { from } => format!("from {from}"),
        })
    }
    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        let FormInput::Press { control } = input else {
            return Err("Counters have no fields.".into());
        };
        let stream = match control.as_str() {
            "new" => StreamId::of("counter", self.counters + 1),
            "increment" | "reset" => self.selected.clone().ok_or("Start a counter first.")?,
            other => return Err(format!("No button {other}.")),
        };
        let command = if control == "reset" {
            CounterCommand::Reset
        } else {
            CounterCommand::Increment
        };
        let mut meta = ctx.meta();
        let outcome = self
            .repo
            .execute(ctx.store, &stream, &command, &mut meta)
            .map_err(|e| e.to_string())?;
        self.selected = Some(stream.clone());
        Ok(Some(format!(
            "{stream}: event #{}",
            outcome.positions.end()
        )))
    }
    fn observe(&mut self, _: &EventStore, event: &RecordedEvent<'_>, _: Origin) {
        if event.is::<CounterEvent>() && event.stream_version == 1 {
            self.counters += 1;
        }
    }
    fn form(&self, _: &EventStore) -> FormView {
        FormView {
            sections: vec![Section {
                rows: vec![Row::of(vec![
                    Control::Button(ButtonView::new("new", "New counter")),
                    Control::Button(ButtonView::new("increment", "Increment")),
                    Control::Button(ButtonView::secondary("reset", "Reset")),
                ])],
                ..Section::default()
            }],
        }
    }
    fn state(&self, store: &EventStore, position: Position) -> StateView {
        let Some(stream) = &self.selected else {
            return StateView::nothing("Counter state", "Start a counter.");
        };
        state_region(
            &self.repo,
            store,
            (stream, position),
            "Counter state",
            Self::fields,
        )
        .0
    }
    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.repo, "counter", store, stream, position)
    }
    fn read_models(&self, _: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(CounterModels::default())
    }
    fn model_view(&self, models: &dyn DomainReadModels, _: &EventStore) -> Option<ModelView> {
        let models = same_kind::<CounterModels>(models)?;
        Some(ModelView {
            heading: "Counters".into(),
            totals: vec![("Increments".into(), models.increments.to_string())],
            lists: Vec::new(),
        })
    }
    fn queries(&self) -> &'static [QueryDef] {
        QUERIES
    }
    fn run_query(
        &self,
        id: &str,
        parameter: &str,
        models: &dyn DomainReadModels,
        store: &EventStore,
    ) -> Option<Result<QueryAnswer, String>> {
        if id != "counter-value" {
            return None;
        }
        let models = same_kind::<CounterModels>(models)?;
        let stream = StreamId::new(parameter.trim());
        Some(Ok(match models.values.get(store, &stream) {
            None => QueryAnswer::NotFound(format!("No counter called {stream}.")),
            Some(v) => QueryAnswer::Table(
                TableView::new("Query result", &["Counter", "Value"])
                    .row(vec![stream.to_string(), v.to_string()]),
            ),
        }))
    }
    fn generator_weight(&self) -> u32 {
        5
    }
    fn generate(&mut self, ctx: &mut CommandContext<'_>, rng: &mut SeededRng, room: u64) -> u64 {
        if room == 0 {
            return 0;
        }
        let stream = StreamId::of("counter-gen", rng.below(3));
        let mut meta = ctx.meta();
        u64::from(
            self.repo
                .execute(ctx.store, &stream, &CounterCommand::Increment, &mut meta)
                .is_ok(),
        )
    }
}

// ---- Driving it through the playground ----

fn press(p: &mut Playground, control: &str) {
    p.dispatch(Action::press("counter", control));
}

#[test]
fn a_domain_defined_outside_the_crate_plugs_into_every_part_of_the_playground() {
    let registry = Registry::builtin().with(counter_module);
    let mut p = Playground::with_registry(Rc::new(ManualClock::starting_2026()), 1, &registry, 2);
    let tabs: Vec<&str> = p.tabs().iter().map(|t| t.title).collect();
    assert_eq!(tabs.last(), Some(&"Counters"));
    assert_eq!(tabs.len(), Registry::builtin().factories().len() + 1);
    p.dispatch(Action::SelectTab("counter".into()));
    assert_eq!(
        p.state_view().map(|v| v.region).as_deref(),
        Some("Counter state")
    );

    // Commands, interleaved with another domain's in the one log.
    press(&mut p, "increment");
    assert_eq!(p.alert(), Some("Start a counter first."));
    press(&mut p, "new");
    p.dispatch(Action::edit("bank", "owner", "Ada"));
    p.dispatch(Action::press("bank", "open"));
    press(&mut p, "increment");
    press(&mut p, "increment");
    press(&mut p, "reset");
    press(&mut p, "reset");
    assert_eq!(p.alert(), Some("The counter is already at zero."));
    assert_eq!(p.head(), 5);

    // The event log: every domain's events, positions, categories with the plug-in's colour.
    let rows = p.log_rows(0..10);
    let seen: Vec<(u64, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r.position,
                r.event_type.as_str(),
                r.stream.as_str(),
                r.payload.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, "Incremented", "counter-1", "+1"),
            (2, "AccountOpened", "account-1", "owner: Ada"),
            (3, "Incremented", "counter-1", "+1"),
            (4, "Incremented", "counter-1", "+1"),
            (5, "CounterReset", "counter-1", "from 3"),
        ]
    );
    assert!(rows
        .iter()
        .filter(|r| r.category == "counter")
        .all(|r| r.tone == Some(Registry::builtin().factories().len())));

    // The timeline and state_at (snapshots every 2 events here).
    p.dispatch(Action::SeekTimeline(4));
    let state = p.state_view().expect("state");
    assert_eq!(state.fields[0].value, "3");
    assert!(state.fields[0].changed);
    assert_eq!(
        state.rebuilt,
        Some(Rebuilt::FromSnapshot {
            version: 2,
            events: 1
        })
    );
    assert_eq!(p.seek(&StreamId::new("counter-1"), 3), 2);
    p.dispatch(Action::SeekTimeline(5));

    // A batch read model, and the online one through the broker.
    p.dispatch(Action::Stream(StreamAction::RunBatch));
    let views = p.model_views(p.streaming().batch());
    let counters = views
        .iter()
        .find(|v| v.heading == "Counters")
        .expect("the plug-in's view");
    assert_eq!(counters.totals, [("Increments".to_owned(), "3".to_owned())]);
    assert!(matches!(
        p.streaming().convergence(p.store()),
        Convergence::DifferInFlight { .. }
    ));
    p.dispatch(Action::Stream(StreamAction::Drain));
    assert_eq!(p.streaming().convergence(p.store()), Convergence::Converged);

    // The log filter knows its types, and the query side its query.
    p.dispatch(Action::Log(LogAction::SetType("Incremented".into())));
    assert_eq!(p.log_count(), "3 of 5 events match");
    p.dispatch(Action::Query(QueryAction::Choose("counter-value".into())));
    p.dispatch(Action::Query(QueryAction::EditParameter(
        "counter-1".into(),
    )));
    p.dispatch(Action::Query(QueryAction::Run));
    let answer = p.queries().answer().map(|a| a.answer.clone());
    assert_eq!(
        answer,
        Some(QueryAnswer::Table(
            TableView::new("Query result", &["Counter", "Value"])
                .row(vec!["counter-1".into(), "0".into()])
        ))
    );

    // Its part of the load generator runs with the others.
    p.generate_all(2_000);
    assert!(p
        .store()
        .read_all(1)
        .any(|e| e.stream_id.as_str().starts_with("counter-gen")));
}
