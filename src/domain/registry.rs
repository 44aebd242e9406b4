//! The domains the playground hosts: one line per domain.

use super::module::ModuleFactory;
use super::{bank, customers, inventory, orders, payments, shipping};

/// An ordered list of domains to host. The order is the tabs' order and the domains' colours.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    factories: Vec<ModuleFactory>,
}

impl Registry {
    /// No domains.
    pub fn new() -> Self {
        Self::default()
    }

    /// This registry plus the domain `factory` makes.
    pub fn with(mut self, factory: ModuleFactory) -> Self {
        self.factories.push(factory);
        self
    }

    /// The domains' constructors, in order.
    pub fn factories(&self) -> &[ModuleFactory] {
        &self.factories
    }

    /// Every built-in domain: this is where a domain is registered.
    pub fn builtin() -> Self {
        Self::new()
            .with(bank::module)
            .with(customers::module)
            .with(orders::module)
            .with(inventory::module)
            .with(payments::module)
            .with(shipping::module)
    }
}
