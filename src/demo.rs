//! `runway demo` (filled in below).
use std::io;

pub fn run(_g: &crate::cli::Global) -> io::Result<()> {
    Ok(())
}
