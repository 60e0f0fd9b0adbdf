//! `runway report`: the history by day, week, month, session, project, model or 5-hour block, for
//! the configured tools, from the cache (no transcript is read again when nothing changed).

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::cli::ReportArgs;
use crate::config::Config;
use crate::render;
use crate::report::{Builder, Report, period};
use crate::store::ingest::Pace;

/// The report, the calls streamed from each tool's ledger; an error when the cache failed a read.
fn build(app: &App, args: &ReportArgs, from: i64, to: i64) -> Result<Report, String> {
    let tz = app.cfg.style.zone.get();
    let mut b = Builder::new(args.by, tz);
    for &p in &app.cfg.providers {
        let ledger = app.ledger(p);
        ledger.each_between(from, to, |e| b.add(p, e));
        if let Some(f) = ledger.fault() {
            app.run.db.invalidate(&f);
            return Err(f);
        }
    }
    let model = |m: u16| app.model_name(m);
    Ok(b.finish(&app.origins(), &model, app.cfg.now))
}

pub fn run(cfg: Config, args: ReportArgs) -> io::Result<ExitCode> {
    // An empty range is a mistake in the dates, not a history without calls.
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since > until
    {
        eprintln!("runway: --since {since} is after --until {until}: no day is in that range");
        return Ok(ExitCode::from(2));
    }
    let mut app = App::load(cfg.clone(), Pace::Full);
    let started = Instant::now();
    let tz = app.cfg.style.zone.get().clone();
    let now = app.cfg.now;
    // Local dates, both inclusive: from the first one's midnight up to the next day after the last.
    let from = args.since.and_then(|d| period::start_of(d, &tz)).map_or(i64::MIN, |t| t - 1);
    let to = args
        .until
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| period::start_of(d, &tz))
        .map_or(now, |t| (t - 1).min(now));
    let rep = match build(&app, &args, from, to) {
        Ok(rep) => rep,
        // A part of the cache failed its check and was dropped: answer from the rebuild.
        Err(_) => {
            app = App::load(cfg, Pace::Full);
            build(&app, &args, from, to).map_err(io::Error::other)?
        }
    };
    let model = |m: u16| app.model_name(m);
    let out = if args.json {
        // (Not copied into a new string for its newline: over 100k sessions it is 120 MB.)
        let mut json = render::report_json::report(&rep, &model);
        json.push('\n');
        json
    } else {
        render::report::table(&rep, &model, &app.cfg.style)
    };
    let r = emit(&out);
    super::timings(&app, started);
    r.map(|_| ExitCode::SUCCESS)
}
