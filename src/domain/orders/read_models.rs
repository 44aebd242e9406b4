//! The orders' read models (the order projection of the streaming guide): each order's status, lines
//! and total; the orders of each customer; and orders by status with the revenue of placed orders.

use super::order::{Line, OrderEvent, OrderStatus};
use crate::domain::bank::Money;
use crate::format::count;
use crate::kernel::{EventStore, FastMap, RecordedEvent, StreamId};
use crate::readmodel::{
    differing_totals, same_kind, ChartSeries, DomainReadModels, ReadModelSettings, RowId,
    StreamRows,
};

/// The "Open carts" total.
pub const OPEN_CARTS: &str = "Open carts";
/// The "Orders placed" total.
pub const PLACED: &str = "Orders placed";
/// The "Orders cancelled" total.
pub const CANCELLED: &str = "Orders cancelled";
/// The "Orders completed" total.
pub const COMPLETED: &str = "Orders completed";
/// The "Revenue" total (placed orders' totals, less those cancelled after placing).
pub const REVENUE: &str = "Revenue";

/// One order as the projection knows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderRow {
    /// Whose order (`None` until `CartStarted` is applied).
    pub customer: Option<StreamId>,
    /// Its status.
    pub status: OrderStatus,
    /// Its lines.
    pub lines: Vec<Line>,
    /// The total it was placed with, in cents.
    pub placed_total_cents: Option<i64>,
}

impl OrderRow {
    /// Items (quantities added up).
    pub fn items(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The placed total, or else the sum of the lines.
    pub fn total(&self) -> Money {
        Money::from_cents(
            self.placed_total_cents
                .unwrap_or_else(|| self.lines.iter().map(Line::total_cents).sum()),
        )
    }
}

/// Every order read model, folded together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderReadModels {
    orders: StreamRows<OrderRow>,
    /// Each customer's orders, by the orders' stream numbers.
    by_customer: FastMap<StreamId, Vec<u32>>,
    /// Carts started minus carts placed or cancelled.
    pub open_carts: i64,
    /// Orders placed minus placed orders cancelled.
    pub placed: i64,
    /// Orders cancelled.
    pub cancelled: i64,
    /// Orders the fulfilment saga completed.
    pub completed: i64,
    /// Totals of the placed orders, in cents.
    pub revenue_cents: i64,
}

impl OrderReadModels {
    /// One order's row (`store` numbers the streams).
    pub fn get(&self, store: &EventStore, order: &StreamId) -> Option<&OrderRow> {
        self.orders.get(store, order)
    }

    /// A customer's orders, in the order their carts were started.
    pub fn of_customer(&self, customer: &StreamId) -> Vec<(&StreamId, &OrderRow)> {
        self.by_customer
            .get(customer)
            .map(|numbers| {
                numbers
                    .iter()
                    .filter_map(|&n| self.orders.by_number(n))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Number of orders with a row.
    pub fn len(&self) -> usize {
        self.orders.len()
    }

    /// True when no order has a row.
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    fn show(&self, number: u32) -> String {
        match self.orders.by_number(number) {
            None => "—".to_owned(),
            Some((_, r)) => format!(
                "{} · {} · {} · {}",
                r.customer.as_ref().map_or("?", StreamId::as_str),
                r.status,
                count(u64::from(r.items()), "item"),
                r.total()
            ),
        }
    }
}

const SERIES: &[ChartSeries] = &[
    ChartSeries {
        code: "orders",
        label: PLACED,
        money: false,
    },
    ChartSeries {
        code: "completed",
        label: COMPLETED,
        money: false,
    },
    ChartSeries {
        code: "revenue",
        label: REVENUE,
        money: true,
    },
];

impl DomainReadModels for OrderReadModels {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        let Some(payload) = event.decode::<OrderEvent>() else {
            return;
        };
        let number = event.stream_number;
        match payload {
            OrderEvent::CartStarted { customer } => {
                let row = self.orders.row_mut(event);
                // Listed under its customer once, however often the event is delivered.
                if row.customer.is_none() {
                    self.by_customer
                        .entry(customer.clone())
                        .or_default()
                        .push(number);
                }
                row.customer = Some(customer);
                if row.status == OrderStatus::NotStarted {
                    row.status = OrderStatus::Cart;
                }
                self.open_carts += 1;
            }
            OrderEvent::ItemAdded {
                sku,
                quantity,
                unit_price,
                ..
            } => {
                let row = self.orders.row_mut(event);
                match row.lines.iter_mut().find(|l| l.sku == sku) {
                    Some(line) => line.quantity += u32::from(quantity.get()),
                    None => row.lines.push(Line {
                        sku,
                        quantity: u32::from(quantity.get()),
                        unit_price,
                    }),
                }
            }
            OrderEvent::ItemRemoved { sku } => {
                self.orders.row_mut(event).lines.retain(|l| l.sku != sku)
            }
            OrderEvent::OrderPlaced { total } => {
                let row = self.orders.row_mut(event);
                row.status = OrderStatus::Placed;
                row.placed_total_cents = Some(total.cents());
                self.open_carts -= 1;
                self.placed += 1;
                self.revenue_cents = self.revenue_cents.saturating_add(total.cents());
            }
            OrderEvent::OrderCancelled { .. } => {
                let row = self.orders.row_mut(event);
                let was = row.status;
                let total = row.placed_total_cents.unwrap_or(0);
                row.status = OrderStatus::Cancelled;
                if was.in_fulfilment() {
                    self.placed -= 1;
                    self.revenue_cents = self.revenue_cents.saturating_sub(total);
                } else {
                    self.open_carts -= 1;
                }
                self.cancelled += 1;
            }
            OrderEvent::OrderReserved => self.orders.row_mut(event).status = OrderStatus::Reserved,
            OrderEvent::OrderPaid => self.orders.row_mut(event).status = OrderStatus::Paid,
            OrderEvent::OrderShipping => self.orders.row_mut(event).status = OrderStatus::Shipping,
            OrderEvent::OrderCompleted => {
                self.orders.row_mut(event).status = OrderStatus::Completed;
                self.completed += 1;
            }
        }
    }

    fn accepts(&self, event: &RecordedEvent<'_>) -> bool {
        event.is::<OrderEvent>()
    }

    fn fresh(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Self::default())
    }

    fn differing_rows(&self, other: &dyn DomainReadModels) -> Vec<RowId> {
        let Some(other) = same_kind::<Self>(other) else {
            return Vec::new();
        };
        let mut rows = differing_totals([
            (OPEN_CARTS, self.open_carts, other.open_carts),
            (PLACED, self.placed, other.placed),
            (CANCELLED, self.cancelled, other.cancelled),
            (COMPLETED, self.completed, other.completed),
            (REVENUE, self.revenue_cents, other.revenue_cents),
        ]);
        rows.extend(self.orders.differing(&other.orders));
        rows
    }

    fn row_label(&self, row: &RowId) -> String {
        match row {
            RowId::Total(name) => (*name).to_owned(),
            RowId::Stream(n) => self.orders.label(*n),
            RowId::Window(_) => String::new(),
        }
    }

    fn show_row(&self, row: &RowId) -> String {
        match row {
            RowId::Total(OPEN_CARTS) => self.open_carts.to_string(),
            RowId::Total(PLACED) => self.placed.to_string(),
            RowId::Total(CANCELLED) => self.cancelled.to_string(),
            RowId::Total(COMPLETED) => self.completed.to_string(),
            RowId::Total(_) => Money::from_cents(self.revenue_cents).to_string(),
            RowId::Stream(n) => self.show(*n),
            RowId::Window(_) => String::new(),
        }
    }

    fn touched_rows(&self, event: &RecordedEvent<'_>, out: &mut Vec<RowId>) {
        let Some(payload) = event.decode::<OrderEvent>() else {
            return;
        };
        out.push(RowId::Stream(event.stream_number));
        match payload {
            OrderEvent::CartStarted { .. } => out.push(RowId::Total(OPEN_CARTS)),
            OrderEvent::OrderPlaced { .. } => out.extend([
                RowId::Total(OPEN_CARTS),
                RowId::Total(PLACED),
                RowId::Total(REVENUE),
            ]),
            OrderEvent::OrderCancelled { .. } => out.extend([
                RowId::Total(OPEN_CARTS),
                RowId::Total(PLACED),
                RowId::Total(CANCELLED),
                RowId::Total(REVENUE),
            ]),
            OrderEvent::OrderCompleted => out.push(RowId::Total(COMPLETED)),
            OrderEvent::ItemAdded { .. }
            | OrderEvent::ItemRemoved { .. }
            | OrderEvent::OrderReserved
            | OrderEvent::OrderPaid
            | OrderEvent::OrderShipping => {}
        }
    }

    fn order_sensitive(&self, _row: &RowId) -> bool {
        // Lines depend on whether a removal comes before or after its addition, and the counts on
        // whether a cancellation follows the placing.
        true
    }

    fn chart_series(&self) -> &'static [ChartSeries] {
        SERIES
    }

    fn chart_values(&self, out: &mut Vec<i64>) {
        out.extend([self.placed, self.completed, self.revenue_cents]);
    }
}
