//! Synthetic history (filled in below).
use std::io;
use std::path::Path;

pub fn command(
    _out: &Path,
    _size: &str,
    _days: u32,
    _end: Option<&str>,
    _seed: u64,
) -> io::Result<()> {
    Ok(())
}
