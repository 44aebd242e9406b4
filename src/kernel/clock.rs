//! Where "now" comes from. The kernel never reads a system clock: the shell (browser, bench, test) does.

use chrono::{DateTime, Duration, Utc};
use std::cell::Cell;

/// A source of the current time in UTC.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// The current instant in microseconds since the Unix epoch: what the store stamps (no
    /// calendar arithmetic on the append path).
    fn now_micros(&self) -> i64 {
        self.now().timestamp_micros()
    }
}

/// A clock for tests and simulations: starts at a fixed instant and advances by a fixed step on every
/// reading, so event times are distinct, ordered and reproducible.
#[derive(Debug)]
pub struct ManualClock {
    /// The next reading, in microseconds since the epoch.
    next: Cell<i64>,
    /// The step, in microseconds.
    step: i64,
}

impl ManualClock {
    /// A clock whose first reading is `start` and which advances by `step` after each reading.
    pub fn new(start: DateTime<Utc>, step: Duration) -> Self {
        Self {
            next: Cell::new(start.timestamp_micros()),
            step: step.num_microseconds().unwrap_or(i64::MAX),
        }
    }

    /// 2026-01-01T09:00:00Z, advancing one second per reading.
    pub fn starting_2026() -> Self {
        let start = DateTime::from_timestamp(1_767_258_000, 0).unwrap_or_default();
        Self::new(start, Duration::seconds(1))
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.now_micros()).unwrap_or_default()
    }

    fn now_micros(&self) -> i64 {
        let now = self.next.get();
        self.next.set(now.saturating_add(self.step));
        now
    }
}

impl<C: Clock + ?Sized> Clock for std::rc::Rc<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }

    fn now_micros(&self) -> i64 {
        (**self).now_micros()
    }
}

impl<C: Clock + ?Sized> Clock for Box<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }

    fn now_micros(&self) -> i64 {
        (**self).now_micros()
    }
}
