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

use std::io;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::message::{Message, call};
use crate::ground::time::DAY_MS;
use crate::provider::found::{Call, Found};
use crate::provider::spec::Queried;

const QUERY: &str = "SELECT m.rowid, m.id, m.session_id, m.data, s.directory, m.time_created FROM message m \
                     LEFT JOIN session s ON s.id = m.session_id WHERE m.rowid >= ?1";

/// The id a row holds now.
const HELD: &str = "SELECT id FROM message WHERE rowid = ?1";

/// An assistant message still being written and older than this, by the newest one read, was left
/// so (OpenCode stopped): later reads do not start at it.
const ABANDONED_MS: i64 = DAY_MS;

fn sql(e: rusqlite::Error) -> io::Error {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => io::Error::new(io::ErrorKind::WouldBlock, e),
        _ => io::Error::new(io::ErrorKind::InvalidData, e),
    }
}

/// Where a read starts (`aux`: `<rowid> <id>`, the row the last read left and the id it held): that
/// row while it holds that id, else the first. (A row that holds another id, or none, means the
/// rowids moved: a VACUUM renumbers them, and a revert that deleted the newest messages gives their
/// rowids again. An `aux` of another form is an older version's.)
fn start(db: &Connection, aux: &[u8]) -> io::Result<i64> {
    let given = std::str::from_utf8(aux).ok().and_then(|a| a.split_once(' '));
    let Some((rowid, id)) = given.and_then(|(r, id)| Some((r.parse::<i64>().ok()?, id))) else { return Ok(i64::MIN) };
    match db.query_row(HELD, [rowid], |r| r.get::<_, String>(0)) {
        Ok(held) if held == id => Ok(rowid),
        Ok(_) | Err(rusqlite::Error::QueryReturnedNoRows) => Ok(i64::MIN),
        Err(e) => Err(sql(e)),
    }
}

/// A row read: its rowid, id, creation time, and whether it is an assistant message not yet complete.
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

/// The calls of the messages from `aux` (see `start`; empty for all) on; every row again only with
/// `room` (see `spec::Query`).
pub fn read(path: &Path, aux: &[u8], room: bool, out: &mut Vec<Found<'static>>) -> io::Result<Queried> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(path, flags).map_err(sql)?;
    db.busy_timeout(Duration::from_millis(20)).map_err(sql)?;
    let from = start(&db, aux)?;
    if from == i64::MIN && !aux.is_empty() && !room {
        return Err(io::Error::new(io::ErrorKind::WouldBlock, "read whole by a run with the room"));
    }
    let mut stmt = db.prepare(QUERY).map_err(sql)?;
    let mut rows = stmt.query([from]).map_err(sql)?;
    let mut seen = Vec::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let data = row.get_ref(3).ok().and_then(|v| v.as_bytes_or_null().ok().flatten());
        let fields = (row.get::<_, i64>(0), row.get::<_, String>(1), row.get::<_, String>(2), data);
        let (Ok(rowid), Ok(id), Ok(session), Some(data)) = fields else {
            out.push(Found::Malformed);
            continue;
        };
        let directory: Option<String> = row.get(4).ok().flatten();
        let created = row.get::<_, i64>(5).unwrap_or(0);
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
            continue;
        };
        let assistant = m.role.as_ref().is_some_and(|r| r.as_str() == "assistant");
        let open = assistant && memchr::memmem::find(data, b"\"completed\"").is_none();
        let mut one = Vec::new();
        let cwd = call(m, &id, &mut one);
        let project = directory.filter(|d| !d.is_empty()).or(cwd).unwrap_or_default();
        for f in one {
            out.push(match f {
                Found::Call(c) => Found::Call(Call { within: Some((session.clone(), project.clone())), ..c }),
                other => other,
            });
        }
        seen.push(Seen { rowid, id, created, open });
    }
    let next = next(&seen).map_or_else(Vec::new, |s| format!("{} {}", s.rowid, s.id).into_bytes());
    Ok(Queried { next, whole: from == i64::MIN })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(rowid: i64, created: i64, open: bool) -> Seen {
        Seen { rowid, id: format!("msg_{rowid}"), created, open }
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

    #[test]
    fn a_read_starts_at_its_row_while_that_row_holds_its_id() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "CREATE TABLE message (id text PRIMARY KEY, data text);
             INSERT INTO message (id, data) VALUES ('msg_a', '{}'), ('msg_b', '{}'), ('msg_c', '{}');",
        )
        .unwrap();
        assert_eq!(start(&db, b"2 msg_b").unwrap(), 2);
        assert_eq!(start(&db, b"").unwrap(), i64::MIN);
        // An older version's `aux`, a message id.
        assert_eq!(start(&db, b"msg_b").unwrap(), i64::MIN);
        assert_eq!(start(&db, b"9 msg_z").unwrap(), i64::MIN);
        // The newest deleted (a revert) and another message written: it takes rowid 3.
        db.execute_batch("DELETE FROM message WHERE id = 'msg_c'; INSERT INTO message VALUES ('msg_d', '{}');").unwrap();
        assert_eq!(start(&db, b"3 msg_c").unwrap(), i64::MIN);
        assert_eq!(start(&db, b"3 msg_d").unwrap(), 3);
    }
}
