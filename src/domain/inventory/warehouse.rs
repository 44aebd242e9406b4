//! The warehouse aggregate: how much of each catalogue product is available and how much is held by
//! reservations. One stream (`stock-warehouse`) holds every product, so reserving all of an order's
//! lines is one decision and one append: all of them or none.

use crate::domain::orders::{product, Sku, CATALOGUE};
use crate::format::group;
use crate::kernel::{
    field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Field, Kind, StreamId,
};
use std::fmt;

/// The warehouse's stream.
pub const WAREHOUSE: &str = "stock-warehouse";

/// The warehouse's stream id.
pub fn warehouse() -> StreamId {
    StreamId::new(WAREHOUSE)
}

/// The stock the warehouse opens with, in catalogue order: plenty of most products, little honey and
/// very few kettles, so some orders run out of stock.
pub const STARTING_STOCK: [u32; 6] = [100_000, 100_000, 50_000, 100_000, 40, 8];

/// The most one restock may add.
pub const MAX_RESTOCK: u32 = 1_000_000;

/// The most of one product the warehouse holds.
const MAX_LEVEL: u32 = 100_000_000;

/// Quantities of products, one line per product.
pub type StockLines = Vec<(Sku, u32)>;

/// The stored fields of an order and its stock lines.
const ORDER_LINES: &[Field] = &[
    field("order", Kind::Stream),
    field(
        "lines",
        Kind::List(&Kind::Record(&[
            field("sku", Kind::Text),
            field("quantity", Kind::Unsigned),
        ])),
    ),
];

/// What the warehouse is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockCommand {
    /// Hold every line of an order, or none if one product is short.
    Reserve {
        /// The order.
        order: StreamId,
        /// What it needs.
        lines: StockLines,
    },
    /// Give back what an order holds (the lines its open reservation holds, looked up by the
    /// inventory service; empty when it holds nothing).
    Release {
        /// The order.
        order: StreamId,
        /// What its reservation holds.
        lines: StockLines,
    },
    /// Add stock of a product.
    Restock {
        /// The product.
        sku: Sku,
        /// How much (1 to 1,000,000).
        quantity: u32,
    },
}

/// What the warehouse records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockEvent {
    /// Every line of an order is held for it.
    StockReserved {
        /// The order.
        order: StreamId,
        /// What is held.
        lines: StockLines,
    },
    /// A product was short, so nothing was held.
    StockReservationRejected {
        /// The order.
        order: StreamId,
        /// The product that was short.
        sku: Sku,
        /// How many the order asked for.
        asked: u32,
        /// How many were left.
        left: u32,
    },
    /// An order's reservation was given back.
    StockReleased {
        /// The order.
        order: StreamId,
        /// What was given back.
        lines: StockLines,
    },
    /// Stock of a product was added.
    Restocked {
        /// The product.
        sku: Sku,
        /// How much.
        quantity: u32,
    },
}

impl StockEvent {
    /// The order the event is about (none for a restock).
    pub fn order(&self) -> Option<&StreamId> {
        match self {
            Self::StockReserved { order, .. }
            | Self::StockReservationRejected { order, .. }
            | Self::StockReleased { order, .. } => Some(order),
            Self::Restocked { .. } => None,
        }
    }
}

impl DomainEvent for StockEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("StockReserved", ORDER_LINES),
        EventType::v1(
            "StockReservationRejected",
            &[
                field("order", Kind::Stream),
                field("sku", Kind::Text),
                field("asked", Kind::Unsigned),
                field("left", Kind::Unsigned),
            ],
        ),
        EventType::v1("StockReleased", ORDER_LINES),
        EventType::v1(
            "Restocked",
            &[field("sku", Kind::Text), field("quantity", Kind::Unsigned)],
        ),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::StockReserved { .. } => 0,
            Self::StockReservationRejected { .. } => 1,
            Self::StockReleased { .. } => 2,
            Self::Restocked { .. } => 3,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::StockReserved { order, lines } | Self::StockReleased { order, lines } => {
                put(out, &(order, lines));
            }
            Self::StockReservationRejected {
                order,
                sku,
                asked,
                left,
            } => put(out, &(order, sku, asked, left)),
            Self::Restocked { sku, quantity } => put(out, &(sku, quantity)),
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        Ok(match index {
            0 | 2 => {
                let (order, lines) = get(data, name, version)?;
                if index == 0 {
                    Self::StockReserved { order, lines }
                } else {
                    Self::StockReleased { order, lines }
                }
            }
            1 => {
                let (order, sku, asked, left) = get(data, name, version)?;
                Self::StockReservationRejected {
                    order,
                    sku,
                    asked,
                    left,
                }
            }
            _ => {
                let (sku, quantity) = get(data, name, version)?;
                Self::Restocked { sku, quantity }
            }
        })
    }
}

/// `2 × TEA-01, 1 × MUG-03`.
pub fn show_lines(lines: &[(Sku, u32)]) -> String {
    lines
        .iter()
        .map(|(sku, n)| format!("{} × {sku}", group(u64::from(*n))))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for StockEvent {
    /// The payload in a few words, as the event log shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::StockReserved { order, lines } => {
                write!(f, "{order}: {}", show_lines(lines))
            }
            Self::StockReservationRejected {
                order,
                sku,
                asked,
                left,
            } => write!(
                f,
                "{order}: asked {} × {sku}, {} left",
                group(u64::from(*asked)),
                group(u64::from(*left))
            ),
            Self::StockReleased { order, lines } => {
                write!(f, "{order}: {} back", show_lines(lines))
            }
            Self::Restocked { sku, quantity } => {
                write!(f, "+{} × {sku}", group(u64::from(*quantity)))
            }
        }
    }
}

/// Why the warehouse refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StockError {
    /// A SKU that is not in the catalogue.
    #[error("There is no product {0} in the catalogue.")]
    UnknownProduct(String),
    /// A reservation of nothing.
    #[error("{0} has no lines to reserve; an order reserves at least one item.")]
    NothingToReserve(String),
    /// Releasing for an order that holds no stock.
    #[error("{0} holds no reservation; there is nothing to release.")]
    NothingReserved(String),
    /// Releasing more than is held.
    #[error("Releasing {asked} × {sku} would give back more than the {reserved} held.")]
    ReleaseExceeds {
        /// The product.
        sku: String,
        /// How many the release gives back.
        asked: u32,
        /// How many are held.
        reserved: u32,
    },
    /// A restock of 0 or of more than a million.
    #[error("A restock adds 1 to 1,000,000 of a product, not {0}.")]
    RestockOutOfRange(u64),
    /// A restock past the warehouse's capacity.
    #[error(
        "That would make {level} of {sku}; the warehouse holds at most 100,000,000 of a product."
    )]
    TooMuchStock {
        /// The product.
        sku: String,
        /// The level it would reach.
        level: u64,
    },
}

/// One product's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Level {
    /// Free to reserve.
    pub available: u32,
    /// Held by reservations.
    pub reserved: u32,
}

/// The warehouse's state: each catalogue product's level, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warehouse {
    /// Levels in catalogue order.
    pub levels: [Level; 6],
}

impl Default for Warehouse {
    /// The starting stock, nothing reserved.
    fn default() -> Self {
        Self {
            levels: STARTING_STOCK.map(|available| Level {
                available,
                reserved: 0,
            }),
        }
    }
}

/// The catalogue index of `sku`.
pub fn index_of(sku: &Sku) -> Option<usize> {
    CATALOGUE.iter().position(|p| p.sku == sku.as_str())
}

impl Warehouse {
    /// The level of `sku`.
    pub fn level(&self, sku: &Sku) -> Option<Level> {
        index_of(sku).map(|i| self.levels[i])
    }

    fn index(sku: &Sku) -> Result<usize, StockError> {
        index_of(sku).ok_or_else(|| StockError::UnknownProduct(sku.to_string()))
    }
}

impl Aggregate for Warehouse {
    type Command = StockCommand;
    type Event = StockEvent;
    type Error = StockError;

    fn handle(&self, command: &StockCommand) -> Result<Vec<StockEvent>, StockError> {
        match command {
            StockCommand::Reserve { order, lines } => {
                if lines.iter().all(|(_, n)| *n == 0) {
                    return Err(StockError::NothingToReserve(order.to_string()));
                }
                let mut wanted = [0u64; 6];
                for (sku, n) in lines {
                    wanted[Self::index(sku)?] += u64::from(*n);
                }
                for (sku, _) in lines {
                    let i = Self::index(sku)?;
                    let left = self.levels[i].available;
                    if wanted[i] > u64::from(left) {
                        return Ok(vec![StockEvent::StockReservationRejected {
                            order: order.clone(),
                            sku: *sku,
                            asked: u32::try_from(wanted[i]).unwrap_or(u32::MAX),
                            left,
                        }]);
                    }
                }
                Ok(vec![StockEvent::StockReserved {
                    order: order.clone(),
                    lines: lines.clone(),
                }])
            }
            StockCommand::Release { order, lines } => {
                if lines.is_empty() {
                    return Err(StockError::NothingReserved(order.to_string()));
                }
                let mut giving = [0u64; 6];
                for (sku, n) in lines {
                    let i = Self::index(sku)?;
                    giving[i] += u64::from(*n);
                    if giving[i] > u64::from(self.levels[i].reserved) {
                        return Err(StockError::ReleaseExceeds {
                            sku: sku.to_string(),
                            asked: u32::try_from(giving[i]).unwrap_or(u32::MAX),
                            reserved: self.levels[i].reserved,
                        });
                    }
                }
                Ok(vec![StockEvent::StockReleased {
                    order: order.clone(),
                    lines: lines.clone(),
                }])
            }
            StockCommand::Restock { sku, quantity } => {
                if *quantity == 0 || *quantity > MAX_RESTOCK {
                    return Err(StockError::RestockOutOfRange(u64::from(*quantity)));
                }
                let i = Self::index(sku)?;
                let level = u64::from(self.levels[i].available)
                    + u64::from(self.levels[i].reserved)
                    + u64::from(*quantity);
                if level > u64::from(MAX_LEVEL) {
                    return Err(StockError::TooMuchStock {
                        sku: sku.to_string(),
                        level,
                    });
                }
                Ok(vec![StockEvent::Restocked {
                    sku: *sku,
                    quantity: *quantity,
                }])
            }
        }
    }

    fn apply(&mut self, event: &StockEvent) {
        match event {
            StockEvent::StockReserved { lines, .. } => {
                for (sku, n) in lines {
                    if let Some(i) = index_of(sku) {
                        let level = &mut self.levels[i];
                        level.available = level.available.saturating_sub(*n);
                        level.reserved = level.reserved.saturating_add(*n);
                    }
                }
            }
            StockEvent::StockReleased { lines, .. } => {
                for (sku, n) in lines {
                    if let Some(i) = index_of(sku) {
                        let level = &mut self.levels[i];
                        level.available = level.available.saturating_add(*n);
                        level.reserved = level.reserved.saturating_sub(*n);
                    }
                }
            }
            StockEvent::Restocked { sku, quantity } => {
                if let Some(i) = index_of(sku) {
                    self.levels[i].available = self.levels[i].available.saturating_add(*quantity);
                }
            }
            StockEvent::StockReservationRejected { .. } => {}
        }
    }
}

/// The product's name, for messages.
pub fn product_name(sku: &Sku) -> &'static str {
    product(sku.as_str()).map_or("?", |p| p.name)
}
