//! `runway status [--json]`: the whole state, for people and for other tools.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::config::Config;
use crate::forecast::Runway;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::render;
use crate::render::clean::clean;
use crate::render::fit;
use crate::report::OriginOf;
use crate::report::attribution::{self, Attribution};
use crate::report::devices::DeviceUse;
use crate::report::group::ByFile;
use crate::store::ingest::Pace;
use crate::store::prompt_cache;
use crate::sync::file::DeviceFile;

pub fn run(cfg: Config, json: bool) -> io::Result<ExitCode> {
    let mut app = App::load(cfg.clone(), Pace::Full);
    super::publish(&app, true);
    let started = Instant::now();
    let all_of = |app: &App| {
        let origins = app.origins();
        Provider::ALL
            .iter()
            .map(|&p| {
                let r = app.runway(p)?;
                let used = used(app, &r, &origins)?;
                Ok((r, used))
            })
            .collect::<Result<Vec<(Runway, Vec<Attribution>)>, String>>()
    };
    let all = match all_of(&app) {
        Ok(all) => all,
        // A part of the cache failed its check and was dropped: answer from the rebuild.
        Err(_) => {
            app = App::load(cfg, Pace::Full);
            all_of(&app).map_err(io::Error::other)?
        }
    };
    // The other devices, read once (nothing without a sync folder).
    let seen = app.devices_recent();
    let out = if json {
        let mut v = render::json::status(app.cfg.now, &all, &app.cfg.style);
        for (r, _) in &all {
            v[r.provider.name()]["limits"] = render::json::limits(&app.limits(r.provider));
        }
        if app.cfg.sync.is_some() {
            v["devices"] = render::json::devices(&device_uses(&app, &all, &seen.devices), app.cfg.wall_ms);
        }
        v["claude"]["prompt_cache"] =
            render::json::prompt_cache(prompt_cache::load(&app.cfg.cache).as_ref(), app.cfg.now);
        let text = serde_json::to_string_pretty(&v).unwrap_or_default();
        format!("{}\n", app.cfg.style.json(&text))
    } else {
        fit::wrap(&app.cfg.style.text(&human(&app, &all, &seen.devices)), app.cfg.columns, fit::status_indent)
    };
    let r = emit(&out);
    if seen.crowded {
        eprintln!("runway: {}", render::device_lines::crowded());
    }
    if let Some(why) = &app.run.db.memory_only {
        eprintln!(
            "runway: {}; this answer read all history again, and every run will until it can be written",
            clean(why)
        );
    }
    super::timings(&app, started);
    r.map(|_| ExitCode::SUCCESS)
}

/// What used each window of `r` that had calls.
fn used(app: &App, r: &Runway, origins: &OriginOf) -> Result<Vec<Attribution>, String> {
    let ledger = app.ledger(r.provider);
    let model = |m: u16| app.model_name(m);
    let mut out = Vec::new();
    // One pass over the week's calls, grouped by file for the week and for the 5 hours inside it
    // (always, but just after a weekly reset, when the 5 hours are read on their own). The week
    // also tells when the 5 hours' sessions began.
    let week_span = attribution::span(r, Window::SevenDay);
    let five_span = attribution::span(r, Window::FiveHour);
    let (mut week, mut five) = (ByFile::default(), ByFile::default());
    let inside = matches!((week_span, five_span), (Some(w), Some(f)) if f.0 >= w.0);
    // (A window's first instant is its own: `each_between` leaves out its `from`.)
    if let Some((from, to)) = week_span {
        ledger.each_between(from - 1, to, |e| {
            week.add(e);
            if inside && five_span.is_some_and(|(f, t)| e.ts >= f && e.ts <= t) {
                five.add(e);
            }
        });
    }
    if let Some((from, to)) = five_span.filter(|_| !inside) {
        ledger.each_between(from - 1, to, |e| five.add(e));
    }
    let started = attribution::first_calls(&week, origins);
    let live = r.provider == Provider::CLAUDE;
    if let Some(span) = five_span.filter(|_| !five.groups.is_empty()) {
        out.push(attribution::attribute(Window::FiveHour, span, &five, origins, &model, live, &started));
    }
    if let Some(span) = week_span.filter(|_| !week.groups.is_empty()) {
        out.push(attribution::attribute(Window::SevenDay, span, &week, origins, &model, live, &started));
    }
    match ledger.fault() {
        Some(f) => {
            app.run.db.invalidate(&f);
            Err(f)
        }
        None => Ok(out),
    }
}

/// Each device's part of the running windows (this one alone when there is no sync folder).
fn device_uses(app: &App, all: &[(Runway, Vec<Attribution>)], others: &[DeviceFile]) -> Vec<DeviceUse> {
    let runways: Vec<&Runway> = all.iter().map(|(r, _)| r).collect();
    let me = app.me.as_ref();
    let (id, name) = me.map_or((String::new(), "this device".to_owned()), |m| (m.id.clone(), m.name.clone()));
    let mine = |p: Provider, from: i64, to: i64| app.ledger(p).sum_between(from, to);
    crate::report::devices::of(&runways, (&id, &name, app.cfg.wall_ms), &mine, others)
}

fn human(app: &App, all: &[(Runway, Vec<Attribution>)], others: &[DeviceFile]) -> String {
    let mut out = String::new();
    let uses = device_uses(app, all, others);
    // The tools the settings name, in their order, as the prompt shows them (`--json` has every tool:
    // its shape is what scripts read).
    let named = app.cfg.providers.iter().filter_map(|&p| all.iter().find(|(r, _)| r.provider == p));
    for (r, used) in named {
        let calls = app.ledger(r.provider).counted(app.cfg.now);
        let elsewhere = app.elsewhere.iter().any(|t| t.provider == r.provider);
        // A tool shows when it has files, calls, or a figure the service reported, here or elsewhere.
        if app.has_files(r.provider) || calls > 0 || elsewhere || r.gauges.iter().any(|g| g.observed_at.is_some()) {
            if !out.is_empty() {
                out.push('\n');
            }
            out += &render::status::human(r, used, &app.cfg.style, uses.len() > 1);
            out += &render::status::awaiting(app.awaiting(r.provider));
            out += &render::device_lines::lines(&uses, r.provider, app.cfg.wall_ms);
            out += &render::status::limits(&app.limits(r.provider), app.cfg.now);
            if r.provider == Provider::CLAUDE
                && let Some(k) = prompt_cache::load(&app.cfg.cache)
            {
                out += &render::status::prompt_cache(&k, app.cfg.now);
            }
        }
    }
    if out.is_empty() {
        out = nothing_found(app);
    } else if let Some(z) = app.cfg.style.zone.get().iana_name() {
        // A zone file's path (`TZ=/…/zoneinfo/<name>`, any other path) is text from outside.
        out += &format!("\n(times in {})\n", crate::render::clean::clean(z));
    }
    out
}

/// Why there is nothing to show, and what to do about it.
fn nothing_found(app: &App) -> String {
    let tools: Vec<&str> = Provider::ALL.iter().map(|p| p.title()).collect();
    if app.roots.is_empty() {
        let vars: Vec<&str> = Provider::ALL.iter().flat_map(|p| p.spec().env.iter().copied()).collect();
        return format!(
            "runway: {}, and neither is any of {}: runway does not know where {} keep their history. Set \
             HOME (or one of the others).\n",
            render::words::no_home(&app.cfg.env),
            vars.join(", "),
            tools.join(", ")
        );
    }
    let looked: Vec<String> = app.roots.iter().map(|r| clean(&r.path.display().to_string()).into_owned()).collect();
    format!(
        "runway: no history of {} found (looked in {}).\n\
         To see what runway shows, on a week of sample history: runway demo\n",
        tools.join(", "),
        looked.join(", ")
    )
}
