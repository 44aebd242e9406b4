//! Settings as data: one table per settings group, each setting with its label, the values it
//! accepts, its default and its hint. Validation and the UI both read the table, so a range or a
//! choice is written down once.

use crate::format::{group, parse_whole, shorten};

/// A choice of a select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The select's value.
    pub code: &'static str,
    /// What the user reads.
    pub label: &'static str,
}

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number from `min` to `max`.
    Number {
        /// The least accepted.
        min: u64,
        /// The most accepted.
        max: u64,
        /// Said after the range in messages, e.g. " ticks".
        unit: &'static str,
    },
    /// One of these.
    Choice(&'static [Choice]),
    /// One of the read models' chart series (known only at run time).
    Series,
    /// On or off.
    Flag,
}

/// One setting's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingDef {
    /// The element id.
    pub id: &'static str,
    /// The label, which is the control's accessible name.
    pub label: &'static str,
    /// What it accepts.
    pub kind: Kind,
    /// The default: the number, the index of the choice, or 0/1 for a flag.
    pub default: u64,
    /// What the hint under the control says.
    pub hint: &'static str,
    /// Takes effect only at the next "Replay from start".
    pub at_replay: bool,
}

impl SettingDef {
    /// Parses a typed number for this setting, or says what is accepted.
    pub fn parse_number(&self, text: &str) -> Result<u64, String> {
        let Kind::Number { min, max, unit } = self.kind else {
            return Err(format!("{} is not a number setting.", self.label));
        };
        match parse_whole(text) {
            Some(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(format!(
                "{} must be a whole number from {} to {}{unit}; “{}” is not.",
                self.label,
                group(min),
                group(max),
                shorten(text)
            )),
        }
    }

    /// Parses a select's value for this setting into the index of its choice.
    pub fn parse_choice(&self, text: &str) -> Result<usize, String> {
        let Kind::Choice(choices) = self.kind else {
            return Err(format!("{} is not a choice setting.", self.label));
        };
        let wanted = text.trim();
        choices
            .iter()
            .position(|c| c.code == wanted)
            .ok_or_else(|| {
                let accepted: Vec<&str> = choices.iter().map(|c| c.code).collect();
                format!(
                    "{} must be one of {}, not “{}”.",
                    self.label,
                    accepted.join(", "),
                    shorten(wanted)
                )
            })
    }

    /// The choices of a choice setting (empty otherwise).
    pub fn choices(&self) -> &'static [Choice] {
        match self.kind {
            Kind::Choice(choices) => choices,
            _ => &[],
        }
    }
}

/// Every setting of the online-vs-batch side, the generator and the query side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// "Broker model": log or queue.
    BrokerModel,
    /// "Visibility timeout" (queue model), in ticks.
    VisibilityTimeout,
    /// "Partitions" (applies at replay).
    Partitions,
    /// "Consumers".
    Consumers,
    /// "Assignment": range or round-robin.
    Assignment,
    /// "Batch size": records per poll.
    BatchSize,
    /// "Max in flight": records a consumer holds before it stops polling.
    MaxInFlight,
    /// "Topic retention": records each partition keeps.
    Retention,
    /// "Pause relay above lag": backpressure on the outbox relay.
    PauseRelay,
    /// "Delay" in ticks.
    Delay,
    /// "Reorder window" in ticks.
    ReorderWindow,
    /// "Broken producer" checkbox.
    BrokenProducer,
    /// "Duplicate rate" (%).
    DuplicateRate,
    /// "Failure rate" (%).
    FailureRate,
    /// "Retries".
    Retries,
    /// "Failure mode": random, poison events, or an outage.
    FailureMode,
    /// "Outage ticks": how long an outage lasts.
    OutageTicks,
    /// "Order-preserving dead-letter queue" checkbox.
    OrderedDlq,
    /// "Crash rate" (%).
    CrashRate,
    /// "Commit policy": after or before processing.
    CommitPolicy,
    /// "Idempotent consumer" checkbox.
    Idempotent,
    /// "Remember": what the idempotent consumer remembers.
    IdempotencyKey,
    /// "Seed" (applies at replay).
    Seed,
    /// "Window size" in hours (applies at replay).
    WindowHours,
    /// "Allowed lateness" in hours (applies at replay).
    LatenessHours,
    /// "Late events": count or drop (applies at replay).
    LatePolicy,
    /// "Batch every" ticks.
    BatchEvery,
    /// "Speed" in ticks per second.
    Speed,
    /// "Chart value": one of the read models' series.
    ChartValue,
    /// "Events to generate".
    GenerateCount,
    /// "Late share" (%).
    LateShare,
    /// "Read model lag" (events).
    ReadModelLag,
    /// "Saga style": orchestration or choreography.
    SagaStyle,
    /// "Payment decline rate" (%).
    DeclineRate,
    /// "Shipping delay" in ticks.
    ShippingDelay,
    /// "Saga timeout" in ticks.
    SagaTimeout,
    /// "Idempotent handlers" checkbox.
    IdempotentHandlers,
    /// "High-value threshold" (whole units of money).
    HighValue,
    /// "Summary every" (orders).
    SummaryEvery,
    /// "Derived topic": the derived topic shown.
    DerivedTopic,
    /// "Lag alert above" (records).
    LagAlert,
    /// "Error rate alert above" (%).
    ErrorAlert,
    /// "Growth alert above" (events per 100 ticks).
    GrowthAlert,
}

impl Setting {
    /// Every setting, in the order of the enum (a share link names each by its control id).
    pub const ALL: [Setting; 43] = [
        Setting::BrokerModel,
        Setting::VisibilityTimeout,
        Setting::Partitions,
        Setting::Consumers,
        Setting::Assignment,
        Setting::BatchSize,
        Setting::MaxInFlight,
        Setting::Retention,
        Setting::PauseRelay,
        Setting::Delay,
        Setting::ReorderWindow,
        Setting::BrokenProducer,
        Setting::DuplicateRate,
        Setting::FailureRate,
        Setting::Retries,
        Setting::FailureMode,
        Setting::OutageTicks,
        Setting::OrderedDlq,
        Setting::CrashRate,
        Setting::CommitPolicy,
        Setting::Idempotent,
        Setting::IdempotencyKey,
        Setting::Seed,
        Setting::WindowHours,
        Setting::LatenessHours,
        Setting::LatePolicy,
        Setting::BatchEvery,
        Setting::Speed,
        Setting::ChartValue,
        Setting::GenerateCount,
        Setting::LateShare,
        Setting::ReadModelLag,
        Setting::SagaStyle,
        Setting::DeclineRate,
        Setting::ShippingDelay,
        Setting::SagaTimeout,
        Setting::IdempotentHandlers,
        Setting::HighValue,
        Setting::SummaryEvery,
        Setting::DerivedTopic,
        Setting::LagAlert,
        Setting::ErrorAlert,
        Setting::GrowthAlert,
    ];
}

const fn number(
    id: &'static str,
    label: &'static str,
    (min, max, default): (u64, u64, u64),
    unit: &'static str,
    hint: &'static str,
) -> SettingDef {
    SettingDef {
        id,
        label,
        kind: Kind::Number { min, max, unit },
        default,
        hint,
        at_replay: false,
    }
}

const fn at_replay(def: SettingDef) -> SettingDef {
    SettingDef {
        at_replay: true,
        ..def
    }
}

const fn choice(
    id: &'static str,
    label: &'static str,
    choices: &'static [Choice],
    hint: &'static str,
) -> SettingDef {
    SettingDef {
        id,
        label,
        kind: Kind::Choice(choices),
        default: 0,
        hint,
        at_replay: false,
    }
}

const fn flag(id: &'static str, label: &'static str, hint: &'static str) -> SettingDef {
    SettingDef {
        id,
        label,
        kind: Kind::Flag,
        default: 0,
        hint,
        at_replay: false,
    }
}

const PERCENT: &str = " (percent)";

/// Assignment strategies, in the order of [`crate::sim::Assignment`]'s variants.
pub const ASSIGNMENTS: &[Choice] = &[
    Choice {
        code: "range",
        label: "Range",
    },
    Choice {
        code: "round-robin",
        label: "Round-robin",
    },
];

/// Commit policies.
pub const COMMIT_POLICIES: &[Choice] = &[
    Choice {
        code: "after",
        label: "After processing (at-least-once)",
    },
    Choice {
        code: "before",
        label: "Before processing (at-most-once)",
    },
];

/// What the idempotent consumer remembers.
pub const IDEMPOTENCY_KEYS: &[Choice] = &[
    Choice {
        code: "event-id",
        label: "Every applied event id",
    },
    Choice {
        code: "stream-version",
        label: "Last version per stream",
    },
];

/// Saga styles, in the order of [`crate::process::SagaStyle`]'s variants.
pub const SAGA_STYLES: &[Choice] = &[
    Choice {
        code: "orchestration",
        label: "Orchestration",
    },
    Choice {
        code: "choreography",
        label: "Choreography",
    },
];

/// Broker models, in the order of [`crate::sim::BrokerModel`]'s variants.
pub const BROKER_MODELS: &[Choice] = &[
    Choice {
        code: "log",
        label: "Log (Kafka)",
    },
    Choice {
        code: "queue",
        label: "Queue (RabbitMQ)",
    },
];

/// Derived topics, in the order of [`crate::processors::DerivedTopic::ALL`].
pub const DERIVED_TOPICS: &[Choice] = &[
    Choice {
        code: "order-enriched",
        label: "order-enriched",
    },
    Choice {
        code: "high-value-orders",
        label: "high-value-orders",
    },
    Choice {
        code: "customer-activity",
        label: "customer-activity",
    },
];

/// Failure modes, in the order of [`crate::sim::FailureMode`]'s variants.
pub const FAILURE_MODES: &[Choice] = &[
    Choice {
        code: "random",
        label: "Random",
    },
    Choice {
        code: "poison",
        label: "Poison events",
    },
    Choice {
        code: "outage",
        label: "Outage for N ticks",
    },
];

/// Late policies.
pub const LATE_POLICIES: &[Choice] = &[
    Choice {
        code: "count",
        label: "Count separately",
    },
    Choice {
        code: "drop",
        label: "Drop",
    },
];

impl Setting {
    /// The setting's description.
    pub fn def(self) -> &'static SettingDef {
        const PARTITIONS: SettingDef = at_replay(number(
            "partitions",
            "Partitions",
            (1, 16, 3),
            "",
            "1–16; keyed by stream; applies at replay",
        ));
        const MODEL: SettingDef = choice(
            "broker-model",
            "Broker model",
            BROKER_MODELS,
            "for the read models' group; switching starts a new broker from the log's start",
        );
        const VISIBILITY: SettingDef = number(
            "visibility-timeout",
            "Visibility timeout",
            (1, 1_000, 5),
            " ticks",
            "queue: ticks until a crashed consumer's messages are delivered again",
        );
        const CONSUMERS: SettingDef =
            number("consumers", "Consumers", (1, 8, 1), "", "1–8 in the group");
        const ASSIGNMENT: SettingDef = choice(
            "assignment",
            "Assignment",
            ASSIGNMENTS,
            "how partitions are shared",
        );
        const BATCH_SIZE: SettingDef = number(
            "batch-size",
            "Batch size",
            (1, 10_000, 50),
            " records",
            "records a consumer processes per tick",
        );
        const MAX_IN_FLIGHT: SettingDef = number(
            "max-in-flight",
            "Max in flight",
            (0, 100_000, 0),
            " records",
            "records a consumer holds before it stops polling; 0 = one batch",
        );
        const RETENTION: SettingDef = number(
            "retention",
            "Topic retention",
            (0, 10_000_000, 0),
            " records",
            "records each partition of the log keeps; 0 = all",
        );
        const PAUSE_RELAY: SettingDef = number(
            "pause-relay",
            "Pause relay above lag",
            (0, 1_000_000, 0),
            " records",
            "0 = off; the relay publishes only while the lag is below this",
        );
        const DELAY: SettingDef = number(
            "delay",
            "Delay",
            (0, 1_000, 0),
            " ticks",
            "ticks before delivery",
        );
        const REORDER: SettingDef = number(
            "reorder",
            "Reorder window",
            (0, 100, 0),
            " ticks",
            "up to this many extra ticks",
        );
        const BROKEN: SettingDef = flag("broken-producer", "Broken producer", "also shuffles a partition's records in runs of the reorder window: one stream's events arrive out of order");
        const DUPLICATES: SettingDef = number(
            "duplicates",
            "Duplicate rate",
            (0, 100, 0),
            PERCENT,
            "% delivered twice",
        );
        const FAILURES: SettingDef = number(
            "failures",
            "Failure rate",
            (0, 100, 0),
            PERCENT,
            "% of attempts that fail (poison: % of events)",
        );
        const RETRIES: SettingDef = number(
            "retries",
            "Retries",
            (0, 10, 3),
            "",
            "then the dead-letter queue",
        );
        const FAILURE_MODE: SettingDef = choice(
            "failure-mode",
            "Failure mode",
            FAILURE_MODES,
            "poison events always fail; an outage fails everything for N ticks, from now",
        );
        const OUTAGE: SettingDef = number(
            "outage-ticks",
            "Outage ticks",
            (1, 10_000, 20),
            " ticks",
            "N: how long an outage lasts",
        );
        const ORDERED_DLQ: SettingDef = flag(
            "ordered-dlq",
            "Order-preserving dead-letter queue",
            "a failed event holds back the later events of its stream until it is retried or skipped",
        );
        const CRASHES: SettingDef = number(
            "crashes",
            "Crash rate",
            (0, 100, 0),
            PERCENT,
            "% per consumer per tick; down 3 ticks",
        );
        const COMMIT: SettingDef = choice(
            "commit-policy",
            "Commit policy",
            COMMIT_POLICIES,
            "after: a crash duplicates; before: a crash loses",
        );
        const IDEMPOTENT: SettingDef = flag(
            "idempotent",
            "Idempotent consumer",
            "skips an event it has already applied (checked before handling)",
        );
        const REMEMBER: SettingDef = choice(
            "idempotency-key",
            "Remember",
            IDEMPOTENCY_KEYS,
            "what the idempotent consumer keeps",
        );
        const SEED: SettingDef = at_replay(number(
            "seed",
            "Seed",
            (0, u32::MAX as u64, 1),
            "",
            "same seed, same run; applies at replay",
        ));
        const WINDOW: SettingDef = at_replay(number(
            "window-size",
            "Window size",
            (1, 720, 24),
            " hours",
            "hours of event time",
        ));
        const LATENESS: SettingDef = at_replay(number(
            "lateness",
            "Allowed lateness",
            (0, 720, 1),
            " hours",
            "hours",
        ));
        const LATE: SettingDef = at_replay(choice(
            "late-policy",
            "Late events",
            LATE_POLICIES,
            "past the watermark",
        ));
        const BATCH_EVERY: SettingDef = number(
            "batch-every",
            "Batch every",
            (0, 100_000, 10),
            " ticks",
            "ticks; 0 = only on Run batch",
        );
        const SPEED: SettingDef = number(
            "speed",
            "Speed",
            (1, 1_000, 20),
            " ticks per second",
            "ticks per second while playing",
        );
        const CHART: SettingDef = SettingDef {
            id: "chart-value",
            label: "Chart value",
            kind: Kind::Series,
            default: 0,
            hint: "",
            at_replay: false,
        };
        const GENERATE: SettingDef = number(
            "generate-count",
            "Events to generate",
            (1, 1_000_000, 10_000),
            "",
            "up to 1,000,000",
        );
        const LATE_SHARE: SettingDef = number(
            "late-share",
            "Late share",
            (0, 100, 5),
            PERCENT,
            "% of generated events that happened 1–36 hours before the events around them",
        );
        const LAG: SettingDef = number(
            "read-model-lag",
            "Read model lag",
            (0, 1_000, 0),
            " events",
            "events the query side trails the log by; 0 = caught up after every command",
        );
        const STYLE: SettingDef = choice(
            "saga-style",
            "Saga style",
            SAGA_STYLES,
            "for orders placed from now on",
        );
        const DECLINES: SettingDef = number(
            "decline-rate",
            "Payment decline rate",
            (0, 100, 0),
            PERCENT,
            "% of orders the issuer declines (seeded)",
        );
        const SHIPPING: SettingDef = number(
            "shipping-delay",
            "Shipping delay",
            (0, 1_000, 2),
            " ticks",
            "ticks until the carrier answers",
        );
        const TIMEOUT: SettingDef = number(
            "saga-timeout",
            "Saga timeout",
            (1, 10_000, 40),
            " ticks",
            "ticks from placing to a scheduled shipment",
        );
        const IDEMPOTENT_HANDLERS: SettingDef = SettingDef {
            default: 1,
            ..flag(
                "idempotent-handlers",
                "Idempotent handlers",
                "commands get ids derived from their cause, so a repeat is a no-op",
            )
        };
        const HIGH_VALUE: SettingDef = number(
            "high-value",
            "High-value threshold",
            (0, 1_000_000, 100),
            "",
            "orders whose total is above this go to high-value-orders",
        );
        const SUMMARY: SettingDef = number(
            "summary-every",
            "Summary every",
            (1, 1_000, 5),
            " orders",
            "orders per customer between customer-activity summaries",
        );
        const DERIVED: SettingDef = choice(
            "derived-topic",
            "Derived topic",
            DERIVED_TOPICS,
            "the records a processor published",
        );
        const LAG_ALERT: SettingDef = number(
            "lag-alert",
            "Lag alert above",
            (1, 10_000_000, 10_000),
            " records",
            "warning while a group's consumer lag is above this",
        );
        const ERROR_ALERT: SettingDef = number(
            "error-alert",
            "Error rate alert above",
            (0, 100, 1),
            PERCENT,
            "critical while more than this % of attempts failed over the last 20 ticks",
        );
        const GROWTH_ALERT: SettingDef = number(
            "growth-alert",
            "Growth alert above",
            (1, 10_000_000, 10_000),
            " events",
            "info while the log grew by more than this over the last 100 ticks",
        );
        match self {
            Self::HighValue => &HIGH_VALUE,
            Self::SummaryEvery => &SUMMARY,
            Self::DerivedTopic => &DERIVED,
            Self::LagAlert => &LAG_ALERT,
            Self::ErrorAlert => &ERROR_ALERT,
            Self::GrowthAlert => &GROWTH_ALERT,
            Self::SagaStyle => &STYLE,
            Self::DeclineRate => &DECLINES,
            Self::ShippingDelay => &SHIPPING,
            Self::SagaTimeout => &TIMEOUT,
            Self::IdempotentHandlers => &IDEMPOTENT_HANDLERS,
            Self::BrokerModel => &MODEL,
            Self::VisibilityTimeout => &VISIBILITY,
            Self::Partitions => &PARTITIONS,
            Self::Consumers => &CONSUMERS,
            Self::Assignment => &ASSIGNMENT,
            Self::BatchSize => &BATCH_SIZE,
            Self::MaxInFlight => &MAX_IN_FLIGHT,
            Self::Retention => &RETENTION,
            Self::PauseRelay => &PAUSE_RELAY,
            Self::Delay => &DELAY,
            Self::ReorderWindow => &REORDER,
            Self::BrokenProducer => &BROKEN,
            Self::DuplicateRate => &DUPLICATES,
            Self::FailureRate => &FAILURES,
            Self::Retries => &RETRIES,
            Self::FailureMode => &FAILURE_MODE,
            Self::OutageTicks => &OUTAGE,
            Self::OrderedDlq => &ORDERED_DLQ,
            Self::CrashRate => &CRASHES,
            Self::CommitPolicy => &COMMIT,
            Self::Idempotent => &IDEMPOTENT,
            Self::IdempotencyKey => &REMEMBER,
            Self::Seed => &SEED,
            Self::WindowHours => &WINDOW,
            Self::LatenessHours => &LATENESS,
            Self::LatePolicy => &LATE,
            Self::BatchEvery => &BATCH_EVERY,
            Self::Speed => &SPEED,
            Self::ChartValue => &CHART,
            Self::GenerateCount => &GENERATE,
            Self::LateShare => &LATE_SHARE,
            Self::ReadModelLag => &LAG,
        }
    }
}

/// The broker's settings, in the order the settings grid shows them.
pub const BROKER: &[Setting] = &[
    Setting::BrokerModel,
    Setting::VisibilityTimeout,
    Setting::Partitions,
    Setting::Consumers,
    Setting::Assignment,
    Setting::BatchSize,
    Setting::MaxInFlight,
    Setting::PauseRelay,
    Setting::Retention,
    Setting::Delay,
    Setting::ReorderWindow,
    Setting::DuplicateRate,
    Setting::FailureRate,
    Setting::FailureMode,
    Setting::OutageTicks,
    Setting::Retries,
    Setting::CrashRate,
    Setting::CommitPolicy,
    Setting::Seed,
];

/// The event-time windows' settings.
pub const WINDOWS: &[Setting] = &[
    Setting::WindowHours,
    Setting::LatenessHours,
    Setting::LatePolicy,
];

/// How the run goes.
pub const RUN: &[Setting] = &[Setting::BatchEvery, Setting::Speed];

/// The consumer's switches.
pub const CONSUMER: &[Setting] = &[
    Setting::Idempotent,
    Setting::IdempotencyKey,
    Setting::BrokenProducer,
    Setting::OrderedDlq,
];

/// The saga's settings.
pub const SAGA: &[Setting] = &[
    Setting::SagaStyle,
    Setting::DeclineRate,
    Setting::ShippingDelay,
    Setting::SagaTimeout,
    Setting::IdempotentHandlers,
];

/// The stream processors' settings.
pub const PROCESSING: &[Setting] = &[Setting::HighValue, Setting::SummaryEvery];

/// The alerts' thresholds.
pub const ALERTS: &[Setting] = &[Setting::LagAlert, Setting::ErrorAlert, Setting::GrowthAlert];

/// A setting's current value, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingValue {
    /// A number.
    Number(u64),
    /// The code of the chosen option.
    Choice(&'static str),
    /// On or off.
    Flag(bool),
}
