//! Another device's files under ids its cache had before. A device whose cache directory was lost
//! or made anew chooses a new id and writes a second file beside its first, which stays in the folder
//! (runway never deletes in a folder others replicate): read as two devices, its history counted
//! twice on every other machine. Both carry the same machine mark (`DeviceFile::machine`), but a mark
//! is no proof: a cloned virtual machine keeps the machine id of its image, and two clones doing
//! their own work are two devices. So the older file gives way only where the newer one shows the
//! same work: from the newer file's first hour of a tool on, every hour of the older one must be
//! there with the same figures (the rebuilt cache read the same transcripts again; see `covered`).
//! Its hours before that stay (transcripts since cleaned away, still the account's); a clone's own
//! work is not the other's, so both count.
//!
//! A cache directory moved (`XDG_CACHE_HOME` set since), or a second one in use (a tmux server's
//! environment names another), is another device of the same machine: its mark differs, its host
//! mark (`DeviceFile::host`, the machine's alone) does not, and it reads the same transcripts. Files
//! of one host are compared the same way, and this device's own figures (its own file) stand above
//! any of them: counted from its ledger, they are never counted again from another file.

use super::file::{DeviceFile, ToolUse};
use crate::ground::time::HOUR_MS;
use crate::ground::tokens::Sums;

/// The devices with each older file of a machine cut to the hours its newer files do not show as
/// the same work, and the names of the files left with none, with why. `own`, this device's own file
/// when one of `devices` is of its host, is the newest of all (it stands for the ledger), and is not
/// among those returned.
pub fn resolve(mut devices: Vec<DeviceFile>, own: Option<&DeviceFile>) -> (Vec<DeviceFile>, Vec<(String, String)>) {
    let shared = |d: &DeviceFile| own.is_some_and(|o| kin(d, o)) || devices.iter().filter(|o| kin(o, d)).count() > 1;
    if !devices.iter().any(shared) {
        return (devices, Vec::new());
    }
    // Newest first: each file is compared with the ones written after it, as they were written.
    devices.sort_by(|a, b| b.written_at.cmp(&a.written_at).then(a.id.cmp(&b.id)));
    let originals = devices.clone();
    let (mut kept, mut ignored) = (Vec::with_capacity(devices.len()), Vec::new());
    for (i, mut older) in devices.into_iter().enumerate() {
        // The newer file that showed the older's last hours as its own work: whose the older is.
        let mut by: Option<&DeviceFile> = None;
        for newer in own.into_iter().chain(&originals[..i]) {
            if kin(&older, newer) && cut(&mut older, newer) {
                by = by.or(Some(newer));
            }
        }
        let Some(by) = by else {
            kept.push(older);
            continue;
        };
        // This device, or another (a machine whose cache was made anew is said by its own name).
        let who = if own.is_some_and(|o| std::ptr::eq(o, by)) { "this device".to_owned() } else { by.name.clone() };
        let how = if by.machine != older.machine { "another cache directory" } else { "an id its cache had before" };
        ignored.push((format!("{}.device", older.id), format!("{who} under {how}")));
    }
    (kept, ignored)
}

/// Files of one machine: the same mark, or (another cache directory of it) the same host mark.
fn kin(a: &DeviceFile, b: &DeviceFile) -> bool {
    (a.machine != 0 && a.machine == b.machine) || (a.host != 0 && a.host == b.host)
}

/// The newer file's first hour of the tool `t` is of, if it has any.
fn first_hour(newer: &DeviceFile, t: &ToolUse) -> Option<i64> {
    newer.tools.iter().filter(|n| n.provider == t.provider).flat_map(|n| n.hours.iter().map(|h| h.start)).min()
}

/// Cuts from `older` the hours `newer` shows as the same work; whether nothing was left of it.
///
/// Only once the two show some of the very same work: an hour, with calls, that had ended when both
/// were written, the same calls and tokens of every kind in both, priced alike (the same transcripts
/// read again, perhaps by a newer runway with a newer price table), summed over models (a file kept
/// for a prompt has them added up). Two people's histories, or a file made up of a device's calls at
/// no cost, have none. Then, from `newer`'s first hour of a tool on, each such hour is cut; an ended
/// hour that differs stays whole (a call that crossed into the next hour, a session deleted since, a
/// clone's own work): counted twice, never lost. The hours still running when one of them was written
/// are cut only when every ended hour was the same, and when `newer` has at least as much of them
/// (they went on). This device's own file is `newer` to every other: an hour it does not have yet
/// stays (a clone's work since, or this machine's own until its file is written again: a minute).
fn cut(older: &mut DeviceFile, newer: &DeviceFile) -> bool {
    let of = |d: &DeviceFile, provider, start: i64| -> (u64, Sums) {
        let hours = d.tools.iter().filter(|x| x.provider == provider).flat_map(|x| x.hours.iter());
        hours.filter(|h| h.start == start).fold((0, Sums::default()), |(c, mut s), h| {
            s += h.sums;
            (c + h.calls, s)
        })
    };
    let tokens = |(c, s): (u64, Sums)| [c, s.input, s.output, s.cache_creation, s.cache_read, s.premium];
    let at_least = |n: (u64, Sums), o: (u64, Sums)| {
        tokens(n).iter().zip(tokens(o)).all(|(n, o)| *n >= o) && (n.1.cost >= o.1.cost || priced_alike(n.1, o.1))
    };
    let ended = older.written_at.min(newer.written_at);
    // Each hour compared: (tool, start, ended in both, the same work or as much).
    let mut hours: Vec<(usize, i64, bool, bool)> = Vec::new();
    for (ti, t) in older.tools.iter().enumerate() {
        let Some(first) = first_hour(newer, t) else { continue };
        let mut starts: Vec<i64> = t.hours.iter().map(|h| h.start).filter(|s| *s >= first).collect();
        starts.sort_unstable();
        starts.dedup();
        for start in starts {
            let (n, o) = (of(newer, t.provider, start), of(older, t.provider, start));
            if start + HOUR_MS <= ended {
                hours.push((ti, start, true, o.0 > 0 && tokens(n) == tokens(o) && priced_alike(n.1, o.1)));
            } else {
                hours.push((ti, start, false, at_least(n, o)));
            }
        }
    }
    if !hours.iter().any(|&(_, _, done, same)| done && same) {
        return false;
    }
    let every = hours.iter().all(|&(_, _, done, same)| !done || same);
    let had = older.tools.iter().map(|t| t.hours.len()).sum::<usize>();
    for (ti, start, done, same) in hours {
        if same && (done || every) {
            older.tools[ti].hours.retain(|h| h.start != start);
        }
    }
    let left = older.tools.iter().map(|t| t.hours.len()).sum::<usize>();
    if left < had {
        // Project names count over the retention period, not by hour: the newer file has them.
        older.projects.clear();
    }
    left == 0 && had > 0
}

/// Whether two costs of the same tokens can be one price table and a newer one: within a factor of
/// `REPRICED` of each other, the same included (a table reprices a model; it does not make an hour
/// nothing, nor ten times what it was), or the newer prices tokens the older could not (a model
/// without a price then, perhaps beside priced ones in the same hour) and costs at least as much: no
/// use is taken away.
fn priced_alike(n: Sums, o: Sums) -> bool {
    let (lo, hi) = (n.cost.min(o.cost), n.cost.max(o.cost));
    hi <= lo.saturating_mul(REPRICED) || (n.unpriced < o.unpriced && n.cost >= o.cost)
}

/// How far a newer price table may move an hour's cost and still be taken for the same work.
const REPRICED: u128 = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::provider::Provider;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::Sums;
    use crate::sync::file::Hour;

    fn file(id: &str, machine: u64, written_at: i64, hours: &[(i64, u64)]) -> DeviceFile {
        let hours = hours
            .iter()
            .map(|&(h, calls)| Hour {
                start: h * HOUR_MS,
                model: "m".into(),
                calls,
                sums: Sums { output: calls * 100, cost: u128::from(calls) * 1_000, ..Sums::default() },
            })
            .collect();
        DeviceFile {
            id: id.into(),
            name: "laptop".into(),
            written_at,
            machine,
            host: 0,
            tools: vec![ToolUse { provider: Provider::CLAUDE, hours, readings: Vec::new() }],
            projects: vec![("p".into(), 1, 1)],
        }
    }

    fn resolve_all(devices: Vec<DeviceFile>) -> (Vec<DeviceFile>, Vec<(String, String)>) {
        resolve(devices, None)
    }

    fn hours(d: &DeviceFile) -> Vec<(i64, u64)> {
        d.tools[0].hours.iter().map(|h| (h.start / HOUR_MS, h.calls)).collect()
    }

    #[test]
    fn a_file_written_again_under_a_new_id_counts_once() {
        // The old file was written during hour 9, the cache made anew at hour 12: the new file has
        // hours 1-2 again as they were, hour 9 as it went on, and more.
        let old = file("a0", 7, 9 * HOUR_MS + 60_000, &[(1, 5), (2, 3), (9, 4)]);
        let new = file("b0", 7, 12 * HOUR_MS, &[(1, 5), (2, 3), (9, 7), (12, 6)]);
        let (kept, ignored) = resolve_all(vec![old, new.clone()]);
        assert_eq!(kept, vec![new]);
        // Seen from another machine: named by the device's own name (it said "this device").
        assert_eq!(ignored, vec![("a0.device".into(), "laptop under an id its cache had before".into())]);
    }

    #[test]
    fn another_cache_directory_of_this_machine_gives_way_to_its_own_figures() {
        let host = |mut f: DeviceFile, h: u64| {
            f.host = h;
            f
        };
        // This device's own file written in hour 12, having as much of it as the other cache
        // directory's, written half an hour later: the other's hours are all this machine's.
        let own = host(file("a0", 7, 12 * HOUR_MS + 600_000, &[(1, 5), (2, 3), (12, 6)]), 9);
        let other = host(file("b0", 8, 12 * HOUR_MS + 1_800_000, &[(1, 5), (2, 3), (12, 6)]), 9);
        // A second person's history on the same machine: its own work, whole.
        let person = host(file("c0", 6, 12 * HOUR_MS, &[(1, 9), (3, 2)]), 9);
        // Another machine's file with the very same hours: never compared.
        let elsewhere = host(file("d0", 5, 12 * HOUR_MS, &[(1, 5), (2, 3)]), 10);
        let (kept, ignored) = resolve(vec![other.clone(), person.clone(), elsewhere.clone()], Some(&own));
        assert_eq!(kept, vec![person, elsewhere]);
        assert_eq!(ignored, vec![("b0.device".into(), "this device under another cache directory".into())]);
        // An hour that had ended when both were written and differs stays whole (counted twice, never
        // lost: a call that crossed into the next hour, a session deleted since), and then so does
        // the hour still running: the same hours go.
        let unlike = host(file("e0", 8, 14 * HOUR_MS, &[(1, 5), (2, 4), (12, 6)]), 9);
        let left = resolve(vec![unlike.clone()], Some(&own)).0;
        assert_eq!(left.iter().map(hours).collect::<Vec<_>>(), vec![vec![(2, 4), (12, 6)]]);
        // Seen from another machine, the two cache directories' files are one device's.
        let (kept, ignored) = resolve_all(vec![own.clone(), other.clone()]);
        assert_eq!((kept, ignored.len()), (vec![other], 1));
        // More of hour 12 in the other's than in this device's file, or hours it does not have at all:
        // they stay (a clone's work since; or this machine's, until its own file is written again, a
        // minute): it took them for this device's ledger's, and a clone's work vanished.
        let clone = host(file("f0", 8, 14 * HOUR_MS, &[(1, 5), (2, 3), (12, 9), (13, 4)]), 9);
        let left = resolve(vec![clone], Some(&own)).0;
        assert_eq!(left.iter().map(hours).collect::<Vec<_>>(), vec![vec![(12, 9), (13, 4)]]);
        // Of the same mark (an id its cache had before, or a clone sharing its cache path): the same.
        let (old, why) = resolve(vec![file("g0", 7, 13 * HOUR_MS, &[(1, 5), (2, 3), (12, 6)])], Some(&own));
        assert!(old.is_empty());
        assert_eq!(why, vec![("g0.device".into(), "this device under an id its cache had before".into())]);
    }

    #[test]
    fn hours_the_new_file_no_longer_has_stay_the_old_ones() {
        // Transcripts of hours 1-2 were cleaned away before the cache was made anew.
        let old = file("a0", 7, 10 * HOUR_MS, &[(1, 5), (2, 3), (9, 4)]);
        let new = file("b0", 7, 20 * HOUR_MS, &[(9, 4), (12, 6)]);
        let (kept, ignored) = resolve_all(vec![old, new]);
        assert_eq!(kept.iter().map(hours).collect::<Vec<_>>(), vec![vec![(9, 4), (12, 6)], vec![(1, 5), (2, 3)]]);
        assert!(kept[1].projects.is_empty() && ignored.is_empty());
    }

    #[test]
    fn two_clones_of_one_machine_doing_their_own_work_are_two_devices() {
        // Same mark (a cloned image), each its own hours: one hour of the older is not in the newer.
        let a = file("a0", 7, 10, &[(1, 5), (9, 4)]);
        let b = file("b0", 7, 20, &[(1, 5), (9, 2), (12, 6)]);
        let (kept, ignored) = resolve_all(vec![a.clone(), b.clone()]);
        assert_eq!(kept, vec![b, a]);
        assert!(ignored.is_empty());
        // Written later, hour 1 had ended in both, the same: the history the image had, counted once;
        // each clone's own hour 9 counts.
        let a = file("a0", 7, 10 * HOUR_MS, &[(1, 5), (9, 4)]);
        let b = file("b0", 7, 20 * HOUR_MS, &[(1, 5), (9, 2), (12, 6)]);
        let left = resolve_all(vec![a, b]).0;
        assert_eq!(left.iter().map(hours).collect::<Vec<_>>(), vec![vec![(1, 5), (9, 2), (12, 6)], vec![(9, 4)]]);
        // Another machine's files, or files with no mark (an older layout), are never compared.
        let (c, d) = (file("c0", 8, 10, &[(1, 5)]), file("d0", 9, 20, &[(1, 5)]));
        assert_eq!(resolve_all(vec![c.clone(), d.clone()]).0, vec![c, d]);
        let (e, f) = (file("e0", 0, 10, &[(1, 5)]), file("f0", 0, 20, &[(1, 5)]));
        assert_eq!(resolve_all(vec![e.clone(), f.clone()]).0, vec![e, f]);
    }

    #[test]
    fn a_file_of_the_same_mark_with_other_figures_takes_nothing_away() {
        // One written into the folder with a device's mark and its calls, at no cost: the device's
        // own file still counts. Nor does a clone's light hour, ended before its file was written,
        // vanish into the other clone's busier one.
        let real = file("a0", 7, 5 * HOUR_MS, &[(1, 5), (2, 3)]);
        let mut forged = file("f0", 7, 6 * HOUR_MS, &[(1, 5), (2, 3)]);
        forged.tools[0].hours.iter_mut().for_each(|h| h.sums = Sums::default());
        let (kept, ignored) = resolve_all(vec![real.clone(), forged.clone()]);
        assert_eq!(kept, vec![forged, real]);
        assert!(ignored.is_empty());
        let light = file("c2", 7, 3 * HOUR_MS, &[(2, 10)]);
        let busy = file("c1", 7, 4 * HOUR_MS, &[(2, 400)]);
        assert_eq!(resolve_all(vec![light.clone(), busy.clone()]).0, vec![busy.clone(), light]);
        // Nor one whose only hour was still running when it was written.
        let running = file("c3", 7, 2 * HOUR_MS + 60_000, &[(2, 10)]);
        assert_eq!(resolve_all(vec![running.clone(), busy.clone()]).0, vec![busy, running]);
    }

    #[test]
    fn the_same_hours_priced_by_a_newer_table_count_once() {
        // The cache made anew by a newer runway: the same calls and tokens, hour 1 priced a quarter
        // higher, hour 2's model priced since (the older had its tokens unpriced).
        let mut old = file("a0", 7, 5 * HOUR_MS, &[(1, 5), (2, 3)]);
        old.tools[0].hours[1].sums = Sums { output: 300, unpriced: 300, ..Sums::default() };
        let mut new = file("b0", 7, 6 * HOUR_MS, &[(1, 5), (2, 3)]);
        new.tools[0].hours[0].sums.cost = new.tools[0].hours[0].sums.cost * 5 / 4;
        let (kept, ignored) = resolve_all(vec![old.clone(), new.clone()]);
        assert_eq!((kept, ignored.len()), (vec![new.clone()], 1));
        // Other tokens, or a cost a table would not give the same tokens, are other work: that hour
        // stays, the one the same goes.
        let mut other = new.clone();
        other.tools[0].hours[0].sums.cache_read += 1;
        let left = resolve_all(vec![old.clone(), other.clone()]).0;
        assert_eq!(left.iter().map(hours).collect::<Vec<_>>(), vec![vec![(1, 5), (2, 3)], vec![(1, 5)]]);
        let mut tenfold = new.clone();
        tenfold.tools[0].hours[0].sums.cost *= 10;
        let left = resolve_all(vec![old.clone(), tenfold.clone()]).0;
        assert_eq!(left.iter().map(hours).collect::<Vec<_>>(), vec![vec![(1, 5), (2, 3)], vec![(1, 5)]]);
        // Nothing the same at all: nothing goes.
        let mut unlike = other.clone();
        unlike.tools[0].hours[1].sums.output += 1;
        assert_eq!(resolve_all(vec![old.clone(), unlike.clone()]).0, vec![unlike, old.clone()]);
        // A model priced since beside a priced one in the same hour: the older's cost is the priced
        // one's alone, far below the newer's; the newer prices what the older could not.
        let mut mixed = file("a0", 7, 5 * HOUR_MS, &[(1, 5)]);
        mixed.tools[0].hours[0].sums.unpriced = 400;
        mixed.tools[0].hours[0].sums.cost = 100;
        let mut priced = file("b0", 7, 6 * HOUR_MS, &[(1, 5)]);
        priced.tools[0].hours[0].sums.cost = 5_000;
        assert_eq!(resolve_all(vec![mixed.clone(), priced.clone()]).0, vec![priced.clone()]);
        // But not one that prices it at less than the older's priced part.
        priced.tools[0].hours[0].sums.cost = 20;
        assert_eq!(resolve_all(vec![mixed.clone(), priced.clone()]).0, vec![priced, mixed]);
    }

    #[test]
    fn a_cache_made_anew_twice_leaves_each_hour_once() {
        let first = file("a0", 7, 3 * HOUR_MS, &[(1, 5), (2, 3)]);
        let second = file("b0", 7, 6 * HOUR_MS, &[(2, 3), (5, 1)]);
        let third = file("c0", 7, 9 * HOUR_MS, &[(5, 1), (8, 2)]);
        let (kept, _) = resolve_all(vec![first, second, third]);
        let all: Vec<(i64, u64)> = kept.iter().flat_map(hours).collect();
        assert_eq!(all, vec![(5, 1), (8, 2), (2, 3), (1, 5)]);
    }
}
