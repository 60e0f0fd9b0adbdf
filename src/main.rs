//! runway: how much AI-coding quota is left, where you already look.
//!
//! Data flows one way, one floor up at a time: `read` (transcripts and the status line's stdin to
//! priced records) → `store` (the cache: ingest, merge, its file formats) → `ledger` (a read-only view
//! of the counted calls) → `forecast` (a pure function of ledger and evidence) → `render` (words and
//! colours, escaped per host) → `notice` (what is worth saying unasked, given once per channel) → `cmd`
//! (one file per subcommand). `ground` is the floor they all stand on; `config` and `cli` turn
//! settings into what the floors take; `app` is one invocation's view.

mod app;
mod cli;
mod cmd;
mod config;
mod forecast;
mod ground;
mod ledger;
mod notice;
mod provider;
mod publish;
mod read;
mod render;
mod report;
mod store;
mod sync;

use std::ffi::OsString;
use std::io;
use std::process::ExitCode;

use clap::error::ErrorKind;

use ground::cache::Cache;
use ground::{dirs, log};

/// Prompt and status-line modes (and the helper they start): whatever happens, print a segment or
/// nothing and exit 0.
fn render_mode(args: &[OsString]) -> bool {
    args.iter().skip(1).any(|a| a == "prompt" || a == "statusline" || a == "catch-up")
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

/// Writes `text` as clap would have (its text ends with a newline already). Its caller drops the
/// error: a closed pipe is none, and nothing else could be said of it.
fn writeln_to(mut to: impl io::Write, text: &str) -> io::Result<()> {
    to.write_all(text.as_bytes()).and_then(|_| to.flush())
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let quiet = render_mode(&args);
    // The environment is read here, once; everything below takes it as a value.
    let env = config::environment();
    log::init(Cache::new(dirs::cache_dir(&env)));
    if quiet && !args.iter().any(|a| a == "--timings") {
        // What the runtime itself may write (an allocation failure's message) goes to the log too.
        log::take_stderr();
    }
    install_panic_hook(quiet);
    let host = cmd::problems::host_of(&args);
    let cli = match cli::parse(&args).or_else(|e| if quiet { cli::leniently(&args, &e).ok_or(e) } else { Err(e) }) {
        Ok(c) => c,
        Err(e) if quiet && !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            // Nothing can be shown as asked: the marker alone, and the reason for `doctor` and the log.
            let words: Vec<String> = args.iter().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
            let why = e.to_string();
            let why = why.lines().next().unwrap_or("").trim_start_matches("error: ");
            let problem = format!("`runway {}`: {why}", words.join(" "));
            // Where `doctor` looks: the cache the settings name (a `cache_dir` in the config file
            // too), not only the environment's.
            let cache = config::resolve(&config::Given::default(), &env, config::Audience::Prompt).0.cache;
            log::init(cache.clone());
            if cmd::problems::remember(&cache, &host, std::slice::from_ref(&problem), ground::time::wall_ms()) {
                log::warn(&format!("bad arguments: {problem}"));
            }
            if host != "catch-up" {
                let _ = cmd::emit(cmd::problems::MARKER);
            }
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // Help and usage errors are a surface too: ASCII where the locale or `--ascii` says so.
            let ascii = !ground::locale::utf8(&env) || args.iter().any(|a| a == "--ascii");
            let text = e.render().to_string();
            let text = if ascii { render::ascii::fold(&text) } else { text.as_str().into() };
            let _ = if e.use_stderr() { writeln_to(io::stderr(), &text) } else { writeln_to(io::stdout(), &text) };
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cmd::run(cli, quiet, &host, env) {
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
