//! `runway init claude`: Claude Code's `statusLine` setting, printed, written into `settings.json`, or
//! taken out again.
//!
//! Writing is careful: every config dir in `CLAUDE_CONFIG_DIR` (not just the first), none created
//! (a typo is an error); a linked `settings.json` (dotfiles, stow) is written through to its target;
//! the file keeps its mode from the first byte (the temporary copy is created with it, since a settings
//! file can hold secrets); only the `statusLine` member changes, every other byte stays as written; a
//! backup with a name of its own comes first; and another tool's status line is never replaced
//! without `--replace` (or kept beside runway's with `--keep`). `--remove` puts back what was there.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use super::emit;
use super::init::{exe, sh_quote};
use super::settings_file;
use crate::cli::ClaudeInit;
use crate::ground::env::Env;
use crate::ground::files::write_atomic_mode;
use crate::ground::platform;
use crate::provider::claude;

/// The `statusLine` value that runs this binary with the settings given to `init` (`args`), and after
/// it `then`, when another tool's line is kept.
pub fn status_line(bin: &Path, args: &[String], then: Option<&str>) -> Value {
    status_line_on(bin, args, then, platform::SYSTEM == platform::System::Windows)
}

/// On Windows Claude Code runs the command through Git Bash, or through PowerShell, which takes a
/// quoted word first as a string, not a command (it would need `&`, which bash refuses). So there
/// the path has forward slashes (a backslash is an escape to bash) and only its parts that need it
/// are quoted (`C:/'Program Files'/runway/runway.exe`): a word that does not start with a quote is a
/// command to both, and both join its quoted and bare parts into one. A quote inside a word is
/// written `'"'"'`, which both read as one quote (`'\''` is bash's alone).
fn status_line_on(bin: &Path, args: &[String], then: Option<&str>, windows: bool) -> Value {
    let quote: fn(&str) -> String = if windows { both_quote_arg } else { sh_quote };
    let path = bin.to_string_lossy();
    let mut command = if windows {
        path.replace('\\', "/").split('/').map(both_quote_part).collect::<Vec<_>>().join("/")
    } else {
        sh_quote(&path)
    };
    command += " statusline";
    for a in args {
        command += &format!(" {}", quote(a));
    }
    // On Windows `--then=…`: the command, quoted, after a bare start (see `both_quote_arg`).
    match then {
        Some(other) if windows => command += &format!(" {}", both_quote_arg(&format!("--then={other}"))),
        Some(other) => command += &format!(" --then {}", quote(other)),
        None => {}
    }
    // Claude Code runs the line on its events only (a message, a compaction) unless a timer asks too:
    // idle, the reset's countdown stood still. Once a minute is the countdown's own step.
    json!({ "type": "command", "command": command, "padding": 0, "refreshInterval": REFRESH_SECS })
}

/// How often Claude Code runs the status line besides its events, in seconds.
const REFRESH_SECS: u64 = 60;

/// A word for both bash and PowerShell: bare when it is made of characters neither treats specially
/// (not a comma: PowerShell makes `a,b` an array, two arguments), else single-quoted; a quote inside,
/// and the typographic ones PowerShell takes for quotes too, between double quotes (`'Jo'"’"'s'`),
/// which both read as the character itself.
fn both_quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+:=".contains(&b)) {
        return s.to_owned();
    }
    quoted(s)
}

/// An argument for both: its bare start as it is, the rest quoted (`--set='format={used} it'"'"'s'`).
/// PowerShell takes a word that starts with a quote for an expression, and what follows it for more
/// arguments (`'it'"'"'s'` is three); one that starts bare is one word, as in bash. A dot is quoted
/// too: PowerShell splits a bare `--limit-cost=12.5` at it (its issue 6291).
fn both_quote_arg(s: &str) -> String {
    match s.find(|c: char| !(c.is_ascii_alphanumeric() || "/_-+:=".contains(c))) {
        None => s.to_owned(),
        Some(i) => format!("{}{}", &s[..i], quoted(&s[i..])),
    }
}

/// `s` single-quoted for both shells.
fn quoted(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
            out += &format!("'\"{c}\"'");
        } else {
            out.push(c);
        }
    }
    out + "'"
}

/// A part of a path between slashes (empty parts, as in `//server/share`, stay empty).
fn both_quote_part(s: &str) -> String {
    if s.is_empty() { String::new() } else { both_quote(s) }
}

/// The first word of a command line, its quotes taken off (`'…'`, `"…"`, and a backslash outside
/// them, as sh reads it).
fn first_word(cmd: &str) -> String {
    words(cmd.trim_start(), true)
}

/// `s` read as sh reads one word, to its end (or, `first`, to the first blank outside quotes).
fn words(s: &str, first: bool) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => out.extend(chars.by_ref().take_while(|&c| c != '\'')),
            '"' => out.extend(chars.by_ref().take_while(|&c| c != '"')),
            '\\' => out.extend(chars.next()),
            c if first && c.is_whitespace() => break,
            c => out.push(c),
        }
    }
    out
}

/// Whether a `statusLine` value runs runway.
fn ours(v: &Value) -> bool {
    let cmd = v["command"].as_str().unwrap_or("");
    let first = first_word(cmd);
    let name = first.rsplit(['/', '\\']).next().unwrap_or("");
    (name == "runway" || name.eq_ignore_ascii_case("runway.exe")) && cmd.contains(" statusline")
}

/// `args`: the settings given to `init`, passed on to the status line as to every prompt.
pub fn run(o: ClaudeInit, env: &Env, args: &[String]) -> io::Result<ExitCode> {
    let bin = exe();
    if !o.remove && !super::init::named(&bin) {
        return Ok(ExitCode::from(2));
    }
    if !o.write && !o.remove {
        let text =
            serde_json::to_string_pretty(&json!({ "statusLine": status_line(&bin, args, None) })).unwrap_or_default();
        return emit(&format!("{text}\n")).map(|_| ExitCode::SUCCESS);
    }
    let dirs = claude::config_dirs(env);
    if dirs.is_empty() {
        eprintln!("runway: cannot tell where Claude Code's settings are: HOME and CLAUDE_CONFIG_DIR are not set");
        return Ok(ExitCode::FAILURE);
    }
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S").to_string();
    let mut failed = false;
    for dir in dirs {
        let r = if o.remove { remove(&dir, &stamp) } else { install(&dir, &bin, args, o, &stamp) };
        match r {
            Ok(msg) => emit(&format!("{msg}\n"))?,
            Err(e) => {
                eprintln!("runway: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `settings.json` in a config dir: the name the person knows, the file actually written (its target
/// when it is a link), its text (`{}` when there is none yet) and its mode; and the byte-order mark
/// it began with, which the JSON is read without and written back with (Windows PowerShell 5.1 and
/// some editors write one, and Claude Code reads such a file).
struct Settings {
    name: PathBuf,
    real: PathBuf,
    text: String,
    mode: u32,
    bom: &'static str,
}

fn settings_of(dir: &Path) -> Result<Settings, String> {
    if !dir.is_dir() {
        return Err(format!(
            "{} does not exist: is it Claude Code's config dir? (runway creates none; start Claude Code once, or fix CLAUDE_CONFIG_DIR)",
            dir.display()
        ));
    }
    let name = dir.join("settings.json");
    let real = match fs::symlink_metadata(&name) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(&name).map_err(|e| format!("{} links to nowhere ({e})", name.display()))?
        }
        _ => name.clone(),
    };
    match crate::ground::files::read_text(&real, 64 << 20) {
        Ok(text) => {
            let mode = fs::metadata(&real).map_or(0o600, |m| platform::mode(&m));
            let (bom, text) = match text.strip_prefix('\u{feff}') {
                Some(t) => ("\u{feff}", t.to_owned()),
                None => ("", text),
            };
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(_)) => Ok(Settings { name, real, text, mode, bom }),
                Ok(_) => Err(format!("{} is not a JSON object; not touching it", real.display())),
                Err(e) => Err(format!("cannot parse {} ({e}); not touching it", real.display())),
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Ok(Settings { name, real, text: "{}\n".into(), mode: 0o600, bom: "" })
        }
        Err(e) => Err(format!("cannot read {}: {e}", real.display())),
    }
}

/// A copy of the settings in the config dir (not beside a link's target, which may be a dotfiles
/// repository), under a name no earlier backup has, readable by its owner only (a settings file can
/// hold secrets, and a backup is read by nothing but `--remove`).
fn backup(s: &Settings, stamp: &str) -> Result<PathBuf, String> {
    for n in 0..100 {
        let suffix = if n == 0 { String::new() } else { format!("-{n:02}") };
        let b = s.name.with_file_name(format!("settings.json.runway-backup-{stamp}{suffix}"));
        match platform::create_private(&b) {
            Ok(mut f) => {
                return f.write_all(format!("{}{}", s.bom, s.text).as_bytes()).map(|_| b).map_err(|e| e.to_string());
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot save a backup beside {}: {e}", s.name.display())),
        }
    }
    Err(format!("too many backups beside {}", s.name.display()))
}

/// `text` as the settings file, with the mark it began with.
fn write(s: &Settings, text: &str) -> Result<(), String> {
    let bytes = format!("{}{text}", s.bom);
    write_atomic_mode(&s.real, bytes.as_bytes(), s.mode).map_err(|e| format!("cannot write {}: {e}", s.real.display()))
}

fn install(dir: &Path, bin: &Path, args: &[String], o: ClaudeInit, stamp: &str) -> Result<String, String> {
    let s = settings_of(dir)?;
    let current =
        settings_file::get(&s.text, "statusLine")?.map(|raw| serde_json::from_str::<Value>(raw).unwrap_or(Value::Null));
    let want = match &current {
        Some(v) if !v.is_null() && !ours(v) => {
            let other = v["command"].as_str().unwrap_or("").to_owned();
            if o.keep && !other.is_empty() {
                status_line(bin, args, Some(&other))
            } else if o.replace {
                status_line(bin, args, None)
            } else {
                return Err(format!(
                    "{} already has a status line, another tool's: {}\n  `runway init claude --write --replace` puts runway's instead;\n  `runway init claude --write --keep` shows both (runway's line, then that tool's)",
                    s.name.display(),
                    // Another tool's text, to a terminal: its escape sequences shown, not run.
                    crate::render::clean::clean(
                        &v["command"].as_str().map_or_else(|| v.to_string(), |c| format!("`{c}`"))
                    )
                ));
            }
        }
        // Ours already: keep whatever it runs after it, with this binary's path.
        Some(v) if ours(v) => renewed(bin, args, v, platform::SYSTEM == platform::System::Windows),
        _ => status_line(bin, args, None),
    };
    // A timer the user set on runway's line, or on the line kept beside it, stays; one of a line
    // replaced goes with it.
    let mut want = want;
    if let Some(t) = current.as_ref().filter(|_| !o.replace).and_then(|c| c.get("refreshInterval")) {
        want["refreshInterval"] = t.clone();
    }
    if current.as_ref() == Some(&want) {
        return Ok(format!("{} already runs runway; nothing changed", s.name.display()));
    }
    let new = settings_file::merge(&s.text, "statusLine", &want)?;
    let mut msg = String::new();
    if s.real.exists() {
        msg += &format!("saved {}\n", backup(&s, stamp)?.display());
    }
    write(&s, &new)?;
    msg += &format!("wrote statusLine to {}", shown(&s));
    Ok(msg)
}

/// The file's name as the person knows it, and where a link leads.
fn shown(s: &Settings) -> String {
    if s.real == s.name {
        s.name.display().to_string()
    } else {
        format!("{} (through the link to {})", s.name.display(), s.real.display())
    }
}

/// What runway's line runs after its own (`--then`), still shell-quoted.
/// Runway's line written again, with this binary and `args`, and the command it ran after its own,
/// quoted anew (a line of an older runway quoted it in a way PowerShell splits).
fn renewed(bin: &Path, args: &[String], current: &Value, windows: bool) -> Value {
    let then = then_of(current).and_then(|t| shell_words(&t));
    status_line_on(bin, args, then.as_deref(), windows)
}

fn then_of(v: &Value) -> Option<String> {
    let c = v["command"].as_str()?;
    let then = c.split_once(" --then ").map(|(_, t)| t.trim().to_owned());
    // Windows's `--then=…`: the part after the `=`, its quotes as they were (`--then='a b'`).
    then.or_else(|| c.split_once(" --then=").map(|(_, t)| t.trim().to_owned()))
}

/// The `statusLine` member as it was before runway: from the newest backup whose line is not runway's
/// (its raw text, or `None` when it had none); without such a backup, the command runway ran after its
/// own line, if any.
fn previous(s: &Settings, current: &Value) -> Option<String> {
    let mut backups: Vec<PathBuf> = fs::read_dir(s.name.parent()?)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("settings.json.runway-backup-"))
        })
        .collect();
    backups.sort();
    for b in backups.iter().rev() {
        let Ok(text) = crate::ground::files::read_text(b, 64 << 20) else { continue };
        let Ok(raw) = settings_file::get(&text, "statusLine") else { continue };
        match raw {
            Some(r) if serde_json::from_str::<Value>(r).is_ok_and(|v| ours(&v)) => continue,
            Some(r) => return Some(r.to_owned()),
            None => return None,
        }
    }
    let then = then_of(current)?;
    let command = shell_words(&then)?;
    Some(json!({ "type": "command", "command": command }).to_string())
}

/// The command `sh_quote` (or `both_quote`) made one word of.
fn shell_words(quoted: &str) -> Option<String> {
    Some(words(quoted, false))
}

fn remove(dir: &Path, stamp: &str) -> Result<String, String> {
    let s = settings_of(dir)?;
    let current = settings_file::get(&s.text, "statusLine")?.and_then(|raw| serde_json::from_str::<Value>(raw).ok());
    let Some(current) = current.filter(ours) else {
        return Ok(format!("{}: runway is not the status line; nothing changed", s.name.display()));
    };
    let earlier = previous(&s, &current);
    let new = match &earlier {
        Some(raw) => settings_file::set(&s.text, "statusLine", raw)?,
        None => settings_file::remove(&s.text, "statusLine")?,
    };
    let saved = backup(&s, stamp)?;
    write(&s, &new)?;
    // (With none before runway's, there is none to put back: it once said it put one back.)
    let done = match earlier {
        Some(_) => format!("put back the status line {} had before runway", shown(&s)),
        None => format!("removed runway's status line from {}; it had none before", shown(&s)),
    };
    Ok(format!("saved {}\n{done}", saved.display()))
}

#[cfg(test)]
mod tests;
