//! Every call that differs between systems, in one place: `unix.rs` (Linux and macOS) and
//! `windows.rs` each give the same functions, and this file picks one and holds what both share.
//! Nothing outside this folder names a system.
//!
//! What each gives: file identity (device and inode; volume serial and file index), times, reads at an
//! offset, a sparse file's data, modes and owners (Windows keeps those in ACLs: a user's profile folders
//! are theirs alone, so nothing is set or checked there), opening without following a link or waiting
//! on a FIFO, the effective user, starting and ending another process with what it started, stderr, the
//! terminal's width, the machine's name and mark, a path's bytes and its resolved name, where the
//! zone files and the system's own zone are.

use std::fs::{File, TryLockError};
use std::io;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::*;

/// When a file was made, in nanoseconds since the epoch: its birth time where the system and its
/// filesystem keep one (Linux's statx, macOS, Windows), else its last write. A copy that kept its
/// mtime (`cp -p`, rsync, a sync tool) is still born after what it copies.
pub fn born_ns(md: &std::fs::Metadata) -> i64 {
    let Ok(t) = md.created() else { return mtime_ns(md) };
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(_) => mtime_ns(md),
    }
}

/// The systems whose conventions differ in where a user's files go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    /// Linux and the other Unixes: XDG folders.
    Xdg,
    MacOs,
    Windows,
}

pub const SYSTEM: System = if cfg!(windows) {
    System::Windows
} else if cfg!(target_os = "macos") {
    System::MacOs
} else {
    System::Xdg
};

/// Takes `f`'s exclusive lock if no one holds it: `Ok(false)` when another does. The system drops it
/// when the process dies, however it dies (`flock` on Unix, `LockFileEx` on Windows).
pub fn try_lock(f: &File) -> io::Result<bool> {
    match f.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// Waits for `child` (started with `own_group`) at most `wait`: its status, or `None` when it was
/// still running, and was then killed with everything it started.
pub fn wait_within(child: &mut Child, wait: Duration) -> io::Result<Option<ExitStatus>> {
    let until = Instant::now() + wait;
    loop {
        if let Some(st) = child.try_wait()? {
            return Ok(Some(st));
        }
        if Instant::now() >= until {
            kill_group(child);
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A path from the bytes the cache keeps it as.
pub fn path_of(b: &[u8]) -> &std::path::Path {
    std::path::Path::new(os_str(b))
}

#[cfg(test)]
mod tests {
    use std::fs;

    #[test]
    fn a_canonical_path_is_the_one_realpath_gives() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real");
        fs::create_dir_all(real.join("projects")).unwrap();
        fs::write(real.join("f"), b"x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, d.path().join("link")).unwrap();
        let spelt = [
            d.path().join("real/projects"),
            d.path().join("real/./projects/"),
            d.path().join("real/projects/../projects"),
            d.path().join("real/f"),
            #[cfg(unix)]
            d.path().join("link/projects"),
        ];
        let expected = fs::canonicalize(&real).unwrap();
        for p in spelt {
            assert_eq!(super::canonical(&p).unwrap(), fs::canonicalize(&p).unwrap(), "{}", p.display());
            assert!(super::canonical(&p).unwrap().starts_with(&expected), "{}", p.display());
        }
        assert!(super::canonical(&d.path().join("none/projects")).is_err());
    }
}
