//! The inventory: the catalogue's stock levels in one warehouse, stock reserved for orders, released
//! and restocked. A plug-in domain like the others; the fulfilment saga reserves and releases stock
//! through [`InventoryModule`]'s service methods.

mod module;
mod warehouse;

pub use module::{controls, module, InventoryModule, KEY};
pub use warehouse::{
    index_of, product_name, show_lines, warehouse, Level, StockCommand, StockError, StockEvent,
    StockLines, Warehouse, MAX_RESTOCK, STARTING_STOCK, WAREHOUSE,
};
