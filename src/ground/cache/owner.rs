//! Whose the cache directory is: runway keeps its cache only in a directory of this user's that no one
//! else may write to (a link to it made by this user too).

use std::fs;
use std::path::Path;

use super::super::platform;

/// Why a directory is not one runway may keep its cache in, if it is not.
pub(super) fn refusal(dir: &Path) -> Option<String> {
    let me = platform::euid();
    let md = match fs::symlink_metadata(dir) {
        Ok(l) if l.file_type().is_symlink() => {
            if platform::owner(&l) != me {
                return Some(format!(
                    "{} is a link made by user {}, not by this user ({me})",
                    dir.display(),
                    platform::owner(&l)
                ));
            }
            fs::metadata(dir).ok()?
        }
        Ok(md) => md,
        // Not there yet (it is made 0700 when first written), or not a directory at all (then
        // nothing can be written, and the run keeps what it reads in memory).
        Err(_) => return None,
    };
    if !md.is_dir() {
        return None;
    }
    if platform::owner(&md) != me {
        return Some(format!("{} belongs to user {}, not to this user ({me})", dir.display(), platform::owner(&md)));
    }
    if platform::writable_by_others(&md) {
        return Some(format!("{} may be written by every user (mode {:o})", dir.display(), platform::mode(&md)));
    }
    None
}
