//! runway: how much AI-coding quota is left, where you already look.
//!
//! Data flows one way: sources (where transcripts are) → events (usage lines, de-duplicated, priced)
//! → windows (5-hour blocks, 7 days) → runway (limit, share, warning) → render (escaped per host).

mod cache;
mod claude;
mod cli;
mod codec;
mod codex;
mod config;
mod dedup;
mod demo;
mod doctor;
mod engine;
mod event;
mod hash;
mod ingest;
mod init;
mod log;
mod pricing;
mod readings;
mod render;
mod runway;
mod scan;
mod sources;
mod status;
mod statusline;
mod synth;
mod tail;
mod window;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use cli::{Cli, Cmd};
use event::Provider;

/// Prompt and status-line modes: whatever happens, print a segment or nothing and exit 0.
fn render_mode(args: &[OsString]) -> bool {
    args.iter().skip(1).any(|a| a == "prompt" || a == "statusline")
}

fn install_panic_hook(quiet: bool) {
    std::panic::set_hook(Box::new(move |info| {
        log::warn(&format!("panic: {info}"));
        if quiet {
            // Before `panic = "abort"` can kill us with a signal: the prompt gets nothing, and 0.
            std::process::exit(0);
        }
        let where_ = log::path().map(|p| format!(" (logged to {})", p.display())).unwrap_or_default();
        eprintln!("runway: internal error: {info}{where_}");
        std::process::exit(101);
    }));
}

/// Writes to stdout; a closed pipe is not an error.
pub fn emit(s: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let quiet = render_mode(&args);
    let early = std::env::var_os("RUNWAY_CACHE_DIR").filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    log::init(early.unwrap_or_else(config::default_cache_dir).join("runway.log"));
    install_panic_hook(quiet);
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) if quiet && !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            log::warn(&format!("bad arguments in a prompt: {}", e.to_string().lines().next().unwrap_or("")));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli, quiet) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) if quiet => {
            log::warn(&format!("prompt: {e}"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("runway: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, quiet: bool) -> io::Result<ExitCode> {
    // The status line's stdin is read first: whatever else happens, the payload is not left unread.
    let payload = matches!(cli.cmd, Cmd::Statusline).then(|| statusline::read_stdin().map(|b| statusline::parse(&b)));
    let (cfg, problems) = config::resolve(&cli.global);
    log::init(cfg.cache_dir.join("runway.log"));
    for p in &problems {
        if quiet {
            log::warn(p);
        } else {
            eprintln!("runway: {p}");
        }
    }
    match &cli.cmd {
        Cmd::Generate { out, size, codex_size, days, end, seed, append_to } => {
            return synth::command(out, size, codex_size, *days, end.as_deref(), *seed, append_to.as_deref())
                .map(|_| ExitCode::SUCCESS);
        }
        Cmd::Demo { keep } => return demo::run_demo(&cli.global, *keep).map(|_| ExitCode::SUCCESS),
        Cmd::Init { host, print_only, write } => return init_cmd(*host, *print_only, *write),
        Cmd::Config { markdown } => {
            let text = if *markdown { config::markdown_table() } else { config::describe(&cli.global) };
            return emit(&text).map(|_| ExitCode::SUCCESS);
        }
        _ => {}
    }
    let payload = payload.flatten().unwrap_or_default();
    if matches!(cli.cmd, Cmd::Statusline)
        && let Err(e) = readings::Readings::record(&cfg.cache_dir, &statusline::readings(&payload, cfg.now))
    {
        log::warn(&format!("statusline: cannot store rate_limits: {e}"));
    }
    let timings = cfg.timings;
    // Only the hot paths read the state lazily; status and doctor want every file.
    let eng = engine::load(cfg, matches!(cli.cmd, Cmd::Prompt { .. } | Cmd::Statusline));
    let started = std::time::Instant::now();
    let result = match &cli.cmd {
        Cmd::Prompt { shell } => {
            // Fault injection for the tests: a panic in a prompt must stay invisible.
            if std::env::var_os("RUNWAY_FAULT").is_some_and(|v| v == "panic") {
                panic!("injected fault (RUNWAY_FAULT=panic)");
            }
            let rs = eng.runways()?;
            emit(&render::segment(&runway::labelled(&rs, eng.cfg.style.warn_at), eng.cfg.now, *shell, &eng.cfg.style))
        }
        Cmd::Statusline => {
            let r = eng.runway(Provider::Claude)?;
            let x = eng.runway(Provider::Codex)?;
            let context = payload.context_percent.or_else(|| {
                let size =
                    payload.context_size.unwrap_or(if payload.model.as_deref().is_some_and(|m| m.contains("1M")) {
                        1_000_000
                    } else {
                        200_000
                    });
                statusline::context_from_transcript(payload.transcript.as_deref()?, size)
            });
            let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok());
            let line =
                statusline::line(&r, Some(&x), &payload, context, &eng.cfg.statusline_fields, &eng.cfg.style, columns);
            emit(&format!("{line}\n"))
        }
        Cmd::Status { json } => status(&eng, *json),
        Cmd::Doctor => emit(&doctor::report(&eng)),
        Cmd::Demo { .. } | Cmd::Generate { .. } | Cmd::Init { .. } | Cmd::Config { .. } => unreachable!(),
    };
    if timings {
        let mut t: Vec<String> = eng.run.info.timings.iter().map(|(k, v)| format!("{k} {v}µs")).collect();
        t.push(format!("query+render {}µs", started.elapsed().as_micros()));
        if let Some(kib) = peak_rss_kib() {
            t.push(format!("peak-rss {kib}KiB"));
        }
        eprintln!("runway timings: {}", t.join(", "));
    }
    result.map(|_| ExitCode::SUCCESS)
}

fn init_cmd(host: init::Host, print_only: bool, write: bool) -> io::Result<ExitCode> {
    let bin = init::exe();
    if host != init::Host::Claude {
        return emit(&init::script(host, print_only, &bin)).map(|_| ExitCode::SUCCESS);
    }
    if !write {
        let snippet = serde_json::json!({ "statusLine": init::status_line(&bin) });
        let text = serde_json::to_string_pretty(&snippet).unwrap_or_default();
        return emit(&format!("{text}\n")).map(|_| ExitCode::SUCCESS);
    }
    let Some(path) = init::settings_path() else {
        eprintln!("runway: cannot tell where Claude Code's settings are (no HOME)");
        return Ok(ExitCode::FAILURE);
    };
    let stamp = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).format("%Y%m%dT%H%M%S").to_string();
    match init::write_settings(&path, &bin, &stamp) {
        Ok(msg) => emit(&format!("{msg}\n")).map(|_| ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("runway: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// This process's peak resident set size (Linux `VmHWM`), for `--timings` and the benchmark.
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn status(eng: &engine::Engine, json: bool) -> io::Result<()> {
    let all: Vec<runway::Runway> = Provider::ALL.iter().map(|&p| eng.runway(p)).collect::<io::Result<_>>()?;
    if json {
        let v = status::json(eng.cfg.now, &all.iter().collect::<Vec<_>>());
        return emit(&format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()));
    }
    let mut out = String::new();
    for r in &all {
        let calls = eng.run.db.counted(r.provider, eng.cfg.now)?;
        if eng.has_files(r.provider) || calls > 0 || r.five.is_some() || r.seven.is_some() {
            if !out.is_empty() {
                out.push('\n');
            }
            out += &status::human(r);
        }
    }
    if out.is_empty() {
        let looked: Vec<String> = eng.roots.iter().map(|r| r.path.display().to_string()).collect();
        out = format!("runway: no Claude Code or Codex history found (looked in {})\n", looked.join(", "));
    }
    emit(&out)
}
