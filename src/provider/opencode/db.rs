//! OpenCode's database (`opencode.db`, SQLite in WAL mode; from 1.2): table `message(id,
//! session_id, time_created, time_updated, data)`, a message's row written again as it streams
//! (created, counted, completed), and `session(id, directory, …)`.
//!
//! Read through SQLite, read-only, never waiting on OpenCode's writer (its lock held a moment
//! longer than a prompt can wait is "try again next run"). Message ids grow with time, so each read
//! starts at the first message not known complete at the last one (`aux`), by the primary key: a
//! prompt after OpenCode wrote reads the few newest rows, never the whole table.

use std::io;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::message::{Message, call};
use crate::provider::found::{Call, Found};

const QUERY: &str = "SELECT m.id, m.session_id, m.data, s.directory FROM message m \
                     LEFT JOIN session s ON s.id = m.session_id WHERE m.id >= ?1 ORDER BY m.id";

fn sql(e: rusqlite::Error) -> io::Error {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => io::Error::new(io::ErrorKind::WouldBlock, e),
        _ => io::Error::new(io::ErrorKind::InvalidData, e),
    }
}

/// The calls of the messages from `aux` (a message id; empty for all) on; gives where the next read
/// starts.
pub fn read(path: &Path, aux: &[u8], out: &mut Vec<Found<'static>>) -> io::Result<Vec<u8>> {
    let from = String::from_utf8_lossy(aux).into_owned();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(path, flags).map_err(sql)?;
    db.busy_timeout(Duration::from_millis(20)).map_err(sql)?;
    let mut stmt = db.prepare(QUERY).map_err(sql)?;
    let mut rows = stmt.query([&from]).map_err(sql)?;
    let (mut open, mut last): (Option<String>, Option<String>) = (None, None);
    while let Some(row) = rows.next().map_err(sql)? {
        let data = row.get_ref(2).ok().and_then(|v| v.as_bytes_or_null().ok().flatten());
        let (Ok(id), Ok(session), Some(data)) = (row.get::<_, String>(0), row.get::<_, String>(1), data) else {
            out.push(Found::Malformed);
            continue;
        };
        let directory: Option<String> = row.get(3).ok().flatten();
        let mut one = Vec::new();
        // A message that fails to parse is read as mended when it can be (see `found::mended`).
        let parsed = serde_json::from_slice::<Message>(data).ok().map(|m| call(m, &id, &mut one)).or_else(|| {
            let fixed = crate::ground::repair::repaired(data)?;
            serde_json::from_slice::<Message>(&fixed).ok().map(|m| call(m, &id, &mut one))
        });
        let Some(cwd) = parsed else {
            out.push(Found::Malformed);
            continue;
        };
        let complete = memchr::memmem::find(data, b"\"completed\"").is_some();
        let project = directory.filter(|d| !d.is_empty()).or(cwd).unwrap_or_default();
        for f in one {
            out.push(match f {
                Found::Call(c) => Found::Call(Call { within: Some((session.clone(), project.clone())), ..c }),
                other => other,
            });
        }
        if !complete && open.is_none() {
            open = Some(id.clone());
        }
        last = Some(id);
    }
    // The next read starts at the first message still being written, else at the last one read
    // (read again: a row rewritten is the same call, by its key).
    Ok(open.or(last).unwrap_or(from).into_bytes())
}
