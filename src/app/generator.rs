//! The load generator's run: how many events, their event times, and which domain writes next. Each
//! domain generates its own commands (valid by construction, through its real command handlers);
//! this run picks the domains by their weights and keeps count, in chunks so the page stays
//! responsive between them. Seeded: the same seed gives the same history.

use crate::format::group;
use crate::kernel::SeededRng;
use chrono::{DateTime, Duration, Utc};
use std::fmt;

/// Events generated per chunk (the unit of progress; the page redraws after a slice of chunks).
pub const GENERATE_CHUNK: u64 = 20_000;
/// Generated event times are spread evenly over this many days, ending now.
const SPAN_DAYS: i64 = 7;

/// A generation run in progress.
#[derive(Debug, Clone)]
pub struct Generator {
    pub(crate) rng: SeededRng,
    target: u64,
    done: u64,
    start_micros: i64,
    late_percent: u8,
    weights: Vec<u32>,
    stalls: u32,
}

impl Generator {
    /// A run of `target` events, seeded by `seed`, over domains with these `weights`. Event times run
    /// evenly over a week that ends `now`, or, if the log already has later events, start at the
    /// `latest` of them (simulated time never runs backwards, so only the late share is late);
    /// `late_percent` of the events happened 1 to 36 hours before the events around them.
    pub(crate) fn new(
        target: u64,
        seed: u64,
        weights: Vec<u32>,
        (now, latest): (DateTime<Utc>, Option<DateTime<Utc>>),
        late_percent: u8,
    ) -> Self {
        let week_before = now - Duration::days(SPAN_DAYS);
        let start = latest.map_or(week_before, |l| l.max(week_before));
        Self {
            rng: SeededRng::new(seed),
            target,
            done: 0,
            start_micros: start.timestamp_micros(),
            late_percent: late_percent.min(100),
            weights,
            stalls: 0,
        }
    }

    /// About how many of the run's events domain `index` will write.
    pub(crate) fn share_of(&self, index: usize) -> u64 {
        let total: u64 = self.weights.iter().map(|&w| u64::from(w)).sum();
        let weight = self.weights.get(index).copied().unwrap_or(0);
        (self.target * u64::from(weight))
            .checked_div(total)
            .unwrap_or(0)
    }

    /// The event time of the next command: its share of the week, or, for a late one, 1–36 hours
    /// earlier.
    pub(crate) fn event_time(&mut self) -> DateTime<Utc> {
        let span = Duration::days(SPAN_DAYS).num_microseconds().unwrap_or(0);
        let offset =
            (i128::from(span) * i128::from(self.done) / i128::from(self.target.max(1))) as i64;
        let mut micros = self.start_micros + offset;
        if self.rng.below(100) < u64::from(self.late_percent) {
            let hours = 1 + self.rng.below(36) as i64;
            micros -= hours * 3_600_000_000 + self.rng.below(3_600_000_000) as i64;
        }
        DateTime::from_timestamp_micros(micros).unwrap_or_default()
    }

    /// The domains to ask for the next command, first choice first: one picked by weight, then the
    /// others in order (a domain may have nothing it can do yet, e.g. orders before any customer).
    pub(crate) fn candidates(&mut self) -> Vec<usize> {
        let total: u64 = self.weights.iter().map(|&w| u64::from(w)).sum();
        let mut roll = self.rng.below(total);
        let mut first = 0;
        for (i, &w) in self.weights.iter().enumerate() {
            if roll < u64::from(w) {
                first = i;
                break;
            }
            roll -= u64::from(w);
        }
        let mut order = vec![first];
        order.extend((0..self.weights.len()).filter(|&i| i != first && self.weights[i] > 0));
        order
    }

    /// Counts `written` events; a step that wrote nothing counts as a stall.
    pub(crate) fn record(&mut self, written: u64) {
        self.done += written;
        if written == 0 {
            self.stalls += 1;
        } else {
            self.stalls = 0;
        }
    }

    /// Events the run may still write.
    pub(crate) fn remaining(&self) -> u64 {
        self.target.saturating_sub(self.done)
    }

    /// Events generated so far.
    pub fn done(&self) -> u64 {
        self.done
    }

    /// Events this run will generate.
    pub fn target(&self) -> u64 {
        self.target
    }

    /// True when every event has been generated, or no domain can generate any more.
    pub fn is_finished(&self) -> bool {
        self.done >= self.target || self.stalls >= 3
    }
}

impl fmt::Display for Generator {
    /// "Generating: 40,000 of 100,000 events".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Generating: {} of {} events",
            group(self.done),
            group(self.target)
        )
    }
}
