//! Time zones by name, and the system's: `TZ`, then the system's own setting (`/etc/localtime`). `TZ` is read here,
//! not by the zone library, which reads whatever file `TZ` names to its end, relative to the current
//! folder too: a FIFO held every run that shows a clock time, `/dev/zero` or `/proc/self/pagemap`
//! (a regular file of size 0) filled memory. The same values mean the same zones otherwise: a POSIX
//! rule, a zone name, a path under a `zoneinfo/` folder by its name, any other path as a zone file;
//! a name the database does not hold is a file under the system's zone folder (`TZDIR`, else
//! `/usr/share/zoneinfo`), as the C library takes it (`posix/Europe/Paris`), never one in the
//! current folder.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use jiff::tz::TimeZone;

use super::env::Env;
use super::files::read_bounded;

/// The zone clock times are shown in, found the first time one is: finding the system's zone (or
/// checking a name) walks the zone database (/usr/share/zoneinfo). Done at every run it took a warm
/// prompt from 3.68M to 6.55M instructions (callgrind) and 2.7 to 3.7 ms (median of 400), though only
/// `{reset_at}` and `status` show a clock time.
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
    jiff::tz::TimeZone::get(name.trim())
        .map_err(|_| format!("unknown time zone {:?} (an IANA name like Europe/Paris)", name.trim()))
}

/// A zone file is a few KiB; a `TZ` naming a larger file names no zone.
const MAX_ZONE_FILE: u64 = 256 * 1024;

/// The zone `TZ` names (`None`: unset, the system's own); a relative file name under `tzdir`.
pub fn system(tz: Option<&OsStr>, tzdir: Option<&OsStr>) -> Result<TimeZone, String> {
    let Some(tz) = tz else { return Ok(TimeZone::try_system().unwrap_or(TimeZone::UTC)) };
    let text = tz.to_string_lossy();
    // Unix tools agree that an empty `TZ` is UTC.
    if text.is_empty() {
        return Ok(TimeZone::UTC);
    }
    if let Ok(z) = TimeZone::posix(&text) {
        return Ok(z);
    }
    let name = text.strip_prefix(':').unwrap_or(&text);
    let in_db = |n: &str| plausible_zone(n).ok().and_then(|_| TimeZone::get(n).ok());
    let by_name = match name.rfind("zoneinfo/") {
        Some(at) => in_db(&name[at + "zoneinfo/".len()..]),
        None => in_db(name),
    };
    let file = || match Path::new(name).is_absolute() {
        true => zone_file(Path::new(name)),
        false => plausible_zone(name).ok().and_then(|_| {
            let dir = tzdir.filter(|d| !d.is_empty()).unwrap_or(OsStr::new("/usr/share/zoneinfo"));
            zone_file(&Path::new(&dir).join(name))
        }),
    };
    by_name.or_else(file).ok_or_else(|| format!("TZ={text:?} is no zone: a zone name, or the path of a zone file"))
}

/// Whether `name` could be a zone name, without reading the database (a prompt checks this much).
pub fn plausible_zone(name: &str) -> Result<(), String> {
    let n = name.trim();
    let ok = n.is_empty()
        || (n.len() <= 64 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b)) && !n.contains(".."));
    if ok { Ok(()) } else { Err(format!("{n:?} is not a time zone name (an IANA name like Europe/Paris)")) }
}

/// The zone in the file at `path`: a small regular file, read no further than a zone file can be.
fn zone_file(path: &Path) -> Option<TimeZone> {
    let bytes = read_bounded(path, MAX_ZONE_FILE).ok()?;
    TimeZone::tzif(&path.to_string_lossy(), &bytes).ok()
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
    }
}
