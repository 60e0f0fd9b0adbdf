//! When this device may write its file again: at most once a minute (what moved is `publish`'s question).

use std::path::Path;

use super::folder::own_file;
use super::identity::Identity;
use crate::ground::files::open_regular;

/// Whether this device's file is older than `min_ms` (or missing): written at most that often.
pub fn due(sync_dir: &Path, me: &Identity, min_ms: i64) -> bool {
    due_after(own_written(sync_dir, me), min_ms)
}

/// When this device's own file was last written (ms), when there is one to open.
pub fn own_written(sync_dir: &Path, me: &Identity) -> Option<i64> {
    let (_, md) = open_regular(&own_file(sync_dir, me)).ok()?;
    md.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_millis() as i64)
}

/// `due` for a file last written at `written` (none, or a time still to come: due).
pub fn due_after(written: Option<i64>, min_ms: i64) -> bool {
    written.is_none_or(|w| {
        let age = crate::ground::time::wall_ms() - w;
        age < 0 || age >= min_ms
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_due_a_minute_after_it_was_written() {
        let now = crate::ground::time::wall_ms();
        assert!(due_after(None, 60_000), "no file yet");
        assert!(!due_after(Some(now - 1_000), 60_000), "written a second ago");
        assert!(due_after(Some(now - 61_000), 60_000));
        assert!(due_after(Some(now + 3_600_000), 60_000), "a time still to come is no reason to wait");
    }
}
