//! The sync folder's files as the cache keeps them between runs: each device's file as read (with
//! its name and stat, or why it was left out), under the key of the folder's listing, so a run whose
//! folder did not change decodes one copy instead of every file's JSON; and a tool's readings in the
//! form the added-up copy (`sync::elsewhere`) shares.

use super::file::{DeviceFile, Hour, ToolUse};
use crate::ground::cache::{Cache, Item};
use crate::ground::codec::{Reader, Writer};
use crate::ground::evidence::Reading;
use crate::ground::provider::Provider;
use crate::ground::tokens::Sums;
use crate::ground::window::Window;

/// A file's size, modification time, identity and change time, as a look saw them.
pub type Stamp = (u64, i64, u64, i64);

/// One file of the folder as read: its name and stat, and what it held.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub stamp: Stamp,
    pub held: Result<DeviceFile, String>,
}

fn put_file(w: &mut Writer, f: &DeviceFile) {
    w.bytes(f.id.as_bytes()).bytes(f.name.as_bytes()).i64(f.written_at).u64(f.machine).u64(f.host);
    w.u32(f.tools.len() as u32);
    for t in &f.tools {
        put_tool(w, t);
    }
}

/// One tool's part of a device's kept file.
fn put_tool(w: &mut Writer, t: &ToolUse) {
    w.u8(t.provider.code()).u32(t.hours.len() as u32);
    for h in &t.hours {
        w.i64(h.start).bytes(h.model.as_bytes()).u64(h.calls);
        put_sums(w, &h.sums);
    }
    put_readings(w, &t.readings);
}

/// An hour's sums in a kept copy (80 bytes).
pub fn put_sums(w: &mut Writer, s: &Sums) {
    w.u64(s.input).u64(s.output).u64(s.cache_creation).u64(s.cache_read).u64(s.reasoning);
    w.u128(s.cost).u64(s.unpriced).u64(s.premium);
}

pub fn get_sums(r: &mut Reader) -> R<Sums> {
    Ok(Sums {
        input: r.u64()?,
        output: r.u64()?,
        cache_creation: r.u64()?,
        cache_read: r.u64()?,
        reasoning: r.u64()?,
        cost: r.u128()?,
        unpriced: r.u64()?,
        premium: r.u64()?,
    })
}

/// A tool's readings in a kept copy: what a device file carries of each.
pub fn put_readings(w: &mut Writer, readings: &[Reading]) {
    w.u32(readings.len() as u32);
    for r in readings {
        w.u8(r.window as u8).u64(r.used_percent.to_bits()).i64(r.resets_at).i64(r.observed_at);
    }
}

type R<T> = Result<T, crate::ground::codec::Corrupt>;

fn get_file(r: &mut Reader) -> R<DeviceFile> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (id, name) = (text(r.bytes()?), text(r.bytes()?));
    let (written_at, machine, host) = (r.i64()?, r.u64()?, r.u64()?);
    let mut tools = Vec::new();
    for _ in 0..r.count(5)? {
        tools.push(get_tool(r)?);
    }
    Ok(DeviceFile { id, name, written_at, machine, host, tools, projects: Vec::new() })
}

fn get_tool(r: &mut Reader) -> R<ToolUse> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let provider = Provider::from_code(r.u8()?).ok_or(crate::ground::codec::Corrupt)?;
    // An hour is at least 92 bytes: its start, an empty model's length, calls and the sums.
    let n = r.count(92)?;
    let mut hours = Vec::with_capacity(n);
    for _ in 0..n {
        let (start, model, calls) = (r.i64()?, text(r.bytes()?), r.u64()?);
        hours.push(Hour { start, model, calls, sums: get_sums(r)? });
    }
    Ok(ToolUse { provider, hours, readings: get_readings(r, provider)? })
}

pub fn get_readings(r: &mut Reader, provider: Provider) -> R<Vec<Reading>> {
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

/// The folder's files as a look read them, kept for the next: the listing's key, when that read
/// may change with the files unchanged (`folder::read_keyed`), the hours (of the moment asked about
/// and of this clock) it was made in, which bound what a file's recent hours are, and each file.
#[derive(Debug, PartialEq)]
pub struct Kept {
    pub key: u64,
    pub recheck: i64,
    pub hours: (i64, i64),
    pub entries: Vec<Entry>,
}

/// The folder's files as last read.
pub fn kept(cache: &Cache) -> Option<Kept> {
    let b = cache.read_checked(Item::Devices).ok()?;
    let r = &mut Reader::new(&b);
    let parse = |r: &mut Reader| -> R<Kept> {
        let (key, recheck, hours) = (r.u64()?, r.i64()?, (r.i64()?, r.i64()?));
        let mut entries = Vec::new();
        for _ in 0..r.count(38)? {
            let name = String::from_utf8_lossy(r.bytes()?).into_owned();
            let stamp = (r.u64()?, r.i64()?, r.u64()?, r.i64()?);
            let held = match r.u8()? {
                0 => Ok(get_file(r)?),
                _ => Err(String::from_utf8_lossy(r.bytes()?).into_owned()),
            };
            entries.push(Entry { name, stamp, held });
        }
        Ok(Kept { key, recheck, hours, entries })
    };
    parse(r).ok()
}

/// Keeps the folder's files as read.
pub fn keep(cache: &Cache, k: &Kept) {
    let mut w = Writer::default();
    w.u64(k.key).i64(k.recheck).i64(k.hours.0).i64(k.hours.1).u32(k.entries.len() as u32);
    for e in &k.entries {
        w.bytes(e.name.as_bytes()).u64(e.stamp.0).i64(e.stamp.1).u64(e.stamp.2).i64(e.stamp.3);
        match &e.held {
            Ok(f) => {
                w.u8(0);
                put_file(&mut w, f);
            }
            Err(why) => {
                w.u8(1).bytes(why.as_bytes());
            }
        }
    }
    let _ = cache.write_checked(Item::Devices, &w.buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::HOUR_MS;

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
            host: 8,
            tools: vec![ToolUse { provider: Provider::CLAUDE, hours, readings: Vec::new() }],
            projects: Vec::new(),
        };
        let entries = vec![Entry { name: "0123456789abcdef.device".into(), stamp: (1, 2, 3, 4), held: Ok(f) }];
        let k = Kept { key: 42, recheck: 1_000, hours: (5, 6), entries };
        keep(&cache, &k);
        assert_eq!(kept(&cache), Some(k));
    }
}
