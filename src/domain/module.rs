//! What a domain implements to plug into the playground: the [`DomainModule`] trait.
//!
//! The playground hosts domains it knows nothing about. Through this trait a domain registers its event
//! types, handles the inputs of its command panel, describes its panel, its state as of any position,
//! its payloads, its read models (with their views, comparable rows and chart series), its queries and
//! its part of the load generator. Everything else — the one store, the timeline, the event log, the
//! inspector, the broker simulation, online vs batch, the query side — is domain-independent and works
//! for any domain registered, including one defined outside this crate.

use crate::kernel::{
    Aggregate, CommandMeta, DomainEvent, EventStore, IdGenerator, Position, RecordedEvent,
    Repository, SeededRng, StateAt, StreamId,
};
use crate::readmodel::{DomainReadModels, ReadModelSettings};
use crate::testgen::{aggregate_case, Case, Testable};
use crate::view::{FormView, ModelView, QueryAnswer, QueryDef, Rebuilt, StateView};
use chrono::{DateTime, Utc};
use std::any::Any;

/// Who caused an event: a person at the page, or the load generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command typed or clicked by the user.
    User,
    /// A command of the load generator.
    Generator,
    /// A command a saga handler sent.
    Saga,
    /// An event restored as it was stored (an import).
    Restore,
}

/// What a user did to a domain's command panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormInput {
    /// Typed into a text field, or chose an option of a select (the option's value).
    Edit {
        /// The control's id.
        control: String,
        /// Its new value.
        value: String,
    },
    /// Pressed a button.
    Press {
        /// The button's id.
        control: String,
    },
}

/// What a domain needs to carry out a command: the store, fresh command ids, and the event time.
pub struct CommandContext<'a> {
    /// The one store every domain writes to.
    pub store: &'a mut EventStore,
    ids: &'a mut IdGenerator,
    occurred_at: Option<DateTime<Utc>>,
}

impl<'a> CommandContext<'a> {
    /// A context writing to `store`, drawing command ids from `ids`; events happen at `occurred_at`
    /// (`None` = now).
    pub fn new(
        store: &'a mut EventStore,
        ids: &'a mut IdGenerator,
        occurred_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            store,
            ids,
            occurred_at,
        }
    }

    /// The metadata of a new command that starts an intention of its own.
    pub fn meta(&mut self) -> CommandMeta {
        CommandMeta::new(self.ids.next_uuid()).at(self.occurred_at)
    }
}

/// What a domain gets when it is created: the store to register its event types with, and the
/// snapshot interval.
pub struct Setup<'a> {
    /// The one store.
    pub store: &'a mut EventStore,
    /// Snapshot every this many events per stream (0 = never).
    pub snapshot_every: u64,
    /// The key store of personal data (apart from the log), shared by whoever seals or opens it.
    pub keys: &'a crate::privacy::Keys,
}

/// A domain, as the playground hosts it.
///
/// A reply of `Ok(Some(text))` is news for the status line, `Ok(None)` changes only the panel, and
/// `Err(text)` is an alert: then nothing was appended.
pub trait DomainModule: Any {
    /// A stable key (`bank`), used in actions and element ids.
    fn key(&self) -> &'static str;

    /// The tab's name, e.g. "Bank accounts".
    fn title(&self) -> &'static str;

    /// Whether the domain has a tab of its own in the "Domains" tab list (a process that only
    /// reacts to the others, like the fulfilment saga's process manager, is shown elsewhere).
    fn has_tab(&self) -> bool {
        true
    }

    /// The stream categories the domain writes (`account`), shown with the domain's colour.
    fn categories(&self) -> &'static [&'static str];

    /// The names of every event type the domain writes, for the log's "Event type" filter.
    fn event_types(&self) -> Vec<&'static str>;

    /// An event's payload in a few words, if it is one of this domain's.
    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String>;

    /// Carries out an input of the command panel.
    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String>;

    /// Called for every event appended to the log, by any domain or the generator, in order: keeps
    /// the panel's lists (accounts, customers, …) current.
    fn observe(&mut self, store: &EventStore, event: &RecordedEvent<'_>, origin: Origin);

    /// The command panel.
    fn form(&self, store: &EventStore) -> FormView;

    /// The selected aggregate's state as of `position`.
    fn state(&self, store: &EventStore, position: Position) -> StateView;

    /// Rebuilds `stream` (if it is one of this domain's) as of `position`: how it was rebuilt.
    /// `None` when the stream is not this domain's or had no events by then.
    fn rebuild(&self, store: &EventStore, stream: &StreamId, position: Position)
        -> Option<Rebuilt>;

    /// Empty read models of the domain.
    fn read_models(&self, settings: &ReadModelSettings) -> Box<dyn DomainReadModels>;

    /// The domain's read models (as built online, in batch or for queries) as the panels show them
    /// (`store` numbers the streams the rows are kept by).
    fn model_view(&self, models: &dyn DomainReadModels, store: &EventStore) -> Option<ModelView>;

    /// The queries the domain answers.
    fn queries(&self) -> &'static [QueryDef] {
        &[]
    }

    /// Answers query `id` with `parameter` from the domain's read models; `Err` when the parameter is
    /// not acceptable (saying what is), `None` when the query is not this domain's. `store` numbers the
    /// streams the rows are kept by.
    fn run_query(
        &self,
        _id: &str,
        _parameter: &str,
        _models: &dyn DomainReadModels,
        _store: &EventStore,
    ) -> Option<Result<QueryAnswer, String>> {
        None
    }

    /// "Copy as test": the last command of `stream` (the selected aggregate's when `None`) as of
    /// `position`, as a given/when/then case; `None` when the stream is not the domain's, or the
    /// domain writes no tests. `Err` says why there is no command to copy.
    fn copy_as_test(
        &self,
        _store: &EventStore,
        _stream: Option<&StreamId>,
        _position: Position,
    ) -> Option<Result<Box<dyn Case>, String>> {
        None
    }

    /// How often the generator picks this domain, relative to the others (0 = never).
    fn generator_weight(&self) -> u32 {
        0
    }

    /// A generation run in which this domain will write about `events` events starts: forget what
    /// the last run created.
    fn start_generating(&mut self, _events: u64) {}

    /// Carries out one random but valid command of at most `room` events; returns how many events
    /// it appended (0 when it cannot within `room`).
    fn generate(&mut self, _ctx: &mut CommandContext<'_>, _rng: &mut SeededRng, _room: u64) -> u64 {
        0
    }
}

/// A domain's constructor, as registered.
pub type ModuleFactory = fn(&mut Setup<'_>) -> Box<dyn DomainModule>;

/// The names of `E`'s event types, for [`DomainModule::event_types`].
pub fn type_names<E: DomainEvent>() -> Vec<&'static str> {
    E::TYPES.iter().map(|t| t.name).collect()
}

/// `event`'s payload in a few words, when it is an `E`, for [`DomainModule::describe`].
pub fn describe_as<E: DomainEvent + std::fmt::Display>(
    event: &RecordedEvent<'_>,
) -> Option<String> {
    event.decode::<E>().map(|e| e.to_string())
}

/// The state region `region` of `stream` as of `position`, for [`DomainModule::state`]: the fields
/// `fields` makes of the state, each marked where the event at `position` changed it, and how the
/// state was rebuilt. The state comes back too, for anything more the region shows (a table).
pub fn state_region<A: Aggregate>(
    repo: &Repository<A>,
    store: &EventStore,
    (stream, position): (&StreamId, Position),
    region: &str,
    fields: impl Fn(Option<&StateAt<A>>) -> Vec<(&'static str, String)>,
) -> (StateView, Option<StateAt<A>>) {
    let now = repo.state_at(store, stream, position);
    let before = (position > 0).then(|| repo.state_at(store, stream, position - 1));
    let mut view = StateView::compare(
        region,
        stream.as_str(),
        fields(now.as_ref()),
        before.map(|b| fields(b.as_ref())),
    );
    view.rebuilt = now.as_ref().map(Rebuilt::from_state);
    (view, now)
}

/// How `stream`'s state as of `position` is rebuilt by `repo` (for [`DomainModule::rebuild`]); `None`
/// when the stream is not of `category` or had no events by then.
pub fn rebuild_with<A: Aggregate>(
    repo: &Repository<A>,
    category: &str,
    store: &EventStore,
    stream: &StreamId,
    position: Position,
) -> Option<Rebuilt> {
    if stream.category() != category {
        return None;
    }
    repo.state_at(store, stream, position)
        .as_ref()
        .map(Rebuilt::from_state)
}

/// [`DomainModule::copy_as_test`] for an aggregate kept by `repo` in streams of `category`:
/// `stream`, or else the `selected` one.
pub fn copy_with<A: Testable + 'static>(
    repo: &Repository<A>,
    category: &str,
    store: &EventStore,
    (stream, selected): (Option<&StreamId>, Option<&StreamId>),
    position: Position,
) -> Option<Result<Box<dyn Case>, String>> {
    let Some(stream) = stream.or(selected) else {
        return Some(Err(format!(
            "There is no {category} to copy a test of yet: choose one first."
        )));
    };
    (stream.category() == category).then(|| {
        aggregate_case(repo, store, stream, position).map(|case| Box::new(case) as Box<dyn Case>)
    })
}

/// A stream id typed by a user, `<category>-<number>` (`order-12`), for a query parameter; refused,
/// saying what is accepted, when it is anything else.
pub fn parse_stream_id(text: &str, category: &str) -> Result<StreamId, String> {
    let text = text.trim();
    match text
        .strip_prefix(category)
        .and_then(|r| r.strip_prefix('-'))
    {
        Some(n) if !n.is_empty() && n.len() <= 10 && n.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(StreamId::new(text))
        }
        _ => {
            let article = if category.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            Err(format!(
                "“{}” is not {article} {category} id: enter one such as {category}-1.",
                crate::format::shorten(text)
            ))
        }
    }
}
