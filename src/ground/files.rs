//! Careful file access: transcripts and settings are opened without ever blocking, read only when
//! they are regular files, and runway's own files are written whole or not at all, readable by their
//! owner alone.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use super::platform;
pub use super::platform::{create_private_dir, identity, is_null_device, mtime_ns};

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
    let buf = read_whole(f, md.len(), max)?;
    if buf.len() as u64 > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("larger than {max} bytes")));
    }
    Ok(buf)
}

/// Reads an open file whole, knowing its length from a stat: `len + 1` bytes asked in one read
/// answer at once while the file is that long, where `read_to_end` read 8 KiB, then the rest, then
/// nothing to see the end (three system calls for a 21 KB file, two for a small one; a prompt with
/// a sync folder reads five such files). A file that grew since the stat is read on, never past
/// `max + 1` bytes (the caller refuses more than `max`); one that shrank ends where it ends.
pub fn read_whole(mut f: impl Read, len: u64, max: u64) -> io::Result<Vec<u8>> {
    let want = len.min(max) as usize + 1;
    let mut buf = vec![0u8; want];
    let mut got = 0;
    // At least one read: a file the stat calls empty may not be (`/proc`).
    loop {
        match f.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if got >= want - 1 {
            break;
        }
    }
    buf.truncate(got);
    if got == want {
        f.take(max + 1 - got as u64).read_to_end(&mut buf)?;
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

    /// A file's reads, counted.
    struct Counted(File, usize);
    impl Read for Counted {
        fn read(&mut self, b: &mut [u8]) -> io::Result<usize> {
            self.1 += 1;
            self.0.read(b)
        }
    }

    #[test]
    fn a_whole_file_is_one_read_when_its_stat_is_right() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        let body: Vec<u8> = (0..21_000u32).map(|i| i as u8).collect();
        fs::write(&p, &body).unwrap();
        let read = |len: u64, max: u64| {
            let mut f = Counted(File::open(&p).unwrap(), 0);
            let b = read_whole(&mut f, len, max).unwrap();
            (b == body, b.len(), f.1)
        };
        assert_eq!(read(21_000, 1 << 20), (true, 21_000, 1), "its length: one read");
        assert!(read(4, 1 << 20).0, "grew since the stat: read on to the end");
        assert!(read(0, 1 << 20).0, "called empty (`/proc`): read all the same");
        assert_eq!(read(30_000, 1 << 20), (true, 21_000, 2), "shrank: ends where it ends");
        assert_eq!(read(21_000, 100).1, 101, "never past the bound and one byte");
    }

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
