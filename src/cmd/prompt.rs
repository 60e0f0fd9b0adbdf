//! `runway prompt --shell …`: the segment for a prompt or a status bar.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::config::Config;
use crate::render::escape::Target;
use crate::render::segment::{labelled, segment};

pub fn run(cfg: Config, shell: Target) -> io::Result<ExitCode> {
    // Fault injection for the tests: a panic in a prompt must stay invisible.
    if std::env::var_os("RUNWAY_FAULT").is_some_and(|v| v == "panic") {
        panic!("injected fault (RUNWAY_FAULT=panic)");
    }
    let app = App::load(cfg, true);
    let started = Instant::now();
    let runways = app.runways().map_err(io::Error::other)?;
    let style = &app.cfg.style;
    let r = emit(&segment(&labelled(&runways, style.warn_at), app.cfg.now, shell, style));
    super::timings(&app, started);
    r.map(|_| ExitCode::SUCCESS)
}
