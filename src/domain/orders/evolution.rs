//! How `ItemAdded` evolved, and the upcaster that reads its first version.
//!
//! - v1 `{sku, quantity, unit_price}`.
//! - v2 `{sku, quantity, unit_price, line_total}`: the order lines' read model wanted each line's
//!   total without multiplying. An upcaster may compute a field from the event's own data, as
//!   [`add_line_total`] does, so nothing is lost; it must never look anything up elsewhere (today's
//!   catalogue price, another event), which would rewrite history.

use super::catalogue::Sku;
use super::order::Quantity;
use crate::domain::bank::Money;
use crate::kernel::{field, Field, Kind, Upcaster, Version};

/// `ItemAdded` v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAddedV1 {
    /// The product.
    pub sku: Sku,
    /// How many.
    pub quantity: Quantity,
    /// The price of one, in cents.
    pub unit_price: Money,
}

/// `ItemAdded` v2 (what the code holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAddedV2 {
    /// The product.
    pub sku: Sku,
    /// How many.
    pub quantity: Quantity,
    /// The price of one, in cents.
    pub unit_price: Money,
    /// `quantity × unit_price`.
    pub line_total: Money,
}

/// `quantity × unit_price`, as the order line's total.
pub fn line_total(quantity: Quantity, unit_price: Money) -> Money {
    Money::from_cents(unit_price.cents().saturating_mul(i64::from(quantity.get())))
}

/// v1 → v2: the line's total, computed from the event's own fields.
pub fn add_line_total(v1: ItemAddedV1) -> ItemAddedV2 {
    ItemAddedV2 {
        sku: v1.sku,
        quantity: v1.quantity,
        unit_price: v1.unit_price,
        line_total: line_total(v1.quantity, v1.unit_price),
    }
}

/// The fields of v1.
pub const V1: &[Field] = &[
    field("sku", Kind::Text),
    field("quantity", Kind::Byte),
    field("unit_price", Kind::Money),
];

/// Version 2, with its upcaster.
pub const LATER: &[Version] = &[Version {
    fields: &[
        field("sku", Kind::Text),
        field("quantity", Kind::Byte),
        field("unit_price", Kind::Money),
        field("line_total", Kind::Money),
    ],
    upcaster: Upcaster {
        name: "add_line_total: line_total = quantity × unit_price (computed from the event itself)",
        lossy: None,
    },
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_a_v1_item_when_upcast_then_its_line_total_is_quantity_times_price() {
        let v1 = ItemAddedV1 {
            sku: Sku::new("TEA-01").expect("sku"),
            quantity: Quantity::new(3).expect("quantity"),
            unit_price: Money::from_cents(450),
        };
        let v2 = add_line_total(v1);
        assert_eq!(v2.line_total, Money::from_cents(1_350));
        assert_eq!(
            (v2.sku, v2.quantity, v2.unit_price),
            (v1.sku, v1.quantity, v1.unit_price)
        );
    }
}
