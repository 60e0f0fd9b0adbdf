//! Which notices were given, shared by every shell, pane and tool on the machine: one small file
//! per channel and notice under `notices/` in the cache directory.
//!
//! A notice is claimed by locking its file (`flock`, never waited for): of two prompts drawn at the
//! same moment one gets it and the other passes. The claimer delivers it and only then writes
//! `done` into the file. A claimer that dies in between leaves the file without `done`, and the
//! kernel drops its lock with it, so the next prompt delivers the notice: none is lost to a crash
//! (one that dies after delivering and before writing may give it twice, never zero times). Files
//! older than `KEEP` are removed when a new one is made.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::time::{Duration, SystemTime};

use crate::ground::cache::{Cache, Item};
use crate::ground::hash::key;

/// A window lasts a week at most; its notices are kept a little longer.
const KEEP: Duration = Duration::from_secs(9 * 86_400);
const DONE: &[u8] = b"done\n";

fn item<'a>(channel: &'a str, notice: &str) -> Item<'a> {
    Item::Notice(channel, key("notice", &[channel.as_bytes(), notice.as_bytes()]))
}

/// A notice this run may deliver on a channel; `done` once delivered.
pub struct Claim {
    file: File,
}

impl Claim {
    pub fn done(mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.rewind()?;
        self.file.write_all(DONE)
    }
}

/// Whether the notice was given on the channel already.
#[cfg(test)]
pub fn given(cache: &Cache, channel: &str, notice: &str) -> bool {
    cache.read(item(channel, notice)).is_ok_and(|b| b == DONE)
}

/// The claim on a notice, unless it was given already or another run is giving it now.
pub fn claim(cache: &Cache, channel: &str, notice: &str) -> Option<Claim> {
    let it = item(channel, notice);
    // While a window stays past its line every prompt asks again: one read answers "given already",
    // with no lock taken and nothing created.
    match cache.read(it) {
        Ok(b) if b == DONE => return None,
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => prune(cache),
        Err(_) => {}
    }
    let mut file = cache.lock(it).ok()??.file;
    // Read again under the lock: another run may have given it since.
    let mut was = Vec::new();
    file.read_to_end(&mut was).ok()?;
    (was != DONE).then_some(Claim { file })
}

/// Marks a notice given without delivering it (a lower level of one just given).
pub fn settle(cache: &Cache, channel: &str, notice: &str) {
    if let Some(c) = claim(cache, channel, notice) {
        let _ = c.done();
    }
}

fn prune(cache: &Cache) {
    let now = SystemTime::now();
    for (name, md) in cache.list(Some(Item::NoticesDir)) {
        if md.modified().is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d > KEEP)) {
            let _ = cache.remove_in(Item::NoticesDir, &name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_and_not_lost() {
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().to_path_buf());
        let c = claim(&cache, "shell", "claude-five_hour--29-warn").expect("the first claim");
        assert!(claim(&cache, "shell", "claude-five_hour--29-warn").is_none(), "held: another run passes");
        assert!(claim(&cache, "tmux", "claude-five_hour--29-warn").is_some(), "each channel its own");
        drop(c); // died before delivering: the lock goes with it
        let c = claim(&cache, "shell", "claude-five_hour--29-warn").expect("given by the next run");
        c.done().unwrap();
        assert!(given(&cache, "shell", "claude-five_hour--29-warn"));
        assert!(claim(&cache, "shell", "claude-five_hour--29-warn").is_none(), "once");
        settle(&cache, "shell", "claude-five_hour--29-danger");
        assert!(given(&cache, "shell", "claude-five_hour--29-danger"));
    }
}
