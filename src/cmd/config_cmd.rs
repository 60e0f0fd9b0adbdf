//! `runway config`: every setting, its value and where it came from; a bad value is listed as a
//! problem and the command fails, with the value in effect shown beside it.

use std::io;
use std::process::ExitCode;

use super::emit;
use crate::config::{self, Given};
use crate::ground::env::Env;
use crate::render::ascii;

/// `ascii`: every byte ASCII; a value's other characters as TOML's `\u` escapes (the same value).
pub fn run(g: &Given, env: &Env, markdown: bool, ascii: bool) -> io::Result<ExitCode> {
    if markdown {
        return emit(&config::markdown_table()).map(|_| ExitCode::SUCCESS);
    }
    let (mut text, problems) = config::describe(g, env);
    if ascii {
        text = text.lines().map(|l| if l.starts_with('#') { ascii::fold(l) } else { ascii::toml(l) } + "\n").collect();
    }
    emit(&text)?;
    Ok(if problems == 0 { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
