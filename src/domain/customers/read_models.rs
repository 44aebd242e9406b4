//! The customers' read models: a directory of customers (name, email, status), who holds each
//! reserved address (by its reservation stream, named by the address's blind index), and the count
//! of customers by status.
//!
//! The directory holds names and emails as their events do, sealed: a read model is a copy of the
//! log's data, and a copy in the clear would survive forgetting the customer. They are opened (with
//! the shared key store) only to show a row or to compare an address.

use super::customer::{CustomerEvent, CustomerStatus};
use super::reservation::{reservation_stream, ReservationEvent};
use crate::kernel::{EventStore, RecordedEvent, StreamId};
use crate::privacy::{Keys, Sealed};
use crate::readmodel::{
    differing_totals, same_kind, ChartSeries, DomainReadModels, ReadModelSettings, RowId,
    StreamRows,
};

/// The "Active customers" total.
pub const ACTIVE: &str = "Active customers";
/// The "Deactivated customers" total.
pub const DEACTIVATED: &str = "Deactivated customers";

/// One customer as the directory knows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerRow {
    /// Their name, sealed (`None` until an event names them).
    pub name: Option<Sealed>,
    /// Their email as typed, sealed (`None` until an event gives it).
    pub email: Option<Sealed>,
    /// Their status.
    pub status: CustomerStatus,
}

/// Every customer read model, folded together.
#[derive(Debug, Clone, Default)]
pub struct CustomerReadModels {
    rows: StreamRows<CustomerRow>,
    /// Each reservation stream's holder: how "Customer by email" finds a customer without reading
    /// a single address.
    holders: StreamRows<Option<StreamId>>,
    /// Registrations minus deactivations applied (signed: online, events may arrive twice or late).
    pub active: i64,
    /// Deactivations applied.
    pub deactivated: i64,
    /// To open names and emails (not part of the models' value).
    keys: Keys,
}

/// Two read models are equal when they hold the same rows and totals (whatever key store opens
/// them).
impl PartialEq for CustomerReadModels {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
            && self.holders == other.holders
            && self.active == other.active
            && self.deactivated == other.deactivated
    }
}

impl Eq for CustomerReadModels {}

impl CustomerReadModels {
    /// Empty read models that open names and emails with `keys`.
    pub fn with_keys(keys: Keys) -> Self {
        Self {
            keys,
            ..Self::default()
        }
    }

    /// A row's field as shown: opened, "[forgotten]", or "—" when no event gave it.
    pub fn show_field(
        &self,
        customer: &StreamId,
        field: &'static str,
        value: &Option<Sealed>,
    ) -> String {
        value
            .as_ref()
            .map_or_else(|| "—".to_owned(), |s| self.keys.show(customer, field, s))
    }

    /// A row in a line: "Ada Lovelace · ada@example.com · Active".
    pub fn show_customer(&self, customer: &StreamId, row: &CustomerRow) -> String {
        format!(
            "{} · {} · {}",
            self.show_field(customer, "name", &row.name),
            self.show_field(customer, "email", &row.email),
            row.status
        )
    }

    /// The row of `customer` (`store` numbers the streams).
    pub fn get(&self, store: &EventStore, customer: &StreamId) -> Option<&CustomerRow> {
        self.rows.get(store, customer)
    }

    /// The customer with this address (compared ignoring ASCII case): the holder of its
    /// reservation stream, found by the address's blind index, whose row's email opens to the
    /// address (a forgotten customer's no longer opens, so they are never found).
    pub fn by_email(&self, store: &EventStore, email: &str) -> Option<(&StreamId, &CustomerRow)> {
        let reservation = reservation_stream(&self.keys.blind_index(email));
        let holder = self.holders.get(store, &reservation)?.as_ref()?;
        let number = store.stream_number(holder)?;
        let (id, row) = self.rows.by_number(number)?;
        let sealed = row.email.as_ref()?;
        self.keys
            .open(id, "email", sealed)
            .is_ok_and(|e| e.eq_ignore_ascii_case(email))
            .then_some((id, row))
    }

    /// Number of customers with a row.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no customer has a row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn show(&self, number: u32) -> String {
        if let Some((_, holder)) = self.holders.by_number(number) {
            return holder
                .as_ref()
                .map_or_else(|| "free".to_owned(), |h| format!("held by {h}"));
        }
        match self.rows.by_number(number) {
            None => "—".to_owned(),
            Some((id, r)) => self.show_customer(id, r),
        }
    }
}

const SERIES: &[ChartSeries] = &[ChartSeries {
    code: "customers",
    label: ACTIVE,
    money: false,
}];

impl DomainReadModels for CustomerReadModels {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        if let Some(reservation) = event.decode::<ReservationEvent>() {
            *self.holders.row_mut(event) = match reservation {
                ReservationEvent::EmailReserved { customer } => Some(customer),
                ReservationEvent::EmailReleased { .. } => None,
            };
            return;
        }
        let Some(payload) = event.decode::<CustomerEvent>() else {
            return;
        };
        match payload {
            CustomerEvent::CustomerRegistered { name, email } => {
                let row = self.rows.row_mut(event);
                row.name = Some(name);
                row.email = Some(email);
                row.status = CustomerStatus::Active;
                self.active += 1;
            }
            CustomerEvent::CustomerNameChanged { name } => {
                self.rows.row_mut(event).name = Some(name);
            }
            CustomerEvent::CustomerEmailChanged { email } => {
                self.rows.row_mut(event).email = Some(email);
            }
            CustomerEvent::CustomerDeactivated => {
                self.rows.row_mut(event).status = CustomerStatus::Deactivated;
                self.active -= 1;
                self.deactivated += 1;
            }
        }
    }

    fn accepts(&self, event: &RecordedEvent<'_>) -> bool {
        event.is::<CustomerEvent>() || event.is::<ReservationEvent>()
    }

    fn fresh(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Self::with_keys(self.keys.clone()))
    }

    fn differing_rows(&self, other: &dyn DomainReadModels) -> Vec<RowId> {
        let Some(other) = same_kind::<Self>(other) else {
            return Vec::new();
        };
        let mut rows = differing_totals([
            (ACTIVE, self.active, other.active),
            (DEACTIVATED, self.deactivated, other.deactivated),
        ]);
        rows.extend(self.rows.differing(&other.rows));
        rows.extend(self.holders.differing(&other.holders));
        rows
    }

    fn row_label(&self, row: &RowId) -> String {
        match row {
            RowId::Total(name) => (*name).to_owned(),
            RowId::Stream(n) if self.holders.by_number(*n).is_some() => self.holders.label(*n),
            RowId::Stream(n) => self.rows.label(*n),
            RowId::Window(_) => String::new(),
        }
    }

    fn show_row(&self, row: &RowId) -> String {
        match row {
            RowId::Total(ACTIVE) => self.active.to_string(),
            RowId::Total(_) => self.deactivated.to_string(),
            RowId::Stream(n) => self.show(*n),
            RowId::Window(_) => String::new(),
        }
    }

    fn touched_rows(&self, event: &RecordedEvent<'_>, out: &mut Vec<RowId>) {
        if event.is::<ReservationEvent>() {
            out.push(RowId::Stream(event.stream_number));
            return;
        }
        let Some(payload) = event.decode::<CustomerEvent>() else {
            return;
        };
        out.push(RowId::Stream(event.stream_number));
        match payload {
            CustomerEvent::CustomerRegistered { .. } => out.push(RowId::Total(ACTIVE)),
            CustomerEvent::CustomerDeactivated => {
                out.extend([RowId::Total(ACTIVE), RowId::Total(DEACTIVATED)]);
            }
            _ => {}
        }
    }

    fn order_sensitive(&self, row: &RowId) -> bool {
        // A customer's row keeps the last name and email applied, a reservation its last holder.
        matches!(row, RowId::Stream(_))
    }

    fn chart_series(&self) -> &'static [ChartSeries] {
        SERIES
    }

    fn chart_values(&self, out: &mut Vec<i64>) {
        out.push(self.active);
    }
}
