//! The bank as the playground hosts it: its command panel (open, select, deposit, withdraw, close,
//! and the two clerks), its state view, its read models' view, its queries and its generator part.

use super::account::{Account, AccountCommand, AccountError, AccountEvent, AccountStatus};
use super::clerks::{ClerkNotice, Clerks, ExpectedMode};
use super::deposit::Channel;
use super::generator::{BankGenerator, Known, Step};
use super::money::Money;
use super::owner::OwnerName;
use super::read_models::{
    show_account, BankReadModels, ACCOUNTS_OPEN, TOTAL_BALANCE, TOTAL_DEPOSITS,
};
use crate::domain::module::{
    copy_with, describe_as, parse_stream_id, rebuild_with, state_region, type_names,
    CommandContext, DomainModule, FormInput, Origin, Setup,
};
use crate::format::{group, shorten};
use crate::kernel::{
    AppendOutcome, CommandError, EventStore, FastMap, Position, RecordedEvent, Repository,
    SeededRng, StreamId,
};
use crate::readmodel::{same_kind, DomainReadModels, ReadModelSettings};
use crate::testgen::Case;
use crate::view::{
    ButtonView, Control, FormView, ListView, ModelView, QueryAnswer, QueryDef, Rebuilt, Row,
    Section, SelectField, SelectOption, StateView, TableView, TextField,
};

/// The domain's key.
pub const KEY: &str = "bank";

/// The ids of the bank panel's controls.
pub mod controls {
    /// "Owner" text field.
    pub const OWNER: &str = "owner";
    /// "Open account" button.
    pub const OPEN: &str = "open";
    /// "Account" select.
    pub const ACCOUNT: &str = "account";
    /// "Close account" button.
    pub const CLOSE: &str = "close";
    /// "Amount" text field.
    pub const AMOUNT: &str = "amount";
    /// "Deposit" button.
    pub const DEPOSIT: &str = "deposit";
    /// "Channel" select (where a deposit comes in).
    pub const CHANNEL: &str = "channel";
    /// "Withdraw" button.
    pub const WITHDRAW: &str = "withdraw";
    /// "Expected version" select.
    pub const EXPECTED: &str = "expected-version";
    /// "Clerk A loads" / "Clerk B loads".
    pub const LOADS: [&str; 2] = ["clerk-a-load", "clerk-b-load"];
    /// "Clerk A amount" / "Clerk B amount".
    pub const AMOUNTS: [&str; 2] = ["clerk-a-amount", "clerk-b-amount"];
    /// "Clerk A withdraws" / "Clerk B withdraws".
    pub const WITHDRAWS: [&str; 2] = ["clerk-a-withdraw", "clerk-b-withdraw"];
    /// "Retry" after a conflict.
    pub const RETRY: &str = "retry";
}

/// One entry of the "Account" select.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AccountEntry {
    stream: StreamId,
    owner: String,
    closed: bool,
}

/// The bank domain: accounts, the panel's inputs and the clerks.
#[derive(Debug)]
pub struct BankModule {
    repo: Repository<Account>,
    accounts: Vec<AccountEntry>,
    index: FastMap<StreamId, usize>,
    selected: Option<StreamId>,
    owner_input: String,
    amount_input: String,
    channel: Channel,
    clerks: Clerks,
    generator: BankGenerator,
}

/// Creates the bank domain (the registry's constructor).
pub fn module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(BankModule::new(setup))
}

const QUERIES: &[QueryDef] = &[
    QueryDef {
        id: "account-balance",
        label: "Account balance",
        parameter: "an account id, such as account-1",
        example: "account-1",
    },
    QueryDef {
        id: "top-accounts",
        label: "Top accounts",
        parameter: "how many accounts to list, 1 to 100",
        example: "5",
    },
];

const AMOUNT_HINT: &str =
    "up to 1,000,000.00 with at most two decimals, e.g. 12, 12.5 or 12.34; Enter deposits.";

impl BankModule {
    /// An empty bank over the setup's store.
    pub fn new(setup: &mut Setup<'_>) -> Self {
        Self {
            repo: Repository::new(setup.store, setup.snapshot_every),
            accounts: Vec::new(),
            index: FastMap::default(),
            selected: None,
            owner_input: String::new(),
            amount_input: String::new(),
            channel: Channel::default(),
            clerks: Clerks::default(),
            generator: BankGenerator::default(),
        }
    }

    /// The repository of accounts (snapshots, time travel).
    pub fn accounts(&self) -> &Repository<Account> {
        &self.repo
    }

    /// The selected account.
    pub fn selected(&self) -> Option<&StreamId> {
        self.selected.as_ref()
    }

    /// The clerks.
    pub fn clerks(&self) -> &Clerks {
        &self.clerks
    }

    fn execute(
        &mut self,
        ctx: &mut CommandContext<'_>,
        stream: &StreamId,
        command: &AccountCommand,
    ) -> Result<AppendOutcome, CommandError<AccountError>> {
        let mut meta = ctx.meta();
        self.repo.execute(ctx.store, stream, command, &mut meta)
    }

    /// Opens the next numbered account (`account-N`) for `owner`.
    fn open_new_account(
        &mut self,
        ctx: &mut CommandContext<'_>,
        owner: OwnerName,
    ) -> Result<(StreamId, AppendOutcome), CommandError<AccountError>> {
        let stream = StreamId::of("account", self.accounts.len() + 1);
        let outcome = self.execute(ctx, &stream, &AccountCommand::OpenAccount { owner })?;
        Ok((stream, outcome))
    }

    fn selected_or_refuse(&self) -> Result<StreamId, String> {
        self.selected
            .clone()
            .ok_or_else(|| "Open an account first: there is no account to act on.".to_owned())
    }

    fn open_account(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let owner = OwnerName::parse(&self.owner_input).map_err(|e| e.to_string())?;
        let (stream, outcome) = self
            .open_new_account(ctx, owner.clone())
            .map_err(|e| e.to_string())?;
        self.selected = Some(stream.clone());
        self.owner_input.clear();
        Ok(Some(format!(
            "Opened {stream} for {owner} (event #{}).",
            outcome.positions.end()
        )))
    }

    fn move_money(
        &mut self,
        ctx: &mut CommandContext<'_>,
        deposit: bool,
    ) -> Result<Option<String>, String> {
        let stream = self.selected_or_refuse()?;
        let amount = Money::parse_amount(&self.amount_input).map_err(|e| e.to_string())?;
        let (command, verb, preposition) = if deposit {
            (
                AccountCommand::Deposit {
                    amount,
                    channel: self.channel,
                },
                "Deposited",
                "into",
            )
        } else {
            (AccountCommand::Withdraw { amount }, "Withdrew", "from")
        };
        let outcome = self
            .execute(ctx, &stream, &command)
            .map_err(|e| e.to_string())?;
        Ok(Some(format!(
            "{verb} {amount} {preposition} {stream} (event #{}).",
            outcome.positions.end()
        )))
    }

    fn close_account(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let stream = self.selected_or_refuse()?;
        let outcome = self
            .execute(ctx, &stream, &AccountCommand::CloseAccount)
            .map_err(|e| e.to_string())?;
        Ok(Some(format!(
            "Closed {stream} (event #{}).",
            outcome.positions.end()
        )))
    }

    fn select_account(&mut self, id: &str) -> Result<Option<String>, String> {
        match self.accounts.iter().find(|a| a.stream.as_str() == id) {
            Some(entry) => {
                self.selected = Some(entry.stream.clone());
                Ok(None)
            }
            None => Err(format!("There is no account called “{}”.", shorten(id))),
        }
    }

    fn account_label(entry: &AccountEntry) -> String {
        let mut label = format!("{} · {}", entry.stream, entry.owner);
        if entry.closed {
            label.push_str(" (closed)");
        }
        label
    }

    fn state_fields(at: Option<&crate::kernel::StateAt<Account>>) -> Vec<(&'static str, String)> {
        let (account, version) = at.map(|a| (a.state.clone(), a.version)).unwrap_or_default();
        vec![
            (
                "Owner",
                account
                    .owner
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), ToString::to_string),
            ),
            ("Balance", account.balance.to_string()),
            (
                "Status",
                match at {
                    None => AccountStatus::NotOpened.to_string(),
                    Some(_) => account.status.to_string(),
                },
            ),
            ("Version", format!("v{version}")),
        ]
    }

    fn concurrency_section(&self) -> Section {
        let mut rows = vec![Row::of(vec![Control::Select(SelectField {
            id: controls::EXPECTED.to_owned(),
            label: "Expected version".to_owned(),
            options: ExpectedMode::CHOICES
                .iter()
                .map(|(code, label, _)| SelectOption::new(*code, *label))
                .collect(),
            selected: self.clerks.mode.code().to_owned(),
            empty: String::new(),
        })])];
        for (i, clerk) in self.clerks.clerks.iter().enumerate() {
            let loaded = match &clerk.loaded {
                None => format!("{} has not loaded an account.", clerk.name),
                Some(l) => format!(
                    "{} has {} at v{}: balance {}.",
                    clerk.name, l.stream, l.version, l.state.balance
                ),
            };
            rows.push(Row::of(vec![
                Control::Button(ButtonView::secondary(
                    controls::LOADS[i],
                    &format!("{} loads", clerk.name),
                )),
                Control::Output(loaded),
            ]));
            rows.push(Row::submitting(
                controls::WITHDRAWS[i],
                vec![
                    Control::Text(
                        TextField::new(
                            controls::AMOUNTS[i],
                            &format!("{} amount", clerk.name),
                            &clerk.amount,
                        )
                        .placeholder("e.g. 60")
                        .numeric(),
                    ),
                    Control::Button(ButtonView::new(
                        controls::WITHDRAWS[i],
                        &format!("{} withdraws", clerk.name),
                    )),
                ],
            ));
        }
        if let Some(notice) = &self.clerks.notice {
            rows.push(Row::of(vec![match notice {
                ClerkNotice::Conflict { text, .. } => Control::Alert {
                    text: text.clone(),
                    button: Some(ButtonView::new(controls::RETRY, "Retry")),
                },
                ClerkNotice::Refused(text) | ClerkNotice::LostUpdate(text) => Control::Alert {
                    text: text.clone(),
                    button: None,
                },
            }]));
        }
        Section {
            heading: Some("Concurrency".to_owned()),
            region: true,
            intro: Some("Two clerks work on the selected account. Each loads it, decides a withdrawal on what they loaded, and writes it expecting the version they loaded — or any version, with no check.".to_owned()),
            rows,
            table: None,
            hint: None,
        }
    }

    fn generate_step(&mut self, ctx: &mut CommandContext<'_>, rng: &mut SeededRng) -> Option<u64> {
        match self.generator.next_step(rng, self.accounts.len()) {
            Step::Open(owner) => {
                let (stream, _) = self.open_new_account(ctx, owner).ok()?;
                self.generator.open.push(Known { stream, balance: 0 });
                Some(1)
            }
            Step::Act(index, command) => {
                let stream = self.generator.open[index].stream.clone();
                if self.execute(ctx, &stream, &command).is_err() {
                    // The account changed under the generator (a user closed it): forget it.
                    self.generator.open.swap_remove(index);
                    return None;
                }
                let known = &mut self.generator.open[index];
                match command {
                    AccountCommand::Deposit { amount, .. } => known.balance += amount.cents(),
                    AccountCommand::Withdraw { amount } => known.balance -= amount.cents(),
                    AccountCommand::CloseAccount => {
                        self.generator.open.swap_remove(index);
                    }
                    AccountCommand::OpenAccount { .. } => {}
                }
                Some(1)
            }
        }
    }
}

fn day(start: i64) -> String {
    crate::format::month_day_minutes(start)
}

impl DomainModule for BankModule {
    fn key(&self) -> &'static str {
        KEY
    }

    fn title(&self) -> &'static str {
        "Bank accounts"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["account"]
    }

    fn event_types(&self) -> Vec<&'static str> {
        type_names::<AccountEvent>()
    }

    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        describe_as::<AccountEvent>(event)
    }

    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        match input {
            FormInput::Edit { control, value } => {
                match control.as_str() {
                    controls::OWNER => self.owner_input = value.clone(),
                    controls::AMOUNT => self.amount_input = value.clone(),
                    controls::CHANNEL => {
                        self.channel = Channel::CHOSEN
                            .into_iter()
                            .find(|c| c.code() == value)
                            .ok_or_else(|| {
                                format!(
                                    "Channel must be online, teller or atm, not “{}”.",
                                    shorten(value)
                                )
                            })?;
                    }
                    controls::ACCOUNT => return self.select_account(value),
                    controls::EXPECTED => {
                        self.clerks.mode = ExpectedMode::CHOICES
                            .iter()
                            .find(|(code, _, _)| code == value)
                            .map(|&(_, _, mode)| mode)
                            .ok_or_else(|| {
                                format!(
                                    "Expected version must be “exact” or “any”, not “{}”.",
                                    shorten(value)
                                )
                            })?;
                    }
                    other => match controls::AMOUNTS.iter().position(|c| *c == other) {
                        Some(i) => self.clerks.clerks[i].amount = value.clone(),
                        None => return Err(format!("The bank has no field “{}”.", shorten(other))),
                    },
                }
                Ok(None)
            }
            FormInput::Press { control } => match control.as_str() {
                controls::OPEN => self.open_account(ctx),
                controls::DEPOSIT => self.move_money(ctx, true),
                controls::WITHDRAW => self.move_money(ctx, false),
                controls::CLOSE => self.close_account(ctx),
                controls::RETRY => {
                    let mut meta = ctx.meta();
                    Ok(self.clerks.retry(&mut self.repo, ctx.store, &mut meta))
                }
                other => {
                    if let Some(i) = controls::LOADS.iter().position(|c| *c == other) {
                        let stream = self.selected_or_refuse()?;
                        self.clerks.load(i, &self.repo, ctx.store, &stream);
                        return Ok(None);
                    }
                    if let Some(i) = controls::WITHDRAWS.iter().position(|c| *c == other) {
                        let mut meta = ctx.meta();
                        return Ok(self
                            .clerks
                            .withdraw(i, &mut self.repo, ctx.store, &mut meta));
                    }
                    Err(format!("The bank has no button “{}”.", shorten(other)))
                }
            },
        }
    }

    fn observe(&mut self, _store: &EventStore, event: &RecordedEvent<'_>, _origin: Origin) {
        // Only openings and closings change the list: deposits are not even decoded.
        if !matches!(event.type_index::<AccountEvent>(), Some(0 | 3)) {
            return;
        }
        match event.decode::<AccountEvent>() {
            Some(AccountEvent::AccountOpened { owner }) => {
                self.index
                    .insert(event.stream_id.clone(), self.accounts.len());
                self.accounts.push(AccountEntry {
                    stream: event.stream_id.clone(),
                    owner: owner.to_string(),
                    closed: false,
                });
                // Something to look at: the first account opened, until the user picks one.
                if self.selected.is_none() {
                    self.selected = Some(event.stream_id.clone());
                }
            }
            Some(AccountEvent::AccountClosed) => {
                if let Some(&i) = self.index.get(event.stream_id) {
                    self.accounts[i].closed = true;
                }
            }
            _ => {}
        }
    }

    fn form(&self, _store: &EventStore) -> FormView {
        let selected = self
            .selected
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default();
        FormView {
            sections: vec![
                Section {
                    rows: vec![
                        Row::submitting(
                            controls::OPEN,
                            vec![
                                Control::Text(
                                    TextField::new(controls::OWNER, "Owner", &self.owner_input)
                                        .placeholder("e.g. Ada Lovelace"),
                                ),
                                Control::Button(ButtonView::new(controls::OPEN, "Open account")),
                            ],
                        ),
                        Row::of(vec![
                            Control::Select(SelectField {
                                id: controls::ACCOUNT.to_owned(),
                                label: "Account".to_owned(),
                                options: self
                                    .accounts
                                    .iter()
                                    .map(|a| {
                                        SelectOption::new(a.stream.as_str(), Self::account_label(a))
                                    })
                                    .collect(),
                                selected,
                                empty: "No accounts yet: open one above".to_owned(),
                            }),
                            Control::Button(ButtonView::secondary(
                                controls::CLOSE,
                                "Close account",
                            )),
                        ]),
                        Row::submitting(
                            controls::DEPOSIT,
                            vec![
                                Control::Text(
                                    TextField::new(controls::AMOUNT, "Amount", &self.amount_input)
                                        .placeholder("e.g. 12.34")
                                        .hint(AMOUNT_HINT),
                                ),
                                Control::Select(SelectField {
                                    id: controls::CHANNEL.to_owned(),
                                    label: "Channel".to_owned(),
                                    options: Channel::CHOSEN
                                        .iter()
                                        .map(|c| SelectOption::new(c.code(), c.label()))
                                        .collect(),
                                    selected: self.channel.code().to_owned(),
                                    empty: String::new(),
                                }),
                                Control::Button(ButtonView::new(controls::DEPOSIT, "Deposit")),
                                Control::Button(ButtonView::new(controls::WITHDRAW, "Withdraw")),
                            ],
                        ),
                    ],
                    ..Section::default()
                },
                self.concurrency_section(),
            ],
        }
    }

    fn copy_as_test(
        &self,
        store: &EventStore,
        stream: Option<&StreamId>,
        position: Position,
    ) -> Option<Result<Box<dyn Case>, String>> {
        copy_with(
            &self.repo,
            "account",
            store,
            (stream, self.selected.as_ref()),
            position,
        )
    }

    fn state(&self, store: &EventStore, position: Position) -> StateView {
        let Some(stream) = &self.selected else {
            return StateView::nothing("Account state", "Open an account to see its state here.");
        };
        let (mut view, _) = state_region(
            &self.repo,
            store,
            (stream, position),
            "Account state",
            Self::state_fields,
        );
        view.empty = "no events for this account yet at this position".to_owned();
        view
    }

    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.repo, "account", store, stream, position)
    }

    fn read_models(&self, settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(BankReadModels::new(settings))
    }

    fn model_view(&self, models: &dyn DomainReadModels, store: &EventStore) -> Option<ModelView> {
        let models = same_kind::<BankReadModels>(models)?;
        let mut totals: Vec<(String, String)> = [ACCOUNTS_OPEN, TOTAL_DEPOSITS, TOTAL_BALANCE]
            .iter()
            .map(|t| ((*t).to_owned(), models.show_total(t)))
            .collect();
        totals.push((
            "Accounts with a balance row".to_owned(),
            group(models.balances.rows().len() as u64),
        ));
        if let Some(stream) = &self.selected {
            totals.push((
                format!("Balance row of {stream} (the selected account)"),
                show_account(models.balances.get(store, stream)),
            ));
        }
        let watermark = models
            .deposits
            .watermark()
            .map_or_else(|| "none yet".to_owned(), day);
        Some(ModelView {
            heading: self.title().to_owned(),
            totals,
            lists: vec![
                ListView {
                    heading: "Top accounts by balance".to_owned(),
                    hint: None,
                    items: models
                        .balances
                        .leaderboard(5)
                        .into_iter()
                        .map(|(stream, cents)| format!("{stream}: {}", Money::from_cents(cents)))
                        .collect(),
                    empty: "No accounts yet.".to_owned(),
                    ordered: true,
                },
                ListView {
                    heading: "Deposits per window (event time)".to_owned(),
                    hint: Some(format!("Watermark: {watermark}")),
                    items: models
                        .deposits
                        .windows()
                        .iter()
                        .rev()
                        .take(7)
                        .map(|(start, row)| {
                            format!(
                                "{}: {}",
                                day(*start),
                                super::read_models::show_window(Some(row))
                            )
                        })
                        .collect(),
                    empty: "No deposits yet.".to_owned(),
                    ordered: false,
                },
            ],
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
        let models = same_kind::<BankReadModels>(models)?;
        match id {
            "account-balance" => Some(parse_stream_id(parameter, "account").map(|stream| {
                match models.balances.get(store, &stream) {
                    None => QueryAnswer::NotFound(format!("No account called {stream}.")),
                    Some(row) => QueryAnswer::Table(
                        TableView::new("Query result", &["Account", "Balance", "Transactions"])
                            .row(vec![
                                stream.to_string(),
                                Money::from_cents(row.balance_cents).to_string(),
                                group(row.transactions),
                            ]),
                    ),
                }
            })),
            "top-accounts" => Some(
                match crate::format::parse_whole(parameter).filter(|n| (1..=100).contains(n)) {
                    None => Err(format!(
                        "Top accounts takes how many accounts to list, a whole number from 1 to 100; “{}” is not one.",
                        shorten(parameter)
                    )),
                    Some(n) => {
                        let leaders = models.balances.leaderboard(n as usize);
                        Ok(if leaders.is_empty() {
                            QueryAnswer::NotFound("No accounts yet.".to_owned())
                        } else {
                            let mut table =
                                TableView::new("Query result", &["Rank", "Account", "Balance"]);
                            for (rank, (stream, cents)) in leaders.into_iter().enumerate() {
                                table = table.row(vec![
                                    (rank + 1).to_string(),
                                    stream.to_string(),
                                    Money::from_cents(cents).to_string(),
                                ]);
                            }
                            QueryAnswer::Table(table)
                        })
                    }
                },
            ),
            _ => None,
        }
    }

    fn generator_weight(&self) -> u32 {
        50
    }

    fn start_generating(&mut self, events: u64) {
        self.generator.start(events);
    }

    fn generate(&mut self, ctx: &mut CommandContext<'_>, rng: &mut SeededRng, room: u64) -> u64 {
        if room == 0 {
            return 0;
        }
        // A refused step (an account a user closed meanwhile) is retried with another.
        for _ in 0..4 {
            if let Some(written) = self.generate_step(ctx, rng) {
                return written;
            }
        }
        0
    }
}
