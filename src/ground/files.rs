//! Careful file access: transcripts and settings are opened without ever blocking, read only when
//! they are regular files, and runway's own files are written whole or not at all, readable by their
//! owner alone.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use super::platform;
pub use super::platform::{create_private_dir, identity, mtime_ns};

/// Opens a file for reading without ever blocking: a FIFO under a transcript's or the config file's
/// name would otherwise hang the prompt. Anything but a regular file is refused, saying what it is.
pub fn open_regular(path: &Path) -> io::Result<(File, fs::Metadata)> {
    let f = platform::open_read(path, false)?;
    let md = f.metadata()?;
    if !md.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({})", platform::kind(&md)),
        ));
    }
    Ok((f, md))
}

/// Reads a regular file of at most `max` bytes; a larger one is refused, not read in part.
pub fn read_bounded(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let (f, md) = open_regular(path)?;
    if md.len() > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("larger than {max} bytes")));
    }
    let mut buf = Vec::with_capacity(md.len() as usize);
    // The file may grow between the stat and the read: never take more than asked.
    f.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("larger than {max} bytes")));
    }
    Ok(buf)
}

/// A text file of at most `max` bytes (see `read_bounded`): a FIFO, a device or a file past the bound
/// is refused at once, saying which.
pub fn read_text(path: &Path, max: u64) -> io::Result<String> {
    String::from_utf8(read_bounded(path, max)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader sees the old file or the new one, never half of one. The file is created 0600 (or with
/// `mode`). No fsync: runway's files are caches, and one damaged by a crash fails its checksum and is
/// rebuilt.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_mode(path, bytes, 0o600)
}

pub fn write_atomic_mode(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(".{name}.{}.{nanos}.tmp", std::process::id()));
    let result = (|| {
        // The umask may have taken bits `mode` has: they are put back before any byte is written.
        let mut f = platform::create_new(&tmp, mode)?;
        f.write_all(bytes)?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The last `max` bytes of a regular file (all of a smaller one).
pub fn read_tail(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    let (mut f, md) = open_regular(path)?;
    let from = md.len().saturating_sub(max);
    f.seek(SeekFrom::Start(from))?;
    let mut buf = Vec::with_capacity((md.len() - from) as usize);
    f.take(max).read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_are_private() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(platform::mode(&fs::metadata(&p).unwrap()), 0o600);
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn bounded_reads_refuse_what_is_not_a_small_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        fs::write(&p, b"12345").unwrap();
        assert_eq!(read_bounded(&p, 5).unwrap(), b"12345");
        assert!(read_bounded(&p, 4).is_err());
        assert!(read_bounded(d.path(), 100).is_err(), "a directory");
        let fifo = d.path().join("fifo");
        if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            assert!(read_bounded(&fifo, 100).is_err(), "a FIFO is refused without blocking");
        }
    }
}
