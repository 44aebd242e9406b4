//! "Copy as test": the selected aggregate's last command (in Event store) or the selected saga's
//! last decision of its process manager (in Sagas), as of the timeline, written as a given / when /
//! then test ([`crate::testgen`]); the page shows it under the button and copies it to the
//! clipboard. Not journaled: it changes nothing a later action depends on.

use super::Playground;
use crate::kernel::{Position, StreamId};
use crate::testgen::{process_case, Case, GeneratedTest};

/// What a "Copy as test" button copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TestTarget {
    /// The selected domain's selected aggregate (its state region, in Event store).
    Aggregate,
    /// The selected saga's process manager (in Sagas).
    ProcessManager,
}

impl TestTarget {
    /// Its code in the page's element ids.
    pub fn code(self) -> &'static str {
        match self {
            Self::Aggregate => "aggregate",
            Self::ProcessManager => "process-manager",
        }
    }

    /// What its button does, in a line beside it.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Aggregate => "The last command of this aggregate as of the timeline, as a given/when/then test in Rust.",
            Self::ProcessManager => "This process manager's last decision as of the timeline, as a given/when/then test in Rust.",
        }
    }
}

/// What the "Copy as test" buttons do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyTestAction {
    /// "Copy as test": write the test (the page then copies it to the clipboard).
    Copy(TestTarget),
    /// What the browser answered when asked to copy it: `None` when it was copied, else why not.
    Copied(TestTarget, Option<String>),
    /// "Hide test": take the written test off the page.
    Hide(TestTarget),
}

impl CopyTestAction {
    /// The button it is about.
    pub fn target(&self) -> TestTarget {
        match self {
            Self::Copy(target) | Self::Copied(target, _) | Self::Hide(target) => *target,
        }
    }
}

/// A test "Copy as test" wrote, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTest {
    /// The test.
    pub test: GeneratedTest,
    /// What the clipboard did: `None` while the browser has not answered.
    pub clipboard: Option<Result<(), String>>,
}

impl CopiedTest {
    /// The line under the button: what was copied, and what to do with it.
    pub fn note(&self) -> String {
        let file = format!("tests/{}.rs", self.test.name);
        match &self.clipboard {
            None => format!("Wrote {}; copying it to the clipboard…", self.test.summary),
            Some(Ok(())) => format!(
                "Copied {} to the clipboard: paste it into {file} and run cargo test.",
                self.test.summary
            ),
            Some(Err(why)) => format!(
                "Wrote {}, but the browser did not copy it ({why}): select the code below, copy it into {file} and run cargo test.",
                self.test.summary
            ),
        }
    }
}

/// The tests written so far, one per button (by [`TestTarget`]).
#[derive(Debug, Clone, Default)]
pub(super) struct CopiedTests([Option<CopiedTest>; 2]);

impl CopiedTests {
    fn slot(&mut self, target: TestTarget) -> &mut Option<CopiedTest> {
        &mut self.0[target as usize]
    }
}

impl Playground {
    pub(super) fn copy_test_action(&mut self, action: CopyTestAction) {
        match action {
            CopyTestAction::Copy(target) => match self.test_case(target) {
                Ok(case) => {
                    self.alert = None;
                    *self.copied.slot(target) = Some(CopiedTest {
                        test: case.render(),
                        clipboard: None,
                    });
                }
                Err(message) => self.refuse(message),
            },
            CopyTestAction::Copied(target, refused) => {
                if let Some(copied) = self.copied.slot(target) {
                    copied.clipboard = Some(refused.map_or(Ok(()), Err));
                }
            }
            CopyTestAction::Hide(target) => *self.copied.slot(target) = None,
        }
    }

    /// The test the `target` button wrote last, if it is still shown.
    pub fn copied_test(&self, target: TestTarget) -> Option<&CopiedTest> {
        self.copied.0[target as usize].as_ref()
    }

    /// What "Copy as test" copies for `target` as of the timeline: the selected aggregate's last
    /// command, or the selected saga's process manager's last decision. `Err` says why there is
    /// none.
    pub fn test_case(&self, target: TestTarget) -> Result<Box<dyn Case>, String> {
        let position = self.position();
        match target {
            TestTarget::Aggregate => {
                let module = self
                    .modules
                    .get(self.tab)
                    .ok_or("There is no domain to copy a test of.")?;
                module
                    .copy_as_test(&self.store, None, position)
                    .unwrap_or_else(|| {
                        Err(format!(
                            "The {} domain has no aggregate to copy a test of.",
                            module.title()
                        ))
                    })
            }
            TestTarget::ProcessManager => {
                let saga = self.selected_saga().ok_or(
                    "Select a saga in Saga instances first: its process manager's last decision is copied.",
                )?;
                process_case(&self.sagas, &self.store, saga, position)
                    .map(|case| Box::new(case) as Box<dyn Case>)
            }
        }
    }

    /// The last command of any aggregate's `stream` as of `position`, as a test case (through the
    /// domain that owns the stream's category).
    pub fn test_case_of(
        &self,
        stream: &StreamId,
        position: Position,
    ) -> Result<Box<dyn Case>, String> {
        self.domain_of_category(stream.category())
            .and_then(|i| self.modules.get(i))
            .and_then(|m| m.copy_as_test(&self.store, Some(stream), position))
            .unwrap_or_else(|| Err(format!("No domain writes tests of {stream}.")))
    }
}
