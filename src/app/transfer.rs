//! "Export events" and "Import events": the log as a CloudEvents batch, written and read in chunks
//! (so a million events show progress and the page stays responsive).
//!
//! An import reads and checks the whole file into a fresh playground, event by event, before the
//! page changes at all: the page in use is replaced only once every event was accepted (and, when
//! it holds events of its own, once the user confirmed). A refused file leaves it exactly as it was.

use super::rebuild::Rebuild;
use super::{Action, Playground};
use crate::format::{count, group, shorten};
use crate::interop::cloudevents::{
    read_element, write_event, write_key_store, Element, ImportError, Types,
};
use crate::interop::json::Reader;
use crate::kernel::Position;
use crate::privacy::KeyMaterial;
use std::fmt;
use std::rc::Rc;

/// Events written per [`TransferAction::ExportChunk`].
pub const EXPORT_CHUNK: u64 = 20_000;
/// Events read per [`TransferAction::ImportChunk`].
pub const IMPORT_CHUNK: u64 = 10_000;

/// A file's bytes as the page read them (shared, never copied by an action).
#[derive(Clone)]
pub struct FileBytes(pub Rc<[u8]>);

impl fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileBytes({} bytes)", self.0.len())
    }
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for FileBytes {}

/// What the export and import controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferAction {
    /// "Export events": start writing the log as a CloudEvents batch.
    StartExport,
    /// Write the next chunk of the export in progress (the UI sends this until it is ready).
    ExportChunk,
    /// The finished export was handed to the browser as a download: forget it.
    ExportSaved,
    /// A file chosen in "Import events" or dropped on the page: its name and bytes.
    Import {
        /// The file's name, as the browser gives it.
        name: String,
        /// Its contents.
        bytes: FileBytes,
    },
    /// Read and check the next chunk of the import in progress.
    ImportChunk,
    /// "Replace the log": the page held events of its own, and the user confirmed.
    ConfirmImport,
    /// "Keep this page": drop the import that waits for confirmation.
    CancelImport,
    /// The browser could not read a file or save one: what it said.
    BrowserFailed(String),
}

/// A finished export: the file's name and its text in parts (a million events are hundreds of
/// megabytes: the parts become one download without being joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The suggested file name.
    pub name: String,
    /// The text, in order.
    pub parts: Vec<String>,
    /// Events in it.
    pub events: u64,
}

impl ExportFile {
    /// The whole text (tests; the page keeps the parts apart).
    pub fn text(&self) -> String {
        self.parts.concat()
    }

    /// Its size in bytes.
    pub fn bytes(&self) -> usize {
        self.parts.iter().map(String::len).sum()
    }
}

/// An export in progress.
#[derive(Debug)]
pub(super) struct Export {
    next: Position,
    head: Position,
    file: ExportFile,
    /// The key store and the closing bracket are written: the file is whole.
    closed: bool,
}

/// How far an export or import has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Done so far.
    pub done: u64,
    /// Of this many (bytes for an import being read, events for an export).
    pub total: u64,
}

/// Where an import stands.
#[derive(Debug)]
pub(super) enum Stage {
    /// Reading the file, element by element.
    Reading,
    /// Every event was accepted; the page holds events of its own, so the user must confirm.
    Confirming,
}

/// An import in progress: the file, how far it was read, and the playground it is rebuilt into.
pub(super) struct Import {
    name: String,
    bytes: FileBytes,
    offset: usize,
    elements: u64,
    rebuild: Rebuild,
    keys: Option<KeyMaterial>,
    /// The event types the file's events may have, by name.
    types: Types,
    /// At most this many events are accepted.
    max_events: u64,
    pub(super) stage: Stage,
}

impl fmt::Debug for Import {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Import")
            .field("name", &self.name)
            .field("offset", &self.offset)
            .field("elements", &self.elements)
            .field("stage", &self.stage)
            .finish_non_exhaustive()
    }
}

/// The view of an import waiting for confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingImport {
    /// The file's name (shortened).
    pub name: String,
    /// Events in the file.
    pub events: u64,
    /// Events on the page now.
    pub replaces: u64,
}

impl Playground {
    pub(super) fn transfer(&mut self, action: TransferAction) {
        match action {
            TransferAction::StartExport => self.start_export(),
            TransferAction::ExportChunk => self.export_chunk(EXPORT_CHUNK),
            TransferAction::ExportSaved => self.export = None,
            TransferAction::Import { name, bytes } => self.start_import(name, bytes),
            TransferAction::ImportChunk => self.import_chunk(IMPORT_CHUNK),
            TransferAction::ConfirmImport => match self.import.take() {
                Some(import) if matches!(import.stage, Stage::Confirming) => {
                    self.finish_import(import)
                }
                other => self.import = other,
            },
            TransferAction::BrowserFailed(message) => self.refuse(message),
            TransferAction::CancelImport => {
                if let Some(import) = self.import.take() {
                    self.alert = None;
                    self.status = Some(format!(
                        "Kept this page as it was; “{}” was not imported.",
                        shorten(&import.name)
                    ));
                }
            }
        }
    }

    fn start_export(&mut self) {
        if self.export.as_ref().is_some_and(|e| !e.closed) {
            return self
                .refuse("An export is already being written; wait for it to finish.".to_owned());
        }
        let head = self.head();
        self.export = Some(Export {
            next: 1,
            head,
            file: ExportFile {
                name: format!("es-playground-{head}-events.json"),
                parts: vec!["[\n".to_owned()],
                events: head,
            },
            closed: false,
        });
        self.alert = None;
        self.status = None;
        if head == 0 {
            self.export_chunk(0);
        }
    }

    /// Writes up to `max` more events of the export in progress; after the last, the key store
    /// and the closing bracket.
    pub(super) fn export_chunk(&mut self, max: u64) {
        let Some(export) = self.export.as_mut() else {
            return;
        };
        if export.closed {
            return;
        }
        let to = export
            .head
            .min(export.next.saturating_add(max).saturating_sub(1));
        let mut part = String::with_capacity(((to + 1).saturating_sub(export.next) as usize) * 420);
        let mut failed = None;
        self.store.for_each_in(export.next, to, |event| {
            if failed.is_some() {
                return;
            }
            if event.position > 1 {
                part.push_str(",\n");
            }
            if let Err(e) = write_event(&mut part, event) {
                failed = Some(e);
            }
        });
        if let Some(problem) = failed {
            self.export = None;
            return self.refuse(format!("The export stopped: {problem}."));
        }
        export.next = to + 1;
        if export.next > export.head {
            if export.head > 0 {
                part.push_str(",\n");
            }
            write_key_store(&mut part, &self.keys.material(), export.head);
            part.push_str("\n]\n");
            export.file.parts.push(part);
            export.closed = true;
            let file = &export.file;
            self.status = Some(format!(
                "Exported {} as “{}” ({} bytes of CloudEvents JSON).",
                count(file.events, "event"),
                file.name,
                group(file.bytes() as u64)
            ));
        } else {
            export.file.parts.push(part);
        }
    }

    /// The export being written: how far it has got.
    pub fn export_progress(&self) -> Option<Progress> {
        self.export
            .as_ref()
            .filter(|e| !e.closed)
            .map(|e| Progress {
                done: e.next - 1,
                total: e.head,
            })
    }

    /// The finished export, until the page saved it ([`TransferAction::ExportSaved`]).
    pub fn export_file(&self) -> Option<&ExportFile> {
        self.export.as_ref().filter(|e| e.closed).map(|e| &e.file)
    }

    /// The whole log exported at once (tests and benchmarks; the page goes chunk by chunk).
    pub fn export_all(&mut self) -> ExportFile {
        self.dispatch(Action::Transfer(TransferAction::StartExport));
        while self.export_progress().is_some() {
            self.export_chunk(EXPORT_CHUNK);
        }
        let file = self.export_file().cloned().unwrap_or_else(|| ExportFile {
            name: String::new(),
            parts: Vec::new(),
            events: 0,
        });
        self.export = None;
        file
    }

    fn refuse_import(&mut self, error: ImportError) {
        self.refuse(error.to_string());
        self.import_refusal = Some(error);
    }

    /// Sets the most events and bytes an import accepts (a million and 200 MB unless changed).
    pub fn set_import_limits(&mut self, events: u64, bytes: usize) {
        self.import_limits = (events, bytes);
    }

    /// Why the last import was refused, until the next one starts.
    pub fn import_refusal(&self) -> Option<&ImportError> {
        self.import_refusal.as_ref()
    }

    fn start_import(&mut self, name: String, bytes: FileBytes) {
        if self.import.is_some() {
            return self
                .refuse("An import is already in progress; finish or cancel it first.".to_owned());
        }
        let refuse = |p: &mut Self, e: ImportError| p.refuse_import(e);
        self.import_refusal = None;
        let (max_events, max_bytes) = self.import_limits;
        if bytes.0.len() > max_bytes {
            return refuse(
                self,
                ImportError::file(format!(
                    "the file holds {} bytes; at most {} ({} MB) are accepted.",
                    group(bytes.0.len() as u64),
                    group(max_bytes as u64),
                    max_bytes / 1_000_000
                )),
            );
        }
        let text: &[u8] = &bytes.0;
        let mut reader = Reader::new(text, 0);
        if !reader.open_array() {
            let problem = match crate::interop::json::Reader::new(text, 0).value() {
                Ok(value) => ImportError::file(format!(
                    "the file holds {}; a CloudEvents batch (a JSON array of events, as “Export events” writes) is expected.",
                    value.kind()
                )),
                Err(e) => json_error(text, &e),
            };
            return refuse(self, problem);
        }
        let offset = reader.offset();
        let rebuild = Rebuild::new(self);
        let types = Types::of(rebuild.next.store.schemas());
        self.import = Some(Import {
            name,
            bytes,
            offset,
            elements: 0,
            rebuild,
            keys: None,
            types,
            max_events,
            stage: Stage::Reading,
        });
        self.alert = None;
        self.status = None;
    }

    /// Reads and checks up to `max` more elements of the import in progress.
    pub(super) fn import_chunk(&mut self, max: u64) {
        let Some(mut import) = self.import.take() else {
            return;
        };
        if !matches!(import.stage, Stage::Reading) {
            self.import = Some(import);
            return;
        }
        match import.read(max) {
            Err(e) => self.refuse_import(e),
            Ok(false) => self.import = Some(import),
            Ok(true) => {
                if self.head() > 0 {
                    import.stage = Stage::Confirming;
                    self.import = Some(import);
                } else {
                    self.finish_import(import);
                }
            }
        }
    }

    fn finish_import(&mut self, import: Import) {
        let Import {
            name,
            rebuild,
            keys,
            ..
        } = import;
        let replaced = self.head();
        // The newest version of each type the file's events are in.
        let mut versions: Vec<(String, u16)> = Vec::new();
        for (id, schema) in rebuild.next.store.schemas().iter() {
            if !rebuild.seen.get(id.index()).copied().unwrap_or(false) {
                continue;
            }
            match versions.iter_mut().find(|(n, _)| n == schema.name()) {
                Some(entry) => entry.1 = entry.1.max(schema.version()),
                None => versions.push((schema.name().to_owned(), schema.version())),
            }
        }
        let had_keys = keys.is_some();
        let notes = self.adopt(rebuild, keys, &versions);
        self.storage.log_replaced();
        self.journal.broken(super::share::Unshareable::Imported);
        let events = self.head();
        let streams = self.store.stream_count() as u64;
        self.status = Some(format!(
            "Imported {} in {} from “{}”{}{}{}",
            count(events, "event"),
            count(streams, "stream"),
            shorten(&name),
            if replaced > 0 {
                format!("; they replace the {} this page held", group(replaced))
            } else {
                String::new()
            },
            if notes.is_empty() {
                String::new()
            } else {
                format!(
                    "; written in {} from now on, as in the file",
                    notes.join(", ")
                )
            },
            if had_keys {
                ".".to_owned()
            } else {
                ". The file had no key store: customers' personal data cannot be read here."
                    .to_owned()
            },
        ));
    }

    /// The import being read: bytes read of the file's.
    pub fn import_progress(&self) -> Option<Progress> {
        self.import
            .as_ref()
            .filter(|i| matches!(i.stage, Stage::Reading))
            .map(|i| Progress {
                done: i.offset as u64,
                total: i.bytes.0.len() as u64,
            })
    }

    /// The import waiting for "Replace the log" or "Keep this page".
    pub fn pending_import(&self) -> Option<PendingImport> {
        self.import
            .as_ref()
            .filter(|i| matches!(i.stage, Stage::Confirming))
            .map(|i| PendingImport {
                name: shorten(&i.name),
                events: i.rebuild.next.head(),
                replaces: self.head(),
            })
    }

    /// Imports `bytes` at once, confirming a replacement (tests and benchmarks).
    pub fn import_all(&mut self, name: &str, bytes: &[u8]) {
        self.dispatch(Action::Transfer(TransferAction::Import {
            name: name.to_owned(),
            bytes: FileBytes(Rc::from(bytes)),
        }));
        while self.import_progress().is_some() {
            self.import_chunk(IMPORT_CHUNK);
        }
        if self.pending_import().is_some() {
            self.dispatch(Action::Transfer(TransferAction::ConfirmImport));
        }
    }
}

fn json_error(text: &[u8], e: &crate::interop::json::JsonError) -> ImportError {
    let (line, column) = e.line_column(text);
    ImportError::file(format!(
        "the file is not valid JSON: {} (line {line}, column {column}).",
        e.what
    ))
}

impl Import {
    /// Reads up to `max` elements into the playground being rebuilt; `Ok(true)` once the file was
    /// read to its end and every event accepted.
    fn read(&mut self, max: u64) -> Result<bool, ImportError> {
        let bytes = Rc::clone(&self.bytes.0);
        let text: &[u8] = &bytes;
        let mut reader = Reader::new(text, self.offset);
        let mut finished = false;
        for _ in 0..max {
            let element = match reader.next_element(self.elements == 0) {
                Ok(Some(element)) => element,
                Ok(None) => {
                    finished = true;
                    break;
                }
                Err(e) => return Err(json_error(text, &e)),
            };
            self.elements += 1;
            let index = self.elements;
            if self.keys.is_some() {
                return Err(ImportError::at(
                    index,
                    element.get("id").and_then(|v| v.as_str()),
                    "type",
                    "the key store must be the batch's last record; an event follows it.",
                ));
            }
            match read_element(
                &element,
                index,
                self.rebuild.next.store.schemas(),
                &self.types,
            )? {
                Element::Keys(material) => self.keys = Some(material),
                Element::Event {
                    stream,
                    position,
                    stream_version,
                    event,
                } => {
                    if self.rebuild.next.head() >= self.max_events {
                        return Err(ImportError::file(format!(
                            "the file holds more than {} events; at most that many are accepted.",
                            group(self.max_events)
                        )));
                    }
                    self.rebuild
                        .append(
                            &stream,
                            position,
                            stream_version,
                            std::slice::from_ref(&event),
                        )
                        .map_err(|(field, problem)| {
                            ImportError::at(
                                index,
                                Some(&event.event_id.to_string()),
                                field,
                                problem,
                            )
                        })?;
                }
            }
        }
        self.offset = reader.offset();
        let head = self.rebuild.next.head();
        self.rebuild.observe();
        if finished && head == 0 && self.keys.is_none() {
            return Err(ImportError::file(
                "the file holds no events (an empty batch); nothing to import.",
            ));
        }
        Ok(finished)
    }
}
