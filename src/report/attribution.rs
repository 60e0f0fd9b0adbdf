//! What used a window: its few biggest consumers by session, project and model, each with its share
//! of the window's cost (of its tokens, when nothing in it has a price), and, for a session still
//! going, how full its context is.

use std::collections::HashMap;

use std::collections::BTreeMap;

use super::OriginOf;
use super::group::{Acc, ByFile, regroup};
use crate::forecast::Runway;
use crate::ground::time::{HOUR_MS, WEEK_MS};
use crate::ground::tokens::Totals;
use crate::ground::window::Window;
use crate::provider::origin::Origin;

/// How many consumers of each kind a window lists.
pub const TOP: usize = 3;
/// A session whose last call is this recent is live: its context size is shown.
pub const LIVE_MS: i64 = HOUR_MS;

#[derive(Clone, Debug, PartialEq)]
pub struct Consumer {
    pub name: String,
    /// A session's project.
    pub project: Option<String>,
    pub acc: Acc,
    /// Percent of the window's cost (or tokens).
    pub share: f64,
    /// A live session's context: its last main-conversation call's input-side tokens.
    pub context: Option<u64>,
    /// A session's first call as far back as the caller looked (at least the window's first).
    pub started: i64,
}

/// The consumers of a kind past the few listed, added up: a list that leaves some out says so.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rest {
    pub count: usize,
    pub totals: Totals,
    /// Percent of the window's cost (or tokens), as a consumer's share.
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub window: Window,
    /// The calls counted: `from <= ts <= to` (a window's calls from its first instant on).
    pub from: i64,
    pub to: i64,
    pub total: Totals,
    pub sessions: Vec<Consumer>,
    pub projects: Vec<Consumer>,
    pub models: Vec<Consumer>,
    /// What each list leaves out: sessions, projects, models.
    pub rest: [Rest; 3],
}

/// The span of a window at `now`: from its reset back one window length when the reset is known
/// (the service's own window), else the active block (5 hours) or the rolling seven days.
pub fn span(r: &Runway, w: Window) -> Option<(i64, i64)> {
    let now = r.now;
    match w {
        Window::FiveHour => match (r.five(), &r.block) {
            (Some(g), _) if g.resets_at.is_some() => g.resets_at.map(|t| (t - w.len_ms(), now)),
            (_, Some(b)) if b.active => Some((b.block.start, now)),
            _ => None,
        },
        Window::SevenDay => {
            let reset = r.seven().and_then(|g| g.resets_at);
            Some(reset.map_or((now - WEEK_MS, now), |t| (t - w.len_ms(), now)))
        }
        // A spend limit's period is the organisation's, not one runway can tell the start of.
        Window::Spend => None,
        Window::Month => Some((crate::ground::window::month_of(now).0, now)),
    }
}

fn share(part: &Totals, whole: &Totals) -> f64 {
    let (p, w) = if whole.sums.cost > 0 {
        (part.sums.cost as f64, whole.sums.cost as f64)
    } else {
        (part.sums.total() as f64, whole.sums.total() as f64)
    };
    if w > 0.0 { p * 100.0 / w } else { 0.0 }
}

/// The biggest first: by cost, then tokens, then name; the `TOP` of them, and the rest added up.
fn top(mut v: Vec<Consumer>, whole: &Totals) -> (Vec<Consumer>, Rest) {
    v.sort_by(|a, b| {
        let (x, y) = (&a.acc.totals.sums, &b.acc.totals.sums);
        y.cost.cmp(&x.cost).then(y.total().cmp(&x.total())).then(a.name.cmp(&b.name))
    });
    let left = v.split_off(TOP.min(v.len()));
    let totals = left.iter().fold(Totals::default(), |t, c| t + c.acc.totals);
    (v, Rest { count: left.len(), totals, share: share(&totals, whole) })
}

/// The first call of each session (by its id) among calls grouped by file.
pub fn first_calls(files: &ByFile, origins: &OriginOf) -> HashMap<String, i64> {
    let mut out: HashMap<String, i64> = HashMap::new();
    for (f, a) in &files.groups {
        let t = out.entry(origins(*f).session).or_insert(a.first);
        *t = (*t).min(a.first);
    }
    out
}

/// The consumers of `window` among its calls, grouped by file (each call is added up once; the
/// sessions, projects, models and the total are merged from the files' groups). `live` says
/// whether sessions of this provider have a context to show (Claude's do); `started`, when each
/// session began, as far as the caller knows (`first_calls` over a longer span).
pub fn attribute(
    window: Window,
    (from, to): (i64, i64),
    files: &ByFile,
    origins: &OriginOf,
    model: &dyn Fn(u16) -> String,
    live: bool,
    started: &HashMap<String, i64>,
) -> Attribution {
    let mut all = Acc::default();
    let mut models: BTreeMap<u16, Acc> = BTreeMap::new();
    let mut sessions: BTreeMap<Origin, Acc> = BTreeMap::new();
    for (f, a) in &files.groups {
        all.merge(a);
        sessions.entry(origins(*f)).or_default().merge(a);
        for m in &a.models {
            let part = Acc { totals: m.totals, models: vec![*m], first: m.first, last: m.last, last_main: None };
            models.entry(m.model).or_default().merge(&part);
        }
    }
    let total = all.totals;
    let consumer = |name: String, project: Option<String>, acc: Acc| {
        let context = acc.last_main.filter(|(t, _)| live && to - t < LIVE_MS).map(|(_, c)| c);
        Consumer { share: share(&acc.totals, &total), name, project, started: acc.first, acc, context }
    };
    let projects = regroup(sessions.iter().map(|(o, a)| (o, a.clone())), |o| o.project.clone());
    // A session is its id, as `report --by session` has it: one that worked in two project folders
    // (a `cd` within it) is one consumer, named by the first folder in the report's order.
    let mut by_id: BTreeMap<String, (String, Acc)> = BTreeMap::new();
    for (o, a) in sessions {
        match by_id.entry(o.session) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert((o.project, a));
            }
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().1.merge(&a),
        }
    }
    let session = |(id, (project, a)): (String, (String, Acc))| {
        let began = started.get(&id).map_or(a.first, |&t| t.min(a.first));
        Consumer { started: began, ..consumer(id, Some(project), a) }
    };
    let (sessions, s) = top(by_id.into_iter().map(session).collect(), &total);
    let projects = projects.into_iter().map(|(p, a)| Consumer { context: None, ..consumer(p, None, a) });
    let (projects, p) = top(projects.collect(), &total);
    let models = models.into_iter().map(|(m, a)| Consumer { context: None, ..consumer(model(m), None, a) });
    let (models, m) = top(models.collect(), &total);
    Attribution { window, from, to, total, sessions, projects, models, rest: [s, p, m] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::MINUTE_MS;
    use crate::ground::tokens::Entry;
    use crate::ground::tokens::Sums;

    /// A small history by hand: session s1 in project -a (opus, a warm cache), session s2 in project
    /// -b (haiku, a cold cache: nothing read from it).
    #[test]
    fn shares_and_cache_hits_by_hand() {
        let now = 10 * HOUR_MS;
        let call = |ts: i64, file: u32, model: u16, input: u64, write: u64, read: u64, cost: u128| Entry {
            ts,
            file,
            model,
            flags: 0,
            sums: Sums { input, cache_creation: write, cache_read: read, output: 100, cost, ..Sums::default() },
        };
        let calls = [
            // s1: 2 calls, input-side 1 000 + 9 000 and 500 + 49 500; $3 and $1.
            call(now - 3 * HOUR_MS, 1, 0, 1_000, 0, 9_000, 3_000_000_000_000),
            call(now - 10 * MINUTE_MS, 1, 0, 500, 0, 49_500, 1_000_000_000_000),
            // s2: 1 call, 20 000 written, nothing read; $1.
            call(now - 2 * HOUR_MS, 2, 1, 0, 20_000, 0, 1_000_000_000_000),
        ];
        let o = |p: &str, s: &str| Origin {
            provider: crate::ground::provider::Provider::CLAUDE,
            project: p.into(),
            session: s.into(),
        };
        let map = HashMap::from([(1, o("-a", "s1")), (2, o("-b", "s2"))]);
        let origins = |f: u32| map.get(&f).cloned().unwrap_or_else(crate::report::unknown);
        let name = |m: u16| ["opus", "haiku"][m as usize].to_string();
        // s1 began 2 days ago, as a longer look back found.
        let started = HashMap::from([("s1".to_owned(), now - 48 * HOUR_MS)]);
        let files = ByFile::of(&calls);
        let a = attribute(Window::FiveHour, (now - 5 * HOUR_MS, now), &files, &origins, &name, true, &started);
        assert_eq!(a.total.entries, 3);
        let s1 = &a.sessions[0];
        assert_eq!((s1.name.as_str(), s1.project.as_deref()), ("s1", Some("-a")));
        // $4 of $5; 58 500 read of 60 000 input-side.
        assert_eq!(s1.share, 80.0);
        assert_eq!(s1.acc.totals.sums.cache_hit(), Some(97.5));
        assert_eq!(s1.context, Some(50_000), "the last call's input side, 10 minutes ago: live");
        assert_eq!(s1.started, now - 48 * HOUR_MS);
        assert_eq!(a.sessions[1].started, now - 2 * HOUR_MS, "s2's first call in the window");
        assert_eq!(first_calls(&files, &origins)["s1"], now - 3 * HOUR_MS);
        let s2 = &a.sessions[1];
        assert_eq!((s2.share, s2.acc.totals.sums.cache_hit()), (20.0, Some(0.0)));
        assert_eq!(s2.context, None, "its last call was 2 hours ago");
        assert_eq!(a.projects.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["-a", "-b"]);
        assert_eq!(a.models[0].name, "opus");
        assert_eq!(a.models[1].share, 20.0);
        // Codex sessions show no context.
        let c = attribute(Window::FiveHour, (0, now), &files, &origins, &name, false, &HashMap::new());
        assert_eq!(c.sessions[0].context, None);
    }

    #[test]
    fn a_session_in_two_project_folders_is_one_consumer() {
        // s1 worked in -b, then (a `cd`) in -a: $2 and $1; s2 in -c, $2.50. By folder, s1's parts
        // ($2, $1) would both trail s2; as one session, $3 of $5.50 leads.
        let now = 10 * HOUR_MS;
        let call = |ts: i64, file: u32, cost: u128| Entry {
            ts,
            file,
            model: 0,
            flags: 0,
            sums: Sums { input: 1, cost: cost * 1_000_000_000_000 / 100, ..Sums::default() },
        };
        let calls = [call(now - 3 * HOUR_MS, 1, 200), call(now - HOUR_MS, 2, 100), call(now - 2 * HOUR_MS, 3, 250)];
        let o = |p: &str, s: &str| Origin {
            provider: crate::ground::provider::Provider::CLAUDE,
            project: p.into(),
            session: s.into(),
        };
        let map = HashMap::from([(1, o("-b", "s1")), (2, o("-a", "s1")), (3, o("-c", "s2"))]);
        let origins = |f: u32| map.get(&f).cloned().unwrap_or_else(crate::report::unknown);
        let files = ByFile::of(&calls);
        let name = |_: u16| "opus".to_owned();
        let started = first_calls(&files, &origins);
        let a = attribute(Window::FiveHour, (now - 5 * HOUR_MS, now), &files, &origins, &name, false, &started);
        let got: Vec<_> = a.sessions.iter().map(|c| (c.name.as_str(), c.project.as_deref(), c.started)).collect();
        // Named by its first folder in the report's order (-a before -b), begun at its first call.
        assert_eq!(got, [("s1", Some("-a"), now - 3 * HOUR_MS), ("s2", Some("-c"), now - 2 * HOUR_MS)]);
        assert_eq!(a.sessions[0].share, 300.0 * 100.0 / 550.0);
        assert_eq!(a.projects.len(), 3, "by folder, each its own");
    }
}
