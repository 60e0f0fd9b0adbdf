//! Finding the transcript files that changed, cheaply.
//!
//! A large history has thousands of files, and stat-ing all of them costs more than a prompt's whole
//! budget. So a quick check stats only: each root; every directory one level below a root (a new
//! session lands in one of those); directories changed in the last two days (where new subagent files
//! and Codex day folders appear); and files modified in the last six hours (live sessions). A changed
//! directory is listed again. Everything else is covered by a full walk at most every `rescan`
//! seconds (60 by default), which bounds how stale the answer can be for a long-idle file that
//! suddenly grows.

use std::collections::{HashMap, HashSet};
use std::fs::{self, Metadata};
use std::path::Path;

use super::sources::Root;
use super::table::{DirEntry, FileEntry, HOT_DIR_NS, HOT_FILE_NS, Stamp, Table, hot, stamp, watched};
use crate::ground::files::{identity, mtime_ns};
use crate::ground::platform;
use crate::ground::provider::Provider;
use walker::{MAX_DIRS, Walker};

#[derive(Debug)]
pub enum Change {
    /// A file not in the table yet, with the size it had and when it was made (`platform::born_ns`).
    New { path: Vec<u8>, provider: Provider, size: u64, born_ns: i64 },
    /// A known file whose size, mtime or identity differs from the table, with the size it has.
    Changed { idx: usize, size: u64 },
    /// A known file that is no longer there (or no longer a regular file).
    Gone { idx: usize },
}

#[derive(Debug, Default)]
pub struct Scan {
    pub changes: Vec<Change>,
    /// The new directory table, when it changed.
    pub dirs: Option<Vec<DirEntry>>,
    pub full: bool,
    pub stats: u64,
    /// Something changed, but the partially read state cannot tell what: read it whole and look again.
    pub dirty: bool,
}

impl Scan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.dirs.is_none() && !self.dirty
    }
}

/// Whether a file name is a transcript of this provider.
pub fn wanted(provider: Provider, name: &[u8]) -> bool {
    (provider.spec().wanted)(name)
}

fn bytes(p: &Path) -> Vec<u8> {
    platform::bytes(p.as_os_str()).to_vec()
}

fn path_of(b: &[u8]) -> &Path {
    Path::new(platform::os_str(b))
}

/// Whether `child` lies under `dir`.
fn under(dir: &[u8], child: &[u8]) -> bool {
    child.len() > dir.len() && child.starts_with(dir) && child[dir.len()] == b'/'
}

/// The folders under the roots that cannot be listed, whether the walk stopped at `MAX_DIRS`, the
/// links to a folder above a root it did not follow, and the entries named as history that are no
/// regular file, for `doctor`: a walk of its own (a prompt's scan notes them, and keeps none).
pub fn unreadable_dirs(roots: &[Root]) -> Skipped {
    let w = walked(roots, MAX_DIRS);
    Skipped { blind: w.unreadable, capped: w.capped, unfollowed: w.unfollowed, odd: w.odd }
}

/// What a walk passed over (see `unreadable_dirs`), each by its path.
pub struct Skipped {
    pub blind: Vec<Vec<u8>>,
    pub capped: bool,
    pub unfollowed: Vec<Vec<u8>>,
    pub odd: Vec<Vec<u8>>,
}

/// `MAX_DIRS`, for `doctor`'s words.
pub const FOLDERS_WALKED: usize = MAX_DIRS;

fn walked(roots: &[Root], room: usize) -> Walker {
    let mut w = Walker::new(room, roots.iter().map(|r| r.path.clone()).collect());
    let mut starts = Vec::new();
    for r in roots {
        match fs::metadata(&r.path) {
            Ok(md) if md.is_dir() => starts.push((r.path.clone(), r.provider, 0, md)),
            // A folder above the root closed (`chmod 000 ~/.claude`): its files are not known to be
            // gone (see `full`).
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => w.unreadable.push(bytes(&r.path)),
            _ => {}
        }
    }
    w.walk_all(starts);
    w
}

/// Walks every root; compares with the table.
pub fn full(roots: &[Root], state: Table) -> Scan {
    full_within(roots, state, MAX_DIRS)
}

fn full_within(roots: &[Root], state: Table, room: usize) -> Scan {
    let w = walked(roots, room);
    let known: HashMap<&[u8], usize> = state.files.iter().enumerate().map(|(i, f)| (f.path.as_slice(), i)).collect();
    let mut seen = vec![false; state.files.len()];
    let mut changes = Vec::new();
    let mut dedup_inodes = HashSet::new();
    for (path, provider, md) in w.files {
        // The same file reached through two roots (a linked config dir) is one file.
        if !dedup_inodes.insert(identity(path_of(&path), &md)) {
            continue;
        }
        let st = stamp(provider, path_of(&path), &md);
        match known.get(path.as_slice()) {
            Some(&i) => {
                seen[i] = true;
                if differs(&state.files[i], &st) {
                    changes.push(Change::Changed { idx: i, size: st.size });
                }
            }
            None => changes.push(Change::New { path, provider, size: st.size, born_ns: platform::born_ns(&md) }),
        }
    }
    // A file under a folder that cannot be listed now (its permissions taken away) is not known to
    // be gone: it is kept as last read, as a file that cannot be opened is.
    for (i, s) in seen.iter().enumerate() {
        if !s && !w.capped && !w.unreadable.iter().any(|d| under(d, &state.files[i].path)) {
            changes.push(Change::Gone { idx: i });
        }
    }
    // The stored order (recent first) is not the walk's: compare as sets.
    fn sorted(d: &[DirEntry]) -> Vec<&DirEntry> {
        let mut v: Vec<&DirEntry> = d.iter().collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
    let dirs = if sorted(&w.dirs) == sorted(state.dirs) { None } else { Some(w.dirs) };
    Scan { changes, dirs, full: true, stats: w.stats, dirty: false }
}

fn differs(f: &FileEntry, s: &Stamp) -> bool {
    // Not read to the end last time: there is more to read even if nothing changed.
    f.unreadable
        || f.pending
        || f.dev != s.dev
        || f.ino != s.ino
        || f.size != s.size
        || f.mtime_ns != s.mtime_ns
        || f.ctime_ns != s.ctime_ns
}

/// Whether a directory is one the provider keeps its history in (see `Spec::descend`).
fn descend(provider: Provider, depth: u8, name: &[u8]) -> bool {
    (provider.spec().descend)(depth, name)
}

/// The quick check described in the module comment. Falls back to a full walk when a root appeared
/// or vanished.
pub fn quick(roots: &[Root], state: Table, wall_ns: i64) -> Scan {
    let mut stats = 0u64;
    for r in roots {
        stats += 1;
        let exists = fs::metadata(&r.path).is_ok_and(|m| m.is_dir());
        let known = state.dirs.iter().any(|d| d.depth == 0 && d.path == bytes(&r.path));
        if exists != known {
            return if state.complete { full(roots, state) } else { Scan { dirty: true, stats, ..Scan::default() } };
        }
    }
    let mut dirty: Vec<usize> = Vec::new();
    for (i, d) in state.dirs.iter().enumerate() {
        if watched(d, wall_ns - HOT_DIR_NS) {
            stats += 1;
            match fs::metadata(path_of(&d.path)) {
                Ok(md) if md.is_dir() && mtime_ns(&md) == d.mtime_ns => {}
                // Not allowed to look: what is under it is kept as last read (see `full`).
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
                _ => dirty.push(i),
            }
        }
    }
    if !dirty.is_empty() && !state.complete {
        return Scan { dirty: true, stats, ..Scan::default() };
    }
    let mut changes = Vec::new();
    let mut reported: HashSet<usize> = HashSet::new();
    let mut dirs = None;
    if !dirty.is_empty() {
        let (new_dirs, dir_changes, n) = relist(state, &dirty);
        stats += n;
        for c in dir_changes {
            if let Change::Gone { idx } | Change::Changed { idx, .. } = &c {
                reported.insert(*idx);
            }
            changes.push(c);
        }
        dirs = Some(new_dirs);
    }
    for (i, f) in state.files.iter().enumerate() {
        if reported.contains(&i) || !hot(f, wall_ns - HOT_FILE_NS) {
            continue;
        }
        stats += 1;
        match fs::metadata(path_of(&f.path)) {
            Ok(md) if md.is_file() => {
                let st = stamp(f.provider, path_of(&f.path), &md);
                if differs(f, &st) {
                    changes.push(Change::Changed { idx: i, size: st.size });
                }
            }
            // Not allowed to look (a folder above it closed): kept as last read (see `full`).
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
            _ => changes.push(Change::Gone { idx: i }),
        }
    }
    Scan { changes, dirs, full: false, stats, dirty: false }
}

/// Lists changed directories again: new files and subtrees are found, vanished ones reported gone. A
/// directory or file already known under another name (a link, a loop back up) is not taken again.
fn relist(state: Table, dirty: &[usize]) -> (Vec<DirEntry>, Vec<Change>, u64) {
    let mut dirs = state.dirs.to_vec();
    let mut changes = Vec::new();
    let file_idx: HashMap<&[u8], usize> = state.files.iter().enumerate().map(|(i, f)| (f.path.as_slice(), i)).collect();
    let by_inode: HashMap<(u64, u64), usize> =
        state.files.iter().enumerate().map(|(i, f)| ((f.dev, f.ino), i)).collect();
    // Another name for a file still known under its own (not a file renamed: its old name is gone).
    let known_elsewhere = |p: &Path, md: &Metadata| {
        let id = identity(p, md);
        by_inode.get(&id).is_some_and(|&i| {
            let other = path_of(&state.files[i].path);
            fs::symlink_metadata(other).is_ok_and(|m| identity(other, &m) == id)
        })
    };
    let known_dirs: HashSet<&[u8]> = state.dirs.iter().map(|d| d.path.as_slice()).collect();
    let mut gone_dirs: Vec<Vec<u8>> = Vec::new();
    let roots = state.dirs.iter().filter(|d| d.depth == 0).map(|d| path_of(&d.path).to_path_buf()).collect();
    let mut w = Walker::new(MAX_DIRS, roots);
    w.seen_dirs.extend(state.dirs.iter().map(|d| (d.dev, d.ino)));
    for &i in dirty {
        let d = &state.dirs[i];
        let path = path_of(&d.path);
        let md = match fs::metadata(path) {
            Ok(md) if md.is_dir() => md,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => continue,
            _ => {
                gone_dirs.push(d.path.clone());
                continue;
            }
        };
        dirs[i].mtime_ns = mtime_ns(&md);
        let Ok(rd) = fs::read_dir(path) else { continue };
        let mut present: HashSet<Vec<u8>> = HashSet::new();
        for ent in rd.flatten() {
            w.stats += 1;
            let p = ent.path();
            let pb = bytes(&p);
            present.insert(pb.clone());
            let Ok(ft) = ent.file_type() else { continue };
            let md = if ft.is_symlink() { fs::metadata(&p) } else { ent.metadata() };
            let Ok(md) = md else { continue };
            if md.is_dir() {
                if ft.is_symlink() && w.not_followed(&md, &p) {
                    w.unfollowed.push(pb);
                } else if !known_dirs.contains(pb.as_slice())
                    && descend(d.provider, d.depth, platform::bytes(&ent.file_name()))
                {
                    moved_here(&state, &mut w, &p, &md);
                    w.walk(&p, d.provider, d.depth.saturating_add(1), &md, ft.is_symlink());
                }
            } else if md.is_file() && wanted(d.provider, platform::bytes(&ent.file_name())) {
                let st = stamp(d.provider, &p, &md);
                match file_idx.get(pb.as_slice()) {
                    Some(&fi) => {
                        if differs(&state.files[fi], &st) {
                            changes.push(Change::Changed { idx: fi, size: st.size });
                        }
                    }
                    None if known_elsewhere(&p, &md) => {}
                    None => changes.push(Change::New {
                        path: pb,
                        provider: d.provider,
                        size: st.size,
                        born_ns: platform::born_ns(&md),
                    }),
                }
            }
        }
        // Direct children that are no longer listed.
        for (fi, f) in state.files.iter().enumerate() {
            if under(&d.path, &f.path) && !f.path[d.path.len() + 1..].contains(&b'/') && !present.contains(&f.path) {
                changes.push(Change::Gone { idx: fi });
            }
        }
        for x in state.dirs {
            if under(&d.path, &x.path) && !x.path[d.path.len() + 1..].contains(&b'/') && !present.contains(&x.path) {
                gone_dirs.push(x.path.clone());
            }
        }
    }
    for g in &gone_dirs {
        dirs.retain(|x| x.path != *g && !under(g, &x.path));
        for (fi, f) in state.files.iter().enumerate() {
            if under(g, &f.path) && !changes.iter().any(|c| matches!(c, Change::Gone { idx } if *idx == fi)) {
                changes.push(Change::Gone { idx: fi });
            }
        }
    }
    for (path, provider, md) in w.files {
        if !file_idx.contains_key(path.as_slice()) && !known_elsewhere(path_of(&path), &md) {
            let st = stamp(provider, path_of(&path), &md);
            changes.push(Change::New { path, provider, size: st.size, born_ns: platform::born_ns(&md) });
        }
    }
    dirs.extend(w.dirs);
    (dirs, changes, w.stats)
}

/// A known folder that reappears under a new name (a project folder renamed, a month moved) is walked
/// there: its identity, and those of the folders under it, were known by the old name, which no
/// longer names it. (A folder still known under its own name, reached again by a link, stays seen.)
fn moved_here(state: &Table, w: &mut Walker, p: &Path, md: &Metadata) {
    let id = identity(p, md);
    let Some(old) = state.dirs.iter().find(|d| (d.dev, d.ino) == id) else { return };
    let still = fs::metadata(path_of(&old.path)).is_ok_and(|m| m.is_dir() && identity(path_of(&old.path), &m) == id);
    if !still {
        for x in state.dirs.iter().filter(|x| x.path == old.path || under(&old.path, &x.path)) {
            w.seen_dirs.remove(&(x.dev, x.ino));
        }
    }
}

mod walker;

#[cfg(test)]
mod tests;
