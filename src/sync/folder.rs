//! The sync folder as runway sees it: `<sync_dir>/runway/`, one file per device, `<id>.device`,
//! replaced whole (a temporary file and a rename, so a sync tool never ships half a file). What the
//! replication does to a folder is expected: conflict copies (`<id>.sync-conflict-….device`,
//! `<id> (…'s conflicted copy ….device`, `<id>-1.device`) are read like the file and the newest
//! valid copy of a device counts; a sync tool's temporary files, a file still arriving, one from a
//! newer runway, garbage, a 100 MB file, a FIFO, a link, this machine under an id it had before: each
//! is left out and listed with why (`doctor`). Nothing in it blocks: only regular files are opened,
//! never through a link, at most `MAX_BYTES` read.
//!
//! `status` reads the devices' last eight days from a copy kept in the cache while no file in the
//! folder changed (its names, sizes, times): a listing and a stat a file. A prompt reads them added
//! up (`sync::elsewhere`), kept under the same key.

use std::io;
use std::path::{Path, PathBuf};

use super::file::{self, DeviceFile, Hour, MAX_BYTES, Refused};
use super::identity::Identity;
use super::kept::{Entry, Kept, Stamp, keep, kept};
use super::superseded;
use crate::ground::cache::Cache;
use crate::ground::files::{read_bounded, write_atomic};
use crate::ground::hash::Hasher;
use crate::ground::platform;
use crate::ground::time::{DAY_MS, HOUR_MS};

/// Why a file is left out when it could not be opened or read (not for what it holds).
const UNREADABLE: &str = "unreadable: ";

/// runway's folder inside the sync folder.
pub const SUBDIR: &str = "runway";
/// What a prompt needs of the other devices: their last eight days (a week's window and the day
/// before it).
pub const RECENT_MS: i64 = 8 * DAY_MS;

/// The other devices, and the files left out with why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    pub devices: Vec<DeviceFile>,
    pub ignored: Vec<(String, String)>,
    /// What is counted hangs on this device's own file too (another cache directory of this machine
    /// gave way to it): a copy of it is good only while that file is unchanged.
    pub own_used: bool,
    /// The folder held more than `MAX_ENTRIES`: none of it was read.
    pub crowded: bool,
}

pub fn folder(sync_dir: &Path) -> PathBuf {
    sync_dir.join(SUBDIR)
}

/// This device's file.
pub fn own_file(sync_dir: &Path, me: &Identity) -> PathBuf {
    folder(sync_dir).join(format!("{}.device", me.id))
}

/// Writes this device's file: a temporary file beside it (hidden, named so no reader takes it) and a
/// rename. The sync folder itself is the sync tool's: only runway's folder in it is made, so a
/// misspelt `sync_dir` fails rather than sharing with no one.
pub fn write(sync_dir: &Path, me: &Identity, bytes: &[u8]) -> io::Result<()> {
    usable(sync_dir).map_err(io::Error::other)?;
    match std::fs::create_dir(folder(sync_dir)) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    write_atomic(&own_file(sync_dir, me), bytes)
}

/// Whether `sync_dir` is a folder this device can write its file into (`doctor` asks before any
/// write): why not, if not.
pub fn usable(sync_dir: &Path) -> Result<(), String> {
    match std::fs::metadata(sync_dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(format!(
                "sync_dir {} does not exist (runway makes no sync folder: the sync tool does)",
                sync_dir.display()
            ));
        }
        Err(e) => return Err(format!("sync_dir {}: {e}", sync_dir.display())),
        Ok(md) if !md.is_dir() => return Err(format!("sync_dir {} is not a folder", sync_dir.display())),
        Ok(_) => {}
    }
    Ok(())
}

/// Whether a file's name is one of a device's files: its id, then anything a sync tool adds, and
/// `device` (its own name or a conflict copy).
fn device_name(name: &str) -> bool {
    name.len() > 16 && name.as_bytes()[..16].iter().all(u8::is_ascii_hexdigit) && name[16..].contains("device")
}

/// A sync tool's temporary or partial file.
fn temporary(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('~') || name.ends_with(".tmp") || name.contains(".syncthing.")
}

/// Reads the other devices' files (the eight days before `now` of each when `recent`, else all of
/// it); a file is checked against the real clock, `wall` (`now` may be a replay's).
pub fn read(sync_dir: &Path, me: &Identity, (now, wall): (i64, i64), cache: &Cache, recent: bool) -> Seen {
    read_keyed(sync_dir, me, (now, wall), cache, recent, None).map_or_else(Seen::default, |r| r.0)
}

/// What a prompt reads of the device files not taken from the kept copy: a file is read and checked
/// at about 13 ms a MiB (50 files of 1 MiB took a prompt 0.7 s, 200 took 2.5 s, before this). A
/// device's file is some 20 KB (64 real ones were 1.1 MB), so a look at dozens fits; more is left to
/// the background helper, a part of it read and kept by each prompt until then.
pub const PROMPT_BYTES: u64 = 1 << 20;

/// The folder as `listing` sees it: its device files' names and stats (sorted by name), the files
/// left out with why, and a key that changes when any of it does, or with the hour.
struct Listing {
    names: Vec<(String, std::fs::Metadata)>,
    stamps: Vec<Stamp>,
    ignored: Vec<(String, String)>,
    key: u64,
    /// When this device's own file was written (ms), when it is there: not part of the key.
    own: Option<i64>,
    /// No file changed within `RACY_MS` of the look (else the key is this look's alone, and the copy
    /// kept under it is never read back).
    settled: bool,
    crowded: bool,
}

/// The key of what the folder holds now (see `Listing`): a listing and a stat a file, no read; and
/// when this device's own file was written, seen on the way (`publish` asks it of every prompt:
/// three system calls saved); and whether the look is settled (see `settled`).
pub fn key(sync_dir: &Path, me: &Identity, at: (i64, i64)) -> Option<(u64, Option<i64>, bool)> {
    listing(&folder(sync_dir), me, at).map(|l| (l.key, l.own, l.settled))
}

/// How long after a change a file's or the folder's stat may still not tell a second change: a
/// timestamp is as coarse as 2 s (FAT), 1 s (ext4's small inodes, HFS+, many network shares), a
/// clock tick on older kernels. A look this soon after a change is not trusted later (git's "racily
/// clean" entries, the same way).
pub const RACY_MS: i64 = 2_000;

/// Whether a look at `wall` (ms) is settled for something last changed at `changed_ns`: a change
/// after the look would show another time. A time further ahead of this clock than `RACY_MS` was
/// set, not stamped by this clock (a sync tool copies a fast peer's times): a change after the look
/// is stamped with this clock's time, another one, so it settles too (where it never did, and every
/// prompt read the whole folder again).
pub fn settled(changed_ns: i64, wall: i64) -> bool {
    let ago = wall - changed_ns.div_euclid(1_000_000);
    !(-RACY_MS..RACY_MS).contains(&ago)
}

/// The folder's own stat (its path and identity, its times), with this device and the hour: it
/// changes when a file is added to the folder, removed or renamed into it (a sync tool's write,
/// runway's own), or when the folder is another one, not when a file is rewritten in place. One
/// stat, where `key` lists the folder and stats each file. With it, whether it is settled.
pub fn stamp(sync_dir: &Path, me: &Identity, (now, wall): (i64, i64)) -> Option<(u64, bool)> {
    let dir = folder(sync_dir);
    let md = std::fs::metadata(&dir).ok().filter(|md| md.is_dir())?;
    let (mtime, ctime) = (platform::mtime_ns(&md), platform::ctime_ns(&md));
    let (dev, ino) = platform::identity(&dir, &md);
    let mut h = Hasher::new("folder-stamp");
    h.part(platform::bytes(dir.as_os_str())).u64(dev).u64(ino).u64(mtime as u64).u64(ctime as u64);
    h.part(me.id.as_bytes()).u64(me.machine);
    let stamp = h.u64((wall / HOUR_MS) as u64).u64((now / HOUR_MS) as u64).finish();
    Some((stamp, settled(ctime, wall)))
}

/// The most entries a look at the folder takes: a folder of devices holds a few dozen (a file a
/// device and id, its conflict copies). One holding more is not read at all, and `doctor` says so:
/// 100,000 files of junk cost every prompt after a change 0.4 s of stats (now 8 ms); 4,096 of them,
/// read, 16 ms.
pub const MAX_ENTRIES: usize = 4096;

fn listing(dir: &Path, me: &Identity, (now, wall): (i64, i64)) -> Option<Listing> {
    let rd = std::fs::read_dir(dir).ok()?;
    let mut names: Vec<(String, std::fs::Metadata)> = Vec::new();
    let (mut ignored, mut own) = (Vec::new(), None);
    let mine = format!("{}.device", me.id);
    let own_of = |md: std::fs::Metadata| md.is_file().then(|| platform::mtime_ns(&md) / 1_000_000);
    // Counted before any is looked at: the names alone, no stat.
    let entries: Vec<std::fs::DirEntry> = rd.flatten().take(MAX_ENTRIES + 1).collect();
    if entries.len() > MAX_ENTRIES {
        let own = std::fs::symlink_metadata(dir.join(&mine)).ok().and_then(own_of);
        let why = format!("more than {MAX_ENTRIES} entries: none of them read");
        let key = Hasher::new("crowded").u64((wall / HOUR_MS) as u64).u64((now / HOUR_MS) as u64).finish();
        let (names, stamps) = (Vec::new(), Vec::new());
        let ignored = vec![(format!("{SUBDIR}/"), why)];
        return Some(Listing { names, stamps, ignored, key, own, settled: true, crowded: true });
    }
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name == mine {
            own = e.metadata().ok().and_then(own_of);
            continue;
        }
        if temporary(&name) {
            ignored.push((name, "a sync tool's temporary file".into()));
            continue;
        }
        if !device_name(&name) {
            ignored.push((name, "not a device file".into()));
            continue;
        }
        // Never followed, never opened unless regular: a link out of the folder, a FIFO, a folder.
        // (The entry's own stat, relative to the open folder: no walk of the folder's path again.)
        match e.metadata() {
            Ok(md) if md.is_file() && md.len() <= MAX_BYTES => names.push((name, md)),
            Ok(md) if md.is_file() => ignored.push((name, format!("larger than {} KiB", MAX_BYTES >> 10))),
            Ok(md) => ignored.push((name, format!("{}, not a file", platform::kind(&md)))),
            Err(e) => ignored.push((name, format!("{UNREADABLE}{e}"))),
        }
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    // With the change time: a file rewritten in place at its size with its time put back shows a
    // new one.
    let stamps: Vec<Stamp> = names
        .iter()
        .map(|(n, md)| {
            (md.len(), platform::mtime_ns(md), platform::identity(&dir.join(n), md).1, platform::ctime_ns(md))
        })
        .collect();
    let settled = stamps.iter().all(|s| settled_stamp(s, wall));
    let key = {
        // (The layout of the copy is part of its key: an older runway's copy, by model, is read again.)
        let mut h = Hasher::new("devices-by-hour-with-host");
        for ((n, _), s) in names.iter().zip(&stamps) {
            h.part(n.as_bytes()).u64(s.0).u64(s.1 as u64).u64(s.2).u64(s.3 as u64);
        }
        if !settled {
            h.u64(wall as u64).u64(u64::from(std::process::id()));
        }
        // Re-read once an hour too: what counts as recent, and a silent device, move with the clock.
        h.u64((wall / HOUR_MS) as u64).u64((now / HOUR_MS) as u64).finish()
    };
    Some(Listing { names, stamps, ignored, key, own, settled, crowded: false })
}

/// Settled by the change time alone: this clock stamps it at every change, where a sync tool may set
/// the modification time to a fast peer's, which would call a look settled seconds after a change.
/// (Windows has no change time: its stand-in is the modification time.)
fn settled_stamp(s: &Stamp, wall: i64) -> bool {
    settled(s.3, wall)
}

/// `read`, the key of the listing it read (see `Listing`), and when what it read may change with
/// the files unchanged (a file refused as written ahead of this clock taken: `i64::MAX` for none).
/// `None` when the files it would read pass `budget` bytes: those it read are kept for the next look.
pub fn read_keyed(
    sync_dir: &Path,
    me: &Identity,
    (now, wall): (i64, i64),
    cache: &Cache,
    recent: bool,
    budget: Option<u64>,
) -> Option<(Seen, u64, i64)> {
    let dir = folder(sync_dir);
    let Some(Listing { names, stamps, mut ignored, key, crowded, .. }) = listing(&dir, me, (now, wall)) else {
        return Some((Seen::default(), 0, i64::MAX));
    };
    let hours = (now / HOUR_MS, wall / HOUR_MS);
    let (entries, recheck) = match recent.then(|| kept(cache)).flatten() {
        Some(k) if k.key == key && wall < k.recheck => (k.entries, k.recheck),
        earlier => {
            // Of an earlier look in the same hours, each file taken then and showing the same stat
            // now: one new file in a folder of 64 read them all again (0.5 s).
            // A file refused for being written ahead of this clock may be taken later within the
            // hour: the copy is kept until then (`Refused::taken_from`), not read at every prompt.
            // Refused files are taken too until the earliest of those times (one that is not
            // refused for its time stays so while its stat does): damaged copies past a prompt's
            // budget were read again at every look, and blanked the prompt after every change.
            // (A file that could not be opened is looked at again: a sync tool or a scanner may hold
            // it for a moment, with its stat as it was.)
            let by_content =
                |e: &Entry| e.held.as_ref().is_ok() || e.held.as_ref().is_err_and(|w| !w.starts_with(UNREADABLE));
            let (mut taken, mut recheck) = match earlier.filter(|k| k.hours == hours) {
                Some(k) if wall < k.recheck => (k.entries.into_iter().filter(by_content).collect(), k.recheck),
                Some(k) => (k.entries.into_iter().filter(|e| e.held.is_ok()).collect(), i64::MAX),
                None => (Vec::new(), i64::MAX),
            };
            let mut spent = 0u64;
            let mut entries: Vec<Entry> = Vec::with_capacity(names.len());
            for ((n, md), s) in names.iter().zip(&stamps) {
                // A stamp seen too soon after its change is kept as one no file has: read again.
                let stamp = if settled_stamp(s, wall) { *s } else { (s.0, s.1, s.2, i64::MIN) };
                if let Some(i) = taken.iter().position(|e| e.name == *n && e.stamp == stamp) {
                    entries.push(taken.swap_remove(i));
                    continue;
                }
                spent += md.len();
                if budget.is_some_and(|b| spent > b) {
                    // Kept under a key no listing has: the next look takes these and reads on.
                    if recent {
                        entries.extend(taken);
                        keep(cache, &Kept { key: 0, recheck, hours, entries });
                    }
                    return None;
                }
                let held =
                    read_bounded(&dir.join(n), MAX_BYTES).map_err(|e| format!("{UNREADABLE}{e}")).and_then(|b| {
                        file::decode(&b, wall).map_err(|r: Refused| {
                            recheck = recheck.min(r.taken_from());
                            r.words()
                        })
                    });
                let held = held.map(|mut f| {
                    if recent {
                        for t in &mut f.tools {
                            t.hours = hours_of(std::mem::take(&mut t.hours), now);
                        }
                        f.projects.clear();
                    }
                    f
                });
                entries.push(Entry { name: n.clone(), stamp, held });
            }
            let k = Kept { key, recheck, hours, entries };
            if recent {
                keep(cache, &k);
            }
            (k.entries, recheck)
        }
    };
    // Of each device, the newest valid copy; this device under another id is not another device.
    let mut devices: Vec<DeviceFile> = Vec::new();
    for e in entries {
        match e.held {
            Err(why) => ignored.push((e.name, why)),
            Ok(f) if f.id == me.id => ignored.push((e.name, "this device's own (a copy)".into())),
            Ok(f) => match devices.iter_mut().find(|d| d.id == f.id) {
                Some(d) if d.written_at >= f.written_at => ignored.push((e.name, "an older copy".into())),
                Some(d) => {
                    ignored.push((format!("{}.device", d.id), "an older copy".into()));
                    *d = f;
                }
                None => devices.push(f),
            },
        }
    }
    // This machine under an id its cache had before (or a clone's, sharing its cache path), or
    // another cache directory of it: its hours may be this device's own, read again. This device's
    // own file (one read, only then) is what they give way to, hour by hour.
    let (same_machine, mut devices): (Vec<_>, Vec<_>) = devices.into_iter().partition(|d| d.machine == me.machine);
    let own_used = !same_machine.is_empty() || (me.host != 0 && devices.iter().any(|d| d.host == me.host));
    let own = own_used
        .then(|| read_bounded(&dir.join(format!("{}.device", me.id)), MAX_BYTES).ok())
        .flatten()
        .and_then(|b| file::decode(&b, wall).ok())
        .filter(|f| f.id == me.id);
    // Without it (its first run, before its file is written) such a file is left out whole, as it
    // always was: this machine's own use, read again, most likely.
    for f in same_machine {
        match own {
            Some(_) => devices.push(f),
            None => ignored.push((format!("{}.device", f.id), "this machine, under an id its cache had before".into())),
        }
    }
    let (mut devices, gave_way) = superseded::resolve(devices, own.as_ref());
    ignored.extend(gave_way);
    devices.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Some((Seen { devices, ignored, own_used, crowded }, key, recheck))
}

/// A tool's hours as a prompt needs them: the eight days before `now`, each hour one figure, its
/// models added up (what the windows sum; `report` reads the files whole). Five devices' heavy
/// months kept by model cost a warm prompt 0.8 ms, decoded and summed (benches/bench.sh).
fn hours_of(mut hours: Vec<Hour>, now: i64) -> Vec<Hour> {
    hours.retain(|h| h.start >= now - RECENT_MS && h.start <= now + HOUR_MS);
    hours.sort_by_key(|h| h.start);
    let mut out: Vec<Hour> = Vec::with_capacity(hours.len().min(8 * 24 + 1));
    for h in hours {
        match out.last_mut() {
            Some(o) if o.start == h.start => {
                o.calls += h.calls;
                o.sums += h.sums;
            }
            _ => out.push(Hour { model: String::new(), ..h }),
        }
    }
    out
}

#[cfg(test)]
mod tests;
