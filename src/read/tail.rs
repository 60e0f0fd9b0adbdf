//! Reading only what was appended: complete lines from a byte offset.
//!
//! A line is consumed only once its newline has arrived, so a half-written last line is read again,
//! whole, by a later invocation. The bytes just before the offset are fingerprinted; if they change,
//! the file was rewritten under the same name and inode, and it is read again from the start.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use crate::ground::hash::key;

/// How many bytes before the offset the fingerprint covers.
pub const FP_LEN: u64 = 64;
/// Lines longer than this are skipped (and counted) rather than held in memory whole.
pub const MAX_LINE: usize = 256 << 20;
const CHUNK: usize = 1 << 20;

pub fn fingerprint(bytes: &[u8]) -> u64 {
    key("tail-fp", &[bytes])
}

/// The fingerprint of the `FP_LEN` bytes that end at `offset`.
pub fn fingerprint_at(f: &File, offset: u64) -> io::Result<u64> {
    let start = offset.saturating_sub(FP_LEN);
    let mut b = vec![0u8; (offset - start) as usize];
    f.read_exact_at(&mut b, start)?;
    Ok(fingerprint(&b))
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    /// Just past the last complete line.
    pub offset: u64,
    pub fingerprint: u64,
    pub bytes: u64,
    pub oversized: u64,
}

/// Calls `line(bytes, offset_of_line)` for every complete line in `[from, to)` and returns where the
/// next read must start. A line that grows past `MAX_LINE` is skipped whole.
pub fn read_lines(f: &File, from: u64, to: u64, mut line: impl FnMut(&[u8], u64)) -> io::Result<Read> {
    let mut buf: Vec<u8> = Vec::new();
    let mut buf_start = from; // file offset of buf[0]
    let mut pos = from; // next file offset to read
    let mut out = Read { offset: from, ..Read::default() };
    let mut skipping = false; // inside an oversized line: drop bytes up to its newline
    while pos < to {
        let want = (to - pos).min(CHUNK as u64) as usize;
        let old = buf.len();
        buf.resize(old + want, 0);
        let n = f.read_at(&mut buf[old..], pos)?;
        buf.truncate(old + n);
        if n == 0 {
            break; // the file shrank while we read; the next invocation sees it
        }
        pos += n as u64;
        out.bytes += n as u64;

        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &buf[old..]).map(|i| i + old) {
            if skipping {
                skipping = false;
                out.oversized += 1;
            } else {
                line(&buf[start..nl], buf_start + start as u64);
            }
            start = nl + 1;
            out.offset = buf_start + start as u64;
        }
        buf.drain(..start);
        buf_start += start as u64;
        if buf.len() > MAX_LINE {
            skipping = true;
            buf_start += buf.len() as u64;
            buf.clear();
        }
    }
    out.fingerprint = fingerprint_at(f, out.offset)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::files::open_regular as open;
    use std::io::Write;
    use std::path::Path;

    fn lines_of(path: &Path, from: u64) -> (Vec<(String, u64)>, Read) {
        let (f, md) = open(path).unwrap();
        let mut got = Vec::new();
        let r =
            read_lines(&f, from, md.len(), |l, at| got.push((String::from_utf8_lossy(l).into_owned(), at))).unwrap();
        (got, r)
    }

    #[test]
    fn half_written_line_waits_for_its_newline() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        let mut f = File::create(&p).unwrap();
        f.write_all(b"one\ntwo\nthr").unwrap();
        let (got, r) = lines_of(&p, 0);
        assert_eq!(got, vec![("one".into(), 0), ("two".into(), 4)]);
        assert_eq!(r.offset, 8);
        f.write_all(b"ee\n").unwrap();
        let (got, r2) = lines_of(&p, r.offset);
        assert_eq!(got, vec![("three".into(), 8)]);
        assert_eq!(r2.offset, 14);
        let (f2, _) = open(&p).unwrap();
        assert_eq!(fingerprint_at(&f2, 8).unwrap(), r.fingerprint);
    }

    #[test]
    fn long_lines_span_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        let long = "x".repeat(3 * CHUNK + 17);
        std::fs::write(&p, format!("a\n{long}\nb\n")).unwrap();
        let (got, r) = lines_of(&p, 0);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].0.len(), long.len());
        assert_eq!(got[2], ("b".into(), 2 + long.len() as u64 + 1));
        assert_eq!(r.offset, std::fs::metadata(&p).unwrap().len());
    }
}
