//! Reading only what was appended: complete lines from where the last read stopped.
//!
//! A line is consumed once its newline has arrived, so a half-written last line is read again, whole,
//! by a later run; but how far it was already searched for its newline is remembered (`Mark::scanned`),
//! so a line still being written is not read from its start at every run. A line longer than
//! `MAX_LINE` (or with a hole in it, as a sparse file has) is skipped up to its newline, in as many
//! runs as that takes, and counted. A read may stop early, at a line boundary, when its byte or time
//! budget is spent: the mark says where to go on. The bytes just before the offset are fingerprinted;
//! if they change, the file was rewritten under the same name and inode, and it is read again.

use std::fs::File;
use std::io;
use std::time::Instant;

use crate::ground::hash::key;
use crate::ground::platform::{next_data, read_at, read_exact_at};

/// How many bytes before the offset the fingerprint covers.
pub const FP_LEN: u64 = 64;
/// Lines longer than this are skipped (and counted) rather than held in memory whole: the bound on a
/// reading thread's buffer. Real lines reach a few hundred KiB (the largest in the fixtures is 213 KiB).
pub const MAX_LINE: usize = 32 << 20;
const CHUNK: usize = 1 << 20;

pub fn fingerprint(bytes: &[u8]) -> u64 {
    key("tail-fp", &[bytes])
}

/// The fingerprint of the `FP_LEN` bytes that end at `offset`.
pub fn fingerprint_at(f: &File, offset: u64) -> io::Result<u64> {
    let start = offset.saturating_sub(FP_LEN);
    let mut b = vec![0u8; (offset - start) as usize];
    read_exact_at(f, &mut b, start)?;
    Ok(fingerprint(&b))
}

/// How many bytes from its start the head fingerprint covers, at most.
pub const HEAD_LEN: u64 = 4096;

/// The fingerprint of a file's first bytes: the part already read (up to `offset`), at most
/// `HEAD_LEN`. With the one before the offset it tells a file rewritten in place from one appended to.
pub fn head_fingerprint(f: &File, offset: u64) -> io::Result<u64> {
    let mut b = vec![0u8; offset.min(HEAD_LEN) as usize];
    read_exact_at(f, &mut b, 0)?;
    Ok(fingerprint(&b))
}

/// Where reading a file stands between runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// Just past the last line consumed (or, inside a skipped line, how far it was skipped).
    pub offset: u64,
    /// How far past `offset` the file is known to hold no newline.
    pub scanned: u64,
    /// Inside a line too long to hold: its bytes are dropped up to its newline.
    pub skipping: bool,
    /// The last line was taken without a newline (complete JSON, idle for a minute): a newline that
    /// comes later is its own, not an empty line.
    pub unterminated: bool,
}

impl Mark {
    pub fn at(offset: u64) -> Mark {
        Mark { offset, scanned: offset, ..Mark::default() }
    }
}

/// How much one read may do.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Bytes to read before stopping at the next line boundary.
    pub bytes: u64,
    /// A time to stop by, checked between chunks.
    pub until: Option<Instant>,
    /// The file has not changed for a while: a complete JSON last line without its newline counts.
    pub idle: bool,
}

impl Budget {
    #[cfg(test)]
    pub fn unlimited(idle: bool) -> Budget {
        Budget { bytes: u64::MAX, until: None, idle }
    }

    /// How much to read next: a chunk, or what is left of the budget (but not so little that a
    /// line is read in crumbs).
    fn chunk(&self, read: u64) -> u64 {
        (CHUNK as u64).min(self.bytes.saturating_sub(read).max(64 << 10))
    }

    fn spent(&self, read: u64) -> bool {
        read >= self.bytes || self.until.is_some_and(|t| Instant::now() >= t)
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    pub mark: Mark,
    pub fingerprint: u64,
    /// Bytes read from the file (holes are skipped, not read).
    pub bytes: u64,
    /// Lines skipped whole for their length, or for a hole.
    pub oversized: u64,
    /// Stopped before the end for the budget: more to read.
    pub pending: bool,
}

/// Searches `[from, to)` for a newline without keeping the bytes: `Ok(Some(at))`, or `Ok(None)` with
/// `*pos` how far it got (the end, or where the budget ran out).
fn find_newline(f: &File, from: u64, to: u64, budget: &Budget, r: &mut Read, pos: &mut u64) -> io::Result<Option<u64>> {
    let mut buf = vec![0u8; CHUNK.min((to - from) as usize)];
    *pos = from;
    while *pos < to {
        if r.bytes > 0 && budget.spent(r.bytes) {
            r.pending = true;
            return Ok(None);
        }
        *pos = next_data(f, *pos, to);
        if *pos >= to {
            break;
        }
        let want = ((to - *pos) as usize).min(buf.len()).min(budget.chunk(r.bytes) as usize);
        let n = read_at(f, &mut buf[..want], *pos)?;
        if n == 0 {
            *pos = to;
            break;
        }
        r.bytes += n as u64;
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(Some(*pos + i as u64));
        }
        *pos += n as u64;
    }
    Ok(None)
}

/// Calls `line(bytes, offset_of_line)` for every complete line in `[from, to)` and returns where the
/// next read must start.
pub fn read_lines(
    f: &File,
    from: Mark,
    to: u64,
    budget: &Budget,
    mut line: impl FnMut(&[u8], u64),
) -> io::Result<Read> {
    let mut r = Read { mark: from, ..Read::default() };
    let m = &mut r.mark;
    m.scanned = m.scanned.max(m.offset);
    if m.unterminated && m.offset < to {
        // The first byte after a line taken without its newline: that newline, or the next line.
        let mut b = [0u8; 1];
        read_exact_at(f, &mut b, m.offset)?;
        if b[0] == b'\n' {
            m.offset += 1;
            m.scanned = m.scanned.max(m.offset);
        }
        m.unterminated = false;
    }
    // A line already known to be long or unfinished: first look only at what is new for its newline.
    if m.skipping || m.scanned > m.offset {
        let mut pos = 0;
        let (start, skipping) = (m.scanned, m.skipping);
        match find_newline(f, start, to, budget, &mut r, &mut pos)? {
            Some(nl) if skipping => {
                r.oversized += 1;
                r.mark = Mark::at(nl + 1);
            }
            Some(_) => {} // the line is complete: read it whole below
            None => {
                r.mark.scanned = pos;
                if skipping || pos - r.mark.offset > MAX_LINE as u64 {
                    r.mark.skipping = true;
                    r.mark.offset = pos;
                } else if !r.pending && pos == to {
                    unterminated(f, &mut r, to, budget, &mut line)?;
                }
                return finish(f, r);
            }
        }
    }
    lines(f, to, budget, &mut r, &mut line)?;
    finish(f, r)
}

fn finish(f: &File, mut r: Read) -> io::Result<Read> {
    r.fingerprint = fingerprint_at(f, r.mark.offset)?;
    Ok(r)
}

/// The plain case: complete lines from `r.mark.offset`, a line at a time.
fn lines(f: &File, to: u64, budget: &Budget, r: &mut Read, line: &mut impl FnMut(&[u8], u64)) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    let mut buf_start = r.mark.offset; // file offset of buf[0]
    let mut pos = r.mark.offset; // next file offset to read
    let mut skipping = false; // inside an oversized line: drop bytes up to its newline
    let first = r.mark.offset;
    while pos < to {
        // Stop once a line was taken (or inside a skipped one), so every run gets on even when one
        // line is longer than the budget. What follows the last newline is looked at again next time.
        if (r.mark.offset > first || skipping) && budget.spent(r.bytes) {
            r.pending = true;
            break;
        }
        if to - pos > CHUNK as u64 {
            let data = next_data(f, pos, to);
            if data > pos {
                // A hole: the line it falls in is no JSON; drop it up to its newline.
                skipping = true;
                buf.clear();
                pos = data;
                buf_start = pos;
                continue;
            }
        }
        let want = (to - pos).min(budget.chunk(r.bytes)) as usize;
        let old = buf.len();
        // Grow geometrically but never past the line bound, and never abort for want of memory.
        let target = (old + want).max(old.saturating_mul(2).min(MAX_LINE + CHUNK));
        if buf.capacity() < old + want && buf.try_reserve_exact(target - old).is_err() {
            skipping = true;
            buf_start += old as u64;
            buf.clear();
            continue;
        }
        buf.resize(old + want, 0);
        let n = read_at(f, &mut buf[old..], pos)?;
        buf.truncate(old + n);
        if n == 0 {
            break; // the file shrank while we read; the next run sees it
        }
        pos += n as u64;
        r.bytes += n as u64;

        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &buf[old..]).map(|i| i + old) {
            if skipping {
                skipping = false;
                r.oversized += 1;
            } else {
                line(&buf[start..nl], buf_start + start as u64);
            }
            start = nl + 1;
            r.mark.offset = buf_start + start as u64;
        }
        buf.drain(..start);
        buf_start += start as u64;
        if buf.len() > MAX_LINE {
            skipping = true;
            buf_start += buf.len() as u64;
            buf.clear();
        }
    }
    if skipping {
        r.mark.offset = pos;
    }
    // After a budget stop the bytes past the last line are simply read again; `scanned` is for a
    // line that the end of the file cut (one still being written).
    r.mark.scanned = if r.pending && !skipping { r.mark.offset } else { pos.max(r.mark.offset) };
    r.mark.skipping = skipping;
    if !skipping && !r.pending && pos >= to && !buf.is_empty() {
        unterminated(f, r, to, budget, line)?;
    }
    Ok(())
}

/// A last line without a newline, in a file idle for a while, that is complete JSON: a writer that
/// ended without one. It counts now; `Mark::unterminated` keeps a late newline from mattering.
fn unterminated(f: &File, r: &mut Read, to: u64, budget: &Budget, line: &mut impl FnMut(&[u8], u64)) -> io::Result<()> {
    let at = r.mark.offset;
    if !budget.idle || to <= at || to - at > MAX_LINE as u64 {
        return Ok(());
    }
    let mut b = vec![0u8; (to - at) as usize];
    read_exact_at(f, &mut b, at)?;
    if serde_json::from_slice::<serde::de::IgnoredAny>(&b).is_ok() {
        line(&b, at);
        r.mark = Mark { offset: to, scanned: to, skipping: false, unterminated: true };
    }
    Ok(())
}

#[cfg(test)]
mod tests;
