//! Reading the files that changed: each from where the last read stopped (or from the start when it
//! was truncated, replaced or rewritten), each within its share of the run's budget, on up to four
//! threads when there is much to read.

use std::io;
use std::path::Path;

use super::extract::{Extractor, Found};
use super::table::{FileEntry, Stamp, stamp};
use super::tail;
use crate::ground::files::{identity, mtime_ns, open_regular};
use crate::ground::platform::{bytes, os_str};
use crate::ground::provider::Provider;
use crate::provider::spec::Shape;

/// One file to read.
pub struct Job {
    pub path: Vec<u8>,
    pub provider: Provider,
    /// What the table knew of it; `None` for a new file.
    pub prev: Option<FileEntry>,
    /// Where `prev` sits in the caller's table.
    pub idx: Option<usize>,
    /// The size the scan saw: how much there may be to read.
    pub size: u64,
    /// Bytes this run may read of it (`u64::MAX`: all).
    pub limit: u64,
}

impl Job {
    /// Bytes not read yet, as far as the table knows.
    pub fn pending(&self) -> u64 {
        self.size.saturating_sub(self.prev.as_ref().map_or(0, |p| p.mark.scanned))
    }
}

/// What every read of a run shares: a time to stop by, and the wall clock that tells an idle file.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    pub until: Option<std::time::Instant>,
    pub wall_ns: i64,
}

/// A file unchanged this long is done being written: a complete last line without its newline counts.
const IDLE_NS: i64 = 60_000_000_000;

/// What reading one file gave.
pub struct Out {
    /// Read from the start: everything it contributed before is to be dropped.
    pub restarted: bool,
    /// What the table keeps of the stat (a database's counts its log's changes too).
    pub stamp: Stamp,
    pub read: tail::Read,
    /// The fingerprint of its first bytes, as read (see `tail::head_fingerprint`).
    pub head: u64,
    pub found: Found,
}

/// Reads every job, in the order given. Only a large read (a cold start) is worth threads, and
/// asking how many cores there are costs syscalls, so an appended line or two is read on this thread.
pub fn read_all(jobs: Vec<Job>, run: Run) -> Vec<(Job, io::Result<Out>)> {
    let pending: u64 = jobs.iter().map(|j| j.pending().min(j.limit)).sum();
    let threads = if pending < (8 << 20) || jobs.len() < 2 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(4)
    };
    let one = |j: Job| {
        let r = read_one(&j, run);
        (j, r)
    };
    if threads < 2 {
        return jobs.into_iter().map(one).collect();
    }
    let mut buckets: Vec<Vec<(usize, Job)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, j) in jobs.into_iter().enumerate() {
        buckets[i % threads].push((i, j));
    }
    let mut out: Vec<(usize, (Job, io::Result<Out>))> = std::thread::scope(|s| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|b| s.spawn(move || b.into_iter().map(|(i, j)| (i, one(j))).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// Bytes of transcripts read in one round (see `rounds`).
const ROUND_BYTES: u64 = 64 << 20;

/// The jobs in rounds of about `ROUND_BYTES`, in their order: a run reads one round and folds it in
/// before it reads the next, so that what the files gave is never all held at once.
pub fn rounds(jobs: Vec<Job>) -> Vec<Vec<Job>> {
    let mut out: Vec<Vec<Job>> = vec![Vec::new()];
    let mut size = 0;
    for j in jobs {
        let n = j.pending().min(j.limit);
        if size > 0 && n > 0 && size + n > ROUND_BYTES {
            out.push(Vec::new());
            size = 0;
        }
        size += n;
        if let Some(r) = out.last_mut() {
            r.push(j);
        }
    }
    out
}

fn read_one(job: &Job, run: Run) -> io::Result<Out> {
    let path = Path::new(os_str(&job.path));
    let (f, md) = open_regular(path)?;
    let mut out = read_file(job, run, &f, &md)?;
    out.head = tail::head_fingerprint(&f, out.read.mark.offset)?;
    // A file that does not name its session's directory: once, from a file beside it.
    let known = job.prev.as_ref().is_some_and(|p| !p.project.is_empty() && !out.restarted);
    if out.found.project.is_none() && !known {
        let path = Path::new(os_str(&job.path));
        out.found.project = (job.provider.spec().project_beside)(path);
    }
    Ok(out)
}

fn read_file(job: &Job, run: Run, f: &std::fs::File, md: &std::fs::Metadata) -> io::Result<Out> {
    let path = Path::new(os_str(&job.path));
    let stamp = stamp(job.provider, path, md);
    let shape = (job.provider.spec().shape)(path.file_name().map_or(&b""[..], bytes));
    let mut restarted = match (&job.prev, shape) {
        // A document rewritten whole has no old part to keep: any change is read from the start.
        (None, _) | (_, Shape::Whole(_)) => true,
        // A database's reads find its changes themselves (`spec::Query`): only another file starts
        // again. (Its size and times move as SQLite reuses its log in place.)
        (Some(p), Shape::Database(_)) => identity(path, md) != (p.dev, p.ino),
        (Some(p), Shape::Lines(_)) => {
            let m = p.mark;
            // Rewritten in place: the same size, yet written (its mtime moved, or was put back and
            // its ctime moved). An append-only file that was written grew.
            let in_place = stamp.size == p.size && (stamp.mtime_ns != p.mtime_ns || stamp.ctime_ns != p.ctime_ns);
            identity(path, md) != (p.dev, p.ino)
                || md.len() < m.scanned.max(m.offset)
                || in_place
                || (m.offset > 0 && tail::fingerprint_at(f, m.offset)? != p.fp)
                || (m.offset > 0 && tail::head_fingerprint(f, m.offset)? != p.head)
        }
    };
    let (from, aux) = match (&job.prev, restarted) {
        (Some(p), false) => (p.mark, p.aux.as_slice()),
        _ => (tail::Mark::default(), &[][..]),
    };
    let mut x = Extractor::new(job.provider, &job.path);
    // Out of budget before it began (or a document larger than what is left of it): noted as not
    // read to its end, read by a later run.
    let too_big = match shape {
        // (One past what is ever read in one piece is oversized for every run: `whole` says so from
        // its size, and a prompt that left it to the helper was blank after each change of it.)
        Shape::Whole(_) => md.len() > job.limit && job.limit < MAX_DOCUMENT && md.len() <= MAX_DOCUMENT,
        // A database read from its start is read whole: by a run with the room for it.
        Shape::Database(_) => aux.is_empty() && stamp.size > job.limit,
        Shape::Lines(_) => false,
    };
    if job.limit == 0 || too_big || run.until.is_some_and(|t| std::time::Instant::now() >= t) {
        let read = tail::Read {
            mark: from,
            fingerprint: tail::fingerprint_at(f, from.offset)?,
            pending: true,
            ..tail::Read::default()
        };
        // A document's changes are read whole, by a run with the room: until then what it said
        // before stands. (Dropped here, a document caught half-written when that run came kept
        // nothing, where it keeps what it last said whole.)
        let restarted = restarted && (job.prev.is_none() || !matches!(shape, Shape::Whole(_)));
        return Ok(Out { restarted, stamp, read, head: 0, found: x.finish(aux.to_vec()) });
    }
    match shape {
        Shape::Lines(make) => {
            let idle = run.wall_ns.saturating_sub(mtime_ns(md)) >= IDLE_NS;
            let budget = tail::Budget { bytes: job.limit, until: run.until, idle };
            let mut reader = make(aux);
            let read = tail::read_lines(f, from, md.len(), &budget, |line, at| {
                let mut seen = Vec::new();
                reader.line(line, at, &job.path, &mut seen);
                x.take(&mut seen);
            })?;
            let mut held = Vec::new();
            reader.finish(&mut held);
            x.take(&mut held);
            Ok(Out { restarted, stamp, read, head: 0, found: x.finish(reader.save()) })
        }
        Shape::Whole(parse) => {
            let mut whole_doc = true;
            let read = whole(f, md.len(), |bytes| {
                let mut seen = Vec::new();
                whole_doc = parse(bytes, &job.path, &mut seen);
                if whole_doc {
                    x.take(&mut seen);
                }
            })?;
            if let (true, Some(p)) = (read.oversized > 0, &job.prev) {
                // Grown past what is read in one piece: what it said before stands (counted as
                // oversized, once), where it lost every call it had; read again when it changes.
                let read = tail::Read { oversized: u64::from(p.oversized == 0), ..read };
                return Ok(Out { restarted: false, stamp, read, head: 0, found: x.finish(Vec::new()) });
            }
            if !whole_doc {
                // What it said before stands. Still being written: its stamp takes a size no file
                // has, so the next run finds it changed and reads it again (its new mtime keeps it
                // among the files a prompt stats); not pending, which would blank every prompt
                // until it is whole (the totals are what the file last said, not partial).
                // Untouched for a minute: damaged, counted, and read again only when it changes.
                restarted = false;
                let writing = run.wall_ns.saturating_sub(mtime_ns(md)) < IDLE_NS;
                let mut found = x.finish(Vec::new());
                found.malformed += u32::from(!writing);
                let stamp = if writing { Stamp { size: u64::MAX, ..stamp } } else { stamp };
                return Ok(Out { restarted, stamp, read, head: 0, found });
            }
            Ok(Out { restarted, stamp, read, head: 0, found: x.finish(Vec::new()) })
        }
        Shape::Database(query) => {
            let mut seen = Vec::new();
            match query(path, aux, stamp.size <= job.limit, run.until, &mut seen) {
                Ok(q) => {
                    x.take(&mut seen);
                    let read = tail::Read { bytes: stamp.size, ..tail::Read::default() };
                    let restarted = restarted || q.whole;
                    Ok(Out { restarted, stamp, read, head: 0, found: x.finish(q.next) })
                }
                // The tool holds it (a checkpoint, a migration), or it must be read whole and this
                // run has not the room: what it said before stands, and the next run asks again.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let read = tail::Read { pending: true, ..tail::Read::default() };
                    Ok(Out { restarted: false, stamp, read, head: 0, found: x.finish(aux.to_vec()) })
                }
                Err(e) => Err(e),
            }
        }
    }
}

/// A document is read in one piece, so it is bounded: one larger than this is skipped and counted,
/// like an over-long line.
const MAX_DOCUMENT: u64 = 64 << 20;

/// Reads a document of `len` bytes whole and hands it to `parse`; one still being written (it does
/// not parse) gives nothing this time, and is read again when it changes.
fn whole(f: &std::fs::File, len: u64, parse: impl FnOnce(&[u8])) -> io::Result<tail::Read> {
    use std::io::Read as _;
    if len > MAX_DOCUMENT {
        return Ok(tail::Read {
            mark: tail::Mark::at(len),
            fingerprint: tail::fingerprint_at(f, len)?,
            oversized: 1,
            ..tail::Read::default()
        });
    }
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len as usize).map_err(io::Error::other)?;
    f.take(MAX_DOCUMENT).read_to_end(&mut bytes)?;
    parse(&bytes);
    let fp_from = bytes.len().saturating_sub(tail::FP_LEN as usize);
    Ok(tail::Read {
        mark: tail::Mark::at(bytes.len() as u64),
        fingerprint: tail::fingerprint(&bytes[fp_from..]),
        bytes: bytes.len() as u64,
        ..tail::Read::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_read_in_rounds_of_a_bounded_size() {
        const M: u64 = 1 << 20;
        let job = |size: u64| Job {
            path: Vec::new(),
            provider: Provider::CLAUDE,
            prev: None,
            idx: None,
            size,
            limit: u64::MAX,
        };
        let sizes =
            |r: Vec<Vec<Job>>| r.iter().map(|r| r.iter().map(|j| j.size / M).collect()).collect::<Vec<Vec<u64>>>();
        let jobs = vec![job(40 * M), job(30 * M), job(10 * M), job(100 * M), job(0)];
        assert_eq!(sizes(rounds(jobs)), vec![vec![40], vec![30, 10], vec![100, 0]]);
        assert_eq!(rounds(Vec::new()).len(), 1, "one empty round: the gone files are still folded in");
    }
}
