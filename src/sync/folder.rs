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

use super::file::{self, DeviceFile, Hour, MAX_BYTES, Refused, ToolUse};
use super::identity::Identity;
use crate::ground::cache::{Cache, Item};
use crate::ground::codec::{Reader, Writer};
use crate::ground::evidence::Reading;
use crate::ground::files::{read_bounded, write_atomic};
use crate::ground::hash::Hasher;
use crate::ground::platform;
use crate::ground::provider::Provider;
use crate::ground::time::{DAY_MS, HOUR_MS};
use crate::ground::tokens::Sums;
use crate::ground::window::Window;

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
}

pub fn folder(sync_dir: &Path) -> PathBuf {
    sync_dir.join(SUBDIR)
}

/// This device's file.
pub fn own_file(sync_dir: &Path, me: &Identity) -> PathBuf {
    folder(sync_dir).join(format!("{}.device", me.id))
}

/// Writes this device's file: a temporary file beside it (hidden, named so no reader takes it) and a
/// rename.
pub fn write(sync_dir: &Path, me: &Identity, f: &DeviceFile) -> io::Result<()> {
    let dir = folder(sync_dir);
    std::fs::create_dir_all(&dir)?;
    write_atomic(&own_file(sync_dir, me), &file::encode(f))
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

/// One file of the folder as read: its name and stat, and what it held.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    name: String,
    stamp: (u64, i64, u64),
    held: Result<DeviceFile, String>,
}

/// Reads the other devices' files (the eight days before `now` of each when `recent`, else all of
/// it); a file is checked against the real clock, `wall` (`now` may be a replay's).
pub fn read(sync_dir: &Path, me: &Identity, (now, wall): (i64, i64), cache: &Cache, recent: bool) -> Seen {
    read_keyed(sync_dir, me, (now, wall), cache, recent).0
}

/// The folder as `listing` sees it: its device files' names and stats (sorted by name), the files
/// left out with why, and a key that changes when any of it does, or with the hour.
struct Listing {
    names: Vec<(String, std::fs::Metadata)>,
    stamps: Vec<(u64, i64, u64)>,
    ignored: Vec<(String, String)>,
    key: u64,
    /// When this device's own file was written (ms), when it is there: not part of the key.
    own: Option<i64>,
}

/// The key of what the folder holds now (see `Listing`): a listing and a stat a file, no read; and
/// when this device's own file was written, seen on the way (`publish` asks it of every prompt:
/// three system calls saved).
pub fn key(sync_dir: &Path, me: &Identity, at: (i64, i64)) -> Option<(u64, Option<i64>)> {
    listing(&folder(sync_dir), me, at).map(|l| (l.key, l.own))
}

/// The folder's own stat, with this device and the hour: it changes when a file is added to the
/// folder, removed or renamed into it (a sync tool's write, runway's own), not when one is rewritten
/// in place. One stat, where `key` lists the folder and stats each file.
pub fn stamp(sync_dir: &Path, me: &Identity, (now, wall): (i64, i64)) -> Option<u64> {
    let md = std::fs::metadata(folder(sync_dir)).ok().filter(|md| md.is_dir())?;
    let mut h = Hasher::new("folder-stamp");
    h.u64(platform::mtime_ns(&md) as u64).u64(platform::ctime_ns(&md) as u64);
    h.part(me.id.as_bytes()).u64(me.machine);
    Some(h.u64((wall / HOUR_MS) as u64).u64((now / HOUR_MS) as u64).finish())
}

fn listing(dir: &Path, me: &Identity, (now, wall): (i64, i64)) -> Option<Listing> {
    let rd = std::fs::read_dir(dir).ok()?;
    let mut names: Vec<(String, std::fs::Metadata)> = Vec::new();
    let (mut ignored, mut own) = (Vec::new(), None);
    let mine = format!("{}.device", me.id);
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name == mine {
            own = e.metadata().ok().filter(|md| md.is_file()).and_then(|md| super::due::written(&md));
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
            Err(e) => ignored.push((name, format!("unreadable: {e}"))),
        }
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let stamps: Vec<(u64, i64, u64)> = names
        .iter()
        .map(|(n, md)| (md.len(), platform::mtime_ns(md), platform::identity(&dir.join(n), md).1))
        .collect();
    let key = {
        // (The layout of the copy is part of its key: an older runway's copy, by model, is read again.)
        let mut h = Hasher::new("devices-by-hour");
        for ((n, _), s) in names.iter().zip(&stamps) {
            h.part(n.as_bytes()).u64(s.0).u64(s.1 as u64).u64(s.2);
        }
        // Re-read once an hour too: what counts as recent, and a silent device, move with the clock.
        h.u64((wall / HOUR_MS) as u64).u64((now / HOUR_MS) as u64).finish()
    };
    Some(Listing { names, stamps, ignored, key, own })
}

/// `read`, and the key of the listing it read (see `Listing`).
pub fn read_keyed(sync_dir: &Path, me: &Identity, (now, wall): (i64, i64), cache: &Cache, recent: bool) -> (Seen, u64) {
    let dir = folder(sync_dir);
    let Some(Listing { names, stamps, mut ignored, key, .. }) = listing(&dir, me, (now, wall)) else {
        return (Seen::default(), 0);
    };
    let kept = recent.then(|| kept(cache, key)).flatten();
    let entries: Vec<Entry> = match kept {
        Some(e) => e,
        None => {
            let e: Vec<Entry> = names
                .iter()
                .zip(&stamps)
                .map(|((n, _), s)| {
                    let held = read_bounded(&dir.join(n), MAX_BYTES)
                        .map_err(|e| format!("unreadable: {e}"))
                        .and_then(|b| file::decode(&b, wall).map_err(|r: Refused| r.words()));
                    let held = held.map(|mut f| {
                        if recent {
                            for t in &mut f.tools {
                                t.hours = hours_of(std::mem::take(&mut t.hours), now);
                            }
                            f.projects.clear();
                        }
                        f
                    });
                    Entry { name: n.clone(), stamp: *s, held }
                })
                .collect();
            if recent {
                keep(cache, key, &e);
            }
            e
        }
    };
    // Of each device, the newest valid copy; this device under another id is not another device.
    let mut devices: Vec<DeviceFile> = Vec::new();
    for e in entries {
        match e.held {
            Err(why) => ignored.push((e.name, why)),
            Ok(f) if f.id == me.id => ignored.push((e.name, "this device's own (a copy)".into())),
            Ok(f) if f.machine == me.machine => {
                ignored.push((e.name, "this machine, under an id its cache had before".into()))
            }
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
    devices.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    (Seen { devices, ignored }, key)
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

fn put_file(w: &mut Writer, f: &DeviceFile) {
    w.bytes(f.id.as_bytes()).bytes(f.name.as_bytes()).i64(f.written_at).u64(f.machine);
    w.u32(f.tools.len() as u32);
    for t in &f.tools {
        put_tool(w, t);
    }
}

/// One tool's part of a kept copy (`Item::Devices`, `Item::Elsewhere`).
pub(super) fn put_tool(w: &mut Writer, t: &ToolUse) {
    w.u8(t.provider.code()).u32(t.hours.len() as u32);
    for h in &t.hours {
        let s = &h.sums;
        w.i64(h.start).bytes(h.model.as_bytes()).u64(h.calls);
        w.u64(s.input).u64(s.output).u64(s.cache_creation).u64(s.cache_read).u64(s.reasoning);
        w.u128(s.cost).u64(s.unpriced).u64(s.premium);
    }
    put_readings(w, &t.readings);
}

/// A tool's readings in a kept copy: what a device file carries of each.
pub(super) fn put_readings(w: &mut Writer, readings: &[Reading]) {
    w.u32(readings.len() as u32);
    for r in readings {
        w.u8(r.window as u8).u64(r.used_percent.to_bits()).i64(r.resets_at).i64(r.observed_at);
    }
}

pub(super) type R<T> = Result<T, crate::ground::codec::Corrupt>;

fn get_file(r: &mut Reader) -> R<DeviceFile> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (id, name) = (text(r.bytes()?), text(r.bytes()?));
    let (written_at, machine) = (r.i64()?, r.u64()?);
    let mut tools = Vec::new();
    for _ in 0..r.count(5)? {
        tools.push(get_tool(r)?);
    }
    Ok(DeviceFile { id, name, written_at, machine, tools, projects: Vec::new() })
}

pub(super) fn get_tool(r: &mut Reader) -> R<ToolUse> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let provider = Provider::from_code(r.u8()?).ok_or(crate::ground::codec::Corrupt)?;
    // An hour is at least 92 bytes: its start, an empty model's length, calls and the sums.
    let n = r.count(92)?;
    let mut hours = Vec::with_capacity(n);
    for _ in 0..n {
        let (start, model, calls) = (r.i64()?, text(r.bytes()?), r.u64()?);
        let sums = Sums {
            input: r.u64()?,
            output: r.u64()?,
            cache_creation: r.u64()?,
            cache_read: r.u64()?,
            reasoning: r.u64()?,
            cost: r.u128()?,
            unpriced: r.u64()?,
            premium: r.u64()?,
        };
        hours.push(Hour { start, model, calls, sums });
    }
    Ok(ToolUse { provider, hours, readings: get_readings(r, provider)? })
}

pub(super) fn get_readings(r: &mut Reader, provider: Provider) -> R<Vec<Reading>> {
    let mut readings = Vec::new();
    for _ in 0..r.count(25)? {
        let w = match r.u8()? {
            x if x == Window::FiveHour as u8 => Window::FiveHour,
            x if x == Window::SevenDay as u8 => Window::SevenDay,
            _ => return Err(crate::ground::codec::Corrupt),
        };
        let used = f64::from_bits(r.u64()?);
        readings.push(Reading::new(provider, w, used, r.i64()?, r.i64()?));
    }
    Ok(readings)
}

/// A copy kept in the cache for the folder as it looked under `key` (see `Listing`): its body, read
/// by `parse`, when the copy is whole and of that key.
fn kept_copy<T>(cache: &Cache, item: Item, key: u64, parse: impl FnOnce(&mut Reader) -> R<T>) -> Option<T> {
    let b = cache.read_checked(item).ok()?;
    let mut r = Reader::new(&b);
    match r.u64() {
        Ok(k) if k == key => parse(&mut r).ok(),
        _ => None,
    }
}

/// Keeps a copy for `key`: the key, then what `put` writes.
fn keep_copy(cache: &Cache, item: Item, key: u64, put: impl FnOnce(&mut Writer)) {
    let mut w = Writer::default();
    w.u64(key);
    put(&mut w);
    let _ = cache.write_checked(item, &w.buf);
}

/// The folder's files as read when it last looked like `key`.
fn kept(cache: &Cache, key: u64) -> Option<Vec<Entry>> {
    kept_copy(cache, Item::Devices, key, |r| {
        let mut out = Vec::new();
        for _ in 0..r.count(30)? {
            let name = String::from_utf8_lossy(r.bytes()?).into_owned();
            let stamp = (r.u64()?, r.i64()?, r.u64()?);
            let held = match r.u8()? {
                0 => Ok(get_file(r)?),
                _ => Err(String::from_utf8_lossy(r.bytes()?).into_owned()),
            };
            out.push(Entry { name, stamp, held });
        }
        Ok(out)
    })
}

fn keep(cache: &Cache, key: u64, entries: &[Entry]) {
    keep_copy(cache, Item::Devices, key, |w| {
        w.u32(entries.len() as u32);
        for e in entries {
            w.bytes(e.name.as_bytes()).u64(e.stamp.0).i64(e.stamp.1).u64(e.stamp.2);
            match &e.held {
                Ok(f) => {
                    w.u8(0);
                    put_file(w, f);
                }
                Err(why) => {
                    w.u8(1).bytes(why.as_bytes());
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_keeps_each_recent_hour_once_its_models_added_up() {
        let now = 100 * DAY_MS;
        let hour = |start: i64, model: &str, calls: u64, cost: u128| Hour {
            start,
            model: model.into(),
            calls,
            sums: Sums { output: calls * 10, cost, ..Sums::default() },
        };
        let hours = vec![
            hour(now - HOUR_MS, "b", 2, 7),
            hour(now - 9 * DAY_MS, "a", 5, 1), // older than eight days: not a prompt's
            hour(now - HOUR_MS, "a", 3, 5),
            hour(now - 2 * HOUR_MS, "a", 1, 4),
        ];
        let got: Vec<(i64, u64, u64, u128)> =
            hours_of(hours, now).iter().map(|h| (h.start, h.calls, h.sums.output, h.sums.cost)).collect();
        assert_eq!(got, vec![(now - 2 * HOUR_MS, 1, 10, 4), (now - HOUR_MS, 5, 50, 12)]);
    }

    #[test]
    fn the_listing_sees_when_this_device_wrote_and_keys_the_others() {
        // `publish` takes the own file's time from the listing: a prompt stats it there, once.
        let d = tempfile::tempdir().unwrap();
        let dir = folder(d.path());
        std::fs::create_dir_all(&dir).unwrap();
        let me = Identity { id: "0123456789abcdef".into(), name: "desk".into(), machine: 7 };
        let at = (100 * DAY_MS, 100 * DAY_MS);
        let (key, own) = super::key(d.path(), &me, at).unwrap();
        assert_eq!(own, None, "no file yet");
        std::fs::write(own_file(d.path(), &me), b"x").unwrap();
        let written = super::super::due::written(&std::fs::metadata(own_file(d.path(), &me)).unwrap());
        let (same, own) = super::key(d.path(), &me, at).unwrap();
        assert_eq!((same, own), (key, written), "its own file is not part of the key");
        assert!(own.is_some());
        std::fs::write(dir.join("fedcba9876543210.device"), b"y").unwrap();
        assert_ne!(super::key(d.path(), &me, at).unwrap().0, key, "another device's is");
    }

    #[test]
    fn the_kept_copy_reads_back_what_was_kept() {
        // Hours without a model's name are the smallest an hour can be: the copy must read them back,
        // or every prompt reads the folder again and writes the copy anew.
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().to_path_buf());
        let hours: Vec<Hour> = (0..3)
            .map(|i| Hour { start: i * HOUR_MS, model: String::new(), calls: 1, sums: Sums::default() })
            .collect();
        let f = DeviceFile {
            id: "0123456789abcdef".into(),
            name: "desk".into(),
            written_at: 5,
            machine: 7,
            tools: vec![ToolUse { provider: Provider::CLAUDE, hours, readings: Vec::new() }],
            projects: Vec::new(),
        };
        let entries = vec![Entry { name: "0123456789abcdef.device".into(), stamp: (1, 2, 3), held: Ok(f) }];
        keep(&cache, 42, &entries);
        assert_eq!(kept(&cache, 42), Some(entries));
        assert_eq!(kept(&cache, 43), None, "another folder's");
    }
}
