//! The playground's state and every action a user can take on it, as a reducer.
//!
//! The UI renders the view models returned here and turns DOM events into [`Action`]s; nothing in this
//! module knows about the browser, so every interaction is testable natively.

mod generator;
mod streaming;
mod timeline;
mod views;

pub use generator::{
    group, parse_count, parse_late_share, CountError, Generator, GENERATE_CHUNK, MAX_GENERATE,
};

pub use streaming::{
    ChartLines, ChartPoint, ChartValue, Setting, StreamAction, Streaming, MAX_DRAIN_TICKS,
};
pub use timeline::TimelineCursor;
pub use views::{
    AccountOption, AccountView, ChangedFields, EnvelopeView, LogRow, Rebuilt, TimelineView,
};

use crate::domain::bank::{Account, AccountCommand, AccountError, Money, OwnerName};
use crate::kernel::{
    AppendOutcome, Clock, CommandError, CommandMeta, EventSourced, Position, SeededRng, StreamId,
    DEFAULT_SNAPSHOT_EVERY,
};
use chrono::{DateTime, Utc};
use generator::{Known, Step};
use std::rc::Rc;

/// Everything a user can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Typing in the "Owner" field.
    EditOwner(String),
    /// Typing in the "Amount" field.
    EditAmount(String),
    /// "Open account": opens an account for the typed owner and selects it.
    OpenAccount,
    /// Choosing an account in the "Account" select, by stream id.
    SelectAccount(String),
    /// "Deposit" the typed amount into the selected account.
    Deposit,
    /// "Withdraw" the typed amount from the selected account.
    Withdraw,
    /// "Close account" on the selected account.
    CloseAccount,
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
    /// Typing in the "Events to generate" field.
    EditGenerateCount(String),
    /// Typing in the "Late share" field (percent of generated events that arrive late).
    EditLateShare(String),
    /// "Generate": start generating the typed number of events.
    StartGenerating,
    /// Generate the next chunk of a run in progress (the UI sends this until the run finishes).
    GenerateChunk,
    /// "Stop generating": end the run, keeping what was generated.
    StopGenerating,
    /// Anything in the online-vs-batch section.
    Stream(StreamAction),
}

/// The playground: a bank of event-sourced accounts plus what the user is looking at.
pub struct Playground {
    bank: EventSourced<Account>,
    /// Every account opened, oldest first, with its "Account" select entry (owners never change).
    accounts: Vec<AccountOption>,
    selected: Option<StreamId>,
    owner_input: String,
    amount_input: String,
    cursor: TimelineCursor,
    inspected: Option<Position>,
    alert: Option<String>,
    status: Option<String>,
    generate_input: String,
    late_share_input: String,
    generator: Option<Generator>,
    clock: Rc<dyn Clock>,
    rng: SeededRng,
    streaming: Streaming,
}

impl std::fmt::Debug for Playground {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Playground")
            .field("bank", &self.bank)
            .field("accounts", &self.accounts.len())
            .field("selected", &self.selected)
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}

impl Playground {
    /// An empty playground; ids are drawn from `seed`, time from `clock`.
    pub fn new(clock: Rc<dyn Clock>, seed: u64) -> Self {
        Self::with_snapshot_interval(clock, seed, DEFAULT_SNAPSHOT_EVERY)
    }

    /// An empty playground snapshotting every `snapshot_every` events per account.
    pub fn with_snapshot_interval(clock: Rc<dyn Clock>, seed: u64, snapshot_every: u64) -> Self {
        Self {
            bank: EventSourced::new(Rc::clone(&clock), seed, snapshot_every),
            accounts: Vec::new(),
            selected: None,
            owner_input: String::new(),
            amount_input: String::new(),
            cursor: TimelineCursor::Live,
            inspected: None,
            alert: None,
            status: None,
            generate_input: "10000".to_owned(),
            late_share_input: "5".to_owned(),
            generator: None,
            clock: Rc::clone(&clock),
            rng: SeededRng::new(seed ^ 0x5EED_0FDA_7A00),
            streaming: Streaming::new(),
        }
    }

    /// Applies one user action. Refused actions set [`Self::alert`] and change nothing else.
    pub fn dispatch(&mut self, action: Action) {
        match action {
            Action::EditOwner(text) => self.owner_input = text,
            Action::EditAmount(text) => self.amount_input = text,
            Action::OpenAccount => self.open_account(),
            Action::SelectAccount(id) => self.select_account(&id),
            Action::Deposit => self.move_money(true),
            Action::Withdraw => self.move_money(false),
            Action::CloseAccount => self.close_account(),
            Action::SeekTimeline(position) => {
                self.cursor = TimelineCursor::seek(position, self.head());
            }
            Action::StepTimeline(delta) => {
                let now = self.cursor.position(self.head());
                let target = now.saturating_add_signed(delta);
                self.cursor = TimelineCursor::seek(target, self.head());
            }
            Action::Inspect(position) => {
                if self.bank.store().get(position).is_some() {
                    self.inspected = Some(position);
                }
            }
            Action::CloseInspector => self.inspected = None,
            Action::DismissAlert => self.alert = None,
            Action::EditGenerateCount(text) => self.generate_input = text,
            Action::EditLateShare(text) => self.late_share_input = text,
            Action::StartGenerating => self.start_generating(),
            Action::GenerateChunk => self.generate_chunk(GENERATE_CHUNK),
            Action::StopGenerating => self.finish_generating(true),
            Action::Stream(action) => match self.streaming.handle(action, self.bank.store()) {
                Ok(news) => {
                    self.alert = None;
                    if news.is_some() {
                        self.status = news;
                    }
                }
                Err(message) => self.refuse(message),
            },
        }
    }

    /// The online-vs-batch side.
    pub fn streaming(&self) -> &Streaming {
        &self.streaming
    }

    fn start_generating(&mut self) {
        if self.generator.is_some() {
            return self
                .refuse("A generation run is already in progress; stop it first.".to_owned());
        }
        let target = match parse_count(&self.generate_input) {
            Ok(n) => n,
            Err(error) => return self.refuse(error.to_string()),
        };
        let late = match parse_late_share(&self.late_share_input) {
            Ok(n) => n,
            Err(message) => return self.refuse(message),
        };
        let seed = self.rng.next_u64();
        // The generator works on accounts of its own, so the user's accounts keep the history they gave them.
        let latest = self.bank.store().get(self.head()).map(|e| e.occurred_at());
        self.generator = Some(Generator::new(
            target,
            seed,
            Vec::new(),
            (self.clock.now(), latest),
            late,
        ));
        self.alert = None;
        self.status = None;
        self.cursor = TimelineCursor::Live;
    }

    /// Generates up to `max` more events of the run in progress.
    fn generate_chunk(&mut self, max: u64) {
        let Some(mut generator) = self.generator.take() else {
            return;
        };
        let mut produced = 0;
        while produced < max && !generator.is_finished() {
            let occurred_at = Some(generator.event_time());
            match generator.next_step(self.accounts.len()) {
                Step::Open(owner) => {
                    if let Ok((stream, _)) = self.open_new_account(owner, occurred_at) {
                        generator.open.push(Known { stream, balance: 0 });
                        generator.record_success();
                        produced += 1;
                    }
                }
                Step::Act(index, command) => {
                    let stream = generator.open[index].stream.clone();
                    if self.execute_at(&stream, &command, occurred_at).is_ok() {
                        let known = &mut generator.open[index];
                        match command {
                            AccountCommand::Deposit { amount } => known.balance += amount.cents(),
                            AccountCommand::Withdraw { amount } => known.balance -= amount.cents(),
                            AccountCommand::CloseAccount => {
                                generator.open.swap_remove(index);
                                self.mark_closed(&stream);
                            }
                            AccountCommand::OpenAccount { .. } => {}
                        }
                        generator.record_success();
                        produced += 1;
                    } else {
                        // The account changed under the generator (a user closed it): forget it.
                        generator.open.swap_remove(index);
                    }
                }
            }
        }
        self.generator = Some(generator);
        if self.generator.as_ref().is_some_and(Generator::is_finished) {
            self.finish_generating(false);
        }
    }

    fn finish_generating(&mut self, stopped: bool) {
        let Some(generator) = self.generator.take() else {
            return;
        };
        if self.selected.is_none() {
            self.selected = self.accounts.first().map(|a| a.stream.clone());
        }
        let verb = if stopped {
            "Stopped after generating"
        } else {
            "Generated"
        };
        self.status = Some(format!(
            "{verb} {} events; the log now holds {} events in {} accounts.",
            group(generator.done()),
            group(self.head()),
            group(self.accounts.len() as u64)
        ));
        self.cursor = TimelineCursor::Live;
    }

    /// Generates `count` events in one go, as "Generate" does chunk by chunk (for benchmarks and
    /// tests; the UI yields to the browser between chunks instead).
    pub fn generate_all(&mut self, count: u64) {
        self.dispatch(Action::EditGenerateCount(count.to_string()));
        self.dispatch(Action::StartGenerating);
        while self.generator.is_some() {
            self.dispatch(Action::GenerateChunk);
        }
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

    fn open_account(&mut self) {
        let owner = match OwnerName::parse(&self.owner_input) {
            Ok(owner) => owner,
            Err(error) => return self.refuse(error.to_string()),
        };
        match self.open_new_account(owner.clone(), None) {
            Ok((stream, outcome)) => {
                self.selected = Some(stream.clone());
                self.owner_input.clear();
                self.succeed(format!(
                    "Opened {stream} for {owner} (event #{}).",
                    outcome.positions.end()
                ));
            }
            Err(error) => self.refuse(error.to_string()),
        }
    }

    /// Opens the next numbered account (`account-N`) for `owner` and lists it.
    fn open_new_account(
        &mut self,
        owner: OwnerName,
        occurred_at: Option<DateTime<Utc>>,
    ) -> Result<(StreamId, AppendOutcome), CommandError<AccountError>> {
        let stream = StreamId::new(format!("account-{}", self.accounts.len() + 1));
        let label = format!("{stream} · {owner}");
        let outcome =
            self.execute_at(&stream, &AccountCommand::OpenAccount { owner }, occurred_at)?;
        self.accounts.push(AccountOption {
            stream: stream.clone(),
            label,
        });
        Ok((stream, outcome))
    }

    /// Runs a command as a new intention; its events happened at `occurred_at` (default: now).
    fn execute_at(
        &mut self,
        stream: &StreamId,
        command: &AccountCommand,
        occurred_at: Option<DateTime<Utc>>,
    ) -> Result<AppendOutcome, CommandError<AccountError>> {
        let command_id = self.bank.next_id();
        let meta = CommandMeta {
            command_id,
            correlation_id: command_id,
            occurred_at,
        };
        self.bank.execute_with(stream, command, meta)
    }

    fn select_account(&mut self, id: &str) {
        match self
            .accounts
            .iter()
            .map(|a| &a.stream)
            .find(|s| s.as_str() == id)
        {
            Some(stream) => {
                self.selected = Some(stream.clone());
                self.alert = None;
            }
            None => self.refuse(format!("There is no account called “{id}”.")),
        }
    }

    fn selected_or_refuse(&mut self) -> Option<StreamId> {
        let selected = self.selected.clone();
        if selected.is_none() {
            self.refuse("Open an account first: there is no account to act on.".to_owned());
        }
        selected
    }

    fn move_money(&mut self, deposit: bool) {
        let Some(stream) = self.selected_or_refuse() else {
            return;
        };
        let amount = match Money::parse_amount(&self.amount_input) {
            Ok(amount) => amount,
            Err(error) => return self.refuse(error.to_string()),
        };
        let (command, verb, preposition) = if deposit {
            (AccountCommand::Deposit { amount }, "Deposited", "into")
        } else {
            (AccountCommand::Withdraw { amount }, "Withdrew", "from")
        };
        match self.bank.execute(&stream, &command) {
            Ok(outcome) => self.succeed(format!(
                "{verb} {amount} {preposition} {stream} (event #{}).",
                outcome.positions.end()
            )),
            Err(error) => self.refuse(error.to_string()),
        }
    }

    fn close_account(&mut self) {
        let Some(stream) = self.selected_or_refuse() else {
            return;
        };
        match self.bank.execute(&stream, &AccountCommand::CloseAccount) {
            Ok(outcome) => {
                self.mark_closed(&stream);
                self.succeed(format!(
                    "Closed {stream} (event #{}).",
                    outcome.positions.end()
                ));
            }
            Err(error) => self.refuse(error.to_string()),
        }
    }

    /// Shows in the "Account" select that `stream` is closed.
    fn mark_closed(&mut self, stream: &StreamId) {
        if let Some(option) = self.accounts.iter_mut().find(|a| &a.stream == stream) {
            option.label.push_str(" (closed)");
        }
    }

    /// A command succeeded: clear the alert, report it, and bring the view back to now so the new event
    /// is seen.
    fn succeed(&mut self, message: String) {
        self.alert = None;
        self.status = Some(message);
        self.cursor = TimelineCursor::Live;
    }

    fn refuse(&mut self, message: String) {
        self.alert = Some(message);
        self.status = None;
    }

    /// The repository of bank accounts (store, snapshots, time travel).
    pub fn bank(&self) -> &EventSourced<Account> {
        &self.bank
    }

    /// Number of events in the log.
    pub fn head(&self) -> Position {
        self.bank.store().head()
    }

    /// The message of the last refused action, if it is still shown.
    pub fn alert(&self) -> Option<&str> {
        self.alert.as_deref()
    }

    /// What the last successful command did.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// What is typed in the "Owner" field.
    pub fn owner_input(&self) -> &str {
        &self.owner_input
    }

    /// What is typed in the "Amount" field.
    pub fn amount_input(&self) -> &str {
        &self.amount_input
    }

    /// The selected account, if any.
    pub fn selected(&self) -> Option<&StreamId> {
        self.selected.as_ref()
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
}
