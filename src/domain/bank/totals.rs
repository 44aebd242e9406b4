//! Bank-wide totals.

use super::account::AccountEvent;
use crate::kernel::RecordedEvent;
use crate::readmodel::Projection;

/// Accounts open, money ever deposited, and money held, across the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BankTotals {
    /// Opened minus closed (signed: online, a close may arrive before its open).
    pub accounts_open: i64,
    /// Sum of all deposits, in cents.
    pub total_deposits_cents: i64,
    /// Deposits minus withdrawals, in cents.
    pub total_balance_cents: i64,
}

impl BankTotals {
    /// Folds one event in.
    pub fn apply_payload(&mut self, payload: &AccountEvent) {
        match payload {
            AccountEvent::AccountOpened { .. } => self.accounts_open += 1,
            AccountEvent::AccountClosed => self.accounts_open -= 1,
            AccountEvent::MoneyDeposited { amount, .. } => {
                self.total_deposits_cents =
                    self.total_deposits_cents.saturating_add(amount.cents());
                self.total_balance_cents = self.total_balance_cents.saturating_add(amount.cents());
            }
            AccountEvent::MoneyWithdrawn { amount } => {
                self.total_balance_cents = self.total_balance_cents.saturating_sub(amount.cents());
            }
        }
    }
}

impl Projection for BankTotals {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        if let Some(payload) = event.decode::<AccountEvent>() {
            self.apply_payload(&payload);
        }
    }
}
