//! `runway config`: every setting, its value and where it came from; a bad value is listed as a
//! problem and the command fails, with the value in effect shown beside it.

use std::io;
use std::process::ExitCode;

use super::emit;
use crate::config::{self, Given};
use crate::ground::env::Env;

pub fn run(g: &Given, env: &Env, markdown: bool) -> io::Result<ExitCode> {
    if markdown {
        return emit(&config::markdown_table()).map(|_| ExitCode::SUCCESS);
    }
    let (text, problems) = config::describe(g, env);
    emit(&text)?;
    Ok(if problems == 0 { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
