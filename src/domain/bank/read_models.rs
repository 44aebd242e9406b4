//! The bank's read models, folded together: balances per account (and the leaderboard), bank
//! totals, and deposits per event-time window with a watermark — with the rows online and batch are
//! compared on.

use super::account::AccountEvent;
use super::balances::{AccountBalances, AccountSummary};
use super::money::Money;
use super::totals::BankTotals;
use crate::format::count;
use crate::kernel::RecordedEvent;
use crate::readmodel::{
    differing_totals, same_kind, ChartSeries, DomainReadModels, EventTimeWindows, LateDifference,
    ReadModelSettings, RowId, WindowRow,
};

/// The "Accounts open" total.
pub const ACCOUNTS_OPEN: &str = "Accounts open";
/// The "Total deposits" total.
pub const TOTAL_DEPOSITS: &str = "Total deposits";
/// The "Total balance" total.
pub const TOTAL_BALANCE: &str = "Total balance";

/// Every bank read model, folded together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankReadModels {
    /// Balance and transaction count per account.
    pub balances: AccountBalances,
    /// Accounts open, total deposits, total balance.
    pub totals: BankTotals,
    /// Deposits per event-time window, with a watermark.
    pub deposits: EventTimeWindows,
}

impl BankReadModels {
    /// Empty read models; the windows use `settings`.
    pub fn new(settings: &ReadModelSettings) -> Self {
        Self {
            balances: AccountBalances::default(),
            totals: BankTotals::default(),
            deposits: EventTimeWindows::new(settings.windows),
        }
    }

    /// A total's value as shown.
    pub fn show_total(&self, total: &str) -> String {
        match total {
            ACCOUNTS_OPEN => self.totals.accounts_open.to_string(),
            TOTAL_DEPOSITS => Money::from_cents(self.totals.total_deposits_cents).to_string(),
            _ => Money::from_cents(self.totals.total_balance_cents).to_string(),
        }
    }
}

/// An account's row as shown: "70.00 (3 transactions)", or "—" when it has none.
pub fn show_account(row: Option<&AccountSummary>) -> String {
    match row {
        None => "—".to_owned(),
        Some(r) => format!(
            "{} ({})",
            Money::from_cents(r.balance_cents),
            count(r.transactions, "transaction")
        ),
    }
}

/// A window's row as shown: "12 deposits, 1,234.00; late: 1, 10.00; dropped: 2".
pub fn show_window(row: Option<&WindowRow>) -> String {
    match row {
        None => "—".to_owned(),
        Some(w) => {
            let mut text = format!(
                "{}, {}",
                count(w.count, "deposit"),
                Money::from_cents(w.amount)
            );
            if w.late_count > 0 {
                text.push_str(&format!(
                    "; late: {}, {}",
                    w.late_count,
                    Money::from_cents(w.late_amount)
                ));
            }
            if w.dropped > 0 {
                text.push_str(&format!("; dropped: {}", w.dropped));
            }
            text
        }
    }
}

/// "Deposits in window from 2026-01-01 00:00".
pub fn window_label(start: i64) -> String {
    format!(
        "Deposits in window from {}",
        crate::format::date_minutes(start)
    )
}

const SERIES: &[ChartSeries] = &[
    ChartSeries {
        code: "balance",
        label: TOTAL_BALANCE,
        money: true,
    },
    ChartSeries {
        code: "deposits",
        label: TOTAL_DEPOSITS,
        money: true,
    },
    ChartSeries {
        code: "accounts",
        label: ACCOUNTS_OPEN,
        money: false,
    },
];

impl DomainReadModels for BankReadModels {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        let Some(payload) = event.decode::<AccountEvent>() else {
            return;
        };
        self.balances.apply_payload(event, &payload);
        self.totals.apply_payload(&payload);
        if let AccountEvent::MoneyDeposited { amount, .. } = payload {
            self.deposits
                .add(event.stream_id, event.occurred_at_seconds(), amount.cents());
        }
    }

    fn accepts(&self, event: &RecordedEvent<'_>) -> bool {
        event.is::<AccountEvent>()
    }

    fn fresh(&self, settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Self::new(settings))
    }

    fn differing_rows(&self, other: &dyn DomainReadModels) -> Vec<RowId> {
        let Some(other) = same_kind::<Self>(other) else {
            return Vec::new();
        };
        let mut rows = differing_totals(
            [ACCOUNTS_OPEN, TOTAL_DEPOSITS, TOTAL_BALANCE]
                .map(|total| (total, self.show_total(total), other.show_total(total))),
        );
        rows.extend(self.balances.rows().differing(other.balances.rows()));
        rows.extend(
            self.deposits
                .windows()
                .differing_starts(other.deposits.windows())
                .into_iter()
                .map(RowId::Window),
        );
        rows
    }

    fn row_label(&self, row: &RowId) -> String {
        match row {
            RowId::Total(name) => (*name).to_owned(),
            RowId::Stream(n) => self.balances.rows().label(*n),
            RowId::Window(start) => window_label(*start),
        }
    }

    fn show_row(&self, row: &RowId) -> String {
        match row {
            RowId::Total(name) => self.show_total(name),
            RowId::Stream(n) => show_account(self.balances.rows().by_number(*n).map(|(_, r)| r)),
            RowId::Window(start) => show_window(self.deposits.windows().get(start)),
        }
    }

    fn touched_rows(&self, event: &RecordedEvent<'_>, out: &mut Vec<RowId>) {
        let Some(payload) = event.decode::<AccountEvent>() else {
            return;
        };
        let stream = || RowId::Stream(event.stream_number);
        match payload {
            AccountEvent::AccountOpened { .. } => {
                out.extend([RowId::Total(ACCOUNTS_OPEN), stream()]);
            }
            AccountEvent::AccountClosed => out.push(RowId::Total(ACCOUNTS_OPEN)),
            AccountEvent::MoneyDeposited { .. } => out.extend([
                RowId::Total(TOTAL_DEPOSITS),
                RowId::Total(TOTAL_BALANCE),
                stream(),
                RowId::Window(self.deposits.window_of(event.occurred_at_seconds())),
            ]),
            AccountEvent::MoneyWithdrawn { .. } => {
                out.extend([RowId::Total(TOTAL_BALANCE), stream()]);
            }
        }
    }

    fn order_sensitive(&self, row: &RowId) -> bool {
        matches!(row, RowId::Window(_))
    }

    fn late_difference(&self, batch: &dyn DomainReadModels, row: &RowId) -> Option<LateDifference> {
        let RowId::Window(start) = row else {
            return None;
        };
        let batch = same_kind::<Self>(batch)?;
        let online = self.deposits.windows().get(start);
        let late = |w: Option<&WindowRow>| w.map_or(0, WindowRow::late_or_dropped);
        let (on, off) = (late(online), late(batch.deposits.windows().get(start)));
        (on > off).then(|| LateDifference {
            events: on - off,
            dropped: online.is_some_and(|w| w.dropped > 0),
        })
    }

    fn chart_series(&self) -> &'static [ChartSeries] {
        SERIES
    }

    fn chart_values(&self, out: &mut Vec<i64>) {
        out.extend([
            self.totals.total_balance_cents,
            self.totals.total_deposits_cents,
            self.totals.accounts_open,
        ]);
    }
}
