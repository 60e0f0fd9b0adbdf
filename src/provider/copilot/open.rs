//! Whether a Copilot CLI session is still open: its input and cache tokens are written only at its
//! end (a shutdown, or a checkpoint in newer builds), so `status` says how many sessions have calls
//! after their last one rather than show a low figure silently.

use crate::ground::time::parse_rfc3339;

/// Whether the end of a session's events holds a call after its last shutdown or checkpoint, as of
/// `now` (events after it are not yet written, in a replay), and when that last event was: its
/// input and cache tokens are written only when the session ends. `None` when `tail` holds neither
/// (a large tool result after the last call): the caller may look further back.
pub fn awaiting(tail: &[u8], now: i64) -> Option<(bool, i64)> {
    for line in tail.rsplit(|&b| b == b'\n') {
        let has = |pat: &[u8]| memchr::memmem::find(line, pat).is_some();
        let call = has(b"\"type\":\"assistant.message\"");
        if !call && !has(b"\"type\":\"session.shutdown\"") && !has(b"\"type\":\"session.usage_checkpoint\"") {
            continue;
        }
        let Some(at) = timestamp(line) else { continue };
        if at > now {
            continue;
        }
        return Some((call, at));
    }
    None
}

/// An event line's own `timestamp` (its last: the event's data comes before it).
fn timestamp(line: &[u8]) -> Option<i64> {
    const KEY: &[u8] = b"\"timestamp\":\"";
    let from = memchr::memmem::rfind(line, KEY)? + KEY.len();
    let len = memchr::memchr(b'"', &line[from..])?;
    parse_rfc3339(std::str::from_utf8(&line[from..from + len]).ok()?)
}
