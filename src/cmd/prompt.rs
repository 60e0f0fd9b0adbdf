//! `runway prompt --shell …`: the segment for a prompt or a status bar.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::config::Config;
use crate::render::escape::Target;
use crate::render::segment::{labelled, segment};
use crate::store::ingest::Pace;

pub fn run(cfg: Config, shell: Target) -> io::Result<ExitCode> {
    // Fault injection for the tests: a panic in a prompt must stay invisible.
    if std::env::var_os("RUNWAY_FAULT").is_some_and(|v| v == "panic") {
        panic!("injected fault (RUNWAY_FAULT=panic)");
    }
    let app = App::load(cfg, Pace::Prompt);
    let started = Instant::now();
    // Until every file is read to its end the totals are partial: nothing rather than a wrong figure.
    let text = match app.run.info.behind {
        true => String::new(),
        false => {
            let runways = app.runways().map_err(io::Error::other)?;
            let style = &app.cfg.style;
            segment(&labelled(&runways, style.warn_at), app.cfg.now, shell, style)
        }
    };
    let r = emit(&text);
    super::timings(&app, started);
    super::catch_up::start_if_needed(&app);
    r.map(|_| ExitCode::SUCCESS)
}
