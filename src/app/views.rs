//! View models of the domain-independent panels: timeline, domain tabs, event log rows, the
//! envelope of one event, and the read models of online, batch and the query side.

use super::Playground;
use crate::format::{count, group, month_day_time, rfc3339_millis};
use crate::kernel::Position;
use crate::readmodel::ReadModels;
use crate::view::{FormView, ModelView, StateView};

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
        format!("position {} of {}", group(self.position), group(self.head))
    }
}

/// One tab of the "Domains" tab list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainTab {
    /// The domain's key.
    pub key: &'static str,
    /// The tab's name.
    pub title: &'static str,
    /// Selected?
    pub selected: bool,
    /// The domain's colour (its index in the registry).
    pub tone: usize,
}

/// One row of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// Global position.
    pub position: Position,
    /// The stream's category (`account`, `customer`, …).
    pub category: String,
    /// The category's colour: the index of the domain that owns it (`None` when no domain does).
    pub tone: Option<usize>,
    /// Event type name.
    pub event_type: String,
    /// Stream id.
    pub stream: String,
    /// Stream version.
    pub version: u64,
    /// Event time (when it happened), "Jan 05 09:00:01".
    pub time: String,
    /// The payload in a few words (as read), or its stored JSON (with "Show events as stored").
    pub payload: String,
    /// The schema version the event is stored in.
    pub schema_version: u16,
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

/// Up to 24 bytes as hex: "0a 03 41 64 61 …".
fn hex(data: &[u8]) -> String {
    let mut text: Vec<String> = data.iter().take(24).map(|b| format!("{b:02x}")).collect();
    if data.len() > 24 {
        text.push("…".to_owned());
    }
    text.join(" ")
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

    /// The tabs of the "Domains" tab list.
    pub fn tabs(&self) -> Vec<DomainTab> {
        self.modules()
            .iter()
            .enumerate()
            .filter(|(_, m)| m.has_tab())
            .map(|(i, m)| DomainTab {
                key: m.key(),
                title: m.title(),
                selected: i == self.tab(),
                tone: i,
            })
            .collect()
    }

    /// The selected domain's command panel.
    pub fn form(&self) -> FormView {
        self.modules()
            .get(self.tab())
            .map(|m| m.form(self.store()))
            .unwrap_or_default()
    }

    /// The selected domain's state region, as of the timeline position.
    pub fn state_view(&self) -> Option<StateView> {
        self.modules()
            .get(self.tab())
            .map(|m| m.state(self.store(), self.position()))
    }

    /// The state region of the domain with key `key`, as of the timeline position.
    pub fn state_of(&self, key: &str) -> Option<StateView> {
        self.modules()
            .iter()
            .find(|m| m.key() == key)
            .map(|m| m.state(self.store(), self.position()))
    }

    /// Rebuilds any stream as of `position` through the domain that owns its category; returns the
    /// number of events that went into it (0 when no domain knows the stream or it had none yet).
    pub fn seek(&self, stream: &crate::kernel::StreamId, position: Position) -> u64 {
        let Some(module) = self
            .domain_of_category(stream.category())
            .and_then(|i| self.modules().get(i))
        else {
            return 0;
        };
        match module.rebuild(self.store(), stream, position) {
            Some(crate::view::Rebuilt::FromSnapshot { version, events }) => version + events,
            Some(crate::view::Rebuilt::Replayed { events }) => events,
            None => 0,
        }
    }

    /// The settings the read models are built with now.
    pub fn read_model_settings(&self) -> crate::readmodel::ReadModelSettings {
        crate::readmodel::ReadModelSettings {
            windows: self.streaming().window_settings(),
        }
    }

    /// Every domain's view of `models` (online, batch or the query side's).
    pub fn model_views(&self, models: &ReadModels) -> Vec<ModelView> {
        self.modules()
            .iter()
            .zip(models.domains())
            .filter_map(|(m, d)| m.model_view(d.as_ref(), self.store()))
            .collect()
    }

    /// Rows in the event log (all, or those the filter keeps).
    pub fn log_len(&self) -> u64 {
        self.log_filter().len(self.head())
    }

    /// "1,000 events", or "12 of 1,000 events match" while filtering.
    pub fn log_count(&self) -> String {
        if self.log_filter().is_active() {
            format!(
                "{} of {} match",
                group(self.log_len()),
                count(self.head(), "event")
            )
        } else {
            count(self.head(), "event")
        }
    }

    /// The index in the (filtered) log of the row the timeline's cursor is at or after.
    pub fn log_index_of_cursor(&self) -> u64 {
        self.log_filter().index_at(self.position())
    }

    /// Rows of the (filtered) event log for indices in `range` (0-based).
    pub fn log_rows(&self, range: std::ops::Range<u64>) -> Vec<LogRow> {
        let shown = self.position();
        let end = range.end.min(self.log_len());
        (range.start..end)
            .filter_map(|i| self.log_filter().position_at(i))
            .filter_map(|p| self.store().get(p))
            .map(|e| {
                let category = e.category();
                LogRow {
                    position: e.position,
                    category: category.to_owned(),
                    tone: self.domain_of_category(category),
                    event_type: e.event_type().to_owned(),
                    stream: e.stream_id.to_string(),
                    version: e.stream_version,
                    time: month_day_time(e.occurred_at_micros),
                    payload: if self.shows_stored() {
                        super::stored_json(&e, false)
                    } else {
                        self.describe(&e)
                    },
                    schema_version: e.schema_version(),
                    future: e.position > shown,
                    inspected: self.inspected() == Some(e.position),
                }
            })
            .collect()
    }

    fn describe(&self, event: &crate::kernel::RecordedEvent<'_>) -> String {
        self.modules()
            .iter()
            .find_map(|m| m.describe(event))
            .unwrap_or_else(|| format!("({} bytes no domain here can read)", event.data.len()))
    }

    /// Which fields of `event` are sealed, and whether their key still exists.
    fn encrypted_fields(&self, event: &crate::kernel::RecordedEvent<'_>) -> String {
        let sealed: Vec<&str> = event
            .schema
            .fields()
            .iter()
            .filter(|f| f.kind == crate::kernel::Kind::Ciphertext)
            .map(|f| f.name)
            .collect();
        if sealed.is_empty() {
            return "none".to_owned();
        }
        let fields = sealed.join(", ");
        if self.keys.is_forgotten(event.stream_id) {
            format!(
                "{fields}: {} was forgotten, their key is deleted; the ciphertext stays as stored",
                event.stream_id
            )
        } else {
            format!(
                "{fields}: ChaCha20-Poly1305 with {}'s own key",
                event.stream_id
            )
        }
    }

    /// The envelope of the inspected event.
    pub fn inspected_envelope(&self) -> Option<EnvelopeView> {
        let position = self.inspected()?;
        let e = self.store().get(position)?;
        let partitions = self.streaming().pipeline().config().partitions;
        let domain = self
            .domain_of_category(e.category())
            .and_then(|i| self.modules().get(i))
            .map_or("no domain", |m| m.title());
        Some(EnvelopeView {
            position,
            fields: vec![
                ("Event type", e.event_type().to_owned()),
                ("Category", format!("{} ({domain})", e.category())),
                ("Event id", e.event_id.to_string()),
                ("Stream", e.stream_id.to_string()),
                ("Stream version", format!("v{}", e.stream_version)),
                ("Global position", format!("#{}", e.position)),
                ("Schema version", e.schema_version().to_string()),
                ("Occurred at", rfc3339_millis(e.occurred_at_micros)),
                ("Recorded at", rfc3339_millis(e.recorded_at_micros)),
                ("Correlation id", e.correlation_id.to_string()),
                ("Causation id", e.causation_id.to_string()),
                ("Payload", self.describe(&e)),
                ("Encrypted fields", self.encrypted_fields(&e)),
                (
                    "Stored form",
                    format!(
                        "schema #{} ({} v{}), {}: {}",
                        e.schema_id.index(),
                        e.event_type(),
                        e.schema_version(),
                        count(e.data.len() as u64, "byte"),
                        hex(e.data)
                    ),
                ),
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
        parts.push(format!(
            "skipped {} as a repeat",
            count(u64::from(fate.skipped), "time")
        ));
    }
    if fate.out_of_order {
        parts.push("arrived after a later event of its stream".to_owned());
    }
    if fate.dead_lettered {
        parts.push("parked in the dead-letter queue".to_owned());
    }
    if fate.dlq_skipped {
        parts.push("skipped from the dead-letter queue: never applied online".to_owned());
    }
    if fate.held {
        parts.push("held behind a dead-lettered event of its stream".to_owned());
    }
    if fate.expired {
        parts.push("outside the topic's retention: never applied online".to_owned());
    }
    if fate.lost {
        parts.push("lost: committed before processing, then the consumer crashed".to_owned());
    }
    if fate.deliveries == 0 && !fate.lost && !fate.held && !fate.expired {
        parts.push("waiting in its partition".to_owned());
    }
    parts.join("; ")
}
