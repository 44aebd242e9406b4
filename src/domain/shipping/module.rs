//! Shipping as the playground hosts it: mark a scheduled shipment shipped and delivered, the
//! "Shipment state" view, and the service method the fulfilment saga books the carrier with.

use super::shipment::{Shipment, ShipmentCommand, ShipmentError, ShipmentEvent};
use crate::domain::module::{
    copy_with, describe_as, rebuild_with, state_region, type_names, CommandContext, DomainModule,
    FormInput, Origin, Setup,
};
use crate::format::shorten;
use crate::kernel::{
    AppendOutcome, CommandError, CommandMeta, EventStore, Position, RecordedEvent, Repository,
    StateAt, StreamId,
};
use crate::readmodel::{ChartSeries, DomainReadModels, ReadModelSettings, Totals};
use crate::testgen::Case;
use crate::view::{
    ButtonView, Control, FormView, ModelView, Rebuilt, Row, Section, SelectField, SelectOption,
    StateView,
};

/// The domain's key.
pub const KEY: &str = "shipping";

/// The ids of the shipping panel's controls.
pub mod controls {
    /// "Shipment" select.
    pub const SHIPMENT: &str = "shipment";
    /// "Mark shipped" button.
    pub const SHIP: &str = "ship";
    /// "Mark delivered" button.
    pub const DELIVER: &str = "deliver";
}

/// The shipment stream of `order`: `shipment-order-1`.
pub fn shipment_of(order: &StreamId) -> StreamId {
    StreamId::new(format!("shipment-{order}"))
}

const SCHEDULED: &str = "Shipments scheduled";
const SHIPPED: &str = "Shipments shipped";
const DELIVERED: &str = "Shipments delivered";

const SERIES: &[ChartSeries] = &[
    ChartSeries {
        code: "scheduled",
        label: SCHEDULED,
        money: false,
    },
    ChartSeries {
        code: "shipped",
        label: SHIPPED,
        money: false,
    },
    ChartSeries {
        code: "delivered",
        label: DELIVERED,
        money: false,
    },
];

fn fold(event: &RecordedEvent<'_>, totals: &mut [i64]) {
    if let Some(index) = event.type_index::<ShipmentEvent>() {
        totals[index] += 1;
    }
}

fn accepts(event: &RecordedEvent<'_>) -> bool {
    event.is::<ShipmentEvent>()
}

/// The shipping domain.
#[derive(Debug)]
pub struct ShippingModule {
    repo: Repository<Shipment>,
    shipments: Vec<StreamId>,
    selected: Option<StreamId>,
}

/// Creates the shipping domain (the registry's constructor).
pub fn module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(ShippingModule::new(setup))
}

impl ShippingModule {
    /// No shipments yet.
    pub fn new(setup: &mut Setup<'_>) -> Self {
        Self {
            repo: Repository::new(setup.store, setup.snapshot_every),
            shipments: Vec::new(),
            selected: None,
        }
    }

    /// The repository of shipments.
    pub fn repository(&self) -> &Repository<Shipment> {
        &self.repo
    }

    /// Books the carrier for `order` on its shipment stream `shipment` as the command `meta` (the
    /// carrier's answer, when it comes).
    pub fn schedule(
        &mut self,
        store: &mut EventStore,
        (shipment, order): (&StreamId, &StreamId),
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<ShipmentError>> {
        let command = ShipmentCommand::Schedule {
            order: order.clone(),
        };
        self.repo.execute(store, shipment, &command, meta)
    }

    fn state_fields(at: Option<&StateAt<Shipment>>) -> Vec<(&'static str, String)> {
        let (s, version) = at.map(|a| (a.state.clone(), a.version)).unwrap_or_default();
        vec![
            (
                "Order",
                s.order
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), ToString::to_string),
            ),
            ("Status", s.status.to_string()),
            ("Version", format!("v{version}")),
        ]
    }
}

impl DomainModule for ShippingModule {
    fn key(&self) -> &'static str {
        KEY
    }

    fn title(&self) -> &'static str {
        "Shipping"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["shipment"]
    }

    fn event_types(&self) -> Vec<&'static str> {
        type_names::<ShipmentEvent>()
    }

    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        describe_as::<ShipmentEvent>(event)
    }

    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        match input {
            FormInput::Edit { control, value } if control == controls::SHIPMENT => {
                let stream = self
                    .shipments
                    .iter()
                    .find(|s| s.as_str() == value)
                    .ok_or_else(|| format!("There is no shipment “{}”.", shorten(value)))?;
                self.selected = Some(stream.clone());
                Ok(None)
            }
            FormInput::Edit { control, .. } => Err(format!(
                "The shipping panel has no field “{}”.",
                shorten(control)
            )),
            FormInput::Press { control } => {
                let command = match control.as_str() {
                    controls::SHIP => ShipmentCommand::Ship,
                    controls::DELIVER => ShipmentCommand::Deliver,
                    other => {
                        return Err(format!(
                            "The shipping panel has no button “{}”.",
                            shorten(other)
                        ))
                    }
                };
                let stream = self.selected.clone().ok_or_else(|| {
                    "Choose a shipment first: the saga schedules one when an order is paid."
                        .to_owned()
                })?;
                let mut meta = ctx.meta();
                let outcome = self
                    .repo
                    .execute(ctx.store, &stream, &command, &mut meta)
                    .map_err(|e| e.to_string())?;
                let verb = if command == ShipmentCommand::Ship {
                    "shipped"
                } else {
                    "delivered"
                };
                Ok(Some(format!(
                    "Marked {stream} {verb} (event #{}).",
                    outcome.positions.end()
                )))
            }
        }
    }

    fn observe(&mut self, _store: &EventStore, event: &RecordedEvent<'_>, origin: Origin) {
        if event.type_index::<ShipmentEvent>() != Some(0) {
            return;
        }
        self.shipments.push(event.stream_id.clone());
        if origin == Origin::User || self.selected.is_none() {
            self.selected = Some(event.stream_id.clone());
        }
    }

    fn form(&self, _store: &EventStore) -> FormView {
        let options = self
            .shipments
            .iter()
            .rev()
            .take(200)
            .map(|s| SelectOption::new(s.as_str(), s.as_str()))
            .collect();
        FormView {
            sections: vec![Section {
                rows: vec![
                    Row::of(vec![Control::Select(SelectField {
                        id: controls::SHIPMENT.to_owned(),
                        label: "Shipment".to_owned(),
                        options,
                        selected: self
                            .selected
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        empty: "No shipments yet: the saga schedules them".to_owned(),
                    })]),
                    Row::of(vec![
                        Control::Button(ButtonView::new(controls::SHIP, "Mark shipped")),
                        Control::Button(ButtonView::secondary(controls::DELIVER, "Mark delivered")),
                    ]),
                ],
                hint: Some(
                    "The carrier answers a saga's booking after the Shipping delay (in ticks)."
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
            "shipment",
            store,
            (stream, self.selected.as_ref()),
            position,
        )
    }

    fn state(&self, store: &EventStore, position: Position) -> StateView {
        let Some(stream) = &self.selected else {
            return StateView::nothing(
                "Shipment state",
                "No shipment yet: the saga schedules one when an order is paid.",
            );
        };
        let (mut view, _) = state_region(
            &self.repo,
            store,
            (stream, position),
            "Shipment state",
            Self::state_fields,
        );
        view.empty = "no events for this shipment yet at this position".to_owned();
        view
    }

    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.repo, "shipment", store, stream, position)
    }

    fn read_models(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Totals::new(SERIES, fold, accepts))
    }

    fn model_view(&self, models: &dyn DomainReadModels, _store: &EventStore) -> Option<ModelView> {
        Totals::view(models, SERIES, self.title())
    }
}
