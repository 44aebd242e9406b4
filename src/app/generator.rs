//! The load generator: many random but valid bank commands, produced in chunks so the page stays
//! responsive between them.
//!
//! Every command goes through the real command handler, so the generated history obeys every rule a
//! user's commands do (no overdraft, closing only at zero). Seeded: the same seed gives the same history.

use crate::domain::bank::{AccountCommand, Money, OwnerName};
use crate::kernel::{SeededRng, StreamId};
use chrono::{DateTime, Duration, Utc};
use std::fmt;

/// The most events one run may generate.
pub const MAX_GENERATE: u64 = 1_000_000;
/// Events generated per chunk; the browser gets control back between chunks.
pub const GENERATE_CHUNK: u64 = 10_000;
/// Roughly one new account per this many events.
const EVENTS_PER_ACCOUNT: u64 = 100;
/// Generated event times are spread evenly over this many days, ending now.
const SPAN_DAYS: i64 = 7;

const NAMES: [&str; 16] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Margaret",
    "Tony",
    "Frances",
    "John",
    "Radia",
    "Leslie",
    "Katherine",
    "Dennis",
    "Shafi",
    "Niklaus",
];

/// Why a typed count was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    /// Empty, not a whole number, zero or too many.
    #[error("“{0}” is not a number of events the generator accepts. Enter a whole number from 1 to 1,000,000 (for example 10000 or 10,000).")]
    Invalid(String),
}

/// Parses "Events to generate": a whole number from 1 to [`MAX_GENERATE`]; spaces, `,` and `_` may group
/// digits.
pub fn parse_count(input: &str) -> Result<u64, CountError> {
    let text = input.trim();
    let invalid = || {
        let shown: String = text.chars().take(24).collect();
        CountError::Invalid(shown)
    };
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if digits.is_empty() || digits.len() > 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    match digits.parse::<u64>() {
        Ok(n) if (1..=MAX_GENERATE).contains(&n) => Ok(n),
        _ => Err(invalid()),
    }
}

/// An open account the generator knows, with the balance it has given it.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    pub(crate) stream: StreamId,
    pub(crate) balance: i64,
}

/// Parses "Late share": a whole percentage from 0 to 100.
pub fn parse_late_share(input: &str) -> Result<u8, String> {
    let text = input.trim().trim_end_matches('%').trim();
    match text.parse::<u8>() {
        Ok(n) if n <= 100 => Ok(n),
        _ => {
            let shown: String = input.trim().chars().take(24).collect();
            Err(format!(
                "Late share must be a whole percentage from 0 to 100; “{shown}” is not."
            ))
        }
    }
}

/// A generation run in progress.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: SeededRng,
    target: u64,
    done: u64,
    accounts_wanted: u64,
    start_micros: i64,
    late_percent: u8,
    pub(crate) open: Vec<Known>,
}

/// What the generator wants to do next.
pub(crate) enum Step {
    /// Open a new account for this owner.
    Open(OwnerName),
    /// Run this command on the known account at this index.
    Act(usize, AccountCommand),
}

impl Generator {
    /// A run of `target` events, seeded by `seed`, continuing with the given open accounts. Event
    /// times run evenly over a week that ends `now`, or, if the log already has later events, starts at
    /// the `latest` of them (simulated time never runs backwards, so only the late share is late);
    /// `late_percent` of the events happened 1 to 36 hours before the events around them.
    pub(crate) fn new(
        target: u64,
        seed: u64,
        open: Vec<Known>,
        (now, latest): (DateTime<Utc>, Option<DateTime<Utc>>),
        late_percent: u8,
    ) -> Self {
        let week_before = now - Duration::days(SPAN_DAYS);
        let start = latest.map_or(week_before, |l| l.max(week_before));
        Self {
            rng: SeededRng::new(seed),
            target,
            done: 0,
            accounts_wanted: (target / EVENTS_PER_ACCOUNT).clamp(1, 2_000),
            start_micros: start.timestamp_micros(),
            late_percent: late_percent.min(100),
            open,
        }
    }

    /// The event time of the next event: its share of the week, or, for a late one, 1–36 hours earlier.
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

    /// Events generated so far.
    pub fn done(&self) -> u64 {
        self.done
    }

    /// Events this run will generate.
    pub fn target(&self) -> u64 {
        self.target
    }

    /// True when every event has been generated.
    pub fn is_finished(&self) -> bool {
        self.done >= self.target
    }

    pub(crate) fn record_success(&mut self) {
        self.done += 1;
    }

    /// The next command: opens accounts until there are enough, then moves money, and now and then
    /// empties and closes an account.
    pub(crate) fn next_step(&mut self, opened_so_far: usize) -> Step {
        let few = (self.open.len() as u64) < self.accounts_wanted.min(self.target - self.done);
        if self.open.is_empty() || (few && self.rng.below(4) == 0) {
            let name = NAMES[self.rng.below(NAMES.len() as u64) as usize];
            let owner = OwnerName::parse(&format!("{name} {}", opened_so_far + 1))
                .unwrap_or_else(|_| unreachable!("generated names are valid"));
            return Step::Open(owner);
        }
        let index = self.rng.below(self.open.len() as u64) as usize;
        let balance = self.open[index].balance;
        let roll = self.rng.below(1_000);
        let cents = 100 + self.rng.below(50_000) as i64;
        let command = if roll < 2 && balance == 0 {
            AccountCommand::CloseAccount
        } else if roll < 5 && balance > 0 {
            AccountCommand::Withdraw {
                amount: Money::from_cents(balance),
            }
        } else if roll < 400 && balance >= cents {
            AccountCommand::Withdraw {
                amount: Money::from_cents(cents),
            }
        } else {
            AccountCommand::Deposit {
                amount: Money::from_cents(cents),
            }
        };
        Step::Act(index, command)
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

/// `1234567` → `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
