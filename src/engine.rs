//! One invocation's view: settings, roots, the refreshed cache, and the runway per provider.

use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::cache::state::ObsKind;
use crate::config::Config;
use crate::event::Provider;
use crate::hash::Hasher;
use crate::ingest::{self, Options, Run};
use crate::readings::{Reading, Readings, Window};
use crate::runway::{self, Reported, Runway, Trust};
use crate::scan::Root;
use crate::sources;

pub struct Engine {
    pub cfg: Config,
    pub roots: Vec<Root>,
    pub run: Run,
    pub readings: Readings,
}

/// Each set of roots has its own cache, so a tmux server without the shell's `CLAUDE_CONFIG_DIR`
/// and the shell itself do not keep rebuilding each other's.
pub fn db_dir(cache_dir: &Path, roots: &[Root]) -> PathBuf {
    let mut h = Hasher::new("roots");
    for r in roots {
        h.write(&[r.provider as u8]).write(r.path.as_os_str().as_bytes());
    }
    cache_dir.join(format!("db-{:016x}", h.finish()))
}

pub fn roots() -> Vec<Root> {
    let mut r = sources::claude_roots();
    r.extend(sources::codex_roots());
    r
}

/// `lazy`: decode only what a prompt needs when nothing changed (see `state::Depth`).
pub fn load(cfg: Config, lazy: bool) -> Engine {
    let roots = roots();
    let opts = Options {
        db_dir: db_dir(&cfg.cache_dir, &roots),
        roots: roots.clone(),
        rescan_ms: cfg.rescan_ms,
        wall_ms: cfg.wall_ms,
        lazy,
    };
    let run = ingest::refresh(&opts);
    let readings = Readings::load(&cfg.cache_dir);
    Engine { cfg, roots, run, readings }
}

impl Engine {
    /// What the services reported for `p`: Claude's status-line readings, and what the transcripts
    /// themselves say (Codex snapshots, "usage limit reached" notices).
    pub fn reported(&self, p: Provider) -> Reported {
        let roots: Vec<PathBuf> = self.roots_of(p).map(|r| r.path.clone()).collect();
        let now = self.cfg.now;
        let mut rep = Reported {
            five: self.readings.of(p, Window::FiveHour, &roots, now).into_iter().cloned().collect(),
            seven: self.readings.of(p, Window::SevenDay, &roots, now).into_iter().cloned().collect(),
            hits: Vec::new(),
        };
        for o in self.run.db.state.observations.iter().filter(|o| o.provider == p && o.at <= now) {
            match o.kind {
                ObsKind::Reading => {
                    let r = Reading {
                        provider: p.name().to_owned(),
                        window: o.window,
                        used_percent: o.used_percent,
                        resets_at: o.resets_at,
                        observed_at: o.at,
                        root: String::new(),
                    };
                    match o.window {
                        Window::FiveHour => rep.five.push(r),
                        Window::SevenDay => rep.seven.push(r),
                    }
                }
                ObsKind::LimitHit => rep.hits.push((o.at, o.window)),
            }
        }
        rep
    }

    pub fn runway(&self, p: Provider) -> io::Result<Runway> {
        let trust = Trust { fresh_ms: self.cfg.server_fresh_ms };
        runway::compute(&self.run.db, p, self.cfg.now, &self.cfg.limits, &self.reported(p), trust)
    }

    /// The runways of the configured providers, in their order.
    pub fn runways(&self) -> io::Result<Vec<Runway>> {
        self.cfg.providers.iter().map(|&p| self.runway(p)).collect()
    }

    pub fn roots_of(&self, p: Provider) -> impl Iterator<Item = &Root> {
        self.roots.iter().filter(move |r| r.provider == p)
    }

    /// Whether any transcript file of `p` is known. A warm read knows only recent files by name; then
    /// any file counts.
    pub fn has_files(&self, p: Provider) -> bool {
        let st = &self.run.db.state;
        if st.complete { st.files.iter().any(|f| f.provider == p) } else { st.file_count() > 0 }
    }
}
