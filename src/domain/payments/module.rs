//! Payments as the playground hosts them: authorise an amount for an order (the seeded issuer may
//! decline it), capture, void, refund; the "Payment state" view; and the service methods the
//! fulfilment saga pays with.

use super::issuer::Issuer;
use super::payment::{Payment, PaymentCommand, PaymentError, PaymentEvent};
use crate::domain::bank::Money;
use crate::domain::module::{
    copy_with, describe_as, parse_stream_id, rebuild_with, state_region, type_names,
    CommandContext, DomainModule, FormInput, Origin, Setup,
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
    StateView, TextField,
};

/// The domain's key.
pub const KEY: &str = "payments";

/// The ids of the payments panel's controls.
pub mod controls {
    /// "Order to pay" text field.
    pub const ORDER: &str = "pay-order";
    /// "Amount" text field.
    pub const AMOUNT: &str = "pay-amount";
    /// "Authorise" button.
    pub const AUTHORIZE: &str = "authorize";
    /// "Payment" select.
    pub const PAYMENT: &str = "payment";
    /// "Capture" button.
    pub const CAPTURE: &str = "capture";
    /// "Void" button.
    pub const VOID: &str = "void";
    /// "Refund" button.
    pub const REFUND: &str = "refund";
}

/// The payment stream of `order`: `payment-order-1`.
pub fn payment_of(order: &StreamId) -> StreamId {
    StreamId::new(format!("payment-{order}"))
}

const AUTHORIZED: &str = "Money authorised";
const CAPTURED: &str = "Money captured";
const REFUNDED: &str = "Money refunded";
const VOIDED: &str = "Money voided";
const DECLINED: &str = "Payments declined";

const SERIES: &[ChartSeries] = &[
    ChartSeries {
        code: "authorised",
        label: AUTHORIZED,
        money: true,
    },
    ChartSeries {
        code: "captured",
        label: CAPTURED,
        money: true,
    },
    ChartSeries {
        code: "refunded",
        label: REFUNDED,
        money: true,
    },
    ChartSeries {
        code: "voided",
        label: VOIDED,
        money: true,
    },
    ChartSeries {
        code: "declined",
        label: DECLINED,
        money: false,
    },
];

/// The amount an event carries, read straight from its stored data (an authorisation's order name
/// is skipped, not copied).
fn amount_in(index: usize, data: &[u8]) -> i64 {
    use crate::kernel::codec::{read_bytes, Decode};
    let mut input = data;
    if index <= 1 && read_bytes(&mut input).is_none() {
        return 0;
    }
    i64::decode(&mut input).unwrap_or(0)
}

fn fold(event: &RecordedEvent<'_>, totals: &mut [i64]) {
    match event.type_index::<PaymentEvent>() {
        Some(0) => totals[0] += amount_in(0, event.data),
        Some(1) => totals[4] += 1,
        Some(2) => totals[1] += amount_in(2, event.data),
        Some(3) => totals[3] += amount_in(3, event.data),
        Some(_) => totals[2] += amount_in(4, event.data),
        None => {}
    }
}

fn accepts(event: &RecordedEvent<'_>) -> bool {
    event.is::<PaymentEvent>()
}

/// The payments domain.
#[derive(Debug)]
pub struct PaymentsModule {
    repo: Repository<Payment>,
    issuer: Issuer,
    /// Every payment stream, in order of its first event.
    payments: Vec<StreamId>,
    selected: Option<StreamId>,
    order_input: String,
    amount_input: String,
}

/// Creates the payments domain (the registry's constructor).
pub fn module(setup: &mut Setup<'_>) -> Box<dyn DomainModule> {
    Box::new(PaymentsModule::new(setup))
}

impl PaymentsModule {
    /// No payments yet; the issuer declines nothing until told otherwise.
    pub fn new(setup: &mut Setup<'_>) -> Self {
        Self {
            repo: Repository::new(setup.store, setup.snapshot_every),
            issuer: Issuer::default(),
            payments: Vec::new(),
            selected: None,
            order_input: String::new(),
            amount_input: String::new(),
        }
    }

    /// The repository of payments.
    pub fn repository(&self) -> &Repository<Payment> {
        &self.repo
    }

    /// The issuer in force.
    pub fn issuer(&self) -> Issuer {
        self.issuer
    }

    /// Sets the issuer (its seed and decline rate) for the authorisations from now on.
    pub fn set_issuer(&mut self, issuer: Issuer) {
        self.issuer = issuer;
    }

    /// `order`'s payment as it stands.
    pub fn payment(&self, store: &EventStore, order: &StreamId) -> Payment {
        self.repo.load(store, &payment_of(order)).state
    }

    /// Authorises `amount` for `order` on its payment stream `payment` as the command `meta`;
    /// the issuer decides whether it is declined.
    pub fn authorize(
        &mut self,
        store: &mut EventStore,
        (payment, order): (&StreamId, &StreamId),
        amount: Money,
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<PaymentError>> {
        let command = PaymentCommand::Authorize {
            order: order.clone(),
            amount,
            declined: self.issuer.declines(order),
        };
        self.repo.execute(store, payment, &command, meta)
    }

    /// Captures what is held on `payment`.
    pub fn capture(
        &mut self,
        store: &mut EventStore,
        payment: &StreamId,
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<PaymentError>> {
        self.repo
            .execute(store, payment, &PaymentCommand::Capture, meta)
    }

    /// Undoes `payment`, whatever it got to: voids what is held (closing a payment nothing was
    /// held for yet, so a late authorisation is refused) and refunds what was captured.
    pub fn compensate(
        &mut self,
        store: &mut EventStore,
        payment: &StreamId,
        meta: &mut CommandMeta,
    ) -> Result<AppendOutcome, CommandError<PaymentError>> {
        let net = self.repo.read(store, payment, |p| p.net().cents());
        let void = self
            .repo
            .execute(store, payment, &PaymentCommand::Void, meta);
        if net > 0 {
            return self
                .repo
                .execute(store, payment, &PaymentCommand::Refund, meta);
        }
        void
    }

    fn selected_or_refuse(&self) -> Result<StreamId, String> {
        self.selected
            .clone()
            .ok_or_else(|| "Choose a payment first: authorise one for an order.".to_owned())
    }

    fn press(
        &mut self,
        control: &str,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        let mut meta = ctx.meta();
        let (stream, command) = match control {
            controls::AUTHORIZE => {
                let order = parse_stream_id(&self.order_input, "order")?;
                let amount = Money::parse_amount(&self.amount_input).map_err(|e| e.to_string())?;
                let outcome = self
                    .authorize(ctx.store, (&payment_of(&order), &order), amount, &mut meta)
                    .map_err(|e| e.to_string())?;
                self.selected = Some(payment_of(&order));
                let verb = if self.issuer.declines(&order) {
                    "The issuer declined"
                } else {
                    "Authorised"
                };
                return Ok(Some(format!(
                    "{verb} {amount} for {order} (event #{}).",
                    outcome.positions.end()
                )));
            }
            controls::CAPTURE => (self.selected_or_refuse()?, PaymentCommand::Capture),
            controls::VOID => (self.selected_or_refuse()?, PaymentCommand::Void),
            controls::REFUND => (self.selected_or_refuse()?, PaymentCommand::Refund),
            other => {
                return Err(format!(
                    "The payments panel has no button “{}”.",
                    shorten(other)
                ))
            }
        };
        let outcome = self
            .repo
            .execute(ctx.store, &stream, &command, &mut meta)
            .map_err(|e| e.to_string())?;
        let verb = match command {
            PaymentCommand::Capture => "Captured",
            PaymentCommand::Void => "Voided",
            _ => "Refunded",
        };
        Ok(Some(format!(
            "{verb} {stream} (event #{}).",
            outcome.positions.end()
        )))
    }

    fn state_fields(at: Option<&StateAt<Payment>>) -> Vec<(&'static str, String)> {
        let (p, version) = at.map(|a| (a.state.clone(), a.version)).unwrap_or_default();
        vec![
            (
                "Order",
                p.order
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), ToString::to_string),
            ),
            ("Status", p.status.to_string()),
            ("Held", p.held.to_string()),
            ("Captured", p.captured.to_string()),
            ("Refunded", p.refunded.to_string()),
            ("Authorisations", p.authorizations.to_string()),
            ("Version", format!("v{version}")),
        ]
    }
}

impl DomainModule for PaymentsModule {
    fn key(&self) -> &'static str {
        KEY
    }

    fn title(&self) -> &'static str {
        "Payments"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["payment"]
    }

    fn event_types(&self) -> Vec<&'static str> {
        type_names::<PaymentEvent>()
    }

    fn describe(&self, event: &RecordedEvent<'_>) -> Option<String> {
        describe_as::<PaymentEvent>(event)
    }

    fn handle(
        &mut self,
        input: &FormInput,
        ctx: &mut CommandContext<'_>,
    ) -> Result<Option<String>, String> {
        match input {
            FormInput::Edit { control, value } => {
                match control.as_str() {
                    controls::ORDER => self.order_input = value.clone(),
                    controls::AMOUNT => self.amount_input = value.clone(),
                    controls::PAYMENT => {
                        let stream = self
                            .payments
                            .iter()
                            .find(|p| p.as_str() == value)
                            .ok_or_else(|| format!("There is no payment “{}”.", shorten(value)))?;
                        self.selected = Some(stream.clone());
                    }
                    other => {
                        return Err(format!(
                            "The payments panel has no field “{}”.",
                            shorten(other)
                        ))
                    }
                }
                Ok(None)
            }
            FormInput::Press { control } => self.press(control, ctx),
        }
    }

    fn observe(&mut self, _store: &EventStore, event: &RecordedEvent<'_>, origin: Origin) {
        // A payment's first event makes it known.
        if event.stream_version != 1 || !event.is::<PaymentEvent>() {
            return;
        }
        self.payments.push(event.stream_id.clone());
        if origin == Origin::User || self.selected.is_none() {
            self.selected = Some(event.stream_id.clone());
        }
    }

    fn form(&self, _store: &EventStore) -> FormView {
        // The newest 200 payments are listed.
        let options = self
            .payments
            .iter()
            .rev()
            .take(200)
            .map(|p| SelectOption::new(p.as_str(), p.as_str()))
            .collect();
        FormView {
            sections: vec![Section {
                rows: vec![
                    Row::submitting(
                        controls::AUTHORIZE,
                        vec![
                            Control::Text(
                                TextField {
                                    narrow: true,
                                    ..TextField::new(controls::ORDER, "Order to pay", &self.order_input)
                                        .placeholder("order-1")
                                },
                            ),
                            Control::Text(
                                TextField::new(controls::AMOUNT, "Amount", &self.amount_input)
                                    .placeholder("12.50")
                                    .hint("what to hold on the card, e.g. 12.50")
                                    .numeric(),
                            ),
                            Control::Button(ButtonView::new(controls::AUTHORIZE, "Authorise")),
                        ],
                    ),
                    Row::of(vec![Control::Select(SelectField {
                        id: controls::PAYMENT.to_owned(),
                        label: "Payment".to_owned(),
                        options,
                        selected: self
                            .selected
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        empty: "No payments yet: authorise one".to_owned(),
                    })]),
                    Row::of(vec![
                        Control::Button(ButtonView::new(controls::CAPTURE, "Capture")),
                        Control::Button(ButtonView::secondary(controls::VOID, "Void")),
                        Control::Button(ButtonView::secondary(controls::REFUND, "Refund")),
                    ]),
                ],
                hint: Some(format!(
                    "The issuer declines {}% of orders (the saga's Payment decline rate), the same orders for the same seed.",
                    self.issuer.decline_rate
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
            "payment",
            store,
            (stream, self.selected.as_ref()),
            position,
        )
    }

    fn state(&self, store: &EventStore, position: Position) -> StateView {
        let Some(stream) = &self.selected else {
            return StateView::nothing("Payment state", "Authorise a payment to see it here.");
        };
        let (mut view, _) = state_region(
            &self.repo,
            store,
            (stream, position),
            "Payment state",
            Self::state_fields,
        );
        view.empty = "no events for this payment yet at this position".to_owned();
        view
    }

    fn rebuild(
        &self,
        store: &EventStore,
        stream: &StreamId,
        position: Position,
    ) -> Option<Rebuilt> {
        rebuild_with(&self.repo, "payment", store, stream, position)
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
    fn the_amount_read_from_stored_data_is_the_decoded_amount() {
        let order = StreamId::new("order-77");
        let amount = Money::from_cents(123_456);
        for event in [
            PaymentEvent::PaymentAuthorized {
                order: order.clone(),
                amount,
            },
            PaymentEvent::PaymentCaptured { amount },
            PaymentEvent::PaymentVoided { amount },
            PaymentEvent::PaymentRefunded { amount },
        ] {
            let mut data = Vec::new();
            event.encode(&mut data);
            assert_eq!(amount_in(event.type_index(), &data), 123_456, "{event:?}");
        }
    }
}
