//! The topic: partitions of records, each record pointing at an event of the log.

use crate::kernel::Position;
use std::collections::VecDeque;

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

/// A topic with a fixed number of partitions, each keeping its records from its log start offset
/// (older ones may have left it under retention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    partitions: Vec<VecDeque<Slot>>,
    starts: Vec<u64>,
}

impl Topic {
    /// An empty topic of `partitions` partitions.
    pub fn new(partitions: u16) -> Self {
        let n = usize::from(partitions.max(1));
        Self {
            partitions: vec![VecDeque::new(); n],
            starts: vec![0; n],
        }
    }

    /// Number of partitions.
    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    /// The log end offset of a partition (the offset the next record will get).
    pub fn end_offset(&self, partition: usize) -> u64 {
        self.start_offset(partition) + self.partitions.get(partition).map_or(0, |p| p.len() as u64)
    }

    /// The log start offset of a partition: its earliest record still kept.
    pub fn start_offset(&self, partition: usize) -> u64 {
        self.starts.get(partition).copied().unwrap_or(0)
    }

    /// The record at `offset` of `partition` (`None` past the end or before the start).
    pub fn record(&self, partition: usize, offset: u64) -> Option<Record> {
        let start = self.start_offset(partition);
        let slot = self
            .partitions
            .get(partition)?
            .get(usize::try_from(offset.checked_sub(start)?).ok()?)?;
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
        let offset = self.end_offset(usize::from(partition));
        let Some(list) = self.partitions.get_mut(usize::from(partition)) else {
            return Record {
                position,
                partition,
                offset: 0,
                available_at,
            };
        };
        list.push_back(Slot {
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

    /// Retention: keeps the last `keep` records of `partition`; returns those that left it, oldest
    /// first.
    pub fn retain_last(&mut self, partition: usize, keep: usize) -> Vec<Record> {
        let mut left = Vec::new();
        while self
            .partitions
            .get(partition)
            .is_some_and(|p| p.len() > keep)
        {
            let offset = self.start_offset(partition);
            if let Some(record) = self.record(partition, offset) {
                left.push(record);
            }
            if let Some(list) = self.partitions.get_mut(partition) {
                list.pop_front();
            }
            self.starts[partition] += 1;
        }
        left
    }

    /// The positions of every record the topic still keeps, in log order.
    pub fn kept_positions(&self) -> Vec<Position> {
        let mut positions: Vec<Position> = self
            .partitions
            .iter()
            .flatten()
            .map(|slot| Position::from(slot.position))
            .collect();
        positions.sort_unstable();
        positions
    }
}
