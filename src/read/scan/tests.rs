use super::*;

/// The file table a first full walk gives.
struct Owned {
    files: Vec<FileEntry>,
    dirs: Vec<DirEntry>,
}

impl Owned {
    fn table(&self) -> Table<'_> {
        Table { files: &self.files, dirs: &self.dirs, complete: true }
    }
}

fn table(roots: &[Root]) -> Owned {
    let s = full(roots, Table { files: &[], dirs: &[], complete: true });
    let mut t = Owned { files: Vec::new(), dirs: s.dirs.unwrap_or_default() };
    for c in s.changes {
        if let Change::New { path, provider, .. } = c {
            let md = fs::metadata(path_of(&path)).unwrap();
            let (dev, ino) = identity(path_of(&path), &md);
            t.files.push(FileEntry {
                dev,
                ino,
                size: md.len(),
                mtime_ns: mtime_ns(&md),
                ctime_ns: crate::ground::platform::ctime_ns(&md),
                unreadable: false,
                ..FileEntry::unreadable(path, provider, t.files.len() as u32)
            });
        }
    }
    t
}

fn now_ns() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as i64
}

fn names(s: &Scan) -> (Vec<String>, usize, usize) {
    let mut new: Vec<String> = Vec::new();
    let (mut changed, mut gone) = (0, 0);
    for c in &s.changes {
        match c {
            Change::New { path, .. } => new.push(String::from_utf8_lossy(path).rsplit('/').next().unwrap().to_owned()),
            Change::Changed { .. } => changed += 1,
            Change::Gone { .. } => gone += 1,
        }
    }
    new.sort();
    (new, changed, gone)
}

#[test]
fn finds_new_grown_and_gone_files_quickly() {
    let d = tempfile::tempdir().unwrap();
    let projects = d.path().join("projects");
    let proj = projects.join("-home-u-p");
    fs::create_dir_all(proj.join("s1/subagents")).unwrap();
    fs::write(proj.join("s1.jsonl"), "a\n").unwrap();
    fs::write(proj.join("s1/subagents/agent-a1.jsonl"), "a\n").unwrap();
    fs::write(proj.join("notes.txt"), "x").unwrap();
    fs::create_dir(proj.join("dir.jsonl")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(proj.join("missing"), proj.join("dangling.jsonl")).unwrap();
    let roots = vec![Root { provider: Provider::CLAUDE, path: projects.clone() }];
    let t = table(&roots);
    assert_eq!(t.files.len(), 2, "only regular *.jsonl files: {:?}", t.files);
    assert!(quick(&roots, t.table(), now_ns()).is_empty());

    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(proj.join("s2.jsonl"), "b\n").unwrap(); // new session in a project dir
    fs::write(proj.join("s1/subagents/agent-a2.jsonl"), "b\n").unwrap(); // new subagent file
    fs::write(proj.join("s1.jsonl"), "a\nmore\n").unwrap(); // grown
    fs::remove_file(proj.join("s1/subagents/agent-a1.jsonl")).unwrap(); // gone
    let s = quick(&roots, t.table(), now_ns());
    assert_eq!(names(&s), (vec!["agent-a2.jsonl".to_owned(), "s2.jsonl".to_owned()], 1, 1));
}

#[test]
fn a_new_session_in_an_idle_project_shows_at_once() {
    // A project untouched for three days: its directory is no longer "recent", but it is a child of
    // the root, so the quick check still stats it and finds the new session file.
    let d = tempfile::tempdir().unwrap();
    let projects = d.path().join("projects");
    let proj = projects.join("-home-u-idle");
    fs::create_dir_all(&proj).unwrap();
    fs::write(proj.join("old.jsonl"), "a\n").unwrap();
    let three_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 86_400);
    for p in [proj.join("old.jsonl"), proj.clone()] {
        fs::File::open(&p).unwrap().set_modified(three_days_ago).unwrap();
    }
    let roots = vec![Root { provider: Provider::CLAUDE, path: projects.clone() }];
    let t = table(&roots);
    let aged = t.dirs.iter().find(|x| x.depth == 1).unwrap();
    assert!(now_ns() - aged.mtime_ns > HOT_DIR_NS, "the project dir is idle");
    fs::write(proj.join("new.jsonl"), "b\n").unwrap();
    assert_eq!(names(&quick(&roots, t.table(), now_ns())).0, vec!["new.jsonl"]);
}

#[test]
fn cold_files_wait_for_the_full_walk() {
    let d = tempfile::tempdir().unwrap();
    let proj = d.path().join("projects/p");
    fs::create_dir_all(&proj).unwrap();
    fs::write(proj.join("old.jsonl"), "a\n").unwrap();
    let roots = vec![Root { provider: Provider::CLAUDE, path: d.path().join("projects") }];
    let mut t = table(&roots);
    // Pretend the file was last touched a day ago: the quick check no longer stats it.
    t.files[0].mtime_ns -= 24 * 3_600_000_000_000;
    fs::write(proj.join("old.jsonl"), "a\nb\n").unwrap();
    assert!(quick(&roots, t.table(), now_ns()).changes.is_empty());
    assert_eq!(full(&roots, t.table()).changes.len(), 1);
}

#[test]
fn codex_wants_rollouts_only() {
    assert!(wanted(Provider::CODEX, b"rollout-2026-05-11T11-26-55-x.jsonl"));
    assert!(!wanted(Provider::CODEX, b"history.jsonl"));
    assert!(wanted(Provider::CLAUDE, b"agent-a1.jsonl"));
}

#[cfg(unix)]
#[test]
fn the_roots_own_trees_are_walked_whole_and_what_links_lead_to_within_its_room() {
    // Root A holds a deep tree of its own and a link to a deep tree outside (as a link to a large
    // one would), root B a session one level down: with room for three folders through links, A's
    // and B's own files are found, the linked tree is cut, and its file, read before, is not taken
    // for gone.
    let d = tempfile::tempdir().unwrap();
    let (a, b, outside) = (d.path().join("a"), d.path().join("b"), d.path().join("outside"));
    let deep = |top: &Path, name: &str| {
        let mut p = top.to_path_buf();
        for i in 0..10 {
            p = p.join(format!("d{i}"));
        }
        fs::create_dir_all(&p).unwrap();
        fs::write(p.join(name), "a\n").unwrap();
    };
    deep(&a, "own.jsonl");
    deep(&outside, "linked.jsonl");
    std::os::unix::fs::symlink(&outside, a.join("ext")).unwrap();
    fs::create_dir_all(b.join("p")).unwrap();
    fs::write(b.join("p/s.jsonl"), "b\n").unwrap();
    let roots = vec![
        Root { provider: Provider::CLAUDE, path: a.clone() },
        Root { provider: Provider::CLAUDE, path: b.clone() },
    ];
    let t = table(&roots);
    assert_eq!(t.files.len(), 3);
    let s = full_within(&roots, t.table(), 3);
    assert_eq!(names(&s), (vec![], 0, 0), "nothing new, nothing gone");
    let w = walked(&roots, 3);
    assert!(w.capped);
    let mut found: Vec<String> =
        w.files.iter().map(|f| String::from_utf8_lossy(&f.0).rsplit('/').next().unwrap().to_owned()).collect();
    found.sort();
    assert_eq!(found, ["own.jsonl", "s.jsonl"]);
}

#[cfg(unix)]
#[test]
fn a_link_into_another_roots_tree_leaves_it_that_roots() {
    // `ln -s ~/.codex/sessions/2026/05/11 ~/.claude/projects/-shortcut`: the day folder is Codex's,
    // its rollout read as Codex's (the link, one level down, came before Codex's own three, and the
    // rollout was read as a Claude Code session: Codex showed nothing).
    let d = tempfile::tempdir().unwrap();
    let (claude, codex) = (d.path().join("projects"), d.path().join("sessions"));
    let day = codex.join("2026/05/11");
    fs::create_dir_all(&day).unwrap();
    fs::create_dir_all(&claude).unwrap();
    fs::write(day.join("rollout-2026-05-11T11-26-55-x.jsonl"), "a\n").unwrap();
    std::os::unix::fs::symlink(&day, claude.join("-shortcut")).unwrap();
    // And a link to the file itself: one file, Codex's.
    std::os::unix::fs::symlink(day.join("rollout-2026-05-11T11-26-55-x.jsonl"), claude.join("r.jsonl")).unwrap();
    let roots = vec![
        Root { provider: Provider::CLAUDE, path: claude.clone() },
        Root { provider: Provider::CODEX, path: codex.clone() },
    ];
    let s = full(&roots, Table { files: &[], dirs: &[], complete: true });
    let taken: Vec<Provider> = s
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::New { provider, .. } => Some(*provider),
            _ => None,
        })
        .collect();
    assert_eq!(taken, [Provider::CODEX]);
}

#[cfg(unix)]
#[test]
fn a_link_to_a_folder_above_the_history_is_not_followed() {
    let d = tempfile::tempdir().unwrap();
    let projects = d.path().join("home/.claude/projects");
    fs::create_dir_all(projects.join("p")).unwrap();
    fs::write(projects.join("p/s.jsonl"), "a\n").unwrap();
    fs::write(d.path().join("elsewhere.jsonl"), "x\n").unwrap();
    std::os::unix::fs::symlink(d.path(), projects.join("up")).unwrap();
    std::os::unix::fs::symlink(d.path().join("home"), projects.join("p/home")).unwrap();
    // Nor one into the kernel's own trees, through another link too; a real folder reached through
    // `/proc` is followed (a link to `/proc/self/cwd` is the folder the run started in).
    std::os::unix::fs::symlink("/proc", projects.join("proc")).unwrap();
    std::os::unix::fs::symlink("/sys/kernel", d.path().join("k")).unwrap();
    std::os::unix::fs::symlink(d.path().join("k"), projects.join("p/k")).unwrap();
    let roots = vec![Root { provider: Provider::CLAUDE, path: projects.clone() }];
    let w = walked(&roots, MAX_DIRS);
    assert_eq!(w.files.len(), 1, "only the history's own file");
    assert_eq!(w.unfollowed.len(), 4);
    assert!(!walker::in_kernel_tree(Path::new("/proc/self/cwd")));
}
