//! A transcript file being written: its mtime becomes the time of its last line.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

/// A file being written, with the time of its last line.
pub struct Out {
    pub w: BufWriter<File>,
    pub path: PathBuf,
    pub last: i64,
    pub bytes: u64,
}

impl Out {
    pub fn create(path: PathBuf) -> io::Result<Out> {
        if let Some(d) = path.parent() {
            fs::create_dir_all(d)?;
        }
        Ok(Out { w: BufWriter::with_capacity(1 << 16, File::create(&path)?), path, last: 0, bytes: 0 })
    }
    pub fn line(&mut self, ts: i64, s: &str) -> io::Result<()> {
        self.w.write_all(s.as_bytes())?;
        self.w.write_all(b"\n")?;
        self.bytes += s.len() as u64 + 1;
        self.last = self.last.max(ts);
        Ok(())
    }
    pub fn finish(mut self) -> io::Result<u64> {
        self.w.flush()?;
        let f = self.w.into_inner().map_err(|e| e.into_error())?;
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(self.last.max(0) as u64);
        f.set_modified(t)?;
        Ok(self.bytes)
    }
}
