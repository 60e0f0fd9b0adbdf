//! `runway completions <shell>`: the completions clap_complete makes from the command line's own
//! definition (`cli::command`), so they name every subcommand, option and value runway takes.

use std::io;
use std::process::ExitCode;

use clap_complete::Shell as Generator;

use super::emit;
use crate::cli::{Shell, command};

pub fn run(shell: Shell) -> io::Result<ExitCode> {
    let generator = match shell {
        Shell::Zsh => Generator::Zsh,
        Shell::Bash => Generator::Bash,
        Shell::Fish => Generator::Fish,
        Shell::Powershell => Generator::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut command(), "runway", &mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if matches!(shell, Shell::Fish) {
        text += &fish_positionals(&command());
    }
    emit(&text).map(|_| ExitCode::SUCCESS)
}

/// What clap_complete leaves out of fish's completions: the values of a subcommand's positional
/// argument (`runway init <shell>`, `runway completions <shell>`).
fn fish_positionals(cmd: &clap::Command) -> String {
    let mut out = String::new();
    for sub in cmd.get_subcommands() {
        for arg in sub.get_positionals() {
            let values: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect();
            if !values.is_empty() {
                let (name, values) = (sub.get_name(), values.join(" "));
                out += &format!(
                    "complete -c runway -n \"__fish_seen_subcommand_from {name}; and not __fish_seen_subcommand_from \
                     {values}\" -f -a \"{values}\"\n"
                );
            }
        }
    }
    out
}
