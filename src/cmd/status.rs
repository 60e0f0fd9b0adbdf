//! `runway status [--json]`: the whole state, for people and for other tools.

use std::io;
use std::process::ExitCode;
use std::time::Instant;

use super::emit;
use crate::app::App;
use crate::config::Config;
use crate::forecast::Runway;
use crate::ground::provider::Provider;
use crate::render;
use crate::render::clean::clean;
use crate::store::ingest::Pace;

pub fn run(cfg: Config, json: bool) -> io::Result<ExitCode> {
    let mut app = App::load(cfg.clone(), Pace::Full);
    let started = Instant::now();
    let all_of = |app: &App| Provider::ALL.iter().map(|&p| app.runway(p)).collect::<Result<Vec<Runway>, _>>();
    let all = match all_of(&app) {
        Ok(all) => all,
        // A part of the cache failed its check and was dropped: answer from the rebuild.
        Err(_) => {
            app = App::load(cfg, Pace::Full);
            all_of(&app).map_err(io::Error::other)?
        }
    };
    let out = if json {
        format!("{}\n", serde_json::to_string_pretty(&render::json::status(app.cfg.now, &all)).unwrap_or_default())
    } else {
        human(&app, &all)
    };
    let r = emit(&out);
    if let Some(why) = &app.run.db.memory_only {
        eprintln!(
            "runway: {}; this answer read all history again, and every run will until it can be written",
            clean(why)
        );
    }
    super::timings(&app, started);
    r.map(|_| ExitCode::SUCCESS)
}

fn human(app: &App, all: &[Runway]) -> String {
    let mut out = String::new();
    for r in all {
        let calls = app.ledger(r.provider).counted(app.cfg.now);
        if app.has_files(r.provider) || calls > 0 || r.five.is_some() || r.seven.is_some() {
            if !out.is_empty() {
                out.push('\n');
            }
            out += &render::status::human(r, &app.cfg.style);
        }
    }
    if out.is_empty() {
        out = nothing_found(app);
    } else if let Some(z) = app.cfg.style.zone.get().iana_name() {
        out += &format!("\n(times in {z})\n");
    }
    out
}

/// Why there is nothing to show, and what to do about it.
fn nothing_found(app: &App) -> String {
    if app.roots.is_empty() {
        return "runway: HOME is not set, and neither are CLAUDE_CONFIG_DIR nor CODEX_HOME: runway does not know \
                where Claude Code and Codex CLI keep their history. Set HOME (or the two others).\n"
            .into();
    }
    let looked: Vec<String> = app.roots.iter().map(|r| clean(&r.path.display().to_string()).into_owned()).collect();
    format!(
        "runway: no Claude Code or Codex CLI history found (looked in {}).\n\
         To see what runway shows, on a week of sample history: runway demo\n",
        looked.join(", ")
    )
}
