//! `runway prompt --shell …`: the segment for a prompt or a status bar.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::{emit, post};
use crate::app::App;
use crate::config::Config;
use crate::render::escape::{Target, escape_text, paint};
use crate::render::segment::{labelled, segment};
use crate::render::style::{Level, Style};
use crate::store::ingest::Pace;

/// Between the shell's notices and the segment with `--notices` (a byte no segment holds: text from
/// outside has its control characters replaced).
const SEPARATOR: char = '\x1e';

/// The figures a stuck writer left (see `RunInfo::stale`), marked as such: plain ASCII, the same text in
/// every host's syntax.
pub fn stale(text: String, app: &App) -> String {
    match app.run.info.stale {
        Some(_) if !text.is_empty() => format!("{text} (stale)"),
        _ => text,
    }
}

/// `troubled`: the settings had a problem (kept for `doctor`); the segment says so with a marker.
pub fn run(cfg: Config, shell: Target, notices: bool, troubled: bool) -> io::Result<ExitCode> {
    // Fault injection for the tests: a panic in a prompt must stay invisible.
    if cfg.knobs.fault("panic") {
        panic!("injected fault (RUNWAY_FAULT=panic)");
    }
    let app = App::load(cfg, Pace::Prompt);
    let started = Instant::now();
    // Until every file is read to its end the totals are partial: nothing rather than a wrong figure.
    let mut for_shell = None;
    let text = match app.run.info.behind {
        true => String::new(),
        false => {
            let runways = app.runways().map_err(io::Error::other)?;
            let style = &app.cfg.style;
            let seg = segment(&labelled(&runways, style), app.cfg.now, shell, style);
            let seg = stale(seg, &app);
            let due = crate::notice::deliver::deliver(&post(&app.cfg), &runways, notices);
            let text = match due.lines.is_empty() {
                true => seg,
                false => format!("{}{SEPARATOR}{seg}", due.lines.join("\n")),
            };
            for_shell = Some(due);
            text
        }
    };
    // A cache that cannot be written, with more history than a prompt reads in its budget: every
    // prompt would be blank, and nothing would say why.
    let troubled = troubled || (app.run.info.behind && app.run.db.memory_only.is_some());
    let text = if troubled { with_marker(text, shell, &app.cfg.style) } else { text };
    let r = emit(&app.cfg.style.text(&text));
    // Given once it reached the hook: a prompt killed before this gives it again next time.
    if let (Ok(()), Some(due)) = (&r, for_shell) {
        due.given(&post(&app.cfg));
    }
    super::timings(&app, started);
    super::catch_up::start_if_needed(&app);
    r.map(|_| ExitCode::SUCCESS)
}

/// The segment (after any notices), then the marker that sends to `doctor`, amber, after the separator.
pub fn with_marker(text: String, shell: Target, style: &Style) -> String {
    let marker = paint(&escape_text(super::problems::MARKER, shell), Level::Warn, shell, style);
    let (notices, seg) = match text.rsplit_once(SEPARATOR) {
        Some((n, s)) => (format!("{n}{SEPARATOR}"), s.to_owned()),
        None => (String::new(), text),
    };
    match seg.is_empty() {
        true => format!("{notices}{marker}"),
        false => format!("{notices}{seg}{}{marker}", escape_text(&style.separator, shell)),
    }
}
