//! One file per subcommand, and what two of them share (`problems`, `settings_file`). Each takes the
//! resolved configuration, loads what it needs, and writes its answer through `emit`.

pub mod catch_up;
pub mod completions;
pub mod config_cmd;
pub mod demo;
pub mod doctor;
pub mod init;
pub mod init_claude;
pub mod man;
pub mod problems;
pub mod prompt;
pub mod report;
pub mod settings_file;
pub mod status;
pub mod statusline;

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::{Cli, Cmd};
use crate::config::{self, Audience};
use crate::ground::log;

/// Writes what `write` makes to stdout as it comes, through a buffer; a closed pipe is not an error.
pub fn emit_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 << 10, io::stdout().lock());
    piped(write(&mut out).and_then(|_| out.flush()))
}

/// Writes `s` to stdout; a closed pipe is not an error. (No buffer of its own: a prompt's few bytes.)
pub fn emit(s: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    piped(out.write_all(s.as_bytes()).and_then(|_| out.flush()))
}

/// A reader that went away (`| head`) is not a failure of the command.
fn piped(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// Runs a parsed command line. `quiet`: a prompt or status-line mode, where nothing may reach stderr;
/// `host`, what it runs for (see `problems::host_of`).
pub fn run(cli: Cli, quiet: bool, host: &str, env: crate::ground::env::Env) -> io::Result<ExitCode> {
    // The status line's stdin is read first: whatever else happens, the payload is not left unread.
    let stdin = matches!(cli.cmd, Cmd::Statusline { .. }).then(crate::provider::claude::payload::read_stdin).flatten();
    let audience = match cli.cmd {
        Cmd::Prompt { .. } => Audience::Prompt,
        Cmd::Statusline { .. } => Audience::StatusLine,
        _ => Audience::Terminal,
    };
    let (cfg, problems) = config::resolve(&cli.given, &env, audience);
    log::init(cfg.cache.clone());
    // The helper a prompt started runs with the prompt's settings: their problems are the prompt's,
    // kept under its host; under `catch-up` they outlived the prompt's mend.
    let started_by_a_prompt = matches!(cli.cmd, Cmd::CatchUp { left: true });
    if quiet {
        // On the prompt only as a marker: the problems at the top of `doctor`, and in the log once.
        if !started_by_a_prompt && problems::remember(&cfg.cache, host, &problems, cfg.wall_ms) {
            for p in &problems {
                log::warn(p);
            }
        }
    } else if !problems.is_empty() {
        let own = match cli.cmd {
            Cmd::Init { .. } => config::command_line_problems(&cli.given, &env),
            _ => Vec::new(),
        };
        let say = || problems.iter().for_each(|p| eprintln!("runway: {}", cfg.style.text(p)));
        match cli.cmd {
            Cmd::Config { .. } | Cmd::Doctor => {}
            // `init`'s own arguments go into what it installs: a bad one is said, and stops it.
            Cmd::Init { .. } if !own.is_empty() => {
                own.iter().for_each(|p| eprintln!("runway: {}", cfg.style.text(p)));
                return Ok(ExitCode::from(2));
            }
            // What a shell evaluates as it starts, and what reads no setting, runs whatever the
            // settings say: a typo in config.toml left every new shell without its hook. The prompt
            // it installs shows the marker, and `doctor` the problems.
            Cmd::Init { host, .. } if host != crate::cli::Host::Claude => {}
            Cmd::Completions(_) | Cmd::Man => {}
            // Asked at a terminal, and a bad value falls back to the next source: said, then done.
            Cmd::Init { .. } | Cmd::Demo { .. } => say(),
            _ => {
                say();
                return Ok(ExitCode::from(2));
            }
        }
    }
    let troubled = !problems.is_empty();
    match cli.cmd {
        Cmd::Prompt { shell, notices } => prompt::run(cfg, shell, notices, troubled),
        Cmd::Statusline { then } => statusline::run(cfg, stdin.as_deref(), then.as_deref(), troubled),
        Cmd::Status { json } => status::run(cfg, json),
        Cmd::Doctor => doctor::run(cfg, &problems),
        Cmd::Init { host: crate::cli::Host::Claude, claude, .. } => {
            init_claude::run(claude, &env, &config::as_args(&cli.given))
        }
        Cmd::Init { host, print_only, .. } => init::run(host, print_only, &config::as_args(&cli.given)),
        Cmd::Config { markdown } => config_cmd::run(&cli.given, &env, markdown, cfg.style.ascii),
        Cmd::Demo { keep } => demo::run(&cli.given, keep, &cfg.style, cfg.columns),
        Cmd::CatchUp { left } => catch_up::run(cfg, left),
        Cmd::Report(args) => report::run(cfg, args),
        Cmd::Completions(shell) => completions::run(shell),
        Cmd::Man => man::run(),
    }
}

/// What a run needs to give notices, from its settings.
pub fn post(cfg: &crate::config::Config) -> crate::notice::deliver::Post<'_> {
    crate::notice::deliver::Post {
        cache: &cfg.cache,
        env: &cfg.env,
        settings: &cfg.notices,
        now: cfg.now,
        style: &cfg.style,
        die_after_claim: cfg.knobs.fault("after-claim"),
        replay: cfg.replay(),
    }
}

/// This device's file into the sync folder (see `App::publish`). A folder it cannot be written into
/// is kept for `doctor` (seen by `sync folder`, gone once a write succeeds) and, when `say`, said on
/// stderr: a misspelt or read-only `sync_dir` was in the log alone.
pub fn publish(app: &crate::app::App, say: bool) {
    // Only a write tried says how the folder stands: a replay, or a file not due, leaves the record.
    let Some(r) = app.publish() else { return };
    let seen: Vec<String> = r.as_ref().err().cloned().into_iter().collect();
    problems::remember(&app.cfg.cache, "sync folder", &seen, app.cfg.wall_ms);
    if let (Err(why), true) = (r, say) {
        eprintln!("runway: {}", app.cfg.style.text(&why));
    }
}

/// `--timings`: where the time went, to stderr.
pub fn timings(app: &crate::app::App, started: std::time::Instant) {
    if !app.cfg.timings {
        return;
    }
    let mut t: Vec<String> = app.run.info.timings.iter().map(|(k, v)| format!("{k} {v}µs")).collect();
    t.push(format!("query+render {}µs", started.elapsed().as_micros()));
    t.push(format!("read-bytes {}", app.run.info.bytes_read));
    // Every reading kept is decoded and looked through by every prompt.
    t.push(format!("readings {}+{}", app.run.db.state.readings.len(), app.readings.list.len()));
    if let Some(kib) = peak_rss_kib() {
        t.push(format!("peak-rss {kib}KiB"));
    }
    eprintln!("runway timings: {}", t.join(", "));
}

/// This process's peak resident set size (Linux `VmHWM`), for `--timings` and the benchmark.
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
