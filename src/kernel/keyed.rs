//! Values kept in a vector and found through a map from key to index: one map type per key type,
//! whatever the value, so its code is in the bundle once (every repository's cache, the snapshot
//! store, a saga handler's fates), and a value once found is addressed by index.

use super::FastMap;
use std::hash::Hash;

/// Values by key, in order of insertion.
#[derive(Debug, Clone)]
pub struct Keyed<K, V> {
    index: FastMap<K, u32>,
    values: Vec<V>,
}

impl<K, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Self {
            index: FastMap::default(),
            values: Vec::new(),
        }
    }
}

impl<K: Hash + Eq + Clone, V> Keyed<K, V> {
    /// Where the value of `key` is, if it has one.
    pub fn find(&self, key: &K) -> Option<usize> {
        self.index.get(key).map(|&i| i as usize)
    }

    /// The value of `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.values.get(self.find(key)?)
    }

    /// The value of `key`, to change it.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let at = self.find(key)?;
        self.values.get_mut(at)
    }

    /// Where the value of `key` is, made by `make` when it has none.
    pub fn find_or_insert_with(&mut self, key: &K, make: impl FnOnce() -> V) -> usize {
        if let Some(at) = self.find(key) {
            return at;
        }
        self.index.insert(key.clone(), self.values.len() as u32);
        self.values.push(make());
        self.values.len() - 1
    }

    /// Sets the value of `key`.
    pub fn insert(&mut self, key: &K, value: V) {
        match self.get_mut(key) {
            Some(kept) => *kept = value,
            None => {
                self.index.insert(key.clone(), self.values.len() as u32);
                self.values.push(value);
            }
        }
    }
}

impl<K, V> Keyed<K, V> {
    /// The value at `at` (from [`Self::find`]).
    pub fn at(&self, at: usize) -> Option<&V> {
        self.values.get(at)
    }

    /// The value at `at`, to change it.
    pub fn at_mut(&mut self, at: usize) -> Option<&mut V> {
        self.values.get_mut(at)
    }

    /// Every value, in order of insertion.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.values.iter()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_found_by_key_and_by_index_and_replaced_in_place() {
        let mut k: Keyed<&str, u32> = Keyed::default();
        assert_eq!(k.find_or_insert_with(&"a", || 1), 0);
        assert_eq!(k.find_or_insert_with(&"b", || 2), 1);
        assert_eq!(k.find_or_insert_with(&"a", || 9), 0);
        k.insert(&"b", 5);
        k.insert(&"c", 7);
        assert_eq!(
            (k.get(&"a"), k.get(&"b"), k.at(2)),
            (Some(&1), Some(&5), Some(&7))
        );
        assert_eq!(k.len(), 3);
        assert_eq!(k.get(&"d"), None);
        if let Some(v) = k.get_mut(&"a") {
            *v += 1;
        }
        assert_eq!(k.values().copied().collect::<Vec<_>>(), [2, 5, 7]);
    }
}
