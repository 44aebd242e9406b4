//! View models: plain data that describes what a panel shows, produced by the core (domains and the
//! app) and drawn by the UI without any knowledge of where it came from.
//!
//! A domain describes its command panel as a [`FormView`] (text fields, selects, buttons, outputs,
//! alerts), its state as a [`StateView`], its read models as [`ModelView`]s and its query answers as
//! [`TableView`]s. The UI renders these generically, which is what lets a new domain — even one
//! defined outside this crate — appear with its own controls without a line of UI code. Every label is
//! the control's accessible name.

/// A command panel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormView {
    /// Its sections, top to bottom.
    pub sections: Vec<Section>,
}

/// A group of rows under an optional heading.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// The heading; when [`Self::region`] is set it also names the section's region.
    pub heading: Option<String>,
    /// Whether the section is a landmark region named by its heading.
    pub region: bool,
    /// A sentence explaining the section, shown under the heading.
    pub intro: Option<String>,
    /// The rows of controls.
    pub rows: Vec<Row>,
    /// A table shown below the rows (e.g. a catalogue).
    pub table: Option<TableView>,
    /// Small print shown last.
    pub hint: Option<String>,
}

/// One line of controls. With `submit`, pressing Enter in a text field presses that button.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// The controls, left to right.
    pub controls: Vec<Control>,
    /// The id of the button Enter presses.
    pub submit: Option<String>,
}

impl Row {
    /// A row of `controls`.
    pub fn of(controls: Vec<Control>) -> Self {
        Self {
            controls,
            submit: None,
        }
    }

    /// A row whose Enter key presses `button`.
    pub fn submitting(button: &str, controls: Vec<Control>) -> Self {
        Self {
            controls,
            submit: Some(button.to_owned()),
        }
    }
}

/// A control of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// A text field.
    Text(TextField),
    /// A drop-down list.
    Select(SelectField),
    /// A button.
    Button(ButtonView),
    /// A line of text that reports something (e.g. what a clerk loaded).
    Output(String),
    /// A message that needs attention (an alert), optionally with a button that acts on it.
    Alert {
        /// The message.
        text: String,
        /// A button shown with it.
        button: Option<ButtonView>,
    },
}

/// A labelled text field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextField {
    /// The control id (unique within its domain).
    pub id: String,
    /// The visible label, which is the accessible name.
    pub label: String,
    /// The text typed so far.
    pub value: String,
    /// Example input shown while empty.
    pub placeholder: String,
    /// What is accepted, shown under the field and linked to it.
    pub hint: Option<String>,
    /// Numbers are expected (a numeric keyboard on touch devices).
    pub numeric: bool,
    /// A narrow field.
    pub narrow: bool,
}

impl TextField {
    /// A text field `id` labelled `label` holding `value`.
    pub fn new(id: &str, label: &str, value: &str) -> Self {
        Self {
            id: id.to_owned(),
            label: label.to_owned(),
            value: value.to_owned(),
            ..Self::default()
        }
    }

    /// With a placeholder.
    pub fn placeholder(mut self, text: &str) -> Self {
        self.placeholder = text.to_owned();
        self
    }

    /// With a hint saying what is accepted.
    pub fn hint(mut self, text: &str) -> Self {
        self.hint = Some(text.to_owned());
        self
    }

    /// Expecting a number, in a narrow field.
    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self.narrow = true;
        self
    }
}

/// A labelled drop-down list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SelectField {
    /// The control id.
    pub id: String,
    /// The visible label, which is the accessible name.
    pub label: String,
    /// The choices.
    pub options: Vec<SelectOption>,
    /// The value of the chosen option (empty when none).
    pub selected: String,
    /// Shown (disabled) when there are no options, e.g. "No accounts yet: open one above".
    pub empty: String,
}

/// One choice of a [`SelectField`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOption {
    /// What the select's value becomes.
    pub value: String,
    /// What the user reads.
    pub label: String,
}

impl SelectOption {
    /// An option.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A button.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ButtonView {
    /// The control id, sent when pressed.
    pub id: String,
    /// The visible text, which is the accessible name.
    pub label: String,
    /// Drawn as a secondary (outlined) button.
    pub secondary: bool,
    /// Not pressable.
    pub disabled: bool,
}

impl ButtonView {
    /// A primary button.
    pub fn new(id: &str, label: &str) -> Self {
        Self {
            id: id.to_owned(),
            label: label.to_owned(),
            ..Self::default()
        }
    }

    /// A secondary button.
    pub fn secondary(id: &str, label: &str) -> Self {
        Self {
            secondary: true,
            ..Self::new(id, label)
        }
    }
}

/// A table with a name (its caption) and text cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableView {
    /// The caption, which is the accessible name.
    pub name: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows of cells, as many as there are columns.
    pub rows: Vec<Vec<String>>,
}

impl TableView {
    /// A table named `name` with these columns and no rows yet.
    pub fn new(name: &str, columns: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(mut self, cells: Vec<String>) -> Self {
        self.rows.push(cells);
        self
    }
}

/// How a shown state was rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuilt {
    /// From a snapshot at `version` plus `events` replayed.
    FromSnapshot {
        /// The snapshot's stream version.
        version: u64,
        /// Events replayed on top.
        events: u64,
    },
    /// By replaying `events` from the start.
    Replayed {
        /// Events replayed.
        events: u64,
    },
}

impl Rebuilt {
    /// How `at` was rebuilt.
    pub fn from_state<A>(at: &crate::kernel::StateAt<A>) -> Self {
        match at.snapshot_version {
            Some(version) => Self::FromSnapshot {
                version,
                events: at.replayed,
            },
            None => Self::Replayed {
                events: at.replayed,
            },
        }
    }

    /// "rebuilt from snapshot v200 + 37 events" or "replayed 37 events".
    pub fn describe(self) -> String {
        use crate::format::count;
        match self {
            Self::FromSnapshot { version, events } => {
                format!(
                    "rebuilt from snapshot v{version} + {}",
                    count(events, "event")
                )
            }
            Self::Replayed { events } => format!("replayed {}", count(events, "event")),
        }
    }
}

/// One field of a state view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateField {
    /// The field's name.
    pub label: String,
    /// Its value as shown.
    pub value: String,
    /// Changed by the event at the timeline position.
    pub changed: bool,
}

/// An aggregate's state as of the timeline position (e.g. the "Account state" region).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StateView {
    /// The region's name, e.g. "Account state".
    pub region: String,
    /// The stream shown, e.g. "account-1" (`None` when nothing is selected).
    pub subject: Option<String>,
    /// The fields.
    pub fields: Vec<StateField>,
    /// A table of the state's parts (e.g. an order's lines).
    pub table: Option<TableView>,
    /// How it was rebuilt (`None` when the stream had no events yet at the position).
    pub rebuilt: Option<Rebuilt>,
    /// What to say when nothing is selected.
    pub empty: String,
}

impl StateView {
    /// A view of `subject` whose fields are `now`, each marked changed where it differs from `before`
    /// (the state one event earlier; `None` at position 0, where nothing is marked).
    pub fn compare(
        region: &str,
        subject: &str,
        now: Vec<(&str, String)>,
        before: Option<Vec<(&str, String)>>,
    ) -> Self {
        let fields = now
            .into_iter()
            .enumerate()
            .map(|(i, (label, value))| {
                let changed = before
                    .as_ref()
                    .and_then(|b| b.get(i))
                    .is_some_and(|(_, old)| *old != value);
                StateField {
                    label: label.to_owned(),
                    value,
                    changed,
                }
            })
            .collect();
        Self {
            region: region.to_owned(),
            subject: Some(subject.to_owned()),
            fields,
            ..Self::default()
        }
    }

    /// A view that says nothing is selected.
    pub fn nothing(region: &str, empty: &str) -> Self {
        Self {
            region: region.to_owned(),
            empty: empty.to_owned(),
            ..Self::default()
        }
    }
}

/// A list in a read model's view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListView {
    /// The heading above it.
    pub heading: String,
    /// A hint under the heading (e.g. the watermark).
    pub hint: Option<String>,
    /// The items.
    pub items: Vec<String>,
    /// What to say when there are none.
    pub empty: String,
    /// Numbered (an ordered list) rather than bulleted.
    pub ordered: bool,
}

/// A domain's read models as the online and batch panels show them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelView {
    /// The domain's name.
    pub heading: String,
    /// Named values.
    pub totals: Vec<(String, String)>,
    /// Lists.
    pub lists: Vec<ListView>,
}

/// A query a domain answers from its read models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryDef {
    /// Its code (the "Query" select's value).
    pub id: &'static str,
    /// Its name.
    pub label: &'static str,
    /// What the parameter is, shown as the parameter's hint.
    pub parameter: &'static str,
    /// An example parameter, shown as the placeholder.
    pub example: &'static str,
}

/// What a query answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryAnswer {
    /// The rows found.
    Table(TableView),
    /// Nothing matched; the sentence says what was looked for.
    NotFound(String),
}
