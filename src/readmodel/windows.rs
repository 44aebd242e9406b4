//! Tumbling event-time windows with a watermark — the Beam/Flink model, for any read model that sums
//! something per window of event time (the bank's deposits, for one).
//!
//! Events are grouped by when they *happened* (occurred-at), in windows of a fixed size. The watermark
//! is the latest event time seen minus the allowed lateness: the belief that no earlier event is still
//! to come. An event whose window ended at or before the watermark is *late*: it is either counted
//! separately or dropped, as configured.
//!
//! As Flink does with Kafka sources, the watermark is kept per partition of the topic (events are
//! partitioned by stream id exactly as the broker does): an event is judged only against the events of
//! its own partition, so delivery that interleaves partitions differently changes nothing, and only
//! reordering *within* a partition can make an event late. The watermark shown is the lowest of them.

use crate::kernel::StreamId;

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
    /// Events that arrived on time.
    pub count: u64,
    /// Their total (e.g. cents).
    pub amount: i64,
    /// Events that arrived after the watermark passed the window (when counted separately).
    pub late_count: u64,
    /// Their total.
    pub late_amount: i64,
    /// Late events thrown away (when dropped).
    pub dropped: u64,
}

impl WindowRow {
    /// Late events, counted or dropped.
    pub fn late_or_dropped(&self) -> u64 {
        self.late_count + self.dropped
    }
}

/// Windows by start, in order: a sorted vector (there are few windows, and events mostly land in
/// the latest), with the window used last remembered.
#[derive(Debug, Clone, Default)]
pub struct Windows {
    rows: Vec<(i64, WindowRow)>,
    last: usize,
}

impl PartialEq for Windows {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
    }
}

impl Eq for Windows {}

impl Windows {
    /// The row of the window starting at `start`.
    pub fn get(&self, start: &i64) -> Option<&WindowRow> {
        self.rows
            .binary_search_by_key(start, |(s, _)| *s)
            .ok()
            .map(|i| &self.rows[i].1)
    }

    /// The row of the window starting at `start`, created empty if missing.
    fn entry(&mut self, start: i64) -> &mut WindowRow {
        if self.rows.get(self.last).is_some_and(|(s, _)| *s == start) {
            return &mut self.rows[self.last].1;
        }
        let index = match self.rows.binary_search_by_key(&start, |(s, _)| *s) {
            Ok(i) => i,
            Err(i) => {
                self.rows.insert(i, (start, WindowRow::default()));
                i
            }
        };
        self.last = index;
        &mut self.rows[index].1
    }

    /// Every window, earliest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&i64, &WindowRow)> {
        self.rows.iter().map(|(s, r)| (s, r))
    }

    /// The starts of the windows that differ between `self` and `other` (missing from one, or
    /// with other counts), earliest first: one walk over both sorted lists.
    pub fn differing_starts(&self, other: &Windows) -> Vec<i64> {
        let (mut a, mut b) = (self.rows.iter().peekable(), other.rows.iter().peekable());
        let mut starts = Vec::new();
        loop {
            match (a.peek(), b.peek()) {
                (Some((x, rx)), Some((y, ry))) if x == y => {
                    if rx != ry {
                        starts.push(*x);
                    }
                    a.next();
                    b.next();
                }
                (Some((x, _)), Some((y, _))) if x > y => {
                    starts.push(*y);
                    b.next();
                }
                (Some((x, _)), _) => {
                    starts.push(*x);
                    a.next();
                }
                (None, Some((y, _))) => {
                    starts.push(*y);
                    b.next();
                }
                (None, None) => return starts,
            }
        }
    }

    /// Every window's start, earliest first.
    pub fn keys(&self) -> impl Iterator<Item = &i64> {
        self.rows.iter().map(|(s, _)| s)
    }

    /// Number of windows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there is no window.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl std::ops::Index<&i64> for Windows {
    type Output = WindowRow;

    fn index(&self, start: &i64) -> &WindowRow {
        const EMPTY: WindowRow = WindowRow {
            count: 0,
            amount: 0,
            late_count: 0,
            late_amount: 0,
            dropped: 0,
        };
        self.get(start).unwrap_or(&EMPTY)
    }
}

/// Amounts per tumbling event-time window, with per-partition watermarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTimeWindows {
    settings: WindowSettings,
    windows: Windows,
    /// Latest event time seen, per partition.
    max_event_time: Vec<Option<i64>>,
    dropped: u64,
}

impl EventTimeWindows {
    /// Empty windows with `settings` (a size below one second is taken as one second).
    pub fn new(settings: WindowSettings) -> Self {
        let partitions = settings.partitions.clamp(1, 16);
        Self {
            settings: WindowSettings {
                size_seconds: settings.size_seconds.max(1),
                allowed_lateness_seconds: settings.allowed_lateness_seconds.max(0),
                late: settings.late,
                partitions,
            },
            windows: Windows::default(),
            max_event_time: vec![None; usize::from(partitions)],
            dropped: 0,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> WindowSettings {
        self.settings
    }

    /// Windows by start (seconds since the Unix epoch, event time).
    pub fn windows(&self) -> &Windows {
        &self.windows
    }

    /// The watermark shown: the lowest of the partitions' watermarks that have seen an event (seconds
    /// since the Unix epoch).
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

    /// Late events thrown away under [`LatePolicy::Drop`].
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The start of the window an event time falls in (seconds since the Unix epoch).
    pub fn window_of(&self, event_time: i64) -> i64 {
        event_time.div_euclid(self.settings.size_seconds) * self.settings.size_seconds
    }

    /// Adds one event of `stream` that happened at `event_time` (seconds) with `amount`.
    pub fn add(&mut self, stream: &StreamId, event_time: i64, amount: i64) {
        let partition = usize::from(stream.partition(self.settings.partitions));
        let start = self.window_of(event_time);
        let end = start.saturating_add(self.settings.size_seconds);
        let late = self
            .partition_watermark(partition)
            .is_some_and(|w| end <= w);
        let seen = &mut self.max_event_time[partition];
        *seen = Some(seen.map_or(event_time, |m| m.max(event_time)));
        let row = self.windows.entry(start);
        match (late, self.settings.late) {
            (false, _) => {
                row.count += 1;
                row.amount = row.amount.saturating_add(amount);
            }
            (true, LatePolicy::CountSeparately) => {
                row.late_count += 1;
                row.late_amount = row.late_amount.saturating_add(amount);
            }
            (true, LatePolicy::Drop) => {
                self.dropped += 1;
                row.dropped += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(rows: &[(i64, u64)]) -> Windows {
        let mut w = Windows::default();
        for &(start, count) in rows {
            w.entry(start).count = count;
        }
        w
    }

    #[test]
    fn differing_starts_are_the_windows_missing_from_one_side_or_counted_otherwise() {
        let a = windows(&[(0, 1), (10, 2), (20, 3), (40, 1)]);
        let b = windows(&[(10, 2), (20, 4), (30, 1), (50, 2)]);
        assert_eq!(a.differing_starts(&b), [0, 20, 30, 40, 50]);
        assert_eq!(b.differing_starts(&a), [0, 20, 30, 40, 50]);
        assert!(a.differing_starts(&a.clone()).is_empty());
        assert_eq!(Windows::default().differing_starts(&a), [0, 10, 20, 40]);
    }
}
