//! `runway man`: the manual page, made by clap_mangen from the command line's own definition: the
//! top page (commands, options, settings), then each command's own options. Printed by the binary
//! rather than made at build time, so the page always matches the binary that prints it and every
//! install has it (`cargo install` installs no man pages): `runway man > …/man1/runway.1`.

use std::io;
use std::process::ExitCode;

use clap_mangen::Man;

use super::emit;
use crate::cli::command;

pub fn run() -> io::Result<ExitCode> {
    let root = command();
    let mut page = Vec::new();
    Man::new(root.clone()).render(&mut page)?;
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        // Each command under a heading of its own, its sections one level down.
        let name = format!("runway {}", sub.get_name());
        let man = Man::new(sub.clone().bin_name(name.clone()));
        let mut part = format!(".SH \"{}\"\n", name.to_uppercase()).into_bytes();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut part)?;
        }
        let part = String::from_utf8_lossy(&part)
            .replace(".SH SYNOPSIS", ".SS Synopsis")
            .replace(".SH DESCRIPTION", ".SS Description");
        page.extend(part.replace(".SH OPTIONS", ".SS Options").into_bytes());
    }
    emit(&roff_ascii(&String::from_utf8_lossy(&page))).map(|_| ExitCode::SUCCESS)
}

/// The page in ASCII, every other character as groff's and mandoc's `\[uXXXX]`: `man` reads a page
/// in whatever locale the reader has, and in the C locale raw UTF-8 is invalid input.
fn roff_ascii(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii() { c.to_string() } else { format!("\\[u{:04X}]", c as u32) }).collect()
}
