//! The metrics dashboard and its alerts. Every tick the playground records a [`Sample`] of counters
//! (the consumer groups', the sagas', the store's); the last ones are kept for the sparklines, and
//! the alerts are the conditions that hold on them now, each listed from the tick it began to hold.
//! Domain-independent: it reads counters, never an event.

use crate::format::{count, group, tenths};
use crate::kernel::{Position, SchemaId};
use crate::sim::{Counters, Tick};
use std::collections::VecDeque;
use std::fmt;

/// Samples kept: the last 120 ticks' changes.
pub const KEPT: usize = 121;
/// The consumer groups whose lag is sampled: the read models', each saga handler's, the stream
/// processors'.
pub const GROUPS: usize = 7;
/// The ticks the processing error rate is measured over.
pub const ERROR_WINDOW: usize = 20;
/// The ticks the store's growth is measured over.
pub const GROWTH_WINDOW: usize = 100;

/// The counters at the end of one tick (cumulative, except the levels).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sample {
    /// The tick.
    pub tick: Tick,
    /// Events in the log.
    pub events: Position,
    /// Bytes the events take as stored.
    pub stored_bytes: u64,
    /// Every consumer group's counters, summed.
    pub counters: Counters,
    /// Entries in the dead-letter queues now.
    pub dlq_depth: u64,
    /// Events the read models' relay has not published yet.
    pub outbox: u64,
    /// Each group's consumer lag (records published, not committed), in [`Metrics::group_names`] order.
    pub lags: [u64; GROUPS],
    /// Sagas running.
    pub running: u64,
    /// Sagas completed, ever.
    pub completed: u64,
    /// Sagas compensated or timed out, ever.
    pub compensated: u64,
    /// Ticks from start to end, summed over the sagas that ended.
    pub duration_sum: u64,
    /// Events replayed by the last seek of the timeline.
    pub replay_cost: u64,
}

impl Sample {
    /// Sagas that ended, ever.
    pub fn ended(&self) -> u64 {
        self.completed + self.compensated
    }
}

/// The alerts' thresholds, as edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A group's consumer lag above this is a warning.
    pub lag: u64,
    /// A processing error rate above this percentage is critical.
    pub error_percent: u64,
    /// Store growth above this many events per 100 ticks is worth knowing.
    pub growth: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            lag: 10_000,
            error_percent: 1,
            growth: 10_000,
        }
    }
}

/// How serious an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Needs watching.
    Warning,
    /// Needs acting on.
    Critical,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        })
    }
}

/// What an alert watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// A group's consumer lag is above the threshold.
    ConsumerLag {
        /// The group's name.
        group: &'static str,
    },
    /// Failed attempts over the last [`ERROR_WINDOW`] ticks are above the threshold's share.
    ErrorRate,
    /// The log grew by more than the threshold over the last [`GROWTH_WINDOW`] ticks.
    StoreGrowth,
}

impl AlertKind {
    /// How serious it is.
    pub fn severity(self) -> Severity {
        match self {
            Self::ConsumerLag { .. } => Severity::Warning,
            Self::ErrorRate => Severity::Critical,
            Self::StoreGrowth => Severity::Info,
        }
    }
}

/// An alert that holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alert {
    /// What it watches.
    pub kind: AlertKind,
    /// The value now: records of lag, per-mille of failed attempts, or events of growth.
    pub value: u64,
    /// The threshold it is above (in the same unit as the setting).
    pub threshold: u64,
    /// The tick it began to hold at.
    pub since: Tick,
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AlertKind::ConsumerLag { group: name } => write!(
                f,
                "consumer lag of {name} is {}, above {}",
                count(self.value, "record"),
                group(self.threshold)
            ),
            AlertKind::ErrorRate => write!(
                f,
                "processing error rate is {}% over the last {ERROR_WINDOW} ticks, above {}%",
                tenths(self.value as f64 / 10.0),
                self.threshold
            ),
            AlertKind::StoreGrowth => write!(
                f,
                "the store grew by {} in the last {GROWTH_WINDOW} ticks, above {}",
                count(self.value, "event"),
                group(self.threshold)
            ),
        }
    }
}

/// One metric as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricView {
    /// Its name, which is the card's accessible name.
    pub label: String,
    /// The value now, as shown.
    pub value: String,
    /// The sparkline's SVG polyline points over the kept ticks, the oldest at the left edge and
    /// the newest at the right (empty before two samples).
    pub points: String,
    /// The highest value on the sparkline.
    pub max: u64,
}

/// The samples, the event types seen and the alerts.
#[derive(Debug, Clone)]
pub struct Metrics {
    samples: VecDeque<Sample>,
    /// Events appended, by schema id.
    types: Vec<u64>,
    thresholds: Thresholds,
    alerts: Vec<Alert>,
    group_names: [&'static str; GROUPS],
}

impl Metrics {
    /// No samples yet; `group_names` name the groups of [`Sample::lags`].
    pub fn new(group_names: [&'static str; GROUPS]) -> Self {
        Self {
            samples: VecDeque::with_capacity(KEPT),
            types: Vec::new(),
            thresholds: Thresholds::default(),
            alerts: Vec::new(),
            group_names,
        }
    }

    /// The groups' names, in the order of [`Sample::lags`].
    pub fn group_names(&self) -> &[&'static str; GROUPS] {
        &self.group_names
    }

    /// Counts one appended event of `schema`.
    pub fn count_event(&mut self, schema: SchemaId) {
        let i = schema.index();
        if i >= self.types.len() {
            self.types.resize(i + 1, 0);
        }
        self.types[i] += 1;
    }

    /// Events appended so far, by schema id.
    pub fn type_counts(&self) -> &[u64] {
        &self.types
    }

    /// Records the sample at the end of a tick, and which alerts hold now.
    pub fn record(&mut self, sample: Sample) {
        if self.samples.len() == KEPT {
            self.samples.pop_front();
        }
        self.samples.push_back(sample);
        self.evaluate();
    }

    /// The samples kept, oldest first.
    pub fn samples(&self) -> &VecDeque<Sample> {
        &self.samples
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// New thresholds, which the alerts follow at once.
    pub fn set_thresholds(&mut self, thresholds: Thresholds) {
        self.thresholds = thresholds;
        self.evaluate();
    }

    /// The alerts that hold, most serious first.
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// The conditions that hold on the samples kept, under the thresholds in force: what the
    /// alerts are, without when they began.
    pub fn conditions(&self) -> Vec<(AlertKind, u64)> {
        let Some(last) = self.samples.back() else {
            return Vec::new();
        };
        let t = self.thresholds;
        let mut holding = Vec::new();
        for (name, &lag) in self.group_names.iter().zip(&last.lags) {
            if lag > t.lag {
                holding.push((AlertKind::ConsumerLag { group: name }, lag));
            }
        }
        let base = self.ticks_ago(ERROR_WINDOW);
        let attempts = last
            .counters
            .attempts
            .saturating_sub(base.counters.attempts);
        let failed = last
            .counters
            .failed_attempts
            .saturating_sub(base.counters.failed_attempts);
        if attempts > 0 && failed.saturating_mul(100) > t.error_percent.saturating_mul(attempts) {
            holding.push((AlertKind::ErrorRate, failed * 1_000 / attempts));
        }
        let growth = last
            .events
            .saturating_sub(self.ticks_ago(GROWTH_WINDOW).events);
        if growth > t.growth {
            holding.push((AlertKind::StoreGrowth, growth));
        }
        holding
    }

    /// The sample `ticks` samples before the last (the oldest kept, if fewer).
    fn ticks_ago(&self, ticks: usize) -> Sample {
        let n = self.samples.len();
        self.samples
            .get(n.saturating_sub(ticks + 1))
            .copied()
            .unwrap_or_default()
    }

    fn evaluate(&mut self) {
        let now = self.samples.back().map_or(0, |s| s.tick);
        let t = self.thresholds;
        let before = std::mem::take(&mut self.alerts);
        self.alerts = self
            .conditions()
            .into_iter()
            .map(|(kind, value)| Alert {
                kind,
                value,
                threshold: match kind {
                    AlertKind::ConsumerLag { .. } => t.lag,
                    AlertKind::ErrorRate => t.error_percent,
                    AlertKind::StoreGrowth => t.growth,
                },
                since: before
                    .iter()
                    .find(|a| a.kind == kind)
                    .map_or(now, |a| a.since),
            })
            .collect();
        self.alerts
            .sort_by_key(|a| std::cmp::Reverse(a.kind.severity()));
    }

    /// Every metric with its value now (`live` is the counters at this moment, between ticks) and
    /// its sparkline, scaled into `width` × `height`. `groups_used` says which groups' lag to show.
    pub fn views(
        &self,
        live: &Sample,
        groups_used: &[bool; GROUPS],
        width: f64,
        height: f64,
    ) -> Vec<MetricView> {
        let last_delta = |f: fn(&Sample) -> u64| {
            let n = self.samples.len();
            match (
                n.checked_sub(2).map(|i| self.samples[i]),
                self.samples.back(),
            ) {
                (Some(a), Some(b)) => f(b).saturating_sub(f(&a)),
                _ => 0,
            }
        };
        let rate = |label: &str, f: fn(&Sample) -> u64| {
            let series = self.deltas(f);
            self.view(label, group(last_delta(f)), &series, width, height)
        };
        let level = |label: &str, value: String, f: &dyn Fn(&Sample) -> u64| {
            let series: Vec<u64> = self.samples.iter().map(f).collect();
            self.view(label, value, &series, width, height)
        };
        let mut views = vec![
            rate("Events appended per tick", |s| s.events),
            rate("Records delivered per tick", |s| s.counters.delivered),
        ];
        for (g, name) in self.group_names.iter().enumerate() {
            if groups_used[g] {
                views.push(level(
                    &format!("Consumer lag: {name}"),
                    group(live.lags[g]),
                    &move |s: &Sample| s.lags[g],
                ));
            }
        }
        views.extend([
            level("Outbox backlog", group(live.outbox), &|s| s.outbox),
            level("Dead-letter depth", group(live.dlq_depth), &|s| s.dlq_depth),
            rate("Dead-lettered per tick", |s| s.counters.parked),
            rate("Redeliveries per tick", |s| s.counters.redelivered),
            {
                let per_event = |s: &Sample| s.counters.attempts * 100 / s.counters.handled.max(1);
                let series: Vec<u64> = self.samples.iter().map(per_event).collect();
                self.view(
                    "Attempts per event",
                    tenths_of_hundredths(per_event(live)),
                    &series,
                    width,
                    height,
                )
            },
            level("Active sagas", group(live.running), &|s| s.running),
            rate("Sagas completed per tick", |s| s.completed),
            rate("Sagas compensated per tick", |s| s.compensated),
            level(
                "Mean saga duration (ticks)",
                if live.ended() == 0 {
                    "—".to_owned()
                } else {
                    tenths(live.duration_sum as f64 / live.ended() as f64)
                },
                &|s| s.duration_sum / s.ended().max(1),
            ),
            level(
                "Store size",
                format!(
                    "{} · {}",
                    count(live.events, "event"),
                    bytes(live.stored_bytes)
                ),
                &|s| s.events,
            ),
            level(
                "Replay cost (events per seek)",
                group(live.replay_cost),
                &|s| s.replay_cost,
            ),
        ]);
        views
    }

    /// The change of `f` over each kept tick.
    fn deltas(&self, f: fn(&Sample) -> u64) -> Vec<u64> {
        self.samples
            .iter()
            .zip(self.samples.iter().skip(1))
            .map(|(a, b)| f(b).saturating_sub(f(a)))
            .collect()
    }

    fn view(
        &self,
        label: &str,
        value: String,
        series: &[u64],
        width: f64,
        height: f64,
    ) -> MetricView {
        let max = series.iter().copied().max().unwrap_or(0).max(1);
        let slots = series.len().saturating_sub(1).max(1) as f64;
        let points = if series.len() < 2 {
            String::new()
        } else {
            let mut out = String::with_capacity(series.len() * 10);
            for (i, &v) in series.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let x = i as f64 / slots * width;
                let y = height - v as f64 / max as f64 * height;
                out.push_str(&tenths(x));
                out.push(',');
                out.push_str(&tenths(y));
            }
            out
        };
        MetricView {
            label: label.to_owned(),
            value,
            points,
            max,
        }
    }
}

/// Hundredths as "1.25".
fn tenths_of_hundredths(hundredths: u64) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// "12.3 MB", "456 KB", "789 B" (1 KB = 1,000 B).
pub fn bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{} KB", tenths(n as f64 / 1_000.0)),
        _ => format!("{} MB", tenths(n as f64 / 1_000_000.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; GROUPS] = ["read-models", "b", "c", "d", "e", "f", "g"];

    fn at(tick: Tick, f: impl FnOnce(&mut Sample)) -> Sample {
        let mut s = Sample {
            tick,
            ..Sample::default()
        };
        f(&mut s);
        s
    }

    #[test]
    fn a_lag_alert_holds_exactly_while_the_lag_is_above_the_threshold_and_keeps_its_start() {
        let mut m = Metrics::new(NAMES);
        m.record(at(1, |s| s.lags[0] = 10_000));
        assert!(m.alerts().is_empty(), "at the threshold is not above it");
        m.record(at(2, |s| s.lags[0] = 10_001));
        m.record(at(3, |s| s.lags[0] = 20_000));
        assert_eq!(
            m.alerts(),
            &[Alert {
                kind: AlertKind::ConsumerLag {
                    group: "read-models"
                },
                value: 20_000,
                threshold: 10_000,
                since: 2,
            }]
        );
        m.record(at(4, |s| s.lags[0] = 5));
        assert!(m.alerts().is_empty());
    }

    #[test]
    fn the_error_rate_is_measured_over_the_last_twenty_ticks() {
        let mut m = Metrics::new(NAMES);
        m.record(at(1, |_| ()));
        m.record(at(2, |s| {
            s.counters.attempts = 1_000;
            s.counters.failed_attempts = 20;
        }));
        let alert = m.alerts()[0];
        assert_eq!((alert.kind, alert.value), (AlertKind::ErrorRate, 20));
        assert_eq!(alert.kind.severity(), Severity::Critical);
        // Twenty quiet ticks later the failures are out of the window.
        for tick in 3..=22 {
            m.record(at(tick, |s| {
                s.counters.attempts = 1_000 + tick;
                s.counters.failed_attempts = 20;
            }));
        }
        assert!(m.alerts().is_empty(), "{:?}", m.alerts());
    }

    #[test]
    fn store_growth_is_measured_over_a_hundred_ticks_and_thresholds_apply_at_once() {
        let mut m = Metrics::new(NAMES);
        m.record(at(1, |_| ()));
        m.record(at(2, |s| s.events = 10_500));
        assert_eq!(m.alerts()[0].kind, AlertKind::StoreGrowth);
        m.set_thresholds(Thresholds {
            growth: 20_000,
            ..Thresholds::default()
        });
        assert!(m.alerts().is_empty());
    }

    #[test]
    fn the_sparkline_spans_the_width_and_the_height() {
        let mut m = Metrics::new(NAMES);
        for tick in 1..=3 {
            m.record(at(tick, |s| s.events = tick * tick));
        }
        let live = m.samples().back().copied().unwrap_or_default();
        let views = m.views(&live, &[true; GROUPS], 120.0, 30.0);
        let appended = &views[0];
        assert_eq!(appended.label, "Events appended per tick");
        assert_eq!(appended.value, "5");
        assert_eq!(appended.max, 5);
        assert_eq!(appended.points, "0.0,12.0 120.0,0.0");
        assert!(views.iter().any(|v| v.label == "Consumer lag: g"));
    }
}
