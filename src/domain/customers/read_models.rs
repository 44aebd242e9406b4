//! The customers' read models: a directory of customers (name, email, status) with an index by
//! normalised email, and the count of customers by status.

use super::customer::{CustomerEvent, CustomerStatus};
use crate::kernel::{EventStore, RecordedEvent, StreamId};
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
    /// Their name ("" until an event names them).
    pub name: String,
    /// Their email as typed ("" until an event gives it).
    pub email: String,
    /// Their status.
    pub status: CustomerStatus,
}

/// Every customer read model, folded together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerReadModels {
    rows: StreamRows<CustomerRow>,
    /// Registrations minus deactivations applied (signed: online, events may arrive twice or late).
    pub active: i64,
    /// Deactivations applied.
    pub deactivated: i64,
}

impl CustomerReadModels {
    /// The row of `customer` (`store` numbers the streams).
    pub fn get(&self, store: &EventStore, customer: &StreamId) -> Option<&CustomerRow> {
        self.rows.get(store, customer)
    }

    /// The customer with this address (compared ignoring ASCII case). A scan of the directory —
    /// a few thousand rows at most, allocation-free — instead of an index every email event would
    /// have to maintain.
    pub fn by_email(&self, email: &str) -> Option<(&StreamId, &CustomerRow)> {
        self.rows
            .numbered()
            .filter(|(_, _, row)| row.email.eq_ignore_ascii_case(email))
            .min_by_key(|(number, _, _)| *number)
            .map(|(_, id, row)| (id, row))
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
        match self.rows.by_number(number) {
            None => "—".to_owned(),
            Some((_, r)) => format!("{} · {} · {}", r.name, r.email, r.status),
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
        let Some(payload) = event.decode::<CustomerEvent>() else {
            return;
        };
        match payload {
            CustomerEvent::CustomerRegistered { name, email } => {
                let row = self.rows.row_mut(event);
                row.name = name.into();
                row.email = email.into();
                row.status = CustomerStatus::Active;
                self.active += 1;
            }
            CustomerEvent::CustomerNameChanged { name } => {
                self.rows.row_mut(event).name = name.into();
            }
            CustomerEvent::CustomerEmailChanged { email } => {
                self.rows.row_mut(event).email = email.into();
            }
            CustomerEvent::CustomerDeactivated => {
                self.rows.row_mut(event).status = CustomerStatus::Deactivated;
                self.active -= 1;
                self.deactivated += 1;
            }
        }
    }

    fn accepts(&self, event: &RecordedEvent<'_>) -> bool {
        event.is::<CustomerEvent>()
    }

    fn fresh(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Self::default())
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
        rows
    }

    fn row_label(&self, row: &RowId) -> String {
        match row {
            RowId::Total(name) => (*name).to_owned(),
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
        // A customer's row keeps the last name and email applied.
        matches!(row, RowId::Stream(_))
    }

    fn chart_series(&self) -> &'static [ChartSeries] {
        SERIES
    }

    fn chart_values(&self, out: &mut Vec<i64>) {
        out.push(self.active);
    }
}
