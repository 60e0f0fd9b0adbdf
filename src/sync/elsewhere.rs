//! The other devices taken together: per tool, their hours of the last eight days added up across
//! devices, and every device's readings. It is all a prompt needs of them (the account's windows do
//! not care which machine spent what; `status` reads each device apart, `report` the files whole),
//! and it is kept in the cache under the folder's key, so a warm prompt reads one small file.
//!
//! Why a copy of its own: five heavy devices kept apart are ~1,100 hours, 106 KB read and decoded
//! by every prompt (0.19 ms of the 0.30 ms the five cost, paired, benches/bench.sh); added up they
//! are one week of hours a tool. Why a form of its own (hours without a model, shared rather than
//! copied, each reading once): on a virtual machine a fresh page of memory costs about 2 µs, and the
//! hours as `Hour`s, then copied again into each forecast's evidence, were a dozen of them a prompt.

use std::path::Path;
use std::rc::Rc;

use super::folder::{self, Seen};
use super::identity::Identity;
use super::kept::{get_readings, get_sums, put_readings, put_sums};
use crate::ground::cache::{Cache, Item};
use crate::ground::codec::{Corrupt, Reader, Writer};
use crate::ground::evidence::Reading;
use crate::ground::provider::Provider;
use crate::ground::tokens::Hourly;

/// The other devices' use of one tool: their hours in time order, shared with each forecast that
/// takes them; every device's readings, each once.
#[derive(Clone, Debug, PartialEq)]
pub struct Elsewhere {
    pub provider: Provider,
    pub hours: Rc<Vec<Hourly>>,
    pub readings: Vec<Reading>,
}

/// The devices' use added up per tool: each tool once, its hours in time order (models and devices
/// added up), every device's readings (one seen by two devices, once).
pub fn sum(seen: &Seen) -> Vec<Elsewhere> {
    let mut tools: Vec<(Provider, Vec<Hourly>, Vec<Reading>)> = Vec::new();
    for t in seen.devices.iter().flat_map(|d| d.tools.iter()) {
        let i = match tools.iter().position(|o| o.0 == t.provider) {
            Some(i) => i,
            None => {
                tools.push((t.provider, Vec::new(), Vec::new()));
                tools.len() - 1
            }
        };
        tools[i].1.extend(t.hours.iter().map(|h| (h.start, h.calls, h.sums)));
        tools[i].2.extend(t.readings.iter().cloned());
    }
    tools
        .into_iter()
        .map(|(provider, mut hours, mut readings)| {
            hours.sort_by_key(|h| h.0);
            hours.dedup_by(|h, into| {
                let same = h.0 == into.0;
                if same {
                    into.1 += h.1;
                    into.2 += h.2;
                }
                same
            });
            readings.sort_by(|a, b| {
                (a.observed_at, a.window as u8, a.resets_at)
                    .cmp(&(b.observed_at, b.window as u8, b.resets_at))
                    .then(a.used_percent.total_cmp(&b.used_percent))
            });
            readings.dedup();
            Elsewhere { provider, hours: Rc::new(hours), readings }
        })
        .collect()
}

/// The other devices' recent use together, through the copy kept while the folder is unchanged;
/// and when this device's own file was written, as the folder's listing saw it (see `folder::key`);
/// and whether the files to read passed `budget` bytes (a prompt's, `folder::PROMPT_BYTES`): then
/// nothing is known of the other devices yet, and the background helper reads the rest.
///
/// A prompt lists the folder only when the folder itself changed (its own stat: a file added,
/// removed or renamed into it, which is how every sync tool and runway itself write), when the hour
/// turns, and at least every `relist_ms` (a file rewritten in place leaves the folder's stat as it
/// was, and counts at the next look); between, its stat and the copy are all it reads (the listing
/// and a stat a file were 11 system calls, 0.02 ms of a prompt). `list` looks every time (`status`).
pub fn read(
    sync_dir: &Path,
    me: &Identity,
    at: (i64, i64),
    cache: &Cache,
    relist_ms: i64,
    list: bool,
    budget: Option<u64>,
) -> (Vec<Elsewhere>, Option<i64>, bool) {
    let wall = at.1;
    // The folder's stat before its listing: a change between the two is seen again at the next run.
    let Some((stamp, folder_settled)) = folder::stamp(sync_dir, me, at) else { return (Vec::new(), None, false) };
    let copy = kept(cache);
    if let Some((h, _)) = &copy
        && h.settled
        && !h.by_own
        && wall < h.recheck
        && h.stamp == stamp
        && !list
        && (0..relist_ms).contains(&(wall - h.listed_at))
    {
        let (h, tools) = copy.unwrap();
        return (tools, h.own, false);
    }
    let Some((key, own, files_settled)) = folder::key(sync_dir, me, at) else { return (Vec::new(), None, false) };
    let settled = folder_settled && files_settled;
    let head = Head { key, stamp, listed_at: wall, own, settled, recheck: i64::MAX, by_own: false };
    if let Some((h, tools)) = copy
        && h.key == key
        && wall < h.recheck
        && (!h.by_own || h.own == own)
    {
        let head = Head { recheck: h.recheck, by_own: h.by_own, ..head };
        // The same files: the copy holds, noted as looked at now (once a period while nothing moves).
        let noted = (h.stamp, h.own, h.settled) == (stamp, own, head.settled);
        if !noted || wall - h.listed_at >= relist_ms / 2 {
            keep(cache, &head, &tools);
        }
        return (tools, own, false);
    }
    let Some((seen, key, recheck)) = folder::read_keyed(sync_dir, me, at, cache, true, budget) else {
        return (Vec::new(), own, true);
    };
    let tools = sum(&seen);
    keep(cache, &Head { key, recheck, by_own: seen.own_used, ..head }, &tools);
    (tools, own, false)
}

/// What a kept copy was made from: the listing's key; the folder's own stat (with this device and
/// the hour, `folder::stamp`) and when it was listed; when this device's own file was written; and
/// whether that look was settled (`folder::settled`): only a settled look spares the next ones; and
/// when the copy may change with the files unchanged (`folder::read_keyed`); and whether it hangs on
/// this device's own file too (`Seen::own_used`), which the listing's key leaves out.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Head {
    key: u64,
    stamp: u64,
    listed_at: i64,
    own: Option<i64>,
    settled: bool,
    recheck: i64,
    by_own: bool,
}

/// An hour's bytes in the kept copy: its start, calls, five token counts, cost (16), unpriced, premium.
const HOUR_BYTES: usize = 8 * 8 + 16 + 8;

fn kept(cache: &Cache) -> Option<(Head, Vec<Elsewhere>)> {
    get_copy(&mut Reader::new(&cache.read_checked(Item::Elsewhere).ok()?)).ok()
}

fn get_copy(r: &mut Reader) -> Result<(Head, Vec<Elsewhere>), Corrupt> {
    let (key, stamp, listed_at) = (r.u64()?, r.u64()?, r.i64()?);
    let own = match r.u8()? {
        0 => None,
        _ => Some(r.i64()?),
    };
    // Two flags in a byte: settled, and (an older copy has none) hanging on this device's own file.
    let (flags, recheck) = (r.u8()?, r.i64()?);
    let (settled, by_own) = (flags & 1 == 1, flags & 2 == 2);
    let tools = (0..r.count(9)?)
        .map(|_| {
            let provider = Provider::from_code(r.u8()?).ok_or(Corrupt)?;
            let n = r.count(HOUR_BYTES)?;
            // Into a vector of its final size, shared as it is (an `Rc<[_]>` is a second copy).
            let mut hours = Vec::with_capacity(n);
            for _ in 0..n {
                hours.push(get_hour(r)?);
            }
            Ok(Elsewhere { provider, hours: Rc::new(hours), readings: get_readings(r, provider)? })
        })
        .collect::<Result<Vec<_>, Corrupt>>()?;
    Ok((Head { key, stamp, listed_at, own, settled, recheck, by_own }, tools))
}

fn get_hour(r: &mut Reader) -> Result<Hourly, Corrupt> {
    Ok((r.i64()?, r.u64()?, get_sums(r)?))
}

fn keep(cache: &Cache, head: &Head, tools: &[Elsewhere]) {
    let mut w = Writer::default();
    w.u64(head.key).u64(head.stamp).i64(head.listed_at);
    match head.own {
        None => w.u8(0),
        Some(t) => w.u8(1).i64(t),
    };
    w.u8(u8::from(head.settled) | u8::from(head.by_own) << 1).i64(head.recheck);
    w.u32(tools.len() as u32);
    for t in tools {
        w.u8(t.provider.code()).u32(t.hours.len() as u32);
        for (start, calls, s) in t.hours.iter() {
            w.i64(*start).u64(*calls);
            put_sums(&mut w, s);
        }
        put_readings(&mut w, &t.readings);
    }
    let _ = cache.write_checked(Item::Elsewhere, &w.buf);
}

#[cfg(test)]
mod tests;
