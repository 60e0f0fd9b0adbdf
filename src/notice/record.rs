//! Which notices were given, shared by every shell, pane and tool on the machine: one small file per
//! channel and notice (`Item::Notice`).
//!
//! A notice is claimed by locking its file (never waited for): of two prompts drawn at the same moment
//! one gets it and the other passes. The claimer delivers it and only then marks it given. A claimer
//! that dies in between leaves it unmarked, and the kernel drops its lock with it, so the next prompt
//! delivers the notice: none is lost to a crash (one that dies after delivering and before marking may
//! give it twice, never zero times).
//!
//! Given is marked twice: by the file's mode (0400), a change of the inode that needs no free block, so
//! a full disk still takes it and the notice is not given again at every prompt; and by `done` in the
//! file, as earlier versions marked it. A notice whose file cannot be made at all (the cache cannot be
//! written) is not claimed, so not given: given, it could not be marked, and would come at every
//! prompt; `doctor` names it. Files older than `KEEP` are removed when a new one is made.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::time::{Duration, SystemTime};

use super::{Channel, Key};
use crate::ground::cache::{Cache, Item};
use crate::ground::hash::key;
use crate::ground::platform;

/// A window lasts a week at most; its notices are kept a little longer.
const KEEP: Duration = Duration::from_secs(9 * 86_400);
const DONE: &[u8] = b"done\n";
/// The mode of a notice given.
const GIVEN: u32 = 0o400;

/// A notice's record; a replay's (`--now`) are apart from the present's.
fn item(channel: Channel, k: &Key, replay: bool) -> Item<'static> {
    let name = k.name();
    let parts: &[&[u8]] = match replay {
        false => &[channel.name().as_bytes(), name.as_bytes()],
        true => &[channel.name().as_bytes(), name.as_bytes(), b"replay"],
    };
    Item::Notice(channel.name(), key("notice", parts))
}

/// A notice this run may deliver on a channel; `done` once delivered.
pub struct Claim {
    file: File,
}

impl Claim {
    /// Marks it given: the mode first (it needs no free space), then `done`. An error only when
    /// neither could be written.
    pub fn done(mut self) -> io::Result<()> {
        let mode = platform::set_mode(&self.file, GIVEN);
        let text = self.file.set_len(0).and_then(|_| self.file.rewind()).and_then(|_| self.file.write_all(DONE));
        mode.or(text)
    }
}

/// Where a notice stands on a channel.
pub enum State {
    /// This run may give it.
    Mine(Claim),
    /// Given already.
    Given,
    /// Another run is giving it now.
    Busy,
    /// Its record cannot be made, so it is not given (see the module comment; `probe` says why).
    Cannot,
}

fn given(mut f: &File, md: &std::fs::Metadata) -> bool {
    if platform::mode(md) == GIVEN {
        return true;
    }
    let mut was = Vec::new();
    f.read_to_end(&mut was).is_ok() && was == DONE
}

/// Claims a notice, unless it was given already or another run is giving it now.
pub fn claim(cache: &Cache, channel: Channel, k: &Key, replay: bool) -> State {
    let it = item(channel, k, replay);
    // While a window stays past its line every prompt asks again: one read answers "given already",
    // with no lock taken and nothing created.
    match cache.open(it) {
        Ok((f, md)) if given(&f, &md) => return State::Given,
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => prune(cache),
        // Something else under its name: making the record replaces it, or says why it cannot.
        Err(_) => {}
    }
    let locked = match cache.lock(it) {
        Ok(Some(l)) => l,
        Ok(None) => return State::Busy,
        Err(_) => return State::Cannot,
    };
    // Again under the lock: another run may have given it since.
    match locked.file.metadata() {
        Ok(md) if given(&locked.file, &md) => State::Given,
        Ok(_) => State::Mine(Claim { file: locked.file }),
        Err(_) => State::Cannot,
    }
}

/// Marks a notice given without delivering it (a lower level of one just given).
pub fn settle(cache: &Cache, channel: Channel, k: &Key, replay: bool) {
    if let State::Mine(c) = claim(cache, channel, k, replay) {
        let _ = c.done();
    }
}

/// Where a notice stands, for `doctor`: whether it was given, or why it cannot be (its record is made
/// if it can be, as a run that gives it would; nothing is locked or marked).
pub fn probe(cache: &Cache, channel: Channel, k: &Key, replay: bool) -> Result<bool, io::Error> {
    let it = item(channel, k, replay);
    if let Ok((f, md)) = cache.open(it) {
        return Ok(given(&f, &md));
    }
    cache.open_in_place(it).map(|_| false)
}

fn prune(cache: &Cache) {
    let now = SystemTime::now();
    for (name, md) in cache.list(Some(Item::NoticesDir)) {
        if md.modified().is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d > KEEP)) {
            let _ = cache.remove_in(Item::NoticesDir, &name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::provider::Provider;
    use crate::ground::window::Window;
    use crate::notice::{About, Level};

    fn key(level: Level) -> Key {
        let about = About::Window {
            provider: Provider::CLAUDE,
            window: Window::FiveHour,
            bucket: String::new(),
            reset_minute: 29,
        };
        Key { about, level }
    }

    fn mine(s: State) -> Option<Claim> {
        match s {
            State::Mine(c) => Some(c),
            _ => None,
        }
    }

    #[test]
    fn once_and_not_lost() {
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().to_path_buf());
        let (shell, tmux, warn) = (Channel::Shell, Channel::Tmux, key(Level::Warn));
        let c = mine(claim(&cache, shell, &warn, false)).expect("the first claim");
        assert!(matches!(claim(&cache, shell, &warn, false), State::Busy), "held: another run passes");
        assert!(mine(claim(&cache, tmux, &warn, false)).is_some(), "each channel its own");
        drop(c); // died before delivering: the lock goes with it
        let c = mine(claim(&cache, shell, &warn, false)).expect("given by the next run");
        c.done().unwrap();
        assert!(matches!(claim(&cache, shell, &warn, false), State::Given), "once");
        assert!(probe(&cache, shell, &warn, false).unwrap());
        settle(&cache, shell, &key(Level::Danger), false);
        assert!(matches!(claim(&cache, shell, &key(Level::Danger), false), State::Given));
        // A replay's are its own: the present's notice stays to be given.
        assert!(mine(claim(&cache, shell, &key(Level::Limit), true)).unwrap().done().is_ok());
        assert!(mine(claim(&cache, shell, &key(Level::Limit), false)).is_some(), "a replay took it");
        assert!(!probe(&cache, shell, &warn, true).unwrap(), "given in the present, not yet in a replay");
    }

    #[test]
    fn a_notice_marked_by_its_mode_alone_is_given() {
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().to_path_buf());
        let k = key(Level::Limit);
        let c = mine(claim(&cache, Channel::Desktop, &k, false)).unwrap();
        // As a full disk leaves it: the mode set, no byte written.
        platform::set_mode(&c.file, GIVEN).unwrap();
        drop(c);
        assert!(matches!(claim(&cache, Channel::Desktop, &k, false), State::Given));
        // And one whose record cannot be made is not claimed.
        let blocked = Cache::new(d.path().join("file"));
        std::fs::write(d.path().join("file"), "").unwrap();
        assert!(matches!(claim(&blocked, Channel::Shell, &k, false), State::Cannot));
        assert!(probe(&blocked, Channel::Shell, &k, false).is_err());
    }
}
