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

/// One event type of a domain, with the schema version it writes today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType {
    /// The type's name as the log shows it, e.g. `MoneyDeposited`.
    pub name: &'static str,
    /// The schema version new events of this type are written in.
    pub version: u16,
}

impl EventType {
    /// A type at schema version 1.
    pub const fn v1(name: &'static str) -> Self {
        Self { name, version: 1 }
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

    /// Appends the payload's fields, in the current schema version, to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Reads the payload of an event of type `TYPES[type_index]` stored in schema `version`.
    fn decode(type_index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError>;

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

/// The Rust decoder registered for a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Codec {
    rust_type: TypeId,
    type_index: u16,
}

/// One event type at one schema version.
#[derive(Debug, Clone)]
pub struct Schema {
    name: Arc<str>,
    version: u16,
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

/// Every (event type, schema version) the store has seen, in order of first registration.
#[derive(Debug, Clone, Default)]
pub struct SchemaTable {
    schemas: Vec<Schema>,
    by_codec: FastMap<(TypeId, u16), SchemaId>,
}

impl SchemaTable {
    /// Registers `E`'s event types at their current versions and returns their ids, indexed like
    /// `E::TYPES`. Registering the same enum again returns the same ids. Past 65,535 schemas a type
    /// gets [`SchemaId::NONE`], which the store refuses to append.
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
                let id = match u16::try_from(self.schemas.len()) {
                    Ok(n) if n < u16::MAX => SchemaId(n),
                    _ => return SchemaId::NONE,
                };
                self.schemas.push(Schema {
                    name: Arc::from(event_type.name),
                    version: event_type.version,
                    codec: Some(Codec {
                        rust_type,
                        type_index,
                    }),
                });
                self.by_codec.insert((rust_type, type_index), id);
                id
            })
            .collect()
    }

    /// The schema of `id`, if it exists.
    pub fn get(&self, id: SchemaId) -> Option<&Schema> {
        self.schemas.get(id.index())
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
