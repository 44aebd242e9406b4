//! Per-account balance and transaction count, and the leaderboard derived from them.

use super::account::AccountEvent;
use crate::kernel::{EventStore, RecordedEvent, StreamId};
use crate::readmodel::{Projection, StreamRows};

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
    rows: StreamRows<AccountSummary>,
}

impl AccountBalances {
    /// Every account's row.
    pub fn rows(&self) -> &StreamRows<AccountSummary> {
        &self.rows
    }

    /// One account's row (`store` numbers the streams).
    pub fn get(&self, store: &EventStore, stream: &StreamId) -> Option<&AccountSummary> {
        self.rows.get(store, stream)
    }

    /// The `n` accounts with the highest balance, highest first (ties by stream id). Kept by
    /// insertion into the top `n` (at most 100 are asked for), which needs no sort.
    pub fn leaderboard(&self, n: usize) -> Vec<(StreamId, i64)> {
        let before =
            |a: (&StreamId, i64), b: (&StreamId, i64)| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0);
        let mut top: Vec<(&StreamId, i64)> = Vec::new();
        for (stream, row) in self.rows.iter() {
            let entry = (stream, row.balance_cents);
            if top.len() >= n && !top.last().is_some_and(|&last| before(entry, last)) {
                continue;
            }
            let at = top.partition_point(|&t| before(t, entry));
            top.insert(at, entry);
            top.truncate(n);
        }
        top.into_iter().map(|(s, c)| (s.clone(), c)).collect()
    }

    /// Folds one event of an account in.
    pub fn apply_payload(&mut self, event: &RecordedEvent<'_>, payload: &AccountEvent) {
        match payload {
            AccountEvent::AccountOpened { .. } => {
                self.rows.row_mut(event);
            }
            AccountEvent::MoneyDeposited { amount, .. } => {
                let r = self.rows.row_mut(event);
                r.balance_cents = r.balance_cents.saturating_add(amount.cents());
                r.transactions += 1;
            }
            AccountEvent::MoneyWithdrawn { amount } => {
                let r = self.rows.row_mut(event);
                r.balance_cents = r.balance_cents.saturating_sub(amount.cents());
                r.transactions += 1;
            }
            AccountEvent::AccountClosed => {}
        }
    }
}

impl Projection for AccountBalances {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        if let Some(payload) = event.decode::<AccountEvent>() {
            self.apply_payload(event, &payload);
        }
    }
}
