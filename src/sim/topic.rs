//! The topic: partitions of records, each record pointing at an event of the log.

use crate::kernel::Position;

/// A moment of simulated time.
pub type Tick = u64;

/// One message in a partition: which event it carries and when it becomes deliverable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The event's global position in the log.
    pub position: Position,
    /// The partition it is in.
    pub partition: u16,
    /// Its offset within that partition (0-based, as Kafka counts).
    pub offset: u64,
    /// The first tick at which a consumer may receive it.
    pub available_at: Tick,
}

/// A topic with a fixed number of partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    partitions: Vec<Vec<Record>>,
}

impl Topic {
    /// An empty topic of `partitions` partitions.
    pub fn new(partitions: u16) -> Self {
        Self {
            partitions: vec![Vec::new(); usize::from(partitions.max(1))],
        }
    }

    /// Number of partitions.
    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    /// The log end offset of a partition (the offset the next record will get).
    pub fn end_offset(&self, partition: usize) -> u64 {
        self.partitions.get(partition).map_or(0, |p| p.len() as u64)
    }

    /// The record at `offset` of `partition`.
    pub fn record(&self, partition: usize, offset: u64) -> Option<&Record> {
        self.partitions
            .get(partition)?
            .get(usize::try_from(offset).ok()?)
    }

    /// Appends a record for the event at `position` to `partition`, deliverable from `available_at`.
    pub fn append(&mut self, partition: u16, position: Position, available_at: Tick) -> Record {
        let list = &mut self.partitions[usize::from(partition)];
        let record = Record {
            position,
            partition,
            offset: list.len() as u64,
            available_at,
        };
        list.push(record);
        record
    }
}
