//! Command-line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Target;

#[derive(Parser, Debug)]
#[command(
    name = "runway",
    version,
    about = "How much AI-coding quota is left, in your prompt, tmux and the Claude Code status line",
    after_help = "Every setting is also RUNWAY_<KEY> and a key in the config file; `runway config` lists them.\n\
Also read: NO_COLOR, CLAUDE_CONFIG_DIR, CODEX_HOME, RUNWAY_CONFIG (the config file)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Args, Debug, Default)]
pub struct Global {
    /// Answer as of this instant (RFC 3339); entries after it do not exist yet [env: RUNWAY_NOW]
    #[arg(long, global = true, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Colour: auto (unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorMode>,
    /// ASCII glyphs for terminals without ↻ and ⚠ [env: RUNWAY_ASCII]
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Limit of the 5-hour window in API-equivalent dollars [env: RUNWAY_LIMIT_COST]
    #[arg(long, global = true, value_name = "USD")]
    pub limit_cost: Option<f64>,
    /// Limit of the 5-hour window in tokens [env: RUNWAY_LIMIT_TOKENS]
    #[arg(long, global = true, value_name = "N")]
    pub limit_tokens: Option<u64>,
    /// Used share at which the segment turns amber [env: RUNWAY_WARN_AT] [default: 70]
    #[arg(long, global = true, value_name = "PERCENT")]
    pub warn_at: Option<f64>,
    /// Used share at which the segment turns red [env: RUNWAY_DANGER_AT] [default: 90]
    #[arg(long, global = true, value_name = "PERCENT")]
    pub danger_at: Option<f64>,
    /// Print how long each stage took, to stderr
    #[arg(long, global = true)]
    pub timings: bool,
    /// Which tools the segment shows, in order, e.g. codex,claude [env: RUNWAY_PROVIDERS]
    #[arg(long, global = true, value_name = "LIST")]
    pub providers: Option<String>,
    /// Set any setting (see `runway config`), e.g. --set color_warn=214; repeatable
    #[arg(long = "set", global = true, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorMode {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Print the segment for a prompt or status bar (never fails, never writes to stderr)
    Prompt {
        #[arg(long, value_enum, default_value = "plain")]
        shell: Target,
    },
    /// Show the windows, limits and costs
    Status {
        /// Machine-readable output (a stable contract, see README)
        #[arg(long)]
        json: bool,
    },
    /// Show where runway looks, what it tracks, the cache, and how long each stage took
    Doctor,
    /// Print the shell integration to evaluate, or Claude Code's statusLine setting
    Init {
        #[arg(value_enum)]
        host: crate::init::Host,
        /// Only define `runway_segment` (no hook), for a prompt built with starship, powerlevel10k…
        #[arg(long)]
        print_only: bool,
        /// claude: merge the setting into settings.json (after a backup) instead of printing it
        #[arg(long)]
        write: bool,
    },
    /// Claude Code's status line: reads its JSON on stdin, prints one line
    Statusline,
    /// Show every setting, its value and where the value came from
    Config {
        /// The settings table for README
        #[arg(long, hide = true)]
        markdown: bool,
    },
    /// Write a small realistic history to a temporary directory and show runway on it
    Demo {
        /// Keep the temporary directory
        #[arg(long)]
        keep: bool,
    },
    /// Write a synthetic history (used by the benchmark and the demo)
    #[command(hide = true)]
    Generate {
        #[arg(long)]
        out: PathBuf,
        /// Approximate size of the Claude Code history, e.g. 40M or 1G
        #[arg(long, default_value = "1G")]
        size: String,
        /// Approximate size of the Codex CLI history (0: none)
        #[arg(long, default_value = "0")]
        codex_size: String,
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// The newest entry's time (RFC 3339); default now
        #[arg(long)]
        end: Option<String>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Instead: append one API call to this session file, stamped --end
        #[arg(long, value_name = "FILE")]
        append_to: Option<PathBuf>,
    },
}
