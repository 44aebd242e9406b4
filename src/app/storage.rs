//! The playground kept in the browser between visits: what to save, and restoring what was saved.
//!
//! The page owns the storage (IndexedDB); this side decides what goes into it. [`Playground::save_work`]
//! hands out the batch records of the events appended since the last save (the last, partly filled
//! record again, whole) and a fresh meta record; the page writes them in one transaction and says
//! whether it worked. Nothing is marked saved before the browser confirmed it, so a failed save loses
//! nothing already kept, and the next one writes the same events again.
//!
//! At start-up the page hands over what it found ([`StorageAction::Found`]). It is rebuilt, batch by
//! batch, through the same checks as an import ([`super::rebuild`]) into a fresh playground that
//! replaces the page only once everything was read. Anything that fails (a damaged, missing or short
//! record, another format) leaves the page empty and working, shows why, and stops saving, so that
//! what was kept stays as it was until the user presses "Reset playground".

use super::rebuild::Rebuild;
use super::settings::{self, Setting, SettingValue};
use super::share::Journal;
use super::transfer::{FileBytes, Progress};
use super::{Action, Playground};
use crate::domain::FormInput;
use crate::format::{count, group};
use crate::kernel::{Position, SchemaId, StreamId};
use crate::persist::{
    batch_range, checksum, encode_batch, BatchReader, Meta, StorageError, StreamRef, BATCH_EVENTS,
};

/// Batch records written by one save at most (a log generated in one go is saved over a few
/// transactions, none of which holds the page for long).
pub const BATCHES_PER_SAVE: u64 = 10;

/// What the storage controls and the page's storage do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageAction {
    /// The page is reading what the browser kept: commands wait until it is loaded.
    Opening,
    /// What the browser kept (`None`: nothing yet).
    Found(Option<Stored>),
    /// The browser keeps nothing for this page: what it said.
    Unavailable(String),
    /// Restore the next batch record of what was found.
    RestoreChunk,
    /// The save with this ticket was written.
    Saved(u64),
    /// The save with this ticket failed.
    SaveFailed {
        /// Its ticket.
        ticket: u64,
        /// What the browser said.
        message: String,
        /// The storage quota is used up.
        quota: bool,
    },
    /// "Reset playground": ask first.
    Reset,
    /// "Clear and start over": the user confirmed the reset.
    ConfirmReset,
    /// "Keep my work": no reset.
    CancelReset,
    /// Hide the storage banner.
    DismissNotice,
}

/// The records the browser kept, as the page read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The meta record.
    pub meta: FileBytes,
    /// The batch records found, with their numbers (keys), in any order.
    pub batches: Vec<(u64, FileBytes)>,
}

/// One save for the page to write, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveWork {
    /// Say it with [`StorageAction::Saved`] or [`StorageAction::SaveFailed`].
    pub ticket: u64,
    /// Delete every batch record first (the log was replaced, or the playground reset).
    pub clear: bool,
    /// Batch records to put, by number.
    pub batches: Vec<(u64, Vec<u8>)>,
    /// The meta record to put.
    pub meta: Vec<u8>,
}

/// What is kept, as far as this page knows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Saved {
    /// The log it belongs to (see [`Storage::lineage`]); `u64::MAX`: unknown, clear first.
    lineage: u64,
    head: Position,
    batches: Vec<u64>,
    /// The meta record's checksum.
    meta: u64,
}

impl Default for Saved {
    fn default() -> Self {
        Self {
            lineage: u64::MAX,
            head: 0,
            batches: Vec::new(),
            meta: 0,
        }
    }
}

#[derive(Debug, Default)]
enum Phase {
    /// Saving as the playground changes.
    #[default]
    Ready,
    /// The page is reading what was kept.
    Opening,
    /// Rebuilding what was kept.
    Restoring(Box<Restore>),
    /// What was kept could not be read: nothing is saved until a reset.
    Held,
    /// The browser keeps nothing.
    Off,
}

/// The storage side of a playground.
#[derive(Debug, Default)]
pub(super) struct Storage {
    phase: Phase,
    /// Moves on whenever the log is replaced (an import, a reset): the next save starts afresh.
    lineage: u64,
    saved: Saved,
    in_flight: Option<(u64, Saved)>,
    tickets: u64,
    notice: Option<StorageError>,
    confirm_reset: bool,
    /// The playground's changes since the last save: the meta record is built again only when
    /// this differs.
    signature: Option<(u64, u64, usize, usize)>,
}

impl Storage {
    /// The log was replaced by another: save it whole.
    pub(super) fn log_replaced(&mut self) {
        self.lineage += 1;
    }
}

/// What was kept, being rebuilt.
struct Restore {
    journal: Journal,
    meta: Meta,
    meta_sum: u64,
    /// The batch records by number, sorted.
    batches: Vec<(u64, FileBytes)>,
    next: u64,
    rebuild: Rebuild,
    /// The stored schema numbers, as this code numbers them.
    schemas: Vec<SchemaId>,
    /// The streams met so far, by number, with the domain of each one's category.
    streams: Vec<(StreamId, Option<usize>)>,
    /// Settings that could not be applied.
    refused: usize,
}

impl std::fmt::Debug for Restore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Restore")
            .field("head", &self.meta.head)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

/// The view of the storage for the Keep and share panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageView {
    /// What the panel says about what is kept.
    pub summary: String,
    /// Asking whether to reset.
    pub confirm_reset: bool,
}

/// The settings kept, in order.
pub(super) fn kept_settings() -> impl Iterator<Item = Setting> {
    [
        settings::BROKER,
        settings::WINDOWS,
        settings::RUN,
        settings::CONSUMER,
        &[Setting::ChartValue],
        settings::SAGA,
        settings::PROCESSING,
        settings::ALERTS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

impl Playground {
    pub(super) fn storage_action(&mut self, action: StorageAction) {
        match action {
            StorageAction::Opening => {
                if matches!(self.storage.phase, Phase::Ready) && self.head() == 0 {
                    self.storage.phase = Phase::Opening;
                }
            }
            StorageAction::Found(None) => {
                if matches!(self.storage.phase, Phase::Opening) {
                    self.storage.phase = Phase::Ready;
                }
            }
            StorageAction::Found(Some(stored)) => self.start_restore(stored),
            StorageAction::Unavailable(message) => {
                self.storage.phase = Phase::Off;
                self.storage.notice = Some(StorageError::Unavailable(message));
            }
            StorageAction::RestoreChunk => self.restore_chunk(),
            StorageAction::Saved(ticket) => {
                if let Some((t, saved)) = self.storage.in_flight.take() {
                    if t == ticket {
                        self.storage.saved = saved;
                        if matches!(self.storage.notice, Some(StorageError::SaveFailed { .. })) {
                            self.storage.notice = None;
                        }
                    } else {
                        self.storage.in_flight = Some((t, saved));
                    }
                }
            }
            StorageAction::SaveFailed {
                ticket,
                message,
                quota,
            } => {
                if self
                    .storage
                    .in_flight
                    .as_ref()
                    .is_some_and(|(t, _)| *t == ticket)
                {
                    self.storage.in_flight = None;
                    self.storage.signature = None;
                    self.storage.notice = Some(StorageError::SaveFailed { message, quota });
                }
            }
            StorageAction::Reset => self.storage.confirm_reset = true,
            StorageAction::CancelReset => self.storage.confirm_reset = false,
            StorageAction::ConfirmReset => self.reset(),
            StorageAction::DismissNotice => self.storage.notice = None,
        }
    }

    fn reset(&mut self) {
        if !self.storage.confirm_reset {
            return;
        }
        let mut fresh = Rebuild::new(self).next;
        let mut storage = std::mem::take(&mut self.storage);
        storage.confirm_reset = false;
        storage.lineage += 1;
        storage.saved = Saved::default();
        storage.in_flight = None;
        storage.signature = None;
        if !matches!(storage.phase, Phase::Off) {
            storage.phase = Phase::Ready;
            storage.notice = None;
        }
        let mut revisions = self.revisions;
        revisions.bump_all();
        fresh.revisions = revisions;
        fresh.storage = storage;
        *self = *fresh;
        self.status = Some(
            "The playground was reset: the log is empty, and what this browser kept was cleared."
                .to_owned(),
        );
    }

    /// The next save, if anything changed since the last one and no save is being written.
    pub fn save_work(&mut self) -> Option<SaveWork> {
        let storage = &self.storage;
        if !matches!(storage.phase, Phase::Ready) || storage.in_flight.is_some() {
            return None;
        }
        let clear = storage.saved.lineage != storage.lineage;
        let saved_head = if clear { 0 } else { storage.saved.head };
        // The batch records hold main's log (a branch's own events go with the meta record).
        let head = self.main_branch().head();
        let signature = self.signature();
        if !clear && saved_head == head && storage.signature == Some(signature) {
            return None;
        }
        let first = saved_head / BATCH_EVENTS;
        let mut batches = Vec::new();
        let mut sums = if clear {
            Vec::new()
        } else {
            storage.saved.batches.clone()
        };
        let mut new_head = saved_head;
        if head > saved_head {
            // The last record may be partly filled: it is written again, whole.
            sums.truncate(first as usize);
            let last = ((head - 1) / BATCH_EVENTS).min(first + BATCHES_PER_SAVE - 1);
            for index in first..=last {
                let bytes = encode_batch(&self.main_branch().store, index);
                sums.push(checksum(&bytes));
                batches.push((index, bytes));
                new_head = batch_range(index, head).1;
            }
        }
        let meta = self.meta(new_head, sums.clone()).encode();
        let meta_sum = checksum(&meta);
        let storage = &mut self.storage;
        if new_head == head {
            storage.signature = Some(signature);
        }
        if !clear && batches.is_empty() && meta_sum == storage.saved.meta {
            return None;
        }
        storage.tickets += 1;
        let ticket = storage.tickets;
        storage.in_flight = Some((
            ticket,
            Saved {
                lineage: storage.lineage,
                head: new_head,
                batches: sums,
                meta: meta_sum,
            },
        ));
        Some(SaveWork {
            ticket,
            clear,
            batches,
            meta,
        })
    }

    /// What moves whenever anything kept may have changed.
    fn signature(&self) -> (u64, Position, usize, usize) {
        (
            self.revisions.sum(),
            self.head(),
            self.keys.len(),
            self.keys.forgotten_count(),
        )
    }

    fn meta(&self, head: Position, batches: Vec<u64>) -> Meta {
        let main = self.main_branch();
        let schemas = main.store.schemas();
        let settings = kept_settings()
            .map(|s| {
                let value = match self.setting_value(s) {
                    SettingValue::Number(n) => n.to_string(),
                    SettingValue::Choice(code) => code.to_owned(),
                    SettingValue::Flag(on) => u8::from(on).to_string(),
                };
                (s.def().id.to_owned(), value)
            })
            .collect();
        let selections = self.selections();
        Meta {
            seed: self.made.seed,
            snapshot_every: self.made.snapshot_every,
            head,
            batches,
            schemas: schemas
                .iter()
                .map(|(_, s)| (s.name().to_owned(), s.version()))
                .collect(),
            deployed: schemas
                .evolving()
                .into_iter()
                .map(|(name, written, _)| (name.to_owned(), written))
                .collect(),
            keys: main.keys.material(),
            settings,
            tab: self
                .modules
                .get(self.tab)
                .map_or_else(String::new, |m| m.key().to_owned()),
            show_stored: self.show_stored,
            selections,
            journal: self.journal.kept(head == main.head()),
            branches: self.kept_branches(),
            branch: self.branch_name().to_owned(),
        }
    }

    /// Any kept setting's value.
    pub(super) fn setting_value(&self, setting: Setting) -> SettingValue {
        if settings::SAGA.contains(&setting) {
            self.saga_value(setting)
        } else if settings::ALERTS.contains(&setting) {
            self.threshold_value(setting)
        } else if settings::PROCESSING.contains(&setting) {
            self.processing.value(setting)
        } else {
            self.streaming.value(setting)
        }
    }

    fn start_restore(&mut self, stored: Stored) {
        if !matches!(self.storage.phase, Phase::Opening | Phase::Ready) {
            return;
        }
        let meta = match Meta::decode(&stored.meta.0) {
            Ok(meta) => meta,
            Err(e) => return self.hold(e),
        };
        let Some(journal) = Journal::from_kept(&meta.journal) else {
            return self.hold(StorageError::Corrupted {
                what: "its record of the actions taken cannot be read".to_owned(),
            });
        };
        let mut rebuild = Rebuild::new(self);
        rebuild.reseed(meta.seed, meta.snapshot_every);
        let table = rebuild.next.store.schemas();
        let mut schemas = Vec::with_capacity(meta.schemas.len());
        for (name, version) in &meta.schemas {
            match table
                .iter()
                .find(|(_, s)| s.name() == name && s.version() == *version)
            {
                Some((id, _)) => schemas.push(id),
                None => {
                    return self.hold(StorageError::Corrupted {
                        what: format!(
                            "it holds events of type {} in version {version}, which this version of the playground does not know",
                            crate::format::shorten(name)
                        ),
                    })
                }
            }
        }
        // Settings first: those that apply at a replay take effect on the empty broker.
        let mut refused = 0;
        for (id, value) in &meta.settings {
            let Some(setting) = kept_settings().find(|s| s.def().id == id) else {
                refused += 1;
                continue;
            };
            let action = match setting.def().kind {
                settings::Kind::Flag => setting.toggle_action(value == "1"),
                _ => setting.set_action(value.clone()),
            };
            rebuild.next.dispatch(action);
            if rebuild.next.alert.take().is_some() {
                refused += 1;
            }
        }
        rebuild
            .next
            .dispatch(Action::Stream(super::StreamAction::Replay));
        rebuild.next.status = None;
        let meta_sum = checksum(&stored.meta.0);
        let mut batches = stored.batches;
        batches.sort_unstable_by_key(|(k, _)| *k);
        self.storage.phase = Phase::Restoring(Box::new(Restore {
            journal,
            meta,
            meta_sum,
            batches,
            next: 0,
            rebuild,
            schemas,
            streams: Vec::new(),
            refused,
        }));
        self.restore_chunk_if_empty();
    }

    fn restore_chunk_if_empty(&mut self) {
        if let Phase::Restoring(restore) = &self.storage.phase {
            if restore.meta.head == 0 {
                self.restore_chunk();
            }
        }
    }

    fn hold(&mut self, error: StorageError) {
        self.storage.phase = if error.holds_storage() {
            Phase::Held
        } else {
            Phase::Ready
        };
        self.storage.notice = Some(error);
    }

    /// Restores the next batch record; after the last, the restored playground replaces this one.
    pub(super) fn restore_chunk(&mut self) {
        let Phase::Restoring(mut restore) = std::mem::take(&mut self.storage.phase) else {
            return;
        };
        let batch_count = restore.meta.batches.len() as u64;
        if restore.next < batch_count {
            if let Err(e) = restore.read_next() {
                return self.hold(e);
            }
        }
        if restore.next < batch_count {
            self.storage.phase = Phase::Restoring(restore);
            return;
        }
        let Restore {
            journal,
            meta,
            meta_sum,
            rebuild,
            refused,
            batches,
            schemas,
            ..
        } = *restore;
        if batches.iter().any(|(k, _)| *k >= batch_count) {
            return self.hold(StorageError::HalfWritten {
                what: format!(
                    "it holds more batch records than the {batch_count} its settings record counts"
                ),
            });
        }
        let mut next = rebuild.next;
        next.settle(Some(meta.keys.clone()), &meta.deployed);
        if let Some(i) = next
            .modules
            .iter()
            .position(|m| m.key() == meta.tab && m.has_tab())
        {
            next.tab = i;
        }
        next.show_stored = meta.show_stored;
        for (domain, control, value) in &meta.selections {
            next.domain_input(
                domain,
                &FormInput::Edit {
                    control: control.clone(),
                    value: value.clone(),
                },
            );
        }
        // The branches, each from its parent, before anything replaces the page.
        if let Err(e) = next.restore_branches(&meta.branches, &schemas, &meta.branch) {
            return self.hold(e);
        }
        next.storage = std::mem::take(&mut self.storage);
        next.revisions = self.revisions;
        *self = *next;
        self.alert = None;
        self.revisions.bump_all();
        self.journal = journal;
        self.journal.record_reload();
        let storage = &mut self.storage;
        storage.phase = Phase::Ready;
        storage.saved = Saved {
            lineage: storage.lineage,
            head: meta.head,
            batches: meta.batches,
            meta: meta_sum,
        };
        // What was restored is saved (a reload's entry in the journal is written with the next
        // change: a second reload without one rebuilds the same page).
        self.storage.signature = Some(self.signature());
        let main = self.main_branch();
        let branches = self.branches.order.len() as u64;
        self.status = Some(format!(
            "Restored {} in {} from this browser{}{}.",
            count(main.head(), "event"),
            count(main.store.stream_count() as u64, "stream"),
            if branches > 0 {
                match branches {
                    1 => ", and 1 what-if branch".to_owned(),
                    n => format!(", and {} what-if branches", group(n)),
                }
            } else {
                String::new()
            },
            if refused > 0 {
                format!(
                    "; {} could not be restored and {} back to {}",
                    count(refused as u64, "setting"),
                    if refused == 1 { "is" } else { "are" },
                    if refused == 1 {
                        "its default"
                    } else {
                        "their defaults"
                    }
                )
            } else {
                String::new()
            }
        ));
    }

    /// Replaces the playground with the one a reload would rebuild from its log, kept whole: the
    /// very steps of a restore, in memory (a share link replays a reload this way).
    pub(super) fn reload_in_memory(&mut self) -> Result<(), String> {
        let main = self.main_branch();
        let head = main.head();
        let batches: Vec<(u64, FileBytes)> = (0..head.div_ceil(BATCH_EVENTS))
            .map(|index| (index, FileBytes(encode_batch(&main.store, index).into())))
            .collect();
        let sums = batches.iter().map(|(_, b)| checksum(&b.0)).collect();
        let meta = self.meta(head, sums).encode();
        let mut fresh = Rebuild::new(self).next;
        fresh.storage.phase = Phase::Opening;
        fresh.storage_action(StorageAction::Found(Some(Stored {
            meta: FileBytes(meta.into()),
            batches,
        })));
        while fresh.storage_loading() {
            fresh.restore_chunk();
        }
        if let Some(notice) = fresh.storage.notice.take() {
            return Err(format!("could not be replayed: {notice}"));
        }
        fresh.storage = Storage::default();
        fresh.status = None;
        fresh.revisions = self.revisions;
        fresh.revisions.bump_all();
        *self = *fresh;
        Ok(())
    }

    /// How far restoring what was kept has got.
    pub fn restore_progress(&self) -> Option<Progress> {
        match &self.storage.phase {
            Phase::Restoring(r) => Some(Progress {
                done: r.rebuild.next.head(),
                total: r.meta.head,
            }),
            _ => None,
        }
    }

    /// The page is reading or restoring what the browser kept: actions wait, so that nothing done
    /// meanwhile is lost.
    pub fn storage_loading(&self) -> bool {
        matches!(self.storage.phase, Phase::Opening | Phase::Restoring(_))
    }

    /// What went wrong with the browser's storage, until dismissed.
    pub fn storage_notice(&self) -> Option<&StorageError> {
        self.storage.notice.as_ref()
    }

    /// The panel's view of what is kept.
    pub fn storage_view(&self) -> StorageView {
        let storage = &self.storage;
        let summary = match &storage.phase {
            Phase::Off => "Not kept: this browser gives the page no storage.".to_owned(),
            Phase::Held => "Not saving: what this browser kept could not be read (see the message above). Reset playground clears it.".to_owned(),
            Phase::Opening => "Reading what this browser kept…".to_owned(),
            Phase::Restoring(_) => "Restoring what this browser kept…".to_owned(),
            Phase::Ready if storage.saved.lineage != storage.lineage => {
                "Not saved in this browser yet.".to_owned()
            }
            Phase::Ready => {
                let unsaved = self.main_branch().head().saturating_sub(storage.saved.head);
                format!(
                    "Saved in this browser: {}{}{}.",
                    count(storage.saved.head, "event"),
                    if unsaved > 0 {
                        format!(" ({} still to save)", group(unsaved))
                    } else {
                        String::new()
                    },
                    match self.branches.order.len() {
                        0 => String::new(),
                        1 => " in main, and 1 what-if branch".to_owned(),
                        n => format!(" in main, and {n} what-if branches"),
                    }
                )
            }
        };
        StorageView {
            summary,
            confirm_reset: storage.confirm_reset,
        }
    }

    /// Everything saved is what the playground holds now (tests).
    pub fn fully_saved(&self) -> bool {
        matches!(self.storage.phase, Phase::Ready)
            && self.storage.saved.lineage == self.storage.lineage
            && self.storage.saved.head == self.main_branch().head()
            && self.storage.in_flight.is_none()
    }
}

impl Restore {
    /// Reads the next batch record into the playground being rebuilt.
    fn read_next(&mut self) -> Result<(), StorageError> {
        let index = self.next;
        let (first, last) = batch_range(index, self.meta.head);
        let found = self.batches.binary_search_by_key(&index, |(k, _)| *k);
        let Some((_, bytes)) = found.ok().and_then(|i| self.batches.get(i)).cloned() else {
            return Err(StorageError::HalfWritten {
                what: format!(
                    "batch {} of the log (events {}–{}) is missing",
                    index + 1,
                    group(first),
                    group(last)
                ),
            });
        };
        let expected = self.meta.batches.get(index as usize).copied().unwrap_or(0);
        let mut reader = BatchReader::open(&bytes.0, index, self.meta.head, expected)?;
        let damaged = |position: Position, what: String| StorageError::Corrupted {
            what: format!("event {} of the log: {what}", group(position)),
        };
        while let Some(mut row) = reader.next_row()? {
            let number = match row.stream {
                StreamRef::New(name) => {
                    let stream = StreamId::new(name);
                    let domain = self.rebuild.domain_of(&stream);
                    self.streams.push((stream, domain));
                    self.streams.len() - 1
                }
                StreamRef::Known(n) if (n as usize) < self.streams.len() => n as usize,
                StreamRef::Known(n) => {
                    return Err(damaged(
                        row.position,
                        format!("it names stream #{n}, which no event before it opened"),
                    ))
                }
            };
            row.event.schema = *self.schemas.get(row.event.schema.index()).ok_or_else(|| {
                damaged(
                    row.position,
                    "its type is not in the table of types".to_owned(),
                )
            })?;
            if let Some(schema) = self.rebuild.next.store.schemas().get(row.event.schema) {
                schema
                    .check(row.event.data)
                    .map_err(|problem| damaged(row.position, problem))?;
            }
            // The stream is borrowed, not cloned: a reference count per event is a cache miss.
            let (stream, domain) = &self.streams[number];
            self.rebuild
                .append_in(
                    stream,
                    *domain,
                    row.position,
                    row.stream_version,
                    std::slice::from_ref(&row.event),
                )
                .map_err(|(_, problem)| damaged(row.position, problem))?;
        }
        self.rebuild.observe();
        self.next += 1;
        Ok(())
    }
}
