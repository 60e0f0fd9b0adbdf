//! `runway report`: the history by day, week, month, session, project, model, 5-hour block, device or tool, for
//! the configured tools, from the cache (no transcript is read again when nothing changed).

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::cli::ReportArgs;
use crate::config::Config;
use crate::ground::provider::Provider;
use crate::ground::tokens::{Entry, Pico};
use crate::render;
use crate::render::report_json::Notes;
use crate::report::{Builder, By, Report, Row, hours, period, sessions};
use crate::store::ingest::Pace;

/// The report, the calls streamed from each tool's ledger; an error when the cache failed a read.
fn build(app: &App, args: &ReportArgs, from: i64, to: i64) -> Result<Report, String> {
    let tz = app.cfg.style.zone.get();
    let mut b = Builder::new(args.by, tz);
    for &p in &app.cfg.providers {
        let ledger = app.ledger(p);
        // A block's start hangs on the calls before it: the chain of blocks is walked from the first.
        if args.by == By::Block && from > i64::MIN {
            ledger.each_between(i64::MIN, from, |e| b.before(p, e));
        }
        ledger.each_between(from, to, |e| b.add(p, e));
        if let Some(f) = ledger.fault() {
            app.run.db.invalidate(&f);
            return Err(f);
        }
    }
    let model = |m: u16| app.model_name(m);
    let mut rep = b.finish(&app.origins(), &model, app.cfg.now);
    if args.by == By::Device {
        devices(app, &mut rep, from, to);
    }
    Ok(rep)
}

/// `--by device`: this device's row named, and a row for each other device the sync folder shows
/// (their models numbered after this cache's own, see `Names`).
fn devices(app: &App, rep: &mut Report, from: i64, to: i64) {
    let me = app.me.as_ref();
    // With no sync folder there is no identity, yet a name: the one the device would write.
    let named = || {
        let host = crate::ground::platform::host_name();
        crate::sync::identity::readable(app.cfg.device_name.as_deref(), host).unwrap_or_else(|| "this device".into())
    };
    let name = me.map_or_else(named, |m| m.name.clone());
    let id = me.map_or_else(String::new, |m| m.id.clone());
    for r in &mut rep.rows {
        (r.key, r.device) = (name.clone(), Some((id.clone(), true, app.cfg.wall_ms)));
    }
    let (rows, names) = other_devices(app, from, to);
    for r in rows {
        rep.total.merge(&r.acc);
        rep.rows.push(r);
    }
    rep.names = names;
}

/// A row for each other device the sync folder shows with use in the range, and the model names:
/// this cache's own, then theirs.
fn other_devices(app: &App, from: i64, to: i64) -> (Vec<Row>, Vec<String>) {
    let mut names = app.run.db.state.models.clone();
    let mut rows = Vec::new();
    let seen = app.devices_whole();
    if seen.crowded {
        eprintln!("runway: {}", crate::render::device_lines::crowded());
    }
    for d in seen.devices {
        let mut id_of = |m: &str| match names.iter().position(|n| n == m) {
            Some(i) => i as u16,
            None => {
                names.push(m.to_owned());
                (names.len() - 1) as u16
            }
        };
        let mut acc = crate::report::group::Acc::default();
        let mut providers = Vec::new();
        for t in d.tools.iter().filter(|t| app.cfg.providers.contains(&t.provider)) {
            let a = hours::acc_of(&t.hours, from, to, &mut id_of);
            if a.totals.entries > 0 {
                providers.push(t.provider);
                acc.merge(&a);
            }
        }
        if acc.totals.entries > 0 {
            rows.push(Row {
                key: d.name,
                project: None,
                providers,
                block: None,
                device: Some((d.id, false, d.written_at)),
                acc,
            });
        }
    }
    (rows, names)
}

/// Outside `--by device`, the other devices' use of the range is not in the rows (they are this
/// cache's calls, by session, model, day): how many devices, and their cost, to say so.
fn left_out(app: &App, by: By, from: i64, to: i64) -> (usize, Pico) {
    if by == By::Device || app.me.is_none() {
        return (0, 0);
    }
    let rows = other_devices(app, from, to).0;
    (rows.len(), rows.iter().map(|r| r.acc.totals.sums.cost).sum())
}

fn notes(app: &App, by: By, from: i64, to: i64) -> Notes {
    Notes { open: open_sessions(app, from), left_out: left_out(app, by, from, to) }
}

/// The sessions of the range whose tool writes their input and cache tokens at their end and that
/// have none written (GitHub Copilot's), per tool that has any: their rows are short of those.
fn open_sessions(app: &App, from: i64) -> Vec<(Provider, usize)> {
    app.cfg.providers.iter().map(|&p| (p, app.open_since(p, from))).filter(|(_, n)| *n > 0).collect()
}

/// The session rows of `rows` written as they come (the table goes over them twice, see
/// `render::report::write_table`).
fn chunked(
    app: &App,
    args: &ReportArgs,
    rows: &mut sessions::Sessions,
    (from, to): (i64, i64),
    started: Instant,
) -> io::Result<ExitCode> {
    let model = |m: u16| app.model_name(m);
    let style = &app.cfg.style;
    let total = rows.total.clone();
    let notes = notes(app, By::Session, from, to);
    let r = if args.json {
        super::emit_with(|w| {
            render::report_json::write_rows(By::Session, rows.by_ref(), &total, &model, style.ascii, &notes, w)?;
            w.write_all(b"\n")
        })
    } else {
        let note = render::report::notes(&notes);
        super::emit_with(|w| {
            render::report::write_table(By::Session, rows.clone(), &total, &model, style, app.cfg.columns, w)?;
            w.write_all(style.text(&note).as_bytes())
        })
    };
    super::timings(app, started);
    r.map(|_| ExitCode::SUCCESS)
}

/// `--by session` over many files (past `sessions::AT_ONCE`, or any with the test knob): the rows a
/// chunk of sessions at a time, written as they come. `None` when the builder answers instead (fewer
/// files, or a part of the cache that failed its check in the first pass, before a row was written:
/// the builder then answers from the rebuild).
fn in_chunks(app: &App, args: &ReportArgs, (from, to): (i64, i64), started: Instant) -> Option<io::Result<ExitCode>> {
    let files = app.run.db.state.files.iter().map(|f| 1 + f.subs.len()).sum::<usize>();
    let chunk = app.cfg.knobs.report_chunk.or((files > sessions::AT_ONCE).then_some(sessions::AT_ONCE));
    let (By::Session, Some(chunk)) = (args.by, chunk) else { return None };
    let fault = std::cell::RefCell::new(None);
    let stream = |f: &mut dyn FnMut(Provider, &Entry)| {
        for &p in &app.cfg.providers {
            let ledger = app.ledger(p);
            ledger.each_between(from, to, |e| f(p, e));
            if let Some(x) = ledger.fault() {
                fault.borrow_mut().get_or_insert(x);
            }
        }
    };
    let origins = app.origins();
    let mut rows = sessions::plan(&stream, &origins, chunk);
    // A part of the cache that failed its check is found by the first pass, before a row is
    // written: the builder answers from the rebuild.
    let first = fault.borrow_mut().take();
    if let Some(f) = first {
        app.run.db.invalidate(&f);
        return None;
    }
    let r = chunked(app, args, &mut rows, (from, to), started);
    // A later pass reads the pages the first one checked; should one fail all the same, the rows
    // written are not trusted in silence.
    let later = fault.borrow_mut().take();
    if let Some(f) = later {
        app.run.db.invalidate(&f);
        eprintln!("runway: a part of the cache failed its check while the report was written: {f}; run it again");
        return Some(Ok(ExitCode::FAILURE));
    }
    Some(r)
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
    super::publish(&app, true);
    let started = Instant::now();
    let tz = app.cfg.style.zone.get().clone();
    let now = app.cfg.now;
    // Local dates, both inclusive: from the first one's midnight up to the next day after the last.
    // (A day past the last instant there is, 9999-12-31 in most zones, begins after every call.)
    let from = args.since.map_or(i64::MIN, |d| period::start_of(d, &tz).map_or(i64::MAX, |t| t - 1));
    let to = args
        .until
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| period::start_of(d, &tz))
        .map_or(now, |t| (t - 1).min(now));
    if let Some(done) = in_chunks(&app, &args, (from, to), started) {
        return done;
    }
    let rep = match build(&app, &args, from, to) {
        Ok(rep) => rep,
        // A part of the cache failed its check and was dropped: answer from the rebuild.
        Err(_) => {
            app = App::load(cfg, Pace::Full);
            build(&app, &args, from, to).map_err(io::Error::other)?
        }
    };
    let model = |m: u16| rep.names.get(m as usize).cloned().unwrap_or_else(|| app.model_name(m));
    let style = &app.cfg.style;
    let notes = notes(&app, args.by, from, to);
    let r = if args.json {
        super::emit_with(|w| {
            render::report_json::write(&rep, &model, style.ascii, &notes, w)?;
            w.write_all(b"\n")
        })
    } else {
        let note = render::report::notes(&notes);
        emit(&style.text(&(render::report::table(&rep, &model, style, app.cfg.columns) + &note)))
    };
    super::timings(&app, started);
    r.map(|_| ExitCode::SUCCESS)
}
