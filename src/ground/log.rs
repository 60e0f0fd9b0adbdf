//! Diagnostics go to a log file in the cache directory, never to a prompt.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::Mutex;

static PATH: Mutex<Option<PathBuf>> = Mutex::new(None);
const MAX_LEN: u64 = 1 << 20;

/// Sets where the log goes: first the default cache dir, then the configured one once it is known.
pub fn init(path: PathBuf) {
    if let Ok(mut p) = PATH.lock() {
        *p = Some(path);
    }
}

pub fn path() -> Option<PathBuf> {
    PATH.lock().ok().and_then(|p| p.clone())
}

/// Appends one line; errors are ignored, there is nowhere left to report them.
pub fn warn(msg: &str) {
    let Some(path) = path() else { return };
    if let Some(dir) = path.parent() {
        let _ = super::files::create_private_dir(dir);
    }
    if fs::metadata(&path).is_ok_and(|m| m.len() > MAX_LEN) {
        let _ = fs::rename(&path, path.with_extension("log.1"));
    }
    let Ok(mut f) = OpenOptions::new().create(true).append(true).mode(0o600).open(&path) else {
        return;
    };
    let now = super::time::rfc3339(super::time::wall_ms() / 1000 * 1000);
    let _ = writeln!(f, "{now} [{}] {}", std::process::id(), msg.replace('\n', " | "));
}

/// Points this process's stderr at the log (or nowhere), so that nothing a prompt mode did not mean
/// to say can reach a terminal: 3 syscalls.
pub fn take_stderr() {
    use std::os::fd::AsRawFd;
    let target = path()
        .and_then(|p| OpenOptions::new().create(true).append(true).mode(0o600).open(p).ok())
        .or_else(|| OpenOptions::new().write(true).open("/dev/null").ok());
    if let Some(f) = target {
        // SAFETY: dup2 onto fd 2 with a descriptor `f` owns; both stay valid for the call.
        unsafe { libc::dup2(f.as_raw_fd(), 2) };
    }
}
