//! The walk under the roots: every folder and wanted file, breadth first, bounded.

use std::collections::{HashSet, VecDeque};
use std::fs::{self, Metadata};
use std::path::Path;

use crate::ground::files::{identity, mtime_ns};
use crate::ground::platform;
use crate::ground::provider::Provider;
use crate::read::table::DirEntry;

/// Folders reached through links a walk records at most. The roots' own trees are walked whole,
/// first; a link under a root to a large tree (`/usr`, `/proc`: every `.jsonl` on the machine taken
/// for a session, and the changing folders of `/proc` listed again at every prompt, 3.8 s the first
/// and 40-90 ms each after) stops here. A link's own project or two is a few hundred folders.
pub const MAX_DIRS: usize = 5_000;

/// A folder to walk: its path, tool, depth, and what stat said of it.
pub type Start = (std::path::PathBuf, Provider, u8, Metadata);

pub struct Walker {
    pub files: Vec<(Vec<u8>, Provider, Metadata)>,
    pub dirs: Vec<DirEntry>,
    pub seen_dirs: HashSet<(u64, u64)>,
    pub stats: u64,
    /// Folders whose listing failed (no permission, a path past the system's length): what is in
    /// them is not counted, and `doctor` says so.
    pub unreadable: Vec<Vec<u8>>,
    /// Folders reached through links this walk may record.
    pub room: usize,
    /// The walk stopped at `room`: files it did not reach are kept as last read.
    pub capped: bool,
    /// The roots, to know a link to a folder above one (`~`, `/`): that tree holds the history
    /// itself and everything else, never more history.
    pub roots: Vec<std::path::PathBuf>,
    /// The folders above the roots, found when a first link to a folder is met.
    pub above: Option<HashSet<(u64, u64)>>,
    /// Links not followed: to a folder above a root, or into a kernel's own tree.
    pub unfollowed: Vec<Vec<u8>>,
    /// Entries with a history file's name that are no regular file (a FIFO, a socket, a device, a
    /// link to nowhere or in a loop): never opened, said by `doctor`.
    pub odd: Vec<Vec<u8>>,
}

impl Walker {
    pub fn new(room: usize, roots: Vec<std::path::PathBuf>) -> Walker {
        Walker {
            files: Vec::new(),
            dirs: Vec::new(),
            seen_dirs: HashSet::new(),
            stats: 0,
            unreadable: Vec::new(),
            room,
            capped: false,
            roots,
            above: None,
            unfollowed: Vec::new(),
            odd: Vec::new(),
        }
    }

    /// Whether a folder reached through a link is one the walk leaves alone: one above a root, or
    /// one in `/proc` or `/sys`, where the kernel shows itself (no history there; `/proc`'s folders
    /// change all the time, so each prompt listed some again: 30 ms a prompt, 9 without).
    pub fn not_followed(&mut self, md: &Metadata, path: &Path) -> bool {
        self.above_a_root(md, path) || in_kernel_tree(path)
    }

    fn above_a_root(&mut self, md: &Metadata, path: &Path) -> bool {
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
}

/// Whether `path`, links resolved, is in a tree the kernel makes up (Linux's `/proc` and `/sys`;
/// `/dev` is left: a history kept in `/dev/shm` is one).
pub(super) fn in_kernel_tree(path: &Path) -> bool {
    let real = platform::canonical(path).unwrap_or_else(|_| path.to_path_buf());
    ["/proc", "/sys"].iter().any(|k| real.starts_with(k))
}

impl Walker {
    /// Records `dir` and everything below it (see `walk_all`), as a tree a link leads to when it is.
    pub fn walk(&mut self, dir: &Path, provider: Provider, depth: u8, md: &Metadata, through_link: bool) {
        let start = (dir.to_path_buf(), provider, depth, md.clone());
        match through_link {
            true => self.run(Default::default(), vec![start].into()),
            false => self.run(vec![start].into(), Default::default()),
        }
    }

    /// Records each folder and everything below it: the roots' own trees first, breadth first over
    /// all of them at once, then what links lead to, whose folders alone count against the room. So
    /// a history of any size is walked whole, and a folder that is another root's (a link from one
    /// tool's folder into another's) is that root's, its files read as that tool's. A directory
    /// reached twice (a link loop, or one root inside another) is walked once.
    pub fn walk_all(&mut self, starts: Vec<Start>) {
        self.run(starts.into(), Default::default());
    }

    fn run(&mut self, mut queue: VecDeque<Start>, mut linked: VecDeque<Start>) {
        let mut linked_files = Vec::new();
        let mut through_links = 0;
        loop {
            let (via, (dir, provider, depth, md)) = match queue.pop_front() {
                Some(s) => (false, s),
                None => match linked.pop_front() {
                    Some(s) => (true, s),
                    None => break,
                },
            };
            let (dev, ino) = identity(&dir, &md);
            if depth > 32 || self.seen_dirs.contains(&(dev, ino)) {
                continue;
            }
            if via {
                if through_links >= self.room {
                    self.capped = true;
                    break;
                }
                through_links += 1;
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
                let wanted = || (provider.spec().wanted)(platform::bytes(&ent.file_name()));
                let md = match md {
                    Ok(md) => md,
                    Err(e) => {
                        refused |= e.kind() == std::io::ErrorKind::PermissionDenied;
                        if e.kind() != std::io::ErrorKind::PermissionDenied && wanted() {
                            self.odd.push(platform::bytes(path.as_os_str()).to_vec());
                        }
                        continue;
                    }
                };
                let through = via || ft.is_symlink();
                if md.is_dir() {
                    if ft.is_symlink() && self.not_followed(&md, &path) {
                        self.unfollowed.push(platform::bytes(path.as_os_str()).to_vec());
                    } else if (provider.spec().descend)(depth, platform::bytes(&ent.file_name())) {
                        let next = (path, provider, depth.saturating_add(1), md);
                        if through { linked.push_back(next) } else { queue.push_back(next) }
                    }
                } else if wanted() {
                    let p = platform::bytes(path.as_os_str()).to_vec();
                    if !md.is_file() {
                        self.odd.push(p);
                        continue;
                    }
                    // A file reached through a link counts after the roots' own (one file, one tool).
                    if through { linked_files.push((p, provider, md)) } else { self.files.push((p, provider, md)) }
                }
            }
            // Listed but not searchable (mode 644): its files are kept as last read, as under a
            // folder that cannot be listed at all.
            if refused {
                self.unreadable.push(platform::bytes(dir.as_os_str()).to_vec());
            }
        }
        self.files.extend(linked_files);
    }
}
