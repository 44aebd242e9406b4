//! The query side of CQRS: the domains' read models, fed by a checkpointed subscription of their own
//! that trails the log by the "Read model lag", and the queries answered from them — each answer
//! with how fresh it is.

use super::settings::Setting;
use crate::domain::DomainModule;
use crate::format::{count, group, shorten};
use crate::kernel::{EventStore, Position, Subscription};
use crate::readmodel::{Projection, ReadModels};
use crate::view::{QueryAnswer, QueryDef};

/// What the query controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryAction {
    /// "Query": choose a query by its code.
    Choose(String),
    /// Typing in "Query parameter".
    EditParameter(String),
    /// "Run query".
    Run,
    /// "Catch up": fold every event appended so far.
    CatchUp,
    /// "Read model lag" changed to this text.
    SetLag(String),
    /// "Wait for my last write" ticked or unticked.
    WaitForLastWrite(bool),
}

/// A query's answer and the read model position it was answered at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The query's name.
    pub query: &'static str,
    /// The parameter it was asked with.
    pub parameter: String,
    /// The answer.
    pub answer: QueryAnswer,
    /// The read model's position when it answered.
    pub at: Position,
    /// The position of the user's last write it caught up to first (read-your-writes), if it had to.
    pub waited_for: Option<Position>,
}

/// The query side's state.
#[derive(Debug, Clone)]
pub struct QuerySide {
    models: ReadModels,
    subscription: Subscription,
    lag: u64,
    catalog: Vec<(usize, QueryDef)>,
    chosen: usize,
    parameter: String,
    wait_for_last_write: bool,
    answer: Option<Answered>,
}

impl QuerySide {
    /// A query side over `models` (empty, at position 0) answering the domains' queries.
    pub fn new(models: ReadModels, modules: &[Box<dyn DomainModule>]) -> Self {
        let catalog: Vec<(usize, QueryDef)> = modules
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.queries().iter().map(move |q| (i, *q)))
            .collect();
        Self {
            models,
            subscription: Subscription::from_start(),
            lag: Setting::ReadModelLag.def().default,
            catalog,
            chosen: 0,
            parameter: String::new(),
            wait_for_last_write: false,
            answer: None,
        }
    }

    /// Every query, with the index of the domain that answers it.
    pub fn catalog(&self) -> &[(usize, QueryDef)] {
        &self.catalog
    }

    /// The chosen query.
    pub fn chosen(&self) -> Option<&QueryDef> {
        self.catalog.get(self.chosen).map(|(_, q)| q)
    }

    /// What is typed in "Query parameter".
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// The read model lag, in events.
    pub fn lag(&self) -> u64 {
        self.lag
    }

    /// Whether a query first catches up to the user's last write.
    pub fn waits_for_last_write(&self) -> bool {
        self.wait_for_last_write
    }

    /// The last answer.
    pub fn answer(&self) -> Option<&Answered> {
        self.answer.as_ref()
    }

    /// The read models as they stand.
    pub fn models(&self) -> &ReadModels {
        &self.models
    }

    /// The position the read models have folded up to.
    pub fn position(&self) -> Position {
        self.subscription.next_position() - 1
    }

    /// Folds the log up to `target` (never backwards).
    fn advance_to(&mut self, store: &EventStore, target: Position) {
        let wanted = target.min(store.head()).saturating_sub(self.position());
        if wanted == 0 {
            return;
        }
        let from = self.subscription.next_position();
        let models = &mut self.models;
        store.for_each_in(from, from + wanted - 1, |event| models.apply(event));
        self.subscription = Subscription::from_position(from + wanted);
    }

    /// After an append: trail the log by the lag (0 = caught up, like an inline projection).
    pub fn follow(&mut self, store: &EventStore) {
        self.advance_to(store, store.head().saturating_sub(self.lag));
    }

    /// Applies an action. `last_write` is the position of the user's last command.
    pub fn handle(
        &mut self,
        action: QueryAction,
        store: &EventStore,
        modules: &[Box<dyn DomainModule>],
        last_write: Option<Position>,
    ) -> Result<Option<String>, String> {
        match action {
            QueryAction::Choose(code) => {
                let index = self
                    .catalog
                    .iter()
                    .position(|(_, q)| q.id == code.trim())
                    .ok_or_else(|| {
                        let codes: Vec<&str> = self.catalog.iter().map(|(_, q)| q.id).collect();
                        format!(
                            "Query must be one of {}, not “{}”.",
                            codes.join(", "),
                            shorten(&code)
                        )
                    })?;
                if index != self.chosen {
                    self.chosen = index;
                    self.parameter.clear();
                }
                Ok(None)
            }
            QueryAction::EditParameter(text) => {
                self.parameter = text;
                Ok(None)
            }
            QueryAction::SetLag(text) => {
                self.lag = Setting::ReadModelLag.def().parse_number(&text)?;
                self.follow(store);
                Ok(None)
            }
            QueryAction::WaitForLastWrite(on) => {
                self.wait_for_last_write = on;
                Ok(None)
            }
            QueryAction::CatchUp => {
                let from = self.position();
                self.advance_to(store, store.head());
                Ok(Some(format!(
                    "The query side caught up: {} folded, read model at #{}.",
                    count(self.position() - from, "event"),
                    group(self.position())
                )))
            }
            QueryAction::Run => self.run(store, modules, last_write),
        }
    }

    fn ask(
        &self,
        store: &EventStore,
        modules: &[Box<dyn DomainModule>],
    ) -> Result<(QueryDef, QueryAnswer), String> {
        let (domain, def) = *self
            .catalog
            .get(self.chosen)
            .ok_or_else(|| "There is no query to run: no domain offers one.".to_owned())?;
        let models = self
            .models
            .domain(domain)
            .ok_or_else(|| format!("The read models of {} are missing.", def.label))?;
        let answer = modules
            .get(domain)
            .and_then(|m| m.run_query(def.id, &self.parameter, models, store))
            .ok_or_else(|| format!("{} cannot be answered.", def.label))??;
        Ok((def, answer))
    }

    fn run(
        &mut self,
        store: &EventStore,
        modules: &[Box<dyn DomainModule>],
        last_write: Option<Position>,
    ) -> Result<Option<String>, String> {
        // A bad parameter is refused before anything moves.
        let mut asked = self.ask(store, modules)?;
        let mut waited_for = None;
        if self.wait_for_last_write {
            if let Some(write) = last_write.filter(|&w| w > self.position()) {
                self.advance_to(store, write);
                waited_for = Some(write);
                // Asked again, of the read models now caught up.
                asked = self.ask(store, modules)?;
            }
        }
        let (def, answer) = asked;
        self.answer = Some(Answered {
            query: def.label,
            parameter: self.parameter.trim().to_owned(),
            answer,
            at: self.position(),
            waited_for,
        });
        Ok(None)
    }

    /// How fresh the answer (or, before any, the read model) is: "read model at #p, log at #N: k
    /// events behind" or "… up to date".
    pub fn freshness(&self, head: Position) -> String {
        let at = self.answer.as_ref().map_or(self.position(), |a| a.at);
        let behind = head.saturating_sub(at);
        let state = if behind == 0 {
            "up to date".to_owned()
        } else {
            format!("{} behind", count(behind, "event"))
        };
        let mut text = format!(
            "{} at #{}, log at #{}: {state}",
            if self.answer.is_some() {
                "Answered from the read model"
            } else {
                "Read model"
            },
            group(at),
            group(head)
        );
        if let Some(write) = self.answer.as_ref().and_then(|a| a.waited_for) {
            text.push_str(&format!(
                ". It caught up to your last write (#{}) before answering",
                group(write)
            ));
        }
        text.push('.');
        text
    }
}
