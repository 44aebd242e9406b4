//! Stream processors: a consumer group of the broker's topic that publishes derived topics, as a
//! stream-processing app does. Three processors:
//!
//! - **Enrich** joins each `OrderPlaced` with the customers table it folds from the customers'
//!   events (a stream–table join) into `OrderEnriched`, with the customer's segment;
//! - **Filter** keeps the orders whose total is above the high-value threshold
//!   (`high-value-orders`);
//! - **Aggregate** counts each customer's orders and publishes a summary every so many of them
//!   (`customer-activity`).
//!
//! What each decides is a pure function ([`segment_of`], [`is_high_value`], [`summary_due`]) of
//! what it was given; their state (the tables joined with, the counts kept) is folded from the
//! events they consumed, so they run under the broker's faults like any consumer: a duplicate
//! delivery publishes twice, a lost one never.

use crate::domain::bank::Money;
use crate::domain::customers::CustomerEvent;
use crate::domain::orders::OrderEvent;
use crate::kernel::{FastMap, Position, RecordedEvent, SchemaId, StreamId};
use crate::privacy::{Keys, Sealed};
use crate::readmodel::Projection;
use std::fmt;

/// The derived topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DerivedTopic {
    /// `order-enriched`: every placed order with its customer and segment.
    Enriched,
    /// `high-value-orders`: the placed orders above the threshold.
    HighValue,
    /// `customer-activity`: a customer's summary every so many orders.
    Activity,
}

impl DerivedTopic {
    /// Every derived topic, in the order the topology draws them.
    pub const ALL: [DerivedTopic; 3] = [Self::Enriched, Self::HighValue, Self::Activity];

    /// The topic's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Enriched => "order-enriched",
            Self::HighValue => "high-value-orders",
            Self::Activity => "customer-activity",
        }
    }

    /// The processor that publishes it.
    pub fn processor(self) -> &'static str {
        match self {
            Self::Enriched => "Enrich",
            Self::HighValue => "Filter",
            Self::Activity => "Aggregate",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A customer's segment, as the enrich processor reads it from the customers table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// A business address (an `.org` domain).
    Business,
    /// A personal address.
    Personal,
    /// The customer was deactivated.
    Inactive,
    /// The customer is not in the table (yet): the join found nothing.
    Unknown,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Business => "business",
            Self::Personal => "personal",
            Self::Inactive => "inactive",
            Self::Unknown => "unknown (not in the customers table yet)",
        })
    }
}

/// A customer as the enrich processor's table keeps them: their name still sealed (it is only
/// opened when a record is shown), and what their email says of their segment (the processor
/// opens the email to classify it, and keeps only the answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerInfo {
    /// Their name, sealed.
    pub name: Sealed,
    /// Whether their email is an organisation's (.org); `None` when it could not be opened.
    pub business: Option<bool>,
    /// Not deactivated.
    pub active: bool,
}

/// The segment of a customer found (or not) in the table.
pub fn segment_of(customer: Option<&CustomerInfo>) -> Segment {
    match customer {
        None => Segment::Unknown,
        Some(c) if !c.active => Segment::Inactive,
        Some(c) => match c.business {
            Some(true) => Segment::Business,
            Some(false) => Segment::Personal,
            None => Segment::Unknown,
        },
    }
}

/// Whether an email address is an organisation's.
pub fn is_business(email: &str) -> bool {
    email.ends_with(".org")
}

/// Whether an order of `total` goes to `high-value-orders`: strictly above the threshold.
pub fn is_high_value(total: Money, threshold: Money) -> bool {
    total.cents() > threshold.cents()
}

/// Whether a customer's `orders`-th order is due a summary, with one every `every` orders.
pub fn summary_due(orders: u64, every: u64) -> bool {
    every > 0 && orders > 0 && orders.is_multiple_of(every)
}

/// What a derived record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DerivedValue {
    /// `order-enriched`.
    Enriched {
        /// The customer the order is for, if the processor knew its cart.
        customer: Option<StreamId>,
        /// Their name (sealed, as copied from the customer's event), if the table has them.
        name: Option<Sealed>,
        /// Their segment.
        segment: Segment,
        /// The order's total.
        total: Money,
    },
    /// `high-value-orders`.
    HighValue {
        /// The order's total.
        total: Money,
    },
    /// `customer-activity`.
    Activity {
        /// Orders the customer placed so far.
        orders: u64,
        /// What they came to.
        spent: Money,
    },
}

/// One record of a derived topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedRecord {
    /// The position of the event it was derived from.
    pub source: Position,
    /// Its key: the order (enriched, high value) or the customer (activity).
    pub key: StreamId,
    /// What it says.
    pub value: DerivedValue,
}

impl DerivedRecord {
    /// The record in a line, its customer's name opened with `keys` ("[forgotten]" once they are).
    pub fn describe(&self, keys: &Keys) -> String {
        match &self.value {
            DerivedValue::Enriched {
                customer,
                name,
                segment,
                total,
            } => format!(
                "{} · {} · {} · {segment} · {total}",
                self.key,
                customer
                    .as_ref()
                    .map_or("?".to_owned(), ToString::to_string),
                match (customer, name) {
                    (Some(c), Some(n)) => keys.show(c, "name", n),
                    _ => "?".to_owned(),
                },
            ),
            DerivedValue::HighValue { total } => format!("{} · {total}", self.key),
            DerivedValue::Activity { orders, spent } => {
                format!("{} · {orders} orders · {spent} spent", self.key)
            }
        }
    }
}

/// The processors' settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessorSettings {
    /// Orders above this total go to `high-value-orders`.
    pub high_value: Money,
    /// A customer's summary every this many orders.
    pub summary_every: u64,
}

impl Default for ProcessorSettings {
    fn default() -> Self {
        Self {
            high_value: Money::from_cents(10_000),
            summary_every: 5,
        }
    }
}

/// Records in and out of one processor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Throughput {
    /// Events it took in.
    pub records_in: u64,
    /// Records it published.
    pub records_out: u64,
}

/// The three processors, as one consumer of the topic (subscribed to the orders' and customers'
/// events), with the derived topics they publish.
#[derive(Debug, Clone, Default)]
pub struct Processors {
    settings: ProcessorSettings,
    /// To open the emails the enrich processor classifies.
    keys: Keys,
    /// Subscribed, by schema id.
    picks: Vec<bool>,
    customers: FastMap<StreamId, CustomerInfo>,
    order_customer: FastMap<StreamId, StreamId>,
    activity: FastMap<StreamId, (u64, Money)>,
    topics: [Vec<DerivedRecord>; 3],
    throughput: [Throughput; 3],
}

impl Processors {
    /// Processors under `settings`, opening emails with `keys`, with empty state and topics.
    pub fn new(settings: ProcessorSettings, keys: Keys) -> Self {
        Self {
            settings,
            keys,
            ..Self::default()
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> ProcessorSettings {
        self.settings
    }

    /// Subscribes to the schemas for which `subscribed` says yes (by schema id).
    pub fn subscribe(&mut self, subscribed: Vec<bool>) {
        self.picks = subscribed;
    }

    /// The records of a derived topic, in the order published.
    pub fn topic(&self, topic: DerivedTopic) -> &[DerivedRecord] {
        &self.topics[topic.index()]
    }

    /// Records in and out of the processor that publishes `topic`.
    pub fn throughput(&self, topic: DerivedTopic) -> Throughput {
        self.throughput[topic.index()]
    }

    fn publish(&mut self, topic: DerivedTopic, record: DerivedRecord) {
        self.throughput[topic.index()].records_out += 1;
        self.topics[topic.index()].push(record);
    }

    fn customer_event(&mut self, stream: &StreamId, event: CustomerEvent) {
        match event {
            CustomerEvent::CustomerRegistered { name, email } => {
                let business = self.business(stream, &email);
                self.customers.insert(
                    stream.clone(),
                    CustomerInfo {
                        name,
                        business,
                        active: true,
                    },
                );
            }
            CustomerEvent::CustomerNameChanged { name } => {
                if let Some(c) = self.customers.get_mut(stream) {
                    c.name = name;
                }
            }
            CustomerEvent::CustomerEmailChanged { email } => {
                let business = self.business(stream, &email);
                if let Some(c) = self.customers.get_mut(stream) {
                    c.business = business;
                }
            }
            CustomerEvent::CustomerDeactivated => {
                if let Some(c) = self.customers.get_mut(stream) {
                    c.active = false;
                }
            }
        }
    }

    fn business(&self, customer: &StreamId, email: &Sealed) -> Option<bool> {
        self.keys
            .open(customer, "email", email)
            .ok()
            .map(|e| is_business(&e))
    }

    fn order_placed(&mut self, position: Position, order: &StreamId, total: Money) {
        let customer = self.order_customer.get(order).cloned();
        let info = customer.as_ref().and_then(|c| self.customers.get(c));
        let enriched = DerivedValue::Enriched {
            name: info.map(|c| c.name.clone()),
            segment: segment_of(info),
            customer: customer.clone(),
            total,
        };
        self.publish(
            DerivedTopic::Enriched,
            DerivedRecord {
                source: position,
                key: order.clone(),
                value: enriched,
            },
        );
        self.throughput[DerivedTopic::HighValue.index()].records_in += 1;
        if is_high_value(total, self.settings.high_value) {
            self.publish(
                DerivedTopic::HighValue,
                DerivedRecord {
                    source: position,
                    key: order.clone(),
                    value: DerivedValue::HighValue { total },
                },
            );
        }
        let Some(customer) = customer else {
            return;
        };
        self.throughput[DerivedTopic::Activity.index()].records_in += 1;
        let entry = self
            .activity
            .entry(customer.clone())
            .or_insert((0, Money::ZERO));
        entry.0 += 1;
        entry.1 = entry.1.checked_add(total).unwrap_or(entry.1);
        let (orders, spent) = *entry;
        if summary_due(orders, self.settings.summary_every) {
            self.publish(
                DerivedTopic::Activity,
                DerivedRecord {
                    source: position,
                    key: customer,
                    value: DerivedValue::Activity { orders, spent },
                },
            );
        }
    }
}

/// The event types the processors consume.
pub const CONSUMED: [&str; 6] = [
    "CartStarted",
    "OrderPlaced",
    "CustomerRegistered",
    "CustomerNameChanged",
    "CustomerEmailChanged",
    "CustomerDeactivated",
];

impl Projection for Processors {
    const PICKS: bool = true;

    fn apply(&mut self, event: &RecordedEvent<'_>) {
        match event.category() {
            "order" => match event.decode::<OrderEvent>() {
                Some(OrderEvent::CartStarted { customer }) => {
                    self.order_customer
                        .insert(event.stream_id.clone(), customer);
                }
                Some(OrderEvent::OrderPlaced { total }) => {
                    self.throughput[DerivedTopic::Enriched.index()].records_in += 1;
                    self.order_placed(event.position, event.stream_id, total);
                }
                _ => {}
            },
            "customer" => {
                if let Some(e) = event.decode::<CustomerEvent>() {
                    self.throughput[DerivedTopic::Enriched.index()].records_in += 1;
                    self.customer_event(event.stream_id, e);
                }
            }
            _ => {}
        }
    }

    fn wants(&self, schema: SchemaId) -> bool {
        self.picks.get(schema.index()).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_comes_from_the_customers_table_or_says_the_join_missed() {
        let info = |email: &str, active| CustomerInfo {
            name: Sealed::from_bytes(b"sealed"),
            business: Some(is_business(email)),
            active,
        };
        assert_eq!(segment_of(None), Segment::Unknown);
        assert_eq!(
            segment_of(Some(&info("ada@example.org", true))),
            Segment::Business
        );
        assert_eq!(
            segment_of(Some(&info("ada@example.com", true))),
            Segment::Personal
        );
        assert_eq!(
            segment_of(Some(&info("ada@example.org", false))),
            Segment::Inactive
        );
        let unreadable = CustomerInfo {
            business: None,
            ..info("ada@example.org", true)
        };
        assert_eq!(segment_of(Some(&unreadable)), Segment::Unknown);
    }

    #[test]
    fn only_totals_strictly_above_the_threshold_are_high_value() {
        let t = Money::from_cents(10_000);
        assert!(!is_high_value(Money::from_cents(10_000), t));
        assert!(is_high_value(Money::from_cents(10_001), t));
    }

    #[test]
    fn a_summary_is_due_every_so_many_orders() {
        let due: Vec<u64> = (0..=12).filter(|&n| summary_due(n, 5)).collect();
        assert_eq!(due, vec![5, 10]);
        assert!(!summary_due(5, 0));
    }
}
