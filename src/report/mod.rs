//! Where the usage went: the ledger's counted calls grouped by period, session, project, model or
//! 5-hour block (`runway report`), and the biggest consumers of each window (`runway status`). Pure:
//! the calls, the files' origins and the model names come in; rows go out.

pub mod attribution;
pub mod devices;
pub mod group;
pub mod hours;
pub mod period;
pub mod sessions;

use std::collections::{BTreeMap, HashMap};

use group::{Acc, regroup};
use jiff::tz::TimeZone;
use period::{Calendar, Unit};

use crate::ground::block::{BLOCK_MS, Chain};
use crate::ground::provider::Provider;
use crate::ground::tokens::Entry;
use crate::provider::origin::Origin;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Day,
    Week,
    Month,
    Session,
    Project,
    Model,
    Block,
    /// This device and each other one the sync folder shows (see `sync`).
    Device,
    /// Each tool: Claude Code, Codex, Copilot, OpenCode, Gemini, Kimi.
    Tool,
}

impl By {
    pub const ALL: [By; 9] =
        [By::Day, By::Week, By::Month, By::Session, By::Project, By::Model, By::Block, By::Device, By::Tool];

    pub fn name(self) -> &'static str {
        match self {
            By::Day => "day",
            By::Week => "week",
            By::Month => "month",
            By::Session => "session",
            By::Project => "project",
            By::Model => "model",
            By::Block => "block",
            By::Device => "device",
            By::Tool => "tool",
        }
    }

    pub fn parse(s: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.name() == s)
    }
}

/// One row of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The period (`2026-02-11`, `2026-02`), the session id, the project folder, the model, or the
    /// block's start (RFC 3339).
    pub key: String,
    /// A session's project.
    pub project: Option<String>,
    /// The tools with calls in the row.
    pub providers: Vec<Provider>,
    /// A block's start, and whether it is active at `now`.
    pub block: Option<(i64, bool)>,
    /// A device's id, whether it is this one, and when its file was written (`--by device`).
    pub device: Option<(String, bool, i64)>,
    pub acc: Acc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub by: By,
    pub rows: Vec<Row>,
    pub total: Acc,
    /// Model names by id beyond the cache's own (other devices' models, `--by device`).
    pub names: Vec<String>,
}

/// The origin of a file by id (`?` for one the table no longer names). A function rather than a
/// map: only the files a report or a window has calls from are looked at (parsing every known
/// path was a third of a warm `status`).
pub type OriginOf<'a> = dyn Fn(u32) -> Origin + 'a;

/// The origin of a file no table names.
pub fn unknown() -> Origin {
    Origin { provider: Provider::CLAUDE, project: "?".into(), session: "?".into() }
}

/// Groups each tool's time-ordered calls, then joins the rows of the same key. `model` names a
/// model id; `now` decides which block is active. Blocks stay each tool's own (each service has its
/// own 5-hour window). The commands stream calls into a `Builder`; this is its short form.
#[cfg(test)]
pub fn build(
    by: By,
    calls: &[(Provider, Vec<Entry>)],
    origins: &OriginOf,
    model: &dyn Fn(u16) -> String,
    tz: &TimeZone,
    now: i64,
) -> Report {
    let mut b = Builder::new(by, tz);
    for (p, entries) in calls {
        for e in entries {
            b.add(*p, e);
        }
    }
    b.finish(origins, model, now)
}

/// What a call is grouped by, before it has a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Period(jiff::civil::Date),
    File(u32),
    Model(u16),
    Block(i64),
    /// Every call of this device.
    Device,
}

/// One tool's calls grouped as they come, oldest first. Calls in a row mostly share their group,
/// so the last one is tried before the index.
struct Grouper {
    cal: Option<Calendar>,
    chain: Option<Chain>,
    groups: Vec<(Key, Acc)>,
    index: HashMap<Key, usize>,
    /// Files' groups by file id (ids are small and dense): sessions interleave, and a hash per call
    /// was most of a session report's time.
    by_file: Vec<u32>,
    last: usize,
}

impl Grouper {
    fn key(&mut self, by: By, e: &Entry) -> Key {
        match by {
            By::Day | By::Week | By::Month => {
                Key::Period(self.cal.as_mut().map_or(jiff::civil::Date::MIN, |c| c.period_of(e.ts)))
            }
            By::Session | By::Project => Key::File(e.file),
            By::Model => Key::Model(e.model),
            // Each tool's calls are grouped apart already: one group is the tool.
            By::Device | By::Tool => Key::Device,
            By::Block => {
                let c = Chain::after(self.chain, e.ts);
                self.chain = Some(c);
                Key::Block(c.start)
            }
        }
    }

    fn add(&mut self, by: By, e: &Entry) {
        let k = self.key(by, e);
        if self.groups.get(self.last).is_none_or(|(lk, _)| *lk != k) {
            let groups = &mut self.groups;
            let mut open = || {
                groups.push((k, Acc::default()));
                groups.len() - 1
            };
            self.last = match k {
                Key::File(f) if (f as usize) < 1 << 24 => {
                    let f = f as usize;
                    if self.by_file.len() <= f {
                        self.by_file.resize(f + 1, 0);
                    }
                    if self.by_file[f] == 0 {
                        self.by_file[f] = open() as u32 + 1;
                    }
                    self.by_file[f] as usize - 1
                }
                _ => *self.index.entry(k).or_insert_with(open),
            };
        }
        self.groups[self.last].1.add(e);
    }
}

/// A report built as the calls stream in (`Ledger::each_between`): memory for the groups only.
pub struct Builder {
    by: By,
    tz: TimeZone,
    per: Vec<(Provider, Grouper)>,
    total: Acc,
}

impl Builder {
    pub fn new(by: By, tz: &TimeZone) -> Builder {
        Builder { by, tz: tz.clone(), per: Vec::new(), total: Acc::default() }
    }

    /// A call of `p` before the range, for the blocks alone: it moves where they begin (a block that
    /// began before `--since` keeps its start and end, where the first call in the range began one
    /// of its own at its hour, which could take in the next block's calls). Each tool's calls oldest
    /// first, before its calls in the range.
    pub fn before(&mut self, p: Provider, e: &Entry) {
        let g = self.grouper(p);
        g.chain = Some(Chain::after(g.chain, e.ts));
    }

    /// One call of `p`; each tool's calls oldest first.
    pub fn add(&mut self, p: Provider, e: &Entry) {
        let by = self.by;
        self.grouper(p).add(by, e);
    }

    /// The grouper of `p`, made when its first call comes.
    fn grouper(&mut self, p: Provider) -> &mut Grouper {
        if self.per.last().is_none_or(|(q, _)| *q != p) {
            let unit = match self.by {
                By::Day => Some(Unit::Day),
                By::Week => Some(Unit::Week),
                By::Month => Some(Unit::Month),
                _ => None,
            };
            let cal = unit.map(|u| Calendar::new(u, self.tz.clone()));
            self.per.push((
                p,
                Grouper { cal, chain: None, groups: Vec::new(), index: HashMap::new(), by_file: Vec::new(), last: 0 },
            ));
        }
        &mut self.per.last_mut().expect("a grouper was just made").1
    }

    pub fn finish(self, origins: &OriginOf, model: &dyn Fn(u16) -> String, now: i64) -> Report {
        let by = self.by;
        let mut joined: BTreeMap<(String, Option<Provider>), Row> = BTreeMap::new();
        let mut total = self.total;
        for (p, g) in self.per {
            for (_, acc) in &g.groups {
                total.merge(acc);
            }
            for row in rows_of(by, p, g, origins, model, now) {
                let own = if by == By::Block { Some(p) } else { None };
                match joined.entry((row.key.clone(), own)) {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(row);
                    }
                    std::collections::btree_map::Entry::Occupied(mut o) => {
                        let mine = o.get_mut();
                        mine.acc.merge(&row.acc);
                        if !mine.providers.contains(&p) {
                            mine.providers.push(p);
                        }
                    }
                }
            }
        }
        let mut rows: Vec<Row> = Vec::with_capacity(joined.len());
        rows.extend(joined.into_values().filter(|r| r.acc.totals.entries > 0));
        match by {
            // Periods in time order (their names sort so); blocks by start; sessions and projects by
            // their last activity, as ccusage orders sessions; models and tools dearest first.
            By::Day | By::Week | By::Month | By::Device => {}
            By::Block => rows.sort_by_key(|r| (r.block.map(|b| b.0), r.providers.clone())),
            By::Session | By::Project => rows.sort_by(|a, b| a.acc.last.cmp(&b.acc.last).then(a.key.cmp(&b.key))),
            By::Model | By::Tool => {
                rows.sort_by(|a, b| b.acc.totals.sums.cost.cmp(&a.acc.totals.sums.cost).then(a.key.cmp(&b.key)))
            }
        }
        Report { by, rows, total, names: Vec::new() }
    }
}

/// One tool's groups as rows.
fn rows_of(by: By, p: Provider, g: Grouper, origins: &OriginOf, model: &dyn Fn(u16) -> String, now: i64) -> Vec<Row> {
    let plain = |key: String, acc: Acc| Row { key, project: None, providers: vec![p], block: None, device: None, acc };
    let cal = g.cal;
    let groups = g.groups.into_iter();
    match by {
        By::Session | By::Project => {
            let files: BTreeMap<u32, Acc> =
                groups.filter_map(|(k, a)| if let Key::File(f) = k { Some((f, a)) } else { None }).collect();
            let sessions = regroup(files, |f| origins(*f));
            if by == By::Session {
                let row = |(o, acc): (Origin, Acc)| Row { project: Some(o.project), ..plain(o.session, acc) };
                sessions.into_iter().map(row).collect()
            } else {
                regroup(sessions, |o| o.project.clone()).into_iter().map(|(k, acc)| plain(k, acc)).collect()
            }
        }
        _ => groups
            .map(|(k, acc)| match k {
                Key::Period(d) => plain(cal.as_ref().map_or_else(|| d.to_string(), |c| c.name(d)), acc),
                Key::Model(m) => plain(model(m), acc),
                Key::Block(start) => {
                    let active = now < start + BLOCK_MS && now - acc.last < BLOCK_MS;
                    let key = crate::ground::time::rfc3339(start);
                    Row { key, project: None, providers: vec![p], block: Some((start, active)), device: None, acc }
                }
                Key::File(f) => plain(f.to_string(), acc),
                Key::Device if by == By::Tool => plain(p.name().to_owned(), acc),
                // Named by the command, which knows the device.
                Key::Device => plain(String::new(), acc),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::{HOUR_MS, parse_rfc3339};
    use crate::ground::tokens::Sums;

    fn e(at: &str, file: u32, model: u16, cost: u128) -> Entry {
        let sums = Sums { input: 1, cost, ..Sums::default() };
        Entry { ts: parse_rfc3339(at).unwrap(), file, model, flags: 0, sums }
    }

    fn origins() -> HashMap<u32, Origin> {
        let o = |p: &str, s: &str| Origin { provider: Provider::CLAUDE, project: p.into(), session: s.into() };
        // Files 1 and 2 are one session (a subagent's file), file 3 another in another project.
        HashMap::from([(1, o("-a", "s1")), (2, o("-a", "s1")), (3, o("-b", "s2"))])
    }

    fn keys(r: &Report) -> Vec<(String, u64)> {
        r.rows.iter().map(|r| (r.key.clone(), r.acc.totals.entries)).collect()
    }

    #[test]
    fn by_local_day_session_project_model_and_block() {
        let calls = [
            e("2026-02-11T22:30:00Z", 1, 0, 5),
            e("2026-02-11T23:30:00Z", 2, 1, 7),
            e("2026-02-12T01:00:00Z", 3, 0, 11),
            e("2026-02-12T09:00:00Z", 1, 0, 13),
        ];
        let name = |m: u16| ["opus", "haiku"][m as usize].to_string();
        let now = parse_rfc3339("2026-02-12T10:00:00Z").unwrap();
        let map = origins();
        let of = |f: u32| map.get(&f).cloned().unwrap_or_else(unknown);
        let run = |by, tz: &TimeZone| build(by, &[(Provider::CLAUDE, calls.to_vec())], &of, &name, tz, now);
        let utc = TimeZone::UTC;
        assert_eq!(keys(&run(By::Day, &utc)), vec![("2026-02-11".into(), 2), ("2026-02-12".into(), 2)]);
        // In Paris (UTC+1) 23:30 UTC is already the 12th.
        let paris = crate::ground::zone::zone("Europe/Paris", &crate::ground::env::Env::default()).unwrap();
        assert_eq!(keys(&run(By::Day, &paris)), vec![("2026-02-11".into(), 1), ("2026-02-12".into(), 3)]);
        assert_eq!(keys(&run(By::Month, &utc)), vec![("2026-02".into(), 4)]);
        // s2's last call (01:00) is before s1's (09:00).
        let s = run(By::Session, &utc);
        assert_eq!(keys(&s), vec![("s2".into(), 1), ("s1".into(), 3)]);
        assert_eq!(s.rows[1].project.as_deref(), Some("-a"));
        assert_eq!(s.rows[1].acc.totals.sums.cost, 5 + 7 + 13);
        assert_eq!(keys(&run(By::Project, &utc)), vec![("-b".into(), 1), ("-a".into(), 3)]);
        assert_eq!(keys(&run(By::Model, &utc)), vec![("opus".into(), 3), ("haiku".into(), 1)]);
        // Blocks: 22:00 (22:30, 23:30, 01:00), then 09:00 (more than 5 h after 22:00).
        let b = run(By::Block, &utc);
        assert_eq!(keys(&b), vec![("2026-02-11T22:00:00Z".into(), 3), ("2026-02-12T09:00:00Z".into(), 1)]);
        assert_eq!(b.rows[0].block, Some((parse_rfc3339("2026-02-11T22:00:00Z").unwrap(), false)));
        assert_eq!(b.rows[1].block.map(|x| x.1), Some(true));
        assert_eq!(b.total.totals.sums.cost, 36);
        assert_eq!(b.rows[1].acc.first - b.rows[0].acc.last, 8 * HOUR_MS);
    }
}
