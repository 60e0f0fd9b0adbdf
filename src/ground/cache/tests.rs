//! FIFOs, modes and links to devices: what only Unix has.

use super::*;
use std::os::unix::fs::PermissionsExt;

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo touches no memory of ours.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// A folder `name` in `parent`, of exactly `mode`.
fn folder(parent: &Path, name: &str, mode: u32) -> PathBuf {
    let dir = parent.join(name);
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(mode)).unwrap();
    dir
}

#[test]
fn checked_files_round_trip_and_refuse_an_edit() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().join("c"));
    c.write_checked(Item::PromptCache, b"abc\t1\n").unwrap();
    assert_eq!(c.read_checked(Item::PromptCache).unwrap(), b"abc\t1\n");
    let p = c.path(Item::PromptCache);
    let text = fs::read_to_string(&p).unwrap().replace("abc", "abd");
    fs::write(&p, text).unwrap();
    assert!(c.read_checked(Item::PromptCache).is_err(), "an edited copy");
    fs::write(&p, b"abc\t1\n").unwrap();
    assert!(c.read_checked(Item::PromptCache).is_err(), "no checksum line");
    assert_eq!(fs::metadata(d.path().join("c")).unwrap().permissions().mode() & 0o777, 0o700);
    // Larger than a read takes back: not written (every run refused it, and did its work again).
    c.write_checked(Item::PromptCache, b"abc\t1\n").unwrap();
    assert!(c.write_checked(Item::PromptCache, &[b'x'; 4 << 10]).is_err());
    assert_eq!(c.read_checked(Item::PromptCache).unwrap(), b"abc\t1\n", "the copy before stands");
}

#[test]
fn fifos_links_and_devices_are_refused_without_waiting() {
    let d = tempfile::tempdir().unwrap();
    let c = Cache::new(d.path().to_path_buf());
    mkfifo(&c.path(Item::PromptCache));
    let e = c.read(Item::PromptCache).unwrap_err();
    assert!(e.to_string().contains("a FIFO"), "{e}");
    std::os::unix::fs::symlink("/dev/zero", c.path(Item::Problems)).unwrap();
    let e = c.read(Item::Problems).unwrap_err();
    assert!(e.to_string().contains("a link"), "{e}");
    // Kept in place: replaced by a file.
    mkfifo(&c.path(Item::ReadingsLock));
    assert!(c.lock(Item::ReadingsLock).unwrap().is_some());
    assert!(fs::symlink_metadata(c.path(Item::ReadingsLock)).unwrap().is_file());
    let said = fs::read_to_string(c.path(Item::Log)).unwrap();
    assert!(said.contains("readings.lock was a FIFO, not a file runway wrote: replaced"), "{said}");
    fs::remove_file(c.path(Item::Log)).unwrap();
    mkfifo(&c.path(Item::Log));
    c.log("x");
    assert!(fs::read_to_string(c.path(Item::Log)).unwrap().ends_with("] x\n"));
    let found = c.survey();
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn a_directory_anyone_may_write_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let dir = folder(d.path(), "shared", 0o777);
    let c = Cache::new(dir.clone());
    assert!(c.refused().unwrap().contains("every user"), "{:?}", c.refused());
    assert!(c.write(Item::Problems, b"x").is_err());
    assert!(c.read(Item::Problems).is_err());
    c.log("x");
    assert!(!c.path(Item::Log).exists(), "nothing written");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
    assert!(Cache::new(dir).refused().is_none());
}

#[test]
fn a_directory_removed_after_the_run_looked_is_made_again() {
    let d = tempfile::tempdir().unwrap();
    let dir = folder(d.path(), "c", 0o700);
    let c = Cache::new(dir.clone());
    assert_eq!(c.found, Found::Own, "found the user's own: the log for stderr is opened at once");
    for step in 0..4 {
        fs::remove_dir_all(&dir).unwrap();
        match step {
            0 => drop(c.log_file().unwrap()),
            1 => c.write(Item::Problems, b"x").unwrap(),
            2 => drop(c.lock(Item::ReadingsLock).unwrap().unwrap()),
            _ => c.log("x"),
        }
        assert_eq!(fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700, "step {step}");
    }
    assert!(fs::read_to_string(c.path(Item::Log)).unwrap().ends_with("] x\n"));
}

/// Looked at once, at the start, for the log alone: a directory anyone may write to by the time of a
/// later write is refused then.
#[test]
fn a_directory_opened_to_everyone_after_the_run_looked_is_not_written() {
    let d = tempfile::tempdir().unwrap();
    let dir = folder(d.path(), "c", 0o700);
    let c = Cache::new(dir.clone());
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    assert!(c.write(Item::Problems, b"x").is_err());
    assert!(c.lock(Item::ReadingsLock).is_err());
    c.log("x");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "nothing written");
}
