//! Which device this is: an id chosen once and kept in the cache directory, with a mark of the
//! machine it was chosen on (`platform::machine_mark`) and of the cache directory's path, so that a
//! cache directory copied to another machine gets an id of its own there instead of writing as the
//! first, and a file this machine wrote under an id it had before is known for what it is; and a
//! readable name, the host name unless the setting `device_name` gives one. A renamed host keeps its
//! id, and so does a device whose histories change (a tool installed, `CODEX_HOME` set): were they
//! part of the mark, the file written before would read as another device's, counted twice.

use crate::ground::cache::{Cache, Item};
use crate::ground::hash::{Hasher, key};
use crate::ground::platform;

#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// 16 hex digits.
    pub id: String,
    pub name: String,
    /// A hash of the machine's mark and the cache directory's path.
    pub machine: u64,
    /// A hash of the machine's mark alone (0 when there is none): another cache directory of this
    /// machine may read the same histories (see `superseded`).
    pub host: u64,
}

/// This device's identity: the kept id when it was chosen on this machine, else a new one (kept).
/// The cache directory counts by its resolved path: reached through a link or spelt with a trailing
/// slash (a tmux server's environment and a shell's), it is the same device, where each spelling once
/// took an id of its own and counted this machine's use again. Resolved only when the spelling at
/// hand is not the one the id was kept under (the `realpath` is a system call a path component).
pub fn of(cache: &Cache, mark: &[u8], name: Option<&str>, host: Option<String>, now_ns: u128) -> Identity {
    let machine_at = |dir: &std::path::Path| key("machine", &[mark, platform::bytes(dir.as_os_str())]);
    let resolved = || machine_at(&resolve(cache.dir()));
    let kept = cache.read_checked(Item::DeviceId).ok().and_then(|b| {
        let text = String::from_utf8(b).ok()?;
        let (id, m) = text.trim().split_once(' ')?;
        let m = u64::from_str_radix(m, 16).ok()?;
        (id.len() == 16 && (m == machine_at(cache.dir()) || m == resolved())).then(|| (id.to_owned(), m))
    });
    let (id, machine) = kept.unwrap_or_else(|| {
        // New: the time, the process and the machine make it; no two devices choose the same.
        let machine = resolved();
        let mut h = Hasher::new("device-id");
        h.part(&now_ns.to_le_bytes()).u64(u64::from(std::process::id())).u64(machine);
        let id = format!("{:016x}", h.finish());
        let _ = cache.write_checked(Item::DeviceId, format!("{id} {machine:016x}\n").as_bytes());
        (id, machine)
    });
    let name = readable(name, host).unwrap_or_else(|| format!("device {}", &id[..6]));
    let host = if mark.is_empty() { 0 } else { key("host", &[mark]) };
    Identity { id, name, machine, host }
}

/// A device's readable name: the setting's, else the host name; cleaned and cut as its file holds it.
pub fn readable(setting: Option<&str>, host: Option<String>) -> Option<String> {
    setting.map(str::to_owned).or(host).map(|n| super::file::clean(&n, 64))
}

/// A path resolved (links followed, `.` and trailing slashes gone); one not made yet, through the
/// folder it will be made in.
fn resolve(dir: &std::path::Path) -> std::path::PathBuf {
    crate::ground::platform::canonical(dir).unwrap_or_else(|_| match (dir.parent(), dir.file_name()) {
        (Some(up), Some(name)) => resolve(up).join(name),
        _ => dir.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_on_its_machine_new_on_another() {
        let d = tempfile::tempdir().unwrap();
        // First through a link, before the cache directory is made.
        #[cfg(unix)]
        let first = {
            std::os::unix::fs::symlink(d.path(), d.path().join("up")).unwrap();
            d.path().join("up/cache")
        };
        #[cfg(not(unix))]
        let first = d.path().join("cache");
        let a = of(&Cache::new(first), b"machine-a", None, Some("laptop".into()), 1);
        let cache = Cache::new(d.path().join("cache"));
        assert_eq!((a.id.len(), a.name.as_str()), (16, "laptop"));
        // Another run, a renamed host: the same id.
        let again = of(&cache, b"machine-a", None, Some("laptop-2".into()), 2);
        assert_eq!((again.id.as_str(), again.name.as_str()), (a.id.as_str(), "laptop-2"));
        // The same cache directory spelt another way: the same device.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.path().join("cache"), d.path().join("link")).unwrap();
            for spelt in [d.path().join("cache/"), d.path().join("link"), d.path().join("link/")] {
                let other = of(&Cache::new(spelt.clone()), b"machine-a", None, Some("laptop".into()), 5);
                assert_eq!((other.id.as_str(), other.machine), (a.id.as_str(), a.machine), "{}", spelt.display());
            }
        }
        // The cache directory copied to another machine: an id of its own there.
        let copied = of(&cache, b"machine-b", Some("desk"), Some("laptop".into()), 3);
        assert_ne!(copied.id, a.id);
        assert_eq!(copied.name, "desk", "the setting names it");
        assert_ne!(copied.machine, a.machine);
        // Another cache directory on the same machine is another device (a second user's, a test's).
        let other = of(&Cache::new(d.path().join("other")), b"machine-a", None, Some("laptop".into()), 4);
        assert_ne!((other.id.as_str(), other.machine), (a.id.as_str(), a.machine));
        // Of the same host, though, which another machine is not, nor one with no mark at all.
        assert_eq!(other.host, a.host);
        assert_ne!(copied.host, a.host);
        let unmarked = of(&Cache::new(d.path().join("third")), b"", None, None, 6);
        assert_eq!(unmarked.host, 0);
    }
}
