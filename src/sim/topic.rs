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

/// A record as a partition keeps it: 8 bytes (its partition and offset are where it is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    position: u32,
    available_at: u32,
}

/// A topic with a fixed number of partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    partitions: Vec<Vec<Slot>>,
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
    pub fn record(&self, partition: usize, offset: u64) -> Option<Record> {
        let slot = self
            .partitions
            .get(partition)?
            .get(usize::try_from(offset).ok()?)?;
        Some(Record {
            position: Position::from(slot.position),
            partition: u16::try_from(partition).ok()?,
            offset,
            available_at: Tick::from(slot.available_at),
        })
    }

    /// Appends a record for the event at `position` (at most `u32::MAX`, as the store's are) to
    /// `partition`, deliverable from `available_at` (a tick past `u32::MAX` is kept as that).
    pub fn append(&mut self, partition: u16, position: Position, available_at: Tick) -> Record {
        let Some(list) = self.partitions.get_mut(usize::from(partition)) else {
            return Record {
                position,
                partition,
                offset: 0,
                available_at,
            };
        };
        let offset = list.len() as u64;
        list.push(Slot {
            position: u32::try_from(position).unwrap_or(u32::MAX),
            available_at: u32::try_from(available_at).unwrap_or(u32::MAX),
        });
        Record {
            position,
            partition,
            offset,
            available_at,
        }
    }
}
