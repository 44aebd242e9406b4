//! The stream processors' side of the playground: their consumer group (under the broker's faults),
//! their settings (a change redeploys them: they start again from the log's start and their topics
//! are rebuilt), the derived topic shown, and the topology as the Topology region draws it.

use super::settings::{Setting, SettingValue, DERIVED_TOPICS};
use crate::domain::bank::Money;
use crate::format::{count, group};
use crate::kernel::EventStore;
use crate::processors::{DerivedRecord, DerivedTopic, ProcessorSettings, Processors, CONSUMED};
use crate::sim::{BrokerModel, Pipeline, SimConfig};

/// The consumer group's name.
pub const GROUP: &str = "stream-processors";

/// One node of the topology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopologyNode {
    /// What it is: "topic" or "processor".
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// Its figures, one line each (records in and out, lag).
    pub lines: Vec<String>,
    /// Its column (0: the source topic, 1: processors, 2: derived topics) and row.
    pub column: usize,
    /// Its row within the column.
    pub row: usize,
}

/// The topology: nodes and the edges between them (by index into the nodes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopologyView {
    /// Source topic, processors, derived topics.
    pub nodes: Vec<TopologyNode>,
    /// From → to.
    pub edges: Vec<(usize, usize)>,
    /// One sentence for the image's accessible name.
    pub summary: String,
}

/// The processors' side.
#[derive(Debug, Clone)]
pub struct Processing {
    config: SimConfig,
    pipeline: Pipeline<Processors>,
    shown: DerivedTopic,
    /// The schema table's size when the subscription was computed.
    subscribed_schemas: usize,
    /// The customers' keys (the enrich processor opens emails; the records' names open when shown).
    keys: crate::privacy::Keys,
}

/// The processors consume the log whatever broker the read models are fed by, keeping all of it,
/// under the broker's faults and seed.
fn group_config(config: SimConfig) -> SimConfig {
    SimConfig {
        model: BrokerModel::Log,
        retention: 0,
        seed: config.seed ^ 0x5EED_5EED,
        ..config
    }
}

impl Processing {
    /// Processors with default settings, under the broker's `config`.
    pub fn new(config: SimConfig, keys: crate::privacy::Keys) -> Self {
        Self {
            pipeline: Pipeline::new(
                group_config(config),
                Processors::new(ProcessorSettings::default(), keys.clone()),
            ),
            config,
            shown: DerivedTopic::Enriched,
            subscribed_schemas: 0,
            keys,
        }
    }

    /// The shown topic's records `range`, each in a line (names opened, or "[forgotten]").
    pub fn shown_lines(
        &self,
        range: std::ops::Range<usize>,
    ) -> Vec<(crate::kernel::Position, String)> {
        let records = self.shown_records();
        let end = range.end.min(records.len());
        records
            .get(range.start.min(end)..end)
            .unwrap_or(&[])
            .iter()
            .map(|r| (r.source, r.describe(&self.keys)))
            .collect()
    }

    /// One tick of their consumer group.
    pub fn step_tick(&mut self, store: &EventStore) {
        let schemas = store.schemas();
        if schemas.len() != self.subscribed_schemas {
            let picks = schemas
                .iter()
                .map(|(_, s)| CONSUMED.contains(&s.name()))
                .collect();
            self.pipeline.projection_mut().subscribe(picks);
            self.subscribed_schemas = schemas.len();
        }
        self.pipeline.step(store);
    }

    /// The broker's settings changed.
    pub fn reconfigure(&mut self, config: SimConfig) {
        self.config = config;
        self.pipeline.reconfigure(group_config(config));
    }

    /// Their consumer group.
    pub fn pipeline(&self) -> &Pipeline<Processors> {
        &self.pipeline
    }

    /// The processors and their topics.
    pub fn processors(&self) -> &Processors {
        self.pipeline.projection()
    }

    /// The derived topic shown.
    pub fn shown(&self) -> DerivedTopic {
        self.shown
    }

    /// The records of the topic shown.
    pub fn shown_records(&self) -> &[DerivedRecord] {
        self.processors().topic(self.shown)
    }

    /// Nothing left for them to consume.
    pub fn is_drained(&self, store: &EventStore) -> bool {
        self.pipeline.is_drained(store)
    }

    /// What is in flight for them.
    pub fn backlog(&self, store: &EventStore) -> u64 {
        self.pipeline.backlog(store)
    }

    /// A setting of theirs changed (typed, or chosen); a processor setting redeploys them.
    pub fn set(&mut self, setting: Setting, text: &str) -> Result<Option<String>, String> {
        let def = setting.def();
        let mut settings = self.processors().settings();
        match setting {
            Setting::DerivedTopic => {
                self.shown = DerivedTopic::ALL[def.parse_choice(text)?];
                return Ok(None);
            }
            Setting::HighValue => {
                let units = def.parse_number(text)?;
                settings.high_value = Money::from_cents(units as i64 * 100);
            }
            Setting::SummaryEvery => settings.summary_every = def.parse_number(text)?,
            other => {
                return Err(format!(
                    "{} is not a setting of the stream processors.",
                    other.def().label
                ))
            }
        }
        if settings == self.processors().settings() {
            return Ok(None);
        }
        // The new processors subscribe at the next tick.
        self.subscribed_schemas = 0;
        self.pipeline.replay_with(
            group_config(self.config),
            Processors::new(settings, self.keys.clone()),
        );
        Ok(Some(format!(
            "{} is now {}: the stream processors start again from the log's start, and their topics are rebuilt.",
            def.label,
            match setting {
                Setting::HighValue => settings.high_value.to_string(),
                _ => count(settings.summary_every, "order"),
            }
        )))
    }

    /// A setting's value in force.
    pub fn value(&self, setting: Setting) -> SettingValue {
        let settings = self.processors().settings();
        match setting {
            Setting::DerivedTopic => SettingValue::Choice(
                DERIVED_TOPICS
                    .get(self.shown as usize)
                    .map_or("", |c| c.code),
            ),
            Setting::HighValue => {
                SettingValue::Number(u64::try_from(settings.high_value.cents() / 100).unwrap_or(0))
            }
            Setting::SummaryEvery => SettingValue::Number(settings.summary_every),
            other => SettingValue::Number(other.def().default),
        }
    }

    /// The topology with each node's figures: the source topic, the three processors (records in
    /// and out, the group's lag) and the derived topics (records).
    pub fn topology(&self, store: &EventStore) -> TopologyView {
        let p = self.processors();
        let lag = self.pipeline.lag() + self.pipeline.relay_lag(store);
        let published = self.pipeline.counters().delivered;
        let mut nodes = vec![TopologyNode {
            kind: "topic",
            name: "events".to_owned(),
            lines: vec![
                format!("{} in the log", count(store.head(), "event")),
                format!("{} to the processors", group(published)),
            ],
            column: 0,
            row: 1,
        }];
        let mut edges = Vec::new();
        for (row, topic) in DerivedTopic::ALL.into_iter().enumerate() {
            let t = p.throughput(topic);
            let processor = nodes.len();
            nodes.push(TopologyNode {
                kind: "processor",
                name: topic.processor().to_owned(),
                lines: vec![
                    format!("in {} · out {}", group(t.records_in), group(t.records_out)),
                    format!("lag {}", group(lag)),
                ],
                column: 1,
                row,
            });
            let derived = nodes.len();
            nodes.push(TopologyNode {
                kind: "topic",
                name: topic.name().to_owned(),
                lines: vec![count(p.topic(topic).len() as u64, "record")],
                column: 2,
                row,
            });
            edges.push((0, processor));
            edges.push((processor, derived));
        }
        let summary = format!(
            "Topology: the events topic feeds Enrich, Filter and Aggregate (lag {}), which publish {} to order-enriched, {} to high-value-orders and {} to customer-activity.",
            group(lag),
            count(p.topic(DerivedTopic::Enriched).len() as u64, "record"),
            count(p.topic(DerivedTopic::HighValue).len() as u64, "record"),
            count(p.topic(DerivedTopic::Activity).len() as u64, "record"),
        );
        TopologyView {
            nodes,
            edges,
            summary,
        }
    }
}
