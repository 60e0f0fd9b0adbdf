//! Folding new records into the cache without rewriting the base: which base rows no longer count
//! and which calls count now, for every response the new records touch ("adjustments"), and the
//! readings and notices that follow their files.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;

use super::base::NONE;
use super::db::Db;
use super::state::{Adj, FromFile, KEEP_OBS};

/// Windows of readings kept per provider, allowance and window length.
const KEEP_WINDOWS: usize = 8;
use crate::ground::evidence::{LimitHit, Reading, telling, windows};
use crate::ground::provider::Provider;
use crate::ground::tokens::Entry;
use crate::read::dedup;
use crate::read::record::Rec;

/// New records from one file.
pub struct Update {
    pub file: u32,
    /// Drop everything this file contributed before (it was truncated, replaced, or is gone).
    pub drop_old: bool,
    pub recs: Vec<Rec>,
    pub readings: Vec<Reading>,
    pub hits: Vec<LimitHit>,
}

impl Update {
    /// A file whose every contribution goes.
    pub fn gone(file: u32) -> Update {
        Update { file, drop_old: true, recs: Vec::new(), readings: Vec::new(), hits: Vec::new() }
    }
}

impl Db {
    /// Applies new records: drops what re-read or vanished files contributed, keeps the best line per
    /// key within each file, and re-decides which lines count for every response touched.
    pub fn apply(&mut self, updates: &[Update]) -> io::Result<()> {
        let dropped: HashSet<u32> = updates.iter().filter(|u| u.drop_old).map(|u| u.file).collect();
        let mut affected: BTreeSet<u64> = BTreeSet::new();
        let mut dead: BTreeSet<u32> = self.state.dead.iter().copied().collect();
        let mut members: HashMap<u64, Vec<(u32, Rec, u32)>> = HashMap::new();

        self.state.delta.retain(|r| {
            let keep = !dropped.contains(&r.file);
            if !keep {
                affected.insert(r.msg);
            }
            keep
        });
        if let Some(base) = &self.base {
            for &f in &dropped {
                for idx in base.records_of_file(f)? {
                    if dead.insert(idx) {
                        let (r, _) = base.record(idx)?;
                        affected.insert(r.msg);
                    }
                }
            }
        }

        self.state.delta.reserve(updates.iter().map(|u| u.recs.len()).sum());
        let mut by_file_key: HashMap<(u32, u64), usize> =
            self.state.delta.iter().enumerate().map(|(i, r)| ((r.file, r.key), i)).collect();
        for u in updates {
            for r in &u.recs {
                affected.insert(r.msg);
                if let Some(&i) = by_file_key.get(&(r.file, r.key)) {
                    if dedup::better(r, &self.state.delta[i]).is_gt() {
                        self.state.delta[i] = *r;
                    }
                    continue;
                }
                if let (false, Some(base)) = (u.drop_old, &self.base) {
                    if let std::collections::hash_map::Entry::Vacant(v) = members.entry(r.msg) {
                        v.insert(base.records_of_msg(r.msg)?);
                    }
                    let m = &members[&r.msg];
                    let same =
                        m.iter().find(|(idx, old, _)| old.file == r.file && old.key == r.key && !dead.contains(idx));
                    if let Some((idx, old, _)) = same {
                        if dedup::better(r, old).is_le() {
                            continue;
                        }
                        dead.insert(*idx);
                    }
                }
                by_file_key.insert((r.file, r.key), self.state.delta.len());
                self.state.delta.push(*r);
            }
        }

        if self.base.is_some() {
            let mut delta_by_msg: HashMap<u64, Vec<usize>> = HashMap::new();
            for (i, r) in self.state.delta.iter().enumerate() {
                if affected.contains(&r.msg) {
                    delta_by_msg.entry(r.msg).or_default().push(i);
                }
            }
            for &m in &affected {
                let base_all = match (&self.base, members.remove(&m)) {
                    (_, Some(v)) => v,
                    (Some(b), None) => b.records_of_msg(m)?,
                    (None, None) => Vec::new(),
                };
                let adj = self.resolve(m, &base_all, &dead, delta_by_msg.get(&m).map_or(&[][..], Vec::as_slice));
                match (self.state.adj.binary_search_by_key(&m, |a| a.msg), adj) {
                    (Ok(i), Some(a)) => self.state.adj[i] = a,
                    (Ok(i), None) => {
                        self.state.adj.remove(i);
                    }
                    (Err(i), Some(a)) => self.state.adj.insert(i, a),
                    (Err(_), None) => {}
                }
            }
        }
        // Without a base there is nothing to adjust: the first compaction builds it from these whole.
        self.state.dead = dead.into_iter().collect();
        self.observe(&dropped, updates);
        Ok(())
    }

    /// Readings and notices follow their files: dropped with them, added once, the newest kept.
    fn observe(&mut self, dropped: &HashSet<u32>, updates: &[Update]) {
        let st = &mut self.state;
        st.readings.retain(|o| !dropped.contains(&o.file));
        st.hits.retain(|o| !dropped.contains(&o.file));
        // Codex writes a reading with every call: de-duplicate through sets, not a scan per new one.
        let rid =
            |f: u32, r: &Reading| (f, r.provider, r.window as u8, r.used_percent.to_bits(), r.resets_at, r.observed_at);
        let mut have: HashSet<_> = st.readings.iter().map(|o| rid(o.file, &o.value)).collect();
        let mut have_hits: HashSet<(u32, LimitHit)> = st.hits.iter().map(|o| (o.file, o.value)).collect();
        for u in updates {
            for r in &u.readings {
                if have.insert(rid(u.file, r)) {
                    st.readings.push(FromFile { file: u.file, value: r.clone() });
                }
            }
            for h in &u.hits {
                if have_hits.insert((u.file, *h)) {
                    st.hits.push(FromFile { file: u.file, value: *h });
                }
            }
        }
        let order = |a: i64, fa: u32, ra: i64, b: i64, fb: u32, rb: i64| a.cmp(&b).then(fa.cmp(&fb)).then(ra.cmp(&rb));
        st.readings.sort_by(|a, b| {
            order(a.value.observed_at, a.file, a.value.resets_at, b.value.observed_at, b.file, b.value.resets_at)
        });
        st.hits.sort_by(|a, b| {
            order(
                a.value.at,
                a.file,
                a.value.resets_at.unwrap_or(0),
                b.value.at,
                b.file,
                b.value.resets_at.unwrap_or(0),
            )
        });
        // Codex writes a reading with every call: of each window the first of each whole point and
        // the window's last (`telling`), of the newest KEEP_WINDOWS windows of each kind.
        let keep = thin(&st.readings.iter().map(|o| &o.value).collect::<Vec<_>>());
        let mut keep = keep.into_iter();
        st.readings.retain(|_| keep.next().unwrap_or(true));
        let mut seen: HashMap<(Provider, u8), usize> = HashMap::new();
        let keep: Vec<bool> = st
            .hits
            .iter()
            .rev()
            .map(|o| {
                let n = seen.entry((o.value.provider, o.value.window as u8)).or_default();
                *n += 1;
                *n <= KEEP_OBS
            })
            .collect();
        let mut keep = keep.into_iter().rev();
        st.hits.retain(|_| keep.next().unwrap_or(true));
    }

    /// How response `m` counts now, against how the base counted it.
    fn resolve(&self, m: u64, base_all: &[(u32, Rec, u32)], dead: &BTreeSet<u32>, delta_idx: &[usize]) -> Option<Adj> {
        let live: Vec<&(u32, Rec, u32)> = base_all.iter().filter(|(i, _, _)| !dead.contains(i)).collect();
        let mut recs: Vec<Rec> = live.iter().map(|(_, r, _)| *r).collect();
        recs.extend(delta_idx.iter().map(|&i| self.state.delta[i]));
        let winners = dedup::resolve(&recs);
        let provider = recs.first().or(base_all.first().map(|(_, r, _)| r)).map(|r| r.provider)?;
        let mut kept_rows = HashSet::new();
        let mut added = Vec::new();
        for w in winners {
            if w < live.len() && live[w].2 != NONE {
                kept_rows.insert(live[w].2);
            } else {
                added.push(recs[w].entry());
            }
        }
        let removed: Vec<(u32, Entry)> = base_all
            .iter()
            .filter(|(_, _, row)| *row != NONE && !kept_rows.contains(row))
            .map(|(_, r, row)| (*row, r.entry()))
            .collect();
        if removed.is_empty() && added.is_empty() {
            return None;
        }
        Some(Adj { msg: m, provider, removed, added })
    }
}

/// Which of these readings (oldest first) to keep; see `Db::observe`: those that tell (`telling`), of
/// the newest `KEEP_WINDOWS` windows of each kind. (Every reading kept cost a warm prompt a millisecond
/// per thousand, decoded and looked through.)
fn thin(readings: &[&Reading]) -> Vec<bool> {
    let mut keep = telling(readings);
    let members = windows(readings);
    // The newest KEEP_WINDOWS windows of each kind (by when they were last seen).
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&w| std::cmp::Reverse(members[w].last().map_or(0, |&i| readings[i].observed_at)));
    let mut seen: HashMap<(Provider, &str, u8), usize> = HashMap::new();
    for w in order {
        let r = readings[members[w][0]];
        let n = seen.entry((r.provider, r.bucket.as_str(), r.window as u8)).or_default();
        *n += 1;
        if *n > KEEP_WINDOWS {
            for &i in &members[w] {
                keep[i] = false;
            }
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::window::Window;

    #[test]
    fn readings_of_a_window_are_thinned_but_not_to_the_last() {
        let h = 3_600_000;
        let r =
            |used: f64, resets_at: i64, at: i64| Reading::new(Provider::CODEX, Window::SevenDay, used, resets_at, at);
        // Last week's window, then this week's as calls come: 20% three times (once twice at one
        // moment), 21% twice, 22% once; one snapshot's reset moved by a second.
        let mut rs = vec![r(60.0, 100 * h, 10 * h), r(61.0, 100 * h, 11 * h)];
        for (used, at) in [(20.0, 101), (20.0, 102), (20.0, 103), (20.0, 103), (21.0, 104), (21.0, 105), (22.0, 106)] {
            rs.push(r(used, 268 * h + if at == 105 { 1_000 } else { 0 }, at * h));
        }
        let refs: Vec<&Reading> = rs.iter().collect();
        let kept: Vec<(f64, i64)> =
            rs.iter().zip(thin(&refs)).filter(|(_, k)| *k).map(|(r, _)| (r.used_percent, r.observed_at / h)).collect();
        // The first of each point and the window's last: at any instant the figure stands as the newest
        // reading then gave it.
        assert_eq!(kept, vec![(60.0, 10), (61.0, 11), (20.0, 101), (21.0, 104), (22.0, 106)]);
    }
}
