//! The log as a CloudEvents 1.0 JSON batch (`application/cloudevents-batch+json`), and back.
//!
//! Each stored event becomes one CloudEvent: `id`, `source`, `specversion`, `type`, `subject` (the
//! stream), `time` (when it happened), `datacontenttype`, `data` (the payload as stored, read through
//! its version's field table), and the extensions `sequence`/`sequencetype` (the global position),
//! `recordedtime`, `correlationid`, `causationid`, `streamversion` and `schemaversion`. The batch
//! ends with one record of type [`KEY_STORE_TYPE`] holding the key store (the customers' keys not
//! forgotten, the forgotten customers, the blind-index key), so that the file restores a playground
//! whole; a file without it restores the log with every customer's personal data unreadable.
//!
//! Everything is written in a fixed order from the stored form, so the same log exports the same
//! bytes. Reading checks every attribute and the payload against the domain's field table and rules;
//! the order of positions and stream versions is checked by the caller, which owns the store.

use super::json::Value;
use crate::format::{parse_rfc3339, push_rfc3339_micros, shorten};
use crate::kernel::codec::{write_varint, Encode};
use crate::kernel::{
    push_hex, push_json_string, push_u64, write_json, FastMap, Field, Kind, NewEvent,
    RecordedEvent, SchemaId, SchemaTable, StreamId,
};
use crate::privacy::KeyMaterial;
use chrono::DateTime;
use std::fmt;
use uuid::Uuid;

/// The CloudEvents version written and accepted.
pub const SPEC_VERSION: &str = "1.0";
/// The `source` of every exported event.
pub const SOURCE: &str = "/es-playground";
/// The media type of an export.
pub const BATCH_MEDIA_TYPE: &str = "application/cloudevents-batch+json";
/// The payloads' media type.
pub const DATA_MEDIA_TYPE: &str = "application/json";
/// The type of the batch's last record, the key store.
pub const KEY_STORE_TYPE: &str = "dev.es-playground.keystore";
/// An import holds at most this many events.
pub const MAX_EVENTS: u64 = 1_000_000;
/// An import is at most this many bytes (200 MB).
pub const MAX_BYTES: usize = 200_000_000;

/// What was wrong with an imported file: where (the event by its place in the file and its id, and
/// the attribute or payload field) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The event's place in the file (1-based), when the problem is one event's.
    pub event: Option<u64>,
    /// The event's id as the file gives it (cut after 36 characters, a UUID's length), when it has one.
    pub id: Option<String>,
    /// The attribute, or `data.<field>`, that is wrong.
    pub field: Option<String>,
    /// What is wrong, and what is accepted.
    pub problem: String,
}

impl ImportError {
    /// A problem of the whole file.
    pub fn file(problem: impl Into<String>) -> Self {
        Self {
            event: None,
            id: None,
            field: None,
            problem: problem.into(),
        }
    }

    /// A problem of event `index` (1-based) in attribute `field`.
    pub fn at(index: u64, id: Option<&str>, field: &str, problem: impl Into<String>) -> Self {
        Self {
            event: Some(index),
            id: id.map(|id| crate::format::shorten_to(id, 36)),
            field: Some(field.to_owned()),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nothing was imported: ")?;
        if let Some(n) = self.event {
            write!(f, "event {n} of the file")?;
            if let Some(id) = &self.id {
                write!(f, " (id “{id}”)")?;
            }
            if let Some(field) = &self.field {
                write!(f, ", “{field}”")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.problem)
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

fn member(out: &mut String, name: &str, value: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
    push_json_string(out, value);
}

/// A member whose value needs no escaping (ids, times, digits): written as it is, quoted.
fn plain(out: &mut String, name: &str, value: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":\"");
    out.push_str(value);
    out.push('"');
}

fn uuid_member(out: &mut String, name: &str, id: &Uuid) {
    let mut buffer = Uuid::encode_buffer();
    plain(out, name, id.hyphenated().encode_lower(&mut buffer));
}

fn time_member(out: &mut String, name: &str, micros: i64) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":\"");
    push_rfc3339_micros(out, micros);
    out.push('"');
}

/// Appends `event` as one CloudEvent (one line, no trailing separator). Fails only for data that
/// does not match its own field table, which this store's writers never produce.
pub fn write_event(out: &mut String, event: &RecordedEvent<'_>) -> Result<(), String> {
    out.push_str("{\"specversion\":\"1.0\"");
    uuid_member(out, "id", &event.event_id);
    plain(out, "source", SOURCE);
    member(out, "type", event.event_type());
    member(out, "subject", event.stream_id.as_str());
    time_member(out, "time", event.occurred_at_micros);
    plain(out, "datacontenttype", DATA_MEDIA_TYPE);
    out.push_str(",\"data\":");
    write_json(out, event.schema.fields(), event.data, false).map_err(|e| {
        format!(
            "event {} ({}) could not be read through its fields: {e}",
            event.position,
            event.event_type()
        )
    })?;
    out.push_str(",\"sequence\":\"");
    push_u64(out, event.position);
    out.push_str("\",\"sequencetype\":\"Integer\"");
    time_member(out, "recordedtime", event.recorded_at_micros);
    uuid_member(out, "correlationid", &event.correlation_id);
    uuid_member(out, "causationid", &event.causation_id);
    out.push_str(",\"streamversion\":");
    push_u64(out, event.stream_version);
    out.push_str(",\"schemaversion\":");
    push_u64(out, u64::from(event.schema_version()));
    out.push('}');
    Ok(())
}

/// Appends the key-store record (one line): `data` holds `indexkey`, `keys` (subject → key) and
/// `forgotten`, all in hex and in the material's order. Its id is derived from the log's head, so the
/// same log exports the same record.
pub fn write_key_store(out: &mut String, material: &KeyMaterial, head: u64) {
    out.push_str("{\"specversion\":\"1.0\"");
    member(out, "id", &format!("key-store-{head}"));
    member(out, "source", SOURCE);
    member(out, "type", KEY_STORE_TYPE);
    member(out, "subject", "key-store");
    member(out, "datacontenttype", DATA_MEDIA_TYPE);
    out.push_str(",\"data\":{\"indexkey\":\"");
    push_hex(out, &material.index_key.0.to_be_bytes());
    push_hex(out, &material.index_key.1.to_be_bytes());
    out.push_str("\",\"keys\":{");
    for (i, (subject, key)) in material.keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, subject.as_str());
        out.push_str(":\"");
        push_hex(out, key);
        out.push('"');
    }
    out.push_str("},\"forgotten\":[");
    for (i, subject) in material.forgotten.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, subject.as_str());
    }
    out.push_str("]}}");
}

/// One element of an imported batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    /// A log event, with the position and stream version the file gives it.
    Event {
        /// Its stream.
        stream: StreamId,
        /// The global position it claims (`sequence`).
        position: u64,
        /// Its version in the stream (`streamversion`).
        stream_version: u64,
        /// The event in stored form, both times given.
        event: NewEvent,
    },
    /// The key-store record.
    Keys(KeyMaterial),
}

/// The attributes in the order [`write_event`] writes them: a file from here is read without
/// searching for any of them.
const ORDER: [&str; 15] = [
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "data",
    "sequence",
    "sequencetype",
    "recordedtime",
    "correlationid",
    "causationid",
    "streamversion",
    "schemaversion",
];

/// The attribute `name` of an event (looked for first where [`ORDER`] puts it).
fn attr<'v, 'a>(v: &'v Value<'a>, name: &str) -> Option<&'v Value<'a>> {
    match ORDER.iter().position(|n| *n == name) {
        Some(hint) => v.get_at(name, hint),
        None => v.get(name),
    }
}

fn text<'v>(
    v: &'v Value<'_>,
    name: &str,
    index: u64,
    id: Option<&str>,
) -> Result<&'v str, ImportError> {
    match attr(v, name) {
        None => Err(ImportError::at(
            index,
            id,
            name,
            "the attribute is missing; it is required.",
        )),
        Some(Value::Str(s)) => Ok(s),
        Some(other) => Err(ImportError::at(
            index,
            id,
            name,
            format!("it must be a string, not {}.", other.kind()),
        )),
    }
}

fn uuid_of(v: &Value<'_>, name: &str, index: u64, id: Option<&str>) -> Result<Uuid, ImportError> {
    let s = text(v, name, index, id)?;
    Uuid::try_parse(s).map_err(|_| {
        ImportError::at(
            index,
            id,
            name,
            format!(
                "“{}” is not a UUID (like 0191e2a4-5b6c-4d7e-8f90-123456789abc).",
                shorten(s)
            ),
        )
    })
}

fn time_of(v: &Value<'_>, name: &str, index: u64, id: Option<&str>) -> Result<i64, ImportError> {
    let s = text(v, name, index, id)?;
    parse_rfc3339(s)
        .filter(|&m| DateTime::from_timestamp_micros(m).is_some())
        .ok_or_else(|| {
            ImportError::at(
                index,
                id,
                name,
                format!(
                    "“{}” is not an RFC 3339 timestamp (like 2026-12-01T09:30:00.000000Z).",
                    shorten(s)
                ),
            )
        })
}

fn whole(v: &Value<'_>) -> Option<u64> {
    match v {
        Value::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => n.parse().ok(),
        _ => None,
    }
}

fn count_of(v: &Value<'_>, name: &str, index: u64, id: Option<&str>) -> Result<u64, ImportError> {
    match attr(v, name) {
        None => Err(ImportError::at(
            index,
            id,
            name,
            "the attribute is missing; it is required.",
        )),
        Some(value) => whole(value).filter(|&n| n >= 1).ok_or_else(|| {
            ImportError::at(
                index,
                id,
                name,
                format!("it must be a whole number from 1, not {}.", describe(value)),
            )
        }),
    }
}

/// A value as a message names it: short values as written, others by kind.
fn describe(v: &Value<'_>) -> String {
    match v {
        Value::Number(n) => shorten(n),
        Value::Str(s) => format!("the string “{}”", shorten(s)),
        Value::Bool(b) => b.to_string(),
        other => other.kind().to_owned(),
    }
}

/// Encodes `value` as `kind` into `out` (the stored form of a payload field `name` of the object
/// at `path`).
fn encode_value(
    kind: Kind,
    value: &Value<'_>,
    path: &str,
    name: &str,
    out: &mut Vec<u8>,
) -> Result<(), (String, String)> {
    let wrong = |expected: &str| {
        (
            format!("{path}.{name}"),
            format!("{expected} was expected, not {}.", describe(value)),
        )
    };
    match kind {
        Kind::Byte => {
            let n = whole(value)
                .and_then(|n| u8::try_from(n).ok())
                .ok_or_else(|| wrong("a whole number from 0 to 255"))?;
            out.push(n);
        }
        Kind::Unsigned => write_varint(out, whole(value).ok_or_else(|| wrong("a whole number"))?),
        Kind::Money => {
            let n = match value {
                Value::Number(n) => n.parse::<i64>().ok(),
                _ => None,
            }
            .ok_or_else(|| wrong("a whole number of cents"))?;
            n.encode(out);
        }
        Kind::Bool => match value {
            Value::Bool(b) => b.encode(out),
            _ => return Err(wrong("true or false")),
        },
        Kind::Text | Kind::Stream => match value {
            Value::Str(s) => s.as_ref().encode(out),
            _ => return Err(wrong("a string")),
        },
        Kind::Ciphertext => {
            let bytes = value
                .as_str()
                .and_then(|s| s.strip_prefix("enc:"))
                .and_then(unhex)
                .ok_or_else(|| wrong("a ciphertext (“enc:” and hex digits)"))?;
            write_varint(out, bytes.len() as u64);
            out.extend_from_slice(&bytes);
        }
        Kind::List(of) => match value {
            Value::Array(items) => {
                write_varint(out, items.len() as u64);
                for (i, item) in items.iter().enumerate() {
                    encode_value(*of, item, path, &format!("{name}[{i}]"), out)?;
                }
            }
            _ => return Err(wrong("an array")),
        },
        Kind::Record(fields) => encode_fields(fields, value, &format!("{path}.{name}"), out)?,
    }
    Ok(())
}

/// Encodes an object with exactly `fields` (in any order) into `out`, in the fields' order.
fn encode_fields(
    fields: &[Field],
    value: &Value<'_>,
    path: &str,
    out: &mut Vec<u8>,
) -> Result<(), (String, String)> {
    let Value::Object(members) = value else {
        return Err((
            path.to_owned(),
            format!("an object was expected, not {}.", describe(value)),
        ));
    };
    for (name, _) in members {
        if !fields.iter().any(|f| f.name == name) {
            let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
            return Err((
                format!("{path}.{}", shorten(name)),
                format!(
                    "the type has no such field; its fields are: {}.",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
    }
    for (i, f) in fields.iter().enumerate() {
        let inner = || format!("{path}.{}", f.name);
        // Exported objects list their fields in stored order: look there first.
        let found = match members.get(i) {
            Some((name, v)) if name == f.name => Some(v),
            _ => members
                .iter()
                .find(|(name, _)| name == f.name)
                .map(|(_, v)| v),
        };
        match found {
            Some(_) if members.iter().filter(|(name, _)| name == f.name).count() > 1 => {
                return Err((inner(), "the field is given twice.".to_owned()))
            }
            Some(v) => encode_value(f.kind, v, path, f.name, out)?,
            None => {
                return Err((
                    inner(),
                    format!("the field is missing; it holds {}.", f.kind.name()),
                ))
            }
        }
    }
    Ok(())
}

/// `data` of an object read through `fields` into its stored bytes (the inverse of
/// [`to_json`]); the error names the field (`data.amount`) and what was expected.
pub fn data_from_json(fields: &[Field], data: &Value<'_>) -> Result<Vec<u8>, (String, String)> {
    let mut out = Vec::new();
    encode_fields(fields, data, "data", &mut out)?;
    Ok(out)
}

fn key_store_of(v: &Value<'_>, index: u64) -> Result<KeyMaterial, ImportError> {
    let id = attr(v, "id").and_then(Value::as_str);
    let bad = |field: &str, problem: &str| ImportError::at(index, id, field, problem.to_owned());
    let data = v
        .get("data")
        .ok_or_else(|| bad("data", "the key store's data is missing."))?;
    let index_key = data
        .get("indexkey")
        .and_then(Value::as_str)
        .and_then(unhex)
        .filter(|b| b.len() == 16)
        .ok_or_else(|| bad("data.indexkey", "32 hex digits were expected."))?;
    let half = |b: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        u64::from_be_bytes(w)
    };
    let mut material = KeyMaterial {
        index_key: (half(&index_key[..8]), half(&index_key[8..])),
        ..KeyMaterial::default()
    };
    match data.get("keys") {
        Some(Value::Object(keys)) => {
            for (subject, key) in keys {
                let key = key
                    .as_str()
                    .and_then(unhex)
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .ok_or_else(|| bad("data.keys", "each key must be 64 hex digits."))?;
                material.keys.push((StreamId::new(subject.as_ref()), key));
            }
        }
        _ => return Err(bad("data.keys", "an object of subject → key was expected.")),
    }
    match data.get("forgotten") {
        Some(Value::Array(subjects)) => {
            for s in subjects {
                let s = s
                    .as_str()
                    .ok_or_else(|| bad("data.forgotten", "a list of stream names was expected."))?;
                material.forgotten.push(StreamId::new(s));
            }
        }
        _ => {
            return Err(bad(
                "data.forgotten",
                "a list of stream names was expected.",
            ))
        }
    }
    if material
        .keys
        .iter()
        .any(|(s, _)| material.forgotten.contains(s))
    {
        return Err(bad(
            "data.keys",
            "a forgotten customer cannot have a key: forgetting deletes it for good.",
        ));
    }
    Ok(material)
}

/// The event types a file's events may have, found by name without scanning the schema table: each
/// with the id of its version 1 (its versions follow it in the table) and its latest version.
#[derive(Debug, Clone, Default)]
pub struct Types(FastMap<String, (SchemaId, u16)>);

impl Types {
    /// Every type of `schemas`.
    pub fn of(schemas: &SchemaTable) -> Self {
        Self(
            schemas
                .iter()
                .filter(|(_, s)| s.version() == 1)
                .map(|(id, s)| (s.name().to_owned(), (id, s.latest())))
                .collect(),
        )
    }

    /// The latest version of the type called `name`, and the schema of its `version` when the code
    /// knows it.
    fn find(&self, name: &str, version: u64) -> Option<(u16, Option<SchemaId>)> {
        let &(first, latest) = self.0.get(name)?;
        let schema = u16::try_from(version)
            .ok()
            .filter(|v| (1..=latest).contains(v))
            .map(|v| SchemaId(first.0 + v - 1));
        Some((latest, schema))
    }
}

/// Reads element `index` (1-based) of a batch: a log event, checked attribute by attribute and its
/// payload against its version's fields and the domain's rules, or the key-store record.
pub fn read_element(
    v: &Value<'_>,
    index: u64,
    schemas: &SchemaTable,
    types: &Types,
) -> Result<Element, ImportError> {
    if !matches!(v, Value::Object(_)) {
        return Err(ImportError {
            event: Some(index),
            id: None,
            field: None,
            problem: format!(
                "each element must be a CloudEvent (an object), not {}.",
                v.kind()
            ),
        });
    }
    let raw_id = attr(v, "id").and_then(Value::as_str);
    let spec = text(v, "specversion", index, raw_id)?;
    if spec != SPEC_VERSION {
        return Err(ImportError::at(
            index,
            raw_id,
            "specversion",
            format!(
                "“{}” is not supported; only CloudEvents 1.0 is.",
                shorten(spec)
            ),
        ));
    }
    let kind = text(v, "type", index, raw_id)?;
    if kind == KEY_STORE_TYPE {
        return key_store_of(v, index).map(Element::Keys);
    }
    let event_id = uuid_of(v, "id", index, raw_id)?;
    let source = text(v, "source", index, raw_id)?;
    if source.is_empty() {
        return Err(ImportError::at(
            index,
            raw_id,
            "source",
            "it must not be empty.",
        ));
    }
    let subject = text(v, "subject", index, raw_id)?;
    if subject.is_empty() || subject.len() > 200 || subject.chars().any(char::is_control) {
        return Err(ImportError::at(
            index,
            raw_id,
            "subject",
            "it must name the event's stream (1 to 200 characters, no control characters).",
        ));
    }
    let occurred = time_of(v, "time", index, raw_id)?;
    let recorded = time_of(v, "recordedtime", index, raw_id)?;
    if let Some(media) = attr(v, "datacontenttype") {
        if media.as_str() != Some(DATA_MEDIA_TYPE) {
            return Err(ImportError::at(
                index,
                raw_id,
                "datacontenttype",
                format!(
                    "{} is not accepted; only “application/json” is.",
                    describe(media)
                ),
            ));
        }
    }
    let position = {
        let s = text(v, "sequence", index, raw_id)?;
        s.parse::<u64>()
            .ok()
            .filter(|&n| n >= 1 && s.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                ImportError::at(
                    index,
                    raw_id,
                    "sequence",
                    format!(
                        "“{}” is not a position (a whole number from 1, as a string).",
                        shorten(s)
                    ),
                )
            })?
    };
    if let Some(t) = attr(v, "sequencetype") {
        if t.as_str() != Some("Integer") {
            return Err(ImportError::at(
                index,
                raw_id,
                "sequencetype",
                format!("{} is not accepted; only “Integer” is.", describe(t)),
            ));
        }
    }
    let correlation_id = uuid_of(v, "correlationid", index, raw_id)?;
    let causation_id = uuid_of(v, "causationid", index, raw_id)?;
    let stream_version = count_of(v, "streamversion", index, raw_id)?;
    let version = count_of(v, "schemaversion", index, raw_id)?;
    let Some((latest, schema)) = types.find(kind, version) else {
        return Err(ImportError::at(
            index,
            raw_id,
            "type",
            format!(
                "no domain here has an event type called “{}”.",
                shorten(kind)
            ),
        ));
    };
    let schema = schema.ok_or_else(|| {
        ImportError::at(
            index,
            raw_id,
            "schemaversion",
            format!(
                "{kind} v{version} is newer than this code knows (v1 to v{latest}); import it into a newer playground."
            ),
        )
    })?;
    let fields = schemas.get(schema).map(|s| s.fields()).unwrap_or(&[]);
    let data_value = attr(v, "data").ok_or_else(|| {
        ImportError::at(
            index,
            raw_id,
            "data",
            "the attribute is missing; it is required.",
        )
    })?;
    let data = data_from_json(fields, data_value)
        .map_err(|(path, problem)| ImportError::at(index, raw_id, &path, problem))?;
    if let Some(s) = schemas.get(schema) {
        s.check(&data).map_err(|problem| {
            ImportError::at(
                index,
                raw_id,
                "data",
                format!("the payload breaks the domain's rules: {problem}"),
            )
        })?;
    }
    Ok(Element::Event {
        stream: StreamId::recent(subject),
        position,
        stream_version,
        event: NewEvent {
            event_id,
            schema,
            data,
            occurred_at: DateTime::from_timestamp_micros(occurred).unwrap_or_default(),
            recorded_at: DateTime::from_timestamp_micros(recorded),
            correlation_id,
            causation_id,
        },
    })
}
