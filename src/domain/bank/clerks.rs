//! Optimistic concurrency you can see: two clerks load the same account, each decides a withdrawal
//! on what *they* loaded, and writes it with an expected version — exactly the loaded one
//! (optimistic concurrency: the second writer is refused), or any (no check: a lost update).
//!
//! The aggregate's `apply` stays free of logic: a stale write that breaks a rule is detected by
//! comparing the version the decision was made on with the version it was written at.

use super::account::{Account, AccountCommand, AccountEvent};
use super::money::Money;
use crate::kernel::{
    Aggregate, AppendError, CommandError, CommandMeta, EventStore, ExpectedVersion, Repository,
    StreamId,
};

/// The expected version a clerk writes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpectedMode {
    /// `Exact(loaded version)`: optimistic concurrency.
    #[default]
    Exact,
    /// `Any`: no check.
    Any,
}

impl ExpectedMode {
    /// The "Expected version" select's choices: (value, label).
    pub const CHOICES: [(&'static str, &'static str, ExpectedMode); 2] = [
        (
            "exact",
            "Exact (optimistic concurrency)",
            ExpectedMode::Exact,
        ),
        ("any", "Any (no check)", ExpectedMode::Any),
    ];

    /// The select's value for this mode.
    pub fn code(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Any => "any",
        }
    }
}

/// What a clerk loaded: the account as of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkLoad {
    /// The account.
    pub stream: StreamId,
    /// The version loaded (or last written by this clerk).
    pub version: u64,
    /// The state at that version.
    pub state: Account,
}

/// One clerk at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clerk {
    /// "Clerk A".
    pub name: &'static str,
    /// What is typed in the clerk's amount field.
    pub amount: String,
    /// What the clerk loaded.
    pub loaded: Option<ClerkLoad>,
}

/// The message the Concurrency region shows after a clerk acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClerkNotice {
    /// The stream moved on since the clerk loaded it: nothing was written. Offers Retry.
    Conflict {
        /// Which clerk (0 = A, 1 = B).
        clerk: usize,
        /// Who loaded what, where the stream is, and the events in between.
        text: String,
    },
    /// The account (or the input) refused the withdrawal: nothing was written.
    Refused(String),
    /// Written with no check on a version that was not the latest.
    LostUpdate(String),
}

/// The two clerks and how they write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clerks {
    /// Clerk A and clerk B.
    pub clerks: [Clerk; 2],
    /// The expected version they write with.
    pub mode: ExpectedMode,
    /// The last notice, until the next clerk action.
    pub notice: Option<ClerkNotice>,
}

impl Default for Clerks {
    fn default() -> Self {
        let clerk = |name| Clerk {
            name,
            amount: String::new(),
            loaded: None,
        };
        Self {
            clerks: [clerk("Clerk A"), clerk("Clerk B")],
            mode: ExpectedMode::Exact,
            notice: None,
        }
    }
}

/// A stored account event in a few words: "#12 MoneyWithdrawn (amount: 60.00)".
fn describe_at(store: &EventStore, stream: &StreamId, version: u64) -> Option<String> {
    let event = store.get(store.position_of(stream, version)?)?;
    let payload = event.decode::<AccountEvent>()?;
    Some(format!(
        "#{} {} ({payload})",
        event.position,
        event.event_type()
    ))
}

impl Clerks {
    /// Clerk `i` loads `stream` as it is now.
    pub fn load(
        &mut self,
        i: usize,
        repo: &Repository<Account>,
        store: &EventStore,
        stream: &StreamId,
    ) {
        let loaded = repo.load(store, stream);
        self.clerks[i].loaded = Some(ClerkLoad {
            stream: stream.clone(),
            version: loaded.version,
            state: loaded.state,
        });
        self.notice = None;
    }

    /// Clerk `i` withdraws the typed amount from what they loaded, deciding on the loaded state and
    /// writing with the chosen expected version. `Ok` carries the status news; refusals and conflicts
    /// become the [`ClerkNotice`] (and append nothing).
    pub fn withdraw(
        &mut self,
        i: usize,
        repo: &mut Repository<Account>,
        store: &mut EventStore,
        meta: &mut CommandMeta,
    ) -> Option<String> {
        let name = self.clerks[i].name;
        let amount = match Money::parse_amount(&self.clerks[i].amount) {
            Ok(amount) => amount,
            Err(error) => {
                self.notice = Some(ClerkNotice::Refused(format!("{name}: {error}")));
                return None;
            }
        };
        let Some(load) = self.clerks[i].loaded.clone() else {
            self.notice = Some(ClerkNotice::Refused(format!(
                "{name} has not loaded an account yet: press “{name} loads” first."
            )));
            return None;
        };
        let events = match load.state.handle(&AccountCommand::Withdraw { amount }) {
            Ok(events) => events,
            Err(error) => {
                self.notice = Some(ClerkNotice::Refused(format!("{name}: {error}")));
                return None;
            }
        };
        let expected = match self.mode {
            ExpectedMode::Exact => ExpectedVersion::Exact(load.version),
            ExpectedMode::Any => ExpectedVersion::Any,
        };
        match repo.commit(store, &load.stream, expected, &events, meta) {
            Ok(outcome) => {
                let written = outcome.stream_version;
                let now = repo.load(store, &load.stream);
                self.notice = (written > load.version + 1)
                    .then(|| lost_update(store, name, &load, &now.state, written));
                self.clerks[i].loaded = Some(ClerkLoad {
                    stream: load.stream.clone(),
                    version: now.version,
                    state: now.state,
                });
                Some(format!(
                    "{name} withdrew {amount} from {} (event #{}).",
                    load.stream,
                    outcome.positions.end()
                ))
            }
            Err(CommandError::Concurrency(AppendError::WrongExpectedVersion {
                actual, ..
            })) => {
                let actual = actual.unwrap_or(0);
                let between: Vec<String> = (load.version + 1..=actual)
                    .take(3)
                    .filter_map(|v| describe_at(store, &load.stream, v))
                    .collect();
                let more = actual.saturating_sub(load.version).saturating_sub(3);
                let mut text = format!(
                    "Concurrency conflict: {name} loaded v{} but the stream is at v{actual}. In between: {}",
                    load.version,
                    between.join(", ")
                );
                if more > 0 {
                    text.push_str(&format!(" and {more} more"));
                }
                text.push_str(
                    ". Nothing was written; Retry reloads the account and decides again.",
                );
                self.notice = Some(ClerkNotice::Conflict { clerk: i, text });
                None
            }
            Err(other) => {
                self.notice = Some(ClerkNotice::Refused(format!("{name}: {other}")));
                None
            }
        }
    }

    /// After a conflict: the clerk reloads the account and decides the same withdrawal again.
    pub fn retry(
        &mut self,
        repo: &mut Repository<Account>,
        store: &mut EventStore,
        meta: &mut CommandMeta,
    ) -> Option<String> {
        let Some(ClerkNotice::Conflict { clerk, .. }) = self.notice else {
            self.notice = Some(ClerkNotice::Refused(
                "There is no conflict to retry.".to_owned(),
            ));
            return None;
        };
        let stream = self.clerks[clerk]
            .loaded
            .as_ref()
            .map(|l| l.stream.clone())?;
        self.load(clerk, repo, store, &stream);
        self.withdraw(clerk, repo, store, meta)
    }
}

/// What a stale write without a check did: a broken rule, said plainly, or the update it lost.
fn lost_update(
    store: &EventStore,
    name: &str,
    load: &ClerkLoad,
    now: &Account,
    written: u64,
) -> ClerkNotice {
    if now.balance < Money::ZERO {
        return ClerkNotice::LostUpdate(format!(
            "Balance is now {}: {name} decided on v{}, a lost update.",
            now.balance, load.version
        ));
    }
    let unseen: Vec<String> = (load.version + 1..written)
        .take(3)
        .filter_map(|v| describe_at(store, &load.stream, v))
        .collect();
    ClerkNotice::LostUpdate(format!(
        "{name} decided on v{} but wrote v{written} without a check, never seeing {}: no rule broke this time, but it was a lost update waiting to happen.",
        load.version,
        unseen.join(", ")
    ))
}
