//! Projections: read models folded from events, written once and run two ways — online (fed event by
//! event, in whatever order and multiplicity a consumer delivers) and batch (a fold over the log from
//! position 1, in log order).
//!
//! A projection is a plain value with an `apply`; it does not know which way it is being run. Nothing
//! here reads a clock or the browser.

mod balances;
mod totals;
mod windows;

pub use balances::{AccountBalances, AccountSummary};
pub use totals::BankTotals;
pub use windows::{DepositWindows, LatePolicy, WindowRow, WindowSettings};

use crate::domain::bank::AccountEvent;
use crate::kernel::{DomainEvent, Envelope, EventStore, Position};

/// A read model built by folding events.
pub trait Projection<E> {
    /// Folds one event in. Must not fail: a projection that cannot use an event ignores it.
    fn apply(&mut self, event: &Envelope<'_, E>);
}

/// Runs `projection` as a batch job: folds the log's events at positions `1..=up_to`, in log order.
pub fn run_batch<E: DomainEvent, P: Projection<E>>(
    mut projection: P,
    store: &EventStore<E>,
    up_to: Position,
) -> P {
    for event in store.read_all(1).take_while(|e| e.position <= up_to) {
        projection.apply(&event);
    }
    projection
}

/// Every bank read model the playground compares, folded together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankReadModels {
    /// Balance and transaction count per account.
    pub balances: AccountBalances,
    /// Accounts open, total deposits, total balance.
    pub totals: BankTotals,
    /// Deposits per event-time window, with a watermark.
    pub windows: DepositWindows,
}

impl BankReadModels {
    /// Empty read models; the windowed one uses `windows`.
    pub fn new(windows: WindowSettings) -> Self {
        Self {
            balances: AccountBalances::default(),
            totals: BankTotals::default(),
            windows: DepositWindows::new(windows),
        }
    }
}

impl Projection<AccountEvent> for BankReadModels {
    fn apply(&mut self, event: &Envelope<'_, AccountEvent>) {
        self.balances.apply(event);
        self.totals.apply(event);
        self.windows.apply(event);
    }
}
