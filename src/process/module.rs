//! The process manager's events in the playground: the `fulfilment` streams are described in the
//! log, rebuilt by the timeline and inspector like any stream, and their state is shown for the
//! selected saga — but the process has no command panel of its own: it only reacts.

use super::fulfilment::{Fulfilment, FulfilmentEvent};
use crate::domain::{
    describe_as, rebuild_with, type_names, CommandContext, DomainModule, FormInput, Origin, Setup,
};
use crate::kernel::{EventStore, Position, RecordedEvent, Repository, StateAt, StreamId};
use crate::readmodel::{DomainReadModels, ReadModelSettings};
use crate::view::{FormView, ModelView, Rebuilt, StateView};

/// The module's key.
pub const KEY: &str = "fulfilment";

/// The fulfilment process managers, as a module of the playground.
#[derive(Debug)]
pub struct FulfilmentModule {
    repo: Repository<Fulfilment>,
}

/// Creates the module (the registry's constructor).
pub fn module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(FulfilmentModule {
        repo: Repository::new(setup.store, setup.snapshot_every),
    })
}

impl FulfilmentModule {
    /// The process managers' repository.
    pub fn repository(&self) -> &Repository<Fulfilment> {
        &self.repo
    }

    /// The repository, to record decisions with.
    pub fn repository_mut(&mut self) -> &mut Repository<Fulfilment> {
        &mut self.repo
    }

    /// The process manager of `stream` as of `position`.
    pub fn state_at(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<StateAt<Fulfilment>> {
        self.repo.state_at(store, stream, position)
    }
}

impl DomainModule for FulfilmentModule {
    fn key(&self) -> &'static str {
        KEY
    }

    fn title(&self) -> &'static str {
        "Fulfilment"
    }

    fn has_tab(&self) -> bool {
        false
    }

    fn categories(&self) -> &'static [&'static str] {
        &["fulfilment"]
    }

    fn event_types(&self) -> Vec<&'static str> {
        type_names::<FulfilmentEvent>()
    }

    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        describe_as::<FulfilmentEvent>(event)
    }

    fn handle(
        &mut self,
        _input: &FormInput,
        _ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        Err(
            "The fulfilment process takes no commands: it reacts to the services' events."
                .to_owned(),
        )
    }

    fn observe(&mut self, _store: &EventStore, _event: &RecordedEvent<'_>, _origin: Origin) {}

    fn form(&self, _store: &EventStore) -> FormView {
        FormView::default()
    }

    fn state(&self, _store: &EventStore, _position: Position) -> StateView {
        StateView::nothing(
            "Process manager state",
            "Select an orchestrated saga in the Sagas table to see its process manager.",
        )
    }

    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.repo, "fulfilment", store, stream, position)
    }

    fn read_models(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(super::tracker::SagaCounts::default())
    }

    fn model_view(&self, _models: &dyn DomainReadModels, _store: &EventStore) -> Option<ModelView> {
        None
    }
}
