//! Claude Code's cached usage answer (`read::claude_json`), parsed again only when `.claude.json`
//! changes. The file is large and rewritten often, and Claude Code refreshes the answer rarely (days,
//! at times), so each run stats it and, while it is the same file at the same size and time, takes
//! the readings kept beside the cache (`claude-json-<hash of its path>`: the stat, then one reading a
//! line). A file larger than `MAX` is not read at all.

use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::ground::evidence::{Reading, check};
use crate::ground::files::{create_private_dir, mtime_ns, write_atomic};
use crate::ground::hash::key;
use crate::ground::provider::Provider;
use crate::ground::window::Window;

/// Claude Code's file holds settings and a project list; past this it is not what runway expects.
const MAX: u64 = 32 << 20;

fn encode(stamp: &str, rs: &[Reading]) -> String {
    let mut s = format!("{stamp}\n");
    for r in rs {
        s += &format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:x}\n",
            r.provider.name(),
            r.window.key(),
            r.used_percent,
            r.resets_at,
            r.observed_at,
            r.bucket,
            r.label,
            r.account
        );
    }
    s
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
            out.push(r);
        }
    }
    out
}

/// The readings of `file`, from the copy kept in `cache_dir` while the file is unchanged.
pub fn load(cache_dir: &Path, file: &Path, parse: fn(&[u8]) -> Vec<Reading>) -> Vec<Reading> {
    let Ok(md) = fs::metadata(file) else { return Vec::new() };
    if !md.is_file() || md.len() > MAX {
        return Vec::new();
    }
    // The layout's version first: a copy kept by an older runway is read again, not misread.
    let stamp = format!("v3 {} {} {} {}", md.dev(), md.ino(), md.len(), mtime_ns(&md));
    let kept = cache_dir.join(format!(
        "claude-json-{:016x}",
        key("claude-json", &[std::os::unix::ffi::OsStrExt::as_bytes(file.as_os_str())])
    ));
    if let Ok(text) = fs::read_to_string(&kept)
        && let Some((first, rest)) = text.split_once('\n')
        && first == stamp
    {
        return decode(rest);
    }
    let mut bytes = Vec::new();
    let read = fs::File::open(file).and_then(|f| f.take(MAX).read_to_end(&mut bytes));
    if read.is_err() {
        return Vec::new();
    }
    let found = parse(&bytes);
    // Kept for the next run; a cache that cannot be written only means reading the file again.
    let _ = create_private_dir(cache_dir).and_then(|_| write_atomic(&kept, encode(&stamp, &found).as_bytes()));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let load = |c: &Path, f: &Path| super::load(c, f, crate::provider::claude::settings_file::readings);
        let first = load(&cache, &file);
        assert_eq!(first.len(), 2);
        assert_eq!(load(&cache, &file), first, "the kept copy gives the same");
        // The kept copy is what a run with the same file reads: a changed copy shows it.
        let kept = fs::read_dir(&cache).unwrap().next().unwrap().unwrap().path();
        let text = fs::read_to_string(&kept).unwrap().replace("\t91\t", "\t92\t");
        fs::write(&kept, text).unwrap();
        assert_eq!(load(&cache, &file)[1].used_percent, 92.0);
        // A new answer (another size) is read again.
        fs::write(&file, body(9)).unwrap();
        assert_eq!(load(&cache, &file)[1].used_percent, 9.0);
        assert!(load(&cache, &d.path().join("none.json")).is_empty());
    }
}
