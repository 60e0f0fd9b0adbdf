//! `runway config`: every setting, its value and where it came from.

use std::io;
use std::process::ExitCode;

use super::emit;
use crate::config::{self, Given};

pub fn run(g: &Given, markdown: bool) -> io::Result<ExitCode> {
    let text = if markdown { config::markdown_table() } else { config::describe(g) };
    emit(&text).map(|_| ExitCode::SUCCESS)
}
