//! Rows of a read model, one per stream, found by the store's stream number.
//!
//! A read model folding a million events looks up a row per event. Found by the stream's number (a
//! `u32` the store gives each stream in order of first append) through a plain index vector, the
//! lookup is two array reads: no hashing of the stream's name. The name is kept with the row, for
//! showing it and for finding a row by id (queries).

use crate::kernel::{FastMap, RecordedEvent, StreamId};

/// One row per stream.
#[derive(Debug, Clone, Default)]
pub struct StreamRows<T> {
    /// For each stream number, 1 + the index of its row in `rows` (0 = no row).
    slots: Vec<u32>,
    /// The rows, in order of creation, with their stream's number and id.
    rows: Vec<(u32, StreamId, T)>,
    by_id: FastMap<StreamId, u32>,
}

impl<T: PartialEq> PartialEq for StreamRows<T> {
    /// Equal when every stream has the same row (whatever order the rows were created in).
    fn eq(&self, other: &Self) -> bool {
        self.rows.len() == other.rows.len()
            && self
                .rows
                .iter()
                .all(|(n, _, row)| other.by_number(*n).is_some_and(|(_, o)| o == row))
    }
}

impl<T: Eq> Eq for StreamRows<T> {}

impl<T: Default> StreamRows<T> {
    /// The row of `event`'s stream, created empty when missing.
    #[inline(always)]
    pub fn row_mut(&mut self, event: &RecordedEvent<'_>) -> &mut T {
        let number = event.stream_number;
        let at = number as usize;
        if at >= self.slots.len() {
            self.slots.resize(at + 1, 0);
        }
        let index = match self.slots[at] {
            0 => {
                self.rows
                    .push((number, event.stream_id.clone(), T::default()));
                self.by_id.insert(event.stream_id.clone(), number);
                self.slots[at] = self.rows.len() as u32;
                self.rows.len() - 1
            }
            slot => slot as usize - 1,
        };
        &mut self.rows[index].2
    }
}

impl<T> StreamRows<T> {
    /// The row of the stream with this number, and the stream's id.
    #[inline(always)]
    pub fn by_number(&self, number: u32) -> Option<(&StreamId, &T)> {
        let slot = *self.slots.get(number as usize)?;
        let (_, id, row) = self.rows.get(usize::try_from(slot).ok()?.checked_sub(1)?)?;
        Some((id, row))
    }

    /// The row of the stream with this id.
    pub fn get(&self, id: &StreamId) -> Option<&T> {
        self.by_number(*self.by_id.get(id)?).map(|(_, row)| row)
    }

    /// The number of the stream with this id, if it has a row.
    pub fn number_of(&self, id: &StreamId) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// Every row with its stream's id, in order of creation.
    pub fn iter(&self) -> impl Iterator<Item = (&StreamId, &T)> {
        self.rows.iter().map(|(_, id, row)| (id, row))
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl<T: PartialEq> StreamRows<T> {
    /// The numbers of the streams whose rows differ between `self` and `other`, in stream order.
    pub fn differing(&self, other: &Self) -> Vec<u32> {
        let mut numbers: Vec<u32> = self
            .rows
            .iter()
            .filter(|(n, _, row)| other.by_number(*n).is_none_or(|(_, o)| o != row))
            .map(|(n, _, _)| *n)
            .chain(
                other
                    .rows
                    .iter()
                    .filter(|(n, _, _)| self.by_number(*n).is_none())
                    .map(|(n, _, _)| *n),
            )
            .collect();
        numbers.sort_unstable();
        numbers
    }
}
