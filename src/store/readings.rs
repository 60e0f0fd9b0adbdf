//! The readings Claude Code hands its status line, remembered between invocations so the shell and
//! tmux segments show the same figure.
//!
//! Each reading belongs to the history root (the `projects/` dir of the session's transcript,
//! resolved) it came from, so that two accounts with two config dirs do not mix; one without a known
//! root applies to every root. Each root has its own small file, `readings/<hash of the root>`, so a
//! run reads only the files of its own roots however many roots there ever were; a file whose root
//! is gone is deleted when a new root's file is made, and readings of windows that ended more than
//! `KEEP_DAYS` ago are dropped. A file is a checksum line, then JSON: a flipped bit makes it ignored
//! (and logged), never a different figure. Written through a temporary file and a rename, under a lock
//! that is tried and, when busy, given up on (another status line is writing a reading of the same
//! moment).

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::ground::evidence::Reading;
use crate::ground::files::{create_private_dir, read_bounded, write_atomic};
use crate::ground::hash::{checksum, key};
use crate::ground::log;
use crate::ground::provider::Provider;
use crate::ground::time::DAY_MS;
use crate::ground::window::Window;

const DIR: &str = "readings";
const LOCK: &str = "readings.lock";
/// Readings kept per provider and window of a root: enough to learn how local cost maps to a share.
const KEEP: usize = 96;
/// A window that ended this long ago teaches nothing more (calibration looks at the last four).
const KEEP_DAYS: i64 = 35;
/// A readings file larger than this is not one runway wrote.
const MAX_FILE: u64 = 4 << 20;

/// A reading and the root it belongs to ("" when unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct Rooted {
    pub reading: Reading,
    pub root: String,
}

#[derive(Debug, Default, PartialEq)]
pub struct Readings {
    pub list: Vec<Rooted>,
    /// Figures the status line handed over that were refused as implausible, and the last reason.
    pub refused: u64,
    pub last_refused: String,
}

fn to_json(r: &Reading) -> Value {
    json!({
        "provider": r.provider.name(), "window": r.window.key(), "used_percent": r.used_percent,
        "resets_at": r.resets_at, "observed_at": r.observed_at,
    })
}

fn from_json(v: &Value) -> Option<Reading> {
    let window = [Window::FiveHour, Window::SevenDay, Window::Spend].into_iter().find(|w| v["window"] == w.key())?;
    let (p, used) = (Provider::from_name(v["provider"].as_str()?)?, v["used_percent"].as_f64()?);
    let (reset, seen) = (v["resets_at"].as_i64()?, v["observed_at"].as_i64()?);
    Some(match window {
        Window::Spend => Reading::spend(p, used, reset, seen),
        w => Reading::new(p, w, used, reset, seen),
    })
}

/// A root as readings name it: resolved, so that two spellings of one directory match.
pub fn root_key(p: &Path) -> String {
    fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()
}

/// The keys of a set of root paths.
pub fn root_keys(paths: &[PathBuf]) -> HashSet<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

/// The file of one root's readings ("" for readings of no known root).
fn file_of(cache_dir: &Path, root: &str) -> PathBuf {
    cache_dir.join(DIR).join(format!("{:016x}", key("readings-root", &[root.as_bytes()])))
}

/// One root's file: its readings, refused count and last reason.
#[derive(Debug, Default)]
struct RootFile {
    root: String,
    readings: Vec<Reading>,
    refused: u64,
    last_refused: String,
}

impl RootFile {
    fn load(path: &Path) -> Option<RootFile> {
        let b = read_bounded(path, MAX_FILE).ok()?;
        let parsed = (|| {
            let nl = b.iter().position(|&c| c == b'\n')?;
            let (sum, body) = (std::str::from_utf8(&b[..nl]).ok()?, &b[nl + 1..]);
            if u64::from_str_radix(sum, 16).ok()? != checksum("readings", body) {
                return None;
            }
            let v: Value = serde_json::from_slice(body).ok()?;
            Some(RootFile {
                root: v["root"].as_str()?.to_owned(),
                readings: v["readings"].as_array()?.iter().filter_map(from_json).collect(),
                refused: v["refused"].as_u64().unwrap_or(0),
                last_refused: v["last_refused"].as_str().unwrap_or("").to_owned(),
            })
        })();
        if parsed.is_none() {
            log::warn(&format!("ignoring damaged {}", path.display()));
        }
        parsed
    }

    fn save(&self, path: &Path) -> io::Result<()> {
        let items: Vec<Value> = self.readings.iter().map(to_json).collect();
        let doc =
            json!({ "root": self.root, "readings": items, "refused": self.refused, "last_refused": self.last_refused });
        let body = serde_json::to_vec(&doc).map_err(io::Error::other)?;
        let mut bytes = format!("{:016x}\n", checksum("readings", &body)).into_bytes();
        bytes.extend_from_slice(&body);
        write_atomic(path, &bytes)
    }
}

impl Readings {
    /// The readings of these roots (as `root_key` names them) and of no known root; a missing file is
    /// no readings, a damaged one is logged and ignored.
    pub fn load(cache_dir: &Path, roots: &HashSet<String>) -> Readings {
        let mut out = Readings::default();
        for root in std::iter::once("").chain(roots.iter().map(String::as_str)) {
            let path = file_of(cache_dir, root);
            let Some(f) = path.exists().then(|| RootFile::load(&path)).flatten() else { continue };
            out.list.extend(f.readings.into_iter().map(|reading| Rooted { reading, root: f.root.clone() }));
            out.refused += f.refused;
            if !f.last_refused.is_empty() {
                out.last_refused = f.last_refused;
            }
        }
        out.list.sort_by_key(|x| x.reading.observed_at);
        out
    }

    /// Adds readings of `root` (a figure seen again only extends the one before; at most `KEEP` per
    /// window, none of windows long over), counts the refused ones, and writes that root's file.
    pub fn record(cache_dir: &Path, new: &[Reading], refused: &[String], root: Option<&Path>) -> io::Result<()> {
        if new.is_empty() && refused.is_empty() {
            return Ok(());
        }
        create_private_dir(&cache_dir.join(DIR))?;
        let lock =
            OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(cache_dir.join(LOCK))?;
        if lock.try_lock().is_err() {
            return Ok(());
        }
        let root = root.map(root_key).unwrap_or_default();
        let path = file_of(cache_dir, &root);
        let existed = path.exists();
        let mut f = RootFile::load(&path).filter(|f| f.root == root).unwrap_or_default();
        f.root = root;
        f.refused += refused.len() as u64;
        if let Some(last) = refused.last() {
            f.last_refused = last.clone();
        }
        for n in new {
            add(&mut f.readings, n);
        }
        let newest = f.readings.iter().map(|r| r.observed_at).max().unwrap_or(0);
        f.readings.retain(|r| r.resets_at >= newest - KEEP_DAYS * DAY_MS);
        f.readings.sort_by_key(|r| r.observed_at);
        f.save(&path)?;
        // The `readings.json` of earlier versions holds every root at once: it is read no more.
        let _ = fs::remove_file(cache_dir.join("readings.json"));
        if !existed {
            forget_gone_roots(cache_dir);
        }
        Ok(())
    }

    /// Readings of a provider that apply to these roots, observed at or before `now`, oldest first.
    pub fn of(&self, p: Provider, roots: &HashSet<String>, now: i64) -> Vec<Reading> {
        self.list
            .iter()
            .filter(|r| r.reading.provider == p && r.reading.observed_at <= now)
            .filter(|r| r.root.is_empty() || roots.contains(&r.root))
            .map(|r| r.reading.clone())
            .collect()
    }
}

/// Adds one reading to a root's list: the same figure seen again only extends the newest one (so the
/// list spans more windows for learning); a duplicate of one moment is kept once; `KEEP` per window.
fn add(list: &mut Vec<Reading>, n: &Reading) {
    let same = |o: &Reading| o.provider == n.provider && o.window == n.window;
    if let Some(o) = list.iter_mut().filter(|o| same(o)).max_by_key(|o| o.observed_at)
        && o.used_percent == n.used_percent
        && o.resets_at == n.resets_at
    {
        o.observed_at = o.observed_at.max(n.observed_at);
        return;
    }
    if list.iter().any(|o| same(o) && o.observed_at == n.observed_at) {
        return;
    }
    list.push(n.clone());
    let mut mine: Vec<i64> = list.iter().filter(|o| same(o)).map(|o| o.observed_at).collect();
    if mine.len() > KEEP {
        mine.sort_unstable();
        let cut = mine[mine.len() - KEEP];
        list.retain(|o| !same(o) || o.observed_at >= cut);
    }
}

/// Deletes the files of roots that no longer exist (a config dir removed, a temporary one).
fn forget_gone_roots(cache_dir: &Path) {
    let Ok(rd) = fs::read_dir(cache_dir.join(DIR)) else { return };
    for e in rd.flatten() {
        let gone = RootFile::load(&e.path()).is_none_or(|f| !f.root.is_empty() && !Path::new(&f.root).exists());
        if gone {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(window: Window, used: f64, observed_at: i64) -> Reading {
        Reading::new(Provider::CLAUDE, window, used, observed_at + 1000, observed_at)
    }

    #[test]
    fn record_load_and_select() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a/projects");
        fs::create_dir_all(&a).unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 10.0, 5), r(Window::SevenDay, 40.0, 5)], &[], Some(&a))
            .unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 12.0, 7), r(Window::FiveHour, 12.0, 7)], &[], Some(&a))
            .unwrap();
        // The same figure again later: the reading just holds longer.
        Readings::record(d.path(), &[Reading { observed_at: 9, ..r(Window::FiveHour, 12.0, 7) }], &[], Some(&a))
            .unwrap();
        let elsewhere = d.path().join("b/projects");
        fs::create_dir_all(&elsewhere).unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 99.0, 6)], &["five_hour: bad".into()], Some(&elsewhere))
            .unwrap();
        let mine = root_keys(&[fs::canonicalize(&a).unwrap()]);
        let all = Readings::load(d.path(), &mine);
        assert_eq!(all.list.len(), 3, "a duplicate of one moment is kept once; the other root's not read");
        let five: Vec<(f64, i64)> = all
            .of(Provider::CLAUDE, &mine, 100)
            .iter()
            .filter(|x| x.window == Window::FiveHour)
            .map(|x| (x.used_percent, x.observed_at))
            .collect();
        assert_eq!(five, vec![(10.0, 5), (12.0, 9)]);
        assert_eq!(all.of(Provider::CLAUDE, &mine, 6).len(), 2, "not after now");
        assert!(all.of(Provider::CODEX, &mine, 100).is_empty());
        let theirs = Readings::load(d.path(), &root_keys(&[fs::canonicalize(&elsewhere).unwrap()]));
        assert_eq!((theirs.refused, theirs.last_refused.as_str(), theirs.list.len()), (1, "five_hour: bad", 1));
    }

    #[test]
    fn a_damaged_file_is_ignored_not_misread() {
        let d = tempfile::tempdir().unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 12.0, 7)], &[], None).unwrap();
        let path = file_of(d.path(), "");
        let good = fs::read(&path).unwrap();
        let at = good.iter().position(|&c| c == b'2').unwrap();
        let mut bad = good.clone();
        bad[at] = b'9'; // 12% would read as 19%
        fs::write(&path, &bad).unwrap();
        assert_eq!(Readings::load(d.path(), &HashSet::new()), Readings::default());
        fs::write(&path, &good).unwrap();
        assert_eq!(Readings::load(d.path(), &HashSet::new()).list.len(), 1);
    }

    #[test]
    fn keeps_the_newest_and_forgets_what_is_over_or_gone() {
        let d = tempfile::tempdir().unwrap();
        for i in 0..(KEEP as i64 + 10) {
            Readings::record(d.path(), &[r(Window::FiveHour, i as f64, i)], &[], None).unwrap();
        }
        let all = Readings::load(d.path(), &HashSet::new());
        assert_eq!(all.list.len(), KEEP);
        assert_eq!(all.list[0].reading.observed_at, 10);
        // A reading of a window long over goes once a newer one comes.
        Readings::record(d.path(), &[r(Window::SevenDay, 5.0, 40 * DAY_MS)], &[], None).unwrap();
        assert_eq!(Readings::load(d.path(), &HashSet::new()).list.len(), 1);
        // A root that is gone: its file goes when a new root's file is made.
        let (gone, next) = (d.path().join("gone/projects"), d.path().join("next/projects"));
        fs::create_dir_all(&gone).unwrap();
        fs::create_dir_all(&next).unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 1.0, 1)], &[], Some(&gone)).unwrap();
        let gone_file = file_of(d.path(), &root_key(&gone));
        fs::remove_dir_all(d.path().join("gone")).unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 1.0, 1)], &[], Some(&next)).unwrap();
        assert!(!gone_file.exists());
        assert!(file_of(d.path(), &root_key(&next)).exists() && file_of(d.path(), "").exists());
    }
}
