//! One invocation's view: settings, roots, the refreshed cache, and the runway per provider.

use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::event::Provider;
use crate::hash::Hasher;
use crate::ingest::{self, Options, Run};
use crate::readings::{Readings, Window};
use crate::runway::{self, Reported, Runway};
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
    sources::claude_roots()
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
    pub fn runway(&self, p: Provider) -> io::Result<Runway> {
        let roots: Vec<PathBuf> = self.roots_of(p).map(|r| r.path.clone()).collect();
        let reported = Reported {
            five: self.readings.of(p, Window::FiveHour, &roots, self.cfg.now),
            seven: self.readings.of(p, Window::SevenDay, &roots, self.cfg.now),
        };
        runway::compute(&self.run.db, p, self.cfg.now, &self.cfg.limits, &reported, self.cfg.server_fresh_ms)
    }

    pub fn roots_of(&self, p: Provider) -> impl Iterator<Item = &Root> {
        self.roots.iter().filter(move |r| r.provider == p)
    }

    /// Whether any transcript file exists at all.
    pub fn has_files(&self, p: Provider) -> bool {
        let st = &self.run.db.state;
        if st.complete { st.files.iter().any(|f| f.provider == p) } else { st.file_count() > 0 }
    }
}
