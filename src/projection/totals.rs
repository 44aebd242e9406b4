//! Bank-wide totals.

use super::Projection;
use crate::domain::bank::AccountEvent;
use crate::kernel::Envelope;

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

impl Projection<AccountEvent> for BankTotals {
    fn apply(&mut self, event: &Envelope<'_, AccountEvent>) {
        match event.payload {
            AccountEvent::AccountOpened { .. } => self.accounts_open += 1,
            AccountEvent::AccountClosed => self.accounts_open -= 1,
            AccountEvent::MoneyDeposited { amount } => {
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
