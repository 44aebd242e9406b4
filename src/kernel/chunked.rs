//! A vector kept in fixed-size chunks: it grows to millions of entries without ever copying what it
//! already holds (the log's rows, the sagas' journal). Chunks are shared: a [`Chunked::prefix`] (a
//! branch of the log) shares every whole chunk with the list it came from, and a chunk is copied
//! only when one of the two writes to it while shared.

use std::rc::Rc;

/// Entries per chunk, as a power of two.
pub const CHUNK_BITS: u32 = 12;
/// Entries per chunk.
pub const CHUNK_LEN: usize = 1 << CHUNK_BITS;

/// The chunk of entry `index`, and where in it the entry is.
#[inline(always)]
pub fn chunk_of(index: usize) -> (usize, usize) {
    (index >> CHUNK_BITS, index & (CHUNK_LEN - 1))
}

/// A growable list in chunks of [`CHUNK_LEN`] entries.
#[derive(Debug, Clone)]
pub struct Chunked<T> {
    chunks: Vec<Rc<Vec<T>>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entry `index`.
    #[inline(always)]
    pub fn get(&self, index: usize) -> Option<&T> {
        let (chunk, within) = chunk_of(index);
        self.chunks.get(chunk)?.get(within)
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// Calls `f` with every entry from `from` (inclusive) to `to` (exclusive), clipped to the list,
    /// in order, walking each chunk as a slice.
    #[inline(always)]
    pub fn for_each_in(&self, from: usize, to: usize, mut f: impl FnMut(&T)) {
        let end = to.min(self.len);
        let mut index = from;
        while index < end {
            let (chunk, within) = chunk_of(index);
            let Some(chunk) = self.chunks.get(chunk) else {
                return;
            };
            let take = (CHUNK_LEN - within).min(end - index);
            for entry in chunk.get(within..within + take).unwrap_or(&[]) {
                f(entry);
            }
            index += take;
        }
    }

    /// Entries the chunks have room for.
    pub fn capacity(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity()).sum()
    }
}

impl<T: Clone> Chunked<T> {
    /// Entry `index`, to change it (its chunk is copied first if it is shared).
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        let (chunk, within) = chunk_of(index);
        Rc::make_mut(self.chunks.get_mut(chunk)?).get_mut(within)
    }

    /// Adds `value` at the end.
    pub fn push(&mut self, value: T) {
        let (chunk, _) = chunk_of(self.len);
        if chunk == self.chunks.len() {
            self.chunks.push(Rc::new(Vec::with_capacity(CHUNK_LEN)));
        }
        if let Some(last) = self.chunks.last_mut() {
            Rc::make_mut(last).push(value);
            self.len += 1;
        }
    }

    /// The first `len` entries (all, if there are fewer), sharing every whole chunk with this list:
    /// only a partly taken chunk is copied.
    pub fn prefix(&self, len: usize) -> Self {
        let len = len.min(self.len);
        let (whole, within) = chunk_of(len);
        let mut chunks: Vec<Rc<Vec<T>>> = self.chunks.iter().take(whole).cloned().collect();
        if within > 0 {
            if let Some(chunk) = self.chunks.get(whole) {
                let mut part = Vec::with_capacity(CHUNK_LEN);
                part.extend_from_slice(&chunk[..within]);
                chunks.push(Rc::new(part));
            }
        }
        Self { chunks, len }
    }

    /// True when entry `index`'s chunk is also held by another list (a prefix or the list it came
    /// from).
    pub fn is_shared(&self, index: usize) -> bool {
        self.chunks
            .get(chunk_of(index).0)
            .is_some_and(|c| Rc::strong_count(c) > 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_across_chunks_keep_their_order_and_index() {
        let mut list = Chunked::default();
        for n in 0..(2 * CHUNK_LEN + 10) {
            list.push(n);
        }
        assert_eq!(list.len(), 2 * CHUNK_LEN + 10);
        assert_eq!(list.get(CHUNK_LEN), Some(&CHUNK_LEN));
        assert_eq!(list.get(2 * CHUNK_LEN + 10), None);
        let mut seen = Vec::new();
        list.for_each_in(CHUNK_LEN - 2, CHUNK_LEN + 3, |&n| seen.push(n));
        assert_eq!(seen, (CHUNK_LEN - 2..CHUNK_LEN + 3).collect::<Vec<_>>());
        assert!(list.iter().copied().eq(0..2 * CHUNK_LEN + 10));
        if let Some(n) = list.get_mut(3) {
            *n = 99;
        }
        assert_eq!(list.get(3), Some(&99));
    }

    #[test]
    fn a_prefix_shares_whole_chunks_and_neither_list_sees_the_other_s_writes() {
        let mut list = Chunked::default();
        for n in 0..(2 * CHUNK_LEN + 10) {
            list.push(n);
        }
        let mut prefix = list.prefix(CHUNK_LEN + 5);
        assert_eq!(prefix.len(), CHUNK_LEN + 5);
        assert!(prefix.is_shared(0) && list.is_shared(0));
        assert!(!prefix.is_shared(CHUNK_LEN));
        prefix.push(7);
        if let Some(n) = prefix.get_mut(1) {
            *n = 1_000;
        }
        list.push(8);
        assert!(list.iter().copied().eq((0..2 * CHUNK_LEN + 10).chain([8])));
        assert!(prefix
            .iter()
            .copied()
            .eq([0, 1_000].into_iter().chain(2..CHUNK_LEN + 5).chain([7])));
        // The write copied the shared chunk for the prefix alone.
        assert!(!prefix.is_shared(0) && !list.is_shared(0));
        assert_eq!(list.prefix(usize::MAX).len(), list.len());
    }
}
