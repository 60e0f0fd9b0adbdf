//! `report --by session` over many sessions, a chunk of sessions at a time: the same rows as the
//! `Builder`'s, in the same order, without every session's sums held at once.
//!
//! Why: over 100k one-call sessions the builder's groups, the join and the rows were 90 MB of the
//! report's 146 MiB peak (benches/bench.sh). Here a first pass keeps a file's last call and the
//! totals (16 bytes a file), the sessions are put in the report's order (their last call, then their
//! id), and each further pass adds up the calls of the next `chunk` sessions only, which are
//! written and dropped before the next. A pass over the ledger is a few milliseconds, so this is
//! taken only past `AT_ONCE` files; below, one pass of the builder is faster.

use std::collections::HashMap;

use super::group::Acc;
use super::{OriginOf, Row};
use crate::ground::hash::key;
use crate::ground::provider::Provider;
use crate::ground::tokens::Entry;

/// Sessions a chunk adds up at once, and the files past which a report goes a chunk at a time (a
/// session's sums are about 300 bytes: 2.4 MB a chunk).
pub const AT_ONCE: usize = 8192;

/// Calls `f` with every call of the report, each tool's oldest first (the ledgers' `each_between`).
pub type Stream<'a> = dyn Fn(&mut dyn FnMut(Provider, &Entry)) + 'a;

/// One session: its last call, and its files (a range of `Sessions::files`).
#[derive(Clone)]
struct Session {
    last: i64,
    files: (u32, u32),
}

/// The rows, a chunk at a time, as an iterator (a copy goes over the sessions again, with passes of
/// its own: how the table sizes its columns before it writes them).
#[derive(Clone)]
pub struct Sessions<'a> {
    stream: &'a Stream<'a>,
    origins: &'a OriginOf<'a>,
    files: Vec<u32>,
    order: Vec<Session>,
    next: usize,
    chunk: usize,
    ready: std::vec::IntoIter<Row>,
    /// Every call of the report added up.
    pub total: Acc,
}

/// The first pass: each file's last call and the totals; the sessions in the report's order.
pub fn plan<'a>(stream: &'a Stream<'a>, origins: &'a OriginOf<'a>, chunk: usize) -> Sessions<'a> {
    let mut last: HashMap<u32, i64> = HashMap::new();
    let mut total = Acc::default();
    stream(&mut |_, e| {
        let l = last.entry(e.file).or_insert(e.ts);
        *l = (*l).max(e.ts);
        total.add(e);
    });
    // A session is its id (files of one session, a subagent's among them, are one row, as the
    // builder joins rows by their key): files grouped by the id's hash.
    let mut keyed: Vec<(u64, u32, i64)> =
        last.into_iter().map(|(f, t)| (key("session", &[origins(f).session.as_bytes()]), f, t)).collect();
    keyed.sort_unstable();
    let mut files = Vec::with_capacity(keyed.len());
    let mut order: Vec<Session> = Vec::new();
    for (i, &(h, f, t)) in keyed.iter().enumerate() {
        files.push(f);
        match order.last_mut() {
            Some(s) if i > 0 && keyed[i - 1].0 == h => {
                s.last = s.last.max(t);
                s.files.1 += 1;
            }
            _ => order.push(Session { last: t, files: (i as u32, i as u32 + 1) }),
        }
    }
    drop(keyed);
    // The builder's order: the last call, then the id (named only where the last calls tie).
    order.sort_unstable_by_key(|s| s.last);
    let mut i = 0;
    while i < order.len() {
        let j = i + order[i..].iter().take_while(|s| s.last == order[i].last).count();
        if j - i > 1 {
            order[i..j].sort_by_cached_key(|s| origins(files[s.files.0 as usize]).session);
        }
        i = j;
    }
    Sessions { stream, origins, files, order, next: 0, chunk: chunk.max(1), ready: Vec::new().into_iter(), total }
}

impl Sessions<'_> {
    /// The next chunk's rows: one more pass, adding up only its sessions' calls.
    fn fill(&mut self) {
        let end = (self.next + self.chunk).min(self.order.len());
        let chunk = &self.order[self.next..end];
        let mut slot: HashMap<u32, u32> = HashMap::new();
        for (k, s) in chunk.iter().enumerate() {
            for &f in &self.files[s.files.0 as usize..s.files.1 as usize] {
                slot.insert(f, k as u32);
            }
        }
        let mut sums: Vec<(Acc, Vec<Provider>)> = vec![(Acc::default(), Vec::new()); chunk.len()];
        (self.stream)(&mut |p, e| {
            if let Some(&k) = slot.get(&e.file) {
                let (acc, providers) = &mut sums[k as usize];
                acc.add(e);
                if !providers.contains(&p) {
                    providers.push(p);
                }
            }
        });
        let rows: Vec<Row> = chunk
            .iter()
            .zip(sums)
            .map(|(s, (acc, providers))| {
                // Of a session's files, the first origin in the builder's order names its project.
                let files = &self.files[s.files.0 as usize..s.files.1 as usize];
                let o = files.iter().map(|&f| (self.origins)(f)).min().unwrap_or_else(super::unknown);
                Row { key: o.session, project: Some(o.project), providers, block: None, device: None, acc }
            })
            .collect();
        self.next = end;
        self.ready = rows.into_iter();
    }
}

impl Iterator for Sessions<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if let Some(r) = self.ready.next() {
            return Some(r);
        }
        if self.next >= self.order.len() {
            return None;
        }
        self.fill();
        self.ready.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::tokens::Sums;
    use crate::provider::origin::Origin;
    use crate::report::{By, build};
    use jiff::tz::TimeZone;

    fn e(ts: i64, file: u32, model: u16, cost: u128) -> Entry {
        Entry { ts, file, model, flags: 0, sums: Sums { input: 1, cost, ..Sums::default() } }
    }

    #[test]
    fn a_chunk_at_a_time_gives_the_builders_rows() {
        // Files 1 and 2 are one session (a subagent's file), 3 to 6 one session each; 5 and 6 end
        // at the same instant (ordered by id), Codex's file 7 shares session "s4" with Claude's 4.
        let of = |f: u32| {
            let (project, session) = match f {
                1 | 2 => ("-a", "s1"),
                3 => ("-b", "s3"),
                4 => ("-b", "s4"),
                5 => ("-c", "s6"),
                6 => ("-c", "s5"),
                7 => ("-x", "s4"),
                _ => ("?", "?"),
            };
            let provider = if f == 7 { Provider::CODEX } else { Provider::CLAUDE };
            Origin { provider, project: project.into(), session: session.into() }
        };
        let claude =
            vec![e(10, 1, 0, 5), e(20, 3, 1, 7), e(30, 2, 1, 11), e(40, 4, 0, 13), e(50, 5, 0, 17), e(50, 6, 0, 19)];
        let codex = vec![e(15, 7, 2, 23), e(60, 7, 2, 29)];
        let calls = [(Provider::CLAUDE, claude), (Provider::CODEX, codex)];
        let stream = |f: &mut dyn FnMut(Provider, &Entry)| {
            for (p, es) in &calls {
                es.iter().for_each(|e| f(*p, e));
            }
        };
        let name = |m: u16| format!("m{m}");
        let want = build(By::Session, &calls, &of, &name, &TimeZone::UTC, 100);
        for chunk in [1, 2, 3, 100] {
            let mut s = plan(&stream, &of, chunk);
            let rows: Vec<Row> = s.by_ref().collect();
            assert_eq!(rows, want.rows, "chunk {chunk}");
            assert_eq!(s.total.totals, want.total.totals);
        }
        // By hand: s3 (20), s1 (30: 5 + 11), s5 and s6 (50, by id), s4 (60: 13 + 23 + 29, both tools).
        let keys: Vec<(&str, u128)> = want.rows.iter().map(|r| (r.key.as_str(), r.acc.totals.sums.cost)).collect();
        assert_eq!(keys, vec![("s3", 7), ("s1", 16), ("s5", 19), ("s6", 17), ("s4", 65)]);
        assert_eq!(want.rows[4].providers, vec![Provider::CLAUDE, Provider::CODEX]);
    }
}
