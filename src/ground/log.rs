//! Diagnostics go to a log file in the cache directory, never to a prompt.

use std::sync::Mutex;

use super::cache::Cache;

static CACHE: Mutex<Option<Cache>> = Mutex::new(None);

/// Sets where the log goes: first the default cache dir, then the configured one once it is known.
/// A refused cache directory gets no log.
pub fn init(cache: Cache) {
    if let Ok(mut c) = CACHE.lock() {
        *c = Some(cache);
    }
}

/// The cache directory `dir`: the log's own when it is that one, looked at already this run (an
/// owner check is two system calls a prompt).
pub fn cache_at(dir: std::path::PathBuf) -> Cache {
    cache().filter(|c| c.dir() == dir).unwrap_or_else(|| Cache::new(dir))
}

fn cache() -> Option<Cache> {
    CACHE.lock().ok().and_then(|c| c.clone())
}

pub fn path() -> Option<std::path::PathBuf> {
    cache().filter(|c| c.refused().is_none()).map(|c| c.path(super::cache::Item::Log))
}

/// Appends one line; errors are ignored, there is nowhere left to report them.
pub fn warn(msg: &str) {
    if let Some(cache) = cache() {
        cache.log(msg);
    }
}

/// Points this process's stderr at the log (or nowhere), so that nothing a prompt mode did not mean
/// to say can reach a terminal: a few syscalls.
pub fn take_stderr() {
    let target = cache()
        .and_then(|c| c.log_file().ok())
        .or_else(|| std::fs::OpenOptions::new().write(true).open(super::platform::NULL_DEVICE).ok());
    if let Some(f) = target {
        super::platform::redirect_stderr(&f);
    }
}
