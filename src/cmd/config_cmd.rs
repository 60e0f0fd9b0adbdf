//! `runway config`: every setting, its value and where it came from; a bad value is listed as a
//! problem and the command fails, with the value in effect shown beside it.

use std::io;
use std::process::ExitCode;

use super::emit;
use crate::config::{self, Given};

pub fn run(g: &Given, markdown: bool) -> io::Result<ExitCode> {
    if markdown {
        return emit(&config::markdown_table()).map(|_| ExitCode::SUCCESS);
    }
    let (text, problems) = config::describe(g);
    emit(&text)?;
    Ok(if problems == 0 { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
