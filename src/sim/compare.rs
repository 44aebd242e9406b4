//! Online vs batch: the rows where the two read models differ, and the reason for each difference,
//! found from what happened to the events behind the row (their [`Fate`]s).
//!
//! Domain-independent: each domain's read models say which rows differ, how they are shown, and which
//! rows an event contributes to; this module sums the fates of those events per row.

use super::pipeline::{Fate, Pipeline};
use crate::format::count;
use crate::kernel::{EventStore, FastMap, Position};
use crate::readmodel::{ReadModels, RowId};
use std::fmt;

/// Which row of which domain's read models.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    /// The domain's index in the registry.
    pub domain: usize,
    /// The row within its read models.
    pub id: RowId,
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
    /// Some events were skipped from the dead-letter queue: they will never be applied online.
    SkippedFromDeadLetterQueue {
        /// How many.
        events: u64,
    },
    /// Some events are held back behind a dead-lettered event of their stream.
    HeldBehindDeadLetter {
        /// How many.
        events: u64,
    },
    /// Some events left the topic under its retention before the group got to them (or before a
    /// replay): only the event store still has them.
    OutsideRetention {
        /// How many.
        events: u64,
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
                count(*events, "event")
            ),
            Self::DuplicateApplied { extra } => write!(
                f,
                "duplicate applied: {}",
                count(*extra, "extra application")
            ),
            Self::ArrivalOrder => f.write_str(
                "applied out of order: events arrived in another order than the log's, which moved the watermark",
            ),
            Self::AppliedOutOfOrder { events } => {
                write!(f, "applied out of order: {}", count(*events, "event"))
            }
            Self::DeadLettered { events } => write!(
                f,
                "parked in the dead-letter queue: {}",
                count(*events, "event")
            ),
            Self::SkippedFromDeadLetterQueue { events } => write!(
                f,
                "skipped from the dead-letter queue: {}",
                count(*events, "event")
            ),
            Self::HeldBehindDeadLetter { events } => write!(
                f,
                "held behind a dead-lettered event of their stream: {}",
                count(*events, "event")
            ),
            Self::OutsideRetention { events } => write!(
                f,
                "outside the topic's retention: {}",
                count(*events, "event")
            ),
            Self::LatePastWatermark { events, dropped } => write!(
                f,
                "{} as late past the watermark: {}",
                if *dropped { "dropped" } else { "counted" },
                count(*events, "event")
            ),
            Self::LostAtMostOnce { events } => write!(
                f,
                "lost by at-most-once commit: {}",
                count(*events, "event")
            ),
            Self::SkippedByVersionCheck { events } => write!(
                f,
                "skipped by the per-stream version check: {}",
                count(*events, "event")
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
    /// The row's name, e.g. "account-3" or "Total balance".
    pub label: String,
    /// The online value, as shown.
    pub online: String,
    /// The batch value, as shown.
    pub batch: String,
    /// Why they differ (at least one).
    pub reasons: Vec<Reason>,
}

/// The rows the Differences list shows with their reasons; the rest are only counted.
pub const DIFFERENCES_SHOWN: usize = 500;

/// The rows where online and batch differ: the first ones with their reasons, and how many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Differences {
    rows: Vec<Difference>,
    total: usize,
}

impl Differences {
    /// Rows that differ, in all.
    pub fn len(&self) -> usize {
        self.total
    }

    /// True when every row is the same online and in batch.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The rows explained (the first [`DIFFERENCES_SHOWN`]), in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Difference> {
        self.rows.iter()
    }

    /// The same, as a slice.
    pub fn as_slice(&self) -> &[Difference] {
        &self.rows
    }
}

/// What the events behind one row went through, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Causes {
    pending: u64,
    pending_example: Option<(u16, Position)>,
    extra: u64,
    out_of_order: u64,
    dead: u64,
    dlq_skipped: u64,
    held: u64,
    expired: u64,
    lost: u64,
    skipped: u64,
    after_batch: bool,
}

impl Causes {
    /// True when an event so treated explains nothing: applied exactly once, in order, and seen by
    /// the batch too (most events, even under heavy faults), so summing a row's causes can pass it
    /// by without adding it.
    fn adds_nothing(fate: &Fate, position: Position, batch_at: Position) -> bool {
        fate.applied == 1 && !fate.out_of_order && position <= batch_at
    }

    /// Adds one event's fate; `partition` (where the event is) is asked only for the first event
    /// still pending.
    fn add(
        &mut self,
        fate: &Fate,
        position: Position,
        partition: impl FnOnce() -> u16,
        batch_at: Position,
    ) {
        let settled = fate.applied > 0
            || fate.dead_lettered
            || fate.dlq_skipped
            || fate.held
            || fate.expired
            || fate.lost
            || fate.skipped > 0;
        if !settled {
            self.pending += 1;
            if self.pending_example.is_none() {
                self.pending_example = Some((partition(), position));
            }
        }
        self.extra += u64::from(fate.applied.saturating_sub(1));
        self.out_of_order += u64::from(fate.out_of_order && fate.applied > 0);
        self.dead += u64::from(fate.dead_lettered && fate.applied == 0);
        self.dlq_skipped += u64::from(fate.dlq_skipped && fate.applied == 0);
        self.held += u64::from(fate.held && fate.applied == 0);
        self.expired += u64::from(fate.expired && fate.applied == 0);
        self.lost += u64::from(fate.lost && fate.applied == 0);
        self.skipped += u64::from(
            fate.skipped > 0 && fate.applied == 0 && !fate.dead_lettered && !fate.dlq_skipped,
        );
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
        if self.dlq_skipped > 0 {
            reasons.push(Reason::SkippedFromDeadLetterQueue {
                events: self.dlq_skipped,
            });
        }
        if self.held > 0 {
            reasons.push(Reason::HeldBehindDeadLetter { events: self.held });
        }
        if self.expired > 0 {
            reasons.push(Reason::OutsideRetention {
                events: self.expired,
            });
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

/// The rows each event of the log contributes to, kept as the log grows, so that explaining a
/// difference reads the fates of its row's own events instead of decoding the whole log on every
/// tick. What an event touches depends only on the event and the read models' settings, so an index
/// serves until those change (a replay).
#[derive(Debug, Clone, Default)]
pub struct TouchIndex {
    to: Position,
    /// Per domain, per stream number: 1 + where the stream's row is in `positions` (0: nowhere yet).
    streams: Vec<Vec<u32>>,
    /// Where every other row (totals, windows) is in `positions`.
    others: FastMap<RowKey, u32>,
    /// For each row, the positions of the events that touch it, in log order.
    positions: Vec<Vec<u32>>,
}

impl TouchIndex {
    /// Indexes the events appended since the last call, with the rows `online` says they touch.
    pub fn catch_up(&mut self, online: &ReadModels, store: &EventStore) {
        if self.to >= store.head() {
            return;
        }
        let domains = online.domains();
        self.streams.resize_with(domains.len(), Vec::new);
        let mut touched = Vec::new();
        store.for_each_in(self.to + 1, store.head(), |event| {
            let position = u32::try_from(event.position).unwrap_or(u32::MAX);
            for (domain, models) in domains.iter().enumerate() {
                models.touched_rows(event, &mut touched);
                for id in touched.drain(..) {
                    let row = self.row_of(domain, id);
                    self.positions[row].push(position);
                }
            }
        });
        self.to = store.head();
    }

    /// Where `id`'s row of `domain` is in `positions`, making room for a new one.
    fn row_of(&mut self, domain: usize, id: RowId) -> usize {
        let next = self.positions.len();
        let at = match id {
            RowId::Stream(n) => {
                let list = &mut self.streams[domain];
                let n = n as usize;
                if n >= list.len() {
                    list.resize(n + 1, 0);
                }
                if list[n] == 0 {
                    list[n] = next as u32 + 1;
                }
                list[n] as usize - 1
            }
            id => *self
                .others
                .entry(RowKey { domain, id })
                .or_insert(next as u32) as usize,
        };
        if at == next {
            self.positions.push(Vec::new());
        }
        at
    }

    /// The positions of the events that touch `key`, in log order.
    fn positions_of(&self, key: &RowKey) -> &[u32] {
        let at = match key.id {
            RowId::Stream(n) => self
                .streams
                .get(key.domain)
                .and_then(|list| list.get(n as usize))
                .and_then(|&i| i.checked_sub(1)),
            _ => self.others.get(key).copied(),
        };
        at.and_then(|i| self.positions.get(i as usize))
            .map_or(&[], Vec::as_slice)
    }
}

/// Every row where `online` and `batch` differ, the first [`DIFFERENCES_SHOWN`] with reasons (the
/// rest are counted: explaining a row reads the fates of its events, and a million events in flight
/// make tens of thousands of rows differ). `batch_at` is the position the batch projection was last
/// run up to; `index` has the log up to its head indexed (see [`TouchIndex::catch_up`]).
pub fn differences(
    pipeline: &Pipeline<ReadModels>,
    batch: &ReadModels,
    batch_at: Position,
    store: &EventStore,
    index: &TouchIndex,
) -> Differences {
    let online = pipeline.projection();
    let mut keys: Vec<RowKey> = Vec::new();
    for (domain, (on, off)) in online.domains().iter().zip(batch.domains()).enumerate() {
        keys.extend(
            on.differing_rows(off.as_ref())
                .into_iter()
                .map(|id| RowKey { domain, id }),
        );
    }
    let total = keys.len();
    keys.truncate(DIFFERENCES_SHOWN);

    // Each differing row's causes, summed over the fates of the events that touch it (from the
    // index, in log order), without decoding any event.
    let partitions = pipeline.config().partitions;
    let lags: Vec<u64> = pipeline.partitions().iter().map(|p| p.lag).collect();
    let causes: Vec<Causes> = keys
        .iter()
        .map(|key| {
            let mut c = Causes::default();
            for &p in index.positions_of(key) {
                let position = Position::from(p);
                let fate = pipeline.fate(position);
                if Causes::adds_nothing(&fate, position, batch_at) {
                    continue;
                }
                let partition = || store.partition_at(position, partitions).unwrap_or(0);
                c.add(&fate, position, partition, batch_at);
            }
            c
        })
        .collect();

    let rows = keys
        .into_iter()
        .zip(causes)
        .filter_map(|(key, c)| {
            let on = online.domain(key.domain)?;
            let off = batch.domain(key.domain)?;
            let mut reasons = c.reasons(&lags, batch_at, on.order_sensitive(&key.id));
            if let Some(late) = on.late_difference(off, &key.id) {
                reasons.push(Reason::LatePastWatermark {
                    events: late.events,
                    dropped: late.dropped,
                });
            }
            if reasons.is_empty() {
                // Nothing about the events explains it: only the order they arrived in can.
                reasons.push(Reason::ArrivalOrder);
            }
            reasons.dedup();
            Some(Difference {
                label: on.row_label(&key.id),
                online: on.show_row(&key.id),
                batch: off.show_row(&key.id),
                key,
                reasons,
            })
        })
        .collect();
    Differences { rows, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut of [`differences`]: an event it skips would have added nothing to any row.
    #[test]
    fn an_event_that_adds_nothing_changes_no_causes() {
        let batch_at = 10;
        let mut skipped = 0;
        for applied in 0..3 {
            for skipped_count in 0..2 {
                for flags in 0..64u8 {
                    for position in [batch_at - 1, batch_at, batch_at + 1] {
                        let fate = Fate {
                            published: true,
                            deliveries: applied + skipped_count,
                            applied,
                            skipped: skipped_count,
                            dead_lettered: flags & 1 != 0,
                            lost: flags & 2 != 0,
                            out_of_order: flags & 4 != 0,
                            dlq_skipped: flags & 8 != 0,
                            held: flags & 16 != 0,
                            expired: flags & 32 != 0,
                        };
                        if !Causes::adds_nothing(&fate, position, batch_at) {
                            continue;
                        }
                        skipped += 1;
                        let mut causes = Causes::default();
                        causes.add(&fate, position, || 0, batch_at);
                        assert_eq!(causes, Causes::default(), "{fate:?} at {position}");
                    }
                }
            }
        }
        assert!(skipped > 0);
    }
}
