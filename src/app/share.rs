//! "Copy share link": the scenario as its seed and the actions taken, and opening such a link.
//!
//! Every action that can change the playground is recorded as it is dispatched, in a compact
//! binary journal: the time it happened (the playground's clock is held at that instant for the
//! whole action, see [`HeldClock`](crate::kernel::HeldClock)), whether it was refused, and the
//! action. Typing collapses: a run of edits of one field keeps its last value, a drag of the
//! timeline its last position. A generation run is its "Generate" and its chunks, not its events.
//! Seed + journal replay the session exactly, ids and times included.
//!
//! A link is the journal behind a small header, packed by [`crate::interop::link`]. Opening one
//! reads and checks all of it first, then replays it into a fresh playground, chunk by chunk; the
//! page is replaced only when every action did what it did when the link was made. A reload is an
//! entry of its own: replayed, the log is rebuilt from itself exactly as the page rebuilt it from
//! what the browser kept.

use super::{
    Action, BranchAction, GenerateAction, Playground, Progress, SagaAction, SchemaAction, Setting,
    StreamAction,
};
use crate::domain::FormInput;
use crate::format::{count, group, shorten};
use crate::interop::link::{self, LinkError};
use crate::kernel::codec::{read_str, read_varint, write_varint, Decode, Encode};
use crate::kernel::Position;
use std::rc::Rc;

/// The link format this code writes and opens.
pub const LINK_FORMAT: u64 = 1;
/// The most entries a journal records (a link holds at most this many).
pub const MAX_ENTRIES: u64 = 100_000;
/// The most bytes a journal takes before it stops recording.
pub const MAX_JOURNAL_BYTES: usize = 1 << 20;
/// Entries replayed per [`ShareAction::OpenChunk`] (fewer when one of them is heavy).
const OPEN_CHUNK: usize = 200;

/// What the Share controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareAction {
    /// "Copy share link": make the link of the scenario so far.
    Copy,
    /// What the browser answered when asked to copy the link: `None` when it was copied, else why
    /// not.
    Copied(Option<String>),
    /// Open the link whose fragment (without `#`) is this.
    Open(String),
    /// "Open the scenario": replace the page's events with the shared scenario.
    ConfirmOpen,
    /// "Keep my work": do not open the link.
    CancelOpen,
    /// Replay the next actions of the scenario being opened (the page sends this until done).
    OpenChunk,
}

/// Why the session so far cannot travel as a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unshareable {
    /// Its log came from an imported file.
    Imported,
    /// More actions than a link holds.
    TooLong,
    /// Restored from a browser that closed before its last actions were saved.
    Unsaved,
}

impl Unshareable {
    fn code(self) -> u8 {
        match self {
            Self::Imported => 1,
            Self::TooLong => 2,
            Self::Unsaved => 3,
        }
    }

    fn from_code(code: u8) -> Option<Option<Self>> {
        match code {
            0 => Some(None),
            1 => Some(Some(Self::Imported)),
            2 => Some(Some(Self::TooLong)),
            3 => Some(Some(Self::Unsaved)),
            _ => None,
        }
    }

    fn message(self) -> String {
        match self {
            Self::Imported => "This log came from an imported file, so a link cannot rebuild it: share the file itself (Export events) instead.".to_owned(),
            Self::TooLong => format!("This session has more actions than a link holds ({} at most, in {} bytes): share it with Export events instead.", group(MAX_ENTRIES), group(MAX_JOURNAL_BYTES as u64)),
            Self::Unsaved => "This page was restored from what this browser kept before its last changes were saved, so a link cannot rebuild it: share it with Export events instead.".to_owned(),
        }
    }
}

/// One recorded step of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// An action, as dispatched (a timeline move as the position it ended at).
    Act(Action),
    /// The page was reloaded and rebuilt its log from what the browser kept.
    Reload,
}

/// One entry of a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When it happened, in microseconds since the epoch.
    pub at: i64,
    /// It was refused when it was recorded.
    pub refused: bool,
    /// What happened.
    pub step: Recorded,
}

/// The last entry, which a like one replaces.
#[derive(Debug, Clone)]
struct Tail {
    offset: usize,
    key: Option<Vec<u8>>,
    counted: bool,
    before_at: i64,
}

/// The session's actions so far, encoded as they come.
#[derive(Debug, Clone, Default)]
pub(super) struct Journal {
    bytes: Vec<u8>,
    entries: u64,
    actions: u64,
    /// The time of the last entry.
    pub(super) last_at: i64,
    tail: Option<Tail>,
    broken: Option<Unshareable>,
    /// The last link made, and the number of entries it holds.
    link: Option<(u64, String)>,
}

impl Journal {
    /// Records one entry (nothing once the journal is broken).
    pub(super) fn record(&mut self, at: i64, refused: bool, step: &Recorded) {
        if self.broken.is_some() {
            return;
        }
        let (key, counted) = match step {
            Recorded::Act(action) => (collapse_key(action), counts(action)),
            Recorded::Reload => (None, false),
        };
        if let (Some(key), Some(tail)) = (&key, &self.tail) {
            if tail.key.as_ref() == Some(key) {
                self.bytes.truncate(tail.offset);
                self.entries -= 1;
                self.actions -= u64::from(tail.counted);
                self.last_at = tail.before_at;
            }
        }
        let offset = self.bytes.len();
        write_time(&mut self.bytes, at.wrapping_sub(self.last_at));
        write_step(&mut self.bytes, step, refused);
        self.tail = Some(Tail {
            offset,
            key,
            counted,
            before_at: self.last_at,
        });
        self.entries += 1;
        self.actions += u64::from(counted);
        self.last_at = at;
        if self.entries > MAX_ENTRIES || self.bytes.len() > MAX_JOURNAL_BYTES {
            self.broken(Unshareable::TooLong);
        }
    }

    /// The session can no longer travel as a link.
    pub(super) fn broken(&mut self, why: Unshareable) {
        *self = Self {
            broken: Some(why),
            ..Self::default()
        };
    }

    /// Records that the page rebuilt its log from what the browser kept.
    pub(super) fn record_reload(&mut self) {
        let at = self.last_at;
        self.record(at, false, &Recorded::Reload);
        // A reload never collapses with what comes after it.
        self.tail = None;
    }

    /// Actions recorded (typing, timeline moves and continuations such as a generation's chunks
    /// are part of an action, not actions of their own).
    pub fn actions(&self) -> u64 {
        self.actions
    }

    /// The journal as the browser keeps it (with the rest of the playground).
    pub(super) fn kept(&self, complete: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + 24);
        let state = match (complete, self.broken) {
            (_, Some(why)) => why.code(),
            (false, None) => Unshareable::Unsaved.code(),
            (true, None) => 0,
        };
        out.push(state);
        if state == 0 {
            (self.entries, self.last_at).encode(&mut out);
            out.extend_from_slice(&self.bytes);
        }
        out
    }

    /// A journal as the browser kept it; `None` when the bytes are not one.
    pub(super) fn from_kept(bytes: &[u8]) -> Option<Self> {
        let (&state, mut input) = bytes.split_first()?;
        let broken = Unshareable::from_code(state)?;
        if let Some(why) = broken {
            let mut journal = Self::default();
            journal.broken(why);
            return input.is_empty().then_some(journal);
        }
        let (entries, last_at) = <(u64, i64)>::decode(&mut input)?;
        let read = read_entries(input, entries).ok()?;
        if read.last().map_or(0, |e| e.at) != last_at {
            return None;
        }
        Some(Self {
            bytes: input.to_vec(),
            entries,
            actions: read.iter().filter(|e| counts_step(&e.step)).count() as u64,
            last_at,
            tail: None,
            broken: None,
            link: None,
        })
    }

    /// The share link's fragment (without `#`) for a playground of `seed`.
    fn link(&mut self, seed: u64, snapshot_every: u64) -> Result<&str, String> {
        if let Some(why) = self.broken {
            return Err(why.message());
        }
        if self.entries == 0 {
            return Err(
                "There is nothing to share yet: issue a command or generate events first."
                    .to_owned(),
            );
        }
        if self.link.as_ref().is_none_or(|(n, _)| *n != self.entries) {
            let link = pack_scenario((seed, snapshot_every, self.entries), &self.bytes);
            self.link = Some((self.entries, link));
        }
        Ok(self.link.as_ref().map_or("", |(_, l)| l.as_str()))
    }

    /// The last link made, while it is the whole session.
    fn current_link(&self) -> Option<&str> {
        self.link
            .as_ref()
            .filter(|(n, _)| *n == self.entries && self.broken.is_none())
            .map(|(_, l)| l.as_str())
    }
}

/// A shared scenario, read from a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The playground's seed.
    pub seed: u64,
    /// Its snapshot interval.
    pub snapshot_every: u64,
    /// What was done, in order.
    pub entries: Vec<Entry>,
}

impl Scenario {
    /// The actions it holds (as [`Journal::actions`] counts them).
    pub fn actions(&self) -> u64 {
        self.entries.iter().filter(|e| counts_step(&e.step)).count() as u64
    }
}

impl Scenario {
    /// Its share link's fragment (without `#`), as "Copy share link" writes it.
    pub fn link(&self) -> String {
        let mut bytes = Vec::new();
        let mut last = 0i64;
        for entry in &self.entries {
            write_time(&mut bytes, entry.at.wrapping_sub(last));
            write_step(&mut bytes, &entry.step, entry.refused);
            last = entry.at;
        }
        pack_scenario(
            (self.seed, self.snapshot_every, self.entries.len() as u64),
            &bytes,
        )
    }
}

/// A link of a scenario's header (seed, snapshot interval, entries) and its entries' bytes.
fn pack_scenario(header: (u64, u64, u64), entries: &[u8]) -> String {
    let mut scenario = Vec::with_capacity(entries.len() + 24);
    header.encode(&mut scenario);
    scenario.extend_from_slice(entries);
    link::pack(LINK_FORMAT, &scenario)
}

/// Reads a share link's fragment (without `#`), checking all of it.
pub fn read_link(fragment: &str) -> Result<Scenario, LinkError> {
    let bytes = link::unpack(fragment, LINK_FORMAT)?;
    let unreadable = |what: String| LinkError::Unreadable { what };
    let mut input = bytes.as_slice();
    let (seed, snapshot_every, entries) = <(u64, u64, u64)>::decode(&mut input)
        .ok_or_else(|| unreadable("its header cannot be read".to_owned()))?;
    if entries > MAX_ENTRIES {
        return Err(unreadable(format!(
            "it counts {} actions, more than the {} a link holds",
            group(entries),
            group(MAX_ENTRIES)
        )));
    }
    if !(1..=1_000_000).contains(&snapshot_every) {
        return Err(unreadable(format!(
            "its snapshot interval ({}) is not between 1 and 1,000,000",
            group(snapshot_every)
        )));
    }
    let entries = read_entries(input, entries).map_err(unreadable)?;
    Ok(Scenario {
        seed,
        snapshot_every,
        entries,
    })
}

/// Reads exactly `count` entries, and nothing after them.
fn read_entries(mut input: &[u8], count: u64) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::with_capacity(count.min(4096) as usize);
    let mut at = 0i64;
    for n in 1..=count {
        let damaged = || format!("its entry {} of {} cannot be read", group(n), group(count));
        let delta = read_time(&mut input).ok_or_else(damaged)?;
        at = at.wrapping_add(delta);
        let (step, refused) = read_step(&mut input).ok_or_else(damaged)?;
        entries.push(Entry { at, refused, step });
    }
    if !input.is_empty() {
        return Err(format!(
            "it holds {} bytes after its last entry",
            group(input.len() as u64)
        ));
    }
    Ok(entries)
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// A time step: whole milliseconds (what a browser's clock gives) in one byte less than
/// microseconds.
fn write_time(out: &mut Vec<u8>, delta: i64) {
    if delta % 1000 == 0 || delta.unsigned_abs() >= 1 << 61 {
        write_varint(out, zigzag(delta / 1000) << 1);
    } else {
        write_varint(out, (zigzag(delta) << 1) | 1);
    }
}

fn read_time(input: &mut &[u8]) -> Option<i64> {
    let raw = read_varint(input)?;
    let value = unzigzag(raw >> 1);
    Some(if raw & 1 == 0 {
        value.wrapping_mul(1000)
    } else {
        value
    })
}

/// Whether an action is part of the scenario (recorded and replayed). Looking at the page (the
/// inspector, the log's filter, queries), moving files and the browser's storage are not.
pub fn journaled(action: &Action) -> bool {
    matches!(
        action,
        Action::Domain { .. }
            | Action::SelectTab(_)
            | Action::SeekTimeline(_)
            | Action::StepTimeline(_)
            | Action::Generate(_)
            | Action::Stream(_)
            | Action::Saga(_)
            | Action::SetAlertThreshold(..)
            | Action::SetProcessing(..)
            | Action::Schema(_)
            | Action::Branch(_)
    )
}

/// What a later action of the same kind replaces (typing in one field, moving the timeline).
fn collapse_key(action: &Action) -> Option<Vec<u8>> {
    let mut key = Vec::new();
    match action {
        Action::Domain {
            domain,
            input: FormInput::Edit { control, .. },
        } => (domain, control).encode(&mut key),
        Action::SelectTab(_) | Action::SeekTimeline(_) => {}
        Action::Generate(GenerateAction::EditCount(_)) => key.push(1),
        Action::Generate(GenerateAction::EditLateShare(_)) => key.push(2),
        Action::Stream(StreamAction::Set(s, _))
        | Action::Saga(SagaAction::Set(s, _))
        | Action::SetAlertThreshold(s, _)
        | Action::SetProcessing(s, _) => s.def().id.encode(&mut key),
        Action::Saga(SagaAction::EditFind(_)) => key.push(3),
        Action::Branch(BranchAction::EditName(_) | BranchAction::Select(_)) => {}
        _ => return None,
    }
    key.push(tag(action));
    Some(key)
}

/// Whether an entry counts as an action of its own (typing and moving belong to the action they
/// lead to; a generation's chunks and Play's frames to the press that started them).
fn counts(action: &Action) -> bool {
    collapse_key(action).is_none()
        && !matches!(
            action,
            Action::Generate(GenerateAction::Chunk) | Action::Stream(StreamAction::Advance(_))
        )
}

fn counts_step(step: &Recorded) -> bool {
    matches!(step, Recorded::Act(a) if counts(a))
}

/// An entry replayed takes long (a generation chunk, broker ticks): a chunk of the replay ends
/// after it.
fn heavy(step: &Recorded) -> bool {
    matches!(
        step,
        Recorded::Reload
            | Recorded::Act(
                Action::Generate(GenerateAction::Chunk)
                    | Action::Stream(
                        StreamAction::Advance(_)
                            | StreamAction::Drain
                            | StreamAction::RunBatch
                            | StreamAction::Replay
                    )
            )
    )
}

const RELOAD: u8 = 40;

fn tag(action: &Action) -> u8 {
    match action {
        Action::Domain {
            input: FormInput::Edit { .. },
            ..
        } => 0,
        Action::Domain {
            input: FormInput::Press { .. },
            ..
        } => 1,
        Action::SelectTab(_) => 2,
        Action::SeekTimeline(_) | Action::StepTimeline(_) => 3,
        Action::Generate(g) => match g {
            GenerateAction::EditCount(_) => 4,
            GenerateAction::EditLateShare(_) => 5,
            GenerateAction::Start => 6,
            GenerateAction::Chunk => 7,
            GenerateAction::Stop => 8,
        },
        Action::Stream(s) => match s {
            StreamAction::Set(..) => 9,
            StreamAction::Toggle(..) => 10,
            StreamAction::Step => 11,
            StreamAction::Advance(_) => 12,
            StreamAction::Play => 13,
            StreamAction::Pause => 14,
            StreamAction::Drain => 15,
            StreamAction::RunBatch => 16,
            StreamAction::Replay => 17,
            StreamAction::RetryDeadLetter(_) => 18,
            StreamAction::SkipDeadLetter(_) => 19,
            StreamAction::RetryAll => 20,
            StreamAction::SkipAll => 21,
        },
        Action::Saga(s) => match s {
            SagaAction::Set(..) => 22,
            SagaAction::Toggle(..) => 23,
            SagaAction::Select(_) => 24,
            SagaAction::EditFind(_) => 25,
            SagaAction::Find => 26,
        },
        Action::SetAlertThreshold(..) => 27,
        Action::SetProcessing(..) => 28,
        Action::Schema(SchemaAction::DeployNext(_)) => 29,
        Action::Schema(SchemaAction::ShowStored(_)) => 30,
        Action::Branch(BranchAction::EditName(_)) => 31,
        Action::Branch(BranchAction::Here) => 32,
        Action::Branch(BranchAction::Select(_)) => 33,
        _ => u8::MAX,
    }
}

/// A setting by the control id a link names it with.
fn setting(input: &mut &[u8]) -> Option<Setting> {
    let id = read_str(input)?;
    Setting::ALL.into_iter().find(|s| s.def().id == id)
}

/// A timeline position as a link writes it: 0 for "live", else the position plus one.
fn write_position(out: &mut Vec<u8>, position: Position) {
    write_varint(
        out,
        if position == Position::MAX {
            0
        } else {
            position + 1
        },
    );
}

fn read_position(input: &mut &[u8]) -> Option<Position> {
    Some(read_varint(input)?.checked_sub(1).unwrap_or(Position::MAX))
}

fn write_step(out: &mut Vec<u8>, step: &Recorded, refused: bool) {
    let action = match step {
        Recorded::Reload => return out.push(RELOAD),
        Recorded::Act(action) => action,
    };
    out.push(tag(action) | (u8::from(refused) << 7));
    match action {
        Action::Domain {
            domain,
            input: FormInput::Edit { control, value },
        } => (domain, control, value).encode(out),
        Action::Domain {
            domain,
            input: FormInput::Press { control },
        } => (domain, control).encode(out),
        Action::SelectTab(key)
        | Action::Generate(GenerateAction::EditCount(key) | GenerateAction::EditLateShare(key))
        | Action::Saga(SagaAction::Select(key) | SagaAction::EditFind(key))
        | Action::Schema(SchemaAction::DeployNext(key))
        | Action::Branch(BranchAction::EditName(key) | BranchAction::Select(key)) => {
            key.encode(out)
        }
        Action::SeekTimeline(p) => write_position(out, *p),
        Action::StepTimeline(_) => write_position(out, Position::MAX),
        Action::Stream(StreamAction::Set(s, text))
        | Action::Saga(SagaAction::Set(s, text))
        | Action::SetAlertThreshold(s, text)
        | Action::SetProcessing(s, text) => (s.def().id, text).encode(out),
        Action::Stream(StreamAction::Toggle(s, on)) | Action::Saga(SagaAction::Toggle(s, on)) => {
            (s.def().id, *on).encode(out);
        }
        Action::Stream(
            StreamAction::Advance(n)
            | StreamAction::RetryDeadLetter(n)
            | StreamAction::SkipDeadLetter(n),
        ) => write_varint(out, *n),
        Action::Schema(SchemaAction::ShowStored(on)) => on.encode(out),
        _ => {}
    }
}

fn read_step(input: &mut &[u8]) -> Option<(Recorded, bool)> {
    let byte = u8::decode(input)?;
    if byte == RELOAD {
        return Some((Recorded::Reload, false));
    }
    let refused = byte & 0x80 != 0;
    let text = |input: &mut &[u8]| String::decode(input);
    let action = match byte & 0x7f {
        0 => {
            let (domain, control, value) = <(String, String, String)>::decode(input)?;
            Action::Domain {
                domain,
                input: FormInput::Edit { control, value },
            }
        }
        1 => {
            let (domain, control) = <(String, String)>::decode(input)?;
            Action::Domain {
                domain,
                input: FormInput::Press { control },
            }
        }
        2 => Action::SelectTab(text(input)?),
        3 => Action::SeekTimeline(read_position(input)?),
        4 => Action::Generate(GenerateAction::EditCount(text(input)?)),
        5 => Action::Generate(GenerateAction::EditLateShare(text(input)?)),
        6 => Action::Generate(GenerateAction::Start),
        7 => Action::Generate(GenerateAction::Chunk),
        8 => Action::Generate(GenerateAction::Stop),
        9 => Action::Stream(StreamAction::Set(setting(input)?, text(input)?)),
        10 => Action::Stream(StreamAction::Toggle(setting(input)?, bool::decode(input)?)),
        11 => Action::Stream(StreamAction::Step),
        12 => Action::Stream(StreamAction::Advance(read_varint(input)?)),
        13 => Action::Stream(StreamAction::Play),
        14 => Action::Stream(StreamAction::Pause),
        15 => Action::Stream(StreamAction::Drain),
        16 => Action::Stream(StreamAction::RunBatch),
        17 => Action::Stream(StreamAction::Replay),
        18 => Action::Stream(StreamAction::RetryDeadLetter(read_varint(input)?)),
        19 => Action::Stream(StreamAction::SkipDeadLetter(read_varint(input)?)),
        20 => Action::Stream(StreamAction::RetryAll),
        21 => Action::Stream(StreamAction::SkipAll),
        22 => Action::Saga(SagaAction::Set(setting(input)?, text(input)?)),
        23 => Action::Saga(SagaAction::Toggle(setting(input)?, bool::decode(input)?)),
        24 => Action::Saga(SagaAction::Select(text(input)?)),
        25 => Action::Saga(SagaAction::EditFind(text(input)?)),
        26 => Action::Saga(SagaAction::Find),
        27 => Action::SetAlertThreshold(setting(input)?, text(input)?),
        28 => Action::SetProcessing(setting(input)?, text(input)?),
        29 => Action::Schema(SchemaAction::DeployNext(text(input)?)),
        30 => Action::Schema(SchemaAction::ShowStored(bool::decode(input)?)),
        31 => Action::Branch(BranchAction::EditName(text(input)?)),
        32 => Action::Branch(BranchAction::Here),
        33 => Action::Branch(BranchAction::Select(text(input)?)),
        _ => return None,
    };
    Some((Recorded::Act(action), refused))
}

/// An entry as a message names it.
fn describe(step: &Recorded) -> String {
    let Recorded::Act(action) = step else {
        return "the page's reload".to_owned();
    };
    match action {
        Action::Domain {
            domain,
            input: FormInput::Press { control },
        } => format!("“{}” in {}", shorten(control), shorten(domain)),
        Action::Domain {
            domain,
            input: FormInput::Edit { control, value },
        } => format!(
            "“{}” set to “{}” in {}",
            shorten(control),
            shorten(value),
            shorten(domain)
        ),
        Action::SelectTab(key) => format!("the tab “{}”", shorten(key)),
        Action::Generate(GenerateAction::Start) => "“Generate”".to_owned(),
        Action::Stream(StreamAction::Set(s, text))
        | Action::Saga(SagaAction::Set(s, text))
        | Action::SetAlertThreshold(s, text)
        | Action::SetProcessing(s, text) => {
            format!("“{}” set to “{}”", s.def().label, shorten(text))
        }
        Action::Schema(SchemaAction::DeployNext(name)) => {
            format!("“Deploy next version of {}”", shorten(name))
        }
        other => format!("the action “{}”", name_of(other)),
    }
}

/// What the page calls an action a message names without its details.
fn name_of(action: &Action) -> &'static str {
    match action {
        Action::SeekTimeline(_) | Action::StepTimeline(_) => "Timeline",
        Action::Generate(GenerateAction::Chunk) => "Generate (a chunk)",
        Action::Generate(GenerateAction::Stop) => "Stop generating",
        Action::Generate(_) => "Events to generate",
        Action::Stream(s) => match s {
            StreamAction::Toggle(..) | StreamAction::Set(..) => "a broker setting",
            StreamAction::Step => "Step",
            StreamAction::Advance(_) => "Play (a frame)",
            StreamAction::Play => "Play",
            StreamAction::Pause => "Pause",
            StreamAction::Drain => "Drain",
            StreamAction::RunBatch => "Run batch",
            StreamAction::Replay => "Replay from start",
            StreamAction::RetryDeadLetter(_) => "Retry",
            StreamAction::SkipDeadLetter(_) => "Skip",
            StreamAction::RetryAll => "Retry all",
            StreamAction::SkipAll => "Skip all",
        },
        Action::Saga(SagaAction::Find | SagaAction::EditFind(_)) => "Show saga",
        Action::Saga(SagaAction::Select(_)) => "a saga instance",
        Action::Saga(_) => "a saga setting",
        Action::Schema(SchemaAction::ShowStored(_)) => "Show events as stored",
        Action::Branch(BranchAction::Here) => "Branch here",
        Action::Branch(BranchAction::Select(_)) => "Branch",
        Action::Branch(BranchAction::EditName(_)) => "Branch name",
        _ => "an action",
    }
}

/// A shared scenario being opened.
pub(super) struct Opening {
    scenario: Scenario,
    next: Box<Playground>,
    done: usize,
    /// Events on the page when the link was opened (it waits for confirmation when there are any).
    replaces: Option<Position>,
}

impl std::fmt::Debug for Opening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opening")
            .field("done", &self.done)
            .field("entries", &self.scenario.entries.len())
            .finish_non_exhaustive()
    }
}

/// The Share controls' view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShareView {
    /// The link made by "Copy share link" (its fragment, without `#`), while it is the whole
    /// session.
    pub link: Option<String>,
    /// Actions the session holds.
    pub actions: u64,
    /// A link waits for confirmation: it would replace this many events.
    pub confirm: Option<Position>,
}

impl Playground {
    pub(super) fn share_action(&mut self, action: ShareAction) {
        match action {
            ShareAction::Copy => {
                if self.generator.is_some() {
                    return self.refuse(
                        "A generation run is in progress: stop it, or wait until it ends, then copy the link."
                            .to_owned(),
                    );
                }
                if self.opening.is_some() {
                    return self
                        .refuse("A shared scenario is being opened; wait until it is.".to_owned());
                }
                let actions = self.journal.actions();
                let (seed, every) = (self.made.seed, self.made.snapshot_every);
                match self.journal.link(seed, every) {
                    Ok(link) => {
                        let chars = link.chars().count() as u64;
                        self.alert = None;
                        self.status = Some(format!(
                            "Made a share link of {} in {}.",
                            count(actions, "action"),
                            count(chars, "character")
                        ));
                    }
                    Err(message) => self.refuse(message),
                }
            }
            ShareAction::Copied(None) => {
                self.status = Some(format!(
                    "Copied a share link of {} to the clipboard.",
                    count(self.journal.actions(), "action")
                ));
            }
            ShareAction::Copied(Some(why)) => {
                self.status = Some(format!(
                    "The browser did not copy the link ({}): select the text of “Share link” and copy it yourself.",
                    shorten(&why)
                ));
            }
            ShareAction::Open(fragment) => self.open_link(&fragment),
            ShareAction::ConfirmOpen => {
                if let Some(opening) = &mut self.opening {
                    opening.replaces = None;
                }
            }
            ShareAction::CancelOpen => {
                if self.opening.take().is_some() {
                    self.status = Some(
                        "The shared scenario was not opened; the page is as it was.".to_owned(),
                    );
                }
            }
            ShareAction::OpenChunk => self.open_chunk(),
        }
    }

    fn open_link(&mut self, fragment: &str) {
        if self.opening.is_some() {
            return self.refuse("A shared scenario is already being opened.".to_owned());
        }
        if self.import.is_some() || self.generator.is_some() {
            return self.refuse(
                "Finish or stop the import or the generation first, then open the link again."
                    .to_owned(),
            );
        }
        let scenario = match read_link(fragment) {
            Ok(scenario) => scenario,
            Err(e) => return self.refuse(e.to_string()),
        };
        let next = Box::new(Playground::with_registry(
            Rc::clone(&self.clock),
            scenario.seed,
            &self.made.registry,
            scenario.snapshot_every,
        ));
        let head = self.head();
        self.alert = None;
        self.status = None;
        self.opening = Some(Box::new(Opening {
            scenario,
            next,
            done: 0,
            replaces: (head > 0).then_some(head),
        }));
    }

    /// Replays the next entries of the scenario being opened; after the last, it replaces the page.
    fn open_chunk(&mut self) {
        let Some(mut opening) = self.opening.take() else {
            return;
        };
        if opening.replaces.is_some() {
            self.opening = Some(opening);
            return;
        }
        let total = opening.scenario.entries.len();
        let mut replayed = 0;
        while opening.done < total && replayed < OPEN_CHUNK {
            let entry = &opening.scenario.entries[opening.done];
            opening.done += 1;
            replayed += 1;
            if let Err(problem) = opening.next.replay(entry) {
                let before = opening.scenario.entries[..opening.done]
                    .iter()
                    .filter(|e| counts_step(&e.step))
                    .count();
                return self.refuse(format!(
                    "The shared scenario could not be opened: {} (entry {} of {}, after {}) {problem}. Nothing was changed.",
                    describe(&entry.step),
                    group(opening.done as u64),
                    group(total as u64),
                    count(before.saturating_sub(usize::from(counts_step(&entry.step))) as u64, "action"),
                ));
            }
            if heavy(&entry.step) {
                break;
            }
        }
        if opening.done < total {
            self.opening = Some(opening);
            return;
        }
        let actions = opening.scenario.actions();
        let mut next = opening.next;
        next.status = None;
        next.alert = None;
        let mut revisions = self.revisions;
        revisions.bump_all();
        next.revisions = revisions;
        next.storage = std::mem::take(&mut self.storage);
        next.opened = self.opened + 1;
        *self = *next;
        self.storage.log_replaced();
        self.status = Some(format!(
            "Opened a shared scenario: {}",
            count(actions, "action")
        ));
    }

    /// Replays one entry: it must be refused exactly when it was refused when recorded.
    fn replay(&mut self, entry: &Entry) -> Result<(), String> {
        let action = match &entry.step {
            Recorded::Reload => return self.reload_in_memory(),
            Recorded::Act(action) => action,
        };
        if !journaled(action) {
            return Err("is not an action a link holds".to_owned());
        }
        let refused = self.act(action.clone(), Some(entry.at));
        match (refused, entry.refused) {
            (true, false) => Err(format!(
                "was refused: {}",
                self.alert.as_deref().unwrap_or("")
            )),
            (false, true) => {
                Err("was carried out, where it had been refused when the link was made".to_owned())
            }
            _ => Ok(()),
        }
    }

    /// Applies a recorded action at `at` (or now), records it in the journal, and says whether it
    /// was refused.
    pub(super) fn act(&mut self, action: Action, at: Option<i64>) -> bool {
        // The action may put another branch's playground on the page: release the clock held.
        let time = Rc::clone(&self.time);
        time.hold(at);
        let refusals = self.refusals;
        let timeline = matches!(action, Action::SeekTimeline(_) | Action::StepTimeline(_));
        let kept = (!timeline).then(|| action.clone());
        self.apply(action);
        // An action that never asked the time is recorded at the one before it.
        let at = time.release().unwrap_or(self.journal.last_at);
        let refused = self.refusals != refusals;
        let step = Recorded::Act(kept.unwrap_or(Action::SeekTimeline(match self.cursor {
            super::TimelineCursor::Live => Position::MAX,
            super::TimelineCursor::At(p) => p,
        })));
        self.journal.record(at, refused, &step);
        refused
    }

    /// How far opening a shared scenario has got.
    pub fn open_progress(&self) -> Option<Progress> {
        self.opening
            .as_ref()
            .filter(|o| o.replaces.is_none())
            .map(|o| Progress {
                done: o.done as u64,
                total: o.scenario.entries.len() as u64,
            })
    }

    /// A shared scenario is being replayed (the page sends [`ShareAction::OpenChunk`] meanwhile).
    pub fn opening_link(&self) -> bool {
        self.open_progress().is_some()
    }

    /// The Share controls' view.
    pub fn share_view(&self) -> ShareView {
        ShareView {
            link: self.journal.current_link().map(str::to_owned),
            actions: self.journal.actions(),
            confirm: self.opening.as_ref().and_then(|o| o.replaces),
        }
    }
}
