//! Counted calls added up by a key: the totals, each model's part, the first and last call, and the
//! context of the latest main-conversation call. Pure arithmetic over the ledger's entries.

use std::collections::BTreeMap;

use crate::ground::tokens::{Entry, SIDECHAIN, Totals};

/// One model's part of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelPart {
    pub model: u16,
    /// When it was first and last used.
    pub first: i64,
    pub last: i64,
    pub totals: Totals,
}

/// What a group of calls adds up to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Acc {
    pub totals: Totals,
    /// Each model's part, in the order first seen. A group has a handful of models, so a list
    /// searched from its last hit costs less than a map: the month report over 97k calls went from
    /// 38 ms to (see `benches/bench.sh`) with the list and the streamed read together.
    pub models: Vec<ModelPart>,
    /// Times of the first and last call (0 when empty).
    pub first: i64,
    pub last: i64,
    /// The latest call of the main conversation (a subagent's has its own context): its time and
    /// input-side tokens, which is how full the context was.
    pub last_main: Option<(i64, u64)>,
}

impl Acc {
    fn part(&mut self, model: u16, ts: i64) -> &mut ModelPart {
        let i = match self.models.iter().rposition(|m| m.model == model) {
            Some(i) => i,
            None => {
                // Most groups (a session, a day) have one model or two: room for one at a time.
                self.models.reserve_exact(1);
                self.models.push(ModelPart { model, first: ts, last: ts, totals: Totals::default() });
                self.models.len() - 1
            }
        };
        let m = &mut self.models[i];
        m.first = m.first.min(ts);
        m.last = m.last.max(ts);
        m
    }

    pub fn add(&mut self, e: &Entry) {
        if self.totals.entries == 0 || e.ts < self.first {
            self.first = e.ts;
        }
        self.last = self.last.max(e.ts);
        self.totals.add_entry(e);
        self.part(e.model, e.ts).totals.add_entry(e);
        if e.flags & SIDECHAIN == 0 && self.last_main.is_none_or(|(t, _)| e.ts >= t) {
            self.last_main = Some((e.ts, e.sums.input_side()));
        }
    }

    pub fn merge(&mut self, o: &Acc) {
        if o.totals.entries == 0 {
            return;
        }
        if self.totals.entries == 0 || o.first < self.first {
            self.first = o.first;
        }
        self.last = self.last.max(o.last);
        self.totals = self.totals + o.totals;
        for m in &o.models {
            let mine = self.part(m.model, m.first);
            mine.last = mine.last.max(m.last);
            mine.totals = mine.totals + m.totals;
        }
        if let Some((t, c)) = o.last_main
            && self.last_main.is_none_or(|(mine, _)| t >= mine)
        {
            self.last_main = Some((t, c));
        }
    }

    /// The models in the order they were first used.
    pub fn models_by_first_use(&self) -> Vec<u16> {
        let mut v: Vec<(i64, u16)> = self.models.iter().map(|m| (m.first, m.model)).collect();
        v.sort_unstable();
        v.into_iter().map(|(_, m)| m).collect()
    }

    /// The models by cost, dearest first (then by tokens, then by id, for a stable order).
    pub fn models_by_cost(&self) -> Vec<(u16, Totals)> {
        let mut v: Vec<(u16, Totals)> = self.models.iter().map(|m| (m.model, m.totals)).collect();
        v.sort_by(|a, b| {
            b.1.sums.cost.cmp(&a.1.sums.cost).then(b.1.sums.total().cmp(&a.1.sums.total())).then(a.0.cmp(&b.0))
        });
        v
    }
}

/// Calls added up by file as they come, indexed by file id (ids are small and dense; a map lookup
/// per call was the largest part of a warm `status`).
#[derive(Debug, Default)]
pub struct ByFile {
    index: Vec<u32>,
    pub groups: Vec<(u32, Acc)>,
}

impl ByFile {
    pub fn add(&mut self, e: &Entry) {
        let f = e.file as usize;
        if f >= 1 << 24 {
            return self.groups.push((e.file, one(e)));
        }
        if self.index.len() <= f {
            self.index.resize(f + 1, 0);
        }
        if self.index[f] == 0 {
            self.groups.push((e.file, Acc::default()));
            self.index[f] = self.groups.len() as u32;
        }
        self.groups[self.index[f] as usize - 1].1.add(e);
    }

    #[cfg(test)]
    pub fn of(entries: &[Entry]) -> ByFile {
        let mut b = ByFile::default();
        entries.iter().for_each(|e| b.add(e));
        b
    }
}

fn one(e: &Entry) -> Acc {
    let mut a = Acc::default();
    a.add(e);
    a
}

/// Adds up calls by `key`.
#[cfg(test)]
pub fn fold<K: Ord>(entries: &[Entry], mut key: impl FnMut(&Entry) -> K) -> BTreeMap<K, Acc> {
    let mut out: BTreeMap<K, Acc> = BTreeMap::new();
    for e in entries {
        out.entry(key(e)).or_default().add(e);
    }
    out
}

/// Merges groups under a coarser key (files into sessions, sessions into projects). A group alone
/// under its key is moved, not copied: over 100k sessions of one file each, a report held every group
/// twice.
pub fn regroup<K, J: Ord>(
    groups: impl IntoIterator<Item = (K, Acc)>,
    mut key: impl FnMut(&K) -> J,
) -> BTreeMap<J, Acc> {
    let mut out: BTreeMap<J, Acc> = BTreeMap::new();
    for (k, a) in groups {
        match out.entry(key(&k)) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(a);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().merge(&a),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::tokens::Sums;

    fn e(ts: i64, file: u32, model: u16, input: u64, read: u64, flags: u8) -> Entry {
        let sums = Sums { input, cache_read: read, output: 10, cost: u128::from(input), ..Sums::default() };
        Entry { ts, file, model, flags, sums }
    }

    #[test]
    fn groups_add_up_and_merge_to_the_same() {
        let calls = [e(1, 1, 0, 100, 900, 0), e(2, 2, 1, 50, 0, 0), e(3, 1, 0, 10, 90, SIDECHAIN), e(4, 2, 1, 5, 5, 0)];
        let by_file = fold(&calls, |e| e.file);
        let one = &by_file[&1];
        assert_eq!((one.totals.entries, one.first, one.last), (2, 1, 3));
        assert_eq!(one.last_main, Some((1, 1000)), "the subagent's call at 3 is not the session's context");
        assert_eq!(by_file[&2].last_main, Some((4, 10)));
        let all = regroup(by_file.clone(), |_| ());
        let direct = fold(&calls, |_| ());
        assert_eq!(all[&()].totals, direct[&()].totals, "merging groups gives what adding the calls gives");
        assert_eq!(all[&()].models_by_cost(), direct[&()].models_by_cost());
        let a = &all[&()];
        assert_eq!((a.totals.entries, a.totals.sums.input, a.first, a.last), (4, 165, 1, 4));
        assert_eq!(a.last_main, Some((4, 10)));
        // Model 0 cost 110, model 1 cost 55: dearest first.
        let order: Vec<u16> = a.models_by_cost().iter().map(|(m, _)| *m).collect();
        assert_eq!(order, vec![0, 1]);
        assert_eq!(a.models_by_first_use(), vec![0, 1]);
        assert_eq!(fold(&calls[1..], |_| ())[&()].models_by_first_use(), vec![1, 0], "model 1 at 2, model 0 at 3");
    }

    #[test]
    fn a_group_holds_room_for_its_models_and_moves_whole() {
        // Over 100k sessions of one file and one model each, every byte of a group counts: room for
        // the one model, and the file's group becomes the session's, not a copy of it.
        let calls = [e(1, 1, 0, 100, 900, 0), e(2, 1, 0, 50, 0, 0)];
        let by_file = fold(&calls, |e| e.file);
        let one = &by_file[&1];
        assert_eq!(one.models.capacity(), 1);
        let at = one.models.as_ptr();
        let sessions = regroup(by_file, |_| "s1");
        assert_eq!(sessions["s1"].models.as_ptr(), at, "moved, not copied");
    }
}
