//! The orders as the playground hosts them: start a cart for a customer, add and remove catalogue
//! products, place or cancel; the "Order state" view, the projection's view, the "Orders of customer"
//! and "Order details" queries, and the generator's orders.

use super::catalogue::{find_product, CATALOGUE};
use super::order::{Order, OrderCommand, OrderError, OrderEvent, OrderStatus, Quantity};
use super::read_models::{OrderReadModels, CANCELLED, COMPLETED, OPEN_CARTS, PLACED, REVENUE};
use crate::domain::bank::Money;
use crate::domain::customers::{CustomerEvent, CustomerStatus};
use crate::domain::module::{
    copy_with, describe_as, parse_stream_id, rebuild_with, state_region, type_names,
    CommandContext, DomainModule, FormInput, Origin, Setup,
};
use crate::format::{count, group, shorten};
use crate::kernel::{
    AppendOutcome, CommandError, EventStore, FastMap, Position, RecordedEvent, Repository,
    SeededRng, StateAt, StreamId,
};
use crate::readmodel::{same_kind, DomainReadModels, ReadModelSettings};
use crate::testgen::Case;
use crate::view::{
    ButtonView, Control, FormView, ModelView, QueryAnswer, QueryDef, Rebuilt, Row, Section,
    SelectField, SelectOption, StateView, TableView, TextField,
};

/// The domain's key.
pub const KEY: &str = "orders";

/// The ids of the orders panel's controls.
pub mod controls {
    /// "Customer" select.
    pub const CUSTOMER: &str = "customer";
    /// "Start cart" button.
    pub const START: &str = "start-cart";
    /// "Order" select.
    pub const ORDER: &str = "order";
    /// "Product" select.
    pub const PRODUCT: &str = "product";
    /// "Quantity" text field.
    pub const QUANTITY: &str = "quantity";
    /// "Add item" button.
    pub const ADD: &str = "add-item";
    /// "Remove item" button.
    pub const REMOVE: &str = "remove-item";
    /// "Place order" button.
    pub const PLACE: &str = "place";
    /// "Cancel order" button.
    pub const CANCEL: &str = "cancel";
}

/// Why a user's cancellation is recorded.
pub const CANCELLED_BY_CUSTOMER: &str = "cancelled by the customer";

const QUERIES: &[QueryDef] = &[
    QueryDef {
        id: "orders-of-customer",
        label: "Orders of customer",
        parameter: "a customer id, such as customer-1",
        example: "customer-1",
    },
    QueryDef {
        id: "order-details",
        label: "Order details",
        parameter: "an order id, such as order-1",
        example: "order-1",
    },
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct CustomerEntry {
    stream: StreamId,
    /// Sealed, as their events hold it (opened only to label the select).
    name: crate::privacy::Sealed,
    active: bool,
    orders: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OrderEntry {
    stream: StreamId,
    customer: StreamId,
    status: OrderStatus,
    items: u32,
}

/// A cart the generator is filling, with what it holds.
#[derive(Debug, Clone)]
struct OpenCart {
    stream: StreamId,
    lines: Vec<(usize, u32)>,
}

/// The orders domain.
#[derive(Debug)]
pub struct OrdersModule {
    repo: Repository<Order>,
    customers: Vec<CustomerEntry>,
    customer_index: FastMap<StreamId, usize>,
    orders: Vec<OrderEntry>,
    order_index: FastMap<StreamId, usize>,
    selected_customer: Option<StreamId>,
    selected_order: Option<StreamId>,
    product: usize,
    quantity_input: String,
    carts: Vec<OpenCart>,
    placed: Vec<StreamId>,
    /// The active customers the generator created, for its carts.
    generated: Vec<StreamId>,
    generated_index: FastMap<StreamId, usize>,
    /// To open the customers' names.
    keys: crate::privacy::Keys,
}

/// Creates the orders domain (the registry's constructor).
pub fn module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(OrdersModule::new(setup))
}

impl OrdersModule {
    /// No orders yet.
    pub fn new(setup: &mut Setup<'_>) -> Self {
        // Orders read the customers' events to know who may open a cart.
        setup.store.register::<CustomerEvent>();
        Self {
            repo: Repository::new(setup.store, setup.snapshot_every),
            customers: Vec::new(),
            customer_index: FastMap::default(),
            orders: Vec::new(),
            order_index: FastMap::default(),
            selected_customer: None,
            selected_order: None,
            product: 0,
            quantity_input: "1".to_owned(),
            carts: Vec::new(),
            placed: Vec::new(),
            generated: Vec::new(),
            generated_index: FastMap::default(),
            keys: setup.keys.clone(),
        }
    }

    /// The repository of orders.
    pub fn orders(&self) -> &Repository<Order> {
        &self.repo
    }

    /// The selected order.
    pub fn selected(&self) -> Option<&StreamId> {
        self.selected_order.as_ref()
    }

    fn execute(
        &mut self,
        ctx: &mut CommandContext<'_>,
        order: &StreamId,
        command: &OrderCommand,
    ) -> Result<AppendOutcome, CommandError<OrderError>> {
        let mut meta = ctx.meta();
        self.repo.execute(ctx.store, order, command, &mut meta)
    }

    /// Carries out `command` on `order` as the command `meta` (a saga's service call).
    pub fn execute_for_saga(
        &mut self,
        store: &mut EventStore,
        order: &StreamId,
        command: &OrderCommand,
        meta: &mut crate::kernel::CommandMeta,
    ) -> Result<AppendOutcome, CommandError<OrderError>> {
        self.repo.execute(store, order, command, meta)
    }

    fn start_cart_for(
        &mut self,
        ctx: &mut CommandContext<'_>,
        customer: &StreamId,
    ) -> Result<(StreamId, AppendOutcome), CommandError<OrderError>> {
        // The customer's status as this service's directory knows it (kept current by `observe`,
        // which sees every event as it is appended).
        let customer_status =
            self.customer_index
                .get(customer)
                .map_or(CustomerStatus::NotRegistered, |&i| {
                    if self.customers[i].active {
                        CustomerStatus::Active
                    } else {
                        CustomerStatus::Deactivated
                    }
                });
        let order = StreamId::of("order", self.orders.len() + 1);
        let outcome = self.execute(
            ctx,
            &order,
            &OrderCommand::StartCart {
                customer: customer.clone(),
                customer_status,
            },
        )?;
        Ok((order, outcome))
    }

    fn start_cart(&mut self, ctx: &mut CommandContext<'_>) -> Result<Option<String>, String> {
        let customer = self.selected_customer.clone().ok_or_else(|| {
            "Choose a customer first: register one on the Customers tab.".to_owned()
        })?;
        let (order, outcome) = self
            .start_cart_for(ctx, &customer)
            .map_err(|e| e.to_string())?;
        self.selected_order = Some(order.clone());
        Ok(Some(format!(
            "Started cart {order} for {customer} (event #{}).",
            outcome.positions.end()
        )))
    }

    fn selected_order_or_refuse(&self) -> Result<StreamId, String> {
        self.selected_order
            .clone()
            .ok_or_else(|| "Start a cart first: there is no order to act on.".to_owned())
    }

    fn order_command(
        &mut self,
        ctx: &mut CommandContext<'_>,
        command: OrderCommand,
    ) -> Result<Option<String>, String> {
        let order = self.selected_order_or_refuse()?;
        let outcome = self
            .execute(ctx, &order, &command)
            .map_err(|e| e.to_string())?;
        let event = format!("event #{}", outcome.positions.end());
        Ok(Some(match command {
            OrderCommand::AddItem { product, quantity } => format!(
                "Added {} × {} to {order} ({event}).",
                quantity.get(),
                product.name
            ),
            OrderCommand::RemoveItem { sku } => format!("Removed {sku} from {order} ({event})."),
            OrderCommand::PlaceOrder => {
                let total = self.repo.load(ctx.store, &order).state.total();
                format!("Placed {order}: total {total} ({event}).")
            }
            OrderCommand::CancelOrder { .. } => format!("Cancelled {order} ({event})."),
            _ => format!("{order} changed ({event})."),
        }))
    }

    fn state_fields(at: Option<&StateAt<Order>>) -> Vec<(&'static str, String)> {
        let (order, version) = at.map(|a| (a.state.clone(), a.version)).unwrap_or_default();
        let mut status = order.status.to_string();
        if let Some(reason) = &order.cancel_reason {
            status = format!("{status} ({reason})");
        }
        vec![
            (
                "Customer",
                order
                    .customer
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), ToString::to_string),
            ),
            ("Status", status),
            ("Items", order.items().to_string()),
            (
                "Total",
                order
                    .placed_total
                    .unwrap_or_else(|| order.total())
                    .to_string(),
            ),
            ("Version", format!("v{version}")),
        ]
    }

    /// A table named `name` of `lines`: product, quantity, unit price, line total.
    fn lines_table(name: &str, lines: &[super::order::Line]) -> TableView {
        let mut table = TableView::new(name, &["Product", "Quantity", "Unit price", "Line total"]);
        for line in lines {
            let product = super::catalogue::product(line.sku.as_str()).map_or("?", |p| p.name);
            table = table.row(vec![
                format!("{product} ({})", line.sku),
                line.quantity.to_string(),
                line.unit_price.to_string(),
                Money::from_cents(line.total_cents()).to_string(),
            ]);
        }
        table
    }

    fn order_label(entry: &OrderEntry) -> String {
        format!(
            "{} · {} · {}",
            entry.stream,
            entry.status,
            count(u64::from(entry.items), "item")
        )
    }

    fn generate_step(&mut self, ctx: &mut CommandContext<'_>, rng: &mut SeededRng) -> u64 {
        if !self.placed.is_empty() && rng.below(100) < 3 {
            let index = rng.below(self.placed.len() as u64) as usize;
            let order = self.placed.swap_remove(index);
            let command = OrderCommand::CancelOrder {
                reason: CANCELLED_BY_CUSTOMER.to_owned(),
            };
            return u64::from(self.execute(ctx, &order, &command).is_ok());
        }
        if self.carts.len() < 3 || (self.carts.len() < 20 && rng.below(6) == 0) {
            if self.generated.is_empty() {
                return 0;
            }
            let customer = self.generated[rng.below(self.generated.len() as u64) as usize].clone();
            return match self.start_cart_for(ctx, &customer) {
                Ok((order, _)) => {
                    self.carts.push(OpenCart {
                        stream: order,
                        lines: Vec::new(),
                    });
                    1
                }
                Err(_) => 0,
            };
        }
        let index = rng.below(self.carts.len() as u64) as usize;
        let roll = rng.below(100);
        let cart = self.carts[index].clone();
        let (command, done) = if cart.lines.is_empty() || (roll < 55 && cart.lines.len() < 4) {
            let product = rng.below(CATALOGUE.len() as u64) as usize;
            let held = cart
                .lines
                .iter()
                .find(|(p, _)| *p == product)
                .map_or(0, |l| l.1);
            let quantity = (1 + rng.below(3) as u32).min(99 - held.min(99));
            let Ok(quantity) = Quantity::new(quantity as u8) else {
                return 0;
            };
            (
                OrderCommand::AddItem {
                    product: CATALOGUE[product],
                    quantity,
                },
                false,
            )
        } else if roll < 62 {
            let (product, _) = cart.lines[rng.below(cart.lines.len() as u64) as usize];
            (
                OrderCommand::RemoveItem {
                    sku: CATALOGUE[product].code(),
                },
                false,
            )
        } else if roll < 96 {
            (OrderCommand::PlaceOrder, true)
        } else {
            (
                OrderCommand::CancelOrder {
                    reason: CANCELLED_BY_CUSTOMER.to_owned(),
                },
                true,
            )
        };
        if self.execute(ctx, &cart.stream, &command).is_err() {
            // Changed under the generator (a user placed or cancelled it): forget it.
            self.carts.swap_remove(index);
            return 0;
        }
        let open = &mut self.carts[index];
        match &command {
            OrderCommand::AddItem { product, quantity } => {
                let p = CATALOGUE
                    .iter()
                    .position(|c| c.sku == product.sku)
                    .unwrap_or(0);
                match open.lines.iter_mut().find(|(q, _)| *q == p) {
                    Some(line) => line.1 += u32::from(quantity.get()),
                    None => open.lines.push((p, u32::from(quantity.get()))),
                }
            }
            OrderCommand::RemoveItem { sku } => {
                open.lines
                    .retain(|(p, _)| CATALOGUE[*p].sku != sku.as_str());
            }
            _ => {}
        }
        if done {
            let finished = self.carts.swap_remove(index);
            if matches!(command, OrderCommand::PlaceOrder) {
                self.placed.push(finished.stream);
                if self.placed.len() > 200 {
                    self.placed.swap_remove(0);
                }
            }
        }
        1
    }
}

impl DomainModule for OrdersModule {
    fn key(&self) -> &'static str {
        KEY
    }

    fn title(&self) -> &'static str {
        "Orders"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["order"]
    }

    fn event_types(&self) -> Vec<&'static str> {
        type_names::<OrderEvent>()
    }

    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        describe_as::<OrderEvent>(event)
    }

    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        match input {
            FormInput::Edit { control, value } => {
                match control.as_str() {
                    controls::CUSTOMER => {
                        let entry = self
                            .customers
                            .iter()
                            .find(|c| c.stream.as_str() == value)
                            .ok_or_else(|| {
                                format!("There is no customer called “{}”.", shorten(value))
                            })?;
                        self.selected_customer = Some(entry.stream.clone());
                        self.selected_order =
                            entry.orders.last().map(|&i| self.orders[i].stream.clone());
                    }
                    controls::ORDER => {
                        let entry = self
                            .orders
                            .iter()
                            .find(|o| o.stream.as_str() == value)
                            .ok_or_else(|| {
                                format!("There is no order called “{}”.", shorten(value))
                            })?;
                        self.selected_order = Some(entry.stream.clone());
                    }
                    controls::PRODUCT => {
                        let product = find_product(value)?;
                        self.product = CATALOGUE
                            .iter()
                            .position(|p| p.sku == product.sku)
                            .unwrap_or(0);
                    }
                    controls::QUANTITY => self.quantity_input = value.clone(),
                    other => {
                        return Err(format!(
                            "The orders panel has no field “{}”.",
                            shorten(other)
                        ))
                    }
                }
                Ok(None)
            }
            FormInput::Press { control } => match control.as_str() {
                controls::START => self.start_cart(ctx),
                controls::ADD => {
                    let quantity = Quantity::parse(&self.quantity_input)?;
                    let command = OrderCommand::AddItem {
                        product: CATALOGUE[self.product],
                        quantity,
                    };
                    self.order_command(ctx, command)
                }
                controls::REMOVE => {
                    let sku = CATALOGUE[self.product].code();
                    self.order_command(ctx, OrderCommand::RemoveItem { sku })
                }
                controls::PLACE => self.order_command(ctx, OrderCommand::PlaceOrder),
                controls::CANCEL => self.order_command(
                    ctx,
                    OrderCommand::CancelOrder {
                        reason: CANCELLED_BY_CUSTOMER.to_owned(),
                    },
                ),
                other => Err(format!(
                    "The orders panel has no button “{}”.",
                    shorten(other)
                )),
            },
        }
    }

    fn observe(&mut self, store: &EventStore, event: &RecordedEvent<'_>, origin: Origin) {
        if let Some(index) = event.type_index::<CustomerEvent>() {
            // Email changes do not matter to orders: they are not even decoded.
            let Some(customer_event) = (index != 2)
                .then(|| event.decode::<CustomerEvent>())
                .flatten()
            else {
                return;
            };
            let stream = event.stream_id;
            match customer_event {
                CustomerEvent::CustomerRegistered { name, .. } => {
                    self.customer_index
                        .insert(stream.clone(), self.customers.len());
                    self.customers.push(CustomerEntry {
                        stream: stream.clone(),
                        name,
                        active: true,
                        orders: Vec::new(),
                    });
                    if matches!(origin, Origin::Generator | Origin::Restore) {
                        self.generated_index
                            .insert(stream.clone(), self.generated.len());
                        self.generated.push(stream.clone());
                    }
                    // The customer a user just registered is the one they will order for.
                    if origin == Origin::User || self.selected_customer.is_none() {
                        self.selected_customer = Some(stream.clone());
                        self.selected_order = None;
                    }
                }
                CustomerEvent::CustomerNameChanged { name } => {
                    if let Some(&i) = self.customer_index.get(stream) {
                        self.customers[i].name = name;
                    }
                }
                CustomerEvent::CustomerDeactivated => {
                    if let Some(&i) = self.customer_index.get(stream) {
                        self.customers[i].active = false;
                    }
                    if let Some(i) = self.generated_index.remove(stream) {
                        self.generated.swap_remove(i);
                        if let Some(moved) = self.generated.get(i) {
                            self.generated_index.insert(moved.clone(), i);
                        }
                    }
                }
                CustomerEvent::CustomerEmailChanged { .. } => {}
            }
            return;
        }
        let Some(order_event) = event.decode::<OrderEvent>() else {
            return;
        };
        let stream = event.stream_id;
        if let OrderEvent::CartStarted { customer } = &order_event {
            let index = self.orders.len();
            self.order_index.insert(stream.clone(), index);
            self.orders.push(OrderEntry {
                stream: stream.clone(),
                customer: customer.clone(),
                status: OrderStatus::Cart,
                items: 0,
            });
            if let Some(&c) = self.customer_index.get(customer) {
                self.customers[c].orders.push(index);
            }
            // A restored log shows its first order, as it shows its first customer.
            if origin == Origin::Restore && self.selected_order.is_none() {
                self.selected_order = Some(stream.clone());
            }
            return;
        }
        let Some(&i) = self.order_index.get(stream) else {
            return;
        };
        let entry = &mut self.orders[i];
        match order_event {
            OrderEvent::ItemAdded { quantity, .. } => entry.items += u32::from(quantity.get()),
            OrderEvent::ItemRemoved { .. } => {
                if let Some(order) = self.repo.state_at(store, stream, event.position) {
                    entry.items = order.state.items();
                }
            }
            OrderEvent::OrderPlaced { .. } => entry.status = OrderStatus::Placed,
            OrderEvent::OrderCancelled { .. } => entry.status = OrderStatus::Cancelled,
            OrderEvent::OrderReserved => entry.status = OrderStatus::Reserved,
            OrderEvent::OrderPaid => entry.status = OrderStatus::Paid,
            OrderEvent::OrderShipping => entry.status = OrderStatus::Shipping,
            OrderEvent::OrderCompleted => entry.status = OrderStatus::Completed,
            OrderEvent::CartStarted { .. } => {}
        }
    }

    fn form(&self, _store: &EventStore) -> FormView {
        let customer = self.selected_customer.as_ref();
        let orders: Vec<SelectOption> = customer
            .and_then(|c| self.customer_index.get(c))
            .map(|&c| {
                self.customers[c]
                    .orders
                    .iter()
                    .map(|&i| {
                        SelectOption::new(
                            self.orders[i].stream.as_str(),
                            Self::order_label(&self.orders[i]),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut catalogue = TableView::new("Catalogue", &["SKU", "Product", "Price"]);
        for p in CATALOGUE {
            catalogue = catalogue.row(vec![
                p.sku.to_owned(),
                p.name.to_owned(),
                p.price().to_string(),
            ]);
        }
        FormView {
            sections: vec![Section {
                rows: vec![
                    Row::of(vec![
                        Control::Select(SelectField {
                            id: controls::CUSTOMER.to_owned(),
                            label: "Customer".to_owned(),
                            options: self
                                .customers
                                .iter()
                                .map(|c| {
                                    let name = self.keys.show(&c.stream, "name", &c.name);
                                    let mut label = format!("{} · {name}", c.stream);
                                    if self.keys.is_forgotten(&c.stream) {
                                        label.push_str(" (forgotten)");
                                    } else if !c.active {
                                        label.push_str(" (deactivated)");
                                    }
                                    SelectOption::new(c.stream.as_str(), label)
                                })
                                .collect(),
                            selected: customer.map(|c| c.to_string()).unwrap_or_default(),
                            empty: "No customers yet: register one on the Customers tab".to_owned(),
                        }),
                        Control::Button(ButtonView::new(controls::START, "Start cart")),
                    ]),
                    Row::of(vec![Control::Select(SelectField {
                        id: controls::ORDER.to_owned(),
                        label: "Order".to_owned(),
                        options: orders,
                        selected: self
                            .selected_order
                            .as_ref()
                            .map(|o| o.to_string())
                            .unwrap_or_default(),
                        empty: "No orders for this customer yet: start a cart".to_owned(),
                    })]),
                    Row::submitting(
                        controls::ADD,
                        vec![
                            Control::Select(SelectField {
                                id: controls::PRODUCT.to_owned(),
                                label: "Product".to_owned(),
                                options: CATALOGUE
                                    .iter()
                                    .map(|p| {
                                        SelectOption::new(
                                            p.sku,
                                            format!("{} — {}", p.name, p.price()),
                                        )
                                    })
                                    .collect(),
                                selected: CATALOGUE[self.product].sku.to_owned(),
                                empty: String::new(),
                            }),
                            Control::Text(
                                TextField::new(
                                    controls::QUANTITY,
                                    "Quantity",
                                    &self.quantity_input,
                                )
                                .placeholder("1")
                                .hint("1 to 99 of the product")
                                .numeric(),
                            ),
                            Control::Button(ButtonView::new(controls::ADD, "Add item")),
                        ],
                    ),
                    Row::of(vec![
                        Control::Button(ButtonView::secondary(controls::REMOVE, "Remove item")),
                        Control::Button(ButtonView::new(controls::PLACE, "Place order")),
                        Control::Button(ButtonView::secondary(controls::CANCEL, "Cancel order")),
                    ]),
                ],
                table: Some(catalogue),
                hint: Some(
                    "Remove item removes the chosen product's line from the selected order."
                        .to_owned(),
                ),
                ..Section::default()
            }],
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
            "order",
            store,
            (stream, self.selected_order.as_ref()),
            position,
        )
    }

    fn state(&self, store: &EventStore, position: Position) -> StateView {
        let Some(order) = &self.selected_order else {
            return StateView::nothing("Order state", "Start a cart to see the order here.");
        };
        let (mut view, now) = state_region(
            &self.repo,
            store,
            (order, position),
            "Order state",
            Self::state_fields,
        );
        view.table = now
            .as_ref()
            .map(|at| Self::lines_table("Order lines", &at.state.lines));
        view.empty = "no events for this order yet at this position".to_owned();
        view
    }

    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.repo, "order", store, stream, position)
    }

    fn read_models(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(OrderReadModels::default())
    }

    fn model_view(&self, models: &dyn DomainReadModels, store: &EventStore) -> Option<ModelView> {
        let models = same_kind::<OrderReadModels>(models)?;
        let mut totals = vec![
            (OPEN_CARTS.to_owned(), models.open_carts.to_string()),
            (PLACED.to_owned(), models.placed.to_string()),
            (CANCELLED.to_owned(), models.cancelled.to_string()),
            (COMPLETED.to_owned(), models.completed.to_string()),
            (
                REVENUE.to_owned(),
                Money::from_cents(models.revenue_cents).to_string(),
            ),
            ("Orders with a row".to_owned(), group(models.len() as u64)),
        ];
        if let Some(order) = &self.selected_order {
            let row = models.get(store, order).map_or_else(
                || "—".to_owned(),
                |r| {
                    format!(
                        "{} · {} · {}",
                        r.status,
                        count(u64::from(r.items()), "item"),
                        r.total()
                    )
                },
            );
            totals.push((format!("Row of {order} (the selected order)"), row));
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
        let models = same_kind::<OrderReadModels>(models)?;
        match id {
            "orders-of-customer" => Some(parse_stream_id(parameter, "customer").map(|customer| {
                let orders = models.of_customer(&customer);
                if orders.is_empty() {
                    return QueryAnswer::NotFound(format!("No orders for {customer} yet."));
                }
                let mut table =
                    TableView::new("Query result", &["Order", "Status", "Items", "Total"]);
                for (order, row) in orders {
                    table = table.row(vec![
                        order.to_string(),
                        row.status.to_string(),
                        row.items().to_string(),
                        row.total().to_string(),
                    ]);
                }
                QueryAnswer::Table(table)
            })),
            "order-details" => Some(parse_stream_id(parameter, "order").map(|order| {
                let Some(row) = models.get(store, &order) else {
                    return QueryAnswer::NotFound(format!("No order called {order}."));
                };
                let table = Self::lines_table("Query result", &row.lines).row(vec![
                    format!(
                        "Total of {order} ({}, {})",
                        row.status,
                        row.customer.as_ref().map_or("?", StreamId::as_str)
                    ),
                    row.items().to_string(),
                    String::new(),
                    row.total().to_string(),
                ]);
                QueryAnswer::Table(table)
            })),
            _ => None,
        }
    }

    fn generator_weight(&self) -> u32 {
        38
    }

    fn start_generating(&mut self, _events: u64) {
        // Carts and customers of earlier runs are left as they are.
        self.carts.clear();
        self.placed.clear();
        self.generated.clear();
        self.generated_index.clear();
    }

    fn generate(&mut self, ctx: &mut CommandContext<'_>, rng: &mut SeededRng, room: u64) -> u64 {
        if room == 0 {
            return 0;
        }
        for _ in 0..4 {
            let written = self.generate_step(ctx, rng);
            if written > 0 {
                return written;
            }
        }
        0
    }
}
