//! The playground as the browser keeps it between visits: the log in batch records of
//! [`BATCH_EVENTS`] events each, written as the log grows, and one meta record (everything else:
//! the key store, deployed versions, settings, the selected tab and aggregates, and a checksum of
//! every batch record).
//!
//! Both are binary, in the kernel's stored form (postcard's wire format): a row is the envelope as
//! the store holds it, its data exactly as written. Nothing here knows where the records live (the
//! page keeps them in IndexedDB); reading them back never trusts them: every record is checked
//! against its checksum, and the events are appended through the same checks as an import.

use crate::format::group;
use crate::kernel::codec::{read_bytes, read_str, read_varint, write_varint, Decode, Encode};
use crate::kernel::{EventStore, PendingEvent, Position, RecordedEvent, SchemaId, StreamId};
use crate::privacy::KeyMaterial;
use std::hash::Hasher;
use uuid::Uuid;

/// The format this code writes (and the only one it reads).
pub const FORMAT: u64 = 2;
/// Events per batch record: record `k` holds positions `k × BATCH_EVENTS + 1` onwards.
pub const BATCH_EVENTS: u64 = 10_000;
const META_MAGIC: &[u8; 4] = b"ESPM";
const BATCH_MAGIC: &[u8; 4] = b"ESPB";

/// The checksum a record is kept with (SipHash-1-3 under a fixed key: this finds damage, it is not a
/// signature).
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut hasher = siphasher::sip::SipHasher13::new_with_keys(0x6573_7067, 0x0073_746f_7261_6765);
    hasher.write(bytes);
    hasher.finish()
}

/// What went wrong with what the browser keeps, and what the user can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser gives no storage (private mode, storage switched off, an old browser).
    #[error("This browser does not let the playground keep its work ({0}). The page works as usual, but a reload starts afresh: use Export events to keep a copy.")]
    Unavailable(String),
    /// A record is damaged: its checksum or its contents are wrong.
    #[error("What this browser kept is damaged: {what}. It was left as it is and nothing was loaded; the page works in memory and saves nothing until you press Reset playground (which clears it).")]
    Corrupted {
        /// The record, and what is wrong with it.
        what: String,
    },
    /// Records the meta record counts are missing or short: a save stopped half-way.
    #[error("What this browser kept is half-written: {what}. It was left as it is and nothing was loaded; the page works in memory and saves nothing until you press Reset playground (which clears it).")]
    HalfWritten {
        /// What is missing.
        what: String,
    },
    /// Kept by another version of the playground, in a format this one does not read.
    #[error("What this browser kept was saved by {} version of the playground (format {found}; this one reads format {}). It was left as it is and nothing was loaded; the page saves nothing until you press Reset playground (which clears it).", if *.found < FORMAT { "an older" } else { "a newer" }, FORMAT)]
    OtherFormat {
        /// The format found.
        found: u64,
    },
    /// A save was refused by the browser: what it said.
    #[error("The last changes could not be saved in this browser ({message}){}. What was saved before is kept; the page goes on working and tries again with the next change.", if *.quota { ": its storage is full. Free space (Reset playground, or delete other sites' data)" } else { "" })]
    SaveFailed {
        /// What the browser said.
        message: String,
        /// The browser's storage quota is used up.
        quota: bool,
    },
}

impl StorageError {
    /// The stored records must not be overwritten: nothing is saved until "Reset playground".
    pub fn holds_storage(&self) -> bool {
        matches!(
            self,
            Self::Corrupted { .. } | Self::HalfWritten { .. } | Self::OtherFormat { .. }
        )
    }

    fn corrupted(what: impl Into<String>) -> Self {
        Self::Corrupted { what: what.into() }
    }
}

/// Everything but the events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    /// The playground's seed.
    pub seed: u64,
    /// Its snapshot interval.
    pub snapshot_every: u64,
    /// Events saved (the batch records hold positions 1 to this).
    pub head: Position,
    /// The checksum of each batch record, in order.
    pub batches: Vec<u64>,
    /// The store's schema table as the rows number it: each id's type and version.
    pub schemas: Vec<(String, u16)>,
    /// The version each evolving type is written in.
    pub deployed: Vec<(String, u16)>,
    /// The key store.
    pub keys: KeyMaterial,
    /// Settings by their control id, with the value as its field shows it.
    pub settings: Vec<(String, String)>,
    /// The selected domain tab's key.
    pub tab: String,
    /// The log shows payloads as stored.
    pub show_stored: bool,
    /// Each domain's selects (the selected aggregate): domain, control id, value.
    pub selections: Vec<(String, String, String)>,
    /// The actions so far, for a share link, as the app keeps them (format 2 on).
    pub journal: Vec<u8>,
    /// The what-if branches, in the order made.
    pub branches: Vec<KeptBranch>,
    /// The branch on the page ("main" or a branch's name).
    pub branch: String,
}

/// A what-if branch as the meta record keeps it: where it forked, and its own events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeptBranch {
    /// Its name.
    pub name: String,
    /// The branch it was forked from.
    pub parent: String,
    /// The position of its parent's log it forked at.
    pub fork: Position,
    /// Events it shares with main.
    pub common: Position,
    /// Its events after the fork (positions `fork + 1` onwards), as a batch record's rows.
    pub rows: Vec<u8>,
    /// How many.
    pub count: u64,
    /// The version each evolving type is written in on it.
    pub deployed: Vec<(String, u16)>,
    /// Its key store.
    pub keys: KeyMaterial,
}

fn write_keys(out: &mut Vec<u8>, keys: &KeyMaterial) {
    out.extend_from_slice(&keys.index_key.0.to_le_bytes());
    out.extend_from_slice(&keys.index_key.1.to_le_bytes());
    write_varint(out, keys.keys.len() as u64);
    for (subject, key) in &keys.keys {
        (subject, key).encode(out);
    }
    keys.forgotten.encode(out);
}

fn read_keys(input: &mut &[u8]) -> Option<KeyMaterial> {
    let index_key = (
        u64::from_le_bytes(<[u8; 8]>::decode(input)?),
        u64::from_le_bytes(<[u8; 8]>::decode(input)?),
    );
    let keys = Vec::<(StreamId, [u8; 32])>::decode(input)?;
    let forgotten = Vec::decode(input)?;
    Some(KeyMaterial {
        index_key,
        keys,
        forgotten,
    })
}

impl Meta {
    /// The record's bytes, its checksum last.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.keys.keys.len() * 48);
        out.extend_from_slice(META_MAGIC);
        write_varint(&mut out, FORMAT);
        (self.seed, self.snapshot_every, self.head).encode(&mut out);
        write_varint(&mut out, self.batches.len() as u64);
        for sum in &self.batches {
            out.extend_from_slice(&sum.to_le_bytes());
        }
        self.schemas.encode(&mut out);
        self.deployed.encode(&mut out);
        write_keys(&mut out, &self.keys);
        self.settings.encode(&mut out);
        (&self.tab, self.show_stored).encode(&mut out);
        self.selections.encode(&mut out);
        write_varint(&mut out, self.journal.len() as u64);
        out.extend_from_slice(&self.journal);
        write_varint(&mut out, self.branches.len() as u64);
        for b in &self.branches {
            ((&b.name, &b.parent), (b.fork, b.common, b.count)).encode(&mut out);
            write_varint(&mut out, b.rows.len() as u64);
            out.extend_from_slice(&b.rows);
            b.deployed.encode(&mut out);
            write_keys(&mut out, &b.keys);
        }
        self.branch.encode(&mut out);
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a meta record, checking its checksum and every field.
    pub fn decode(bytes: &[u8]) -> Result<Self, StorageError> {
        let damaged = || StorageError::corrupted("the settings record cannot be read");
        if bytes.is_empty() {
            return Err(StorageError::HalfWritten {
                what: "its settings record is missing".to_owned(),
            });
        }
        let body = bytes
            .strip_prefix(META_MAGIC.as_slice())
            .ok_or_else(|| StorageError::corrupted("the settings record is not one of ours"))?;
        let mut input = body;
        let format = read_varint(&mut input).ok_or_else(damaged)?;
        if format != FORMAT {
            return Err(StorageError::OtherFormat { found: format });
        }
        let (rest, sum) = bytes
            .split_last_chunk::<8>()
            .ok_or_else(|| StorageError::corrupted("the settings record is cut short"))?;
        if checksum(rest) != u64::from_le_bytes(*sum) {
            return Err(StorageError::corrupted(
                "the settings record does not match its checksum",
            ));
        }
        let mut input = &input[..input.len().saturating_sub(8)];
        let meta = Self::fields(&mut input).ok_or_else(damaged)?;
        if !input.is_empty() {
            return Err(damaged());
        }
        if meta.batches.len() as u64 != meta.head.div_ceil(BATCH_EVENTS) {
            return Err(StorageError::corrupted(format!(
                "the settings record counts {} events in {} batches",
                group(meta.head),
                meta.batches.len()
            )));
        }
        Ok(meta)
    }

    fn fields(input: &mut &[u8]) -> Option<Self> {
        let (seed, snapshot_every, head) = <(u64, u64, u64)>::decode(input)?;
        let count = usize::try_from(read_varint(input)?).ok()?;
        if count > input.len() / 8 {
            return None;
        }
        let batches = (0..count)
            .map(|_| <[u8; 8]>::decode(input).map(u64::from_le_bytes))
            .collect::<Option<Vec<_>>>()?;
        let schemas = Vec::decode(input)?;
        let deployed = Vec::decode(input)?;
        let keys = read_keys(input)?;
        let settings = Vec::decode(input)?;
        let (tab, show_stored) = <(String, bool)>::decode(input)?;
        let selections = Vec::decode(input)?;
        let journal = read_bytes(input)?.to_vec();
        let count = usize::try_from(read_varint(input)?).ok()?;
        if count > input.len() {
            return None;
        }
        let mut branches = Vec::with_capacity(count);
        for _ in 0..count {
            let ((name, parent), (fork, common, events)) =
                <((String, String), (u64, u64, u64))>::decode(input)?;
            let rows = read_bytes(input)?.to_vec();
            let deployed = Vec::decode(input)?;
            let keys = read_keys(input)?;
            branches.push(KeptBranch {
                name,
                parent,
                fork,
                common,
                rows,
                count: events,
                deployed,
                keys,
            });
        }
        let branch = String::decode(input)?;
        Some(Self {
            seed,
            snapshot_every,
            head,
            batches,
            schemas,
            deployed,
            keys,
            settings,
            tab,
            show_stored,
            selections,
            journal,
            branches,
            branch,
        })
    }
}

/// The positions batch record `index` holds in a log of `head` events.
pub fn batch_range(index: u64, head: Position) -> (Position, Position) {
    let first = index * BATCH_EVENTS + 1;
    (first, head.min(first + BATCH_EVENTS - 1))
}

const OWN_CORRELATION: u8 = 1;
const NEW_STREAM: u8 = 2;

/// The rows of positions `first..=last` of `store`'s log, as a batch record holds them (a branch's own
/// events).
pub fn encode_rows(store: &EventStore, first: Position, last: Position) -> Vec<u8> {
    let mut out = Vec::with_capacity(((last + 1).saturating_sub(first) * 80) as usize);
    store.for_each_in(first, last, |event| write_row(&mut out, event));
    out
}

/// Batch record `index` of `store`'s log: its events, as stored.
pub fn encode_batch(store: &EventStore, index: u64) -> Vec<u8> {
    let (first, last) = batch_range(index, store.head());
    let mut out = Vec::with_capacity(((last + 1).saturating_sub(first) * 80) as usize + 16);
    out.extend_from_slice(BATCH_MAGIC);
    (FORMAT, index, first, (last + 1).saturating_sub(first)).encode(&mut out);
    store.for_each_in(first, last, |event| write_row(&mut out, event));
    out
}

fn write_row(out: &mut Vec<u8>, event: &RecordedEvent<'_>) {
    let own = event.correlation_id != event.causation_id;
    let new_stream = event.stream_version == 1;
    out.extend_from_slice(event.event_id.as_bytes());
    out.extend_from_slice(event.causation_id.as_bytes());
    out.push(if own { OWN_CORRELATION } else { 0 } | if new_stream { NEW_STREAM } else { 0 });
    if own {
        out.extend_from_slice(event.correlation_id.as_bytes());
    }
    event.occurred_at_micros.encode(out);
    (event.recorded_at_micros - event.occurred_at_micros).encode(out);
    if new_stream {
        event.stream_id.as_str().encode(out);
    } else {
        write_varint(out, u64::from(event.stream_number));
    }
    write_varint(out, event.stream_version);
    write_varint(out, event.schema_id.index() as u64);
    write_varint(out, event.data.len() as u64);
    out.extend_from_slice(event.data);
}

/// One event of a batch record, borrowed from it.
#[derive(Debug, Clone, Copy)]
pub struct StoredRow<'a> {
    /// Its position in the log.
    pub position: Position,
    /// Its stream: a new one by name, or one of the streams met before by number.
    pub stream: StreamRef<'a>,
    /// Its version in the stream.
    pub stream_version: u64,
    /// The envelope and data (the schema as the meta record's table numbers it).
    pub event: PendingEvent<'a>,
}

/// How a row names its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamRef<'a> {
    /// The stream's first event: its name.
    New(&'a str),
    /// A stream met before: its number (in order of first event).
    Known(u32),
}

/// Reads batch record `index`, which must hold the `count` events from position `first`.
pub struct BatchReader<'a> {
    input: &'a [u8],
    next: Position,
    last: Position,
    /// The record, as messages name it.
    name: String,
}

impl<'a> BatchReader<'a> {
    /// Opens `bytes` as batch record `index` of a log of `head` events, checking it against the
    /// `expected` checksum the meta record keeps.
    pub fn open(
        bytes: &'a [u8],
        index: u64,
        head: Position,
        expected: u64,
    ) -> Result<Self, StorageError> {
        let (first, last) = batch_range(index, head);
        let name = batch_name(index, head);
        if checksum(bytes) != expected {
            let mut probe = bytes.strip_prefix(BATCH_MAGIC.as_slice()).unwrap_or(&[]);
            let header = <(u64, u64, u64, u64)>::decode(&mut probe);
            if let Some((format, _, _, count)) = header {
                if format == FORMAT && count < last + 1 - first {
                    return Err(StorageError::HalfWritten {
                        what: format!(
                            "{name} holds {} where {} were saved",
                            count_events(count),
                            group(last + 1 - first)
                        ),
                    });
                }
            }
            return Err(StorageError::corrupted(format!(
                "{name} does not match its checksum"
            )));
        }
        let mut input = bytes
            .strip_prefix(BATCH_MAGIC.as_slice())
            .ok_or_else(|| StorageError::corrupted(format!("{name} is not one of ours")))?;
        let header = <(u64, u64, u64, u64)>::decode(&mut input);
        if header != Some((FORMAT, index, first, last + 1 - first)) {
            return Err(StorageError::corrupted(format!(
                "{name} has the wrong header"
            )));
        }
        Ok(Self {
            input,
            next: first,
            last,
            name,
        })
    }

    /// Reads `bytes` as the rows of positions `first..=last` and nothing else (a branch's own
    /// events, kept in the meta record, whose checksum covers them); `name` names them in messages.
    pub fn rows(bytes: &'a [u8], (first, last): (Position, Position), name: String) -> Self {
        Self {
            input: bytes,
            next: first,
            last,
            name,
        }
    }

    /// The next row; `Ok(None)` after the last.
    pub fn next_row(&mut self) -> Result<Option<StoredRow<'a>>, StorageError> {
        if self.next > self.last {
            return if self.input.is_empty() {
                Ok(None)
            } else {
                Err(self.damaged("bytes follow its last event"))
            };
        }
        let position = self.next;
        let row = read_row(&mut self.input, position)
            .ok_or_else(|| self.damaged(&format!("event {} cannot be read", group(position))))?;
        self.next += 1;
        Ok(Some(row))
    }

    fn damaged(&self, what: &str) -> StorageError {
        StorageError::corrupted(format!("{}: {what}", self.name))
    }
}

fn read_row<'a>(input: &mut &'a [u8], position: Position) -> Option<StoredRow<'a>> {
    let event_id = Uuid::from_bytes(<[u8; 16]>::decode(input)?);
    let causation_id = Uuid::from_bytes(<[u8; 16]>::decode(input)?);
    let flags = u8::decode(input)?;
    if flags & !(OWN_CORRELATION | NEW_STREAM) != 0 {
        return None;
    }
    let correlation_id = if flags & OWN_CORRELATION != 0 {
        Uuid::from_bytes(<[u8; 16]>::decode(input)?)
    } else {
        causation_id
    };
    let occurred_at_micros = i64::decode(input)?;
    let recorded_at_micros = occurred_at_micros.checked_add(i64::decode(input)?)?;
    let stream = if flags & NEW_STREAM != 0 {
        StreamRef::New(read_str(input)?)
    } else {
        StreamRef::Known(u32::decode(input)?)
    };
    let stream_version = read_varint(input)?;
    let schema = SchemaId(u16::decode(input)?);
    let data = read_bytes(input)?;
    Some(StoredRow {
        position,
        stream,
        stream_version,
        event: PendingEvent {
            event_id,
            schema,
            data,
            occurred_at_micros,
            recorded_at_micros: Some(recorded_at_micros),
            correlation_id,
            causation_id,
        },
    })
}

fn count_events(n: u64) -> String {
    crate::format::count(n, "event")
}

/// "batch 3 of the log (events 20,001–30,000)".
fn batch_name(index: u64, head: Position) -> String {
    let (first, last) = batch_range(index, head.max(index * BATCH_EVENTS + 1));
    format!(
        "batch {} of the log (events {}–{})",
        index + 1,
        group(first),
        group(last)
    )
}
