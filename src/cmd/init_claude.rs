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
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use super::emit;
use super::init::{exe, sh_quote};
use super::settings_file;
use crate::cli::ClaudeInit;
use crate::ground::env::Env;
use crate::ground::files::write_atomic_mode;
use crate::provider::claude;

/// The `statusLine` value that runs this binary with the settings given to `init` (`args`), and after
/// it `then`, when another tool's line is kept.
pub fn status_line(bin: &Path, args: &[String], then: Option<&str>) -> Value {
    let mut command = format!("{} statusline", sh_quote(&bin.to_string_lossy()));
    for a in args {
        command += &format!(" {}", sh_quote(a));
    }
    if let Some(other) = then {
        command += &format!(" --then {}", sh_quote(other));
    }
    json!({ "type": "command", "command": command, "padding": 0 })
}

/// Whether a `statusLine` value runs runway.
fn ours(v: &Value) -> bool {
    let cmd = v["command"].as_str().unwrap_or("").trim_start();
    let first = match cmd.strip_prefix('\'') {
        Some(quoted) => quoted.split('\'').next().unwrap_or(""),
        None => cmd.split(' ').next().unwrap_or(""),
    };
    Path::new(first).file_name().is_some_and(|n| n == "runway") && cmd.contains(" statusline")
}

/// `args`: the settings given to `init`, passed on to the status line as to every prompt.
pub fn run(o: ClaudeInit, env: &Env, args: &[String]) -> io::Result<ExitCode> {
    let bin = exe();
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
/// when it is a link), its text (`{}` when there is none yet) and its mode.
struct Settings {
    name: PathBuf,
    real: PathBuf,
    text: String,
    mode: u32,
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
            let mode = fs::metadata(&real).map_or(0o600, |m| m.mode() & 0o7777);
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(_)) => Ok(Settings { name, real, text, mode }),
                Ok(_) => Err(format!("{} is not a JSON object; not touching it", real.display())),
                Err(e) => Err(format!("cannot parse {} ({e}); not touching it", real.display())),
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Settings { name, real, text: "{}\n".into(), mode: 0o600 }),
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
        match fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&b) {
            Ok(mut f) => return f.write_all(s.text.as_bytes()).map(|_| b).map_err(|e| e.to_string()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot save a backup beside {}: {e}", s.name.display())),
        }
    }
    Err(format!("too many backups beside {}", s.name.display()))
}

fn write(path: &Path, text: &str, mode: u32) -> Result<(), String> {
    write_atomic_mode(path, text.as_bytes(), mode).map_err(|e| format!("cannot write {}: {e}", path.display()))
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
                    v["command"].as_str().map_or_else(|| v.to_string(), |c| format!("`{c}`"))
                ));
            }
        }
        // Ours already: keep whatever it runs after it, with this binary's path.
        Some(v) if ours(v) => {
            let mut w = status_line(bin, args, None);
            if let Some(then) = then_of(v) {
                w["command"] = json!(format!("{} --then {then}", w["command"].as_str().unwrap_or("")));
            }
            w
        }
        _ => status_line(bin, args, None),
    };
    if current.as_ref() == Some(&want) {
        return Ok(format!("{} already runs runway; nothing changed", s.name.display()));
    }
    let new = settings_file::merge(&s.text, "statusLine", &want)?;
    let mut msg = String::new();
    if s.real.exists() {
        msg += &format!("saved {}\n", backup(&s, stamp)?.display());
    }
    write(&s.real, &new, s.mode)?;
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
fn then_of(v: &Value) -> Option<String> {
    v["command"].as_str().and_then(|c| c.split_once(" --then ")).map(|(_, t)| t.trim().to_owned())
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

/// The command `sh_quote` made one word of.
fn shell_words(quoted: &str) -> Option<String> {
    match quoted.strip_prefix('\'') {
        Some(rest) => Some(rest.strip_suffix('\'')?.replace("'\\''", "'")),
        None => Some(quoted.to_owned()),
    }
}

fn remove(dir: &Path, stamp: &str) -> Result<String, String> {
    let s = settings_of(dir)?;
    let current = settings_file::get(&s.text, "statusLine")?.and_then(|raw| serde_json::from_str::<Value>(raw).ok());
    let Some(current) = current.filter(ours) else {
        return Ok(format!("{}: runway is not the status line; nothing changed", s.name.display()));
    };
    let new = match previous(&s, &current) {
        Some(raw) => settings_file::set(&s.text, "statusLine", &raw)?,
        None => settings_file::remove(&s.text, "statusLine")?,
    };
    let saved = backup(&s, stamp)?;
    write(&s.real, &new, s.mode)?;
    Ok(format!("saved {}\nput back the status line {} had before runway", saved.display(), shown(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runway_knows_its_own_line() {
        assert!(ours(&status_line(Path::new("/home/u/.cargo/bin/runway"), &[], None)));
        assert!(ours(&status_line(
            Path::new("/opt/my tools/runway"),
            &["--limit-cost=40".into()],
            Some("npx ccstatusline")
        )));
        assert!(!ours(&json!({ "type": "command", "command": "npx -y ccstatusline@latest" })));
        assert!(!ours(&json!({ "type": "command", "command": "/usr/bin/runway-other statusline" })));
    }

    #[test]
    fn the_kept_command_comes_back_as_written() {
        for other in ["npx -y ccstatusline@latest", "sh -c 'echo it'\''s'", "plain"] {
            let line = status_line(Path::new("/bin/runway"), &[], Some(other));
            assert_eq!(shell_words(&then_of(&line).unwrap()).as_deref(), Some(other));
        }
    }
}
