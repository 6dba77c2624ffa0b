//! A map keyed by id, as a sorted `Vec`: the session's maps hold a handful of
//! conversations, so this is as fast as a tree and a fraction of its code.

/// Values by `i64` id, iterated in id order.
#[derive(Debug, Clone)]
pub struct IdMap<V> {
    items: Vec<(i64, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap { items: Vec::new() }
    }
}

impl<V> IdMap<V> {
    fn find(&self, id: i64) -> Result<usize, usize> {
        self.items.binary_search_by_key(&id, |(k, _)| *k)
    }

    /// The value of `id`.
    pub fn get(&self, id: i64) -> Option<&V> {
        let at = self.find(id).ok()?;
        self.items.get(at).map(|(_, v)| v)
    }

    /// The value of `id`, to change.
    pub fn get_mut(&mut self, id: i64) -> Option<&mut V> {
        let at = self.find(id).ok()?;
        self.items.get_mut(at).map(|(_, v)| v)
    }

    /// Whether `id` is present.
    pub fn contains(&self, id: i64) -> bool {
        self.find(id).is_ok()
    }

    /// Sets `id` to `value`; returns the value it replaces.
    pub fn insert(&mut self, id: i64, value: V) -> Option<V> {
        match self.find(id) {
            Ok(at) => self
                .items
                .get_mut(at)
                .map(|slot| core::mem::replace(&mut slot.1, value)),
            Err(at) => {
                self.items.insert(at.min(self.items.len()), (id, value));
                None
            }
        }
    }

    /// Takes every value out.
    pub fn drain(&mut self) -> impl Iterator<Item = V> + '_ {
        self.items.drain(..).map(|(_, v)| v)
    }

    /// Takes `id` out.
    pub fn remove(&mut self, id: i64) -> Option<V> {
        let at = self.find(id).ok()?;
        (at < self.items.len()).then(|| self.items.remove(at).1)
    }

    /// The value of `id`, made with `make` when absent.
    pub fn get_or_insert_with(&mut self, id: i64, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.find(id) {
            Ok(at) => at,
            Err(at) => {
                let at = at.min(self.items.len());
                self.items.insert(at, (id, make()));
                at
            }
        };
        let last = self.items.len().saturating_sub(1);
        // Cannot panic: the map holds `id` at `at` now, so it is not empty and
        // `at <= last`.
        #[allow(clippy::indexing_slicing)]
        &mut self.items[at.min(last)].1
    }

    /// `(id, value)` in id order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &V)> {
        self.items.iter().map(|(k, v)| (*k, v))
    }

    /// `(id, value)` in id order, to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (i64, &mut V)> {
        self.items.iter_mut().map(|(k, v)| (*k, v))
    }

    /// Values in id order, to change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }

    /// `(id, value)` of the ids above `id`, in order.
    pub fn above(&self, id: i64) -> impl Iterator<Item = (i64, &V)> {
        let at = self.items.partition_point(|(k, _)| *k <= id);
        self.items
            .get(at..)
            .unwrap_or(&[])
            .iter()
            .map(|(k, v)| (*k, v))
    }

    /// Values in id order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    /// Keeps only what `keep` says.
    pub fn retain(&mut self, mut keep: impl FnMut(i64, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| keep(*k, v));
    }

    /// Empties the map.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
