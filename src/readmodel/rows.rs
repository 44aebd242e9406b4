//! Rows of a read model, one per stream, found by the store's stream number.
//!
//! A read model folding a million events looks up a row per event. Found by the stream's number (a
//! `u32` the store gives each stream in order of first append) through a plain index vector, the
//! lookup is two array reads: no hashing of the stream's name. The name is kept with the row, for
//! showing it. A row is found by name through the store's own index of names to numbers, so that a
//! read model keeps no second one (creating 100,000 rows would otherwise hash 100,000 names).

use super::RowId;
use crate::kernel::{EventStore, RecordedEvent, StreamId};

/// One row per stream.
#[derive(Debug, Clone, Default)]
pub struct StreamRows<T> {
    /// For each stream number, 1 + the index of its row in `rows` (0 = no row).
    slots: Vec<u32>,
    /// The rows, in order of creation, with their stream's number and id.
    rows: Vec<(u32, StreamId, T)>,
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

    /// The row of the stream with this id (numbered by `store`, the store the events came from).
    pub fn get(&self, store: &EventStore, id: &StreamId) -> Option<&T> {
        self.by_number(store.stream_number(id)?).map(|(_, row)| row)
    }

    /// Every row with its stream's id, in order of creation.
    pub fn iter(&self) -> impl Iterator<Item = (&StreamId, &T)> {
        self.rows.iter().map(|(_, id, row)| (id, row))
    }

    /// Every row with its stream's number and id, in order of creation.
    pub fn numbered(&self) -> impl Iterator<Item = (u32, &StreamId, &T)> {
        self.rows.iter().map(|(n, id, row)| (*n, id, row))
    }

    /// The name of stream `number`, for labelling its row ("stream #n" when it has no row).
    pub fn label(&self, number: u32) -> String {
        self.by_number(number)
            .map_or_else(|| format!("stream #{number}"), |(id, _)| id.to_string())
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
    /// The streams whose rows differ between `self` and `other` (as [`RowId::Stream`]s), in stream
    /// order.
    pub fn differing(&self, other: &Self) -> Vec<RowId> {
        // Marked in a bitmap by stream number and read back in order: no sort (whose code would
        // be in the bundle for this alone).
        let mut marks = vec![0u64; self.slots.len().max(other.slots.len()).div_ceil(64)];
        let mut mark = |n: u32| {
            if let Some(word) = marks.get_mut(n as usize / 64) {
                *word |= 1 << (n % 64);
            }
        };
        for (n, _, row) in &self.rows {
            if other.by_number(*n).is_none_or(|(_, o)| o != row) {
                mark(*n);
            }
        }
        for (n, _, _) in &other.rows {
            if self.by_number(*n).is_none() {
                mark(*n);
            }
        }
        let mut rows = Vec::new();
        for (w, &word) in marks.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let bit = bits.trailing_zeros();
                rows.push(RowId::Stream(w as u32 * 64 + bit));
                bits &= bits - 1;
            }
        }
        rows
    }
}
