//! Event types and their stored form: the schema table of the store, and the codec a domain's event
//! enum implements.
//!
//! Every stored row points at a [`SchemaId`]: an entry of the store's [`SchemaTable`] naming the event
//! type and the schema version its data was written in (as a schema registry's id does in Kafka's wire
//! format). The data itself is the domain's own compact encoding (postcard's wire format), so the log
//! needs no Rust type to be read, listed, filtered, exported or restored; a domain decodes the data
//! into its typed event when it folds or projects it.

use super::codec::{Decode, Encode};
use super::FastMap;
use std::any::TypeId;
use std::fmt;
use std::sync::Arc;

/// How a stored field's bytes are laid out, and the type the schema registry names for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A small integer in one raw byte.
    Byte,
    /// An unsigned integer (varint).
    Unsigned,
    /// An amount of money in cents (zigzag varint).
    Money,
    /// True or false (one byte).
    Bool,
    /// UTF-8 text (length-prefixed).
    Text,
    /// A stream's name (length-prefixed text).
    Stream,
    /// Encrypted bytes (length-prefixed): nonce, ciphertext and tag.
    Ciphertext,
    /// A list of values of one kind (length, then the values).
    List(&'static Kind),
    /// A group of fields stored one after the other (a list's element, say).
    Record(&'static [Field]),
}

impl Kind {
    /// The type's name as the schema registry shows it.
    pub fn name(self) -> String {
        match self {
            Self::Byte => "integer (0–255)".to_owned(),
            Self::Unsigned => "integer".to_owned(),
            Self::Money => "money (cents)".to_owned(),
            Self::Bool => "boolean".to_owned(),
            Self::Text => "text".to_owned(),
            Self::Stream => "stream id".to_owned(),
            Self::Ciphertext => "ciphertext".to_owned(),
            Self::List(of) => format!("list of {}", of.name()),
            Self::Record(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name, f.kind.name()))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }
}

/// One field of an event's payload in one schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Its name.
    pub name: &'static str,
    /// Its kind.
    pub kind: Kind,
}

/// A field called `name` of `kind` (for the domains' schema tables).
pub const fn field(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

/// What turns the previous version of an event type into this one, as the registry and the inspector
/// name it. The function itself is the domain's, typed, called by its `decode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upcaster {
    /// Its name, e.g. `add currency (default "EUR")`.
    pub name: &'static str,
    /// The field it cannot recover from older data, and why; `None` when nothing is lost.
    pub lossy: Option<&'static str>,
}

/// A later schema version of an event type (2, 3, …): its fields, and the upcaster that reads the
/// version before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    /// The payload's fields, in stored order.
    pub fields: &'static [Field],
    /// How the previous version is upcast to this one.
    pub upcaster: Upcaster,
}

/// One event type of a domain: its name and every schema version it has had. The latest is what the
/// domain's event enum holds; which one is *written* is the store's choice
/// ([`SchemaTable::deploy_next`]), and starts at version 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType {
    /// The type's name as the log shows it, e.g. `MoneyDeposited`.
    pub name: &'static str,
    /// The fields of version 1, in stored order.
    pub first: &'static [Field],
    /// Versions 2, 3, … in order.
    pub later: &'static [Version],
}

impl EventType {
    /// A type that has only ever had version 1, with these fields.
    pub const fn v1(name: &'static str, fields: &'static [Field]) -> Self {
        Self {
            name,
            first: fields,
            later: &[],
        }
    }

    /// A type with version 1's `fields` and the `later` versions.
    pub const fn evolving(
        name: &'static str,
        fields: &'static [Field],
        later: &'static [Version],
    ) -> Self {
        Self {
            name,
            first: fields,
            later,
        }
    }

    /// The latest schema version: what the domain's code reads and writes.
    pub fn latest(&self) -> u16 {
        u16::try_from(self.later.len() + 1).unwrap_or(u16::MAX)
    }

    /// The fields of schema `version` (1-based), if the type has it.
    pub fn fields(&self, version: u16) -> Option<&'static [Field]> {
        match version {
            0 => None,
            1 => Some(self.first),
            n => self.later.get(usize::from(n) - 2).map(|v| v.fields),
        }
    }

    /// The upcaster that reads `version - 1` as `version` (from version 2 on).
    pub fn upcaster_to(&self, version: u16) -> Option<Upcaster> {
        let at = usize::from(version).checked_sub(2)?;
        self.later.get(at).map(|v| v.upcaster)
    }
}

/// Why stored data could not be read back as a domain event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The type index is not one of the enum's types.
    #[error("unknown event type index {0}")]
    UnknownType(usize),
    /// The data does not match the type's schema.
    #[error("the data of a {type_name} event (schema v{version}) is malformed: {detail}")]
    Malformed {
        /// The type.
        type_name: &'static str,
        /// Its schema version.
        version: u16,
        /// What the decoder said.
        detail: String,
    },
}

/// A domain's event enum, with its stored form.
///
/// `encode` writes only the payload's fields (the row records the type and schema version), and
/// `decode` reads them back for a given type and version, so stored data never depends on the order of
/// the enum's variants, and an older version can be read (and upcast) by its own decoder.
pub trait DomainEvent: Clone + PartialEq + fmt::Debug + 'static {
    /// Every event type of this enum, in a fixed order that [`Self::type_index`] indexes.
    const TYPES: &'static [EventType];

    /// Which of [`Self::TYPES`] this event is.
    fn type_index(&self) -> usize;

    /// Appends the payload's fields, in the latest schema version, to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Appends the payload's fields in an older schema `version` of its type (what the code of that
    /// version wrote: the fields it did not have yet are left out). Only evolving types override it;
    /// a version the type does not have writes the latest.
    fn encode_as(&self, version: u16, out: &mut Vec<u8>) {
        let _ = version;
        self.encode(out);
    }

    /// Reads the payload of an event of type `TYPES[type_index]` stored in schema `version`, upcast
    /// to the latest version: the one step every reader goes through.
    fn decode(type_index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError>;

    /// The domain's rules for an event that comes from outside the code that decides (an import):
    /// what its `handle` would never have written. Events read back from the store are trusted as
    /// written and never checked.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }

    /// The event's type name.
    fn event_type(&self) -> &'static str {
        Self::TYPES
            .get(self.type_index())
            .map_or("UnknownEvent", |t| t.name)
    }
}

/// Appends `value`'s compact encoding (postcard's wire format: varints, length-prefixed strings) to
/// `out`.
pub fn put<T: Encode + ?Sized>(out: &mut Vec<u8>, value: &T) {
    value.encode(out);
}

/// Reads a value written by [`put`] that must use up all of `data`.
#[inline(always)]
pub fn get<T: Decode>(data: &[u8], event: &'static str, version: u16) -> Result<T, DecodeError> {
    let malformed = |detail: String| DecodeError::Malformed {
        type_name: event,
        version,
        detail,
    };
    let mut input = data;
    match T::decode(&mut input) {
        Some(value) if input.is_empty() => Ok(value),
        Some(_) => Err(malformed(format!("{} bytes left over", input.len()))),
        None => Err(malformed(
            "the bytes do not hold the type's fields".to_owned(),
        )),
    }
}

/// Index of an entry in the [`SchemaTable`]: an event type at one schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(pub(crate) u16);

impl SchemaId {
    /// No schema: what a type gets when the table is full; never stored.
    pub const NONE: SchemaId = SchemaId(u16::MAX);

    /// The id as a number (its index in the table).
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Reads data of one type and version (upcasting it) and writes it again in the latest version.
type UpcastFn = fn(usize, u16, &[u8]) -> Result<Vec<u8>, DecodeError>;

/// Reads data of one type and version (upcasting it) and applies the domain's [`DomainEvent::check`].
type CheckFn = fn(usize, u16, &[u8]) -> Result<(), String>;

/// The Rust decoder registered for a schema.
#[derive(Debug, Clone, Copy)]
struct Codec {
    rust_type: TypeId,
    type_index: u16,
    /// Decodes data of a version (upcasting it) and encodes it again in the latest version.
    upcast: UpcastFn,
    /// Decodes data of a version (upcasting it) and checks it against the domain's rules.
    check: CheckFn,
}

/// `E`'s data of `version`, decoded (through the upcasters) and checked by [`DomainEvent::check`].
fn check_bytes<E: DomainEvent>(type_index: usize, version: u16, data: &[u8]) -> Result<(), String> {
    E::decode(type_index, version, data)
        .map_err(|e| e.to_string())?
        .check()
}

/// `E`'s data of `version` as the latest version's bytes: decoded (through the upcasters), then
/// encoded again.
fn upcast_bytes<E: DomainEvent>(
    type_index: usize,
    version: u16,
    data: &[u8],
) -> Result<Vec<u8>, DecodeError> {
    let event = E::decode(type_index, version, data)?;
    let mut out = Vec::new();
    event.encode(&mut out);
    Ok(out)
}

/// One event type at one schema version.
#[derive(Debug, Clone)]
pub struct Schema {
    name: Arc<str>,
    version: u16,
    latest: u16,
    event_type: Option<EventType>,
    codec: Option<Codec>,
}

impl Schema {
    /// The event type's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema version.
    pub fn version(&self) -> u16 {
        self.version
    }

    /// The type's latest version (what its readers see after upcasting).
    pub fn latest(&self) -> u16 {
        self.latest
    }

    /// The payload's fields in this version (empty when no domain defined the type).
    pub fn fields(&self) -> &'static [Field] {
        self.event_type
            .and_then(|t| t.fields(self.version))
            .unwrap_or(&[])
    }

    /// The type's definition, when a domain registered it.
    pub fn event_type(&self) -> Option<&EventType> {
        self.event_type.as_ref()
    }

    /// The upcasters a reader applies to data of this version, in order: `(to version, upcaster)`.
    pub fn upcasters(&self) -> Vec<(u16, Upcaster)> {
        let Some(t) = self.event_type else {
            return Vec::new();
        };
        (self.version + 1..=self.latest)
            .filter_map(|v| t.upcaster_to(v).map(|u| (v, u)))
            .collect()
    }

    /// `data` of this schema as the latest version's bytes (what every reader sees); `None` when no
    /// Rust event enum decodes this schema.
    pub fn upcast(&self, data: &[u8]) -> Option<Result<Vec<u8>, DecodeError>> {
        self.codec
            .map(|c| (c.upcast)(usize::from(c.type_index), self.version, data))
    }

    /// Decodes `data` of this schema (upcasting it) and applies the domain's rules to it: what an
    /// import asks of every event before it is stored. An error says what is wrong.
    pub fn check(&self, data: &[u8]) -> Result<(), String> {
        match self.codec {
            Some(c) => (c.check)(usize::from(c.type_index), self.version, data),
            None => Err(format!("no domain decodes {} v{}", self.name, self.version)),
        }
    }

    /// The fields of the type's latest version.
    pub fn latest_fields(&self) -> &'static [Field] {
        self.event_type
            .and_then(|t| t.fields(self.latest))
            .unwrap_or(&[])
    }

    /// Whether a registered Rust event enum can decode data of this schema.
    pub fn has_decoder(&self) -> bool {
        self.codec.is_some()
    }

    /// The type index within `E` if `E` decodes this schema.
    #[inline(always)]
    pub(crate) fn index_in<E: DomainEvent>(&self) -> Option<usize> {
        self.codec
            .filter(|c| c.rust_type == TypeId::of::<E>())
            .map(|c| usize::from(c.type_index))
    }
}

/// Why a version could not be deployed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeployError {
    /// No domain has a type of that name.
    #[error("There is no event type called “{0}”.")]
    UnknownType(String),
    /// The latest version is already written.
    #[error("{name} v{latest} is already deployed: it is the latest version the code knows.")]
    AlreadyLatest {
        /// The type.
        name: String,
        /// Its latest version.
        latest: u16,
    },
}

/// Every (event type, schema version) the store knows, in order of registration (a type's versions
/// one after the other, oldest first), and the version of each type that new events are written in.
#[derive(Debug, Clone, Default)]
pub struct SchemaTable {
    schemas: Vec<Schema>,
    by_codec: FastMap<(TypeId, u16), SchemaId>,
    /// For each schema id, the id new events of its type are written as (meaningful for the ids
    /// [`Self::register`] hands out: a type's latest version).
    writing: Vec<SchemaId>,
}

impl SchemaTable {
    /// Registers `E`'s event types, every schema version of each, and returns the ids of their
    /// latest versions, indexed like `E::TYPES`. New events of a type are written in version 1 until
    /// [`Self::deploy_next`]. Registering the same enum again returns the same ids. Past 65,535
    /// schemas a type gets [`SchemaId::NONE`], which the store refuses to append.
    pub fn register<E: DomainEvent>(&mut self) -> Vec<SchemaId> {
        let rust_type = TypeId::of::<E>();
        E::TYPES
            .iter()
            .enumerate()
            .map(|(index, event_type)| {
                let Ok(type_index) = u16::try_from(index) else {
                    return SchemaId::NONE;
                };
                if let Some(&id) = self.by_codec.get(&(rust_type, type_index)) {
                    return id;
                }
                let latest = event_type.latest();
                let first = self.schemas.len();
                if first + usize::from(latest) >= usize::from(u16::MAX) {
                    return SchemaId::NONE;
                }
                let name: Arc<str> = Arc::from(event_type.name);
                for version in 1..=latest {
                    self.schemas.push(Schema {
                        name: Arc::clone(&name),
                        version,
                        latest,
                        event_type: Some(*event_type),
                        codec: Some(Codec {
                            rust_type,
                            type_index,
                            upcast: upcast_bytes::<E>,
                            check: check_bytes::<E>,
                        }),
                    });
                }
                let first = SchemaId(first as u16);
                let id = SchemaId(first.0 + latest - 1);
                self.writing.resize(self.schemas.len(), SchemaId::NONE);
                self.writing[id.index()] = first;
                self.by_codec.insert((rust_type, type_index), id);
                id
            })
            .collect()
    }

    /// The schema of `id`, if it exists.
    pub fn get(&self, id: SchemaId) -> Option<&Schema> {
        self.schemas.get(id.index())
    }

    /// The schema new events are written in, for a type whose latest version is `latest` (an id
    /// [`Self::register`] returned); `latest` itself for any other id.
    #[inline(always)]
    pub fn writing(&self, latest: SchemaId) -> SchemaId {
        match self.writing.get(latest.index()) {
            Some(&id) if id != SchemaId::NONE => id,
            _ => latest,
        }
    }

    /// The id of the latest version of the type called `name`.
    fn latest_named(&self, name: &str) -> Option<SchemaId> {
        self.iter()
            .find(|(_, s)| s.name() == name && s.version() == s.latest())
            .map(|(id, _)| id)
    }

    /// The version new events of the type called `name` are written in.
    pub fn written_version(&self, name: &str) -> Option<u16> {
        let latest = self.latest_named(name)?;
        self.get(self.writing(latest)).map(Schema::version)
    }

    /// Deploys the next version of the type called `name`: from now on its new events are written in
    /// it. Events already stored stay exactly as they were. Returns the version now written.
    pub fn deploy_next(&mut self, name: &str) -> Result<u16, DeployError> {
        let latest = self
            .latest_named(name)
            .ok_or_else(|| DeployError::UnknownType(name.to_owned()))?;
        let written = self.writing(latest);
        if written == latest {
            return Err(DeployError::AlreadyLatest {
                name: name.to_owned(),
                latest: self.get(latest).map_or(1, Schema::latest),
            });
        }
        let next = SchemaId(written.0 + 1);
        self.writing[latest.index()] = next;
        Ok(self.get(next).map_or(1, Schema::version))
    }

    /// Deploys the latest version of every type (as if the code had always been today's).
    pub fn deploy_all_latest(&mut self) {
        for (i, id) in self.writing.iter_mut().enumerate() {
            if *id != SchemaId::NONE {
                *id = SchemaId(i as u16);
            }
        }
    }

    /// Every type whose written version can still move on, or has moved: `(name, written, latest)`,
    /// in order of registration.
    pub fn evolving(&self) -> Vec<(&str, u16, u16)> {
        self.iter()
            .filter(|(_, s)| s.latest() > 1 && s.version() == s.latest())
            .map(|(id, s)| {
                let written = self.get(self.writing(id)).map_or(1, Schema::version);
                (s.name(), written, s.latest())
            })
            .collect()
    }

    /// Every schema with its id, in order of registration.
    pub fn iter(&self) -> impl Iterator<Item = (SchemaId, &Schema)> {
        self.schemas
            .iter()
            .enumerate()
            .map(|(i, s)| (SchemaId(i as u16), s))
    }

    /// The ids of every schema of the type called `name` (all its versions).
    pub fn ids_named(&self, name: &str) -> Vec<SchemaId> {
        self.iter()
            .filter(|(_, s)| s.name() == name)
            .map(|(id, _)| id)
            .collect()
    }

    /// Number of schemas.
    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    /// True when nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }
}
