//! The simulation's settings.

use super::assignment::Assignment;

/// When the consumer commits a polled batch's offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommitPolicy {
    /// Process, then commit: a crash re-delivers what was processed but not committed (at-least-once:
    /// duplicates).
    #[default]
    AfterProcessing,
    /// Commit, then process: a crash skips what was committed but not processed (at-most-once: losses).
    BeforeProcessing,
}

/// How the online projection recognises an event it has already applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Idempotency {
    /// It does not: every delivery is applied.
    #[default]
    Off,
    /// It remembers every applied event id and skips repeats.
    ByEventId,
    /// It remembers the last applied version of each stream and skips anything not newer. Cheaper, but
    /// also skips a genuinely new event that arrives after a later one of its stream.
    ByStreamVersion,
}

/// What kind of broker carries the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BrokerModel {
    /// A log (Kafka): partitions keep every record, each consumer of the group owns partitions and
    /// commits offsets, so a group can rewind and replay.
    #[default]
    Log,
    /// A queue (RabbitMQ): one queue, consumers compete for its messages, each message is
    /// acknowledged and then gone; an unacknowledged one comes back after the visibility timeout.
    Queue,
}

/// How a handler's attempts fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailureMode {
    /// Each attempt fails by chance, at the failure rate: a retry usually helps.
    #[default]
    Random,
    /// A seeded share of events (the failure rate, in percent) fail every time: retries cannot help,
    /// only skipping them clears the dead-letter queue.
    Poison,
    /// Every attempt fails from tick `from` for [`SimConfig::outage_ticks`] ticks, then all succeed:
    /// retrying after the outage heals everything.
    Outage {
        /// The first tick of the outage.
        from: u64,
    },
}

/// Everything that shapes a simulation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimConfig {
    /// Log or queue.
    pub model: BrokerModel,
    /// Queue model: ticks before a message a crashed consumer held is delivered again.
    pub visibility_timeout: u32,
    /// Partitions of the topic (1–16).
    pub partitions: u16,
    /// Consumers in the group (1–8).
    pub consumers: u16,
    /// How partitions are shared among the live consumers.
    pub assignment: Assignment,
    /// Records a consumer processes per tick.
    pub batch_size: u32,
    /// Records a consumer holds (fetched, not yet processed) before it stops polling; 0: one batch.
    pub max_in_flight: u32,
    /// The outbox relay stops publishing while the topic's lag is above this (0: never).
    pub pause_relay_above: u64,
    /// Records each partition of a log keeps (0: every one); older ones leave the topic.
    pub retention: u64,
    /// Ticks between publishing a record and it becoming deliverable.
    pub delay_ticks: u32,
    /// Up to this many extra ticks of random delay per record: reorders events across partitions (a
    /// partition still delivers in offset order).
    pub reorder_window: u32,
    /// A broken producer: also shuffles each partition's records within runs of `reorder_window`.
    pub reorder_within_partition: bool,
    /// Chance in percent (0–100) that a processed record is delivered again (at-least-once).
    pub duplicate_rate: u8,
    /// Chance in percent (0–100) that one attempt to handle a record fails.
    pub failure_rate: u8,
    /// Retries after a failed attempt before the record goes to the dead-letter queue.
    pub max_retries: u32,
    /// How attempts fail.
    pub failure_mode: FailureMode,
    /// How long an outage lasts, in ticks.
    pub outage_ticks: u32,
    /// A dead-lettered event holds back the later events of its stream until it is retried or
    /// skipped (a sequenced dead-letter queue).
    pub ordered_dlq: bool,
    /// Chance in percent (0–100), per consumer per tick, of crashing part-way through its batch.
    pub crash_rate: u8,
    /// Ticks a crashed consumer stays down before restarting from the committed offsets.
    pub restart_ticks: u32,
    /// When offsets are committed.
    pub commit_policy: CommitPolicy,
    /// How the online projection skips repeats.
    pub idempotency: Idempotency,
    /// The seed of every random choice.
    pub seed: u64,
}

impl Default for SimConfig {
    /// Three partitions, one consumer, every fault off.
    fn default() -> Self {
        Self {
            model: BrokerModel::Log,
            visibility_timeout: 5,
            partitions: 3,
            consumers: 1,
            assignment: Assignment::Range,
            batch_size: 50,
            max_in_flight: 0,
            pause_relay_above: 0,
            retention: 0,
            delay_ticks: 0,
            reorder_window: 0,
            reorder_within_partition: false,
            duplicate_rate: 0,
            failure_rate: 0,
            max_retries: 3,
            failure_mode: FailureMode::Random,
            outage_ticks: 20,
            ordered_dlq: false,
            crash_rate: 0,
            restart_ticks: 3,
            commit_policy: CommitPolicy::AfterProcessing,
            idempotency: Idempotency::Off,
            seed: 1,
        }
    }
}

impl SimConfig {
    /// How many records a consumer may hold: [`Self::max_in_flight`], or one batch when that is 0.
    pub fn holds(&self) -> usize {
        let cap = if self.max_in_flight == 0 {
            self.batch_size
        } else {
            self.max_in_flight
        };
        cap.max(1) as usize
    }

    /// The tick after the last of the outage, when the failure mode is an outage.
    pub fn outage_until(&self) -> Option<u64> {
        match self.failure_mode {
            FailureMode::Outage { from } => Some(from.saturating_add(u64::from(self.outage_ticks))),
            _ => None,
        }
    }

    /// The same settings with every value clamped into its documented range.
    pub fn clamped(self) -> Self {
        Self {
            consumers: self.consumers.clamp(1, 8),
            batch_size: self.batch_size.max(1),
            duplicate_rate: self.duplicate_rate.min(100),
            failure_rate: self.failure_rate.min(100),
            crash_rate: self.crash_rate.min(100),
            restart_ticks: self.restart_ticks.max(1),
            outage_ticks: self.outage_ticks.max(1),
            visibility_timeout: self.visibility_timeout.max(1),
            // A queue has no partitions: one queue, kept as a single partition.
            partitions: if self.model == BrokerModel::Queue {
                1
            } else {
                self.partitions.clamp(1, 16)
            },
            ..self
        }
    }
}
