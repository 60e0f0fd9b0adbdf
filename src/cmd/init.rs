//! `runway init`: the shell integrations (real files in `shell/`, embedded here with the absolute
//! path of this binary put in), and the Claude Code `statusLine` setting.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Map, Value, json};

use super::emit;
use crate::cli::Host;
use crate::ground::dirs::home;
use crate::ground::files::write_atomic;

const ZSH: &str = include_str!("../../shell/runway.zsh");
const BASH: &str = include_str!("../../shell/runway.bash");
const FISH: &str = include_str!("../../shell/runway.fish");
const ZSH_ONLY: &str = include_str!("../../shell/runway_segment.zsh");
const BASH_ONLY: &str = include_str!("../../shell/runway_segment.bash");
const FISH_ONLY: &str = include_str!("../../shell/runway_segment.fish");

pub fn run(host: Host, print_only: bool, write: bool) -> io::Result<ExitCode> {
    let bin = exe();
    if host != Host::Claude {
        return emit(&script(host, print_only, &bin)).map(|_| ExitCode::SUCCESS);
    }
    if !write {
        let snippet = json!({ "statusLine": status_line(&bin) });
        let text = serde_json::to_string_pretty(&snippet).unwrap_or_default();
        return emit(&format!("{text}\n")).map(|_| ExitCode::SUCCESS);
    }
    let Some(path) = settings_path() else {
        eprintln!("runway: cannot tell where Claude Code's settings are (no HOME)");
        return Ok(ExitCode::FAILURE);
    };
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S").to_string();
    match write_settings(&path, &bin, &stamp) {
        Ok(msg) => emit(&format!("{msg}\n")).map(|_| ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("runway: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// This binary's absolute path, so that a changed PATH cannot break the prompt.
pub fn exe() -> PathBuf {
    std::env::current_exe().and_then(std::fs::canonicalize).unwrap_or_else(|_| PathBuf::from("runway"))
}

/// Quotes a path for sh-like shells (and for Claude Code's command, which runs through a shell).
pub fn sh_quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+:@%".contains(&b)) {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn fish_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', r"\\").replace('\'', r"\'"))
}

/// The script for a shell; `print_only` defines `runway_segment` and installs no hook.
pub fn script(host: Host, print_only: bool, bin: &Path) -> String {
    let path = bin.to_string_lossy();
    let (text, quoted) = match (host, print_only) {
        (Host::Zsh, false) => (ZSH, sh_quote(&path)),
        (Host::Zsh, true) => (ZSH_ONLY, sh_quote(&path)),
        (Host::Bash, false) => (BASH, sh_quote(&path)),
        (Host::Bash, true) => (BASH_ONLY, sh_quote(&path)),
        (Host::Fish, false) => (FISH, fish_quote(&path)),
        (Host::Fish, true) => (FISH_ONLY, fish_quote(&path)),
        (Host::Claude, _) => return String::new(),
    };
    text.replace("::RUNWAY::", &quoted)
}

pub fn status_line(bin: &Path) -> Value {
    json!({ "type": "command", "command": format!("{} statusline", sh_quote(&bin.to_string_lossy())), "padding": 0 })
}

/// `settings.json` of the Claude Code config dir: the first entry of `CLAUDE_CONFIG_DIR`, else `~/.claude`.
pub fn settings_path() -> Option<PathBuf> {
    let dir = match std::env::var("CLAUDE_CONFIG_DIR") {
        Ok(list) if !list.trim().is_empty() => {
            let first = list.split(',').next().unwrap_or("").trim().to_owned();
            match first.strip_prefix("~/") {
                Some(rest) => home()?.join(rest),
                None => PathBuf::from(first),
            }
        }
        _ => home()?.join(".claude"),
    };
    // An entry may name the projects/ dir itself.
    let dir = if dir.file_name().is_some_and(|n| n == "projects") { dir.parent().map(Path::to_path_buf)? } else { dir };
    Some(dir.join("settings.json"))
}

/// Merges the `statusLine` setting into a settings file, keeping every other key and their order,
/// after copying the file aside. Refuses a file that is not a JSON object.
pub fn write_settings(path: &Path, bin: &Path, stamp: &str) -> io::Result<String> {
    let want = status_line(bin);
    let mut obj = match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(io::Error::other(format!("{} is not a JSON object; not touching it", path.display()))),
            Err(e) => return Err(io::Error::other(format!("cannot parse {} ({e}); not touching it", path.display()))),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Map::new(),
        Err(e) => return Err(e),
    };
    if obj.get("statusLine") == Some(&want) {
        return Ok(format!("{} already runs runway; nothing changed", path.display()));
    }
    let mut msg = String::new();
    if path.exists() {
        let backup = path.with_file_name(format!("settings.json.runway-backup-{stamp}"));
        std::fs::copy(path, &backup)?;
        msg += &format!("saved {}\n", backup.display());
    }
    if let Some(old) = obj.get("statusLine") {
        msg += &format!("replaced statusLine {old}\n");
    }
    obj.insert("statusLine".into(), want);
    let mut text = serde_json::to_string_pretty(&Value::Object(obj)).map_err(io::Error::other)?;
    text.push('\n');
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let perms = std::fs::metadata(path).ok().map(|m| m.permissions());
    write_atomic(path, text.as_bytes())?;
    if let Some(p) = perms {
        std::fs::set_permissions(path, p)?;
    }
    msg += &format!("wrote statusLine to {}", path.display());
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(sh_quote("/usr/bin/runway"), "/usr/bin/runway");
        assert_eq!(sh_quote("/a b/it's"), r"'/a b/it'\''s'");
        assert_eq!(fish_quote(r"/a b/it's\x"), r"'/a b/it\'s\\x'");
    }

    #[test]
    fn scripts_name_the_binary() {
        let bin = Path::new("/opt/my tools/runway");
        for host in [Host::Zsh, Host::Bash, Host::Fish] {
            for only in [false, true] {
                let s = script(host, only, bin);
                assert!(!s.contains("::RUNWAY::"));
                assert!(s.contains("my tools/runway"), "{host:?}");
                assert_eq!(s.contains("runway_segment"), only || host == Host::Zsh, "{host:?} {only}");
            }
        }
    }

    #[test]
    fn settings_are_merged_kept_and_backed_up() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("settings.json");
        std::fs::write(&p, "{\"model\": \"opus\", \"permissions\": {\"allow\": [\"Bash(ls)\"]}, \"env\": {}}\n")
            .unwrap();
        let msg = write_settings(&p, Path::new("/bin/runway"), "t1").unwrap();
        assert!(msg.contains("saved"), "{msg}");
        let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["model", "permissions", "env", "statusLine"], "order kept");
        assert_eq!(v["statusLine"]["command"], "/bin/runway statusline");
        assert!(d.path().join("settings.json.runway-backup-t1").exists());
        assert!(write_settings(&p, Path::new("/bin/runway"), "t2").unwrap().contains("nothing changed"));
        std::fs::write(&p, "{ not json").unwrap();
        assert!(write_settings(&p, Path::new("/bin/runway"), "t3").is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{ not json", "untouched");
        let fresh = d.path().join("new/settings.json");
        write_settings(&fresh, Path::new("/bin/runway"), "t4").unwrap();
        assert!(fresh.exists());
    }
}
