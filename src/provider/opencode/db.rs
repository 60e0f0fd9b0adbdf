//! OpenCode's database (`opencode.db`, SQLite in WAL mode; from 1.2): table `message(id,
//! session_id, time_created, time_updated, data)`, a message's row written again as it streams
//! (created, counted, completed), and `session(id, directory, …)`.
//!
//! Read through SQLite, read-only, never waiting on OpenCode's writer (its lock held a moment
//! longer than a prompt can wait is "try again next run"). Each read starts at a row by its rowid:
//! the table has no INTEGER PRIMARY KEY, so SQLite gives a new row the rowid after the highest, and
//! OpenCode's upsert (`ON CONFLICT DO UPDATE`) keeps a row's rowid. So every row written since the
//! last read is at or after the first one that read found still being written, else its last: a
//! prompt after OpenCode wrote reads the few newest rows, never the whole table. Not by message id:
//! an id is 48 bits of (milliseconds × 4096 + a counter), which wrapped on 2026-08-14, so a newer
//! message can sort before every older one.
//!
//! What the rows before the start gave is kept only while they are all still there, and the rows
//! from it on the same ones (see `mark`): a session deleted, reverted or a table renumbered is read
//! whole again, and replaces what the database gave before.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use super::mark::{Mark, Row};
use super::message::{Message, call};
use crate::ground::time::DAY_MS;
use crate::provider::found::{Call, Found};
use crate::provider::spec::Queried;

const QUERY: &str = "SELECT m.rowid, m.id, m.session_id, m.data, s.directory, m.time_created FROM message m \
                     LEFT JOIN session s ON s.id = m.session_id WHERE m.rowid >= ?1";

/// How many rows the table holds (SQLite counts them from its smallest index).
const COUNT: &str = "SELECT count(*) FROM message";

/// More rows than a prompt reads past its budget: about 8 µs each, so 8 ms (150,000 rows inserted
/// at once held a prompt 1.2 s).
const BURST_ROWS: i64 = 1_000;

/// An assistant message still being written and older than this, by the newest one read, was left
/// so (OpenCode stopped): later reads do not start at it.
const ABANDONED_MS: i64 = DAY_MS;

fn sql(e: rusqlite::Error) -> io::Error {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked, OperationInterrupted};
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => io::Error::new(io::ErrorKind::WouldBlock, e),
        Some(OperationInterrupted) => io::Error::new(io::ErrorKind::TimedOut, e),
        _ => io::Error::new(io::ErrorKind::InvalidData, e),
    }
}

/// A row read: its rowid, id (empty when it had none), creation time, and whether it is an assistant
/// message not yet complete.
struct Seen {
    rowid: i64,
    id: String,
    created: i64,
    open: bool,
}

/// Where the next read starts: the first row still being written (of those not abandoned), else the
/// last row read (read again: a row rewritten is the same call, by its key).
fn next(seen: &[Seen]) -> Option<&Seen> {
    let newest = seen.iter().map(|s| s.created).max()?;
    let writing = seen.iter().filter(|s| s.open && s.created >= newest.saturating_sub(ABANDONED_MS));
    writing.min_by_key(|s| s.rowid).or_else(|| seen.iter().max_by_key(|s| s.rowid))
}

/// A read with no deadline of its own (`status`, the helper) gives up after this: a real database is
/// read in a second or two (150,000 rows in 1.2 s), and one made to hold a reader (a `message` view
/// over a query that never ends) would hold the run for ever.
const LONGEST: Duration = Duration::from_secs(30);

/// The calls of the messages from the row `aux` marks on (see `mark`; every row for none); every row
/// again, replacing what the database gave before, when the mark no longer holds, and then only
/// with `room` (see `spec::Query`). SQLite stops at `until` (a prompt's deadline: left to a run
/// with the time), else after `LONGEST`: not a database to be read, counted malformed and kept as
/// what it gave before until it changes (an error would have it read again by every run, the
/// helper's 256 rounds a minute each).
pub fn read(
    path: &Path,
    aux: &[u8],
    room: bool,
    until: Option<Instant>,
    out: &mut Vec<Found<'static>>,
) -> io::Result<Queried> {
    read_within(path, (aux, room), until, LONGEST, out)
}

fn read_within(
    path: &Path,
    (aux, room): (&[u8], bool),
    until: Option<Instant>,
    longest: Duration,
    out: &mut Vec<Found<'static>>,
) -> io::Result<Queried> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(path, flags).map_err(sql)?;
    db.busy_timeout(Duration::from_millis(20)).map_err(sql)?;
    let deadline = until.unwrap_or_else(|| Instant::now() + longest);
    // Asked every thousand steps of SQLite's machine (a few microseconds).
    db.progress_handler(1_000, Some(move || Instant::now() >= deadline)).map_err(sql)?;
    let before = out.len();
    match read_from(&db, aux, room, out) {
        Err(e) if e.kind() == io::ErrorKind::TimedOut && until.is_none() => {
            out.truncate(before);
            out.push(Found::Malformed);
            crate::ground::log::warn(&format!("{}: still reading after {longest:?}; left as it was", path.display()));
            Ok(Queried { next: aux.to_vec(), whole: false })
        }
        Err(e) if e.kind() == io::ErrorKind::TimedOut => Err(io::Error::new(io::ErrorKind::WouldBlock, e)),
        r => r,
    }
}

fn read_from(db: &Connection, aux: &[u8], room: bool, out: &mut Vec<Found<'static>>) -> io::Result<Queried> {
    // One snapshot for the rows and their count: a row written between them would look like one
    // deleted.
    let tx = db.unchecked_transaction().map_err(sql)?;
    let before = out.len();
    let total = tx.query_row(COUNT, [], |r| r.get::<_, i64>(0)).map_err(sql)?;
    if let Some(mark) = Mark::parse(aux) {
        // Rows written in a burst (an import): a prompt without the room leaves them to a run with it.
        if !room && mark.written_since(total) > BURST_ROWS {
            return Err(io::Error::new(io::ErrorKind::WouldBlock, "many rows: read by a run with the room"));
        }
        let seen = rows(&tx, mark.rowid, out)?;
        let pairs = pairs(&seen);
        if mark.holds(&pairs, total) {
            return Ok(Queried { next: next_mark(&seen, &pairs, total), whole: false });
        }
        out.truncate(before);
    }
    if !aux.is_empty() && !room {
        return Err(io::Error::new(io::ErrorKind::WouldBlock, "read whole by a run with the room"));
    }
    let seen = rows(&tx, i64::MIN, out)?;
    Ok(Queried { next: next_mark(&seen, &pairs(&seen), total), whole: true })
}

/// Each row read as the mark counts it.
fn pairs(seen: &[Seen]) -> Vec<Row<'_>> {
    seen.iter().map(|s| (s.rowid, s.id.as_str())).collect()
}

/// The mark the next read starts from (see `next`), for rows `seen` (as `pairs`) of `total`.
fn next_mark(seen: &[Seen], pairs: &[Row], total: i64) -> Vec<u8> {
    next(seen).map_or_else(Vec::new, |s| Mark::after(pairs, (s.rowid, &s.id), total).bytes())
}

/// Every row from `from` on, its calls added to `out`.
fn rows(db: &Connection, from: i64, out: &mut Vec<Found<'static>>) -> io::Result<Vec<Seen>> {
    let mut stmt = db.prepare(QUERY).map_err(sql)?;
    let mut rows = stmt.query([from]).map_err(sql)?;
    let mut seen = Vec::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let rowid = row.get::<_, i64>(0).map_err(sql)?;
        let id = row.get::<_, String>(1).unwrap_or_default();
        let created = row.get::<_, i64>(5).unwrap_or(0);
        let open = take(row, &id, out);
        seen.push(Seen { rowid, id, created, open });
    }
    Ok(seen)
}

/// Adds the calls of one row to `out` (a row that cannot be read, as malformed); whether it is an
/// assistant message still being written.
fn take(row: &rusqlite::Row, id: &str, out: &mut Vec<Found<'static>>) -> bool {
    let data = row.get_ref(3).ok().and_then(|v| v.as_bytes_or_null().ok().flatten());
    let (Ok(session), Some(data), false) = (row.get::<_, String>(2), data, id.is_empty()) else {
        out.push(Found::Malformed);
        return false;
    };
    let directory: Option<String> = row.get(4).ok().flatten();
    // A message that fails to parse is read as mended when it can be (see `found::mended`).
    let fixed;
    let m = match serde_json::from_slice::<Message>(data) {
        Ok(m) => Some(m),
        Err(_) => {
            fixed = crate::ground::repair::repaired(data);
            fixed.as_deref().and_then(|f| serde_json::from_slice::<Message>(f).ok())
        }
    };
    let Some(m) = m else {
        out.push(Found::Malformed);
        return false;
    };
    let assistant = m.role.as_ref().is_some_and(|r| r.as_str() == "assistant");
    let open = assistant && memchr::memmem::find(data, b"\"completed\"").is_none();
    let mut one = Vec::new();
    let cwd = call(m, id, &mut one);
    let project = directory.filter(|d| !d.is_empty()).or(cwd).unwrap_or_default();
    for f in one {
        out.push(match f {
            Found::Call(c) => Found::Call(Call { within: Some((session.clone(), project.clone())), ..c }),
            other => other,
        });
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(rowid: i64, created: i64, open: bool) -> Seen {
        Seen { rowid, id: format!("msg_{rowid}"), created, open }
    }

    #[test]
    fn a_read_stopped_at_a_deadline_is_left_for_later() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("opencode.db");
        let db = Connection::open(&path).unwrap();
        db.execute_batch(
            "CREATE TABLE session(id TEXT, directory TEXT);
             CREATE VIEW message AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
             SELECT 'msg' || x AS id, 's' AS session_id, '{}' AS data, 0 AS time_created FROM c;",
        )
        .unwrap();
        let until = Instant::now() + Duration::from_millis(50);
        let e = read(&path, &[], true, Some(until), &mut Vec::new()).err().unwrap();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        // With no deadline, after the longest a read may take: malformed, and what the last read
        // left kept, with its stamp (an error was read again by every run).
        let mut out = vec![Found::Malformed];
        let q = read_within(&path, (b"mark", true), None, Duration::from_millis(50), &mut out).unwrap();
        assert_eq!((q.next.as_slice(), q.whole), (&b"mark"[..], false));
        assert_eq!(out.len(), 2);
        assert!(matches!(out[1], Found::Malformed));
    }

    #[test]
    fn the_next_read_starts_at_the_first_row_still_written_else_the_last() {
        assert!(next(&[]).is_none());
        // All complete: the last row (read again).
        let done = [seen(3, 100, false), seen(7, 50, false), seen(5, 200, false)];
        assert_eq!(next(&done).unwrap().rowid, 7);
        // Rows 4 and 6 still written: the first of them by rowid, whatever their times.
        let writing = [seen(3, 100, false), seen(6, 150, true), seen(4, 300, true), seen(9, 400, false)];
        assert_eq!(next(&writing).unwrap().rowid, 4);
        // Row 2 was left being written more than a day before the newest row: it is not waited for.
        let left = [seen(2, 1_000, true), seen(5, 1_000 + DAY_MS + 1, false), seen(8, 1_000 + DAY_MS, true)];
        assert_eq!(next(&left).unwrap().rowid, 8);
        let left = [seen(2, 1_000, true), seen(5, 1_000 + DAY_MS + 1, false)];
        assert_eq!(next(&left).unwrap().rowid, 5);
    }
}
