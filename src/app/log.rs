//! The event log's store queries: filter by event type, by stream (an exact id or a category), and
//! by event time; the rows of the (filtered) log and the envelope of one event.
//!
//! The filter keeps the positions that match and extends them as events are appended, so a filtered
//! log of a million events is as virtualised as the whole one.

use crate::format::shorten;
use crate::kernel::{EventStore, Position, RecordedEvent, SchemaId, StreamId};

/// What the log filter's controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogAction {
    /// "Event type": a type name, or "" for all.
    SetType(String),
    /// "Stream": an exact stream id (`account-1`), a category prefix (`order-`), or "" for all.
    SetStream(String),
    /// "Occurred since": a date and time (`2026-01-05T09:00`, UTC), or "" for any time.
    SetSince(String),
    /// "Clear filters".
    Clear,
}

/// Which streams the log shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StreamFilter {
    /// Every stream.
    #[default]
    All,
    /// Exactly this stream.
    Exact(StreamId),
    /// Every stream of this category.
    Category(String),
}

impl StreamFilter {
    /// Parses the "Stream" field: `account-1` is one stream; `order-` (or `order`) is a category.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self::All);
        }
        if text.chars().count() > 200 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "Stream must be a stream id such as account-1 or a category prefix such as order-, without spaces; “{}” is not.",
                shorten(text)
            ));
        }
        Ok(match text.strip_suffix('-') {
            Some(category) if !category.is_empty() && !category.contains('-') => {
                Self::Category(category.to_owned())
            }
            _ if !text.contains('-') => Self::Category(text.to_owned()),
            _ => Self::Exact(StreamId::new(text)),
        })
    }

    fn matches(&self, event: &RecordedEvent<'_>) -> bool {
        match self {
            Self::All => true,
            Self::Exact(id) => event.stream_id == id,
            Self::Category(c) => event.category() == c,
        }
    }
}

/// Parses "Occurred since" (UTC): `2026-01-05T09:00`, with optional seconds.
pub fn parse_since(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    crate::format::parse_date_time(text)
        .map(Some)
        .ok_or_else(|| {
            format!(
            "Occurred since must be a date and time such as 2026-01-05T09:00 (UTC); “{}” is not.",
            shorten(text)
        )
        })
}

/// The log filter: what is typed, what it means, and the positions that match.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    type_name: String,
    types: Vec<SchemaId>,
    stream_text: String,
    stream: StreamFilter,
    since_text: String,
    since: Option<i64>,
    /// Matching positions, in order, up to `scanned` (only while a filter is active).
    matches: Vec<u32>,
    scanned: Position,
}

impl LogFilter {
    /// True when any filter is set.
    pub fn is_active(&self) -> bool {
        !self.type_name.is_empty() || self.stream != StreamFilter::All || self.since.is_some()
    }

    /// The chosen event type ("" = all).
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// What is typed in "Stream".
    pub fn stream_text(&self) -> &str {
        &self.stream_text
    }

    /// What is typed in "Occurred since".
    pub fn since_text(&self) -> &str {
        &self.since_text
    }

    /// Applies an action; `Err` leaves the filter as it was.
    pub fn handle(
        &mut self,
        action: LogAction,
        store: &EventStore,
        known: &[&str],
    ) -> Result<(), String> {
        match action {
            LogAction::SetType(name) => {
                let name = name.trim();
                if !name.is_empty() && !known.contains(&name) {
                    return Err(format!(
                        "Event type must be All or one of the types the domains write, such as {}; “{}” is not.",
                        known.first().copied().unwrap_or("AccountOpened"),
                        shorten(name)
                    ));
                }
                self.type_name = name.to_owned();
                self.types = store.schemas().ids_named(name);
            }
            LogAction::SetStream(text) => {
                self.stream = StreamFilter::parse(&text)?;
                self.stream_text = text.trim().to_owned();
            }
            LogAction::SetSince(text) => {
                self.since = parse_since(&text)?;
                self.since_text = text.trim().to_owned();
            }
            LogAction::Clear => *self = Self::default(),
        }
        self.matches.clear();
        self.scanned = 0;
        self.catch_up(store);
        Ok(())
    }

    /// Whether the event matches every filter set.
    pub fn matches(&self, event: &RecordedEvent<'_>) -> bool {
        (self.type_name.is_empty() || self.types.contains(&event.schema_id))
            && self.stream.matches(event)
            && self.since.is_none_or(|t| event.occurred_at_micros >= t)
    }

    /// Extends the matches over events appended since the last look.
    pub fn catch_up(&mut self, store: &EventStore) {
        let head = store.head();
        if !self.is_active() {
            self.scanned = head;
            return;
        }
        let only_type = self.stream == StreamFilter::All && self.since.is_none();
        for position in self.scanned + 1..=head {
            let hit = if only_type {
                // The fast path reads only the row's schema id.
                store
                    .schema_at(position)
                    .is_some_and(|s| self.types.contains(&s))
            } else {
                store.get(position).is_some_and(|e| self.matches(&e))
            };
            if hit {
                self.matches.push(position as u32);
            }
        }
        self.scanned = head;
    }

    /// Rows in the (filtered) log.
    pub fn len(&self, head: Position) -> u64 {
        if self.is_active() {
            self.matches.len() as u64
        } else {
            head
        }
    }

    /// True when the (filtered) log shows nothing.
    pub fn is_empty(&self, head: Position) -> bool {
        self.len(head) == 0
    }

    /// The position of the `index`-th row (0-based) of the (filtered) log.
    pub fn position_at(&self, index: u64) -> Option<Position> {
        if self.is_active() {
            usize::try_from(index)
                .ok()
                .and_then(|i| self.matches.get(i))
                .map(|&p| u64::from(p))
        } else {
            Some(index + 1)
        }
    }

    /// The index of the last row at or before `position` (for bringing the timeline's cursor into
    /// view).
    pub fn index_at(&self, position: Position) -> u64 {
        if self.is_active() {
            self.matches
                .partition_point(|&p| u64::from(p) <= position)
                .saturating_sub(1) as u64
        } else {
            position.saturating_sub(1)
        }
    }

    /// The matching positions (while a filter is active).
    pub fn matching_positions(&self) -> &[u32] {
        &self.matches
    }
}
