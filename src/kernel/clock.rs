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

/// A clock that can be held at one instant: while held, every reading gives the same instant — the
/// one given, or else what the wrapped clock reads the first time it is asked; released, it reads
/// the clock it wraps. The playground holds it for the length of each action, so an action's events
/// share one time, and a replayed action (a share link) gets the very time it had. An action that
/// never asks the time takes none from the wrapped clock.
pub struct HeldClock {
    inner: std::rc::Rc<dyn Clock>,
    holding: Cell<bool>,
    held: Cell<Option<i64>>,
}

impl std::fmt::Debug for HeldClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldClock")
            .field("holding", &self.holding.get())
            .field("held", &self.held.get())
            .finish_non_exhaustive()
    }
}

impl HeldClock {
    /// A released clock over `inner`.
    pub fn new(inner: std::rc::Rc<dyn Clock>) -> Self {
        Self {
            inner,
            holding: Cell::new(false),
            held: Cell::new(None),
        }
    }

    /// Holds the clock at `at` (microseconds since the epoch), or, with `None`, at what the wrapped
    /// clock reads when first asked.
    pub fn hold(&self, at: Option<i64>) {
        self.holding.set(true);
        self.held.set(at);
    }

    /// Lets the clock run again; returns the instant it was held at, if it was read or given.
    pub fn release(&self) -> Option<i64> {
        self.holding.set(false);
        self.held.take()
    }
}

impl Clock for HeldClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.now_micros()).unwrap_or_default()
    }

    fn now_micros(&self) -> i64 {
        if !self.holding.get() {
            return self.inner.now_micros();
        }
        if let Some(at) = self.held.get() {
            return at;
        }
        let at = self.inner.now_micros();
        self.held.set(Some(at));
        at
    }
}
