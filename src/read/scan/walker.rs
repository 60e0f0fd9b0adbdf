//! The walk under the roots: every folder and wanted file, breadth first, bounded.

use std::collections::HashSet;
use std::fs::{self, Metadata};
use std::path::Path;

use crate::ground::files::{identity, mtime_ns};
use crate::ground::platform;
use crate::ground::provider::Provider;
use crate::read::table::DirEntry;

/// Folders a walk records at most. A real history has a few thousand (a session's subagents are a
/// folder); a link under a root to `/` made every prompt list the machine (3.8 s the first, 40-90 ms
/// each after, on the changing folders of `/proc`). Walked breadth first, so the history's own
/// shallow folders come before a linked tree's depths.
pub const MAX_DIRS: usize = 20_000;

pub struct Walker {
    pub files: Vec<(Vec<u8>, Provider, Metadata)>,
    pub dirs: Vec<DirEntry>,
    pub seen_dirs: HashSet<(u64, u64)>,
    pub stats: u64,
    /// Folders whose listing failed (no permission, a path past the system's length): what is in
    /// them is not counted, and `doctor` says so.
    pub unreadable: Vec<Vec<u8>>,
    /// Folders this walk may still record (`MAX_DIRS` with the table's).
    pub room: usize,
    /// The walk stopped at `room`: files it did not reach are kept as last read.
    pub capped: bool,
    /// The roots, to know a link to a folder above one (`~`, `/`): that tree holds the history
    /// itself and everything else, never more history.
    pub roots: Vec<std::path::PathBuf>,
    /// The folders above the roots, found when a first link to a folder is met.
    pub above: Option<HashSet<(u64, u64)>>,
    /// Links to a folder above a root, not followed.
    pub links_up: Vec<Vec<u8>>,
}

impl Walker {
    pub fn new(recorded: usize, roots: Vec<std::path::PathBuf>) -> Walker {
        Walker {
            files: Vec::new(),
            dirs: Vec::new(),
            seen_dirs: HashSet::new(),
            stats: 0,
            unreadable: Vec::new(),
            room: MAX_DIRS.saturating_sub(recorded),
            capped: false,
            roots,
            above: None,
            links_up: Vec::new(),
        }
    }

    /// Whether a folder reached through a link is one above a root.
    pub fn above_a_root(&mut self, md: &Metadata, path: &Path) -> bool {
        let roots = &self.roots;
        let above = self.above.get_or_insert_with(|| {
            let mut set = HashSet::new();
            for r in roots {
                let real = platform::canonical(r).ok();
                for a in r.ancestors().skip(1).chain(real.iter().flat_map(|p| p.ancestors().skip(1))) {
                    if let Ok(m) = fs::metadata(a) {
                        set.insert(identity(a, &m));
                    }
                }
            }
            set
        });
        above.contains(&identity(path, md))
    }

    /// Records `dir` and everything below it (see `walk_all`).
    pub fn walk(&mut self, dir: &Path, provider: Provider, depth: u8, md: &Metadata) {
        self.walk_all(vec![(dir.to_path_buf(), provider, depth, md.clone())]);
    }

    /// Records each folder and everything below it, breadth first over all of them at once (so a
    /// linked tree under one root does not take the room of another root's history). Links are
    /// followed; a directory reached twice (a link loop, or one root inside another) is walked once.
    pub fn walk_all(&mut self, starts: Vec<(std::path::PathBuf, Provider, u8, Metadata)>) {
        let mut queue = std::collections::VecDeque::from(starts);
        while let Some((dir, provider, depth, md)) = queue.pop_front() {
            let (dev, ino) = identity(&dir, &md);
            if depth > 32 || self.seen_dirs.contains(&(dev, ino)) {
                continue;
            }
            if self.dirs.len() >= self.room {
                self.capped = true;
                return;
            }
            self.seen_dirs.insert((dev, ino));
            self.dirs.push(DirEntry {
                path: platform::bytes(dir.as_os_str()).to_vec(),
                provider,
                depth,
                mtime_ns: mtime_ns(&md),
                dev,
                ino,
            });
            let Ok(rd) = fs::read_dir(&dir) else {
                self.unreadable.push(platform::bytes(dir.as_os_str()).to_vec());
                continue;
            };
            let mut refused = false;
            for ent in rd.flatten() {
                let path = ent.path();
                let Ok(ft) = ent.file_type() else { continue };
                self.stats += 1;
                // `fs::metadata` follows links; a dangling one simply fails and is skipped.
                let md = if ft.is_symlink() { fs::metadata(&path) } else { ent.metadata() };
                let md = match md {
                    Ok(md) => md,
                    Err(e) => {
                        refused |= e.kind() == std::io::ErrorKind::PermissionDenied;
                        continue;
                    }
                };
                if md.is_dir() {
                    if ft.is_symlink() && self.above_a_root(&md, &path) {
                        self.links_up.push(platform::bytes(path.as_os_str()).to_vec());
                    } else if (provider.spec().descend)(depth, platform::bytes(&ent.file_name())) {
                        queue.push_back((path, provider, depth.saturating_add(1), md));
                    }
                } else if md.is_file() && (provider.spec().wanted)(platform::bytes(&ent.file_name())) {
                    self.files.push((platform::bytes(path.as_os_str()).to_vec(), provider, md));
                }
            }
            // Listed but not searchable (mode 644): its files are kept as last read, as under a
            // folder that cannot be listed at all.
            if refused {
                self.unreadable.push(platform::bytes(dir.as_os_str()).to_vec());
            }
        }
    }
}
