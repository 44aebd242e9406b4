//! The saga runtime: every saga handler is a consumer group of the simulated broker, with its own
//! offsets and the broker's faults; what a handler decides is sent as commands to the services,
//! with the causing event's correlation and, when handlers are idempotent, ids derived from the
//! cause. Timers fire timeouts once; the carrier answers a booking after the shipping delay.

use super::choreography::reactions;
use super::fulfilment::{commands_for, FulfilmentEvent, Input};
use super::message::{answer_of, reasons, timed_out_reason, Answer, SagaCommand, Step};
use super::module::FulfilmentModule;
use super::tracker::{SagaStatus, SagaStreams, Tracker};
use crate::domain::inventory::InventoryModule;
use crate::domain::orders::{OrderCommand, OrdersModule};
use crate::domain::payments::{Issuer, PaymentsModule};
use crate::domain::shipping::ShippingModule;
use crate::domain::DomainModule;
use crate::kernel::{
    derived_id, AppendOutcome, Chunked, CommandError, CommandMeta, EventStore, ExpectedVersion,
    IdGenerator, Position, RecordedEvent, StreamId,
};
use crate::readmodel::Projection;
use crate::sim::{Idempotency, Pipeline, SimConfig, Tick};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use uuid::Uuid;

/// How the fulfilment saga is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SagaStyle {
    /// A process manager per order tells each service what to do next.
    #[default]
    Orchestration,
    /// Each service reacts to the others' events; nobody knows the whole flow.
    Choreography,
}

impl fmt::Display for SagaStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Orchestration => "Orchestration",
            Self::Choreography => "Choreography",
        })
    }
}

/// Where `style` is in per-style arrays.
fn style_index(style: SagaStyle) -> usize {
    usize::from(style == SagaStyle::Choreography)
}

/// The saga's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SagaSettings {
    /// The style new sagas run in.
    pub style: SagaStyle,
    /// Percent of payments the issuer declines (0–100).
    pub decline_rate: u8,
    /// Ticks the carrier takes to answer a booking.
    pub shipping_delay: u32,
    /// Ticks after an order is placed by which its shipment must be scheduled.
    pub timeout: u32,
    /// Commands get ids derived from the event that caused them, so a repeat is a no-op.
    pub idempotent: bool,
}

impl Default for SagaSettings {
    fn default() -> Self {
        Self {
            style: SagaStyle::Orchestration,
            decline_rate: 0,
            shipping_delay: 2,
            timeout: 40,
            idempotent: true,
        }
    }
}

/// A saga handler: the orchestrator, or one of the four services of the choreography.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handler {
    /// The process manager (orchestration).
    Orchestrator,
    /// The inventory service (choreography).
    Inventory,
    /// The payments service (choreography).
    Payments,
    /// The shipping service (choreography).
    Shipping,
    /// The orders service (choreography).
    Orders,
}

impl Handler {
    /// Every handler.
    pub const ALL: [Handler; 5] = [
        Handler::Orchestrator,
        Handler::Inventory,
        Handler::Payments,
        Handler::Shipping,
        Handler::Orders,
    ];

    /// The style the handler belongs to.
    pub fn style(self) -> SagaStyle {
        if self == Self::Orchestrator {
            SagaStyle::Orchestration
        } else {
            SagaStyle::Choreography
        }
    }

    /// The consumer group's name.
    pub fn group(self) -> &'static str {
        match self {
            Self::Orchestrator => "fulfilment-orchestrator",
            Self::Inventory => "inventory-service",
            Self::Payments => "payments-service",
            Self::Shipping => "shipping-service",
            Self::Orders => "orders-service",
        }
    }

    /// The event types the handler's group is subscribed to.
    pub fn subscribes(self) -> &'static [&'static str] {
        match self {
            Self::Orchestrator => &[
                "OrderPlaced",
                "StockReserved",
                "StockReservationRejected",
                "PaymentAuthorized",
                "PaymentDeclined",
                "ShipmentScheduled",
                "PaymentCaptured",
                "OrderCompleted",
                "OrderCancelled",
            ],
            Self::Inventory => &["OrderPlaced", "PaymentDeclined", "OrderCancelled"],
            Self::Payments => &["StockReserved", "OrderShipping", "OrderCancelled"],
            Self::Shipping => &["PaymentAuthorized"],
            Self::Orders => &[
                "StockReserved",
                "StockReservationRejected",
                "PaymentAuthorized",
                "PaymentDeclined",
                "ShipmentScheduled",
                "PaymentCaptured",
            ],
        }
    }

    /// Keeps the command ids of different handlers reacting to the same event apart.
    fn salt(self) -> u32 {
        1_000 * (self as u32 + 1)
    }

    /// The id this handler, when idempotent, gives the first command it sends for the event
    /// `cause` (the orchestrator's decision): the same for every delivery of the event.
    pub fn first_command_id(self, cause: Uuid) -> Uuid {
        derived_id(cause, self.salt())
    }
}

/// A handler's inbox: the positions its consumer processed this tick, in order.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    /// Subscribed, by schema id.
    picks: Vec<bool>,
    received: Vec<Position>,
}

impl Projection for Inbox {
    const PICKS: bool = true;

    fn apply(&mut self, event: &RecordedEvent<'_>) {
        self.received.push(event.position);
    }

    fn wants(&self, schema: crate::kernel::SchemaId) -> bool {
        self.picks.get(schema.index()).copied().unwrap_or(false)
    }
}

/// One handler's consumer group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Whose group.
    pub handler: Handler,
    /// Its consumer group on the broker.
    pub pipeline: Pipeline<Inbox>,
}

/// How a command a handler sent ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The service appended events at these positions.
    Done {
        /// The first.
        first: Position,
        /// The last.
        last: Position,
    },
    /// The same command (same id) was carried out before: nothing was appended.
    Repeat,
    /// The service refused it, saying why.
    Refused(Box<str>),
    /// Waiting for the carrier, who answers at this tick.
    Booked {
        /// When.
        due: Tick,
    },
}

/// A command a handler sent, as the runtime's journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentCommand {
    /// The command's id (the causation id of the events it produced).
    pub id: Uuid,
    /// The step it carries out.
    pub step: Step,
    /// Which saga (index into the instances).
    pub saga: u32,
    /// The event that caused it (0 for the timer).
    pub cause: Position,
    /// Who sent it.
    pub by: Handler,
    /// When.
    pub tick: Tick,
    /// How it ended.
    pub outcome: Outcome,
    /// The entry of the command sent for the same saga before this one.
    pub previous: Option<u32>,
    /// For a command the process manager sent: the entry recording its decision.
    pub decided_by: Option<u32>,
}

/// Every command the handlers sent, in order, kept in chunks: it grows to millions of entries, and
/// growing never copies what is already there.
pub type Journal = Chunked<SentCommand>;

/// Why a handler reacts: the event (or the timer) and its correlation.
#[derive(Debug, Clone, Copy)]
struct Cause {
    id: Uuid,
    correlation: Uuid,
    position: Position,
    /// The first time this handler handles the cause: nothing it sends for it can exist yet, so
    /// the idempotency checks are skipped.
    fresh: bool,
}

/// Who sends a command: for which saga (and its streams), which handler, after which decision.
#[derive(Clone, Copy)]
struct Sender<'a> {
    saga: u32,
    streams: &'a SagaStreams,
    decided_by: Option<u32>,
    by: Handler,
}

/// The services' modules, borrowed from the playground's list for one reaction.
struct Services<'a> {
    orders: &'a mut OrdersModule,
    inventory: &'a mut InventoryModule,
    payments: &'a mut PaymentsModule,
    shipping: &'a mut ShippingModule,
    fulfilment: &'a mut FulfilmentModule,
}

fn find<T: 'static>(modules: &[Box<dyn DomainModule>]) -> Option<usize> {
    modules
        .iter()
        .position(|m| (m.as_ref() as &dyn std::any::Any).is::<T>())
}

/// Where the five modules the saga needs are in the playground's list.
fn service_indices(modules: &[Box<dyn DomainModule>]) -> Option<[usize; 5]> {
    Some([
        find::<OrdersModule>(modules)?,
        find::<InventoryModule>(modules)?,
        find::<PaymentsModule>(modules)?,
        find::<ShippingModule>(modules)?,
        find::<FulfilmentModule>(modules)?,
    ])
}

impl<'a> Services<'a> {
    /// The five modules the saga needs, at `indices` of `modules`.
    fn of(modules: &'a mut [Box<dyn DomainModule>], indices: [usize; 5]) -> Option<Self> {
        let [orders, inventory, payments, shipping, fulfilment] =
            modules.get_disjoint_mut(indices).ok()?;
        Some(Self {
            orders: (orders.as_mut() as &mut dyn std::any::Any).downcast_mut()?,
            inventory: (inventory.as_mut() as &mut dyn std::any::Any).downcast_mut()?,
            payments: (payments.as_mut() as &mut dyn std::any::Any).downcast_mut()?,
            shipping: (shipping.as_mut() as &mut dyn std::any::Any).downcast_mut()?,
            fulfilment: (fulfilment.as_mut() as &mut dyn std::any::Any).downcast_mut()?,
        })
    }
}

/// What a service's answer to a command was.
fn outcome_of<E: std::error::Error>(result: Result<AppendOutcome, CommandError<E>>) -> Outcome {
    match result {
        Ok(o) if o.idempotent => Outcome::Repeat,
        Ok(o) if o.positions.is_empty() => Outcome::Refused("nothing to record".into()),
        Ok(o) => Outcome::Done {
            first: *o.positions.start(),
            last: *o.positions.end(),
        },
        Err(e) => Outcome::Refused(e.to_string().into()),
    }
}

/// The whole saga side.
#[derive(Debug, Clone)]
pub struct Sagas {
    settings: SagaSettings,
    config: SimConfig,
    tick: Tick,
    groups: Vec<Group>,
    /// Whether any saga of each style was started (its groups consume from then on).
    used: [bool; 2],
    timers: BinaryHeap<Reverse<(Tick, u32)>>,
    carrier: VecDeque<(Tick, u32)>,
    journal: Journal,
    tracker: Tracker,
    ids: IdGenerator,
    /// The schema table's size when the groups' subscriptions were computed.
    subscribed_schemas: usize,
    /// Where the services are in the playground's list of modules (`Some(None)`: not hosted).
    services: Option<Option<[usize; 5]>>,
}

impl Sagas {
    /// No sagas yet; handlers consume under `config` (the broker's settings).
    pub fn new(config: SimConfig) -> Self {
        let mut sagas = Self {
            settings: SagaSettings::default(),
            config,
            tick: 0,
            groups: Vec::new(),
            used: [false; 2],
            timers: BinaryHeap::new(),
            carrier: VecDeque::new(),
            journal: Journal::default(),
            tracker: Tracker::default(),
            ids: IdGenerator::seeded(config.seed ^ 0x5A6A_5A6A),
            subscribed_schemas: 0,
            services: None,
        };
        sagas.groups = Handler::ALL
            .iter()
            .map(|&handler| Group {
                handler,
                pipeline: Pipeline::new(sagas.group_config(handler), Inbox::default()),
            })
            .collect();
        sagas
    }

    fn group_config(&self, handler: Handler) -> SimConfig {
        SimConfig {
            // Handlers recognise repeats by their commands' ids, not by a consumer-side memory.
            idempotency: Idempotency::Off,
            // The handlers consume the log whatever broker the read models are fed by.
            model: crate::sim::BrokerModel::Log,
            // … and keep every record of it.
            retention: 0,
            seed: self.config.seed ^ (u64::from(handler.salt()) << 20),
            ..self.config
        }
    }

    /// Finds the services the saga needs among the playground's `modules`; without all of them
    /// (orders, inventory, payments, shipping and the process manager) no saga starts.
    pub fn attach(&mut self, modules: &[Box<dyn DomainModule>]) {
        self.services = Some(service_indices(modules));
    }

    /// The settings in force.
    pub fn settings(&self) -> SagaSettings {
        self.settings
    }

    /// Changes the settings: the style applies to sagas started from now on; the delay and timeout to
    /// bookings and timers from now on; idempotency at once.
    pub fn set_settings(&mut self, settings: SagaSettings) {
        self.settings = settings;
    }

    /// Applies the broker's settings to every handler's group.
    pub fn reconfigure(&mut self, config: SimConfig) {
        self.config = config;
        for i in 0..self.groups.len() {
            let handler = self.groups[i].handler;
            let config = self.group_config(handler);
            self.groups[i].pipeline.reconfigure(config);
        }
    }

    /// The issuer the settings and the broker's seed make.
    pub fn issuer(&self) -> Issuer {
        Issuer {
            seed: self.config.seed,
            decline_rate: self.settings.decline_rate,
        }
    }

    /// Ticks run.
    pub fn tick(&self) -> Tick {
        self.tick
    }

    /// Whether any saga was started in `style` (its handlers' groups consume from then on).
    fn uses(&self, style: SagaStyle) -> bool {
        self.used[style_index(style)]
    }

    /// The styles any saga was started in (their handlers' groups consume from then on).
    pub fn styles_used(&self) -> Vec<SagaStyle> {
        [SagaStyle::Orchestration, SagaStyle::Choreography]
            .into_iter()
            .filter(|&s| self.uses(s))
            .collect()
    }

    /// The handlers' consumer groups.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The group of `handler`.
    pub fn group(&self, handler: Handler) -> Option<&Group> {
        self.groups.iter().find(|g| g.handler == handler)
    }

    /// Every command the handlers sent, in order.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The commands sent for saga `index`, in the order they were sent.
    pub fn commands_of(&self, index: u32) -> Vec<&SentCommand> {
        self.entries_of(index)
            .into_iter()
            .filter_map(|e| self.journal.get(e as usize))
            .collect()
    }

    /// The journal entries of saga `index`'s commands, in the order they were sent.
    pub fn entries_of(&self, index: u32) -> Vec<u32> {
        let mut list = Vec::new();
        let mut next = self.tracker.get(index).and_then(|s| s.last_command);
        while let Some(entry) = next {
            list.push(entry);
            next = self.journal.get(entry as usize).and_then(|s| s.previous);
        }
        list.reverse();
        list
    }

    /// The sagas and what they did.
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// Called for every event appended to the log, in order: a placed order starts a saga (and its
    /// timer); every other answer moves its saga's status on. Returns the saga a placed order
    /// started.
    pub fn observe(&mut self, event: &RecordedEvent<'_>) -> Option<u32> {
        // Without the services there is no saga to run (a playground of other domains).
        if self.services == Some(None) {
            return None;
        }
        let started = self.tracker.observe(event, self.tick, self.settings.style);
        if let Some(index) = started {
            let style = self.settings.style;
            self.used[style_index(style)] = true;
            let due = self.tick + u64::from(self.settings.timeout.max(1));
            self.timers.push(Reverse((due, index)));
            self.tracker.arm(index, self.settings.timeout);
        }
        started
    }

    /// Events not yet through every handler's group, bookings not yet answered, timers not yet
    /// fired for sagas still running.
    pub fn backlog(&self, store: &EventStore) -> u64 {
        let groups: u64 = self
            .groups
            .iter()
            .filter(|g| self.uses(g.handler.style()))
            .map(|g| g.pipeline.backlog(store))
            .sum();
        groups + self.carrier.len() as u64 + self.tracker.armed()
    }

    /// True when nothing is left to do: every handler's group is drained, the carrier has answered
    /// and no running saga waits for its timer.
    pub fn is_drained(&self, store: &EventStore) -> bool {
        self.carrier.is_empty()
            && self.tracker.armed() == 0
            && self
                .groups
                .iter()
                .filter(|g| self.uses(g.handler.style()))
                .all(|g| g.pipeline.is_drained(store))
    }

    fn refresh_subscriptions(&mut self, store: &EventStore) {
        let schemas = store.schemas();
        if schemas.len() == self.subscribed_schemas {
            return;
        }
        for group in &mut self.groups {
            let mut picks = vec![false; schemas.len()];
            for name in group.handler.subscribes() {
                for id in schemas.ids_named(name) {
                    picks[id.index()] = true;
                }
            }
            group.pipeline.projection_mut().picks = picks;
        }
        self.subscribed_schemas = schemas.len();
    }

    /// One tick: due timers fire, the carrier answers due bookings, every group polls, and each
    /// handler reacts to what its consumer processed. `modules` are the playground's domains; the
    /// saga does nothing unless orders, inventory, payments, shipping and fulfilment are among them.
    pub fn step(&mut self, store: &mut EventStore, modules: &mut [Box<dyn DomainModule>]) {
        self.tick += 1;
        if self.services.is_none() {
            self.services = Some(service_indices(modules));
        }
        let Some(mut services) = self
            .services
            .flatten()
            .and_then(|indices| Services::of(modules, indices))
        else {
            return;
        };
        services.payments.set_issuer(self.issuer());
        self.refresh_subscriptions(store);
        self.fire_timers(store, &mut services);
        self.answer_bookings(store, &mut services);
        for g in 0..self.groups.len() {
            let handler = self.groups[g].handler;
            let used = self.uses(handler.style());
            let pipeline = &mut self.groups[g].pipeline;
            if used {
                pipeline.step(store);
            } else {
                pipeline.skip_to_head(store);
            }
        }
        for g in 0..self.groups.len() {
            let handler = self.groups[g].handler;
            let received = std::mem::take(&mut self.groups[g].pipeline.projection_mut().received);
            for position in received {
                let Some(event) = store.get(position) else {
                    continue;
                };
                let (Some(answer), Some(saga)) = (answer_of(&event), self.tracker.saga_of(&event))
                else {
                    continue;
                };
                let cause = Cause {
                    id: event.event_id,
                    correlation: event.correlation_id,
                    position,
                    fresh: self.groups[g].pipeline.fate(position).applied == 1,
                };
                self.react(store, &mut services, handler, saga, &answer, cause);
            }
        }
    }

    fn fire_timers(&mut self, store: &mut EventStore, services: &mut Services<'_>) {
        while let Some(&Reverse((due, index))) = self.timers.peek() {
            if due > self.tick {
                break;
            }
            self.timers.pop();
            let Some(ticks) = self.tracker.disarm(index) else {
                continue;
            };
            let Some(saga) = self.tracker.get(index) else {
                continue;
            };
            let (style, correlation) = (saga.style, saga.correlation);
            let handler = match style {
                SagaStyle::Orchestration => Handler::Orchestrator,
                SagaStyle::Choreography => Handler::Orders,
            };
            // The timer's message: its id is derived from the saga's, so it is the same every time.
            let cause = Cause {
                id: derived_id(correlation, 0x7133),
                correlation,
                position: 0,
                fresh: true,
            };
            self.react(
                store,
                services,
                handler,
                index,
                &Answer::TimedOut { ticks },
                cause,
            );
        }
    }

    fn answer_bookings(&mut self, store: &mut EventStore, services: &mut Services<'_>) {
        while let Some(&(due, entry)) = self.carrier.front() {
            if due > self.tick {
                break;
            }
            self.carrier.pop_front();
            let Some(sent) = self.journal.get(entry as usize) else {
                continue;
            };
            let id = sent.id;
            let Some(saga) = self.tracker.get(sent.saga) else {
                continue;
            };
            let outcome =
                if self.settings.idempotent && store.find_event(&derived_id(id, 0)).is_some() {
                    Outcome::Repeat
                } else {
                    let mut meta = CommandMeta::correlated(id, saga.correlation);
                    let streams = (&saga.streams.shipment, &saga.order);
                    outcome_of(services.shipping.schedule(store, streams, &mut meta))
                };
            if let Some(sent) = self.journal.get_mut(entry as usize) {
                sent.outcome = outcome;
            }
        }
    }

    fn command_id(&mut self, cause: &Cause, handler: Handler, k: u32) -> Uuid {
        if self.settings.idempotent {
            derived_id(cause.id, handler.salt() + k)
        } else {
            self.ids.next_uuid()
        }
    }

    fn react(
        &mut self,
        store: &mut EventStore,
        services: &mut Services<'_>,
        handler: Handler,
        saga: u32,
        answer: &Answer,
        cause: Cause,
    ) {
        let Some(instance) = self.tracker.get(saga) else {
            return;
        };
        if instance.style != handler.style() {
            return;
        }
        let streams = std::rc::Rc::clone(&instance.streams);
        let order = &streams.order;
        let mut decided_by = None;
        let commands = match handler {
            Handler::Orchestrator => {
                let (commands, decision) = self.orchestrate(
                    store,
                    services,
                    (saga, order, &streams.fulfilment),
                    answer,
                    cause,
                );
                decided_by = decision;
                commands
            }
            _ => reactions(handler, answer)
                .into_iter()
                .map(|step| {
                    let command = SagaCommand::new(step, order);
                    match step {
                        Step::AuthorizePayment => {
                            command.amount(services.orders.orders().read(store, order, |o| {
                                o.placed_total.unwrap_or_else(|| o.total())
                            }))
                        }
                        Step::CancelOrder => command.reason(match answer {
                            Answer::StockRejected { sku, asked, left } => {
                                super::message::out_of_stock_reason(sku, *asked, *left)
                            }
                            Answer::TimedOut { ticks } => timed_out_reason(*ticks),
                            _ => reasons::DECLINED.to_owned(),
                        }),
                        _ => command,
                    }
                })
                .collect(),
        };
        let first = u32::from(handler == Handler::Orchestrator);
        for (k, command) in commands.into_iter().enumerate() {
            let id = self.command_id(&cause, handler, first + k as u32);
            let from = Sender {
                saga,
                streams: &streams,
                decided_by,
                by: handler,
            };
            self.send(store, services, from, command, id, cause);
        }
    }

    /// The process manager's reaction: record its decision (once per cause when idempotent) and
    /// return the commands the decision sends.
    fn orchestrate(
        &mut self,
        store: &mut EventStore,
        services: &mut Services<'_>,
        (saga, order, stream): (u32, &StreamId, &StreamId),
        answer: &Answer,
        cause: Cause,
    ) -> (Vec<SagaCommand>, Option<u32>) {
        let decision_id = self.command_id(&cause, Handler::Orchestrator, 0);
        let repo = services.fulfilment.repository_mut();
        let mut outcome = Outcome::Repeat;
        let seen = || store.find_event(&derived_id(decision_id, 0));
        let earlier = (self.settings.idempotent && !cause.fresh)
            .then(seen)
            .flatten();
        let recorded: Vec<FulfilmentEvent> = match earlier {
            Some(first) => {
                // The answer was handled before: send the same commands again (each a no-op).
                store
                    .read_all(first)
                    .take_while(|e| e.causation_id == decision_id)
                    .filter_map(|e| e.decode::<FulfilmentEvent>())
                    .collect()
            }
            _ => {
                let input = Input {
                    answer: answer.clone(),
                };
                let Ok(decision) = repo.decide(store, stream, &input) else {
                    return (Vec::new(), None);
                };
                if decision.events.is_empty() {
                    return (Vec::new(), None);
                }
                let mut meta = CommandMeta::correlated(decision_id, cause.correlation);
                outcome = outcome_of(repo.commit(
                    store,
                    stream,
                    ExpectedVersion::Exact(decision.loaded_version),
                    &decision.events,
                    &mut meta,
                ));
                if !matches!(outcome, Outcome::Done { .. }) {
                    return (Vec::new(), None);
                }
                decision.events
            }
        };
        let commands = repo.read(store, stream, |state| {
            recorded
                .iter()
                .flat_map(|d| commands_for(order, state, d))
                .collect()
        });
        let entry = self.record(SentCommand {
            id: decision_id,
            step: Step::Decide,
            saga,
            cause: cause.position,
            by: Handler::Orchestrator,
            tick: self.tick,
            outcome,
            previous: None,
            decided_by: None,
        });
        (commands, Some(entry))
    }

    /// Adds `sent` to the journal, linked to the saga's previous entry; returns its entry.
    fn record(&mut self, mut sent: SentCommand) -> u32 {
        let entry = self.journal.len() as u32;
        sent.previous = self.tracker.sent(sent.saga, entry);
        self.journal.push(sent);
        entry
    }

    fn send(
        &mut self,
        store: &mut EventStore,
        services: &mut Services<'_>,
        from: Sender<'_>,
        command: SagaCommand,
        id: Uuid,
        cause: Cause,
    ) {
        let Sender {
            saga,
            streams,
            decided_by,
            by,
        } = from;
        let entry = self.journal.len() as u32;
        let repeat = self.settings.idempotent
            && !cause.fresh
            && store.find_event(&derived_id(id, 0)).is_some();
        let outcome = if repeat {
            Outcome::Repeat
        } else if command.step == Step::ScheduleShipment {
            let due = self.tick + u64::from(self.settings.shipping_delay);
            self.carrier.push_back((due, entry));
            Outcome::Booked { due }
        } else {
            let mut meta = CommandMeta::correlated(id, cause.correlation);
            execute(store, services, &command, streams, &mut meta)
        };
        self.record(SentCommand {
            id,
            step: command.step,
            saga,
            cause: cause.position,
            by,
            tick: self.tick,
            outcome,
            previous: None,
            decided_by,
        });
        if command.step == Step::ScheduleShipment && self.settings.shipping_delay == 0 {
            self.answer_bookings(store, services);
        }
    }

    /// The saga of `order`'s status, if it has one.
    pub fn status_of(&self, order: &StreamId) -> Option<SagaStatus> {
        self.tracker
            .index_of(order)
            .and_then(|i| self.tracker.get(i))
            .map(|s| s.status)
    }
}

/// Carries out a command at its service.
fn execute(
    store: &mut EventStore,
    services: &mut Services<'_>,
    command: &SagaCommand,
    streams: &SagaStreams,
    meta: &mut CommandMeta,
) -> Outcome {
    let order = &command.order;
    let mark = |services: &mut Services<'_>,
                store: &mut EventStore,
                c: OrderCommand,
                meta: &mut CommandMeta| {
        outcome_of(services.orders.execute_for_saga(store, order, &c, meta))
    };
    match command.step {
        Step::ReserveStock => {
            let lines = services.orders.orders().read(store, order, |placed| {
                placed.lines.iter().map(|l| (l.sku, l.quantity)).collect()
            });
            outcome_of(services.inventory.reserve(store, order, lines, meta))
        }
        Step::ReleaseStock => outcome_of(services.inventory.release(store, order, meta)),
        Step::AuthorizePayment => outcome_of(services.payments.authorize(
            store,
            (&streams.payment, order),
            command.amount,
            meta,
        )),
        Step::CapturePayment => {
            outcome_of(services.payments.capture(store, &streams.payment, meta))
        }
        Step::VoidPayment => {
            outcome_of(services.payments.compensate(store, &streams.payment, meta))
        }
        Step::ScheduleShipment => outcome_of(services.shipping.schedule(
            store,
            (&streams.shipment, order),
            meta,
        )),
        Step::MarkReserved => mark(services, store, OrderCommand::MarkReserved, meta),
        Step::MarkPaid => mark(services, store, OrderCommand::MarkPaid, meta),
        Step::MarkShipping => mark(services, store, OrderCommand::MarkShipping, meta),
        Step::CompleteOrder => mark(services, store, OrderCommand::Complete, meta),
        Step::Decide => {
            Outcome::Refused("a decision is recorded by the process manager, not sent".into())
        }
        Step::CancelOrder => mark(
            services,
            store,
            OrderCommand::CancelOrder {
                reason: command.reason.clone(),
            },
            meta,
        ),
    }
}
