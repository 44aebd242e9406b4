//! Deposits per event-time window, with a watermark — the Beam/Flink model.
//!
//! Events are grouped by when they *happened* (occurred-at), in tumbling windows of a fixed size. The
//! watermark is the latest event time seen minus the allowed lateness: the projection's belief that no
//! earlier event is still to come. An event whose window ended at or before the watermark is *late*:
//! it is either counted separately or dropped, as configured.
//!
//! As Flink does with Kafka sources, the watermark is kept per partition of the topic (events are
//! partitioned by stream id exactly as the broker does): an event is judged only against the events of
//! its own partition, so delivery that interleaves partitions differently changes nothing, and only
//! reordering *within* a partition can make an event late. The watermark shown is the lowest of them.

use super::Projection;
use crate::domain::bank::AccountEvent;
use crate::kernel::Envelope;
use std::collections::BTreeMap;

/// What happens to an event that arrives after its window was closed by the watermark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LatePolicy {
    /// Kept, in a separate "late" column of its window.
    #[default]
    CountSeparately,
    /// Thrown away (only counted as dropped).
    Drop,
}

/// Window size, allowed lateness and late policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowSettings {
    /// Window length in seconds of event time.
    pub size_seconds: i64,
    /// How far behind the newest event time an event may be and still count as on time, in seconds.
    pub allowed_lateness_seconds: i64,
    /// What to do with late events.
    pub late: LatePolicy,
    /// Partitions of the topic the events come through (1–16): one watermark each.
    pub partitions: u16,
}

impl Default for WindowSettings {
    /// Daily windows, one hour of allowed lateness, late events counted separately.
    fn default() -> Self {
        Self {
            size_seconds: 86_400,
            allowed_lateness_seconds: 3_600,
            late: LatePolicy::CountSeparately,
            partitions: 3,
        }
    }
}

/// One window's tallies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowRow {
    /// Deposits that arrived on time.
    pub deposits: u64,
    /// Their total, in cents.
    pub amount_cents: i64,
    /// Deposits that arrived after the watermark passed the window (when counted separately).
    pub late_deposits: u64,
    /// Their total, in cents.
    pub late_amount_cents: i64,
    /// Late deposits thrown away (when dropped).
    pub dropped_deposits: u64,
}

/// Deposits per tumbling event-time window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositWindows {
    settings: WindowSettings,
    windows: BTreeMap<i64, WindowRow>,
    /// Latest event time seen, per partition.
    max_event_time: Vec<Option<i64>>,
    dropped: u64,
}

impl DepositWindows {
    /// Empty windows with `settings` (a size below one second is taken as one second).
    pub fn new(settings: WindowSettings) -> Self {
        Self {
            settings: WindowSettings {
                size_seconds: settings.size_seconds.max(1),
                allowed_lateness_seconds: settings.allowed_lateness_seconds.max(0),
                late: settings.late,
                partitions: settings.partitions.clamp(1, 16),
            },
            windows: BTreeMap::new(),
            max_event_time: vec![None; usize::from(settings.partitions.clamp(1, 16))],
            dropped: 0,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> WindowSettings {
        self.settings
    }

    /// Windows by start (seconds since the Unix epoch, event time).
    pub fn windows(&self) -> &BTreeMap<i64, WindowRow> {
        &self.windows
    }

    /// The watermark shown: the lowest of the partitions' watermarks that have seen a deposit
    /// (seconds since the Unix epoch).
    pub fn watermark(&self) -> Option<i64> {
        self.max_event_time
            .iter()
            .flatten()
            .min()
            .map(|t| t.saturating_sub(self.settings.allowed_lateness_seconds))
    }

    fn partition_watermark(&self, partition: usize) -> Option<i64> {
        self.max_event_time[partition]
            .map(|t| t.saturating_sub(self.settings.allowed_lateness_seconds))
    }

    /// Late deposits thrown away under [`LatePolicy::Drop`].
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The start of the window an event time falls in (seconds since the Unix epoch).
    pub fn window_of(&self, event_time: i64) -> i64 {
        self.window_start(event_time)
    }

    fn window_start(&self, event_time: i64) -> i64 {
        event_time.div_euclid(self.settings.size_seconds) * self.settings.size_seconds
    }
}

impl Projection<AccountEvent> for DepositWindows {
    fn apply(&mut self, event: &Envelope<'_, AccountEvent>) {
        let AccountEvent::MoneyDeposited { amount } = event.payload else {
            return;
        };
        let time = event.occurred_at_seconds();
        let start = self.window_start(time);
        let end = start.saturating_add(self.settings.size_seconds);
        let partition = usize::from(event.stream_id.partition(self.settings.partitions));
        let late = self
            .partition_watermark(partition)
            .is_some_and(|w| end <= w);
        let seen = &mut self.max_event_time[partition];
        *seen = Some(seen.map_or(time, |m| m.max(time)));
        match (late, self.settings.late) {
            (false, _) => {
                let row = self.windows.entry(start).or_default();
                row.deposits += 1;
                row.amount_cents = row.amount_cents.saturating_add(amount.cents());
            }
            (true, LatePolicy::CountSeparately) => {
                let row = self.windows.entry(start).or_default();
                row.late_deposits += 1;
                row.late_amount_cents = row.late_amount_cents.saturating_add(amount.cents());
            }
            (true, LatePolicy::Drop) => {
                self.dropped += 1;
                self.windows.entry(start).or_default().dropped_deposits += 1;
            }
        }
    }
}
