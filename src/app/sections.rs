//! The page's sections: what the "Sections" navigation lists, the address of each (its fragment),
//! its keyboard shortcut, and which panels it shows. Pure, so the UI only draws it.

/// One section of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Section {
    /// The domains' commands, the generator, export and import, the log and the inspector.
    #[default]
    EventStore,
    /// The query side.
    Queries,
    /// Two clerks racing on one account.
    Concurrency,
    /// The broker's pipeline feeding the online read models, and the batch.
    OnlineVsBatch,
    /// Stream processors, metrics and alerts.
    Messaging,
    /// The fulfilment saga.
    Sagas,
    /// Schema versions, upcasters, crypto-shredding.
    SchemaEvolution,
    /// What-if branches.
    Branches,
    /// The guided lessons.
    Lessons,
}

/// A panel of the page, as sections share them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The "Domains" tab list with the selected domain's commands and state.
    Domains,
    /// The load generator.
    Generator,
    /// Keep and share: export, import, share links, reset.
    Transfer,
    /// What-if branches.
    Branches,
    /// The event log.
    EventLog,
    /// The envelope of the picked event.
    Inspector,
    /// The query side.
    Queries,
    /// Online vs batch.
    Streaming,
    /// The stream processors' topology.
    Topology,
    /// Metrics and alerts.
    Metrics,
    /// The Sagas region.
    Sagas,
    /// The Schema versions region.
    Schemas,
    /// The Lessons region.
    Lessons,
}

impl Panel {
    /// The addresses of the sections that show it, space-separated (the page marks each panel's
    /// slot with them).
    pub fn sections(self) -> String {
        Section::ALL
            .into_iter()
            .filter(|s| s.shows(self))
            .map(Section::slug)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Section {
    /// Every section, in the navigation's order.
    pub const ALL: [Section; 9] = [
        Section::EventStore,
        Section::Queries,
        Section::Concurrency,
        Section::OnlineVsBatch,
        Section::Messaging,
        Section::Sagas,
        Section::SchemaEvolution,
        Section::Branches,
        Section::Lessons,
    ];

    /// Its name in the navigation and its heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::EventStore => "Event store",
            Self::Queries => "Queries",
            Self::Concurrency => "Concurrency",
            Self::OnlineVsBatch => "Online vs batch",
            Self::Messaging => "Messaging",
            Self::Sagas => "Sagas",
            Self::SchemaEvolution => "Schema evolution",
            Self::Branches => "Branches",
            Self::Lessons => "Lessons",
        }
    }

    /// Its address: the page's fragment (`#queries`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::EventStore => "event-store",
            Self::Queries => "queries",
            Self::Concurrency => "concurrency",
            Self::OnlineVsBatch => "online-vs-batch",
            Self::Messaging => "messaging",
            Self::Sagas => "sagas",
            Self::SchemaEvolution => "schema-evolution",
            Self::Branches => "branches",
            Self::Lessons => "lessons",
        }
    }

    /// The key that opens it (shown in the shortcut list).
    pub fn shortcut(self) -> char {
        match self {
            Self::EventStore => 'e',
            Self::Queries => 'q',
            Self::Concurrency => 'c',
            Self::OnlineVsBatch => 'o',
            Self::Messaging => 'm',
            Self::Sagas => 's',
            Self::SchemaEvolution => 'v',
            Self::Branches => 'b',
            Self::Lessons => 'l',
        }
    }

    /// One sentence under its heading: what the section is for.
    pub fn summary(self) -> &'static str {
        match self {
            Self::EventStore => "Issue commands to the domains, watch their events append to one log, and pick any event to see its whole envelope.",
            Self::Queries => "The read side: queries answered from read models that trail the log by a lag you choose.",
            Self::Concurrency => "Two clerks load the same account and write on what they loaded: expected versions turn a lost update into a conflict.",
            Self::OnlineVsBatch => "The same read models fed through a simulated broker with faults, and folded in one batch from the log, with the reason for every difference.",
            Self::Messaging => "Stream processors reading the broker's topic, and the metrics and alerts of every consumer group.",
            Self::Sagas => "An order's fulfilment across inventory, payments and shipping, orchestrated or choreographed, with compensation and the causation graph.",
            Self::SchemaEvolution => "Event types in several versions: deploy the next, and read old events through upcasters.",
            Self::Branches => "Fork the log at the timeline and try another future, then compare it with main.",
            Self::Lessons => "Guided lessons: each step is checked from what the playground does.",
        }
    }

    /// The section at an address (`queries` or `#queries`), if any.
    pub fn from_fragment(fragment: &str) -> Option<Section> {
        let slug = fragment.strip_prefix('#').unwrap_or(fragment);
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The section a key opens, if any (either case).
    pub fn for_key(key: &str) -> Option<Section> {
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return None;
        };
        let c = c.to_ascii_lowercase();
        Self::ALL.into_iter().find(|s| s.shortcut() == c)
    }

    /// Whether it shows `panel`.
    pub fn shows(self, panel: Panel) -> bool {
        use Panel as P;
        match self {
            Self::EventStore => matches!(
                panel,
                P::Domains | P::Generator | P::Transfer | P::EventLog | P::Inspector
            ),
            Self::Queries => matches!(panel, P::Queries),
            Self::Concurrency => matches!(panel, P::Domains | P::EventLog),
            Self::OnlineVsBatch => matches!(panel, P::Streaming),
            Self::Messaging => matches!(panel, P::Topology | P::Metrics),
            Self::Sagas => matches!(panel, P::Sagas | P::Inspector),
            Self::SchemaEvolution => matches!(panel, P::Schemas | P::EventLog | P::Inspector),
            Self::Branches => matches!(panel, P::Domains | P::Branches | P::EventLog),
            Self::Lessons => matches!(panel, P::Lessons),
        }
    }

    /// The domain tab the section wants selected when it opens (the clerks are the bank's).
    pub fn domain_tab(self) -> Option<&'static str> {
        match self {
            Self::Concurrency => Some(crate::domain::bank::KEY),
            _ => None,
        }
    }
}

/// The page's looks, chosen in "Theme".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Dark ink on light panels.
    #[default]
    Light,
    /// Light ink on dark panels.
    Dark,
    /// Large type and strong contrast, for a projector at 1280×720.
    Projector,
}

impl Theme {
    /// Every theme, in the select's order.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Projector];

    /// Its option's value (and the page's `data-theme`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Projector => "projector",
        }
    }

    /// Its option's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Light => "Light",
            Self::Dark => "Dark",
            Self::Projector => "Projector",
        }
    }

    /// The theme of an option's value (or a kept one); `None` for anything else.
    pub fn from_code(code: &str) -> Option<Theme> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}
