//! Orders (the order commands and the order projection of the streaming guide): a customer's cart of
//! catalogue products, placed with its total or cancelled.

mod catalogue;
pub mod evolution;
mod module;
mod order;
mod read_models;

pub use catalogue::{find_product, product, Product, Sku, CATALOGUE};
pub use module::{controls, module, OrdersModule, CANCELLED_BY_CUSTOMER, KEY};
pub use order::{
    Line, Order, OrderCommand, OrderError, OrderEvent, OrderStatus, Quantity, MAX_QUANTITY,
};
pub use read_models::{OrderReadModels, OrderRow, CANCELLED, OPEN_CARTS, PLACED, REVENUE};
