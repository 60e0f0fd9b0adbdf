//! Sessions still open: a tool that writes a call's input side (and premium requests) at a session's
//! end leaves its figures a floor until then (`Spec::awaiting`), found by reading files' tails.

use super::App;
use crate::ground::provider::Provider;
use crate::ground::time::{DAY_MS, HOUR_MS};
use crate::store::ingest::Pace;

/// How many of a tool's files written in the last hour a prompt looks at for a session still open
/// (the newest); `status` and the rest look at every one. Eight: more sessions than a person keeps
/// open at once, and eight tail reads cost a prompt 0.16 to 0.38 ms (`benches/bench.sh`, every
/// fixture file fresh), where a history copied in cost one of every file.
const OPEN_FILES: usize = 8;

/// Whether the file at `path` ends in a session still open as of `now`, its last call after `since`
/// (see `Spec::awaiting`): its last 64 KiB, and its last MiB when those hold neither a call nor an
/// end (a large tool result after the last call).
fn ends_open(path: &std::path::Path, awaits: crate::provider::spec::Awaits, now: i64, since: i64) -> bool {
    for n in [64u64 << 10, 1 << 20] {
        let Ok(tail) = crate::ground::files::read_tail(path, n) else { return false };
        if let Some((open, at)) = awaits(&tail, now) {
            return open && at > since;
        }
        if (tail.len() as u64) < n {
            return false;
        }
    }
    false
}

impl App {
    /// Files of `p` written in the last week whose last calls wait for an input side the tool
    /// writes later (see `Spec::awaiting`): their tails are read (`ends_open`; `status` only).
    pub fn awaiting(&self, p: Provider) -> usize {
        self.open_since(p, self.cfg.now - 7 * DAY_MS)
    }

    /// `awaiting`, of the files written since `since` (a report's range).
    pub fn open_since(&self, p: Provider, since: i64) -> usize {
        let Some(awaits) = p.spec().awaiting else { return 0 };
        // A file last written before the range holds no call in it.
        let files = self.written_since(p, since);
        files.filter(|f| ends_open(crate::ground::platform::path_of(&f.path), awaits, self.cfg.now, since)).count()
    }

    /// The files of `p` last written after `t` (ms), as the cache last saw them.
    fn written_since(&self, p: Provider, t: i64) -> impl Iterator<Item = &crate::read::table::FileEntry> {
        let t_ns = i128::from(t) * 1_000_000;
        self.run.db.state.files.iter().filter(move |f| f.provider == p && i128::from(f.mtime_ns) > t_ns)
    }

    /// Whether a session of `p` written to in the last hour is still open, its calls waiting for what
    /// the tool writes at its end (see `Spec::awaiting`): a tail read of each file written since, so
    /// that a prompt can mark its figures a floor. A session left open longer ago (stopped without an
    /// end) is `status`'s to count, not a prompt's to mark for a week. The hour is the forecast's,
    /// by the session's own last event: a replay marks what a prompt then would have (by the files'
    /// times it marked a session three days after its last event, the files being copied since).
    pub fn session_open(&self, p: Provider) -> bool {
        let Some(awaits) = p.spec().awaiting else { return false };
        // Only a file written in that hour or after can hold an event of it.
        let mut files: Vec<_> = self.written_since(p, self.cfg.now.min(self.cfg.wall_ms) - HOUR_MS).collect();
        // The newest first, and no more than a prompt's few: a history copied in (every file new)
        // would cost a tail read of each at every prompt for an hour.
        files.sort_by_key(|f| std::cmp::Reverse(f.mtime_ns));
        let few = if self.pace == Pace::Prompt { OPEN_FILES } else { usize::MAX };
        let since = self.cfg.now - HOUR_MS;
        files
            .iter()
            .take(few)
            .any(|f| ends_open(crate::ground::platform::path_of(&f.path), awaits, self.cfg.now, since))
    }
}
