//! `runway catch-up`: reads everything new into the cache now, in rounds that are each kept (a kill
//! loses one round at most), and compacts. A prompt that leaves work behind (more to read than its
//! budget, or a compaction) starts it in the background, detached and silent, so no prompt waits for
//! it; run by hand it does the same in the foreground.

use std::io;
use std::process::{Command, ExitCode, Stdio};

use crate::app::App;
use crate::config::Config;
use crate::ground::platform;
use crate::store::ingest::Pace;

/// Rounds before giving up: each reads 256 MiB, so this is 64 GiB of new history in one go.
const MAX_ROUNDS: usize = 256;

/// `left`: started by a prompt, for what it left. Run by hand, the first round walks every folder, as
/// a full rescan does: a file idle for hours that grew (a session resumed from yesterday) is read now,
/// not at the next rescan.
pub fn run(cfg: Config, left: bool) -> io::Result<ExitCode> {
    let started = std::time::Instant::now();
    for round in 1..=MAX_ROUNDS {
        // Files' ages and rescans go by the real clock, which moves between rounds.
        let rescan_ms = if round == 1 && !left { 0 } else { cfg.rescan_ms };
        let cfg = Config { wall_ms: crate::ground::time::wall_ms(), rescan_ms, ..cfg.clone() };
        let app = App::load(cfg, Pace::Helper);
        let i = &app.run.info;
        // Another run has it, it cannot be kept, or it failed: nothing more to do here.
        if round == MAX_ROUNDS
            || i.busy
            || i.error.is_some()
            || app.run.db.memory_only.is_some()
            || !(i.behind || i.deferred)
        {
            // The caches of roots that are gone go with them (one listing of the cache directory).
            crate::store::db::prune(&app.cfg.cache, app.run.db.id);
            // This device's file into the sync folder, once the history is read.
            super::publish(&app, false);
            super::timings(&app, started);
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Starts `runway catch-up` in the background when this run left work for it.
pub fn start_if_needed(app: &App) {
    let i = &app.run.info;
    let work = i.behind || i.deferred || app.publish_due();
    if !work || i.busy || app.run.db.memory_only.is_some() {
        return;
    }
    // Tests that watch a history being read over many prompts turn it off; not a user setting.
    if app.cfg.knobs.no_helper {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    // Detached (a process group of its own, no console window), so Ctrl-C at the prompt does not
    // reach it; no terminal, no output. It is not waited for: it outlives this prompt and is reparented when it exits.
    // With the prompt's own settings (a hook's `--set sync_dir=…`: without it the helper read no
    // sync folder, and a prompt that left the folder to it stayed blank).
    let mut helper = Command::new(exe);
    helper.args(["catch-up", "--left"]).args(&app.cfg.args).env("RUNWAY_CACHE_DIR", app.cfg.cache.dir());
    let spawned =
        platform::detached(&mut helper).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    if let Err(e) = spawned {
        crate::ground::log::warn(&format!("cannot start catch-up in the background: {e}"));
    }
}
