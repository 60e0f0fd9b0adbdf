//! Which notices were given, shared by every shell, pane and tool on the machine: one small file
//! per channel and notice under `notices/` in the cache directory.
//!
//! A notice is claimed by locking its file (`flock`, never waited for): of two prompts drawn at the
//! same moment one gets it and the other passes. The claimer delivers it and only then writes
//! `done` into the file. A claimer that dies in between leaves the file without `done`, and the
//! kernel drops its lock with it, so the next prompt delivers the notice: none is lost to a crash
//! (one that dies after delivering and before writing may give it twice, never zero times). Files
//! older than `KEEP` are removed when a new one is made.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::ground::files::create_private_dir;
use crate::ground::hash::key;

const DIR: &str = "notices";
/// A window lasts a week at most; its notices are kept a little longer.
const KEEP: Duration = Duration::from_secs(9 * 86_400);
const DONE: &[u8] = b"done\n";

fn path(cache_dir: &Path, channel: &str, notice: &str) -> PathBuf {
    cache_dir.join(DIR).join(format!("{channel}-{:016x}", key("notice", &[channel.as_bytes(), notice.as_bytes()])))
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
pub fn given(cache_dir: &Path, channel: &str, notice: &str) -> bool {
    fs::read(path(cache_dir, channel, notice)).is_ok_and(|b| b == DONE)
}

/// The claim on a notice, unless it was given already or another run is giving it now.
pub fn claim(cache_dir: &Path, channel: &str, notice: &str) -> Option<Claim> {
    let p = path(cache_dir, channel, notice);
    // While a window stays past its line every prompt asks again: one read answers "given already",
    // with no lock taken and nothing created.
    match fs::read(&p) {
        Ok(b) if b == DONE => return None,
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            create_private_dir(&cache_dir.join(DIR)).ok()?;
            prune(&cache_dir.join(DIR));
        }
        Err(_) => return None,
    }
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o600).open(&p).ok()?;
    // SAFETY: flock on a descriptor this function owns; no memory is involved.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return None;
    }
    // Read again under the lock: another run may have given it since.
    let mut was = Vec::new();
    file.read_to_end(&mut was).ok()?;
    (was != DONE).then_some(Claim { file })
}

/// Marks a notice given without delivering it (a lower level of one just given).
pub fn settle(cache_dir: &Path, channel: &str, notice: &str) {
    if let Some(c) = claim(cache_dir, channel, notice) {
        let _ = c.done();
    }
}

fn prune(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for e in entries.flatten() {
        let old = e.metadata().and_then(|m| m.modified()).is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d > KEEP));
        if old {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_and_not_lost() {
        let d = tempfile::tempdir().unwrap();
        let c = claim(d.path(), "shell", "claude-five_hour--29-warn").expect("the first claim");
        assert!(claim(d.path(), "shell", "claude-five_hour--29-warn").is_none(), "held: another run passes");
        assert!(claim(d.path(), "tmux", "claude-five_hour--29-warn").is_some(), "each channel its own");
        drop(c); // died before delivering: the lock goes with it
        let c = claim(d.path(), "shell", "claude-five_hour--29-warn").expect("given by the next run");
        c.done().unwrap();
        assert!(given(d.path(), "shell", "claude-five_hour--29-warn"));
        assert!(claim(d.path(), "shell", "claude-five_hour--29-warn").is_none(), "once");
        settle(d.path(), "shell", "claude-five_hour--29-danger");
        assert!(given(d.path(), "shell", "claude-five_hour--29-danger"));
    }
}
