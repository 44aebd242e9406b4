//! The inventory as the playground hosts it: the "Stock levels" table, restocking a product,
//! releasing an open reservation, the "Stock" state as of any position; and the service methods the
//! fulfilment saga reserves and releases stock with.

use super::warehouse::{
    product_name, show_lines, warehouse, StockCommand, StockError, StockEvent, StockLines,
    Warehouse,
};
use crate::domain::module::{
    copy_with, describe_as, rebuild_with, state_region, type_names, CommandContext, DomainModule,
    FormInput, Origin, Setup,
};
use crate::domain::orders::{find_product, OrderEvent, CATALOGUE};
use crate::format::{group, shorten};
use crate::kernel::{
    AppendOutcome, CommandError, CommandMeta, EventStore, FastMap, Position, RecordedEvent,
    Repository, StateAt, StreamId,
};
use crate::readmodel::{ChartSeries, DomainReadModels, ReadModelSettings, Totals};
use crate::testgen::Case;
use crate::view::{
    ButtonView, Control, FormView, ModelView, Rebuilt, Row, Section, SelectField, SelectOption,
    StateView, TableView, TextField,
};

/// The domain's key.
pub const KEY: &str = "inventory";

/// The ids of the inventory panel's controls.
pub mod controls {
    /// "Product" select.
    pub const PRODUCT: &str = "stock-product";
    /// "Restock quantity" text field.
    pub const QUANTITY: &str = "restock-quantity";
    /// "Restock" button.
    pub const RESTOCK: &str = "restock";
    /// "Reservation" select.
    pub const RESERVATION: &str = "reservation";
    /// "Release reservation" button.
    pub const RELEASE: &str = "release";
}

/// The "Units reserved" total (reserved minus released).
const UNITS_RESERVED: &str = "Units reserved";
/// The "Reservations rejected" total.
const REJECTED: &str = "Reservations rejected";
/// The "Units restocked" total.
const RESTOCKED: &str = "Units restocked";

const SERIES: &[ChartSeries] = &[
    ChartSeries {
        code: "units-reserved",
        label: UNITS_RESERVED,
        money: false,
    },
    ChartSeries {
        code: "reservations-rejected",
        label: REJECTED,
        money: false,
    },
    ChartSeries {
        code: "units-restocked",
        label: RESTOCKED,
        money: false,
    },
];

/// The units an event's lines add up to, read straight from its stored data (the order's name is
/// skipped, not copied): the read models fold every reservation three times over.
fn units_in(data: &[u8]) -> Option<i64> {
    use crate::kernel::codec::{read_bytes, read_varint};
    let mut input = data;
    read_bytes(&mut input)?;
    let mut units = 0i64;
    for _ in 0..read_varint(&mut input)? {
        read_bytes(&mut input)?;
        units += i64::try_from(read_varint(&mut input)?).ok()?;
    }
    Some(units)
}

fn fold(event: &RecordedEvent<'_>, totals: &mut [i64]) {
    match event.type_index::<StockEvent>() {
        Some(0) => totals[0] += units_in(event.data).unwrap_or(0),
        Some(2) => totals[0] -= units_in(event.data).unwrap_or(0),
        Some(1) => totals[1] += 1,
        Some(_) => {
            if let Some(StockEvent::Restocked { quantity, .. }) = event.decode::<StockEvent>() {
                totals[2] += i64::from(quantity);
            }
        }
        None => {}
    }
}

fn accepts(event: &RecordedEvent<'_>) -> bool {
    event.is::<StockEvent>()
}

/// The inventory domain.
#[derive(Debug)]
pub struct InventoryModule {
    repo: Repository<Warehouse>,
    stream: StreamId,
    /// What each order's open reservation holds.
    open: FastMap<StreamId, StockLines>,
    /// Orders with an open reservation, oldest first (for the select; released ones are skipped).
    open_order: Vec<StreamId>,
    /// The warehouse's version `open` reflects.
    folded: u64,
    product: usize,
    quantity_input: String,
    selected_reservation: Option<StreamId>,
}

/// Creates the inventory domain (the registry's constructor).
pub fn module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(InventoryModule::new(setup))
}

impl InventoryModule {
    /// The warehouse at its starting stock.
    pub fn new(setup: &mut Setup<'_>) -> Self {
        Self {
            repo: Repository::new(setup.store, setup.snapshot_every),
            stream: warehouse(),
            open: FastMap::default(),
            open_order: Vec::new(),
            folded: 0,
            product: 0,
            quantity_input: "10".to_owned(),
            selected_reservation: None,
        }
    }

    /// The warehouse's repository.
    pub fn repository(&self) -> &Repository<Warehouse> {
        &self.repo
    }

    /// The warehouse as it stands.
    pub fn current(&self, store: &EventStore) -> Warehouse {
        self.repo.load(store, &self.stream).state
    }

    /// Reserves `lines` for `order` as the command `meta` (the saga's service call): a
    /// `StockReserved` or, when a product is short, a `StockReservationRejected`.
    pub fn reserve(
        &mut self,
        store: &mut EventStore,
        order: &StreamId,
        lines: StockLines,
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<StockError>> {
        let command = StockCommand::Reserve {
            order: order.clone(),
            lines,
        };
        self.repo.execute(store, &self.stream, &command, meta)
    }

    /// Releases what `order` holds as the command `meta`; refused when it holds nothing.
    pub fn release(
        &mut self,
        store: &mut EventStore,
        order: &StreamId,
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<StockError>> {
        // What the order holds, as of the warehouse's last event (a reservation made a moment ago
        // in the same tick included).
        self.catch_up(store);
        let command = StockCommand::Release {
            order: order.clone(),
            lines: self.open.get(order).cloned().unwrap_or_default(),
        };
        self.repo.execute(store, &self.stream, &command, meta)
    }

    fn press(
        &mut self,
        control: &str,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        match control {
            controls::RESTOCK => {
                let quantity = crate::format::parse_whole(&self.quantity_input)
                    .filter(|n| (1..=u64::from(super::MAX_RESTOCK)).contains(n))
                    .ok_or_else(|| {
                        format!(
                            "Restock quantity must be a whole number from 1 to 1,000,000; “{}” is not.",
                            shorten(&self.quantity_input)
                        )
                    })? as u32;
                let sku = CATALOGUE[self.product].code();
                let mut meta = ctx.meta();
                let outcome = self
                    .repo
                    .execute(
                        ctx.store,
                        &self.stream,
                        &StockCommand::Restock { sku, quantity },
                        &mut meta,
                    )
                    .map_err(|e| e.to_string())?;
                Ok(Some(format!(
                    "Restocked {} × {} (event #{}).",
                    group(u64::from(quantity)),
                    product_name(&sku),
                    outcome.positions.end()
                )))
            }
            controls::RELEASE => {
                let order = self.selected_reservation.clone().ok_or_else(|| {
                    "Choose a reservation first: no order holds stock.".to_owned()
                })?;
                let mut meta = ctx.meta();
                let outcome = self
                    .release(ctx.store, &order, &mut meta)
                    .map_err(|e| e.to_string())?;
                Ok(Some(format!(
                    "Released the stock {order} held (event #{}).",
                    outcome.positions.end()
                )))
            }
            other => Err(format!(
                "The inventory panel has no button “{}”.",
                shorten(other)
            )),
        }
    }

    /// Folds the warehouse's events not yet folded into the open reservations.
    fn catch_up(&mut self, store: &EventStore) {
        let version = store.stream_version(&self.stream).unwrap_or(0);
        if version == self.folded {
            return;
        }
        let events: Vec<StockEvent> = store
            .read_stream(&self.stream, self.folded + 1)
            .filter_map(|e| e.decode::<StockEvent>())
            .collect();
        self.folded = version;
        for stock in events {
            self.fold(stock);
        }
    }

    fn fold(&mut self, stock: StockEvent) {
        match stock {
            StockEvent::StockReserved { order, lines } => {
                match self.open.get_mut(&order) {
                    // Reserved again (a handler that is not idempotent): it holds both.
                    Some(held) => held.extend(lines),
                    None => {
                        self.open.insert(order.clone(), lines);
                        self.open_order.push(order.clone());
                    }
                }
                if self.selected_reservation.is_none() {
                    self.selected_reservation = Some(order);
                }
            }
            StockEvent::StockReleased { order, .. } => {
                self.open.remove(&order);
                if self.selected_reservation.as_ref() == Some(&order) {
                    self.selected_reservation = None;
                }
                // Keep the list of orders short: drop released ones from time to time.
                if self.open_order.len() > 2 * self.open.len() + 64 {
                    let open = &self.open;
                    self.open_order.retain(|o| open.contains_key(o));
                }
            }
            StockEvent::StockReservationRejected { .. } | StockEvent::Restocked { .. } => {}
        }
    }

    fn state_fields(at: Option<&StateAt<Warehouse>>) -> Vec<(&'static str, String)> {
        let (state, version) = at
            .map(|a| (a.state.clone(), a.version))
            .unwrap_or_else(|| (Warehouse::default(), 0));
        let mut fields: Vec<(&'static str, String)> = CATALOGUE
            .iter()
            .zip(state.levels)
            .map(|(p, level)| {
                (
                    p.sku,
                    format!(
                        "{} available · {} committed",
                        group(u64::from(level.available)),
                        group(u64::from(level.reserved))
                    ),
                )
            })
            .collect();
        fields.push(("Version", format!("v{version}")));
        fields
    }

    fn levels_table(state: &Warehouse) -> TableView {
        let mut table =
            TableView::new("Stock levels", &["SKU", "Product", "Available", "Reserved"]);
        for (p, level) in CATALOGUE.iter().zip(state.levels) {
            table = table.row(vec![
                p.sku.to_owned(),
                p.name.to_owned(),
                group(u64::from(level.available)),
                group(u64::from(level.reserved)),
            ]);
        }
        table
    }
}

impl DomainModule for InventoryModule {
    fn key(&self) -> &'static str {
        KEY
    }

    fn title(&self) -> &'static str {
        "Inventory"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["stock"]
    }

    fn event_types(&self) -> Vec<&'static str> {
        type_names::<StockEvent>()
    }

    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        describe_as::<StockEvent>(event)
    }

    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        match input {
            FormInput::Edit { control, value } => {
                match control.as_str() {
                    controls::PRODUCT => {
                        let product = find_product(value)?;
                        self.product = CATALOGUE
                            .iter()
                            .position(|p| p.sku == product.sku)
                            .unwrap_or(0);
                    }
                    controls::QUANTITY => self.quantity_input = value.clone(),
                    controls::RESERVATION => {
                        let order = self
                            .open_order
                            .iter()
                            .find(|o| o.as_str() == value && self.open.contains_key(*o))
                            .ok_or_else(|| {
                                format!("No order “{}” holds a reservation.", shorten(value))
                            })?;
                        self.selected_reservation = Some(order.clone());
                    }
                    other => {
                        return Err(format!(
                            "The inventory panel has no field “{}”.",
                            shorten(other)
                        ))
                    }
                }
                Ok(None)
            }
            FormInput::Press { control } => self.press(control, ctx),
        }
    }

    fn observe(&mut self, store: &EventStore, event: &RecordedEvent<'_>, _origin: Origin) {
        if event.is::<StockEvent>() {
            self.catch_up(store);
        } else if event.type_index::<OrderEvent>() == Some(OrderEvent::COMPLETED) {
            // A completed order's stock left with its shipment: it is committed, not releasable.
            self.catch_up(store);
            if self.open.remove(event.stream_id).is_some()
                && self.selected_reservation.as_ref() == Some(event.stream_id)
            {
                self.selected_reservation = None;
            }
        }
    }

    fn form(&self, store: &EventStore) -> FormView {
        let current = self.current(store);
        // The newest 200 open reservations are listed; the saga releases the rest itself.
        let reservations: Vec<SelectOption> = self
            .open_order
            .iter()
            .rev()
            .filter_map(|o| self.open.get(o).map(|lines| (o, lines)))
            .take(200)
            .map(|(o, lines)| SelectOption::new(o.as_str(), format!("{o} · {}", show_lines(lines))))
            .collect();
        FormView {
            sections: vec![Section {
                rows: vec![
                    Row::submitting(
                        controls::RESTOCK,
                        vec![
                            Control::Select(SelectField {
                                id: controls::PRODUCT.to_owned(),
                                label: "Product".to_owned(),
                                options: CATALOGUE
                                    .iter()
                                    .map(|p| SelectOption::new(p.sku, format!("{} ({})", p.name, p.sku)))
                                    .collect(),
                                selected: CATALOGUE[self.product].sku.to_owned(),
                                empty: String::new(),
                            }),
                            Control::Text(
                                TextField::new(
                                    controls::QUANTITY,
                                    "Restock quantity",
                                    &self.quantity_input,
                                )
                                .placeholder("10")
                                .hint("1 to 1,000,000 units")
                                .numeric(),
                            ),
                            Control::Button(ButtonView::new(controls::RESTOCK, "Restock")),
                        ],
                    ),
                    Row::of(vec![
                        Control::Select(SelectField {
                            id: controls::RESERVATION.to_owned(),
                            label: "Reservation".to_owned(),
                            options: reservations,
                            selected: self
                                .selected_reservation
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                            empty: "No order holds stock".to_owned(),
                        }),
                        Control::Button(ButtonView::secondary(
                            controls::RELEASE,
                            "Release reservation",
                        )),
                    ]),
                ],
                table: Some(Self::levels_table(&current)),
                hint: Some(format!(
                    "The fulfilment saga reserves an order's stock, which stays committed once the order is completed and comes back when it is cancelled. Open reservations: {}.",
                    group(self.open.len() as u64)
                )),
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
            "stock",
            store,
            (stream, Some(&self.stream)),
            position,
        )
    }

    fn state(&self, store: &EventStore, position: Position) -> StateView {
        let (mut view, _) = state_region(
            &self.repo,
            store,
            (&self.stream, position),
            "Stock",
            Self::state_fields,
        );
        view.empty = "the warehouse holds its starting stock at this position".to_owned();
        view
    }

    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.repo, "stock", store, stream, position)
    }

    fn read_models(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Totals::new(SERIES, fold, accepts))
    }

    fn model_view(&self, models: &dyn DomainReadModels, _store: &EventStore) -> Option<ModelView> {
        Totals::view(models, SERIES, self.title())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::DomainEvent;

    #[test]
    fn the_units_read_from_stored_data_are_the_decoded_lines_added_up() {
        let lines = vec![
            (CATALOGUE[0].code(), 3),
            (CATALOGUE[5].code(), 1),
            (CATALOGUE[2].code(), 200),
        ];
        let event = StockEvent::StockReserved {
            order: StreamId::new("order-12345"),
            lines,
        };
        let mut data = Vec::new();
        event.encode(&mut data);
        assert_eq!(units_in(&data), Some(204));
        assert_eq!(units_in(&data[..data.len() - 1]), None, "cut short");
    }
}
