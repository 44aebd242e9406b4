//! The order aggregate: a cart of catalogue products that is placed or cancelled.
//!
//! A cart is started, filled and placed; the fulfilment saga then drives the placed order on through
//! Reserved, Paid and Shipping to Completed, or cancels it with the reason. The saga's answers may
//! arrive late or out of order, so each status command only ever moves the order forward: an answer
//! for a step the order is already past is refused, and nothing is recorded.

use super::catalogue::{product, Product, Sku};
use super::evolution::{self, add_line_total, line_total, ItemAddedV1};
use crate::domain::bank::Money;
use crate::domain::customers::CustomerStatus;
use crate::format::shorten;
use crate::kernel::codec::{Decode, Encode};
use crate::kernel::{
    field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Kind, StreamId,
};
use std::fmt;

/// Most of one product in one order.
pub const MAX_QUANTITY: u8 = 99;

/// A quantity typed by a user: a whole number from 1 to 99.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(u8);

impl Quantity {
    /// Parses "Quantity".
    pub fn parse(text: &str) -> Result<Self, String> {
        crate::format::parse_whole(text)
            .and_then(|n| u8::try_from(n).ok())
            .and_then(|n| Self::new(n).ok())
            .ok_or_else(|| {
                format!(
                    "Quantity must be a whole number from 1 to 99; “{}” is not.",
                    shorten(text)
                )
            })
    }

    /// A quantity of `n` (1–99).
    pub fn new(n: u8) -> Result<Self, String> {
        if (1..=MAX_QUANTITY).contains(&n) {
            Ok(Self(n))
        } else {
            Err(format!("Quantity must be from 1 to 99, not {n}."))
        }
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Encode for Quantity {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
}

impl Decode for Quantity {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Self::new(u8::decode(input)?).ok()
    }
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderStatus {
    /// No `CartStarted` yet.
    #[default]
    NotStarted,
    /// Items can be added and removed.
    Cart,
    /// Placed with its total; no more changes to its lines.
    Placed,
    /// Its stock is reserved.
    Reserved,
    /// Its payment is authorised.
    Paid,
    /// Its shipment is scheduled.
    Shipping,
    /// Shipped and paid for: the saga is done.
    Completed,
    /// Cancelled; no more changes.
    Cancelled,
}

impl OrderStatus {
    /// How far along the saga's path the status is (Placed = 1 … Completed = 5).
    fn rank(self) -> u8 {
        match self {
            Self::NotStarted | Self::Cart | Self::Cancelled => 0,
            Self::Placed => 1,
            Self::Reserved => 2,
            Self::Paid => 3,
            Self::Shipping => 4,
            Self::Completed => 5,
        }
    }

    /// Placed and not yet completed or cancelled: the fulfilment saga is driving it.
    pub fn in_fulfilment(self) -> bool {
        (1..=4).contains(&self.rank())
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotStarted => "Not started",
            Self::Cart => "Cart",
            Self::Placed => "Placed",
            Self::Reserved => "Reserved",
            Self::Paid => "Paid",
            Self::Shipping => "Shipping",
            Self::Completed => "Completed",
            Self::Cancelled => "Cancelled",
        })
    }
}

/// What a user can ask an order to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderCommand {
    /// Start a cart for a customer, whose status the caller looked up.
    StartCart {
        /// The customer's stream.
        customer: StreamId,
        /// Their status when the cart starts.
        customer_status: CustomerStatus,
    },
    /// Add some of a product.
    AddItem {
        /// The product.
        product: Product,
        /// How many.
        quantity: Quantity,
    },
    /// Remove a product's line.
    RemoveItem {
        /// The product's SKU.
        sku: Sku,
    },
    /// Place the order.
    PlaceOrder,
    /// Cancel the order, saying why.
    CancelOrder {
        /// Why.
        reason: String,
    },
    /// The saga's answer that the order's stock is reserved.
    MarkReserved,
    /// The saga's answer that its payment is authorised.
    MarkPaid,
    /// The saga's answer that its shipment is scheduled.
    MarkShipping,
    /// The saga's last step: shipped and paid for.
    Complete,
}

/// What an order records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderEvent {
    /// A cart was started.
    CartStarted {
        /// For whom.
        customer: StreamId,
    },
    /// Some of a product was added, at its price then.
    ItemAdded {
        /// The product's SKU.
        sku: Sku,
        /// How many.
        quantity: Quantity,
        /// The price of one, in cents.
        unit_price: Money,
        /// `quantity × unit_price` (schema v2; computed for v1 events by
        /// [`evolution::add_line_total`]).
        line_total: Money,
    },
    /// A product's line was removed.
    ItemRemoved {
        /// The product's SKU.
        sku: Sku,
    },
    /// The order was placed.
    OrderPlaced {
        /// The sum of its lines.
        total: Money,
    },
    /// The order was cancelled.
    OrderCancelled {
        /// Why.
        reason: String,
    },
    /// Its stock was reserved.
    OrderReserved,
    /// Its payment was authorised.
    OrderPaid,
    /// Its shipment was scheduled.
    OrderShipping,
    /// It was shipped and paid for.
    OrderCompleted,
}

impl OrderEvent {
    /// The index of `OrderPlaced` in [`DomainEvent::TYPES`] (compared without decoding).
    pub const PLACED: usize = 3;
    /// The index of `OrderCancelled`.
    pub const CANCELLED: usize = 4;
    /// The index of `OrderReserved`.
    pub const RESERVED: usize = 5;
    /// The index of `OrderPaid`.
    pub const PAID: usize = 6;
    /// The index of `OrderShipping`.
    pub const SHIPPING: usize = 7;
    /// The index of `OrderCompleted`.
    pub const COMPLETED: usize = 8;
}

impl DomainEvent for OrderEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("CartStarted", &[field("customer", Kind::Stream)]),
        EventType::evolving("ItemAdded", evolution::V1, evolution::LATER),
        EventType::v1("ItemRemoved", &[field("sku", Kind::Text)]),
        EventType::v1("OrderPlaced", &[field("total", Kind::Money)]),
        EventType::v1("OrderCancelled", &[field("reason", Kind::Text)]),
        EventType::v1("OrderReserved", &[]),
        EventType::v1("OrderPaid", &[]),
        EventType::v1("OrderShipping", &[]),
        EventType::v1("OrderCompleted", &[]),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::CartStarted { .. } => 0,
            Self::ItemAdded { .. } => 1,
            Self::ItemRemoved { .. } => 2,
            Self::OrderPlaced { .. } => 3,
            Self::OrderCancelled { .. } => 4,
            Self::OrderReserved => 5,
            Self::OrderPaid => 6,
            Self::OrderShipping => 7,
            Self::OrderCompleted => 8,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::CartStarted { customer } => put(out, customer),
            Self::ItemAdded {
                sku,
                quantity,
                unit_price,
                line_total,
            } => put(out, &(sku, quantity, unit_price, line_total)),
            Self::ItemRemoved { sku } => put(out, sku),
            Self::OrderPlaced { total } => put(out, total),
            Self::OrderCancelled { reason } => put(out, reason),
            Self::OrderReserved | Self::OrderPaid | Self::OrderShipping | Self::OrderCompleted => {}
        }
    }

    fn encode_as(&self, version: u16, out: &mut Vec<u8>) {
        match (self, version) {
            (
                Self::ItemAdded {
                    sku,
                    quantity,
                    unit_price,
                    ..
                },
                1,
            ) => put(out, &(sku, quantity, unit_price)),
            _ => self.encode(out),
        }
    }

    /// What `handle` never writes: a cart for a stream that is not a customer's, a price that is
    /// not positive, a line total that is not quantity × price, a negative order total.
    fn check(&self) -> Result<(), String> {
        match self {
            Self::CartStarted { customer } if customer.category() != "customer" => Err(format!(
                "a cart is for a customer (customer-…), not “{}”.",
                crate::format::shorten(customer.as_str())
            )),
            Self::ItemAdded {
                quantity,
                unit_price,
                line_total,
                ..
            } => {
                if unit_price.cents() <= 0 {
                    Err(format!(
                        "a unit price must be positive, not {} cents.",
                        unit_price.cents()
                    ))
                } else if line_total.cents() != i64::from(quantity.get()) * unit_price.cents() {
                    Err(format!(
                        "the line total must be quantity × unit price ({} cents), not {}.",
                        i64::from(quantity.get()) * unit_price.cents(),
                        line_total.cents()
                    ))
                } else {
                    Ok(())
                }
            }
            Self::OrderPlaced { total } if total.cents() < 0 => Err(format!(
                "an order's total cannot be negative ({} cents).",
                total.cents()
            )),
            _ => Ok(()),
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        Ok(match index {
            0 => Self::CartStarted {
                customer: get(data, name, version)?,
            },
            1 => {
                let v2 = if version == 1 {
                    let (sku, quantity, unit_price) = get(data, name, version)?;
                    add_line_total(ItemAddedV1 {
                        sku,
                        quantity,
                        unit_price,
                    })
                } else {
                    let (sku, quantity, unit_price, line_total) = get(data, name, version)?;
                    evolution::ItemAddedV2 {
                        sku,
                        quantity,
                        unit_price,
                        line_total,
                    }
                };
                Self::ItemAdded {
                    sku: v2.sku,
                    quantity: v2.quantity,
                    unit_price: v2.unit_price,
                    line_total: v2.line_total,
                }
            }
            2 => Self::ItemRemoved {
                sku: get(data, name, version)?,
            },
            3 => Self::OrderPlaced {
                total: get(data, name, version)?,
            },
            4 => Self::OrderCancelled {
                reason: get(data, name, version)?,
            },
            other => {
                get::<()>(data, name, version)?;
                match other {
                    5 => Self::OrderReserved,
                    6 => Self::OrderPaid,
                    7 => Self::OrderShipping,
                    _ => Self::OrderCompleted,
                }
            }
        })
    }
}

impl fmt::Display for OrderEvent {
    /// The payload in a few words, as the event log shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CartStarted { customer } => write!(f, "customer: {customer}"),
            Self::ItemAdded {
                sku,
                quantity,
                unit_price,
                line_total,
            } => {
                let name = product(sku.as_str()).map_or("?", |p| p.name);
                write!(
                    f,
                    "{} × {sku} {name} at {unit_price} = {line_total}",
                    quantity.get()
                )
            }
            Self::ItemRemoved { sku } => write!(f, "sku: {sku}"),
            Self::OrderPlaced { total } => write!(f, "total: {total}"),
            Self::OrderCancelled { reason } => write!(f, "reason: {reason}"),
            Self::OrderReserved => f.write_str("stock reserved"),
            Self::OrderPaid => f.write_str("payment authorised"),
            Self::OrderShipping => f.write_str("shipment scheduled"),
            Self::OrderCompleted => f.write_str("shipped and paid"),
        }
    }
}

/// Why an order refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// Starting a cart that exists.
    #[error("This order has already been started.")]
    AlreadyStarted,
    /// Starting a cart for someone who is not a customer.
    #[error("{0} is not a registered customer; register them first.")]
    UnknownCustomer(String),
    /// Starting a cart for a deactivated customer.
    #[error("{0} is deactivated: a deactivated customer cannot open a cart.")]
    CustomerDeactivated(String),
    /// Anything on an order that was never started.
    #[error("This order has not been started; start a cart first.")]
    NotStarted,
    /// Changing or placing a placed order.
    #[error("This order has been placed; a placed order cannot change.")]
    AlreadyPlaced,
    /// Changing or placing a cancelled order.
    #[error("This order is cancelled; it accepts no more commands.")]
    Cancelled,
    /// Cancelling a cancelled order.
    #[error("This order is already cancelled; an order is cancelled only once.")]
    AlreadyCancelled,
    /// Cancelling an order whose shipment is scheduled, or that is completed.
    #[error("This order is {0}; it can no longer be cancelled.")]
    TooLateToCancel(OrderStatus),
    /// A saga answer for an order that was not placed.
    #[error("This order has not been placed; the fulfilment saga only drives placed orders.")]
    NotPlaced,
    /// A saga answer for a step the order is already past (a late or repeated answer).
    #[error("This order is already {0}; the answer changes nothing.")]
    AlreadyPast(OrderStatus),
    /// Completing an order whose shipment is not scheduled.
    #[error("This order is {0}; only an order whose shipment is scheduled can be completed.")]
    NotShipping(OrderStatus),
    /// Anything on a completed order.
    #[error("This order is completed; it accepts no more commands.")]
    Completed,
    /// Placing a cart with nothing in it.
    #[error("The cart is empty; add an item before placing the order.")]
    EmptyCart,
    /// Removing a product the cart does not hold.
    #[error("The cart has no {0}; only products in the cart can be removed.")]
    NotInCart(String),
    /// More than 99 of one product.
    #[error("That would make {total} of {sku}; an order holds at most 99 of one product.")]
    TooMany {
        /// The product.
        sku: String,
        /// The quantity it would reach.
        total: u32,
    },
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The product's SKU.
    pub sku: Sku,
    /// How many.
    pub quantity: u32,
    /// The price of one when it was added, in cents.
    pub unit_price: Money,
}

impl Line {
    /// Quantity times unit price, in cents.
    pub fn total_cents(&self) -> i64 {
        self.unit_price
            .cents()
            .saturating_mul(i64::from(self.quantity))
    }
}

/// An order's state: rebuilt from its events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Order {
    /// Where it is in its life.
    pub status: OrderStatus,
    /// Whose order it is.
    pub customer: Option<StreamId>,
    /// Its lines, in the order products were first added.
    pub lines: Vec<Line>,
    /// The total recorded when it was placed.
    pub placed_total: Option<Money>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
}

impl Order {
    /// The sum of the lines.
    pub fn total(&self) -> Money {
        Money::from_cents(self.lines.iter().map(Line::total_cents).sum())
    }

    /// Items in the order (the quantities added up).
    pub fn items(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    fn require_cart(&self) -> Result<(), OrderError> {
        match self.status {
            OrderStatus::NotStarted => Err(OrderError::NotStarted),
            OrderStatus::Cart => Ok(()),
            OrderStatus::Cancelled => Err(OrderError::Cancelled),
            _ => Err(OrderError::AlreadyPlaced),
        }
    }

    /// A saga answer moving the order to `to`: only forward, only while it is in fulfilment.
    fn advance(&self, to: OrderStatus, event: OrderEvent) -> Result<Vec<OrderEvent>, OrderError> {
        match self.status {
            OrderStatus::NotStarted | OrderStatus::Cart => Err(OrderError::NotPlaced),
            OrderStatus::Cancelled => Err(OrderError::Cancelled),
            OrderStatus::Completed => Err(OrderError::Completed),
            now if now.rank() >= to.rank() => Err(OrderError::AlreadyPast(now)),
            _ => Ok(vec![event]),
        }
    }
}

impl Aggregate for Order {
    type Command = OrderCommand;
    type Event = OrderEvent;
    type Error = OrderError;

    fn handle(&self, command: &OrderCommand) -> Result<Vec<OrderEvent>, OrderError> {
        match command {
            OrderCommand::StartCart {
                customer,
                customer_status,
            } => {
                if self.status != OrderStatus::NotStarted {
                    return Err(OrderError::AlreadyStarted);
                }
                match customer_status {
                    CustomerStatus::Active => Ok(vec![OrderEvent::CartStarted {
                        customer: customer.clone(),
                    }]),
                    CustomerStatus::NotRegistered => {
                        Err(OrderError::UnknownCustomer(customer.to_string()))
                    }
                    CustomerStatus::Deactivated => {
                        Err(OrderError::CustomerDeactivated(customer.to_string()))
                    }
                }
            }
            OrderCommand::AddItem { product, quantity } => {
                self.require_cart()?;
                let code = product.code();
                let already = self
                    .lines
                    .iter()
                    .find(|l| l.sku == code)
                    .map_or(0, |l| l.quantity);
                let total = already + u32::from(quantity.get());
                if total > u32::from(MAX_QUANTITY) {
                    return Err(OrderError::TooMany {
                        sku: product.sku.to_owned(),
                        total,
                    });
                }
                Ok(vec![OrderEvent::ItemAdded {
                    sku: code,
                    quantity: *quantity,
                    unit_price: product.price(),
                    line_total: line_total(*quantity, product.price()),
                }])
            }
            OrderCommand::RemoveItem { sku } => {
                self.require_cart()?;
                if !self.lines.iter().any(|l| l.sku == *sku) {
                    return Err(OrderError::NotInCart(sku.to_string()));
                }
                Ok(vec![OrderEvent::ItemRemoved { sku: *sku }])
            }
            OrderCommand::PlaceOrder => {
                self.require_cart()?;
                if self.lines.is_empty() {
                    return Err(OrderError::EmptyCart);
                }
                Ok(vec![OrderEvent::OrderPlaced {
                    total: self.total(),
                }])
            }
            OrderCommand::CancelOrder { reason } => match self.status {
                OrderStatus::NotStarted => Err(OrderError::NotStarted),
                OrderStatus::Cancelled => Err(OrderError::AlreadyCancelled),
                OrderStatus::Shipping | OrderStatus::Completed => {
                    Err(OrderError::TooLateToCancel(self.status))
                }
                OrderStatus::Cart
                | OrderStatus::Placed
                | OrderStatus::Reserved
                | OrderStatus::Paid => Ok(vec![OrderEvent::OrderCancelled {
                    reason: reason.clone(),
                }]),
            },
            OrderCommand::MarkReserved => {
                self.advance(OrderStatus::Reserved, OrderEvent::OrderReserved)
            }
            OrderCommand::MarkPaid => self.advance(OrderStatus::Paid, OrderEvent::OrderPaid),
            OrderCommand::MarkShipping => {
                self.advance(OrderStatus::Shipping, OrderEvent::OrderShipping)
            }
            OrderCommand::Complete => match self.status {
                OrderStatus::Shipping => Ok(vec![OrderEvent::OrderCompleted]),
                OrderStatus::Completed => Err(OrderError::Completed),
                OrderStatus::Cancelled => Err(OrderError::Cancelled),
                other => Err(OrderError::NotShipping(other)),
            },
        }
    }

    fn apply(&mut self, event: &OrderEvent) {
        match event {
            OrderEvent::CartStarted { customer } => {
                self.status = OrderStatus::Cart;
                self.customer = Some(customer.clone());
            }
            OrderEvent::ItemAdded {
                sku,
                quantity,
                unit_price,
                ..
            } => match self.lines.iter_mut().find(|l| l.sku == *sku) {
                Some(line) => line.quantity += u32::from(quantity.get()),
                None => self.lines.push(Line {
                    sku: *sku,
                    quantity: u32::from(quantity.get()),
                    unit_price: *unit_price,
                }),
            },
            OrderEvent::ItemRemoved { sku } => self.lines.retain(|l| l.sku != *sku),
            OrderEvent::OrderPlaced { total } => {
                self.status = OrderStatus::Placed;
                self.placed_total = Some(*total);
            }
            OrderEvent::OrderCancelled { reason } => {
                self.status = OrderStatus::Cancelled;
                self.cancel_reason = Some(reason.clone());
            }
            OrderEvent::OrderReserved => self.status = OrderStatus::Reserved,
            OrderEvent::OrderPaid => self.status = OrderStatus::Paid,
            OrderEvent::OrderShipping => self.status = OrderStatus::Shipping,
            OrderEvent::OrderCompleted => self.status = OrderStatus::Completed,
        }
    }
}
