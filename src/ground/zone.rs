//! Time zones by name, and the system's: `TZ`, then the system's own setting (`/etc/localtime`).
//! Every zone file is read here, bounded, never by the zone library: it reads whatever file it is
//! given to its end, and indexes the whole folder `TZDIR` names first. A FIFO in that folder held
//! every run that shows a clock time, `TZDIR=/dev` with `TZ=stdin` read the prompt's own input,
//! `TZ=zero` filled memory, and `TZDIR=/` walked the whole disk (3 to 19 s a prompt). The same values
//! mean the same zones otherwise: a POSIX rule; a zone name, a file under the zone folder (`TZDIR`,
//! else the system's), found without regard to ASCII case as the library found it (`posix/…` too, as
//! the C library takes it), never one in the current folder; a path under a `zoneinfo/` folder by its
//! name; any other path as a zone file. Where a system keeps no zone folder (Windows), names come
//! from the library's bundled database (it reads no `TZDIR`: its own folder reading is not built in).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

use super::env::Env;
use super::files::read_bounded;
use super::platform;

/// The zone clock times are shown in, found the first time one is: only `{reset_at}` and `status`
/// show a clock time. (Through the zone library, which walked the zone database, done at every run
/// it took a warm prompt from 3.68M to 6.55M instructions and 2.7 to 3.7 ms; read here, one zone
/// file, a prompt showing `{reset_at}` went from 1.9 to 1.0 ms and `status` from 2.0 to 1.1 ms, the
/// real fixture's, hyperfine means of 200.)
#[derive(Clone, Debug, Default)]
pub struct Zone {
    /// An IANA name; empty for the system's.
    name: String,
    /// `TZ` and `TZDIR` as the invocation's environment has them (the system's zone).
    tz: Option<OsString>,
    tzdir: Option<OsString>,
    /// The zone, and why the name was not one (UTC stands in for it).
    found: std::cell::OnceCell<(jiff::tz::TimeZone, Option<String>)>,
}

impl Zone {
    pub fn named(name: &str, env: &Env) -> Zone {
        Zone {
            name: name.trim().to_owned(),
            tz: env.raw("TZ").cloned(),
            tzdir: env.raw("TZDIR").cloned(),
            found: std::cell::OnceCell::new(),
        }
    }

    pub fn utc() -> Zone {
        let found = std::cell::OnceCell::new();
        let _ = found.set((jiff::tz::TimeZone::UTC, None));
        Zone { name: "UTC".into(), found, ..Zone::default() }
    }

    pub fn get(&self) -> &jiff::tz::TimeZone {
        &self.looked_up().0
    }

    /// Why the name is no zone, looked up now if it was not yet (a prompt asks when it shows a clock
    /// time, and finds it then anyway).
    pub fn problem(&self) -> Option<&str> {
        self.looked_up().1.as_deref()
    }

    fn looked_up(&self) -> &(jiff::tz::TimeZone, Option<String>) {
        self.found.get_or_init(|| match lookup(&self.name, self.tz.as_deref(), self.tzdir.as_deref()) {
            Ok(z) => (z, None),
            Err(e) => (jiff::tz::TimeZone::UTC, Some(e)),
        })
    }
}

/// A time zone by IANA name, or the system's (`TZ`, then `/etc/localtime`) for an empty name.
pub fn zone(name: &str, env: &Env) -> Result<jiff::tz::TimeZone, String> {
    lookup(name, env.raw("TZ").map(OsString::as_os_str), env.raw("TZDIR").map(OsString::as_os_str))
}

fn lookup(name: &str, tz: Option<&OsStr>, tzdir: Option<&OsStr>) -> Result<jiff::tz::TimeZone, String> {
    if name.trim().is_empty() {
        return system(tz, tzdir);
    }
    named(name.trim(), tzdir)
        .ok_or_else(|| format!("unknown time zone {:?} (an IANA name like Europe/Paris)", name.trim()))
}

/// A zone file is a few KiB; a `TZ` naming a larger file names no zone.
const MAX_ZONE_FILE: u64 = 256 * 1024;

/// The zone `TZ` names (`None`: unset, the system's own); a relative file name under `tzdir`.
pub fn system(tz: Option<&OsStr>, tzdir: Option<&OsStr>) -> Result<TimeZone, String> {
    let Some(tz) = tz else { return Ok(local().unwrap_or(TimeZone::UTC)) };
    let text = tz.to_string_lossy();
    // Unix tools agree that an empty `TZ` is UTC.
    if text.is_empty() {
        return Ok(TimeZone::UTC);
    }
    if let Ok(z) = TimeZone::posix(&text) {
        return Ok(z);
    }
    let name = text.strip_prefix(':').unwrap_or(&text);
    let under = name.rfind("zoneinfo/").map(|at| &name[at + "zoneinfo/".len()..]);
    let by_name = named(under.unwrap_or(name), tzdir);
    let file = || Path::new(name).is_absolute().then(|| zone_file(Path::new(name), under.unwrap_or(name))).flatten();
    by_name.or_else(file).ok_or_else(|| format!("TZ={text:?} is no zone: a zone name, or the path of a zone file"))
}

/// The zone an IANA name stands for: its file under the zone folders (`tzdir` when set, as the C
/// library has it, else the system's), else the library's bundled database where there is one.
fn named(name: &str, tzdir: Option<&OsStr>) -> Option<TimeZone> {
    // Relative, or joined to a folder it would stand in for (a path is `TZ`'s, by `system`).
    plausible_zone(name).ok().filter(|_| !name.is_empty() && !name.starts_with('/'))?;
    if name.eq_ignore_ascii_case("UTC") {
        return Some(TimeZone::UTC);
    }
    let dirs: Vec<PathBuf> = match tzdir.filter(|d| !d.is_empty()) {
        Some(d) => vec![PathBuf::from(d)],
        None => platform::ZONE_DIRS.iter().map(PathBuf::from).collect(),
    };
    let in_dir = |dir: &PathBuf| {
        zone_file(&dir.join(name), name).or_else(|| spelt(dir, name).and_then(|n| zone_file(&dir.join(&n), &n)))
    };
    dirs.iter().find_map(in_dir).or_else(|| TimeZone::get(name).ok())
}

/// How many names of a folder are looked at for one part of a zone's name (a zone folder's largest,
/// `America/`, holds about 170).
const MAX_NAMES: usize = 4096;

/// `name` as `dir` spells it, part by part without regard to ASCII case (`europe/paris`), as the
/// zone library took names; one folder listed a part, at most `MAX_NAMES` of its names.
fn spelt(dir: &Path, name: &str) -> Option<String> {
    let mut at = dir.to_path_buf();
    let mut parts = Vec::new();
    for part in name.split('/') {
        let found = std::fs::read_dir(&at).ok()?.take(MAX_NAMES).flatten().find_map(|e| {
            let n = e.file_name().into_string().ok()?;
            n.eq_ignore_ascii_case(part).then_some(n)
        })?;
        at.push(&found);
        parts.push(found);
    }
    Some(parts.join("/"))
}

/// The system's own zone: its zone file, named by its link into a zone folder (else by its path);
/// where the system keeps no such file, the zone library asks the system.
fn local() -> Option<TimeZone> {
    let Some(path) = platform::LOCALTIME else { return TimeZone::try_system().ok() };
    let link = std::fs::read_link(path).ok();
    let name = link.as_ref().and_then(|t| {
        let t = t.to_str()?;
        Some(&t[t.rfind("zoneinfo/")? + "zoneinfo/".len()..])
    });
    zone_file(Path::new(path), name.filter(|n| plausible_zone(n).is_ok()).unwrap_or(path))
}

/// Whether `name` could be a zone name, without reading the database (a prompt checks this much).
pub fn plausible_zone(name: &str) -> Result<(), String> {
    let n = name.trim();
    let ok = n.is_empty()
        || (n.len() <= 64 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b)) && !n.contains(".."));
    if ok { Ok(()) } else { Err(format!("{n:?} is not a time zone name (an IANA name like Europe/Paris)")) }
}

/// The zone in the file at `path`, called `name`: a small regular file, read no further than a zone
/// file can be.
fn zone_file(path: &Path, name: &str) -> Option<TimeZone> {
    let bytes = read_bounded(path, MAX_ZONE_FILE).ok()?;
    TimeZone::tzif(name, &bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_rules_names_and_files_are_zones_and_nothing_else_is() {
        let d = tempfile::tempdir().unwrap();
        let at = |s: &str| system(Some(OsStr::new(s)), None);
        let offset = |z: TimeZone| z.to_offset(jiff::Timestamp::from_second(1_770_912_000).unwrap()).seconds();
        assert_eq!(offset(at("").unwrap()), 0);
        assert_eq!(offset(at("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()), 3600);
        assert_eq!(offset(at("JST-9").unwrap()), 9 * 3600);
        let paris = "/usr/share/zoneinfo/Europe/Paris";
        if Path::new(paris).exists() {
            for tz in ["Europe/Paris", ":Europe/Paris", paris, &format!(":{paris}")] {
                assert_eq!(offset(at(tz).unwrap()), 3600, "{tz}");
            }
            // A zone file anywhere else, by its path.
            let copy = d.path().join("zone");
            std::fs::copy(paris, &copy).unwrap();
            assert_eq!(offset(at(copy.to_str().unwrap()).unwrap()), 3600);
        }
        // A name the database lacks, a file under the zone folder (as `date` takes it).
        if Path::new("/usr/share/zoneinfo/posix/Europe/Paris").exists() {
            assert_eq!(offset(at("posix/Europe/Paris").unwrap()), 3600);
        }
        // A zone file padded past the bound: taken whole it reads as the zone (what follows a zone
        // file's footer is not looked at), so only the bound refuses it.
        if Path::new(paris).exists() {
            let mut padded = std::fs::read(paris).unwrap();
            padded.resize(MAX_ZONE_FILE as usize + 1, b'\n');
            assert!(TimeZone::tzif("padded", &padded).is_ok(), "the library takes it");
            let path = d.path().join("padded");
            std::fs::write(&path, &padded).unwrap();
            assert!(at(path.to_str().unwrap()).is_err(), "past the bound");
        }
        // Not a zone file, too large a file, a file that is no regular file, and no file at all.
        let junk = d.path().join("junk");
        std::fs::write(&junk, "not a zone").unwrap();
        let big = d.path().join("big");
        std::fs::write(&big, vec![b'T'; MAX_ZONE_FILE as usize + 1]).unwrap();
        for tz in [junk.to_str().unwrap(), big.to_str().unwrap(), "/dev/zero", "/nowhere/zone", "Mars/Olympus"] {
            assert!(at(tz).is_err(), "{tz}");
        }
        #[cfg(target_os = "linux")]
        assert!(at("/proc/self/pagemap").is_err(), "a regular file of size 0 read past a zone's size");
    }

    #[test]
    fn the_system_zone_is_the_invocations_tz_and_tzdir() {
        // From the environment the invocation captured, not the process's (a test's own, here).
        let offset = |z: TimeZone| z.to_offset(jiff::Timestamp::from_second(1_770_912_000).unwrap()).seconds();
        assert_eq!(offset(zone("", &Env::of(&[("TZ", "JST-9")])).unwrap()), 9 * 3600);
        assert_eq!(offset(zone("", &Env::of(&[("TZ", "")])).unwrap()), 0, "set, and empty: UTC");
        assert_eq!(offset(Zone::named("", &Env::of(&[("TZ", "JST-9")])).get().clone()), 9 * 3600);
        let paris = "/usr/share/zoneinfo/Europe/Paris";
        if Path::new(paris).exists() {
            // A name no database has, a file under the invocation's TZDIR.
            let d = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(d.path().join("Nowhere")).unwrap();
            std::fs::copy(paris, d.path().join("Nowhere/Town")).unwrap();
            let env = Env::of(&[("TZ", "Nowhere/Town"), ("TZDIR", d.path().to_str().unwrap())]);
            assert_eq!(offset(zone("", &env).unwrap()), 3600);
            assert!(zone("", &Env::of(&[("TZ", "Nowhere/Town")])).is_err(), "not under the system's folder");
        }
        // The setting takes names, not paths (a path is `TZ`'s).
        if Path::new("/usr/share/zoneinfo/Europe/Paris").exists() {
            assert!(zone("/usr/share/zoneinfo/Europe/Paris", &Env::default()).is_err());
        }
        // Unset, the system's own: named by its link into the zone folder, as `status` says it.
        if let Some(Ok(link)) = platform::LOCALTIME.map(std::fs::read_link)
            && let Some(at) = link.to_str().and_then(|l| l.rfind("zoneinfo/"))
        {
            let z = zone("", &Env::default()).unwrap();
            assert_eq!(z.iana_name(), Some(&link.to_str().unwrap()[at + "zoneinfo/".len()..]));
        }
    }
}
