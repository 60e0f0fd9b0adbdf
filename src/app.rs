//! One invocation's view of the world: the settings, the roots, the cache brought up to date, the
//! readings the status line left, and from them each provider's ledger, evidence and runway.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::config::Config;
use crate::forecast::evidence::{Calibration, Evidence, anchor, main_pool, placed};
use crate::forecast::limit::Configured;
use crate::forecast::{self, Runway};
use crate::ground::evidence::{Follow, Reading};
use crate::ground::hash::Hasher;
use crate::ground::provider::Provider;
use crate::ledger::Ledger;
use crate::provider::origin::Origin;
use crate::read::sources::{self, Root};
use crate::store::ingest::{self, Options, Pace, Run};
use crate::store::readings::{self, Readings};
use crate::store::{memo, usage_file};
use crate::sync::elsewhere::{self, Elsewhere};
use crate::sync::folder::{self, Seen};
use crate::sync::identity::{self, Identity};

mod open_sessions;

pub struct App {
    pub cfg: Config,
    pub roots: Vec<Root>,
    /// The roots as readings name them (resolved).
    pub root_keys: HashSet<String>,
    pub run: Run,
    pub readings: Readings,
    /// What the files of readings say (Claude Code's `.claude.json`, Claude Desktop's history), each
    /// with the file's name.
    pub on_disk: Vec<(Reading, &'static str)>,
    /// This device, when there is a sync folder.
    pub me: Option<Identity>,
    /// The other devices' last eight days added up, per tool (see `sync::elsewhere`).
    pub elsewhere: Vec<Elsewhere>,
    /// When this device's file in the sync folder was written, as its listing saw it.
    pub own_written: Option<i64>,
    /// How much this run may do: a prompt looks at fewer files for a session still open.
    pace: Pace,
    /// What the forecast worked out before (`store::memo`), read once when first asked.
    memo: std::cell::OnceCell<memo::Memo>,
}

/// From this much to read, a first full read says what it is doing: with a cold disk it can take
/// seconds (the bench's 1.2 GB, its pages cached, take 1.1 s).
const LONG_READ: u64 = 64 << 20;

/// A first full read of a large history takes seconds: said once, to a person at a terminal.
fn say_long_read(mib: u64) {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!("runway: reading {mib} MiB of transcripts into the cache (once: later runs read only what is new)…");
    }
}

/// Each set of roots has its own cache, so a tmux server without the shell's `CLAUDE_CONFIG_DIR`
/// and the shell itself do not keep rebuilding each other's.
pub fn db_key(roots: &[Root]) -> u64 {
    let mut h = Hasher::new("roots");
    for r in roots {
        h.u64(u64::from(r.provider.code())).part(crate::ground::platform::bytes(r.path.as_os_str()));
    }
    h.finish()
}

impl App {
    /// `pace`: how much this run may do (see `store::ingest::Pace`).
    pub fn load(cfg: Config, pace: Pace) -> App {
        let found = sources::roots(&cfg.env);
        let root_keys = readings::root_keys(&found.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>());
        let roots: Vec<Root> = found.into_iter().map(|(r, _)| r).collect();
        let opts = Options {
            cache: cfg.cache.clone(),
            db: db_key(&roots),
            roots: roots.clone(),
            rescan_ms: cfg.rescan_ms,
            wall_ms: cfg.wall_ms,
            now: cfg.now,
            pace,
            budget: cfg.knobs.budget(),
            before_long_read: Some((cfg.knobs.long_read_bytes.unwrap_or(LONG_READ), say_long_read)),
        };
        let mut run = ingest::refresh(&opts);
        // (For `--timings`: reading the evidence and the sync folder are not the transcripts' stages.)
        let mut lap = std::time::Instant::now();
        let mut stage = |run: &mut Run, name: &'static str| {
            run.info.timings.push((name, lap.elapsed().as_micros() as u64));
            lap = std::time::Instant::now();
        };
        let readings = Readings::load(&cfg.cache, &root_keys);
        // Each provider's files of readings (Claude Code's `.claude.json`), through the copy kept
        // while the file is unchanged.
        let on_disk = Provider::ALL
            .iter()
            .filter(|p| cfg.providers.contains(p) || pace != Pace::Prompt)
            .flat_map(|p| {
                let mut found: Vec<(Reading, &'static str)> = Vec::new();
                // Each file told the organisation the files before it named, and a replay's moment.
                let mut follow = Follow { org: 0, until: if cfg.replay() { cfg.now } else { i64::MAX } };
                for f in (p.spec().reading_files)(&cfg.env) {
                    let (read, org) = usage_file::load(&cfg.cache, &f, follow);
                    follow.org = if org != 0 { org } else { follow.org };
                    found.extend(read.into_iter().map(|r| (r, f.name)));
                }
                found
            })
            .collect();
        stage(&mut run, "evidence");
        let me = cfg.sync.as_ref().map(|_| {
            let home = crate::ground::dirs::home(&cfg.env);
            let mark = match &cfg.knobs.machine_mark {
                Some(m) => m.as_bytes().to_vec(),
                None => crate::ground::platform::machine_mark(home.as_deref()),
            };
            let now_ns = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            identity::of(&cfg.cache, &mark, cfg.device_name.as_deref(), crate::ground::platform::host_name(), now_ns)
        });
        let (elsewhere, own_written, sync_behind) = match (&cfg.sync, &me) {
            // A prompt lists the folder when it changed, or once a rescan period, and reads a
            // budget's worth of files; the rest, every time and everything.
            (Some(s), Some(me)) => {
                let prompt = pace == Pace::Prompt;
                let budget = prompt.then_some(crate::sync::folder::PROMPT_BYTES);
                elsewhere::read(&s.dir, me, (cfg.now, cfg.wall_ms), &cfg.cache, cfg.rescan_ms, !prompt, budget)
            }
            _ => (Vec::new(), None, false),
        };
        // The other devices unread: as with history unread, the totals are partial until the
        // background helper has read them (`catch-up` starts for it).
        run.info.behind |= sync_behind;
        if cfg.sync.is_some() {
            stage(&mut run, "sync");
        }
        App {
            cfg,
            roots,
            root_keys,
            run,
            readings,
            on_disk,
            me,
            elsewhere,
            own_written,
            pace,
            memo: Default::default(),
        }
    }

    /// Every other device apart, their last eight days (`status`'s line per device).
    pub fn devices_recent(&self) -> Seen {
        match (&self.cfg.sync, &self.me) {
            (Some(s), Some(me)) => folder::read(&s.dir, me, (self.cfg.now, self.cfg.wall_ms), &self.cfg.cache, true),
            _ => Seen::default(),
        }
    }

    /// Every other device's file whole (its every hour), for reports.
    pub fn devices_whole(&self) -> Seen {
        match (&self.cfg.sync, &self.me) {
            (Some(s), Some(me)) => folder::read(&s.dir, me, (self.cfg.now, self.cfg.wall_ms), &self.cfg.cache, false),
            _ => Seen::default(),
        }
    }

    pub fn ledger(&self, p: Provider) -> Ledger<'_> {
        Ledger::new(p, self.run.db.base.as_ref(), &self.run.db.state)
    }

    /// What the services reported for `p`: the status line's readings, and what the transcripts
    /// themselves say (Codex snapshots, "usage limit reached" notices), as of `now`.
    pub fn evidence(&self, p: Provider) -> Evidence {
        let now = self.cfg.now;
        let st = &self.run.db.state;
        let mut readings = self.readings.of(p, &self.root_keys, now);
        // Windows that ended long before now teach the forecast nothing: not looked at (a warm read
        // of the state leaves them out already).
        let recent = |r: &&Reading| r.provider == p && r.observed_at <= now && r.recent(now);
        readings.extend(st.readings.iter().map(|o| &o.value).filter(recent).cloned());
        // Claude Code's cached answer counts only while its window is still open: it may be days old.
        // A sample without its reset (Claude Desktop's) is placed by the forecast.
        let open = self.on_disk.iter().map(|(r, _)| r);
        let open = open.filter(|r| r.provider == p && r.observed_at <= now && (!r.anchored() || r.resets_at > now));
        readings.extend(open.cloned());
        // The other devices' newest readings: the account is one, whichever machine saw it.
        let tools = self.elsewhere.iter().filter(|t| t.provider == p);
        readings.extend(tools.clone().flat_map(|t| t.readings.iter()).filter(recent).cloned());
        // One `Elsewhere` a tool; a replay's instant may fall before the last hour kept.
        let elsewhere = match tools.map(|t| &t.hours).next() {
            Some(h) if h.last().is_some_and(|h| h.0 > now) => {
                Rc::new(h.iter().filter(|h| h.0 <= now).copied().collect())
            }
            Some(h) => h.clone(),
            None => Default::default(),
        };
        let hits = st.hits.iter().map(|o| o.value).filter(|h| h.provider == p && h.at <= now).collect();
        Evidence { readings, hits, calibration: None, account: None, window_end: None, elsewhere }
    }

    /// Every reading of `p` that counts at `now`, the newest per window and allowance, each with
    /// where it came from (`status line`, `.claude.json`, `transcript`), for `status` to list.
    pub fn limits(&self, p: Provider) -> Vec<(Reading, &'static str)> {
        let now = self.cfg.now;
        let st = &self.run.db.state;
        let mut all: Vec<(Reading, &'static str)> = Vec::new();
        all.extend(self.readings.of(p, &self.root_keys, now).into_iter().map(|r| (r, "status line")));
        let on_disk = self.on_disk.iter().filter(|(r, _)| r.provider == p && r.observed_at <= now);
        all.extend(on_disk.clone().filter(|(r, _)| r.anchored()).map(|(r, name)| (r.clone(), *name)));
        // Samples without their resets, placed the way the forecast places them.
        let ev: Vec<Reading> = self.evidence(p).readings;
        all.extend(placed(&ev).into_iter().map(|r| (r, "Claude Desktop")));
        all.extend(
            st.readings
                .iter()
                .map(|o| &o.value)
                .filter(|r| r.provider == p && r.observed_at <= now)
                .map(|r| (r.clone(), "transcript")),
        );
        // The other devices' (their files carry their newest readings): the gauge may stand on one,
        // and the list named only this device's, an older figure beside it.
        let theirs = self.elsewhere.iter().filter(|e| e.provider == p).flat_map(|e| e.readings.iter());
        all.extend(theirs.filter(|r| r.observed_at <= now).map(|r| (r.clone(), "another device")));
        all.retain(|(r, _)| r.resets_at > now);
        all.sort_by(|a, b| {
            (a.0.window as u8, &a.0.bucket)
                .cmp(&(b.0.window as u8, &b.0.bucket))
                .then(b.0.observed_at.cmp(&a.0.observed_at))
        });
        all.dedup_by(|a, b| a.0.window == b.0.window && a.0.bucket == b.0.bucket);
        all
    }

    /// The runway of `p`; an error when the cache failed a read on the way (the figure would be
    /// wrong, so none is given).
    pub fn runway(&self, p: Provider) -> Result<Runway, String> {
        let ledger = self.ledger(p);
        let now = self.cfg.now;
        let mut ev = self.evidence(p);
        // What a percent costs, as learned before from the same pairs of readings and calls (see
        // `store::memo`); too few pairs are no answer, without a look.
        let anchored = anchor(&ev.readings);
        let pairs = Calibration::pairs(&main_pool(&anchored, now), now);
        let key = pairs.newest().filter(|_| pairs.telling()).map(|t| {
            let t = ledger.sum_between(i64::MIN, t);
            pairs.key((t.entries, t.sums.cost))
        });
        let (cache, db) = (&self.cfg.cache, self.run.db.id);
        ev.calibration = key
            .and_then(|k| self.memo().percent(p, k))
            .map(|(five, seven)| Calibration { five, seven })
            .or(key.is_none().then(Calibration::default));
        let learned = ev.calibration.is_none();
        // The account's windows, as walked before over the same use (see `store::memo`): the
        // minute, this machine's calls and the other devices' hours.
        let walk_key = (!ev.elsewhere.is_empty()).then(|| {
            let t = ledger.sum_between(i64::MIN, now);
            let mut h = Hasher::new("account-windows");
            h.u64((now / 60_000) as u64).u64(t.entries).part(&t.sums.cost.to_le_bytes());
            for (start, calls, sums) in ev.elsewhere.iter() {
                h.u64(*start as u64).u64(*calls).part(&sums.cost.to_le_bytes()).u64(sums.total());
            }
            h.finish()
        });
        ev.account = walk_key.and_then(|k| self.memo().account(p, k));
        ev.window_end = walk_key.and_then(|k| self.memo().window_end(p, k));
        let (walked, ended) = (ev.account.is_none(), ev.window_end.is_none());
        let limits = Configured { cost_usd: self.cfg.limit_cost.of(p), ..self.cfg.forecast.limits };
        let settings = forecast::Settings { learn_limit: p.spec().learns_limit, limits, ..self.cfg.forecast };
        let mut r = forecast::compute(&ledger, &ev, now, &settings);
        if self.session_open(p) {
            r.gauges.iter_mut().for_each(|g| g.partial = true);
        }
        // What was worked out afresh is kept, in one write; nothing from a ledger that failed a read.
        let mut keep = Vec::new();
        if let (true, Some(k)) = (learned, key) {
            keep.push((k, memo::Answer::Percent((r.calibration.five, r.calibration.seven))));
        }
        if let (true, Some(k), Some(a)) = (walked, walk_key, r.account) {
            keep.push((k, memo::Answer::Account(a)));
        }
        if let (true, Some(k), Some(end)) = (ended, walk_key, r.window_end) {
            keep.push((k, memo::Answer::WindowEnd(end)));
        }
        if ledger.fault().is_none() {
            let _ = memo::put(cache, db, p, &keep);
        }
        match ledger.fault() {
            Some(f) => {
                // A page failed its check: this answer is withheld, and the next run rebuilds.
                self.run.db.invalidate(&f);
                Err(f)
            }
            None => Ok(r),
        }
    }

    /// The runways of the configured providers, in their order.
    pub fn runways(&self) -> Result<Vec<Runway>, String> {
        self.cfg.providers.iter().map(|&p| self.runway(p)).collect()
    }

    /// The project and session of a transcript file by id, found when asked (`status` and
    /// `report` load the whole table).
    pub fn origins(&self) -> impl Fn(u32) -> Origin + '_ {
        let files = &self.run.db.state.files;
        // A file's id, or the id of one of its sessions (a file of many): (file, session).
        let mut by_id: HashMap<u32, (usize, Option<usize>)> = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            by_id.insert(f.id, (i, None));
            by_id.extend(f.subs.iter().enumerate().map(|(k, s)| (s.id, (i, Some(k)))));
        }
        move |id| {
            by_id.get(&id).map_or_else(crate::report::unknown, |&(i, sub)| {
                let f = &files[i];
                let (folder, session) = (f.provider.spec().origin)(&String::from_utf8_lossy(&f.path));
                // The directory the session ran in, as the file records it; else what its path says.
                let project = if f.project.is_empty() { folder } else { f.project.clone() };
                match sub.map(|k| &f.subs[k]) {
                    Some(s) => Origin {
                        provider: f.provider,
                        project: if s.project.is_empty() { project } else { s.project.clone() },
                        session: s.session.clone(),
                    },
                    None => Origin { provider: f.provider, project, session },
                }
            })
        }
    }

    /// A model's name by id.
    pub fn model_name(&self, id: u16) -> String {
        self.run.db.state.models.get(id as usize).cloned().unwrap_or_else(|| "?".into())
    }

    pub fn roots_of(&self, p: Provider) -> impl Iterator<Item = &Root> {
        self.roots.iter().filter(move |r| r.provider == p)
    }

    /// What the forecast worked out before, read once a run.
    fn memo(&self) -> &memo::Memo {
        self.memo.get_or_init(|| memo::load(&self.cfg.cache, self.run.db.id))
    }

    pub fn has_files(&self, p: Provider) -> bool {
        let st = &self.run.db.state;
        if st.complete { st.files.iter().any(|f| f.provider == p) } else { st.file_count() > 0 }
    }
}
