//! `runway doctor`: where runway looks, what it tracks, the cache, and what each stage cost.

use std::fmt::Write;
use std::io;
use std::process::ExitCode;

use super::{emit, problems};
use crate::app::App;
use crate::config::Config;
use crate::ground::cache::Item;
use crate::ground::log;
use crate::ground::provider::Provider;
use crate::ground::time::rfc3339;
use crate::render::clean::clean;
use crate::render::fit::width;
use crate::render::words::{bytes as human_bytes, duration};
use crate::store::ingest::Pace;

pub fn run(cfg: Config, problems: &[String]) -> io::Result<ExitCode> {
    let app = App::load(cfg, Pace::Full);
    emit(&app.cfg.style.text(&report(&app, problems))).map(|_| ExitCode::SUCCESS)
}

fn report(eng: &App, problems: &[String]) -> String {
    let db = &eng.run.db;
    let st = &db.state;
    let mut o = String::new();
    let _ = writeln!(o, "runway {}", env!("CARGO_PKG_VERSION"));
    o += &problem_lines(eng, problems);
    for v in crate::config::unread() {
        let _ = writeln!(o, "environment: {}", clean(&v));
    }
    let cache = &eng.cfg.cache;
    let _ = writeln!(o, "\nroots");
    if eng.roots.is_empty() {
        let vars: Vec<&str> = Provider::ALL.iter().flat_map(|p| p.spec().env.iter().copied()).collect();
        let _ = writeln!(o, "  none: {}, nor any of {}", crate::render::words::no_home(&eng.cfg.env), vars.join(", "));
    }
    for r in &eng.roots {
        let state = root_state(&r.path);
        let _ = writeln!(o, "  {:<8} {:<8} {}", r.provider.name(), state, clean(&r.path.display().to_string()));
        // `GEMINI_CLI_HOME=~/.gemini` looks in `~/.gemini/.gemini/tmp`: say which setting to look at.
        if state == "missing" && named_twice(&r.path) {
            let vars = r.provider.spec().env.join(" or ");
            let _ = writeln!(o, "           a folder named twice in a row: does {vars} name one folder too deep?");
        }
    }
    // A fresh machine's first question: is anything there at all.
    if !eng.roots.is_empty() && eng.roots.iter().all(|r| root_state(&r.path) == "missing") {
        let _ = writeln!(
            o,
            "  no tool's history is here yet: runway has nothing to show (`runway demo` shows it on sample history)"
        );
    }
    let _ = writeln!(o, "\ntracked");
    for &p in Provider::ALL {
        let files: Vec<_> = st.files.iter().filter(|f| f.provider == p).collect();
        if files.is_empty() && eng.roots_of(p).next().is_none() {
            continue;
        }
        let bytes: u64 = files.iter().map(|f| f.mark.offset).sum();
        let malformed: u64 = files.iter().map(|f| u64::from(f.malformed)).sum();
        let oversized: u64 = files.iter().map(|f| u64::from(f.oversized)).sum();
        let unreadable = files.iter().filter(|f| f.unreadable).count();
        let odd: u64 = files.iter().map(|f| u64::from(f.odd)).sum();
        let refused = [
            (malformed, "malformed usage line", "malformed usage lines"),
            (oversized, "oversized line", "oversized lines"),
            (unreadable as u64, "unreadable file", "unreadable files"),
            (odd, "field of an unexpected type ignored", "fields of an unexpected type ignored"),
        ];
        let mut parts = vec![format!("{}, {} read", counted(files.len() as u64, "file", "files"), human_bytes(bytes))];
        parts.extend(refused.iter().filter(|r| r.0 > 0).map(|&(k, one, many)| counted(k, one, many)));
        if parts.len() == 1 {
            parts.push("nothing malformed, oversized or unreadable".into());
        }
        let _ = writeln!(o, "{}", tool_line(p.name(), &parts));
        for f in files.iter().filter(|f| f.malformed > 0 || f.unreadable).take(5) {
            let why = if f.unreadable { "unreadable".to_owned() } else { format!("{} malformed", f.malformed) };
            let _ = writeln!(o, "            {why}: {}", clean(&String::from_utf8_lossy(&f.path)));
        }
    }
    let crate::read::scan::Skipped { blind, capped, unfollowed, odd } = crate::read::scan::unreadable_dirs(&eng.roots);
    o += &paths("path", "named as history but no regular file (a FIFO, a device, a broken link), not read", &odd);
    o += &paths(
        "link",
        "to a folder above the history (it holds everything else too) or in /proc or /sys, not followed",
        &unfollowed,
    );
    if capped {
        let _ = writeln!(
            o,
            "  PROBLEM more than {} folders through links under the roots (a link to a large tree?): the walk \
             stops there; files beyond are counted as last read, new ones not seen",
            crate::read::scan::FOLDERS_WALKED
        );
    }
    o += &paths("folder", "that cannot be listed (its files are counted as last read, new ones not seen)", &blind);
    o += &sync_lines(eng);
    let _ = writeln!(o, "\ncache");
    let _ = writeln!(o, "  dir       {}", clean(&db.dir.display().to_string()));
    let size: u64 = cache.list(Some(Item::Db(db.id))).iter().map(|(_, m)| m.len()).sum();
    let age = if st.written_at > 0 { format!("{} ago", ago(eng.cfg.wall_ms - st.written_at)) } else { "never".into() };
    let _ = writeln!(o, "  size      {}, last written {age}", human_bytes(size));
    let pending = counted(st.delta.len() as u64, "record", "records");
    let _ = writeln!(o, "  pending   {pending} since the last compaction");
    let rescan = match st.last_sweep {
        0 => "never".to_owned(),
        t => format!("{} ago", ago(eng.cfg.wall_ms - t)),
    };
    let _ = writeln!(
        o,
        "  rescan    last full walk {rescan}; every {}s at most (RUNWAY_RESCAN_SECS)",
        eng.cfg.rescan_ms / 1000
    );
    if let Some(why) = cache.refused() {
        let _ = writeln!(
            o,
            "  PROBLEM   the cache directory is refused: {}\n            nothing in it is read or written (the log \
             included); a prompt shows what it reads within its budget (else `runway: see doctor`) and other \
             commands read all history each time until it is removed or RUNWAY_CACHE_DIR names another",
            clean(why)
        );
    } else if let Some(why) = &db.memory_only {
        let _ = writeln!(
            o,
            "  PROBLEM   {why}\n            every run reads all history again (slow) until it can be written"
        );
    }
    if let Some(ms) = eng.run.info.stale {
        let _ = writeln!(
            o,
            "  PROBLEM   another runway has held the cache's lock for {} and does not finish (a stopped or stuck process?):\n            prompts show the figures it last kept, marked (stale)",
            duration(ms)
        );
    }
    for odd in cache.survey() {
        let _ =
            writeln!(o, "  PROBLEM   {} (runway ignores it, and replaces it when it writes that file)", clean(&odd));
    }
    if let Some(why) = &db.discarded {
        let _ = writeln!(o, "  rebuilt   {why}");
    }
    if let Some(p) = log::path() {
        let _ = writeln!(o, "  log       {}", clean(&p.display().to_string()));
    }
    let _ = writeln!(o, "\nevidence (what the services said)");
    for &p in Provider::ALL {
        let ev = eng.evidence(p);
        // A tool whose service reports no window has no row, unless something was said anyway.
        let reports = p.spec().windows.contains(&crate::ground::window::Window::SevenDay);
        if !reports && ev.readings.is_empty() && ev.hits.is_empty() {
            continue;
        }
        let count = |w| ev.of(w).count() as u64;
        let (five, week) =
            (count(crate::ground::window::Window::FiveHour), count(crate::ground::window::Window::SevenDay));
        let mut parts = match ev.readings.iter().map(|r| r.observed_at).max() {
            Some(t) => vec![
                format!(
                    "{} and {}",
                    counted(five, "5-hour reading", "5-hour readings"),
                    counted(week, "7-day reading", "7-day readings")
                ),
                format!("the newest {}", rfc3339(t)),
            ],
            None => vec!["no readings".into()],
        };
        let hits = match ev.hits.len() {
            0 => "no \"usage limit reached\" notice".to_owned(),
            k => counted(k as u64, "\"usage limit reached\" notice", "\"usage limit reached\" notices"),
        };
        parts.push(hits);
        let _ = writeln!(o, "{}", tool_line(p.name(), &parts));
        // A file of readings past its bound is not read at all: its figures are missing, said here.
        for f in (p.spec().reading_files)(&eng.cfg.env) {
            if let Ok(md) = std::fs::metadata(&f.path)
                && md.is_file()
                && md.len() > f.max
            {
                let path = f.path.display().to_string();
                let parts =
                    [format!("{} {}", f.name, clean(&path)), format!("larger than {}: not read", human_bytes(f.max))];
                let _ = writeln!(o, "{}", tool_line("", &parts));
            }
        }
    }
    let st_readings = &eng.readings;
    let implausible: u64 = st.files.iter().map(|f| u64::from(f.implausible)).sum();
    if st_readings.refused > 0 || implausible > 0 {
        let last = if st_readings.last_refused.is_empty() {
            String::new()
        } else {
            format!(" (last: {})", st_readings.last_refused)
        };
        let parts = [
            counted(st_readings.refused, "implausible status-line figure", "implausible status-line figures") + &last,
            format!("{implausible} in transcripts (readings, or calls with impossible counts)"),
        ];
        let _ = writeln!(o, "{}", tool_line("refused", &parts));
    }
    // A notice due that cannot be recorded is not given (it would come at every prompt): said here.
    let blocked =
        eng.runways().map(|r| crate::notice::deliver::blocked(&super::post(&eng.cfg), &r)).unwrap_or_default();
    if !blocked.is_empty() {
        let _ = writeln!(o, "\nnotices");
        for b in blocked {
            let _ = writeln!(o, "  PROBLEM   {}", clean(&b));
        }
    }
    let _ = writeln!(o, "\ntimings (µs)");
    let _ = writeln!(o, "{}", fmt_timings("  this run:        ", eng.run.info.timings.iter().map(|(k, v)| (*k, *v))));
    let _ = writeln!(o, "{}", fmt_timings("  last update:     ", st.timings.iter().map(|(k, v)| (k.as_str(), *v))));
    if let Some(e) = &eng.run.info.error {
        let _ = writeln!(o, "\nerror: {e}");
    }
    o
}

/// Every problem, newest first: this run's own (a config file line is everyone's; dated by when a
/// prompt first saw it) and those prompts and the status line kept, each with the host that saw it.
fn problem_lines(eng: &App, own: &[String]) -> String {
    let now = eng.cfg.wall_ms;
    let kept = problems::load(&eng.cfg.cache, now);
    let mut all: Vec<(i64, String)> = own
        .iter()
        .map(|p| (kept.iter().filter(|k| &k.text == p).map(|k| k.first).min().unwrap_or(now), p.clone()))
        .collect();
    // A problem of the config file names it; this run read the same file: one it no longer finds
    // there was fixed since (kept until each host that saw it ran again), and none is a host's own.
    // (Named in full: a relative name is another file in another folder; and the name is followed
    // by what a problem of that file says next, so `runway.toml` is not `runway.toml.tmux`.)
    let file = crate::config::config_file(&eng.cfg.env).filter(|p| p.is_absolute()).map(|p| p.display().to_string());
    let of_the_file = |t: &str| {
        file.as_deref().is_some_and(|f| [" line ", ": "].iter().any(|after| t.starts_with(&format!("{f}{after}"))))
    };
    for k in kept.iter().filter(|k| !own.contains(&k.text) && !of_the_file(&k.text)) {
        all.push((k.first, format!("{}, seen by `{}`{}", k.text, k.host, problems::hint(&k.host))));
    }
    all.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut o = String::new();
    for (at, p) in all {
        let when = if now - at < 1_000 { "now".to_owned() } else { format!("{} ago", ago(now - at)) };
        let _ = writeln!(o, "problem ({when}): {}", clean(&p));
    }
    o
}

/// `1 file`, `2 files`.
fn counted(k: u64, one: &str, many: &str) -> String {
    format!("{k} {}", if k == 1 { one } else { many })
}

/// A tool's line: its name, then `parts` (see `wrapped`).
fn tool_line(name: &str, parts: &[String]) -> String {
    wrapped(&format!("  {name:<8} "), parts)
}

/// `head`, then `parts` joined by commas, wrapped before 80 columns under the first, a part never
/// split (`fit::wrap_line` breaks at `; `, ` · ` or a space: it would cut "3 malformed usage
/// lines" in two). Widths as a terminal has them (`fit::width`: a path in Japanese is two columns a
/// character).
fn wrapped(head: &str, parts: &[String]) -> String {
    let mut out = head.to_owned();
    let indent = width(&out);
    let mut col = indent;
    for (i, part) in parts.iter().enumerate() {
        // With the comma after it when another part follows: a line ends at column 80 at most.
        let cols = width(part) + usize::from(i + 1 < parts.len());
        if i > 0 {
            out.push(',');
            if col + 2 + cols > 80 {
                out += &format!("\n{:indent$}", "");
                col = indent;
            } else {
                out.push(' ');
                col += 2;
            }
        }
        out += part;
        col += width(part);
    }
    out
}

fn fmt_timings<'a>(head: &str, t: impl Iterator<Item = (&'a str, u64)>) -> String {
    let parts: Vec<String> = t.map(|(k, v)| format!("{k} {v}")).collect();
    if parts.is_empty() { format!("{head}-") } else { wrapped(head, &parts) }
}

fn ago(ms: i64) -> String {
    if ms < 60_000 { format!("{}s", ms.max(0) / 1000) } else { duration(ms) }
}

/// The sync folder: where, this device, the others and their files' ages, what was left out and why.
fn sync_lines(eng: &App) -> String {
    let (Some(s), Some(me)) = (&eng.cfg.sync, &eng.me) else { return String::new() };
    let mut o = String::new();
    let _ = writeln!(o, "\nsync");
    let _ = writeln!(o, "  folder    {}", clean(&crate::sync::folder::folder(&s.dir).display().to_string()));
    let mine = crate::sync::folder::own_file(&s.dir, me);
    let written = crate::ground::files::open_regular(&mine)
        .ok()
        .and_then(|(_, md)| md.modified().ok()?.elapsed().ok())
        .map_or("not written yet".to_owned(), |a| format!("written {} ago", ago(a.as_millis() as i64)));
    let _ = writeln!(o, "  this      {} ({}), {written}", clean(&me.name), me.id);
    if let Err(why) = crate::sync::folder::usable(&s.dir) {
        let _ = writeln!(o, "  PROBLEM   {}", clean(&why));
    }
    let seen = eng.devices_whole();
    for d in &seen.devices {
        let age = ago(eng.cfg.wall_ms - d.written_at);
        let _ = writeln!(o, "  device    {} ({}), its file written {age} ago", clean(&d.name), d.id);
    }
    if s.projects {
        let _ = writeln!(o, "  shares    project names (sync_projects); numbers only otherwise");
    }
    for (name, why) in &seen.ignored {
        let _ = writeln!(o, "  ignored   {}: {}", clean(name), clean(why));
    }
    o
}

/// A line naming how many paths of a kind there are and the first of them; none for none.
fn paths(noun: &str, what: &str, list: &[Vec<u8>]) -> String {
    let Some(first) = list.first() else { return String::new() };
    let (n, s) = (list.len(), if list.len() == 1 { "" } else { "s" });
    let more = if n > 1 { ", …" } else { "" };
    format!("  {n} {noun}{s} {what}: {}{more}\n", clean(&String::from_utf8_lossy(first)))
}

/// Whether a root is there: "found", "missing", or "closed" (a folder above it closed to this user:
/// there, maybe, but not to be read; its files count as last read).
fn root_state(path: &std::path::Path) -> &'static str {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => "found",
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => "closed",
        _ => "missing",
    }
}

/// Whether two folders in a row of `path` have the same name (`.gemini/.gemini`), the mark of a
/// variable set to the folder it should hold.
fn named_twice(path: &std::path::Path) -> bool {
    let names: Vec<_> = path.components().map(|c| c.as_os_str()).collect();
    names.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::{counted, named_twice, tool_line, width};
    use std::path::Path;

    #[test]
    fn a_folder_named_twice_in_a_row() {
        assert!(named_twice(Path::new("/home/u/.gemini/.gemini/tmp")));
        assert!(named_twice(Path::new("/x/session-state/session-state")));
        assert!(!named_twice(Path::new("/home/u/.gemini/tmp")));
        assert!(!named_twice(Path::new("/a/b/a/b")));
    }

    #[test]
    fn a_tools_line_wraps_under_its_text_before_80_columns() {
        let parts: Vec<String> = ["4057 files, 1006.7 MiB read", "3 malformed usage lines", "1 oversized line"]
            .into_iter()
            .chain(["12 fields of an unexpected type ignored"])
            .map(String::from)
            .collect();
        assert_eq!(
            tool_line("claude", &parts),
            // With `, 1 oversized line` the first line would be 81 columns.
            "  claude   4057 files, 1006.7 MiB read, 3 malformed usage lines,\n\
             \x20          1 oversized line, 12 fields of an unexpected type ignored"
        );
        assert_eq!(tool_line("codex", &parts[..1]), "  codex    4057 files, 1006.7 MiB read");
        // A part that ends at column 80 with another after it: its comma would be the 81st.
        let at_80: Vec<String> = ["x".repeat(60), "y".repeat(7), "z".into()].into_iter().collect();
        let text = tool_line("kimi", &at_80);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        // Wide characters take two columns each: 30 of them are 60.
        let wide: Vec<String> = ["日".repeat(30), "y".repeat(7), "z".into()].into_iter().collect();
        let text = tool_line("kimi", &wide);
        assert!(text.lines().all(|l| width(l) <= 80), "{text}");
        assert_eq!(counted(1, "record", "records"), "1 record");
        assert_eq!(counted(0, "record", "records"), "0 records");
    }
}
