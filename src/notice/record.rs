//! Which notices were given, shared by every shell, pane and tool on the machine: one small file per
//! channel and notice (`Item::Notice`).
//!
//! A notice is claimed by locking its file (never waited for): of two prompts drawn at the same moment
//! one gets it and the other passes. The claimer delivers it and only then marks it given. A claimer
//! that dies in between leaves it unmarked, and the kernel drops its lock with it, so the next prompt
//! delivers the notice: none is lost to a crash (one that dies after delivering and before marking may
//! give it twice, never zero times).
//!
//! Files older than `KEEP` are removed when a new one is made.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::time::{Duration, SystemTime};

use super::{Channel, Key};
use crate::ground::cache::{Cache, Item};
use crate::ground::hash::key;

/// A window lasts a week at most; its notices are kept a little longer.
const KEEP: Duration = Duration::from_secs(9 * 86_400);
const DONE: &[u8] = b"done\n";

fn item(channel: Channel, k: &Key) -> Item<'static> {
    let name = k.name();
    Item::Notice(channel.name(), key("notice", &[channel.name().as_bytes(), name.as_bytes()]))
}

/// A notice this run may deliver on a channel; `done` once delivered.
pub struct Claim {
    file: File,
}

impl Claim {
    pub fn done(mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.rewind()?;
        self.file.write_all(DONE)
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
    /// Its record cannot be made.
    Cannot,
}

fn given(mut f: &File, _md: &std::fs::Metadata) -> bool {
    let mut was = Vec::new();
    f.read_to_end(&mut was).is_ok() && was == DONE
}

/// Claims a notice, unless it was given already or another run is giving it now.
pub fn claim(cache: &Cache, channel: Channel, k: &Key) -> State {
    let it = item(channel, k);
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
pub fn settle(cache: &Cache, channel: Channel, k: &Key) {
    if let State::Mine(c) = claim(cache, channel, k) {
        let _ = c.done();
    }
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
        let c = mine(claim(&cache, shell, &warn)).expect("the first claim");
        assert!(matches!(claim(&cache, shell, &warn), State::Busy), "held: another run passes");
        assert!(mine(claim(&cache, tmux, &warn)).is_some(), "each channel its own");
        drop(c); // died before delivering: the lock goes with it
        let c = mine(claim(&cache, shell, &warn)).expect("given by the next run");
        c.done().unwrap();
        assert!(matches!(claim(&cache, shell, &warn), State::Given), "once");
        settle(&cache, shell, &key(Level::Danger));
        assert!(matches!(claim(&cache, shell, &key(Level::Danger)), State::Given));
    }
}
