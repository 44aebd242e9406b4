//! A playground rebuilt from events exactly as they were stored: what an import and a reload share.
//!
//! Events go into a fresh playground one by one, each checked on the way: it must come next in the
//! log, its type must belong to the domain of its stream's category, and the store checks its id
//! (unique) and its stream version (next in its stream) as it appends. The page in use is replaced
//! only once every event was accepted ([`Playground::adopt`]).

use super::Playground;
use crate::domain::Origin;
use crate::format::{count, group, shorten};
use crate::kernel::{AppendError, EventBatch, ExpectedVersion, IdGenerator, Position, StreamId};
use crate::privacy::KeyMaterial;
use std::rc::Rc;

/// Why an event was refused: the attribute at fault (as the CloudEvents export names it) and what
/// is wrong.
pub(super) type Refusal = (&'static str, String);

/// A fresh playground the events are appended to, and what the checks remember.
pub(super) struct Rebuild {
    pub(super) next: Box<Playground>,
    /// The domain owning each schema's type, by schema id, once looked up.
    owners: Vec<Option<Option<usize>>>,
    /// Which schemas (type and version) the events are in, by schema id.
    pub(super) seen: Vec<bool>,
    /// The head when the events appended since were last observed.
    observed: Position,
}

impl Rebuild {
    /// An empty playground made like `like`.
    pub(super) fn new(like: &Playground) -> Self {
        Self {
            next: Box::new(like.made.fresh(Rc::clone(&like.clock))),
            owners: Vec::new(),
            seen: Vec::new(),
            observed: 0,
        }
    }

    /// Events appended to `next`, which holds some already (a branch's prefix).
    pub(super) fn over(next: Box<Playground>) -> Self {
        let observed = next.head();
        Self {
            next,
            owners: Vec::new(),
            seen: Vec::new(),
            observed,
        }
    }

    /// The playground to rebuild is made with `seed` and `snapshot_every` (as it was kept).
    pub(super) fn reseed(&mut self, seed: u64, snapshot_every: u64) {
        let made = super::Made {
            registry: self.next.made.registry.clone(),
            seed,
            snapshot_every,
        };
        *self.next = made.fresh(Rc::clone(&self.next.clock));
    }

    /// Appends the one event of `event` as stored: at `position` of the log and `stream_version`
    /// of `stream`.
    pub(super) fn append<B: EventBatch + ?Sized>(
        &mut self,
        stream: &StreamId,
        position: u64,
        stream_version: u64,
        event: &B,
    ) -> Result<(), Refusal> {
        let domain = self.domain_of(stream);
        self.append_in(stream, domain, position, stream_version, event)
    }

    /// The domain whose category `stream` is of (a reload works it out once per stream).
    pub(super) fn domain_of(&self, stream: &StreamId) -> Option<usize> {
        self.next.domain_of_category(stream.category())
    }

    /// [`Self::append`] with the domain of `stream`'s category already known.
    pub(super) fn append_in<B: EventBatch + ?Sized>(
        &mut self,
        stream: &StreamId,
        domain: Option<usize>,
        position: u64,
        stream_version: u64,
        event: &B,
    ) -> Result<(), Refusal> {
        let Some(pending) = event.event(0) else {
            return Ok(());
        };
        let next = &mut self.next;
        let expected_position = next.head() + 1;
        if position != expected_position {
            return Err((
                "sequence",
                format!(
                    "the position is {}, but events must follow each other from 1: {} was expected here.",
                    group(position),
                    group(expected_position)
                ),
            ));
        }
        let schema_index = pending.schema.index();
        if self.owners.len() <= schema_index {
            self.owners.resize(schema_index + 1, None);
        }
        let type_name = next.store.schemas().get(pending.schema).map(|s| s.name());
        let owner = *self.owners[schema_index].get_or_insert_with(|| {
            next.modules
                .iter()
                .position(|m| type_name.is_some_and(|n| m.event_types().contains(&n)))
        });
        if owner.is_none() || owner != domain {
            return Err((
                "subject",
                format!(
                    "“{}” is not a stream of the domain whose events are {}.",
                    shorten(stream.as_str()),
                    type_name.unwrap_or("of an unknown type")
                ),
            ));
        }
        if self.seen.len() <= schema_index {
            self.seen.resize(schema_index + 1, false);
        }
        self.seen[schema_index] = true;
        // The store checks the id and the stream's version as it appends.
        let expected = if stream_version <= 1 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exact(stream_version - 1)
        };
        let head = next.head();
        let outcome = next.store.append_batch(stream, expected, event);
        let duplicate = |p: &Playground| {
            (
                "id",
                format!(
                    "the same id was already given to event {}.",
                    group(p.store.find_event(&pending.event_id).unwrap_or_default())
                ),
            )
        };
        match outcome {
            Ok(_) if next.head() == head => Err(duplicate(next)),
            Ok(_) => Ok(()),
            Err(AppendError::IdConflict { .. }) => Err(duplicate(next)),
            Err(AppendError::WrongExpectedVersion { actual, .. }) => {
                let actual = actual.unwrap_or(0);
                Err((
                    "streamversion",
                    format!(
                        "{} holds {} before it, so its next version is {}, not {}.",
                        shorten(stream.as_str()),
                        count(actual, "event"),
                        group(actual + 1),
                        group(stream_version)
                    ),
                ))
            }
            Err(e) => Err(("id", format!("the store refused it: {e}"))),
        }
    }

    /// Every domain, the sagas' tracker and the query side take the events appended since last time.
    pub(super) fn observe(&mut self) {
        self.next.after_append(self.observed, Origin::Restore);
        self.observed = self.next.head();
    }
}

impl Playground {
    /// Replaces this playground by `rebuild`'s, once every event was accepted: `versions` are the
    /// versions each type is written in from now on, `keys` the key store (none: personal data cannot
    /// be read). Returns the types written in a version after the first ("Name v2").
    pub(super) fn adopt(
        &mut self,
        rebuild: Rebuild,
        keys: Option<KeyMaterial>,
        versions: &[(String, u16)],
    ) -> Vec<String> {
        let mut next = rebuild.next;
        let notes = next.settle(keys, versions);
        let mut revisions = self.revisions;
        revisions.bump_all();
        next.revisions = revisions;
        next.storage = std::mem::take(&mut self.storage);
        *self = *next;
        notes
    }

    /// A rebuilt playground made ready to go on: `versions` deployed, `keys` restored, and ids and
    /// keys reseeded from its last event so that nothing drawn later repeats. Returns the types
    /// written in a version after the first ("Name v2").
    pub(super) fn settle(
        &mut self,
        keys: Option<KeyMaterial>,
        versions: &[(String, u16)],
    ) -> Vec<String> {
        let next = self;
        let mut notes = Vec::new();
        for (type_name, version) in versions {
            while next
                .store
                .schemas()
                .written_version(type_name)
                .is_some_and(|w| w < *version)
            {
                if next.store.deploy_next(type_name).is_err() {
                    break;
                }
            }
            if *version > 1 {
                notes.push(format!("{type_name} v{version}"));
            }
        }
        // New ids and keys must never repeat those drawn for the restored events.
        let mix = next.store.get(next.head()).map_or(0, |e| {
            let (high, low) = e.event_id.as_u64_pair();
            high ^ low
        });
        next.ids = IdGenerator::seeded(next.made.seed ^ mix ^ 0x1A9_0127);
        if let Some(material) = keys {
            next.keys.restore(material, next.made.seed ^ mix);
        }
        notes
    }
}
