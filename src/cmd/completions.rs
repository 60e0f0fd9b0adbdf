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
    };
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut command(), "runway", &mut out);
    emit(&String::from_utf8_lossy(&out)).map(|_| ExitCode::SUCCESS)
}
