//! Online vs batch: the rows where the two read models differ, and the reason for each difference,
//! found from what happened to the events behind the row (their [`Fate`]s).

use super::pipeline::{Fate, Pipeline};
use crate::domain::bank::{AccountEvent, Money};
use crate::kernel::FastMap;
use crate::kernel::{EventStore, Position, StreamId};
use crate::projection::{AccountSummary, BankReadModels, WindowRow};
use chrono::DateTime;
use std::collections::BTreeMap;
use std::fmt;

/// Which row of the read models.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowKey {
    /// A bank-wide total.
    Total(Total),
    /// One account's balance and transaction count.
    Account(StreamId),
    /// One event-time window of deposits (start, seconds since the Unix epoch).
    Window(i64),
}

/// The bank-wide totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Total {
    /// Accounts open.
    AccountsOpen,
    /// Money ever deposited.
    TotalDeposits,
    /// Money held.
    TotalBalance,
}

impl fmt::Display for RowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Total(Total::AccountsOpen) => f.write_str("Accounts open"),
            Self::Total(Total::TotalDeposits) => f.write_str("Total deposits"),
            Self::Total(Total::TotalBalance) => f.write_str("Total balance"),
            Self::Account(stream) => write!(f, "{stream}"),
            Self::Window(start) => {
                let day = DateTime::from_timestamp(*start, 0).unwrap_or_default();
                write!(
                    f,
                    "Deposits in window from {}",
                    day.format("%Y-%m-%d %H:%M")
                )
            }
        }
    }
}

/// Why a row differs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// Some of its events are still on their way (lag per partition, or not published yet).
    NotYetDelivered {
        /// Events not yet applied online.
        events: u64,
        /// The partition and its lag, for the first such event.
        partition: u16,
        /// That partition's lag.
        lag: u64,
    },
    /// Some events were applied more than once.
    DuplicateApplied {
        /// Extra applications.
        extra: u64,
    },
    /// Some events arrived after a later event of their stream.
    AppliedOutOfOrder {
        /// How many.
        events: u64,
    },
    /// Some events are parked in the dead-letter queue.
    DeadLettered {
        /// How many.
        events: u64,
    },
    /// Some deposits were judged late by the online watermark, not by the batch one.
    LatePastWatermark {
        /// How many more online than in batch.
        events: u64,
        /// Dropped (rather than counted separately).
        dropped: bool,
    },
    /// Some events were committed before processing and lost in a crash.
    LostAtMostOnce {
        /// How many.
        events: u64,
    },
    /// Nothing about the events explains it but the order they arrived in (a watermark effect).
    ArrivalOrder,
    /// Some events were skipped as repeats by the per-stream version check although they were new.
    SkippedByVersionCheck {
        /// How many.
        events: u64,
    },
    /// The batch projection was last run before some of the row's events were appended.
    BatchStale {
        /// The position the batch last ran up to.
        position: Position,
    },
}

fn plural(n: u64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotYetDelivered {
                events,
                partition,
                lag,
            } => write!(
                f,
                "not yet delivered (lag {lag} on partition {partition}): {}",
                plural(*events, "event")
            ),
            Self::DuplicateApplied { extra } => write!(
                f,
                "duplicate applied: {}",
                plural(*extra, "extra application")
            ),
            Self::ArrivalOrder => f.write_str(
                "applied out of order: events arrived in another order than the log's, which moved the watermark",
            ),
            Self::AppliedOutOfOrder { events } => {
                write!(f, "applied out of order: {}", plural(*events, "event"))
            }
            Self::DeadLettered { events } => write!(
                f,
                "parked in the dead-letter queue: {}",
                plural(*events, "event")
            ),
            Self::LatePastWatermark { events, dropped } => write!(
                f,
                "{} as late past the watermark: {}",
                if *dropped { "dropped" } else { "counted" },
                plural(*events, "deposit")
            ),
            Self::LostAtMostOnce { events } => write!(
                f,
                "lost by at-most-once commit: {}",
                plural(*events, "event")
            ),
            Self::SkippedByVersionCheck { events } => write!(
                f,
                "skipped by the per-stream version check: {}",
                plural(*events, "event")
            ),
            Self::BatchStale { position } => {
                write!(f, "batch is stale (last run at position {position})")
            }
        }
    }
}

/// One row where online and batch differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The row.
    pub key: RowKey,
    /// The online value, as shown.
    pub online: String,
    /// The batch value, as shown.
    pub batch: String,
    /// Why they differ (at least one).
    pub reasons: Vec<Reason>,
}

/// A row's value as the projection panels show it.
pub fn show_account(row: Option<&AccountSummary>) -> String {
    match row {
        None => "—".to_owned(),
        Some(r) => format!(
            "{} ({})",
            Money::from_cents(r.balance_cents),
            plural(r.transactions, "transaction")
        ),
    }
}

/// A window's value as the projection panels show it.
pub fn show_window(row: Option<&WindowRow>) -> String {
    match row {
        None => "—".to_owned(),
        Some(w) => {
            let mut text = format!(
                "{}, {}",
                plural(w.deposits, "deposit"),
                Money::from_cents(w.amount_cents)
            );
            if w.late_deposits > 0 {
                text.push_str(&format!(
                    "; late: {}, {}",
                    w.late_deposits,
                    Money::from_cents(w.late_amount_cents)
                ));
            }
            if w.dropped_deposits > 0 {
                text.push_str(&format!("; dropped: {}", w.dropped_deposits));
            }
            text
        }
    }
}

/// A total's value as the projection panels show it.
pub fn show_total(models: &BankReadModels, total: Total) -> String {
    match total {
        Total::AccountsOpen => models.totals.accounts_open.to_string(),
        Total::TotalDeposits => Money::from_cents(models.totals.total_deposits_cents).to_string(),
        Total::TotalBalance => Money::from_cents(models.totals.total_balance_cents).to_string(),
    }
}

/// What the events behind one row went through, summed.
#[derive(Debug, Clone, Copy, Default)]
struct Causes {
    pending: u64,
    pending_example: Option<(u16, Position)>,
    extra: u64,
    out_of_order: u64,
    dead: u64,
    lost: u64,
    skipped: u64,
    after_batch: bool,
}

impl Causes {
    fn add(&mut self, fate: &Fate, position: Position, partition: u16, batch_at: Position) {
        let settled = fate.applied > 0 || fate.dead_lettered || fate.lost || fate.skipped > 0;
        if !settled {
            self.pending += 1;
            self.pending_example.get_or_insert((partition, position));
        }
        self.extra += u64::from(fate.applied.saturating_sub(1));
        self.out_of_order += u64::from(fate.out_of_order && fate.applied > 0);
        self.dead += u64::from(fate.dead_lettered && fate.applied == 0);
        self.lost += u64::from(fate.lost && fate.applied == 0);
        self.skipped += u64::from(fate.skipped > 0 && fate.applied == 0 && !fate.dead_lettered);
        self.after_batch |= position > batch_at && fate.applied > 0;
    }

    /// The reasons these causes give. Arrival order only changes order-dependent rows (the windows),
    /// so `order_matters` says whether to mention it.
    fn reasons(&self, lags: &[u64], batch_at: Position, order_matters: bool) -> Vec<Reason> {
        let mut reasons = Vec::new();
        if let Some((partition, _)) = self.pending_example {
            reasons.push(Reason::NotYetDelivered {
                events: self.pending,
                partition,
                lag: lags.get(usize::from(partition)).copied().unwrap_or(0),
            });
        }
        if self.extra > 0 {
            reasons.push(Reason::DuplicateApplied { extra: self.extra });
        }
        if self.dead > 0 {
            reasons.push(Reason::DeadLettered { events: self.dead });
        }
        if self.lost > 0 {
            reasons.push(Reason::LostAtMostOnce { events: self.lost });
        }
        if self.skipped > 0 {
            reasons.push(Reason::SkippedByVersionCheck {
                events: self.skipped,
            });
        }
        if self.after_batch {
            reasons.push(Reason::BatchStale { position: batch_at });
        }
        if self.out_of_order > 0 && order_matters {
            reasons.push(Reason::AppliedOutOfOrder {
                events: self.out_of_order,
            });
        }
        reasons
    }
}

/// Every row where `online` and `batch` differ, with reasons. `batch_at` is the position the batch
/// projection was last run up to.
pub fn differences(
    pipeline: &Pipeline<BankReadModels>,
    batch: &BankReadModels,
    batch_at: Position,
    store: &EventStore<AccountEvent>,
) -> Vec<Difference> {
    let online = pipeline.projection();
    let mut keys: Vec<RowKey> = Vec::new();
    for total in [
        Total::AccountsOpen,
        Total::TotalDeposits,
        Total::TotalBalance,
    ] {
        if show_total(online, total) != show_total(batch, total) {
            keys.push(RowKey::Total(total));
        }
    }
    let accounts: std::collections::BTreeSet<&StreamId> = online
        .balances
        .rows()
        .keys()
        .chain(batch.balances.rows().keys())
        .collect();
    for stream in accounts {
        if online.balances.get(stream) != batch.balances.get(stream) {
            keys.push(RowKey::Account(stream.clone()));
        }
    }
    let windows: std::collections::BTreeSet<&i64> = online
        .windows
        .windows()
        .keys()
        .chain(batch.windows.windows().keys())
        .collect();
    for start in windows {
        if online.windows.windows().get(start) != batch.windows.windows().get(start) {
            keys.push(RowKey::Window(*start));
        }
    }
    if keys.is_empty() {
        return Vec::new();
    }

    // One pass over the log sums the causes per account, per window, and for the whole bank.
    let partitions = pipeline.config().partitions;
    let lags: Vec<u64> = pipeline.partitions().iter().map(|p| p.lag).collect();
    let mut everything = Causes::default();
    let mut per_account: FastMap<&StreamId, Causes> = FastMap::default();
    let mut per_window: BTreeMap<i64, Causes> = BTreeMap::new();
    for event in store.read_all(1) {
        let fate = pipeline.fate(event.position);
        let partition = event.stream_id.partition(partitions);
        everything.add(&fate, event.position, partition, batch_at);
        per_account.entry(event.stream_id).or_default().add(
            &fate,
            event.position,
            partition,
            batch_at,
        );
        if matches!(event.payload, AccountEvent::MoneyDeposited { .. }) {
            let start = online.windows.window_of(event.occurred_at_seconds());
            per_window
                .entry(start)
                .or_default()
                .add(&fate, event.position, partition, batch_at);
        }
    }

    keys.into_iter()
        .map(|key| {
            let (online_text, batch_text, mut reasons) = match &key {
                RowKey::Total(total) => (
                    show_total(online, *total),
                    show_total(batch, *total),
                    everything.reasons(&lags, batch_at, false),
                ),
                RowKey::Account(stream) => (
                    show_account(online.balances.get(stream)),
                    show_account(batch.balances.get(stream)),
                    per_account
                        .get(stream)
                        .map(|c| c.reasons(&lags, batch_at, false))
                        .unwrap_or_default(),
                ),
                RowKey::Window(start) => {
                    let on = online.windows.windows().get(start);
                    let off = batch.windows.windows().get(start);
                    let mut reasons = per_window
                        .get(start)
                        .map(|c| c.reasons(&lags, batch_at, true))
                        .unwrap_or_default();
                    let late = |w: Option<&WindowRow>| {
                        w.map_or(0, |w| w.late_deposits + w.dropped_deposits)
                    };
                    if late(on) > late(off) {
                        reasons.push(Reason::LatePastWatermark {
                            events: late(on) - late(off),
                            dropped: on.is_some_and(|w| w.dropped_deposits > 0),
                        });
                    }
                    (show_window(on), show_window(off), reasons)
                }
            };
            if reasons.is_empty() {
                // Nothing about the events explains it: only the order they arrived in can.
                reasons.push(Reason::ArrivalOrder);
            }
            reasons.dedup();
            Difference {
                key,
                online: online_text,
                batch: batch_text,
                reasons,
            }
        })
        .collect()
}
