//! The command line's one definition (clap's `Command`): every subcommand, its options, and every
//! setting's flag made from the one list of settings. Parsing (`cli.rs`), `--help`, `runway
//! completions` and `runway man` are made from it.

use clap::{Arg, ArgAction, Command};

use crate::config::settings::SETTINGS;
use crate::ground::provider::Provider;
use crate::render::escape::Target;
use crate::report::By;

/// `2026-02-11` or `20260211`, as ccusage takes them.
fn local_date(s: &str) -> Result<jiff::civil::Date, String> {
    let t = s.trim();
    let iso = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..])
    } else {
        t.to_owned()
    };
    iso.parse().map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD or YYYYMMDD)"))
}

/// The heading the settings' flags go under in every command's help, after the command's own options.
pub(super) const SETTINGS_HEADING: &str = "Settings (every command; also RUNWAY_<KEY> and the config file)";

/// The whole command line, declared once: parsing, `--help`, `runway completions` and `runway man`.
pub fn command() -> Command {
    let mut c = Command::new("runway")
        .version(env!("CARGO_PKG_VERSION"))
        .about("How much AI-coding quota is left, in your prompt, tmux and the Claude Code status line")
        .after_help(format!(
            "Every setting is also RUNWAY_<KEY> and a key in the config file; `runway config` lists them.\n\
             Also read: NO_COLOR, RUNWAY_CONFIG (the config file), and where each tool keeps its history:\n{}.",
            Provider::ALL.iter().flat_map(|p| p.spec().env.iter().copied()).collect::<Vec<_>>().join(", ")
        ))
        .subcommand_required(true)
        .arg_required_else_help(true);
    for s in SETTINGS {
        let Some(flag) = s.flag else { continue };
        let mut a = Arg::new(s.key).long(flag).global(true).help_heading(SETTINGS_HEADING).help(format!(
            "{} [env: {}]",
            s.help,
            s.env()
        ));
        a = if s.switch {
            a.action(ArgAction::SetTrue)
        } else {
            a.value_name(s.value_name).allow_negative_numbers(true).allow_hyphen_values(true)
        };
        c = c.arg(a);
    }
    c.arg(
        Arg::new("set")
            .long("set")
            .global(true)
            .help_heading(SETTINGS_HEADING)
            .value_name("KEY=VALUE")
            .action(ArgAction::Append)
            .help("Set any setting (see `runway config`), e.g. --set color_warn=214; repeatable"),
    )
    .arg(
        Arg::new("timings")
            .long("timings")
            .global(true)
            .help_heading(SETTINGS_HEADING)
            .action(ArgAction::SetTrue)
            .help("Print how long each stage took, to stderr"),
    )
    .subcommand(
        Command::new("prompt")
            .about("Print the segment for a prompt or status bar (never fails, never writes to stderr)")
            .arg(
                Arg::new("shell")
                    .long("shell")
                    .value_parser(Target::SHELLS.map(|(n, _)| n))
                    .default_value("plain")
                    .help("The host the segment is escaped for: `plain` has no colour codes whatever `--color` says, `ansi` is plain text in colour"),
            )
            .arg(Arg::new("notices").long("notices").action(ArgAction::SetTrue).help(
                "Put notices due for the shell first, one per line (a newline between two, none after \
                 the last), then a 0x1e byte, then the segment (what the `init` hooks do)",
            )),
    )
    .subcommand(
        Command::new("status").about("Show the windows, limits and costs").arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("Machine-readable output (a stable contract, see README)"),
        ),
    )
    .subcommand(
        Command::new("doctor")
            .about("Show where runway looks, what it tracks, the cache, and how long each stage took"),
    )
    .subcommand(
        Command::new("init")
            .about("Print the shell integration to evaluate, or Claude Code's statusLine setting")
            .arg(Arg::new("host").required(true).value_parser(["zsh", "bash", "fish", "powershell", "claude"]).help(
                "zsh, bash, fish or powershell: the script for its rc file ($PROFILE) to evaluate (a prompt hook); \
                 claude: Claude Code's statusLine setting",
            ))
            .arg(
                Arg::new("print-only")
                    .long("print-only")
                    .action(ArgAction::SetTrue)
                    .help("Only define `runway_segment` (no hook), for a prompt built with starship, powerlevel10k…"),
            )
            .arg(
                Arg::new("write")
                    .long("write")
                    .action(ArgAction::SetTrue)
                    .help("claude: put the setting into settings.json (after a backup) instead of printing it"),
            )
            .arg(
                Arg::new("replace")
                    .long("replace")
                    .action(ArgAction::SetTrue)
                    .requires("write")
                    .help("claude: replace another tool's status line"),
            )
            .arg(
                Arg::new("keep")
                    .long("keep")
                    .action(ArgAction::SetTrue)
                    .requires("write")
                    .conflicts_with("replace")
                    .help("claude: keep another tool's status line, shown after runway's"),
            )
            .arg(
                Arg::new("remove")
                    .long("remove")
                    .action(ArgAction::SetTrue)
                    .conflicts_with("write")
                    .help("claude: put back the status line that was there before runway"),
            ),
    )
    .subcommand(
        Command::new("statusline").about("Claude Code's status line: reads its JSON on stdin, prints one line").arg(
            Arg::new("then")
                .long("then")
                .value_name("COMMAND")
                .help("Also run another status-line command on the same stdin; its line follows runway's"),
        ),
    )
    .subcommand(
        Command::new("config").about("Show every setting, its value and where the value came from").arg(
            Arg::new("markdown")
                .long("markdown")
                .action(ArgAction::SetTrue)
                .hide(true)
                .help("README's settings table, in Markdown"),
        ),
    )
    .subcommand(
        Command::new("catch-up")
            .about(
                "Read everything new into the cache now (prompts start this in the background when there is \
                 more than they read in a few milliseconds)",
            )
            // How a prompt starts it: it reads what that prompt left, without walking every folder.
            .arg(
                Arg::new("left")
                    .long("left")
                    .action(ArgAction::SetTrue)
                    .hide(true)
                    .help("Read what a prompt left, without walking every folder (how a prompt starts it)"),
            ),
    )
    .subcommand(
        Command::new("report")
            .about("Usage by day, week, month, session, project, model, 5-hour block, device or tool, from the cache")
            .arg(
                Arg::new("by")
                    .long("by")
                    .value_parser(By::ALL.map(By::name))
                    .default_value("day")
                    .help("How to group the calls (the tools: --providers; the days' zone: --timezone)"),
            )
            .arg(
                Arg::new("json")
                    .long("json")
                    .action(ArgAction::SetTrue)
                    .help("JSON; for day, week, month, session and block, in ccusage's shape"),
            )
            .arg(
                Arg::new("since")
                    .long("since")
                    .value_name("DATE")
                    .value_parser(local_date)
                    .help("From this local date (YYYY-MM-DD or YYYYMMDD)"),
            )
            .arg(
                Arg::new("until")
                    .long("until")
                    .value_name("DATE")
                    .value_parser(local_date)
                    .help("Up to this local date, inclusive"),
            ),
    )
    .subcommand(
        Command::new("demo")
            .about("Write a small realistic history to a temporary directory and show runway on it")
            .arg(Arg::new("keep").long("keep").action(ArgAction::SetTrue).help("Keep the temporary directory")),
    )
    .subcommand(
        Command::new("completions")
            .about("Print the shell completions, made from this command line's own definition")
            .after_help(
                "zsh:  runway completions zsh > \"${fpath[1]}/_runway\"\n\
                 bash: runway completions bash > ~/.local/share/bash-completion/completions/runway\n\
                 fish: runway completions fish > ~/.config/fish/completions/runway.fish\n\
                 PowerShell, in $PROFILE: runway completions powershell | Out-String | Invoke-Expression",
            )
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(["zsh", "bash", "fish", "powershell"])
                    .help("The shell the completions are for"),
            ),
    )
    .subcommand(
        Command::new("man")
            .about("Print runway's manual page (roff), e.g. runway man > ~/.local/share/man/man1/runway.1"),
    )
}
