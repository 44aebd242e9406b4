//! Per-account balance and transaction count, and the leaderboard derived from them.

use super::Projection;
use crate::domain::bank::AccountEvent;
use crate::kernel::FastMap;
use crate::kernel::{Envelope, StreamId};

/// One account's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccountSummary {
    /// Balance in cents (may go below zero online, when a withdrawal arrives before its deposit).
    pub balance_cents: i64,
    /// Deposits plus withdrawals applied.
    pub transactions: u64,
}

/// Balance and transaction count per account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountBalances {
    rows: FastMap<StreamId, AccountSummary>,
}

impl AccountBalances {
    /// Every account's row, in no particular order.
    pub fn rows(&self) -> &FastMap<StreamId, AccountSummary> {
        &self.rows
    }

    /// The row of `stream`, created empty if missing (without cloning the id when it exists).
    fn row_mut(&mut self, stream: &StreamId) -> &mut AccountSummary {
        if !self.rows.contains_key(stream) {
            self.rows.insert(stream.clone(), AccountSummary::default());
        }
        self.rows
            .get_mut(stream)
            .unwrap_or_else(|| unreachable!("inserted above"))
    }

    /// One account's row.
    pub fn get(&self, stream: &StreamId) -> Option<&AccountSummary> {
        self.rows.get(stream)
    }

    /// The `n` accounts with the highest balance, highest first (ties by stream id).
    pub fn leaderboard(&self, n: usize) -> Vec<(StreamId, i64)> {
        let mut all: Vec<(StreamId, i64)> = self
            .rows
            .iter()
            .map(|(stream, row)| (stream.clone(), row.balance_cents))
            .collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

impl Projection<AccountEvent> for AccountBalances {
    fn apply(&mut self, event: &Envelope<'_, AccountEvent>) {
        match event.payload {
            AccountEvent::AccountOpened { .. } => {
                self.row_mut(event.stream_id);
            }
            AccountEvent::MoneyDeposited { amount } => {
                let r = self.row_mut(event.stream_id);
                r.balance_cents = r.balance_cents.saturating_add(amount.cents());
                r.transactions += 1;
            }
            AccountEvent::MoneyWithdrawn { amount } => {
                let r = self.row_mut(event.stream_id);
                r.balance_cents = r.balance_cents.saturating_sub(amount.cents());
                r.transactions += 1;
            }
            AccountEvent::AccountClosed => {}
        }
    }
}
