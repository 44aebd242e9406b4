//! What-if branches: "Branch here" forks the log at the timeline's position into a branch that
//! shares the prefix with the log it came from (the store's chunks, not a copy of its events) and
//! takes commands of its own; "Branch" switches the page between "main" and the branches; the
//! Branch comparison region sets main and the branch on the page side by side.
//!
//! The page always shows one whole playground; the others wait, parked, each with its own store,
//! modules and read models. What belongs to the session rather than to a branch — the journal, the
//! browser's storage, the branches themselves — moves with the page when it switches. A branch's
//! playground is built as a reload builds one (the prefix observed by every domain, the settings and
//! selections of the branch it came from, ids reseeded so none repeats), so it is deterministic and
//! a share link replays it exactly.

use super::{Action, Playground};
use crate::domain::{FormInput, Origin};
use crate::format::{count, group, shorten_to};
use crate::kernel::{IdGenerator, Position};
use crate::view::{Control, ModelView, StateView};
use std::rc::Rc;

/// The name of the log every branch starts from.
pub const MAIN: &str = "main";
/// The longest branch name.
pub const MAX_NAME_CHARS: usize = 40;

/// What the branch controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchAction {
    /// Typing in "Branch name".
    EditName(String),
    /// "Branch here": fork the page's branch at the timeline's position.
    Here,
    /// Choosing in "Branch": the branch of this name goes on the page.
    Select(String),
}

/// A branch, as the session knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchInfo {
    /// Its name.
    pub name: String,
    /// The branch it was forked from.
    pub parent: String,
    /// The position it was forked at, in its parent's log.
    pub fork: Position,
    /// Events it shares with main (the fork of its line of branches nearest the start).
    pub common: Position,
}

/// A playground off the page.
pub(super) struct Parked {
    /// `None` for main.
    pub(super) info: Option<BranchInfo>,
    pub(super) playground: Box<Playground>,
}

/// The session's branches.
#[derive(Default)]
pub(super) struct Branches {
    /// The page's branch (`None`: main).
    pub(super) current: Option<BranchInfo>,
    /// The others (main among them while a branch is on the page).
    pub(super) parked: Vec<Parked>,
    /// Every branch's name, in the order made (main not included).
    pub(super) order: Vec<String>,
    /// What is typed in "Branch name".
    name_input: String,
    /// Branches made so far (the next default name is "what-if <made + 1>").
    made: u32,
}

impl std::fmt::Debug for Branches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Branches")
            .field("current", &self.current)
            .field("order", &self.order)
            .finish_non_exhaustive()
    }
}

/// One line of the comparison: a label and its value in main and in the branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedRow {
    /// What the value is.
    pub label: String,
    /// In main ("—" when main has none).
    pub main: String,
    /// In the branch.
    pub branch: String,
}

impl ComparedRow {
    /// The two differ.
    pub fn differs(&self) -> bool {
        self.main != self.branch
    }
}

/// The Branch comparison region's view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonView {
    /// The branch compared with main.
    pub branch: BranchInfo,
    /// Events main has after the position they share.
    pub main_after: u64,
    /// Events the branch has after it.
    pub branch_after: u64,
    /// The aggregate selected on the page (its name), if any.
    pub aggregate: Option<String>,
    /// Its fields in both.
    pub state: Vec<ComparedRow>,
    /// Every read model's values in both.
    pub models: Vec<ComparedRow>,
}

/// The branch controls' view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchesView {
    /// "main", then every branch, in the order made.
    pub names: Vec<String>,
    /// The one on the page.
    pub selected: String,
    /// What is typed in "Branch name".
    pub name_input: String,
    /// The name "Branch here" gives when none is typed.
    pub default_name: String,
}

fn unseen() -> String {
    "—".to_owned()
}

/// Rows of two state views, field by field (and their tables' rows).
fn compare_states(main: &StateView, branch: &StateView) -> Vec<ComparedRow> {
    let mut rows: Vec<ComparedRow> = branch
        .fields
        .iter()
        .map(|f| ComparedRow {
            label: f.label.clone(),
            main: main
                .fields
                .iter()
                .find(|m| m.label == f.label)
                .map_or_else(unseen, |m| m.value.clone()),
            branch: f.value.clone(),
        })
        .collect();
    for m in &main.fields {
        if !branch.fields.iter().any(|f| f.label == m.label) {
            rows.push(ComparedRow {
                label: m.label.clone(),
                main: m.value.clone(),
                branch: unseen(),
            });
        }
    }
    let lines = |v: &StateView| -> Vec<String> {
        v.table
            .as_ref()
            .map(|t| t.rows.iter().map(|r| r.join(" · ")).collect())
            .unwrap_or_default()
    };
    let (main_lines, branch_lines) = (lines(main), lines(branch));
    for i in 0..main_lines.len().max(branch_lines.len()) {
        rows.push(ComparedRow {
            label: format!("Line {}", i + 1),
            main: main_lines.get(i).cloned().unwrap_or_else(unseen),
            branch: branch_lines.get(i).cloned().unwrap_or_else(unseen),
        });
    }
    rows
}

/// The values of a domain's read models as labelled lines.
fn model_lines(view: &ModelView) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = view
        .totals
        .iter()
        .map(|(label, value)| (format!("{} — {label}", view.heading), value.clone()))
        .collect();
    for list in &view.lists {
        lines.push((
            format!("{} — {}", view.heading, list.heading),
            list.items.join("; "),
        ));
    }
    lines
}

fn compare_models(main: &[ModelView], branch: &[ModelView]) -> Vec<ComparedRow> {
    let main: Vec<(String, String)> = main.iter().flat_map(model_lines).collect();
    let branch: Vec<(String, String)> = branch.iter().flat_map(model_lines).collect();
    let mut rows: Vec<ComparedRow> = branch
        .iter()
        .map(|(label, value)| ComparedRow {
            label: label.clone(),
            main: main
                .iter()
                .find(|(l, _)| l == label)
                .map_or_else(unseen, |(_, v)| v.clone()),
            branch: value.clone(),
        })
        .collect();
    for (label, value) in &main {
        if !branch.iter().any(|(l, _)| l == label) {
            rows.push(ComparedRow {
                label: label.clone(),
                main: value.clone(),
                branch: unseen(),
            });
        }
    }
    rows
}

impl Playground {
    pub(super) fn branch_action(&mut self, action: BranchAction) {
        match action {
            BranchAction::EditName(text) => {
                self.branches.name_input = text;
                self.alert = None;
            }
            BranchAction::Here => self.branch_here(),
            BranchAction::Select(name) => self.select_branch(&name),
        }
    }

    /// Why the page cannot change branch now.
    fn busy_for_branches(&self) -> Option<&'static str> {
        if self.generator.is_some() {
            Some("A generation run is in progress: stop it, or wait until it ends.")
        } else if self.import.is_some() || self.export.is_some() {
            Some("An export or an import is in progress: wait until it ends.")
        } else {
            None
        }
    }

    fn default_branch_name(&self) -> String {
        let mut n = self.branches.made + 1;
        loop {
            let name = format!("what-if {n}");
            if !self.branch_exists(&name) {
                return name;
            }
            n += 1;
        }
    }

    fn branch_exists(&self, name: &str) -> bool {
        name == MAIN || self.branches.order.iter().any(|n| n == name)
    }

    fn branch_here(&mut self) {
        if let Some(why) = self.busy_for_branches() {
            return self.refuse(why.to_owned());
        }
        let typed = self.branches.name_input.trim().to_owned();
        let name = if typed.is_empty() {
            self.default_branch_name()
        } else {
            typed
        };
        if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return self.refuse(format!(
                "“{}” cannot name a branch: a name has at most {MAX_NAME_CHARS} characters and no control characters.",
                shorten_to(&name, MAX_NAME_CHARS)
            ));
        }
        if self.branch_exists(&name) {
            return self.refuse(format!(
                "There is already a branch “{name}”: type another name in “Branch name”."
            ));
        }
        let at = self.position();
        let parent = self.branch_name().to_owned();
        let common = self
            .branches
            .current
            .as_ref()
            .map_or(at, |c| c.common.min(at));
        let number = self.branches.made + 1;
        let mut next = self.fork_at(at, u64::from(number));
        self.branches.made = number;
        self.branches.order.push(name.clone());
        self.branches.name_input.clear();
        let info = BranchInfo {
            name: name.clone(),
            parent: parent.clone(),
            fork: at,
            common,
        };
        next.status = None;
        self.park_and_show(Some(info), next);
        self.alert = None;
        self.status = Some(format!(
            "Branched “{name}” from {parent} at #{}: it shares {} with {parent} and takes commands of its own; {parent} is as it was.",
            group(at),
            count(at, "event")
        ));
    }

    fn select_branch(&mut self, name: &str) {
        if name == self.branch_name() {
            self.alert = None;
            return;
        }
        if let Some(why) = self.busy_for_branches() {
            return self.refuse(why.to_owned());
        }
        let Some(index) = self
            .branches
            .parked
            .iter()
            .position(|p| p.info.as_ref().map_or(MAIN, |i| i.name.as_str()) == name)
        else {
            return self.refuse(format!(
                "There is no branch “{}”.",
                shorten_to(name, MAX_NAME_CHARS)
            ));
        };
        let Parked { info, playground } = self.branches.parked.remove(index);
        self.park_and_show(info, playground);
        self.alert = None;
        self.status = Some(format!("Showing the branch “{name}”."));
    }

    /// Parks the playground on the page and shows `next` (of branch `info`, `None` for main) in its
    /// place; the session (journal, storage, branches) moves with the page. The aggregates selected
    /// stay selected.
    fn park_and_show(&mut self, info: Option<BranchInfo>, mut next: Box<Playground>) {
        let selections = self.selections();
        let mut branches = std::mem::take(&mut self.branches);
        let leaving = std::mem::replace(&mut branches.current, info);
        next.storage = std::mem::take(&mut self.storage);
        next.journal = std::mem::take(&mut self.journal);
        next.refusals = self.refusals;
        next.tab = self.tab;
        let mut revisions = self.revisions;
        revisions.bump_all();
        next.revisions = revisions;
        let previous = std::mem::replace(self, *next);
        branches.parked.push(Parked {
            info: leaving,
            playground: Box::new(previous),
        });
        self.branches = branches;
        for (domain, control, value) in selections {
            self.select_quietly(&domain, &control, &value);
        }
    }

    /// Chooses an option of a select without a message (an option this branch lacks is refused
    /// silently, and the select stays as it was).
    fn select_quietly(&mut self, domain: &str, control: &str, value: &str) {
        let (alert, status, refusals) = (self.alert.take(), self.status.take(), self.refusals);
        self.domain_input(
            domain,
            &FormInput::Edit {
                control: control.to_owned(),
                value: value.to_owned(),
            },
        );
        (self.alert, self.status, self.refusals) = (alert, status, refusals);
    }

    /// Each domain's selects (the selected aggregate): domain, control id, value.
    pub(super) fn selections(&self) -> Vec<(String, String, String)> {
        let mut selections = Vec::new();
        for module in self.modules.iter().filter(|m| m.has_tab()) {
            let form = module.form(&self.store);
            for control in form
                .sections
                .iter()
                .flat_map(|s| &s.rows)
                .flat_map(|r| &r.controls)
            {
                if let Control::Select(select) = control {
                    if !select.selected.is_empty() {
                        selections.push((
                            module.key().to_owned(),
                            select.id.clone(),
                            select.selected.clone(),
                        ));
                    }
                }
            }
        }
        selections
    }

    /// A new playground of this one's first `at` events, sharing them with this one's store; every
    /// domain observes them as after a reload, with this one's settings, deployed versions and
    /// keys, and ids reseeded from the fork (`salt` tells branches apart).
    pub(super) fn fork_at(&self, at: Position, salt: u64) -> Box<Playground> {
        let mut next = Box::new(self.made.fresh(Rc::clone(&self.clock)));
        next.store = self.store.fork(at, Rc::clone(&next.time));
        for setting in super::storage::kept_settings() {
            let action = match self.setting_value(setting) {
                super::SettingValue::Number(n) => setting.set_action(n.to_string()),
                super::SettingValue::Choice(code) => setting.set_action(code.to_owned()),
                super::SettingValue::Flag(on) => setting.toggle_action(on),
            };
            next.apply(action);
        }
        next.apply(Action::Stream(super::StreamAction::Replay));
        next.after_append(0, Origin::Restore);
        let mix = next.store.get(at).map_or(0, |e| {
            let (high, low) = e.event_id.as_u64_pair();
            high ^ low
        });
        let seed = next.made.seed ^ mix ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        next.ids = IdGenerator::seeded(seed ^ 0xB4A_4C11);
        next.keys.restore(self.keys.material(), seed);
        next.show_stored = self.show_stored;
        next.cursor = super::TimelineCursor::Live;
        next.alert = None;
        next.status = None;
        next
    }

    /// While a branch is on the page, main's `control` of `domain` takes the same `value` when it is
    /// a select (the aggregate the comparison shows).
    pub(super) fn follow_selection(&mut self, domain: &str, control: &str, value: &str) {
        if self.branches.current.is_none() {
            return;
        }
        let is_select = self
            .modules
            .iter()
            .find(|m| m.key() == domain)
            .is_some_and(|m| {
                m.form(&self.store)
                    .sections
                    .iter()
                    .flat_map(|s| &s.rows)
                    .flat_map(|r| &r.controls)
                    .any(|c| matches!(c, Control::Select(s) if s.id == control))
            });
        if !is_select {
            return;
        }
        if let Some(main) = self.branches.parked.iter_mut().find(|p| p.info.is_none()) {
            main.playground.select_quietly(domain, control, value);
        }
    }

    /// The name of the branch on the page.
    pub fn branch_name(&self) -> &str {
        self.branches
            .current
            .as_ref()
            .map_or(MAIN, |c| c.name.as_str())
    }

    /// The branch controls' view.
    pub fn branches_view(&self) -> BranchesView {
        let mut names = vec![MAIN.to_owned()];
        names.extend(self.branches.order.iter().cloned());
        BranchesView {
            names,
            selected: self.branch_name().to_owned(),
            name_input: self.branches.name_input.clone(),
            default_name: self.default_branch_name(),
        }
    }

    /// Main, wherever it is (on the page or parked).
    pub fn main_branch(&self) -> &Playground {
        if self.branches.current.is_none() {
            return self;
        }
        self.branches
            .parked
            .iter()
            .find(|p| p.info.is_none())
            .map_or(self, |p| &p.playground)
    }

    /// Main and the branch on the page side by side (`None` while main is on the page).
    pub fn branch_comparison(&self) -> Option<ComparisonView> {
        let branch = self.branches.current.clone()?;
        let main = self.main_branch();
        let key = self.modules.get(self.tab).map(|m| m.key())?;
        let here = self
            .modules
            .get(self.tab)
            .map(|m| m.state(&self.store, self.head()))?;
        let there = main
            .modules
            .iter()
            .find(|m| m.key() == key)
            .map(|m| m.state(&main.store, main.head()))?;
        let state = compare_states(&there, &here);
        let models = compare_models(
            &main.model_views(main.queries.models()),
            &self.model_views(self.queries.models()),
        );
        Some(ComparisonView {
            main_after: main.head().saturating_sub(branch.common),
            branch_after: self.head().saturating_sub(branch.common),
            aggregate: here.subject.clone(),
            branch,
            state,
            models,
        })
    }
}

impl Playground {
    /// Every branch as the browser keeps it, in the order made.
    pub(super) fn kept_branches(&self) -> Vec<crate::persist::KeptBranch> {
        let mut kept = Vec::new();
        for name in &self.branches.order {
            let found = match &self.branches.current {
                Some(info) if info.name == *name => Some((info, self)),
                _ => self.branches.parked.iter().find_map(|p| {
                    p.info
                        .as_ref()
                        .filter(|i| i.name == *name)
                        .map(|i| (i, p.playground.as_ref()))
                }),
            };
            let Some((info, branch)) = found else {
                continue;
            };
            let head = branch.head();
            kept.push(crate::persist::KeptBranch {
                name: info.name.clone(),
                parent: info.parent.clone(),
                fork: info.fork,
                common: info.common,
                rows: crate::persist::encode_rows(&branch.store, info.fork + 1, head),
                count: head.saturating_sub(info.fork),
                deployed: branch
                    .store
                    .schemas()
                    .evolving()
                    .into_iter()
                    .map(|(name, written, _)| (name.to_owned(), written))
                    .collect(),
                keys: branch.keys.material(),
            });
        }
        kept
    }

    /// Rebuilds the kept branches over this playground (main, just restored), each from its parent
    /// at its fork, its own events checked as a reload checks them; then shows `on_page`.
    pub(super) fn restore_branches(
        &mut self,
        kept: &[crate::persist::KeptBranch],
        schemas: &[crate::kernel::SchemaId],
        on_page: &str,
    ) -> Result<(), crate::persist::StorageError> {
        use crate::persist::{BatchReader, StorageError, StreamRef};
        let damaged = |what: String| StorageError::Corrupted { what };
        let mut restored: Vec<Parked> = Vec::new();
        let mut order: Vec<String> = Vec::new();
        for (i, k) in kept.iter().enumerate() {
            let name = shorten_to(&k.name, MAX_NAME_CHARS);
            if k.name.trim().is_empty()
                || k.name.chars().count() > MAX_NAME_CHARS
                || k.name.chars().any(char::is_control)
                || k.name == MAIN
                || order.contains(&k.name)
            {
                return Err(damaged(format!(
                    "a branch is named “{name}”, which no branch can be"
                )));
            }
            let parent: &Playground = if k.parent == MAIN {
                self
            } else {
                restored
                    .iter()
                    .find(|p| p.info.as_ref().is_some_and(|i| i.name == k.parent))
                    .map(|p| p.playground.as_ref())
                    .ok_or_else(|| {
                        damaged(format!(
                            "branch “{name}” comes from “{}”, which is not kept before it",
                            shorten_to(&k.parent, MAX_NAME_CHARS)
                        ))
                    })?
            };
            if k.fork > parent.head() || k.common > k.fork.min(parent.head()) {
                return Err(damaged(format!(
                    "branch “{name}” forks at #{} of a log of {}",
                    group(k.fork),
                    count(parent.head(), "event")
                )));
            }
            let salt = i as u64 + 1;
            let mut rebuild = super::rebuild::Rebuild::over(parent.fork_at(k.fork, salt));
            let mut streams: Vec<crate::kernel::StreamId> =
                rebuild.next.store.stream_ids().cloned().collect();
            let what = format!("branch “{name}”");
            let last = k.fork.checked_add(k.count).ok_or_else(|| {
                damaged(format!(
                    "branch “{name}” counts {} events of its own",
                    group(k.count)
                ))
            })?;
            let mut reader = BatchReader::rows(&k.rows, (k.fork + 1, last), what.clone());
            while let Some(mut row) = reader.next_row()? {
                let bad = |problem: String| {
                    damaged(format!(
                        "event {} of {what}: {problem}",
                        group(row.position)
                    ))
                };
                let stream = match row.stream {
                    StreamRef::New(stream) => {
                        streams.push(crate::kernel::StreamId::new(stream));
                        streams.len() - 1
                    }
                    StreamRef::Known(n) if (n as usize) < streams.len() => n as usize,
                    StreamRef::Known(n) => {
                        return Err(bad(format!(
                            "it names stream #{n}, which no event before it opened"
                        )))
                    }
                };
                row.event.schema = *schemas
                    .get(row.event.schema.index())
                    .ok_or_else(|| bad("its type is not in the table of types".to_owned()))?;
                if let Some(schema) = rebuild.next.store.schemas().get(row.event.schema) {
                    schema.check(row.event.data).map_err(bad)?;
                }
                let stream = streams[stream].clone();
                rebuild
                    .append(
                        &stream,
                        row.position,
                        row.stream_version,
                        std::slice::from_ref(&row.event),
                    )
                    .map_err(|(_, problem)| bad(problem))?;
            }
            rebuild.observe();
            let mut next = rebuild.next;
            next.settle(Some(k.keys.clone()), &k.deployed);
            // Ids drawn from the branch's own seed, so none repeats main's even when the branch
            // holds nothing of its own yet.
            let (high, low) = next.ids.next_uuid().as_u64_pair();
            next.ids = IdGenerator::seeded(high ^ low ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            order.push(k.name.clone());
            restored.push(Parked {
                info: Some(BranchInfo {
                    name: k.name.clone(),
                    parent: k.parent.clone(),
                    fork: k.fork,
                    common: k.common,
                }),
                playground: next,
            });
        }
        self.branches.made = order.len() as u32;
        self.branches.order = order;
        self.branches.parked = restored;
        if on_page != MAIN {
            let index = self
                .branches
                .parked
                .iter()
                .position(|p| p.info.as_ref().is_some_and(|i| i.name == on_page))
                .ok_or_else(|| {
                    damaged(format!(
                        "the page showed branch “{}”, which is not kept",
                        shorten_to(on_page, MAX_NAME_CHARS)
                    ))
                })?;
            let Parked { info, playground } = self.branches.parked.remove(index);
            self.park_and_show(info, playground);
        }
        Ok(())
    }
}
