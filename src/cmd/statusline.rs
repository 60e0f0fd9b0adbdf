//! `runway statusline`: Claude Code's status-line command. Stores the payload's `rate_limits` for the
//! shell and tmux segments, then prints one line (see `render::line`); with invalid JSON on stdin it
//! still prints the runway from the cache.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::config::Config;
use crate::ground::log;
use crate::ground::provider::Provider;
use crate::read::payload::{self, Payload};
use crate::render::line::{Session, line};
use crate::store::readings::Readings;

pub fn run(cfg: Config, stdin: Option<&[u8]>) -> io::Result<ExitCode> {
    let p = stdin.map(|b| payload::parse(b, cfg.now)).unwrap_or_default();
    for why in &p.rejected {
        log::warn(&format!("statusline: refused rate_limits.{why}"));
    }
    if let Err(e) = Readings::record(&cfg.cache_dir, &p.readings, &p.rejected, p.root().as_deref()) {
        log::warn(&format!("statusline: cannot store rate_limits: {e}"));
    }
    let app = App::load(cfg, true);
    let started = Instant::now();
    let claude = app.runway(Provider::Claude).map_err(io::Error::other)?;
    let codex = app.runway(Provider::Codex).map_err(io::Error::other)?;
    let context = context(&p);
    let session = Session { model: p.model.as_deref(), context_percent: context, cost_usd: p.cost_usd };
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok());
    let cfg = &app.cfg;
    let text = line(&claude, Some(&codex), &session, &cfg.statusline_fields, &cfg.style, columns);
    let r = emit(&format!("{text}\n"));
    super::timings(&app, started);
    r.map(|_| ExitCode::SUCCESS)
}

/// The context used: as the payload says, else from the session's transcript.
fn context(p: &Payload) -> Option<f64> {
    p.context_percent.or_else(|| payload::context_from_transcript(p.transcript.as_deref()?, p.context_size()))
}
