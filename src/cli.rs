//! The command line: subcommands, and every setting's flag made from the one list of settings.

use std::ffi::OsString;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::config::Given;
use crate::config::settings::SETTINGS;
use crate::ground::provider::Provider;
use crate::render::escape::Target;
use crate::report::By;

mod every_prompt;
mod lenient;

pub use lenient::leniently;

/// Where `runway init` puts runway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Zsh,
    Bash,
    Fish,
    PowerShell,
    /// Claude Code's status line (settings.json).
    Claude,
}

/// What `runway init claude` does with `settings.json`: print the setting (none set), write it,
/// replace or keep another tool's, or take runway's out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClaudeInit {
    pub write: bool,
    pub replace: bool,
    pub keep: bool,
    pub remove: bool,
}

/// A shell `runway completions` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Zsh,
    Bash,
    Fish,
    Powershell,
}

#[derive(Debug)]
pub enum Cmd {
    Prompt {
        shell: Target,
        notices: bool,
    },
    Status {
        json: bool,
    },
    Doctor,
    Init {
        host: Host,
        print_only: bool,
        claude: ClaudeInit,
    },
    Statusline {
        then: Option<String>,
    },
    Config {
        markdown: bool,
    },
    Demo {
        keep: bool,
    },
    /// `left`: started by a prompt for what it left, not by hand.
    CatchUp {
        left: bool,
    },
    Report(ReportArgs),
    Completions(Shell),
    Man,
}

/// `runway report`'s own options (the tools and the time zone are settings).
#[derive(Debug)]
pub struct ReportArgs {
    pub by: By,
    pub json: bool,
    /// Local dates, both inclusive.
    pub since: Option<jiff::civil::Date>,
    pub until: Option<jiff::civil::Date>,
}

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

#[derive(Debug)]
pub struct Cli {
    pub given: Given,
    pub cmd: Cmd,
}

/// The heading the settings' flags go under in every command's help, after the command's own options.
const SETTINGS_HEADING: &str = "Settings (every command; also RUNWAY_<KEY> and the config file)";

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
                "Put notices due for the shell first, each on a line, then a 0x1e byte, then the segment \
                 (what the `init` hooks do)",
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

fn given(m: &ArgMatches) -> Given {
    let mut g = Given { timings: m.get_flag("timings"), ..Given::default() };
    for s in SETTINGS.iter().filter(|s| s.flag.is_some()) {
        if s.switch {
            if m.get_flag(s.key) {
                g.flags.push((s.key, "true".into()));
            }
        } else if let Some(v) = m.get_one::<String>(s.key) {
            g.flags.push((s.key, v.clone()));
        }
    }
    g.sets = m.get_many::<String>("set").map(|v| v.cloned().collect()).unwrap_or_default();
    g
}

pub fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    every_prompt::read(args).map(Ok).unwrap_or_else(|| with_clap(args))
}

/// A mistake in the arguments of the subcommand `name`, said with its usage, not the top level's.
fn sub_error(name: &str, msg: String) -> clap::Error {
    let mut top = command();
    top.build();
    let sub = top.find_subcommand_mut(name).expect("a subcommand");
    sub.error(clap::error::ErrorKind::ArgumentConflict, msg)
}

fn with_clap(args: &[OsString]) -> Result<Cli, clap::Error> {
    let m = command().try_get_matches_from(args)?;
    let given = given(&m);
    let (name, sub) = m.subcommand().expect("a subcommand is required");
    let flag = |f: &str| sub.get_flag(f);
    let cmd = match name {
        "prompt" => Cmd::Prompt {
            shell: sub.get_one::<String>("shell").and_then(|s| Target::from_name(s)).unwrap_or(Target::Plain),
            notices: flag("notices"),
        },
        "status" => Cmd::Status { json: flag("json") },
        "doctor" => Cmd::Doctor,
        "init" => {
            let host = match sub.get_one::<String>("host").map(String::as_str) {
                Some("zsh") => Host::Zsh,
                Some("bash") => Host::Bash,
                Some("fish") => Host::Fish,
                Some("powershell") => Host::PowerShell,
                _ => Host::Claude,
            };
            // A flag of the other kind of host did nothing, said nothing: `init zsh --write` wrote no
            // rc file, and exited 0 as if it had.
            let claude_only = ["write", "replace", "keep", "remove"].into_iter().find(|f| flag(f));
            let wrong = match host {
                Host::Claude => {
                    flag("print-only").then(|| "--print-only is for a shell's script, not `init claude`".to_owned())
                }
                _ => claude_only.map(|f| {
                    format!("--{f} is for `init claude`: a shell's script is printed, to evaluate from your rc file")
                }),
            };
            if let Some(msg) = wrong {
                return Err(sub_error("init", msg));
            }
            Cmd::Init {
                host,
                print_only: flag("print-only"),
                claude: ClaudeInit {
                    write: flag("write"),
                    replace: flag("replace"),
                    keep: flag("keep"),
                    remove: flag("remove"),
                },
            }
        }
        "statusline" => Cmd::Statusline { then: sub.get_one::<String>("then").cloned() },
        "config" => Cmd::Config { markdown: flag("markdown") },
        "catch-up" => Cmd::CatchUp { left: flag("left") },
        "completions" => Cmd::Completions(match sub.get_one::<String>("shell").map(String::as_str) {
            Some("zsh") => Shell::Zsh,
            Some("bash") => Shell::Bash,
            Some("powershell") => Shell::Powershell,
            _ => Shell::Fish,
        }),
        "man" => Cmd::Man,
        "report" => {
            let (since, until) = (
                sub.get_one::<jiff::civil::Date>("since").copied(),
                sub.get_one::<jiff::civil::Date>("until").copied(),
            );
            // An empty range is a mistake, not "no calls".
            if let (Some(s), Some(u)) = (since, until)
                && s > u
            {
                return Err(sub_error("report", format!("--since {s} is after --until {u}: no day is in that range")));
            }
            Cmd::Report(ReportArgs {
                by: sub.get_one::<String>("by").and_then(|b| By::parse(b)).unwrap_or(By::Day),
                json: flag("json"),
                since,
                until,
            })
        }
        _ => Cmd::Demo { keep: flag("keep") },
    };
    Ok(Cli { given, cmd })
}

#[cfg(test)]
pub(crate) mod tests;
