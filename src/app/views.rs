//! View models: plain data the UI draws, computed from the playground as of the timeline position.

use super::Playground;
use crate::domain::bank::{Account, AccountStatus};
use crate::kernel::{DomainEvent, Envelope, Position, StateAt, StreamId};
use chrono::{DateTime, SecondsFormat, Utc};
use std::ops::Range;

/// The timeline's slider and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineView {
    /// The shown position.
    pub position: Position,
    /// Number of events in the log.
    pub head: Position,
    /// Following the head?
    pub live: bool,
}

impl TimelineView {
    /// "position 3 of 7".
    pub fn label(&self) -> String {
        format!(
            "position {} of {}",
            super::group(self.position),
            super::group(self.head)
        )
    }
}

/// One entry of the "Account" select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountOption {
    /// The account's stream, whose name is the option's value.
    pub stream: StreamId,
    /// "account-1 · Alice".
    pub label: String,
}

/// How the shown state was rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuilt {
    /// From a snapshot at `version` plus `events` replayed.
    FromSnapshot {
        /// The snapshot's stream version.
        version: u64,
        /// Events replayed on top.
        events: u64,
    },
    /// By replaying `events` from the start.
    Replayed {
        /// Events replayed.
        events: u64,
    },
}

impl Rebuilt {
    fn from_state<A>(at: &StateAt<A>) -> Self {
        match at.snapshot_version {
            Some(version) => Self::FromSnapshot {
                version,
                events: at.replayed,
            },
            None => Self::Replayed {
                events: at.replayed,
            },
        }
    }

    /// "rebuilt from snapshot v200 + 37 events" or "replayed 37 events".
    pub fn describe(self) -> String {
        let events = |n: u64| {
            if n == 1 {
                "1 event".to_owned()
            } else {
                format!("{n} events")
            }
        };
        match self {
            Self::FromSnapshot { version, events: n } => {
                format!("rebuilt from snapshot v{version} + {}", events(n))
            }
            Self::Replayed { events: n } => format!("replayed {}", events(n)),
        }
    }
}

/// Which fields differ from the previous position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangedFields {
    /// The owner changed.
    pub owner: bool,
    /// The balance changed.
    pub balance: bool,
    /// The status changed.
    pub status: bool,
    /// The version changed.
    pub version: bool,
}

/// The "Account state" region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    /// The stream id.
    pub stream: String,
    /// The owner ("—" before opening).
    pub owner: String,
    /// The balance, e.g. "70.00".
    pub balance: String,
    /// "Open", "Closed" or "Not opened".
    pub status: String,
    /// The stream version as of the position.
    pub version: u64,
    /// Fields changed by the event at the position.
    pub changed: ChangedFields,
    /// How the state was rebuilt (`None` when the account had no events yet).
    pub rebuilt: Option<Rebuilt>,
}

/// One row of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// Global position.
    pub position: Position,
    /// Event type name.
    pub event_type: &'static str,
    /// Stream id.
    pub stream: String,
    /// Stream version.
    pub version: u64,
    /// Recorded time, "09:00:01".
    pub time: String,
    /// The payload in a few words.
    pub payload: String,
    /// After the timeline cursor?
    pub future: bool,
    /// Its envelope is shown?
    pub inspected: bool,
}

/// Every field of one event's envelope, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeView {
    /// Global position.
    pub position: Position,
    /// (label, value) pairs in display order.
    pub fields: Vec<(&'static str, String)>,
}

fn time_of_day(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

impl Playground {
    /// The timeline as shown.
    pub fn timeline(&self) -> TimelineView {
        TimelineView {
            position: self.position(),
            head: self.head(),
            live: self.cursor().is_live(),
        }
    }

    /// The accounts for the "Account" select, oldest first, labelled with their owner.
    pub fn account_options(&self) -> &[AccountOption] {
        &self.accounts
    }

    /// The selected account's state as of the timeline position.
    pub fn account_view(&self) -> Option<AccountView> {
        let stream = self.selected()?;
        let position = self.position();
        let now = self.bank().state_at(stream, position);
        let before = match position {
            0 => None,
            p => self.bank().state_at(stream, p - 1),
        };
        let state_of = |at: &Option<StateAt<Account>>| {
            at.as_ref()
                .map(|a| (a.state.clone(), a.version))
                .unwrap_or_default()
        };
        let (account, version) = state_of(&now);
        let (previous, previous_version) = state_of(&before);
        let changed = if position == 0 {
            ChangedFields::default()
        } else {
            ChangedFields {
                owner: account.owner != previous.owner,
                balance: account.balance != previous.balance,
                status: account.status != previous.status,
                version: version != previous_version,
            }
        };
        Some(AccountView {
            stream: stream.to_string(),
            owner: account
                .owner
                .as_ref()
                .map_or_else(|| "—".to_owned(), ToString::to_string),
            balance: account.balance.to_string(),
            status: match (&now, account.status) {
                (None, _) => AccountStatus::NotOpened.to_string(),
                (_, status) => status.to_string(),
            },
            version,
            changed,
            rebuilt: now.as_ref().map(Rebuilt::from_state),
        })
    }

    /// Rows of the event log for positions in `range` (1-based, clipped to the log).
    pub fn log_rows(&self, range: Range<Position>) -> Vec<LogRow> {
        let shown = self.position();
        let end = range.end.min(self.head() + 1);
        (range.start.max(1)..end)
            .filter_map(|p| self.bank().store().get(p))
            .map(|e| LogRow {
                position: e.position,
                event_type: e.event_type(),
                stream: e.stream_id.to_string(),
                version: e.stream_version,
                time: time_of_day(e.recorded_at()),
                payload: e.payload.to_string(),
                future: e.position > shown,
                inspected: self.inspected() == Some(e.position),
            })
            .collect()
    }

    /// The envelope of the inspected event.
    pub fn inspected_envelope(&self) -> Option<EnvelopeView> {
        let position = self.inspected()?;
        let e: Envelope<'_, _> = self.bank().store().get(position)?;
        let when = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        let partitions = self.streaming().pipeline().config().partitions;
        Some(EnvelopeView {
            position,
            fields: vec![
                ("Event type", e.event_type().to_owned()),
                ("Event id", e.event_id.to_string()),
                ("Stream", e.stream_id.to_string()),
                ("Stream version", format!("v{}", e.stream_version)),
                ("Global position", format!("#{}", e.position)),
                ("Schema version", e.payload.schema_version().to_string()),
                ("Occurred at", when(e.occurred_at())),
                ("Recorded at", when(e.recorded_at())),
                ("Correlation id", e.correlation_id.to_string()),
                ("Causation id", e.causation_id.to_string()),
                ("Payload", e.payload.to_string()),
                (
                    "Partition",
                    format!(
                        "{} of {partitions} (keyed by stream)",
                        e.stream_id.partition(partitions)
                    ),
                ),
                (
                    "Online",
                    describe_fate(self.streaming().pipeline().fate(position)),
                ),
            ],
        })
    }
}

/// What happened to an event on its way to the online projection, in a sentence.
fn describe_fate(fate: crate::sim::Fate) -> String {
    if !fate.published {
        return "not published to the topic yet".to_owned();
    }
    let mut parts = vec![match fate.applied {
        0 => "not applied".to_owned(),
        1 => "applied once".to_owned(),
        n => format!("applied {n} times (duplicates)"),
    }];
    if fate.deliveries > 1 {
        parts.push(format!("delivered {} times", fate.deliveries));
    }
    if fate.skipped > 0 {
        parts.push(format!("skipped {} time(s) as a repeat", fate.skipped));
    }
    if fate.out_of_order {
        parts.push("arrived after a later event of its stream".to_owned());
    }
    if fate.dead_lettered {
        parts.push("parked in the dead-letter queue".to_owned());
    }
    if fate.lost {
        parts.push("lost: committed before processing, then the consumer crashed".to_owned());
    }
    if fate.deliveries == 0 && !fate.lost {
        parts.push("waiting in its partition".to_owned());
    }
    parts.join("; ")
}
