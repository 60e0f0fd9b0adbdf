//! The command line read: what each subcommand was asked, and the settings given on it (the
//! definition it is read by is `cli/definition.rs`).

use std::ffi::OsString;

use clap::ArgMatches;

use crate::config::Given;
use crate::config::settings::SETTINGS;
use crate::render::escape::Target;
use crate::report::By;

mod definition;
mod every_prompt;
mod lenient;

pub use definition::command;
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

#[derive(Debug)]
pub struct Cli {
    pub given: Given,
    pub cmd: Cmd,
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
