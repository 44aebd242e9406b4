//! The online pipeline: an outbox relay publishing the log to the topic, a consumer group polling it
//! tick by tick, and the online projection they feed — with every fault the settings ask for, and a
//! record of what happened to each event (its [`Fate`]) so differences can be explained.

use super::assignment::assign;
use super::config::{BrokerModel, CommitPolicy, FailureMode, Idempotency, SimConfig};
use super::topic::{Record, Tick, Topic};
use crate::kernel::{EventStore, FastMap, FastSet, Position, SeededRng, StreamId, Subscription};
use crate::readmodel::Projection;
use std::collections::VecDeque;
use std::fmt;
use uuid::Uuid;

/// What happened to one event of the log, online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fate {
    /// Published to the topic by the relay.
    pub published: bool,
    /// Times a consumer received it.
    pub deliveries: u32,
    /// Times its effect was applied to the online projection.
    pub applied: u32,
    /// Times the idempotent consumer recognised it as a repeat and skipped it.
    pub skipped: u32,
    /// Parked in the dead-letter queue now (after its retries failed; no longer once retried or
    /// skipped).
    pub dead_lettered: bool,
    /// Skipped from the dead-letter queue: it will never be applied online.
    pub dlq_skipped: bool,
    /// Held back behind a dead-lettered event of its stream (order-preserving dead-letter queue).
    pub held: bool,
    /// Left the topic under its retention before the group got to it (or was not in the topic
    /// any more when the group replayed): never applied online.
    pub expired: bool,
    /// Committed but never processed: lost to an at-most-once commit and a crash.
    pub lost: bool,
    /// Received at least once after an event of its stream with a higher version.
    pub out_of_order: bool,
}

/// How one delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Applied to the online projection.
    Applied,
    /// Skipped by the idempotent consumer as already applied.
    SkippedRepeat,
    /// Every attempt failed: parked in the dead-letter queue.
    DeadLettered {
        /// Attempts made (1 + retries).
        attempts: u32,
    },
    /// Its offset was committed before processing, and the consumer crashed before reaching it.
    Lost,
}

/// One line of the delivery trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// When.
    pub tick: Tick,
    /// Which consumer (0-based).
    pub consumer: u16,
    /// The record delivered.
    pub record: Record,
    /// A re-delivery of a record already processed (at-least-once).
    pub redelivery: bool,
    /// How it ended.
    pub outcome: Outcome,
}

/// Why a handler's attempts at an event failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Each attempt failed by chance.
    Random {
        /// The chance of failure per attempt, in percent.
        rate: u8,
    },
    /// A poison event: its handler fails on it every time.
    Poison,
    /// Every attempt fails during an outage.
    Outage {
        /// The tick the outage is over at.
        until: Tick,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Random { rate } => {
                write!(f, "simulated failure ({rate}% of attempts fail)")
            }
            Self::Poison => f.write_str("poison event: the handler fails on it every time"),
            Self::Outage { until } => write!(f, "outage: every attempt fails until tick {until}"),
        }
    }
}

/// An entry of the dead-letter queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadLetter {
    /// The record that could not be handled.
    pub record: Record,
    /// When it was parked.
    pub tick: Tick,
    /// The store's number of its stream.
    pub stream: u32,
    /// The consumer that gave up on it (0-based).
    pub consumer: u16,
    /// Attempts made, in all (each round is 1 + retries; a Retry from the queue starts another).
    pub attempts: u32,
    /// Why they failed.
    pub failure: Failure,
}

/// Why a dead-letter queue action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeadLetterError {
    /// No entry carries that event.
    #[error("There is no event #{0} in the dead-letter queue.")]
    NotParked(Position),
    /// The queue is empty.
    #[error("The dead-letter queue is empty: there is nothing to retry or skip.")]
    Empty,
}

/// The dead-letter queue, in log order (events are parked roughly in log order, so keeping it sorted
/// costs little; a sorted list keeps a map's code out of the bundle).
#[derive(Debug, Clone, Default)]
struct DeadLetters {
    list: Vec<DeadLetter>,
}

impl DeadLetters {
    fn find(&self, position: Position) -> Result<usize, usize> {
        self.list
            .binary_search_by_key(&position, |d| d.record.position)
    }

    fn get(&self, position: Position) -> Option<&DeadLetter> {
        self.find(position).ok().map(|i| &self.list[i])
    }

    fn remove(&mut self, position: Position) -> Option<DeadLetter> {
        self.find(position).ok().map(|i| self.list.remove(i))
    }

    /// The entry of `letter`'s event, made from `letter` if there is none.
    fn get_or_insert(&mut self, letter: DeadLetter) -> &mut DeadLetter {
        let i = match self.find(letter.record.position) {
            Ok(i) => i,
            Err(i) => {
                self.list.insert(i, letter);
                i
            }
        };
        &mut self.list[i]
    }

    fn take_all(&mut self) -> Result<Vec<DeadLetter>, DeadLetterError> {
        if self.list.is_empty() {
            return Err(DeadLetterError::Empty);
        }
        Ok(std::mem::take(&mut self.list))
    }

    fn len(&self) -> usize {
        self.list.len()
    }
}

/// How a record reaches a consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// Fetched from its partition.
    First,
    /// Delivered again (at-least-once).
    Duplicate,
    /// Sent back from the dead-letter queue, or released from behind a dead-lettered event.
    Retry,
}

/// The events of one stream held back behind its dead-lettered event.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    /// The dead-lettered event.
    head: Position,
    /// What came after it, in delivery order.
    held: Vec<Record>,
}

/// What a consumer group did, counted since it started (or since its last replay).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Records delivered to a consumer (first deliveries, duplicates and retries).
    pub delivered: u64,
    /// Of those, deliveries again: duplicates and retries.
    pub redelivered: u64,
    /// Deliveries handed to the handler (not recognised as repeats, not held back).
    pub handled: u64,
    /// Attempts the handler made at them.
    pub attempts: u64,
    /// Attempts that failed.
    pub failed_attempts: u64,
    /// Events parked in the dead-letter queue.
    pub parked: u64,
}

impl std::ops::AddAssign for Counters {
    /// Adds another group's counters (the metrics sum every group's).
    fn add_assign(&mut self, other: Self) {
        self.delivered += other.delivered;
        self.redelivered += other.redelivered;
        self.handled += other.handled;
        self.attempts += other.attempts;
        self.failed_attempts += other.failed_attempts;
        self.parked += other.parked;
    }
}

/// The queue as the panel shows it (queue model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueStatus {
    /// Messages waiting for a consumer.
    pub ready: u64,
    /// Messages a crashed consumer held, waiting for their visibility timeout.
    pub unacked: u64,
    /// The first tick one of those is visible again at.
    pub next_visible: Option<Tick>,
    /// Messages consumers hold (delivered, not yet acknowledged).
    pub held: u64,
}

/// One partition as the partition panel shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionStatus {
    /// The partition.
    pub partition: u16,
    /// Its log start offset: its earliest record still kept (retention).
    pub start_offset: u64,
    /// Its log end offset.
    pub end_offset: u64,
    /// The group's committed offset.
    pub committed: u64,
    /// `end_offset - committed`.
    pub lag: u64,
    /// The consumer it is assigned to (`None` while no consumer is alive).
    pub owner: Option<u16>,
}

/// Each published event's fate. A consumer of the whole log keeps them by position (entry `i` is the
/// event at position `i + 1`). One subscribed to a few event types (a saga handler), which would
/// otherwise keep an entry for every event of the log, keeps them in the order published, with the
/// position of each (ascending, to be found by position) and, per partition, the entry of each
/// offset, so that a delivery finds its fate without a search.
#[derive(Debug, Clone, Default)]
struct Fates {
    list: Vec<Fate>,
    picked: Option<Picked>,
}

#[derive(Debug, Clone, Default)]
struct Picked {
    /// The position of each entry of the list.
    positions: Vec<u32>,
    /// For each partition, the entry of each offset.
    by_offset: Vec<Vec<u32>>,
}

impl Fates {
    fn new(picks: bool) -> Self {
        Self {
            list: Vec::new(),
            picked: picks.then(Picked::default),
        }
    }

    /// Makes the entry of the event at `position`, published now, and says where it is. (Events are
    /// published in the order of the log.)
    fn publish(&mut self, position: Position) -> u32 {
        let index = match self.picked.as_mut() {
            Some(picked) => {
                picked
                    .positions
                    .push(u32::try_from(position).unwrap_or(u32::MAX));
                self.list.push(Fate::default());
                self.list.len() - 1
            }
            None => {
                let index = usize::try_from(position.saturating_sub(1)).unwrap_or(usize::MAX);
                if index >= self.list.len() {
                    self.list.resize(index.saturating_add(1), Fate::default());
                }
                index
            }
        };
        self.list[index].published = true;
        u32::try_from(index).unwrap_or(u32::MAX)
    }

    /// Notes that the entry `index` is the record at `offset` of `partition` (the next one).
    fn placed(&mut self, partition: usize, index: u32) {
        if let Some(picked) = self.picked.as_mut() {
            if partition >= picked.by_offset.len() {
                picked.by_offset.resize_with(partition + 1, Vec::new);
            }
            picked.by_offset[partition].push(index);
        }
    }

    /// Where the fate of a published record is kept.
    fn of_record(&self, record: &Record) -> usize {
        match &self.picked {
            Some(picked) => picked
                .by_offset
                .get(usize::from(record.partition))
                .and_then(|offsets| offsets.get(usize::try_from(record.offset).ok()?))
                .map_or(usize::MAX, |&i| i as usize),
            None => usize::try_from(record.position.saturating_sub(1)).unwrap_or(usize::MAX),
        }
    }

    fn at(&self, index: usize) -> Fate {
        self.list.get(index).copied().unwrap_or_default()
    }

    /// Changes the fate at `index` (from [`Self::of_record`]; nothing if there is none).
    fn change(&mut self, index: usize, change: impl FnOnce(&mut Fate)) {
        if let Some(fate) = self.list.get_mut(index) {
            change(fate);
        }
    }

    fn get(&self, position: Position) -> Fate {
        let index = match &self.picked {
            Some(picked) => u32::try_from(position)
                .ok()
                .and_then(|p| picked.positions.binary_search(&p).ok()),
            None => usize::try_from(position.saturating_sub(1)).ok(),
        };
        index.map_or_else(Fate::default, |i| self.at(i))
    }
}

/// The whole online side: topic, relay, consumer group, online projection and bookkeeping.
#[derive(Debug, Clone)]
pub struct Pipeline<P> {
    config: SimConfig,
    rng: SeededRng,
    tick: Tick,
    topic: Topic,
    relay: Subscription,
    alive: Vec<bool>,
    down_until: Vec<Tick>,
    owners: Vec<Option<usize>>,
    committed: Vec<u64>,
    fetched: Vec<u64>,
    /// Per partition: duplicates and retries, delivered before new records.
    redeliver: Vec<VecDeque<(Record, Via)>>,
    /// Per consumer: what it fetched and has not processed yet, in order.
    buffers: Vec<VecDeque<(Record, Via)>>,
    /// The topic's lag the relay stopped publishing at, while backpressure holds it.
    relay_paused: Option<u64>,
    /// Queue model: the messages published for any consumer, in queue order (what is sent again
    /// waits in the single partition's re-delivery queue, and goes first).
    ready: VecDeque<(Record, Via)>,
    /// Queue model: messages a crashed consumer held, unacknowledged, with the tick they are
    /// visible again at.
    unacked: VecDeque<(Tick, Record, Via)>,
    /// Order-preserving dead-letter queue: per stream number, what is held behind its parked event.
    blocks: FastMap<u32, Block>,
    /// Counts what changes fates between ticks (retries, skips, releases).
    actions: u64,
    counters: Counters,
    initial: P,
    projection: P,
    seen_ids: FastSet<Uuid>,
    last_versions: FastMap<StreamId, u64>,
    /// The highest version received of each stream, by the store's stream number.
    highest_received: Vec<u64>,
    fates: Fates,
    /// An event is parked at most once.
    dead_letters: DeadLetters,
    /// Attempts made at events sent back from the queue, until they are handled or parked again.
    earlier_attempts: FastMap<Position, u32>,
    trace: Option<Vec<Delivery>>,
    digest: u64,
    /// Reused by every poll: the polling consumer's partitions and its batch.
    scratch_partitions: Vec<usize>,
    scratch_batch: Vec<(Record, Via)>,
    /// Reused by every publish: the new positions of each partition, with their fates' entries.
    scratch_publish: Vec<Vec<(Position, u32)>>,
    /// A consumer crashed or restarted, or the settings changed, since the owners were assigned.
    owners_stale: bool,
}

fn mix(digest: u64, value: u64) -> u64 {
    (digest ^ value).wrapping_mul(0x0000_0100_0000_01B3)
}

impl<P: Clone + Projection> Pipeline<P> {
    /// A pipeline that feeds `projection` (in its initial state) under `config`. Nothing is published
    /// until the first tick.
    pub fn new(config: SimConfig, projection: P) -> Self {
        let config = config.clamped();
        let partitions = usize::from(config.partitions);
        let consumers = usize::from(config.consumers);
        let alive = vec![true; consumers];
        Self {
            rng: SeededRng::new(config.seed),
            tick: 0,
            topic: Topic::new(config.partitions),
            relay: Subscription::from_start(),
            owners: assign(config.assignment, partitions, &alive),
            alive,
            down_until: vec![0; consumers],
            committed: vec![0; partitions],
            fetched: vec![0; partitions],
            redeliver: vec![VecDeque::new(); partitions],
            buffers: vec![VecDeque::new(); consumers],
            relay_paused: None,
            ready: VecDeque::new(),
            unacked: VecDeque::new(),
            blocks: FastMap::default(),
            actions: 0,
            counters: Counters::default(),
            initial: projection.clone(),
            projection,
            seen_ids: FastSet::default(),
            last_versions: FastMap::default(),
            highest_received: Vec::new(),
            fates: Fates::new(P::PICKS),
            dead_letters: DeadLetters::default(),
            earlier_attempts: FastMap::default(),
            trace: None,
            digest: 0xCBF2_9CE4_8422_2325,
            scratch_partitions: Vec::new(),
            scratch_batch: Vec::new(),
            scratch_publish: Vec::new(),
            owners_stale: false,
            config,
        }
    }

    /// Keeps the full delivery trace (for tests and small demos; a digest is always kept).
    pub fn with_trace(mut self) -> Self {
        self.trace = Some(Vec::new());
        self
    }

    /// "Replay from start": a fresh topic, the group's offsets at the beginning and the online
    /// projection back to its initial state, under `config` (so changed settings apply). The tick
    /// count goes on.
    pub fn replay(&mut self, config: SimConfig) {
        let initial = self.initial.clone();
        self.replay_with(config, initial);
    }

    /// Like [`Self::replay`], starting the online projection from `initial` (e.g. with changed
    /// settings of its own).
    pub fn replay_with(&mut self, config: SimConfig, initial: P) {
        let tick = self.tick;
        let keep_trace = self.trace.is_some();
        *self = Self::new(config, initial);
        self.tick = tick;
        if keep_trace {
            self.trace = Some(Vec::new());
        }
    }

    /// Changes the settings of the running pipeline, from the next tick on. The topic's partitions and
    /// the seed cannot change while it runs (they take effect at [`Self::replay`]); a change in the
    /// number of consumers rebalances the group.
    pub fn reconfigure(&mut self, config: SimConfig) {
        let config = SimConfig {
            partitions: self.config.partitions,
            seed: self.config.seed,
            model: self.config.model,
            ..config.clamped()
        };
        let consumers = usize::from(config.consumers);
        self.alive.resize(consumers, true);
        self.down_until.resize(consumers, 0);
        // A consumer leaving the group takes what it held with it (its partitions are fetched again
        // from their committed offsets by their new owners).
        while self.buffers.len() > consumers {
            if let Some(buffer) = self.buffers.pop() {
                self.drop_held(self.buffers.len(), buffer);
            }
        }
        self.buffers.resize(consumers, VecDeque::new());
        if !config.ordered_dlq {
            let streams: Vec<u32> = self.blocks.keys().copied().collect();
            for stream in streams {
                self.release(stream);
            }
        }
        self.config = config;
        self.owners_stale = true;
        self.rebalance();
    }

    /// The settings in force.
    pub fn config(&self) -> SimConfig {
        self.config
    }

    /// Ticks run so far.
    pub fn tick(&self) -> Tick {
        self.tick
    }

    /// The online projection as it stands.
    pub fn projection(&self) -> &P {
        &self.projection
    }

    /// The online projection, to take what it collected (a saga handler's inbox).
    pub fn projection_mut(&mut self) -> &mut P {
        &mut self.projection
    }

    /// Moves the relay past everything appended so far without publishing it: for a consumer that
    /// has nothing to do with those events (a saga style no order uses).
    pub fn skip_to_head(&mut self, store: &EventStore) {
        self.relay = Subscription::from_position(store.head() + 1);
    }

    /// What happened to the event at `position` (1-based).
    pub fn fate(&self, position: Position) -> Fate {
        self.fates.get(position)
    }

    /// The dead-letter queue, in log order.
    pub fn dead_letters(&self) -> impl ExactSizeIterator<Item = &DeadLetter> + '_ {
        self.dead_letters.list.iter()
    }

    /// Entries of the dead-letter queue.
    pub fn dead_letter_count(&self) -> usize {
        self.dead_letters.len()
    }

    /// What the group did so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// How many dead-letter actions (retries, skips, releases) changed fates so far: with the tick,
    /// what a view of the fates depends on.
    pub fn actions(&self) -> u64 {
        self.actions
    }

    /// How many events are held back behind the dead-lettered event at `position` (order-preserving
    /// dead-letter queue; 0 otherwise).
    pub fn held_behind(&self, position: Position) -> usize {
        self.block_of(position).map_or(0, |(_, b)| b.held.len())
    }

    /// The block the parked event at `position` heads, with its stream.
    fn block_of(&self, position: Position) -> Option<(u32, &Block)> {
        let stream = self.dead_letters.get(position)?.stream;
        self.blocks
            .get(&stream)
            .filter(|b| b.head == position)
            .map(|b| (stream, b))
    }

    /// Events held back behind dead-lettered events, in all.
    pub fn held_count(&self) -> usize {
        self.blocks.values().map(|b| b.held.len()).sum()
    }

    /// "Retry": sends the dead-lettered event at `position` back through its partition's consumer at
    /// its next poll, the way a first delivery goes (idempotency, failures and fates apply); what its
    /// stream held back behind it follows, in order.
    pub fn retry(&mut self, position: Position) -> Result<(), DeadLetterError> {
        let letter = self
            .dead_letters
            .remove(position)
            .ok_or(DeadLetterError::NotParked(position))?;
        self.resend(letter);
        Ok(())
    }

    /// "Retry all": [`Self::retry`] for every entry, in log order. Says how many.
    pub fn retry_all(&mut self) -> Result<usize, DeadLetterError> {
        let letters = self.dead_letters.take_all()?;
        let n = letters.len();
        for letter in letters {
            self.resend(letter);
        }
        Ok(n)
    }

    /// "Skip all": [`Self::skip`] for every entry, in log order. Says how many.
    pub fn skip_all(&mut self) -> Result<usize, DeadLetterError> {
        let letters = self.dead_letters.take_all()?;
        let n = letters.len();
        for letter in letters {
            self.give_up(letter);
        }
        Ok(n)
    }

    /// "Skip": gives up on the dead-lettered event at `position` for good (it will never be applied
    /// online, and its fate says so); what its stream held back behind it flows on.
    pub fn skip(&mut self, position: Position) -> Result<(), DeadLetterError> {
        let letter = self
            .dead_letters
            .remove(position)
            .ok_or(DeadLetterError::NotParked(position))?;
        self.give_up(letter);
        Ok(())
    }

    /// Sends an entry taken from the queue back through its consumer, and lets what its stream
    /// held behind it follow.
    fn resend(&mut self, letter: DeadLetter) {
        let blocked = self.unpark(&letter);
        self.earlier_attempts
            .insert(letter.record.position, letter.attempts);
        self.send_again(letter.record, Via::Retry);
        if let Some(stream) = blocked {
            self.release(stream);
        }
    }

    /// Gives up on an entry taken from the queue, and lets what its stream held behind it flow on.
    fn give_up(&mut self, letter: DeadLetter) {
        let blocked = self.unpark(&letter);
        let slot = self.fates.of_record(&letter.record);
        self.fates.change(slot, |f| f.dlq_skipped = true);
        if let Some(stream) = blocked {
            self.release(stream);
        }
    }

    /// Notes that an entry left the queue; returns the stream it was holding back, if any.
    fn unpark(&mut self, letter: &DeadLetter) -> Option<u32> {
        self.actions += 1;
        let slot = self.fates.of_record(&letter.record);
        self.fates.change(slot, |f| f.dead_lettered = false);
        self.blocks
            .get(&letter.stream)
            .is_some_and(|b| b.head == letter.record.position)
            .then_some(letter.stream)
    }

    /// Sends `record` to a consumer again, ahead of the new records of its partition (a queue has
    /// one).
    fn send_again(&mut self, record: Record, via: Via) {
        if let Some(queue) = self.redeliver.get_mut(usize::from(record.partition)) {
            queue.push_back((record, via));
        }
    }

    /// Lets what `stream` held back flow on, in order, ahead of new records of its partition. A
    /// copy of the parked event itself (delivered again after a crash) is dropped: the event is
    /// retried, or skipped, once.
    fn release(&mut self, stream: u32) {
        let Some(block) = self.blocks.remove(&stream) else {
            return;
        };
        self.actions += 1;
        for record in block.held {
            if record.position == block.head {
                continue;
            }
            let slot = self.fates.of_record(&record);
            self.fates.change(slot, |f| f.held = false);
            self.send_again(record, Via::Retry);
        }
    }

    /// The delivery trace, if kept.
    pub fn trace(&self) -> Option<&[Delivery]> {
        self.trace.as_deref()
    }

    /// A digest of every delivery so far: equal digests mean identical traces (in practice).
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// Each partition's offsets, lag and owner.
    pub fn partitions(&self) -> Vec<PartitionStatus> {
        if self.config.model == BrokerModel::Queue {
            // One queue: what is not acknowledged yet is its lag; every consumer takes from it.
            let end_offset = self.topic.end_offset(0);
            let lag = self.lag();
            return vec![PartitionStatus {
                partition: 0,
                start_offset: 0,
                end_offset,
                committed: end_offset.saturating_sub(lag),
                lag,
                owner: None,
            }];
        }
        (0..self.topic.partition_count())
            .map(|p| {
                let end_offset = self.topic.end_offset(p);
                PartitionStatus {
                    partition: p as u16,
                    start_offset: self.topic.start_offset(p),
                    end_offset,
                    committed: self.committed[p],
                    lag: end_offset - self.committed[p],
                    owner: self.owners[p].map(|c| c as u16),
                }
            })
            .collect()
    }

    /// For each consumer: `None` while it is up, or the tick it restarts at.
    pub fn consumers(&self) -> Vec<Option<Tick>> {
        self.alive
            .iter()
            .zip(&self.down_until)
            .map(|(&up, &until)| (!up).then_some(until))
            .collect()
    }

    /// Events of the log not yet published, plus records not yet committed, plus retries waiting
    /// for their consumer, plus records committed before processing and still held.
    pub fn backlog(&self, store: &EventStore) -> u64 {
        if self.config.model == BrokerModel::Queue {
            return self.relay.lag(store) + self.lag();
        }
        let before = self.config.commit_policy == CommitPolicy::BeforeProcessing;
        let waiting = self
            .redeliver
            .iter()
            .chain(&self.buffers)
            .flatten()
            .filter(|(_, via)| *via == Via::Retry || (before && *via == Via::First))
            .count() as u64;
        self.relay.lag(store) + self.lag() + waiting
    }

    /// Events of the log the relay has not published yet (the outbox's backlog).
    pub fn relay_lag(&self, store: &EventStore) -> u64 {
        self.relay.lag(store)
    }

    /// Records published and not yet committed, over every partition (a log); messages published
    /// and not yet acknowledged (a queue).
    pub fn lag(&self) -> u64 {
        if self.config.model == BrokerModel::Queue {
            let held: usize = self.buffers.iter().map(VecDeque::len).sum();
            let again: usize = self.redeliver.iter().map(VecDeque::len).sum();
            return (self.ready.len() + self.unacked.len() + held + again) as u64;
        }
        (0..self.topic.partition_count())
            .map(|p| self.topic.end_offset(p) - self.committed[p])
            .sum()
    }

    /// Queue model: messages ready, messages unacknowledged (and the first tick one is visible
    /// again at), messages consumers hold. `None` for a log.
    pub fn queue_status(&self) -> Option<QueueStatus> {
        (self.config.model == BrokerModel::Queue).then(|| QueueStatus {
            ready: (self.ready.len() + self.redeliver.iter().map(VecDeque::len).sum::<usize>())
                as u64,
            unacked: self.unacked.len() as u64,
            next_visible: self.unacked.iter().map(|&(t, _, _)| t).min(),
            held: self.buffers.iter().map(|b| b.len() as u64).sum(),
        })
    }

    /// The lag the relay stopped publishing at, while backpressure holds it (`None`: publishing).
    pub fn relay_paused(&self) -> Option<u64> {
        self.relay_paused
    }

    /// For each consumer: the records it holds, fetched and not yet processed.
    pub fn in_flight(&self) -> Vec<usize> {
        self.buffers.iter().map(VecDeque::len).collect()
    }

    /// True when everything appended has been published, committed and re-delivered, nothing is
    /// held, and every consumer is up.
    pub fn is_drained(&self, store: &EventStore) -> bool {
        self.backlog(store) == 0
            && self.ready.is_empty()
            && self.unacked.is_empty()
            && self.redeliver.iter().all(VecDeque::is_empty)
            && self.buffers.iter().all(VecDeque::is_empty)
            && self.alive.iter().all(|&a| a)
    }

    /// True with `percent` % probability. A rate of 0 draws nothing, so turning a fault off does not
    /// cost a random number per record.
    fn roll(&mut self, percent: u8) -> bool {
        percent > 0 && self.rng.below(100) < u64::from(percent)
    }

    fn note(&mut self, consumer: usize, record: Record, redelivery: bool, outcome: Outcome) {
        let code = match outcome {
            Outcome::Applied => 1,
            Outcome::SkippedRepeat => 2,
            Outcome::DeadLettered { attempts } => 3 + (u64::from(attempts) << 8),
            Outcome::Lost => 4,
        };
        for value in [
            self.tick,
            consumer as u64,
            u64::from(record.partition),
            record.offset,
            record.position,
            u64::from(redelivery),
            code,
        ] {
            self.digest = mix(self.digest, value);
        }
        if let Some(trace) = self.trace.as_mut() {
            trace.push(Delivery {
                tick: self.tick,
                consumer: consumer as u16,
                record,
                redelivery,
                outcome,
            });
        }
    }

    /// Runs `ticks` ticks.
    pub fn run(&mut self, store: &EventStore, ticks: u64) {
        for _ in 0..ticks {
            self.step(store);
        }
    }

    /// Runs ticks until drained, at most `max_ticks`; returns whether it drained.
    pub fn drain(&mut self, store: &EventStore, max_ticks: u64) -> bool {
        for _ in 0..max_ticks {
            if self.is_drained(store) {
                return true;
            }
            self.step(store);
        }
        self.is_drained(store)
    }

    /// One tick: restarts, rebalance, publishing, then each live consumer's poll.
    pub fn step(&mut self, store: &EventStore) {
        self.tick += 1;
        for c in 0..self.alive.len() {
            if !self.alive[c] && self.tick >= self.down_until[c] {
                self.alive[c] = true;
                self.owners_stale = true;
            }
        }
        if self.config.model == BrokerModel::Queue {
            self.publish(store);
            return self.poll_queue(store);
        }
        self.rebalance();
        self.publish(store);
        for c in 0..self.alive.len() {
            if self.alive[c] {
                self.poll(c, store);
            }
        }
    }

    /// Queue model: messages whose visibility timeout passed are delivered again; each live consumer
    /// takes what it may hold from the queue (ready messages, in queue order) and processes a batch
    /// of it, the consumers' batches interleaved one message at a time as concurrent consumers
    /// would; each message is acknowledged (and gone) once processed — or, with acknowledgement on
    /// delivery, as it is delivered.
    fn poll_queue(&mut self, store: &EventStore) {
        while let Some(&(visible, record, via)) = self.unacked.front() {
            if visible > self.tick {
                break;
            }
            self.unacked.pop_front();
            self.redeliver[0].push_back((record, via));
        }
        let consumers = self.alive.len();
        let cap = self.config.holds();
        let limit = self.config.batch_size.max(1) as usize;
        let mut batches: Vec<Vec<(Record, Via)>> = vec![Vec::new(); consumers];
        for (c, batch) in batches.iter_mut().enumerate() {
            if !self.alive[c] {
                continue;
            }
            let mut buffer = std::mem::take(&mut self.buffers[c]);
            while buffer.len() < cap {
                match self.redeliver[0].pop_front() {
                    Some(entry) => buffer.push_back(entry),
                    None => break,
                }
            }
            // Messages are queued in publishing order; one delayed past the reorder window means
            // every later one is not deliverable yet either.
            let horizon = self.tick + u64::from(self.config.reorder_window);
            let mut i = 0;
            while buffer.len() < cap && i < self.ready.len() {
                let (record, _) = self.ready[i];
                if record.available_at > self.tick {
                    if record.available_at > horizon {
                        break;
                    }
                    i += 1;
                    continue;
                }
                if let Some(entry) = self.ready.remove(i) {
                    buffer.push_back(entry);
                }
            }
            let take = buffer.len().min(limit);
            batch.extend(buffer.drain(..take));
            self.buffers[c] = buffer;
        }
        let crashes: Vec<Option<usize>> = (0..consumers)
            .map(|c| {
                let len = batches[c].len();
                (len > 0 && self.roll(self.config.crash_rate))
                    .then(|| self.rng.below(len as u64 + 1) as usize)
            })
            .collect();
        let longest = batches.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..longest {
            for c in 0..consumers {
                if crashes[c].is_some_and(|at| i >= at) {
                    continue;
                }
                if let Some(&(record, via)) = batches[c].get(i) {
                    self.process(c, record, via, store);
                }
            }
        }
        for (c, at) in crashes.into_iter().enumerate() {
            let Some(at) = at else { continue };
            let buffer = std::mem::take(&mut self.buffers[c]);
            let unhandled: VecDeque<(Record, Via)> =
                batches[c][at..].iter().copied().chain(buffer).collect();
            self.drop_held(c, unhandled);
            self.alive[c] = false;
            self.down_until[c] = self.tick + u64::from(self.config.restart_ticks);
        }
    }

    /// Recomputes owners; a partition that changes hands resumes from its committed offset.
    fn rebalance(&mut self) {
        if !std::mem::take(&mut self.owners_stale) {
            return;
        }
        let owners = assign(
            self.config.assignment,
            self.topic.partition_count(),
            &self.alive,
        );
        for (p, owner) in owners.iter().enumerate() {
            if *owner != self.owners[p] {
                self.fetched[p] = self.resume_offset(p);
                // What the old owner held of the partition is fetched again by the new one.
                for c in 0..self.buffers.len() {
                    let buffer = std::mem::take(&mut self.buffers[c]);
                    let (theirs, kept) = buffer
                        .into_iter()
                        .partition(|(r, _)| usize::from(r.partition) == p);
                    self.buffers[c] = kept;
                    self.drop_held(c, theirs);
                }
            }
        }
        self.owners = owners;
    }

    /// Records `consumer` held and lets go of unprocessed (a crash, a rebalance): a retry waits for
    /// the next consumer in its place; a record committed before processing is lost; anything else
    /// is fetched again from the committed offset.
    fn drop_held(&mut self, consumer: usize, held: VecDeque<(Record, Via)>) {
        if self.config.model == BrokerModel::Queue {
            // Unacknowledged: back after the visibility timeout — unless acknowledged on delivery,
            // and so lost.
            let visible = self.tick + u64::from(self.config.visibility_timeout);
            for (record, via) in held {
                if self.config.commit_policy == CommitPolicy::AfterProcessing {
                    self.unacked.push_back((visible, record, via));
                } else if via != Via::Duplicate {
                    let index = self.fates.of_record(&record);
                    self.fates.change(index, |f| f.lost = true);
                    self.note(consumer, record, false, Outcome::Lost);
                }
            }
            return;
        }
        for &(record, via) in held.iter().rev() {
            if via == Via::Retry {
                self.redeliver[usize::from(record.partition)].push_front((record, via));
            }
        }
        // A record to be fetched again that retention took meanwhile will not be.
        if self.config.commit_policy == CommitPolicy::AfterProcessing {
            for &(record, via) in &held {
                let p = usize::from(record.partition);
                if via == Via::First && record.offset < self.topic.start_offset(p) {
                    let index = self.fates.of_record(&record);
                    self.fates.change(index, |f| f.expired = true);
                }
            }
        }
        if self.config.commit_policy == CommitPolicy::BeforeProcessing {
            for (record, via) in held {
                if via == Via::First {
                    let index = self.fates.of_record(&record);
                    self.fates.change(index, |f| f.lost = true);
                    self.note(consumer, record, false, Outcome::Lost);
                }
            }
        }
    }

    /// The outbox relay: publishes every event appended since the last tick, once.
    fn publish(&mut self, store: &EventStore) {
        if self.relay.next_position() > store.head() {
            self.relay_paused = None;
            return;
        }
        // Backpressure: the relay publishes only while the consumers are less far behind than the
        // limit, and no further; the outbox (the log) keeps the rest.
        let limit = self.config.pause_relay_above;
        let mut room = if limit == 0 {
            u64::MAX
        } else {
            limit.saturating_sub(self.lag())
        };
        let partitions = self.config.partitions;
        let mut by_partition = std::mem::take(&mut self.scratch_publish);
        by_partition.resize_with(usize::from(partitions), Vec::new);
        for positions in &mut by_partition {
            positions.clear();
        }
        let mut next = self.relay.next_position();
        let mut published = 0;
        while next <= store.head() && room > 0 {
            let position = next;
            next += 1;
            if P::PICKS
                && !store
                    .schema_at(position)
                    .is_some_and(|schema| self.projection.wants(schema))
            {
                continue;
            }
            if let Some(partition) = store.partition_at(position, partitions) {
                let index = self.fates.publish(position);
                by_partition[usize::from(partition)].push((position, index));
                room -= 1;
                published += 1;
            }
        }
        self.relay = Subscription::from_position(next);
        self.relay_paused = (next <= store.head()).then(|| self.lag() + published);
        self.place(&mut by_partition);
        self.scratch_publish = by_partition;
        self.apply_retention();
    }

    /// Appends the positions chosen for each partition to the topic, with the delay and reordering
    /// the settings ask for.
    fn place(&mut self, by_partition: &mut [Vec<(Position, u32)>]) {
        let window = self.config.reorder_window as usize;
        for (p, positions) in by_partition.iter_mut().enumerate() {
            if self.config.reorder_within_partition && window >= 2 {
                for run in positions.chunks_mut(window) {
                    for i in (1..run.len()).rev() {
                        let j = self.rng.below(i as u64 + 1) as usize;
                        run.swap(i, j);
                    }
                }
            }
            for &(position, index) in positions.iter() {
                let jitter = if window > 0 {
                    self.rng.below(window as u64 + 1)
                } else {
                    0
                };
                let available_at = self.tick + u64::from(self.config.delay_ticks) + jitter;
                let record = self.topic.append(p as u16, position, available_at);
                self.fates.placed(p, index);
                if self.config.model == BrokerModel::Queue {
                    self.ready.push_back((record, Via::First));
                }
            }
        }
    }

    /// A log's retention: each partition keeps its last records only. A record that leaves before
    /// the group fetched it will never be delivered (the group's offsets move to the log start, as
    /// Kafka's `auto.offset.reset=earliest` does).
    fn apply_retention(&mut self) {
        let keep = self.config.retention;
        if keep == 0 || self.config.model == BrokerModel::Queue {
            return;
        }
        let keep = usize::try_from(keep).unwrap_or(usize::MAX);
        for p in 0..self.topic.partition_count() {
            for record in self.topic.retain_last(p, keep) {
                if record.offset >= self.fetched[p] {
                    let slot = self.fates.of_record(&record);
                    self.fates.change(slot, |f| f.expired = true);
                }
            }
            let start = self.topic.start_offset(p);
            self.fetched[p] = self.fetched[p].max(start);
            self.committed[p] = self.committed[p].max(start);
        }
    }

    /// Where a partition's consumer starts again from (a crash, a rebalance): its committed offset,
    /// or the log start if retention took that record.
    fn resume_offset(&self, p: usize) -> u64 {
        self.committed[p].max(self.topic.start_offset(p))
    }

    /// The positions of the events the topic still keeps, in log order.
    pub fn kept_positions(&self) -> Vec<Position> {
        self.topic.kept_positions()
    }

    /// "Replay from start" of a log under retention: the group starts again from each partition's
    /// earliest retained offset, so only the records the topic still keeps are delivered again;
    /// every other event published before is outside the retention, and the relay goes on from
    /// where it was. The topic stays as it is — unless the partitions changed, when its records are
    /// published again into a topic of the new count.
    pub fn replay_retained(&mut self, config: SimConfig, initial: P, store: &EventStore) {
        let kept = self.topic.kept_positions();
        let published_to = self.relay.next_position().saturating_sub(1);
        let same_topic = !P::PICKS && config.clamped().partitions == self.config.partitions;
        let topic = std::mem::replace(&mut self.topic, Topic::new(1));
        self.replay_with(config, initial);
        if same_topic {
            self.topic = topic;
            for p in 0..self.topic.partition_count() {
                let start = self.topic.start_offset(p);
                self.fetched[p] = start;
                self.committed[p] = start;
            }
            let mut kept = kept.into_iter().peekable();
            for position in 1..=published_to {
                let index = self.fates.publish(position) as usize;
                if kept.next_if_eq(&position).is_none() {
                    self.fates.change(index, |f| f.expired = true);
                }
            }
            self.relay = Subscription::from_position(published_to + 1);
            return;
        }
        let partitions = self.config.partitions;
        let mut by_partition: Vec<Vec<(Position, u32)>> = vec![Vec::new(); usize::from(partitions)];
        let mut kept = kept.into_iter().peekable();
        for position in 1..=published_to {
            if P::PICKS
                && !store
                    .schema_at(position)
                    .is_some_and(|schema| self.projection.wants(schema))
            {
                continue;
            }
            let index = self.fates.publish(position);
            if kept.next_if_eq(&position).is_some() {
                if let Some(partition) = store.partition_at(position, partitions) {
                    by_partition[usize::from(partition)].push((position, index));
                }
            } else {
                self.fates.change(index as usize, |f| f.expired = true);
            }
        }
        self.place(&mut by_partition);
        self.relay = Subscription::from_position(published_to + 1);
    }

    /// One consumer's poll: gather a batch (re-deliveries first, then partitions in turn, each in
    /// offset order and only what is deliverable), commit per the policy, process — or crash part-way.
    fn poll(&mut self, consumer: usize, store: &EventStore) {
        let mut mine = std::mem::take(&mut self.scratch_partitions);
        mine.clear();
        mine.extend((0..self.owners.len()).filter(|&p| self.owners[p] == Some(consumer)));
        let mut batch = std::mem::take(&mut self.scratch_batch);
        batch.clear();
        self.gather_and_process(consumer, store, &mine, &mut batch);
        self.scratch_partitions = mine;
        self.scratch_batch = batch;
    }

    fn gather_and_process(
        &mut self,
        consumer: usize,
        store: &EventStore,
        mine: &[usize],
        batch: &mut Vec<(Record, Via)>,
    ) {
        let mut buffer = std::mem::take(&mut self.buffers[consumer]);
        // Poll while holding fewer than it may: re-deliveries first, then partitions in turn.
        let cap = self.config.holds();
        for &p in mine {
            while buffer.len() < cap {
                match self.redeliver[p].pop_front() {
                    Some(entry) => buffer.push_back(entry),
                    None => break,
                }
            }
        }
        let mut progress = true;
        while buffer.len() < cap && progress {
            progress = false;
            for &p in mine {
                if buffer.len() >= cap {
                    break;
                }
                let deliverable = self
                    .topic
                    .record(p, self.fetched[p])
                    .filter(|r| r.available_at <= self.tick);
                if let Some(record) = deliverable {
                    self.fetched[p] += 1;
                    buffer.push_back((record, Via::First));
                    progress = true;
                }
            }
        }
        if self.config.commit_policy == CommitPolicy::BeforeProcessing {
            for &p in mine {
                self.committed[p] = self.fetched[p];
            }
        }
        // Process one batch of what it holds.
        let take = buffer.len().min(self.config.batch_size.max(1) as usize);
        batch.extend(buffer.drain(..take));
        if batch.is_empty() {
            self.buffers[consumer] = buffer;
            return;
        }
        let crash_at = if self.roll(self.config.crash_rate) {
            Some(self.rng.below(batch.len() as u64 + 1) as usize)
        } else {
            None
        };
        for (i, &(record, via)) in batch.iter().enumerate() {
            if crash_at == Some(i) {
                break;
            }
            self.process(consumer, record, via, store);
        }
        match crash_at {
            None => {
                if self.config.commit_policy == CommitPolicy::AfterProcessing {
                    // Up to the first record of each partition still held.
                    for &p in mine {
                        self.committed[p] = buffer
                            .iter()
                            .find(|(r, via)| *via == Via::First && usize::from(r.partition) == p)
                            .map_or(self.fetched[p], |(r, _)| r.offset)
                            .max(self.topic.start_offset(p));
                    }
                }
                self.buffers[consumer] = buffer;
            }
            Some(at) => {
                let unhandled: VecDeque<(Record, Via)> =
                    batch[at..].iter().copied().chain(buffer).collect();
                self.drop_held(consumer, unhandled);
                self.alive[consumer] = false;
                self.owners_stale = true;
                self.down_until[consumer] = self.tick + u64::from(self.config.restart_ticks);
                for &p in mine {
                    self.fetched[p] = self.resume_offset(p);
                }
            }
        }
    }

    /// Handles one delivery: the idempotency check, simulated failures and retries, the projection,
    /// and maybe a re-delivery later.
    fn process(&mut self, consumer: usize, record: Record, via: Via, store: &EventStore) {
        let Some(event) = store.get(record.position) else {
            return;
        };
        let redelivery = via != Via::First;
        self.counters.delivered += 1;
        self.counters.redelivered += u64::from(redelivery);
        let slot = self.fates.of_record(&record);
        // Order-preserving dead-letter queue: while an event of this stream is parked, what comes
        // after it waits behind it.
        if let Some(block) = (!self.blocks.is_empty())
            .then(|| self.blocks.get_mut(&event.stream_number))
            .flatten()
        {
            block.held.push(record);
            self.fates.change(slot, |f| f.held = true);
            return;
        }
        // Out of order: the first delivery of an event (or a retry) comes after a later event of its
        // stream. (Duplicates come late by nature and are counted as duplicates instead.)
        let first_delivery = self.fates.at(slot).deliveries == 0 || via == Via::Retry;
        let out_of_order = first_delivery && {
            let number = event.stream_number as usize;
            if number >= self.highest_received.len() {
                self.highest_received.resize(number + 1, 0);
            }
            let highest = &mut self.highest_received[number];
            let behind = event.stream_version < *highest;
            *highest = (*highest).max(event.stream_version);
            behind
        };
        self.fates.change(slot, |fate| {
            fate.deliveries += 1;
            fate.out_of_order |= out_of_order;
        });
        // The idempotency check comes first, as in a real idempotent consumer: a repeat is recognised
        // and skipped without running the handler again.
        let repeat = match self.config.idempotency {
            Idempotency::Off => false,
            Idempotency::ByEventId => self.seen_ids.contains(&event.event_id),
            Idempotency::ByStreamVersion => self
                .last_versions
                .get(event.stream_id)
                .is_some_and(|&last| event.stream_version <= last),
        };
        if repeat {
            self.fates.change(slot, |f| f.skipped += 1);
            self.note(consumer, record, redelivery, Outcome::SkippedRepeat);
            return;
        }
        self.counters.handled += 1;
        let mut attempts = 0;
        loop {
            attempts += 1;
            self.counters.attempts += 1;
            let Some(failure) = self.attempt_fails(record.position) else {
                break;
            };
            self.counters.failed_attempts += 1;
            if attempts > self.config.max_retries {
                self.counters.parked += 1;
                let earlier = self.earlier_attempts.remove(&record.position).unwrap_or(0);
                let entry = self.dead_letters.get_or_insert(DeadLetter {
                    record,
                    tick: self.tick,
                    stream: event.stream_number,
                    consumer: consumer as u16,
                    attempts: earlier,
                    failure,
                });
                // Parked again (a copy delivered after a crash): one entry, its attempts added up.
                entry.attempts += attempts;
                entry.tick = self.tick;
                entry.consumer = consumer as u16;
                entry.failure = failure;
                if self.config.ordered_dlq {
                    self.blocks.insert(
                        event.stream_number,
                        Block {
                            head: record.position,
                            held: Vec::new(),
                        },
                    );
                }
                self.fates.change(slot, |f| f.dead_lettered = true);
                self.note(
                    consumer,
                    record,
                    redelivery,
                    Outcome::DeadLettered { attempts },
                );
                return;
            }
        }
        if via == Via::Retry {
            self.earlier_attempts.remove(&record.position);
        }
        self.projection.apply(&event);
        match self.config.idempotency {
            Idempotency::Off => {}
            Idempotency::ByEventId => {
                self.seen_ids.insert(event.event_id);
            }
            Idempotency::ByStreamVersion => {
                self.last_versions
                    .insert(event.stream_id.clone(), event.stream_version);
            }
        }
        self.fates.change(slot, |f| f.applied += 1);
        self.note(consumer, record, redelivery, Outcome::Applied);
        if via != Via::Duplicate && self.roll(self.config.duplicate_rate) {
            self.send_again(record, Via::Duplicate);
        }
    }

    /// Whether one attempt at the event at `position` fails now, and why.
    fn attempt_fails(&mut self, position: Position) -> Option<Failure> {
        let rate = self.config.failure_rate;
        match self.config.failure_mode {
            FailureMode::Random => self.roll(rate).then_some(Failure::Random { rate }),
            FailureMode::Poison => {
                is_poison(self.config.seed, position, rate).then_some(Failure::Poison)
            }
            FailureMode::Outage { from } => {
                let until = self.config.outage_until().unwrap_or(from);
                (from..until)
                    .contains(&self.tick)
                    .then_some(Failure::Outage { until })
            }
        }
    }
}

/// Whether the event at `position` is a poison event: a share of `percent` % of the log, chosen by
/// `seed` and the position alone, so every attempt at it (and every run with the seed) agrees.
pub fn is_poison(seed: u64, position: Position, percent: u8) -> bool {
    let mut x = seed ^ position.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    x % 100 < u64::from(percent)
}
