//! The customers as the playground hosts them: register, rename, change email, deactivate; the
//! "Customer state" view, the directory's view and the "Customer by email" query; and the
//! generator's customers.

use super::customer::{Customer, CustomerCommand, CustomerError, CustomerEvent, CustomerStatus};
use super::email::Email;
use super::name::CustomerName;
use super::read_models::{CustomerReadModels, ACTIVE, DEACTIVATED};
use super::registration::{CustomerService, RegistrationError};
use super::reservation::ReservationEvent;
use crate::domain::module::{
    copy_with, describe_as, rebuild_with, state_region, type_names, CommandContext, DomainModule,
    FormInput, Origin, Setup,
};
use crate::domain::names::{FAMILY_NAMES, NAMES};
use crate::format::{group, shorten};
use crate::kernel::{EventStore, FastMap, Position, RecordedEvent, SeededRng, StateAt, StreamId};
use crate::privacy::{Keys, Sealed};
use crate::readmodel::{same_kind, DomainReadModels, ReadModelSettings};
use crate::testgen::Case;
use crate::view::{
    ButtonView, Control, FormView, ModelView, QueryAnswer, QueryDef, Rebuilt, Row, Section,
    SelectField, SelectOption, StateView, TableView, TextField,
};
use std::ops::RangeInclusive;

/// The domain's key.
pub const KEY: &str = "customers";

/// The ids of the customers panel's controls.
pub mod controls {
    /// "Name" text field.
    pub const NAME: &str = "name";
    /// "Email" text field.
    pub const EMAIL: &str = "email";
    /// "Register customer" button.
    pub const REGISTER: &str = "register";
    /// "Customer" select.
    pub const CUSTOMER: &str = "customer";
    /// "Change name" button.
    pub const CHANGE_NAME: &str = "change-name";
    /// "Change email" button.
    pub const CHANGE_EMAIL: &str = "change-email";
    /// "Deactivate customer" button.
    pub const DEACTIVATE: &str = "deactivate";
    /// "Forget customer" button (asks for a confirmation first).
    pub const FORGET: &str = "forget";
    /// "Forget them for good" button: the confirmation.
    pub const CONFIRM_FORGET: &str = "confirm-forget";
    /// "Keep them" button: no forgetting after all.
    pub const CANCEL_FORGET: &str = "cancel-forget";
}

/// The sentence that explains email uniqueness, shown in the panel.
pub const UNIQUENESS: &str = "Emails are unique across customers: registering (or changing to) an address first reserves it by appending to its own stream, email-<blind index> (a keyed hash of the address, so the log never holds it in the clear), expecting no stream (or the version it was read at), so of two racing registrations the store lets exactly one through and the other is refused with “Email already registered”.";

/// The sentence that explains crypto-shredding, shown in the panel.
pub const SHREDDING: &str = "A customer's name and email are stored encrypted with a key of their own, kept apart from the log. Forget customer deletes that key: every event stays exactly where it is, but their personal data can never be read again, anywhere.";

const QUERIES: &[QueryDef] = &[QueryDef {
    id: "customer-by-email",
    label: "Customer by email",
    parameter: "an email address, such as ada@example.com (case does not matter)",
    example: "ada@example.com",
}];

#[derive(Debug, Clone, PartialEq, Eq)]
struct CustomerEntry {
    stream: StreamId,
    name: Sealed,
    active: bool,
}

/// A customer the generator created, with the email it gave them.
#[derive(Debug, Clone)]
struct Generated {
    stream: StreamId,
    first: &'static str,
    family: usize,
    changes: u32,
}

/// The customers domain.
#[derive(Debug)]
pub struct CustomersModule {
    service: CustomerService,
    entries: Vec<CustomerEntry>,
    index: FastMap<StreamId, usize>,
    selected: Option<StreamId>,
    name_input: String,
    email_input: String,
    generated: Vec<Generated>,
    wanted: u64,
    /// The customer "Forget customer" asks to confirm forgetting.
    confirming: Option<StreamId>,
}

/// Creates the customers domain (the registry's constructor).
pub fn module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(CustomersModule::new(setup))
}

fn positions(range: &RangeInclusive<Position>) -> String {
    if range.start() == range.end() {
        format!("event #{}", range.end())
    } else {
        format!("events #{}–#{}", range.start(), range.end())
    }
}

impl CustomersModule {
    /// No customers yet.
    pub fn new(setup: &mut Setup<'_>) -> Self {
        Self {
            service: CustomerService::new(setup.store, setup.snapshot_every, setup.keys.clone()),
            entries: Vec::new(),
            index: FastMap::default(),
            selected: None,
            name_input: String::new(),
            email_input: String::new(),
            generated: Vec::new(),
            wanted: 1,
            confirming: None,
        }
    }

    /// The customer and reservation repositories.
    pub fn service(&self) -> &CustomerService {
        &self.service
    }

    /// The selected customer.
    pub fn selected(&self) -> Option<&StreamId> {
        self.selected.as_ref()
    }

    fn next_customer(&self) -> StreamId {
        StreamId::of("customer", self.entries.len() + 1)
    }

    fn selected_or_refuse(&self) -> Result<StreamId, String> {
        self.selected
            .clone()
            .ok_or_else(|| "Register a customer first: there is no customer to act on.".to_owned())
    }

    fn register(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let name = CustomerName::parse(&self.name_input).map_err(|e| e.to_string())?;
        let email = Email::parse(&self.email_input).map_err(|e| e.to_string())?;
        let customer = self.next_customer();
        let mut meta = ctx.meta();
        let written = self
            .service
            .register(ctx.store, &customer, name.clone(), email.clone(), &mut meta)
            .map_err(|e| e.to_string())?;
        self.selected = Some(customer.clone());
        self.name_input.clear();
        self.email_input.clear();
        Ok(Some(format!(
            "Registered {customer}: {name}, {email} ({}: the address reserved, then the customer).",
            positions(&written)
        )))
    }

    fn change_name(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let customer = self.selected_or_refuse()?;
        let name = CustomerName::parse(&self.name_input).map_err(|e| e.to_string())?;
        let mut meta = ctx.meta();
        let written = self
            .service
            .change_name(ctx.store, &customer, &name, &mut meta)
            .map_err(|e| e.to_string())?;
        self.name_input.clear();
        Ok(Some(format!(
            "Renamed {customer} to {name} ({}).",
            positions(&written)
        )))
    }

    fn change_email(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let customer = self.selected_or_refuse()?;
        let email = Email::parse(&self.email_input).map_err(|e| e.to_string())?;
        let mut meta = ctx.meta();
        let written = self
            .service
            .change_email(ctx.store, &customer, email.clone(), &mut meta)
            .map_err(|e| e.to_string())?;
        self.email_input.clear();
        Ok(Some(format!(
            "Changed the email of {customer} to {email} ({}: the new address reserved, the change, the old address released).",
            positions(&written)
        )))
    }

    fn deactivate(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let customer = self.selected_or_refuse()?;
        let mut meta = ctx.meta();
        let written = self
            .service
            .execute(
                ctx.store,
                &customer,
                &CustomerCommand::Deactivate,
                &mut meta,
            )
            .map_err(|e| e.to_string())?;
        Ok(Some(format!(
            "Deactivated {customer} ({}).",
            positions(&written)
        )))
    }

    fn keys(&self) -> &Keys {
        &self.service.keys
    }

    fn state_fields(
        keys: &Keys,
        stream: &StreamId,
        at: Option<&StateAt<Customer>>,
    ) -> Vec<(&'static str, String)> {
        let (customer, version) = at.map(|a| (a.state.clone(), a.version)).unwrap_or_default();
        let open = |field, v: Option<Sealed>| {
            v.map_or_else(|| "—".to_owned(), |s| keys.show(stream, field, &s))
        };
        let status =
            if keys.is_forgotten(stream) && customer.status != CustomerStatus::NotRegistered {
                "Forgotten (key deleted)".to_owned()
            } else {
                customer.status.to_string()
            };
        vec![
            ("Name", open("name", customer.name)),
            ("Email", open("email", customer.email)),
            ("Status", status),
            ("Version", format!("v{version}")),
        ]
    }

    /// "customer-3 · Ada Lovelace", as the select lists a customer.
    fn entry_label(&self, entry: &CustomerEntry) -> String {
        let mut label = format!(
            "{} · {}",
            entry.stream,
            self.keys().show(&entry.stream, "name", &entry.name)
        );
        if self.keys().is_forgotten(&entry.stream) {
            label.push_str(" (forgotten)");
        } else if !entry.active {
            label.push_str(" (deactivated)");
        }
        label
    }

    fn privacy_section(&self) -> Section {
        let mut rows = Vec::new();
        if let Some(customer) = &self.confirming {
            rows.push(Row::of(vec![Control::Alert {
                text: format!(
                    "Forget {customer} for good? Their events stay, but their name and email can never be read again, and this cannot be undone."
                ),
                button: None,
            }]));
            rows.push(Row::of(vec![
                Control::Button(ButtonView::new(
                    controls::CONFIRM_FORGET,
                    "Forget them for good",
                )),
                Control::Button(ButtonView::secondary(controls::CANCEL_FORGET, "Keep them")),
            ]));
        }
        Section {
            heading: Some("Personal data".to_owned()),
            intro: Some(SHREDDING.to_owned()),
            rows,
            hint: Some(format!(
                "{} kept apart from the log, {} forgotten. A real system keeps these keys in a key management service (KMS).",
                crate::format::count(self.keys().len() as u64, "key"),
                crate::format::group(self.keys().forgotten_count() as u64)
            )),
            ..Section::default()
        }
    }

    fn forget(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let customer = self.selected_or_refuse()?;
        self.service
            .check_forgettable(ctx.store, &customer)
            .map_err(|e| match e {
                RegistrationError::Customer(CustomerError::Forgotten) => format!(
                    "{customer} is already forgotten: a forgotten customer cannot be un-forgotten."
                ),
                _ => format!("{customer} is not registered: there is nothing to forget."),
            })?;
        self.confirming = Some(customer.clone());
        Ok(Some(format!(
            "Forget {customer} for good? Their key is deleted: their events stay, but their name and email can never be read again. Press “Forget them for good” to confirm, or “Keep them”."
        )))
    }

    fn confirm_forget(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let customer = self.confirming.take().ok_or_else(|| {
            "Press “Forget customer” first: there is nothing to confirm.".to_owned()
        })?;
        self.service
            .forget(ctx.store, &customer)
            .map_err(|e| e.to_string())?;
        self.generated.retain(|g| g.stream != customer);
        Ok(Some(format!(
            "Forgot {customer}: their key is deleted. Every one of their events ({}) stays exactly as it was; every view now shows {} for their name and email, and the address they held is free to register again.",
            crate::format::group(ctx.store.stream_version(&customer).unwrap_or(0)),
            crate::privacy::FORGOTTEN
        )))
    }

    fn generate_step(
        &mut self,
        ctx: &mut CommandContext<'_>,
        rng: &mut SeededRng,
        room: u64,
    ) -> u64 {
        let few = (self.generated.len() as u64) < self.wanted;
        if room >= 2 && (self.generated.is_empty() || (few && rng.below(3) == 0)) {
            let first = NAMES[rng.below(NAMES.len() as u64) as usize];
            let family = rng.below(FAMILY_NAMES.len() as u64) as usize;
            let customer = self.next_customer();
            let number = self.entries.len() + 1;
            let (Ok(name), Ok(email)) = (
                CustomerName::parse(&format!("{first} {}", FAMILY_NAMES[family])),
                Email::parse(&format!(
                    "{}.{number}@example.com",
                    first.to_ascii_lowercase()
                )),
            ) else {
                return 0;
            };
            let mut meta = ctx.meta();
            return match self
                .service
                .register(ctx.store, &customer, name, email, &mut meta)
            {
                Ok(written) => {
                    self.generated.push(Generated {
                        stream: customer,
                        first,
                        family,
                        changes: 0,
                    });
                    written.end() - written.start() + 1
                }
                Err(_) => 0,
            };
        }
        if self.generated.is_empty() {
            return 0;
        }
        let index = rng.below(self.generated.len() as u64) as usize;
        let roll = rng.below(100);
        let customer = self.generated[index].stream.clone();
        let mut meta = ctx.meta();
        let result = if roll < 4 {
            let done = self.service.execute(
                ctx.store,
                &customer,
                &CustomerCommand::Deactivate,
                &mut meta,
            );
            self.generated.swap_remove(index);
            done
        } else if roll < 30 && room >= 3 {
            let generated = &mut self.generated[index];
            generated.changes += 1;
            let number = customer.as_str().trim_start_matches("customer-").to_owned();
            match Email::parse(&format!(
                "{}.{number}.{}@example.org",
                generated.first.to_ascii_lowercase(),
                generated.changes
            )) {
                Ok(email) => self
                    .service
                    .change_email(ctx.store, &customer, email, &mut meta),
                Err(_) => return 0,
            }
        } else {
            // A different family name each time, so the change is never refused as the same name.
            let generated = &mut self.generated[index];
            let others = FAMILY_NAMES.len() as u64 - 1;
            generated.family =
                (generated.family + 1 + rng.below(others) as usize) % FAMILY_NAMES.len();
            match CustomerName::parse(&format!(
                "{} {}",
                generated.first, FAMILY_NAMES[generated.family]
            )) {
                Ok(name) => self
                    .service
                    .change_name(ctx.store, &customer, &name, &mut meta),
                Err(_) => return 0,
            }
        };
        match result {
            Ok(written) => written.end() - written.start() + 1,
            Err(_) => {
                // The customer changed under the generator (a user deactivated them, or the same
                // name was drawn): leave them alone from now on.
                if let Some(i) = self.generated.iter().position(|g| g.stream == customer) {
                    self.generated.swap_remove(i);
                }
                0
            }
        }
    }
}

impl DomainModule for CustomersModule {
    fn key(&self) -> &'static str {
        KEY
    }

    fn title(&self) -> &'static str {
        "Customers"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["customer", "email"]
    }

    fn event_types(&self) -> Vec<&'static str> {
        let mut names = type_names::<CustomerEvent>();
        names.extend(type_names::<ReservationEvent>());
        names
    }

    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        match event.try_decode::<CustomerEvent>() {
            Ok(Some(e)) => {
                Some(e.describe(|field, sealed| self.keys().show(event.stream_id, field, sealed)))
            }
            Ok(None) => describe_as::<ReservationEvent>(event),
            Err(_) => Some(format!(
                "(a {} whose stored bytes do not decode)",
                event.event_type()
            )),
        }
    }

    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        match input {
            FormInput::Edit { control, value } => match control.as_str() {
                controls::NAME => {
                    self.name_input = value.clone();
                    Ok(None)
                }
                controls::EMAIL => {
                    self.email_input = value.clone();
                    Ok(None)
                }
                controls::CUSTOMER => {
                    match self.entries.iter().find(|e| e.stream.as_str() == value) {
                        Some(entry) => {
                            self.confirming = None;
                            self.selected = Some(entry.stream.clone());
                            Ok(None)
                        }
                        None => Err(format!("There is no customer called “{}”.", shorten(value))),
                    }
                }
                other => Err(format!(
                    "The customers panel has no field “{}”.",
                    shorten(other)
                )),
            },
            FormInput::Press { control } => match control.as_str() {
                controls::REGISTER => self.register(ctx),
                controls::CHANGE_NAME => self.change_name(ctx),
                controls::CHANGE_EMAIL => self.change_email(ctx),
                controls::DEACTIVATE => self.deactivate(ctx),
                controls::FORGET => self.forget(ctx),
                controls::CONFIRM_FORGET => self.confirm_forget(ctx),
                controls::CANCEL_FORGET => match self.confirming.take() {
                    Some(customer) => Ok(Some(format!("Kept {customer}: nothing was forgotten."))),
                    None => Err("There is no forgetting to cancel.".to_owned()),
                },
                other => Err(format!(
                    "The customers panel has no button “{}”.",
                    shorten(other)
                )),
            },
        }
    }

    fn observe(&mut self, _store: &EventStore, event: &RecordedEvent<'_>, _origin: Origin) {
        // Email changes do not change the list: they are not even decoded.
        if !matches!(event.type_index::<CustomerEvent>(), Some(0 | 1 | 3)) {
            return;
        }
        let Some(payload) = event.decode::<CustomerEvent>() else {
            return;
        };
        let stream = event.stream_id;
        match payload {
            CustomerEvent::CustomerRegistered { name, .. } => {
                self.index.insert(stream.clone(), self.entries.len());
                self.entries.push(CustomerEntry {
                    stream: stream.clone(),
                    name,
                    active: true,
                });
                if self.selected.is_none() {
                    self.selected = Some(stream.clone());
                }
            }
            CustomerEvent::CustomerNameChanged { name } => {
                if let Some(&i) = self.index.get(stream) {
                    self.entries[i].name = name;
                }
            }
            CustomerEvent::CustomerDeactivated => {
                if let Some(&i) = self.index.get(stream) {
                    self.entries[i].active = false;
                }
            }
            CustomerEvent::CustomerEmailChanged { .. } => {}
        }
    }

    fn form(&self, _store: &EventStore) -> FormView {
        let selected = self
            .selected
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default();
        FormView {
            sections: vec![Section {
                intro: Some(UNIQUENESS.to_owned()),
                rows: vec![
                    Row::submitting(
                        controls::REGISTER,
                        vec![
                            Control::Text(
                                TextField::new(controls::NAME, "Name", &self.name_input)
                                    .placeholder("e.g. Ada Lovelace")
                                    .hint("1 to 60 characters"),
                            ),
                            Control::Text(
                                TextField::new(controls::EMAIL, "Email", &self.email_input)
                                    .placeholder("e.g. ada@example.com")
                                    .hint("one @, a dot in the domain, no spaces"),
                            ),
                            Control::Button(ButtonView::new(controls::REGISTER, "Register customer")),
                        ],
                    ),
                    Row::of(vec![
                        Control::Select(SelectField {
                            id: controls::CUSTOMER.to_owned(),
                            label: "Customer".to_owned(),
                            options: self
                                .entries
                                .iter()
                                .map(|e| SelectOption::new(e.stream.as_str(), self.entry_label(e)))
                                .collect(),
                            selected,
                            empty: "No customers yet: register one above".to_owned(),
                        }),
                        Control::Button(ButtonView::secondary(
                            controls::DEACTIVATE,
                            "Deactivate customer",
                        )),
                    ]),
                    Row::of(vec![
                        Control::Button(ButtonView::secondary(controls::CHANGE_NAME, "Change name")),
                        Control::Button(ButtonView::secondary(controls::CHANGE_EMAIL, "Change email")),
                        Control::Button(ButtonView::secondary(controls::FORGET, "Forget customer")),
                    ]),
                ],
                hint: Some("Change name and Change email apply the Name or Email typed above to the selected customer.".to_owned()),
                ..Section::default()
            }, self.privacy_section()],
        }
    }

    fn copy_as_test(
        &self,
        store: &EventStore,
        stream: Option<&StreamId>,
        position: Position,
    ) -> Option<Result<Box<dyn Case>, String>> {
        copy_with(
            &self.service.customers,
            "customer",
            store,
            (stream, self.selected.as_ref()),
            position,
        )
    }

    fn state(&self, store: &EventStore, position: Position) -> StateView {
        let Some(customer) = &self.selected else {
            return StateView::nothing(
                "Customer state",
                "Register a customer to see their state here.",
            );
        };
        let keys = self.keys();
        let (mut view, _) = state_region(
            &self.service.customers,
            store,
            (customer, position),
            "Customer state",
            |at| Self::state_fields(keys, customer, at),
        );
        view.empty = "no events for this customer yet at this position".to_owned();
        view
    }

    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.service.customers, "customer", store, stream, position)
            .or_else(|| rebuild_with(&self.service.reservations, "email", store, stream, position))
    }

    fn read_models(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(CustomerReadModels::with_keys(self.keys().clone()))
    }

    fn model_view(&self, models: &dyn DomainReadModels, store: &EventStore) -> Option<ModelView> {
        let models = same_kind::<CustomerReadModels>(models)?;
        let mut totals = vec![
            (ACTIVE.to_owned(), models.active.to_string()),
            (DEACTIVATED.to_owned(), models.deactivated.to_string()),
            (
                "Customers with a row".to_owned(),
                group(models.len() as u64),
            ),
        ];
        if let Some(customer) = &self.selected {
            let row = models
                .get(store, customer)
                .map_or_else(|| "—".to_owned(), |r| models.show_customer(customer, r));
            totals.push((format!("Row of {customer} (the selected customer)"), row));
        }
        Some(ModelView {
            heading: self.title().to_owned(),
            totals,
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
        if id != "customer-by-email" {
            return None;
        }
        let models = same_kind::<CustomerReadModels>(models)?;
        Some(
            Email::parse(parameter)
                .map_err(|e| e.to_string())
                .map(|email| match models.by_email(store, email.as_str()) {
                    None => QueryAnswer::NotFound(format!("No customer with email {email}.")),
                    Some((id, row)) => QueryAnswer::Table(
                        TableView::new("Query result", &["Customer", "Name", "Email", "Status"])
                            .row(vec![
                                id.to_string(),
                                models.show_field(id, "name", &row.name),
                                models.show_field(id, "email", &row.email),
                                row.status.to_string(),
                            ]),
                    ),
                }),
        )
    }

    fn generator_weight(&self) -> u32 {
        12
    }

    fn start_generating(&mut self, events: u64) {
        self.generated.clear();
        self.wanted = (events / 5).clamp(1, 2_000);
    }

    fn generate(&mut self, ctx: &mut CommandContext<'_>, rng: &mut SeededRng, room: u64) -> u64 {
        if room == 0 {
            return 0;
        }
        for _ in 0..4 {
            let written = self.generate_step(ctx, rng, room);
            if written > 0 {
                return written;
            }
        }
        0
    }
}
