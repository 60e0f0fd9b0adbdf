//! Whose the cache directory is: runway keeps its cache only in a directory of this user's that no one
//! else may write to (a link to it made by this user too).

use std::fs;
use std::path::Path;

use super::super::platform;

/// What a look at the cache directory found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// A directory of this user's that no one else may write to.
    Own,
    /// Nothing there yet (it is made 0700 when first written), or not a directory at all (then
    /// nothing can be written, and the run keeps what it reads in memory).
    Absent,
    /// Why it is not one runway may keep its cache in.
    Refused(String),
}

/// Why a directory is not one runway may keep its cache in, if it is not (a look again, before a
/// write).
pub(super) fn refusal(dir: &Path) -> Option<String> {
    match look(dir) {
        Found::Refused(why) => Some(why),
        Found::Own | Found::Absent => None,
    }
}

pub(super) fn look(dir: &Path) -> Found {
    let me = platform::euid();
    let md = match fs::symlink_metadata(dir) {
        Ok(l) if l.file_type().is_symlink() => {
            if platform::owner(&l) != me {
                return Found::Refused(format!(
                    "{} is a link made by user {}, not by this user ({me})",
                    dir.display(),
                    platform::owner(&l)
                ));
            }
            match fs::metadata(dir) {
                Ok(md) => md,
                Err(_) => return Found::Absent,
            }
        }
        Ok(md) => md,
        Err(_) => return Found::Absent,
    };
    if !md.is_dir() {
        return Found::Absent;
    }
    if platform::owner(&md) != me {
        return Found::Refused(format!(
            "{} belongs to user {}, not to this user ({me})",
            dir.display(),
            platform::owner(&md)
        ));
    }
    if platform::writable_by_others(&md) {
        return Found::Refused(format!(
            "{} may be written by every user (mode {:o})",
            dir.display(),
            platform::mode(&md)
        ));
    }
    Found::Own
}
