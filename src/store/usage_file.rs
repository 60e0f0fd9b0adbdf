//! The services' files of readings (`provider::spec::ReadingFile`: Claude Code's cached usage answer
//! in `.claude.json`, Claude Desktop's usage history), parsed again only when a file changes. They
//! are large or rewritten often, and the answers in them change rarely, so each run stats a file and,
//! while it is the same file at the same size and times (and told the same, see `load`), takes the
//! readings kept in the cache (`Item::KeptReadings`: a checksum line, the stat, the organisation the
//! file names, then one reading a line; a copy that fails its checksum is ignored and the file read
//! again). A file larger than its bound, or not a regular file, is not read at all.

use std::io::{self, Read};

use crate::ground::cache::{Cache, Item};
use crate::ground::evidence::{Follow, Reading, check};
use crate::ground::files::open_regular;
use crate::ground::hash::key;
use crate::ground::log;
use crate::ground::platform::{bytes, ctime_ns, identity, mtime_ns};
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::spec::ReadingFile;

/// What a kept copy holds at most (its item's bound, less its checksum line): a larger one would be
/// refused when read back, and the file parsed again by every run (a 3.9 MB app history, by every
/// prompt).
const KEPT_BYTES: usize = (1 << 20) - 64;

/// In the present, how far ahead of this clock a file that follows a moment (Claude Desktop's
/// history) may stamp a reading: one later is none. A sample dated in the future (a clock set wrong
/// for a while) became the history's newest, and every real sample, more than eight days before it,
/// was dropped. (Not the file's time: a file touched, or on a share whose clock lags, lost its real
/// samples; a replay is told its moment.)
const AHEAD_MS: i64 = 5 * 60_000;

fn line(r: &Reading) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:x}\n",
        r.provider.name(),
        r.window.key(),
        r.used_percent,
        r.resets_at,
        r.observed_at,
        r.bucket,
        r.label,
        r.account
    )
}

/// The copy to keep of `rs` under its first lines, `head`, and the readings it holds: the newest that
/// fit in `KEPT_BYTES`, so that a run reading the copy back finds what the run that wrote it found.
fn fitted(head: &str, mut rs: Vec<Reading>) -> (String, Vec<Reading>) {
    let lines: Vec<String> = rs.iter().map(line).collect();
    let mut newest: Vec<usize> = (0..rs.len()).collect();
    newest.sort_by_key(|&i| std::cmp::Reverse(rs[i].observed_at));
    let mut room = KEPT_BYTES.saturating_sub(head.len() + 1);
    let mut keep = vec![false; rs.len()];
    for i in newest {
        if lines[i].len() > room {
            break;
        }
        room -= lines[i].len();
        keep[i] = true;
    }
    let body =
        std::iter::once(format!("{head}\n")).chain(lines.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(l, _)| l));
    let body: String = body.collect();
    let mut k = keep.into_iter();
    rs.retain(|_| k.next().unwrap_or(false));
    (body, rs)
}

fn decode(text: &str) -> Vec<Reading> {
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let [p, w, used, reset, seen, bucket, label, account] = f[..] else { continue };
        let Some(provider) = Provider::from_name(p) else { continue };
        let window = match w {
            "five_hour" => Window::FiveHour,
            "seven_day" => Window::SevenDay,
            _ => continue,
        };
        let (Ok(used), Ok(reset), Ok(seen)) = (used.parse::<f64>(), reset.parse::<i64>(), seen.parse::<i64>()) else {
            continue;
        };
        // What comes back from disk is checked again, like anything from outside (a sample, without
        // its reset, by its share alone).
        let plausible =
            if reset == 0 { (0.0..=100.0).contains(&used) } else { check(used, reset, seen, window).is_ok() };
        if plausible {
            let mut r = Reading::new(provider, window, used, reset, seen);
            (r.bucket, r.label) = (bucket.to_owned(), label.to_owned());
            r.account = u64::from_str_radix(account, 16).unwrap_or(0);
            out.push(r.bounded());
        }
    }
    out
}

/// The readings of a reading file (at most its `max` bytes, else none) and the organisation it names,
/// told what to `follow`, from the copy kept in the cache while the file is unchanged. In a replay, an
/// organisation named by a file whose newest reading is after the replay's moment is none: what the
/// file named then is not known (`.claude.json`'s readings are one answer, of one moment). (Named with no reading, it
/// stands: a file's time says when it was written, not when it changed account, and tests and
/// replays of real histories write theirs now.)
pub fn load(cache: &Cache, rf: &ReadingFile, follow: Follow) -> (Vec<Reading>, u64) {
    let file = rf.path.as_path();
    // Never waiting on a FIFO, never reading a device: a regular file, or nothing.
    let Ok((f, md)) = open_regular(file) else { return (Vec::new(), 0) };
    if md.len() > rf.max {
        return (Vec::new(), 0);
    }
    let (found, org) = kept_or_read(cache, rf, f, &md, follow);
    let named_after = found.iter().map(|r| r.observed_at).max().is_some_and(|t| t > follow.until);
    (found, if named_after { 0 } else { org })
}

fn kept_or_read(
    cache: &Cache,
    rf: &ReadingFile,
    f: std::fs::File,
    md: &std::fs::Metadata,
    follow: Follow,
) -> (Vec<Reading>, u64) {
    let file = rf.path.as_path();
    // The layout's version first: a copy kept by an older runway is read again, not misread. The
    // ctime moves even when a rewrite keeps the size and puts the mtime back. What a file reads by
    // what it is told is another copy for another telling, and a replay's is kept apart from the
    // present's (alternating, each read the file again).
    let (dev, ino) = identity(file, md);
    let (len, mtime, ctime) = (md.len(), mtime_ns(md), ctime_ns(md));
    let told = if rf.follows { format!(" {:x} {}", follow.org, follow.until) } else { String::new() };
    let stamp = format!("v6 {dev} {ino} {len} {mtime} {ctime}{told}");
    let path = bytes(file.as_os_str());
    let kept = match rf.follows && follow.until != i64::MAX {
        true => Item::KeptReadings(key("claude-json", &[path, b"replay"])),
        false => Item::KeptReadings(key("claude-json", &[path])),
    };
    match cache.read_checked(kept) {
        Ok(body) => {
            if let Some((first, rest)) = std::str::from_utf8(&body).ok().and_then(|t| t.split_once('\n'))
                && first == stamp
                && let Some((org, rest)) = rest.split_once('\n')
                && let Some(org) = org.strip_prefix("org ").and_then(|o| u64::from_str_radix(o, 16).ok())
            {
                return (decode(rest), org);
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => log::warn(&format!("ignoring the readings kept from {}: {e}", file.display())),
    }
    let mut bytes = Vec::new();
    if f.take(rf.max).read_to_end(&mut bytes).is_err() {
        return (Vec::new(), 0);
    }
    let until = match follow.until {
        i64::MAX => crate::ground::time::wall_ms().saturating_add(AHEAD_MS),
        moment => moment,
    };
    let (all, org) = (rf.read)(&bytes, Follow { until, ..follow });
    let all: Vec<Reading> = all.into_iter().map(Reading::bounded).collect();
    let n = all.len();
    let (body, found) = fitted(&format!("{stamp}\norg {org:x}"), all);
    if found.len() < n {
        log::warn(&format!("{}: the newest {} of its {n} readings kept", file.display(), found.len()));
    }
    // Kept for the next run; a cache that cannot be written only means reading the file again.
    let _ = cache.write_checked(kept, body.as_bytes());
    (found, org)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::Path;

    /// A reading file at `path` read by `read`, of at most `max` bytes.
    fn rf(path: &Path, read: fn(&[u8], Follow) -> (Vec<Reading>, u64), max: u64, follows: bool) -> ReadingFile {
        ReadingFile { path: path.to_path_buf(), read, name: "test", max, follows }
    }

    #[test]
    fn read_once_then_kept_until_the_file_changes() {
        let d = tempfile::tempdir().unwrap();
        let (cache, file) = (d.path().join("cache"), d.path().join(".claude.json"));
        let body = |p: u32| {
            format!(
                r#"{{"userID": "x", "cachedUsageUtilization": {{"fetchedAtMs": 1770930000000, "utilization": {{
                "seven_day": {{"utilization": 40, "resets_at": "2026-02-16T09:00:00Z"}},
                "limits": [{{"kind": "weekly_scoped", "percent": {p}, "resets_at": "2026-02-15T09:00:00Z",
                            "scope": {{"model": {{"display_name": "Fable"}}}}}}]}}}}}}"#
            )
        };
        fs::write(&file, body(91)).unwrap();
        let cache = Cache::new(cache);
        let none = Follow { org: 0, until: i64::MAX };
        let read = crate::provider::claude::settings_file::readings;
        let load = |c: &Cache, f: &Path| super::load(c, &rf(f, read, 32 << 20, false), none).0;
        let first = load(&cache, &file);
        assert_eq!(first.len(), 2);
        assert_eq!(load(&cache, &file), first, "the kept copy gives the same");
        // The kept copy is what a run with the same file reads: an edited copy is not believed.
        let kept = fs::read_dir(cache.dir()).unwrap().next().unwrap().unwrap().path();
        let text = fs::read_to_string(&kept).unwrap();
        assert!(text.contains("\t91\t"), "{text}");
        fs::write(&kept, text.replace("\t91\t", "\t92\t")).unwrap();
        assert_eq!(load(&cache, &file)[1].used_percent, 91.0, "the file is read again");
        assert!(fs::read_to_string(&kept).unwrap().contains("\t91\t"), "and kept again");
        // A new answer (another size) is read again.
        fs::write(&file, body(9)).unwrap();
        assert_eq!(load(&cache, &file)[1].used_percent, 9.0);
        assert!(load(&cache, &d.path().join("none.json")).is_empty());
    }

    #[test]
    fn a_copy_too_large_to_keep_keeps_the_newest() {
        // Forty thousand readings (some 1.7 MB kept): the newest that fit, the same whether the
        // file was parsed or the copy read back (kept whole, it was refused by every next run and
        // the file parsed again).
        fn many(_: &[u8], _: Follow) -> (Vec<Reading>, u64) {
            let all =
                (0..40_000).map(|i| Reading::new(Provider::CLAUDE, Window::FiveHour, 50.0, 0, 1_770_000_000_000 + i));
            (all.collect(), 5)
        }
        let none = Follow { org: 0, until: i64::MAX };
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("history.json");
        fs::write(&file, "[]").unwrap();
        let cache = Cache::new(d.path().join("cache"));
        let (first, org) = load(&cache, &rf(&file, many, 1 << 20, false), none);
        assert!(first.len() > 20_000 && first.len() < 40_000, "{}", first.len());
        assert_eq!(first.last().unwrap().observed_at, 1_770_000_000_000 + 39_999);
        assert!(first.windows(2).all(|w| w[1].observed_at == w[0].observed_at + 1), "the newest, none skipped");
        let again = load(&cache, &rf(&file, |_, _| (Vec::new(), 0), 1 << 20, false), none);
        assert_eq!(again, (first, org), "read back from the copy, not parsed again, the organisation too");
        // Another organisation followed, or another replay's moment, is another copy; a file past its
        // bound is not read.
        fn echo(_: &[u8], follow: Follow) -> (Vec<Reading>, u64) {
            let mut r = Reading::new(Provider::CLAUDE, Window::FiveHour, 50.0, 0, follow.until);
            r.account = follow.org;
            (vec![r], 0)
        }
        let at = |org: u64, until: i64| {
            let r = &load(&cache, &rf(&file, echo, 1 << 20, true), Follow { org, until }).0[0];
            (r.account, r.observed_at)
        };
        assert_eq!(at(7, 1_770_000_000_000), (7, 1_770_000_000_000));
        assert_eq!(at(9, 1_770_000_000_000), (9, 1_770_000_000_000));
        assert_eq!(at(9, 1_770_000_000_001), (9, 1_770_000_000_001));
        assert!(load(&cache, &rf(&file, echo, 1, true), none).0.is_empty(), "two bytes, past a bound of one");
    }

    #[test]
    fn a_replay_keeps_its_copy_apart_and_knows_no_organisation_named_after_it() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static PARSED: AtomicUsize = AtomicUsize::new(0);
        fn counted(_: &[u8], _: Follow) -> (Vec<Reading>, u64) {
            PARSED.fetch_add(1, Ordering::SeqCst);
            (vec![Reading::new(Provider::CLAUDE, Window::FiveHour, 50.0, 0, 1_770_000_000_000)], 7)
        }
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("history.json");
        fs::write(&file, "[]").unwrap();
        let cache = Cache::new(d.path().join("cache"));
        let written = fs::metadata(&file).unwrap().modified().unwrap().duration_since(std::time::UNIX_EPOCH).unwrap();
        let written = written.as_millis() as i64;
        let (present, replay) = (Follow { org: 0, until: i64::MAX }, Follow { org: 0, until: written - 60_000 });
        let f = rf(&file, counted, 1 << 20, true);
        assert_eq!(load(&cache, &f, present).1, 7);
        // A replay of a moment before its newest reading: its readings (the forecast drops those
        // after the moment), and no organisation: what the file named then is not known. Named with
        // no reading, it stands.
        assert_eq!(load(&cache, &f, replay).1, 7, "its reading is older than the replay");
        let later = Follow { org: 0, until: 1_770_000_000_000 - 1 };
        assert_eq!(load(&cache, &f, later).1, 0, "its reading is newer than the replay");
        let other = d.path().join(".claude.json");
        fs::write(&other, "{}").unwrap();
        let bare = rf(&other, |_, _| (Vec::new(), 7), 1 << 20, false);
        assert_eq!((load(&cache, &bare, present).1, load(&cache, &bare, replay).1), (7, 7));
        // Present, replay, present, replay: each its own copy, each file read once.
        for _ in 0..2 {
            load(&cache, &f, present);
            load(&cache, &f, replay);
        }
        assert_eq!(PARSED.load(Ordering::SeqCst), 4, "and once more the replay after the other moment");
    }
}
