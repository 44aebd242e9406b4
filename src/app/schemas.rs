//! Schema evolution as the playground shows it: the "Schema versions" region (each evolving type with
//! the version written, its upcasters and "Deploy next version of …"), the schema registry (every
//! event type of every domain with its fields in each version, read from the domains' own type
//! tables), and an event as stored beside the same event as upcast.

use super::Playground;
use crate::format::{count, group};
use crate::kernel::{to_json, RecordedEvent, Schema};

/// What the Schema versions region and the log's view switch do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaAction {
    /// "Deploy next version of <type>": new events of the type are written in its next version.
    DeployNext(String),
    /// "Show events as stored": the event log shows each payload as stored (JSON of its stored
    /// version) instead of as read (upcast to the latest version).
    ShowStored(bool),
}

/// One upcaster a reader applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcastStep {
    /// From this version…
    pub from: u16,
    /// …to this one.
    pub to: u16,
    /// The upcaster's name and what it does.
    pub name: String,
    /// What it cannot recover, if anything.
    pub lossy: Option<String>,
}

/// One evolving type of the Schema versions region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvolvingType {
    /// The type's name.
    pub name: String,
    /// The domain that writes it.
    pub domain: String,
    /// The version new events are written in.
    pub written: u16,
    /// The latest version (what every reader sees).
    pub latest: u16,
    /// Its upcasters, oldest first.
    pub upcasters: Vec<UpcastStep>,
    /// How many events of each version the log holds, oldest version first (every version).
    pub stored: Vec<(u16, u64)>,
    /// "Deploy next version of <type>".
    pub deploy_label: String,
    /// False once the latest version is written.
    pub can_deploy: bool,
}

/// One version of a type in the schema registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryVersion {
    /// The version.
    pub version: u16,
    /// Its fields: `(name, type)`, in stored order.
    pub fields: Vec<(String, String)>,
    /// The upcaster that reads the version before it (from version 2 on).
    pub upcaster: Option<String>,
    /// New events are written in this version.
    pub written: bool,
}

/// One event type in the schema registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryType {
    /// The domain that writes it.
    pub domain: String,
    /// The type's name.
    pub name: String,
    /// Every version, oldest first.
    pub versions: Vec<RegistryVersion>,
}

/// An event as stored and as upcast, for the inspector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAndUpcast {
    /// The version the data was written in.
    pub stored_version: u16,
    /// The stored data, read through that version's fields.
    pub stored: String,
    /// The latest version.
    pub latest: u16,
    /// The data every reader sees, read through the latest version's fields.
    pub upcast: String,
    /// The upcasters applied, in order (none for data already in the latest version).
    pub steps: Vec<UpcastStep>,
}

fn steps_of(schema: &Schema) -> Vec<UpcastStep> {
    schema
        .upcasters()
        .into_iter()
        .map(|(to, u)| UpcastStep {
            from: to - 1,
            to,
            name: u.name.to_owned(),
            lossy: u.lossy.map(str::to_owned),
        })
        .collect()
}

/// The stored payload as JSON (pretty or on one line), or why it could not be read.
pub fn stored_json(event: &RecordedEvent<'_>, pretty: bool) -> String {
    to_json(event.schema.fields(), event.data, pretty).unwrap_or_else(|e| {
        format!(
            "({} that do not read as {} v{}: {e})",
            count(event.data.len() as u64, "byte"),
            event.event_type(),
            event.schema_version()
        )
    })
}

impl Playground {
    /// Deploys the next version of `name`, or says why not.
    pub(super) fn deploy_next(&mut self, name: &str) -> Result<String, String> {
        let before = self.store.schemas().written_version(name);
        let version = self.store.deploy_next(name).map_err(|e| e.to_string())?;
        let stored: u64 = self
            .store
            .schemas()
            .iter()
            .filter(|(_, s)| s.name() == name && s.version() < version)
            .map(|(id, _)| {
                self.metrics
                    .type_counts()
                    .get(id.index())
                    .copied()
                    .unwrap_or(0)
            })
            .sum();
        Ok(format!(
            "Deployed {name} v{version} (was v{}): new {name} events are written in v{version}; the {} stored in older versions stay exactly as they were and are upcast when read.",
            before.unwrap_or(1),
            count(stored, "event")
        ))
    }

    /// Whether the event log shows payloads as stored.
    pub fn shows_stored(&self) -> bool {
        self.show_stored
    }

    /// The Schema versions region's evolving types.
    pub fn evolving_types(&self) -> Vec<EvolvingType> {
        let schemas = self.store().schemas();
        let counts = self.metrics.type_counts();
        schemas
            .evolving()
            .into_iter()
            .map(|(name, written, latest)| {
                let versions: Vec<_> = schemas.iter().filter(|(_, s)| s.name() == name).collect();
                let upcasters = versions
                    .iter()
                    .find(|(_, s)| s.version() == 1)
                    .map_or_else(Vec::new, |(_, s)| steps_of(s));
                EvolvingType {
                    name: name.to_owned(),
                    domain: self.domain_writing(name),
                    written,
                    latest,
                    upcasters,
                    stored: versions
                        .iter()
                        .map(|(id, s)| (s.version(), counts.get(id.index()).copied().unwrap_or(0)))
                        .collect(),
                    deploy_label: format!("Deploy next version of {name}"),
                    can_deploy: written < latest,
                }
            })
            .collect()
    }

    fn domain_writing(&self, name: &str) -> String {
        self.modules()
            .iter()
            .find(|m| m.event_types().contains(&name))
            .map_or_else(|| "—".to_owned(), |m| m.title().to_owned())
    }

    /// The schema registry: every event type of every domain, with its fields in each version.
    pub fn schema_registry(&self) -> Vec<RegistryType> {
        let schemas = self.store().schemas();
        let mut types = Vec::new();
        for module in self.modules() {
            for name in module.event_types() {
                let written = schemas.written_version(name);
                let versions: Vec<RegistryVersion> = schemas
                    .iter()
                    .filter(|(_, s)| s.name() == name)
                    .map(|(_, s)| RegistryVersion {
                        version: s.version(),
                        fields: s
                            .fields()
                            .iter()
                            .map(|f| (f.name.to_owned(), f.kind.name()))
                            .collect(),
                        upcaster: s
                            .event_type()
                            .and_then(|t| t.upcaster_to(s.version()))
                            .map(|u| u.name.to_owned()),
                        written: written == Some(s.version()),
                    })
                    .collect();
                if versions.is_empty() {
                    continue;
                }
                types.push(RegistryType {
                    domain: module.title().to_owned(),
                    name: name.to_owned(),
                    versions,
                });
            }
        }
        types
    }

    /// The inspected event as stored and as upcast.
    pub fn inspected_stored(&self) -> Option<StoredAndUpcast> {
        let e = self.store().get(self.inspected()?)?;
        let upcast = match e.schema.upcast(e.data) {
            Some(Ok(bytes)) => to_json(e.schema.latest_fields(), &bytes, true)
                .unwrap_or_else(|error| format!("(the upcast data did not read back: {error})")),
            Some(Err(error)) => format!("(the stored data did not decode: {error})"),
            None => "(no domain here reads this type)".to_owned(),
        };
        Some(StoredAndUpcast {
            stored_version: e.schema_version(),
            stored: stored_json(&e, true),
            latest: e.schema.latest(),
            upcast,
            steps: steps_of(e.schema),
        })
    }

    /// "v1 1,204 · v2 0 · v3 56": how many events of each version the log holds.
    pub fn stored_mix(types: &EvolvingType) -> String {
        types
            .stored
            .iter()
            .map(|(v, n)| format!("v{v} {}", group(*n)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}
